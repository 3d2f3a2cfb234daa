//! The Smithy prelude (`smithy.api#String`, `smithy.api#Unit`, ...), which models refer to
//! without defining.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::json;

use super::{Aggregate, Shape, ShapeId, Simple, Traits};

/// The prelude shape with this id, if there is one.
pub fn shape(id: &ShapeId) -> Option<&'static Shape> {
    static PRELUDE: OnceLock<BTreeMap<String, Shape>> = OnceLock::new();
    PRELUDE.get_or_init(build).get(id.as_str())
}

fn build() -> BTreeMap<String, Shape> {
    let simple = |traits: Traits| Simple { traits, mixins: Vec::new() };
    let none = Traits::default;
    let zero = |value: serde_json::Value| Traits::from_pairs([("smithy.api#default", value)]);
    let mut shapes = BTreeMap::new();
    let mut add = |name: &str, shape: Shape| {
        shapes.insert(format!("smithy.api#{name}"), shape);
    };
    add("String", Shape::String(simple(none())));
    add("Blob", Shape::Blob(simple(none())));
    add("BigInteger", Shape::BigInteger(simple(none())));
    add("BigDecimal", Shape::BigDecimal(simple(none())));
    add("Timestamp", Shape::Timestamp(simple(none())));
    add("Document", Shape::Document(simple(none())));
    add("Boolean", Shape::Boolean(simple(none())));
    add("Byte", Shape::Byte(simple(none())));
    add("Short", Shape::Short(simple(none())));
    add("Integer", Shape::Integer(simple(none())));
    add("Long", Shape::Long(simple(none())));
    add("Float", Shape::Float(simple(none())));
    add("Double", Shape::Double(simple(none())));
    add("PrimitiveBoolean", Shape::Boolean(simple(zero(json!(false)))));
    add("PrimitiveByte", Shape::Byte(simple(zero(json!(0)))));
    add("PrimitiveShort", Shape::Short(simple(zero(json!(0)))));
    add("PrimitiveInteger", Shape::Integer(simple(zero(json!(0)))));
    add("PrimitiveLong", Shape::Long(simple(zero(json!(0)))));
    add("PrimitiveFloat", Shape::Float(simple(zero(json!(0)))));
    add("PrimitiveDouble", Shape::Double(simple(zero(json!(0)))));
    add(
        "Unit",
        Shape::Structure(Aggregate {
            traits: Traits::from_pairs([("smithy.api#unitType", json!({}))]),
            ..Aggregate::default()
        }),
    );
    shapes
}
