//! Resolution of structures, unions, enums and member targets (part of the AST -> IR pass).

use std::collections::BTreeSet;

use serde_json::Value;

use super::bindings::{binding, check_binding_target, check_prefix_headers};
use super::docs::html_to_markdown;
use super::protocol_tests::{RawCases, raw_cases};
use super::resolve::{Resolver, check_unique, deprecated, docs};
use super::role::Role;
use super::types::*;
use crate::error::{CodegenError, Result};
use crate::names::{ItemPath, ModuleName, RustIdent, TypeName, snake_case};
use crate::smithy::traits::{EnumDefinition, LengthTrait, RangeTrait, RetryableTrait, ids};
use crate::smithy::{Aggregate, Shape, ShapeId, Traits};

impl Resolver<'_> {
    pub(super) fn structure(
        &mut self,
        id: &ShapeId,
        role: Role,
        rust_name: TypeName,
        module: ModuleName,
    ) -> Result<Structure> {
        let shape = self.model.expect_shape(id, id)?;
        let Shape::Structure(aggregate) = shape else {
            return Err(CodegenError::shape(
                id,
                format!(
                    "is used as a structure but is a {} (Smithy 2.0: operation input, output and errors are structures)",
                    shape.type_name()
                ),
            ));
        };
        let traits = &aggregate.traits;
        let kind = match role {
            Role::Input => StructureKind::Input,
            Role::Output => StructureKind::Output,
            Role::Plain => StructureKind::Plain,
            Role::Error => {
                let fault = traits.string(id, ids::ERROR)?.unwrap_or_default();
                let server_fault = match fault.as_str() {
                    "server" => true,
                    "client" => false,
                    other => {
                        return Err(CodegenError::shape_trait(
                            id,
                            ids::ERROR,
                            format!("expected \"client\" or \"server\", found {other:?} (Smithy 2.0, error trait)"),
                        ));
                    }
                };
                let retryable = traits.parse::<RetryableTrait>(id, ids::RETRYABLE)?.map(|r| r.throttling);
                self.raw_tests.push((
                    id.clone(),
                    RawCases::default(),
                    raw_cases(id, traits, ids::HTTP_RESPONSE_TESTS)?,
                ));
                let http_status =
                    traits.parse::<u16>(id, ids::HTTP_ERROR)?.unwrap_or(if server_fault { 500 } else { 400 });
                StructureKind::Error(ErrorInfo {
                    server_fault,
                    http_status,
                    retryable,
                    predicate: RustIdent::plain(format!("is_{}", ModuleName::of(id.name()))),
                    // Typed once every shape is resolved (`protocol_tests::resolve`).
                    response_tests: Vec::new(),
                })
            }
        };
        let members = self.members(id, aggregate, role)?;
        let positional = positional(&members, role);
        let path = match role {
            Role::Input | Role::Output => ItemPath::operation(&module).item(&rust_name),
            Role::Error => ItemPath::error(&rust_name),
            Role::Plain => ItemPath::types(&rust_name),
        };
        Ok(Structure {
            id: id.clone(),
            rust_name,
            module,
            path,
            docs: docs(traits),
            deprecated: deprecated(id, traits)?,
            members,
            kind,
            positional,
        })
    }

    pub(super) fn members(&mut self, id: &ShapeId, aggregate: &Aggregate, role: Role) -> Result<Vec<Member>> {
        let mut members = Vec::new();
        let mut payloads = 0;
        for (name, member) in aggregate.members.iter() {
            let member_id = id.with_member(name);
            let traits = &member.traits;
            let mut target = self.target(&member_id, &member.target, traits)?;
            let mut binding = binding(&member_id, traits, role)?;
            if matches!(binding, Binding::Query(_)) && matches!(target.ty, Type::Map(_)) {
                // Models converted from botocore bind a map with `location: querystring` and
                // no name, which is the map of all remaining query parameters.
                binding = Binding::QueryParams;
            }
            check_binding_target(&member_id, &binding, &target)?;
            if binding == Binding::Payload {
                payloads += 1;
            }
            super::auth::mark_credential(&binding, &mut target);
            let target_shape = self.model.expect_shape(&member.target, &member_id)?;
            let default = match traits.value(ids::DEFAULT).or_else(|| target_shape.traits().value(ids::DEFAULT)) {
                None | Some(Value::Null) => None,
                Some(value) => Some(value.clone()),
            };
            check_default(&member_id, &target, default.as_ref())?;
            let required = traits.has(ids::REQUIRED);
            if matches!(binding, Binding::Label { .. }) && !required {
                return Err(CodegenError::shape_trait(
                    &member_id,
                    ids::HTTP_LABEL,
                    "a path label member must be @required (Smithy 2.0, httpLabel trait)",
                ));
            }
            let idempotency_token = traits.has(ids::IDEMPOTENCY_TOKEN);
            let presence = presence(role, required, default, idempotency_token, traits.has(ids::CLIENT_OPTIONAL));
            let field = RustIdent::snake(name);
            members.push(Member {
                name: name.clone(),
                methods: setters(&field, role),
                field,
                json_name: traits.string(&member_id, ids::JSON_NAME)?.unwrap_or_else(|| name.clone()),
                docs: docs(traits).or_if_empty(|| docs(target_shape.traits())),
                deprecated: deprecated(&member_id, traits)?,
                target,
                presence,
                idempotency_token,
                host_label: traits.has(ids::HOST_LABEL),
                binding,
                boxed: false,
            });
        }
        if payloads > 1 {
            return Err(CodegenError::shape_trait(
                id,
                ids::HTTP_PAYLOAD,
                "more than one member is bound to the payload (Smithy 2.0, httpPayload trait)",
            ));
        }
        if payloads == 1
            && let Some(body) = members.iter().find(|m| m.binding == Binding::Body)
        {
            return Err(CodegenError::shape_trait(
                id.with_member(&body.name),
                ids::HTTP_PAYLOAD,
                "a structure with an @httpPayload member cannot have members bound to the body (Smithy 2.0, httpPayload trait)",
            ));
        }
        check_prefix_headers(id, &members)?;
        check_unique(members.iter().map(|m| (m.field.as_str(), id)), "field").map_err(|_| {
            CodegenError::unsupported(
                id,
                "two members have the same Rust field name, which this generator cannot tell apart",
            )
        })?;
        Ok(members)
    }

    /// Resolves what a member (or list/map member) holds.
    pub(super) fn target(&mut self, owner: &ShapeId, target_id: &ShapeId, member_traits: &Traits) -> Result<Target> {
        let shape = self.model.expect_shape(target_id, owner)?;
        let traits = shape.traits();
        let timestamp_format = || -> Result<Option<TimestampFormat>> {
            let format = match member_traits.string(owner, ids::TIMESTAMP_FORMAT)? {
                Some(format) => Some(format),
                None => traits.string(target_id, ids::TIMESTAMP_FORMAT)?,
            };
            format
                .map(|f| match f.as_str() {
                    // botocore's names (`iso8601`, `rfc822`, `unixTimestamp`) appear in models
                    // converted from botocore; they mean the same formats.
                    "date-time" | "iso8601" => Ok(TimestampFormat::DateTime),
                    "http-date" | "rfc822" => Ok(TimestampFormat::HttpDate),
                    "epoch-seconds" | "unixTimestamp" => Ok(TimestampFormat::EpochSeconds),
                    other => Err(CodegenError::shape_trait(
                        owner,
                        ids::TIMESTAMP_FORMAT,
                        format!("unknown format {other:?} (Smithy 2.0, timestampFormat trait)"),
                    )),
                })
                .transpose()
        };
        let mut sensitive = member_traits.has(ids::SENSITIVE)
            || traits.has(ids::SENSITIVE)
            || self.bearer_token_shapes.contains(target_id);
        let ty = match shape {
            Shape::String(_) if traits.has(ids::ENUM) => {
                self.string_enum_v1(target_id)?;
                Type::Enum(target_id.clone())
            }
            Shape::String(_) => Type::String,
            Shape::Boolean(_) => Type::Boolean,
            Shape::Byte(_) => Type::Byte,
            Shape::Short(_) => Type::Short,
            Shape::Integer(_) => Type::Integer,
            Shape::Long(_) => Type::Long,
            Shape::Float(_) => Type::Float,
            Shape::Double(_) => Type::Double,
            Shape::BigInteger(_) => Type::BigInteger,
            Shape::BigDecimal(_) => Type::BigDecimal,
            Shape::Timestamp(_) => Type::Timestamp(timestamp_format()?),
            Shape::Blob(_) => Type::Blob { streaming: traits.has(ids::STREAMING) },
            Shape::Document(_) => Type::Document,
            Shape::Enum(aggregate) => {
                self.string_enum(target_id, aggregate)?;
                Type::Enum(target_id.clone())
            }
            Shape::IntEnum(aggregate) => {
                self.int_enum(target_id, aggregate)?;
                Type::IntEnum(target_id.clone())
            }
            Shape::List(list) | Shape::Set(list) => {
                let member_id = target_id.with_member("member");
                self.enter_collection(target_id)?;
                let member = self.target(&member_id, &list.member.target, &list.member.traits)?;
                self.collections.pop();
                sensitive |= member.sensitive;
                Type::List(Box::new(ListType { member, sparse: traits.has(ids::SPARSE) }))
            }
            Shape::Map(map) => {
                self.enter_collection(target_id)?;
                let key = self.target(&target_id.with_member("key"), &map.key.target, &map.key.traits)?;
                if !matches!(key.ty, Type::String | Type::Enum(_)) {
                    return Err(CodegenError::shape(target_id, "map keys must be strings (Smithy 2.0, map shapes)"));
                }
                let value = self.target(&target_id.with_member("value"), &map.value.target, &map.value.traits)?;
                self.collections.pop();
                sensitive |= value.sensitive;
                Type::Map(Box::new(MapType { key, value, sparse: traits.has(ids::SPARSE) }))
            }
            Shape::Structure(_) => {
                if traits.has(ids::UNIT_TYPE) {
                    return Err(CodegenError::shape(
                        owner,
                        "only union members may target smithy.api#Unit (Smithy 2.0, unitType trait)",
                    ));
                }
                self.named_structure(target_id)?;
                Type::Structure(target_id.clone())
            }
            Shape::Union(aggregate) => {
                self.union(target_id, aggregate)?;
                Type::Union(target_id.clone())
            }
            Shape::Service(_) | Shape::Operation(_) | Shape::Resource(_) | Shape::Apply(_) => {
                return Err(CodegenError::shape(
                    owner,
                    format!("a member cannot target the {} {target_id} (Smithy 2.0, member shapes)", shape.type_name()),
                ));
            }
        };
        let mut constraints = Constraints::default();
        for source in [traits, member_traits] {
            let owner_id = if std::ptr::eq(source, traits) { target_id } else { owner };
            if let Some(length) = source.parse::<LengthTrait>(owner_id, ids::LENGTH)? {
                constraints.length = Some((length.min, length.max));
            }
            if let Some(range) = source.parse::<RangeTrait>(owner_id, ids::RANGE)? {
                constraints.range = Some((range.min, range.max));
            }
            if let Some(pattern) = source.string(owner_id, ids::PATTERN)? {
                constraints.pattern = Some(pattern);
            }
        }
        Ok(Target {
            id: target_id.clone(),
            ty,
            constraints,
            sensitive,
            media_type: traits.string(target_id, ids::MEDIA_TYPE)?,
        })
    }

    /// Starts resolving the members of the list or map `id`. Smithy 2.0, *Recursive shape
    /// definitions*: the member of a list, set or map cannot target its containing shape,
    /// directly or transitively, unless a structure or union is on the path back to it (an
    /// endless nesting of collections has no finite value; resolving it would never end).
    fn enter_collection(&mut self, id: &ShapeId) -> Result<()> {
        if self.collections.contains(id) {
            return Err(CodegenError::shape(
                id,
                "this list or map contains itself without a structure or union in between, which \
                 Smithy 2.0 forbids (recursive shape definitions)",
            ));
        }
        self.collections.push(id.clone());
        Ok(())
    }

    /// Starts resolving a named shape; false when it is done or under way (recursion).
    pub(super) fn begin(&mut self, id: &ShapeId) -> bool {
        !self.shapes.contains_key(id) && self.in_progress.insert(id.clone())
    }

    pub(super) fn finish(&mut self, id: &ShapeId, shape: NamedShape) {
        self.in_progress.remove(id);
        self.added.push(id.clone());
        self.shapes.insert(id.clone(), shape);
    }

    /// Resolves a structure shape (plain, or an error by its `@error` trait) once.
    pub(super) fn named_structure(&mut self, id: &ShapeId) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        // A structure on the path lets the collections around it recur through it.
        let outer_collections = std::mem::take(&mut self.collections);
        let name = self.name_of(id);
        // The structure's own `@error` trait decides its role, not the path that reached it
        // first: an error that a member also targets is still an error (its type under
        // `types::error`, its predicate on the operations' error enums).
        let role = if self.model.expect_shape(id, id)?.traits().has(ids::ERROR) { Role::Error } else { Role::Plain };
        let structure = self.structure(id, role, TypeName::of_shape(name), ModuleName::of(name))?;
        self.collections = outer_collections;
        self.finish(id, NamedShape::Structure(structure));
        Ok(())
    }

    pub(super) fn union(&mut self, id: &ShapeId, aggregate: &Aggregate) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        if aggregate.members.is_empty() {
            return Err(CodegenError::shape(id, "a union must have at least one member (Smithy 2.0, union shapes)"));
        }
        // A union on the path lets the collections around it recur through it.
        let outer_collections = std::mem::take(&mut self.collections);
        let mut variants = Vec::new();
        for (name, member) in aggregate.members.iter() {
            let member_id = id.with_member(name);
            let target_shape = self.model.expect_shape(&member.target, &member_id)?;
            let target = if target_shape.traits().has(ids::UNIT_TYPE) {
                // A variant that carries nothing: its name is the value.
                Target {
                    id: member.target.clone(),
                    ty: Type::Unit,
                    constraints: Constraints::default(),
                    sensitive: false,
                    media_type: None,
                }
            } else {
                self.target(&member_id, &member.target, &member.traits)?
            };
            // `is_x` asks whether a variant without a value is the one set; `as_x` hands out
            // the value.
            let verb = if target.ty == Type::Unit { "is" } else { "as" };
            variants.push(Member {
                name: name.clone(),
                field: RustIdent::plain(TypeName::of_variant(name).as_str()),
                methods: MemberMethods::Variant { accessor: RustIdent::plain(format!("{verb}_{}", snake_case(name))) },
                json_name: member.traits.string(&member_id, ids::JSON_NAME)?.unwrap_or_else(|| name.clone()),
                docs: docs(&member.traits).or_if_empty(|| docs(target_shape.traits())),
                deprecated: deprecated(&member_id, &member.traits)?,
                target,
                // A variant's value is always there when the variant is the one set.
                presence: Presence::Required,
                idempotency_token: false,
                host_label: false,
                binding: Binding::Body,
                boxed: false,
            });
        }
        let traits = &aggregate.traits;
        let rust_name = TypeName::of_shape(self.name_of(id));
        let union = Union {
            id: id.clone(),
            path: ItemPath::types(&rust_name),
            rust_name,
            module: ModuleName::of(self.name_of(id)),
            docs: docs(traits),
            deprecated: deprecated(id, traits)?,
            variants,
        };
        self.collections = outer_collections;
        self.finish(id, NamedShape::Union(union));
        Ok(())
    }

    pub(super) fn string_enum(&mut self, id: &ShapeId, aggregate: &Aggregate) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        let variants = enum_variants(id, aggregate, |member_id, name, traits| {
            Ok(traits.string(member_id, ids::ENUM_VALUE)?.unwrap_or_else(|| name.to_owned()))
        })?;
        let shape = enum_shape(id, self.name_of(id), &aggregate.traits, variants)?;
        self.finish(id, NamedShape::Enum(shape));
        Ok(())
    }

    /// A Smithy 1.0 string shape with the `@enum` trait.
    pub(super) fn string_enum_v1(&mut self, id: &ShapeId) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        let traits = self.model.expect_shape(id, id)?.traits();
        let definitions: Vec<EnumDefinition> = traits.parse(id, ids::ENUM)?.unwrap_or_default();
        let variants = definitions
            .into_iter()
            .map(|d| EnumVariant {
                rust_name: TypeName::of_variant(d.name.as_deref().unwrap_or(&d.value)),
                docs: d.documentation.as_deref().map(html_to_markdown).unwrap_or_default(),
                deprecated: d.deprecated.then(|| "deprecated".to_owned()),
                value: d.value,
            })
            .collect();
        let shape = enum_shape(id, self.name_of(id), traits, variants)?;
        self.finish(id, NamedShape::Enum(shape));
        Ok(())
    }

    pub(super) fn int_enum(&mut self, id: &ShapeId, aggregate: &Aggregate) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        let variants = enum_variants(id, aggregate, |member_id, _, traits| {
            traits.parse::<i32>(member_id, ids::ENUM_VALUE)?.ok_or_else(|| {
                CodegenError::shape_trait(
                    member_id,
                    ids::ENUM_VALUE,
                    "an intEnum member needs an integer @enumValue (Smithy 2.0, intEnum shapes)",
                )
            })
        })?;
        let shape = enum_shape(id, self.name_of(id), &aggregate.traits, variants)?;
        self.finish(id, NamedShape::IntEnum(shape));
        Ok(())
    }
}

