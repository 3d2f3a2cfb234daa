//! Response helpers: JSON bodies, service-style errors, streamed bodies.

use std::io;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::Response;
use serde_json::{Value, json};

/// The body of every emulator response.
pub(crate) type Body = BoxBody<Bytes, io::Error>;

pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

pub(crate) fn json(status: u16, value: Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("Content-Type", "application/json")
        .header("x-amzn-RequestId", crate::items::new_id())
        .body(full(value.to_string()))
        .expect("a valid response")
}

/// A modeled error: `x-amzn-ErrorType` and `{"message": ...}`.
pub(crate) fn error(status: u16, code: &str, message: &str) -> Response<Body> {
    let mut response = json(status, json!({ "message": message }));
    response.headers_mut().insert("x-amzn-ErrorType", code.parse().expect("a valid header"));
    response
}

/// The error code the service uses for a status.
pub(crate) fn code_for(status: u16) -> &'static str {
    match status {
        400 => "ValidationException",
        402 => "ServiceQuotaExceededException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        409 => "ConflictException",
        429 => "ThrottlingException",
        _ => "InternalServerException",
    }
}

pub(crate) fn status(status: u16, text: &str) -> Response<Body> {
    Response::builder().status(status).body(full(text.to_owned())).expect("a valid response")
}
