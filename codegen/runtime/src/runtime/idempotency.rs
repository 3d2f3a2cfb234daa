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

#[cfg(test)]
mod tests {
    use super::token;

    #[test]
    fn idempotency_tokens_are_version_4_uuids() {
        for _ in 0..1000 {
            let token = token();
            let groups: Vec<&str> = token.split('-').collect();
            let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lengths, [8, 4, 4, 4, 12], "{token}");
            assert!(token.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)), "{token}");
            assert_eq!(&groups[2][..1], "4", "version 4: {token}");
            assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "RFC variant: {token}");
        }
    }

    #[test]
    fn idempotency_tokens_are_unique_and_random_in_every_other_bit() {
        let tokens: Vec<u128> =
            (0..10_000).map(|_| u128::from_str_radix(&token().replace('-', ""), 16).expect("hex")).collect();
        let distinct: std::collections::BTreeSet<u128> = tokens.iter().copied().collect();
        assert_eq!(distinct.len(), tokens.len(), "a token repeated");
        // Every one of the 122 random bits takes both values across the tokens; the 6 fixed
        // bits never change.
        let ones = tokens.iter().fold(0u128, |acc, t| acc | t);
        let zeros = tokens.iter().fold(0u128, |acc, t| acc | !t);
        assert_eq!((ones & zeros).count_ones(), 122);
    }
}
