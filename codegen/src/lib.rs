//! A generator of Rust client crates for restJson1 services described by Smithy 2.0 JSON AST
//! models.
//!
//! The data takes one path through four stages, each its own module:
//!
//! 1. [`smithy`]: the JSON text, parsed into a typed Smithy AST (shapes and traits).
//! 2. [`ir`]: the AST resolved into what a client needs: operations with HTTP bindings per
//!    member, Rust names, constraints, and the shapes to emit.
//! 3. [`emit`]: the IR turned into Rust token streams (`quote`), one per file, plus the
//!    hand-written runtime files in `codegen/runtime/`, copied verbatim.
//! 4. [`render`]: token streams pretty-printed (`prettyplease`) and written to disk only where
//!    they changed.

pub mod emit;
pub mod endpoint_rules;
pub mod error;
pub mod ir;
pub mod render;
pub mod smithy;

pub use error::CodegenError;
