//! JSON documents: a streaming writer for requests and typed readers for responses.
//!
//! Requests are written straight into a buffer (no intermediate tree). Responses are read in
//! one pass from the bytes to the output types: the generated code implements [`ReadObject`]
//! for each structure, and the seeds below ([`Text`], [`Integer`], [`Structure`], [`DenseList`], ...) read
//! one value each, driven by serde_json's streaming parser. Every seed knows the path of its
//! member, so an unexpected value is reported as `Item.Content: expected a string, found a
//! number`. The rare shapes (unions, timestamps, blobs, documents, big numbers) are read
//! through a `serde_json::Value` of just that member ([`via_value`]), with the readers at the
//! end of this file.

use std::fmt;
use std::marker::PhantomData;

pub use serde_core::de::MapAccess;
use serde_core::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde_json::Value;

use super::response::DeserializeError;

/// A JSON object of a response.
pub type Object = serde_json::Map<String, Value>;

/// Writes one JSON document.
#[derive(Debug, Default)]
#[allow(dead_code, reason = "only models that send JSON bodies write them")]
pub struct JsonWriter {
    out: String,
}

#[allow(dead_code, reason = "only models that send JSON bodies write them")]
impl JsonWriter {
    /// An empty writer, with room for a typical request body (no regrowth on the way).
    pub fn new() -> Self {
        Self { out: String::with_capacity(256) }
    }

    /// The top-level value.
    pub fn value(&mut self) -> JsonValue<'_> {
        JsonValue { out: &mut self.out }
    }

    /// The document written.
    pub fn finish(self) -> String {
        self.out
    }
}

/// A slot for one JSON value.
pub struct JsonValue<'a> {
    out: &'a mut String,
}

impl<'a> JsonValue<'a> {
    /// A string, escaped.
    pub fn string(self, value: &str) {
        self.out.reserve(value.len() + 2);
        self.out.push('"');
        // Copy the runs between escapes whole: the bytes escaped are ASCII, so every cut falls
        // on a character boundary.
        let mut run_start = 0;
        for (index, byte) in value.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&value[run_start..index]);
            if escape.is_empty() {
                self.out.push_str(&format!("\\u{byte:04x}"));
            } else {
                self.out.push_str(escape);
            }
            run_start = index + 1;
        }
        self.out.push_str(&value[run_start..]);
        self.out.push('"');
    }

    /// `true` or `false`.
    #[allow(dead_code, reason = "only models with boolean members write them")]
    pub fn boolean(self, value: bool) {
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// An integer.
    #[allow(dead_code, reason = "only models with integer members write them")]
    pub fn integer(self, value: i64) {
        self.out.push_str(&value.to_string());
    }

    /// A float (`f32` or `f64`), as the shortest decimal that reads back as the same value of
    /// its own type (`1.1f32` is `1.1`); NaN and the infinities are written as the strings
    /// Smithy prescribes.
    #[allow(dead_code, reason = "only models with float members write them")]
    pub fn float<F: Into<f64> + Copy + std::fmt::Display>(self, value: F) {
        let text = super::request::float_text(value);
        if value.into().is_finite() {
            // `Display` never uses exponent notation (and writes whole floats as `1`, as the
            // AWS SDKs do), so the text is a valid JSON number.
            self.out.push_str(&text)
        } else {
            self.string(&text)
        }
    }

    /// A number the client formatted itself (epoch seconds), written as is.
    #[allow(dead_code, reason = "only models with epoch-seconds timestamps write them")]
    pub fn number_text(self, value: &str) {
        self.out.push_str(value);
    }

    /// A big integer or decimal given as text by the caller: written as a JSON number when it
    /// is one, refused otherwise (it would corrupt the document).
    #[allow(dead_code, reason = "only models with bigInteger or bigDecimal members write them")]
    pub fn big_number(self, value: &str, member: &str) -> Result<(), crate::error::BuildError> {
        if serde_json::from_str::<serde_json::Number>(value).is_err() || value.trim() != value {
            return Err(crate::error::BuildError::new(format!("`{member}` must be a number, not {value:?}")));
        }
        self.out.push_str(value);
        Ok(())
    }

    /// `null` (items of sparse lists and maps).
    #[allow(dead_code, reason = "only models with sparse collections or documents write nulls")]
    pub fn null(self) {
        self.out.push_str("null");
    }

    /// A free-form document.
    #[allow(dead_code, reason = "only models with document members write them")]
    pub fn document(self, value: &Value) {
        self.out.push_str(&value.to_string());
    }

    /// An object; members are added with [`JsonObject::key`].
    #[allow(dead_code, reason = "only models that send structures or maps write them")]
    pub fn object(self) -> JsonObject<'a> {
        self.out.push('{');
        JsonObject { out: self.out, empty: true }
    }

    /// An array; items are added with [`JsonArray::item`].
    #[allow(dead_code, reason = "only models that send lists write them")]
    pub fn array(self) -> JsonArray<'a> {
        self.out.push('[');
        JsonArray { out: self.out, empty: true }
    }
}

