//! Scenario 1: every operation succeeds; the parsed output and the request the server
//! received are both checked.

use std::collections::BTreeMap;

use connectparticipant::types::{
    ArtifactStatus, ChatItemType, ConnectionType, MeetingFeatureStatus, MessageProcessingStatus, ParticipantRole,
    ScanDirection, SortKey, StartPosition,
};
use serde_json::json;

use super::server::{FakeService, INITIAL_CONTACT_ID, Op, Recorded, Reply, is_uuid_v4};
use super::support::{SESSION_ID, TOKEN, client};

/// Checks what every POST operation sends: method, path, bearer, JSON content type, length.
fn assert_post(request: &Recorded, path: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, path);
    assert_eq!(request.query, None);
    assert_eq!(request.header("x-amz-bearer"), Some(TOKEN));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("content-length"), Some(request.body.len().to_string().as_str()));
    let agent = request.header("user-agent").expect("a User-Agent header");
    assert!(agent.starts_with("connectparticipant-rust/"), "{agent}");
}

/// The body without its `ClientToken`, after checking that the token is a fresh UUID v4.
fn body_without_token(request: &Recorded) -> serde_json::Value {
    let mut body = request.json();
    let token = body.as_object_mut().unwrap().remove("ClientToken").expect("a ClientToken in the body");
    assert!(is_uuid_v4(token.as_str().unwrap()), "ClientToken {token} is not a UUID v4");
    body
}

#[tokio::test]
async fn cancel_participant_authentication_succeeds() {
    let server = FakeService::start().await;
    let output = client(&server).cancel_participant_authentication(SESSION_ID, TOKEN).send().await.unwrap();
    assert_eq!(format!("{output:?}"), "CancelParticipantAuthenticationOutput { _request_id: None }");
    let request = server.only_request();
    assert_post(&request, "/participant/cancel-authentication");
    assert_eq!(request.json(), json!({ "SessionId": SESSION_ID }));
}

#[tokio::test]
async fn complete_attachment_upload_succeeds_with_a_generated_client_token() {
    let server = FakeService::start().await;
    client(&server).complete_attachment_upload(["att-0001"], TOKEN).send().await.unwrap();
    let request = server.only_request();
    assert_post(&request, "/participant/complete-attachment-upload");
    assert_eq!(body_without_token(&request), json!({ "AttachmentIds": ["att-0001"] }));
}

#[tokio::test]
async fn create_participant_connection_returns_websocket_and_credentials() {
    let server = FakeService::start().await;
    let output = client(&server)
        .create_participant_connection("participant-token-1")
        .r#type([ConnectionType::Websocket, ConnectionType::ConnectionCredentials])
        .connect_participant(true)
        .send()
        .await
        .unwrap();
    let websocket = output.websocket.expect("Websocket");
    assert!(websocket.url.as_deref().unwrap().starts_with("wss://"), "{websocket:?}");
    assert_eq!(websocket.connection_expiry.as_deref(), Some("2024-05-01T12:35:00.000Z"));
    let credentials = output.connection_credentials.expect("ConnectionCredentials");
    assert_eq!(credentials.connection_token.as_deref(), Some("QVFJREFIaGNvbm5lY3Rpb24tdG9rZW4="));
    assert_eq!(credentials.expiry.as_deref(), Some("2024-05-02T12:30:00.000Z"));
    assert!(output.web_rtc_connection.is_none());

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/participant/connection");
    assert_eq!(request.header("x-amz-bearer"), Some("participant-token-1"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), json!({ "ConnectParticipant": true, "Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"] }));
}

#[tokio::test]
async fn create_participant_connection_returns_webrtc_meeting_data() {
    let server = FakeService::start().await;
    let output = client(&server)
        .create_participant_connection("participant-token-1")
        .r#type([ConnectionType::WebrtcConnection])
        .send()
        .await
        .unwrap();
    assert!(output.websocket.is_none() && output.connection_credentials.is_none(), "{output:?}");
    let webrtc = output.web_rtc_connection.expect("WebRTCConnection");
    let attendee = webrtc.attendee.expect("Attendee");
    assert_eq!(attendee.attendee_id.as_deref(), Some("attendee-0001"));
    assert_eq!(attendee.join_token.as_deref(), Some("am9pbi10b2tlbg=="));
    let meeting = webrtc.meeting.expect("Meeting");
    assert_eq!(meeting.meeting_id.as_deref(), Some("6a1e8c0e-7a55-4bb8-b7b1-2c8d5e2f4a10"));
    let placement = meeting.media_placement.expect("MediaPlacement");
    assert_eq!(placement.signaling_url.as_deref(), Some("wss://signal.chime.aws/control"));
    assert_eq!(placement.audio_host_url.as_deref(), Some("https://audio.chime.aws/host"));
    assert_eq!(placement.audio_fallback_url.as_deref(), Some("wss://audio.chime.aws/fallback"));
    assert_eq!(placement.event_ingestion_url.as_deref(), Some("https://data.svc.chime.aws/v1/client-events"));
    let echo = meeting.meeting_features.and_then(|f| f.audio).and_then(|a| a.echo_reduction);
    assert_eq!(echo, Some(MeetingFeatureStatus::Available));
    assert_eq!(server.only_request().json(), json!({ "Type": ["WEBRTC_CONNECTION"] }));
}

