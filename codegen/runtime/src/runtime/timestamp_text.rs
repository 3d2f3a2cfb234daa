//! Timestamps read from text (headers, and JSON strings): only for models that receive
//! timestamps.

use super::response::DeserializeError;
use crate::primitives::{DateTime, Format};

/// Reads a timestamp from text in `format`; `ctx` names the member in errors.
pub fn parse(text: &str, format: Format, ctx: &str) -> Result<DateTime, DeserializeError> {
    DateTime::parse(format, text).map_err(|e| DeserializeError::new(format!("{ctx}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_member() {
        assert_eq!(parse("Thu, 01 Jan 1970 00:00:01 GMT", Format::HttpDate, "When").unwrap(), DateTime::from_secs(1));
        let error = parse("yesterday", Format::HttpDate, "When").unwrap_err();
        assert!(error.to_string().starts_with("When: "), "{error}");
    }
}
