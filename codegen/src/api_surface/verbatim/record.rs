//! The JSON layout of a recorded [`VerbatimSurface`] (the `verbatim` part of
//! `api-surface.json`), written and read with [`crate::json`]: the layout serde's derive gave
//! it (empty lists and strings, and absent deprecations, left out; `impls` and a trait method's
//! signature inlined in their object), so that records written before still read.

use serde_json::Value;

use super::{Field, Impls, Item, ItemKind, MacroEntry, Signature, TraitMethod, Variant, VerbatimSurface};
use crate::json::{FromJson, JsonResult, Object, ObjectWriter, ToJson, child, tagged, unknown_variant, untag};

impl ToJson for VerbatimSurface {
    fn to_json(&self) -> Value {
        ObjectWriter::new().field("items", &self.items).field_unless_empty("sources", &self.sources).build()
    }
}

impl FromJson for VerbatimSurface {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(VerbatimSurface { items: o.get("items")?, sources: o.or_default("sources")? })
    }
}

impl ToJson for Item {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("path", &self.path)
            .field("origin", &self.origin)
            .field_unless_empty("cfg", &self.cfg)
            .field("kind", &self.kind)
            .field_unless_empty("deprecated", &self.deprecated)
            .field_unless_empty("docs", &self.docs)
            .build()
    }
}

impl FromJson for Item {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Item {
            path: o.get("path")?,
            origin: o.get("origin")?,
            cfg: o.or_default("cfg")?,
            kind: o.get("kind")?,
            deprecated: o.opt("deprecated")?,
            docs: o.or_default("docs")?,
        })
    }
}

/// The variant names of [`ItemKind`], as recorded.
const ITEM_KINDS: &[&str] = &["module", "struct", "enum", "fn", "trait", "const", "static", "type_alias", "reexport"];

impl ToJson for ItemKind {
    fn to_json(&self) -> Value {
        match self {
            ItemKind::Module => Value::String("module".to_owned()),
            ItemKind::Struct { generics, non_exhaustive, private_fields, fields, impls } => tagged(
                "struct",
                ObjectWriter::new()
                    .field("generics", generics)
                    .field("non_exhaustive", non_exhaustive)
                    .field("private_fields", private_fields)
                    .field("fields", fields)
                    .flatten(impls)
                    .build(),
            ),
            ItemKind::Enum { generics, non_exhaustive, variants, impls } => tagged(
                "enum",
                ObjectWriter::new()
                    .field("generics", generics)
                    .field("non_exhaustive", non_exhaustive)
                    .field("variants", variants)
                    .flatten(impls)
                    .build(),
            ),
            ItemKind::Fn(signature) => tagged("fn", signature.to_json()),
            ItemKind::Trait { generics, supertraits, methods, associated } => tagged(
                "trait",
                ObjectWriter::new()
                    .field("generics", generics)
                    .field("supertraits", supertraits)
                    .field("methods", methods)
                    .field("associated", associated)
                    .build(),
            ),
            ItemKind::Const { ty, value } => {
                tagged("const", ObjectWriter::new().field("ty", ty).field("value", value).build())
            }
            ItemKind::Static { ty } => tagged("static", ObjectWriter::new().field("ty", ty).build()),
            ItemKind::TypeAlias { generics, ty } => {
                tagged("type_alias", ObjectWriter::new().field("generics", generics).field("ty", ty).build())
            }
            ItemKind::Reexport { target } => tagged("reexport", ObjectWriter::new().field("target", target).build()),
        }
    }
}

