//! Idempotency tokens: the wire type of an operation with `@idempotencyToken` members fills
//! the ones the caller left unset, once per call, before the first attempt.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Operation;

/// `fill_idempotency_tokens`, for operations with `@idempotencyToken` members: sets each unset
/// token from `token()` (the client passes a fresh UUID; protocol tests a fixed one).
pub(super) fn fill_tokens_fn(op: &Operation) -> Option<TokenStream> {
    let fills: Vec<TokenStream> = op
        .input
        .members
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|m| {
            let field = &m.field;
            quote! {
                if input.#field.is_none() {
                    input.#field = Some(token());
                }
            }
        })
        .collect();
    if fills.is_empty() {
        return None;
    }
    let wire = &op.rust_name;
    let input = &op.input.rust_name;
    Some(quote! {
        impl #wire {
            /// Fills the idempotency tokens the caller left unset with `token()`.
            pub(crate) fn fill_idempotency_tokens(input: &mut #input, mut token: impl FnMut() -> String) {
                #(#fills)*
            }
        }
    })
}
