//! AST -> IR: walks the service closure, resolves every target and binding, names things.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::docs::html_to_markdown;
use super::http::{HostPrefix, Route};
use super::names::{field_name, module_name, type_name, variant_name};
use super::types::*;
use crate::endpoint_rules;
use crate::error::{CodegenError, Result};
use crate::smithy::traits::{
    AwsServiceTrait, DeprecatedTrait, EndpointTrait, EnumDefinition, HttpTrait, LengthTrait,
    PaginatedTrait, RangeTrait, RetryableTrait, ids,
};
use crate::smithy::{Aggregate, Model, Shape, ShapeId, Traits};

/// Choices the caller makes about resolution.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The service to generate, when the model holds more than one.
    pub service: Option<String>,
}

/// The header through which these services take their bearer token.
const BEARER_HEADER: &str = "X-Amz-Bearer";

/// Resolves a parsed model into the IR of its (single, or chosen) service.
pub fn resolve(model: &Model, options: &Options) -> Result<Ir> {
    let service_id = find_service(model, options)?;
    let Some(Shape::Service(service)) = model.shape(&service_id) else { unreachable!("found above") };
    if !service.traits.has(ids::REST_JSON1) {
        return Err(CodegenError::shape_trait(
            &service_id,
            ids::REST_JSON1,
            "the service does not declare the restJson1 protocol, the only one this generator speaks",
        ));
    }
    let mut resolver = Resolver { model, shapes: BTreeMap::new(), in_progress: BTreeSet::new(), warnings: Vec::new() };

    let mut operation_ids = Vec::new();
    for op in &service.operations {
        operation_ids.push(op.target.clone());
    }
    for resource in &service.resources {
        resolver.collect_resource_operations(&resource.target, &mut operation_ids, &mut BTreeSet::new())?;
    }
    operation_ids.sort();
    operation_ids.dedup();

    let service_errors: Vec<ShapeId> = service.errors.iter().map(|e| e.target.clone()).collect();
    let service_pagination: Option<PaginatedTrait> = service.traits.parse(&service_id, ids::PAGINATED)?;
    let mut operations = Vec::new();
    for id in &operation_ids {
        if let Some(op) = resolver.operation(id, &service_errors, service_pagination.as_ref())? {
            operations.push(op);
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    check_unique(operations.iter().map(|op| (op.fn_name.as_str(), &op.id)), "operation method")?;
    check_unique(resolver.shapes.values().filter_map(named_type_key).map(|(k, id)| (k, id)), "type")?;

    let aws: AwsServiceTrait = service.traits.parse(&service_id, ids::AWS_SERVICE)?.unwrap_or_default();
    let sdk_id = aws.sdk_id.unwrap_or_else(|| service_id.name().to_owned());
    let title = service.traits.string(&service_id, ids::TITLE)?.unwrap_or_else(|| sdk_id.clone());
    let endpoint_rules = service
        .traits
        .value(ids::ENDPOINT_RULE_SET)
        .map(|value| endpoint_rules::parse_rule_set(&service_id, value))
        .transpose()?;
    let endpoint_tests = service
        .traits
        .value(ids::ENDPOINT_TESTS)
        .map(|value| endpoint_rules::parse_endpoint_tests(&service_id, value))
        .transpose()?
        .unwrap_or_default();

    let mut ir = Ir {
        service: Service {
            id: service_id.clone(),
            title,
            sdk_id,
            version: service.version.clone(),
            docs: docs(&service.traits),
            sigv4: service.traits.has(ids::SIGV4),
            endpoint_rules,
            endpoint_tests,
        },
        operations,
        shapes: resolver.shapes,
        features: Features::default(),
        input_shapes: BTreeSet::new(),
        output_shapes: BTreeSet::new(),
        warnings: resolver.warnings,
    };
    mark_recursive_members(&mut ir);
    ir.input_shapes = closure(&ir, ir.operations.iter().flat_map(|op| &op.input.members));
    let error_members = ir.operations.iter().flat_map(|op| &op.errors).filter_map(|id| match ir.shapes.get(id) {
        Some(NamedShape::Structure(s)) => Some(&s.members),
        _ => None,
    });
    ir.output_shapes = closure(&ir, ir.operations.iter().flat_map(|op| &op.output.members).chain(error_members.flatten()));
    ir.features = features(&ir);
    Ok(ir)
}

fn find_service(model: &Model, options: &Options) -> Result<ShapeId> {
    let services: Vec<&ShapeId> = model
        .shapes
        .iter()
        .filter(|(_, shape)| matches!(shape, Shape::Service(_)))
        .map(|(id, _)| id)
        .collect();
    match (&options.service, services.as_slice()) {
        (Some(wanted), _) => services
            .iter()
            .find(|id| id.as_str() == wanted || id.name() == wanted)
            .map(|id| (*id).clone())
            .ok_or_else(|| CodegenError::model(format!("the model has no service named {wanted}"))),
        (None, [only]) => Ok((*only).clone()),
        (None, []) => Err(CodegenError::model("the model has no service shape")),
        (None, many) => Err(CodegenError::model(format!(
            "the model has {} services ({}); choose one",
            many.len(),
            many.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn named_type_key(shape: &NamedShape) -> Option<(&str, &ShapeId)> {
    match shape {
        NamedShape::Structure(s) if matches!(s.kind, StructureKind::Error(_)) => None,
        NamedShape::Structure(s) => Some((&s.rust_name, &s.id)),
        NamedShape::Union(u) => Some((&u.rust_name, &u.id)),
        NamedShape::Enum(e) => Some((&e.rust_name, &e.id)),
        NamedShape::IntEnum(e) => Some((&e.rust_name, &e.id)),
    }
}

fn check_unique<'a>(names: impl Iterator<Item = (&'a str, &'a ShapeId)>, what: &str) -> Result<()> {
    let mut seen: BTreeMap<String, &ShapeId> = BTreeMap::new();
    for (name, id) in names {
        if let Some(first) = seen.insert(name.to_ascii_lowercase(), id) {
            return Err(CodegenError::shape(
                id,
                format!("its Rust {what} name `{name}` collides with that of {first}"),
            ));
        }
    }
    Ok(())
}

fn docs(traits: &Traits) -> String {
    traits.documentation().map(html_to_markdown).unwrap_or_default()
}

fn deprecated(owner: &ShapeId, traits: &Traits) -> Result<Option<String>> {
    Ok(traits.parse::<DeprecatedTrait>(owner, ids::DEPRECATED)?.map(|d| {
        match (d.message, d.since) {
            (Some(message), Some(since)) => format!("{message} (since {since})"),
            (Some(message), None) => message,
            (None, Some(since)) => format!("deprecated since {since}"),
            (None, None) => "deprecated".to_owned(),
        }
    }))
}

/// What the structure being resolved is for: decides bindings and optionality.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Input,
    Output,
    Error,
    Plain,
}

struct Resolver<'m> {
    model: &'m Model,
    shapes: BTreeMap<ShapeId, NamedShape>,
    in_progress: BTreeSet<ShapeId>,
    warnings: Vec<String>,
}

impl<'m> Resolver<'m> {
    fn collect_resource_operations(
        &self,
        id: &ShapeId,
        out: &mut Vec<ShapeId>,
        seen: &mut BTreeSet<ShapeId>,
    ) -> Result<()> {
        if !seen.insert(id.clone()) {
            return Ok(());
        }
        let Shape::Resource(resource) = self.model.expect_shape(id, id)? else {
            return Err(CodegenError::shape(id, "is bound as a resource but is not a resource shape"));
        };
        let lifecycle = [&resource.create, &resource.put, &resource.read, &resource.update, &resource.delete, &resource.list];
        out.extend(lifecycle.into_iter().flatten().map(|r| r.target.clone()));
        out.extend(resource.operations.iter().chain(&resource.collection_operations).map(|r| r.target.clone()));
        for child in &resource.resources {
            self.collect_resource_operations(&child.target, out, seen)?;
        }
        Ok(())
    }

    fn operation(
        &mut self,
        id: &ShapeId,
        service_errors: &[ShapeId],
        service_pagination: Option<&PaginatedTrait>,
    ) -> Result<Option<Operation>> {
        let Shape::Operation(op) = self.model.expect_shape(id, id)? else {
            return Err(CodegenError::shape(id, "is bound as an operation but is not an operation shape"));
        };
        let http: HttpTrait = op.traits.parse(id, ids::HTTP)?.ok_or_else(|| {
            CodegenError::shape_trait(id, ids::HTTP, "the operation has no @http trait, which restJson1 requires")
        })?;
        let route = Route::parse(id, &http.method, &http.uri, http.code)?;
        let unit = ShapeId::parse("smithy.api#Unit").expect("valid");
        let input_id = op.input.as_ref().map_or(unit.clone(), |r| r.target.clone());
        let output_id = op.output.as_ref().map_or(unit, |r| r.target.clone());

        if let Some(stream) = self.event_stream_member(&input_id)?.or(self.event_stream_member(&output_id)?) {
            self.warnings.push(format!(
                "operation {id} left out: member {stream} is an event stream, which this generator does not support"
            ));
            return Ok(None);
        }

        let name = id.name().to_owned();
        let mut fn_name = field_name(&name);
        if ["new", "config", "from_env", "clone", "fmt"].contains(&fn_name.as_str()) {
            fn_name.push_str("_operation");
        }
        let base = type_name(&name);
        let mut input = self.structure(&input_id, Role::Input, format!("{base}Input"), fn_name.clone())?;
        let output = self.structure(&output_id, Role::Output, format!("{base}Output"), fn_name.clone())?;
        for member in &mut input.members {
            if let Binding::Label { greedy } = &mut member.binding {
                *greedy = route.label_members().any(|(label, g)| label == member.name && g);
            }
        }
        check_input_bindings(id, &route, &input)?;

        let mut errors = Vec::new();
        for error in op.errors.iter().map(|e| &e.target).chain(service_errors) {
            if !errors.contains(error) {
                self.error_shape(error)?;
                errors.push(error.clone());
            }
        }

        let pagination = self.pagination(id, &op.traits, service_pagination, &input, &output)?;
        let host_prefix = op
            .traits
            .parse::<EndpointTrait>(id, ids::ENDPOINT)?
            .map(|endpoint| {
                HostPrefix::parse(id, &endpoint.host_prefix, |label| {
                    input
                        .members
                        .iter()
                        .find(|m| m.name == label && m.host_label && !m.optional)
                        .map(|m| m.field.clone())
                })
            })
            .transpose()?;
        let static_context_params = match op.traits.value(ids::STATIC_CONTEXT_PARAMS) {
            Some(Value::Object(params)) => params
                .iter()
                .map(|(name, v)| {
                    let value = v.get("value").cloned().ok_or_else(|| {
                        CodegenError::shape_trait(id, ids::STATIC_CONTEXT_PARAMS, format!("parameter {name} has no value"))
                    })?;
                    Ok((name.clone(), value))
                })
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(CodegenError::shape_trait(id, ids::STATIC_CONTEXT_PARAMS, format!("expected an object, found {other}")));
            }
            None => Vec::new(),
        };
        let mut context_params = Vec::new();
        if let Some(Shape::Structure(input_shape)) = self.model.shape(&input_id) {
            for (member_name, member) in input_shape.members.iter() {
                if let Some(param) = member.traits.value(ids::CONTEXT_PARAM) {
                    let param_name = param.get("name").and_then(Value::as_str).ok_or_else(|| {
                        CodegenError::shape_trait(input_id.with_member(member_name), ids::CONTEXT_PARAM, "missing `name`")
                    })?;
                    context_params.push((param_name.to_owned(), field_name(member_name)));
                }
            }
        }
        // Idempotency tokens are filled by the client, so they are never positional: the
        // input keeps them optional even when @required.
        for member in &mut input.members {
            if member.idempotency_token {
                member.optional = true;
            }
        }
        Ok(Some(Operation {
            id: id.clone(),
            name,
            rust_name: base,
            fn_name,
            docs: docs(&op.traits),
            deprecated: deprecated(id, &op.traits)?,
            route,
            input,
            output,
            errors,
            pagination,
            host_prefix,
            static_context_params,
            context_params,
            gzip_request: request_compression(id, &op.traits)?,
            checksum_required: op.traits.has(ids::HTTP_CHECKSUM_REQUIRED),
            request_tests: test_cases(id, &op.traits, ids::HTTP_REQUEST_TESTS)?,
            response_tests: test_cases(id, &op.traits, ids::HTTP_RESPONSE_TESTS)?,
        }))
    }

    fn event_stream_member(&self, structure: &ShapeId) -> Result<Option<ShapeId>> {
        let Some(Shape::Structure(shape)) = self.model.shape(structure) else { return Ok(None) };
        for (name, member) in shape.members.iter() {
            let target = self.model.expect_shape(&member.target, &structure.with_member(name))?;
            if matches!(target, Shape::Union(_)) && target.traits().has(ids::STREAMING) {
                return Ok(Some(structure.with_member(name)));
            }
        }
        Ok(None)
    }

    fn pagination(
        &self,
        op: &ShapeId,
        traits: &Traits,
        service_default: Option<&PaginatedTrait>,
        input: &Structure,
        output: &Structure,
    ) -> Result<Option<Pagination>> {
        let Some(local) = traits.parse::<PaginatedTrait>(op, ids::PAGINATED)? else { return Ok(None) };
        let inherit = |local: &Option<String>, pick: fn(&PaginatedTrait) -> &Option<String>| {
            local.clone().or_else(|| service_default.and_then(|d| pick(d).clone()))
        };
        let bad = |why: String| CodegenError::shape_trait(op, ids::PAGINATED, why);
        let input_token = inherit(&local.input_token, |p| &p.input_token).ok_or_else(|| bad("no inputToken".into()))?;
        let output_token = inherit(&local.output_token, |p| &p.output_token).ok_or_else(|| bad("no outputToken".into()))?;
        let input_field = |name: &str| {
            input
                .members
                .iter()
                .find(|m| m.name == name)
                .map(|m| m.field.clone())
                .ok_or_else(|| bad(format!("input has no member {name}")))
        };
        let output_path = |path: &str| -> Result<(Vec<String>, Type)> {
            let mut fields = Vec::new();
            let mut members = &output.members;
            let mut ty = None;
            for (index, part) in path.split('.').enumerate() {
                let member = members
                    .iter()
                    .find(|m| m.name == part)
                    .ok_or_else(|| bad(format!("output has no member path {path}")))?;
                fields.push(member.field.clone());
                ty = Some(member.target.ty.clone());
                if index + 1 < path.split('.').count() {
                    let Type::Structure(next) = &member.target.ty else {
                        return Err(bad(format!("{part} in {path} is not a structure")));
                    };
                    let Some(NamedShape::Structure(next)) = self.shapes.get(next) else {
                        return Err(bad(format!("{part} in {path} is not resolved")));
                    };
                    members = &next.members;
                }
            }
            Ok((fields, ty.expect("path has at least one part")))
        };
        let items = match inherit(&local.items, |p| &p.items) {
            Some(items) => Some(output_path(&items)?),
            None => {
                // Not modeled: when the output holds exactly one list, that list is the page's
                // items (documented on the paginator).
                let lists: Vec<&Member> = output.members.iter().filter(|m| matches!(m.target.ty, Type::List(_))).collect();
                match lists.as_slice() {
                    [only] => Some((vec![only.field.clone()], only.target.ty.clone())),
                    _ => None,
                }
            }
        };
        Ok(Some(Pagination {
            input_token: input_field(&input_token)?,
            output_token: output_path(&output_token)?.0,
            page_size: inherit(&local.page_size, |p| &p.page_size).map(|p| input_field(&p)).transpose()?,
            items,
        }))
    }

    fn error_shape(&mut self, id: &ShapeId) -> Result<()> {
        if self.shapes.contains_key(id) {
            return Ok(());
        }
        let shape = self.model.expect_shape(id, id)?;
        if !matches!(shape, Shape::Structure(_)) || !shape.traits().has(ids::ERROR) {
            return Err(CodegenError::shape_trait(id, ids::ERROR, "an operation error must be a structure with @error"));
        }
        let name = type_name(id.name());
        let structure = self.structure(id, Role::Error, name, module_name(id.name()))?;
        self.shapes.insert(id.clone(), NamedShape::Structure(structure));
        Ok(())
    }

    fn structure(&mut self, id: &ShapeId, role: Role, rust_name: String, module: String) -> Result<Structure> {
        let shape = self.model.expect_shape(id, id)?;
        let Shape::Structure(aggregate) = shape else {
            return Err(CodegenError::shape(id, format!("is used as a structure but is a {}", shape.type_name())));
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
                        return Err(CodegenError::shape_trait(id, ids::ERROR, format!("expected \"client\" or \"server\", found {other:?}")));
                    }
                };
                let retryable = traits.parse::<RetryableTrait>(id, ids::RETRYABLE)?.map(|r| r.throttling);
                let http_status = traits.parse::<u16>(id, ids::HTTP_ERROR)?.unwrap_or(if server_fault { 500 } else { 400 });
                StructureKind::Error(ErrorInfo {
                    server_fault,
                    http_status,
                    retryable,
                    response_tests: test_cases(id, traits, ids::HTTP_RESPONSE_TESTS)?,
                })
            }
        };
        let members = self.members(id, aggregate, role)?;
        Ok(Structure {
            id: id.clone(),
            rust_name,
            module,
            docs: docs(traits),
            deprecated: deprecated(id, traits)?,
            members,
            kind,
        })
    }

    fn members(&mut self, id: &ShapeId, aggregate: &Aggregate, role: Role) -> Result<Vec<Member>> {
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
            if let Binding::Header(header) = &binding
                && header.eq_ignore_ascii_case(BEARER_HEADER)
            {
                // The bearer token is a credential even though the model does not say so.
                target.sensitive = true;
            }
            let target_shape = self.model.expect_shape(&member.target, &member_id)?;
            let default = match traits.value(ids::DEFAULT).or_else(|| target_shape.traits().value(ids::DEFAULT)) {
                None | Some(Value::Null) => None,
                Some(value) => Some(value.clone()),
            };
            let required = traits.has(ids::REQUIRED);
            if matches!(binding, Binding::Label { .. }) && !required {
                return Err(CodegenError::shape_trait(&member_id, ids::HTTP_LABEL, "a path label member must be @required"));
            }
            let idempotency_token = traits.has(ids::IDEMPOTENCY_TOKEN);
            let optional = match role {
                Role::Input => !required,
                _ => traits.has(ids::CLIENT_OPTIONAL) || !(required || default.is_some()),
            };
            members.push(Member {
                name: name.clone(),
                field: field_name(name),
                json_name: traits.string(&member_id, ids::JSON_NAME)?.unwrap_or_else(|| name.clone()),
                docs: docs(traits).or_if_empty(|| docs(target_shape.traits())),
                deprecated: deprecated(&member_id, traits)?,
                target,
                required,
                optional,
                default,
                idempotency_token,
                host_label: traits.has(ids::HOST_LABEL),
                binding,
                boxed: false,
            });
        }
        if payloads > 1 {
            return Err(CodegenError::shape_trait(id, ids::HTTP_PAYLOAD, "more than one member is bound to the payload"));
        }
        if payloads == 1 && let Some(body) = members.iter().find(|m| m.binding == Binding::Body) {
            return Err(CodegenError::shape_trait(
                id.with_member(&body.name),
                ids::HTTP_PAYLOAD,
                "a structure with an @httpPayload member cannot have members bound to the body",
            ));
        }
        check_unique(members.iter().map(|m| (m.field.as_str(), id)), "field")
            .map_err(|_| CodegenError::shape(id, "two members have the same Rust field name"))?;
        Ok(members)
    }

    /// Resolves what a member (or list/map member) holds.
    fn target(&mut self, owner: &ShapeId, target_id: &ShapeId, member_traits: &Traits) -> Result<Target> {
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
                    other => Err(CodegenError::shape_trait(owner, ids::TIMESTAMP_FORMAT, format!("unknown format {other:?}"))),
                })
                .transpose()
        };
        let mut sensitive = member_traits.has(ids::SENSITIVE) || traits.has(ids::SENSITIVE);
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
                let member = self.target(&member_id, &list.member.target, &list.member.traits)?;
                sensitive |= member.sensitive;
                Type::List(Box::new(ListType { member, sparse: traits.has(ids::SPARSE) }))
            }
            Shape::Map(map) => {
                let key = self.target(&target_id.with_member("key"), &map.key.target, &map.key.traits)?;
                if !matches!(key.ty, Type::String | Type::Enum(_)) {
                    return Err(CodegenError::shape(target_id, "map keys must be strings"));
                }
                let value = self.target(&target_id.with_member("value"), &map.value.target, &map.value.traits)?;
                sensitive |= value.sensitive;
                Type::Map(Box::new(MapType { key, value, sparse: traits.has(ids::SPARSE) }))
            }
            Shape::Structure(_) => {
                if traits.has(ids::UNIT_TYPE) {
                    return Err(CodegenError::shape(owner, "only union members may target smithy.api#Unit"));
                }
                self.named_structure(target_id)?;
                Type::Structure(target_id.clone())
            }
            Shape::Union(aggregate) => {
                self.union(target_id, aggregate)?;
                Type::Union(target_id.clone())
            }
            Shape::Service(_) | Shape::Operation(_) | Shape::Resource(_) | Shape::Apply(_) => {
                return Err(CodegenError::shape(owner, format!("a member cannot target the {} {target_id}", shape.type_name())));
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

    /// Starts resolving a named shape; false when it is done or under way (recursion).
    fn begin(&mut self, id: &ShapeId) -> bool {
        !self.shapes.contains_key(id) && self.in_progress.insert(id.clone())
    }

    fn finish(&mut self, id: &ShapeId, shape: NamedShape) {
        self.in_progress.remove(id);
        self.shapes.insert(id.clone(), shape);
    }

    fn named_structure(&mut self, id: &ShapeId) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        let structure = self.structure(id, Role::Plain, type_name(id.name()), module_name(id.name()))?;
        self.finish(id, NamedShape::Structure(structure));
        Ok(())
    }

    fn union(&mut self, id: &ShapeId, aggregate: &Aggregate) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        if aggregate.members.is_empty() {
            return Err(CodegenError::shape(id, "a union must have at least one member"));
        }
        let mut variants = Vec::new();
        for (name, member) in aggregate.members.iter() {
            let member_id = id.with_member(name);
            let target_shape = self.model.expect_shape(&member.target, &member_id)?;
            if target_shape.traits().has(ids::UNIT_TYPE) {
                return Err(CodegenError::shape(&member_id, "union members targeting smithy.api#Unit are not supported yet"));
            }
            let target = self.target(&member_id, &member.target, &member.traits)?;
            variants.push(Member {
                name: name.clone(),
                field: variant_name(name),
                json_name: member.traits.string(&member_id, ids::JSON_NAME)?.unwrap_or_else(|| name.clone()),
                docs: docs(&member.traits).or_if_empty(|| docs(target_shape.traits())),
                deprecated: deprecated(&member_id, &member.traits)?,
                target,
                required: false,
                optional: false,
                default: None,
                idempotency_token: false,
                host_label: false,
                binding: Binding::Body,
                boxed: false,
            });
        }
        let traits = &aggregate.traits;
        let union = Union {
            id: id.clone(),
            rust_name: type_name(id.name()),
            module: module_name(id.name()),
            docs: docs(traits),
            deprecated: deprecated(id, traits)?,
            variants,
        };
        self.finish(id, NamedShape::Union(union));
        Ok(())
    }

    fn string_enum(&mut self, id: &ShapeId, aggregate: &Aggregate) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        let mut variants = Vec::new();
        for (name, member) in aggregate.members.iter() {
            let member_id = id.with_member(name);
            let value = member.traits.string(&member_id, ids::ENUM_VALUE)?.unwrap_or_else(|| name.clone());
            variants.push(EnumVariant {
                rust_name: variant_name(name),
                value,
                docs: docs(&member.traits),
                deprecated: deprecated(&member_id, &member.traits)?,
            });
        }
        let traits = &aggregate.traits;
        let shape = Enum {
            id: id.clone(),
            rust_name: type_name(id.name()),
            module: module_name(id.name()),
            docs: docs(traits),
            deprecated: deprecated(id, traits)?,
            variants: unique_variants(id, variants)?,
            sensitive: traits.has(ids::SENSITIVE),
        };
        self.finish(id, NamedShape::Enum(shape));
        Ok(())
    }

    /// A Smithy 1.0 string shape with the `@enum` trait.
    fn string_enum_v1(&mut self, id: &ShapeId) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        let traits = self.model.expect_shape(id, id)?.traits();
        let definitions: Vec<EnumDefinition> = traits.parse(id, ids::ENUM)?.unwrap_or_default();
        let variants = definitions
            .into_iter()
            .map(|d| EnumVariant {
                rust_name: variant_name(d.name.as_deref().unwrap_or(&d.value)),
                docs: d.documentation.as_deref().map(html_to_markdown).unwrap_or_default(),
                deprecated: d.deprecated.then(|| "deprecated".to_owned()),
                value: d.value,
            })
            .collect();
        let shape = Enum {
            id: id.clone(),
            rust_name: type_name(id.name()),
            module: module_name(id.name()),
            docs: docs(traits),
            deprecated: deprecated(id, traits)?,
            variants: unique_variants(id, variants)?,
            sensitive: traits.has(ids::SENSITIVE),
        };
        self.finish(id, NamedShape::Enum(shape));
        Ok(())
    }

    fn int_enum(&mut self, id: &ShapeId, aggregate: &Aggregate) -> Result<()> {
        if !self.begin(id) {
            return Ok(());
        }
        let mut variants = Vec::new();
        for (name, member) in aggregate.members.iter() {
            let member_id = id.with_member(name);
            let value = member.traits.parse::<i32>(&member_id, ids::ENUM_VALUE)?.ok_or_else(|| {
                CodegenError::shape_trait(&member_id, ids::ENUM_VALUE, "an intEnum member needs an integer @enumValue")
            })?;
            variants.push(EnumVariant {
                rust_name: variant_name(name),
                value,
                docs: docs(&member.traits),
                deprecated: deprecated(&member_id, &member.traits)?,
            });
        }
        let traits = &aggregate.traits;
        let shape = IntEnum {
            id: id.clone(),
            rust_name: type_name(id.name()),
            module: module_name(id.name()),
            docs: docs(traits),
            deprecated: deprecated(id, traits)?,
            variants: unique_variants(id, variants)?,
            sensitive: traits.has(ids::SENSITIVE),
        };
        self.finish(id, NamedShape::IntEnum(shape));
        Ok(())
    }
}

