//! Validation: the model's constraints checked on inputs before anything is sent.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::paths::{shape_path, shape_wire_module};
use super::types::with_member_value;
use crate::ir::{Ir, Member, NamedShape, Target, Type};
use crate::smithy::ShapeId;

/// Whether values of `target` have anything to check (constraints here or inside).
pub(super) fn needs_check(ir: &Ir, target: &Target) -> bool {
    needs_check_within(ir, target, &mut BTreeSet::new())
}

fn needs_check_within(ir: &Ir, target: &Target, seen: &mut BTreeSet<ShapeId>) -> bool {
    checks_itself(target)
        || match &target.ty {
            Type::List(list) => needs_check_within(ir, &list.member, seen),
            Type::Map(map) => needs_check_within(ir, &map.key, seen) || needs_check_within(ir, &map.value, seen),
            Type::Structure(id) | Type::Union(id) => shape_needs_check(ir, id, seen),
            _ => false,
        }
}

/// Whether `check_value` checks a constraint of the value itself: `@length` on strings, blobs,
/// lists and maps, `@range` on numbers, `@pattern` on strings. (Enums and intEnums carry
/// their own set of values; a constraint on them adds nothing a client checks.)
fn checks_itself(target: &Target) -> bool {
    let ty = &target.ty;
    let length = matches!(ty, Type::String | Type::Blob { .. } | Type::List(_) | Type::Map(_));
    (length && target.constraints.length.is_some())
        || (ty.is_number() && target.constraints.range.is_some())
        || (*ty == Type::String && target.constraints.pattern.is_some())
}

fn shape_needs_check(ir: &Ir, id: &ShapeId, seen: &mut BTreeSet<ShapeId>) -> bool {
    if !seen.insert(id.clone()) {
        return false;
    }
    ir.members_of(id).iter().any(|m| needs_check_within(ir, &m.target, seen))
}

/// Whether a named shape gets a `validate` function.
pub(super) fn shape_is_checked(ir: &Ir, id: &ShapeId) -> bool {
    ir.input_shapes.contains(id) && shape_needs_check(ir, id, &mut BTreeSet::new())
}

