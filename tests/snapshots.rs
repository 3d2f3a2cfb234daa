//! Snapshot tests: the code generated for each synthetic fixture model (one Smithy construct
//! each, under `tests/fixtures/`) and for the bundled connectparticipant model.
//!
//! Runtime files copied verbatim are left out of the snapshots: they are the same for every
//! model and are tested where they compile. `fixtures_compile.rs` checks that the code pinned
//! here builds without warnings.

use codegen::GenerateOptions;
use workspace_tests::{fixture_models, workspace_root};

/// The generated (not verbatim) files of a crate, each under a header line.
fn generated_text(files: &[(String, String)]) -> String {
    let mut text = String::new();
    for (path, content) in files.iter().filter(|(path, _)| !codegen::emit::is_runtime_file(path)) {
        text.push_str(&format!("======== {path} ========\n{content}\n"));
    }
    text
}

#[test]
fn fixture_crates() {
    let fixtures = fixture_models();
    assert!(fixtures.len() >= 10, "expected the fixture models in tests/fixtures, found {}", fixtures.len());
    for (name, path) in fixtures {
        let json = std::fs::read_to_string(&path).unwrap();
        let generated = codegen::generate(&json, &GenerateOptions::new(format!("fixture-{name}")))
            .unwrap_or_else(|e| panic!("fixture {name}: {e}"));
        insta::assert_snapshot!(format!("fixture_{name}"), generated_text(&generated.files));
    }
}

#[test]
fn connectparticipant_files() {
    let root = workspace_root();
    let args = xtask::parse_args(&root, ["regenerate".to_owned()].into_iter()).unwrap().unwrap();
    let json = std::fs::read_to_string(&args.model).unwrap();
    let generated = codegen::generate(&json, &xtask::options(&args).unwrap()).unwrap();
    let mut count = 0;
    for (path, content) in generated.files.iter().filter(|(path, _)| !codegen::emit::is_runtime_file(path)) {
        let name = format!("connectparticipant__{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, content);
        count += 1;
    }
    assert!(count > 50, "expected the generated files of 11 operations, found {count}");
}
