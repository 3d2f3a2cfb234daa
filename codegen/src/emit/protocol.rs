//! `src/protocol/<op>.rs`: how one operation travels over HTTP, as its implementation of the
//! runtime's `Operation` trait (validation, endpoint, request, response, errors, retries).

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecation::{allow_if, operation_wire_touches, structure_touches};
use super::{deserialize, endpoint_params, error_dispatch, idempotency, serialize, validate};
use crate::ir::{Ir, Operation, OperationAuth};

/// The wire module of `op`.
pub(super) fn operation_wire(ir: &Ir, op: &Operation) -> TokenStream {
    let wire = &op.rust_name;
    let module = op.module_path();
    let input = &op.input.rust_name;
    let output = &op.output.rust_name;
    let error = &op.error_name;
    let name = &op.name;
    let validate_body = validate::check_members(ir, &op.input.members, quote!(input), None);
    let (input_param, violations_param) = if validate_body.is_empty() {
        (quote!(_input), quote!(_violations))
    } else {
        (quote!(input), quote!(violations))
    };
    let serialize = serialize::request_serializer(ir, op);
    let output_reader = deserialize::response_structure(ir, &op.output, quote!(fn read_output), quote!(#output));
    let endpoint = endpoint_params::endpoint_fn(ir, op);
    let deserialize_error = error_dispatch::deserialize_error_fn(ir, op);
    let retry_kind = error_dispatch::retry_kind_fn(ir, op);
    let fill_tokens = idempotency::fill_tokens_fn(op);
    let allow_input = allow_if(structure_touches(ir, &op.input));
    let fill_tokens = fill_tokens.map(|fill| quote!(#allow_input #fill));
    let allow_output = allow_if(structure_touches(ir, &op.output));
    let allow_use = allow_if(op.input.deprecated.is_some() || op.output.deprecated.is_some());
    let allow_operation = allow_if(operation_wire_touches(ir, op));
    let auth = auth_const(op);
    let doc = format!(" How `{name}` travels over HTTP.");
    quote! {
        #![doc = #doc]
        #allow_use
        use #module::{#input, #output, #error};

        #[doc = #doc]
        pub(crate) struct #wire;

        #fill_tokens

        #allow_operation
        impl crate::runtime::Operation for #wire {
            type Input = #input;
            type Output = #output;
            type Error = #error;

            const NAME: &'static str = #name;
            #auth

            fn validate(#input_param: &Self::Input, #violations_param: &mut crate::runtime::validate::Violations) {
                #validate_body
            }

            #endpoint

            #serialize

            fn deserialize(
                response: &crate::transport::HttpResponse,
            ) -> Result<Self::Output, crate::runtime::response::DeserializeError> {
                read_output(response)
            }

            #deserialize_error

            #retry_kind
        }

        #allow_output
        #output_reader
    }
}

/// `const AUTH` of an operation that signs; nothing for the others (the trait's default sends
/// requests as built).
fn auth_const(op: &Operation) -> Option<TokenStream> {
    let OperationAuth::Sigv4 { signing_name, unsigned_payload, optional, content_sha256_header } = &op.auth else {
        return None;
    };
    Some(quote! {
        const AUTH: crate::runtime::authorize::AuthScheme = crate::runtime::authorize::AuthScheme::Sigv4 {
            signing_name: #signing_name,
            unsigned_payload: #unsigned_payload,
            optional: #optional,
            content_sha256_header: #content_sha256_header,
        };
    })
}
