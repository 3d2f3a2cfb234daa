//! Paths of the items generated code refers to: the public type of a shape, its wire module,
//! a timestamp format. Every emitter takes them from here, so no emitter reaches into another;
//! the paths themselves are decided in the IR ([`crate::ir::ItemPath`]).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::{Ir, ItemPath, NamedShape, TimestampFormat};
use crate::smithy::ShapeId;

/// The path of a named shape's type: `crate::types::Item` or `crate::types::error::Foo`.
pub(super) fn shape_path(ir: &Ir, id: &ShapeId) -> TokenStream {
    let shape = ir.shapes.get(id).unwrap_or_else(|| panic!("IR invariant: {id} is resolved"));
    shape.path().to_token_stream()
}

/// The path of a structure's or union's wire module (`crate::protocol::shapes::item`).
pub(super) fn shape_wire_module(ir: &Ir, id: &ShapeId) -> TokenStream {
    match ir.shapes.get(id) {
        Some(shape @ (NamedShape::Structure(_) | NamedShape::Union(_))) => {
            ItemPath::wire_shape(shape.module()).to_token_stream()
        }
        _ => panic!("IR invariant: {id} is a structure or union"),
    }
}

/// `crate::primitives::Format::X` for a timestamp format.
pub(super) fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(crate::primitives::Format::DateTime),
        TimestampFormat::HttpDate => quote!(crate::primitives::Format::HttpDate),
        TimestampFormat::EpochSeconds => quote!(crate::primitives::Format::EpochSeconds),
    }
}