/// An object being written.
#[allow(dead_code, reason = "only models that send structures or maps write them")]
pub struct JsonObject<'a> {
    out: &'a mut String,
    empty: bool,
}

#[allow(dead_code, reason = "only models that send structures or maps write them")]
impl JsonObject<'_> {
    /// The slot for the member `name`.
    pub fn key(&mut self, name: &str) -> JsonValue<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        JsonValue { out: &mut *self.out }.string(name);
        self.out.push(':');
        JsonValue { out: &mut *self.out }
    }

    /// Closes the object.
    pub fn finish(self) {
        self.out.push('}');
    }
}

/// An array being written.
#[allow(dead_code, reason = "only models that send lists write them")]
pub struct JsonArray<'a> {
    out: &'a mut String,
    empty: bool,
}

#[allow(dead_code, reason = "only models that send lists write them")]
impl JsonArray<'_> {
    /// The slot for the next item.
    pub fn item(&mut self) -> JsonValue<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        JsonValue { out: &mut *self.out }
    }

    /// Closes the array.
    pub fn finish(self) {
        self.out.push(']');
    }
}

/// Reads a whole response body with `seed`, in one pass; an empty body reads as `{}`.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub fn read_body<'de, S: DeserializeSeed<'de>>(body: &'de [u8], seed: S) -> Result<S::Value, DeserializeError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    // UTF-8 is checked once for the whole body, not string by string as the parser would.
    let body = std::str::from_utf8(body)
        .map_err(|e| DeserializeError::new(format!("the body is not valid JSON: it is not UTF-8 ({e})")))?;
    let mut parser = serde_json::Deserializer::from_str(body);
    let value = seed.deserialize(&mut parser).map_err(read_error)?;
    parser.end().map_err(read_error)?;
    Ok(value)
}

/// Reads a value already parsed (a union's member) with `seed`.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub fn read_value<'de, S: DeserializeSeed<'de>>(value: &'de Value, seed: S) -> Result<S::Value, DeserializeError> {
    seed.deserialize(value).map_err(read_error)
}

/// Turns a parser error into a [`DeserializeError`]: a value of the wrong kind keeps the
/// message its seed wrote (which names the member), broken JSON says so.
fn read_error(error: serde_json::Error) -> DeserializeError {
    if !error.is_data() {
        return DeserializeError::new(format!("the body is not valid JSON: {error}"));
    }
    // serde_json appends the position to every message; the member path says more.
    let mut message = error.to_string();
    if error.line() != 0
        && let Some(at) = message.rfind(" at line ")
    {
        message.truncate(at);
    }
    DeserializeError::new(message)
}

/// A reader's error carried through the parser.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub fn fail<E: de::Error>(error: DeserializeError) -> E {
    E::custom(error)
}

/// A required member the response lacks.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub fn missing<E: de::Error>(member: &str) -> E {
    fail(DeserializeError::missing(member))
}

/// Skips a member the model does not know.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// A member name, borrowed from the body unless it has escapes.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A structure read member by member from a JSON object (implemented by the generated code).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub trait ReadObject: Sized {
    /// The shape's name, for errors (`Item: expected an object, found an array`).
    const NAME: &'static str;
    /// Reads the members, skipping unknown ones.
    fn read_members<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// What one seed does with each kind of JSON value. Each default refuses the value, naming
/// the member: one visitor ([`Visit`]) serves every seed, and every seed asks the parser for
/// any value (`deserialize_any`) so that the refusal is always this message.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub trait Accept<'de>: Sized {
    type Value;
    /// What the member holds (`a string`).
    const EXPECTED: &'static str;
    /// The member's path (`Item.Content`).
    fn ctx(&self) -> &str;

    fn refuse<E: de::Error>(self, found: &str) -> Result<Self::Value, E> {
        Err(E::custom(format_args!("{}: expected {}, found {found}", self.ctx(), Self::EXPECTED)))
    }
    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        self.refuse("null")
    }
    fn boolean<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        self.refuse("a boolean")
    }
    fn unsigned<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        self.refuse("a number")
    }
    fn signed<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        self.refuse("a number")
    }
    fn float<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        self.refuse("a number")
    }
    fn string<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        self.refuse("a string")
    }
    fn array<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.refuse("an array")
    }
    fn object<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.refuse("an object")
    }
}

