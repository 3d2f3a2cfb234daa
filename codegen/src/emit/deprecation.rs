//! `#[allow(deprecated)]` on the generated items that must touch what the model deprecates:
//! the crate's own definitions, impls, readers and writers of a deprecated operation, shape or
//! member. Users still get the warning where they use those items; only the crate's own code,
//! which has to name them, is let off, item by item (never module- or crate-wide).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Ir, Member, NamedShape, Operation, Structure, Type};
use crate::smithy::ShapeId;

/// `#[allow(deprecated)]` when `touches`.
pub(super) fn allow_if(touches: bool) -> TokenStream {
    if touches { quote!(#[allow(deprecated)]) } else { quote!() }
}

/// Whether the named shape `id` is `@deprecated`.
pub(super) fn shape_is_deprecated(ir: &Ir, id: &ShapeId) -> bool {
    match ir.shapes.get(id) {
        Some(NamedShape::Structure(s)) => s.deprecated.is_some(),
        Some(NamedShape::Union(u)) => u.deprecated.is_some(),
        Some(NamedShape::Enum(e)) => e.deprecated.is_some(),
        Some(NamedShape::IntEnum(e)) => e.deprecated.is_some(),
        None => false,
    }
}

/// Whether the Rust type of `ty` names a deprecated shape (itself, or as a list item or map
/// value).
pub(super) fn type_names_deprecated(ir: &Ir, ty: &Type) -> bool {
    match ty {
        Type::Structure(id) | Type::Union(id) | Type::Enum(id) | Type::IntEnum(id) => shape_is_deprecated(ir, id),
        Type::List(list) => type_names_deprecated(ir, &list.member.ty),
        Type::Map(map) => type_names_deprecated(ir, &map.key.ty) || type_names_deprecated(ir, &map.value.ty),
        _ => false,
    }
}

/// Whether a field of these members is deprecated or of a type that is: code naming every
/// field (definitions, constructors, readers, writers, `Debug`) touches them.
pub(super) fn members_touch(ir: &Ir, members: &[Member]) -> bool {
    members.iter().any(|m| m.deprecated.is_some() || type_names_deprecated(ir, &m.target.ty))
}

/// Whether the fields' types name a deprecated shape (a definition naming them touches it;
/// a deprecated field alone does not make its own definition warn).
pub(super) fn member_types_touch(ir: &Ir, members: &[Member]) -> bool {
    members.iter().any(|m| type_names_deprecated(ir, &m.target.ty))
}

/// Whether code handling the shape `id` as a whole (its impls, reader, writer, validator)
/// touches something deprecated: the shape itself, or one of its members.
pub(super) fn shape_touches(ir: &Ir, id: &ShapeId) -> bool {
    shape_is_deprecated(ir, id) || members_touch(ir, ir.members_of(id))
}

/// Whether code handling the structure `s` as a whole (an operation's input or output, which
/// are not named shapes of their own) touches something deprecated: the structure itself, or
/// one of its members.
pub(super) fn structure_touches(ir: &Ir, s: &Structure) -> bool {
    s.deprecated.is_some() || members_touch(ir, &s.members)
}

/// Whether the operation's wire code (validation, request, response, errors) touches
/// something deprecated: its input or output, or an error it may return.
pub(super) fn operation_wire_touches(ir: &Ir, op: &Operation) -> bool {
    structure_touches(ir, &op.input)
        || structure_touches(ir, &op.output)
        || op.errors.iter().any(|id| shape_touches(ir, id))
}
