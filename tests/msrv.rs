//! Every workspace crate declares a `rust-version` it really builds with: no lower than the
//! `rust-version` of any locked dependency it builds (from `cargo metadata --locked`), and no
//! lower than the newest language feature or standard-library API its sources use.
//!
//! The generated crate is checked for what its users build: its normal and build dependencies
//! on every platform. The project's own crates (generator, xtask, tests) are built to run the
//! tests, so their dev-dependencies count too.
//!
//! Features are found by scanning the sources (comment lines skipped) for the syntax or API
//! that needs them; a scan rather than a parser so that the table stays a plain list. What is
//! detected, and since which Rust version it is stable:
//!
//! | feature | detected by | stable since |
//! | --- | --- | --- |
//! | edition 2024 | `edition = "2024"` in the manifest | 1.85 |
//! | let chains | an `if`/`while` condition with both `let` and `&&` | 1.88 |
//! | async closures | `async \|` / `async move \|` | 1.85 |
//! | `#[expect(...)]` lint attribute | `#[expect(` | 1.81 |
//! | `LazyLock` / `LazyCell` | the names | 1.80 |
//! | `Option::is_none_or` | `.is_none_or(` | 1.82 |
//! | `std::iter::repeat_n` | `repeat_n(` | 1.82 |
//! | `&raw const` / `&raw mut` | the syntax | 1.82 |
//! | `unsigned::is_multiple_of` | `.is_multiple_of(` | 1.87 |
//! | `Vec::extract_if` | `.extract_if(` | 1.87 |
//! | `slice::get_disjoint_mut` | `.get_disjoint_mut(` | 1.86 |
//! | `slice::as_chunks` | `.as_chunks(` | 1.88 |
//! | `#[unsafe(naked)]` | the attribute | 1.88 |

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use workspace_tests::workspace_root;

/// A Rust version, `major.minor` (patch levels never gate features here).
type Version = (u64, u64);

fn parse_version(text: &str) -> Version {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or_else(|_| panic!("bad version {text:?}")));
    (parts.next().unwrap(), parts.next().unwrap_or(0))
}

fn show((major, minor): Version) -> String {
    format!("{major}.{minor}")
}

/// The plain-text features: what to look for, what it is, and since when it is stable.
const SOURCE_FEATURES: [(&str, &str, Version); 12] = [
    ("async |", "async closures", (1, 85)),
    ("async move |", "async closures", (1, 85)),
    ("#[expect(", "#[expect] lint attribute", (1, 81)),
    ("LazyLock", "std::sync::LazyLock", (1, 80)),
    ("LazyCell", "std::cell::LazyCell", (1, 80)),
    (".is_none_or(", "Option::is_none_or", (1, 82)),
    ("repeat_n(", "std::iter::repeat_n", (1, 82)),
    ("&raw ", "raw borrows (&raw const / &raw mut)", (1, 82)),
    (".is_multiple_of(", "is_multiple_of on unsigned integers", (1, 87)),
    (".extract_if(", "Vec::extract_if", (1, 87)),
    (".get_disjoint_mut(", "slice::get_disjoint_mut", (1, 86)),
    (".as_chunks(", "slice::as_chunks", (1, 88)),
];

const LET_CHAINS: Version = (1, 88);
const EDITION_2024: Version = (1, 85);

