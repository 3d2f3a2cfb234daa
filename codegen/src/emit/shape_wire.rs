//! `src/protocol/shapes/<shape>.rs` and `src/protocol/errors/<error>.rs`: the JSON writer,
//! reader and validator of one structure or union, each only where the model needs it.

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecation::{allow_if, shape_touches};
use super::paths::shape_path;
use super::{deserialize, serialize, validate};
use crate::ir::{Ir, NamedShape, StructureKind};
use crate::smithy::ShapeId;

/// The wire module of a structure or union, when any wire code is needed for it.
pub(super) fn shape_wire_file(ir: &Ir, id: &ShapeId, shape: &NamedShape) -> Option<TokenStream> {
    let sends = ir.input_shapes.contains(id);
    let receives = ir.output_shapes.contains(id);
    let checks = validate::shape_is_checked(ir, id);
    let allow = allow_if(shape_touches(ir, id));
    let (serializer, deserializer) = match shape {
        NamedShape::Structure(s) if matches!(s.kind, StructureKind::Error(_)) => {
            let reader = deserialize::response_structure(ir, s, quote!(pub(crate) fn deserialize), shape_path(ir, id));
            return Some(wire_file(&allow, None, Some(reader), None));
        }
        NamedShape::Structure(s) => (
            sends.then(|| serialize::structure_serializer(ir, s)),
            receives.then(|| deserialize::structure_deserializer(ir, s)),
        ),
        NamedShape::Union(u) => (
            sends.then(|| serialize::union_serializer(ir, u)),
            receives.then(|| deserialize::union_deserializer(ir, u)),
        ),
        NamedShape::Enum(_) | NamedShape::IntEnum(_) => return None,
    };
    if serializer.is_none() && deserializer.is_none() && !checks {
        return None;
    }
    let validator = checks.then(|| validate::shape_validator(ir, id));
    Some(wire_file(&allow, serializer, deserializer, validator))
}

/// A wire file: its parts refer to the runtime by full paths, so it needs no imports. Each
/// part (one function) gets `allow` (`#[allow(deprecated)]` when the shape touches something
/// deprecated).
fn wire_file(
    allow: &TokenStream,
    serializer: Option<TokenStream>,
    deserializer: Option<TokenStream>,
    validator: Option<TokenStream>,
) -> TokenStream {
    let parts = [serializer, deserializer, validator].into_iter().flatten();
    quote! {
        #![doc = " Wire code of one shape."]
        #(#allow #parts)*
    }
}
