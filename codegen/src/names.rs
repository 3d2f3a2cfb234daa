//! Rust names for model names: the one place that decides casing, keywords and collisions, for
//! the IR (members, operations, shapes) and the endpoint rules (parameters, test cases) alike.
//!
//! One keyword policy: an identifier that is a keyword is written raw (`r#type`) when Rust
//! allows it, and gets a trailing underscore otherwise (`self_`); a file or module name, which
//! cannot be raw, always gets the underscore (`type_`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Keywords that can be written as raw identifiers (`r#type`): the strict and reserved
/// keywords of edition 2024.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated crate uses itself, or that would shadow the prelude.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "HashMap", "Client", "Config", "Error",
    "DateTime", "Blob", "Document", "Self",
];

/// A Rust identifier, decided once: its name and whether it is written raw (`r#type`).
///
/// Emitters quote it as it is (`quote!(#field)`) and use [`RustIdent::as_str`] (never raw) to
/// build other names (`set_type`) or to show it in docs and `Debug` output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustIdent {
    name: String,
    raw: bool,
}

impl RustIdent {
    /// The snake_case identifier for a model name (`ContentType` -> `content_type`,
    /// `Type` -> `r#type`, `Self` -> `self_`, `3rd` -> `v3rd`; `value` when nothing is left).
    pub fn snake(name: &str) -> Self {
        let snake = snake_case(name);
        if snake.is_empty() {
            Self::plain("value")
        } else if RAW_KEYWORDS.contains(&snake.as_str()) {
            Self { name: snake, raw: true }
        } else if NON_RAW_KEYWORDS.contains(&snake.as_str()) {
            Self::plain(format!("{snake}_"))
        } else {
            Self::plain(snake)
        }
    }

    /// An identifier the generator chose itself (never a keyword).
    pub fn plain(name: impl Into<String>) -> Self {
        Self { name: name.into(), raw: false }
    }

    /// The name without the `r#` prefix.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The same identifier with `suffix` appended (`send` -> `send_value`); never raw.
    pub fn with_suffix(&self, suffix: &str) -> Self {
        Self::plain(format!("{}{suffix}", self.name))
    }

    /// The identifier as a token.
    pub fn to_ident(&self) -> Ident {
        if self.raw { Ident::new_raw(&self.name, Span::call_site()) } else { Ident::new(&self.name, Span::call_site()) }
    }
}

/// The identifier as written in Rust source (`r#type`), for paths in docs.
impl std::fmt::Display for RustIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.raw { write!(f, "r#{}", self.name) } else { f.write_str(&self.name) }
    }
}

impl quote::ToTokens for RustIdent {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        self.to_ident().to_tokens(tokens);
    }
}

impl PartialEq<str> for RustIdent {
    fn eq(&self, other: &str) -> bool {
        self.name == other
    }
}

/// An UpperCamelCase type or enum-variant name the generator made (`SendMessageInput`,
/// `ParticipantJoined`): never a keyword, so never raw. Emitters quote it as an identifier;
/// [`TypeName::as_str`] gives the text for docs and `Debug` output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName(String);

impl TypeName {
    /// The type name of a model shape (`WebRTCConnection` -> `WebRtcConnection`; see
    /// [`type_name`]).
    pub fn of_shape(name: &str) -> Self {
        Self(type_name(name))
    }

    /// The name of an enum variant from its model name or wire value (see [`variant_name`]).
    pub fn of_variant(value: &str) -> Self {
        Self(variant_name(value))
    }

    /// The same name with `suffix` appended (`SendMessage` -> `SendMessageInput`).
    pub fn with_suffix(&self, suffix: &str) -> Self {
        Self(format!("{}{suffix}", self.0))
    }
}

/// A snake_case module (and file) name the generator made (`send_message`, `type_`): a file
/// cannot be named raw, so a keyword gets a trailing underscore (see [`module_name`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleName(String);

impl ModuleName {
    /// The module name for a model name (`SendMessage` -> `send_message`, `Type` -> `type_`).
    pub fn of(name: &str) -> Self {
        Self(module_name(name))
    }
}

/// What [`TypeName`] and [`ModuleName`] share: their text, shown as it is (`Display`) and
/// quoted as a plain identifier (`ToTokens`), both being never raw.
macro_rules! never_raw_name {
    ($name:ident) => {
        impl $name {
            /// The name as text (for a module, also its file's stem).
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl quote::ToTokens for $name {
            fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
                Ident::new(&self.0, Span::call_site()).to_tokens(tokens);
            }
        }
    };
}

never_raw_name!(TypeName);
never_raw_name!(ModuleName);

/// The path of a public item of the generated crate from its root (`types::error::Foo`,
/// `operation::send_message::SendMessageBuilder`, `protocol::shapes::item`), decided once in
/// the IR. `Display` writes it as the API surface and the docs name it (`types::Item`);
/// `ToTokens` writes it as generated code refers to it (`crate::types::Item`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemPath {
    /// Every segment is a module of the crate's own layout (`types`, `error`, `operation`),
    /// a [`ModuleName`] or a [`TypeName`]: identifiers that are never raw.
    segments: Vec<String>,
}

