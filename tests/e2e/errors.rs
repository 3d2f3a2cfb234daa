//! Scenarios 2 to 5: modeled errors, unmodeled errors, unreadable and cut responses, empty
//! bodies.

use connectparticipant::Error;
use connectparticipant::operation::complete_attachment_upload::CompleteAttachmentUploadError;
use connectparticipant::operation::describe_view::DescribeViewError;
use connectparticipant::operation::send_event::SendEventError;
use connectparticipant::operation::send_message::SendMessageError;
use connectparticipant::operation::start_attachment_upload::StartAttachmentUploadError;
use connectparticipant::types::{ChatItemType, ParticipantRole, ResourceType};
use serde_json::json;

use super::server::{FakeService, Op, Reply};
use super::support::{ALL_OPS, TOKEN, call, call_err, client, client_without_retries, error_status, modeled_errors};

// ---- Scenario 2: modeled errors ------------------------------------------------------------

/// Every error every operation declares, sent as the service sends them (status,
/// `x-amzn-ErrorType`, `{"Message": ...}`), comes back as that operation's variant with its
/// message.
#[tokio::test]
async fn every_modeled_error_of_every_operation_maps_to_its_variant() {
    let server = FakeService::start().await;
    let client = client_without_retries(&server);
    let mut checked = 0;
    for op in ALL_OPS {
        for &code in modeled_errors(op) {
            let status = error_status(code);
            let message = format!("{op} failed with {code}");
            server.enqueue(
                op,
                Reply::raw(
                    status,
                    &[("Content-Type", "application/json"), ("x-amzn-ErrorType", code)],
                    json!({ "Message": message }).to_string(),
                ),
            );
            let failure = call_err(&client, op).await;
            assert_eq!(failure.kind, "Service", "{op} {code}: {failure:?}");
            assert_eq!(failure.variant, Some(code), "{op} {code}: {failure:?}");
            assert_eq!(failure.code.as_deref(), Some(code), "{op} {code}");
            assert_eq!(failure.message.as_deref(), Some(message.as_str()), "{op} {code}");
            assert_eq!(failure.raw.as_ref().map(|r| r.status()), Some(status), "{op} {code}");
            assert!(failure.display.contains(&message), "{op} {code}: {}", failure.display);
            checked += 1;
        }
    }
    assert_eq!(checked, 49, "the model declares 49 (operation, error) pairs");
    assert_eq!(server.request_count(), 49, "no retries with retries disabled");
}

