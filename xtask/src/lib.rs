//! The project's tasks, as a library so that tests run them exactly as `cargo xtask` does.
//!
//! `cargo xtask regenerate [--check] [--model PATH --out DIR --crate-name NAME]` regenerates the
//! client crate from the service model. With no options it turns the bundled
//! `model/connectparticipant.json` into `generated/connectparticipant`; `--check` writes
//! nothing and fails, naming the stale files, when the committed crate differs from what the
//! model gives.
//!
//! `cargo xtask bench [--smoke] [--build-cost]` runs the benchmark against the official SDK,
//! rusoto and a bare hyper floor (see [`bench`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::GenerateOptions;

pub mod bench;

/// The usage text.
pub const USAGE: &str = "\
usage: cargo xtask regenerate [options]
       cargo xtask bench [--smoke] [--build-cost] (see `cargo xtask bench --help`)

Generates a Rust client crate from a Smithy JSON AST model.

options:
  --model PATH         the model (default: model/connectparticipant.json)
  --out DIR            the crate directory (default: generated/connectparticipant)
  --crate-name NAME    the package name (default: connectparticipant)
  --service ID         the service shape, when the model has several
  --protocol-tests     also emit the model's smithy.test protocol tests as #[test]s
  --check              write nothing; fail if the crate is not what the model gives
  -h, --help           this text";

/// What `cargo xtask regenerate` was asked to do.
#[derive(Debug, Clone)]
pub struct Args {
    pub model: PathBuf,
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
        out: root.join("generated/connectparticipant"),
        crate_name: "connectparticipant".to_owned(),
        service: None,
        protocol_tests: false,
        check: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--model" => parsed.model = PathBuf::from(value("--model")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--crate-name" => parsed.crate_name = value("--crate-name")?,
            "--service" => parsed.service = Some(value("--service")?),
            "--protocol-tests" => parsed.protocol_tests = true,
            "--check" => parsed.check = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    let valid_name = !parsed.crate_name.is_empty()
        && parsed.crate_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && parsed.crate_name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid_name {
        return Err(format!("{:?} is not a valid crate name", parsed.crate_name));
    }
    Ok(Some(parsed))
}

/// The generator options for a run: the bundled model shows `SendMessage` in its quickstart.
pub fn options(args: &Args) -> GenerateOptions {
    let mut options = GenerateOptions::new(&args.crate_name);
    options.service = args.service.clone();
    options.protocol_tests = args.protocol_tests;
    if args.model.file_name().is_some_and(|name| name == "connectparticipant.json") {
        options.example_operation = Some("SendMessage".to_owned());
    }
    options
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ has a parent").to_path_buf()
}

/// Runs `regenerate`, printing progress and timing to stderr.
pub fn regenerate(args: &Args) -> Result<ExitCode, String> {
    let started = Instant::now();
    let options = options(args);
    eprintln!("regenerate: model {} -> {}", args.model.display(), args.out.display());
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
