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

pub mod api_surface;
pub mod customizations;
mod doc_attrs;
pub mod emit;
pub mod endpoint_rules;
pub mod error;
pub mod ir;
pub mod json;
pub mod names;
pub mod render;
pub mod smithy;

pub use error::CodegenError;

use std::path::Path;

/// Everything a caller chooses about one generation run.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// The package name of the emitted crate.
    pub crate_name: String,
    /// The version of the emitted crate.
    pub crate_version: String,
    /// Which service to generate, when the model holds several.
    pub service: Option<String>,
    /// The operation shown in the crate's quickstart.
    pub example_operation: Option<String>,
    /// Emit the model's `smithy.test` protocol tests as `#[test]`s.
    pub protocol_tests: bool,
    /// Protocol test cases expected to fail, emitted as `#[ignore = reason]`: keyed by case id,
    /// or by `request:<id>` / `response:<id>`.
    pub protocol_test_skips: emit::ProtocolTestSkips,
    /// Overlays merged into the model as it loads: traits the project adds to a model it does
    /// not own (see [`smithy::Overlay`]).
    pub overlays: Vec<smithy::Overlay>,
    /// The hand-written part of the surface the crate recorded when it was last generated
    /// (`api-surface.json`): given back as is when the hand-written sources are unchanged
    /// (see [`VerbatimSurface::from_files_reusing`](api_surface::verbatim::VerbatimSurface::from_files_reusing)).
    pub known_verbatim: Option<api_surface::verbatim::VerbatimSurface>,
}

impl GenerateOptions {
    /// Options for a crate called `crate_name`, version 0.1.0.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Self {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".to_owned(),
            service: None,
            example_operation: None,
            protocol_tests: false,
            protocol_test_skips: emit::ProtocolTestSkips::new(),
            overlays: Vec::new(),
            known_verbatim: None,
        }
    }
}

/// The result of a run: the files, and what the generator left out or assumed.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Rendered files by path relative to the crate root, in path order.
    pub files: Vec<(String, String)>,
    /// Warnings (operations left out and why), each naming the shape.
    pub warnings: Vec<String>,
    /// The protocol tests emitted (with `GenerateOptions::protocol_tests`).
    pub protocol_tests: Vec<emit::ProtocolTest>,
}

/// The public API of the crate a model gives: the model-derived part from the IR, the
/// hand-written part from the crate's sources (emitted, not rendered nor written).
pub fn api_surface(model_json: &str, options: &GenerateOptions) -> Result<api_surface::ApiSurface, CodegenError> {
    let ir = load_ir(model_json, options)?;
    let krate = emit::emit_crate(&ir, &emit_options(model_json, options))?;
    surface(&ir, &krate, options)
}

/// The hand-written part of the surface of the crate a model gives, with each verbatim file's
/// text from `text_of` (its path in the crate and origin; `None` leaves the file out): the
/// surface the same crate had with the hand-written files of another revision.
pub fn verbatim_surface_with(
    model_json: &str,
    options: &GenerateOptions,
    text_of: impl Fn(&str, api_surface::verbatim::Origin) -> Result<Option<String>, String>,
) -> Result<api_surface::verbatim::VerbatimSurface, CodegenError> {
    use api_surface::verbatim::{Origin, Source, SourceFile};
    let ir = load_ir(model_json, options)?;
    let krate = emit::emit_crate(&ir, &emit_options(model_json, options))?;
    let files = emit::source_files(&krate);
    let mut texts = Vec::new();
    for file in &files {
        let text = match file.origin {
            Origin::Generated => None,
            origin => text_of(file.path, origin).map_err(CodegenError::internal)?,
        };
        texts.push(text);
    }
    let replaced: Vec<SourceFile<'_>> = files
        .iter()
        .zip(&texts)
        .filter_map(|(file, text)| match (file.origin, text) {
            (Origin::Generated, _) => Some(*file),
            (_, Some(text)) => Some(SourceFile { source: Source::Text(text), ..*file }),
            (_, None) => None,
        })
        .collect();
    api_surface::verbatim::VerbatimSurface::from_files(&replaced).map_err(CodegenError::internal)
}

/// The surface of an emitted crate.
fn surface(
    ir: &ir::Ir,
    krate: &emit::GeneratedCrate,
    options: &GenerateOptions,
) -> Result<api_surface::ApiSurface, CodegenError> {
    let mut surface = api_surface::ApiSurface::from_ir(ir);
    let files = emit::source_files(krate);
    let verbatim = api_surface::verbatim::VerbatimSurface::from_files_reusing(&files, options.known_verbatim.as_ref())
        .map_err(CodegenError::internal)?;
    surface.verbatim = Some(verbatim);
    Ok(surface)
}

fn emit_options(model_json: &str, options: &GenerateOptions) -> emit::EmitOptions {
    emit::EmitOptions {
        crate_name: options.crate_name.clone(),
        crate_version: options.crate_version.clone(),
        example_operation: options.example_operation.clone(),
        protocol_tests: options.protocol_tests,
        protocol_test_skips: options.protocol_test_skips.clone(),
        // Names the model revision in the crate's documentation: `md5sum` of the file
        // gives the same text. An identifier, not a security check.
        model_md5: format!("{:x}", md5::compute(model_json)),
    }
}

fn load_ir(model_json: &str, options: &GenerateOptions) -> Result<ir::Ir, CodegenError> {
    let model = smithy::Model::parse_with_overlays(model_json, &options.overlays)?;
    let mut ir = ir::resolve(&model, &ir::Options { service: options.service.clone() })?;
    if let Some(customization) = customizations::for_service(&ir.service.id) {
        // What the service's hand-written code uses of the runtime, beside what the model does.
        ir.features.extend(customization.runtime_features.iter().copied());
    }
    Ok(ir)
}

/// Runs the whole pipeline on a model's JSON text (and the overlays of `options`).
pub fn generate(model_json: &str, options: &GenerateOptions) -> Result<Generated, CodegenError> {
    let ir = load_ir(model_json, options)?;
    let krate = emit::emit_crate(&ir, &emit_options(model_json, options))?;
    rendered(ir, krate)
}

/// As [`generate`], with the crate's public API from the same emission (what `cargo xtask
/// regenerate` versions the crate by). Apart because reading the hand-written part parses every
/// runtime and customization file: work the other callers (tests generating hundreds of models,
/// the corpus sweep) do not need.
pub fn generate_with_surface(
    model_json: &str,
    options: &GenerateOptions,
) -> Result<(Generated, api_surface::ApiSurface), CodegenError> {
    let ir = load_ir(model_json, options)?;
    let krate = emit::emit_crate(&ir, &emit_options(model_json, options))?;
    let surface = surface(&ir, &krate, options)?;
    Ok((rendered(ir, krate)?, surface))
}

fn rendered(ir: ir::Ir, krate: emit::GeneratedCrate) -> Result<Generated, CodegenError> {
    Ok(Generated { files: render::render(krate.files)?, warnings: ir.warnings, protocol_tests: krate.protocol_tests })
}

/// Reads a model file and generates the crate into `out_dir` (or checks it, with `check`).
pub fn generate_to_dir(
    model_path: &Path,
    out_dir: &Path,
    options: &GenerateOptions,
    check: bool,
) -> Result<(Generated, render::WriteReport), CodegenError> {
    let json = std::fs::read_to_string(model_path)
        .map_err(|e| CodegenError::io(model_path, format_args!("cannot read the model: {e}")))?;
    let generated = generate(&json, options)?;
    let report = render::write(out_dir, &generated.files, check)?;
    Ok((generated, report))
}
