//! The project's tasks, as a library so that tests run them exactly as `cargo xtask` does.
//!
//! `cargo xtask regenerate [--check] [--model PATH --out DIR --crate-name NAME]` regenerates the
//! client crate from the service model. With no options it turns the bundled
//! `model/connectparticipant.json` into `generated/connectparticipant`; `--check` writes
//! nothing and fails, naming the stale files, when the committed crate differs from what the
//! model gives.
//!
//! An overlay beside the model (`<model>.overlay.json`, e.g. `model/connectparticipant.overlay.json`)
//! is merged into it when present: `apply` statements adding traits the upstream model does not
//! state. `--overlay PATH` (repeatable) names overlays instead; `--no-overlay` uses none.
//!
//! `cargo xtask sweep [DIR] [--test]` checks the generator over a folder of models: see
//! [`sweep`].
//!
//! `cargo xtask emulator [--port P]` runs the local service emulator with a person playing the
//! agent (the `connectparticipant-emulator` binary, built on demand so that `regenerate` stays
//! light).
//!
//! `cargo xtask bench [--smoke] [--build-cost] [--baseline REV]` runs the benchmark against the
//! official SDK, rusoto, a bare hyper floor and optionally this client as of an earlier commit
//! (see [`bench`]).
//!
//! `cargo xtask api-diff OLD NEW` prints what changes in the crate's public API between two
//! models and its semver class (see [`api_diff`]); `regenerate` prints the same report against
//! the committed crate, bumps its version and writes its changelog (see [`release`]).
//! `cargo xtask semver-compare` checks those classes against `cargo-semver-checks`.
//! `cargo xtask surface-baseline REV` records the hand-written API as of a git revision (see
//! [`surface_baseline`]).
//!
//! [`cli`] is the one dispatcher: every command's usage, and `--help` on each.

pub mod api_diff;
pub mod bench;
pub mod cli;
pub mod release;
pub mod semver_compare;
pub mod soak;
pub mod surface_baseline;
pub mod sweep;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::GenerateOptions;

/// The usage text of `cargo xtask regenerate` (`cargo xtask --help` prints every command's).
pub const USAGE: &str = "\
usage: cargo xtask regenerate [options]

Generates a Rust client crate from a Smithy JSON AST model. When the crate is there already,
compares the new API with the one it records (api-surface.json), prints the report, bumps the
crate's version as the change demands and adds an entry to its CHANGELOG.md.

options:
  --model PATH         the model (default: model/connectparticipant.json)
  --out DIR            the crate directory (default: generated/connectparticipant)
  --crate-name NAME    the package name (default: connectparticipant)
  --service ID         the service shape, when the model has several
  --overlay PATH       merge this overlay (apply statements) into the model; repeatable
                       (default: <model>.overlay.json beside the model, when present)
  --no-overlay         merge no overlay
  --protocol-tests     also emit the model's smithy.test protocol tests as #[test]s
  --model-revision R   the model's revision (the date AWS published it: YYYY-MM-DD), for the
                       changelog (default: a -YYYY-MM-DD suffix of the model's file name, else
                       the revision the crate records when its API did not change)
  --check              write nothing; fail if the crate, its version or its changelog is not
                       what the model gives
  -h, --help           this text";

/// What `cargo xtask regenerate` was asked to do.
#[derive(Debug, Clone)]
pub struct Args {
    pub model: PathBuf,
    /// Overlays merged into the model, in order.
    pub overlays: Vec<PathBuf>,
    pub out: PathBuf,
    pub crate_name: String,
    pub service: Option<String>,
    pub protocol_tests: bool,
    /// The model's revision, for the changelog (see [`release`]).
    pub model_revision: Option<String>,
    pub check: bool,
}

/// Parses the arguments after `cargo xtask`; `Ok(None)` asks for the usage text.
pub fn parse_args(root: &Path, mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    match args.next().as_deref() {
        Some("regenerate") => {}
        Some("-h" | "--help") | None => return Ok(None),
        Some(other) => return Err(format!("unknown task {other:?}")),
    }
    let mut parsed = Args {
        model: root.join("model/connectparticipant.json"),
        overlays: Vec::new(),
        out: root.join("generated/connectparticipant"),
        crate_name: "connectparticipant".to_owned(),
        service: None,
        protocol_tests: false,
        model_revision: None,
        check: false,
    };
    let mut overlays = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--model" => parsed.model = PathBuf::from(value("--model")?),
            "--overlay" => overlays.get_or_insert_with(Vec::new).push(PathBuf::from(value("--overlay")?)),
            "--no-overlay" => overlays = Some(Vec::new()),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--crate-name" => parsed.crate_name = value("--crate-name")?,
            "--service" => parsed.service = Some(value("--service")?),
            "--protocol-tests" => parsed.protocol_tests = true,
            "--model-revision" => parsed.model_revision = Some(value("--model-revision")?),
            "--check" => parsed.check = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    parsed.overlays = overlays.unwrap_or_else(|| default_overlay(&parsed.model).into_iter().collect());
    let valid_name = !parsed.crate_name.is_empty()
        && parsed.crate_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && parsed.crate_name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid_name {
        return Err(format!("{:?} is not a valid crate name", parsed.crate_name));
    }
    Ok(Some(parsed))
}