/// Enum variant names must differ after case conversion; a clash gets a numeric suffix.
fn unique_variants<V>(id: &ShapeId, mut variants: Vec<EnumVariant<V>>) -> Result<Vec<EnumVariant<V>>> {
    if variants.is_empty() {
        return Err(CodegenError::shape(id, "an enum must have at least one value"));
    }
    let mut seen = BTreeSet::new();
    for variant in &mut variants {
        let base = variant.rust_name.clone();
        let mut n = 2;
        while !seen.insert(variant.rust_name.clone()) {
            variant.rust_name = format!("{base}{n}");
            n += 1;
        }
    }
    Ok(variants)
}

/// Whether `@requestCompression` lists gzip, the one encoding this generator implements (other
/// encodings are left out: the body is then sent as it is, which the trait allows).
fn request_compression(owner: &ShapeId, traits: &Traits) -> Result<bool> {
    let Some(value) = traits.value(ids::REQUEST_COMPRESSION) else { return Ok(false) };
    let encodings = value.get("encodings").and_then(Value::as_array).ok_or_else(|| {
        CodegenError::shape_trait(owner, ids::REQUEST_COMPRESSION, "expected `encodings`, a list of strings")
    })?;
    Ok(encodings.iter().any(|e| e.as_str().is_some_and(|e| e.eq_ignore_ascii_case("gzip"))))
}

