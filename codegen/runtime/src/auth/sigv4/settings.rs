//! What a signature covers: the credentials, scope and time, and the choices services differ on.

use std::time::SystemTime;

use crate::auth::credentials::Credentials;

/// How the body enters the signature.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadSigning {
    /// The SHA-256 of the body (the default).
    Signed,
    /// The literal `UNSIGNED-PAYLOAD`: operations marked `@unsignedPayload`, and pre-signed URLs
    /// whose body is not known when the URL is made.
    Unsigned,
}

/// The choices services differ on. [`SigningSettings::new`] gives what every AWS service but
/// S3 expects.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningSettings {
    /// Whether the payload hash is the body's SHA-256 or `UNSIGNED-PAYLOAD`.
    pub payload: PayloadSigning,
    /// Whether the payload hash is also sent (and signed) as `x-amz-content-sha256` (S3 asks
    /// for it; other services take the hash in the canonical request alone).
    pub content_sha256_header: bool,
    /// Whether `.` and `..` segments and repeated slashes are removed from the path before it
    /// is signed (everything but S3).
    pub normalize_path: bool,
    /// Whether the path, already percent-encoded on the wire, is percent-encoded once more in
    /// the canonical request (everything but S3).
    pub double_encode_path: bool,
    /// Whether `X-Amz-Security-Token` is part of the signature (a few services want it added
    /// after signing instead).
    pub sign_session_token: bool,
}

impl SigningSettings {
    /// The settings of every AWS service but S3: body hashed, path normalized and encoded twice,
    /// session token signed.
    pub const fn new() -> Self {
        Self {
            payload: PayloadSigning::Signed,
            content_sha256_header: false,
            normalize_path: true,
            double_encode_path: true,
            sign_session_token: true,
        }
    }

    /// The same settings with the payload signed as `payload`.
    pub const fn with_payload(mut self, payload: PayloadSigning) -> Self {
        self.payload = payload;
        self
    }

    /// The same settings, sending `x-amz-content-sha256` or not.
    pub const fn with_content_sha256_header(mut self, send: bool) -> Self {
        self.content_sha256_header = send;
        self
    }

    /// The same settings, normalizing the path or not.
    pub const fn with_normalize_path(mut self, normalize: bool) -> Self {
        self.normalize_path = normalize;
        self
    }

    /// The same settings, encoding the path twice or not.
    pub const fn with_double_encode_path(mut self, double: bool) -> Self {
        self.double_encode_path = double;
        self
    }

    /// The same settings, signing the session token or adding it after the signature.
    pub const fn with_sign_session_token(mut self, sign: bool) -> Self {
        self.sign_session_token = sign;
        self
    }
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self::new()
    }
}

/// Who signs, for which region and service, and when.
#[non_exhaustive]
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// The credentials (their `Debug` shows no secret).
    pub credentials: &'a Credentials,
    /// The region of the scope (`us-east-1`).
    pub region: &'a str,
    /// The signing name of the service (`aws.auth#sigv4`'s `name`, `execute-api`...).
    pub service: &'a str,
    /// The time of the signature.
    pub time: SystemTime,
    /// The service's choices.
    pub settings: SigningSettings,
}

impl<'a> SigningParams<'a> {
    /// Parameters with the default [`SigningSettings`].
    pub fn new(credentials: &'a Credentials, region: &'a str, service: &'a str, time: SystemTime) -> Self {
        Self { credentials, region, service, time, settings: SigningSettings::new() }
    }

    /// The same parameters with other settings.
    pub fn with_settings(mut self, settings: SigningSettings) -> Self {
        self.settings = settings;
        self
    }
}
