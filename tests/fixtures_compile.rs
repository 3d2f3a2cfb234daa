//! The code pinned by the fixture snapshots compiles: every fixture model is generated into a
//! scratch workspace and checked with clippy (`-D warnings`, every feature: the blocking facade
//! too), docs included.

use workspace_tests::{fixture_models, fixture_options, make_workspace, nested_cargo, scratch_dir};

#[test]
fn fixture_crates_build_without_warnings() {
    let dir = scratch_dir("fixture-crates");
    let mut members = Vec::new();
    for (name, path) in fixture_models() {
        let crate_name = format!("fixture-{name}");
        let json = std::fs::read_to_string(&path).unwrap();
        let generated = codegen::generate(&json, &fixture_options(&name)).unwrap();
        codegen::render::write(&dir.join(&crate_name), &generated.files, false).unwrap();
        members.push(crate_name);
    }
    make_workspace(&dir, &members);
    let (ok, output) = nested_cargo(
        &dir,
        &["clippy", "--workspace", "--all-targets", "--all-features", "--quiet", "--", "-D", "warnings"],
    );
    assert!(ok, "fixture crates do not build cleanly:\n{output}");
    let (ok, output) = nested_cargo(&dir, &["test", "--workspace", "--quiet"]);
    assert!(ok, "fixture crates' own tests fail:\n{output}");
}
