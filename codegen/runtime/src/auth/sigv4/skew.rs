//! Clock-skew correction: when the service says the request's time is too far from its own,
//! later signatures use the service's clock, read from the response's `Date` header, as the
//! official SDKs do.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use crate::primitives::{DateTime, Format};

/// Error codes by which services say the signature's time is off (those the official SDKs treat
/// as clock skew).
const SKEW_ERROR_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// A difference the services tolerate (15 minutes); a correction is made only past 4 minutes of
/// difference, as the Java SDK does, so that an error for another reason changes nothing.
const SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// The offset between this machine's clock and the service's, in seconds, shared by every call
/// of a client.
#[derive(Debug, Default)]
pub struct ClockSkew {
    offset_secs: AtomicI64,
}

impl ClockSkew {
    /// No offset.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time to sign with: this machine's clock corrected by the offset.
    pub fn now(&self) -> SystemTime {
        self.apply(SystemTime::now())
    }

    fn apply(&self, local: SystemTime) -> SystemTime {
        let offset = self.offset_secs.load(Ordering::Relaxed);
        let magnitude = Duration::from_secs(offset.unsigned_abs());
        let corrected = if offset >= 0 { local.checked_add(magnitude) } else { local.checked_sub(magnitude) };
        corrected.unwrap_or(local)
    }

    /// After an error response with `code`: when it is a clock-skew error and the response's
    /// `Date` is more than 4 minutes from the corrected clock, sets the offset to the service's
    /// clock and returns `true` (the request is worth signing and sending again).
    pub fn correct(&self, code: Option<&str>, response_headers: &::http::HeaderMap) -> bool {
        self.correct_at(SystemTime::now(), code, response_headers)
    }

    fn correct_at(&self, local: SystemTime, code: Option<&str>, response_headers: &::http::HeaderMap) -> bool {
        if !code.is_some_and(|code| SKEW_ERROR_CODES.contains(&code)) {
            return false;
        }
        let Some(server) = response_headers
            .get(::http::header::DATE)
            .and_then(|date| date.to_str().ok())
            .and_then(|date| DateTime::parse(Format::HttpDate, date.trim()).ok())
        else {
            return false;
        };
        let local_secs = DateTime::from(local).secs();
        let corrected_secs = DateTime::from(self.apply(local)).secs();
        if server.secs().abs_diff(corrected_secs) <= SKEW_THRESHOLD.as_secs() {
            return false;
        }
        let offset = server.secs().saturating_sub(local_secs);
        self.offset_secs.store(offset, Ordering::Relaxed);
        tracing::debug!(offset_secs = offset, "clock skew corrected from the response's Date header");
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> ::http::HeaderMap {
        let mut headers = ::http::HeaderMap::new();
        headers.insert(::http::header::DATE, text.parse().unwrap());
        headers
    }

    #[test]
    fn a_skew_error_moves_the_clock_to_the_services() {
        let skew = ClockSkew::new();
        // 2015-08-30T12:36:00Z locally, the service 10 minutes ahead.
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let ahead = date("Sun, 30 Aug 2015 12:46:00 GMT");
        assert!(skew.correct_at(local, Some("RequestTimeTooSkewed"), &ahead));
        assert_eq!(skew.apply(local), local + Duration::from_secs(600));
        // Corrected: the same answer again changes nothing.
        assert!(!skew.correct_at(local, Some("RequestTimeTooSkewed"), &ahead));
        // Behind, too.
        let behind = date("Sun, 30 Aug 2015 12:26:00 GMT");
        assert!(skew.correct_at(local, Some("InvalidSignatureException"), &behind));
        assert_eq!(skew.apply(local), local - Duration::from_secs(600));
    }

    #[test]
    fn other_errors_small_differences_and_missing_dates_change_nothing() {
        let skew = ClockSkew::new();
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert!(!skew.correct_at(local, Some("ThrottlingException"), &date("Sun, 30 Aug 2015 12:46:00 GMT")));
        assert!(!skew.correct_at(local, Some("RequestTimeTooSkewed"), &date("Sun, 30 Aug 2015 12:39:00 GMT")));
        assert!(!skew.correct_at(local, Some("RequestTimeTooSkewed"), &::http::HeaderMap::new()));
        assert!(!skew.correct_at(local, Some("RequestTimeTooSkewed"), &date("yesterday")));
        assert_eq!(skew.apply(local), local);
    }
}