/// The variants of an enum or intEnum, each valued by `value_of(member id, name, traits)`.
fn enum_variants<V>(
    id: &ShapeId,
    aggregate: &Aggregate,
    value_of: impl Fn(&ShapeId, &str, &Traits) -> Result<V>,
) -> Result<Vec<EnumVariant<V>>> {
    aggregate
        .members
        .iter()
        .map(|(name, member)| {
            let member_id = id.with_member(name);
            Ok(EnumVariant {
                rust_name: TypeName::of_variant(name),
                value: value_of(&member_id, name, &member.traits)?,
                docs: docs(&member.traits),
                deprecated: deprecated(&member_id, &member.traits)?,
            })
        })
        .collect()
}

/// An enum shape from its traits and variants (renamed apart where names clash).
fn enum_shape<V>(id: &ShapeId, name: &str, traits: &Traits, variants: Vec<EnumVariant<V>>) -> Result<EnumShape<V>> {
    let rust_name = TypeName::of_shape(name);
    Ok(EnumShape {
        id: id.clone(),
        path: ItemPath::types(&rust_name),
        rust_name,
        module: ModuleName::of(name),
        docs: docs(traits),
        deprecated: deprecated(id, traits)?,
        variants: unique_variants(id, variants)?,
        sensitive: traits.has(ids::SENSITIVE),
    })
}

