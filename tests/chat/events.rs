//! Items become typed events; unknown ones are `Other`; bad frames are skipped; duplicates are
//! delivered once.

use connectparticipant::chat::{ChatEvent, ConnectionState, MessageKind, ParticipantChange, ReceiptKind};
use connectparticipant_emulator::{EVENT, Emulator};
use serde_json::json;

use super::support::{connect, next, texts_until};

/// A short name for an event, to compare sequences.
fn label(event: &ChatEvent) -> String {
    match event {
        ChatEvent::Message { kind, from_self, .. } => format!("message {kind:?} self={from_self}"),
        ChatEvent::Typing { .. } => "typing".into(),
        ChatEvent::Participant { change, .. } => format!("participant {change:?}"),
        ChatEvent::ChatEnded { item } => format!("chat ended (item: {})", item.is_some()),
        ChatEvent::Transfer { succeeded, .. } => format!("transfer succeeded={succeeded}"),
        ChatEvent::Receipt(receipt) => format!("receipt {:?} of {}", receipt.kind, receipt.message_id),
        ChatEvent::Attachment { attachments, .. } => {
            let status = attachments[0].status.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default();
            format!("attachment {status}")
        }
        ChatEvent::Authentication { kind, .. } => format!("authentication {kind}"),
        ChatEvent::ConnectionAcknowledged { .. } => "connection acknowledged".into(),
        ChatEvent::Connection(state) => format!("connection {state:?}"),
        ChatEvent::Failed(error) => format!("failed: {}", error.0),
        ChatEvent::Other { item, raw } => {
            format!(
                "other {:?} {:?} raw={}",
                item.r#type.as_ref().map(|t| t.as_str().to_owned()),
                item.content_type,
                raw.is_some()
            )
        }
        _ => format!("{event:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn every_event_type_is_typed_and_unknown_ones_are_other() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let event = |name: &str| format!("{EVENT}{name}");
    let message =
        |content_type: &str, content: &str| emulator.item(&chat, "MESSAGE", Some(content_type), Some(content));
    let mut pushed = vec![
        message("text/plain", "hello"),
        message("text/markdown", "**hello**"),
        message("application/json", "{\"a\":1}"),
        message("application/vnd.amazonaws.connect.message.interactive", "{\"templateType\":\"ListPicker\"}"),
        message("application/vnd.amazonaws.connect.message.interactive.response", "{\"selected\":\"A\"}"),
    ];
    for name in [
        "typing",
        "participant.joined",
        "participant.left",
        "participant.idle",
        "participant.returned",
        "participant.invited",
        "transfer.succeeded",
        "transfer.failed",
        "authentication.succeeded",
        "connection.acknowledged",
        "participant.displayname.updated",
    ] {
        pushed.push(emulator.item(&chat, "EVENT", Some(&event(name)), None));
    }
    let text_id = pushed[0]["Id"].as_str().unwrap().to_owned();
    pushed.push(json!({
        "AbsoluteTime": "2030-01-01T00:00:00.000Z", "Id": "receipts-1", "Type": "MESSAGEMETADATA",
        "ContentType": event("message.metadata"),
        "MessageMetadata": { "MessageId": text_id, "Receipts": [
            { "DeliveredTimestamp": "2030-01-01T00:00:00.000Z", "RecipientParticipantId": "someone" },
            { "ReadTimestamp": "2030-01-01T00:00:01.000Z", "RecipientParticipantId": "someone-else" },
        ]},
    }));
    let mut attachment = emulator.item(&chat, "ATTACHMENT", None, None);
    attachment["Attachments"] = json!([{ "ContentType": "image/png", "AttachmentId": "att-1", "AttachmentName": "a.png", "Status": "IN_PROGRESS" }]);
    pushed.push(attachment.clone());
    attachment["Attachments"][0]["Status"] = json!("APPROVED");
    pushed.push(attachment);
    pushed.push(emulator.item(&chat, "HOLOGRAM", Some("application/x-future"), Some("?")));
    pushed.push(emulator.item(&chat, "MESSAGE", Some("image/gif"), Some("?")));
    for item in pushed {
        emulator.push_item(&chat.contact_id, item, true);
    }
    emulator.end_chat(&chat);

    let mut labels = Vec::new();
    loop {
        let event = next(&mut session).await;
        labels.push(label(&event));
        if event == ChatEvent::Connection(ConnectionState::Ended) {
            break;
        }
    }
    let expected = [
        "message Text self=false",
        "message Markdown self=false",
        "message Json self=false",
        "message Interactive self=false",
        "message InteractiveResponse self=false",
        "typing",
        "participant Joined",
        "participant Left",
        "participant Idle",
        "participant Returned",
        "participant Invited",
        "transfer succeeded=true",
        "transfer succeeded=false",
        "authentication succeeded",
        "connection acknowledged",
        "other Some(\"EVENT\") Some(\"application/vnd.amazonaws.connect.event.participant.displayname.updated\") raw=true",
        &format!("receipt Delivered of {text_id}"),
        &format!("receipt Read of {text_id}"),
        "attachment IN_PROGRESS",
        "attachment APPROVED",
        "other Some(\"HOLOGRAM\") Some(\"application/x-future\") raw=true",
        "other Some(\"MESSAGE\") Some(\"image/gif\") raw=true",
        "chat ended (item: true)",
        "connection Ended",
    ];
    assert_eq!(labels, expected);
    assert_eq!(session.next_event().await, None, "nothing after the end");
    let _ = (MessageKind::Text, ParticipantChange::Joined, ReceiptKind::Read);
}

#[tokio::test(start_paused = true)]
async fn malformed_and_unknown_frames_are_skipped_and_the_session_goes_on() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    for frame in [
        "{not json",
        "[1,2,3]",
        "",
        r#"{"topic":"aws/chat"}"#,
        r#"{"topic":"aws/chat","content":"{not an item"}"#,
        r#"{"topic":"aws/chat","content":"{\"Id\":5}"}"#,
        r#"{"topic":"aws/unknown","content":{}}"#,
        r#"{"message":"Forbidden","connectionId":"c","requestId":"r"}"#,
    ] {
        emulator.send_raw_frame(&chat, frame);
    }
    emulator.agent_send(&chat, "still here");
    let (texts, others) = texts_until(&mut session, "still here").await;
    assert_eq!(texts, ["still here"]);
    assert!(others.is_empty(), "nothing but the message: {others:?}");
}

#[tokio::test(start_paused = true)]
async fn duplicated_and_reordered_pushes_are_delivered_once() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.duplicate_pushes(true);
    for text in ["one", "two", "three"] {
        emulator.agent_send(&chat, text);
    }
    emulator.duplicate_pushes(false);
    emulator.hold_pushes();
    for text in ["four", "five", "six"] {
        emulator.agent_send(&chat, text);
    }
    emulator.release_reversed();
    emulator.agent_send(&chat, "seven");
    let (texts, _) = texts_until(&mut session, "seven").await;
    assert_eq!(texts, ["one", "two", "three", "six", "five", "four", "seven"], "each once, as they came");
}
