//! The `Expiration` of credentials sent by the process, container and instance sources: an
//! RFC 3339 date-time (`2026-12-02T23:00:00Z`). Parsed here, in a few lines, so that crates that
//! sign do not need the timestamps part of the runtime (which exists only for models with
//! timestamps) for one format.

use std::time::{Duration, SystemTime};

/// The time `text` (RFC 3339, `Z` or a `+hh:mm` offset, optional fraction) names; `None` when it
/// is not one.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse().ok())?
    };
    let separators = text.as_bytes();
    if separators.len() < 20
        || separators[4] != b'-'
        || separators[7] != b'-'
        || !matches!(separators[10], b'T' | b't' | b' ')
        || separators[13] != b':'
        || separators[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let kept = &fraction[..digits.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = rest[1..3].parse().ok()?;
            let minutes: i64 = rest[4..6].parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    let since_epoch = Duration::new(seconds.unsigned_abs(), nanos);
    if seconds >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(since_epoch)
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(since_epoch)
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<u64> {
        parse_rfc3339(text).map(|time| time.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs())
    }

    #[test]
    fn utc_offsets_and_fractions() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(secs("2026-12-02T23:00:00Z"), Some(1_796_252_400));
        assert_eq!(secs("2026-12-03T01:00:00+02:00"), Some(1_796_252_400));
        assert_eq!(secs("2000-02-29T12:00:00.123456789123Z"), Some(951_825_600));
        let nanos = parse_rfc3339("1970-01-01T00:00:01.25Z").unwrap().duration_since(SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(nanos, Duration::from_millis(1250));
    }

    #[test]
    fn not_a_date_time() {
        for text in [
            "",
            "2026-12-02",
            "2026-13-02T00:00:00Z",
            "2026-12-02T00:00:00",
            "2026-12-02T00:00:00.Z",
            "20x6-12-02T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text}");
        }
    }
}
