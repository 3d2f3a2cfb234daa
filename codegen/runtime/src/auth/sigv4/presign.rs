//! Query signing: a pre-signed URL, which anyone holding it can use until it expires.

use std::fmt;
use std::time::Duration;

use ::http::{Request, Uri};
use bytes::Bytes;

use super::canonical::{Parts, canonical_request, signed_header_names};
use super::crypto::{SigningKeyCache, signature};
use super::settings::SigningParams;
use super::sign::{ALGORITHM, Signature, SigningError, payload_hash, scope, string_to_sign};
use super::time::SigningTime;
use crate::runtime::uri::percent_encode;

/// A request signed in its query string.
#[non_exhaustive]
#[derive(Clone)]
pub struct PresignedRequest {
    /// The URL with the signature in its query: a credential until it expires.
    pub uri: Uri,
    /// How the signature was computed.
    pub signature: Signature,
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL is a credential: only where it goes is shown.
        f.debug_struct("PresignedRequest")
            .field("host", &self.uri.host())
            .field("path", &self.uri.path())
            .finish_non_exhaustive()
    }
}

/// Signs `request` in its query string (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
/// `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Security-Token`, `X-Amz-Signature`), valid for
/// `expires_in` (at most 7 days, as AWS accepts). The headers of `request` are signed too, so
/// whoever uses the URL must send them; its body's hash is signed unless the settings say
/// [`PayloadSigning::Unsigned`](super::PayloadSigning::Unsigned), as pre-signed S3 URLs do.
pub fn presign(
    request: &Request<Bytes>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<PresignedRequest, SigningError> {
    const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);
    if expires_in > WEEK || expires_in.is_zero() {
        return Err(SigningError::new(format!("a pre-signed URL lasts 1 s to 7 days, not {expires_in:?}")));
    }
    let time = SigningTime::new(params.time)?;
    let credentials = params.credentials;
    let uri = request.uri();
    let scope = scope(&time, params);
    let credential = format!("{}/{scope}", credentials.access_key_id());
    let expires = expires_in.as_secs().to_string();
    let signed_headers = signed_header_names(uri, request.headers());
    let mut query: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &time.amz_date),
        ("X-Amz-SignedHeaders", &signed_headers),
        ("X-Amz-Expires", &expires),
    ];
    if let Some(token) = credentials.session_token()
        && params.settings.sign_session_token
    {
        query.push(("X-Amz-Security-Token", token));
    }
    let payload_hash = payload_hash(params.settings.payload, request.body());
    let method = request.method().as_str();
    let parts = Parts { method, uri, headers: request.headers(), extra_query: &query, payload_hash: &payload_hash };
    let canonical = canonical_request(&parts, &params.settings);
    let string_to_sign = string_to_sign(&time, &scope, &canonical.text);
    let key = SigningKeyCache::new().key(credentials.secret_access_key(), &time.date, params.region, params.service);
    let signature = signature(&key, &string_to_sign);
    if let Some(token) = credentials.session_token()
        && !params.settings.sign_session_token
    {
        query.push(("X-Amz-Security-Token", token));
    }
    query.push(("X-Amz-Signature", &signature));

    let mut path_and_query = uri.path().to_owned();
    let mut separator = '?';
    if let Some(existing) = uri.query().filter(|q| !q.is_empty()) {
        path_and_query.push('?');
        path_and_query.push_str(existing);
        separator = '&';
    }
    for (name, value) in &query {
        path_and_query.push(separator);
        path_and_query.push_str(name);
        path_and_query.push('=');
        path_and_query.push_str(&percent_encode(value));
        separator = '&';
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query =
        Some(path_and_query.parse().map_err(|e| SigningError::new(format!("the signed URL is not a valid URI: {e}")))?);
    let uri =
        Uri::from_parts(parts).map_err(|e| SigningError::new(format!("the signed URL is not a valid URI: {e}")))?;
    Ok(PresignedRequest { uri, signature: Signature { canonical_request: canonical.text, string_to_sign, signature } })
}
