//! Request compression (`@requestCompression`): gzip, the encoding the generator implements.

use std::io::Write;

/// Bodies smaller than this are sent as they are: compressing them gains little. It is the
/// default of the AWS SDKs' `request_min_compression_size_bytes` setting.
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// The bytes, gzip-compressed.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn gzip_round_trips() {
        let text = "a body worth compressing ".repeat(1000);
        let compressed = gzip(text.as_bytes()).unwrap();
        assert!(compressed.len() < text.len() / 10, "{} bytes", compressed.len());
        assert_eq!(&compressed[..2], &[0x1f, 0x8b], "the gzip magic number");
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(compressed.as_slice()).read_to_string(&mut decoded).unwrap();
        assert_eq!(decoded, text);
    }
}
