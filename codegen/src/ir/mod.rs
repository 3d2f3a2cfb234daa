//! Stage 2: the resolved intermediate representation.
//!
//! The IR is what the emitters need and nothing more: every member knows its Rust name, its
//! resolved type, its HTTP binding and its constraints; every operation knows its route, its
//! input/output structures and its errors. Emitters never look at the Smithy AST.

mod analysis;
mod auth;
mod bindings;
pub mod docs;
mod http;
pub mod literal;
mod members;
#[cfg(test)]
mod names_tests;
pub mod protocol_tests;
mod resolve;
mod role;
mod types;

pub use crate::names::{ItemPath, ModuleName, RustIdent, TypeName};
pub use http::{HostPrefix, HostPrefixPart, Route, UriSegment};
pub use members::decode_base64;
pub use resolve::{Options, resolve};
pub use types::*;
