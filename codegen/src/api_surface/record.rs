//! The JSON layout of a recorded [`ApiSurface`] (`api-surface.json`): written and read with
//! [`crate::json`]. Fields are written under their Rust names; enums as `{"variant": {...}}`
//! (snake_case), the layout serde's derive gave them, so that records written before still read.

use serde_json::Value;

use super::{
    ApiSurface, Argument, EndpointParam, EndpointSurface, Field, Method, RustType, Setter, TypeDef, TypeKind, Variant,
};
use crate::json::{FromJson, JsonResult, Object, ObjectWriter, ToJson, tagged, unknown_variant, untag};

impl ToJson for ApiSurface {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("service", &self.service)
            .field("methods", &self.methods)
            .field("types", &self.types)
            .field("endpoint", &self.endpoint)
            .field_unless_empty("verbatim", &self.verbatim)
            .build()
    }
}

impl FromJson for ApiSurface {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(ApiSurface {
            service: o.get("service")?,
            methods: o.get("methods")?,
            types: o.get("types")?,
            endpoint: o.get("endpoint")?,
            verbatim: o.opt("verbatim")?,
        })
    }
}

impl ToJson for Method {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field("shape", &self.shape)
            .field("arguments", &self.arguments)
            .field("builder", &self.builder)
            .field("setters", &self.setters)
            .field("errors", &self.errors)
            .field("paginated", &self.paginated)
            .field("deprecated", &self.deprecated)
            .field("docs", &self.docs)
            .build()
    }
}

impl FromJson for Method {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Method {
            name: o.get("name")?,
            shape: o.get("shape")?,
            arguments: o.get("arguments")?,
            builder: o.get("builder")?,
            setters: o.get("setters")?,
            errors: o.get("errors")?,
            paginated: o.get("paginated")?,
            deprecated: o.opt("deprecated")?,
            docs: o.get("docs")?,
        })
    }
}

impl ToJson for Argument {
    fn to_json(&self) -> Value {
        ObjectWriter::new().field("name", &self.name).field("member", &self.member).field("ty", &self.ty).build()
    }
}

impl FromJson for Argument {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Argument { name: o.get("name")?, member: o.get("member")?, ty: o.get("ty")? })
    }
}

impl ToJson for Setter {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field("member", &self.member)
            .field("ty", &self.ty)
            .field("clearable", &self.clearable)
            .field("deprecated", &self.deprecated)
            .build()
    }
}

impl FromJson for Setter {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Setter {
            name: o.get("name")?,
            member: o.get("member")?,
            ty: o.get("ty")?,
            clearable: o.get("clearable")?,
            deprecated: o.opt("deprecated")?,
        })
    }
}

impl ToJson for TypeDef {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("path", &self.path)
            .field("shape", &self.shape)
            .field("kind", &self.kind)
            .field("non_exhaustive", &self.non_exhaustive)
            .field("deprecated", &self.deprecated)
            .field("docs", &self.docs)
            .build()
    }
}

impl FromJson for TypeDef {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(TypeDef {
            path: o.get("path")?,
            shape: o.get("shape")?,
            kind: o.get("kind")?,
            non_exhaustive: o.get("non_exhaustive")?,
            deprecated: o.opt("deprecated")?,
            docs: o.get("docs")?,
        })
    }
}

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

impl ToJson for Field {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field("member", &self.member)
            .field("ty", &self.ty)
            .field("default", &self.default)
            .field("deprecated", &self.deprecated)
            .field("docs", &self.docs)
            .build()
    }
}

impl FromJson for Field {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Field {
            name: o.get("name")?,
            member: o.get("member")?,
            ty: o.get("ty")?,
            default: o.opt("default")?,
            deprecated: o.opt("deprecated")?,
            docs: o.get("docs")?,
        })
    }
}

impl ToJson for Variant {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field("shape", &self.shape)
            .field("ty", &self.ty)
            .field("value", &self.value)
            .field("deprecated", &self.deprecated)
            .field("docs", &self.docs)
            .build()
    }
}

impl FromJson for Variant {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Variant {
            name: o.get("name")?,
            shape: o.get("shape")?,
            ty: o.opt("ty")?,
            value: o.opt("value")?,
            deprecated: o.opt("deprecated")?,
            docs: o.get("docs")?,
        })
    }
}

impl ToJson for EndpointSurface {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("params", &self.params)
            .field("rules", &self.rules)
            .field("tests", &self.tests)
            .field("tests_digest", &self.tests_digest)
            .build()
    }
}

impl FromJson for EndpointSurface {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(EndpointSurface {
            params: o.get("params")?,
            rules: o.opt("rules")?,
            tests: o.get("tests")?,
            tests_digest: o.get("tests_digest")?,
        })
    }
}

impl ToJson for EndpointParam {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field("field", &self.field)
            .field("ty", &self.ty)
            .field("built_in", &self.built_in)
            .field("required", &self.required)
            .field("deprecated", &self.deprecated)
            .build()
    }
}

impl FromJson for EndpointParam {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(EndpointParam {
            name: o.get("name")?,
            field: o.get("field")?,
            ty: o.get("ty")?,
            built_in: o.opt("built_in")?,
            required: o.get("required")?,
            deprecated: o.get("deprecated")?,
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
