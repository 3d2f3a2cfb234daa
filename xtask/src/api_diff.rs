//! `cargo xtask api-diff OLD NEW`: what changes in the generated crate's public API between two
//! models, through the generator's own IR, and the semver class of the change.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::api_surface::semver::Version;
use codegen::api_surface::{ApiSurface, Report, diff};

/// The usage text of `cargo xtask api-diff`.
pub const USAGE: &str = "usage: cargo xtask api-diff OLD NEW [--crate-version V] [--no-overlay]

Compares the public API of the crates two models give (client methods, positional arguments,
setters, types, fields, variants, deprecations, documentation, endpoint rules) and prints one
line per change, naming the Rust item and the model shape; the last line is
`semver: major|minor|patch (B breaking, A additions, D documentation-only)`, under Cargo's rules
for a crate at version V (default: the version of generated/connectparticipant).

options:
  --crate-version V    classify for a crate at this version
  --no-overlay         merge no overlay (default: <model>.overlay.json beside each model)
  -h, --help           this text";

/// What `cargo xtask api-diff` was asked to do.
#[derive(Debug, Clone)]
pub struct ApiDiffArgs {
    pub old: PathBuf,
    pub new: PathBuf,
    pub version: Version,
    pub overlays: bool,
}

/// Parses the arguments after `cargo xtask api-diff`; `Ok(None)` asks for the usage text.
pub fn parse_args(root: &Path, mut args: impl Iterator<Item = String>) -> Result<Option<ApiDiffArgs>, String> {
    let mut models = Vec::new();
    let mut version = None;
    let mut overlays = true;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--crate-version" => {
                let text = args.next().ok_or("--crate-version needs a value")?;
                version = Some(Version::parse(&text)?);
            }
            "--no-overlay" => overlays = false,
            "-h" | "--help" => return Ok(None),
            option if option.starts_with('-') => return Err(format!("unknown option {option:?}")),
            model => models.push(PathBuf::from(model)),
        }
    }
    let [old, new]: [PathBuf; 2] =
        models.try_into().map_err(|models: Vec<PathBuf>| format!("two models expected, {} given", models.len()))?;
    let version = match version {
        Some(version) => version,
        None => committed_version(root)?,
    };
    Ok(Some(ApiDiffArgs { old, new, version, overlays }))
}

/// The version of the committed crate (the one whose users the report speaks to).
fn committed_version(root: &Path) -> Result<Version, String> {
    let version = crate::release::Record::read(&root.join("generated/connectparticipant"))?
        .map_or_else(|| crate::release::FIRST_VERSION.to_owned(), |record| record.version);
    Version::parse(&version)
}

/// The public API of the crate `model` gives.
pub fn surface(model: &Path, overlays: bool) -> Result<ApiSurface, String> {
    let json =
        std::fs::read_to_string(model).map_err(|e| format!("{}: cannot read the model: {e}", model.display()))?;
    let mut options = codegen::GenerateOptions::new("api-diff");
    if overlays && let Some(overlay) = crate::default_overlay(model) {
        options.overlays.push(codegen::smithy::Overlay::read(&overlay).map_err(|e| e.to_string())?);
    }
    codegen::api_surface(&json, &options).map_err(|e| format!("{}: {e}", model.display()))
}

/// The report between two models.
pub fn report(old: &Path, new: &Path, overlays: bool) -> Result<Report, String> {
    Ok(diff(&surface(old, overlays)?, &surface(new, overlays)?))
}

/// Prints the report.
pub fn run(args: &ApiDiffArgs) -> Result<ExitCode, String> {
    let report = report(&args.old, &args.new, args.overlays)?;
    println!("API changes from {} to {}:", args.old.display(), args.new.display());
    println!("{}", report.render(&args.version));
    Ok(ExitCode::SUCCESS)
}

/// The successive revisions of the service's model in `SHARED/models/history`, oldest first
/// (their names end in the revision date); `None` when that folder is missing.
pub fn history_models(shared: &Path) -> Result<Option<Vec<PathBuf>>, String> {
    let dir = shared.join("models/history");
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    models.sort();
    Ok(Some(models))
}

/// Fixture model pairs in `tests/fixtures/api_diff/`, one kind of change each (and its reverse
/// where that is another kind): (old, new, kind).
pub const FIXTURE_PAIRS: &[(&str, &str, &str)] = &[
    ("base", "note_required", "optional_to_required"),
    ("note_required", "base", "required_to_optional"),
    ("base", "count_defaulted", "default_added"),
    ("count_defaulted", "base", "default_removed"),
    ("base", "blue_removed", "enum_value_removed"),
    ("blue_removed", "base", "enum_value_added"),
    ("base", "weight_integer", "member_target_changed"),
    ("base", "item_renamed", "shape_renamed"),
    ("base", "item_union", "structure_to_union"),
    ("base", "fetch_added", "operation_added"),
    ("fetch_added", "base", "operation_removed"),
    ("base", "docs_changed", "documentation_only"),
    ("base", "endpoint_changed", "endpoint_rules_only"),
    ("base", "label_deprecated", "deprecation"),
    ("base", "base", "no_change"),
];

/// The reference data folder: `$SHARED_DIR`, else `../shared` beside the checkout.
pub fn shared_dir(root: &Path) -> PathBuf {
    std::env::var_os("SHARED_DIR").map_or_else(|| root.join("../shared"), PathBuf::from)
}

/// The fixture model `name` of [`FIXTURE_PAIRS`].
pub fn fixture(root: &Path, name: &str) -> PathBuf {
    root.join("tests/fixtures/api_diff").join(format!("{name}.json"))
}
