//! Client configuration: region, endpoint, retries, timeouts and transport.
//!
//! No AWS credentials are read or needed: operations of this kind of service carry their own
//! bearer token (the `X-Amz-Bearer` header) as an argument.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::authorize::Authorize;
use crate::transport::HttpClient;
use crate::transport::{DefaultHttpClient, Proxy, Tls};

/// Settings shared by every call of a [`Client`](crate::Client).
#[derive(Clone)]
pub struct Config {
    region: Option<String>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    max_response_body: usize,
    http_client: Option<Arc<dyn HttpClient>>,
    /// Where credentials come from, in crates that sign (see `ConfigBuilder::credentials_provider`).
    #[allow(dead_code, reason = "read only in crates that sign")]
    pub(crate) credentials_provider: Option<crate::runtime::CredentialsProvider>,
    proxy: Option<Proxy>,
    tls: Tls,
}

/// The default of [`ConfigBuilder::max_response_body`] (8 MiB); defined with the transport,
/// which enforces it.
pub use crate::transport::DEFAULT_MAX_RESPONSE_BODY;

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("max_response_body", &self.max_response_body)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("proxy", &self.proxy)
            .field("tls", &self.tls)
            .finish()
    }
}

impl Config {
    /// A builder with default settings: 3 attempts, no region.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Reads the standard AWS environment variables:
    /// `AWS_REGION` (else `AWS_DEFAULT_REGION`), `AWS_ENDPOINT_URL_<SERVICE>` (else
    /// `AWS_ENDPOINT_URL`), `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT` and
    /// `AWS_MAX_ATTEMPTS`. In crates whose requests are signed, also the selected profile's
    /// region (when no variable gives one) and the default credentials chain (environment,
    /// profile, container, instance metadata).
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::builder_from(|name| std::env::var(name).ok())?.build()
    }

    /// Like [`Config::from_env`], with variables looked up by `lookup` (for tests and for
    /// programs that keep settings elsewhere). Returns a builder so that more can be set.
    pub fn builder_from(lookup: impl Fn(&str) -> Option<String>) -> Result<ConfigBuilder, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let flag = |name: &str| -> Result<bool, ConfigError> {
            match get(name).map(|v| v.trim().to_ascii_lowercase()) {
                None => Ok(false),
                Some(v) if v == "true" => Ok(true),
                Some(v) if v == "false" => Ok(false),
                Some(v) => Err(ConfigError::new(format!("{name} must be `true` or `false`, not {v:?}"))),
            }
        };
        let mut builder = Config::builder();
        if let Some(region) = get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION")) {
            builder = builder.region(region.trim());
        }
        let service_variable = format!("AWS_ENDPOINT_URL_{}", crate::SERVICE_ENV_SUFFIX);
        if let Some(url) = get(&service_variable).or_else(|| get("AWS_ENDPOINT_URL")) {
            builder = builder.endpoint_url(url.trim());
        }
        builder = builder.use_fips(flag("AWS_USE_FIPS_ENDPOINT")?).use_dual_stack(flag("AWS_USE_DUALSTACK_ENDPOINT")?);
        if let Some(attempts) = get("AWS_MAX_ATTEMPTS") {
            let attempts: u32 = attempts.trim().parse().ok().filter(|attempts| *attempts > 0).ok_or_else(|| {
                ConfigError::new(format!("AWS_MAX_ATTEMPTS must be a positive integer, not {attempts:?}"))
            })?;
            builder = builder.retry(RetryConfig::standard().with_max_attempts(attempts));
        }
        Ok(<crate::runtime::Authorizer as Authorize>::from_env(builder, &lookup))
    }

    /// The AWS region, when set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint override, when set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv6) endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// Timeout settings.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The largest response body a call accepts, in bytes (see
    /// [`ConfigBuilder::max_response_body`]).
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
    }

    /// The HTTP proxy of the built-in transport (and of the chat socket): the one set on the
    /// builder, else the environment's (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`,
    /// in either case), read when the configuration was built.
    pub fn proxy(&self) -> Proxy {
        self.proxy.clone().unwrap_or_else(Proxy::from_env)
    }

    /// The TLS settings of the built-in transport: the ones set on the builder, else the
    /// Mozilla root certificates.
    pub fn tls(&self) -> &Tls {
        &self.tls
    }

    pub(crate) fn http_client(&self) -> Option<&Arc<dyn HttpClient>> {
        self.http_client.as_ref()
    }

    /// The built-in transport with these settings (timeouts, proxy, TLS, body limit).
    pub(crate) fn default_http_client(&self) -> DefaultHttpClient {
        DefaultHttpClient::with_settings(self.timeouts.connect(), self.proxy(), self.tls.clone())
            .with_max_response_body(self.max_response_body)
    }
}

/// Builds a [`Config`].
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    config: Option<Config>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConfigBuilder").field(&self.config).finish()
    }
}

