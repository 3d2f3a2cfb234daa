//! SHA-256, HMAC-SHA256 and the derived signing key, with `ring` (already compiled into every
//! crate for rustls, so signing adds no crypto library of its own).

use std::fmt;
use std::sync::Mutex;

use ring::{digest, hmac};

/// Lower-case hexadecimal of `bytes`.
pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// Hex SHA-256 of `data`.
pub(super) fn sha256_hex(data: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, data).as_ref())
}

fn hmac(key: &[u8], data: &[u8]) -> hmac::Tag {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
}

/// The key of one day, region and service: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date),
/// region), service), "aws4_request")`.
fn derive(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let date_key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let region_key = hmac(date_key.as_ref(), region.as_bytes());
    let service_key = hmac(region_key.as_ref(), service.as_bytes());
    let signing_key = hmac(service_key.as_ref(), b"aws4_request");
    hmac::Key::new(hmac::HMAC_SHA256, signing_key.as_ref())
}

/// Hex HMAC-SHA256 of `string_to_sign` with a derived key.
pub(super) fn signature(key: &hmac::Key, string_to_sign: &str) -> String {
    hex(hmac::sign(key, string_to_sign.as_bytes()).as_ref())
}

/// The last signing key derived, kept for as long as the secret, day, region and service stay
/// the same (four HMACs saved per request: a client signs with one key all day).
#[derive(Default)]
pub struct SigningKeyCache {
    last: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    key: hmac::Key,
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache").finish_non_exhaustive()
    }
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key for `secret` on `date` (`YYYYMMDD`) in `region` for `service`.
    pub(super) fn key(&self, secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
        // A poisoned lock only means another thread panicked while holding it: the cache is then
        // bypassed, never trusted.
        let Ok(mut last) = self.last.lock() else { return derive(secret, date, region, service) };
        if let Some(cached) = last.as_ref()
            && cached.secret == secret
            && cached.date == date
            && cached.region == region
            && cached.service == service
        {
            return cached.key.clone();
        }
        let key = derive(secret, date, region, service);
        *last = Some(CachedKey {
            secret: secret.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            key: key.clone(),
        });
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_gives_the_key_derived_for_each_scope() {
        let cache = SigningKeyCache::new();
        let sign = |key: &hmac::Key| signature(key, "text");
        let first = cache.key("secret", "20150830", "us-east-1", "service");
        assert_eq!(sign(&first), sign(&derive("secret", "20150830", "us-east-1", "service")));
        // Each part of the scope changes the key, and the cache follows.
        for (secret, date, region, service) in [
            ("other", "20150830", "us-east-1", "service"),
            ("secret", "20150831", "us-east-1", "service"),
            ("secret", "20150830", "eu-west-1", "service"),
            ("secret", "20150830", "us-east-1", "other"),
        ] {
            let key = cache.key(secret, date, region, service);
            assert_ne!(sign(&key), sign(&first));
            assert_eq!(sign(&key), sign(&derive(secret, date, region, service)));
        }
    }

    #[test]
    fn hex_and_sha256_of_nothing() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
