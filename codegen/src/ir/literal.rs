//! Values written in the model as JSON (`@default` values, the params of protocol test cases),
//! checked against their Rust type once, here, and kept as a typed tree the emitters write out
//! without looking at JSON again.

use serde_json::Value;

use super::types::{Ir, Member, NamedShape, Structure, Target, Type};
use crate::names::RustIdent;
use crate::smithy::ShapeId;

/// How a blob value is written in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobText {
    /// Base64 (the model's `@default` values).
    Base64,
    /// The bytes as UTF-8 text (protocol test params).
    Utf8,
}

/// A value of a member's Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string, or a big number as its decimal text.
    Text(String),
    Bool(bool),
    /// An integer of the target's width (checked to fit).
    Integer(i64),
    /// A float; `single` for `f32`. NaN and the infinities are Smithy's `"NaN"`, `"Infinity"`,
    /// `"-Infinity"`.
    Float {
        value: f64,
        single: bool,
    },
    /// A timestamp in seconds since the epoch: whole, or with a fraction.
    Timestamp(Seconds),
    Blob(Vec<u8>),
    /// `()`: a unit union variant's value.
    Unit,
    Document(Document),
    /// A string enum's value (`shape::from(text)`).
    Enum {
        shape: ShapeId,
        value: String,
    },
    /// An intEnum's value.
    IntEnum {
        shape: ShapeId,
        value: i32,
    },
    Structure(StructureLiteral),
    /// A union with its one variant set; `value` is `None` for a unit variant.
    Union {
        shape: ShapeId,
        variant: RustIdent,
        value: Option<Box<Literal>>,
        boxed: bool,
    },
    /// A list; items are `None` only in sparse lists (`Option` items).
    List {
        items: Vec<Option<Literal>>,
        sparse: bool,
    },
    /// A map in the JSON's key order; values as in lists.
    Map {
        entries: Vec<(String, Option<Literal>)>,
        sparse: bool,
    },
}

/// Seconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seconds {
    Whole(i64),
    Fraction(f64),
}

/// A document value (Smithy's untyped JSON-like data).
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    String(String),
    Array(Vec<Document>),
    Object(Vec<(String, Document)>),
}

/// A struct literal: every field, in member order.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureLiteral {
    pub shape: ShapeId,
    pub fields: Vec<(RustIdent, Field)>,
    /// Output structures carry a `_request_id` field, unset in literals.
    pub request_id: bool,
}

/// One field's value in a struct literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// Given by the value: wrapped in `Box` and `Some` as the field needs.
    Set { value: Literal, boxed: bool, optional: bool },
    /// An `Option` field left unset.
    Unset,
    /// Left out: the member's default (`None`: the type's zero value, `Default::default()`).
    Default { value: Option<Literal>, boxed: bool },
}

/// Why a value cannot be written: the JSON does not fit the target.
pub type Resolved<T> = Result<T, String>;

/// The member's `@default` as a literal, `None` when it has none or its default is the
/// type's zero value written as `Default::default()` (the IR checked that the default fits
/// the target, so a resolved model never lands in the fallback).
pub fn member_default(ir: &Ir, member: &Member) -> Option<Literal> {
    member.default_value().and_then(|default| value(ir, &member.target, default, BlobText::Base64).ok())
}

/// A struct literal of `s` from a JSON object of member values (absent: empty); unset members
/// start unset, at their default, or at their zero value.
pub fn structure(ir: &Ir, s: &Structure, params: Option<&Value>, blobs: BlobText) -> Resolved<StructureLiteral> {
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
        .map(|m| Ok((m.field.clone(), field(ir, m, params.get(&m.name), blobs)?)))
        .collect::<Resolved<Vec<_>>>()?;
    Ok(StructureLiteral { shape: s.id.clone(), fields, request_id: s.keeps_request_id() })
}

/// The field value of `member` from its JSON (absent or null: unset).
fn field(ir: &Ir, member: &Member, json: Option<&Value>, blobs: BlobText) -> Resolved<Field> {
    match json.filter(|v| !v.is_null()) {
        Some(json) => Ok(Field::Set {
            value: value(ir, &member.target, json, blobs)?,
            boxed: member.boxed,
            optional: member.is_optional(),
        }),
        None if member.is_optional() => Ok(Field::Unset),
        None if member.default_value().is_some() || has_zero_value(&member.target.ty) => {
            Ok(Field::Default { value: member_default(ir, member), boxed: member.boxed })
        }
        None => Err(format!("the required member `{}` is not set and has no zero value", member.name)),
    }
}

/// Whether a missing value of this type can stand in as its zero value (`Default`): Smithy's
/// "error correction" of required members a service left out.
pub fn has_zero_value(ty: &Type) -> bool {
    !matches!(ty, Type::Enum(_) | Type::IntEnum(_) | Type::Structure(_) | Type::Union(_) | Type::Timestamp(_))
}

