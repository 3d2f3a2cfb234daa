//! The sweep's clippy run, and cargo's JSON messages (`--message-format=json`) attributed to
//! the models whose crates they are about.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::{SweepPaths, nested_cargo};

/// What cargo said about one generated crate.
#[derive(Debug, Default)]
pub struct CrateReport {
    /// Errors and warnings (rendered), each once, in the order cargo gave them.
    pub diagnostics: Vec<String>,
    /// Cargo finished at least one target of the crate.
    pub built: bool,
}

/// The clippy run: reports by model, and what could not be tied to a generated crate.
#[derive(Debug, Default)]
pub struct ClippyRun {
    /// By model, for every model whose crate was in the workspace.
    pub per_model: BTreeMap<String, CrateReport>,
    /// Diagnostics about other packages, and cargo's own errors (empty when all went well).
    pub unattributed: String,
}

/// Runs one `cargo clippy --workspace --all-targets --keep-going` with warnings denied over the
/// sweep workspace. `by_crate` maps crate names (directories of the workspace) to models.
pub fn clippy(paths: &SweepPaths, by_crate: &BTreeMap<String, String>) -> Result<ClippyRun, String> {
    let output = nested_cargo(
        paths,
        &["clippy", "--workspace", "--all-targets", "--keep-going", "--message-format=json", "--", "-D", "warnings"],
    )?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut run = attribute(&stdout, by_crate);
    if !output.status.success() && run.per_model.values().all(|report| report.diagnostics.is_empty()) {
        run.unattributed.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    Ok(run)
}

/// The crate a cargo message is about: the directory name of its `manifest_path`, when that is
/// one of the generated crates.
fn crate_of<'a>(message: &Value, by_crate: &'a BTreeMap<String, String>) -> Option<&'a String> {
    let manifest = Path::new(message.get("manifest_path")?.as_str()?);
    let dir = manifest.parent()?.file_name()?.to_str()?;
    by_crate.get(dir)
}

/// Whether a compiler message is a diagnostic worth reporting: an error or a warning, not the
/// closing tallies ("aborting due to 3 previous errors", "2 warnings emitted").
fn is_diagnostic(message: &Value) -> bool {
    let level = message.get("level").and_then(Value::as_str).unwrap_or_default();
    let text = message.get("message").and_then(Value::as_str).unwrap_or_default();
    let spans = message.get("spans").and_then(Value::as_array).is_some_and(|spans| !spans.is_empty());
    let tally = !spans && (text.starts_with("aborting due to") || text.ends_with("emitted"));
    matches!(level, "error" | "warning") && !tally
}

/// Sorts cargo's JSON lines by generated crate. Every crate in `by_crate` gets a report; a
/// diagnostic met twice (a library checked as itself and as its test target) is kept once.
pub fn attribute(json_lines: &str, by_crate: &BTreeMap<String, String>) -> ClippyRun {
    let mut run = ClippyRun {
        per_model: by_crate.values().map(|model| (model.clone(), CrateReport::default())).collect(),
        unattributed: String::new(),
    };
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for line in json_lines.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        let reason = message.get("reason").and_then(Value::as_str).unwrap_or_default();
        let model = crate_of(&message, by_crate);
        match reason {
            "compiler-artifact" => {
                if let Some(report) = model.and_then(|model| run.per_model.get_mut(model)) {
                    report.built = true;
                }
            }
            "compiler-message" => {
                let Some(diagnostic) = message.get("message").filter(|m| is_diagnostic(m)) else { continue };
                let rendered = diagnostic
                    .get("rendered")
                    .and_then(Value::as_str)
                    .or_else(|| diagnostic.get("message").and_then(Value::as_str))
                    .unwrap_or_default()
                    .to_owned();
                match model {
                    Some(model) => {
                        if seen.insert((model.clone(), rendered.clone())) {
                            run.per_model.entry(model.clone()).or_default().diagnostics.push(rendered);
                        }
                    }
                    None => {
                        let package = message.get("package_id").and_then(Value::as_str).unwrap_or("?");
                        run.unattributed.push_str(&format!("{package}: {rendered}\n"));
                    }
                }
            }
            _ => {}
        }
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crates() -> BTreeMap<String, String> {
        [("sweep-amp".to_owned(), "amp".to_owned()), ("sweep-iot".to_owned(), "iot".to_owned())].into()
    }

    fn message(manifest: &str, level: &str, text: &str, spans: bool) -> String {
        let spans = if spans { serde_json::json!([{ "file_name": "src/lib.rs" }]) } else { serde_json::json!([]) };
        serde_json::json!({
            "reason": "compiler-message",
            "package_id": "path+file:///x#0.1.0",
            "manifest_path": manifest,
            "message": { "level": level, "message": text, "rendered": format!("{level}: {text}\n"), "spans": spans }
        })
        .to_string()
    }

    #[test]
    fn diagnostics_go_to_the_crate_of_their_manifest_once_and_tallies_are_dropped() {
        let artifact = serde_json::json!({
            "reason": "compiler-artifact", "manifest_path": "/w/target/sweep/crates/sweep-iot/Cargo.toml"
        });
        let lines = [
            message("/w/target/sweep/crates/sweep-amp/Cargo.toml", "error", "unused variable: `x`", true),
            message("/w/target/sweep/crates/sweep-amp/Cargo.toml", "error", "unused variable: `x`", true),
            message("/w/target/sweep/crates/sweep-amp/Cargo.toml", "error", "aborting due to 1 previous error", false),
            message("/w/target/sweep/crates/sweep-amp/Cargo.toml", "note", "a note", true),
            message("/registry/tokio-1.0.0/Cargo.toml", "warning", "something in a dependency", true),
            artifact.to_string(),
            "not json".to_owned(),
        ]
        .join("\n");
        let run = attribute(&lines, &crates());
        assert_eq!(run.per_model["amp"].diagnostics, ["error: unused variable: `x`\n"]);
        assert!(!run.per_model["amp"].built);
        assert!(run.per_model["iot"].diagnostics.is_empty());
        assert!(run.per_model["iot"].built);
        assert!(run.unattributed.contains("something in a dependency"), "{}", run.unattributed);
    }
}
