//! Timestamps read from JSON bodies: only for models that receive timestamps in JSON.

use serde_json::Value;

use super::response::DeserializeError;
use crate::primitives::{DateTime, Format};

/// Reads a timestamp from JSON: a number of epoch seconds, or a string in `format`; `ctx`
/// names the member in errors.
pub fn read(value: &Value, format: Format, ctx: &str) -> Result<DateTime, DeserializeError> {
    match value {
        Value::Number(n) => n
            .as_f64()
            .map(DateTime::from_secs_f64)
            .ok_or_else(|| DeserializeError::new(format!("{ctx}: bad timestamp {n}"))),
        Value::String(text) => super::timestamp_text::parse(text, format, ctx),
        _ => Err(DeserializeError::new(format!("{ctx}: expected a timestamp"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_timestamps_are_epoch_seconds_or_formatted_text() {
        let seconds = read(&serde_json::json!(1.5), Format::DateTime, "m").unwrap();
        assert_eq!(seconds, DateTime::from_secs_f64(1.5));
        let text = read(&serde_json::json!("1970-01-01T00:00:01.5Z"), Format::DateTime, "m").unwrap();
        assert_eq!(text, seconds);
    }

    #[test]
    fn errors_name_the_member() {
        let error = read(&serde_json::json!(true), Format::DateTime, "When").unwrap_err();
        assert_eq!(error.to_string(), "When: expected a timestamp");
    }
}
