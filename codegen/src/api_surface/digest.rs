//! Digests of documentation and rule sets, stable across Rust versions and platforms.
//!
//! FNV-1a (64 bits) written here because `std`'s `DefaultHasher` may change between Rust
//! releases, and a surface file must compare equal after a toolchain upgrade; collisions only
//! hide a documentation change, so a cryptographic hash (and its crate) would buy nothing.

/// The hex FNV-1a digest of `text`; empty text gives an empty digest (no documentation).
pub(super) fn digest(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn known_values() {
        // The FNV-1a test vectors (http://www.isthe.com/chongo/tech/comp/fnv/).
        assert_eq!(digest("a"), "af63dc4c8601ec8c");
        assert_eq!(digest("foobar"), "85944171f73967e8");
        assert_eq!(digest(""), "");
    }
}
