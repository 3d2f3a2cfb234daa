//! The 11 operations, answered as the service answers them.

use std::sync::Arc;
use std::time::SystemTime;

use hyper::Response;
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use crate::checks::Op;
use crate::http::{Body, code_for, error, json};
use crate::items::{self, EVENT, Participant};
use crate::state::{Attachment, Call, Refusal, State};

/// Message content types SendMessage accepts, with their length limits.
const MESSAGE_TYPES: &[(&str, usize)] = &[
    ("text/plain", 1024),
    ("text/markdown", 1024),
    ("application/json", 12000),
    ("application/vnd.amazonaws.connect.message.interactive.response", 12288),
];

/// The attachment content types the service documents.
pub(crate) const ATTACHMENT_TYPES: &[&str] = &[
    "text/csv",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/jpeg",
    "application/pdf",
    "image/png",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "text/plain",
    "audio/wav",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

const MAX_ATTACHMENT: i64 = 20 * 1024 * 1024;

/// How long a pre-signed upload or download URL works (not documented: our choice, the most
/// GetAttachment's `UrlExpiryInSeconds` allows).
const TRANSFER_URL_VALIDITY: std::time::Duration = std::time::Duration::from_secs(300);

/// Answers a request that passed the service's checks.
pub(crate) async fn answer(state: &Arc<State>, op: Op, bearer: String, body: Value) -> Response<Body> {
    state.lock().record(Call {
        operation: op.to_string(),
        at: Instant::now(),
        bearer: Some(bearer.clone()),
        body: body.clone(),
    });
    if op == Op::CreateParticipantConnection {
        return create_connection(state, &bearer, &body).await;
    }
    let mut inner = state.lock();
    let Some((contact_id, me)) = inner.by_connection_token(&bearer) else {
        return error(403, "AccessDeniedException", "the connection token is not valid");
    };
    let ended = inner.chats.get(&contact_id).is_none_or(|c| c.ended);
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let observers = state.observers.clone();
    match op {
        Op::SendMessage | Op::SendEvent | Op::StartAttachmentUpload | Op::CompleteAttachmentUpload if ended => {
            error(403, "AccessDeniedException", "the chat has ended")
        }
        Op::SendMessage => {
            let content_type = text("ContentType");
            let content = text("Content");
            let Some((_, max)) = MESSAGE_TYPES.iter().find(|(t, _)| *t == content_type) else {
                return error(400, "ValidationException", &format!("ContentType {content_type} is not supported"));
            };
            if content.chars().count() > *max {
                return error(
                    400,
                    "ValidationException",
                    &format!("{content_type} content is limited to {max} characters"),
                );
            }
            let item = items::item("MESSAGE", Some(&content_type), Some(&content), &me, &contact_id);
            let reply = json!({ "Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"] });
            inner.push(&observers, &contact_id, item, true);
            json(200, reply)
        }
        Op::SendEvent => {
            let content_type = text("ContentType");
            let Some(event) = content_type.strip_prefix(EVENT) else {
                return error(400, "ValidationException", &format!("ContentType {content_type} is not an event"));
            };
            match event {
                "typing" => {
                    let item = items::item("EVENT", Some(&content_type), None, &me, &contact_id);
                    let reply = json!({ "Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"] });
                    inner.push(&observers, &contact_id, item, false);
                    json(200, reply)
                }
                "message.delivered" | "message.read" => {
                    let content: Value = serde_json::from_str(&text("Content")).unwrap_or(Value::Null);
                    let Some(message_id) = content.get("messageId").and_then(Value::as_str) else {
                        return error(400, "ValidationException", "Content must be a JSON object with a messageId");
                    };
                    let read = event == "message.read";
                    let Some(chat) = inner.chats.get_mut(&contact_id) else {
                        return error(500, code_for(500), "no chat");
                    };
                    let Some(message) = chat.transcript.iter_mut().find(|i| i["Id"] == message_id) else {
                        return error(400, "ValidationException", &format!("no message {message_id} in this chat"));
                    };
                    let item = items::receipt(message_id, read, &me);
                    annotate(message, &item);
                    let reply = json!({ "Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"] });
                    inner.push(&observers, &contact_id, item, false);
                    json(200, reply)
                }
                "connection.acknowledged" => {
                    let item = items::item("CONNECTION_ACK", Some(&content_type), None, &me, &contact_id);
                    let reply = json!({ "Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"] });
                    inner.push(&observers, &contact_id, item, true);
                    json(200, reply)
                }
                _ => error(400, "ValidationException", &format!("ContentType {content_type} cannot be sent")),
            }
        }
        Op::DisconnectParticipant => {
            if !ended {
                let left = items::item("EVENT", Some(&format!("{EVENT}participant.left")), None, &me, &contact_id);
                inner.push(&observers, &contact_id, left, true);
                end_chat(&mut inner, &observers, &contact_id);
            }
            json(200, json!({}))
        }
        Op::GetTranscript => {
            let asked = body.get("ContactId").and_then(Value::as_str);
            match inner.transcript_of(&contact_id, asked) {
                Ok(transcript) => crate::transcript::page(&transcript, asked.unwrap_or(&contact_id), &body),
                Err(message) => error(400, "ValidationException", &message),
            }
        }
        Op::StartAttachmentUpload => {
            let content_type = text("ContentType");
            if !ATTACHMENT_TYPES.contains(&content_type.as_str()) {
                return error(
                    400,
                    "ValidationException",
                    &format!("attachments of type {content_type} are not accepted"),
                );
            }
            let size = body.get("AttachmentSizeInBytes").and_then(Value::as_i64).unwrap_or_default();
            if size > MAX_ATTACHMENT {
                return error(402, "ServiceQuotaExceededException", "attachments are limited to 20 MB");
            }
            let id = items::new_id();
            let ticket = items::new_id();
            let path = state.files.join(&id);
            inner.attachments.insert(
                id.clone(),
                Attachment {
                    contact_id: contact_id.clone(),
                    from: me,
                    name: text("AttachmentName"),
                    content_type: content_type.clone(),
                    size: size as u64,
                    path,
                    uploaded: false,
                    completed: false,
                },
            );
            inner.transfer_tickets.insert(ticket.clone(), id.clone(), Instant::now() + TRANSFER_URL_VALIDITY);
            json(
                200,
                json!({
                    "AttachmentId": id,
                    "UploadMetadata": {
                        "Url": format!("{}/upload/{ticket}", state.base_url),
                        "UrlExpiry": items::from_now(TRANSFER_URL_VALIDITY, inner.faults.expiry_skew),
                        "HeadersToInclude": { "Content-Type": content_type, "x-amz-meta-attachment-id": id },
                    },
                }),
            )
        }
        Op::CompleteAttachmentUpload => {
            let id = body["AttachmentIds"][0].as_str().unwrap_or_default().to_owned();
            let Some(attachment) = inner.attachments.get_mut(&id).filter(|a| a.contact_id == contact_id) else {
                return error(400, "ValidationException", &format!("no attachment {id}"));
            };
            if !attachment.uploaded {
                return error(400, "ValidationException", &format!("attachment {id} was not uploaded"));
            }
            if attachment.completed {
                return error(409, "ConflictException", &format!("attachment {id} is already complete"));
            }
            attachment.completed = true;
            let mut item = items::item("ATTACHMENT", None, None, &attachment.from, &contact_id);
            item["Attachments"] = json!([{
                "ContentType": attachment.content_type,
                "AttachmentId": id,
                "AttachmentName": attachment.name,
                "Status": "APPROVED",
            }]);
            inner.push(&observers, &contact_id, item, true);
            json(200, json!({}))
        }
        Op::GetAttachment => {
            let id = text("AttachmentId");
            let Some(attachment) = inner.attachments.get(&id).filter(|a| a.contact_id == contact_id && a.completed)
            else {
                return error(404, "ResourceNotFoundException", &format!("no attachment {id}"));
            };
            let size = attachment.size;
            let ticket = items::new_id();
            inner.transfer_tickets.insert(ticket.clone(), id, Instant::now() + TRANSFER_URL_VALIDITY);
            json(
                200,
                json!({
                    "Url": format!("{}/download/{ticket}", state.base_url),
                    "UrlExpiry": items::from_now(TRANSFER_URL_VALIDITY, inner.faults.expiry_skew),
                    "AttachmentSizeInBytes": size,
                }),
            )
        }
        Op::GetAuthenticationUrl => json(
            200,
            json!({ "AuthenticationUrl": format!("{}/authenticate?session={}", state.base_url, text("SessionId")) }),
        ),
        Op::CancelParticipantAuthentication => json(200, json!({})),
        Op::DescribeView => json(
            200,
            json!({
                "View": {
                    "Id": "emulated-view",
                    "Arn": "arn:aws:connect:us-east-1:000000000000:instance/emulator/view/emulated-view:1",
                    "Name": "Emulated view",
                    "Version": 1,
                    "Content": { "InputSchema": "{}", "Template": "{\"Head\":{},\"Body\":[]}", "Actions": [] },
                },
            }),
        ),
        Op::CreateParticipantConnection => unreachable!("answered above"),
    }
}

