//! JSON documents: a streaming writer for requests and typed readers for responses.
//!
//! Requests are written straight into a buffer (no intermediate tree). Responses are parsed
//! into a `serde_json::Value` and read member by member, so a missing or unexpected member is
//! reported with the path of the member.

// These helpers cover every restJson1 construct; each model uses only some of them.
#![allow(dead_code)]

use serde_json::Value;

use super::response::DeserializeError;

/// A JSON object of a response.
pub(crate) type Object = serde_json::Map<String, Value>;

/// Writes one JSON document.
#[derive(Debug, Default)]
pub(crate) struct JsonWriter {
    out: String,
}

impl JsonWriter {
    /// An empty writer.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The top-level value.
    pub(crate) fn value(&mut self) -> JsonValue<'_> {
        JsonValue { out: &mut self.out }
    }

    /// The document written.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// A slot for one JSON value.
pub(crate) struct JsonValue<'a> {
    out: &'a mut String,
}

impl<'a> JsonValue<'a> {
    /// A string, escaped.
    pub(crate) fn string(self, value: &str) {
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
    pub(crate) fn boolean(self, value: bool) {
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// An integer.
    pub(crate) fn integer(self, value: i64) {
        self.out.push_str(&value.to_string());
    }

    /// A float (`f32` or `f64`), as the shortest decimal that reads back as the same value of
    /// its own type (`1.1f32` is `1.1`); NaN and the infinities are written as the strings
    /// Smithy prescribes.
    pub(crate) fn float<F: Into<f64> + Copy + std::fmt::Display>(self, value: F) {
        let wide: f64 = value.into();
        if wide.is_nan() {
            self.string("NaN")
        } else if wide.is_infinite() {
            self.string(if wide > 0.0 { "Infinity" } else { "-Infinity" })
        } else if wide.fract() == 0.0 && wide.abs() < 1e15 {
            // Whole floats keep the short form `1` rather than `1.0`, as the AWS SDKs write them.
            self.out.push_str(&format!("{wide:.0}"))
        } else {
            // `Display` never uses exponent notation, so the text is a valid JSON number.
            self.out.push_str(&value.to_string())
        }
    }

    /// A number the client formatted itself (epoch seconds), written as is.
    pub(crate) fn number_text(self, value: &str) {
        self.out.push_str(value);
    }

    /// A big integer or decimal given as text by the caller: written as a JSON number when it
    /// is one, refused otherwise (it would corrupt the document).
    pub(crate) fn big_number(self, value: &str, member: &str) -> Result<(), crate::error::BuildError> {
        if serde_json::from_str::<serde_json::Number>(value).is_err() || value.trim() != value {
            return Err(crate::error::BuildError::new(format!("`{member}` must be a number, not {value:?}")));
        }
        self.out.push_str(value);
        Ok(())
    }

    /// `null` (items of sparse lists and maps).
    pub(crate) fn null(self) {
        self.out.push_str("null");
    }

    /// A free-form document.
    pub(crate) fn document(self, value: &Value) {
        self.out.push_str(&value.to_string());
    }

    /// An object; members are added with [`JsonObject::key`].
    pub(crate) fn object(self) -> JsonObject<'a> {
        self.out.push('{');
        JsonObject { out: self.out, empty: true }
    }

    /// An array; items are added with [`JsonArray::item`].
    pub(crate) fn array(self) -> JsonArray<'a> {
        self.out.push('[');
        JsonArray { out: self.out, empty: true }
    }
}

/// An object being written.
pub(crate) struct JsonObject<'a> {
    out: &'a mut String,
    empty: bool,
}

impl JsonObject<'_> {
    /// The slot for the member `name`.
    pub(crate) fn key(&mut self, name: &str) -> JsonValue<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        JsonValue { out: &mut *self.out }.string(name);
        self.out.push(':');
        JsonValue { out: &mut *self.out }
    }

    /// Closes the object.
    pub(crate) fn finish(self) {
        self.out.push('}');
    }
}

/// An array being written.
pub(crate) struct JsonArray<'a> {
    out: &'a mut String,
    empty: bool,
}

impl JsonArray<'_> {
    /// The slot for the next item.
    pub(crate) fn item(&mut self) -> JsonValue<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        JsonValue { out: &mut *self.out }
    }

    /// Closes the array.
    pub(crate) fn finish(self) {
        self.out.push(']');
    }
}

/// Parses a response body; an empty body reads as an empty object.
pub(crate) fn parse_body(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Object::new()));
    }
    serde_json::from_slice(body).map_err(|e| DeserializeError::new(format!("the body is not valid JSON: {e}")))
}

/// The member `key` of `object`, unless absent or `null`.
pub(crate) fn present<'a>(object: &'a Object, key: &str) -> Option<&'a Value> {
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
pub(crate) fn object<'a>(value: &'a Value, ctx: &str) -> Result<&'a Object, DeserializeError> {
    value.as_object().ok_or_else(|| unexpected("an object", value, ctx))
}

/// An array.
pub(crate) fn array<'a>(value: &'a Value, ctx: &str) -> Result<&'a [Value], DeserializeError> {
    value.as_array().map(Vec::as_slice).ok_or_else(|| unexpected("an array", value, ctx))
}

/// A string, borrowed.
pub(crate) fn str<'a>(value: &'a Value, ctx: &str) -> Result<&'a str, DeserializeError> {
    value.as_str().ok_or_else(|| unexpected("a string", value, ctx))
}

/// A string, owned.
pub(crate) fn string(value: &Value, ctx: &str) -> Result<String, DeserializeError> {
    str(value, ctx).map(str::to_owned)
}

/// A boolean.
pub(crate) fn boolean(value: &Value, ctx: &str) -> Result<bool, DeserializeError> {
    value.as_bool().ok_or_else(|| unexpected("a boolean", value, ctx))
}

/// An integer that must fit `T` (i8, i16, i32 or i64).
pub(crate) fn integer<T: TryFrom<i64>>(value: &Value, ctx: &str) -> Result<T, DeserializeError> {
    let wide = value.as_i64().ok_or_else(|| unexpected("an integer", value, ctx))?;
    T::try_from(wide).map_err(|_| DeserializeError::new(format!("{ctx}: {wide} is out of range")))
}

/// A float: a number, or one of the strings `NaN`, `Infinity`, `-Infinity`.
pub(crate) fn float(value: &Value, ctx: &str) -> Result<f64, DeserializeError> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| unexpected("a number", value, ctx)),
        Value::String(s) if s == "NaN" => Ok(f64::NAN),
        Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Value::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => Err(unexpected("a number", value, ctx)),
    }
}

/// A number kept as its text (big integers and decimals).
pub(crate) fn number_text(value: &Value, ctx: &str) -> Result<String, DeserializeError> {
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
