//! Rust names for rule-set names: parameters, assigned names and test cases.

use heck::ToSnakeCase;
use proc_macro2::{Ident, Span};

/// Words that cannot be plain Rust identifiers (strict and reserved keywords of edition 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// `UseFIPS` → `use_fips`: snake case, ASCII letters, digits and `_` only, never a keyword
/// (a trailing `_` is added) and never starting with a digit. Empty when `name` has no
/// letter or digit.
pub(crate) fn snake_case(name: &str) -> String {
    let snake: String = name
        .to_snake_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let mut snake = snake.trim_matches('_').to_owned();
    while snake.contains("__") {
        snake = snake.replace("__", "_");
    }
    if snake.is_empty() {
        return snake;
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert_str(0, "n_");
    }
    if KEYWORDS.contains(&snake.as_str()) {
        snake.push('_');
    }
    snake
}

/// The identifier for `name` in snake case (`value` when it has no letter or digit).
pub(crate) fn snake_ident(name: &str) -> Ident {
    let snake = snake_case(name);
    Ident::new(if snake.is_empty() { "value" } else { &snake }, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_parameter_names() {
        assert_eq!(snake_case("UseFIPS"), "use_fips");
        assert_eq!(snake_case("UseDualStack"), "use_dual_stack");
        assert_eq!(snake_case("Region"), "region");
        assert_eq!(snake_case("PartitionResult"), "partition_result");
        assert_eq!(snake_case("Type"), "type_");
        assert_eq!(snake_case("3rd-party"), "n_3rd_party");
        assert_eq!(snake_case("For region us-east-1 with FIPS"), "for_region_us_east_1_with_fips");
        assert_eq!(snake_case("!!"), "");
    }
}
