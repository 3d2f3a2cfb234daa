//! The contract between generated operations and the request pipeline.
//!
//! The generated code implements [`Operation`] for each operation, and
//! [`invoke`](super::orchestrator::invoke) runs it.

use super::{response, validate};
use crate::config::Config;
use crate::endpoint::{Endpoint, EndpointError};
use crate::error::BuildError;
use crate::transport::{HttpRequest, HttpResponse};

/// How the errors of an operation are retried, beyond what status and code already say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// Retry after backoff: the service is overloaded or failed transiently.
    Transient,
    /// Retry after backoff: the service throttled the call.
    Throttling,
}

/// What the generated code tells the pipeline about one operation.
pub(crate) trait Operation: 'static {
    /// The input structure.
    type Input: Send + Sync + 'static;
    /// The output structure.
    type Output: Send + 'static;
    /// The operation's error enum.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The operation's name in the model (`SendMessage`).
    const NAME: &'static str;

    /// Checks the model's constraints; returns every violation found.
    fn validate(input: &Self::Input, violations: &mut validate::Violations);

    /// Resolves the endpoint from the configuration (and any input members that feed it).
    fn endpoint(config: &Config, input: &Self::Input) -> Result<Endpoint, EndpointError>;

    /// Builds the HTTP request.
    fn serialize(input: &Self::Input, endpoint: &Endpoint) -> Result<HttpRequest, BuildError>;

    /// Reads a successful response.
    fn deserialize(response: &HttpResponse) -> Result<Self::Output, response::DeserializeError>;

    /// Reads an error response whose error code (if any) is `code`.
    fn deserialize_error(
        response: &HttpResponse,
        code: Option<&str>,
    ) -> Result<Self::Error, response::DeserializeError>;

    /// Whether a modeled error is retryable (`@retryable`).
    fn retry_kind(error: &Self::Error) -> Option<RetryKind>;
}

/// A fresh idempotency token: a random UUID, version 4 (RFC 9562), in its hyphenated form.
///
/// Written here rather than taken from the `uuid` crate: it is a few lines on top of `fastrand`,
/// which the crate already has for retry jitter, where `uuid` adds a crate and a second random
/// source (`getrandom`). A token only has to be unique, not secret, so fastrand's generator
/// (seeded per thread from the process's random hash keys, the thread and the time) will do.
#[allow(dead_code)] // Only models with idempotency tokens call it.
pub(crate) fn idempotency_token() -> String {
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
    use super::idempotency_token;

    #[test]
    fn idempotency_tokens_are_version_4_uuids() {
        for _ in 0..1000 {
            let token = idempotency_token();
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
        let tokens: Vec<u128> = (0..10_000)
            .map(|_| u128::from_str_radix(&idempotency_token().replace('-', ""), 16).expect("hex"))
            .collect();
        let distinct: std::collections::BTreeSet<u128> = tokens.iter().copied().collect();
        assert_eq!(distinct.len(), tokens.len(), "a token repeated");
        // Every one of the 122 random bits takes both values across the tokens; the 6 fixed
        // bits never change.
        let ones = tokens.iter().fold(0u128, |acc, t| acc | t);
        let zeros = tokens.iter().fold(0u128, |acc, t| acc | !t);
        let varying = (ones & zeros).count_ones();
        assert_eq!(varying, 122);
    }
}