#[tokio::test]
async fn describe_view_is_a_get_without_body_and_returns_the_view() {
    let server = FakeService::start().await;
    let output = client(&server).describe_view("view-token-1", TOKEN).send().await.unwrap();
    let view = output.view.expect("View");
    assert_eq!(view.id.as_deref(), Some("view-confirmation"));
    assert_eq!(view.name.as_deref(), Some("Confirmation"));
    assert_eq!(view.version, Some(3));
    assert!(view.arn.as_deref().unwrap().starts_with("arn:aws:connect:us-east-1:123456789012:instance/"));
    let content = view.content.expect("Content");
    assert_eq!(content.actions, Some(vec!["Confirm".to_owned(), "Cancel".to_owned()]));
    assert!(content.template.as_deref().unwrap().contains("\"Title\":\"Confirm\""));
    assert!(content.input_schema.as_deref().unwrap().contains("\"Heading\""));

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/participant/views/view-token-1");
    assert_eq!(request.view_token.as_deref(), Some("view-token-1"));
    assert_eq!(request.query, None);
    assert_eq!(request.header("x-amz-bearer"), Some(TOKEN));
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None, "a GET without body has no Content-Type");
}

#[tokio::test]
async fn disconnect_participant_succeeds_with_a_generated_client_token() {
    let server = FakeService::start().await;
    client(&server).disconnect_participant(TOKEN).send().await.unwrap();
    let request = server.only_request();
    assert_post(&request, "/participant/disconnect");
    assert_eq!(body_without_token(&request), json!({}));
}

#[tokio::test]
async fn get_attachment_returns_url_expiry_and_size() {
    let server = FakeService::start().await;
    let output = client(&server).get_attachment("att-0001", TOKEN).url_expiry_in_seconds(300).send().await.unwrap();
    assert_eq!(
        output.url.as_deref(),
        Some("https://connect-attachments.s3.amazonaws.com/att-0001?X-Amz-Signature=abc")
    );
    assert_eq!(output.url_expiry.as_deref(), Some("2024-05-01T12:35:00.000Z"));
    assert_eq!(output.attachment_size_in_bytes, 48213);
    let request = server.only_request();
    assert_post(&request, "/participant/attachment");
    assert_eq!(request.json(), json!({ "AttachmentId": "att-0001", "UrlExpiryInSeconds": 300 }));
}

#[tokio::test]
async fn get_authentication_url_succeeds() {
    let server = FakeService::start().await;
    let output = client(&server)
        .get_authentication_url("https://example.com/callback?state=1", SESSION_ID, TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        output.authentication_url.as_deref(),
        Some(format!("https://auth.example.com/authorize?session={SESSION_ID}").as_str())
    );
    let request = server.only_request();
    assert_post(&request, "/participant/authentication-url");
    assert_eq!(
        request.json(),
        json!({ "RedirectUri": "https://example.com/callback?state=1", "SessionId": SESSION_ID })
    );
}

#[tokio::test]
async fn get_transcript_returns_items_with_attachments_and_receipts() {
    let server = FakeService::start().await;
    let output = client(&server)
        .get_transcript(TOKEN)
        .contact_id(INITIAL_CONTACT_ID)
        .max_results(50)
        .scan_direction(ScanDirection::Forward)
        .sort_order(SortKey::Ascending)
        .start_position(StartPosition::new().most_recent(5))
        .send()
        .await
        .unwrap();
    assert_eq!(output.initial_contact_id.as_deref(), Some(INITIAL_CONTACT_ID));
    assert_eq!(output.next_token, None);
    let items = output.transcript.expect("Transcript");
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].r#type, Some(ChatItemType::Event));
    assert_eq!(items[0].participant_role, Some(ParticipantRole::Agent));
    assert_eq!(items[1].r#type, Some(ChatItemType::Message));
    assert_eq!(items[1].content.as_deref(), Some("Hello, how can I help?"));
    let receipts = items[1].message_metadata.as_ref().and_then(|m| m.receipts.clone()).expect("Receipts");
    assert_eq!(receipts[0].read_timestamp.as_deref(), Some("2024-05-01T12:00:09.000Z"));
    assert_eq!(receipts[0].recipient_participant_id.as_deref(), Some("participant-customer"));
    let attachments = items[2].attachments.clone().expect("Attachments");
    assert_eq!(attachments[0].attachment_name.as_deref(), Some("screenshot.png"));
    assert_eq!(attachments[0].status, Some(ArtifactStatus::Approved));
    assert_eq!(items[2].related_contact_id.as_deref(), Some("c0ffee00-0000-4000-8000-000000000001"));

    let request = server.only_request();
    assert_post(&request, "/participant/transcript");
    assert_eq!(
        request.json(),
        json!({
            "ContactId": INITIAL_CONTACT_ID,
            "MaxResults": 50,
            "ScanDirection": "FORWARD",
            "SortOrder": "ASCENDING",
            "StartPosition": { "MostRecent": 5 },
        })
    );
}

