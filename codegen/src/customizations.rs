//! Service customizations: hand-written code added to the crate of one service, the way
//! smithy-rs adds service-specific modules to generated SDK crates.
//!
//! Each customization lives in its own folder under `codegen/customizations/<service>/`, with a
//! `manifest.rs` that says what it adds: a default-off cargo feature, the optional dependencies
//! that feature enables, the module it adds to `lib.rs`, its source files (copied verbatim, like
//! the runtime), its examples, and the generated shapes it needs a public JSON decoder for.
//!
//! Customizations are registered here, by service shape id, and only here: generic emitters ask
//! [`for_service`] and never name a service themselves.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::{CodegenError, Result};
use crate::ir::{Feature, Ir, NamedShape};
use crate::smithy::ShapeId;

/// What one customization adds to a generated crate.
#[derive(Debug)]
pub struct Customization {
    /// The service shape id it applies to.
    pub service: &'static str,
    /// The cargo feature that turns it on (off by default).
    pub feature: &'static str,
    /// What the feature enables: `dep:` optional dependencies and features of other ones.
    pub feature_enables: &'static [&'static str],
    /// `[dependencies]` lines, each `optional = true`.
    pub optional_dependencies: &'static [&'static str],
    /// Runtime features its files use whatever the model needs (they are in every crate of
    /// the service, not only behind the feature: runtime files are not feature-gated).
    pub runtime_features: &'static [Feature],
    /// The public module added to `lib.rs` behind the feature.
    pub module: &'static str,
    /// The source files, copied verbatim: modules under `src/`, examples under `examples/`.
    pub files: &'static [CustomFile],
    /// Example names (`examples/<name>.rs`), built only with the feature.
    pub examples: &'static [&'static str],
    /// Shapes that get a public `from_json` constructor built on their generated deserializer.
    pub public_decoders: &'static [&'static str],
    /// The quickstart of the crate's documentation and README, in place of the generic one-call
    /// example: a realistic flow of the service.
    pub quickstart: Option<Quickstart>,
    /// What the feature gives, one markdown paragraph starting with the feature's name (the
    /// crate's documentation and README list the features).
    pub feature_summary: &'static str,
    /// crates.io keywords added to the generic ones (at most five in all).
    pub keywords: &'static [&'static str],
    /// crates.io categories added to the generic ones.
    pub categories: &'static [&'static str],
    /// The `repository` of the crate's `Cargo.toml`: where its sources live.
    pub repository: Option<&'static str>,
}

/// A customization's quickstart: the text before the example, and the example, a complete
/// program (compiled as a doctest of the crate).
#[derive(Debug)]
pub struct Quickstart {
    /// Markdown.
    pub intro: &'static str,
    /// Rust source with its own `main`.
    pub program: &'static str,
    /// The crate name `program` is written against (`use NAME::...`): a crate generated under
    /// another name (the corpus sweep's `sweep-connectparticipant`) gets its own name there, so
    /// that the doctest compiles.
    pub crate_name: &'static str,
}

/// One hand-written file of a customization.
#[derive(Debug)]
pub struct CustomFile {
    /// Path relative to the crate root.
    pub path: &'static str,
    pub source: &'static str,
}

/// Every customization, by service.
pub const CUSTOMIZATIONS: &[Customization] = &[include!("../customizations/connectparticipant/manifest.rs")];

/// The customization of a service, if it has one.
pub fn for_service(service: &ShapeId) -> Option<&'static Customization> {
    CUSTOMIZATIONS.iter().find(|c| c.service == service.to_string())
}

/// Whether `path` (relative to a crate root) is a customization file copied verbatim.
pub fn is_customization_file(path: &str) -> bool {
    CUSTOMIZATIONS.iter().flat_map(|c| c.files).any(|file| file.path == path)
}

/// The feature of the customization that copies the file at `path` verbatim, if one does.
pub fn feature_of_file(path: &str) -> Option<&'static str> {
    CUSTOMIZATIONS.iter().find(|c| c.files.iter().any(|file| file.path == path)).map(|c| c.feature)
}

/// The text of every customization file.
pub fn sources() -> impl Iterator<Item = &'static str> {
    CUSTOMIZATIONS.iter().flat_map(|c| c.files).map(|file| file.source)
}

impl Customization {
    /// Whether its files carry unit tests (`#[cfg(test)]` code, copied as written): the
    /// crate's lib test target is then kept (see `emit::cargo_toml`).
    pub fn has_unit_tests(&self) -> bool {
        self.files.iter().any(|file| file.source.contains("#[cfg(test)]"))
    }

