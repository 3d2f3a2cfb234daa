//! `xtask/bench/Cargo.lock` is in step with its manifest and with the generated crate it
//! depends on by path: a benchmark run must not rewrite it (it once still listed `uuid` after
//! the generated crate dropped it).

use std::path::Path;
use std::process::Command;

#[test]
fn bench_lock_file_is_in_step() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/Cargo.toml");
    // Offline first; the manifests of the peers' dependencies may have to be fetched once.
    let metadata = |offline: bool| {
        let mut command = Command::new(&cargo);
        command.args(["metadata", "--format-version", "1", "--locked", "--manifest-path"]).arg(&manifest);
        if offline {
            command.arg("--offline");
        }
        command.stdout(std::process::Stdio::null()).output().expect("cargo runs")
    };
    let mut output = metadata(true);
    if !output.status.success() {
        output = metadata(false);
    }
    assert!(
        output.status.success(),
        "xtask/bench/Cargo.lock is stale (update it with `cargo metadata --manifest-path xtask/bench/Cargo.toml`): {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
