//! The IR types.

use std::collections::BTreeMap;

use serde_json::Value;

use super::http::{HostPrefix, Route};
use super::protocol_tests::{RequestTest, ResponseTest};
use crate::endpoint_rules::{EndpointTestCase, RuleSet};
use crate::names::{ItemPath, ModuleName, RustIdent, TypeName};
use crate::smithy::ShapeId;

/// A whole service, resolved.
#[derive(Debug, Clone)]
pub struct Ir {
    /// The service itself.
    pub service: Service,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Named types to emit (structures, unions, enums, intEnums, errors), by shape id.
    pub shapes: BTreeMap<ShapeId, NamedShape>,
    /// What the model uses, which decides optional runtime files and dependencies.
    pub features: Features,
    /// Named shapes reachable from an operation input: these get serializers and validation.
    pub input_shapes: std::collections::BTreeSet<ShapeId>,
    /// Named shapes reachable from an operation output or error: these get deserializers.
    pub output_shapes: std::collections::BTreeSet<ShapeId>,
    /// Things left out or assumed, each naming the shape (printed by the xtask).
    pub warnings: Vec<String>,
}

/// The service shape.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: ShapeId,
    /// Human title (`smithy.api#title`, else the sdkId, else the shape name).
    pub title: String,
    /// `aws.api#service` sdkId, else the shape name.
    pub sdk_id: String,
    pub version: Option<String>,
    /// Markdown documentation.
    pub docs: String,
    /// Whether the service carries `aws.auth#sigv4` (its operations may still be unsigned: see
    /// [`Operation::auth`]).
    pub sigv4: bool,
    pub endpoint_rules: Option<RuleSet>,
    pub endpoint_tests: Vec<EndpointTestCase>,
}

/// What a model uses that needs an optional part of the runtime. The emitter's runtime table
/// (`emit/runtime_files.rs`) maps each to its files, modules and Cargo dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    /// Timestamps anywhere: `primitives::DateTime` and its formats.
    Timestamps,
    /// Timestamps sent (JSON, URI or headers): formatting them.
    TimestampsSent,
    /// Timestamps received (JSON strings or headers): parsing their text.
    TimestampsReceived,
    /// Timestamps received in JSON: epoch-second numbers or text.
    TimestampsInJson,
    /// Blobs anywhere: `primitives::Blob`.
    Blobs,
    /// Blobs sent as text (JSON, URI or headers), or media-type strings sent in headers:
    /// base64 encoding.
    BlobsSent,
    /// Blobs received as text (JSON or headers), or media-type strings received in headers:
    /// base64 decoding.
    BlobsReceived,
    /// Documents anywhere: `primitives::Document`.
    Documents,
    /// An input member with `@pattern`: validation with the `regex` crate.
    InputPatterns,
    /// A paginated operation: paginators (`futures-core` Stream).
    Pagination,
    /// An operation with `@requestCompression`: gzip with the `flate2` crate.
    RequestCompression,
    /// An operation with `@httpChecksumRequired`: `Content-MD5`.
    ChecksumRequired,
    /// An input member with `@idempotencyToken`: random UUID v4 tokens.
    IdempotencyTokens,
    /// An enum or intEnum: `types::UnknownValue` for values the model does not list.
    Enums,
    /// Operations signed with SigV4: the `auth` module (credentials and their providers, the
    /// signer).
    Sigv4,
}

impl Feature {
    /// Every feature.
    pub const ALL: [Feature; 15] = [
        Feature::Timestamps,
        Feature::TimestampsSent,
        Feature::TimestampsReceived,
        Feature::TimestampsInJson,
        Feature::Blobs,
        Feature::BlobsSent,
        Feature::BlobsReceived,
        Feature::Documents,
        Feature::InputPatterns,
        Feature::Pagination,
        Feature::RequestCompression,
        Feature::ChecksumRequired,
        Feature::IdempotencyTokens,
        Feature::Enums,
        Feature::Sigv4,
    ];