/// `Some(min)` / `None` tokens for a constraint's two bounds, as unsuffixed literals.
fn bounds<T: Copy>(
    bounds: (Option<T>, Option<T>),
    literal: fn(T) -> proc_macro2::Literal,
) -> (TokenStream, TokenStream) {
    let one = |b: Option<T>| match b.map(literal) {
        Some(b) => quote!(Some(#b)),
        None => quote!(None),
    };
    (one(bounds.0), one(bounds.1))
}

/// Statements checking `value` (`&T`) whose member path is `path` (a `&str` expression).
fn check_value(ir: &Ir, target: &Target, value: TokenStream, path: TokenStream) -> TokenStream {
    let mut checks = Vec::new();
    if let Some(length) = target.constraints.length {
        let (min, max) = bounds(length, proc_macro2::Literal::u64_unsuffixed);
        checks.push(match &target.ty {
            Type::String => quote!(violations.string_length(#path, #value, #min, #max);),
            Type::Blob { .. } => quote!(violations.length(#path, #value.as_ref().len(), #min, #max, "bytes");),
            Type::List(_) => quote!(violations.length(#path, #value.len(), #min, #max, "items");),
            Type::Map(_) => quote!(violations.length(#path, #value.len(), #min, #max, "entries");),
            _ => quote!(),
        });
    }
    if let Some(range) = target.constraints.range {
        let (min, max) = bounds(range, proc_macro2::Literal::f64_unsuffixed);
        let as_f64 = match &target.ty {
            Type::Byte | Type::Short | Type::Integer | Type::Float => quote!(f64::from(*#value)),
            Type::Long => quote!(*#value as f64),
            Type::Double => quote!(*#value),
            _ => quote!(),
        };
        if !as_f64.is_empty() {
            checks.push(quote!(violations.range(#path, #as_f64, #min, #max);));
        }
    }
    if let (Some(pattern), Type::String) = (&target.constraints.pattern, &target.ty) {
        // A block of its own: a map may check a key pattern and a value pattern side by side.
        checks.push(quote! {
            {
                static PATTERN: crate::runtime::pattern::LazyPattern = crate::runtime::pattern::LazyPattern::new(#pattern);
                PATTERN.check(violations, #path, #value);
            }
        });
    }
    match &target.ty {
        Type::List(list) if needs_check(ir, &list.member) => {
            let item = check_value(ir, &list.member, quote!(item), quote!(&item_path));
            let item = if list.sparse { quote!(if let Some(item) = item { #item }) } else { item };
            checks.push(quote! {
                for (index, item) in #value.iter().enumerate() {
                    let item_path = format!("{}[{index}]", #path);
                    #item
                }
            });
        }
        Type::Map(map) if needs_check(ir, &map.value) || needs_check(ir, &map.key) => {
            let key = check_value(ir, &map.key, quote!(key), quote!(&entry_path));
            let entry = check_value(ir, &map.value, quote!(item), quote!(&entry_path));
            let entry =
                if map.sparse && !entry.is_empty() { quote!(if let Some(item) = item { #entry }) } else { entry };
            let entries = if entry.is_empty() { quote!(key in #value.keys()) } else { quote!((key, item) in #value) };
            checks.push(quote! {
                for #entries {
                    let entry_path = format!("{}[{key:?}]", #path);
                    #key
                    #entry
                }
            });
        }
        Type::Structure(id) | Type::Union(id) if shape_is_checked(ir, id) => {
            let module = shape_wire_module(ir, id);
            checks.push(quote!(#module::validate(#value, #path, violations);));
        }
        _ => {}
    }
    quote!(#(#checks)*)
}

/// Checks of every member of a structure held in `source`, with paths under `parent` (a `&str`
/// expression, or `None` at the top of an input).
pub(super) fn check_members(
    ir: &Ir,
    members: &[Member],
    source: TokenStream,
    parent: Option<TokenStream>,
) -> TokenStream {
    let checks = members.iter().filter(|m| needs_check(ir, &m.target)).map(|m| {
        let name = &m.name;
        let (bind, path) = match &parent {
            Some(parent) => {
                (quote!(let member_path = crate::runtime::validate::path(#parent, #name);), quote!(&member_path))
            }
            None => (quote!(), quote!(#name)),
        };
        let check = check_value(ir, &m.target, quote!(value), path);
        with_member_value(m, source.clone(), quote!(#bind #check))
    });
    quote!(#(#checks)*)
}

/// `validate` for a structure or union reachable from an input.
pub(super) fn shape_validator(ir: &Ir, id: &ShapeId) -> TokenStream {
    let ty = shape_path(ir, id);
    let body = match ir.shapes.get(id) {
        Some(NamedShape::Structure(s)) => check_members(ir, &s.members, quote!(value), Some(quote!(path))),
        Some(NamedShape::Union(u)) => {
            // (pattern, body) of each variant with something to check.
            let arms: Vec<(TokenStream, TokenStream)> = u
                .variants
                .iter()
                .filter(|v| needs_check(ir, &v.target))
                .map(|v| {
                    let variant = &v.field;
                    let name = &v.name;
                    let check = check_value(ir, &v.target, quote!(value), quote!(&member_path));
                    let body = quote! {
                        {
                            let member_path = crate::runtime::validate::path(path, #name);
                            #check
                        }
                    };
                    (quote!(#ty::#variant(value)), body)
                })
                .collect();
            match arms.as_slice() {
                // One variant to check: `if let` reads better than a match with a catch-all.
                [(pattern, body)] => quote!(if let #pattern = value #body),
                _ => {
                    let arms = arms.iter().map(|(pattern, body)| quote!(#pattern => #body));
                    quote! {
                        match value {
                            #(#arms)*
                            _ => {}
                        }
                    }
                }
            }
        }
        _ => quote!(),
    };
    quote! {
        /// Records every constraint of the model that `value` breaks.
        pub(crate) fn validate(value: &#ty, path: &str, violations: &mut crate::runtime::validate::Violations) {
            #body
        }
    }
}
