//! `cargo xtask semver-compare`: the generator's class against `cargo-semver-checks`, the Rust
//! ecosystem's checker, on every consecutive pair of the service's model revisions.
//!
//! Both crates of a pair are generated at version 1.0.0 (so that the classes mean the same to
//! both tools: breaking = major, addition = minor) into `target/semver-compare/<revision>/`,
//! each its own workspace, and `cargo semver-checks --baseline-root OLD --release-type patch`
//! says which bump it finds the new crate needs. The generator's class must never be milder.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use codegen::api_surface::semver::{Bump, Version};

/// The usage text of `cargo xtask semver-compare`.
pub const USAGE: &str = "usage: cargo xtask semver-compare [--fixtures]

For every consecutive pair of ../shared/models/history, generates both crates under
target/semver-compare/ and runs `cargo semver-checks --baseline-root` on them; fails when the
generator's class (`cargo xtask api-diff`) is milder than what cargo-semver-checks finds.
Needs `cargo install cargo-semver-checks --locked`; takes minutes (rustdoc of 12 crates).

options:
  --fixtures    also every fixture pair of tests/fixtures/api_diff (one kind of change each)
  -h, --help    this text";

/// What `cargo xtask semver-compare` was asked to do.
#[derive(Debug, Clone)]
pub struct SemverCompareArgs {
    /// Also compare the fixture pairs.
    pub fixtures: bool,
}

/// Parses the arguments after `cargo xtask semver-compare`; `Ok(None)` asks for the usage text.
pub fn parse_args(_root: &Path, args: impl Iterator<Item = String>) -> Result<Option<SemverCompareArgs>, String> {
    let mut parsed = SemverCompareArgs { fixtures: false };
    for arg in args {
        match arg.as_str() {
            "--fixtures" => parsed.fixtures = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(Some(parsed))
}

/// Runs the comparison over every pair.
pub fn run(root: &Path, args: &SemverCompareArgs) -> Result<ExitCode, String> {
    let models = crate::api_diff::history_models(&crate::api_diff::shared_dir(root))?.ok_or(
        "models/history is missing from ../shared (or $SHARED_DIR): nothing to compare (see the README for where the data comes from)",
    )?;
    let scratch = root.join("target/semver-compare");
    let mut pairs: Vec<(PathBuf, PathBuf, PathBuf)> =
        models.windows(2).map(|p| (p[0].clone(), p[1].clone(), scratch.join("history"))).collect();
    if args.fixtures {
        let fixture = |name| crate::api_diff::fixture(root, name);
        pairs.extend(
            crate::api_diff::FIXTURE_PAIRS
                .iter()
                .map(|(old, new, _)| (fixture(old), fixture(new), scratch.join("fixtures"))),
        );
    }
    let version = Version { major: 1, minor: 0, patch: 0 };
    let mut milder = 0;
    let started = Instant::now();
    for (old, new, dir) in &pairs {
        let old_dir = generate(old, dir)?;
        let new_dir = generate(new, dir)?;
        let ours = crate::api_diff::report(old, new, false)?.bump(&version);
        let pair_started = Instant::now();
        let theirs = semver_checks(&old_dir, &new_dir, &scratch.join("target"))?;
        let agrees = ours.unwrap_or(Bump::Patch) <= theirs.unwrap_or(Bump::Patch);
        if !agrees {
            milder += 1;
        }
        println!(
            "{} -> {}: generator {}, cargo-semver-checks {} ({:.0?}){}",
            name(old),
            name(new),
            ours.map_or("none", Bump::name),
            theirs.map_or("none", Bump::name),
            pair_started.elapsed(),
            if agrees { "" } else { "  <-- the generator is milder" }
        );
    }
    println!(
        "semver-compare: {} pairs, {milder} where the generator is milder, {:.0?} in all",
        pairs.len(),
        started.elapsed()
    );
    Ok(if milder == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn name(model: &Path) -> String {
    model.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// Generates `model`'s crate (version 1.0.0, no overlay) into a scratch workspace of its own
/// under `dir`, named after the model; its package is `connectparticipant` whatever the model,
/// since cargo-semver-checks compares packages of one name.
fn generate(model: &Path, dir: &Path) -> Result<PathBuf, String> {
    let workspace = dir.join(name(model));
    let dir = workspace.join("connectparticipant");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(workspace.join("Cargo.toml"), "[workspace]\nresolver = \"3\"\nmembers = [\"connectparticipant\"]\n")
        .map_err(|e| format!("{}: {e}", workspace.display()))?;
    let mut options = codegen::GenerateOptions::new("connectparticipant");
    options.crate_version = "1.0.0".to_owned();
    codegen::generate_to_dir(model, &dir, &options, false).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// The bump `cargo semver-checks` says the new crate needs; `None` when none.
fn semver_checks(old: &Path, new: &Path, target: &Path) -> Result<Option<Bump>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["semver-checks", "check-release", "--default-features", "--release-type", "patch", "--manifest-path"])
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(old)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if text.contains("no such command") {
        return Err("cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked`".to_owned());
    }
    if text.contains("requires new major version") {
        Ok(Some(Bump::Major))
    } else if text.contains("requires new minor version") {
        Ok(Some(Bump::Minor))
    } else if output.status.success() {
        Ok(None)
    } else {
        Err(format!("cargo semver-checks failed on {}:\n{text}", new.display()))
    }
}
