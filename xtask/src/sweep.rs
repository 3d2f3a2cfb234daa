//! `cargo xtask sweep [DIR] [--test]`: the generator's generality over a folder of models.
//!
//! Every `*.json` model in `DIR` (default `../shared/corpus/restjson1`) is generated into one
//! scratch workspace under `target/sweep/` (one crate per model), then checked by ONE
//! `cargo clippy --workspace --all-targets` with warnings denied, so that the dependencies are
//! built once for all models. Cargo's JSON messages say which crate each diagnostic belongs to;
//! each failing model is printed with its first error, all of them go to
//! `target/sweep/diagnostics/<model>.txt`, and the last line sums up:
//! `sweep: N models, G generated, C compiled clean, F failed`. With `--test` each crate's tests
//! also run (`, T passed, U failed`).
//!
//! The nested cargo has its own stable target directory (`target/sweep/target`) and files are
//! rewritten only where they changed, so a rerun rebuilds only what the generator changed.

mod cargo_json;
mod crate_tests;
mod generation;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::time::Instant;

pub use generation::{GeneratedModel, generate_all, silence_panics};

/// The usage line of the task.
pub const USAGE: &str = "usage: cargo xtask sweep [DIR] [--test]

Generates every model in DIR (default: ../shared/corpus/restjson1) into one scratch workspace
under target/sweep/ and checks all of them with one `cargo clippy --workspace --all-targets`,
warnings denied; --test also runs each generated crate's tests.";

/// What `cargo xtask sweep` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepArgs {
    /// The folder of models.
    pub dir: PathBuf,
    /// Also run each crate's tests.
    pub test: bool,
}

/// Parses the arguments after `cargo xtask sweep`; `Ok(None)` asks for the usage text.
pub fn parse_args(root: &Path, args: impl Iterator<Item = String>) -> Result<Option<SweepArgs>, String> {
    let mut parsed = SweepArgs { dir: root.join("../shared/corpus/restjson1"), test: false };
    let mut dir_given = false;
    for arg in args {
        match arg.as_str() {
            "--test" => parsed.test = true,
            "-h" | "--help" => return Ok(None),
            option if option.starts_with('-') => return Err(format!("unknown option {option:?}")),
            dir if !dir_given => {
                parsed.dir = PathBuf::from(dir);
                dir_given = true;
            }
            extra => return Err(format!("unexpected argument {extra:?}: one DIR at most")),
        }
    }
    Ok(Some(parsed))
}

/// Where the sweep keeps its workspace, target directory and reports.
pub struct SweepPaths {
    /// `target/sweep`.
    pub base: PathBuf,
    /// The scratch workspace: one crate per model.
    pub workspace: PathBuf,
    /// The nested cargo's target directory, kept between runs.
    pub target: PathBuf,
    /// One file of diagnostics per failing model.
    pub diagnostics: PathBuf,
}

impl SweepPaths {
    /// The paths under `root/target/sweep`.
    pub fn new(root: &Path) -> Self {
        let base = root.join("target").join("sweep");
        Self {
            workspace: base.join("crates"),
            target: base.join("target"),
            diagnostics: base.join("diagnostics"),
            base,
        }
    }
}

/// How one model fared.
#[derive(Debug, Default)]
struct ModelOutcome {
    /// Why generation failed (the `CodegenError`, or a panic).
    generation_error: Option<String>,
    /// Compiler and clippy diagnostics (errors and warnings) in the order cargo gave them.
    diagnostics: Vec<String>,
    /// Cargo built at least one target of the crate.
    built: bool,
    /// Test results, with `--test`.
    tests: crate_tests::TestCounts,
}