/// The value `json` of `target` (timestamps as epoch seconds, `NaN` and the infinities as
/// strings, as Smithy writes them).
pub fn value(ir: &Ir, target: &Target, json: &Value, blobs: BlobText) -> Resolved<Literal> {
    let mismatch = || format!("{} cannot hold {json}", target.id);
    Ok(match &target.ty {
        Type::String => Literal::Text(json.as_str().ok_or_else(mismatch)?.to_owned()),
        Type::BigInteger | Type::BigDecimal => Literal::Text(match json {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => return Err(mismatch()),
        }),
        Type::Boolean => Literal::Bool(json.as_bool().ok_or_else(mismatch)?),
        Type::Byte => Literal::Integer(integer::<i8>(json).ok_or_else(mismatch)?),
        Type::Short => Literal::Integer(integer::<i16>(json).ok_or_else(mismatch)?),
        Type::Integer => Literal::Integer(integer::<i32>(json).ok_or_else(mismatch)?),
        Type::Long => Literal::Integer(integer::<i64>(json).ok_or_else(mismatch)?),
        Type::Float => Literal::Float { value: float(json).ok_or_else(mismatch)?, single: true },
        Type::Double => Literal::Float { value: float(json).ok_or_else(mismatch)?, single: false },
        Type::Timestamp(_) => Literal::Timestamp(match json.as_i64() {
            Some(seconds) => Seconds::Whole(seconds),
            None => Seconds::Fraction(json.as_f64().ok_or_else(mismatch)?),
        }),
        Type::Blob { .. } => {
            let text = json.as_str().ok_or_else(mismatch)?;
            Literal::Blob(match blobs {
                BlobText::Base64 => super::decode_base64(text).ok_or_else(mismatch)?,
                BlobText::Utf8 => text.as_bytes().to_vec(),
            })
        }
        Type::Unit => Literal::Unit,
        Type::Document => Literal::Document(document(json)),
        Type::Enum(id) => Literal::Enum { shape: id.clone(), value: json.as_str().ok_or_else(mismatch)?.to_owned() },
        Type::IntEnum(id) => Literal::IntEnum {
            shape: id.clone(),
            value: integer::<i32>(json).and_then(|n| i32::try_from(n).ok()).ok_or_else(mismatch)?,
        },
        Type::Structure(id) => {
            let Some(NamedShape::Structure(s)) = ir.shapes.get(id) else { return Err(mismatch()) };
            Literal::Structure(structure(ir, s, Some(json), blobs)?)
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
            let inner = match variant.target.ty {
                Type::Unit => None,
                _ => Some(Box::new(value(ir, &variant.target, value_json, blobs)?)),
            };
            Literal::Union { shape: id.clone(), variant: variant.field.clone(), value: inner, boxed: variant.boxed }
        }
        Type::List(list) => Literal::List {
            items: json
                .as_array()
                .ok_or_else(mismatch)?
                .iter()
                .map(|item| item_value(ir, &list.member, item, list.sparse, blobs))
                .collect::<Resolved<Vec<_>>>()?,
            sparse: list.sparse,
        },
        Type::Map(map) => Literal::Map {
            entries: json
                .as_object()
                .ok_or_else(mismatch)?
                .iter()
                .map(|(key, item)| Ok((key.clone(), item_value(ir, &map.value, item, map.sparse, blobs)?)))
                .collect::<Resolved<Vec<_>>>()?,
            sparse: map.sparse,
        },
    })
}

/// A list item or map value: `None` for a null in a sparse collection.
fn item_value(ir: &Ir, target: &Target, json: &Value, sparse: bool, blobs: BlobText) -> Resolved<Option<Literal>> {
    match (json, sparse) {
        (Value::Null, true) => Ok(None),
        (json, _) => value(ir, target, json, blobs).map(Some),
    }
}

fn document(json: &Value) -> Document {
    match json {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Document::Unsigned(u),
            (None, Some(i), _) => Document::Signed(i),
            (None, None, Some(f)) => Document::Float(f),
            (None, None, None) => Document::Null,
        },
        Value::String(text) => Document::String(text.clone()),
        Value::Array(items) => Document::Array(items.iter().map(document).collect()),
        Value::Object(entries) => Document::Object(entries.iter().map(|(k, v)| (k.clone(), document(v))).collect()),
    }
}

/// An integer that fits `T`.
fn integer<T: TryFrom<i64>>(json: &Value) -> Option<i64> {
    let value = json.as_i64()?;
    T::try_from(value).ok()?;
    Some(value)
}

/// A finite JSON number, or Smithy's spelling of NaN or an infinity.
fn float(json: &Value) -> Option<f64> {
    match json.as_str() {
        Some("NaN") => Some(f64::NAN),
        Some("Infinity") => Some(f64::INFINITY),
        Some("-Infinity") => Some(f64::NEG_INFINITY),
        Some(_) => None,
        None => json.as_f64().filter(|f| f.is_finite()),
    }
}
