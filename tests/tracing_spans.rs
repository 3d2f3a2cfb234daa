//! Observability: each call opens an `operation` span and one `attempt` span per attempt, with
//! the operation name, attempt number and response status; no token or body ever reaches the
//! logs.

use std::sync::Mutex;

use connectparticipant::transport::{Bytes, HttpClient, HttpRequest, ResponseFuture, http};
use connectparticipant::{Client, Config};
use workspace_tests::log::Log;

/// Answers 500 once, then 200.
#[derive(Default)]
struct FlakyOnce(Mutex<u32>);

impl HttpClient for FlakyOnce {
    fn send(&self, _: HttpRequest) -> ResponseFuture<'_> {
        let mut calls = self.0.lock().unwrap();
        *calls += 1;
        let status = if *calls == 1 { 500 } else { 200 };
        Box::pin(async move {
            Ok(http::Response::builder().status(status).body(Bytes::from_static(br#"{"Id":"m-1"}"#)).unwrap())
        })
    }
}

#[test]
fn spans_per_operation_and_attempt_without_secrets() {
    let log = Log::default();
    let config = Config::builder()
        .region("us-east-1")
        .retry(
            connectparticipant::config::RetryConfig::standard()
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .http_client(FlakyOnce::default())
        .build()
        .unwrap();
    let client = Client::new(config);
    tracing::subscriber::with_default(log.clone(), || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        runtime.block_on(client.send_message("a private message", "text/plain", "secret-bearer-token").send()).unwrap();
    });
    let lines = log.lines().join("\n");
    assert!(lines.contains("span operation{ service=\"ConnectParticipant\" operation=\"SendMessage\"}"), "{lines}");
    assert!(lines.contains("span attempt{ attempt=1}"), "{lines}");
    assert!(lines.contains("span attempt{ attempt=2}"), "{lines}");
    assert!(lines.contains("status=500"), "{lines}");
    assert!(lines.contains("status=200"), "{lines}");
    assert!(lines.contains("elapsed_ms="), "{lines}");
    assert!(!lines.contains("secret-bearer-token"), "a token reached the logs:\n{lines}");
    assert!(!lines.contains("a private message"), "a message body reached the logs:\n{lines}");
}