/// The serde visitor of every seed: hands each value to the seed's [`Accept`].
struct Visit<S>(S);

impl<'de, S: Accept<'de>> Visitor<'de> for Visit<S> {
    type Value = S::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(S::EXPECTED)
    }
    fn visit_unit<E: de::Error>(self) -> Result<S::Value, E> {
        self.0.null()
    }
    fn visit_none<E: de::Error>(self) -> Result<S::Value, E> {
        self.0.null()
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Value, E> {
        self.0.boolean(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Value, E> {
        self.0.unsigned(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Value, E> {
        self.0.signed(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Value, E> {
        self.0.float(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Value, E> {
        self.0.string(v)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<S::Value, A::Error> {
        self.0.array(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<S::Value, A::Error> {
        self.0.object(map)
    }
}

/// Implements `DeserializeSeed` for seeds through [`Visit`].
macro_rules! seed {
    ($($seed:ident $(<$($param:ident $(: $bound:path)?),*>)?),* $(,)?) => {$(
        impl<'de, $($($param $(: $bound)?),*)?> DeserializeSeed<'de> for $seed $(<$($param),*>)?
        where
            $seed $(<$($param),*>)?: Accept<'de>,
        {
            type Value = <Self as Accept<'de>>::Value;
            fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
                deserializer.deserialize_any(Visit(self))
            }
        }
    )*};
}

seed!(
    Text,
    Boolean,
    Float,
    Integer<T>,
    StrEnum<T>,
    Structure<T>,
    DenseList<S>,
    SparseList<S>,
    DenseMap<S>,
    SparseMap<S>
);

/// A string.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct Text(pub &'static str);

impl<'de> Accept<'de> for Text {
    type Value = String;
    const EXPECTED: &'static str = "a string";
    fn ctx(&self) -> &str {
        self.0
    }
    fn string<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
}

/// A string enum (`T: From<&str>` keeps unknown values).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub struct StrEnum<T>(pub &'static str, PhantomData<fn() -> T>);

#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
impl<T> StrEnum<T> {
    pub const fn new(ctx: &'static str) -> Self {
        Self(ctx, PhantomData)
    }
}

impl<T> Clone for StrEnum<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for StrEnum<T> {}

impl<'de, T: for<'a> From<&'a str>> Accept<'de> for StrEnum<T> {
    type Value = T;
    const EXPECTED: &'static str = "a string";
    fn ctx(&self) -> &str {
        self.0
    }
    fn string<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// A boolean.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct Boolean(pub &'static str);

impl<'de> Accept<'de> for Boolean {
    type Value = bool;
    const EXPECTED: &'static str = "a boolean";
    fn ctx(&self) -> &str {
        self.0
    }
    fn boolean<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
}

/// An integer that must fit `T` (i8, i16, i32 or i64).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub struct Integer<T>(pub &'static str, PhantomData<fn() -> T>);

#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
impl<T> Integer<T> {
    pub const fn new(ctx: &'static str) -> Self {
        Self(ctx, PhantomData)
    }
}

impl<T> Clone for Integer<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Integer<T> {}

impl<'de, T: TryFrom<i64>> Accept<'de> for Integer<T> {
    type Value = T;
    const EXPECTED: &'static str = "an integer";
    fn ctx(&self) -> &str {
        self.0
    }
    fn unsigned<E: de::Error>(self, v: u64) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(wide) => self.signed(wide),
            Err(_) => self.refuse("a number"),
        }
    }
    fn signed<E: de::Error>(self, wide: i64) -> Result<T, E> {
        T::try_from(wide).map_err(|_| E::custom(format_args!("{}: {wide} is out of range", self.0)))
    }
}

/// A float: a number, or one of the strings `NaN`, `Infinity`, `-Infinity`.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct Float(pub &'static str);

impl<'de> Accept<'de> for Float {
    type Value = f64;
    const EXPECTED: &'static str = "a number";
    fn ctx(&self) -> &str {
        self.0
    }
    fn unsigned<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn signed<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn float<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn string<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => self.refuse("a string"),
        }
    }
}

/// A structure (or a response body) read by its [`ReadObject`] implementation.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub struct Structure<T>(PhantomData<fn() -> T>);

#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
impl<T> Structure<T> {
    /// The seed of a `T` (a const, so generated seeds can be built anywhere).
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for Structure<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for Structure<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Structure<T> {}

impl<'de, T: ReadObject> Accept<'de> for Structure<T> {
    type Value = T;
    const EXPECTED: &'static str = "an object";
    fn ctx(&self) -> &str {
        T::NAME
    }
    fn object<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_members(map)
    }
}

/// A member that may be `null` (read as `None`, as an absent member).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct Nullable<S>(pub S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        // `deserialize_option` tells `null` apart and hands anything else to the inner seed.
        deserializer.deserialize_option(NullableVisitor(self.0))
    }
}

struct NullableVisitor<S>(S);

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for NullableVisitor<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer).map(Some)
    }
}

/// A list whose `null` items are skipped rather than refused.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct DenseList<S>(pub S, pub &'static str);

impl<'de, S: DeserializeSeed<'de> + Copy> Accept<'de> for DenseList<S> {
    type Value = Vec<S::Value>;
    const EXPECTED: &'static str = "an array";
    fn ctx(&self) -> &str {
        self.1
    }
    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Nullable(self.0))? {
            items.extend(item);
        }
        Ok(items)
    }
}

