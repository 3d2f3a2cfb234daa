//! A surface type as tokens: the emitters write the types the surface describes, so that the
//! report and the code cannot disagree.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};

use super::RustType;

/// `a::b::C` as `crate::a::b::C` (paths of the crate) or as written (`String`, `()`).
fn path_tokens(path: &str) -> TokenStream {
    if path == "()" {
        return quote!(());
    }
    let segments: Vec<Ident> = path.split("::").map(|s| Ident::new(s, Span::call_site())).collect();
    let in_crate = segments.len() > 1;
    if in_crate { quote!(crate::#(#segments)::*) } else { quote!(#(#segments)::*) }
}

impl ToTokens for RustType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let stream = match self {
            RustType::Builtin(path) | RustType::Named { path, .. } => path_tokens(path),
            RustType::List { item, sparse: false } => quote!(Vec<#item>),
            RustType::List { item, sparse: true } => quote!(Vec<Option<#item>>),
            RustType::Map { value, sparse: false } => quote!(std::collections::BTreeMap<String, #value>),
            RustType::Map { value, sparse: true } => quote!(std::collections::BTreeMap<String, Option<#value>>),
            RustType::Option(inner) => quote!(Option<#inner>),
            RustType::Boxed(inner) => quote!(Box<#inner>),
        };
        tokens.extend(stream);
    }
}
