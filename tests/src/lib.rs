//! Helpers shared by the project's test files: where things are, and how to build a generated
//! crate in a nested cargo run.

pub mod log;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The reference data directory `../shared` beside the checkout (or `$SHARED_DIR`).
///
/// Returns `None` after printing a loud notice when it is absent: tests that need it must
/// then skip (and say so), never pass as if they had checked something.
pub fn shared_dir(test_name: &str) -> Option<PathBuf> {
    let dir =
        std::env::var_os("SHARED_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("..").join("shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        // Written to stderr directly: libtest captures `eprintln!` of passing tests, and the
        // notice must show in every run.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "\n!!!!!!!! SKIPPED {test_name}: reference data not found at {} (set SHARED_DIR) !!!!!!!!\n",
            dir.display()
        );
        None
    }
}

/// The synthetic fixture models under `tests/fixtures/`, by name, in name order.
pub fn fixture_models() -> Vec<(String, PathBuf)> {
    let dir = workspace_root().join("tests/fixtures");
    let mut models: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| (path.file_stem().expect("a file name").to_string_lossy().into_owned(), path))
        .collect();
    models.sort();
    models
}

/// How a fixture model is generated, by the snapshot test and the compile test alike: with its
/// protocol tests (`smithy.test#httpRequestTests` / `httpResponseTests`), which check in the
/// fixture crate's own tests that values travel both ways as the model says.
pub fn fixture_options(name: &str) -> codegen::GenerateOptions {
    let mut options = codegen::GenerateOptions::new(format!("fixture-{name}"));
    options.protocol_tests = true;
    options
}

/// A scratch directory under the workspace's `target/`, emptied first.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = workspace_root().join("target").join("scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("can create a scratch directory");
    dir
}

/// The profile of scratch workspaces: the project's own debug-info choice (line tables for the
/// crates under test, none for dependencies). Cargo's default builds full debug info for every
/// dependency, which no test reads and every cold `cargo test --workspace` paid for.
const SCRATCH_PROFILE: &str =
    "[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n";

/// Makes `dir` a workspace of the crates in its subdirectories `members`, with the project's
/// `Cargo.lock` so that dependency versions match the project's.
pub fn make_workspace(dir: &Path, members: &[String]) {
    let list = members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{list}]\n\n{SCRATCH_PROFILE}"),
    )
    .expect("can write the workspace manifest");
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("can copy Cargo.lock");
}

/// Runs `cargo <args>` in `dir` and returns success and the combined output.
///
/// Nested runs share one target directory of their own (the outer `cargo test` holds the lock
/// of its own), build with `-D warnings` (generated code must not warn; dependencies cap their
/// lints), and try offline first: the project's `Cargo.lock` already pins most of what a
/// generated crate needs, and the registry is only asked for the rest.
pub fn nested_cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let run = |offline: bool| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        command.arg(args[0]);
        if offline {
            command.arg("--offline");
        }
        let output = command
            .args(&args[1..])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", workspace_root().join("target").join("nested"))
            .env("CARGO_TERM_COLOR", "never")
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_MANIFEST_DIR")
            .output()
            .expect("cargo runs");
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.success(), text)
    };
    let (ok, output) = run(true);
    if !ok && output.contains("offline mode") { run(false) } else { (ok, output) }
}
