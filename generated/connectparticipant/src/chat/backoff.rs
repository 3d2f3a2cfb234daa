//! Delays between reconnect attempts: exponential, with jitter, capped.

use std::time::Duration;

/// Exponential backoff. The first delay is "full jitter" (anywhere from zero to `base`), so
/// that many clients cut off together do not all come back at once; after it, `base * 2^(n-1)`,
/// at most `cap`, scaled by a random factor in 0.7..1.3 (then capped again).
///
/// The session keeps one for its whole life and [`reset`](Self::reset)s it only after a socket
/// stayed healthy for a while: a socket that dies right after opening keeps the delays growing.
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
        let attempt = self.attempt;
        self.attempt = self.attempt.saturating_add(1);
        if attempt == 0 {
            return self.base.min(self.cap).mul_f64(fastrand::f64());
        }
        let exponential = self.base.saturating_mul(1u32 << (attempt - 1).min(16));
        let jitter = 0.7 + fastrand::f64() * 0.6;
        exponential.min(self.cap).mul_f64(jitter).min(self.cap)
    }

    /// Starts over from the first (short) delay.
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_with_jitter_and_stays_under_the_cap() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        let delays: Vec<Duration> = (0..11).map(|_| backoff.next_delay()).collect();
        assert!(delays[0] <= Duration::from_secs(1), "the first is jittered from zero: {delays:?}");
        assert!(delays[1] >= Duration::from_millis(700) && delays[1] <= Duration::from_millis(1300));
        assert!(delays[4] >= Duration::from_millis(5600) && delays[4] <= Duration::from_millis(10400));
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(30)));
        assert!(delays[10] >= Duration::from_secs(21), "capped delays keep their size: {delays:?}");
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_secs(1));
    }
}
