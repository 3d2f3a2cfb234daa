//! Run by `tests/sigv4_signing.rs` inside a scratch crate that depends on the crate generated
//! from `tests/fixtures/sigv4.json`: every request the client sends is recorded, and the
//! signature in its `Authorization` header is computed again here, by a second implementation of
//! SigV4 written from the specification (SHA-256 from the `sha2` crate, HMAC by its RFC 2104
//! definition), not from the code under test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_sigv4::auth::credentials::Credentials;
use fixture_sigv4::config::RetryConfig;
use fixture_sigv4::transport::{Bytes, HttpClient, HttpRequest, ResponseFuture, http};
use fixture_sigv4::{Client, Config, Error};
use sha2::{Digest, Sha256};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "session/token+with=odd chars";
const REGION: &str = "eu-west-3";

// ---- the second implementation -------------------------------------------------------------

fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA256 as RFC 2104 defines it.
fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner: Vec<u8> = block.iter().map(|b| b ^ 0x36).chain(data.iter().copied()).collect();
    let inner_hash = Sha256::digest(&inner);
    let outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).chain(inner_hash.iter().copied()).collect();
    Sha256::digest(&outer).to_vec()
}

/// RFC 3986 encoding: everything but `A-Za-z0-9-_.~` as `%XY`, upper-case hex.
fn uri_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn uri_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let value = u8::from_str_radix(&text[i + 1..i + 3], 16).expect("valid escape");
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The signature a request should carry, by the SigV4 specification, given the headers its
/// `Authorization` says are signed. Also checks the parts of that header.
fn expected_signature(request: &HttpRequest, payload_hash: &str) -> (String, Vec<String>) {
    let headers = request.headers();
    let authorization = headers["authorization"].to_str().expect("ASCII");
    let rest = authorization.strip_prefix("AWS4-HMAC-SHA256 Credential=").expect("the SigV4 algorithm");
    let (credential, rest) = rest.split_once(", SignedHeaders=").expect("SignedHeaders");
    let (signed, _) = rest.split_once(", Signature=").expect("Signature");
    let amz_date = headers["x-amz-date"].to_str().expect("ASCII");
    let date = &amz_date[..8];
    let scope = format!("{date}/{REGION}/signedsvc/aws4_request");
    assert_eq!(credential, format!("{ACCESS_KEY}/{scope}"));
    let signed: Vec<String> = signed.split(';').map(str::to_owned).collect();

    let uri = request.uri();
    let path = uri_encode(uri.path().as_bytes(), true);
    let mut query: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (uri_encode(&uri_decode(k), false), uri_encode(&uri_decode(v), false))
        })
        .collect();
    query.sort();
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut canonical_headers = String::new();
    for name in &signed {
        let values: Vec<String> = headers
            .get_all(name.as_str())
            .iter()
            .map(|v| v.to_str().expect("ASCII").split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert!(!values.is_empty(), "signed header {name} is not in the request");
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical = format!(
        "{}\n{path}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        request.method(),
        query.join("&"),
        signed.join(";")
    );
    let string_to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
    let mut key = hmac(format!("AWS4{SECRET}").as_bytes(), date.as_bytes());
    for part in [REGION, "signedsvc", "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    (hex(&hmac(&key, string_to_sign.as_bytes())), signed)
}

/// Checks the signature of `request` and returns the headers it signs.
fn verify(request: &HttpRequest, payload_hash: &str) -> Vec<String> {
    let (expected, signed) = expected_signature(request, payload_hash);
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(authorization.ends_with(&format!("Signature={expected}")), "{authorization} != {expected}");
    assert_eq!(request.headers().get_all("authorization").iter().count(), 1, "one signature");
    signed
}

// ---- the client under test -----------------------------------------------------------------

/// Records requests; answers each with the next of `answers` (then 200 `{}`).
#[derive(Clone, Default)]
struct Recorder {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    answers: Arc<Mutex<Vec<http::Response<Bytes>>>>,
}

impl HttpClient for Recorder {
    fn send(&self, request: HttpRequest) -> ResponseFuture<'_> {
        self.requests.lock().unwrap().push(request);
        let answer = self.answers.lock().unwrap().pop();
        Box::pin(async move {
            Ok(answer.unwrap_or_else(|| http::Response::builder().status(200).body(Bytes::from("{}")).unwrap()))
        })
    }
}

impl Recorder {
    fn take(&self) -> Vec<HttpRequest> {
        std::mem::take(&mut *self.requests.lock().unwrap())
    }
}

fn client(recorder: &Recorder, credentials: bool) -> Client {
    let mut builder = Config::builder()
        .region(REGION)
        .endpoint_url("https://signed.example.com:8443/base")
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .http_client(recorder.clone());
    if credentials {
        builder = builder.credentials_provider(Credentials::new(ACCESS_KEY, SECRET, Some(TOKEN.to_owned()), None));
    }
    Client::new(builder.build().unwrap())
}

#[tokio::test]
async fn labels_queries_headers_and_bodies_are_signed() {
    let recorder = Recorder::default();
    let client = client(&recorder, true);
    client
        .put_thing("dir/file name:1.txt", "thing é/1")
        .mode("a b+c")
        .tags(["z", "a", "ü"])
        .custom("  spaced   value ")
        .name("naïve")
        .count(3)
        .send()
        .await
        .unwrap();
    let [request] = recorder.take().try_into().unwrap();
    let body_hash = sha256_hex(request.body());
    let signed = verify(&request, &body_hash);
    for name in ["content-length", "content-type", "host", "x-amz-date", "x-amz-security-token", "x-custom"] {
        assert!(signed.contains(&name.to_owned()), "{name} is signed: {signed:?}");
    }
    assert!(!signed.contains(&"user-agent".to_owned()), "user-agent is left unsigned");
    assert_eq!(request.headers()["host"], "signed.example.com:8443");
    assert_eq!(request.headers()["x-amz-security-token"], TOKEN);
    assert!(request.uri().path().starts_with("/base/things/"), "{}", request.uri());

    client.list_things().prefix("p/q r").max_results(10).send().await.unwrap();
    let [request] = recorder.take().try_into().unwrap();
    assert!(request.uri().query().is_some_and(|q| q.contains("prefix=")), "{}", request.uri());
    verify(&request, &sha256_hex(b""));
    println!("signed: PutThing, ListThings");
}

#[tokio::test]
async fn unsigned_payload_and_unsigned_operations() {
    let recorder = Recorder::default();
    let client = client(&recorder, true);
    client.upload("k").data(b"bytes whose hash is not signed".to_vec()).send().await.unwrap();
    let [request] = recorder.take().try_into().unwrap();
    verify(&request, "UNSIGNED-PAYLOAD");

    client.ping().send().await.unwrap();
    client.with_bearer("bearer-token").send().await.unwrap();
    for request in recorder.take() {
        for header in ["authorization", "x-amz-date", "x-amz-security-token"] {
            assert!(!request.headers().contains_key(header), "{} carries {header}", request.uri());
        }
    }
}

#[tokio::test]
async fn optional_auth_signs_with_credentials_only_and_required_auth_fails_without() {
    let recorder = Recorder::default();
    client(&recorder, true).hello().name("x").send().await.unwrap();
    let [request] = recorder.take().try_into().unwrap();
    verify(&request, &sha256_hex(request.body()));

    let anonymous = client(&recorder, false);
    anonymous.hello().send().await.unwrap();
    let [request] = recorder.take().try_into().unwrap();
    assert!(!request.headers().contains_key("authorization"));

    let error = anonymous.list_things().send().await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    assert!(error.to_string().contains("credentials provider"), "{error}");
    assert!(recorder.take().is_empty(), "nothing sent without credentials");
}

#[tokio::test]
async fn every_attempt_is_signed_and_a_skewed_clock_follows_the_service() {
    let recorder = Recorder::default();
    let client = client(&recorder, true);
    // Answers are popped from the end: a 500, then a skew error dated one hour ahead, then 200.
    let in_an_hour = httpdate(std::time::SystemTime::now() + Duration::from_secs(3600));
    recorder.answers.lock().unwrap().extend([
        http::Response::builder()
            .status(403)
            .header("date", in_an_hour)
            .header("x-amzn-errortype", "InvalidSignatureException")
            .body(Bytes::from(r#"{"message":"Signature expired"}"#))
            .unwrap(),
        http::Response::builder().status(500).body(Bytes::from("{}")).unwrap(),
    ]);
    client.list_things().send().await.unwrap();
    let requests = recorder.take();
    assert_eq!(requests.len(), 3, "a 500 and a skew error are retried");
    for request in &requests {
        verify(request, &sha256_hex(b""));
    }
    let seconds = |request: &HttpRequest| {
        let date = request.headers()["x-amz-date"].to_str().unwrap().to_owned();
        let hms = &date[9..15];
        let (h, m, s) = (&hms[..2], &hms[2..4], &hms[4..]);
        h.parse::<i64>().unwrap() * 3600 + m.parse::<i64>().unwrap() * 60 + s.parse::<i64>().unwrap()
    };
    let moved = (seconds(&requests[2]) - seconds(&requests[1])).rem_euclid(24 * 3600);
    assert!((3590..=3610).contains(&moved), "the third attempt is signed an hour later: {moved} s");
}

/// An IMF-fixdate, written here rather than with the crate's own formatter.
fn httpdate(time: std::time::SystemTime) -> String {
    let secs = time.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
