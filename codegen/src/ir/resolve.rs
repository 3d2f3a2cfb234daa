//! AST -> IR: walks the service closure, resolves every target and binding, names things.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::analysis::{closure, features, mark_recursive_members};
use super::bindings::check_input_bindings;
use super::docs::html_to_markdown;
use super::http::{HostPrefix, Route};
use super::protocol_tests::{RawCases, raw_cases};
use super::role::Role;
use super::types::*;
use crate::endpoint_rules;
use crate::error::{CodegenError, ErrorKind, Result};
use crate::names::{ModuleName, RustIdent, TypeName};
use crate::smithy::traits::{AwsServiceTrait, DeprecatedTrait, EndpointTrait, HttpTrait, PaginatedTrait, ids};
use crate::smithy::{Model, Shape, ShapeId, Traits};

/// Choices the caller makes about resolution.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The service to generate, when the model holds more than one.
    pub service: Option<String>,
}

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
    let mut resolver = Resolver {
        model,
        renames: &service.rename,
        shapes: BTreeMap::new(),
        in_progress: BTreeSet::new(),
        collections: Vec::new(),
        warnings: Vec::new(),
        added: Vec::new(),
        bearer_token_shapes: super::auth::bearer_token_shapes(model),
        raw_tests: Vec::new(),
    };

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
        let mark = resolver.added.len();
        match resolver.operation(id, &service_errors, service_pagination.as_ref(), (&service_id, &service.traits)) {
            Ok(op) => operations.push(op),
            Err(error) if error.kind == ErrorKind::Unsupported => resolver.leave_out(id, mark, &error),
            Err(error) => return Err(error),
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    check_unique(operations.iter().map(|op| (op.fn_name.as_str(), &op.id)), "operation method")?;
    check_unique(resolver.shapes.values().filter_map(named_type_key), "type")?;

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
    let raw_tests = resolver.raw_tests;
    mark_recursive_members(&mut ir);
    ir.input_shapes = closure(&ir, ir.operations.iter().flat_map(|op| &op.input.members));
    let error_members = ir.operations.iter().flat_map(|op| &op.errors).filter_map(|id| match ir.shapes.get(id) {
        Some(NamedShape::Structure(s)) => Some(&s.members),
        _ => None,
    });
    ir.output_shapes =
        closure(&ir, ir.operations.iter().flat_map(|op| &op.output.members).chain(error_members.flatten()));
    ir.features = features(&ir);
    super::protocol_tests::resolve(&mut ir, raw_tests);
    Ok(ir)
}

fn find_service(model: &Model, options: &Options) -> Result<ShapeId> {
    let services: Vec<&ShapeId> =
        model.shapes.iter().filter(|(_, shape)| matches!(shape, Shape::Service(_))).map(|(id, _)| id).collect();
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
        NamedShape::Structure(s) => Some((s.rust_name.as_str(), &s.id)),
        NamedShape::Union(u) => Some((u.rust_name.as_str(), &u.id)),
        NamedShape::Enum(e) => Some((e.rust_name.as_str(), &e.id)),
        NamedShape::IntEnum(e) => Some((e.rust_name.as_str(), &e.id)),
    }
}

pub(super) fn check_unique<'a>(names: impl Iterator<Item = (&'a str, &'a ShapeId)>, what: &str) -> Result<()> {
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

pub(super) fn docs(traits: &Traits) -> String {
    traits.documentation().map(html_to_markdown).unwrap_or_default()
}

pub(super) fn deprecated(owner: &ShapeId, traits: &Traits) -> Result<Option<String>> {
    Ok(traits.parse::<DeprecatedTrait>(owner, ids::DEPRECATED)?.map(|d| match (d.message, d.since) {
        (Some(message), Some(since)) => format!("{message} (since {since})"),
        (Some(message), None) => message,
        (None, Some(since)) => format!("deprecated since {since}"),
        (None, None) => "deprecated".to_owned(),
    }))
}

pub(super) struct Resolver<'m> {
    pub(super) model: &'m Model,
    /// The service's `rename` map: shape names that would otherwise clash.
    pub(super) renames: &'m BTreeMap<ShapeId, String>,
    pub(super) shapes: BTreeMap<ShapeId, NamedShape>,
    pub(super) in_progress: BTreeSet<ShapeId>,
    /// The lists and maps being resolved since the last structure or union on the way: one
    /// met again contains itself, which Smithy forbids.
    pub(super) collections: Vec<ShapeId>,
    pub(super) warnings: Vec<String>,
    /// Every named shape in `shapes`, in the order it was finished: what an operation left out
    /// had added is taken back.
    pub(super) added: Vec<ShapeId>,
    /// Shapes that hold bearer tokens, sensitive wherever they appear.
    pub(super) bearer_token_shapes: BTreeSet<ShapeId>,
    /// Protocol test cases by owner (request cases, response cases), typed at the end.
    pub(super) raw_tests: Vec<(ShapeId, RawCases, RawCases)>,
}