    /// Its line of the `[features]` table of `Cargo.toml`.
    pub(crate) fn feature_line(&self) -> String {
        let enables: Vec<String> = self.feature_enables.iter().map(|item| format!("{item:?}")).collect();
        format!("{} = [{}]", self.feature, enables.join(", "))
    }

    /// The `[[example]]` sections it adds to `Cargo.toml`.
    pub(crate) fn example_sections(&self) -> String {
        self.examples
            .iter()
            .map(|example| format!("\n[[example]]\nname = {example:?}\nrequired-features = [{:?}]\n", self.feature))
            .collect()
    }

    /// `lib.rs`: the module, behind the feature.
    pub(crate) fn lib_module(&self) -> TokenStream {
        let feature = self.feature;
        let module = format_ident!("{}", self.module);
        quote! {
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub mod #module;
        }
    }

    /// A public `from_json` for `id` when the customization asks for one.
    pub(crate) fn public_decoder(&self, ir: &Ir, id: &ShapeId) -> Result<Option<TokenStream>> {
        if !self.public_decoders.iter().any(|wanted| *wanted == id.to_string()) {
            return Ok(None);
        }
        public_decoder(ir, id).map(Some)
    }

    /// Fails when a shape asked for is not one the crate can decode.
    pub(crate) fn check(&self, ir: &Ir) -> Result<()> {
        for wanted in self.public_decoders {
            let found = ir.shapes.iter().find(|(id, _)| id.to_string() == *wanted);
            match found {
                Some((id, NamedShape::Structure(_))) if ir.output_shapes.contains(id) => {}
                _ => {
                    return Err(CodegenError::model(format!(
                        "the {} customization wants a public decoder of {wanted}, which is not a structure any \
                         operation returns",
                        self.feature
                    )));
                }
            }
        }
        Ok(())
    }
}

/// `impl Shape { pub fn from_json(text) }`, calling the shape's generated deserializer, so that
/// hand-written code reads the model's shapes without modeling them again.
fn public_decoder(ir: &Ir, id: &ShapeId) -> Result<TokenStream> {
    let Some(NamedShape::Structure(s)) = ir.shapes.get(id) else {
        return Err(CodegenError::shape(id, "a public decoder needs a structure"));
    };
    let ty = &s.rust_name;
    let summary =
        format!(" Reads the `{}` in the JSON text the service sends (members named as on the wire).", s.rust_name);
    let detail = " Members this version does not know are ignored; enum values it does not know are kept.";
    Ok(quote! {
        impl #ty {
            #[doc = #summary]
            #[doc = ""]
            #[doc = #detail]
            pub fn from_json(text: &str) -> Result<Self, crate::error::DecodeError> {
                crate::runtime::json::read_body(text.as_bytes(), crate::runtime::json::Structure::<Self>::new())
                    .map_err(|e| crate::error::DecodeError::new(e.to_string()))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chat_is_registered_for_its_service_only() {
        let service = ShapeId::parse("com.amazonaws.connectparticipant#AmazonConnectParticipantServiceLambda").unwrap();
        let chat = for_service(&service).expect("registered");
        assert_eq!(chat.feature, "chat");
        // The chat files carry unit tests, so the crate keeps its lib test target.
        assert!(chat.has_unit_tests());
        assert!(for_service(&ShapeId::parse("example#Other").unwrap()).is_none());
        assert!(is_customization_file("src/chat/mod.rs") && !is_customization_file("src/lib.rs"));
        assert_eq!(feature_of_file("src/chat/event.rs"), Some("chat"));
        assert_eq!(feature_of_file("src/config.rs"), None);
        assert!(chat.feature_line().starts_with("chat = [\"dep:futures-util\""), "{}", chat.feature_line());
        let examples = chat.example_sections();
        assert!(examples.contains("[[example]]\nname = \"chat\"\nrequired-features = [\"chat\"]\n"), "{examples}");
        for dependency in chat.optional_dependencies {
            assert!(dependency.ends_with("optional = true }"), "{dependency}");
        }
        assert_eq!(
            quote::quote!(
                #[cfg(feature = "chat")]
                #[cfg_attr(docsrs, doc(cfg(feature = "chat")))]
                pub mod chat;
            )
            .to_string(),
            chat.lib_module().to_string()
        );
    }
}
