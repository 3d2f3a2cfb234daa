//! The public module of one operation: input, output, error enum and the call builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecation::{allow_if, shape_touches, structure_touches};
use super::docs::{deprecated, doc, summary};
use super::paginator;
use super::paths::shape_path;
use super::shapes::{self, message_member, setters, struct_definition};
use crate::ir::{Ir, NamedShape, Operation, StructureKind};

/// `operation/<op>.rs`.
pub(super) fn module(ir: &Ir, op: &Operation) -> TokenStream {
    let client_method = format!("[`Client::{0}`](crate::Client::{0})", op.fn_name.as_str());
    let input = struct_definition(ir, &op.input, format!("The input of {client_method}."));
    let output = shapes::structure(ir, &op.output, format!("The output of {client_method}."));
    let error = error_enum(ir, op);
    let builder = builder(ir, op);
    let pagination = paginator::builder_methods(ir, op);
    let module_doc = format!(" The `{}` operation: {}", op.name, summary(&op.docs));
    quote! {
        #![doc = #module_doc]
        #input
        #output
        #error
        #builder
        #pagination
    }
}

fn error_enum(ir: &Ir, op: &Operation) -> TokenStream {
    let name = &op.error_name;
    let enum_doc = format!(" The errors `{}` can return.", op.name);
    let errors: Vec<_> = op
        .errors
        .iter()
        .map(|id| {
            let Some(NamedShape::Structure(s)) = ir.shapes.get(id) else {
                panic!("IR invariant: error {id} is a structure")
            };
            (s, &s.rust_name, shape_path(ir, id))
        })
        .collect();
    let variants = errors.iter().map(|(s, variant, path)| {
        let docs = doc(&summary(&s.docs), || format!("The `{}` error.", s.id.name()));
        quote!(#docs #variant(#path),)
    });
    let codes = errors.iter().map(|(s, variant, _)| {
        let code = s.id.name();
        quote!(Self::#variant(_) => Some(#code),)
    });
    let messages = errors.iter().map(|(s, variant, _)| match message_member(s) {
        Some(m) if m.is_optional() => {
            let field = m.field.to_ident();
            quote!(Self::#variant(error) => error.#field.as_deref(),)
        }
        Some(m) => {
            let field = m.field.to_ident();
            quote!(Self::#variant(error) => Some(error.#field.as_str()).filter(|message| !message.is_empty()),)
        }
        None => quote!(Self::#variant(_) => None,),
    });
    let predicates = errors.iter().map(|(s, variant, _)| {
        let StructureKind::Error(info) = &s.kind else { panic!("IR invariant: error {} is an error structure", s.id) };
        let method = &info.predicate;
        let doc = format!(" Whether the error is `{}`.", s.id.name());
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    let displays = errors.iter().map(|(_, variant, _)| quote!(Self::#variant(error) => error.fmt(f),));
    // The variants hold the error structures, and `message` reads their message fields.
    let allow = allow_if(op.errors.iter().any(|id| shape_touches(ir, id)));
    let sources = errors.iter().map(|(_, variant, _)| quote!(Self::#variant(error) => Some(error),));
    quote! {
        #[doc = #enum_doc]
        #allow
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not list for this operation; status, code and body are kept.
            Unhandled(crate::error::UnhandledError),
        }
        #allow
        impl #name {
            /// The error code: the error's shape name, or the code the service sent.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#codes)*
                    Self::Unhandled(error) => error.code.as_deref(),
                }
            }
            /// The error message, when the service sent one.
            pub fn message(&self) -> Option<&str> {
                match self {
                    #(#messages)*
                    Self::Unhandled(error) => error.message.as_deref(),
                }
            }
            #(#predicates)*
        }
        #allow
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#displays)*
                    Self::Unhandled(error) => error.fmt(f),
                }
            }
        }
        #allow
        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(#sources)*
                    Self::Unhandled(error) => Some(error),
                }
            }
        }
    }
}

fn builder(ir: &Ir, op: &Operation) -> TokenStream {
    let name = &op.builder_name;
    let input = &op.input.rust_name;
    let output = &op.output.rust_name;
    let error = &op.error_name;
    let wire = op.wire_path();
    let optional: Vec<_> = op.input.optional_members().collect();
    let setters = setters(ir, &optional, quote!(self.input));
    let has_tokens = op.has_idempotency_tokens();
    let fill_tokens = has_tokens.then(|| {
        quote! {
            // One token per call, made before the first attempt: every retry repeats it.
            #wire::fill_idempotency_tokens(&mut input, crate::runtime::idempotency::token);
        }
    });
    let mutable = if has_tokens { quote!(mut) } else { quote!() };
    let doc = format!(
        "A pending `{}` call: set optional members, then `.send().await`.\n\nMade by {}.",
        op.name,
        format_args!("[`Client::{0}`](crate::Client::{0})", op.fn_name.as_str())
    );
    let docs = super::docs::lines(&doc);
    let send_doc = super::docs::lines(&format!(
        "Sends the request, retrying as the client's retry settings allow.\n\nThe call fails with [`crate::Error::Validation`] before anything is sent when the input breaks the model's constraints, and with [`crate::Error::Service`] holding a [`{error}`] when the service answers with an error."
    ));
    let deprecated_attr = deprecated(&op.deprecated);
    // The setters write deprecated input members; every method names a deprecated builder.
    let allow = allow_if(op.deprecated.is_some() || structure_touches(ir, &op.input));
    // The builder holds the input.
    let allow_definition = allow_if(op.input.deprecated.is_some());
    quote! {
        #docs
        #deprecated_attr
        #allow_definition
        #[derive(Debug, Clone)]
        #[must_use = "nothing is sent until `.send().await`"]
        pub struct #name {
            handle: std::sync::Arc<crate::runtime::Handle>,
            input: #input,
        }
        #allow
        impl #name {
            pub(crate) fn new(handle: std::sync::Arc<crate::runtime::Handle>, input: #input) -> Self {
                Self { handle, input }
            }
            #setters
            /// The input as set so far.
            pub fn as_input(&self) -> &#input {
                &self.input
            }
            #send_doc
            pub async fn send(self) -> Result<#output, crate::Error<#error>> {
                let #mutable input = self.input;
                #fill_tokens
                crate::runtime::orchestrator::invoke::<#wire>(&self.handle, input).await
            }
        }
    }
}
