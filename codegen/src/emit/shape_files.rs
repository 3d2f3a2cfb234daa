//! One file per shape: `src/types/` (public types), `src/types/error/` (errors), and their wire
//! modules under `src/protocol/`, with the `mod.rs` files that declare them.

use quote::quote;

use super::GeneratedCrate;
use super::deprecation::{allow_if, shape_is_deprecated};
use super::shape_wire::shape_wire_file;
use super::shapes;
use crate::error::Result;
use crate::ir::{Feature, Ir, NamedShape, StructureKind};

/// Adds every shape's files to `krate`.
pub(super) fn emit(ir: &Ir, krate: &mut GeneratedCrate) -> Result<()> {
    let customization = crate::customizations::for_service(&ir.service.id);
    let mut modules = Vec::new();
    let mut error_modules = Vec::new();
    let mut shape_wire = Vec::new();
    let mut error_wire = Vec::new();
    for (id, shape) in &ir.shapes {
        let (module, tokens) = match shape {
            NamedShape::Structure(s) => {
                (&s.module, shapes::structure(ir, s, format!("The `{}` structure.", s.id.name())))
            }
            NamedShape::Union(u) => (&u.module, shapes::union(ir, u)),
            NamedShape::Enum(e) => (&e.module, shapes::string_enum(e)),
            NamedShape::IntEnum(e) => (&e.module, shapes::int_enum(e)),
        };
        // A public JSON decoder, for the shapes a service customization reads itself.
        let decoder = customization.map(|c| c.public_decoder(ir, id)).transpose()?.flatten();
        let tokens = quote!(#tokens #decoder);
        let module_ident = module;
        let type_ident = shape.rust_name();
        let is_error = matches!(shape, NamedShape::Structure(s) if matches!(s.kind, StructureKind::Error(_)));
        let allow = allow_if(shape_is_deprecated(ir, id));
        let entry = quote! {
            mod #module_ident;
            #allow
            pub use #module_ident::#type_ident;
        };
        let (types_dir, wire_dir) =
            if is_error { ("types/error", "protocol/errors") } else { ("types", "protocol/shapes") };
        krate.rust(format!("src/{types_dir}/{module}.rs"), tokens);
        if is_error {
            error_modules.push(entry)
        } else {
            modules.push(entry)
        }
        if let Some(wire) = shape_wire_file(ir, id, shape) {
            krate.rust(format!("src/{wire_dir}/{module}.rs"), wire);
            let entry = quote!(pub(crate) mod #module_ident;);
            if is_error { error_wire.push(entry) } else { shape_wire.push(entry) }
        }
    }
    let unknown_value = ir.features.contains(&Feature::Enums).then(|| {
        quote! {
            mod unknown_value;
            pub use unknown_value::UnknownValue;
        }
    });
    krate.rust(
        "src/types/mod.rs",
        quote! {
            #![doc = " The structures, unions and enums of the model."]
            pub mod error;
            #unknown_value
            #(#modules)*
        },
    );
    krate.rust(
        "src/types/error/mod.rs",
        quote! {
            #![doc = " The errors the model declares; each operation's error enum holds the ones it may return."]
            #(#error_modules)*
        },
    );
    krate.rust(
        "src/protocol/shapes/mod.rs",
        quote! {
            #![doc = " JSON readers, writers and validation of the model's structures and unions."]
            #(#shape_wire)*
        },
    );
    krate.rust(
        "src/protocol/errors/mod.rs",
        quote! {
            #![doc = " Readers of the model's errors from HTTP responses."]
            #(#error_wire)*
        },
    );
    Ok(())
}