    /// The name of the runtime crate's cargo feature that compiles this part.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Timestamps => "timestamps",
            Feature::TimestampsSent => "timestamps-sent",
            Feature::TimestampsReceived => "timestamps-received",
            Feature::TimestampsInJson => "timestamps-in-json",
            Feature::Blobs => "blobs",
            Feature::BlobsSent => "blobs-sent",
            Feature::BlobsReceived => "blobs-received",
            Feature::Documents => "documents",
            Feature::InputPatterns => "input-patterns",
            Feature::Pagination => "pagination",
            Feature::RequestCompression => "request-compression",
            Feature::ChecksumRequired => "checksum-required",
            Feature::IdempotencyTokens => "idempotency-tokens",
            Feature::Enums => "enums",
            Feature::Sigv4 => "sigv4",
        }
    }
}

/// The features a model uses.
pub type Features = std::collections::BTreeSet<Feature>;

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: ShapeId,
    /// The operation's shape name (`SendMessage`).
    pub name: String,
    /// UpperCamelCase base of its Rust type names (`SendMessage` -> `SendMessageInput`...),
    /// and the name of its wire type under `protocol`.
    pub rust_name: TypeName,
    /// The method on `Client` (`send_message`, `r#type`).
    pub fn_name: RustIdent,
    /// The module under `operation` and `protocol` (`send_message`, `type_`).
    pub module: ModuleName,
    /// The operation's error enum (`SendMessageError`).
    pub error_name: TypeName,
    /// The call builder (`SendMessageBuilder`).
    pub builder_name: TypeName,
    /// Markdown documentation.
    pub docs: String,
    pub deprecated: Option<String>,
    pub route: Route,
    /// `{Op}Input`: the input members with their bindings.
    pub input: Structure,
    /// `{Op}Output`.
    pub output: Structure,
    /// Error shapes the operation may return (its own, then the service's), by id.
    pub errors: Vec<ShapeId>,
    pub pagination: Option<Pagination>,
    pub host_prefix: Option<HostPrefix>,
    /// Endpoint rule parameters set by this operation (`@staticContextParams`).
    pub static_context_params: Vec<(String, Value)>,
    /// Endpoint rule parameters taken from input members (`@contextParam`): (param, field).
    pub context_params: Vec<(String, RustIdent)>,
    /// `@requestCompression`: compress the request body with gzip (the one encoding this
    /// generator implements) once it reaches the minimum size.
    pub request_compression: bool,
    /// `@httpChecksumRequired`: send `Content-MD5`.
    pub checksum_required: bool,
    /// How its requests are authenticated (`ir/auth.rs` decides).
    pub auth: OperationAuth,
    /// `smithy.test#httpRequestTests` cases for clients.
    pub request_tests: Vec<RequestTest>,
    /// `smithy.test#httpResponseTests` cases for clients, on the operation.
    pub response_tests: Vec<ResponseTest>,
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationAuth {
    /// Sent as built: no auth, or no scheme this generator implements.
    None,
    /// The input carries an `X-Amz-Bearer` token, which is the credential: never signed.
    Bearer,
    /// Signed with SigV4.
    Sigv4 {
        /// The service's signing name (`aws.auth#sigv4`'s `name`).
        signing_name: String,
        /// `aws.auth#unsignedPayload`: `UNSIGNED-PAYLOAD` instead of the body's hash.
        unsigned_payload: bool,
        /// `smithy.api#optionalAuth`: sent unsigned when no credentials can be found.
        optional: bool,
        /// The payload hash is sent as `x-amz-content-sha256` too (S3 and Glacier ask for it).
        content_sha256_header: bool,
    },
}

/// `@paginated`, resolved to field names.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Input member (field name) that carries the token.
    pub input_token: RustIdent,
    /// Path of output fields to the next token (usually one field).
    pub output_token: Vec<RustIdent>,
    /// Input member (field name) for the page size.
    pub page_size: Option<RustIdent>,
    /// Path of output fields to the page's items, with the item type.
    pub items: Option<(Vec<RustIdent>, Type)>,
}

/// A named type to emit.
#[derive(Debug, Clone)]
pub enum NamedShape {
    Structure(Structure),
    Union(Union),
    Enum(Enum),
    IntEnum(IntEnum),
}

impl Operation {
    /// `operation::send_message`: the operation's public module.
    pub fn module_path(&self) -> ItemPath {
        ItemPath::operation(&self.module)
    }

    /// `operation::send_message::SendMessageBuilder`.
    pub fn builder_path(&self) -> ItemPath {
        self.module_path().item(&self.builder_name)
    }

