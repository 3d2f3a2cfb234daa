//! How operations authenticate: every auth rule in one place.
//!
//! - SigV4, from the model: the service's `aws.auth#sigv4` (its signing name), the schemes an
//!   operation may use (`smithy.api#auth` on the operation, else on the service, else every
//!   scheme the service defines), `smithy.api#optionalAuth` (sent unsigned when there are no
//!   credentials) and `aws.auth#unsignedPayload`. An operation whose schemes are empty is sent
//!   unsigned, and so is one whose schemes do not include SigV4 (the only one implemented).
//! - The `X-Amz-Bearer` rule of services that authenticate with a participant or connection
//!   token: a member bound to that header is the credential, so the operation is never signed
//!   (whatever the service's traits say), and the token is treated as a secret though the model
//!   does not mark it `@sensitive`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::types::{Binding, OperationAuth, Structure, Target};
use crate::error::{CodegenError, Result};
use crate::smithy::traits::{Traits, ids};
use crate::smithy::{Model, Shape, ShapeId};

/// The auth-scheme traits of Smithy's prelude and of AWS, which a service may carry: the
/// schemes it supports when it does not list them with `smithy.api#auth`.
const AUTH_SCHEMES: &[&str] = &[
    "aws.auth#sigv4",
    "aws.auth#sigv4a",
    "smithy.api#httpApiKeyAuth",
    "smithy.api#httpBasicAuth",
    "smithy.api#httpBearerAuth",
    "smithy.api#httpDigestAuth",
];

/// The schemes `traits` lists with `smithy.api#auth`, when it does.
fn listed_schemes(owner: &ShapeId, traits: &Traits) -> Result<Option<Vec<String>>> {
    traits.parse::<Vec<String>>(owner, ids::AUTH)
}

/// Services that want the payload hash in an `x-amz-content-sha256` header too, by signing name:
/// S3 refuses requests without it, Glacier checks it against its tree hash (the official SDKs
/// send it to both).
const CONTENT_SHA256_SERVICES: &[&str] = &["s3", "glacier"];

/// How the operation `op` (with traits `op_traits` and input `input`) of the service
/// `service` authenticates.
pub(super) fn operation_auth(
    service: &ShapeId,
    service_traits: &Traits,
    op: &ShapeId,
    op_traits: &Traits,
    input: &Structure,
) -> Result<OperationAuth> {
    if input.members.iter().any(|member| is_bearer_header(&member.binding)) {
        return Ok(OperationAuth::Bearer);
    }
    let schemes = match listed_schemes(op, op_traits)? {
        Some(schemes) => schemes,
        None => match listed_schemes(service, service_traits)? {
            Some(schemes) => schemes,
            None => AUTH_SCHEMES.iter().filter(|id| service_traits.has(id)).map(|id| (*id).to_owned()).collect(),
        },
    };
    if !schemes.iter().any(|scheme| scheme == ids::SIGV4) {
        return Ok(OperationAuth::None);
    }
    let signing_name = service_traits.value(ids::SIGV4).and_then(|sigv4| sigv4.get("name")).and_then(Value::as_str);
    let Some(signing_name) = signing_name else {
        return Err(CodegenError::shape_trait(
            op,
            ids::SIGV4,
            "the operation is signed with SigV4, and the service has no `aws.auth#sigv4` trait with a signing \
             `name` (AWS SigV4 auth trait)",
        ));
    };
    Ok(OperationAuth::Sigv4 {
        signing_name: signing_name.to_owned(),
        unsigned_payload: op_traits.has(ids::UNSIGNED_PAYLOAD),
        optional: op_traits.has(ids::OPTIONAL_AUTH),
        content_sha256_header: CONTENT_SHA256_SERVICES.contains(&signing_name),
    })
}

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
