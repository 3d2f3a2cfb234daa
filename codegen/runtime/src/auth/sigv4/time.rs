//! The times of a signature: `20150830T123600Z` and its date, `20150830`.

use std::time::SystemTime;

use super::sign::SigningError;
use crate::primitives::{DateTime, Format};

/// The signature's time (`X-Amz-Date`) and the date of its scope.
pub(super) struct SigningTime {
    pub amz_date: String,
    pub date: String,
}

impl SigningTime {
    /// `time` to whole seconds, in the basic ISO 8601 form SigV4 uses.
    pub(super) fn new(time: SystemTime) -> Result<Self, SigningError> {
        let seconds = DateTime::from(time).secs();
        let text = DateTime::from_secs(seconds)
            .fmt(Format::DateTime)
            .map_err(|e| SigningError::new(format!("the signing time cannot be written: {e}")))?;
        // `2015-08-30T12:36:00Z` without its separators.
        let amz_date: String = text.chars().filter(|c| !matches!(c, '-' | ':')).collect();
        let date = amz_date[..8].to_owned();
        Ok(Self { amz_date, date })
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn basic_format_to_whole_seconds() {
        let time = SigningTime::new(UNIX_EPOCH + Duration::from_millis(1_440_938_160_900)).unwrap();
        assert_eq!((time.amz_date.as_str(), time.date.as_str()), ("20150830T123600Z", "20150830"));
    }
}
