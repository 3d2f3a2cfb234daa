//! What the generated protocol tests share: the expected request of a case checked against the
//! request the client built, a response built from a case, and a comparison of values in which
//! NaN equals NaN.
//!
//! Emitted only when the crate is generated with its protocol tests, and only under `cfg(test)`.

use std::fmt::Debug;

use serde_json::Value;

use crate::transport::{HttpRequest, HttpResponse};

/// The request a `smithy.test#httpRequestTests` case expects.
#[allow(dead_code, reason = "the generated protocol tests use it when their model has a request test")]
#[derive(Debug, Default)]
pub struct ExpectedRequest {
    pub method: &'static str,
    /// The path, percent-encoded as it must be sent.
    pub path: &'static str,
    /// `k=v` (or bare `k`) query parameters that must all be sent, as written.
    pub query: &'static [&'static str],
    /// Headers with their exact values (names compare case-insensitively).
    pub headers: &'static [(&'static str, &'static str)],
    pub require_headers: &'static [&'static str],
    pub forbid_headers: &'static [&'static str],
    /// The body, unless the case does not say; an empty body means no body at all.
    pub body: Option<&'static str>,
    /// Whether the body compares as JSON (`bodyMediaType: application/json`).
    pub json_body: bool,
    /// The host the request must go to.
    pub resolved_host: Option<&'static str>,
}

/// Checks `request` against `expected`, naming every difference.
#[allow(dead_code, reason = "the generated protocol tests use it when their model has a request test")]
pub fn assert_request(request: &HttpRequest, expected: &ExpectedRequest) {
    let mut problems = Vec::new();
    if request.method().as_str() != expected.method {
        problems.push(format!("method: expected {}, sent {}", expected.method, request.method()));
    }
    if request.uri().path() != expected.path {
        problems.push(format!("path: expected {:?}, sent {:?}", expected.path, request.uri().path()));
    }
    let mut sent_query: Vec<&str> = request.uri().query().unwrap_or("").split('&').filter(|p| !p.is_empty()).collect();
    for wanted in expected.query {
        match sent_query.iter().position(|sent| sent == wanted) {
            Some(index) => {
                sent_query.remove(index);
            }
            None => {
                problems.push(format!("query: expected {wanted:?} among {:?}", request.uri().query().unwrap_or("")))
            }
        }
    }
    if let Some(host) = expected.resolved_host
        && request.uri().host() != Some(host)
    {
        problems.push(format!("host: expected {host:?}, sent {:?}", request.uri().host()));
    }
    for (name, value) in expected.headers {
        match header(request.headers(), name) {
            Some(sent) if sent == *value => {}
            Some(sent) => problems.push(format!("header {name}: expected {value:?}, sent {sent:?}")),
            None => problems.push(format!("header {name}: expected {value:?}, not sent")),
        }
    }
    for name in expected.require_headers {
        if !request.headers().contains_key(*name) {
            problems.push(format!("header {name}: required, not sent"));
        }
    }
    for name in expected.forbid_headers {
        if let Some(sent) = header(request.headers(), name) {
            problems.push(format!("header {name}: forbidden, sent {sent:?}"));
        }
    }
    if let Some(body) = expected.body {
        let sent = request.body();
        if expected.json_body && !body.is_empty() {
            match (serde_json::from_str::<Value>(body), serde_json::from_slice::<Value>(sent)) {
                (Ok(want), Ok(got)) if json_equal(&want, &got) => {}
                (Ok(want), Ok(got)) => problems.push(format!("body: expected JSON {want}, sent {got}")),
                (Err(e), _) => problems.push(format!("body: the case's JSON does not parse: {e}")),
                (_, Err(e)) => problems.push(format!("body: sent {:?}, not JSON: {e}", String::from_utf8_lossy(sent))),
            }
        } else if sent.as_ref() != body.as_bytes() {
            problems.push(format!("body: expected {body:?}, sent {:?}", String::from_utf8_lossy(sent)));
        }
    }
    assert!(
        problems.is_empty(),
        "the request differs from the case:\n  {}\nrequest: {request:?}",
        problems.join("\n  ")
    );
}

/// The values of header `name`, joined with `, ` as one header line would carry them.
fn header(headers: &::http::HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> =
        headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
#[allow(dead_code, reason = "the generated protocol tests use it when their model has a JSON body or document")]
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(key, x)| y.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

/// The response of a `smithy.test#httpResponseTests` case.
#[allow(dead_code, reason = "the generated protocol tests use it when their model has a response or error test")]
pub fn response(code: u16, headers: &[(&str, &str)], body: &'static str) -> HttpResponse {
    let mut builder = ::http::Response::builder().status(code);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(bytes::Bytes::from_static(body.as_bytes())).expect("the case's response is valid HTTP")
}

/// The error code the client reads from an error response.
#[allow(dead_code, reason = "the generated protocol tests use it when their model has a error test")]
pub fn error_code(response: &HttpResponse) -> Option<String> {
    let body = crate::runtime::json::parse_body(response.body()).unwrap_or(Value::Null);
    crate::runtime::response::error_code(response, &body)
}

/// Checks that `actual` is `expected`. Values holding NaN are equal when they print the same
/// (`PartialEq` says NaN differs from itself).
#[allow(dead_code, reason = "the generated protocol tests use it when their model has a response or error test")]
pub fn assert_same<T: PartialEq + Debug>(actual: &T, expected: &T) {
    if actual == expected {
        return;
    }
    let (actual, expected) = (format!("{actual:#?}"), format!("{expected:#?}"));
    assert!(
        actual == expected && expected.contains("NaN"),
        "the value read differs from the case:\nexpected: {expected}\n  actual: {actual}"
    );
}
