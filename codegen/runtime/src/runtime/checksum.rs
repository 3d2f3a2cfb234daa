//! `Content-MD5` for operations with `@httpChecksumRequired`: the base64 of the MD5 digest of
//! the body (RFC 1864), a check against corruption in transit.

use base64::Engine as _;

/// The `Content-MD5` value of `body`.
pub fn content_md5(body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(md5::compute(body).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_md5_is_the_base64_of_the_digest() {
        // RFC 1321's digest of "" is d41d8cd98f00b204e9800998ecf8427e; of "abc" 900150983cd24fb0d6963f7d28e17f72.
        assert_eq!(content_md5(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(content_md5(b"abc"), "kAFQmDzST7DWlj99KOF/cg==");
    }
}
