//! Base64, the text form of blobs received on the wire (bodies, headers, media-type strings in
//! headers): only for models that receive blobs.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::response::DeserializeError;

/// Standard alphabet, accepting input with or without padding (some services omit it).
/// Fewer `=` than canonical are accepted as well, but too many, misplaced padding and
/// nonzero trailing bits are rejected.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes standard base64, with or without padding (see [`BASE64`]); `ctx` names the member
/// in the error.
pub fn decode(text: &str, ctx: &str) -> Result<Vec<u8>, DeserializeError> {
    BASE64.decode(text).map_err(|error| DeserializeError::new(format!("{ctx}: invalid base64: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_padded_and_unpadded_text() {
        for plain in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let padded = base64::engine::general_purpose::STANDARD.encode(plain);
            assert_eq!(decode(&padded, "m").unwrap(), plain.as_bytes());
            let unpadded = padded.trim_end_matches('=');
            assert_eq!(decode(unpadded, "m").unwrap(), plain.as_bytes(), "{unpadded}");
        }
    }

    #[test]
    fn uses_the_standard_alphabet() {
        assert_eq!(decode("+/+/", "m").unwrap(), [0xfb, 0xff, 0xbf]);
        assert!(decode("-_-_", "m").is_err());
        let all: Vec<u8> = (0..=255).collect();
        let encoded = base64::engine::general_purpose::STANDARD.encode(&all);
        assert_eq!(decode(&encoded, "m").unwrap(), all);
    }

    #[test]
    fn rejects_invalid_input_naming_the_member() {
        assert_eq!(decode("Zg=", "m").unwrap(), b"f");
        for text in ["Zg===", "Zm9v=", "=Zg=", "Z", "Zm9v Zg==", "Zm9v\n", "Zh==", "Zm9v!", "é"] {
            let result = decode(text, "m");
            assert!(result.is_err(), "{text:?} should be rejected: {result:?}");
        }
        let message = decode("Zm9v!", "Data").unwrap_err().to_string();
        assert!(message.starts_with("Data: invalid base64: "), "{message}");
    }
}
