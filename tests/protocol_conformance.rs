//! Protocol conformance: AWS's restJson1 protocol test suite, run against a generated crate.
//!
//! `../shared/protocol-tests/restJson1.json` is one test service whose operations and error
//! shapes carry 204 `smithy.test` cases. This test generates a crate from it with its protocol
//! tests (`GenerateOptions::protocol_tests`), runs that crate's tests in a nested cargo, maps
//! every test back to its case and prints
//! `protocol tests: N passed, M failed, K skipped of 204`.
//!
//! Cases listed in `tests/protocol-tests-skip.txt` (`<case id> <reason>`, or
//! `request:<id>` / `response:<id>` when an id names both kinds of case) are emitted as
//! `#[ignore = "<reason>"]` and still run: the test fails when any other case fails, when a
//! skipped case passes (the list must stay honest), or when the suite does not have 204 cases.
//! The generated crate is built with `-D warnings`, so a warning in generated code fails too.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use codegen::GenerateOptions;
use codegen::emit::{ProtocolTest, ProtocolTestSkips};
use workspace_tests::{OUTER_DEPS, make_workspace, nested_cargo, shared_dir, workspace_root};

/// The number of cases in the suite (113 request and 91 response cases).
const EXPECTED_CASES: usize = 204;

/// The generated crate's package name (and directory).
const CRATE: &str = "restjson-protocol-tests";

#[test]
fn restjson1_protocol_tests() {
    let Some(shared) = shared_dir("protocol_conformance") else { return };
    let started = Instant::now();
    let model = shared.join("protocol-tests").join("restJson1.json");
    let skips = read_skips(&workspace_root().join("tests").join("protocol-tests-skip.txt"));

    let root = workspace_root().join("target").join("protocol-tests");
    let crate_dir = root.join(CRATE);
    let mut options = GenerateOptions::new(CRATE);
    options.protocol_tests = true;
    options.protocol_test_skips = skips.clone();
    let (generated, _) = codegen::generate_to_dir(&model, &crate_dir, &options, false)
        .unwrap_or_else(|e| panic!("generating from {}: {e}", model.display()));
    make_workspace(&root, &[CRATE.to_owned()]);

    let output = run_tests(&root);
    let results = parse_results(&output);
    let report = Report::new(&generated.protocol_tests, &results, &skips, &output);
    show(&format!(
        "{}protocol tests: {} passed, {} failed, {} skipped of {} ({:.1?})",
        report.details,
        report.passed,
        report.failed.len(),
        report.skipped,
        generated.protocol_tests.len(),
        started.elapsed()
    ));
    let mut problems = Vec::new();
    if generated.protocol_tests.len() != EXPECTED_CASES {
        problems.push(format!("the suite has {} cases, expected {EXPECTED_CASES}", generated.protocol_tests.len()));
    }
    if !report.failed.is_empty() {
        problems.push(format!("cases failed: {}", report.failed.join(", ")));
    }
    if !report.unexpected_passes.is_empty() {
        problems.push(format!(
            "skipped cases pass, remove them from tests/protocol-tests-skip.txt: {}",
            report.unexpected_passes.join(", ")
        ));
    }
    // The crate's other tests (its runtime's) run too, and must pass.
    let other_failures: Vec<&String> = results
        .iter()
        .filter(|(name, ok)| !**ok && !generated.protocol_tests.iter().any(|t| &t.test_name == *name))
        .map(|(name, _)| name)
        .collect();
    if !other_failures.is_empty() {
        for name in &other_failures {
            show(&format!("FAILED {name}:\n    {}", failure_text(&output, name).replace('\n', "\n    ")));
        }
        problems.push(format!("tests of the generated crate's runtime failed: {other_failures:?}"));
    }
    if !report.unknown_skips.is_empty() {
        problems.push(format!("tests/protocol-tests-skip.txt names no case: {}", report.unknown_skips.join(", ")));
    }
    assert!(problems.is_empty(), "protocol conformance:\n- {}", problems.join("\n- "));
}

