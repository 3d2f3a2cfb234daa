//! Snapshot tests: the code generated for each synthetic fixture model (one Smithy construct
//! each, under `tests/fixtures/`) and for the bundled connectparticipant model.
//!
//! Runtime files copied verbatim are left out of the snapshots: they are the same for every
//! model and are tested where they compile. `fixtures_compile.rs` checks that the code pinned
//! here builds without warnings.

use workspace_tests::{fixture_models, fixture_options, workspace_root};

/// The partition table: generated, but the same for every model (pinned by the codegen tests
/// of `endpoint_rules::partitions` and by `regenerate --check`); the license text, verbatim.
const MODEL_INDEPENDENT: &[&str] = &["src/endpoint/partitions.rs", "LICENSE"];

/// The generated (not verbatim) files of a crate that depend on its model, each under a header
/// line.
fn generated_text(files: &[(String, String)]) -> String {
    let mut text = String::new();
    let pinned = |path: &str| !codegen::emit::is_runtime_file(path) && !MODEL_INDEPENDENT.contains(&path);
    for (path, content) in files.iter().filter(|(path, _)| pinned(path)) {
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
        let generated =
            codegen::generate(&json, &fixture_options(&name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
        insta::assert_snapshot!(format!("fixture_{name}"), generated_text(&generated.files));
    }
}

/// The connectparticipant files pinned here for review: one of each kind (crate root, client,
/// endpoint rules, an operation with its wire code, a paginated one, a structure, a union-free
/// enum, an error). Every other generated file is pinned by `cargo xtask regenerate --check`
/// (and `tests/regenerate.rs`), so a change is reviewed once, not twice.
const REPRESENTATIVE_FILES: &[&str] = &[
    "Cargo.toml",
    "README.md",
    "src/lib.rs",
    "src/client.rs",
    "src/blocking.rs",
    "src/endpoint/mod.rs",
    "src/operation/send_message.rs",
    "src/protocol/send_message.rs",
    "src/operation/get_transcript.rs",
    "src/protocol/get_transcript.rs",
    "src/types/item.rs",
    "src/protocol/shapes/item.rs",
    "src/types/chat_item_type.rs",
    "src/types/error/access_denied_exception.rs",
    "src/protocol/errors/access_denied_exception.rs",
];

#[test]
fn connectparticipant_files() {
    let root = workspace_root();
    let args = xtask::parse_args(&root, ["regenerate".to_owned()].into_iter()).unwrap().unwrap();
    let json = std::fs::read_to_string(&args.model).unwrap();
    let generated = codegen::generate(&json, &xtask::options(&args).unwrap()).unwrap();
    for path in REPRESENTATIVE_FILES {
        let (_, content) = generated
            .files
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("the generator no longer emits {path}"));
        let name = format!("connectparticipant__{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, content);
    }
}
