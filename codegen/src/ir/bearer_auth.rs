//! The credential rule of services that authenticate with an `X-Amz-Bearer` header (a
//! participant or connection token) instead of SigV4.
//!
//! Service-specific rules live in files like this one, apart from the generic resolution: the
//! model does not mark the token `@sensitive`, yet it is a credential, so it is treated as one.

use super::types::{Binding, Target};

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
