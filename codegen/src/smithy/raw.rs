//! The text of a JSON AST document, split into shapes in the order the document writes them,
//! each a JSON object whose `members` keep their order.
//!
//! A [`serde_json::Value`] sorts object keys (serde_json without `preserve_order`, which would
//! build indexmap too), but member order is part of a Smithy model (struct fields, positional
//! arguments, documentation). So the document is walked here with serde's visitor traits,
//! written by hand (no derive, see [`crate::json`]): `shapes` and each shape's `members` are
//! read as ordered entries, everything else as plain `Value`s for [`super::read`].

use std::fmt;

use serde_core::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::OrderedMap;

/// A document: its IDL version and its shapes by id text, in document order.
#[derive(Debug)]
pub(super) struct RawModel {
    pub smithy: String,
    pub shapes: OrderedMap<RawShape>,
}

/// One shape: its fields but `members`, and its members in document order.
#[derive(Debug, Default)]
pub(super) struct RawShape {
    pub fields: Map<String, Value>,
    pub members: Option<OrderedMap<Value>>,
}

impl RawModel {
    /// Reads a document; the error is serde_json's (with line and column).
    pub fn from_str(json: &str) -> Result<RawModel, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let model = deserializer.deserialize_map(ModelVisitor)?;
        deserializer.end()?;
        Ok(model)
    }
}

struct ModelVisitor;

impl<'de> Visitor<'de> for ModelVisitor {
    type Value = RawModel;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Smithy JSON AST document (an object with `smithy` and `shapes`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<RawModel, A::Error> {
        let mut smithy = None;
        let mut shapes = OrderedMap::default();
        while let Some(key) = access.next_key::<String>()? {
            match key.as_str() {
                "smithy" => smithy = Some(access.next_value::<String>()?),
                "shapes" => shapes = access.next_value_seed(Entries(ShapeSeed))?,
                // `metadata` and anything else: not read by the generator.
                _ => {
                    access.next_value::<IgnoredAny>()?;
                }
            }
        }
        let smithy = smithy.ok_or_else(|| serde_core::de::Error::missing_field("smithy"))?;
        Ok(RawModel { smithy, shapes })
    }
}

/// An object read as ordered entries, each value read with the inner seed.
struct Entries<S>(S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for Entries<S> {
    type Value = OrderedMap<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for Entries<S> {
    type Value = OrderedMap<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = OrderedMap::default();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(self.0)?;
            map.insert(key, value);
        }
        Ok(map)
    }
}

/// Reads a plain `Value` (a member).
#[derive(Clone, Copy)]
struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        serde_core::Deserialize::deserialize(deserializer)
    }
}

/// Reads one shape.
#[derive(Clone, Copy)]
struct ShapeSeed;

impl<'de> DeserializeSeed<'de> for ShapeSeed {
    type Value = RawShape;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawShape, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ShapeSeed {
    type Value = RawShape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a shape (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<RawShape, A::Error> {
        let mut shape = RawShape::default();
        while let Some(key) = access.next_key::<String>()? {
            if key == "members" {
                match access.next_value_seed(MembersSeed)? {
                    Members::Ordered(members) => shape.members = Some(members),
                    // Not an object: kept for `read` to refuse with the shape's name.
                    Members::Other(value) => {
                        shape.fields.insert(key, value);
                    }
                }
            } else {
                let value = access.next_value::<Value>()?;
                shape.fields.insert(key, value);
            }
        }
        Ok(shape)
    }
}

/// `members`: ordered entries when an object, else the value as it is.
enum Members {
    Ordered(OrderedMap<Value>),
    Other(Value),
}

#[derive(Clone, Copy)]
struct MembersSeed;

impl<'de> DeserializeSeed<'de> for MembersSeed {
    type Value = Members;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Members, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MembersSeed {
    type Value = Members;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Members, A::Error> {
        Entries(ValueSeed).visit_map(access).map(Members::Ordered)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Members, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Members::Other(Value::Array(items)))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Members, E> {
        Ok(Members::Other(Value::from(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Members, E> {
        Ok(Members::Other(Value::from(value)))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Members, E> {
        Ok(Members::Other(Value::from(value)))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Members, E> {
        Ok(Members::Other(Value::from(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Members, E> {
        Ok(Members::Other(Value::from(value)))
    }

    fn visit_unit<E>(self) -> Result<Members, E> {
        Ok(Members::Other(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::RawModel;

    #[test]
    fn keeps_the_order_of_shapes_and_members() {
        let json = r#"{"smithy": "2.0", "metadata": {"x": [1]}, "shapes": {
            "ns#B": {"type": "structure", "members": {"z": {"target": "ns#S"}, "a": {"target": "ns#S"}}},
            "ns#A": {"type": "string"}}}"#;
        let model = RawModel::from_str(json).unwrap();
        assert_eq!(model.smithy, "2.0");
        let ids: Vec<&String> = model.shapes.iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["ns#B", "ns#A"]);
        let b = model.shapes.get("ns#B").unwrap();
        let members: Vec<&String> = b.members.as_ref().unwrap().iter().map(|(name, _)| name).collect();
        assert_eq!(members, ["z", "a"]);
        assert_eq!(b.fields["type"], "structure");
        assert!(RawModel::from_str(r#"{"shapes": {}}"#).unwrap_err().to_string().contains("smithy"));
        assert!(RawModel::from_str(r#"{"smithy": "2.0"} x"#).is_err());
    }
}
