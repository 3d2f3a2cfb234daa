//! Helpers shared by the project's test files: where the workspace and the reference data are.

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
    let dir = std::env::var_os("SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "\n!!!!!!!! SKIPPED {test_name}: reference data not found at {} (set SHARED_DIR) !!!!!!!!\n",
            dir.display()
        );
        None
    }
}
