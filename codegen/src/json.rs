//! Typed reading (and writing) of JSON values: the model's shapes and traits, the endpoint rules,
//! the partitions file, the API record a generated crate carries.
//!
//! Written by hand instead of with serde's derive: the derive is a proc macro, and building it
//! (serde_derive, and a second build of syn with the features a proc macro asks for) sat beside
//! the generator's critical path in the first `cargo xtask regenerate` of a fresh clone, and its
//! expansions were a part of the generator's own compile. Without it a cold `cargo build -p xtask`
//! takes 7.9-18.1 s less CPU (medians of five pairs at load 3-6: 36.0 s against 48.6 s; wall
//! 35.0 s against 54.7 s; the comment above `[profile.dev]` in the root `Cargo.toml` has them). JSON
//! text is parsed into a [`serde_json::Value`] by serde_json (compiled once, optimized); this
//! module reads the typed data out of it. [`json_struct!`](crate::json_struct) gives a struct
//! its reader and writer from one list of its fields.
//!
//! Every error carries the JSON path of the value at fault (`members.Id.target`), so that a
//! caller that knows more (the shape, the trait) can put it in front.

use std::collections::BTreeMap;
use std::fmt;

pub use serde_json::{Map, Value};

/// A value that does not have the expected form, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The JSON path of the value at fault (`rules[0].conditions[1]`); empty for the root.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl JsonError {
    /// An error about the value at `path`.
    pub fn at(path: &str, message: impl Into<String>) -> JsonError {
        JsonError { path: path.to_owned(), message: message.into() }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

impl std::error::Error for JsonError {}

/// Result of reading JSON.
pub type JsonResult<T> = Result<T, JsonError>;

/// `path.key`, or `key` at the root.
pub fn child(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// `path[index]`.
pub fn index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// What a value is, for messages (`a string "x"`, `the number 7`).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => format!("the boolean {flag}"),
        Value::Number(number) => format!("the number {number}"),
        // A long documentation string would drown the message.
        Value::String(text) if text.chars().count() > 60 => {
            format!("the string {:?}...", text.chars().take(60).collect::<String>())
        }
        Value::String(text) => format!("the string {text:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// The error for a value that is not what was expected.
pub fn expected(path: &str, what: &str, value: &Value) -> JsonError {
    JsonError::at(path, format!("expected {what}, found {}", describe(value)))
}

/// A type read from a JSON value.
pub trait FromJson: Sized {
    /// Reads `value`, found at `path` (for errors).
    fn from_json(value: &Value, path: &str) -> JsonResult<Self>;
}

/// A type written as a JSON value.
pub trait ToJson {
    /// The value.
    fn to_json(&self) -> Value;
}

/// Reads `value` as a `T` (the root of a document: errors name paths from it).
pub fn read<T: FromJson>(value: &Value) -> JsonResult<T> {
    T::from_json(value, "")
}

/// Parses JSON text (`what` names it in errors) and reads it as a `T`.
pub fn parse<T: FromJson>(text: &str, what: &str) -> Result<T, String> {
    let value: Value = text.parse().map_err(|e| format!("{what} is not valid JSON: {e}"))?;
    read(&value).map_err(|e| format!("{what}: {e}"))
}

/// An object being read: its fields and where it is.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    fields: &'a Map<String, Value>,
    path: &'a str,
}

impl<'a> Object<'a> {
    /// `value` as an object.
    pub fn new(value: &'a Value, path: &'a str) -> JsonResult<Object<'a>> {
        match value {
            Value::Object(fields) => Ok(Object { fields, path }),
            other => Err(expected(path, "an object", other)),
        }
    }

    /// Where the object is.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The path of field `key`.
    pub fn path_of(&self, key: &str) -> String {
        child(self.path, key)
    }

    /// The raw value of `key` (`null` counts as absent).
    pub fn value(&self, key: &str) -> Option<&'a Value> {
        self.fields.get(key).filter(|value| !value.is_null())
    }

    /// Whether `key` is present (and not `null`).
    pub fn has(&self, key: &str) -> bool {
        self.value(key).is_some()
    }

    /// Field `key`, which must be present.
    pub fn get<T: FromJson>(&self, key: &str) -> JsonResult<T> {
        match self.fields.get(key) {
            Some(value) => T::from_json(value, &self.path_of(key)),
            None => Err(JsonError::at(self.path, format!("missing field `{key}`"))),
        }
    }

    /// Field `key`, `None` when absent or `null`.
    pub fn opt<T: FromJson>(&self, key: &str) -> JsonResult<Option<T>> {
        self.value(key).map(|value| T::from_json(value, &self.path_of(key))).transpose()
    }

    /// Field `key`, `T::default()` when absent.
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> JsonResult<T> {
        self.or(key, T::default)
    }

    /// Field `key`, `default()` when absent.
    pub fn or<T: FromJson>(&self, key: &str, default: impl FnOnce() -> T) -> JsonResult<T> {
        match self.fields.get(key) {
            Some(value) => T::from_json(value, &self.path_of(key)),
            None => Ok(default()),
        }
    }

    /// Field `key` as an array, borrowed rather than copied (a rule tree read level by level
    /// would otherwise be copied once per level); it must be present.
    pub fn array(&self, key: &str) -> JsonResult<&'a [Value]> {
        match self.fields.get(key) {
            Some(value) => self.as_array(key, value),
            None => Err(JsonError::at(self.path, format!("missing field `{key}`"))),
        }
    }

    /// Field `key` as a borrowed array, `None` when absent or `null`.
    pub fn opt_array(&self, key: &str) -> JsonResult<Option<&'a [Value]>> {
        self.value(key).map(|value| self.as_array(key, value)).transpose()
    }

    /// Field `key` as a borrowed array, empty when absent.
    pub fn array_or_empty(&self, key: &str) -> JsonResult<&'a [Value]> {
        self.fields.get(key).map_or(Ok(&[]), |value| self.as_array(key, value))
    }

    fn as_array(&self, key: &str, value: &'a Value) -> JsonResult<&'a [Value]> {
        value.as_array().map(Vec::as_slice).ok_or_else(|| expected(&self.path_of(key), "an array", value))
    }

    /// Refuses fields other than `known`.
    pub fn deny_unknown(&self, known: &[&str]) -> JsonResult<()> {
        match self.fields.keys().find(|key| !known.contains(&key.as_str())) {
            None => Ok(()),
            Some(key) => {
                let expected = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                Err(JsonError::at(self.path, format!("unknown field `{key}`, expected one of {expected}")))
            }
        }
    }

    /// The fields, in key order.
    pub fn fields(&self) -> &'a Map<String, Value> {
        self.fields
    }
}