    /// `protocol::send_message::SendMessage`: the operation's wire type (crate-private).
    pub fn wire_path(&self) -> ItemPath {
        ItemPath::protocol(&self.module).item(&self.rust_name)
    }

    /// `operation::send_message::SendMessageError`.
    pub fn error_path(&self) -> ItemPath {
        self.module_path().item(&self.error_name)
    }

    /// Whether the input has `@idempotencyToken` members, which the client fills when unset.
    pub fn has_idempotency_tokens(&self) -> bool {
        self.input.members.iter().any(|m| m.idempotency_token)
    }
}

impl Ir {
    /// The members of a named structure (or the variants of a union); none for enums and for
    /// ids that are not named shapes.
    pub fn members_of(&self, id: &ShapeId) -> &[Member] {
        self.shapes.get(id).map_or(&[], NamedShape::members)
    }
}

impl NamedShape {
    /// The members of a structure or the variants of a union; none for enums.
    pub fn members(&self) -> &[Member] {
        match self {
            NamedShape::Structure(s) => &s.members,
            NamedShape::Union(u) => &u.variants,
            NamedShape::Enum(_) | NamedShape::IntEnum(_) => &[],
        }
    }

    /// The Rust type name.
    pub fn rust_name(&self) -> &TypeName {
        match self {
            NamedShape::Structure(s) => &s.rust_name,
            NamedShape::Union(u) => &u.rust_name,
            NamedShape::Enum(e) => &e.rust_name,
            NamedShape::IntEnum(e) => &e.rust_name,
        }
    }

    /// The public path of the type (`types::Item`, `types::error::Foo`).
    pub fn path(&self) -> &ItemPath {
        match self {
            NamedShape::Structure(s) => &s.path,
            NamedShape::Union(u) => &u.path,
            NamedShape::Enum(e) => &e.path,
            NamedShape::IntEnum(e) => &e.path,
        }
    }

    /// The file and module name under `types/` (or `types/error/`, and the wire module's).
    pub fn module(&self) -> &ModuleName {
        match self {
            NamedShape::Structure(s) => &s.module,
            NamedShape::Union(u) => &u.module,
            NamedShape::Enum(e) => &e.module,
            NamedShape::IntEnum(e) => &e.module,
        }
    }
}

/// What a structure is for.
#[derive(Debug, Clone, PartialEq)]
pub enum StructureKind {
    /// A structure used as a value.
    Plain,
    /// The input of an operation.
    Input,
    /// The output of an operation.
    Output,
    /// An error (`@error`).
    Error(ErrorInfo),
}

/// The error traits of an error structure.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorInfo {
    /// `client` or `server` fault.
    pub server_fault: bool,
    /// `@httpError`, else 400 for client and 500 for server faults.
    pub http_status: u16,
    /// `@retryable`: Some(throttling).
    pub retryable: Option<bool>,
    /// The method on an operation's error enum that tests for this error
    /// (`is_access_denied_exception`).
    pub predicate: RustIdent,
    /// `smithy.test#httpResponseTests` cases for clients, on the error shape.
    pub response_tests: Vec<ResponseTest>,
}

/// A structure.
#[derive(Debug, Clone)]
pub struct Structure {
    pub id: ShapeId,
    pub rust_name: TypeName,
    /// File/module name under `types/` (or `types/error/`); an operation's module for its
    /// input and output.
    pub module: ModuleName,
    /// The public path of the type (`types::Item`, `operation::send_message::SendMessageInput`).
    pub path: ItemPath,
    pub docs: String,
    pub deprecated: Option<String>,
    pub members: Vec<Member>,
    pub kind: StructureKind,
    /// Indexes into `members` of the constructor's (or, for an operation input, the client
    /// method's) positional arguments, in argument order.
    pub positional: Vec<usize>,
}

impl Structure {
    /// The members passed as positional arguments, in argument order.
    pub fn positional_members(&self) -> impl Iterator<Item = &Member> {
        self.positional.iter().map(|&index| &self.members[index])
    }

    /// The members set on a builder or setter (every member not positional), in model order.
    pub fn optional_members(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().enumerate().filter(|(index, _)| !self.is_positional(*index)).map(|(_, m)| m)
    }

