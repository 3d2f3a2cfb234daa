//! Nothing a server sends makes the client panic: every operation's output and error decoders
//! are fed generated responses (random and mutated bodies, headers and status codes, truncated
//! JSON, huge numbers, deep nesting, members of the wrong type, invalid UTF-8) through the
//! public client and a transport that answers with them. Each call must end in an output (for
//! a 2xx status) or an error that keeps the response's status and body as they came.
//!
//! The JSON is built from the member names of the model, so that decoders meet their own
//! members with wrong values, not only unknown ones. Every run prints how many cases ran.

use crate::every_operation;

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use connectparticipant::transport::{Bytes, HttpResponse, http};
use every_operation::{OPERATIONS, Outcome};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap());

/// How a call ended.
#[derive(Clone, Copy)]
enum Ended {
    Output,
    ServiceError,
    UnreadableResponse,
}

/// Every member name of the model and the names of its errors.
static MODEL_NAMES: LazyLock<(Vec<String>, Vec<String>)> = LazyLock::new(|| {
    let json =
        std::fs::read_to_string(workspace_tests::workspace_root().join("model/connectparticipant.json")).unwrap();
    let model = codegen::smithy::Model::parse(&json).unwrap();
    let mut members: Vec<String> = model
        .shapes
        .values()
        .filter_map(|shape| shape.members())
        .flat_map(|members| members.iter().map(|(name, _)| name.clone()))
        .collect();
    members.sort();
    members.dedup();
    let errors = model
        .shapes
        .iter()
        .filter(|(_, shape)| shape.traits().has(codegen::smithy::traits::ids::ERROR))
        .map(|(id, _)| id.name().to_owned())
        .collect();
    (members, errors)
});

fn member_names() -> Vec<String> {
    MODEL_NAMES.0.clone()
}

fn error_names() -> Vec<String> {
    MODEL_NAMES.1.clone()
}

/// JSON documents whose keys are the model's member names, values of any type.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::from),
        select(vec!["", "WEBSOCKET", "MESSAGE", "AGENT", "2024-05-01T12:30:00Z", "APPROVED", "-1", "NaN"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((select(member_names()), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// An object at the top, as response bodies are.
fn json_document() -> impl Strategy<Value = Value> {
    prop::collection::vec((select(member_names()), json_value()), 0..8)
        .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
}

/// Numbers no Rust integer or float holds.
const HUGE_NUMBERS: [&str; 8] = [
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890123456789012345678901234567890",
    "0.0000000000000000000000000000000000000000000000000000000000001e-400",
    "2147483648",
    "-0",
];

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        json_document().prop_map(|doc| doc.to_string().into_bytes()),
        (json_document(), any::<Index>()).prop_map(|(doc, cut)| {
            let text = doc.to_string().into_bytes();
            text[..cut.index(text.len() + 1)].to_vec()
        }),
        (json_document(), prop::collection::vec((any::<Index>(), any::<u8>()), 1..6)).prop_map(|(doc, flips)| {
            let mut text = doc.to_string().into_bytes();
            for (at, byte) in flips {
                if !text.is_empty() {
                    let at = at.index(text.len());
                    text[at] = byte;
                }
            }
            text
        }),
        (select(member_names()), select(HUGE_NUMBERS.to_vec()))
            .prop_map(|(name, number)| format!(r#"{{"{name}":{number}}}"#).into_bytes()),
        (select(member_names()), prop::collection::vec(0x80u8..=0xff, 1..8)).prop_map(|(name, bad)| {
            let mut text = format!(r#"{{"{name}":""#).into_bytes();
            text.extend(bad);
            text.extend(br#""}"#);
            text
        }),
        (1usize..20_000, select(vec!["[", "{\"Transcript\":[", "{\"a\":", "{\"View\":{\"Content\":"]))
            .prop_map(|(depth, open)| open.repeat(depth).into_bytes()),
        prop::collection::vec(any::<u8>(), 0..512),
    ]
}

/// Header values may hold any visible byte, UTF-8 or not.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        select(error_names()).prop_map(String::into_bytes),
        select(error_names())
            .prop_map(|name| format!("aws.protocoltests#{name}:http://internal.amazon.com/").into_bytes()),
        prop::collection::vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff], 0..40),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    let name = select(vec!["x-amzn-errortype", "content-type", "x-amzn-requestid", "content-length", "x-amz-id-2"]);
    prop::collection::vec((name, header_value()), 0..4)
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![select(vec![200u16, 201, 204, 400, 403, 404, 409, 429, 500, 502, 503, 504]), 100u16..=599]
}

/// Sends one generated response to one operation and checks what comes back.
fn check(operation: &str, status: u16, headers: &[(&str, Vec<u8>)], body: Vec<u8>) -> Result<Ended, TestCaseError> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, http::HeaderValue::from_bytes(value).unwrap());
    }
    let response: HttpResponse = builder.body(Bytes::from(body.clone())).unwrap();
    let client = every_operation::client_answering(response, |b| b);
    match RUNTIME.block_on(every_operation::call(&client, operation)) {
        Outcome::Output(_) => {
            prop_assert!((200..300).contains(&status), "{operation}: HTTP {status} read as a success");
            Ok(Ended::Output)
        }
        Outcome::Failed { raw: Some((kept_status, kept_body)), service_error, .. } => {
            prop_assert_eq!(kept_status, status);
            prop_assert_eq!(&kept_body[..], &body[..], "the body is kept as it came");
            Ok(if service_error.is_some() { Ended::ServiceError } else { Ended::UnreadableResponse })
        }
        Outcome::Failed { raw: None, message, .. } => {
            Err(TestCaseError::fail(format!("{operation}: a failure without the response: {message}")))
        }
    }
}

