//! Scenarios 6 to 9: retries (with the same idempotency token), throttling, timeouts and
//! broken connections.

use std::time::{Duration, Instant};

use connectparticipant::Error;
use connectparticipant::config::TimeoutConfig;
use connectparticipant::error::TimeoutKind;
use connectparticipant::operation::send_message::SendMessageError;

use super::server::{FakeService, Op, Reply};
use super::support::{TOKEN, TOKEN_OPS, call, call_err, client, client_with, fast_retry};

// ---- Scenario 6: 500 then success ----------------------------------------------------------

/// For every operation with an idempotency token: a 500 is retried, and the retry is the same
/// request, with the same `ClientToken`.
#[tokio::test]
async fn server_error_then_success_is_retried_with_the_same_client_token() {
    let server = FakeService::start().await;
    let client = client(&server);
    for op in TOKEN_OPS {
        server.enqueue(op, Reply::error(500, "InternalServerException", "try again"));
        call(&client, op).await.unwrap_or_else(|f| panic!("{op}: {f:?}"));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2 * TOKEN_OPS.len(), "{requests:#?}");
    for (pair, op) in requests.chunks(2).zip(TOKEN_OPS) {
        assert_eq!(pair[0].op, Some(op));
        assert_eq!(pair[1].op, Some(op));
        let token = pair[0].client_token().expect("a ClientToken");
        assert_eq!(pair[1].client_token().as_deref(), Some(token.as_str()), "{op}: the retry changed the token");
        assert_eq!(pair[0].body, pair[1].body, "{op}: the retry is not the same body");
        assert_eq!(pair[0].header("x-amz-bearer"), pair[1].header("x-amz-bearer"));
    }
}

/// 502, 503 and 504 without a code are transient too.
#[tokio::test]
async fn gateway_errors_are_retried() {
    let server = FakeService::start().await;
    for status in [502, 503, 504] {
        server.enqueue(Op::GetTranscript, Reply::raw(status, &[], "upstream unavailable"));
    }
    let client = client_with(&server, fast_retry().with_max_attempts(4), TimeoutConfig::default());
    let output = client.get_transcript(TOKEN).send().await.unwrap();
    assert_eq!(output.transcript.map(|t| t.len()), Some(3));
    assert_eq!(server.request_count(), 4);
}

// ---- Scenario 7: throttling until attempts run out; errors that are not retried ------------

#[tokio::test]
async fn throttling_is_retried_until_max_attempts_then_returned() {
    let server = FakeService::start().await;
    server.always(Op::SendMessage, Reply::error(429, "ThrottlingException", "Rate exceeded"));
    let client = client_with(&server, fast_retry().with_max_attempts(4), TimeoutConfig::default());
    let error = client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err();
    assert_eq!(error.raw_response().map(|r| r.status()), Some(429));
    match error.into_service_error() {
        Some(SendMessageError::ThrottlingException(e)) => assert_eq!(e.message, "Rate exceeded"),
        other => panic!("expected ThrottlingException, got {other:?}"),
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "exactly max_attempts requests");
    assert!(requests.windows(2).all(|w| w[0].body == w[1].body), "every attempt sends the same body");
}

/// A throttling code with a status other than 429 is retried too.
#[tokio::test]
async fn throttling_code_on_400_is_retried() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::error(400, "ThrottlingException", "Rate exceeded"));
    client(&server).send_message("Hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(server.request_count(), 2);
}

/// A bare 429 (a proxy's, without code or JSON body) is throttling too.
#[tokio::test]
async fn bare_429_is_retried() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::raw(429, &[("Content-Type", "text/plain")], "Too Many Requests"));
    client(&server).send_message("Hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn validation_and_access_denied_errors_are_not_retried() {
    for (status, code) in [(400, "ValidationException"), (403, "AccessDeniedException")] {
        let server = FakeService::start().await;
        server.always(Op::SendMessage, Reply::error(status, code, "no"));
        let client = client_with(&server, fast_retry().with_max_attempts(5), TimeoutConfig::default());
        let failure = call_err(&client, Op::SendMessage).await;
        assert_eq!(failure.variant, Some(code), "{failure:?}");
        assert_eq!(server.request_count(), 1, "{code} must not be retried");
    }
}

// ---- Scenario 8: timeouts ------------------------------------------------------------------

const SLOW: Duration = Duration::from_secs(5);

#[tokio::test]
async fn attempt_timeout_is_retried_then_returned() {
    let server = FakeService::start().await;
    server.always(Op::SendMessage, Reply::Service.after(SLOW));
    let limit = Duration::from_millis(150);
    let client = client_with(&server, fast_retry(), TimeoutConfig::default().with_attempt(Some(limit)));
    let started = Instant::now();
    let error = client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err();
    let elapsed = started.elapsed();
    let Error::Timeout(timeout) = &error else { panic!("expected Error::Timeout, got {error:?}") };
    assert_eq!(timeout.kind, TimeoutKind::Attempt);
    assert_eq!(timeout.after, limit);
    assert_eq!(server.request_count(), 3, "each of the 3 attempts reached the server");
    assert!(elapsed >= 3 * limit, "{elapsed:?}");
    assert!(elapsed < SLOW, "{elapsed:?}");
    let tokens: Vec<_> = server.requests().iter().map(|r| r.client_token()).collect();
    assert!(tokens.windows(2).all(|w| w[0] == w[1]), "{tokens:?}");
}

