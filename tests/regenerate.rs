//! The committed crate is what the model gives, and generation is deterministic.

use workspace_tests::workspace_root;

fn bundled_args(check: bool) -> xtask::Args {
    let mut args = xtask::parse_args(&workspace_root(), ["regenerate".to_owned()].into_iter()).unwrap().unwrap();
    args.check = check;
    args
}

#[test]
fn generated_crate_is_fresh() {
    let args = bundled_args(true);
    let (_, report) = codegen::generate_to_dir(&args.model, &args.out, &xtask::options(&args).unwrap(), true).unwrap();
    assert!(
        report.changed.is_empty() && report.removed.is_empty(),
        "generated/ is stale; run `cargo xtask regenerate`.\nDiffers: {:?}\nNo longer generated: {:?}",
        report.changed,
        report.removed
    );
    assert!(report.unchanged > 50);
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let args = bundled_args(false);
    let json = std::fs::read_to_string(&args.model).unwrap();
    let first = codegen::generate(&json, &xtask::options(&args).unwrap()).unwrap();
    let second = codegen::generate(&json, &xtask::options(&args).unwrap()).unwrap();
    assert_eq!(first.files, second.files);
    for (name, path) in workspace_tests::fixture_models() {
        let json = std::fs::read_to_string(&path).unwrap();
        let options = codegen::GenerateOptions::new(name);
        assert_eq!(
            codegen::generate(&json, &options).unwrap().files,
            codegen::generate(&json, &options).unwrap().files
        );
    }
}

#[test]
fn check_mode_names_stale_and_extra_files_and_writes_nothing() {
    let dir = workspace_tests::scratch_dir("check-mode");
    let args = bundled_args(false);
    let options = xtask::options(&args).unwrap();
    codegen::generate_to_dir(&args.model, &dir, &options, false).unwrap();
    let client = dir.join("src/client.rs");
    std::fs::write(&client, "// edited by hand\n").unwrap();
    let extra = dir.join("src/types/leftover.rs");
    std::fs::write(&extra, format!("{}// a shape the model no longer has\n", codegen::render::HEADER)).unwrap();
    let hand_written = dir.join("src/extra.rs");
    std::fs::write(&hand_written, "// a module someone wrote by hand\n").unwrap();

    let (_, report) = codegen::generate_to_dir(&args.model, &dir, &options, true).unwrap();
    assert_eq!(report.changed, vec![client.clone()]);
    assert_eq!(report.removed, vec![extra.clone()]);
    assert_eq!(std::fs::read_to_string(&client).unwrap(), "// edited by hand\n", "check mode must not write");
    assert!(extra.exists(), "check mode must not delete");

    let (_, report) = codegen::generate_to_dir(&args.model, &dir, &options, false).unwrap();
    assert_eq!(report.changed, vec![client.clone()]);
    assert!(!extra.exists(), "files no longer generated are removed");
    assert!(hand_written.exists(), "files the generator did not write are never removed");
    let (_, report) = codegen::generate_to_dir(&args.model, &dir, &options, true).unwrap();
    assert!(report.changed.is_empty() && report.removed.is_empty());
}

/// The corpus sweep generates this service as `sweep-connectparticipant`: its crate docs'
/// quickstart, a doctest, must name that crate (it named `connectparticipant` and failed
/// `cargo xtask sweep --test`).
#[test]
fn the_quickstart_names_the_crate_it_is_generated_as() {
    let args = bundled_args(false);
    let json = std::fs::read_to_string(&args.model).unwrap();
    let mut options = xtask::options(&args).unwrap();
    options.crate_name = "sweep-connectparticipant".to_owned();
    let generated = codegen::generate(&json, &options).unwrap();
    let lib = generated.files.iter().find(|(path, _)| path.as_str() == "src/lib.rs").map(|(_, text)| text).unwrap();
    assert!(lib.contains("use sweep_connectparticipant::{Client, Config};"), "{lib}");
    assert!(!lib.contains("use connectparticipant::"), "{lib}");
}
