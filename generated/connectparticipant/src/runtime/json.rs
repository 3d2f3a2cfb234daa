//! JSON documents: a streaming writer for requests and typed readers for responses.
//!
//! Requests are written straight into a buffer (no intermediate tree). Responses are parsed
//! into a `serde_json::Value` and read member by member, so a missing or unexpected member is
//! reported with the path of the member.

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
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
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
        self.out.push('"');
        for c in value.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c if (c as u32) < 0x20 => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                c => self.out.push(c),
            }
        }
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