#[tokio::test]
async fn attempt_timeout_then_a_prompt_answer_succeeds() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::Service.after(SLOW));
    let client =
        client_with(&server, fast_retry(), TimeoutConfig::default().with_attempt(Some(Duration::from_millis(150))));
    let output = client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(output.id.as_deref(), Some("msg-0001"));
    assert_eq!(server.request_count(), 2);
}

/// The attempt timeout covers reading the body: headers arrive at once, the body never ends.
#[tokio::test]
async fn attempt_timeout_covers_a_stalled_body() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::Stall { declared: 100, sent: r#"{"Id":"#.into() });
    let limit = Duration::from_millis(150);
    let client =
        client_with(&server, fast_retry().with_max_attempts(1), TimeoutConfig::default().with_attempt(Some(limit)));
    let error = client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err();
    assert!(matches!(&error, Error::Timeout(t) if t.kind == TimeoutKind::Attempt), "{error:?}");
    // With retries, the next attempt gets a whole answer.
    server.enqueue(Op::SendMessage, Reply::Stall { declared: 100, sent: r#"{"Id":"#.into() });
    let client = client_with(&server, fast_retry(), TimeoutConfig::default().with_attempt(Some(limit)));
    let output = client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(output.id.as_deref(), Some("msg-0001"));
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn operation_timeout_bounds_a_slow_call() {
    let server = FakeService::start().await;
    server.always(Op::GetTranscript, Reply::Service.after(SLOW));
    let limit = Duration::from_millis(300);
    let client = client_with(&server, fast_retry(), TimeoutConfig::default().with_operation(Some(limit)));
    let started = Instant::now();
    let error = client.get_transcript(TOKEN).send().await.unwrap_err();
    let elapsed = started.elapsed();
    let Error::Timeout(timeout) = &error else { panic!("expected Error::Timeout, got {error:?}") };
    assert_eq!(timeout.kind, TimeoutKind::Operation);
    assert_eq!(timeout.after, limit);
    assert!(elapsed >= limit && elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(server.request_count(), 1);
}

/// The operation timeout covers retries and backoff: failing attempts of 100 ms each stop at
/// 350 ms, although 10 attempts are allowed.
#[tokio::test]
async fn operation_timeout_covers_retries() {
    let server = FakeService::start().await;
    server.always(
        Op::SendMessage,
        Reply::error(500, "InternalServerException", "down").after(Duration::from_millis(100)),
    );
    let limit = Duration::from_millis(350);
    let client =
        client_with(&server, fast_retry().with_max_attempts(10), TimeoutConfig::default().with_operation(Some(limit)));
    let error = client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_err();
    let Error::Timeout(timeout) = &error else { panic!("expected Error::Timeout, got {error:?}") };
    assert_eq!(timeout.kind, TimeoutKind::Operation);
    let count = server.request_count();
    assert!((2..=4).contains(&count), "{count} attempts within {limit:?}");
}

// ---- Scenario 9: connections closed mid-exchange -------------------------------------------

#[tokio::test]
async fn connection_closed_without_response_is_retried() {
    let server = FakeService::start().await;
    server.enqueue(Op::SendMessage, Reply::Close);
    let output = client(&server).send_message("Hi", "text/plain", TOKEN).send().await.unwrap();
    assert_eq!(output.id.as_deref(), Some("msg-0001"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].client_token(), requests[1].client_token());
}

#[tokio::test]
async fn connection_cut_mid_body_is_retried() {
    let server = FakeService::start().await;
    server
        .enqueue(Op::GetAttachment, Reply::Truncated { declared: 150, sent: r#"{"Url":"https://connect-att"#.into() });
    let output = client(&server).get_attachment("att-0001", TOKEN).send().await.unwrap();
    assert_eq!(output.attachment_size_in_bytes, 48213);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn connection_closed_on_every_attempt_is_a_transport_error() {
    let server = FakeService::start().await;
    server.always(Op::SendEvent, Reply::Close);
    let failure = call_err(&client(&server), Op::SendEvent).await;
    assert_eq!(failure.kind, "Transport", "{failure:?}");
    assert_eq!(server.request_count(), 3, "3 attempts");
}

/// A port where nothing listens: connection refused, retried, then a transport error.
#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let server = FakeService::start().await;
    let url = server.url();
    drop(server);
    // Wait until the listener is really gone (the accept task is aborted asynchronously).
    let addr = url.trim_start_matches("http://").to_owned();
    while tokio::net::TcpStream::connect(&addr).await.is_ok() {
        tokio::task::yield_now().await;
    }
    let config = connectparticipant::Config::builder().endpoint_url(url).retry(fast_retry()).build().unwrap();
    let error = connectparticipant::Client::new(config).disconnect_participant(TOKEN).send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}
