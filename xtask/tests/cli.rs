//! The `cargo xtask` command line: usage on bad arguments (never a panic), errors that name the
//! problem, and `--check` failing on a stale crate.

use std::process::Command;

fn xtask(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("xtask runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_arguments_print_usage_and_exit_2() {
    for args in [
        &["regenerate", "--bogus"][..],
        &["frobnicate"],
        &["regenerate", "--model"],
        &["regenerate", "--crate-name", "9bad"],
    ] {
        let (code, _, stderr) = xtask(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("usage: cargo xtask regenerate"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    let (code, stdout, _) = xtask(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--check"));
}

#[test]
fn a_missing_model_is_an_error_naming_the_file() {
    let (code, _, stderr) = xtask(&["regenerate", "--model", "/nonexistent/model.json", "--out", "/tmp/never"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("/nonexistent/model.json"), "{stderr}");
}

#[test]
fn check_fails_on_a_stale_crate_and_names_the_files() {
    let dir = std::env::temp_dir().join(format!("xtask-cli-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_str().unwrap();
    let (code, _, stderr) = xtask(&["regenerate", "--out", out]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("regenerate: ") && stderr.contains(" in "), "progress and timing: {stderr}");
    let (code, _, stderr) = xtask(&["regenerate", "--check", "--out", out]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(dir.join("src/lib.rs"), "// stale\n").unwrap();
    let (code, _, stderr) = xtask(&["regenerate", "--check", "--out", out]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("src/lib.rs"), "the stale file is named: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_overlay_is_an_error_naming_the_file() {
    let (code, _, stderr) = xtask(&["regenerate", "--overlay", "/nonexistent/x.overlay.json", "--check"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("/nonexistent/x.overlay.json"), "{stderr}");
}

#[test]
fn sweep_of_a_missing_folder_fails_loudly_and_bad_arguments_print_its_usage() {
    let (code, stdout, stderr) = xtask(&["sweep", "/nonexistent/corpus"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("/nonexistent/corpus") && stderr.contains("nothing was checked"), "{stderr}");
    for args in [&["sweep", "--bogus"][..], &["sweep", "a", "b"]] {
        let (code, _, stderr) = xtask(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("usage: cargo xtask sweep"), "{args:?}: {stderr}");
    }
}

#[test]
fn sweep_of_a_folder_without_models_fails_loudly() {
    let dir = std::env::temp_dir().join(format!("xtask-cli-empty-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (code, _, stderr) = xtask(&["sweep", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("no *.json model"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_prints_its_usage_on_help_and_exits_0() {
    for command in ["regenerate", "api-diff", "semver-compare", "surface-baseline", "sweep", "emulator", "bench"] {
        for help in ["--help", "-h"] {
            let (code, stdout, stderr) = xtask(&[command, help]);
            assert_eq!(code, 0, "{command} {help}: {stderr}");
            assert!(stdout.contains(&format!("usage: cargo xtask {command}")), "{command} {help}: {stdout}");
        }
    }
    let (code, stdout, _) = xtask(&["help"]);
    assert_eq!(code, 0);
    for command in ["regenerate", "api-diff", "semver-compare", "surface-baseline", "sweep", "emulator", "bench"] {
        assert!(stdout.contains(&format!("usage: cargo xtask {command}")), "one usage text lists {command}: {stdout}");
    }
}

#[test]
fn api_diff_prints_the_report_and_its_class_last() {
    let root = xtask::workspace_root();
    let fixtures = root.join("tests/fixtures/api_diff");
    let (base, required) = (fixtures.join("base.json"), fixtures.join("note_required.json"));
    let (code, stdout, stderr) =
        xtask(&["api-diff", base.to_str().unwrap(), required.to_str().unwrap(), "--crate-version", "0.3.1"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("takes a new positional argument `note: String`"), "{stdout}");
    assert_eq!(stdout.trim_end().lines().last(), Some("semver: minor (3 breaking, 0 additions, 0 documentation-only)"));
    for args in [&["api-diff"][..], &["api-diff", "a.json"], &["api-diff", "a", "b", "--crate-version", "x"]] {
        let (code, _, stderr) = xtask(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("usage: cargo xtask api-diff"), "{args:?}: {stderr}");
    }
}