/// Runs the sweep, printing progress to stderr and the results to stdout.
pub fn run(root: &Path, args: &SweepArgs) -> Result<ExitCode, String> {
    if !args.dir.is_dir() {
        eprintln!(
            "\n!!!!!!!! sweep: the model folder {} does not exist: nothing was checked !!!!!!!!\n\
             (the corpus lives in ../shared beside the checkout; pass another folder as DIR)\n",
            args.dir.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let paths = SweepPaths::new(root);
    let models = model_files(&args.dir)?;
    if models.is_empty() {
        eprintln!("\n!!!!!!!! sweep: no *.json model in {}: nothing was checked !!!!!!!!\n", args.dir.display());
        return Ok(ExitCode::FAILURE);
    }

    let generation = generate_all(&models, &paths.workspace)?;
    eprintln!(
        "sweep: generated {} of {} models in {:.2?} (generation alone: {:.2?}, writing files: {:.2?})",
        generation.models.iter().filter(|m| m.error.is_none()).count(),
        models.len(),
        generation.generate_time + generation.write_time,
        generation.generate_time,
        generation.write_time,
    );
    for model in &generation.models {
        for warning in &model.warnings {
            eprintln!("sweep: {}: warning: {warning}", model.model);
        }
    }

    let mut outcomes: BTreeMap<String, ModelOutcome> = BTreeMap::new();
    for model in &generation.models {
        outcomes.entry(model.model.clone()).or_default().generation_error = model.error.clone();
    }
    let members: Vec<&GeneratedModel> = generation.models.iter().filter(|m| m.error.is_none()).collect();
    let by_crate: BTreeMap<String, String> = members.iter().map(|m| (m.crate_name.clone(), m.model.clone())).collect();

    if !members.is_empty() {
        let started = Instant::now();
        let clippy = cargo_json::clippy(&paths, &by_crate)?;
        eprintln!("sweep: clippy over {} crates in {:.2?}", members.len(), started.elapsed());
        for (model, report) in clippy.per_model {
            let outcome = outcomes.entry(model).or_default();
            outcome.diagnostics = report.diagnostics;
            outcome.built = report.built;
        }
        if !clippy.unattributed.is_empty() {
            eprintln!("sweep: cargo reported problems outside the generated crates:\n{}", clippy.unattributed);
        }
        if args.test {
            let started = Instant::now();
            // `cargo test` stops building at the first crate that does not compile (it has no
            // `--keep-going`): crates with a compile error, not only lints, are left out.
            let (testable, broken): (BTreeMap<String, String>, BTreeMap<String, String>) =
                by_crate.clone().into_iter().partition(|(_, model)| {
                    outcomes.get(model).is_none_or(|o| !o.diagnostics.iter().any(|d| d.starts_with("error[E")))
                });
            for model in broken.values() {
                let failures = &mut outcomes.entry(model.clone()).or_default().tests.failures;
                failures.push("tests not run: the crate does not compile".to_owned());
            }
            let tests = crate_tests::run(&paths, &testable)?;
            eprintln!("sweep: tests of {} crates in {:.2?}", testable.len(), started.elapsed());
            for (model, counts) in tests {
                outcomes.entry(model).or_default().tests = counts;
            }
        }
    }

    write_diagnostics(&paths, &outcomes)?;
    Ok(summarize(&outcomes, args.test, &paths))
}

/// The `*.json` files of `dir`, in name order.
fn model_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut models: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    models.sort();
    Ok(models)
}

/// `cargo` (the one running xtask) in the sweep workspace, with its own target directory and
/// none of the outer run's flags.
pub(crate) fn cargo_command(paths: &SweepPaths) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .current_dir(&paths.workspace)
        .env("CARGO_TARGET_DIR", &paths.target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_MANIFEST_DIR");
    command
}

/// Runs `cargo <args>` in the sweep workspace. Tries `--offline` first (the project's
/// `Cargo.lock` pins most of what generated crates need), and asks the registry only when
/// something is missing from the local cache.
pub(crate) fn nested_cargo(paths: &SweepPaths, args: &[&str]) -> Result<Output, String> {
    let run = |offline: bool| {
        let mut command = cargo_command(paths);
        command.arg(args[0]);
        if offline {
            command.arg("--offline");
        }
        command.args(&args[1..]).output().map_err(|e| format!("cannot run cargo: {e}"))
    };
    let output = run(true)?;
    let needs_registry = !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("offline");
    if needs_registry { run(false) } else { Ok(output) }
}

/// Writes every failing model's diagnostics to `diagnostics/<model>.txt` (the census reads them).
fn write_diagnostics(paths: &SweepPaths, outcomes: &BTreeMap<String, ModelOutcome>) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(&paths.diagnostics);
    std::fs::create_dir_all(&paths.diagnostics).map_err(|e| format!("{}: {e}", paths.diagnostics.display()))?;
    for (model, outcome) in outcomes {
        let mut text = String::new();
        if let Some(error) = &outcome.generation_error {
            let _ = writeln!(text, "generation failed: {error}");
        }
        for diagnostic in &outcome.diagnostics {
            let _ = writeln!(text, "{diagnostic}");
        }
        for failure in &outcome.tests.failures {
            let _ = writeln!(text, "test failed: {failure}");
        }
        if !text.is_empty() {
            let path = paths.diagnostics.join(format!("{model}.txt"));
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Prints each failing model with its first error, then the summary line; fails when any model
/// failed.
fn summarize(outcomes: &BTreeMap<String, ModelOutcome>, test: bool, paths: &SweepPaths) -> ExitCode {
    let (mut generated, mut clean, mut failed, mut passed, mut tests_failed, mut test_problems) = (0, 0, 0, 0, 0, 0);
    for (model, outcome) in outcomes {
        if let Some(error) = &outcome.generation_error {
            failed += 1;
            println!("FAILED {model}: generation: {error}");
            continue;
        }
        generated += 1;
        if let Some(first) = outcome.diagnostics.first() {
            failed += 1;
            println!("FAILED {model} ({} diagnostics): {}", outcome.diagnostics.len(), first.trim_end());
        } else if !outcome.built {
            failed += 1;
            println!("FAILED {model}: cargo built none of its targets (see cargo's output above)");
        } else {
            clean += 1;
        }
        passed += outcome.tests.passed;
        tests_failed += outcome.tests.failed;
        if let Some(first) = outcome.tests.failures.first() {
            test_problems += 1;
            println!("TESTS FAILED {model} ({} failed): {first}", outcome.tests.failed);
        }
    }
    if failed > 0 || test_problems > 0 {
        println!("(every diagnostic of each failing model: {})", paths.diagnostics.display());
    }
    let mut line =
        format!("sweep: {} models, {generated} generated, {clean} compiled clean, {failed} failed", outcomes.len());
    if test {
        let _ = write!(line, ", {passed} passed, {tests_failed} failed");
    }
    println!("{line}");
    if failed == 0 && tests_failed == 0 && test_problems == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