/// Adds a receipt to the message it is about, as transcripts show them.
fn annotate(message: &mut Value, receipt_item: &Value) {
    let receipt = receipt_item["MessageMetadata"]["Receipts"][0].clone();
    let metadata = message
        .as_object_mut()
        .expect("items are objects")
        .entry("MessageMetadata")
        .or_insert_with(|| json!({ "MessageId": receipt_item["MessageMetadata"]["MessageId"], "Receipts": [] }));
    let receipts = metadata["Receipts"].as_array_mut().expect("receipts are a list");
    let reader = receipt["RecipientParticipantId"].clone();
    match receipts.iter_mut().find(|r| r["RecipientParticipantId"] == reader) {
        Some(existing) => {
            for (key, value) in receipt.as_object().expect("a receipt is an object") {
                existing[key] = value.clone();
            }
        }
        None => receipts.push(receipt),
    }
}

/// Ends a chat: the chat-ended event, then every later CreateParticipantConnection is refused.
pub(crate) fn end_chat(
    inner: &mut crate::state::Inner,
    observers: &tokio::sync::broadcast::Sender<crate::state::Observed>,
    contact_id: &str,
) {
    let Some(chat) = inner.chats.get_mut(contact_id) else { return };
    if chat.ended {
        return;
    }
    chat.ended = true;
    let system = Participant { id: "SYSTEM".into(), display_name: "SYSTEM_MESSAGE".into(), role: "SYSTEM" };
    let ended = items::item("EVENT", Some(&format!("{EVENT}chat.ended")), None, &system, contact_id);
    inner.push(observers, contact_id, ended, true);
}

