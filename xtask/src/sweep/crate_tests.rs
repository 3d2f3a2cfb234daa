//! `cargo xtask sweep --test`: every generated crate's tests (unit tests, among them the
//! endpoint-rule cases, and doc tests), counted per model.
//!
//! Cargo runs test binaries one after another and prints their results without saying, in a
//! form a program can read, which crate each belongs to. So the test binaries are built with
//! `--no-run --message-format=json` (each artifact names its manifest) and run here one by one;
//! doc tests run in one `cargo test --doc`, whose `Doc-tests <crate>` headers and results come in
//! order when stdout and stderr share one file.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{SweepPaths, cargo_command, nested_cargo};

/// The tests of one crate.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TestCounts {
    /// Tests that passed.
    pub passed: usize,
    /// Tests that failed.
    pub failed: usize,
    /// Failed tests by name, and test targets that did not build.
    pub failures: Vec<String>,
}

impl TestCounts {
    /// Adds what one libtest run printed.
    fn add_libtest_output(&mut self, output: &str, context: &str) {
        for line in output.lines() {
            if let Some(name) = line.strip_prefix("test ").and_then(|rest| rest.strip_suffix(" ... FAILED")) {
                self.failures.push(format!("{context}{name}"));
            }
            if let Some(result) = line.strip_prefix("test result: ") {
                self.passed += count(result, " passed");
                self.failed += count(result, " failed");
            }
        }
    }
}

/// The number before `label` in a libtest summary (`ok. 3 passed; 0 failed; ...`).
fn count(summary: &str, label: &str) -> usize {
    summary
        .split(';')
        .find_map(|part| part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(label))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Builds and runs the tests of every crate in `by_crate` (crate name to model); counts by model.
pub fn run(paths: &SweepPaths, by_crate: &BTreeMap<String, String>) -> Result<BTreeMap<String, TestCounts>, String> {
    let mut counts: BTreeMap<String, TestCounts> =
        by_crate.values().map(|model| (model.clone(), TestCounts::default())).collect();

    let mut args = vec!["test", "--all-targets", "--no-run", "--no-fail-fast", "--message-format=json"];
    for crate_name in by_crate.keys() {
        args.extend(["-p", crate_name.as_str()]);
    }
    let built = nested_cargo(paths, &args)?;
    let executables = test_executables(&String::from_utf8_lossy(&built.stdout), by_crate);
    for (crate_name, model) in by_crate {
        let model_counts = counts.entry(model.clone()).or_default();
        let Some(binaries) = executables.get(crate_name) else {
            model_counts.failures.push("its test targets did not build".to_owned());
            continue;
        };
        for (target, binary) in binaries {
            let output = Command::new(binary)
                .current_dir(paths.workspace.join(crate_name))
                .output()
                .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
            let text = String::from_utf8_lossy(&output.stdout);
            model_counts.add_libtest_output(&text, &format!("{target}: "));
            if !output.status.success() && !text.contains("test result:") {
                model_counts.failures.push(format!("{target}: the test binary failed: {}", output.status));
            }
        }
    }

    for (crate_name, output) in doc_tests(paths, by_crate)? {
        if let Some(model) = by_crate.get(&crate_name).or_else(|| by_crate.get(&crate_name.replace('_', "-"))) {
            counts.entry(model.clone()).or_default().add_libtest_output(&output, "doc test ");
        }
    }
    Ok(counts)
}

/// The test executables cargo built, by crate: target name and path.
fn test_executables(json_lines: &str, by_crate: &BTreeMap<String, String>) -> BTreeMap<String, Vec<(String, PathBuf)>> {
    let mut executables: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    for line in json_lines.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message.get("reason").and_then(Value::as_str) != Some("compiler-artifact") {
            continue;
        }
        let Some(executable) = message.get("executable").and_then(Value::as_str) else { continue };
        let is_test = message.pointer("/profile/test").and_then(Value::as_bool) == Some(true);
        let crate_dir = message
            .get("manifest_path")
            .and_then(Value::as_str)
            .and_then(|manifest| Path::new(manifest).parent()?.file_name()?.to_str().map(str::to_owned));
        let target = message.pointer("/target/name").and_then(Value::as_str).unwrap_or("?").to_owned();
        if let Some(crate_dir) = crate_dir.filter(|dir| is_test && by_crate.contains_key(dir)) {
            executables.entry(crate_dir).or_default().push((target, PathBuf::from(executable)));
        }
    }
    executables
}

/// Runs every crate's doc tests in one cargo run; returns each crate's part of the output, by
/// the crate name cargo prints (`sweep_amp`).
fn doc_tests(paths: &SweepPaths, by_crate: &BTreeMap<String, String>) -> Result<Vec<(String, String)>, String> {
    let log_path = paths.base.join("doc-tests.log");
    let log = File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|e| format!("{}: {e}", log_path.display()))?;
    cargo_command(paths)
        .args(["test", "--offline", "--doc", "--no-fail-fast"])
        .args(by_crate.keys().flat_map(|crate_name| ["-p", crate_name.as_str()]))
        .stdout(log)
        .stderr(log_err)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = std::fs::read_to_string(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    Ok(split_by_doc_test_header(&text))
}

/// Splits cargo's doc-test output at its `Doc-tests <crate>` headers.
fn split_by_doc_test_header(text: &str) -> Vec<(String, String)> {
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.trim_start().strip_prefix("Doc-tests ") {
            parts.push((name.trim().to_owned(), String::new()));
        } else if let Some((_, part)) = parts.last_mut() {
            part.push_str(line);
            part.push('\n');
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_summaries_and_failed_names_are_counted() {
        let mut counts = TestCounts::default();
        counts.add_libtest_output(
            "running 3 tests\ntest a::b ... ok\ntest a::c ... FAILED\n\
             test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n",
            "lib: ",
        );
        counts.add_libtest_output("test result: ok. 4 passed; 0 failed; 1 ignored\n", "doc test ");
        assert_eq!(counts, TestCounts { passed: 6, failed: 1, failures: vec!["lib: a::c".to_owned()] });
    }

    #[test]
    fn doc_test_output_is_split_by_crate() {
        let text = "   Compiling x\n   Doc-tests sweep_amp\nrunning 1 test\ntest result: ok. 1 passed; 0 failed\n   Doc-tests sweep_iot\ntest result: ok. 2 passed; 0 failed\n";
        let parts = split_by_doc_test_header(text);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].0, "sweep_amp");
        assert!(parts[1].1.contains("2 passed"));
    }
}
