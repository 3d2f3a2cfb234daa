//! Timestamps written to the wire (JSON bodies, labels, query strings, headers), in the format
//! the model gives each member: only for models that send timestamps.

use crate::error::BuildError;
use crate::primitives::{DateTime, Format};

/// Formats a timestamp for the wire.
pub fn format(value: &DateTime, format: Format) -> Result<String, BuildError> {
    value.fmt(format).map_err(|e| BuildError::new(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_the_member_asks() {
        let value = DateTime::from_secs_f64(1.5);
        assert_eq!(format(&value, Format::EpochSeconds).unwrap(), "1.5");
        let text = format(&value, Format::DateTime).unwrap();
        assert_eq!(DateTime::parse(Format::DateTime, &text).unwrap(), value, "{text}");
    }
}
