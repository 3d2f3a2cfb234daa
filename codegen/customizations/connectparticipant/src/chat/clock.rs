//! Service timestamps (`2024-05-01T12:30:00.000Z`): read as time (to sort items and to turn
//! expiries into deadlines), and deadlines that never overflow.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// How long from now until `timestamp` (zero when it is past); `None` when it cannot be read.
pub(crate) fn until(timestamp: &str) -> Option<Duration> {
    let (at, nanos) = unix_time(timestamp)?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    let at = Duration::new(u64::try_from(at).unwrap_or(0), nanos);
    Some(at.saturating_sub(now))
}

/// `now + delay`, saturating far in the future instead of overflowing.
pub(crate) fn after(now: Instant, delay: Duration) -> Instant {
    now.checked_add(delay).unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 86_400))
}

/// A sort key for an item's `AbsoluteTime`: its time, or `None` (first) when unreadable.
pub(crate) fn sort_key(timestamp: Option<&str>) -> Option<(i64, u32)> {
    timestamp.and_then(unix_time)
}

/// Seconds and nanoseconds since the epoch of a UTC timestamp `YYYY-MM-DDTHH:MM:SS[.fff]Z`;
/// `None` when it is not one or lies beyond what an `i64` of seconds holds.
fn unix_time(text: &str) -> Option<(i64, u32)> {
    let text = text.strip_suffix('Z').or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = text.split_once('T')?;
    let (year, rest) = date.rsplit_once('-').and_then(|(ym, d)| ym.rsplit_once('-').map(|(y, m)| (y, (m, d))))?;
    let (year, month, day): (i64, i64, i64) = (year.parse().ok()?, rest.0.parse().ok()?, rest.1.parse().ok()?);
    let mut time = time.split(':');
    let (hour, minute) = (time.next()?.parse::<i64>().ok()?, time.next()?.parse::<i64>().ok()?);
    let seconds_text = time.next()?;
    let (whole, fraction) = seconds_text.split_once('.').unwrap_or((seconds_text, ""));
    let second: i64 = whole.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 9 {
        return None;
    }
    let nanos = if fraction.is_empty() { 0 } else { format!("{fraction:0<9}").parse::<u32>().ok()? };
    // Days from the civil date (H. Hinnant's algorithm), every step checked: a huge year gives
    // `None`, never an overflow.
    let y = if month <= 2 { year.checked_sub(1)? } else { year };
    let era = y.div_euclid(400);
    let yoe = y.checked_sub(era.checked_mul(400)?)?;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era.checked_mul(146_097)?.checked_add(doe - 719_468)?;
    let seconds = days.checked_mul(86_400)?.checked_add(hour * 3600 + minute * 60 + second)?;
    Some((seconds, nanos))
}

#[cfg(test)]
mod tests {
    use super::unix_time;

    #[test]
    fn reads_service_timestamps() {
        assert_eq!(unix_time("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(unix_time("2024-05-01T12:30:00.000Z"), Some((1_714_566_600, 0)));
        assert_eq!(unix_time("2000-03-01T00:00:00.500Z"), Some((951_868_800, 500_000_000)));
        assert_eq!(unix_time("2024-13-01T00:00:00Z"), None);
        assert_eq!(unix_time("yesterday"), None);
    }

    #[test]
    fn a_fraction_sorts_after_the_whole_second() {
        assert!(unix_time("2030-01-01T00:00:01Z") < unix_time("2030-01-01T00:00:01.5Z"));
    }

    #[test]
    fn huge_years_give_none_not_an_overflow() {
        assert_eq!(unix_time("9223372036854775807-01-01T00:00:00Z"), None);
        assert_eq!(unix_time("-9223372036854775808-01-01T00:00:00Z"), None);
        assert!(
            super::until("99999999999-01-01T00:00:00Z").is_some_and(|d| d > std::time::Duration::from_secs(1 << 40))
        );
    }
}
