//! Rust expressions for the typed values of the IR (`ir::literal`): `@default` values, and the
//! params of protocol test cases.

use proc_macro2::TokenStream;
use quote::quote;

use super::paths::shape_path;
use crate::ir::literal::{self, Document, Field, Literal, Seconds, StructureLiteral};
use crate::ir::{Ir, Member, Type};

pub(super) use crate::ir::literal::has_zero_value;

/// The expression a member starts with when it holds its `@default` (the IR checked that the
/// value fits the target).
pub(super) fn member_default(ir: &Ir, member: &Member) -> TokenStream {
    default_of(ir, literal::member_default(ir, member).as_ref(), member.boxed)
}

/// A field's default: the value, else the type's `Default`, boxed when the field is.
fn default_of(ir: &Ir, value: Option<&Literal>, boxed: bool) -> TokenStream {
    let value = match value {
        Some(value) => expression(ir, value),
        None => quote!(Default::default()),
    };
    if boxed { quote!(Box::new(#value)) } else { value }
}

/// `option` (an `Option` of the member's field type) falling back to the member's `@default`,
/// written the way clippy asks: `unwrap_or_default()` when the default is the type's own
/// `Default` value, `unwrap_or(..)` for a constant, and `unwrap_or_else(|| ..)` for a value
/// that has to be built.
pub(super) fn or_member_default(ir: &Ir, member: &Member, option: TokenStream) -> TokenStream {
    let default = literal::member_default(ir, member);
    if !member.boxed && default.as_ref().is_none_or(|value| is_type_default(&member.target.ty, value)) {
        return quote!(#option.unwrap_or_default());
    }
    let value = default_of(ir, default.as_ref(), member.boxed);
    if !member.boxed && is_constant(&member.target.ty) {
        quote!(#option.unwrap_or(#value))
    } else {
        quote!(#option.unwrap_or_else(|| #value))
    }
}

/// Whether `value` is the Rust type's own `Default` value (zero, `false`, empty).
fn is_type_default(ty: &Type, value: &Literal) -> bool {
    match (ty, value) {
        (Type::Boolean, Literal::Bool(b)) => !b,
        (Type::Byte | Type::Short | Type::Integer | Type::Long, Literal::Integer(n)) => *n == 0,
        (Type::Float | Type::Double, Literal::Float { value, .. }) => *value == 0.0 && value.is_sign_positive(),
        (Type::String, Literal::Text(text)) => text.is_empty(),
        (Type::Blob { .. }, Literal::Blob(bytes)) => bytes.is_empty(),
        // Smithy 2.0, *default trait*: a list or map default is always empty.
        (Type::List(_) | Type::Map(_), _) => true,
        (Type::Document, Literal::Document(Document::Null)) => true,
        _ => false,
    }
}

/// Whether the default of a value of `ty` is a constant (a literal or an associated const),
/// which clippy wants passed as is rather than through a closure.
fn is_constant(ty: &Type) -> bool {
    ty.is_number() || *ty == Type::Boolean
}

/// A struct literal of type `ty`.
pub(super) fn structure(ir: &Ir, s: &StructureLiteral, ty: TokenStream) -> TokenStream {
    let fields = s.fields.iter().map(|(field, value)| {
        let value = match value {
            Field::Set { value, boxed, optional } => {
                let value = expression(ir, value);
                let value = if *boxed { quote!(Box::new(#value)) } else { value };
                if *optional { quote!(Some(#value)) } else { value }
            }
            Field::Unset => quote!(None),
            Field::Default { value, boxed } => default_of(ir, value.as_ref(), *boxed),
        };
        quote!(#field: #value)
    });
    let request_id = s.request_id.then(|| quote!(_request_id: None));
    quote!(#ty { #(#fields,)* #request_id })
}

/// A Rust expression of `value`.
fn expression(ir: &Ir, value: &Literal) -> TokenStream {
    match value {
        Literal::Text(text) => quote!(String::from(#text)),
        Literal::Bool(b) => quote!(#b),
        Literal::Integer(n) => {
            // Unsuffixed: the field's type gives it its type.
            let literal = proc_macro2::Literal::i64_unsuffixed(*n);
            quote!(#literal)
        }
        Literal::Float { value, single } => float(*value, *single),
        Literal::Timestamp(Seconds::Whole(seconds)) => quote!(crate::primitives::DateTime::from_secs(#seconds)),
        Literal::Timestamp(Seconds::Fraction(seconds)) => {
            quote!(crate::primitives::DateTime::from_secs_f64(#seconds))
        }
        Literal::Blob(bytes) => {
            let bytes = proc_macro2::Literal::byte_string(bytes);
            quote!(crate::primitives::Blob::new(#bytes.to_vec()))
        }
        Literal::Unit => quote!(()),
        Literal::Document(document) => document_expression(document),
        Literal::Enum { shape, value } => {
            let ty = shape_path(ir, shape);
            quote!(#ty::from(#value))
        }
        Literal::IntEnum { shape, value } => {
            let ty = shape_path(ir, shape);
            let n = proc_macro2::Literal::i64_unsuffixed(i64::from(*value));
            quote!(#ty::from(#n))
        }
        Literal::Structure(s) => structure(ir, s, shape_path(ir, &s.shape)),
        Literal::Union { shape, variant, value, boxed } => {
            let ty = shape_path(ir, shape);
            match value {
                None => quote!(#ty::#variant),
                Some(inner) => {
                    let inner = expression(ir, inner);
                    let inner = if *boxed { quote!(Box::new(#inner)) } else { inner };
                    quote!(#ty::#variant(#inner))
                }
            }
        }
        Literal::List { items, sparse } => {
            let items = items.iter().map(|item| item_expression(ir, item.as_ref(), *sparse));
            quote!(vec![#(#items),*])
        }
        Literal::Map { entries, sparse } => {
            let entries = entries.iter().map(|(key, item)| {
                let item = item_expression(ir, item.as_ref(), *sparse);
                quote!((String::from(#key), #item))
            });
            quote!(std::collections::BTreeMap::from([#(#entries),*]))
        }
    }
}

/// A list item or map value: `Option`s in sparse collections.
fn item_expression(ir: &Ir, item: Option<&Literal>, sparse: bool) -> TokenStream {
    match (item, sparse) {
        (None, _) => quote!(None),
        (Some(item), true) => {
            let item = expression(ir, item);
            quote!(Some(#item))
        }
        (Some(item), false) => expression(ir, item),
    }
}

/// A float literal, unsuffixed, or `f32::NAN` and the like.
fn float(value: f64, single: bool) -> TokenStream {
    let ty = if single { quote!(f32) } else { quote!(f64) };
    if value.is_nan() {
        quote!(#ty::NAN)
    } else if value == f64::INFINITY {
        quote!(#ty::INFINITY)
    } else if value == f64::NEG_INFINITY {
        quote!(#ty::NEG_INFINITY)
    } else {
        let literal = proc_macro2::Literal::f64_unsuffixed(value);
        quote!(#literal)
    }
}

/// A Rust expression building the document (a `serde_json::Value`).
fn document_expression(document: &Document) -> TokenStream {
    match document {
        Document::Null => quote!(serde_json::Value::Null),
        Document::Bool(b) => quote!(serde_json::Value::Bool(#b)),
        Document::Unsigned(u) => quote!(serde_json::Value::from(#u)),
        Document::Signed(i) => quote!(serde_json::Value::from(#i)),
        Document::Float(f) => quote!(serde_json::Value::from(#f)),
        Document::String(text) => quote!(serde_json::Value::String(String::from(#text))),
        Document::Array(items) => {
            let items = items.iter().map(document_expression);
            quote!(serde_json::Value::Array(vec![#(#items),*]))
        }
        Document::Object(entries) if entries.is_empty() => quote!(serde_json::Value::Object(serde_json::Map::new())),
        Document::Object(entries) => {
            let entries = entries.iter().map(|(key, value)| {
                let value = document_expression(value);
                quote!((String::from(#key), #value))
            });
            quote!(serde_json::Value::Object(serde_json::Map::from_iter([#(#entries),*])))
        }
    }
}
