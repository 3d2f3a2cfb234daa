//! Idempotency tokens (`@idempotencyToken`): the value the client sends when the caller leaves
//! a token member unset (only for models with such members).

/// A fresh idempotency token: a random UUID, version 4 (RFC 9562), in its hyphenated form.
///
/// Written here rather than taken from the `uuid` crate: it is a few lines on top of `fastrand`,
/// which the crate already has for retry jitter, where `uuid` adds a crate and a second random
/// source (`getrandom`). A token only has to be unique, not secret, so fastrand's generator
/// (seeded per thread from the process's random hash keys, the thread and the time) will do.
pub fn token() -> String {
    const VERSION_4: u128 = 0x4 << 76;
    const VERSION_MASK: u128 = 0xF << 76;
    const VARIANT_RFC: u128 = 0b10 << 62;
    const VARIANT_MASK: u128 = 0b11 << 62;
    let bits = (fastrand::u128(..) & !VERSION_MASK & !VARIANT_MASK) | VERSION_4 | VARIANT_RFC;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        bits >> 96,
        (bits >> 80) & 0xFFFF,
        (bits >> 64) & 0xFFFF,
        (bits >> 48) & 0xFFFF,
        bits & 0xFFFF_FFFF_FFFF
    )
}
