//! Timestamps on the wire, in the formats the model gives each member: only for models with
//! timestamps.

use serde_json::Value;

use super::response::DeserializeError;
use crate::error::BuildError;
use crate::primitives::{DateTime, Format};

/// Formats a timestamp for the wire.
#[allow(dead_code, reason = "only models that send timestamps write them")]
pub fn format(value: &DateTime, format: Format) -> Result<String, BuildError> {
    value.fmt(format).map_err(|e| BuildError::new(e.to_string()))
}

/// Reads a timestamp from JSON: a number of epoch seconds, or a string in `format`; `ctx`
/// names the member in errors.
#[allow(dead_code, reason = "only models that receive timestamps in JSON read them")]
pub fn from_json(value: &Value, format: Format, ctx: &str) -> Result<DateTime, DeserializeError> {
    match value {
        Value::Number(n) => n
            .as_f64()
            .map(DateTime::from_secs_f64)
            .ok_or_else(|| DeserializeError::new(format!("{ctx}: bad timestamp {n}"))),
        Value::String(text) => from_text(text, format, ctx),
        _ => Err(DeserializeError::new(format!("{ctx}: expected a timestamp"))),
    }
}

/// Reads a timestamp from text in `format` (a header, or a JSON string).
pub fn from_text(text: &str, format: Format, ctx: &str) -> Result<DateTime, DeserializeError> {
    DateTime::parse(format, text).map_err(|e| DeserializeError::new(format!("{ctx}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_timestamps_are_epoch_seconds_or_formatted_text() {
        let seconds = from_json(&serde_json::json!(1.5), Format::DateTime, "m").unwrap();
        assert_eq!(seconds, DateTime::from_secs_f64(1.5));
        let text = from_json(&serde_json::json!("1970-01-01T00:00:01.5Z"), Format::DateTime, "m").unwrap();
        assert_eq!(text, seconds);
        assert_eq!(format(&seconds, Format::EpochSeconds).unwrap(), "1.5");
    }

    #[test]
    fn errors_name_the_member() {
        let error = from_json(&serde_json::json!(true), Format::DateTime, "When").unwrap_err();
        assert_eq!(error.to_string(), "When: expected a timestamp");
        let error = from_text("yesterday", Format::HttpDate, "When").unwrap_err();
        assert!(error.to_string().starts_with("When: "), "{error}");
    }
}