impl FromJson for ItemKind {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let (tag, content) = untag(value, path)?;
        if tag == "module" {
            return Ok(ItemKind::Module);
        }
        let path = child(path, tag);
        if tag == "fn" {
            return Ok(ItemKind::Fn(Signature::from_json(content, &path)?));
        }
        let o = Object::new(content, &path)?;
        Ok(match tag {
            "struct" => ItemKind::Struct {
                generics: o.get("generics")?,
                non_exhaustive: o.get("non_exhaustive")?,
                private_fields: o.get("private_fields")?,
                fields: o.get("fields")?,
                impls: Impls::from_json(content, &path)?,
            },
            "enum" => ItemKind::Enum {
                generics: o.get("generics")?,
                non_exhaustive: o.get("non_exhaustive")?,
                variants: o.get("variants")?,
                impls: Impls::from_json(content, &path)?,
            },
            "trait" => ItemKind::Trait {
                generics: o.get("generics")?,
                supertraits: o.get("supertraits")?,
                methods: o.get("methods")?,
                associated: o.get("associated")?,
            },
            "const" => ItemKind::Const { ty: o.get("ty")?, value: o.get("value")? },
            "static" => ItemKind::Static { ty: o.get("ty")? },
            "type_alias" => ItemKind::TypeAlias { generics: o.get("generics")?, ty: o.get("ty")? },
            "reexport" => ItemKind::Reexport { target: o.get("target")? },
            other => return Err(unknown_variant(&path, other, ITEM_KINDS)),
        })
    }
}

impl ToJson for Impls {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field_unless_empty("methods", &self.methods)
            .field_unless_empty("traits", &self.traits)
            .field_unless_empty("macro_entries", &self.macro_entries)
            .build()
    }
}

impl FromJson for Impls {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Impls {
            methods: o.or_default("methods")?,
            traits: o.or_default("traits")?,
            macro_entries: o.or_default("macro_entries")?,
        })
    }
}

impl ToJson for Field {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field("ty", &self.ty)
            .field_unless_empty("deprecated", &self.deprecated)
            .field_unless_empty("docs", &self.docs)
            .build()
    }
}

impl FromJson for Field {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Field {
            name: o.get("name")?,
            ty: o.get("ty")?,
            deprecated: o.opt("deprecated")?,
            docs: o.or_default("docs")?,
        })
    }
}

impl ToJson for Variant {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field("style", &self.style)
            .field("non_exhaustive", &self.non_exhaustive)
            .field("fields", &self.fields)
            .field_unless_empty("deprecated", &self.deprecated)
            .field_unless_empty("docs", &self.docs)
            .build()
    }
}

impl FromJson for Variant {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Variant {
            name: o.get("name")?,
            style: o.get("style")?,
            non_exhaustive: o.get("non_exhaustive")?,
            fields: o.get("fields")?,
            deprecated: o.opt("deprecated")?,
            docs: o.or_default("docs")?,
        })
    }
}

impl ToJson for Signature {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("name", &self.name)
            .field_unless_empty("qualifiers", &self.qualifiers)
            .field_unless_empty("generics", &self.generics)
            .field_unless_empty("where_clause", &self.where_clause)
            .field("inputs", &self.inputs)
            .field_unless_empty("output", &self.output)
            .field_unless_empty("cfg", &self.cfg)
            .field_unless_empty("deprecated", &self.deprecated)
            .field_unless_empty("docs", &self.docs)
            .build()
    }
}

impl FromJson for Signature {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(Signature {
            name: o.get("name")?,
            qualifiers: o.or_default("qualifiers")?,
            generics: o.or_default("generics")?,
            where_clause: o.or_default("where_clause")?,
            inputs: o.get("inputs")?,
            output: o.or_default("output")?,
            cfg: o.or_default("cfg")?,
            deprecated: o.opt("deprecated")?,
            docs: o.or_default("docs")?,
        })
    }
}

impl ToJson for TraitMethod {
    fn to_json(&self) -> Value {
        ObjectWriter::new().flatten(&self.signature).field("provided", &self.provided).build()
    }
}

impl FromJson for TraitMethod {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(TraitMethod { signature: Signature::from_json(value, path)?, provided: o.get("provided")? })
    }
}

impl ToJson for MacroEntry {
    fn to_json(&self) -> Value {
        ObjectWriter::new()
            .field("macro", &self.macro_name)
            .field("name", &self.name)
            .field("ty", &self.ty)
            .field_unless_empty("docs", &self.docs)
            .build()
    }
}

impl FromJson for MacroEntry {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let o = Object::new(value, path)?;
        Ok(MacroEntry {
            macro_name: o.get("macro")?,
            name: o.get("name")?,
            ty: o.get("ty")?,
            docs: o.or_default("docs")?,
        })
    }
}