impl ConfigBuilder {
    pub(crate) fn config(&mut self) -> &mut Config {
        self.config.get_or_insert_with(|| Config {
            region: None,
            endpoint_url: None,
            use_fips: false,
            use_dual_stack: false,
            retry: RetryConfig::standard(),
            timeouts: TimeoutConfig::default(),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            http_client: None,
            credentials_provider: None,
            proxy: None,
            tls: Tls::default(),
        })
    }

    /// The AWS region (`us-east-1`); it selects the endpoint.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config().region = Some(region.into());
        self
    }

    /// Sends every request to this URL instead of the regional endpoint (a path prefix is kept).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config().endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.config().use_fips = use_fips;
        self
    }

    /// Uses dual-stack (IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.config().use_dual_stack = use_dual_stack;
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config().retry = retry;
        self
    }

    /// Timeout settings.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.config().timeouts = timeouts;
        self
    }

    /// The largest response body a call accepts, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`], 8 MiB). A response whose `Content-Length` is larger is
    /// refused without reading its body; the built-in transport stops reading any other body
    /// one byte past the limit. The call fails with [`Error::Response`](crate::Error::Response),
    /// which keeps the status, the headers and the part of the body that was read.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.config().max_response_body = bytes;
        self
    }

    /// Sends requests through this HTTP client instead of the built-in one.
    pub fn http_client(mut self, client: impl HttpClient) -> Self {
        self.config().http_client = Some(Arc::new(client));
        self
    }

    /// Connects through this HTTP proxy (a `CONNECT` tunnel) instead of the one the
    /// environment names; [`Proxy::none`] connects directly whatever the environment says.
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.config().proxy = Some(proxy);
        self
    }

    /// The TLS settings of the built-in transport and of the chat socket (default
    /// [`Tls::webpki_roots`]). A custom [`http_client`](Self::http_client) makes its own
    /// connections; the chat socket then uses the settings it reports
    /// ([`HttpClient::tls`]), else these.
    pub fn tls(mut self, tls: Tls) -> Self {
        self.config().tls = tls;
        self
    }

    /// Checks the settings and builds the configuration.
    pub fn build(mut self) -> Result<Config, ConfigError> {
        let config = self.config();
        if config.proxy.is_none() {
            config.proxy = Some(Proxy::from_env());
        }
        let config = config.clone();
        if let Some(url) = &config.endpoint_url {
            let valid = url.split_once("://").is_some_and(|(scheme, rest)| {
                matches!(scheme, "http" | "https")
                    && !rest.is_empty()
                    && !rest.starts_with('/')
                    // A query or fragment would be lost, and whitespace cannot be sent.
                    && !rest.contains(['?', '#', '@'])
                    && !rest.contains(char::is_whitespace)
            });
            if !valid {
                return Err(ConfigError::new(format!(
                    "endpoint_url {url:?} is not an http(s) URL with a host (and no query, fragment or user)"
                )));
            }
        }
        if let Some(region) = &config.region
            && (region.is_empty() || !region.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(ConfigError::new(format!("region {region:?} is not a valid region name")));
        }
        if config.retry.max_attempts == 0 {
            return Err(ConfigError::new("max_attempts must be at least 1"));
        }
        if config.region.is_none() && config.endpoint_url.is_none() {
            // Refused here rather than at the first call: no endpoint can be resolved.
            return Err(ConfigError::new(format!(
                "no region and no endpoint URL: set a region (`region(\"us-east-1\")`, or the AWS_REGION \
                 variable) or an endpoint URL (`endpoint_url(..)`, or AWS_ENDPOINT_URL_{})",
                crate::SERVICE_ENV_SUFFIX
            )));
        }
        Ok(config)
    }
}

/// Invalid configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// How failed attempts are retried: the AWS "standard" mode.
///
/// Throttling (HTTP 429, throttling error codes), server errors (HTTP 500, 502, 503, 504),
/// transport failures and attempt timeouts are retried after a delay drawn uniformly from zero
/// to `min(max_backoff, initial_backoff * 2^(attempt - 1))` (exponential backoff, full jitter).
/// Validation, access and other client errors are never retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryConfig {
    /// 3 attempts, backoff from 1 s up to 20 s.
    pub fn standard() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(20) }
    }

    /// Never retries.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Total attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// The backoff ceiling of the first retry.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// The largest backoff between two attempts.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Total attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff ceiling of the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

/// Timeouts; `None` means no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    /// Connect timeout 3.1 s (as the AWS SDKs), no attempt or operation limit.
    fn default() -> Self {
        Self { connect: Some(Duration::from_millis(3100)), attempt: None, operation: None }
    }
}

impl TimeoutConfig {
    /// Limit on establishing a connection (TCP and TLS) of the built-in HTTP client.
    pub fn with_connect(mut self, timeout: Option<Duration>) -> Self {
        self.connect = timeout;
        self
    }

    /// Limit on one attempt: sending the request and reading the whole response.
    pub fn with_attempt(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// Limit on the whole call, retries and backoff included.
    pub fn with_operation(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// The connect timeout.
    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    /// The whole-operation timeout.
    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }
}
