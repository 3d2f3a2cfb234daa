//! Stand-in for the generated `runtime` module: it declares every runtime file, each optional
//! one behind its feature, as the generator does for the features a model uses.

pub mod authorize;
#[cfg(feature = "blobs-received")]
pub mod base64_read;
#[cfg(feature = "blobs-sent")]
pub mod base64_write;
#[cfg(feature = "checksum-required")]
pub mod checksum;
#[cfg(feature = "request-compression")]
pub mod compression;
#[cfg(feature = "idempotency-tokens")]
pub mod idempotency;
pub mod json;
mod operation;
pub mod orchestrator;
#[cfg(feature = "input-patterns")]
pub mod pattern;
pub mod request;
pub mod response;
pub mod retry;
#[cfg(feature = "timestamps-in-json")]
pub mod timestamp_json;
#[cfg(feature = "timestamps-received")]
pub mod timestamp_text;
#[cfg(feature = "timestamps-sent")]
pub mod timestamp_write;
pub mod uri;
pub mod validate;

pub use operation::{Operation, RetryKind};
pub use orchestrator::Handle;

/// The credentials provider a [`Config`](crate::config::Config) holds: in crates that sign, any
/// provider; in the others, none can be set.
#[cfg(feature = "sigv4")]
pub type CredentialsProvider = std::sync::Arc<dyn crate::auth::credentials::ProvideCredentials>;
#[cfg(not(feature = "sigv4"))]
pub type CredentialsProvider = std::convert::Infallible;
/// What authenticates requests: the SigV4 signer in crates that sign.
#[cfg(feature = "sigv4")]
pub use crate::auth::sigv4::Signer as Authorizer;
#[cfg(not(feature = "sigv4"))]
pub use authorize::NoAuth as Authorizer;
