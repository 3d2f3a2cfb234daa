//! How an operation is authenticated on the wire, and the hook through which the pipeline asks
//! for it on every attempt.
//!
//! Crates of services that sign get the SigV4 signer (`auth::sigv4::Signer`) as their
//! [`Authorize`]; the others get [`NoAuth`], and their operations (whose
//! [`Operation::AUTH`](super::Operation::AUTH) is [`AuthScheme::None`]) never call it.

use std::future::Future;
use std::pin::Pin;

use crate::config::{Config, ConfigBuilder};
use crate::endpoint::Endpoint;
use crate::error::AuthError;
use crate::transport::{HttpRequest, HttpResponse};

/// How requests of an operation are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// Sent as built: the operation has no auth, or carries its own credential (an
    /// `X-Amz-Bearer` token member).
    None,
    /// Signed with AWS Signature Version 4.
    #[allow(dead_code, reason = "constructed only by the operations of crates that sign")]
    Sigv4 {
        /// The service's signing name (`aws.auth#sigv4`'s `name`).
        signing_name: &'static str,
        /// `@unsignedPayload`: the body is not part of the signature.
        unsigned_payload: bool,
        /// `@optionalAuth`: sent unsigned when no credentials can be found.
        optional: bool,
        /// The payload hash is sent as `x-amz-content-sha256` too (S3, Glacier).
        content_sha256_header: bool,
    },
}

/// The future [`Authorize::authorize`] returns.
pub type AuthFuture<'a> = Pin<Box<dyn Future<Output = Result<(), AuthError>> + Send + 'a>>;

/// What authenticates a client's requests: one per client, shared by its calls.
pub trait Authorize: Send + Sync + Sized + 'static {
    /// The authorizer of a client with `config`.
    fn new(config: &Config) -> Self;

    /// What [`Config::from_env`] adds to `builder` in crates of this kind, from the variables
    /// `lookup` gives: nothing, unless the crate signs (then the profile's region and the
    /// default credentials chain).
    fn from_env(builder: ConfigBuilder, _lookup: &dyn Fn(&str) -> Option<String>) -> ConfigBuilder {
        builder
    }

    /// Authenticates `request` (as it goes on the wire, on each attempt) for `endpoint`.
    fn authorize<'a>(
        &'a self,
        scheme: &'a AuthScheme,
        endpoint: &'a Endpoint,
        request: &'a mut HttpRequest,
    ) -> AuthFuture<'a>;

    /// After an error response with `code`: whether it said the request's time was off and the
    /// clock was corrected, so that the request is worth signing and sending again.
    fn corrects_clock(&self, code: Option<&str>, response: &HttpResponse) -> bool;
}

/// The authorizer of crates whose operations all go unsigned.
#[allow(dead_code, reason = "the authorizer only of crates that never sign")]
#[derive(Debug)]
pub struct NoAuth;

impl Authorize for NoAuth {
    fn new(_config: &Config) -> Self {
        NoAuth
    }

    fn authorize<'a>(&'a self, _: &'a AuthScheme, _: &'a Endpoint, _: &'a mut HttpRequest) -> AuthFuture<'a> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn corrects_clock(&self, _code: Option<&str>, _response: &HttpResponse) -> bool {
        false
    }
}
