//! Helpers shared by the project's test files: where things are, and how to build a generated
//! crate in a nested cargo run.

pub mod log;
mod nested;
mod outer_build;

pub use nested::{build_dir, make_workspace, nested_cargo, nested_cargo_with_clippy, write_if_changed};
pub use outer_build::OUTER_DEPS;

use std::path::{Path, PathBuf};

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

/// A scratch directory under the workspace's `target/`, emptied first ([`build_dir`] keeps its
/// files between runs).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = build_dir(name);
    std::fs::remove_dir_all(&dir).expect("can empty a scratch directory");
    std::fs::create_dir_all(&dir).expect("can create a scratch directory");
    dir
}