/// The overlay beside a model, `<stem>.overlay.json`, when there is one.
pub fn default_overlay(model: &Path) -> Option<PathBuf> {
    let stem = model.file_stem()?.to_str()?;
    Some(model.with_file_name(format!("{stem}.overlay.json"))).filter(|path| path.is_file())
}

/// The generator options for a run (reading the overlays): the bundled model shows
/// `SendMessage` in its quickstart; the version is the one the crate in `--out` records.
pub fn options(args: &Args) -> Result<GenerateOptions, String> {
    options_with(args, release::Record::read(&args.out)?.as_ref())
}

/// [`options`] with the record of the crate in `--out` already read.
fn options_with(args: &Args, committed: Option<&release::Record>) -> Result<GenerateOptions, String> {
    let mut options = GenerateOptions::new(&args.crate_name);
    if let Some(record) = committed {
        options.crate_version = record.version.clone();
        options.known_verbatim = record.surface.verbatim.clone();
    }
    for path in &args.overlays {
        options.overlays.push(codegen::smithy::Overlay::read(path).map_err(|e| e.to_string())?);
    }
    options.service = args.service.clone();
    options.protocol_tests = args.protocol_tests;
    if args.model.file_name().is_some_and(|name| name == "connectparticipant.json") {
        options.example_operation = Some("SendMessage".to_owned());
    }
    Ok(options)
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ has a parent").to_path_buf()
}

/// Runs `regenerate`, printing progress and timing to stderr.
pub fn regenerate(args: &Args) -> Result<ExitCode, String> {
    let started = Instant::now();
    // Read once: it gives the version and the recorded surface to the generator, and the
    // surface to compare with to the release plan.
    let committed = release::Record::read(&args.out)?;
    let mut options = options_with(args, committed.as_ref())?;
    eprintln!("regenerate: model {} -> {}", args.model.display(), args.out.display());
    for overlay in &args.overlays {
        eprintln!("regenerate: overlay {}", overlay.display());
    }
    let json = std::fs::read_to_string(&args.model)
        .map_err(|e| format!("{}: cannot read the model: {e}", args.model.display()))?;
    // Generated at the recorded version first: the surface does not depend on it, and most runs
    // keep it, so the crate is generated once (twice when the version moves).
    let (mut generated, surface) = codegen::generate_with_surface(&json, &options).map_err(|e| e.to_string())?;
    let revision = args.model_revision.clone().or_else(|| release::revision_from_file_name(&args.model));
    let release = release::plan(&args.out, committed.as_ref(), &args.crate_name, &surface, revision)?;
    print_release(&release);
    if release.version != options.crate_version {
        options.crate_version = release.version.clone();
        generated = codegen::generate(&json, &options).map_err(|e| e.to_string())?;
    }
    generated.files.extend(release.files);
    let report = codegen::render::write(&args.out, &generated.files, args.check).map_err(|e| e.to_string())?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    let generate_time = started.elapsed();
    if args.check {
        let stale: Vec<&PathBuf> = report.changed.iter().chain(&report.removed).collect();
        if stale.is_empty() {
            eprintln!("regenerate --check: {} files up to date ({:.2?})", report.unchanged, generate_time);
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("regenerate --check: {} stale files (run `cargo xtask regenerate`):", stale.len());
        for path in report.changed {
            eprintln!("  differs: {}", path.display());
        }
        for path in report.removed {
            eprintln!("  no longer generated: {}", path.display());
        }
        return Ok(ExitCode::FAILURE);
    }
    eprintln!(
        "regenerate: {} files ({} written, {} unchanged, {} removed) in {:.2?}",
        generated.files.len(),
        report.changed.len(),
        report.unchanged,
        report.removed.len(),
        generate_time
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints the API change report against the committed crate, and the version it gives.
fn print_release(release: &release::Release) {
    match (&release.report, &release.previous) {
        (Some(report), Some(previous)) if !report.is_empty() => {
            eprintln!("regenerate: API changes against the committed crate:\n{}", report.render(previous));
            eprintln!("regenerate: version {previous} -> {}", release.version);
        }
        (Some(report), _) => {
            for note in &report.notes {
                eprintln!("regenerate: note: {note}");
            }
            eprintln!("regenerate: the crate's API is unchanged (version {})", release.version);
        }
        (None, _) => eprintln!("regenerate: first generation, version {}", release.version),
    }
}

/// Runs the emulator binary with `args` (what follows `cargo xtask emulator`), in the
/// foreground, and returns its exit status.
pub fn emulator(args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args(["run", "--quiet", "--package", "connectparticipant-emulator", "--"])
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
