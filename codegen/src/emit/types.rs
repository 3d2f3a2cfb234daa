//! Rust types for IR types: field types, setter parameter types and their conversions.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::{Ir, Member, Type};

/// The Rust type holding a value of `ty`: the one the API surface describes.
pub(super) fn rust_type(ir: &Ir, ty: &Type) -> TokenStream {
    crate::api_surface::rust_type(ir, ty).to_token_stream()
}

/// The type of a member's field: boxed when recursive, `Option` when optional.
pub(super) fn field_type(ir: &Ir, member: &Member) -> TokenStream {
    crate::api_surface::field_type(ir, member).to_token_stream()
}

/// The member's value type without `Option` (boxed when recursive).
pub(super) fn value_type(ir: &Ir, member: &Member) -> TokenStream {
    crate::api_surface::value_type(ir, member).to_token_stream()
}

/// Whether a parameter of this type is taken as the type itself (numbers and booleans), not
/// as `impl Into<T>`.
pub(super) fn is_plain_param(ty: &Type) -> bool {
    ty.is_number() || *ty == Type::Boolean
}

/// The parameter type a setter or positional argument takes for a value of `ty`.
pub(super) fn param_type(ir: &Ir, ty: &Type) -> TokenStream {
    match ty {
        ty if is_plain_param(ty) => rust_type(ir, ty),
        Type::List(list) if !list.sparse => {
            let item = param_type(ir, &list.member.ty);
            quote!(impl IntoIterator<Item = #item>)
        }
        Type::Map(map) if !map.sparse => {
            let value = param_type(ir, &map.value.ty);
            quote!(impl IntoIterator<Item = (impl Into<String>, #value)>)
        }
        Type::List(_) | Type::Map(_) => {
            let ty = rust_type(ir, ty);
            quote!(impl Into<#ty>)
        }
        _ => {
            let ty = rust_type(ir, ty);
            quote!(impl Into<#ty>)
        }
    }
}

/// Converts a parameter of [`param_type`] into the value type.
pub(super) fn convert_param(ty: &Type, value: TokenStream) -> TokenStream {
    match ty {
        ty if is_plain_param(ty) => value,
        Type::List(list) if !list.sparse => {
            let item = match &list.member.ty {
                Type::List(_) | Type::Map(_) => {
                    let item = convert_param(&list.member.ty, quote!(item));
                    quote!(|item| #item)
                }
                ty if is_plain_param(ty) => return quote!(#value.into_iter().collect()),
                _ => quote!(Into::into),
            };
            quote!(#value.into_iter().map(#item).collect())
        }
        Type::Map(map) if !map.sparse => {
            let item = convert_param(&map.value.ty, quote!(value));
            quote!(#value.into_iter().map(|(key, value)| (key.into(), #item)).collect())
        }
        _ => quote!(#value.into()),
    }
}

/// `body` with `value` bound to a reference to the member's field in `source`: only when set,
/// for optional members (`if let Some(value) = &source.field { body }`).
pub(super) fn with_member_value(member: &Member, source: TokenStream, body: TokenStream) -> TokenStream {
    let field = member.field.to_ident();
    if member.is_optional() {
        quote! {
            if let Some(value) = &#source.#field {
                #body
            }
        }
    } else {
        quote! {
            {
                let value = &#source.#field;
                #body
            }
        }
    }
}

/// Converts a parameter into a member's field value (boxing recursive members).
pub(super) fn convert_member_param(member: &Member, value: TokenStream) -> TokenStream {
    let converted = convert_param(&member.target.ty, value);
    if member.boxed { quote!(Box::new(#converted)) } else { converted }
}