#[tokio::test]
async fn send_event_succeeds() {
    let server = FakeService::start().await;
    let output = client(&server)
        .send_event("application/vnd.amazonaws.connect.event.typing", TOKEN)
        .content("{\"typing\":true}")
        .send()
        .await
        .unwrap();
    assert_eq!(output.id.as_deref(), Some("evt-0001"));
    assert_eq!(output.absolute_time.as_deref(), Some("2024-05-01T12:30:00.000Z"));
    let request = server.only_request();
    assert_post(&request, "/participant/event");
    assert_eq!(
        body_without_token(&request),
        json!({ "Content": "{\"typing\":true}", "ContentType": "application/vnd.amazonaws.connect.event.typing" })
    );
}

#[tokio::test]
async fn send_message_succeeds() {
    let server = FakeService::start().await;
    let output = client(&server).send_message("Hello \"agent\"\n☕", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(output.id.as_deref(), Some("msg-0001"));
    assert_eq!(output.absolute_time.as_deref(), Some("2024-05-01T12:30:00.000Z"));
    let status = output.message_metadata.and_then(|m| m.message_processing_status);
    assert_eq!(status, Some(MessageProcessingStatus::Processing));
    let request = server.only_request();
    assert_post(&request, "/participant/message");
    assert_eq!(body_without_token(&request), json!({ "Content": "Hello \"agent\"\n☕", "ContentType": "text/plain" }));
}

#[tokio::test]
async fn a_successful_output_keeps_the_request_id() {
    use connectparticipant::RequestId;
    let server = FakeService::start().await;
    let headers = [("content-type", "application/json"), ("x-amzn-RequestId", "7f3c2a9e-request")];
    server.enqueue(Op::SendMessage, Reply::raw(200, &headers, r#"{"Id":"m-1"}"#));
    let output = client(&server).send_message("hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(output.request_id(), Some("7f3c2a9e-request"));
    assert_eq!(output.id.as_deref(), Some("m-1"));
    // Without the header there is none.
    let output = client(&server).send_message("hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(output.request_id(), None);
}

#[tokio::test]
async fn send_message_sends_a_caller_client_token_as_given() {
    let server = FakeService::start().await;
    let token = "0b0e5c1e-3b7d-4f3e-9a4e-1f2a3b4c5d6e";
    client(&server).send_message("Hi", "text/plain", TOKEN).client_token(token).send().await.unwrap();
    assert_eq!(server.only_request().client_token().as_deref(), Some(token));
}

#[tokio::test]
async fn start_attachment_upload_returns_upload_metadata_with_headers() {
    let server = FakeService::start().await;
    let output =
        client(&server).start_attachment_upload("screenshot.png", 48213, "image/png", TOKEN).send().await.unwrap();
    assert_eq!(output.attachment_id.as_deref(), Some("att-0001"));
    let upload = output.upload_metadata.expect("UploadMetadata");
    assert!(upload.url.as_deref().unwrap().starts_with("https://connect-attachments.s3.amazonaws.com/"));
    assert_eq!(upload.url_expiry.as_deref(), Some("2024-05-01T12:35:00.000Z"));
    let expected: BTreeMap<String, String> = [
        ("Content-Type".to_owned(), "image/png".to_owned()),
        ("x-amz-meta-attachment-name".to_owned(), "screenshot.png".to_owned()),
    ]
    .into();
    assert_eq!(upload.headers_to_include, Some(expected));
    let request = server.only_request();
    assert_post(&request, "/participant/start-attachment-upload");
    assert_eq!(
        body_without_token(&request),
        json!({ "AttachmentName": "screenshot.png", "AttachmentSizeInBytes": 48213, "ContentType": "image/png" })
    );
}

/// The same call made twice carries two different idempotency tokens.
#[tokio::test]
async fn each_call_gets_a_fresh_client_token() {
    let server = FakeService::start().await;
    let client = client(&server);
    for _ in 0..2 {
        client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap();
    }
    let tokens: Vec<_> = server.requests().iter().map(|r| r.client_token().unwrap()).collect();
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0], tokens[1]);
    assert!(server.requests().iter().all(|r| r.op == Some(Op::SendMessage)));
}
