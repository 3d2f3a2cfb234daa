//! Every operation on the wire, on exact bytes: the request each call produces (method, URI,
//! headers, body) and the output or error read from given response bytes. A recording
//! transport stands in for the network.

use std::sync::{Arc, Mutex};

use connectparticipant::transport::{Bytes, HttpClient, HttpRequest, HttpResponse, ResponseFuture, http};
use connectparticipant::types::{ConnectionType, ScanDirection, SortKey, StartPosition};
use connectparticipant::{Client, Config};

/// Records requests and answers each with the next canned response.
#[derive(Clone, Default)]
struct Recorder {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    responses: Arc<Mutex<Vec<HttpResponse>>>,
}

impl HttpClient for Recorder {
    fn send(&self, request: HttpRequest) -> ResponseFuture<'_> {
        self.requests.lock().unwrap().push(request);
        let response = self.responses.lock().unwrap().remove(0);
        Box::pin(async move { Ok(response) })
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::from(body.to_owned())).unwrap()
}

/// A client whose calls go to the recorder, answered by `answers` in order.
fn recording_client(answers: Vec<HttpResponse>) -> (Client, Recorder) {
    let recorder = Recorder::default();
    *recorder.responses.lock().unwrap() = answers;
    let config = Config::builder().region("us-west-2").http_client(recorder.clone()).build().unwrap();
    (Client::new(config), recorder)
}

fn ok(body: &str) -> HttpResponse {
    response(200, &[("content-type", "application/json")], body)
}

/// The one recorded request as `METHOD URI`, its headers (sorted, user-agent left out) and body.
fn recorded(recorder: &Recorder) -> (String, Vec<String>, String) {
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 1, "one request expected");
    let request = &requests[0];
    let mut headers: Vec<String> = request
        .headers()
        .iter()
        .filter(|(name, _)| *name != "user-agent")
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()))
        .collect();
    headers.sort();
    let body = String::from_utf8(request.body().to_vec()).unwrap();
    (format!("{} {}", request.method(), request.uri()), headers, body)
}

const HOST: &str = "https://participant.connect.us-west-2.amazonaws.com";

fn json_headers(body: &str, token: &str) -> Vec<String> {
    vec![
        format!("content-length: {}", body.len()),
        "content-type: application/json".to_owned(),
        format!("x-amz-bearer: {token}"),
    ]
}