impl<'m> Resolver<'m> {
    /// The name a shape goes by in this service (its own, or the service's `rename`).
    pub(super) fn name_of<'a>(&'a self, id: &'a ShapeId) -> &'a str {
        self.renames.get(id).map_or(id.name(), String::as_str)
    }

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
            return Err(CodegenError::shape(
                id,
                "is bound as a resource but is not a resource shape (Smithy 2.0, service and resource bindings)",
            ));
        };
        let lifecycle =
            [&resource.create, &resource.put, &resource.read, &resource.update, &resource.delete, &resource.list];
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
        (service_id, service_traits): (&ShapeId, &Traits),
    ) -> Result<Operation> {
        let Shape::Operation(op) = self.model.expect_shape(id, id)? else {
            return Err(CodegenError::shape(
                id,
                "is bound as an operation but is not an operation shape (Smithy 2.0, service and resource bindings)",
            ));
        };
        let http: HttpTrait = op.traits.parse(id, ids::HTTP)?.ok_or_else(|| {
            CodegenError::shape_trait(
                id,
                ids::HTTP,
                "the operation has no @http trait, which restJson1 requires (aws.protocols#restJson1)",
            )
        })?;
        let route = Route::parse(id, &http.method, &http.uri, http.code)?;
        let unit = ShapeId::parse("smithy.api#Unit").expect("valid");
        let input_id = op.input.as_ref().map_or(unit.clone(), |r| r.target.clone());
        let output_id = op.output.as_ref().map_or(unit, |r| r.target.clone());

        if let Some(stream) = self.event_stream_member(&input_id)?.or(self.event_stream_member(&output_id)?) {
            return Err(CodegenError::unsupported_trait(
                stream,
                ids::STREAMING,
                "an event stream, which this generator does not support",
            ));
        }

        let name = id.name().to_owned();
        let mut fn_name = RustIdent::snake(&name);
        // `Client`'s own methods keep their names.
        if ["new", "config", "from_env", "clone", "fmt"].contains(&fn_name.as_str()) {
            fn_name = fn_name.with_suffix("_operation");
        }
        let module = ModuleName::of(fn_name.as_str());
        let base = TypeName::of_shape(&name);
        let mut input = self.structure(&input_id, Role::Input, base.with_suffix("Input"), module.clone())?;
        let output = self.structure(&output_id, Role::Output, base.with_suffix("Output"), module.clone())?;
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
                        .find(|m| m.name == label && m.host_label && !m.is_optional() && m.target.ty == Type::String)
                        .map(|m| m.field.clone())
                })
            })
            .transpose()?;
        let static_context_params = match op.traits.value(ids::STATIC_CONTEXT_PARAMS) {
            Some(Value::Object(params)) => params
                .iter()
                .map(|(name, v)| {
                    let value = v.get("value").cloned().ok_or_else(|| {
                        CodegenError::shape_trait(
                            id,
                            ids::STATIC_CONTEXT_PARAMS,
                            format!("parameter {name} has no value (Smithy rules engine, staticContextParams trait)"),
                        )
                    })?;
                    Ok((name.clone(), value))
                })
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(CodegenError::shape_trait(
                    id,
                    ids::STATIC_CONTEXT_PARAMS,
                    format!("expected an object, found {other} (Smithy rules engine, staticContextParams trait)"),
                ));
            }
            None => Vec::new(),
        };
        self.raw_tests.push((
            id.clone(),
            raw_cases(id, &op.traits, ids::HTTP_REQUEST_TESTS)?,
            raw_cases(id, &op.traits, ids::HTTP_RESPONSE_TESTS)?,
        ));
        let auth = super::auth::operation_auth(service_id, service_traits, id, &op.traits, &input)?;
        let mut context_params = Vec::new();
        if let Some(Shape::Structure(input_shape)) = self.model.shape(&input_id) {
            for (member_name, member) in input_shape.members.iter() {
                if let Some(param) = member.traits.value(ids::CONTEXT_PARAM) {
                    let param_name = param.get("name").and_then(Value::as_str).ok_or_else(|| {
                        CodegenError::shape_trait(
                            input_id.with_member(member_name),
                            ids::CONTEXT_PARAM,
                            "missing `name` (Smithy rules engine, contextParam trait)",
                        )
                    })?;
                    context_params.push((param_name.to_owned(), RustIdent::snake(member_name)));
                }
            }
        }
        Ok(Operation {
            id: id.clone(),
            name,
            error_name: base.with_suffix("Error"),
            builder_name: base.with_suffix("Builder"),
            rust_name: base,
            fn_name,
            module,
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
            request_compression: request_compression(id, &op.traits)?,
            checksum_required: op.traits.has(ids::HTTP_CHECKSUM_REQUIRED),
            auth,
            // Typed once every shape is resolved (`protocol_tests::resolve`).
            request_tests: Vec::new(),
            response_tests: Vec::new(),
        })
    }

    /// Leaves out the operation `id`, which needs `error` (an unsupported construct), with a
    /// warning naming it. The named shapes finished since `mark` are taken back: they may refer
    /// to a shape of the operation that was never finished (a recursive one), and no operation
    /// of the crate uses them.
    fn leave_out(&mut self, id: &ShapeId, mark: usize, error: &CodegenError) {
        for shape in self.added.drain(mark..) {
            self.shapes.remove(&shape);
        }
        self.in_progress.clear();
        self.collections.clear();
        self.warnings.push(format!("operation {id} left out: {error}"));
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
        let input_token = inherit(&local.input_token, |p| &p.input_token)
            .ok_or_else(|| bad("no inputToken (Smithy 2.0, paginated trait)".into()))?;
        let output_token = inherit(&local.output_token, |p| &p.output_token)
            .ok_or_else(|| bad("no outputToken (Smithy 2.0, paginated trait)".into()))?;
        let input_field = |name: &str, expected: fn(&Type) -> bool, what: &str| {
            let member = input
                .members
                .iter()
                .find(|m| m.name == name)
                .ok_or_else(|| bad(format!("input has no member {name}")))?;
            if !expected(&member.target.ty) {
                return Err(bad(format!("input member {name} must be {what}")));
            }
            Ok(member.field.clone())
        };
        let is_string = |ty: &Type| *ty == Type::String;
        let output_path = |path: &str| -> Result<(Vec<RustIdent>, Type)> {
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
                let lists: Vec<&Member> =
                    output.members.iter().filter(|m| matches!(m.target.ty, Type::List(_))).collect();
                match lists.as_slice() {
                    [only] => Some((vec![only.field.clone()], only.target.ty.clone())),
                    _ => None,
                }
            }
        };
        let (output_token, output_token_type) = output_path(&output_token)?;
        if output_token_type != Type::String {
            return Err(bad(format!("the output token {output_token:?} must be a string")));
        }
        Ok(Some(Pagination {
            input_token: input_field(&input_token, is_string, "a string")?,
            output_token,
            page_size: inherit(&local.page_size, |p| &p.page_size)
                .map(|p| input_field(&p, Type::is_number, "a number"))
                .transpose()?,
            items,
        }))
    }

    fn error_shape(&mut self, id: &ShapeId) -> Result<()> {
        if self.shapes.contains_key(id) {
            return Ok(());
        }
        let shape = self.model.expect_shape(id, id)?;
        if !matches!(shape, Shape::Structure(_)) || !shape.traits().has(ids::ERROR) {
            return Err(CodegenError::shape_trait(
                id,
                ids::ERROR,
                "an operation error must be a structure with @error (Smithy 2.0, operation shapes)",
            ));
        }
        self.named_structure(id)
    }
}

/// Whether `@requestCompression` lists gzip, the one encoding this generator implements (other
/// encodings are left out: the body is then sent as it is, which the trait allows).
pub(super) fn request_compression(owner: &ShapeId, traits: &Traits) -> Result<bool> {
    let Some(value) = traits.value(ids::REQUEST_COMPRESSION) else { return Ok(false) };
    let encodings = value.get("encodings").and_then(Value::as_array).ok_or_else(|| {
        CodegenError::shape_trait(
            owner,
            ids::REQUEST_COMPRESSION,
            "expected `encodings`, a list of strings (Smithy 2.0, requestCompression trait)",
        )
    })?;
    Ok(encodings.iter().any(|e| e.as_str().is_some_and(|e| e.eq_ignore_ascii_case("gzip"))))
}