/// A structure member's setters on the type `role` sets it on.
fn setters(field: &RustIdent, role: Role) -> MemberMethods {
    let setter =
        if role.reserved_methods().contains(&field.as_str()) { field.with_suffix("_value") } else { field.clone() };
    MemberMethods::Setters { setter, option_setter: RustIdent::plain(format!("set_{}", field.as_str())) }
}

/// A member's presence from its traits and the role of its structure, by Smithy 2.0's rules
/// for non-authoritative consumers (*Structure member optionality*; Smithy's `NullableIndex`
/// in `CLIENT` mode): members of an input structure and `@clientOptional` members are
/// optional; otherwise `@required` or a non-null `@default` makes the member always present.
/// `@addedDefault` only records that the default came after the member was published (for
/// tools comparing model versions), so it changes nothing here: the default holds.
fn presence(
    role: Role,
    required: bool,
    default: Option<Value>,
    idempotency_token: bool,
    client_optional: bool,
) -> Presence {
    match (role, default) {
        // Idempotency tokens are filled by the client, so the caller never has to give one;
        // other input members are optional unless required, so that "unset" and "set to the
        // default" stay apart in what is sent.
        (Role::Input, default) if idempotency_token || !required => Presence::Optional { default },
        (Role::Input, Some(value)) => Presence::Defaulted { value, required: true },
        (Role::Input, None) => Presence::Required,
        // `@clientOptional`: a client must not rely on the member being there.
        (_, default) if client_optional => Presence::Optional { default },
        (_, Some(value)) => Presence::Defaulted { value, required },
        (_, None) if required => Presence::Required,
        (_, None) => Presence::Optional { default: None },
    }
}

