//! The AWS SigV4 test suite (`../shared/sigv4-test-suite/v4`, 40 cases): each raw request signed
//! in its headers and in its query string, the canonical request, string to sign and signature
//! compared with the suite's.
//!
//! The suite's cases from the AWS Common Runtime run with the settings they name in
//! `context.json` (`normalize`, `sign_body` as `x-amz-content-sha256`, `omit_session_token`)
//! and a path signed as it is on the wire (encoded once, as the CRT harness signs it); the two
//! cases smithy-rs added (`double-encode-path`, `double-url-encode`) have no context: they are
//! the default settings (path encoded twice) with the credentials, scope and time their
//! expected signatures were made with.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use runtime::auth::credentials::Credentials;
use runtime::auth::sigv4::{Signature, SigningKeyCache, SigningParams, SigningSettings, presign, sign_request};
use runtime::primitives::{DateTime, Format};
use runtime::transport::{Bytes, http};

/// `../shared/sigv4-test-suite/v4` beside the checkout (or under `$SHARED_DIR`), or a loud SKIPPED.
fn suite_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = shared.join("sigv4-test-suite/v4");
    if dir.is_dir() {
        return Some(dir);
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n!!!!!!!! SKIPPED sigv4 suite: reference data not found at {} (set SHARED_DIR) !!!!!!!!\n",
        dir.display()
    );
    None
}

/// `request.txt`: request line, headers (a line starting with whitespace continues the header
/// above it), a blank line, the body.
fn parse_request(text: &str) -> http::Request<Bytes> {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("a request line");
    let (method, rest) = request_line.split_once(' ').expect("method and target");
    let target = rest.strip_suffix(" HTTP/1.1").unwrap_or(rest);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            headers.last_mut().expect("a header to continue").1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("name:value");
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    let host = &headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("host")).expect("a Host header").1;
    // What cannot be written in a URI (spaces, UTF-8) is percent-encoded, as it goes on the wire.
    let mut wire_target = String::new();
    for byte in target.bytes() {
        if byte == b' ' || !byte.is_ascii() {
            wire_target.push_str(&format!("%{byte:02X}"));
        } else {
            wire_target.push(char::from(byte));
        }
    }
    let mut builder = http::Request::builder().method(method).uri(format!("https://{}{wire_target}", host.trim()));
    for (name, value) in &headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.body(Bytes::from(body.to_owned())).expect("a valid request")
}

/// The settings and scope of one case.
struct Context {
    credentials: Credentials,
    region: String,
    service: String,
    time: SystemTime,
    settings: SigningSettings,
    expires_in: Duration,
}

fn context(dir: &Path) -> Context {
    let Ok(text) = std::fs::read_to_string(dir.join("context.json")) else {
        return legacy_context(dir);
    };
    let json: serde_json::Value = serde_json::from_str(&text).expect("context.json is JSON");
    let text = |path: &str| json.pointer(path).and_then(serde_json::Value::as_str).map(str::to_owned);
    let flag = |name: &str| json[name].as_bool().unwrap_or(false);
    let credentials = Credentials::new(
        text("/credentials/access_key_id").expect("an access key"),
        text("/credentials/secret_access_key").expect("a secret key"),
        text("/credentials/token"),
        None,
    );
    let time = DateTime::parse(Format::DateTime, &text("/timestamp").expect("a timestamp")).expect("RFC 3339");
    let settings = SigningSettings::new()
        .with_normalize_path(flag("normalize"))
        .with_double_encode_path(false)
        .with_content_sha256_header(flag("sign_body"))
        .with_sign_session_token(!flag("omit_session_token"));
    Context {
        credentials,
        region: text("/region").expect("a region"),
        service: text("/service").expect("a service"),
        time: SystemTime::try_from(time).expect("a time after 1970"),
        settings,
        expires_in: Duration::from_secs(json["expiration_in_seconds"].as_u64().expect("an expiry")),
    }
}

