//! Using credentials from the official AWS SDK's providers (`aws-credential-types`,
//! `aws-config`) to sign with a generated crate, without the generated crate depending on them.
//!
//! The adapter is a few lines in your program: a type that implements the generated crate's
//! [`ProvideCredentials`] by asking the SDK's provider and copying the four fields. To stay
//! free of the SDK, this example declares a stand-in module `aws_credential_types` with the
//! same names and shapes as the real crate's (`Credentials::access_key_id()`, ...,
//! `provider::ProvideCredentials::provide_credentials()`); in your program, delete it and
//! depend on the real crate. In a generated crate the module is `<crate>::auth::credentials`
//! (here, the runtime crate's `runtime::auth::credentials`).
//!
//! Run: `cargo run -p runtime --example official_sdk_credentials`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use runtime::auth::credentials::{
    CachedProvider, Credentials, CredentialsError, CredentialsFuture, ProvideCredentials,
};

/// The adapter: any provider of the official SDK, as a provider of this crate.
#[derive(Debug)]
struct FromSdk<P>(P);

impl<P> ProvideCredentials for FromSdk<P>
where
    P: aws_credential_types::provider::ProvideCredentials + std::fmt::Debug + 'static,
{
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            // The SDK's error may quote what it read: keep its kind of failure, not its text.
            let sdk = self.0.provide_credentials().await.map_err(|_| {
                CredentialsError::failed("aws-sdk provider", "the official SDK's provider gave no credentials")
            })?;
            Ok(Credentials::new(
                sdk.access_key_id(),
                sdk.secret_access_key(),
                sdk.session_token().map(str::to_owned),
                sdk.expiry(),
            ))
        })
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), CredentialsError> {
    let sdk_provider = aws_credential_types::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("session-token".to_owned()),
        Some(SystemTime::now() + Duration::from_secs(3600)),
        "example",
    );
    // Cached: the SDK's provider is asked again only shortly before the credentials expire.
    let provider = Arc::new(CachedProvider::new(FromSdk(sdk_provider)));
    let credentials = provider.provide_credentials().await?;
    // Debug shows the access key id and the expiry, never the secret or the session token.
    println!("{credentials:?}");
    Ok(())
}

/// Stand-in for the official `aws-credential-types` crate: same names, same shapes.
mod aws_credential_types {
    use std::time::SystemTime;

    /// `aws_credential_types::Credentials`.
    #[derive(Clone, Debug)]
    pub struct Credentials {
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        expires_after: Option<SystemTime>,
    }

    impl Credentials {
        pub fn new(
            access_key_id: impl Into<String>,
            secret_access_key: impl Into<String>,
            session_token: Option<String>,
            expires_after: Option<SystemTime>,
            _provider_name: &'static str,
        ) -> Self {
            Self {
                access_key_id: access_key_id.into(),
                secret_access_key: secret_access_key.into(),
                session_token,
                expires_after,
            }
        }

        pub fn access_key_id(&self) -> &str {
            &self.access_key_id
        }

        pub fn secret_access_key(&self) -> &str {
            &self.secret_access_key
        }

        pub fn session_token(&self) -> Option<&str> {
            self.session_token.as_deref()
        }

        pub fn expiry(&self) -> Option<SystemTime> {
            self.expires_after
        }
    }

    pub mod provider {
        use std::future::Future;

        /// `aws_credential_types::provider::error::CredentialsError`.
        #[derive(Debug)]
        pub struct CredentialsError;

        /// `aws_credential_types::provider::ProvideCredentials` (its future is a named type
        /// there; any future of the same output adapts the same way).
        pub trait ProvideCredentials: Send + Sync {
            fn provide_credentials(
                &self,
            ) -> impl Future<Output = Result<super::Credentials, CredentialsError>> + Send + '_;
        }

        impl ProvideCredentials for super::Credentials {
            fn provide_credentials(
                &self,
            ) -> impl Future<Output = Result<super::Credentials, CredentialsError>> + Send + '_ {
                std::future::ready(Ok(self.clone()))
            }
        }
    }
}
