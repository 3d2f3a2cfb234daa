//! AWS credentials and the providers that supply them.
//!
//! [`ProvideCredentials`] is the one interface the signer asks: implement it to bring your own
//! source. Secrets never appear in `Debug`, `Display`, errors or logs: [`Credentials`] shows its
//! access key id and expiry only, and a [`CredentialsError`] names the source that failed and why
//! in words chosen by this crate, never the values it read.
//!
//! Sources: [`EnvironmentProvider`], [`ProfileProvider`] (static keys and `credential_process`;
//! the region too, [`profile_region`]), [`ContainerProvider`] and [`ImdsProvider`], asked in
//! that order by [`CredentialsChain::default_chain`]; [`CachedProvider`] keeps what a source
//! gives until shortly before it expires. Not supported: SSO, web identity and assume-role
//! profiles (a profile using them fails, naming the setting).

mod cache;
mod chain;
mod container;
mod env;
mod environment;
mod expiration;
mod from_env;
mod http;
mod imds;
mod json;
mod process;
mod profile;
mod profile_file;

pub use cache::{CachedProvider, DEFAULT_REFRESH_BUFFER};
pub use chain::{CredentialsChain, default_provider};
pub use container::ContainerProvider;
pub use env::Env;
pub use environment::EnvironmentProvider;
pub(crate) use from_env::from_env;
pub use imds::ImdsProvider;
pub use profile::{ProfileProvider, profile_region};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

/// AWS credentials: secret parts redacted in Debug.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_after: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from their parts: `session_token` for temporary credentials,
    /// `expires_after` when they stop being valid (`None`: they do not expire).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expires_after: Option<SystemTime>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expires_after,
        }
    }

    /// The access key id (an identifier, not a secret: it is shown in `Debug`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials stop being valid, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expires_after
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiry", &self.expires_after)
            .finish()
    }
}

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. The signer asks it before each signature; a provider whose
/// credentials expire should be wrapped in a cache so that it is asked again only when needed.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// The current credentials, or why there are none.
    fn provide_credentials(&self) -> Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + '_>>;
}

impl ProvideCredentials for Credentials {
    /// Fixed credentials, as given.
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a provider gave no credentials: which source, and why. Never holds a secret: the
/// message is written by the provider, and a cause is kept only when it cannot carry one
/// (an I/O or transport error, never a parse error of a secret's text).
#[derive(Debug)]
pub struct CredentialsError {
    source_name: &'static str,
    kind: CredentialsErrorKind,
    message: String,
    cause: Option<BoxError>,
}

/// Whether the source was not set up at all, or set up and failed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialsErrorKind {
    /// The source is not configured here (no variables, no file, no profile): a chain moves
    /// on to the next source.
    NotConfigured,
    /// The source is configured but could not give credentials: a chain stops and reports it.
    Failed,
}

impl CredentialsError {
    /// `source_name` (for example `"environment"`) is not configured: `why` says what is missing.
    pub fn not_configured(source_name: &'static str, why: impl Into<String>) -> Self {
        Self { source_name, kind: CredentialsErrorKind::NotConfigured, message: why.into(), cause: None }
    }

    /// `source_name` is configured and failed: `why` says how (never include a secret).
    pub fn failed(source_name: &'static str, why: impl Into<String>) -> Self {
        Self { source_name, kind: CredentialsErrorKind::Failed, message: why.into(), cause: None }
    }

    /// The same error, caused by `cause` (which must not carry a secret in its messages).
    pub fn with_cause(mut self, cause: impl Into<BoxError>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    /// The source that failed (`"environment"`, `"profile"`, `"container"`, `"imds"`...).
    pub fn source_name(&self) -> &'static str {
        self.source_name
    }

    /// Whether the source was not configured, or configured and failed.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// Whether the source was not configured at all.
    pub fn is_not_configured(&self) -> bool {
        self.kind == CredentialsErrorKind::NotConfigured
    }

    /// What went wrong, in the provider's words.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.kind {
            CredentialsErrorKind::NotConfigured => "not configured",
            CredentialsErrorKind::Failed => "failed",
        };
        write!(f, "credentials from {} {state}: {}", self.source_name, self.message)
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let credentials = Credentials::new("AKIDEXAMPLE", "s3cr3t-key", Some("s3ss10n-token".into()), None);
        let shown = format!("{credentials:?}");
        assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("s3ss10n"), "{shown}");
    }

    #[test]
    fn errors_name_the_source_and_the_kind() {
        let error = CredentialsError::failed("container", "HTTP 500 from the credentials endpoint");
        assert_eq!(error.to_string(), "credentials from container failed: HTTP 500 from the credentials endpoint");
        assert!(!error.is_not_configured());
        let error = CredentialsError::not_configured("environment", "AWS_ACCESS_KEY_ID is not set");
        assert!(error.is_not_configured() && error.to_string().contains("not configured"));
    }
}
