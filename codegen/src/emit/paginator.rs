//! `into_paginator()` (and `into_items()`) on the builders of paginated operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecation::{allow_if, structure_touches};
use super::types::rust_type;
use crate::ir::{Ir, NamedShape, Operation, RustIdent, Structure, Type};

/// An expression of type `Option<&str>` reading the token at `path` from `page`.
fn token_at(ir: &Ir, output: &Structure, path: &[RustIdent]) -> TokenStream {
    let mut expr = quote!();
    let mut members = &output.members;
    for (index, field) in path.iter().enumerate() {
        let member = members.iter().find(|m| &m.field == field).expect("IR resolved the path");
        let name = field;
        let last = index + 1 == path.len();
        expr = match (index == 0, member.is_optional(), last) {
            (true, true, true) => quote!(page.#name.as_deref()),
            (true, false, true) => quote!(Some(page.#name.as_str())),
            (true, true, false) => quote!(page.#name.as_ref()),
            (true, false, false) => quote!(Some(&page.#name)),
            (false, true, true) => quote!(#expr.and_then(|value| value.#name.as_deref())),
            (false, false, true) => quote!(#expr.map(|value| value.#name.as_str())),
            (false, true, false) => quote!(#expr.and_then(|value| value.#name.as_ref())),
            (false, false, false) => quote!(#expr.map(|value| &value.#name)),
        };
        if let Type::Structure(id) = &member.target.ty
            && let Some(NamedShape::Structure(next)) = ir.shapes.get(id)
        {
            members = &next.members;
        }
    }
    expr
}

/// The type of the items `into_items()` yields, when the operation names a list of items.
pub(super) fn items_type(ir: &Ir, op: &Operation) -> Option<TokenStream> {
    let (_, Type::List(list)) = op.pagination.as_ref()?.items.as_ref()? else { return None };
    // A `@sparse` list yields its nulls too: the stream gives what each page held.
    let item = rust_type(ir, &list.member.ty);
    Some(if list.sparse { quote!(Option<#item>) } else { item })
}

/// The paging methods of a paginated operation's builder.
pub(super) fn builder_methods(ir: &Ir, op: &Operation) -> TokenStream {
    let Some(pagination) = &op.pagination else { return quote!() };
    let builder = &op.builder_name;
    let output = &op.output.rust_name;
    let error = &op.error_name;
    let input_token = &pagination.input_token;
    let token = token_at(ir, &op.output, &pagination.output_token);
    let items = pagination.items.as_ref().zip(items_type(ir, op)).map(|((path, _), item)| {
        let mut take = quote!(page);
        let mut members = &op.output.members;
        for (index, field) in path.iter().enumerate() {
            let member = members.iter().find(|m| &m.field == field).expect("IR resolved the path");
            let name = field;
            let last = index + 1 == path.len();
            take = match (member.is_optional(), last) {
                (true, true) => quote!(#take.#name.unwrap_or_default()),
                (false, true) => quote!(#take.#name),
                (true, false) => quote!(#take.#name.unwrap_or_default()),
                (false, false) => quote!(#take.#name),
            };
            if let Type::Structure(id) = &member.target.ty
                && let Some(NamedShape::Structure(next)) = ir.shapes.get(id)
            {
                members = &next.members;
            }
        }
        let field_list = path.iter().map(RustIdent::as_str).collect::<Vec<_>>().join(".");
        let doc = format!(" Every item (`{field_list}`) of every page, fetched page by page as the stream is read.");
        quote! {
            #[doc = #doc]
            pub fn into_items(self) -> crate::pagination::Items<#item, #output, #error> {
                self.into_paginator().items(|page| #take)
            }
        }
    });
    // The paging methods name the builder and read the input's and outputs' members.
    let touches = op.deprecated.is_some() || structure_touches(ir, &op.input) || structure_touches(ir, &op.output);
    let allow = allow_if(touches);
    quote! {
        #allow
        impl #builder {
            /// Every page of results: the first request is this one, each next one carries the
            /// previous page's token. Pages are fetched as the stream is read.
            pub fn into_paginator(self) -> crate::pagination::Paginator<#output, #error> {
                let Self { handle, input } = self;
                let first_token = input.#input_token.clone();
                crate::pagination::Paginator::new(
                    first_token,
                    move |token| {
                        let mut input = input.clone();
                        input.#input_token = token;
                        Box::pin(Self::new(handle.clone(), input).send())
                    },
                    |page| #token,
                )
            }
            #items
        }
    }
}
