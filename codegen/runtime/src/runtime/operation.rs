//! The contract between generated operations and the request pipeline.
//!
//! The generated code implements [`Operation`] for each operation, and
//! [`invoke`](super::orchestrator::invoke) runs it.

use super::authorize::AuthScheme;
use super::{response, validate};
use crate::config::Config;
use crate::endpoint::{Endpoint, EndpointError};
use crate::error::BuildError;
use crate::transport::{HttpRequest, HttpResponse};

/// How the errors of an operation are retried, beyond what status and code already say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// Retry after backoff: the service is overloaded or failed transiently.
    Transient,
    /// Retry after backoff: the service throttled the call.
    Throttling,
}

/// What the generated code tells the pipeline about one operation.
pub trait Operation: 'static {
    /// The input structure.
    type Input: Send + Sync + 'static;
    /// The output structure.
    type Output: Send + 'static;
    /// The operation's error enum.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The operation's name in the model (`SendMessage`).
    const NAME: &'static str;

    /// How its requests are authenticated: sent as built unless the generated code says the
    /// operation signs.
    const AUTH: AuthScheme = AuthScheme::None;

    /// Checks the model's constraints; returns every violation found.
    fn validate(input: &Self::Input, violations: &mut validate::Violations);

    /// Whether [`endpoint`](Self::endpoint) depends on the configuration alone (the operation
    /// sets no rule parameters of its own and no input member feeds one): then a client resolves
    /// it once, for every call of every such operation, rather than per call.
    const ENDPOINT_FROM_CONFIG: bool;

    /// Resolves the endpoint from the configuration (and any input members that feed it).
    fn endpoint(config: &Config, input: &Self::Input) -> Result<Endpoint, EndpointError>;

    /// Builds the HTTP request.
    fn serialize(input: &Self::Input, endpoint: &Endpoint) -> Result<HttpRequest, BuildError>;

    /// Reads a successful response.
    fn deserialize(response: &HttpResponse) -> Result<Self::Output, response::DeserializeError>;

    /// Reads an error response whose error code (if any) is `code`.
    fn deserialize_error(
        response: &HttpResponse,
        code: Option<&str>,
    ) -> Result<Self::Error, response::DeserializeError>;

    /// Whether a modeled error is retryable (`@retryable`).
    fn retry_kind(error: &Self::Error) -> Option<RetryKind>;
}