/// A list that keeps its `null` items (`@sparse`).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct SparseList<S>(pub S, pub &'static str);

impl<'de, S: DeserializeSeed<'de> + Copy> Accept<'de> for SparseList<S> {
    type Value = Vec<Option<S::Value>>;
    const EXPECTED: &'static str = "an array";
    fn ctx(&self) -> &str {
        self.1
    }
    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Nullable(self.0))? {
            items.push(item);
        }
        Ok(items)
    }
}

/// A map whose `null` values are skipped.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct DenseMap<S>(pub S, pub &'static str);

impl<'de, S: DeserializeSeed<'de> + Copy> Accept<'de> for DenseMap<S> {
    type Value = std::collections::BTreeMap<String, S::Value>;
    const EXPECTED: &'static str = "an object";
    fn ctx(&self) -> &str {
        self.1
    }
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = std::collections::BTreeMap::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match map.next_value_seed(Nullable(self.0))? {
                Some(value) => entries.insert(key.as_str().to_owned(), value),
                None => entries.remove(key.as_str()),
            };
        }
        Ok(entries)
    }
}

/// A map that keeps its `null` values (`@sparse`).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct SparseMap<S>(pub S, pub &'static str);

impl<'de, S: DeserializeSeed<'de> + Copy> Accept<'de> for SparseMap<S> {
    type Value = std::collections::BTreeMap<String, Option<S::Value>>;
    const EXPECTED: &'static str = "an object";
    fn ctx(&self) -> &str {
        self.1
    }
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = std::collections::BTreeMap::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            entries.insert(key.as_str().to_owned(), map.next_value_seed(Nullable(self.0))?);
        }
        Ok(entries)
    }
}

/// A value read through a `serde_json::Value` of just this member, by one of the `&Value`
/// readers (unions, timestamps, blobs, documents, big numbers: rare enough that one reader of
/// each serves both the streaming and the tree path).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub struct ViaValue<F>(F);

/// A [`ViaValue`] seed calling `read`.
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
pub fn via_value<T, F: Fn(&Value) -> Result<T, DeserializeError> + Copy>(read: F) -> ViaValue<F> {
    ViaValue(read)
}

impl<F: Copy> Clone for ViaValue<F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F: Copy> Copy for ViaValue<F> {}

impl<'de, T, F: Fn(&Value) -> Result<T, DeserializeError> + Copy> DeserializeSeed<'de> for ViaValue<F> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let value = <Value as de::Deserialize>::deserialize(deserializer)?;
        (self.0)(&value).map_err(fail)
    }
}

/// A seed whose value is converted by `F` (int enums from their `i32`, `f32` from `f64`).
#[allow(dead_code, reason = "generated readers use the parts their model's shapes need; each model needs only some")]
#[derive(Clone, Copy)]
pub struct Convert<S, F>(pub S, pub F);

impl<'de, S: DeserializeSeed<'de>, T, F: FnOnce(S::Value) -> T> DeserializeSeed<'de> for Convert<S, F> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        self.0.deserialize(deserializer).map(self.1)
    }
}

