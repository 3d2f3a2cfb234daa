//! Types one shape of a JSON AST document: its `type` picks the kind, and each kind accepts
//! only the fields Smithy gives it (resources and `apply` statements ignore the rest).

use std::collections::BTreeMap;

use serde_json::Value;

use super::raw::RawShape;
use super::{
    Aggregate, ApplyShape, ListShape, MapShape, Member, OperationShape, OrderedMap, ResourceShape, ServiceShape, Shape,
    ShapeId, ShapeRef, Simple, Traits,
};
use crate::json::{FromJson, JsonError, JsonResult, Object, expected, unknown_variant};

/// The shape types of Smithy 2.0 (and 1.0's `set`), as `type` writes them.
const TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "operation",
    "resource",
    "apply",
];

impl FromJson for ShapeId {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let text = value.as_str().ok_or_else(|| expected(path, "a shape id", value))?;
        ShapeId::parse(text).map_err(|e| JsonError::at(path, e.message))
    }
}

impl FromJson for ShapeRef {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        Ok(ShapeRef { target: Object::new(value, path)?.get("target")? })
    }
}

impl FromJson for Member {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let object = Object::new(value, path)?;
        Ok(Member { target: object.get("target")?, traits: object.or_default("traits")? })
    }
}

impl FromJson for Traits {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        Ok(Traits::from_map(FromJson::from_json(value, path)?))
    }
}

/// Types a shape; errors carry the JSON path inside the shape (`members.Id.target`).
pub(super) fn shape(raw: RawShape) -> JsonResult<Shape> {
    let RawShape { mut fields, members: ordered } = raw;
    if ordered.is_some() {
        // Read apart (in order), but a field like any other for the check of unknown fields.
        fields.insert("members".to_owned(), Value::Null);
    }
    let value = Value::Object(fields);
    let object = Object::new(&value, "")?;
    let kind: String = object.get("type")?;
    let known = |fields: &[&str]| -> JsonResult<()> {
        let mut with_type = vec!["type"];
        with_type.extend_from_slice(fields);
        object.deny_unknown(&with_type)
    };
    let traits = || object.or_default::<Traits>("traits");
    let mixins = || object.or_default::<Vec<ShapeRef>>("mixins");
    let simple = || -> JsonResult<Simple> {
        known(&["traits", "mixins"])?;
        Ok(Simple { traits: traits()?, mixins: mixins()? })
    };
    let aggregate = || -> JsonResult<Aggregate> {
        known(&["members", "traits", "mixins"])?;
        Ok(Aggregate { members: members(ordered.as_ref(), &object)?, traits: traits()?, mixins: mixins()? })
    };
    let list = || -> JsonResult<ListShape> {
        known(&["member", "traits", "mixins"])?;
        Ok(ListShape { member: object.get("member")?, traits: traits()?, mixins: mixins()? })
    };
    Ok(match kind.as_str() {
        "blob" => Shape::Blob(simple()?),
        "boolean" => Shape::Boolean(simple()?),
        "string" => Shape::String(simple()?),
        "byte" => Shape::Byte(simple()?),
        "short" => Shape::Short(simple()?),
        "integer" => Shape::Integer(simple()?),
        "long" => Shape::Long(simple()?),
        "float" => Shape::Float(simple()?),
        "double" => Shape::Double(simple()?),
        "bigInteger" => Shape::BigInteger(simple()?),
        "bigDecimal" => Shape::BigDecimal(simple()?),
        "timestamp" => Shape::Timestamp(simple()?),
        "document" => Shape::Document(simple()?),
        "enum" => Shape::Enum(aggregate()?),
        "intEnum" => Shape::IntEnum(aggregate()?),
        "structure" => Shape::Structure(aggregate()?),
        "union" => Shape::Union(aggregate()?),
        "list" => Shape::List(list()?),
        "set" => Shape::Set(list()?),
        "map" => {
            known(&["key", "value", "traits", "mixins"])?;
            Shape::Map(MapShape {
                key: object.get("key")?,
                value: object.get("value")?,
                traits: traits()?,
                mixins: mixins()?,
            })
        }
        "service" => {
            known(&["version", "operations", "resources", "errors", "rename", "traits", "mixins"])?;
            let rename: BTreeMap<String, String> = object.or_default("rename")?;
            let rename = rename
                .into_iter()
                .map(|(id, name)| Ok((ShapeId::parse(&id).map_err(|e| JsonError::at("rename", e.message))?, name)))
                .collect::<JsonResult<_>>()?;
            Shape::Service(ServiceShape {
                version: object.opt("version")?,
                operations: object.or_default("operations")?,
                resources: object.or_default("resources")?,
                errors: object.or_default("errors")?,
                rename,
                traits: traits()?,
                mixins: mixins()?,
            })
        }
        "operation" => {
            known(&["input", "output", "errors", "traits", "mixins"])?;
            Shape::Operation(OperationShape {
                input: object.opt("input")?,
                output: object.opt("output")?,
                errors: object.or_default("errors")?,
                traits: traits()?,
                mixins: mixins()?,
            })
        }
        // Identifiers, properties and the like name nothing a client calls.
        "resource" => Shape::Resource(ResourceShape {
            create: object.opt("create")?,
            put: object.opt("put")?,
            read: object.opt("read")?,
            update: object.opt("update")?,
            delete: object.opt("delete")?,
            list: object.opt("list")?,
            operations: object.or_default("operations")?,
            collection_operations: object.or_default("collectionOperations")?,
            resources: object.or_default("resources")?,
            traits: traits()?,
            mixins: mixins()?,
        }),
        "apply" => Shape::Apply(ApplyShape { traits: traits()?, mixins: mixins()? }),
        other => return Err(unknown_variant("type", other, TYPES)),
    })
}

/// The members read in order, or the error for a `members` field that is not an object.
fn members(ordered: Option<&OrderedMap<Value>>, object: &Object) -> JsonResult<OrderedMap<Member>> {
    if let (None, Some(other)) = (ordered, object.fields().get("members")) {
        return Err(expected("members", "an object", other));
    }
    let mut members = OrderedMap::default();
    for (name, value) in ordered.into_iter().flat_map(OrderedMap::iter) {
        members.insert(name.clone(), Member::from_json(value, &format!("members.{name}"))?);
    }
    Ok(members)
}
