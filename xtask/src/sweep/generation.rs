//! The sweep's first step: every model generated into its own crate of the scratch workspace.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use codegen::GenerateOptions;

/// One model's generation.
#[derive(Debug, Clone)]
pub struct GeneratedModel {
    /// The model's file stem (`amp` for `amp.json`).
    pub model: String,
    /// The crate's package name and directory in the workspace (`sweep-amp`).
    pub crate_name: String,
    /// The generator's error (or panic), when it gave no crate.
    pub error: Option<String>,
    /// The generator's warnings (operations left out...).
    pub warnings: Vec<String>,
}

/// Every model's generation, and the time it took.
#[derive(Debug)]
pub struct Generation {
    /// By model, in the order given.
    pub models: Vec<GeneratedModel>,
    /// Reading nothing, writing nothing: `codegen::generate` alone, summed over the models.
    pub generate_time: Duration,
    /// Writing the crates (only files whose content changed).
    pub write_time: Duration,
}

/// A crate name for a model file: `sweep-` and the stem, lower case, anything but letters and
/// digits turned into `-`; made unique with a numeric suffix.
pub fn crate_name(stem: &str, taken: &mut BTreeSet<String>) -> String {
    let cleaned: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let base = format!("sweep-{cleaned}");
    let mut name = base.clone();
    let mut suffix = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{suffix}");
        suffix += 1;
    }
    name
}

/// Generates every model into `workspace/<crate name>` and makes `workspace` a cargo workspace
/// of the crates that generated (its own `[workspace]`, so the project's workspace never picks
/// it up). Crates of models no longer in the list are removed.
pub fn generate_all(models: &[PathBuf], workspace: &Path) -> Result<Generation, String> {
    std::fs::create_dir_all(workspace).map_err(|e| format!("{}: {e}", workspace.display()))?;
    let mut taken = BTreeSet::new();
    let mut generation = Generation { models: Vec::new(), generate_time: Duration::ZERO, write_time: Duration::ZERO };
    let panic_message = silence_panics();
    for path in models {
        let model = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
        let crate_name = crate_name(&model, &mut taken);
        let mut entry = GeneratedModel { model, crate_name, error: None, warnings: Vec::new() };
        let json = match std::fs::read_to_string(path) {
            Ok(json) => json,
            Err(e) => {
                entry.error = Some(format!("cannot read {}: {e}", path.display()));
                generation.models.push(entry);
                continue;
            }
        };
        let options = GenerateOptions::new(&entry.crate_name);
        let started = Instant::now();
        let result = panic::catch_unwind(AssertUnwindSafe(|| codegen::generate(&json, &options)));
        generation.generate_time += started.elapsed();
        match result {
            Ok(Ok(generated)) => {
                let started = Instant::now();
                let dir = workspace.join(&entry.crate_name);
                if let Err(e) = codegen::render::write(&dir, &generated.files, false) {
                    entry.error = Some(format!("cannot write the crate: {e}"));
                }
                generation.write_time += started.elapsed();
                entry.warnings = generated.warnings;
            }
            Ok(Err(error)) => entry.error = Some(format!("CodegenError: {error}")),
            Err(_) => {
                let message = panic_message.lock().map(|m| m.clone()).unwrap_or_default();
                entry.error = Some(format!("the generator PANICKED: {message}"));
            }
        }
        generation.models.push(entry);
    }
    let _ = panic::take_hook();
    let members: Vec<String> =
        generation.models.iter().filter(|m| m.error.is_none()).map(|m| m.crate_name.clone()).collect();
    remove_stale_crates(workspace, &members.iter().cloned().collect())?;
    write_workspace_manifest(workspace, &members)?;
    Ok(generation)
}

/// Replaces the panic hook with one that records the message and location instead of printing
/// them, so that a panicking model is reported once, with the others (the model mutants test
/// uses it too).
pub fn silence_panics() -> Arc<Mutex<String>> {
    let message = Arc::new(Mutex::new(String::new()));
    let recorded = Arc::clone(&message);
    panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        if let Ok(mut slot) = recorded.lock() {
            *slot = format!("{payload}{location}");
        }
    }));
    message
}

/// Deletes crate directories of the workspace that are not members in this run (models gone,
/// or whose generation failed: their old code must not linger).
fn remove_stale_crates(workspace: &Path, current: &BTreeSet<String>) -> Result<(), String> {
    let entries = std::fs::read_dir(workspace).map_err(|e| format!("{}: {e}", workspace.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && name.starts_with("sweep-") && !current.contains(&name) {
            std::fs::remove_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The workspace manifest, and the project's `Cargo.lock` on the first run so that the sweep
/// builds the dependency versions the project is tested with (later runs keep their own lock,
/// which cargo extends as needed).
fn write_workspace_manifest(workspace: &Path, members: &[String]) -> Result<(), String> {
    let list: Vec<String> = members.iter().map(|m| format!("    {m:?},\n")).collect();
    let manifest = format!(
        "# Written by `cargo xtask sweep`: one generated crate per model.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{}]\n",
        list.concat()
    );
    let path = workspace.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest.as_str()) {
        std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let lock = workspace.join("Cargo.lock");
    if !lock.exists() {
        let project_lock = crate::workspace_root().join("Cargo.lock");
        std::fs::copy(&project_lock, &lock).map_err(|e| format!("{}: {e}", project_lock.display()))?;
    }
    Ok(())
}