fn test_cases(owner: &ShapeId, traits: &Traits, trait_id: &str) -> Result<Vec<Value>> {
    match traits.value(trait_id) {
        None => Ok(Vec::new()),
        Some(Value::Array(cases)) => Ok(cases.clone()),
        Some(other) => Err(CodegenError::shape_trait(owner, trait_id, format!("expected a list of test cases, found {other}"))),
    }
}

/// The HTTP binding of a member in a structure playing `role`.
fn binding(member: &ShapeId, traits: &Traits, role: Role) -> Result<Binding> {
    if role == Role::Plain {
        return Ok(Binding::Body);
    }
    let mut found = Vec::new();
    if role == Role::Input {
        if traits.has(ids::HTTP_LABEL) {
            found.push((ids::HTTP_LABEL, Binding::Label { greedy: false }));
        }
        if let Some(name) = traits.string(member, ids::HTTP_QUERY)? {
            found.push((ids::HTTP_QUERY, Binding::Query(name)));
        }
        if traits.has(ids::HTTP_QUERY_PARAMS) {
            found.push((ids::HTTP_QUERY_PARAMS, Binding::QueryParams));
        }
    }
    if let Some(name) = traits.string(member, ids::HTTP_HEADER)? {
        found.push((ids::HTTP_HEADER, Binding::Header(name)));
    }
    if let Some(prefix) = traits.string(member, ids::HTTP_PREFIX_HEADERS)? {
        found.push((ids::HTTP_PREFIX_HEADERS, Binding::PrefixHeaders(prefix)));
    }
    if traits.has(ids::HTTP_PAYLOAD) {
        found.push((ids::HTTP_PAYLOAD, Binding::Payload));
    }
    if role != Role::Input && traits.has(ids::HTTP_RESPONSE_CODE) {
        found.push((ids::HTTP_RESPONSE_CODE, Binding::ResponseCode));
    }
    match found.len() {
        0 => Ok(Binding::Body),
        1 => Ok(found.pop().expect("one").1),
        _ => Err(CodegenError::shape_trait(
            member,
            found[1].0,
            format!("conflicts with {} on the same member", found[0].0),
        )),
    }
}

