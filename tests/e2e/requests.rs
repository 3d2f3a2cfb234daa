//! Scenarios 10, 11 and 14: path-label escaping, validation before sending, endpoints.

use connectparticipant::config::ConfigBuilder;
use connectparticipant::error::ValidationError;
use connectparticipant::types::StartPosition;
use connectparticipant::{Client, Config, Error};

use super::server::{FakeService, Op};
use super::support::{SESSION_ID, TOKEN, fast_retry};

// ---- Scenario 10: path labels --------------------------------------------------------------

/// Whatever a ViewToken holds, it travels as exactly one path segment and the server decodes
/// it back to the same text.
#[tokio::test]
async fn describe_view_token_is_one_segment_and_round_trips() {
    let server = FakeService::start().await;
    let client = super::support::client(&server);
    let tokens = [
        "a/b/c",
        "what?x=1&y=2",
        "frag#ment",
        "100%",
        "%2F-already-encoded",
        "with space",
        "plus+sign",
        "semi;colon,comma=equals",
        "café ☕ 日本語 🎉",
        "../..",
        "tilde~dot.dash-under_score",
        "AAEAAf/+base64==",
    ];
    for token in tokens {
        let output = client.describe_view(token, TOKEN).send().await;
        assert!(output.is_ok(), "{token:?}: {output:?}");
        let request = server.requests().pop().unwrap();
        assert_eq!(request.op, Some(Op::DescribeView), "{token:?}: routed elsewhere: {}", request.path);
        assert_eq!(request.view_token.as_deref(), Some(token), "{token:?} arrived as {}", request.path);
        let segment = request.path.strip_prefix("/participant/views/").expect("under /participant/views/");
        assert!(!segment.contains('/'), "{token:?} spans several segments: {}", request.path);
        assert!(segment.is_ascii(), "{}", request.path);
        assert_eq!(request.query, None, "{token:?} leaked into the query");
    }
    // Unreserved characters are sent as they are.
    let request = server.requests().into_iter().find(|r| r.view_token.as_deref() == Some("tilde~dot.dash-under_score"));
    assert_eq!(request.unwrap().path, "/participant/views/tilde~dot.dash-under_score");
    assert_eq!(server.request_count(), tokens.len());
}

// ---- Scenario 11: validation before sending ------------------------------------------------

/// The violations, sorted by member (their order is not part of the contract).
fn violations(error: &ValidationError) -> Vec<(String, String)> {
    let mut found: Vec<_> = error.violations.iter().map(|v| (v.member.clone(), v.rule.clone())).collect();
    found.sort();
    found
}

