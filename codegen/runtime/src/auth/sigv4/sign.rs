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

/// What a signature was computed from, to compare with what a service says it expected (its
/// `SignatureDoesNotMatch` message quotes its canonical request). The canonical request holds
/// the session token of temporary credentials, so `Debug` leaves it out.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, in hexadecimal.
    pub signature: String,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("canonical_request", &"** redacted: may hold the session token **")
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .finish()
    }
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

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::auth::credentials::Credentials;
    use crate::auth::sigv4::SigningSettings;

    fn request() -> Request<Bytes> {
        Request::builder().method("POST").uri("https://h.example/p?a=1").body(Bytes::from("{}")).unwrap()
    }

    #[test]
    fn signing_again_replaces_the_signature_and_debug_hides_the_token() {
        let credentials = Credentials::new("AKID", "secret", Some("t0ken-value".into()), None);
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let params = SigningParams::new(&credentials, "us-east-1", "svc", time);
        let keys = SigningKeyCache::new();
        let mut request = request();
        let first = sign_request(&mut request, &params, &keys).unwrap();
        let later = SigningParams::new(&credentials, "us-east-1", "svc", time + Duration::from_secs(60));
        let second = sign_request(&mut request, &later, &keys).unwrap();
        assert_ne!(first.signature, second.signature);
        assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
        assert_eq!(request.headers()["x-amz-date"], "20150830T123700Z");
        assert!(second.canonical_request.contains("x-amz-security-token:t0ken-value"));
        assert!(!format!("{second:?}").contains("t0ken"), "{second:?}");
    }

    #[test]
    fn the_session_token_can_be_added_after_the_signature() {
        let credentials = Credentials::new("AKID", "secret", Some("t0ken".into()), None);
        let params = SigningParams::new(&credentials, "us-east-1", "svc", SystemTime::now())
            .with_settings(SigningSettings::new().with_sign_session_token(false).with_content_sha256_header(true));
        let mut request = request();
        let signature = sign_request(&mut request, &params, &SigningKeyCache::new()).unwrap();
        assert_eq!(request.headers()["x-amz-security-token"], "t0ken");
        assert!(!signature.canonical_request.contains("t0ken"));
        assert_eq!(request.headers()["x-amz-content-sha256"], sha256_hex(b"{}").as_str());
    }
}