/// Parses a response body; an empty body reads as an empty object.
pub fn parse_body(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Object::new()));
    }
    serde_json::from_slice(body).map_err(|e| DeserializeError::new(format!("the body is not valid JSON: {e}")))
}

/// The member `key` of `object`, unless absent or `null`.
#[allow(dead_code, reason = "only models that receive structures read their members")]
pub fn present<'a>(object: &'a Object, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

fn unexpected(what: &str, value: &Value, ctx: &str) -> DeserializeError {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    DeserializeError::new(format!("{ctx}: expected {what}, found {found}"))
}

/// An object.
#[allow(dead_code, reason = "only models that receive structures or maps read them")]
pub fn object<'a>(value: &'a Value, ctx: &str) -> Result<&'a Object, DeserializeError> {
    value.as_object().ok_or_else(|| unexpected("an object", value, ctx))
}

/// An array.
#[allow(dead_code, reason = "only models that receive lists read them")]
pub fn array<'a>(value: &'a Value, ctx: &str) -> Result<&'a [Value], DeserializeError> {
    value.as_array().map(Vec::as_slice).ok_or_else(|| unexpected("an array", value, ctx))
}

/// A string, borrowed.
pub fn str<'a>(value: &'a Value, ctx: &str) -> Result<&'a str, DeserializeError> {
    value.as_str().ok_or_else(|| unexpected("a string", value, ctx))
}

/// A string, owned.
#[allow(dead_code, reason = "only models that receive strings read them")]
pub fn string(value: &Value, ctx: &str) -> Result<String, DeserializeError> {
    str(value, ctx).map(str::to_owned)
}

/// A boolean.
#[allow(dead_code, reason = "only models with boolean members read them")]
pub fn boolean(value: &Value, ctx: &str) -> Result<bool, DeserializeError> {
    value.as_bool().ok_or_else(|| unexpected("a boolean", value, ctx))
}

/// An integer that must fit `T` (i8, i16, i32 or i64).
#[allow(dead_code, reason = "only models that receive integers read them")]
pub fn integer<T: TryFrom<i64>>(value: &Value, ctx: &str) -> Result<T, DeserializeError> {
    let wide = value.as_i64().ok_or_else(|| unexpected("an integer", value, ctx))?;
    T::try_from(wide).map_err(|_| DeserializeError::new(format!("{ctx}: {wide} is out of range")))
}

/// A float: a number, or one of the strings `NaN`, `Infinity`, `-Infinity`.
#[allow(dead_code, reason = "only models with float members read them")]
pub fn float(value: &Value, ctx: &str) -> Result<f64, DeserializeError> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| unexpected("a number", value, ctx)),
        Value::String(s) if s == "NaN" => Ok(f64::NAN),
        Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Value::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => Err(unexpected("a number", value, ctx)),
    }
}

