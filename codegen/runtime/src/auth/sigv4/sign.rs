//! Header signing: `Authorization`, `X-Amz-Date`, `X-Amz-Security-Token` and, where the
//! service asks for it, `x-amz-content-sha256`.

use std::fmt;

use ::http::{HeaderName, HeaderValue, Request};
use bytes::Bytes;

use super::canonical::{Parts, canonical_request, host_header};
use super::crypto::{SigningKeyCache, sha256_hex, signature};
use super::settings::{PayloadSigning, SigningParams};
use super::time::SigningTime;

/// The algorithm named in every signature.
pub(super) const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");

/// What a signature was computed from, for logs and for comparing with what a service says it
/// expected (its `SignatureDoesNotMatch` message quotes its canonical request). None of it is
/// secret: the canonical request holds the session token, if any, as the request does.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, in hexadecimal.
    pub signature: String,
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningError {
    message: String,
}

impl SigningError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signing the request failed: {}", self.message)
    }
}

impl std::error::Error for SigningError {}

/// The payload hash of `body` as `payload` says.
pub(super) fn payload_hash(payload: PayloadSigning, body: &[u8]) -> String {
    match payload {
        PayloadSigning::Signed => sha256_hex(body),
        PayloadSigning::Unsigned => UNSIGNED_PAYLOAD.to_owned(),
    }
}

/// The string to sign of a canonical request.
pub(super) fn string_to_sign(time: &SigningTime, scope: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}\n{scope}\n{}", time.amz_date, sha256_hex(canonical_request.as_bytes()))
}

/// `date/region/service/aws4_request`.
pub(super) fn scope(time: &SigningTime, params: &SigningParams<'_>) -> String {
    format!("{}/{}/{}/aws4_request", time.date, params.region, params.service)
}

fn header_value(name: &HeaderName, value: &str) -> Result<HeaderValue, SigningError> {
    HeaderValue::from_str(value)
        .map_err(|_| SigningError::new(format!("the value of {name} cannot be sent in a header")))
}

/// Signs `request` in its headers as it will go on the wire: sets `Host` (as the transport
/// would), `X-Amz-Date`, `X-Amz-Security-Token` for session credentials, `x-amz-content-sha256`
/// if the settings ask for it, and `Authorization`; any earlier signature is replaced. `keys`
/// keeps the derived key between calls (a fresh [`SigningKeyCache`] derives it every time).
pub fn sign_request(
    request: &mut Request<Bytes>,
    params: &SigningParams<'_>,
    keys: &SigningKeyCache,
) -> Result<Signature, SigningError> {
    let time = SigningTime::new(params.time)?;
    let settings = params.settings;
    let credentials = params.credentials;
    let payload_hash = payload_hash(settings.payload, request.body());
    let uri = request.uri().clone();
    let headers = request.headers_mut();
    headers.remove(::http::header::AUTHORIZATION);
    headers.remove(&X_AMZ_SECURITY_TOKEN);
    if !headers.contains_key(::http::header::HOST)
        && let Some(host) = host_header(&uri)
    {
        headers.insert(::http::header::HOST, header_value(&::http::header::HOST, &host)?);
    }
    headers.insert(X_AMZ_DATE, header_value(&X_AMZ_DATE, &time.amz_date)?);
    if settings.content_sha256_header {
        headers.insert(X_AMZ_CONTENT_SHA256, header_value(&X_AMZ_CONTENT_SHA256, &payload_hash)?);
    }
    let token = credentials.session_token().map(|token| header_value(&X_AMZ_SECURITY_TOKEN, token)).transpose()?;
    if let Some(token) = &token
        && settings.sign_session_token
    {
        headers.insert(X_AMZ_SECURITY_TOKEN, token.clone());
    }

    let method = request.method().as_str().to_owned();
    let parts =
        Parts { method: &method, uri: &uri, headers: request.headers(), extra_query: &[], payload_hash: &payload_hash };
    let canonical = canonical_request(&parts, &settings);
    let scope = scope(&time, params);
    let string_to_sign = string_to_sign(&time, &scope, &canonical.text);
    let key = keys.key(credentials.secret_access_key(), &time.date, params.region, params.service);
    let signature = signature(&key, &string_to_sign);
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        credentials.access_key_id(),
        canonical.signed_headers
    );
    let headers = request.headers_mut();
    headers.insert(::http::header::AUTHORIZATION, header_value(&::http::header::AUTHORIZATION, &authorization)?);
    if let Some(token) = token
        && !settings.sign_session_token
    {
        headers.insert(X_AMZ_SECURITY_TOKEN, token);
    }
    Ok(Signature { canonical_request: canonical.text, string_to_sign, signature })
}
