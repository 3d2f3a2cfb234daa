//! The JSON layout of a recorded [`ApiSurface`] (`api-surface.json`): written and read with
//! [`crate::json`]. Fields are written under their Rust names; enums as `{"variant": {...}}`
//! (snake_case), the layout serde's derive gave them, so that records written before still read.

use serde_json::Value;

use super::{
    ApiSurface, Argument, EndpointParam, EndpointSurface, Field, Method, RustType, Setter, TypeDef, TypeKind, Variant,
};
use crate::json::{FromJson, JsonResult, Object, ObjectWriter, ToJson, tagged, unknown_variant, untag};

crate::json_struct!(ApiSurface { service: req, methods: req, types: req, endpoint: req, verbatim: skip });
crate::json_struct!(Method {
    name: req,
    shape: req,
    arguments: req,
    builder: req,
    setters: req,
    errors: req,
    paginated: req,
    deprecated: opt,
    docs: req,
});
crate::json_struct!(Argument { name: req, member: req, ty: req });
crate::json_struct!(Setter { name: req, member: req, ty: req, clearable: req, deprecated: opt });
crate::json_struct!(TypeDef { path: req, shape: req, kind: req, non_exhaustive: req, deprecated: opt, docs: req });
crate::json_struct!(Field { name: req, member: req, ty: req, default: opt, deprecated: opt, docs: req });
crate::json_struct!(Variant { name: req, shape: req, ty: opt, value: opt, deprecated: opt, docs: req });
crate::json_struct!(EndpointSurface { params: req, rules: opt, tests: req, tests_digest: req });
crate::json_struct!(EndpointParam { name: req, field: req, ty: req, built_in: opt, required: req, deprecated: req });

impl ToJson for TypeKind {
    fn to_json(&self) -> Value {
        let variants = |variants: &Vec<Variant>, unknown: &bool| {
            ObjectWriter::new().field("variants", variants).field("unknown", unknown).build()
        };
        match self {
            TypeKind::Struct { fields, constructor, setters } => tagged(
                "struct",
                ObjectWriter::new()
                    .field("fields", fields)
                    .field("constructor", constructor)
                    .field("setters", setters)
                    .build(),
            ),
            TypeKind::Union { variants: v, unknown } => tagged("union", variants(v, unknown)),
            TypeKind::Enum { variants: v, unknown } => tagged("enum", variants(v, unknown)),
            TypeKind::Errors { variants: v, unknown } => tagged("errors", variants(v, unknown)),
        }
    }
}

impl FromJson for TypeKind {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let (tag, content) = untag(value, path)?;
        let path = crate::json::child(path, tag);
        let o = Object::new(content, &path)?;
        Ok(match tag {
            "struct" => TypeKind::Struct {
                fields: o.get("fields")?,
                constructor: o.opt("constructor")?,
                setters: o.get("setters")?,
            },
            "union" => TypeKind::Union { variants: o.get("variants")?, unknown: o.get("unknown")? },
            "enum" => TypeKind::Enum { variants: o.get("variants")?, unknown: o.get("unknown")? },
            "errors" => TypeKind::Errors { variants: o.get("variants")?, unknown: o.get("unknown")? },
            other => return Err(unknown_variant(o.path(), other, &["struct", "union", "enum", "errors"])),
        })
    }
}

impl ToJson for RustType {
    fn to_json(&self) -> Value {
        match self {
            RustType::Builtin(name) => tagged("builtin", name.to_json()),
            RustType::Named { path, shape } => {
                tagged("named", ObjectWriter::new().field("path", path).field("shape", shape).build())
            }
            RustType::List { item, sparse } => {
                tagged("list", ObjectWriter::new().field("item", item).field("sparse", sparse).build())
            }
            RustType::Map { value, sparse } => {
                tagged("map", ObjectWriter::new().field("value", value).field("sparse", sparse).build())
            }
            RustType::Option(inner) => tagged("option", inner.to_json()),
            RustType::Boxed(inner) => tagged("boxed", inner.to_json()),
        }
    }
}

impl FromJson for RustType {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let (tag, content) = untag(value, path)?;
        let path = crate::json::child(path, tag);
        Ok(match tag {
            "builtin" => RustType::Builtin(String::from_json(content, &path)?),
            "named" => {
                let o = Object::new(content, &path)?;
                RustType::Named { path: o.get("path")?, shape: o.get("shape")? }
            }
            "list" => {
                let o = Object::new(content, &path)?;
                RustType::List { item: o.get("item")?, sparse: o.get("sparse")? }
            }
            "map" => {
                let o = Object::new(content, &path)?;
                RustType::Map { value: o.get("value")?, sparse: o.get("sparse")? }
            }
            "option" => RustType::Option(FromJson::from_json(content, &path)?),
            "boxed" => RustType::Boxed(FromJson::from_json(content, &path)?),
            other => {
                return Err(unknown_variant(&path, other, &["builtin", "named", "list", "map", "option", "boxed"]));
            }
        })
    }
}