#[tokio::test]
async fn send_message_bytes() {
    let (client, recorder) = recording_client(vec![ok(
        r#"{"Id":"m-1","AbsoluteTime":"2024-05-01T12:30:00.000Z","MessageMetadata":{"MessageProcessingStatus":"PROCESSING"}}"#,
    )]);
    let output = client.send_message("Hello \"you\"", "text/plain", "conn").client_token("t-1").send().await.unwrap();
    let (line, headers, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/message"));
    let expected = r#"{"ContentType":"text/plain","Content":"Hello \"you\"","ClientToken":"t-1"}"#;
    assert_eq!(body, expected);
    assert_eq!(headers, json_headers(expected, "conn"));
    assert_eq!(output.id.as_deref(), Some("m-1"));
    assert_eq!(output.absolute_time.as_deref(), Some("2024-05-01T12:30:00.000Z"));
    let status = output.message_metadata.unwrap().message_processing_status.unwrap();
    assert_eq!(status, connectparticipant::types::MessageProcessingStatus::Processing);
}

#[tokio::test]
async fn send_event_fills_a_uuid_client_token() {
    let (client, recorder) = recording_client(vec![ok(r#"{"Id":"e-1"}"#)]);
    client.send_event("application/vnd.amazonaws.connect.event.typing", "conn").send().await.unwrap();
    let (line, _, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/event"));
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["ContentType"], "application/vnd.amazonaws.connect.event.typing");
    let token = body["ClientToken"].as_str().unwrap();
    assert_eq!(token.len(), 36, "a UUID: {token}");
    assert_eq!(token.as_bytes()[14], b'4', "version 4: {token}");
    assert!(body.get("Content").is_none(), "unset members are not sent");
}

#[tokio::test]
async fn create_participant_connection_bytes() {
    let (client, recorder) = recording_client(vec![ok(r#"{
        "Websocket": {"Url": "wss://example/ws", "ConnectionExpiry": "2024-05-02T00:00:00Z"},
        "ConnectionCredentials": {"ConnectionToken": "conn-token", "Expiry": "2024-05-02T00:00:00Z"}
    }"#)]);
    let output = client
        .create_participant_connection("participant")
        .r#type([ConnectionType::Websocket, ConnectionType::ConnectionCredentials])
        .connect_participant(true)
        .send()
        .await
        .unwrap();
    let (line, headers, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/connection"));
    let expected = r#"{"Type":["WEBSOCKET","CONNECTION_CREDENTIALS"],"ConnectParticipant":true}"#;
    assert_eq!(body, expected);
    assert_eq!(headers, json_headers(expected, "participant"));
    assert_eq!(output.websocket.unwrap().url.as_deref(), Some("wss://example/ws"));
    assert_eq!(output.connection_credentials.unwrap().connection_token.as_deref(), Some("conn-token"));
    assert!(output.web_rtc_connection.is_none());
}

#[tokio::test]
async fn describe_view_is_a_get_with_an_encoded_label_and_no_body() {
    let (client, recorder) = recording_client(vec![ok(
        r#"{"View":{"Id":"v","Name":"Form","Version":3,"Content":{"InputSchema":"{}","Template":"t","Actions":["Submit"]}}}"#,
    )]);
    let output = client.describe_view("a/b c?é", "conn").send().await.unwrap();
    let (line, headers, body) = recorded(&recorder);
    assert_eq!(line, format!("GET {HOST}/participant/views/a%2Fb%20c%3F%C3%A9"));
    assert_eq!(headers, vec!["x-amz-bearer: conn".to_owned()]);
    assert_eq!(body, "");
    let view = output.view.unwrap();
    assert_eq!(view.version, Some(3));
    let content = view.content.unwrap();
    assert_eq!(content.actions.as_deref(), Some(&["Submit".to_owned()][..]));
    let printed = format!("{content:?}");
    assert!(!printed.contains("Submit") && printed.contains("Redacted"), "sensitive view content printed: {printed}");
}

#[tokio::test]
async fn disconnect_participant_bytes() {
    let (client, recorder) = recording_client(vec![ok("{}")]);
    client.disconnect_participant("conn").client_token("t-2").send().await.unwrap();
    let (line, headers, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/disconnect"));
    assert_eq!(body, r#"{"ClientToken":"t-2"}"#);
    assert_eq!(headers, json_headers(&body, "conn"));
}

#[tokio::test]
async fn get_attachment_bytes() {
    let (client, recorder) = recording_client(vec![ok(
        r#"{"Url":"https://s3/x","UrlExpiry":"2024-05-01T12:35:00Z","AttachmentSizeInBytes":2048}"#,
    )]);
    let output = client.get_attachment("att-1", "conn").url_expiry_in_seconds(60).send().await.unwrap();
    let (line, _, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/attachment"));
    assert_eq!(body, r#"{"AttachmentId":"att-1","UrlExpiryInSeconds":60}"#);
    assert_eq!(output.attachment_size_in_bytes, 2048);
    assert_eq!(output.url.as_deref(), Some("https://s3/x"));
}

#[tokio::test]
async fn get_authentication_url_bytes() {
    let (client, recorder) = recording_client(vec![ok(r#"{"AuthenticationUrl":"https://auth/x"}"#)]);
    let session = "12345678-1234-1234-1234-123456789012";
    let output = client.get_authentication_url("https://app/cb", session, "conn").send().await.unwrap();
    let (line, _, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/authentication-url"));
    assert_eq!(body, format!(r#"{{"SessionId":"{session}","RedirectUri":"https://app/cb"}}"#));
    assert_eq!(output.authentication_url.as_deref(), Some("https://auth/x"));
}

#[tokio::test]
async fn cancel_participant_authentication_bytes() {
    let (client, recorder) = recording_client(vec![ok("")]);
    let session = "12345678-1234-1234-1234-123456789012";
    client.cancel_participant_authentication(session, "conn").send().await.unwrap();
    let (line, _, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/cancel-authentication"));
    assert_eq!(body, format!(r#"{{"SessionId":"{session}"}}"#));
}

#[tokio::test]
async fn get_transcript_bytes() {
    let (client, recorder) = recording_client(vec![ok(r#"{
        "InitialContactId": "c-0",
        "Transcript": [
            {"Id": "i-1", "Type": "MESSAGE", "ParticipantRole": "CUSTOMER", "Content": "hi",
             "Attachments": [{"AttachmentId": "a", "Status": "APPROVED"}],
             "MessageMetadata": {"MessageId": "i-1", "Receipts": [{"ReadTimestamp": "2024-05-01T12:31:00Z"}]}},
            {"Id": "i-2", "Type": "A_TYPE_FROM_THE_FUTURE", "ParticipantRole": "CUSTOM_BOT"}
        ],
        "NextToken": "n-2"
    }"#)]);
    let output = client
        .get_transcript("conn")
        .max_results(2)
        .scan_direction(ScanDirection::Backward)
        .sort_order(SortKey::Ascending)
        .start_position(StartPosition::new().most_recent(5))
        .send()
        .await
        .unwrap();
    let (line, _, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/transcript"));
    assert_eq!(
        body,
        r#"{"MaxResults":2,"ScanDirection":"BACKWARD","SortOrder":"ASCENDING","StartPosition":{"MostRecent":5}}"#
    );
    let items = output.transcript.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].r#type, Some(connectparticipant::types::ChatItemType::Message));
    assert_eq!(
        items[0].attachments.as_ref().unwrap()[0].status,
        Some(connectparticipant::types::ArtifactStatus::Approved)
    );
    let kept = match &items[1].r#type {
        Some(connectparticipant::types::ChatItemType::Unknown(value)) => value.as_str(),
        other => panic!("values the model does not list are kept as Unknown, got {other:?}"),
    };
    assert_eq!(kept, "A_TYPE_FROM_THE_FUTURE");
    assert_eq!(output.next_token.as_deref(), Some("n-2"));
}

#[tokio::test]
async fn start_and_complete_attachment_upload_bytes() {
    let (client, recorder) = recording_client(vec![ok(
        r#"{"AttachmentId":"att-9","UploadMetadata":{"Url":"https://s3/up","UrlExpiry":"2024-05-01T12:40:00Z","HeadersToInclude":{"x-amz-meta-a":"1"}}}"#,
    )]);
    let output =
        client.start_attachment_upload("a.png", 1024, "image/png", "conn").client_token("t-3").send().await.unwrap();
    let (line, _, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/start-attachment-upload"));
    assert_eq!(
        body,
        r#"{"ContentType":"image/png","AttachmentSizeInBytes":1024,"AttachmentName":"a.png","ClientToken":"t-3"}"#
    );
    let upload = output.upload_metadata.unwrap();
    assert_eq!(upload.headers_to_include.unwrap().get("x-amz-meta-a").map(String::as_str), Some("1"));

    let (second, recorder) = recording_client(vec![ok("{}")]);
    second.complete_attachment_upload(["att-9"], "conn").client_token("t-4").send().await.unwrap();
    let (line, _, body) = recorded(&recorder);
    assert_eq!(line, format!("POST {HOST}/participant/complete-attachment-upload"));
    assert_eq!(body, r#"{"AttachmentIds":["att-9"],"ClientToken":"t-4"}"#);
}

#[tokio::test]
async fn error_bytes_become_typed_errors() {
    let (client, _) = recording_client(vec![response(
        404,
        &[("x-amzn-ErrorType", "ResourceNotFoundException:http://internal/"), ("content-type", "application/json")],
        r#"{"message":"no such view","ResourceId":"v-1","ResourceType":"CONTACT_FLOW"}"#,
    )]);
    let err = client.describe_view("v-1", "conn").send().await.unwrap_err();
    let raw = err.raw_response().expect("the response is kept");
    assert_eq!(raw.status(), 404);
    let service = err.service_error().expect("a service error");
    let connectparticipant::operation::describe_view::DescribeViewError::ResourceNotFoundException(e) = service else {
        panic!("wrong variant: {service:?}")
    };
    assert_eq!(e.message.as_deref(), Some("no such view"));
    assert_eq!(e.resource_type, Some(connectparticipant::types::ResourceType::ContactFlow));
    assert_eq!(service.code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn debug_output_redacts_tokens() {
    let (client, _) = recording_client(vec![]);
    let builder = client.send_message("Hello", "text/plain", "secret-token");
    let printed = format!("{builder:?}");
    assert!(!printed.contains("secret-token"), "the bearer token leaked into Debug: {printed}");
    assert!(printed.contains("*** Sensitive Data Redacted ***"));
}