    /// Whether the structure keeps the request id of the response it was read from (an
    /// operation's output does, in a private field behind the `RequestId` trait).
    pub fn keeps_request_id(&self) -> bool {
        self.kind == StructureKind::Output
    }

    /// Whether the message carries a JSON document: body members, or a JSON payload.
    pub fn has_json_document(&self) -> bool {
        self.members.iter().any(|m| m.binding == Binding::Body || m.is_json_payload())
    }

    /// Whether the member at `index` is a positional argument.
    pub fn is_positional(&self, index: usize) -> bool {
        self.positional.contains(&index)
    }
}

/// A union: exactly one variant is set.
#[derive(Debug, Clone)]
pub struct Union {
    pub id: ShapeId,
    pub rust_name: TypeName,
    pub module: ModuleName,
    /// `types::{rust_name}`.
    pub path: ItemPath,
    pub docs: String,
    pub deprecated: Option<String>,
    /// Variants; `field` holds the PascalCase variant name.
    pub variants: Vec<Member>,
}

/// An enum: string values (`Enum`) or integer values (`IntEnum`).
#[derive(Debug, Clone)]
pub struct EnumShape<V> {
    pub id: ShapeId,
    pub rust_name: TypeName,
    pub module: ModuleName,
    /// `types::{rust_name}`.
    pub path: ItemPath,
    pub docs: String,
    pub deprecated: Option<String>,
    pub variants: Vec<EnumVariant<V>>,
    pub sensitive: bool,
}

/// A string enum.
pub type Enum = EnumShape<String>;

/// An intEnum.
pub type IntEnum = EnumShape<i32>;

/// One enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant<V> {
    /// PascalCase Rust variant name.
    pub rust_name: TypeName,
    /// The value on the wire.
    pub value: V,
    pub docs: String,
    pub deprecated: Option<String>,
}

/// A member of a structure (or a union variant).
#[derive(Debug, Clone)]
pub struct Member {
    /// The Smithy member name (`ContentType`).
    pub name: String,
    /// Rust field name (`content_type`, `r#type`); for union variants the PascalCase variant.
    pub field: RustIdent,
    /// Name of the member in a JSON document (`@jsonName`, else the member name).
    pub json_name: String,
    pub docs: String,
    pub deprecated: Option<String>,
    pub target: Target,
    /// Whether a value is always there, may be absent, or starts at a default.
    pub presence: Presence,
    /// `@idempotencyToken`: filled with a fresh UUID when the caller leaves it unset.
    pub idempotency_token: bool,
    /// `@hostLabel`: substituted into the operation's host prefix.
    pub host_label: bool,
    pub binding: Binding,
    /// Held in a `Box` because the target contains the member's own shape (recursion).
    pub boxed: bool,
    /// The methods the member gets on the type that holds it (or on the call builder).
    pub methods: MemberMethods,
}

/// The methods a member gets, named once here: the emitters write them and the API surface
/// lists them under these names.
#[derive(Debug, Clone, PartialEq)]
pub enum MemberMethods {
    /// A structure member, set on its structure (or, for an operation input, on the call
    /// builder).
    Setters {
        /// Takes the value: the field name, or with `_value` appended when the type already
        /// has a method of that name (`send` -> `send_value` on a builder).
        setter: RustIdent,
        /// Takes an `Option` (`set_content`); written for optional members only.
        option_setter: RustIdent,
    },
    /// A union variant: `is_x` when it carries no value, else `as_x`.
    Variant { accessor: RustIdent },
}

/// Whether a member's value is always there, may be absent, or starts at a default: decided
/// once in the IR (Smithy's rules for `@required`, `@default`, `@clientOptional`, and the
/// client's own rule that idempotency tokens are never required of the caller).
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// `@required` without a default: the field is `T` and the caller must give it.
    Required,
    /// The field is `Option<T>`. `default` is the model's `@default`, which an input keeps
    /// optional so that "unset" stays apart from "set to the default".
    Optional { default: Option<Value> },
    /// The field is `T` and starts at the model's `@default`, which is sent like any value
    /// (top-level input members are never `Defaulted` unless `@required`).
    Defaulted { value: Value, required: bool },
}

