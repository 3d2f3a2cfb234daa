//! An operation's `endpoint()`: the endpoint rule parameters from the configuration, plus the
//! operation's own (`@staticContextParams`, `@contextParam`), then the rules.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::with_member_value;
use crate::endpoint_rules;
use crate::ir::{Ir, Operation, Type};

/// The `endpoint` method of the operation's `runtime::Operation` implementation, and
/// `ENDPOINT_FROM_CONFIG`: whether it depends on the configuration alone (then the client
/// resolves it once).
pub(super) fn endpoint_fn(ir: &Ir, op: &Operation) -> TokenStream {
    // Parameters with a default are plain fields of `Params`; the others are `Option`s.
    let has_default = |param: &str| {
        ir.service.endpoint_rules.as_ref().and_then(|rules| rules.parameter(param)).is_some_and(|p| p.default.is_some())
    };
    let assign = |param: &str, value: TokenStream| {
        let field = endpoint_rules::param_field(param);
        if has_default(param) { quote!(params.#field = #value;) } else { quote!(params.#field = Some(#value);) }
    };
    let statics: Vec<TokenStream> = op
        .static_context_params
        .iter()
        .map(|(param, value)| match value {
            serde_json::Value::Bool(b) => assign(param, quote!(#b)),
            serde_json::Value::String(s) => assign(param, quote!(#s.to_owned())),
            _ => quote!(),
        })
        .collect();
    let contexts: Vec<TokenStream> = op
        .context_params
        .iter()
        .filter_map(|(param, field)| {
            let member = op.input.members.iter().find(|m| &m.field == field)?;
            let value = match &member.target.ty {
                Type::Boolean => quote!(*value),
                Type::String => quote!(value.clone()),
                _ => quote!(value.to_string()),
            };
            Some(with_member_value(member, quote!(input), assign(param, value)))
        })
        .collect();
    let input = if contexts.is_empty() { quote!(_input) } else { quote!(input) };
    let mutable = if statics.is_empty() && contexts.is_empty() { quote!() } else { quote!(mut) };
    let from_config = statics.is_empty() && contexts.is_empty();
    quote! {
        const ENDPOINT_FROM_CONFIG: bool = #from_config;

        fn endpoint(
            config: &crate::config::Config,
            #input: &Self::Input,
        ) -> Result<crate::endpoint::Endpoint, crate::endpoint::EndpointError> {
            let #mutable params = crate::endpoint::Params::from_config(config);
            #(#statics)*
            #(#contexts)*
            crate::endpoint::resolve_endpoint(&params)
        }
    }
}
