//! HTTP bindings of members: which trait binds a member where, and whether the target suits it.

use super::http::Route;
use super::role::Role;
use super::types::*;
use crate::error::{CodegenError, Result};
use crate::smithy::traits::ids;
use crate::smithy::{ShapeId, Traits};

/// The HTTP binding of a member in a structure playing `role`.
pub(super) fn binding(member: &ShapeId, traits: &Traits, role: Role) -> Result<Binding> {
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
            format!(
                "conflicts with {} on the same member (Smithy 2.0, HTTP binding traits: a member has one binding)",
                found[0].0
            ),
        )),
    }
}

pub(super) fn is_simple(ty: &Type) -> bool {
    !matches!(ty, Type::List(_) | Type::Map(_) | Type::Structure(_) | Type::Union(_) | Type::Document)
        && !matches!(ty, Type::Blob { streaming: true })
}

pub(super) fn check_binding_target(member: &ShapeId, binding: &Binding, target: &Target) -> Result<()> {
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
        Binding::Label { .. } => (
            is_simple(&target.ty) && !matches!(target.ty, Type::Blob { .. }),
            ids::HTTP_LABEL,
            "a string, number, boolean, timestamp or enum",
        ),
        Binding::Query(_) => (simple_or_list, ids::HTTP_QUERY, "a simple value or a list of them"),
        Binding::Header(_) => (simple_or_list, ids::HTTP_HEADER, "a simple value or a list of them"),
        Binding::QueryParams => (
            string_map(|v| {
                matches!(v, Type::String | Type::Enum(_))
                    || matches!(v, Type::List(l) if matches!(l.member.ty, Type::String | Type::Enum(_)))
            }),
            ids::HTTP_QUERY_PARAMS,
            "a map of strings (or of lists of strings)",
        ),
        Binding::PrefixHeaders(_) => {
            (string_map(|v| matches!(v, Type::String | Type::Enum(_))), ids::HTTP_PREFIX_HEADERS, "a map of strings")
        }
        Binding::Payload => (
            matches!(
                target.ty,
                Type::Structure(_) | Type::Union(_) | Type::Blob { .. } | Type::String | Type::Enum(_) | Type::Document
            ),
            ids::HTTP_PAYLOAD,
            "a structure, union, blob, string, enum or document",
        ),
        Binding::ResponseCode => (matches!(target.ty, Type::Integer), ids::HTTP_RESPONSE_CODE, "an integer"),
    };
    if ok {
        Ok(())
    } else {
        Err(CodegenError::shape_trait(
            member,
            trait_id,
            format!("the member must target {expected}, not {} (Smithy 2.0: the trait's selector)", target.id),
        ))
    }
}

/// Every URI label must be bound to exactly one member, and every label member to a label.
pub(super) fn check_input_bindings(operation: &ShapeId, route: &Route, input: &Structure) -> Result<()> {
    for (label, greedy) in route.label_members() {
        let member =
            input.members.iter().find(|m| m.name == label && matches!(m.binding, Binding::Label { .. })).ok_or_else(
                || {
                    CodegenError::shape_trait(
                        operation,
                        ids::HTTP,
                        format!("URI label {{{label}}} has no @httpLabel member in the input (Smithy 2.0, http trait: every label of the URI pattern is bound)"),
                    )
                },
            )?;
        if greedy && !matches!(member.target.ty, Type::String) {
            return Err(CodegenError::shape_trait(
                input.id.with_member(label),
                ids::HTTP_LABEL,
                "a greedy label must target a string (Smithy 2.0, httpLabel trait)",
            ));
        }
    }
    for member in &input.members {
        if matches!(member.binding, Binding::Label { .. })
            && !route.label_members().any(|(label, _)| label == member.name)
        {
            return Err(CodegenError::shape_trait(
                input.id.with_member(&member.name),
                ids::HTTP_LABEL,
                format!(
                    "the URI pattern of {operation} has no {{{}}} label (Smithy 2.0, httpLabel trait)",
                    member.name
                ),
            ));
        }
        if member.idempotency_token && matches!(member.binding, Binding::Label { .. }) {
            // The client fills tokens it is not given, but a path label cannot be left empty.
            return Err(CodegenError::unsupported_trait(
                input.id.with_member(&member.name),
                ids::IDEMPOTENCY_TOKEN,
                "an idempotency token as a path label, which this generator does not support",
            ));
        }
    }
    Ok(())
}

/// Smithy forbids a header bound by name that a prefix-header map of the same structure
/// would also write, unless the prefix is empty.
///
/// The spec's prose (Smithy 2.0, httpPrefixHeaders trait) forbids any such overlap, which this
/// check once applied to the empty prefix too. Smithy's reference validator
/// (`HttpPrefixHeadersTraitValidator`) only notes it there, and the official restJson1
/// protocol tests (`HttpEmptyPrefixHeaders`) rely on it: this follows the reference
/// implementation. The serializer lets the member bound by name win on requests; responses
/// read every header into the map and the named one into its member too.
pub(super) fn check_prefix_headers(structure: &ShapeId, members: &[Member]) -> Result<()> {
    for prefixed in members {
        let Binding::PrefixHeaders(prefix) = &prefixed.binding else { continue };
        if prefix.is_empty() {
            continue;
        }
        let prefix = prefix.to_ascii_lowercase();
        for named in members {
            if let Binding::Header(name) = &named.binding
                && name.to_ascii_lowercase().starts_with(&prefix)
            {
                return Err(CodegenError::shape_trait(
                    structure.with_member(&named.name),
                    ids::HTTP_HEADER,
                    format!(
                        "header {name} starts with the prefix {prefix:?} of member {} (Smithy 2.0, httpPrefixHeaders trait)",
                        prefixed.name
                    ),
                ));
            }
        }
    }
    Ok(())
}
