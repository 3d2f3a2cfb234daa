//! The public API of a generated crate, as data: client methods with their positional
//! arguments and builder setters, the public types with their fields and variants, the endpoint
//! parameters, and what the generator chose that decides whether a change breaks callers
//! (`#[non_exhaustive]`, `Unknown` variants).
//!
//! Built from the resolved IR ([`ApiSurface::from_ir`]), never from the model's JSON. Two
//! surfaces compare into a [`Report`] ([`diff`]), classified under Cargo's semver rules
//! ([`semver`]). A generated crate carries its surface (`api-surface.json`) so that the next
//! regeneration compares against exactly what its users have. The code the crate carries
//! verbatim (the runtime, a customization) is part of that API too: [`verbatim`] reads it
//! from the crate's sources.

mod build;
mod diff;
mod digest;
mod record;
mod report;
pub mod semver;
mod tokens;
pub mod verbatim;

pub use build::{field_type, rust_type, value_type};
pub use diff::{NOT_RECORDED_BEFORE, NOT_RECORDED_NOW, diff};
pub use report::{Change, Impact, Report};

/// The public API of one generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiSurface {
    /// The service shape the crate was generated from.
    pub service: String,
    /// The client's operation methods, by name.
    pub methods: Vec<Method>,
    /// The public types generated from shapes, by path.
    pub types: Vec<TypeDef>,
    /// The endpoint parameters (`endpoint::Params`) and the rules behind them.
    pub endpoint: EndpointSurface,
    /// The public API of the files the crate carries verbatim (runtime, customization); `None`
    /// in a surface recorded before it was, or built from the IR alone.
    pub verbatim: Option<verbatim::VerbatimSurface>,
}

/// A method on `Client` (one operation).
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// As written in Rust (`send_message`, `r#type`).
    pub name: String,
    /// The operation shape.
    pub shape: String,
    /// The positional arguments, in order: every member the caller must give.
    pub arguments: Vec<Argument>,
    /// The path of the call builder the method returns.
    pub builder: String,
    /// The builder's setters, one per member that is not positional.
    pub setters: Vec<Setter>,
    /// The errors the operation declares (the variants of its error enum).
    pub errors: Vec<String>,
    /// Whether the builder pages (`into_paginator`, `into_items`).
    pub paginated: bool,
    pub deprecated: Option<String>,
    /// Digest of the documentation.
    pub docs: String,
}

/// A positional argument (of a client method or of a constructor).
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub name: String,
    /// The member it sets.
    pub member: String,
    /// The type of the value it becomes.
    pub ty: RustType,
}

/// A setter (`name(value)`; `set_name(Option<value>)` too when `clearable`).
#[derive(Debug, Clone, PartialEq)]
pub struct Setter {
    pub name: String,
    /// The member it sets.
    pub member: String,
    pub ty: RustType,
    /// Whether a `set_` method takes an `Option` (optional members).
    pub clearable: bool,
    pub deprecated: Option<String>,
}

/// A public type generated from a shape.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Path under the crate root (`types::Item`, `operation::send_message::SendMessageOutput`).
    pub path: String,
    /// The shape it comes from.
    pub shape: String,
    pub kind: TypeKind,
    /// `#[non_exhaustive]`: fields or variants may be added without breaking anyone.
    pub non_exhaustive: bool,
    pub deprecated: Option<String>,
    /// Digest of the documentation.
    pub docs: String,
}

/// What a public type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with public fields, a constructor `new(arguments)` (when it has one) and setters.
    Struct { fields: Vec<Field>, constructor: Option<Vec<Argument>>, setters: Vec<Setter> },
    /// A union: one variant per member, and `Unknown` when `unknown`.
    Union { variants: Vec<Variant>, unknown: bool },
    /// An enum or intEnum: one variant per value, and `Unknown` when `unknown`.
    Enum { variants: Vec<Variant>, unknown: bool },
    /// An operation's error enum: one variant per error, and `Unhandled` when `unknown`.
    Errors { variants: Vec<Variant>, unknown: bool },
}

impl TypeKind {
    /// What the kind is called in a report.
    pub fn describe(&self) -> &'static str {
        match self {
            TypeKind::Struct { .. } => "struct",
            TypeKind::Union { .. } => "union enum",
            TypeKind::Enum { .. } => "enum",
            TypeKind::Errors { .. } => "error enum",
        }
    }
}

/// A public field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// The member it holds.
    pub member: String,
    pub ty: RustType,
    /// The model's `@default`, as JSON text.
    pub default: Option<String>,
    pub deprecated: Option<String>,
    /// Digest of the documentation.
    pub docs: String,
}

/// A variant of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    /// The member (union, enum value) or error shape it comes from.
    pub shape: String,
    /// The value it holds, if any.
    pub ty: Option<RustType>,
    /// The value on the wire (enum values).
    pub value: Option<String>,
    pub deprecated: Option<String>,
    /// Digest of the documentation.
    pub docs: String,
}

/// `endpoint::Params` and the rules that read it.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointSurface {
    /// One public field and `with_` setter each.
    pub params: Vec<EndpointParam>,
    /// Digest of the typed rule set (so a change of spelling that parses the same is no
    /// change); none without rules.
    pub rules: Option<String>,
    /// How many test cases the rule set comes with, and their digest.
    pub tests: usize,
    pub tests_digest: String,
}

/// One endpoint parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointParam {
    /// The rule set's name (`UseFIPS`).
    pub name: String,
    /// The field of `endpoint::Params`.
    pub field: String,
    pub ty: RustType,
    pub built_in: Option<String>,
    pub required: bool,
    pub deprecated: bool,
}

/// A Rust type as the crate's public API spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// A type of the language, of `std` or of the crate's primitives (`String`, `i64`,
    /// `primitives::DateTime`).
    Builtin(String),
    /// A type generated from a shape (`types::Item`).
    Named {
        path: String,
        shape: String,
    },
    /// `Vec<T>`, or `Vec<Option<T>>` when sparse.
    List {
        item: Box<RustType>,
        sparse: bool,
    },
    /// `BTreeMap<String, T>`, or with `Option<T>` values when sparse.
    Map {
        value: Box<RustType>,
        sparse: bool,
    },
    Option(Box<RustType>),
    /// `Box<T>` (recursive members).
    Boxed(Box<RustType>),
}

impl std::fmt::Display for RustType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RustType::Builtin(name) => f.write_str(name),
            RustType::Named { path, .. } => f.write_str(path),
            RustType::List { item, sparse: false } => write!(f, "Vec<{item}>"),
            RustType::List { item, sparse: true } => write!(f, "Vec<Option<{item}>>"),
            RustType::Map { value, sparse: false } => write!(f, "BTreeMap<String, {value}>"),
            RustType::Map { value, sparse: true } => write!(f, "BTreeMap<String, Option<{value}>>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Boxed(inner) => write!(f, "Box<{inner}>"),
        }
    }
}

impl ApiSurface {
    /// The surface as the JSON text a generated crate carries.
    pub fn to_json(&self) -> String {
        crate::json::to_pretty(&crate::json::ToJson::to_json(self))
    }

    /// Reads the JSON text of [`ApiSurface::to_json`].
    pub fn from_json(text: &str) -> Result<ApiSurface, String> {
        crate::json::parse(text, "the API surface record")
    }

    /// The type at `path`.
    pub fn type_at(&self, path: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.path == path)
    }
}
