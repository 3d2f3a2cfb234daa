//! The signed-request row: one typical restJson1 request (a POST with a JSON body, a few
//! headers and a query string) signed with SigV4 by this project's runtime signer and by the
//! official SDK's signer (`aws-sigv4`), with the same credentials at the same time.
//!
//! Each client binary signs the request many times and prints its CPU per signature and the
//! signature itself; `cargo xtask bench` fails when two clients' signatures differ, so the
//! row compares two signers doing the same work.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

/// The access key id of the benchmark's made-up credentials.
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// Their secret access key.
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// Their session token (temporary credentials, the usual case: it is signed too).
pub const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLEsessiontokenbench0123456789abcdef";
/// The region of the signature's scope.
pub const REGION: &str = "us-east-1";
/// The signing name (the model's `aws.auth#sigv4` name).
pub const SERVICE: &str = "execute-api";

/// The time of every signature: fixed, so that both signers must produce the same one.
pub fn time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_036_400)
}

/// A signer under test: signs an unsigned request, returns it signed with its signature (hex).
pub type Sign = Box<dyn FnMut(http::Request<Bytes>) -> Result<(http::Request<Bytes>, String), String>>;

/// The unsigned request, as a restJson1 client hands it to its signer.
pub fn request() -> http::Request<Bytes> {
    let body = Bytes::from_static(
        br#"{"ClientToken":"0b4b3d8e-6f0a-4c55-9a0e-2a1c3b4d5e6f","Content":"Hello from the benchmark: is anybody there?","ContentType":"text/plain"}"#,
    );
    http::Request::post(
        "https://participant.connect.us-east-1.amazonaws.com/participant/transcript?maxResults=100&nextToken=eyJ2IjoxfQ%3D%3D&scanDirection=BACKWARD",
    )
    .header("content-type", "application/json")
    .header("content-length", body.len().to_string())
    .header("amz-sdk-invocation-id", "5f5e0ef8-2a3c-4c7e-9a52-1b7d0c3e6a10")
    .header("amz-sdk-request", "attempt=1; max=3")
    .header("x-amz-user-agent", "aws-sdk-rust/1.3 api/connectparticipant/1.0")
    // Left unsigned by both signers.
    .header("user-agent", "aws-sdk-rust/1.3 os/linux lang/rust/1.91")
    .body(body)
    .expect("a valid request")
}
