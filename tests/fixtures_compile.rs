//! The code pinned by the fixture snapshots compiles: every fixture model is generated into a
//! scratch workspace, linted with clippy (`-D warnings`, every feature: the blocking facade too,
//! docs included), built and its tests run; and without features it still compiles clean.

use workspace_tests::{
    OUTER_DEPS, build_dir, fixture_models, fixture_options, make_workspace, nested_cargo, nested_cargo_with_clippy,
};

#[test]
fn fixture_crates_build_without_warnings() {
    let dir = build_dir("fixture-crates");
    let mut members = Vec::new();
    for (name, path) in fixture_models() {
        let crate_name = format!("fixture-{name}");
        let json = std::fs::read_to_string(&path).unwrap();
        let generated = codegen::generate(&json, &fixture_options(&name)).unwrap();
        codegen::render::write(&dir.join(&crate_name), &generated.files, false).unwrap();
        members.push(crate_name);
    }
    make_workspace(&dir, &members);
    // One compilation per crate and target: clippy lints each target as `cargo test` builds it
    // (what `cargo clippy --all-targets --all-features` checks), then the tests run.
    let (ok, output) = nested_cargo_with_clippy(&dir, &["test", "--workspace", "--all-features", "--quiet"]);
    assert!(ok, "fixture crates do not build cleanly, or their own tests fail:\n{output}");
    // Without features: what the blocking facade alone uses must not be left unused.
    let (ok, output) = nested_cargo(&dir, &["check", "--workspace", "--exclude", OUTER_DEPS, "--quiet"]);
    assert!(ok, "fixture crates do not build cleanly without features:\n{output}");
}