impl Member {
    /// The setter that takes the value and the one that takes an `Option` (structure members).
    pub fn setters(&self) -> (&RustIdent, &RustIdent) {
        match &self.methods {
            MemberMethods::Setters { setter, option_setter } => (setter, option_setter),
            MemberMethods::Variant { .. } => {
                panic!("IR invariant: {} is a union variant, which has no setters", self.name)
            }
        }
    }

    /// The accessor of a union variant (`as_text`, `is_empty_value`).
    pub fn variant_accessor(&self) -> &RustIdent {
        match &self.methods {
            MemberMethods::Variant { accessor } => accessor,
            MemberMethods::Setters { .. } => panic!("IR invariant: {} is a structure member, not a variant", self.name),
        }
    }

    /// Whether the Rust field is an `Option`.
    pub fn is_optional(&self) -> bool {
        matches!(self.presence, Presence::Optional { .. })
    }

    /// The model's `@default` value, if any.
    pub fn default_value(&self) -> Option<&Value> {
        match &self.presence {
            Presence::Required => None,
            Presence::Optional { default } => default.as_ref(),
            Presence::Defaulted { value, .. } => Some(value),
        }
    }

    /// The member's name on the wire (header, query parameter, JSON key or label).
    pub fn wire_name(&self) -> &str {
        match &self.binding {
            Binding::Header(name) | Binding::Query(name) => name,
            Binding::Body => &self.json_name,
            _ => &self.name,
        }
    }

    /// Whether the member is the message's payload and travels as a JSON document (rather than
    /// as raw bytes or text).
    pub fn is_json_payload(&self) -> bool {
        self.binding == Binding::Payload && !matches!(self.target.ty, Type::Blob { .. } | Type::String | Type::Enum(_))
    }

    /// Whether the value must never be printed (`@sensitive` on member or target, or a bearer
    /// token header).
    pub fn is_sensitive(&self) -> bool {
        self.target.sensitive
    }
}

/// Where a member travels in the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// A member of the JSON document body.
    Body,
    /// A path label; greedy labels may hold `/`.
    Label { greedy: bool },
    /// A query-string parameter.
    Query(String),
    /// A map of all remaining query-string parameters.
    QueryParams,
    /// A header.
    Header(String),
    /// Headers with this prefix, as a map.
    PrefixHeaders(String),
    /// The whole body.
    Payload,
    /// The HTTP status code of a response.
    ResponseCode,
}

/// A resolved member target: the Rust type and what constrains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: ShapeId,
    pub ty: Type,
    pub constraints: Constraints,
    /// `@sensitive` (on the member, its target, or anything the target holds).
    pub sensitive: bool,
    /// `@mediaType` of a string or blob.
    pub media_type: Option<String>,
}

/// The Rust-facing type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    /// Arbitrary precision, carried as its decimal text.
    BigInteger,
    BigDecimal,
    /// A timestamp; the format from `@timestampFormat` when modeled.
    Timestamp(Option<TimestampFormat>),
    /// A blob; streaming payloads are buffered.
    Blob {
        streaming: bool,
    },
    Document,
    /// `smithy.api#Unit`: only as a union variant that carries no value.
    Unit,
    Enum(ShapeId),
    IntEnum(ShapeId),
    Structure(ShapeId),
    Union(ShapeId),
    List(Box<ListType>),
    Map(Box<MapType>),
}

/// A list (or set) type.
#[derive(Debug, Clone, PartialEq)]
pub struct ListType {
    pub member: Target,
    /// `@sparse`: items may be null.
    pub sparse: bool,
}

/// A map type (keys are strings or string enums).
#[derive(Debug, Clone, PartialEq)]
pub struct MapType {
    pub key: Target,
    pub value: Target,
    pub sparse: bool,
}

/// A Smithy timestamp format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    DateTime,
    HttpDate,
    EpochSeconds,
}

/// Constraints checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `@length`: characters of a string, bytes of a blob, entries of a list or map.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` of a number.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// `@pattern` of a string (ECMA-262 regular expression, unanchored).
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none()
    }
}

impl Type {
    /// Whether values of this type are containers of other targets (lists and maps).
    pub fn is_collection(&self) -> bool {
        matches!(self, Type::List(_) | Type::Map(_))
    }

    /// Whether a value is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Type::Byte | Type::Short | Type::Integer | Type::Long | Type::Float | Type::Double)
    }
}
