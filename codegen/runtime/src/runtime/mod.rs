//! Stand-in for the generated `runtime` module: it declares every runtime file, each optional
//! one behind its feature, as the generator does for the features a model uses.

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
