//! What a nested workspace copies from the project's so that its build finds the dependencies
//! the outer `cargo test --workspace` already compiled in `target/`: the same profile, and a
//! member (`outer-deps`) that asks for each dependency a generated crate may have with the
//! features the project's build gave it.
//!
//! Cargo reuses a compiled crate when the unit is the same: same package, features, profile,
//! flags and dependencies, in the same target directory. A generated crate asks tokio, hyper,
//! rustls... for fewer features than the project's workspace does, so on its own it would get
//! its own builds of them (and of everything depending on them); with `outer-deps` beside it,
//! Cargo unifies every dependency's features up to the project's, and finds each one built.
//! A feature the project's build lacks only costs that dependency's rebuild, never a wrong
//! result.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;

use crate::workspace_root;

/// The package name of the member of every nested workspace that pins dependency features.
pub const OUTER_DEPS: &str = "outer-deps";

/// The `[profile.*]` tables of the project's `Cargo.toml`, verbatim (a dependency built with
/// another profile is another unit).
pub(crate) fn profile() -> String {
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).expect("can read Cargo.toml");
    let mut text = String::new();
    let mut in_profile = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_profile = line.starts_with("[profile.");
        }
        if in_profile {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// The manifest of `outer-deps`: every registry package the [`ROOTS`] build for the target,
/// at its locked version, with the features the project's build gives it. Computed once per
/// test process.
pub(crate) fn manifest() -> &'static str {
    static MANIFEST: OnceLock<String> = OnceLock::new();
    MANIFEST.get_or_init(|| {
        let mut text = format!(
            "[package]\nname = \"{OUTER_DEPS}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [lib]\npath = \"lib.rs\"\ntest = false\ndoctest = false\n\n[dependencies]\n"
        );
        for (key, line) in dependencies(&tree()) {
            text.push_str(&format!("{key} = {line}\n"));
        }
        text
    })
}

/// The members whose dependencies a generated crate has: the generated crate, and the runtime
/// its files come from (with every runtime feature's dependencies). Pinning the rest of the
/// project's dependencies (the generator's `syn`, `insta`, `proptest`...) would only give a
/// nested build more to find built, or to build when a narrower outer run did not.
const ROOTS: &[&str] = &["connectparticipant", "runtime"];

/// `cargo tree` of the project's workspace: each package the way `cargo test --workspace`
/// builds it for the target the tests run on (features resolved over every member, as that
/// build does; normal and dev dependencies, not build dependencies or proc macros, which are
/// built for the host with features of their own), one per line after its depth.
fn tree() -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["tree", "--offline", "--workspace", "--no-dedupe", "--prefix", "depth"])
        .args(["--edges", "normal,dev,no-proc-macro", "--format", "{p}|{f}"])
        .current_dir(workspace_root())
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree fails:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("cargo tree prints UTF-8")
}

/// `key = { package, version, features }` lines for the registry packages in the trees of the
/// [`ROOTS`] (path and git packages name their source in parentheses after the version).
fn dependencies(tree: &str) -> BTreeMap<String, String> {
    let mut pinned = BTreeMap::new();
    let mut in_root = false;
    for line in tree.lines() {
        let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some((package, features)) = rest.split_once('|') else { continue };
        let Some((name, version)) = package.split_once(" v") else { continue };
        if &line[..line.len() - rest.len()] == "0" {
            in_root = ROOTS.contains(&name);
            continue;
        }
        if !in_root || version.contains(' ') {
            continue;
        }
        let features: Vec<String> = features.split(',').filter(|f| !f.is_empty()).map(|f| format!("{f:?}")).collect();
        let key = format!("{name}-{version}").replace(['.', '+'], "_");
        let line = format!(
            "{{ package = \"{name}\", version = \"={version}\", default-features = false, features = [{}] }}",
            features.join(", ")
        );
        pinned.insert(key, line);
    }
    pinned
}

#[cfg(test)]
mod tests {
    use super::dependencies;

    #[test]
    fn pins_the_registry_packages_of_the_roots_with_their_features() {
        let tree = "\
0codegen v0.1.0 (/p/codegen)|
1insta v1.49.0|default
0runtime v0.1.0 (/p/codegen/runtime)|default,sigv4
1tokio v1.54.1|macros,net,time
2mio v1.2.5|net,os-poll
1local v0.1.0 (/p/local)|
2bytes v1.12.2|
1bytes v1.12.2|
0xtask v0.0.0 (/p/xtask)|
1tokio v1.54.1|macros,net,time
1serde v1.0.0|std
";
        let pinned = dependencies(tree);
        // Another member's dependencies, path packages and the roots themselves are left out.
        assert_eq!(pinned.keys().collect::<Vec<_>>(), ["bytes-1_12_2", "mio-1_2_5", "tokio-1_54_1"]);
        assert_eq!(
            pinned["tokio-1_54_1"],
            r#"{ package = "tokio", version = "=1.54.1", default-features = false, features = ["macros", "net", "time"] }"#
        );
        assert_eq!(
            pinned["bytes-1_12_2"],
            r#"{ package = "bytes", version = "=1.12.2", default-features = false, features = [] }"#
        );
    }
}
