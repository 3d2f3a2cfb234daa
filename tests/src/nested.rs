//! Nested cargo runs: generated crates built and tested in workspaces of their own under
//! `target/scratch/`, in the project's own target directory, with the project's profile,
//! `Cargo.lock` and dependency features (see [`crate::outer_build`]), so that the dependencies
//! the outer `cargo test --workspace` compiled are not compiled again.
//!
//! Cargo holds the target directory's lock only while it builds, not while the tests run, so a
//! test may run cargo there. Generated code must not warn, but `RUSTFLAGS=-D warnings` would
//! make every dependency a unit of its own: warnings are denied through `clippy-driver` as
//! `RUSTC_WORKSPACE_WRAPPER` instead, which Cargo applies to the nested workspace's members
//! only (and leaves out of the dependencies' units).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::outer_build::{self, OUTER_DEPS};
use crate::workspace_root;

/// The directory of a nested workspace, `target/scratch/<name>`, kept between runs.
///
/// Its files are written only when their text changes (`codegen::render::write` compares, and
/// [`write_if_changed`] for the rest), so a second `cargo test --workspace` finds the crates of
/// an unchanged generator fresh instead of compiling them all again: every write would give
/// them a new modification time. Crates no longer listed by [`make_workspace`] stay on disk but
/// are not members, so nothing builds them.
pub fn build_dir(name: &str) -> PathBuf {
    let dir = workspace_root().join("target").join("scratch").join(name);
    std::fs::create_dir_all(&dir).expect("can create a scratch directory");
    dir
}

/// Writes `text` to `path` unless the file already holds it (see [`build_dir`]).
pub fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == text) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("can create a scratch directory");
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Makes `dir` a workspace of the crates in its subdirectories `members`, plus `outer-deps`
/// (which pins the dependencies' features to the project's), with the project's profile and
/// `Cargo.lock`.
///
/// Commands that build must select `outer-deps` (`--workspace`, or `-p outer-deps` beside the
/// package): features are unified over the selected packages only. `cargo check` must not
/// (`--exclude outer-deps`): it would check every dependency of the project.
pub fn make_workspace(dir: &Path, members: &[String]) {
    let list = members.iter().chain([&OUTER_DEPS.to_owned()]).map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ");
    // The members (each named as its directory) as one codegen unit: they are compiled once
    // and linked into tests that only run; one unit leaves out the code each of the 16 default
    // units would generate again (~15% of the fixture crates' build CPU). Per package, so that
    // no dependency's unit changes. (No debug info: the project's profile, copied above.)
    let members_profile: String =
        members.iter().map(|member| format!("\n[profile.dev.package.{member:?}]\ncodegen-units = 1\n")).collect();
    let manifest =
        format!("[workspace]\nresolver = \"3\"\nmembers = [{list}]\n\n{}{members_profile}", outer_build::profile());
    write_if_changed(&dir.join("Cargo.toml"), &manifest);
    write_if_changed(&dir.join(OUTER_DEPS).join("Cargo.toml"), outer_build::manifest());
    write_if_changed(&dir.join(OUTER_DEPS).join("lib.rs"), "//! Pins dependency features; no code.\n");
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock")).expect("can read Cargo.lock");
    write_if_changed(&dir.join("Cargo.lock"), &lock);
}

/// Runs `cargo <args>` in `dir` with rustc's warnings denied in the workspace's own crates, and
/// returns success and the combined output.
///
/// Tries offline first: the project's `Cargo.lock` already pins most of what a generated crate
/// needs, and the registry is only asked for the rest.
pub fn nested_cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    // `-A clippy::all` after `-D warnings`: the lints of plain rustc only.
    run(dir, args, &["-D", "warnings", "-A", "clippy::all"])
}

/// Runs `cargo <args>` like [`nested_cargo`], with clippy's lints too, warnings denied (what
/// `cargo clippy -- -D warnings` sets up before it runs `cargo check`). Under `cargo test`
/// every target is linted as it is compiled, and then run: one compilation of each crate where
/// `cargo clippy` and then `cargo test` made two, a check and a build.
pub fn nested_cargo_with_clippy(dir: &Path, args: &[&str]) -> (bool, String) {
    run(dir, args, &["-D", "warnings"])
}

/// The tool `cargo clippy` would use: `clippy-driver` beside the `cargo` running the tests
/// (`$CARGO`), else the one on `PATH`.
fn clippy_driver() -> PathBuf {
    let name = format!("clippy-driver{}", std::env::consts::EXE_SUFFIX);
    std::env::var_os("CARGO")
        .map(|cargo| Path::new(&cargo).with_file_name(&name))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// The project's target directory: where the outer build put the dependencies.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

/// Whether `name` is one of the variables Cargo sets for the test process (its package's name
/// and version, its manifest...). They must not reach the nested cargo: build scripts that
/// watch them (ring's watches `CARGO_PKG_NAME`) would run again, and the dependencies built
/// on them would be compiled again, here and then again by the next outer build.
fn set_for_the_test(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_MANIFEST_LINKS",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    NAMES.contains(&name) || name.starts_with("CARGO_PKG_") || name.starts_with("CARGO_BIN_EXE_")
}

fn run(dir: &Path, args: &[&str], lints: &[&str]) -> (bool, String) {
    // clippy-driver reads its arguments from `CLIPPY_ARGS`, each ended by this marker.
    let clippy_args: String = lints.iter().map(|arg| format!("{arg}__CLIPPY_HACKERY__")).collect();
    let attempt = |offline: bool| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        command.arg(args[0]);
        if offline {
            command.arg("--offline");
        }
        command
            .args(&args[1..])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target_dir())
            .env("CARGO_TERM_COLOR", "never")
            // The scratch crates are compiled once per generator change, never edited and
            // rebuilt: incremental compilation's bookkeeping is only cost there (a fifth of a
            // fixture crate's compile). Dependencies are never incremental, so their units
            // (and the outer build's) are unchanged.
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTC_WORKSPACE_WRAPPER", clippy_driver())
            .env("CLIPPY_ARGS", &clippy_args);
        for (name, _) in std::env::vars_os().filter(|(name, _)| set_for_the_test(&name.to_string_lossy())) {
            command.env_remove(name);
        }
        let output = command.output().expect("cargo runs");
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.success(), text)
    };
    let (ok, output) = attempt(true);
    if !ok && output.contains("offline mode") { attempt(false) } else { (ok, output) }
}
