//! A generated crate signs its requests: the crate of `tests/fixtures/sigv4.json` (labels, query
//! strings, headers, bodies, `@unsignedPayload`, `@optionalAuth`, an operation with no auth and
//! one with an `X-Amz-Bearer` token) is built with a test crate, `tests/signing/check.rs`, whose
//! own SigV4 implementation (`sha2`, HMAC by its definition) recomputes the `Authorization` of
//! every request the client sends, retries and clock-skew correction included.

use workspace_tests::{
    OUTER_DEPS, build_dir, fixture_options, make_workspace, nested_cargo, workspace_root, write_if_changed,
};

const CHECK_MANIFEST: &str = r#"[package]
name = "sigv4-check"
version = "0.0.0"
edition = "2024"
publish = false

[dev-dependencies]
fixture-sigv4 = { path = "../fixture-sigv4" }
# The second implementation: SHA-256 from RustCrypto (not ring, which the crate signs with).
sha2 = { version = "0.11", default-features = false }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[[test]]
name = "check"
path = "check.rs"
"#;

#[test]
fn generated_requests_carry_independently_verified_signatures() {
    let dir = build_dir("sigv4-signing");
    let model = std::fs::read_to_string(workspace_root().join("tests/fixtures/sigv4.json")).unwrap();
    let generated = codegen::generate(&model, &fixture_options("sigv4")).unwrap();
    codegen::render::write(&dir.join("fixture-sigv4"), &generated.files, false).unwrap();
    let check = dir.join("sigv4-check");
    write_if_changed(&check.join("Cargo.toml"), CHECK_MANIFEST);
    write_if_changed(&check.join("src/lib.rs"), "//! Only tests: see check.rs.\n");
    let test = std::fs::read_to_string(workspace_root().join("tests/signing/check.rs")).unwrap();
    write_if_changed(&check.join("check.rs"), &test);
    make_workspace(&dir, &["fixture-sigv4".to_owned(), "sigv4-check".to_owned()]);
    let (ok, output) = nested_cargo(&dir, &["test", "-p", "sigv4-check", "-p", OUTER_DEPS, "--", "--nocapture"]);
    println!("{output}");
    assert!(ok, "signatures of the generated crate do not verify:\n{output}");
    assert!(output.contains("test result: ok. 4 passed"), "{output}");
}