fn expect_validation<E: std::fmt::Debug>(result: Result<impl std::fmt::Debug, Error<E>>) -> ValidationError {
    match result {
        Err(Error::Validation(error)) => error,
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_inputs_fail_validation_and_never_reach_the_server() {
    let server = FakeService::start().await;
    let client = super::support::client(&server);

    let error = expect_validation(client.send_message("", "text/plain", TOKEN).send().await);
    assert_eq!(error.operation, "SendMessage");
    assert_eq!(violations(&error), [("Content".into(), "must have at least 1 characters, has 0".into())]);
    assert_eq!(error.to_string(), "invalid input for SendMessage: `Content` must have at least 1 characters, has 0");

    // Every violation is reported, not only the first.
    let long_token = "t".repeat(1001);
    let error = expect_validation(client.send_message("", "text/plain", long_token.as_str()).send().await);
    assert_eq!(
        violations(&error),
        [
            ("ConnectionToken".into(), "must have at most 1000 characters, has 1001".into()),
            ("Content".into(), "must have at least 1 characters, has 0".into()),
        ]
    );

    let error = expect_validation(client.complete_attachment_upload(["att-1", "att-2"], TOKEN).send().await);
    assert_eq!(error.operation, "CompleteAttachmentUpload");
    assert_eq!(violations(&error), [("AttachmentIds".into(), "must have at most 1 items, has 2".into())]);

    let error = expect_validation(
        client.get_transcript(TOKEN).start_position(StartPosition::new().most_recent(101)).send().await,
    );
    assert_eq!(error.operation, "GetTranscript");
    assert_eq!(violations(&error), [("StartPosition.MostRecent".into(), "must be between 0 and 100, is 101".into())]);

    let error = expect_validation(client.get_transcript(TOKEN).max_results(-1).send().await);
    assert_eq!(violations(&error), [("MaxResults".into(), "must be between 0 and 100, is -1".into())]);

    let error = expect_validation(client.get_attachment("att-0001", TOKEN).url_expiry_in_seconds(4).send().await);
    assert_eq!(violations(&error), [("UrlExpiryInSeconds".into(), "must be between 5 and 300, is 4".into())]);

    let error = expect_validation(client.start_attachment_upload("a.png", 0, "image/png", TOKEN).send().await);
    assert_eq!(error.operation, "StartAttachmentUpload");
    assert_eq!(violations(&error)[0].0, "AttachmentSizeInBytes");

    let error = expect_validation(client.cancel_participant_authentication("too-short", TOKEN).send().await);
    assert_eq!(violations(&error), [("SessionId".into(), "must have at least 36 characters, has 9".into())]);

    let error = expect_validation(client.describe_view("", TOKEN).send().await);
    assert_eq!(violations(&error), [("ViewToken".into(), "must have at least 1 characters, has 0".into())]);

    let error =
        expect_validation(client.create_participant_connection(TOKEN).r#type(Vec::<String>::new()).send().await);
    assert_eq!(violations(&error), [("Type".into(), "must have at least 1 items, has 0".into())]);

    let error = expect_validation(client.get_authentication_url("https://example.com/cb", SESSION_ID, "").send().await);
    assert_eq!(violations(&error), [("ConnectionToken".into(), "must have at least 1 characters, has 0".into())]);

    assert_eq!(server.request_count(), 0, "invalid input must not be sent: {:#?}", server.requests());
}

/// A header value with CR or LF would split the HTTP message: the request is not built.
#[tokio::test]
async fn bearer_with_line_break_is_a_build_error_and_is_not_sent() {
    let server = FakeService::start().await;
    let client = super::support::client(&server);
    for token in ["token\r\nX-Injected: 1", "token\nX-Injected: 1", "token\r"] {
        let error = client.send_message("Hi", "text/plain", token).send().await.unwrap_err();
        let Error::Build(build) = &error else { panic!("{token:?}: expected Error::Build, got {error:?}") };
        assert!(build.to_string().contains("X-Amz-Bearer"), "{build}");
        let error = client.describe_view("view-token-1", token).send().await.unwrap_err();
        assert!(matches!(error, Error::Build(_)), "{token:?}: {error:?}");
    }
    assert_eq!(server.request_count(), 0);
}

// ---- Scenario 14: endpoints ----------------------------------------------------------------

/// A custom endpoint's path is a prefix of every operation's path (with or without a trailing
/// slash), also for path labels.
#[tokio::test]
async fn custom_endpoint_path_prefix_is_kept() {
    let server = FakeService::start_with_prefix("/prefix").await;
    assert!(server.url().ends_with("/prefix"));
    for endpoint in [server.url(), format!("{}/", server.url())] {
        let config = Config::builder().endpoint_url(endpoint.as_str()).retry(fast_retry()).build().unwrap();
        let client = Client::new(config);
        client.send_message("Hi", "text/plain", TOKEN).send().await.unwrap_or_else(|e| panic!("{endpoint}: {e}"));
        client.describe_view("a/b", TOKEN).send().await.unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
    let paths: Vec<_> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/prefix/participant/message",
            "/prefix/participant/views/a%2Fb",
            "/prefix/participant/message",
            "/prefix/participant/views/a%2Fb",
        ]
    );
}

/// `Config::builder_from` (what `Config::from_env` uses) pointed at the server through the
/// service-specific variable, then through the generic one.
#[tokio::test]
async fn config_from_environment_lookup_reaches_the_server() {
    let server = FakeService::start_with_prefix("/env").await;
    let url = server.url();
    let variables = [
        vec![
            ("AWS_REGION", "eu-west-2".to_owned()),
            ("AWS_ENDPOINT_URL_CONNECTPARTICIPANT", url.clone()),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9/not-this-one".to_owned()),
            ("AWS_MAX_ATTEMPTS", "2".to_owned()),
        ],
        vec![("AWS_DEFAULT_REGION", "eu-west-2".to_owned()), ("AWS_ENDPOINT_URL", format!(" {url} "))],
    ];
    for vars in variables {
        let lookup = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        let builder: ConfigBuilder = Config::builder_from(lookup).expect("valid variables");
        let config = builder.build().unwrap();
        assert_eq!(config.region(), Some("eu-west-2"));
        assert_eq!(config.endpoint_url(), Some(url.as_str()));
        let attempts = if vars.iter().any(|(k, _)| *k == "AWS_MAX_ATTEMPTS") { 2 } else { 3 };
        assert_eq!(config.retry().max_attempts(), attempts);
        let client = Client::new(config);
        let output = client.get_transcript(TOKEN).send().await.expect("call through the env config");
        assert_eq!(output.transcript.map(|t| t.len()), Some(3));
    }
    assert_eq!(server.request_count(), 2);
    assert!(server.requests().iter().all(|r| r.path == "/env/participant/transcript"));
}

/// A configuration from which no endpoint can be resolved is refused when it is built, with
/// what to set; a region alone, or an endpoint URL alone, is enough.
#[test]
fn config_without_region_or_endpoint_is_refused_at_build() {
    let error = Config::builder().build().unwrap_err().to_string();
    assert!(error.contains("no region and no endpoint URL"), "{error}");
    assert!(error.contains("AWS_REGION") && error.contains("AWS_ENDPOINT_URL_CONNECTPARTICIPANT"), "{error}");
    let no_variables = Config::builder_from(|_| None).unwrap().build().unwrap_err();
    assert_eq!(no_variables.to_string(), error);
    assert!(Config::builder().region("eu-west-2").build().is_ok());
    assert!(Config::builder().endpoint_url("http://127.0.0.1:9").build().is_ok());
}

/// The crate documents that it needs a Tokio runtime and what happens without one: the first
/// call panics with Tokio's own message (there is no blocking API).
#[test]
fn outside_a_tokio_runtime_a_call_panics_with_tokios_message() {
    use std::future::Future as _;
    let config = Config::builder().region("us-east-1").endpoint_url("http://127.0.0.1:9").build().unwrap();
    let client = Client::new(config);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut call = std::pin::pin!(client.send_message("hi", "text/plain", TOKEN).send());
        let _ = call.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop()));
    }));
    let payload = outcome.expect_err("polled outside a runtime, the call panics");
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(message.contains("Tokio 1.x runtime"), "{message}");
}