/// The two cases smithy-rs added, which carry no context.json.
fn legacy_context(dir: &Path) -> Context {
    let at = |secs: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    let name = dir.file_name().expect("a case name").to_string_lossy();
    let (credentials, region, service, time) = match name.as_ref() {
        // smithy-rs's test credentials, at the suite's usual time.
        "double-encode-path" => (
            Credentials::new("ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby", None, None),
            "us-east-1",
            "service",
            at(1_440_938_160),
        ),
        "double-url-encode" => (
            Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None),
            "us-east-2",
            "lambda",
            at(1_620_747_645),
        ),
        other => panic!("case {other} has no context.json"),
    };
    Context {
        credentials,
        region: region.to_owned(),
        service: service.to_owned(),
        time,
        settings: SigningSettings::new(),
        expires_in: Duration::from_secs(3600),
    }
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok()
}

/// The differences between `actual` and the case's expected files for `mode`.
fn compare(dir: &Path, mode: &str, actual: &Signature, problems: &mut Vec<String>) {
    let case = dir.file_name().expect("a case name").to_string_lossy().into_owned();
    let expected_signature = read(dir, &format!("{mode}-signature.txt")).or_else(|| {
        // The legacy cases give the signature inside the signed request only.
        let signed = read(dir, &format!("{mode}-signed-request.txt"))?;
        Some(signed.split("Signature=").nth(1)?.chars().take(64).collect())
    });
    let checks = [
        ("canonical request", read(dir, &format!("{mode}-canonical-request.txt")), &actual.canonical_request),
        ("string to sign", read(dir, &format!("{mode}-string-to-sign.txt")), &actual.string_to_sign),
        ("signature", expected_signature, &actual.signature),
    ];
    for (what, expected, actual) in checks {
        let Some(expected) = expected else { continue };
        // double-encode-path's canonical request file carries another date than its signature:
        // its path, the point of the case, is compared.
        let (expected, actual) = if case == "double-encode-path" && what == "canonical request" {
            (expected.lines().nth(1).unwrap_or("").to_owned(), actual.lines().nth(1).unwrap_or("").to_owned())
        } else {
            (expected.trim_end().to_owned(), actual.clone())
        };
        if expected != actual {
            problems.push(format!("{case} ({mode}): {what}\n  expected {expected:?}\n  actual   {actual:?}"));
        }
    }
}

#[test]
fn sigv4_suite() {
    let Some(suite) = suite_dir() else { return };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&suite)
        .expect("a readable suite")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 40, "the suite has 40 cases");
    let mut problems = Vec::new();
    let (mut header_passed, mut query_passed, mut query_total) = (0, 0, 0);
    for dir in &cases {
        let request_text = read(dir, "request.txt").expect("request.txt");
        let context = context(dir);
        let params = SigningParams::new(&context.credentials, &context.region, &context.service, context.time)
            .with_settings(context.settings);

        let before = problems.len();
        let mut request = parse_request(&request_text);
        match sign_request(&mut request, &params, &SigningKeyCache::new()) {
            Ok(signature) => {
                compare(dir, "header", &signature, &mut problems);
                let authorization = request.headers()["authorization"].to_str().expect("ASCII");
                assert!(authorization.ends_with(&format!("Signature={}", signature.signature)), "{authorization}");
            }
            Err(e) => problems.push(format!("{}: header signing failed: {e}", dir.display())),
        }
        header_passed += usize::from(problems.len() == before);

        if read(dir, "query-signature.txt").is_some() {
            query_total += 1;
            let before = problems.len();
            match presign(&parse_request(&request_text), &params, context.expires_in) {
                Ok(presigned) => {
                    compare(dir, "query", &presigned.signature, &mut problems);
                    let query = presigned.uri.query().unwrap_or("");
                    let expected = format!("X-Amz-Signature={}", presigned.signature.signature);
                    assert!(query.ends_with(&expected), "{query}");
                }
                Err(e) => problems.push(format!("{}: query signing failed: {e}", dir.display())),
            }
            query_passed += usize::from(problems.len() == before);
        }
    }
    println!(
        "sigv4 suite: {header_passed}/{} header cases, {query_passed}/{query_total} query cases passed",
        cases.len()
    );
    assert!(problems.is_empty(), "{} mismatches:\n{}", problems.len(), problems.join("\n"));
}