/// The source without its comment lines (where feature names may appear in prose).
fn code_of(source: &str) -> String {
    source.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Whether the source has a let chain: an `if` or `while` whose condition (up to the `{` that
/// opens its block, outside parentheses) holds both `let` and `&&`.
fn condition_has_let_chain(source: &str) -> Option<String> {
    let code = code_of(source);
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for keyword in ["if ", "while "] {
        for (start, _) in code.match_indices(keyword) {
            if start > 0 && is_ident(bytes[start - 1]) {
                continue;
            }
            let mut depth = 0i32;
            let mut end = start + keyword.len();
            while end < bytes.len() {
                match bytes[end] {
                    b'(' | b'[' => depth += 1,
                    b')' | b']' => depth -= 1,
                    b'{' | b';' if depth <= 0 => break,
                    _ => {}
                }
                end += 1;
            }
            let condition = &code[start..end];
            let has_let = condition.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|word| word == "let");
            if has_let && condition.contains("&&") {
                return Some(condition.lines().next().unwrap_or(condition).trim().to_owned());
            }
        }
    }
    None
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() && name != "target" && name != "snapshots" && name != "fixtures" {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The newest feature a crate's sources and manifest need, with what needs it.
fn feature_floor(package: &Value) -> (Version, String) {
    let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
    let mut floor = ((1, 0), "nothing".to_owned());
    let mut raise = |version: Version, why: String| {
        if version > floor.0 {
            floor = (version, why);
        }
    };
    if package["edition"] == "2024" {
        raise(EDITION_2024, "edition 2024".to_owned());
    }
    let mut files = Vec::new();
    rust_files(manifest.parent().unwrap(), &mut files);
    files.sort();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(workspace_root()).unwrap_or(&file).display().to_string();
        if let Some(condition) = condition_has_let_chain(&source) {
            raise(LET_CHAINS, format!("let chains ({shown}: `{condition}`)"));
        }
        let code = code_of(&source);
        for (needle, feature, version) in SOURCE_FEATURES {
            if code.contains(needle) {
                raise(version, format!("{feature} ({shown})"));
            }
        }
    }
    floor
}

/// The newest `rust-version` among the locked dependencies a workspace crate builds.
fn dependency_floor(metadata: &Value, member: &str, with_dev: bool) -> (Version, String) {
    let packages: BTreeMap<&str, &Value> =
        metadata["packages"].as_array().unwrap().iter().map(|p| (p["id"].as_str().unwrap(), p)).collect();
    let nodes: BTreeMap<&str, &Value> =
        metadata["resolve"]["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();
    let mut floor = ((1, 0), "no dependency".to_owned());
    let mut seen = BTreeSet::new();
    let mut stack = vec![(member, true)];
    while let Some((id, is_root)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let package = packages[id];
        if !is_root && let Some(version) = package["rust_version"].as_str() {
            let version = parse_version(version);
            if version > floor.0 {
                floor = (
                    version,
                    format!("{} {}", package["name"].as_str().unwrap(), package["version"].as_str().unwrap()),
                );
            }
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let counts = dep["dep_kinds"].as_array().unwrap().iter().any(|kind| match kind["kind"].as_str() {
                None | Some("build") => true,
                Some("dev") => is_root && with_dev,
                Some(_) => false,
            });
            if counts {
                stack.push((dep["pkg"].as_str().unwrap(), false));
            }
        }
    }
    floor
}

#[test]
fn declared_rust_versions_are_the_true_minimum() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Offline first; the manifests of other platforms' dependencies (never built here) may
    // have to be fetched from the registry.
    let metadata = |offline: bool| {
        let mut command = Command::new(&cargo);
        command.args(["metadata", "--format-version", "1", "--locked"]);
        if offline {
            command.arg("--offline");
        }
        command.current_dir(workspace_root()).output().expect("cargo runs")
    };
    let mut output = metadata(true);
    if !output.status.success() {
        output = metadata(false);
    }
    assert!(output.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for member in metadata["workspace_members"].as_array().unwrap() {
        let id = member.as_str().unwrap();
        let package = metadata["packages"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
        let name = package["name"].as_str().unwrap();
        let declared = package["rust_version"].as_str().map(parse_version);
        // The generated crate is what users build: its dev-dependencies are not theirs.
        let with_dev = name != "connectparticipant";
        let (dependency_version, dependency) = dependency_floor(&metadata, id, with_dev);
        let (feature_version, feature) = feature_floor(package);
        let required = dependency_version.max(feature_version);
        checked.push(format!(
            "{name}: declares {}, needs {} (dependencies: {} for {dependency}; sources: {} for {feature})",
            declared.map_or("nothing".to_owned(), show),
            show(required),
            show(dependency_version),
            show(feature_version)
        ));
        match declared {
            Some(declared) if declared >= required => {}
            _ => problems.push(checked.last().unwrap().clone()),
        }
    }
    eprintln!("msrv:\n  {}", checked.join("\n  "));
    assert!(problems.is_empty(), "declared rust-version too low:\n  {}", problems.join("\n  "));
}

#[test]
fn the_let_chain_scan_finds_let_chains_and_only_them() {
    assert!(condition_has_let_chain("if let Some(x) = a\n    && x > 1\n{").is_some());
    assert!(condition_has_let_chain("if ready && let Some(x) = a {").is_some());
    assert!(condition_has_let_chain("while let Some(x) = it.next() && x {").is_some());
    assert!(condition_has_let_chain("if let Some(x) = a { b && c }").is_none());
    assert!(condition_has_let_chain("if a && b { let c = 1; }").is_none());
    assert!(condition_has_let_chain("// if let Some(x) = a && b {").is_none());
    assert!(condition_has_let_chain("let verify_if = f(a && b);").is_none());
}