impl ItemPath {
    /// `types::{name}`: a structure, union or enum.
    pub fn types(name: &TypeName) -> Self {
        Self::fixed(&["types"]).join(name.as_str())
    }

    /// `types::error::{name}`: an error structure.
    pub fn error(name: &TypeName) -> Self {
        Self::fixed(&["types", "error"]).join(name.as_str())
    }

    /// `operation::{module}`: an operation's public module.
    pub fn operation(module: &ModuleName) -> Self {
        Self::fixed(&["operation"]).join(module.as_str())
    }

    /// `protocol::{module}`: an operation's wire module.
    pub fn protocol(module: &ModuleName) -> Self {
        Self::fixed(&["protocol"]).join(module.as_str())
    }

    /// `protocol::shapes::{module}`: the wire module of a structure or union.
    pub fn wire_shape(module: &ModuleName) -> Self {
        Self::fixed(&["protocol", "shapes"]).join(module.as_str())
    }

    /// `protocol::errors::{module}`: the wire module of an error structure.
    pub fn wire_error(module: &ModuleName) -> Self {
        Self::fixed(&["protocol", "errors"]).join(module.as_str())
    }

    /// An item inside this module (`operation::send_message` -> `..::SendMessageBuilder`).
    pub fn item(&self, name: &TypeName) -> Self {
        self.clone().join(name.as_str())
    }

    fn fixed(segments: &[&str]) -> Self {
        Self { segments: segments.iter().map(|s| (*s).to_owned()).collect() }
    }

    fn join(mut self, segment: &str) -> Self {
        self.segments.push(segment.to_owned());
        self
    }
}

impl std::fmt::Display for ItemPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.segments.join("::"))
    }
}

impl quote::ToTokens for ItemPath {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        let segments = self.segments.iter().map(|s| Ident::new(s, Span::call_site()));
        tokens.extend(quote::quote!(crate #(:: #segments)*));
    }
}

/// snake_case with only ASCII letters, digits and single `_`, never starting with a digit (a
/// `v` is put first); empty when `name` has no letter or digit. Keywords are not handled here.
pub fn snake_case(name: &str) -> String {
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
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, 'v');
    }
    snake
}

/// snake_case module or file name; keywords get a trailing underscore (files cannot be raw).
pub fn module_name(name: &str) -> String {
    let ident = RustIdent::snake(name);
    if ident.raw { format!("{}_", ident.name) } else { ident.name }
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
        assert_eq!(RustIdent::snake("ContentType"), RustIdent::plain("content_type"));
        assert_eq!(RustIdent::snake("Type").to_ident().to_string(), "r#type");
        assert_eq!(RustIdent::snake("Type").as_str(), "type");
        assert_eq!(RustIdent::snake("Self").as_str(), "self_");
        assert_eq!(RustIdent::snake("X-Amz-Bearer").as_str(), "x_amz_bearer");
        assert_eq!(RustIdent::snake("!!").as_str(), "value");
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(module_name("SendMessage"), "send_message");
    }

    #[test]
    fn snake_case_of_rule_and_test_names() {
        assert_eq!(snake_case("UseFIPS"), "use_fips");
        assert_eq!(snake_case("PartitionResult"), "partition_result");
        assert_eq!(snake_case("3rd-party"), "v3rd_party");
        assert_eq!(snake_case("For region us-east-1 with FIPS"), "for_region_us_east_1_with_fips");
        assert_eq!(snake_case("!!"), "");
    }

    #[test]
    fn types_are_camel_case_and_avoid_reserved_names() {
        assert_eq!(type_name("WebRTCConnection"), "WebRtcConnection");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(variant_name("PARTICIPANT_JOINED"), "ParticipantJoined");
        assert_eq!(variant_name("0"), "V0");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
    }

    #[test]
    fn type_and_module_names_never_need_raw() {
        assert_eq!(TypeName::of_shape("Self").as_str(), "SelfValue");
        assert_eq!(TypeName::of_shape("Type").with_suffix("Input").as_str(), "TypeInput");
        assert_eq!(TypeName::of_variant("self").as_str(), "SelfValue");
        assert_eq!(ModuleName::of("Type").as_str(), "type_");
        assert_eq!(ModuleName::of("Self").as_str(), "self_");
        let module = ModuleName::of("Match");
        assert_eq!(quote::quote!(#module).to_string(), "match_");
    }

    #[test]
    fn an_item_path_displays_from_the_root_and_quotes_from_crate() {
        let path = ItemPath::operation(&ModuleName::of("Type")).item(&TypeName::of_shape("TypeBuilder"));
        assert_eq!(path.to_string(), "operation::type_::TypeBuilder");
        assert_eq!(quote::quote!(#path).to_string(), "crate :: operation :: type_ :: TypeBuilder");
        let wire = ItemPath::wire_shape(&ModuleName::of("WebRTCConnection"));
        assert_eq!(wire.to_string(), "protocol::shapes::web_rtc_connection");
    }
}
