//! Errors of a call: each keeps the context needed to act on it.
//!
//! `send()` returns [`Error<E>`], where `E` is the operation's own error enum (for example
//! `SendMessageError`) listing the errors the model declares for it.

use std::fmt;

use bytes::Bytes;

use crate::endpoint::EndpointError;

/// Why a call failed.
#[non_exhaustive]
#[derive(Debug)]
pub enum Error<E> {
    /// The input broke a constraint of the model; nothing was sent.
    Validation(ValidationError),
    /// The request could not be built: no endpoint, or a value that cannot go on the wire.
    Build(BuildError),
    /// No response arrived: connection, TLS or I/O failure (after every attempt).
    Transport(TransportError),
    /// A configured timeout elapsed.
    Timeout(TimeoutError),
    /// The service answered with an error; `E` says which.
    Service(ServiceError<E>),
    /// The service answered but the response could not be read.
    Response(ResponseError),
    /// The request could not be authenticated: no credentials, or they could not be used;
    /// nothing was sent.
    Auth(AuthError),
}

impl<E> Error<E> {
    /// The service's error, when the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            Error::Service(service) => Some(&service.error),
            _ => None,
        }
    }

    /// Takes the service's error out, when the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            Error::Service(service) => Some(service.error),
            _ => None,
        }
    }

    /// The raw HTTP response, when one arrived.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Error::Service(service) => Some(&service.raw),
            Error::Response(response) => Some(&response.raw),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => e.fmt(f),
            Error::Build(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Timeout(e) => e.fmt(f),
            Error::Service(e) => write!(f, "service error (HTTP {}): {}", e.raw.status(), e.error),
            Error::Response(e) => e.fmt(f),
            Error::Auth(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(e) => Some(e),
            Error::Build(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::Timeout(e) => Some(e),
            Error::Service(e) => Some(&e.error),
            Error::Response(e) => Some(e),
            Error::Auth(e) => Some(e),
        }
    }
}

/// An error response from the service, with the response it came in.
#[derive(Debug)]
pub struct ServiceError<E> {
    /// The error, modeled or not.
    pub error: E,
    /// The response that carried it.
    pub raw: RawResponse,
}

/// An HTTP response as received: status, headers and the whole body.
///
/// Boxed inside, so that errors stay small to move around. Its `Debug` shows the status, the
/// request id and the body's length, not the body: a body may hold credentials (a connection
/// token, a pre-signed URL) that must not reach logs. [`RawResponse::body`] has it.
#[derive(Clone)]
pub struct RawResponse {
    inner: Box<(u16, ::http::HeaderMap, Bytes)>,
}

impl RawResponse {
    /// A response as received; public so that programs can build any [`Error`] in their own
    /// tests, without a server.
    pub fn new(status: u16, headers: ::http::HeaderMap, body: impl Into<Bytes>) -> Self {
        Self { inner: Box::new((status, headers, body.into())) }
    }

    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.inner.0
    }

    /// Response headers.
    pub fn headers(&self) -> &::http::HeaderMap {
        &self.inner.1
    }

    /// The body bytes, unparsed.
    pub fn body(&self) -> &Bytes {
        &self.inner.2
    }

    /// The request id the service gave the call (`x-amzn-RequestId`), to quote to AWS support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(self.headers())
    }

    /// The body as text (lossy for invalid UTF-8), for logs and messages.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(self.body()).into_owned()
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status())
            .field("request_id", &self.request_id())
            .field("body_len", &self.body().len())
            .finish_non_exhaustive()
    }
}

/// The request id of a response (`x-amzn-RequestId`, or S3-style `x-amz-request-id`): kept by
/// raw responses and by every operation output.
pub(crate) fn request_id(headers: &::http::HeaderMap) -> Option<&str> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|value| value.to_str().ok())
}

/// The request id the service gave a call (`x-amzn-RequestId`): what AWS support asks for.
///
/// Every operation output has it, and so has the raw response of a failed call
/// ([`Error::raw_response`]).
pub trait RequestId {
    /// The request id, when the response carried one.
    fn request_id(&self) -> Option<&str>;
}

impl RequestId for RawResponse {
    fn request_id(&self) -> Option<&str> {
        RawResponse::request_id(self)
    }
}

/// An error response whose code the operation does not model.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct UnhandledError {
    /// The error code (from `x-amzn-ErrorType`, `__type` or `code`), when the response had one.
    pub code: Option<String>,
    /// The error message from the body, when there was one.
    pub message: Option<String>,
    /// HTTP status code.
    pub status: u16,
    /// The raw body.
    pub body: Bytes,
}

impl UnhandledError {
    /// An error response the operation does not model (for tests of error handling).
    pub fn new(status: u16, code: Option<String>, message: Option<String>, body: impl Into<Bytes>) -> Self {
        Self { code, message, status, body: body.into() }
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unhandled error {} (HTTP {})", self.code.as_deref().unwrap_or("without code"), self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {}

/// The input broke one or more constraints of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The operation called.
    pub operation: &'static str,
    /// Every broken constraint.
    pub violations: Vec<Violation>,
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Path of the member (`StartPosition.MostRecent`, `AttachmentIds[0]`).
    pub member: String,
    /// The rule it broke, in words.
    pub rule: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid input for {}: ", self.operation)?;
        for (index, violation) in self.violations.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "`{}` {}", violation.member, violation.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// The request could not be built.
#[derive(Debug)]
pub struct BuildError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl BuildError {
    /// A build error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), source: None }
    }
}

impl From<EndpointError> for BuildError {
    fn from(error: EndpointError) -> Self {
        Self { message: format!("endpoint resolution failed: {error}"), source: Some(Box::new(error)) }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The request could not be authenticated. Its message names the credentials source that failed
/// and why, never a secret.
#[derive(Debug)]
pub struct AuthError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AuthError {
    /// An authentication error with a message, caused by `source` when there is one.
    pub fn new(message: impl Into<String>, source: Option<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self { message: message.into(), source }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// No response: the connection failed or broke.
#[derive(Debug)]
pub struct TransportError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error with a message and its cause.
    pub fn new(message: impl Into<String>, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self { message: message.into(), source: Some(source.into()) }
    }

    /// A transport error with only a message.
    pub fn msg(message: impl Into<String>) -> Self {
        Self { message: message.into(), source: None }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Which timeout elapsed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// One attempt (request sent to response read) took too long.
    Attempt,
    /// The whole call, retries included, took too long.
    Operation,
}

/// A timeout elapsed.
#[derive(Debug, Clone)]
pub struct TimeoutError {
    /// Which timeout.
    pub kind: TimeoutKind,
    /// Its configured duration.
    pub after: std::time::Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        };
        write!(f, "{what} timeout after {:?}", self.after)
    }
}

impl std::error::Error for TimeoutError {}

/// The response could not be read as the model says it should be.
#[derive(Debug)]
pub struct ResponseError {
    /// What was wrong with it.
    pub message: String,
    /// The response.
    pub raw: RawResponse,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable response (HTTP {}): {}", self.raw.status(), self.message)
    }
}

impl std::error::Error for ResponseError {}

/// JSON that does not hold the shape it should: returned by the `from_json` constructors that
/// hand-written code (a service customization) uses to read the model's shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
}

impl DecodeError {
    #[allow(dead_code, reason = "only crates whose customization asks for a public decoder call it")]
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode: {}", self.message)
    }
}

impl std::error::Error for DecodeError {}
