//! Stage 3: the IR turned into the files of a crate.
//!
//! Each submodule emits one kind of item and returns token streams; [`emit_crate`] decides the
//! file layout. One file per shape and per operation keeps regeneration diffs small; wire code
//! lives under `protocol/`, apart from the public types. Rust is only ever built with `quote!`
//! and `format_ident!`; the only text files are `Cargo.toml`, `README.md`, `LICENSE` and the
//! hand-written runtime copied from the runtime crate (`codegen/runtime/`, see `runtime_files`).

mod blocking;
mod cargo_toml;
mod client;
mod crate_docs;
mod crate_root;
mod deprecation;
mod deserialize;
mod docs;
mod endpoint_params;
mod error_dispatch;
mod idempotency;
mod literals;
mod operation;
mod paginator;
mod paths;
mod protocol;
mod protocol_tests;
mod readme;
mod runtime_files;
mod serialize;
mod shape_files;
mod shape_wire;
mod shapes;
mod types;
mod validate;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::api_surface::verbatim::{Origin, Source, SourceFile};
use crate::endpoint_rules;
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
    /// The MD5 of the model file, in hex: the crate's documentation names the model revision.
    pub model_md5: String,
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
    runtime_files::all_files().map(runtime_files::RuntimeFile::source).chain(crate::customizations::sources()).collect()
});

/// Whether `path` (relative to a crate root) is a hand-written runtime or customization file
/// copied verbatim, rather than code generated from the model.
pub fn is_runtime_file(path: &str) -> bool {
    runtime_files::all_files().any(|file| file.path == path) || crate::customizations::is_customization_file(path)
}

/// The crate's Rust files, each with where it comes from: what the hand-written part of its
/// API surface is read from.
pub fn source_files(krate: &GeneratedCrate) -> Vec<SourceFile<'_>> {
    krate
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, content)| {
            let path = path.as_str();
            let origin = if runtime_files::all_files().any(|file| file.path == path) {
                Origin::Runtime
            } else if let Some(feature) = crate::customizations::feature_of_file(path) {
                Origin::Customization(feature)
            } else {
                Origin::Generated
            };
            let source = match content {
                FileContent::Rust(tokens) => Source::Tokens(tokens),
                FileContent::Text(text) => Source::Text(text),
            };
            SourceFile { path, source, origin }
        })
        .collect()
}

/// Emits every file of the crate for `ir`.
pub fn emit_crate(ir: &Ir, options: &EmitOptions) -> Result<GeneratedCrate> {
    let mut krate = GeneratedCrate::default();
    krate.text("README.md", readme::readme(ir, options));
    // The license the crate is published under (`license` in `Cargo.toml`), as crates.io
    // packages carry it.
    krate.text("LICENSE", include_str!("../../data/LICENSE-Apache-2.0.txt"));
    for file in runtime_files::files(&ir.features) {
        krate.text(file.path, file.source());
    }
    let customization = crate::customizations::for_service(&ir.service.id);
    if let Some(customization) = customization {
        customization.check(ir)?;
        customization.files.iter().for_each(|file| krate.text(file.path, file.source));
    }
    if options.protocol_tests {
        krate.protocol_tests = protocol_tests::emit(ir, &options.protocol_test_skips, &mut krate);
    }
    krate.rust("src/lib.rs", crate_root::lib_rs(ir, options, !krate.protocol_tests.is_empty()));
    krate.rust("src/client.rs", client::module(ir));
    krate.rust("src/blocking.rs", blocking::module(ir));
    krate.rust("src/runtime/mod.rs", runtime_files::runtime_mod(ir));

    let endpoint = endpoint_rules::emit_endpoint_module(
        &ir.service.id,
        ir.service.endpoint_rules.as_ref(),
        &ir.service.endpoint_tests,
    )?;
    krate.rust("src/endpoint/mod.rs", endpoint.module);
    krate.rust("src/endpoint/partitions.rs", endpoint_rules::emit_partitions()?);
    // Every `#[cfg(test)]` module a crate can get: its protocol tests, its endpoint rules'
    // tests, a customization's own (runtime files ship without theirs).
    let unit_tests = !krate.protocol_tests.is_empty()
        || endpoint.tests.is_some()
        || customization.is_some_and(|customization| customization.has_unit_tests());
    if let Some(tests) = endpoint.tests {
        krate.rust("src/endpoint/tests.rs", tests);
    }
    krate.text("Cargo.toml", cargo_toml::cargo_toml(ir, options, unit_tests));

    shape_files::emit(ir, &mut krate)?;
    let mut operation_modules = Vec::new();
    let mut wire_modules = Vec::new();
    for op in &ir.operations {
        let module = &op.module;
        krate.rust(format!("src/operation/{module}.rs"), operation::module(ir, op));
        krate.rust(format!("src/protocol/{module}.rs"), protocol::operation_wire(ir, op));
        let docs = docs::doc(&docs::summary(&op.docs), || format!("The `{}` operation.", op.name));
        operation_modules.push(quote!(#docs pub mod #module;));
        wire_modules.push(quote!(pub(crate) mod #module;));
    }
    krate.rust(
        "src/operation/mod.rs",
        quote! {
            #![doc = " Operations: for each, its input, output, error enum and call builder."]
            #(#operation_modules)*
        },
    );
    krate.rust(
        "src/protocol/mod.rs",
        quote! {
            #![doc = " Wire code: how inputs become requests and responses become outputs."]
            pub(crate) mod errors;
            pub(crate) mod shapes;
            #(#wire_modules)*
        },
    );
    Ok(krate)
}