/// Prints to the test process's stderr directly: libtest captures `println!` and `eprintln!`
/// of passing tests, and the count must show in every run.
fn show(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// The skip list: `<key> <reason>` per line, `#` comments and blank lines ignored.
fn read_skips(path: &Path) -> ProtocolTestSkips {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut skips = ProtocolTestSkips::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let reason = reason.trim();
        assert!(!reason.is_empty(), "{}:{}: `{key}` needs a reason", path.display(), number + 1);
        let previous = skips.insert(key.to_owned(), reason.to_owned());
        assert!(previous.is_none(), "{}:{}: `{key}` is listed twice", path.display(), number + 1);
    }
    skips
}

/// Runs the generated crate's tests, ignored (skipped) ones included, and returns the output.
/// Offline first (the workspace's `Cargo.lock` pins what is already downloaded); online when
/// offline resolution fails.
fn run_tests(workspace: &Path) -> String {
    nested_cargo(workspace, &["test", "--lib", "--package", CRATE, "--package", OUTER_DEPS, "--", "--include-ignored"])
        .1
}

/// The outcome of each test by its libtest name.
fn parse_results(output: &str) -> BTreeMap<String, bool> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, outcome) = rest.rsplit_once(" ... ")?;
            match outcome.trim() {
                "ok" => Some((name.to_owned(), true)),
                "FAILED" => Some((name.to_owned(), false)),
                _ => None,
            }
        })
        .collect()
}

/// The panic output libtest printed for a failed test.
fn failure_text<'a>(output: &'a str, test_name: &str) -> &'a str {
    let marker = format!("---- {test_name} stdout ----\n");
    let Some(start) = output.find(&marker).map(|i| i + marker.len()) else { return "(no output)" };
    let rest = &output[start..];
    let end = [rest.find("\n---- "), rest.find("\nstack backtrace:"), rest.find("\nfailures:")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim()
}

fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

struct Report {
    passed: usize,
    skipped: usize,
    /// Cases that failed (or did not run) and are not skipped, as `kind id`.
    failed: Vec<String>,
    unexpected_passes: Vec<String>,
    unknown_skips: Vec<String>,
    details: String,
}

impl Report {
    fn new(
        tests: &[ProtocolTest],
        results: &BTreeMap<String, bool>,
        skips: &ProtocolTestSkips,
        output: &str,
    ) -> Report {
        assert!(!results.is_empty(), "the generated crate's tests did not run:\n{}", tail(output));
        let mut report = Report {
            passed: 0,
            skipped: 0,
            failed: Vec::new(),
            unexpected_passes: Vec::new(),
            unknown_skips: Vec::new(),
            details: String::new(),
        };
        for test in tests {
            let label = format!("{} {}", test.kind.as_str(), test.id);
            match (results.get(&test.test_name), &test.skipped) {
                (Some(true), None) => report.passed += 1,
                (Some(false), Some(reason)) => {
                    report.skipped += 1;
                    report.details.push_str(&format!("skipped {label}: {reason}\n"));
                }
                (Some(true), Some(_)) => report.unexpected_passes.push(label),
                (Some(false), None) => {
                    let why = failure_text(output, &test.test_name).replace('\n', "\n    ");
                    report.details.push_str(&format!("FAILED {label} ({}):\n    {why}\n", test.test_name));
                    report.failed.push(label);
                }
                (None, _) => {
                    report.details.push_str(&format!("FAILED {label}: {} did not run\n", test.test_name));
                    report.failed.push(label);
                }
            }
        }
        for key in skips.keys() {
            let id = key.strip_prefix("request:").or_else(|| key.strip_prefix("response:")).unwrap_or(key);
            let kind = key.split_once(':').map(|(kind, _)| kind).filter(|_| id != key);
            if !tests.iter().any(|t| t.id == id && kind.is_none_or(|k| k == t.kind.as_str())) {
                report.unknown_skips.push(key.clone());
            }
        }
        report
    }
}