fn is_simple(ty: &Type) -> bool {
    !matches!(ty, Type::List(_) | Type::Map(_) | Type::Structure(_) | Type::Union(_) | Type::Document)
        && !matches!(ty, Type::Blob { streaming: true })
}

fn check_binding_target(member: &ShapeId, binding: &Binding, target: &Target) -> Result<()> {
    let simple_or_list = match &target.ty {
        Type::List(list) => is_simple(&list.member.ty),
        ty => is_simple(ty),
    };
    let string_map = |value_ok: fn(&Type) -> bool| match &target.ty {
        Type::Map(map) => value_ok(&map.value.ty),
        _ => false,
    };
    let (ok, trait_id, expected) = match binding {
        Binding::Body => return Ok(()),
        Binding::Label { .. } => (is_simple(&target.ty) && !matches!(target.ty, Type::Blob { .. }), ids::HTTP_LABEL, "a string, number, boolean, timestamp or enum"),
        Binding::Query(_) => (simple_or_list, ids::HTTP_QUERY, "a simple value or a list of them"),
        Binding::Header(_) => (simple_or_list, ids::HTTP_HEADER, "a simple value or a list of them"),
        Binding::QueryParams => (
            string_map(|v| matches!(v, Type::String | Type::Enum(_)) || matches!(v, Type::List(l) if matches!(l.member.ty, Type::String | Type::Enum(_)))),
            ids::HTTP_QUERY_PARAMS,
            "a map of strings (or of lists of strings)",
        ),
        Binding::PrefixHeaders(_) => (string_map(|v| matches!(v, Type::String | Type::Enum(_))), ids::HTTP_PREFIX_HEADERS, "a map of strings"),
        Binding::Payload => (
            matches!(target.ty, Type::Structure(_) | Type::Union(_) | Type::Blob { .. } | Type::String | Type::Enum(_) | Type::Document),
            ids::HTTP_PAYLOAD,
            "a structure, union, blob, string, enum or document",
        ),
        Binding::ResponseCode => (matches!(target.ty, Type::Integer), ids::HTTP_RESPONSE_CODE, "an integer"),
    };
    if ok {
        Ok(())
    } else {
        Err(CodegenError::shape_trait(member, trait_id, format!("the member must target {expected}, not {}", target.id)))
    }
}