/// The positional arguments of a structure, sorted case-insensitively by wire name (the order
/// of the Julia client this API follows): for an operation input, every member the caller must
/// give (the client method's arguments); for other structures, the required members without a
/// default (the constructor's arguments).
pub(super) fn positional(members: &[Member], role: Role) -> Vec<usize> {
    let mut positional: Vec<usize> = (0..members.len())
        .filter(|&index| match (&members[index].presence, role) {
            (Presence::Required, _) => true,
            (Presence::Defaulted { required, .. }, Role::Input) => *required,
            _ => false,
        })
        .collect();
    positional.sort_by_key(|&index| members[index].wire_name().to_ascii_lowercase());
    positional
}

/// Decodes base64 text of the model (blob defaults).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// A `@default` must fit its target: integers in range, blobs in base64.
fn check_default(member: &ShapeId, target: &Target, default: Option<&Value>) -> Result<()> {
    let Some(default) = default else { return Ok(()) };
    let fits = match (&target.ty, default) {
        (Type::Byte, Value::Number(n)) => n.as_i64().is_some_and(|i| i8::try_from(i).is_ok()),
        (Type::Short, Value::Number(n)) => n.as_i64().is_some_and(|i| i16::try_from(i).is_ok()),
        (Type::Integer | Type::IntEnum(_), Value::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        (Type::Long, Value::Number(n)) => n.as_i64().is_some(),
        (Type::Blob { .. }, Value::String(text)) => decode_base64(text).is_some(),
        _ => true,
    };
    if fits {
        Ok(())
    } else {
        Err(CodegenError::shape_trait(
            member,
            ids::DEFAULT,
            format!("{default} does not fit {} (Smithy 2.0, default trait)", target.id),
        ))
    }
}

/// Enum variant names must differ after case conversion; a clash gets a numeric suffix.
fn unique_variants<V>(id: &ShapeId, mut variants: Vec<EnumVariant<V>>) -> Result<Vec<EnumVariant<V>>> {
    if variants.is_empty() {
        return Err(CodegenError::shape(id, "an enum must have at least one value (Smithy 2.0, enum shapes)"));
    }
    let mut seen = BTreeSet::new();
    for variant in &mut variants {
        let base = variant.rust_name.clone();
        let mut n = 2;
        while !seen.insert(variant.rust_name.clone()) {
            variant.rust_name = base.with_suffix(&n.to_string());
            n += 1;
        }
    }
    Ok(variants)
}

trait OrIfEmpty {
    fn or_if_empty(self, fallback: impl FnOnce() -> String) -> String;
}

impl OrIfEmpty for String {
    fn or_if_empty(self, fallback: impl FnOnce() -> String) -> String {
        if self.is_empty() { fallback() } else { self }
    }
}
