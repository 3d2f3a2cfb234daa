//! Stage 3: the IR turned into the files of a crate.
//!
//! Each submodule emits one kind of item and returns token streams; [`emit_crate`] decides the
//! file layout. Rust is only ever built with `quote!` and `format_ident!`; the only text files
//! are `Cargo.toml` and the hand-written runtime copied from `codegen/runtime/`.

mod cargo_toml;
mod client;
mod deserialize;
mod docs;
mod layout;
mod operation;
mod paginator;
mod protocol_tests;
mod runtime_files;
mod serialize;
mod shapes;
mod types;
mod validate;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::error::Result;
use crate::ir::Ir;

pub use protocol_tests::{ProtocolTest, ProtocolTestKind, ProtocolTestSkips};

/// Choices about the emitted crate.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// The crate's package name (`connectparticipant`).
    pub crate_name: String,
    /// The crate's version.
    pub crate_version: String,
    /// The operation shown in the crate's quickstart (else the first with string arguments).
    pub example_operation: Option<String>,
    /// Emit the model's `smithy.test` protocol tests as `#[test]`s.
    pub protocol_tests: bool,
    /// Protocol tests to emit as `#[ignore]`d, with the reason.
    pub protocol_test_skips: ProtocolTestSkips,
}

/// The content of one emitted file.
#[derive(Debug, Clone)]
pub enum FileContent {
    /// Rust source, pretty-printed when rendered.
    Rust(TokenStream),
    /// A file copied or written as text (runtime sources, `Cargo.toml`).
    Text(String),
}

/// A generated crate: file contents by path relative to the crate root.
#[derive(Debug, Clone, Default)]
pub struct GeneratedCrate {
    pub files: BTreeMap<String, FileContent>,
    /// The protocol tests emitted (with `EmitOptions::protocol_tests`).
    pub protocol_tests: Vec<ProtocolTest>,
}

impl GeneratedCrate {
    fn rust(&mut self, path: impl Into<String>, tokens: TokenStream) {
        self.files.insert(path.into(), FileContent::Rust(tokens));
    }

    fn text(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.files.insert(path.into(), FileContent::Text(text.into()));
    }
}

/// The text of every runtime file (a stale copy of an old runtime is not recognised, and so is
/// left in place rather than deleted).
pub static RUNTIME_SOURCES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    runtime_files::RUNTIME_FILES.iter().map(|file| file.source).chain(crate::customizations::sources()).collect()
});

/// Whether `path` (relative to a crate root) is a hand-written runtime or customization file
/// copied verbatim, rather than code generated from the model.
pub fn is_runtime_file(path: &str) -> bool {
    runtime_files::RUNTIME_FILES.iter().any(|file| file.path == path)
        || crate::customizations::is_customization_file(path)
}

/// Emits every file of the crate for `ir`.
pub fn emit_crate(ir: &Ir, options: &EmitOptions) -> Result<GeneratedCrate> {
    layout::emit(ir, options)
}
