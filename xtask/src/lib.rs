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
//! `cargo xtask bench [--smoke] [--build-cost]` runs the benchmark against the official SDK,
//! rusoto and a bare hyper floor (see [`bench`]).

pub mod bench;
pub mod soak;
pub mod sweep;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::GenerateOptions;

/// The usage text.
pub const USAGE: &str = "\
usage: cargo xtask regenerate [options]
       cargo xtask emulator [--port P]   (the local service emulator; you play the agent)
       cargo xtask bench [--smoke] [--build-cost] (see `cargo xtask bench --help`)
       cargo xtask soak [--hours N] [--seed S]   (the chat soak on the paused clock)

Generates a Rust client crate from a Smithy JSON AST model.

options:
  --model PATH         the model (default: model/connectparticipant.json)
  --out DIR            the crate directory (default: generated/connectparticipant)
  --crate-name NAME    the package name (default: connectparticipant)
  --service ID         the service shape, when the model has several
  --overlay PATH       merge this overlay (apply statements) into the model; repeatable
                       (default: <model>.overlay.json beside the model, when present)
  --no-overlay         merge no overlay
  --protocol-tests     also emit the model's smithy.test protocol tests as #[test]s
  --check              write nothing; fail if the crate is not what the model gives
  -h, --help           this text

usage: cargo xtask sweep [DIR] [--test]

Generates every model in DIR (default: ../shared/corpus/restjson1) and checks all the crates
with one clippy run, warnings denied; --test also runs their tests.";

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
/// `SendMessage` in its quickstart.
pub fn options(args: &Args) -> Result<GenerateOptions, String> {
    let mut options = GenerateOptions::new(&args.crate_name);
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
    let options = options(args)?;
    eprintln!("regenerate: model {} -> {}", args.model.display(), args.out.display());
    for overlay in &args.overlays {
        eprintln!("regenerate: overlay {}", overlay.display());
    }
    let (generated, report) =
        codegen::generate_to_dir(&args.model, &args.out, &options, args.check).map_err(|e| e.to_string())?;
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
