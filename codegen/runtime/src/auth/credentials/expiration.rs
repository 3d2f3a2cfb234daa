//! The `Expiration` of credentials sent by the process, container and instance sources: an
//! RFC 3339 date-time (`2026-12-02T23:00:00Z`), read by the runtime's own timestamp parser (which
//! every crate that signs carries: the signer writes its time with it).

use std::time::SystemTime;

use crate::primitives::{DateTime, Format};

/// The time `text` (RFC 3339, `Z` or a `+hh:mm` offset, optional fraction) names; `None` when it
/// is not one, or is outside what this platform's `SystemTime` holds.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let time = DateTime::parse(Format::DateTime, text.trim()).ok()?;
    SystemTime::try_from(time).ok()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn secs(text: &str) -> Option<u64> {
        parse_rfc3339(text).map(|time| time.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs())
    }

    #[test]
    fn utc_offsets_and_fractions() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(secs("2026-12-02T23:00:00Z"), Some(1_796_252_400));
        assert_eq!(secs("2026-12-03T01:00:00+02:00"), Some(1_796_252_400));
        assert_eq!(secs(" 2026-12-02T23:00:00Z\n"), Some(1_796_252_400));
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
            "2026-02-30T00:00:00Z",
            "2026-12-02T00:00:00",
            "2026-12-02T00:00:00.Z",
            "20x6-12-02T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text}");
        }
    }
}
