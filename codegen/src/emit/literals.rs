//! Rust expressions for values written in the model as JSON: `@default` values, and the params
//! of protocol test cases. One converter serves both; they differ only in how a blob is written.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::paths::shape_path;
use crate::ir::{Ir, Member, NamedShape, Structure, Target, Type};

/// How a blob value is written in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlobText {
    /// Base64 (the model's `@default` values).
    Base64,
    /// The bytes as UTF-8 text (protocol test params).
    Utf8,
}

/// Why a value cannot be written: the JSON does not fit the target.
pub(super) type Literal = Result<TokenStream, String>;

/// The expression a member starts with when it holds its `@default` (the IR checked that the
/// value fits the target, so this does not fail on a resolved model).
pub(super) fn member_default(ir: &Ir, member: &Member) -> TokenStream {
    let value = match member.default_value() {
        Some(default) => {
            value(ir, &member.target, default, BlobText::Base64).unwrap_or_else(|_| quote!(Default::default()))
        }
        None => quote!(Default::default()),
    };
    if member.boxed { quote!(Box::new(#value)) } else { value }
}

/// `option` (an `Option` of the member's field type) falling back to the member's `@default`,
/// written the way clippy asks: `unwrap_or_default()` when the default is the type's own
/// `Default` value, `unwrap_or(..)` for a constant, and `unwrap_or_else(|| ..)` for a value
/// that has to be built.
pub(super) fn or_member_default(ir: &Ir, member: &Member, option: TokenStream) -> TokenStream {
    let default = member.default_value();
    if !member.boxed && default.is_none_or(|json| is_type_default(&member.target.ty, json)) {
        return quote!(#option.unwrap_or_default());
    }
    let value = member_default(ir, member);
    if !member.boxed && is_constant(&member.target.ty) {
        quote!(#option.unwrap_or(#value))
    } else {
        quote!(#option.unwrap_or_else(|| #value))
    }
}

/// Whether `json` is the Rust type's own `Default` value (zero, `false`, empty).
fn is_type_default(ty: &Type, json: &Value) -> bool {
    match (ty, json) {
        (Type::Boolean, Value::Bool(b)) => !b,
        (Type::Byte | Type::Short | Type::Integer | Type::Long, Value::Number(n)) => n.as_i64() == Some(0),
        (Type::Float | Type::Double, Value::Number(n)) => n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_positive()),
        (Type::String | Type::Blob { .. }, Value::String(text)) => text.is_empty(),
        // Smithy 2.0, *default trait*: a list or map default is always empty.
        (Type::List(_) | Type::Map(_), _) => true,
        (Type::Document, Value::Null) => true,
        _ => false,
    }
}

/// Whether the default of a value of `ty` is a constant (a literal or an associated const),
/// which clippy wants passed as is rather than through a closure.
fn is_constant(ty: &Type) -> bool {
    ty.is_number() || *ty == Type::Boolean
}

/// A Rust expression building the document `json` (a `serde_json::Value`).
fn document(json: &Value) -> TokenStream {
    match json {
        Value::Null => quote!(serde_json::Value::Null),
        Value::Bool(b) => quote!(serde_json::Value::Bool(#b)),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => quote!(serde_json::Value::from(#u)),
            (None, Some(i), _) => quote!(serde_json::Value::from(#i)),
            (None, None, Some(f)) => quote!(serde_json::Value::from(#f)),
            (None, None, None) => quote!(serde_json::Value::Null),
        },
        Value::String(text) => quote!(serde_json::Value::String(String::from(#text))),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!(serde_json::Value::Array(vec![#(#items),*]))
        }
        Value::Object(entries) if entries.is_empty() => quote!(serde_json::Value::Object(serde_json::Map::new())),
        Value::Object(entries) => {
            let entries = entries.iter().map(|(key, value)| {
                let value = document(value);
                quote!((String::from(#key), #value))
            });
            quote!(serde_json::Value::Object(serde_json::Map::from_iter([#(#entries),*])))
        }
    }
}

/// A struct literal of `s` (type path `ty`) from a JSON object of member values (absent: empty);
/// unset members start unset, at their default, or at their zero value.
pub(super) fn structure(ir: &Ir, s: &Structure, ty: TokenStream, params: Option<&Value>, blobs: BlobText) -> Literal {
    let empty = serde_json::Map::new();
    let params = match params {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(object)) => object,
        Some(other) => return Err(format!("{} expects an object, the case has {other}", s.id.name())),
    };
    if let Some(unknown) = params.keys().find(|key| !s.members.iter().any(|m| &m.name == *key)) {
        return Err(format!("{} has no member `{unknown}`", s.id.name()));
    }
    let fields = s
        .members
        .iter()
        .map(|m| {
            let field = &m.field;
            let value = member_value(ir, m, params.get(&m.name), blobs)?;
            Ok(quote!(#field: #value))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let request_id = s.keeps_request_id().then(|| quote!(_request_id: None));
    Ok(quote!(#ty { #(#fields,)* #request_id }))
}

/// The field value of `member` from its JSON (absent or null: unset).
fn member_value(ir: &Ir, member: &Member, json: Option<&Value>, blobs: BlobText) -> Literal {
    match json.filter(|v| !v.is_null()) {
        Some(json) => {
            let value = value(ir, &member.target, json, blobs)?;
            let value = if member.boxed { quote!(Box::new(#value)) } else { value };
            Ok(if member.is_optional() { quote!(Some(#value)) } else { value })
        }
        None if member.is_optional() => Ok(quote!(None)),
        None if member.default_value().is_some() || has_zero_value(&member.target.ty) => Ok(member_default(ir, member)),
        None => Err(format!("the required member `{}` is not set and has no zero value", member.name)),
    }
}

/// Whether a missing value of this type can stand in as its zero value (`Default`): Smithy's
/// "error correction" of required members a service left out.
pub(super) fn has_zero_value(ty: &Type) -> bool {
    !matches!(ty, Type::Enum(_) | Type::IntEnum(_) | Type::Structure(_) | Type::Union(_) | Type::Timestamp(_))
}

/// A Rust expression of the value `json` of `target` (timestamps as epoch seconds, `NaN` and
/// the infinities as strings, as Smithy writes them).
pub(super) fn value(ir: &Ir, target: &Target, json: &Value, blobs: BlobText) -> Literal {
    let mismatch = || format!("{} cannot hold {json}", target.id);
    Ok(match &target.ty {
        Type::String => {
            let text = json.as_str().ok_or_else(mismatch)?;
            quote!(String::from(#text))
        }
        Type::BigInteger | Type::BigDecimal => {
            let text = match json {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return Err(mismatch()),
            };
            quote!(String::from(#text))
        }
        Type::Boolean => {
            let b = json.as_bool().ok_or_else(mismatch)?;
            quote!(#b)
        }
        Type::Byte => integer::<i8>(json).ok_or_else(mismatch)?,
        Type::Short => integer::<i16>(json).ok_or_else(mismatch)?,
        Type::Integer => integer::<i32>(json).ok_or_else(mismatch)?,
        Type::Long => integer::<i64>(json).ok_or_else(mismatch)?,
        Type::Float => match special_float(json) {
            Some(special) => quote!(f32::#special),
            None => float(json).ok_or_else(mismatch)?,
        },
        Type::Double => match special_float(json) {
            Some(special) => quote!(f64::#special),
            None => float(json).ok_or_else(mismatch)?,
        },
        Type::Timestamp(_) => match json.as_i64() {
            Some(seconds) => quote!(crate::primitives::DateTime::from_secs(#seconds)),
            None => {
                let seconds = json.as_f64().ok_or_else(mismatch)?;
                quote!(crate::primitives::DateTime::from_secs_f64(#seconds))
            }
        },
        Type::Blob { .. } => {
            let text = json.as_str().ok_or_else(mismatch)?;
            let bytes = match blobs {
                BlobText::Base64 => crate::ir::decode_base64(text).ok_or_else(mismatch)?,
                BlobText::Utf8 => text.as_bytes().to_vec(),
            };
            let bytes = proc_macro2::Literal::byte_string(&bytes);
            quote!(crate::primitives::Blob::new(#bytes.to_vec()))
        }
        Type::Unit => quote!(()),
        Type::Document => document(json),
        Type::Enum(id) => {
            let text = json.as_str().ok_or_else(mismatch)?;
            let ty = shape_path(ir, id);
            quote!(#ty::from(#text))
        }
        Type::IntEnum(id) => {
            let ty = shape_path(ir, id);
            let n = integer::<i32>(json).ok_or_else(mismatch)?;
            quote!(#ty::from(#n))
        }
        Type::Structure(id) => {
            let Some(NamedShape::Structure(s)) = ir.shapes.get(id) else { return Err(mismatch()) };
            structure(ir, s, shape_path(ir, id), Some(json), blobs)?
        }
        Type::Union(id) => {
            let Some(NamedShape::Union(u)) = ir.shapes.get(id) else { return Err(mismatch()) };
            let object = json.as_object().ok_or_else(mismatch)?;
            let mut set = object.iter().filter(|(_, v)| !v.is_null());
            let (Some((name, value_json)), None) = (set.next(), set.next()) else {
                return Err(format!("{} must have exactly one member set in {json}", u.id.name()));
            };
            let variant = u
                .variants
                .iter()
                .find(|v| &v.name == name)
                .ok_or_else(|| format!("{} has no member `{name}`", u.id.name()))?;
            let ty = shape_path(ir, id);
            let variant_ident = &variant.field;
            if variant.target.ty == Type::Unit {
                return Ok(quote!(#ty::#variant_ident));
            }
            let inner = value(ir, &variant.target, value_json, blobs)?;
            let inner = if variant.boxed { quote!(Box::new(#inner)) } else { inner };
            quote!(#ty::#variant_ident(#inner))
        }
        Type::List(list) => {
            let items = json
                .as_array()
                .ok_or_else(mismatch)?
                .iter()
                .map(|item| match (item, list.sparse) {
                    (Value::Null, true) => Ok(quote!(None)),
                    (item, true) => value(ir, &list.member, item, blobs).map(|v| quote!(Some(#v))),
                    (item, false) => value(ir, &list.member, item, blobs),
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(vec![#(#items),*])
        }
        Type::Map(map) => {
            let entries = json
                .as_object()
                .ok_or_else(mismatch)?
                .iter()
                .map(|(key, item)| {
                    let item = match (item, map.sparse) {
                        (Value::Null, true) => quote!(None),
                        (item, true) => {
                            let v = value(ir, &map.value, item, blobs)?;
                            quote!(Some(#v))
                        }
                        (item, false) => value(ir, &map.value, item, blobs)?,
                    };
                    Ok(quote!((String::from(#key), #item)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(std::collections::BTreeMap::from([#(#entries),*]))
        }
    })
}

/// An integer literal, unsuffixed (the field's type gives it its type), when it fits `T`.
fn integer<T: TryFrom<i64>>(json: &Value) -> Option<TokenStream> {
    let value = json.as_i64()?;
    T::try_from(value).ok()?;
    let literal = proc_macro2::Literal::i64_unsuffixed(value);
    Some(quote!(#literal))
}

/// A float literal, unsuffixed (JSON numbers are finite; `NaN` and the infinities are strings).
fn float(json: &Value) -> Option<TokenStream> {
    let literal = proc_macro2::Literal::f64_unsuffixed(json.as_f64().filter(|f| f.is_finite())?);
    Some(quote!(#literal))
}

/// `NAN`, `INFINITY` or `NEG_INFINITY` for Smithy's spellings of those floats.
fn special_float(json: &Value) -> Option<proc_macro2::Ident> {
    let name = match json.as_str()? {
        "NaN" => "NAN",
        "Infinity" => "INFINITY",
        "-Infinity" => "NEG_INFINITY",
        _ => return None,
    };
    Some(format_ident!("{}", name))
}