impl FromJson for Value {
    fn from_json(value: &Value, _path: &str) -> JsonResult<Self> {
        Ok(value.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        value.as_str().map(str::to_owned).ok_or_else(|| expected(path, "a string", value))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        value.as_bool().ok_or_else(|| expected(path, "a boolean", value))
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        value.as_f64().ok_or_else(|| expected(path, "a number", value))
    }
}

/// Integers: from a JSON integer in the type's range (a fraction is refused, as serde does).
macro_rules! integer_from_json {
    ($($ty:ty),*) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
                let what = concat!("an integer (", stringify!($ty), ")");
                let wide = value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from));
                wide.and_then(|wide| <$ty>::try_from(wide).ok()).ok_or_else(|| expected(path, what, value))
            }
        }
    )*};
}
integer_from_json!(u16, i32, u64, i64, usize);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        if value.is_null() { Ok(None) } else { T::from_json(value, path).map(Some) }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        T::from_json(value, path).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let items = value.as_array().ok_or_else(|| expected(path, "an array", value))?;
        items.iter().enumerate().map(|(at, item)| T::from_json(item, &index(path, at))).collect()
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let object = Object::new(value, path)?;
        object.fields().iter().map(|(key, item)| Ok((key.clone(), T::from_json(item, &child(path, key))?))).collect()
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for usize {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        T::to_json(self)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}

/// Values a record leaves out when empty.
pub trait IsEmpty {
    /// Whether the value is empty (`""`, `[]`, `None`).
    fn is_empty(&self) -> bool;
}

impl IsEmpty for String {
    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }
}

impl<T> IsEmpty for Vec<T> {
    fn is_empty(&self) -> bool {
        <[T]>::is_empty(self)
    }
}

impl<T> IsEmpty for Option<T> {
    fn is_empty(&self) -> bool {
        self.is_none()
    }
}

/// Builds a JSON object field by field.
#[derive(Debug, Default)]
pub struct ObjectWriter(Map<String, Value>);

impl ObjectWriter {
    /// An empty object.
    pub fn new() -> ObjectWriter {
        ObjectWriter::default()
    }

