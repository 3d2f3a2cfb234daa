//! Rust names for Smithy names: one place decides casing, keywords and collisions.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated crate uses itself, or that would shadow the prelude.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "HashMap", "Client", "Config", "Error",
    "DateTime", "Blob", "Document", "Self",
];

/// snake_case field or function name; keywords become raw identifiers (`r#type`).
pub fn field_name(name: &str) -> String {
    let snake = name.to_snake_case();
    let snake =
        if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) { format!("v{snake}") } else { snake };
    if RAW_KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else if NON_RAW_KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// snake_case module or file name; keywords get a trailing underscore (files cannot be raw).
pub fn module_name(name: &str) -> String {
    let field = field_name(name);
    match field.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => field,
    }
}

/// UpperCamelCase type or variant name (`WebRTCConnection` -> `WebRtcConnection`); names the
/// crate reserves get a `Value` suffix.
pub fn type_name(name: &str) -> String {
    let camel = name.to_upper_camel_case();
    let camel =
        if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) { format!("V{camel}") } else { camel };
    if RESERVED_TYPE_NAMES.contains(&camel.as_str()) { format!("{camel}Value") } else { camel }
}

/// A name for an enum variant from its wire value (`PARTICIPANT_JOINED` -> `ParticipantJoined`,
/// `0` -> `V0`, `text/plain` -> `TextPlain`).
pub fn variant_name(value: &str) -> String {
    let cleaned: String = value.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let camel = cleaned.to_upper_camel_case();
    let camel =
        if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) { format!("V{camel}") } else { camel };
    // `Unknown` is the variant that carries values the model does not list.
    if camel == "Unknown" || camel == "Self" { format!("{camel}Value") } else { camel }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case_and_keywords_are_raw() {
        assert_eq!(field_name("ContentType"), "content_type");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("X-Amz-Bearer"), "x_amz_bearer");
        assert_eq!(module_name("Type"), "type_");
    }

    #[test]
    fn types_are_camel_case_and_avoid_reserved_names() {
        assert_eq!(type_name("WebRTCConnection"), "WebRtcConnection");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(variant_name("PARTICIPANT_JOINED"), "ParticipantJoined");
        assert_eq!(variant_name("0"), "V0");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
    }
}
