//! Service timestamps (`2024-05-01T12:30:00.000Z`), read with the runtime's date-time parser:
//! as time (to sort items and to turn expiries into deadlines); and deadlines that never
//! overflow.

use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use crate::primitives::{DateTime, Format};

/// How long from now until `timestamp` (zero when it is past); `None` when it cannot be read.
pub(crate) fn until(timestamp: &str) -> Option<Duration> {
    let at = SystemTime::try_from(read(timestamp)?).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// `now + delay`, saturating far in the future instead of overflowing.
pub(crate) fn after(now: Instant, delay: Duration) -> Instant {
    now.checked_add(delay).unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 86_400))
}

/// A sort key for an item's `AbsoluteTime`: its time, or `None` (first) when unreadable.
pub(crate) fn sort_key(timestamp: Option<&str>) -> Option<DateTime> {
    timestamp.and_then(read)
}

/// A service timestamp (RFC 3339, as the service writes `AbsoluteTime` and `Expiry`).
fn read(text: &str) -> Option<DateTime> {
    DateTime::parse(Format::DateTime, text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fraction_sorts_after_the_whole_second() {
        assert!(sort_key(Some("2030-01-01T00:00:01Z")) < sort_key(Some("2030-01-01T00:00:01.5Z")));
        assert_eq!(sort_key(Some("yesterday")), None);
    }

    #[test]
    fn expiries_in_the_past_or_out_of_range_do_not_overflow() {
        assert_eq!(until("2000-01-01T00:00:00Z"), Some(Duration::ZERO));
        assert!(until("2999-01-01T00:00:00.000Z").is_some_and(|d| d > Duration::from_secs(1 << 34)));
        assert_eq!(until("99999999999-01-01T00:00:00Z"), None);
        let far = after(Instant::now(), Duration::MAX);
        assert!(far > Instant::now());
    }
}
