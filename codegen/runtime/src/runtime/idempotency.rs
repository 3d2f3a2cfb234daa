//! Idempotency tokens (`@idempotencyToken`): the value the client sends when the caller leaves
//! a token member unset (only for models with such members: it needs `uuid`).

/// A fresh idempotency token (a random UUID v4).
pub fn token() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_uuids() {
        let (a, b) = (token(), token());
        assert_ne!(a, b);
        assert!(uuid::Uuid::parse_str(&a).is_ok_and(|id| id.get_version_num() == 4), "{a}");
    }
}
