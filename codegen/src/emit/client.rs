//! `Client`: one method per operation, required members positional.

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecation::{allow_if, structure_touches};
use super::docs::{deprecated, doc, lines};
use super::shapes::initializer;
use super::types::param_type;
use crate::ir::{Binding, Ir, Member, Operation};

/// `client.rs`.
pub(super) fn module(ir: &Ir) -> TokenStream {
    let title = &ir.service.title;
    let client_doc = lines(&format!(
        "A client for {title}.\n\nEach operation is a method taking the operation's required members as arguments, in the\norder of their names on the wire; it returns a builder for the optional members, sent with\n`.send().await`.\n\nA `Client` is cheap to clone: clones share the configuration, the connection pool and the\nretry quota, and may be used from any task."
    ));
    let methods = ir.operations.iter().map(|op| method(ir, op));
    quote! {
        #![doc = " The client: one method per operation."]
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: std::sync::Arc<crate::runtime::Handle>,
        }
        impl Client {
            /// A client with this configuration.
            pub fn new(config: crate::Config) -> Self {
                Self { handle: std::sync::Arc::new(crate::runtime::Handle::new(config)) }
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.handle.config()
            }

            #(#methods)*
        }
    }
}

fn method(ir: &Ir, op: &Operation) -> TokenStream {
    let name = op.fn_name.to_ident();
    let builder = op.builder_path();
    let input = &op.input.path;
    let positional: Vec<&Member> = op.input.positional_members().collect();
    let args = positional.iter().map(|m| {
        let field = m.field.to_ident();
        let ty = param_type(ir, &m.target.ty);
        quote!(#field: #ty)
    });
    let inits = op.input.members.iter().enumerate().map(|(index, m)| initializer(ir, m, op.input.is_positional(index)));
    let docs = doc(&op.docs, || format!("Calls `{}`.", op.name));
    let mut sections = Vec::new();
    if !positional.is_empty() {
        let mut list = String::from("# Arguments\n");
        for m in &positional {
            let wire = match &m.binding {
                Binding::Header(header) => format!(" (header `{header}`)"),
                Binding::Label { .. } => " (path)".to_owned(),
                Binding::Query(query) => format!(" (query `{query}`)"),
                _ => String::new(),
            };
            // The whole documentation, as a list item: lines after the first are indented so
            // that paragraphs and lists in it stay inside the item.
            let about = match m.docs.trim() {
                "" => "Not documented by the model.",
                docs => docs,
            };
            let mut lines = about.lines();
            list.push_str(&format!("\n- `{}`{wire}: {}", m.field, lines.next().unwrap_or_default()));
            for line in lines {
                list.push('\n');
                if !line.is_empty() {
                    list.push_str("  ");
                    list.push_str(line);
                }
            }
        }
        sections.push(list);
    }
    let optional: Vec<String> = op
        .input
        .optional_members()
        .map(|m| {
            let setter = m.setters().0.as_str();
            format!("[`{setter}`](crate::{}::{setter})", op.builder_path())
        })
        .collect();
    if !optional.is_empty() {
        sections.push(format!("Optional members are set on the builder: {}.", optional.join(", ")));
    }
    // A blank line first separates the sections from the operation's own documentation.
    let arguments = if sections.is_empty() { String::new() } else { format!("\n{}", sections.join("\n\n")) };
    let arguments = lines(&arguments);
    let deprecated = deprecated(&op.deprecated);
    // `&self` counts as an argument too.
    let allow_many = if positional.len() + 1 > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let allow_names = super::shapes::allow_placeholder_names(&positional);
    // The method names the operation's builder and sets every input member.
    let allow_deprecated = allow_if(op.deprecated.is_some() || structure_touches(ir, &op.input));
    quote! {
        #docs
        #arguments
        #deprecated
        #allow_deprecated
        #allow_many
        #allow_names
        pub fn #name(&self, #(#args),*) -> #builder {
            #builder::new(
                self.handle.clone(),
                #input { #(#inits),* },
            )
        }
    }
}