/// Every URI label must be bound to exactly one member, and every label member to a label.
fn check_input_bindings(operation: &ShapeId, route: &Route, input: &Structure) -> Result<()> {
    for (label, greedy) in route.label_members() {
        let member = input
            .members
            .iter()
            .find(|m| m.name == label && matches!(m.binding, Binding::Label { .. }))
            .ok_or_else(|| {
                CodegenError::shape_trait(operation, ids::HTTP, format!("URI label {{{label}}} has no @httpLabel member in the input"))
            })?;
        if greedy && !matches!(member.target.ty, Type::String) {
            return Err(CodegenError::shape_trait(input.id.with_member(label), ids::HTTP_LABEL, "a greedy label must target a string"));
        }
    }
    for member in &input.members {
        if matches!(member.binding, Binding::Label { .. }) && !route.label_members().any(|(label, _)| label == member.name) {
            return Err(CodegenError::shape_trait(
                input.id.with_member(&member.name),
                ids::HTTP_LABEL,
                format!("the URI pattern of {operation} has no {{{}}} label", member.name),
            ));
        }
    }
    Ok(())
}

/// Sets `boxed` on members whose target contains the member's own structure without a list
/// or map in between (Rust needs a `Box` to size it).
fn mark_recursive_members(ir: &mut Ir) {
    let direct_edges: BTreeMap<ShapeId, Vec<ShapeId>> = ir
        .shapes
        .iter()
        .map(|(id, shape)| {
            let members: &[Member] = match shape {
                NamedShape::Structure(s) => &s.members,
                NamedShape::Union(u) => &u.variants,
                _ => &[],
            };
            let targets = members
                .iter()
                .filter_map(|m| match &m.target.ty {
                    Type::Structure(t) | Type::Union(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            (id.clone(), targets)
        })
        .collect();
    let reaches = |from: &ShapeId, to: &ShapeId| {
        let mut stack = vec![from.clone()];
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if &next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.extend(direct_edges.get(&next).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut boxed = Vec::new();
    for (id, shape) in &ir.shapes {
        let members: &[Member] = match shape {
            NamedShape::Structure(s) => &s.members,
            NamedShape::Union(u) => &u.variants,
            _ => &[],
        };
        for (index, member) in members.iter().enumerate() {
            if let Type::Structure(t) | Type::Union(t) = &member.target.ty
                && reaches(t, id)
            {
                boxed.push((id.clone(), index));
            }
        }
    }
    for (id, index) in boxed {
        match ir.shapes.get_mut(&id) {
            Some(NamedShape::Structure(s)) => s.members[index].boxed = true,
            Some(NamedShape::Union(u)) => u.variants[index].boxed = true,
            _ => {}
        }
    }
}

/// Named shapes reachable from `members` (through members, lists and maps).
fn closure<'a>(ir: &Ir, members: impl Iterator<Item = &'a Member>) -> BTreeSet<ShapeId> {
    fn visit(ir: &Ir, ty: &Type, out: &mut BTreeSet<ShapeId>) {
        match ty {
            Type::Structure(id) | Type::Union(id) | Type::Enum(id) | Type::IntEnum(id) => {
                if out.insert(id.clone()) {
                    let members: &[Member] = match ir.shapes.get(id) {
                        Some(NamedShape::Structure(s)) => &s.members,
                        Some(NamedShape::Union(u)) => &u.variants,
                        _ => &[],
                    };
                    for member in members {
                        visit(ir, &member.target.ty, out);
                    }
                }
            }
            Type::List(list) => visit(ir, &list.member.ty, out),
            Type::Map(map) => {
                visit(ir, &map.key.ty, out);
                visit(ir, &map.value.ty, out);
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for member in members {
        visit(ir, &member.target.ty, &mut out);
    }
    out
}

fn features(ir: &Ir) -> Features {
    let mut features = Features {
        pagination: ir.operations.iter().any(|op| op.pagination.is_some()),
        request_compression: ir.operations.iter().any(|op| op.gzip_request),
        checksum_required: ir.operations.iter().any(|op| op.checksum_required),
        ..Features::default()
    };
    let visit_target = |target: &Target, in_input: bool, features: &mut Features| {
        fn walk(target: &Target, in_input: bool, features: &mut Features) {
            match &target.ty {
                Type::Timestamp(_) => features.timestamps = true,
                Type::Blob { .. } => features.blobs = true,
                Type::Document => features.documents = true,
                Type::List(list) => walk(&list.member, in_input, features),
                Type::Map(map) => {
                    walk(&map.key, in_input, features);
                    walk(&map.value, in_input, features);
                }
                _ => {}
            }
            if target.media_type.is_some() && matches!(target.ty, Type::String) {
                // Strings with a media type travel base64-encoded in headers.
                features.blobs = true;
            }
            if in_input && target.constraints.pattern.is_some() {
                features.input_patterns = true;
            }
        }
        walk(target, in_input, features);
    };
    for op in &ir.operations {
        for member in &op.input.members {
            visit_target(&member.target, true, &mut features);
        }
        for member in &op.output.members {
            visit_target(&member.target, false, &mut features);
        }
    }
    for (id, shape) in &ir.shapes {
        let in_input = ir.input_shapes.contains(id);
        let members: &[Member] = match shape {
            NamedShape::Structure(s) => &s.members,
            NamedShape::Union(u) => &u.variants,
            _ => &[],
        };
        for member in members {
            visit_target(&member.target, in_input, &mut features);
        }
    }
    features
}

trait OrIfEmpty {
    fn or_if_empty(self, fallback: impl FnOnce() -> String) -> String;
}

impl OrIfEmpty for String {
    fn or_if_empty(self, fallback: impl FnOnce() -> String) -> String {
        if self.is_empty() { fallback() } else { self }
    }
}
