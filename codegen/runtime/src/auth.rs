//! Authentication with AWS credentials: where credentials come from and how requests are signed.
//!
//! Only crates of services that sign with SigV4 carry this module; a service whose operations
//! carry their own bearer token reads no AWS credentials at all.

mod config;
pub mod credentials;
pub mod sigv4;