/// Cases per property: 2000, or `PROPTEST_CASES` for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
}

/// Runs `property` on `cases()` generated values and prints how the calls ended.
fn run<S: Strategy>(name: &str, strategy: S, property: impl Fn(S::Value) -> Result<Ended, TestCaseError>) {
    let config = ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let [outputs, service_errors, response_errors] = [(); 3].map(|_| AtomicUsize::new(0));
    let result = runner.run(&strategy, |value| {
        let counter = match property(value)? {
            Ended::Output => &outputs,
            Ended::ServiceError => &service_errors,
            Ended::UnreadableResponse => &response_errors,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
    let [outputs, service_errors, response_errors] =
        [outputs, service_errors, response_errors].map(AtomicUsize::into_inner);
    // Written to stderr directly so that the figures show in every run (libtest captures
    // `eprintln!` of passing tests).
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "response_fuzz {name}: {} cases, {outputs} outputs, {service_errors} service errors, {response_errors} unreadable responses, no panic",
        outputs + service_errors + response_errors
    );
}

#[test]
fn no_response_makes_any_operation_panic() {
    let strategy = (select(OPERATIONS.to_vec()), status(), headers(), body());
    run("any response", strategy, |(operation, status, headers, body)| check(operation, status, &headers, body));
}

#[test]
fn successful_statuses_with_broken_bodies_are_errors_keeping_the_body() {
    let strategy = (select(OPERATIONS.to_vec()), select(vec![200u16, 201, 204]), body());
    run("2xx with any body", strategy, |(operation, status, body)| {
        check(operation, status, &[("content-type", b"application/json".to_vec())], body)
    });
}

#[test]
fn modeled_errors_with_wrong_members_are_errors_keeping_the_body() {
    let statuses = select(vec![400u16, 403, 404, 409, 429, 500, 503]);
    let strategy = (select(OPERATIONS.to_vec()), statuses, select(error_names()), body());
    run("modeled error codes with any body", strategy, |(operation, status, error, body)| {
        check(operation, status, &[("x-amzn-errortype", error.into_bytes())], body)
    });
}
