//! Paths of the items generated code refers to: the public type of a shape, its wire module,
//! a timestamp format. Every emitter takes them from here, so no emitter reaches into another.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Ir, NamedShape, StructureKind, TimestampFormat};
use crate::smithy::ShapeId;

/// An identifier for a name the generator made (type, module or method names; member and
/// operation names come from the IR as `RustIdent`s, raw where they must be).
pub(super) fn ident(name: &str) -> Ident {
    format_ident!("{}", name)
}

/// The path of a named shape's type: `crate::types::Item` or `crate::types::error::Foo`.
pub(super) fn shape_path(ir: &Ir, id: &ShapeId) -> TokenStream {
    let shape = ir.shapes.get(id).unwrap_or_else(|| panic!("IR invariant: {id} is resolved"));
    let name = ident(shape.rust_name());
    match shape {
        NamedShape::Structure(s) if matches!(s.kind, StructureKind::Error(_)) => quote!(crate::types::error::#name),
        _ => quote!(crate::types::#name),
    }
}

/// The path of a structure's or union's wire module (`crate::protocol::shapes::item`).
pub(super) fn shape_wire_module(ir: &Ir, id: &ShapeId) -> TokenStream {
    let module = match ir.shapes.get(id) {
        Some(NamedShape::Structure(s)) => ident(&s.module),
        Some(NamedShape::Union(u)) => ident(&u.module),
        _ => panic!("IR invariant: {id} is a structure or union"),
    };
    quote!(crate::protocol::shapes::#module)
}

/// `crate::primitives::Format::X` for a timestamp format.
pub(super) fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(crate::primitives::Format::DateTime),
        TimestampFormat::HttpDate => quote!(crate::primitives::Format::HttpDate),
        TimestampFormat::EpochSeconds => quote!(crate::primitives::Format::EpochSeconds),
    }
}
