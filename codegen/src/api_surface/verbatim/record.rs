//! The JSON layout of a recorded [`VerbatimSurface`] (the `verbatim` part of
//! `api-surface.json`), written and read with [`crate::json`]: the layout serde's derive gave
//! it (empty lists and strings, and absent deprecations, left out; `impls` and a trait method's
//! signature inlined in their object), so that records written before still read.

use serde_json::Value;

use super::{Field, Impls, Item, ItemKind, MacroEntry, Signature, TraitMethod, Variant, VerbatimSurface};
use crate::json::{FromJson, JsonResult, Object, ObjectWriter, ToJson, child, tagged, unknown_variant, untag};

crate::json_struct!(VerbatimSurface { items: req, sources: skip });
crate::json_struct!(Item { path: req, origin: req, cfg: skip, kind: req, deprecated: skip, docs: skip });
crate::json_struct!(Impls { methods: skip, traits: skip, macro_entries: skip });
crate::json_struct!(Field { name: req, ty: req, deprecated: skip, docs: skip });
crate::json_struct!(Variant { name: req, style: req, non_exhaustive: req, fields: req, deprecated: skip, docs: skip });
crate::json_struct!(Signature {
    name: req,
    qualifiers: skip,
    generics: skip,
    where_clause: skip,
    inputs: req,
    output: skip,
    cfg: skip,
    deprecated: skip,
    docs: skip,
});
crate::json_struct!(MacroEntry { macro_name as "macro": req, name: req, ty: req, docs: skip });

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
