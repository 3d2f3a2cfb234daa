//! What `cargo xtask regenerate` decides about a release: the API change report against the
//! committed crate, the version it asks for, and the changelog entry.
//!
//! The generated crate carries what the next run needs, `api-surface.json` (its version, the
//! model revision it came from, and its public API as data), and `CHANGELOG.md`, newest entry
//! first. Both are written here, beside the generator's files, and compared by `--check` like
//! them: a model change that was not regenerated leaves the surface, the version in
//! `Cargo.toml` and the changelog stale.
//!
//! Determinism: the changelog's date is the model revision's (`--model-revision`, else a
//! `-YYYY-MM-DD` suffix of the model's file name, else the revision already recorded when the
//! API did not change), never the clock, so that `--check` gives the same answer any day.

use std::path::Path;

use codegen::api_surface::semver::Version;
use codegen::api_surface::{ApiSurface, Report, diff};
use codegen::json::{self, ToJson};

/// The file in the generated crate that records its surface.
pub const SURFACE_FILE: &str = "api-surface.json";

/// The changelog in the generated crate.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// The version of a crate generated for the first time.
pub const FIRST_VERSION: &str = "0.1.0";

/// What a generated crate records about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The crate's version (its `Cargo.toml` says the same).
    pub version: String,
    /// The model revision it was generated from, when known.
    pub model_revision: Option<String>,
    /// Its public API.
    pub surface: ApiSurface,
}

impl Record {
    /// Reads `dir/api-surface.json`; `None` when the crate has none (first generation).
    pub fn read(dir: &Path) -> Result<Option<Record>, String> {
        let path = dir.join(SURFACE_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => json::parse(&text, &path.display().to_string()).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// The record as the JSON text of `api-surface.json`.
    pub fn to_json(&self) -> String {
        json::to_pretty(&ToJson::to_json(self))
    }
}

codegen::json_struct!(Record { version: req, model_revision: opt, surface: req });

/// What a regeneration releases.
#[derive(Debug, Clone)]
pub struct Release {
    /// The crate's version after this run.
    pub version: String,
    /// The report against the committed crate; `None` on a first generation.
    pub report: Option<Report>,
    /// The version the report was classified under (the committed one).
    pub previous: Option<Version>,
    /// `api-surface.json` and `CHANGELOG.md`, to write with the generator's files.
    pub files: Vec<(String, String)>,
}

/// The model revision named by a `-YYYY-MM-DD` suffix of the model's file name.
pub fn revision_from_file_name(model: &Path) -> Option<String> {
    let stem = model.file_stem()?.to_str()?;
    let date = stem.get(stem.len().checked_sub(10)?..)?;
    let is_date = date.len() == 10
        && date.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
        && stem[..stem.len() - 10].ends_with('-');
    is_date.then(|| date.to_owned())
}

/// Compares `surface` with the crate in `out` (`committed`: its [`Record`], as read) and decides
/// the version and changelog. `revision` is the new model's revision when known.
pub fn plan(
    out: &Path,
    committed: Option<&Record>,
    crate_name: &str,
    surface: &ApiSurface,
    revision: Option<String>,
) -> Result<Release, String> {
    let changelog = match std::fs::read_to_string(out.join(CHANGELOG_FILE)) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: {e}", out.join(CHANGELOG_FILE).display())),
    };
    let (version, report, previous, revision, entry) = match committed {
        None => {
            let entry =
                entry_heading(FIRST_VERSION, revision.as_deref()) + "\nFirst version generated from the model.\n";
            (FIRST_VERSION.to_owned(), None, None, revision, Some(entry))
        }
        Some(record) => {
            let previous = Version::parse(&record.version).map_err(|e| format!("{}: {e}", SURFACE_FILE))?;
            let report = diff(&record.surface, surface);
            match report.bump(&previous) {
                // The same API: same version, no entry; the revision stays unless one was given.
                None => (
                    record.version.clone(),
                    Some(report),
                    Some(previous),
                    revision.or(record.model_revision.clone()),
                    None,
                ),
                Some(bump) => {
                    let version = previous.bumped(bump).to_string();
                    let entry = entry_heading(&version, revision.as_deref()) + "\n" + &entry_body(&report, &previous);
                    (version, Some(report), Some(previous), revision, Some(entry))
                }
            }
        }
    };
    let changelog = match (changelog, entry) {
        (Some(text), None) => text,
        (text, Some(entry)) => with_entry(text.as_deref(), crate_name, &entry),
        (None, None) => with_entry(None, crate_name, &entry_heading(&version, revision.as_deref())),
    };
    if !changelog.contains(&format!("\n## {version} ")) {
        return Err(format!(
            "{CHANGELOG_FILE} has no entry for version {version} (edited by hand?): its newest entry must be `## {version} ...`"
        ));
    }
    let record = Record { version: version.clone(), model_revision: revision, surface: surface.clone() };
    Ok(Release {
        version,
        report,
        previous,
        files: vec![(SURFACE_FILE.to_owned(), record.to_json()), (CHANGELOG_FILE.to_owned(), changelog)],
    })
}

fn entry_heading(version: &str, revision: Option<&str>) -> String {
    match revision {
        Some(revision) => format!("## {version} (model revision {revision})\n"),
        None => format!("## {version} (model revision not given)\n"),
    }
}

/// The report in a user's words: what to change in code that uses the crate.
fn entry_body(report: &Report, previous: &Version) -> String {
    let text = report.render(previous);
    let mut lines: Vec<&str> = text.lines().collect();
    // The last line (`semver: ...`) is for tools; the rule line above it says the same to people.
    lines.pop();
    let mut body = lines.join("\n");
    body.push('\n');
    body
}

/// The changelog with `entry` first, under the title.
fn with_entry(existing: Option<&str>, crate_name: &str, entry: &str) -> String {
    let title = format!(
        "# Changelog of `{crate_name}`\n\nWritten by `cargo xtask regenerate` from the API change report, newest first. \
         Versions follow Cargo's semver rules: before 1.0 a breaking change bumps the minor version and any other change \
         the patch version.\n"
    );
    let rest = existing.map_or("", |text| text.find("\n## ").map_or("", |at| &text[at + 1..]));
    format!("{title}\n{entry}\n{rest}").trim_end().to_owned() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_from_file_names() {
        assert_eq!(
            revision_from_file_name(Path::new("h/connectparticipant-2025-08-26.json")).as_deref(),
            Some("2025-08-26")
        );
        assert_eq!(revision_from_file_name(Path::new("model/connectparticipant.json")), None);
        assert_eq!(revision_from_file_name(Path::new("x2025-08-26.json")), None);
    }
}
