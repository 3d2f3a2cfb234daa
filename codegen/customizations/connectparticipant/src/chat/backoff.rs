//! Delays between reconnect attempts: exponential, with jitter, capped.

use std::time::Duration;

/// Exponential backoff: `base * 2^n`, at most `cap`, each delay scaled by a random factor in
/// 0.7..1.3 (then capped again) so that many clients cut off together do not return together.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
}

impl Backoff {
    pub(crate) fn new(base: Duration, cap: Duration) -> Self {
        Self { base, cap, attempt: 0 }
    }

    /// The delay before the next attempt.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let exponential = self.base.saturating_mul(1u32 << self.attempt.min(16));
        self.attempt = self.attempt.saturating_add(1);
        let jitter = 0.7 + fastrand::f64() * 0.6;
        exponential.min(self.cap).mul_f64(jitter).min(self.cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_with_jitter_and_stays_under_the_cap() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        let delays: Vec<Duration> = (0..10).map(|_| backoff.next_delay()).collect();
        assert!(delays[0] >= Duration::from_millis(700) && delays[0] <= Duration::from_millis(1300));
        assert!(delays[3] >= Duration::from_millis(5600) && delays[3] <= Duration::from_millis(10400));
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(30)));
        assert!(delays[9] >= Duration::from_secs(21), "capped delays keep their size: {delays:?}");
    }
}