    /// Adds `key`.
    pub fn field(mut self, key: &str, value: &impl ToJson) -> ObjectWriter {
        self.0.insert(key.to_owned(), value.to_json());
        self
    }

    /// Adds `key` unless its value is empty (what serde's `skip_serializing_if` did).
    pub fn field_unless_empty(self, key: &str, value: &(impl ToJson + IsEmpty)) -> ObjectWriter {
        if value.is_empty() { self } else { self.field(key, value) }
    }

    /// Adds the fields of another object (what serde's `flatten` did).
    pub fn flatten(mut self, other: &impl ToJson) -> ObjectWriter {
        if let Value::Object(fields) = other.to_json() {
            self.0.extend(fields);
        }
        self
    }

    /// The object.
    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

/// Implements [`FromJson`] and [`ToJson`] for a struct from one list of its fields (so that
/// reading and writing cannot drift apart), or [`FromJson`] alone (`read`; `read deny` refuses
/// unknown fields, as serde's `deny_unknown_fields` did).
///
/// Each field is `name: mode` or `name as "key": mode` (the JSON key, when not the field's
/// name). Modes: `req` (must be present), `opt` (an `Option`: absent or `null` is `None`,
/// written as `null`), `skip` (absent is the default, left out when empty: serde's `default`
/// and `skip_serializing_if`), `default` (absent is the default, always written).
#[macro_export]
macro_rules! json_struct {
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
    (@get $object:ident, req, $key:expr) => { $object.get($key)? };
    (@get $object:ident, opt, $key:expr) => { $object.opt($key)? };
    (@get $object:ident, skip, $key:expr) => { $object.or_default($key)? };
    (@get $object:ident, default, $key:expr) => { $object.or_default($key)? };
    (@put $writer:ident, skip, $key:expr, $value:expr) => { $writer.field_unless_empty($key, $value) };
    (@put $writer:ident, $mode:ident, $key:expr, $value:expr) => { $writer.field($key, $value) };
    (@read $deny:literal, $ty:ident { $($field:ident $(as $key:literal)? : $mode:ident),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(value: &$crate::json::Value, path: &str) -> $crate::json::JsonResult<Self> {
                let object = $crate::json::Object::new(value, path)?;
                if $deny {
                    object.deny_unknown(&[$($crate::json_struct!(@key $field $($key)?)),*])?;
                }
                Ok($ty { $($field: $crate::json_struct!(@get object, $mode, $crate::json_struct!(@key $field $($key)?))),* })
            }
        }
    };
    (read deny $ty:ident { $($fields:tt)* }) => { $crate::json_struct!(@read true, $ty { $($fields)* }); };
    (read $ty:ident { $($fields:tt)* }) => { $crate::json_struct!(@read false, $ty { $($fields)* }); };
    ($ty:ident { $($field:ident $(as $key:literal)? : $mode:ident),* $(,)? }) => {
        $crate::json_struct!(@read false, $ty { $($field $(as $key)? : $mode),* });
        impl $crate::json::ToJson for $ty {
            fn to_json(&self) -> $crate::json::Value {
                let writer = $crate::json::ObjectWriter::new();
                $(let writer = $crate::json_struct!(@put writer, $mode, $crate::json_struct!(@key $field $($key)?), &self.$field);)*
                writer.build()
            }
        }
    };
}

/// `{ "tag": value }`: a variant of an externally tagged enum (serde's default layout).
pub fn tagged(tag: &str, value: Value) -> Value {
    let mut fields = Map::new();
    fields.insert(tag.to_owned(), value);
    Value::Object(fields)
}

/// The tag and content of an externally tagged enum value: `"tag"` (a unit variant, content
/// `null`) or `{ "tag": content }`.
pub fn untag<'a>(value: &'a Value, path: &str) -> JsonResult<(&'a str, &'a Value)> {
    static NULL: Value = Value::Null;
    match value {
        Value::String(tag) => Ok((tag, &NULL)),
        Value::Object(fields) if fields.len() == 1 => {
            let (tag, content) = fields.iter().next().expect("one field");
            Ok((tag, content))
        }
        other => Err(expected(path, "a variant (`\"name\"` or `{\"name\": ...}`)", other)),
    }
}

/// The error for a tag that names no variant.
pub fn unknown_variant(path: &str, tag: &str, known: &[&str]) -> JsonError {
    let expected = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    JsonError::at(path, format!("unknown variant `{tag}`, expected one of {expected}"))
}

