//! The committed crate can be published: `cargo package` makes its `.crate` (the README and
//! license it carries, no file from outside it), and its manifest has what crates.io and
//! docs.rs read. Publishing itself stays a person's decision (`cargo publish -p
//! connectparticipant`); nothing here or in CI publishes.
//!
//! The package is made with `--no-verify`: verifying builds the packed crate and every
//! dependency again from scratch in its own directory (minutes on 2 cores); the crate's own
//! build and tests are the workspace's.

use workspace_tests::{nested_cargo, workspace_root};

#[test]
fn the_generated_crate_packages_with_its_readme_and_license() {
    let root = workspace_root();
    let started = std::time::Instant::now();
    let (ok, listing) =
        nested_cargo(&root, &["package", "-p", "connectparticipant", "--list", "--allow-dirty", "--locked"]);
    assert!(ok, "cargo package --list fails:\n{listing}");
    // Other tests of the binary run cargo at the same time: cargo's notice that it waits for
    // their lock is not a file.
    let files: Vec<&str> = listing
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("Blocking waiting for file lock"))
        .collect();
    for wanted in ["Cargo.toml", "README.md", "LICENSE", "src/lib.rs", "src/blocking.rs", "examples/chat.rs"] {
        assert!(files.contains(&wanted), "the package lacks {wanted}:\n{listing}");
    }
    let dir = root.join("generated/connectparticipant");
    for file in &files {
        let generated = ["Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json"].contains(file);
        assert!(generated || dir.join(file).is_file(), "{file} is packed but not in the crate's directory");
    }
    let (ok, output) =
        nested_cargo(&root, &["package", "-p", "connectparticipant", "--no-verify", "--allow-dirty", "--locked"]);
    assert!(ok, "cargo package fails:\n{output}");
    eprintln!("packaging: {} files listed and packed in {:.1?}", files.len(), started.elapsed());
}

#[test]
fn the_manifest_has_what_crates_io_and_docs_rs_read() {
    let manifest = std::fs::read_to_string(workspace_root().join("generated/connectparticipant/Cargo.toml")).unwrap();
    assert!(!manifest.contains("publish ="), "publishing is allowed, and left to a person:\n{manifest}");
    for line in [
        "license = \"Apache-2.0\"",
        "readme = \"README.md\"",
        "repository = ",
        "keywords = [",
        "categories = [",
        "[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]",
        "blocking = [\"tokio/rt\"]",
    ] {
        assert!(manifest.contains(line), "Cargo.toml lacks {line:?}:\n{manifest}");
    }
    let lib = std::fs::read_to_string(workspace_root().join("generated/connectparticipant/src/lib.rs")).unwrap();
    for feature in ["chat", "blocking"] {
        let marked = format!("#[cfg(feature = \"{feature}\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"{feature}\")))]");
        assert!(lib.contains(&marked), "docs.rs does not mark the {feature} module:\n{lib}");
    }
    assert!(lib.contains("//! # Model revision"), "the docs do not name the model revision");
}
