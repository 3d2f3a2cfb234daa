//! `cargo xtask bench --baseline REV`: the `ours` client of an earlier commit, built from that
//! commit's own sources and run as one more client (`ours@<short rev>`) in the same run, so that
//! both versions see the same machine load.
//!
//! The commit is checked out as a detached `git worktree` under `target/bench/baseline-<rev>/tree`
//! and built into `target/bench/baseline-<rev>/target` (its own target directory: the current
//! build's binaries and fingerprints are left alone). Both are kept, so a second run with the
//! same commit reuses them and rebuilds nothing. The old client is that commit's `bench-ours`
//! binary, driver included: a mode added to the driver since (the signed-request row) is simply
//! absent from its output and shows as "-".

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The `ours` client of an earlier commit: where it is checked out and built.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The client's name in the table: `ours@<short rev>`.
    pub name: String,
    /// The commit's full hash.
    pub commit: String,
    /// The commit's date (YYYY-MM-DD) and subject line, for the report.
    pub date: String,
    pub subject: String,
    /// The commit's `bench-ours` binary (there once [`Baseline::build`] succeeded).
    pub binary: PathBuf,
    /// The revision as given, for errors.
    rev: String,
    /// The worktree of the commit and the target directory of its build.
    tree: PathBuf,
    build_dir: PathBuf,
    profile: String,
}

/// The table's name for the `ours` client of the commit abbreviated as `short`.
fn client_name(short: &str) -> String {
    format!("ours@{short}")
}

/// Resolves `rev` (before anything is built, so that a wrong revision fails at once) and
/// places its checkout and build under `target_dir`.
pub fn resolve(root: &Path, target_dir: &Path, rev: &str, profile: &str) -> Result<Baseline, String> {
    let commit = git(root, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .map_err(|_| format!("--baseline {rev:?}: not a commit of this repository"))?;
    let short = git(root, &["rev-parse", "--short=7", &commit])?;
    let date = git(root, &["log", "-1", "--format=%cs", &commit])?;
    let subject = git(root, &["log", "-1", "--format=%s", &commit])?;
    let dir = target_dir.join(format!("baseline-{short}"));
    let build_dir = dir.join("target");
    let binary = build_dir.join(if profile == "dev" { "debug" } else { profile }).join("bench-ours");
    Ok(Baseline {
        name: client_name(&short),
        commit,
        date,
        subject,
        binary,
        rev: rev.to_owned(),
        tree: dir.join("tree"),
        build_dir,
        profile: profile.to_owned(),
    })
}

impl Baseline {
    /// Checks the commit out (reusing an earlier checkout of it) and builds its `bench-ours`.
    pub fn build(&self, root: &Path) -> Result<(), String> {
        checkout(root, &self.tree, &self.commit)?;
        let manifest = self.tree.join("xtask/bench/Cargo.toml");
        if !manifest.is_file() {
            return Err(format!(
                "--baseline {:?}: commit {} has no xtask/bench (the benchmark came later)",
                self.rev, self.commit
            ));
        }
        build(&manifest, &self.build_dir, &self.profile, &self.name)
    }
}

/// Runs git in `dir` and returns its trimmed standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        return Err(format!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Makes `tree` a detached worktree of `commit`: kept when it is one already.
fn checkout(root: &Path, tree: &Path, commit: &str) -> Result<(), String> {
    if tree.exists() {
        // `git -C` in a directory that is not a worktree's top would answer for the enclosing
        // checkout (target/ is inside it), so the top level is checked as well as the commit.
        let top = git(tree, &["rev-parse", "--show-toplevel"]).ok().map(PathBuf::from);
        let same_top = top.is_some_and(|top| top.canonicalize().ok() == tree.canonicalize().ok());
        if same_top && git(tree, &["rev-parse", "HEAD"]).ok().as_deref() == Some(commit) {
            eprintln!("bench: reusing the checkout of {commit} in {}", tree.display());
            return Ok(());
        }
        if git(root, &["worktree", "remove", "--force", &tree.to_string_lossy()]).is_err() {
            std::fs::remove_dir_all(tree).map_err(|e| format!("removing {}: {e}", tree.display()))?;
        }
    }
    eprintln!("bench: checking out {commit} in {}", tree.display());
    // `--force`: a checkout deleted with target/ (`cargo clean`) is still registered with git,
    // which refuses the path without it.
    git(root, &["worktree", "add", "--force", "--detach", &tree.to_string_lossy(), commit]).map(drop)
}

/// Builds the commit's `bench-ours`: offline when its lock file's crates are all downloaded,
/// else online.
fn build(manifest: &Path, build_dir: &Path, profile: &str, name: &str) -> Result<(), String> {
    let attempt = |offline: bool| {
        let mut command = super::cargo();
        command
            .args(["build", "--quiet", "--bin", "bench-ours", "--profile", profile])
            .args(["--no-default-features", "--features", "ours", "--manifest-path"])
            .arg(manifest)
            .arg("--target-dir")
            .arg(build_dir);
        if offline {
            command.arg("--offline");
        }
        command.stderr(Stdio::piped()).output().map_err(|e| format!("running cargo: {e}"))
    };
    eprintln!("bench: building {name} ({profile})");
    let started = Instant::now();
    let mut output = attempt(true)?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // Only a missing download is worth a second, online attempt; a compile error is reported.
    if !output.status.success() && stderr.contains("offline") {
        eprintln!("bench: {name} needs crates not downloaded yet; building online");
        output = attempt(false)?;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("building {name} failed ({}):\n{stderr}", output.status));
    }
    eprint!("{stderr}");
    eprintln!("bench: built {name} in {:.1?}", started.elapsed());
    Ok(())
}