/// Pretty JSON text with a final newline (the files a generated crate carries).
pub fn to_pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a Value always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Point {
        x: u16,
        label: Option<String>,
        tags: Vec<String>,
    }

    crate::json_struct!(read deny Point { x: req, label: opt, tags: skip });

    #[derive(Debug, PartialEq)]
    struct Record {
        name: String,
        note: Option<String>,
        tags: Vec<String>,
        count: usize,
    }

    crate::json_struct!(Record { name as "Name": req, note: opt, tags: skip, count: default });

    #[test]
    fn reads_required_optional_and_defaulted_fields() {
        let point: Point = read(&json!({ "x": 3, "label": null })).unwrap();
        assert_eq!(point, Point { x: 3, label: None, tags: vec![] });
        let point: Vec<Point> = read(&json!([{ "x": 1, "label": "a", "tags": ["t"] }])).unwrap();
        assert_eq!(point[0], Point { x: 1, label: Some("a".into()), tags: vec!["t".into()] });
    }

    #[test]
    fn errors_name_the_path_and_what_was_found() {
        let error = read::<Vec<Point>>(&json!([{ "x": 1 }, { "x": 1, "tags": ["a", 7] }])).unwrap_err();
        assert_eq!(error.to_string(), "[1].tags[1]: expected a string, found the number 7");
        let error = read::<Point>(&json!({ "label": "a" })).unwrap_err();
        assert_eq!(error.to_string(), "missing field `x`");
        let error = read::<Point>(&json!({ "x": 70000 })).unwrap_err();
        assert_eq!(error.to_string(), "x: expected an integer (u16), found the number 70000");
        let error = read::<Point>(&json!({ "x": 1, "y": 2 })).unwrap_err();
        assert_eq!(error.to_string(), "unknown field `y`, expected one of `x`, `label`, `tags`");
        let error = read::<u16>(&json!(1.5)).unwrap_err();
        assert!(error.message.contains("integer"), "{error}");
    }

    #[test]
    fn a_record_round_trips_and_leaves_out_empty_fields() {
        let record = Record { name: "a".into(), note: None, tags: vec![], count: 0 };
        let value = record.to_json();
        assert_eq!(value, json!({ "Name": "a", "note": null, "count": 0 }));
        assert_eq!(read::<Record>(&value).unwrap(), record);
        let full = Record { name: "b".into(), note: Some("n".into()), tags: vec!["t".into()], count: 2 };
        assert_eq!(read::<Record>(&full.to_json()).unwrap(), full);
        assert_eq!(read::<Record>(&json!({ "Name": "c", "other": 1 })).unwrap().count, 0, "unknown fields pass");
    }

    #[test]
    fn writes_and_reads_tagged_variants() {
        let unit = json!("module");
        assert_eq!(untag(&unit, "").unwrap(), ("module", &Value::Null));
        let value = tagged("named", ObjectWriter::new().field("path", &"a".to_owned()).build());
        assert_eq!(value, json!({ "named": { "path": "a" } }));
        assert_eq!(untag(&value, "").unwrap().0, "named");
        assert!(untag(&json!({ "a": 1, "b": 2 }), "ty").is_err());
        assert_eq!(
            unknown_variant("ty", "x", &["a", "b"]).to_string(),
            "ty: unknown variant `x`, expected one of `a`, `b`"
        );
    }

    #[test]
    fn borrowed_arrays_read_and_fail_as_copied_ones_do() {
        let value = json!({ "a": [1, 2], "n": null, "s": "x" });
        let object = Object::new(&value, "rule").unwrap();
        assert_eq!(object.array("a").unwrap(), &[json!(1), json!(2)]);
        assert_eq!(object.opt_array("n").unwrap(), None);
        assert_eq!(object.opt_array("gone").unwrap(), None);
        assert!(object.array_or_empty("gone").unwrap().is_empty());
        for key in ["s", "gone"] {
            let copied = object.get::<Vec<Value>>(key).unwrap_err();
            assert_eq!(object.array(key).unwrap_err(), copied);
        }
        assert_eq!(object.array_or_empty("s").unwrap_err(), object.or_default::<Vec<Value>>("s").unwrap_err());
        assert_eq!(object.array("s").unwrap_err().to_string(), "rule.s: expected an array, found the string \"x\"");
    }
}
