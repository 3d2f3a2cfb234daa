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

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(ty: Option<RustType>) -> Variant {
        Variant { name: "V".into(), shape: "s#U$v".into(), ty, value: None, deprecated: None, docs: "d".into() }
    }

    #[test]
    fn every_kind_of_type_round_trips_through_the_record() {
        let named = RustType::Named { path: "types::Item".into(), shape: "s#Item".into() };
        let every_type = RustType::Option(Box::new(RustType::Map {
            value: Box::new(RustType::List { item: Box::new(RustType::Boxed(Box::new(named))), sparse: true }),
            sparse: false,
        }));
        let field = Field {
            name: "f".into(),
            member: "s#S$f".into(),
            ty: every_type.clone(),
            default: Some("0".into()),
            deprecated: Some("old".into()),
            docs: "d".into(),
        };
        let argument = Argument { name: "a".into(), member: "s#S$a".into(), ty: RustType::Builtin("String".into()) };
        let setter =
            Setter { name: "f".into(), member: "s#S$f".into(), ty: every_type, clearable: true, deprecated: None };
        let kinds = [
            TypeKind::Struct {
                fields: vec![field],
                constructor: Some(vec![argument.clone()]),
                setters: vec![setter.clone()],
            },
            TypeKind::Struct { fields: vec![], constructor: None, setters: vec![] },
            TypeKind::Union { variants: vec![variant(Some(RustType::Builtin("i32".into())))], unknown: true },
            TypeKind::Enum { variants: vec![variant(None)], unknown: false },
            TypeKind::Errors { variants: vec![variant(None)], unknown: true },
        ];
        let surface = ApiSurface {
            service: "s#S".into(),
            methods: vec![Method {
                name: "op".into(),
                shape: "s#Op".into(),
                arguments: vec![argument],
                builder: "operation::op::OpBuilder".into(),
                setters: vec![setter],
                errors: vec!["s#E".into()],
                paginated: true,
                deprecated: Some("old".into()),
                docs: "d".into(),
            }],
            types: kinds
                .into_iter()
                .map(|kind| TypeDef {
                    path: "types::T".into(),
                    shape: "s#T".into(),
                    kind,
                    non_exhaustive: true,
                    deprecated: None,
                    docs: "d".into(),
                })
                .collect(),
            endpoint: EndpointSurface {
                params: vec![EndpointParam {
                    name: "Region".into(),
                    field: "region".into(),
                    ty: RustType::Option(Box::new(RustType::Builtin("String".into()))),
                    built_in: Some("AWS::Region".into()),
                    required: false,
                    deprecated: true,
                }],
                rules: Some("r".into()),
                tests: 3,
                tests_digest: "t".into(),
            },
            verbatim: None,
        };
        assert_eq!(ApiSurface::from_json(&surface.to_json()).unwrap(), surface);
        let error = ApiSurface::from_json(r#"{"service": "s", "methods": [], "types": [{"kind": {"record": {}}}]}"#)
            .unwrap_err();
        assert!(error.contains("types[0]"), "{error}");
    }
}
