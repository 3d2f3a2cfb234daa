//! Errors of an operation on the wire: which modeled error a response is (by its code), and
//! which errors are worth retrying (`@retryable`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Ir, ItemPath, NamedShape, Operation, Structure, StructureKind};

/// The operation's error structures, in the order the IR lists them.
fn errors<'a>(ir: &'a Ir, op: &'a Operation) -> impl Iterator<Item = &'a Structure> {
    op.errors.iter().filter_map(|id| match ir.shapes.get(id) {
        Some(NamedShape::Structure(s)) => Some(s),
        _ => None,
    })
}

/// The `deserialize_error` method: the response's error code picks the modeled error; any
/// other code is kept as `Unhandled`.
pub(super) fn deserialize_error_fn(ir: &Ir, op: &Operation) -> TokenStream {
    let error = &op.error_name;
    let arms: Vec<TokenStream> = errors(ir, op)
        .map(|s| {
            let code = s.id.name();
            let variant = &s.rust_name;
            let module = ItemPath::wire_error(&s.module);
            quote!(Some(#code) => #error::#variant(#module::deserialize(response)?),)
        })
        .collect();
    let unhandled = quote!(#error::Unhandled(crate::runtime::orchestrator::unhandled(response, code)));
    let body = if arms.is_empty() {
        quote!(Ok(#unhandled))
    } else {
        quote! {
            Ok(match code {
                #(#arms)*
                _ => #unhandled,
            })
        }
    };
    quote! {
        fn deserialize_error(
            response: &crate::transport::HttpResponse,
            code: Option<&str>,
        ) -> Result<Self::Error, crate::runtime::response::DeserializeError> {
            #body
        }
    }
}

/// The `retry_kind` method: `@retryable` errors are retried (as throttling when they say so);
/// the runtime decides about the others from the status.
pub(super) fn retry_kind_fn(ir: &Ir, op: &Operation) -> TokenStream {
    let error = &op.error_name;
    let arms: Vec<TokenStream> = errors(ir, op)
        .filter_map(|s| {
            let StructureKind::Error(info) = &s.kind else { return None };
            let throttling = info.retryable?;
            let variant = &s.rust_name;
            let kind = if throttling {
                quote!(crate::runtime::RetryKind::Throttling)
            } else {
                quote!(crate::runtime::RetryKind::Transient)
            };
            Some(quote!(#error::#variant(_) => Some(#kind),))
        })
        .collect();
    if arms.is_empty() {
        return quote! {
            fn retry_kind(_error: &Self::Error) -> Option<crate::runtime::RetryKind> {
                None
            }
        };
    }
    quote! {
        fn retry_kind(error: &Self::Error) -> Option<crate::runtime::RetryKind> {
            match error {
                #(#arms)*
                _ => None,
            }
        }
    }
}