#[tokio::test]
async fn resource_not_found_keeps_resource_id_and_type() {
    let server = FakeService::start().await;
    server.enqueue(
        Op::DescribeView,
        Reply::raw(
            404,
            &[("x-amzn-ErrorType", "ResourceNotFoundException")],
            r#"{"Message":"View not found","ResourceId":"view-token-1","ResourceType":"CONTACT_FLOW"}"#,
        ),
    );
    let error = client(&server).describe_view("view-token-1", TOKEN).send().await.unwrap_err();
    assert_eq!(error.raw_response().unwrap().status(), 404);
    match error.into_service_error() {
        Some(DescribeViewError::ResourceNotFoundException(e)) => {
            assert_eq!(e.message.as_deref(), Some("View not found"));
            assert_eq!(e.resource_id.as_deref(), Some("view-token-1"));
            assert_eq!(e.resource_type, Some(ResourceType::ContactFlow));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    assert_eq!(server.request_count(), 1, "404 is not retried");
}

#[tokio::test]
async fn conflict_and_service_quota_errors_carry_their_messages() {
    let server = FakeService::start().await;
    let client = client(&server);
    server.enqueue(Op::CompleteAttachmentUpload, Reply::error(409, "ConflictException", "Upload still in progress"));
    match client.complete_attachment_upload(["att-0001"], TOKEN).send().await.unwrap_err().into_service_error() {
        Some(CompleteAttachmentUploadError::ConflictException(e)) => assert_eq!(e.message, "Upload still in progress"),
        other => panic!("expected ConflictException, got {other:?}"),
    }
    server
        .enqueue(Op::StartAttachmentUpload, Reply::error(402, "ServiceQuotaExceededException", "Too many attachments"));
    let error = client.start_attachment_upload("a.png", 10, "image/png", TOKEN).send().await.unwrap_err();
    assert_eq!(error.raw_response().unwrap().status(), 402);
    match error.into_service_error() {
        Some(StartAttachmentUploadError::ServiceQuotaExceededException(e)) => {
            assert_eq!(e.message, "Too many attachments")
        }
        other => panic!("expected ServiceQuotaExceededException, got {other:?}"),
    }
    server.enqueue(Op::SendEvent, Reply::error(409, "ConflictException", "Chat ended"));
    match client
        .send_event("application/vnd.amazonaws.connect.event.typing", TOKEN)
        .send()
        .await
        .unwrap_err()
        .into_service_error()
    {
        Some(SendEventError::ConflictException(e)) => assert_eq!(e.message, "Chat ended"),
        other => panic!("expected ConflictException, got {other:?}"),
    }
    assert_eq!(server.request_count(), 3, "402 and 409 are not retried");
}

/// Without the header, the code comes from the body's `__type`, namespace and `:`-suffix
/// stripped; the message may be spelled `message` or `Message`.
#[tokio::test]
async fn error_code_from_body_type_with_namespace_and_suffix() {
    let server = FakeService::start().await;
    let client = client_without_retries(&server);
    let bodies = [
        r#"{"__type":"com.amazonaws.connectparticipant#AccessDeniedException","message":"no access"}"#,
        r#"{"__type":"com.amazonaws.connectparticipant#AccessDeniedException:http://internal.amazon.com/coral/com.amazonaws.connectparticipant/","Message":"no access"}"#,
        r#"{"__type":"AccessDeniedException","message":"no access"}"#,
    ];
    for body in bodies {
        server.enqueue(Op::SendMessage, Reply::raw(403, &[("Content-Type", "application/x-amz-json-1.1")], body));
        match client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err().into_service_error() {
            Some(SendMessageError::AccessDeniedException(e)) => assert_eq!(e.message, "no access", "{body}"),
            other => panic!("{body}: expected AccessDeniedException, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn error_code_from_body_code_with_namespace_and_suffix() {
    let server = FakeService::start().await;
    let client = client_without_retries(&server);
    let bodies = [
        r#"{"code":"ValidationException","message":"bad input"}"#,
        r#"{"code":"aws.protocoltests#ValidationException:http://internal.amazon.com/","message":"bad input"}"#,
    ];
    for body in bodies {
        server.enqueue(Op::SendMessage, Reply::raw(400, &[], body));
        match client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err().into_service_error() {
            Some(SendMessageError::ValidationException(e)) => assert_eq!(e.message, "bad input", "{body}"),
            other => panic!("{body}: expected ValidationException, got {other:?}"),
        }
    }
}

/// The header wins over the body, and is cleaned of namespace and suffix too.
#[tokio::test]
async fn error_code_header_wins_and_is_cleaned() {
    let server = FakeService::start().await;
    let client = client_without_retries(&server);
    server.enqueue(
        Op::SendMessage,
        Reply::raw(
            429,
            &[(
                "x-amzn-errortype",
                "com.amazonaws.connectparticipant#ThrottlingException:http://internal.amazon.com/coral/",
            )],
            r#"{"__type":"AccessDeniedException","code":"ValidationException","Message":"slow down"}"#,
        ),
    );
    match client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err().into_service_error() {
        Some(SendMessageError::ThrottlingException(e)) => assert_eq!(e.message, "slow down"),
        other => panic!("expected ThrottlingException, got {other:?}"),
    }
}

// ---- Scenario 3: unmodeled errors ----------------------------------------------------------

#[tokio::test]
async fn unmodeled_error_code_is_unhandled_with_status_code_and_body() {
    let server = FakeService::start().await;
    let body = r#"{"message":"The feature is not enabled","Reason":"FEATURE_DISABLED"}"#;
    server.enqueue(Op::SendMessage, Reply::raw(400, &[("x-amzn-ErrorType", "FeatureNotEnabledException")], body));
    let error = client(&server).send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err();
    match error.into_service_error() {
        Some(SendMessageError::Unhandled(e)) => {
            assert_eq!(e.code.as_deref(), Some("FeatureNotEnabledException"));
            assert_eq!(e.message.as_deref(), Some("The feature is not enabled"));
            assert_eq!(e.status, 400);
            assert_eq!(e.body.as_ref(), body.as_bytes());
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
    assert_eq!(server.request_count(), 1, "an unmodeled 400 is not retried");
}

/// An error of the model that this operation does not declare is not forced into a variant.
#[tokio::test]
async fn modeled_error_not_declared_by_the_operation_is_unhandled() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::error(409, "ConflictException", "conflict"));
    let failure = call_err(&client(&server), Op::SendMessage).await;
    assert_eq!(failure.variant, Some("Unhandled"), "{failure:?}");
    assert_eq!(failure.code.as_deref(), Some("ConflictException"));
    assert_eq!(failure.message.as_deref(), Some("conflict"));
}

/// A gateway's HTML error page: no code, no message, but status and body are kept.
#[tokio::test]
async fn error_without_code_is_unhandled_and_keeps_the_raw_body() {
    let server = FakeService::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    server.enqueue(Op::GetTranscript, Reply::raw(502, &[("Content-Type", "text/html")], html));
    let failure = call_err(&client_without_retries(&server), Op::GetTranscript).await;
    assert_eq!(failure.kind, "Service", "{failure:?}");
    assert_eq!(failure.variant, Some("Unhandled"));
    assert_eq!(failure.code, None);
    assert_eq!(failure.message, None);
    let raw = failure.raw.expect("raw response");
    assert_eq!(raw.status(), 502);
    assert_eq!(raw.body_text(), html);
}

// ---- Scenario 4: unreadable success bodies -------------------------------------------------

#[tokio::test]
async fn malformed_json_on_200_is_a_response_error_keeping_status_and_body() {
    let server = FakeService::start().await;
    let body = r#"{"Id": "msg-1", "AbsoluteTime": "#;
    server.enqueue(Op::SendMessage, Reply::raw(200, &[("Content-Type", "application/json")], body));
    let error = client(&server).send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err();
    let Error::Response(response) = &error else { panic!("expected Error::Response, got {error:?}") };
    assert_eq!(response.raw.status(), 200);
    assert_eq!(response.raw.body_text(), body);
    assert!(response.message.contains("not valid JSON"), "{}", response.message);
    assert_eq!(server.request_count(), 1, "an unreadable 200 is not retried (the call may have happened)");
}

#[tokio::test]
async fn wrongly_typed_member_on_200_is_a_response_error_naming_the_member() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::json(200, json!({ "Id": 42, "AbsoluteTime": "2024-05-01T12:30:00.000Z" })));
    let error = client(&server).send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err();
    let Error::Response(response) = &error else { panic!("expected Error::Response, got {error:?}") };
    assert!(response.message.contains("SendMessageOutput.Id"), "{}", response.message);
    assert!(response.message.contains("expected a string"), "{}", response.message);
    // A JSON document that is not an object is refused too.
    server.enqueue(Op::GetTranscript, Reply::json(200, json!(["not", "an", "object"])));
    let failure = call_err(&client(&server), Op::GetTranscript).await;
    assert_eq!(failure.kind, "Response", "{failure:?}");
}

/// The contrast: a response that is merely newer than the model (unknown members, unknown
/// enum values) is read, keeping the unknown values.
#[tokio::test]
async fn unknown_members_and_enum_values_are_tolerated() {
    let server = FakeService::start().await;
    server.enqueue(
        Op::GetTranscript,
        Reply::json(
            200,
            json!({
                "InitialContactId": "c-1",
                "Transcript": [{ "Id": "i-1", "Type": "HOLOGRAM", "ParticipantRole": "ROBOT", "NewMember": { "x": 1 } }],
                "SomethingNew": [1, 2, 3],
            }),
        ),
    );
    let output = client(&server).get_transcript(TOKEN).send().await.unwrap();
    let item = &output.transcript.unwrap()[0];
    assert!(matches!(&item.r#type, Some(ChatItemType::Unknown(v)) if v.as_str() == "HOLOGRAM"), "{item:?}");
    assert!(matches!(&item.participant_role, Some(ParticipantRole::Unknown(v)) if v.as_str() == "ROBOT"));
    assert_eq!(item.r#type.as_ref().map(|t| t.as_str()), Some("HOLOGRAM"));
}

/// A value that names a listed variant always reads as that variant, whatever way it arrives,
/// so an `Unknown` can never stand for a known value (and users cannot build one).
#[test]
fn known_enum_values_never_read_as_unknown() {
    for value in ChatItemType::values() {
        let parsed = ChatItemType::from(*value);
        assert!(!matches!(parsed, ChatItemType::Unknown(_)), "{value} read as {parsed:?}");
        assert_eq!(parsed.as_str(), *value);
        assert_eq!(value.parse::<ChatItemType>().unwrap(), parsed);
    }
    let unknown = ChatItemType::from("HOLOGRAM");
    assert!(matches!(&unknown, ChatItemType::Unknown(v) if v.to_string() == "HOLOGRAM"));
    // Case matters on the wire: `message` is not `MESSAGE`.
    assert!(matches!(ChatItemType::from("message"), ChatItemType::Unknown(_)));
}

/// A modeled error whose body is not JSON cannot be read: a response error, with the status.
#[tokio::test]
async fn modeled_error_with_unreadable_body_is_a_response_error() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::raw(403, &[("x-amzn-ErrorType", "AccessDeniedException")], "<not json>"));
    let failure = call_err(&client(&server), Op::SendMessage).await;
    assert_eq!(failure.kind, "Response", "{failure:?}");
    let raw = failure.raw.expect("raw response");
    assert_eq!(raw.status(), 403);
    assert_eq!(raw.body_text(), "<not json>");
}

// ---- Scenario 5: truncated and empty bodies ------------------------------------------------

/// `Content-Length: 200`, 30 bytes, then the connection is cut: a transport error, not a
/// half-parsed response.
#[tokio::test]
async fn truncated_body_is_a_transport_error() {
    let server = FakeService::start().await;
    server.enqueue(
        Op::SendMessage,
        Reply::Truncated { declared: 200, sent: r#"{"Id":"msg-0001","AbsoluteTime":"#.into() },
    );
    let failure = call_err(&client_without_retries(&server), Op::SendMessage).await;
    assert_eq!(failure.kind, "Transport", "{failure:?}");
    assert!(failure.raw.is_none());
    assert_eq!(server.request_count(), 1);
}

/// 200 with an empty body: every output member is optional (or, for GetAttachment's
/// required size, error-corrected to its zero value), so every operation succeeds.
#[tokio::test]
async fn empty_200_body_gives_empty_outputs() {
    let server = FakeService::start().await;
    let client = client(&server);
    for op in ALL_OPS {
        server.enqueue(op, Reply::raw(200, &[], ""));
    }
    let sent = client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(sent, connectparticipant::operation::send_message::SendMessageOutput::new());
    let transcript = client.get_transcript(TOKEN).send().await.unwrap();
    assert_eq!(transcript, connectparticipant::operation::get_transcript::GetTranscriptOutput::new());
    let view = client.describe_view("view-token-1", TOKEN).send().await.unwrap();
    assert!(view.view.is_none());
    let connection = client.create_participant_connection(TOKEN).send().await.unwrap();
    assert!(connection.websocket.is_none() && connection.connection_credentials.is_none());
    let attachment = client.get_attachment("att-0001", TOKEN).send().await.unwrap();
    assert_eq!(attachment.attachment_size_in_bytes, 0);
    assert_eq!(attachment.url, None);
    for op in [
        Op::CancelParticipantAuthentication,
        Op::CompleteAttachmentUpload,
        Op::DisconnectParticipant,
        Op::GetAuthenticationUrl,
        Op::SendEvent,
        Op::StartAttachmentUpload,
    ] {
        call(&client, op).await.unwrap_or_else(|f| panic!("{op} with an empty 200 body: {f:?}"));
    }
    assert_eq!(server.request_count(), 11);
}

// ---- Errors users build in their own tests --------------------------------------------------

/// Every kind of `Error` can be made without a server, so that a program's error handling can
/// be unit-tested: a modeled service error with its raw response, an unhandled one, a
/// timeout, a transport failure, an unreadable response.
#[test]
fn users_can_build_every_error_for_their_own_tests() {
    use connectparticipant::error::{
        RawResponse, ResponseError, ServiceError, TimeoutError, TimeoutKind, TransportError, UnhandledError,
    };
    use connectparticipant::types::error::ThrottlingException;

    let mut headers = connectparticipant::transport::http::HeaderMap::new();
    headers.insert("x-amzn-RequestId", "req-42".parse().unwrap());
    let raw = RawResponse::new(429, headers, &b"{\"message\":\"slow down\"}"[..]);
    let throttled: Error<SendMessageError> = Error::Service(ServiceError {
        error: SendMessageError::ThrottlingException(ThrottlingException::new("slow down")),
        raw: raw.clone(),
    });
    assert!(matches!(throttled.service_error(), Some(SendMessageError::ThrottlingException(_))));
    assert_eq!(throttled.raw_response().and_then(|r| r.request_id()), Some("req-42"));
    assert_eq!(throttled.service_error().and_then(|e| e.message()), Some("slow down"));

    let unhandled: Error<SendMessageError> = Error::Service(ServiceError {
        error: SendMessageError::Unhandled(UnhandledError::new(418, Some("Teapot".to_owned()), None, &b"{}"[..])),
        raw: raw.clone(),
    });
    assert_eq!(unhandled.service_error().and_then(|e| e.code()), Some("Teapot"));

    let timeout: Error<SendMessageError> =
        Error::Timeout(TimeoutError { kind: TimeoutKind::Attempt, after: std::time::Duration::from_secs(3) });
    assert_eq!(timeout.to_string(), "attempt timeout after 3s");

    let transport: Error<SendMessageError> = Error::Transport(TransportError::msg("connection reset"));
    assert!(transport.raw_response().is_none());

    let unreadable: Error<SendMessageError> =
        Error::Response(ResponseError { message: "expected an object".to_owned(), raw });
    assert_eq!(unreadable.raw_response().map(RawResponse::status), Some(429));
}
