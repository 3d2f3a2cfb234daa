//! The fake service's own checks: hand-made requests that the real service would refuse are
//! refused with a message saying why. Without this, a fake that accepted anything would let
//! every other scenario pass.

use connectparticipant::transport::{DefaultHttpClient, HttpClient, http};
use hyper::body::Bytes;
use serde_json::Value;

use super::server::FakeService;
use super::support::TOKEN;

struct Answer {
    status: u16,
    code: Option<String>,
    message: String,
}

async fn send(server: &FakeService, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut request = http::Request::builder().method(method).uri(format!("{}{path}", server.url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Bytes::from(body.to_owned())).unwrap();
    let response = DefaultHttpClient::new(None).send(request).await.expect("the fake answers");
    let json: Value = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
    Answer {
        status: response.status().as_u16(),
        code: response.headers().get("x-amzn-errortype").map(|v| v.to_str().unwrap().to_owned()),
        message: json.get("message").and_then(Value::as_str).unwrap_or_default().to_owned(),
    }
}

const JSON: (&str, &str) = ("Content-Type", "application/json");
const BEARER: (&str, &str) = ("X-Amz-Bearer", TOKEN);
const UUID: &str = "0b0e5c1e-3b7d-4f3e-9a4e-1f2a3b4c5d6e";

#[tokio::test]
async fn fake_service_refuses_bad_requests_with_explanations() {
    let server = FakeService::start().await;
    let ok_message = format!(r#"{{"Content":"Hi","ContentType":"text/plain","ClientToken":"{UUID}"}}"#);
    let answer = send(&server, "POST", "/participant/message", &[JSON, BEARER], &ok_message).await;
    assert_eq!((answer.status, answer.code), (200, None), "a valid request is accepted: {}", answer.message);

    // (method, path, headers, body, what the refusal must say)
    type Case = (&'static str, &'static str, Vec<(&'static str, &'static str)>, String, &'static str);
    let cases: Vec<Case> = vec![
        ("POST", "/participant/message", vec![JSON], ok_message.clone(), "missing X-Amz-Bearer"),
        ("POST", "/participant/message", vec![JSON, ("X-Amz-Bearer", "")], ok_message.clone(), "empty X-Amz-Bearer"),
        (
            "POST",
            "/participant/message",
            vec![("Content-Type", "text/plain"), BEARER],
            ok_message.clone(),
            "Content-Type must be application/json",
        ),
        ("POST", "/participant/message?x=1", vec![JSON, BEARER], ok_message.clone(), "unexpected query"),
        ("POST", "/participant/message", vec![JSON, BEARER], "{\"Content\":".into(), "not JSON"),
        (
            "POST",
            "/participant/message",
            vec![JSON, BEARER],
            format!(r#"{{"ContentType":"text/plain","ClientToken":"{UUID}"}}"#),
            "missing required member Content",
        ),
        (
            "POST",
            "/participant/message",
            vec![JSON, BEARER],
            format!(r#"{{"Content":5,"ContentType":"text/plain","ClientToken":"{UUID}"}}"#),
            "Content must be a string",
        ),
        (
            "POST",
            "/participant/message",
            vec![JSON, BEARER],
            r#"{"Content":"Hi","ContentType":"text/plain"}"#.into(),
            "missing required member ClientToken",
        ),
        (
            "POST",
            "/participant/message",
            vec![JSON, BEARER],
            r#"{"Content":"Hi","ContentType":"text/plain","ClientToken":"token-1"}"#.into(),
            "not a UUID v4",
        ),
        (
            "POST",
            "/participant/message",
            vec![JSON, BEARER],
            format!(r#"{{"Content":"Hi","ContentType":"text/plain","ClientToken":"{UUID}","ConnectionToken":"x"}}"#),
            "unexpected member \"ConnectionToken\"",
        ),
        (
            "POST",
            "/participant/transcript",
            vec![JSON, BEARER],
            r#"{"StartPosition":{"MostRecent":101}}"#.into(),
            "MostRecent must be between 0 and 100",
        ),
        (
            "POST",
            "/participant/transcript",
            vec![JSON, BEARER],
            r#"{"NextToken":"forged"}"#.into(),
            "invalid NextToken",
        ),
        (
            "POST",
            "/participant/complete-attachment-upload",
            vec![JSON, BEARER],
            format!(r#"{{"AttachmentIds":["a","b"],"ClientToken":"{UUID}"}}"#),
            "exactly 1 item",
        ),
        ("GET", "/participant/views/v1", vec![JSON, BEARER], "{}".into(), "GET with a body"),
        ("GET", "/participant/views/v1", vec![], String::new(), "missing X-Amz-Bearer"),
    ];
    for (method, path, headers, body, expected) in cases {
        let answer = send(&server, method, path, &headers, &body).await;
        assert_eq!(answer.status, 400, "{method} {path} {body}: {}", answer.message);
        assert_eq!(answer.code.as_deref(), Some("ValidationException"));
        assert!(answer.message.contains(expected), "{method} {path} {body}: {:?} lacks {expected:?}", answer.message);
    }

    for (method, path) in [
        ("GET", "/participant/message"),
        ("POST", "/participant/views/v1"),
        ("GET", "/participant/views/a/b"),
        ("POST", "/participant/unknown"),
        ("GET", "/participant/views/truncated%2"),
    ] {
        let answer = send(&server, method, path, &[JSON, BEARER], "").await;
        assert_eq!(answer.status, 404, "{method} {path}: {}", answer.message);
        assert_eq!(answer.code.as_deref(), Some("UnknownOperationException"), "{method} {path}");
    }
}
