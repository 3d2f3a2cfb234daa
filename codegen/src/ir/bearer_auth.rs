//! The credential rule of services that authenticate with an `X-Amz-Bearer` header (a
//! participant or connection token) instead of SigV4.
//!
//! Service-specific rules live in files like this one, apart from the generic resolution: the
//! model does not mark the token `@sensitive`, yet it is a credential, so it is treated as one.

use std::collections::BTreeSet;

use serde_json::Value;

use super::types::{Binding, Target};
use crate::smithy::traits::ids;
use crate::smithy::{Model, Shape, ShapeId};

/// The header through which these services take their bearer token.
pub(crate) const BEARER_HEADER: &str = "X-Amz-Bearer";

/// Whether a member bound this way carries the bearer token.
pub(crate) fn is_bearer_header(binding: &Binding) -> bool {
    matches!(binding, Binding::Header(header) if header.eq_ignore_ascii_case(BEARER_HEADER))
}

/// Marks the target of a bearer-token member sensitive, so it never prints.
pub(super) fn mark_credential(binding: &Binding, target: &mut Target) {
    if is_bearer_header(binding) {
        target.sensitive = true;
    }
}

/// The shapes that hold bearer tokens: the targets of members bound to the `X-Amz-Bearer`
/// header. Wherever else such a shape appears (a token handed back in an output, say) it holds
/// the same kind of credential, so every member targeting it is sensitive. Prelude shapes
/// (`smithy.api#String`) are left out: they say nothing about what a value is.
pub(super) fn bearer_token_shapes(model: &Model) -> BTreeSet<ShapeId> {
    model
        .shapes
        .values()
        .filter_map(Shape::members)
        .flat_map(|members| members.iter().map(|(_, member)| member))
        .filter(|member| {
            member
                .traits
                .value(ids::HTTP_HEADER)
                .and_then(Value::as_str)
                .is_some_and(|h| h.eq_ignore_ascii_case(BEARER_HEADER))
        })
        .map(|member| member.target.clone())
        .filter(|target| target.namespace() != "smithy.api")
        .collect()
}
