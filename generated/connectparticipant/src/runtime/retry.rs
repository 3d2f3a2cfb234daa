//! The AWS "standard" retry strategy: which failures to retry, how long to wait, and a quota
//! that stops a struggling service from being hammered by retries.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::RetryKind;
use crate::config::RetryConfig;

/// Error codes that mean "slow down".
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures.
const TRANSIENT_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalServerException", "InternalError"];

/// How an error response is retried, from its status and code.
pub fn classify(status: u16, code: Option<&str>) -> Option<RetryKind> {
    if status == 429 || code.is_some_and(|c| THROTTLING_CODES.contains(&c)) {
        Some(RetryKind::Throttling)
    } else if matches!(status, 500 | 502 | 503 | 504) || code.is_some_and(|c| TRANSIENT_CODES.contains(&c)) {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// The delay before attempt `attempt + 1`, after `attempt` failed attempts: uniformly random in
/// `[0, min(max_backoff, initial_backoff * 2^(attempt - 1))]` ("full jitter").
pub fn backoff(config: &RetryConfig, attempt: u32) -> Duration {
    let exponent = attempt.saturating_sub(1).min(31);
    let ceiling = config.initial_backoff().saturating_mul(1u32 << exponent).min(config.max_backoff());
    ceiling.mul_f64(fastrand::f64())
}

/// The retry quota shared by all calls of one client: each retry spends tokens, each success
/// returns one. When it runs dry, failures are returned at once instead of retried.
#[derive(Debug)]
pub struct RetryQuota {
    available: AtomicU32,
}

const QUOTA_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;

impl Default for RetryQuota {
    fn default() -> Self {
        Self { available: AtomicU32::new(QUOTA_CAPACITY) }
    }
}

impl RetryQuota {
    /// Takes the tokens for one retry; false when the quota cannot pay for it.
    pub fn acquire(&self, timeout: bool) -> bool {
        let cost = if timeout { TIMEOUT_RETRY_COST } else { RETRY_COST };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| available.checked_sub(cost))
            .is_ok()
    }

    /// Returns tokens after a successful call (all it spent on retries, or one).
    pub fn release(&self, spent: u32) {
        let refund = spent.max(1);
        let _ = self.available.fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
            Some((available + refund).min(QUOTA_CAPACITY))
        });
    }

    /// The cost of a retry of this kind, to refund later.
    pub fn cost(timeout: bool) -> u32 {
        if timeout { TIMEOUT_RETRY_COST } else { RETRY_COST }
    }
}
