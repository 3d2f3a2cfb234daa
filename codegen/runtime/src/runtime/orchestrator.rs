//! Runs one call: validate, resolve the endpoint, serialize, then send with retries and
//! timeouts, and read the response.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument;

use super::authorize::{AuthScheme, Authorize};
use super::retry::{self, RetryQuota};
use super::validate::Violations;
use super::{Authorizer, Operation, RetryKind, json, response};
use crate::config::Config;
use crate::endpoint::{Endpoint, EndpointError};
use crate::error::{
    BuildError, Error, RawResponse, ResponseError, ServiceError, TimeoutError, TimeoutKind, UnhandledError,
    ValidationError,
};
use crate::transport::{HttpClient, HttpRequest, HttpResponse};

/// What every clone of a client shares: configuration, transport, retry quota and what
/// authenticates requests.
pub struct Handle {
    config: Config,
    http: Arc<dyn HttpClient>,
    quota: RetryQuota,
    auth: Authorizer,
    /// The endpoint of the operations whose endpoint depends on the configuration alone,
    /// resolved at their first call (the configuration does not change).
    config_endpoint: std::sync::OnceLock<Result<Endpoint, EndpointError>>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Handle {
    /// A handle using the configured transport, or the built-in one.
    pub fn new(config: Config) -> Self {
        let http = match config.http_client() {
            Some(client) => Arc::clone(client),
            None => Arc::new(config.default_http_client()),
        };
        let auth = Authorizer::new(&config);
        Self { config, http, quota: RetryQuota::default(), auth, config_endpoint: std::sync::OnceLock::new() }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

/// The `User-Agent` sent with every request.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

/// Runs operation `O` with `input`.
pub async fn invoke<O: Operation>(handle: &Handle, input: O::Input) -> Result<O::Output, Error<O::Error>> {
    let span = tracing::debug_span!("operation", service = crate::SERVICE_NAME, operation = O::NAME);
    let call = run::<O>(handle, input).instrument(span);
    match handle.config.timeouts().operation() {
        Some(limit) => tokio::time::timeout(limit, call)
            .await
            .unwrap_or_else(|_| Err(Error::Timeout(TimeoutError { kind: TimeoutKind::Operation, after: limit }))),
        None => call.await,
    }
}

async fn run<O: Operation>(handle: &Handle, input: O::Input) -> Result<O::Output, Error<O::Error>> {
    let mut violations = Violations::default();
    O::validate(&input, &mut violations);
    let violations = violations.into_vec();
    if !violations.is_empty() {
        tracing::debug!(count = violations.len(), "input failed validation; nothing sent");
        return Err(Error::Validation(ValidationError { operation: O::NAME, violations }));
    }
    let resolved_now;
    let endpoint = if O::ENDPOINT_FROM_CONFIG {
        handle.config_endpoint.get_or_init(|| O::endpoint(&handle.config, &input)).as_ref()
    } else {
        resolved_now = O::endpoint(&handle.config, &input);
        resolved_now.as_ref()
    };
    let endpoint = endpoint.map_err(|e| Error::Build(BuildError::from(e.clone())))?;
    let mut request = O::serialize(&input, endpoint).map_err(Error::Build)?;
    request.headers_mut().insert(::http::header::USER_AGENT, ::http::HeaderValue::from_static(USER_AGENT));

    let max_attempts = handle.config.retry().max_attempts();
    let mut spent_on_retries = 0;
    let mut attempt = 1;
    loop {
        let started = Instant::now();
        let mut attempt_request = copy_request(&request);
        if O::AUTH != AuthScheme::None {
            // Signed as it goes on the wire, with this attempt's time.
            handle.auth.authorize(&O::AUTH, endpoint, &mut attempt_request).await.map_err(Error::Auth)?;
        }
        let result = send_once::<O>(handle, attempt_request).instrument(tracing::debug_span!("attempt", attempt)).await;
        let Failure { error, retry, timed_out } = match result {
            Ok(output) => {
                tracing::debug!(attempt, elapsed_ms = started.elapsed().as_millis() as u64, "call succeeded");
                handle.quota.release(spent_on_retries);
                return Ok(output);
            }
            Err(failure) => failure,
        };
        let Some(kind) = retry else { return Err(error) };
        if attempt >= max_attempts {
            tracing::debug!(attempt, "giving up: no attempts left");
            return Err(error);
        }
        if !handle.quota.acquire(timed_out) {
            tracing::debug!(attempt, "giving up: retry quota exhausted");
            return Err(error);
        }
        spent_on_retries += RetryQuota::cost(timed_out);
        let delay = retry::backoff(handle.config.retry(), attempt);
        tracing::debug!(attempt, ?kind, delay_ms = delay.as_millis() as u64, "retrying after failure");
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// A failed attempt.
struct Failure<E> {
    error: Error<E>,
    /// Whether (and how) the attempt may be retried.
    retry: Option<RetryKind>,
    /// Whether the attempt timed out (retries after timeouts cost more of the quota).
    timed_out: bool,
}

impl<E> Failure<E> {
    fn new(error: Error<E>, retry: Option<RetryKind>) -> Self {
        Self { error, retry, timed_out: false }
    }
}

async fn send_once<O: Operation>(handle: &Handle, request: HttpRequest) -> Result<O::Output, Failure<O::Error>> {
    let sending = handle.http.send(request);
    let response = match handle.config.timeouts().attempt() {
        Some(limit) => match tokio::time::timeout(limit, sending).await {
            Ok(response) => response,
            Err(_) => {
                let error = Error::Timeout(TimeoutError { kind: TimeoutKind::Attempt, after: limit });
                return Err(Failure { error, retry: Some(RetryKind::Transient), timed_out: true });
            }
        },
        None => sending.await,
    };
    let response = response.map_err(|e| {
        tracing::debug!(error = %e, "transport failure");
        Failure::new(Error::Transport(e), Some(RetryKind::Transient))
    })?;
    let status = response.status().as_u16();
    tracing::debug!(status, "response received");
    if let Some(message) = response::over_size_limit(&response, handle.config.max_response_body()) {
        return Err(Failure::new(response_error(message, &response), None));
    }
    if response.status().is_success() {
        return O::deserialize(&response).map_err(|e| Failure::new(response_error(e.to_string(), &response), None));
    }
    let body = json::parse_body(response.body()).unwrap_or(serde_json::Value::Null);
    let code = response::error_code(&response, &body);
    // A signature refused for its time: the clock now follows the service's, and the request,
    // signed again, is worth another attempt.
    let skewed = O::AUTH != AuthScheme::None && handle.auth.corrects_clock(code.as_deref(), &response);
    let skew_retry = skewed.then_some(RetryKind::Transient);
    match O::deserialize_error(&response, code.as_deref()) {
        Ok(error) => {
            let kind = O::retry_kind(&error).or_else(|| retry::classify(status, code.as_deref())).or(skew_retry);
            Err(Failure::new(Error::Service(ServiceError { error, raw: raw(&response) }), kind))
        }
        Err(e) => {
            let kind = retry::classify(status, code.as_deref()).or(skew_retry);
            Err(Failure::new(response_error(e.to_string(), &response), kind))
        }
    }
}

fn raw(response: &HttpResponse) -> RawResponse {
    RawResponse::new(response.status().as_u16(), response.headers().clone(), response.body().clone())
}

fn response_error<E>(message: String, response: &HttpResponse) -> Error<E> {
    Error::Response(ResponseError { message, raw: raw(response) })
}

/// An error the operation does not model, with what the response said about it.
pub fn unhandled(response: &HttpResponse, code: Option<&str>) -> UnhandledError {
    let body = json::parse_body(response.body()).unwrap_or(serde_json::Value::Null);
    UnhandledError {
        code: code.map(str::to_owned),
        message: response::error_message(&body),
        status: response.status().as_u16(),
        body: response.body().clone(),
    }
}

/// Requests are resent as they are on every attempt, so the idempotency token is the same.
fn copy_request(request: &HttpRequest) -> HttpRequest {
    let mut copy = ::http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    copy
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use bytes::Bytes;

    use super::*;
    use crate::runtime::response::DeserializeError;
    use crate::transport::ResponseFuture;

    /// How many times each test operation resolved its endpoint (by `ENDPOINT_FROM_CONFIG`).
    static RESOLVED: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];

    /// A transport that answers every request with an empty 200.
    struct Ok200;

    impl HttpClient for Ok200 {
        fn send(&self, _request: HttpRequest) -> ResponseFuture<'_> {
            Box::pin(async { Ok(::http::Response::builder().status(200).body(Bytes::new()).expect("valid")) })
        }
    }

    #[derive(Debug)]
    struct NoError;

    impl fmt::Display for NoError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("no error")
        }
    }

    impl std::error::Error for NoError {}

    /// An operation whose endpoint depends on the configuration alone, or not.
    struct Probe<const FROM_CONFIG: bool>;

    impl<const FROM_CONFIG: bool> Operation for Probe<FROM_CONFIG> {
        type Input = ();
        type Output = ();
        type Error = NoError;
        const NAME: &'static str = "Probe";
        const ENDPOINT_FROM_CONFIG: bool = FROM_CONFIG;

        fn validate(_input: &(), _violations: &mut Violations) {}

        fn endpoint(config: &Config, _input: &()) -> Result<Endpoint, EndpointError> {
            RESOLVED[usize::from(FROM_CONFIG)].fetch_add(1, Ordering::SeqCst);
            Ok(Endpoint::new(config.endpoint_url().unwrap_or("http://127.0.0.1:9")))
        }

        fn serialize(_input: &(), endpoint: &Endpoint) -> Result<HttpRequest, BuildError> {
            ::http::Request::builder()
                .uri(endpoint.url())
                .body(Bytes::new())
                .map_err(|e| BuildError::new(e.to_string()))
        }

        fn deserialize(_response: &HttpResponse) -> Result<(), DeserializeError> {
            Ok(())
        }

        fn deserialize_error(_response: &HttpResponse, _code: Option<&str>) -> Result<NoError, DeserializeError> {
            Ok(NoError)
        }

        fn retry_kind(_error: &NoError) -> Option<RetryKind> {
            None
        }
    }

    fn handle() -> Handle {
        Handle::new(Config::builder().endpoint_url("http://127.0.0.1:9").http_client(Ok200).build().expect("valid"))
    }

    #[tokio::test]
    async fn an_endpoint_from_the_configuration_alone_is_resolved_once_per_client() {
        let handle = handle();
        for _ in 0..3 {
            invoke::<Probe<true>>(&handle, ()).await.expect("200");
        }
        assert_eq!(RESOLVED[1].load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_endpoint_that_depends_on_the_input_is_resolved_per_call() {
        let handle = handle();
        for _ in 0..3 {
            invoke::<Probe<false>>(&handle, ()).await.expect("200");
        }
        assert_eq!(RESOLVED[0].load(Ordering::SeqCst), 3);
    }
}
