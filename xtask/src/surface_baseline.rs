//! `cargo xtask surface-baseline REV`: records, in the committed crate's `api-surface.json`,
//! the hand-written part of its API as it was at the git revision `REV`.
//!
//! A surface recorded before the hand-written part was has none; `regenerate` then says it did
//! not compare it, and records today's. When the hand-written files changed since the crate's
//! version was set, this records them as they were at the revision that version was set from,
//! so that the next `regenerate` reports those changes, bumps the version and writes the
//! changelog. The crate is emitted from today's model and generator, with every runtime and
//! customization file read from `REV` (`git show`; a file missing there is left out).

use std::path::Path;
use std::process::{Command, ExitCode};

use codegen::api_surface::verbatim::{Origin, VerbatimSurface};

use crate::release::{Record, SURFACE_FILE};

/// The usage text of `cargo xtask surface-baseline`.
pub const USAGE: &str = "usage: cargo xtask surface-baseline REV [regenerate's options]

Writes into the crate's api-surface.json (--out, default generated/connectparticipant) the
public API of the hand-written files (codegen/runtime/, codegen/customizations/connectparticipant/)
as they were at the git revision REV, in place of the one recorded, so that the next
`cargo xtask regenerate` reports the changes made to them since REV and versions them.
Once, for a crate whose surface was recorded before the hand-written part was.";

/// Where a verbatim file of the crate lives in this repository.
fn repository_path(path: &str, origin: Origin) -> Option<String> {
    match origin {
        Origin::Generated => None,
        Origin::Runtime => Some(format!("codegen/runtime/{path}")),
        // The one customization of the project (`codegen/src/customizations.rs`).
        Origin::Customization(_) => Some(format!("codegen/customizations/connectparticipant/{path}")),
    }
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git").current_dir(root).args(args).output().map_err(|e| format!("cannot run git: {e}"))
}

/// The text of `path` at `rev`; `None` when the revision has no such file.
fn file_at(root: &Path, rev: &str, path: &str) -> Result<Option<String>, String> {
    let spec = format!("{rev}:{path}");
    if !git(root, &["cat-file", "-e", &spec])?.status.success() {
        return Ok(None);
    }
    let shown = git(root, &["show", &spec])?;
    if !shown.status.success() {
        return Err(format!("git show {spec}: {}", String::from_utf8_lossy(&shown.stderr).trim()));
    }
    String::from_utf8(shown.stdout).map(Some).map_err(|_| format!("{spec} is not UTF-8"))
}

/// Whether the repository at `root` has the commit `rev` (a shallow clone may not).
pub fn has_commit(root: &Path, rev: &str) -> bool {
    git(root, &["cat-file", "-e", &format!("{rev}^{{commit}}")]).is_ok_and(|out| out.status.success())
}

/// The hand-written surface of the crate `args` regenerates, with the hand-written files of
/// `rev`.
pub fn surface_at(root: &Path, rev: &str, args: &crate::Args) -> Result<VerbatimSurface, String> {
    if !has_commit(root, rev) {
        return Err(format!("{rev} is not a commit of the repository at {}", root.display()));
    }
    let json = std::fs::read_to_string(&args.model)
        .map_err(|e| format!("{}: cannot read the model: {e}", args.model.display()))?;
    let options = crate::options(args)?;
    codegen::verbatim_surface_with(&json, &options, |path, origin| match repository_path(path, origin) {
        Some(in_repository) => file_at(root, rev, &in_repository),
        None => Ok(None),
    })
    .map_err(|e| e.to_string())
}

/// Parses `REV [regenerate's options]`; `Ok(None)` asks for the usage text.
pub fn parse_args(
    root: &Path,
    mut args: impl Iterator<Item = String>,
) -> Result<Option<(String, crate::Args)>, String> {
    let rev = match args.next() {
        None => return Err("a git revision expected".to_owned()),
        Some(arg) if arg == "-h" || arg == "--help" => return Ok(None),
        Some(arg) if arg.starts_with('-') => return Err(format!("a git revision expected, not {arg:?}")),
        Some(rev) => rev,
    };
    let rest = std::iter::once("regenerate".to_owned()).chain(args);
    Ok(crate::parse_args(root, rest)?.map(|parsed| (rev, parsed)))
}

/// Writes the surface of `rev`'s hand-written files into the crate's record.
pub fn run(root: &Path, rev: &str, args: &crate::Args) -> Result<ExitCode, String> {
    let mut record = Record::read(&args.out)?
        .ok_or_else(|| format!("{} has no {SURFACE_FILE}: generate the crate first", args.out.display()))?;
    let surface = surface_at(root, rev, args)?;
    let count = surface.items.len();
    record.surface.verbatim = Some(surface);
    let path = args.out.join(SURFACE_FILE);
    std::fs::write(&path, record.to_json()).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!(
        "surface-baseline: {} records the hand-written API as of {rev} ({count} items); `cargo xtask regenerate` now reports what changed since",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
