//! Scenario 16: the blocking facade (feature `blocking`), called from plain threads with no
//! async runtime of their own, against the fake service (which runs on a runtime of its own, in
//! other threads, as a real server would).

use connectparticipant::blocking;
use connectparticipant::config::RetryConfig;
use connectparticipant::error::Error;
use connectparticipant::operation::send_message::SendMessageError;

use super::server::{FakeService, Op, Reply, message_item};
use super::support::{SESSION_ID, TOKEN, fast_retry};

/// Caller-chosen idempotency tokens (the fake wants UUID v4s).
const CLIENT_TOKENS: [&str; 2] = ["0b7c4f7e-3a51-4e0a-9c1d-6f2b8e4d5a01", "5d2e9a10-7c3b-4f64-8a9e-1b0c2d3e4f52"];

/// The fake service on a runtime of its own (its tasks run on that runtime's worker thread),
/// so that the test's thread has no runtime, like a program without one.
struct Service {
    server: FakeService,
    _runtime: tokio::runtime::Runtime,
}

impl Service {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let server = runtime.block_on(FakeService::start());
        Self { server, _runtime: runtime }
    }

    fn client(&self, retry: RetryConfig) -> blocking::Client {
        let config = connectparticipant::Config::builder()
            .region("us-east-1")
            .endpoint_url(self.server.url())
            .retry(retry)
            .build()
            .expect("valid config");
        blocking::Client::new(config).expect("a runtime")
    }
}

#[test]
fn every_operation_is_called_without_await() {
    let service = Service::start();
    let client = service.client(fast_retry());
    client.cancel_participant_authentication(SESSION_ID, TOKEN).send().unwrap();
    client.complete_attachment_upload(["att-0001"], TOKEN).client_token(CLIENT_TOKENS[0]).send().unwrap();
    let connection = client.create_participant_connection(TOKEN).connect_participant(true).send().unwrap();
    assert!(connection.connection_credentials.and_then(|c| c.connection_token).is_some());
    client.describe_view("view-token-1", TOKEN).send().unwrap();
    client.disconnect_participant(TOKEN).send().unwrap();
    client.get_attachment("att-0001", TOKEN).send().unwrap();
    client.get_authentication_url("https://example.com/callback", SESSION_ID, TOKEN).send().unwrap();
    client.get_transcript(TOKEN).max_results(5).send().unwrap();
    client.send_event("application/vnd.amazonaws.connect.event.typing", TOKEN).send().unwrap();
    let sent = client
        .send_message("Hello", "text/plain", TOKEN)
        .set_client_token(Some(CLIENT_TOKENS[1].into()))
        .send()
        .unwrap();
    assert_eq!(sent.id.as_deref(), Some("msg-0001"));
    client.start_attachment_upload("screenshot.png", 48213, "image/png", TOKEN).send().unwrap();

    let requests = service.server.requests();
    assert_eq!(requests.len(), 11, "one request per operation");
    // GET requests have no body.
    let tokens: Vec<String> = requests.iter().filter(|r| !r.body.is_empty()).filter_map(|r| r.client_token()).collect();
    assert!(CLIENT_TOKENS.iter().all(|token| tokens.iter().any(|t| t == token)), "{tokens:?}");
}

#[test]
fn errors_and_retries_are_the_async_clients() {
    let service = Service::start();
    service.server.enqueue(Op::SendMessage, Reply::error(500, "InternalServerException", "try again"));
    service.server.enqueue(Op::SendMessage, Reply::error(403, "AccessDeniedException", "no"));
    let client = service.client(fast_retry());
    let error = client.send_message("hi", "text/plain", TOKEN).send().unwrap_err();
    assert!(matches!(error.service_error(), Some(SendMessageError::AccessDeniedException(e)) if e.message == "no"));
    assert_eq!(service.server.request_count(), 2, "the 500 was retried, the 403 was not");
}

#[test]
fn pages_and_items_are_iterators() {
    let service = Service::start();
    service.server.set_transcript((0..23).map(message_item).collect());
    let client = service.client(fast_retry());
    let contents: Vec<String> = client
        .get_transcript(TOKEN)
        .max_results(5)
        .into_items()
        .map(|item| item.expect("item").content.unwrap())
        .collect();
    assert_eq!(contents, (0..23).map(|i| format!("message {i}")).collect::<Vec<_>>());
    let sizes: Vec<usize> = client
        .get_transcript(TOKEN)
        .max_results(10)
        .into_paginator()
        .map(|page| page.expect("page").transcript.unwrap_or_default().len())
        .collect();
    assert_eq!(sizes, [10, 10, 3]);
    assert_eq!(service.server.request_count(), 5 + 3);
}

#[test]
fn clones_share_the_runtime_and_calls_run_from_many_threads() {
    let service = Service::start();
    let client = service.client(fast_retry());
    std::thread::scope(|scope| {
        for index in 0..4 {
            let client = client.clone();
            scope.spawn(move || {
                client.send_message(format!("from thread {index}"), "text/plain", TOKEN).send().unwrap()
            });
        }
    });
    assert_eq!(service.server.request_count(), 4);
}

/// Inside an async runtime a blocking call would stall the runtime's thread (and Tokio would
/// panic): it fails at once, with a build error saying what to use instead, and sends nothing.
#[tokio::test]
async fn a_call_inside_an_async_runtime_is_an_error_not_a_panic() {
    let server = FakeService::start().await;
    let config = connectparticipant::Config::builder().region("us-east-1").endpoint_url(server.url()).build().unwrap();
    let client = blocking::Client::new(config).unwrap();
    let error = client.send_message("hi", "text/plain", TOKEN).send().unwrap_err();
    assert!(matches!(error, Error::Build(_)), "{error:?}");
    assert!(error.to_string().contains("inside an async runtime"), "{error}");
    let item = client.get_transcript(TOKEN).into_items().next().expect("one item: the error");
    assert!(matches!(item, Err(Error::Build(_))), "{item:?}");
    assert_eq!(server.request_count(), 0);
    // Dropping the client (and its runtime) here does not panic either.
    drop(client);
}