/// A number kept as its text (big integers and decimals).
#[allow(dead_code, reason = "only models with epoch-seconds timestamps read them")]
pub fn number_text(value: &Value, ctx: &str) -> Result<String, DeserializeError> {
    match value {
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(unexpected("a number", value, ctx)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_documents_with_escapes() {
        let mut writer = JsonWriter::new();
        let mut object = writer.value().object();
        object.key("s").string("a\"b\\c\n\u{1}é");
        object.key("n").integer(-5);
        object.key("f").float(1.5);
        object.key("w").float(2.0);
        object.key("f32").float(1.1f32);
        object.key("nan").float(f64::NAN);
        let mut array = object.key("l").array();
        array.item().boolean(true);
        array.item().object().finish();
        array.finish();
        object.finish();
        let text = writer.finish();
        assert_eq!(text, r#"{"s":"a\"b\\c\n\u0001é","n":-5,"f":1.5,"w":2,"f32":1.1,"nan":"NaN","l":[true,{}]}"#);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["s"], "a\"b\\c\n\u{1}é");
    }

    /// A structure as the generated code reads it: `a` a string, `n` a byte, `l` a dense list
    /// of `Inner`, `m` a sparse map of booleans; `r` required.
    #[derive(Debug, PartialEq)]
    struct Outer {
        a: Option<String>,
        n: Option<i8>,
        l: Option<Vec<Inner>>,
        m: Option<std::collections::BTreeMap<String, Option<bool>>>,
        r: String,
    }

    #[derive(Debug, PartialEq)]
    struct Inner {
        f: Option<f64>,
    }

    impl ReadObject for Outer {
        const NAME: &'static str = "Outer";
        fn read_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut a, mut n, mut l, mut m, mut r) = (None, None, None, None, None);
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "a" => a = map.next_value_seed(Nullable(Text("Outer.a")))?,
                    "n" => n = map.next_value_seed(Nullable(Integer::<i8>::new("Outer.n")))?,
                    "l" => l = map.next_value_seed(Nullable(DenseList(Structure::<Inner>::new(), "Outer.l")))?,
                    "m" => m = map.next_value_seed(Nullable(SparseMap(Boolean("Outer.m{}"), "Outer.m")))?,
                    "r" => r = map.next_value_seed(Nullable(Text("Outer.r")))?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Outer { a, n, l, m, r: r.ok_or_else(|| missing::<A::Error>("Outer.r"))? })
        }
    }

    impl ReadObject for Inner {
        const NAME: &'static str = "Inner";
        fn read_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut f = None;
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "f" => f = map.next_value_seed(Nullable(Float("Inner.f")))?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Inner { f })
        }
    }

    fn read(body: &str) -> Result<Outer, String> {
        read_body(body.as_bytes(), Structure::<Outer>::new()).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_in_one_pass_skipping_unknown_members_and_nulls() {
        let body = r#"{"x": {"deep": [1, {"y": null}]}, "a": "h\u00e9", "n": null, "r": "",
            "l": [{"f": 1}, null, {"f": "NaN", "z": true}], "m": {"k": null, "t": true}}"#;
        let outer = read(body).unwrap();
        assert_eq!(outer.a.as_deref(), Some("h\u{e9}"));
        assert_eq!(outer.n, None);
        let l = outer.l.unwrap();
        assert_eq!(l.len(), 2, "dense lists skip nulls");
        assert_eq!(l[0].f, Some(1.0));
        assert!(l[1].f.unwrap().is_nan());
        assert_eq!(outer.m.unwrap().get("k"), Some(&None), "sparse maps keep nulls");
    }

    #[test]
    fn one_pass_errors_name_the_member_path() {
        assert_eq!(read(r#"{"r": "", "a": 5}"#).unwrap_err(), "Outer.a: expected a string, found a number");
        assert_eq!(read(r#"{"r": "", "n": 300}"#).unwrap_err(), "Outer.n: 300 is out of range");
        assert_eq!(read(r#"{"r": "", "n": 1.5}"#).unwrap_err(), "Outer.n: expected an integer, found a number");
        assert_eq!(
            read(r#"{"r": "", "l": [{"f": true}]}"#).unwrap_err(),
            "Inner.f: expected a number, found a boolean"
        );
        assert_eq!(read(r#"{"r": "", "l": [3]}"#).unwrap_err(), "Inner: expected an object, found a number");
        assert_eq!(read(r#"{"r": "", "l": {}}"#).unwrap_err(), "Outer.l: expected an array, found an object");
        assert_eq!(
            read(r#"{"r": "", "m": {"k": "yes"}}"#).unwrap_err(),
            "Outer.m{}: expected a boolean, found a string"
        );
        assert_eq!(read(r#"[]"#).unwrap_err(), "Outer: expected an object, found an array");
        assert_eq!(read(r#"{}"#).unwrap_err(), "Outer.r: required member is missing");
        assert_eq!(read("  ").unwrap_err(), "Outer.r: required member is missing", "an empty body reads as {{}}");
        assert!(read(r#"{"r": "" "#).unwrap_err().starts_with("the body is not valid JSON: "));
        assert!(read(r#"{"r": ""} x"#).unwrap_err().starts_with("the body is not valid JSON: "));
    }

    #[test]
    fn reads_with_the_member_path_in_errors() {
        let body = parse_body(br#"{"a": "x", "b": 300, "c": null}"#).unwrap();
        let object = object(&body, "Out").unwrap();
        assert_eq!(string(present(object, "a").unwrap(), "Out.a").unwrap(), "x");
        assert!(present(object, "c").is_none());
        let err = integer::<i8>(present(object, "b").unwrap(), "Out.b").unwrap_err();
        assert_eq!(err.to_string(), "Out.b: 300 is out of range");
        let err = string(present(object, "b").unwrap(), "Out.b").unwrap_err();
        assert_eq!(err.to_string(), "Out.b: expected a string, found a number");
        assert_eq!(parse_body(b"  ").unwrap(), Value::Object(Object::new()));
        assert!(parse_body(b"{\"a\":").is_err());
        assert!(float(&Value::from("Infinity"), "x").unwrap().is_infinite());
    }
}