async fn create_connection(state: &Arc<State>, bearer: &str, body: &Value) -> Response<Body> {
    let refusal = {
        let mut inner = state.lock();
        let refusal = inner.faults.refusals.pop_front();
        inner.faults.applied += u64::from(refusal.is_some());
        refusal
    };
    match refusal {
        Some(Refusal::Status(status)) => {
            return error(status, code_for(status), "refused by the emulator's fault switch");
        }
        Some(Refusal::Delay(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    let mut inner = state.lock();
    let Some(participant_id) = inner.participant_tokens.get(bearer).cloned() else {
        return error(403, "AccessDeniedException", "the participant token is not valid");
    };
    let (contact_id, _) = inner.participants[&participant_id].clone();
    if inner.chats.get(&contact_id).is_none_or(|c| c.ended) {
        return error(403, "AccessDeniedException", "the chat has ended");
    }
    let types: Vec<String> = match body.get("Type").and_then(Value::as_array) {
        Some(types) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        None => vec!["WEBSOCKET".into(), "CONNECTION_CREDENTIALS".into()],
    };
    let mut out = Map::new();
    for kind in types {
        match kind.as_str() {
            "WEBSOCKET" => {
                let ticket = items::new_id();
                inner.socket_tickets.insert(
                    ticket.clone(),
                    participant_id.clone(),
                    Instant::now() + state.url_validity,
                );
                out.insert(
                    "Websocket".into(),
                    json!({
                        "Url": format!("{}/ws?ticket={ticket}", state.socket_base),
                        "ConnectionExpiry": items::from_now(state.url_validity, inner.faults.expiry_skew),
                    }),
                );
            }
            "CONNECTION_CREDENTIALS" => {
                let token = format!("{}{}", items::new_id(), items::new_id()).replace('-', "");
                inner.add_connection_token(token.clone(), &participant_id, SystemTime::now() + state.token_lifetime);
                out.insert(
                    "ConnectionCredentials".into(),
                    json!({ "ConnectionToken": token, "Expiry": items::from_now(state.token_lifetime, inner.faults.expiry_skew) }),
                );
            }
            other => return error(400, "ValidationException", &format!("connection type {other} is not emulated")),
        }
    }
    json(200, Value::Object(out))
}
