//! The runtime of generated crates, compiled on its own.
//!
//! Every file under `src/` except the stand-ins is copied verbatim into generated crates, at
//! the same path, so `crate::...` paths mean the same thing here and there. The stand-ins
//! (this file, `endpoint/mod.rs`, `runtime/mod.rs`, `protocol_tests/mod.rs`) play the part of
//! what the generator emits around the runtime: the module declarations, the service's name and
//! the endpoint module; `credentials_test_support.rs` holds what the credential providers'
//! tests share (temporary files, a server on 127.0.0.1, a log recorder). Each optional file sits
//! behind the cargo feature named like the generator's runtime feature that emits it.
//!
//! Items of the runtime are `pub` where generated code calls them: here that makes them the
//! crate's interface, and in a generated crate (where their modules are private) the compiler
//! reports any the model leaves unused.

#![forbid(unsafe_code)]

#[cfg(feature = "sigv4")]
pub mod auth;
pub mod config;
#[cfg(all(test, feature = "sigv4"))]
mod credentials_test_support;
pub mod endpoint;
pub mod error;
#[cfg(feature = "pagination")]
pub mod pagination;
#[cfg(any(feature = "timestamps", feature = "blobs", feature = "documents", feature = "sigv4"))]
pub mod primitives;
#[cfg(test)]
mod protocol_tests;
pub mod runtime;
pub mod transport;
/// Stand-in for the generated `types` module, which declares `unknown_value` when the model has
/// enums.
#[cfg(feature = "enums")]
pub mod types {
    mod unknown_value;
    pub use unknown_value::UnknownValue;
}

/// Stand-in for the service's SDK id, which generated crates name in logs.
pub(crate) const SERVICE_NAME: &str = "Runtime";
/// Stand-in for the suffix of the service's `AWS_ENDPOINT_URL_*` variable.
pub(crate) const SERVICE_ENV_SUFFIX: &str = "RUNTIME";
