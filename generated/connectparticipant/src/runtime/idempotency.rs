//! Idempotency tokens (`@idempotencyToken`): the value the client sends when the caller leaves
//! a token member unset (only for models with such members: it needs `uuid`).

/// A fresh idempotency token (a random UUID v4).
pub fn token() -> String {
    uuid::Uuid::new_v4().to_string()
}
