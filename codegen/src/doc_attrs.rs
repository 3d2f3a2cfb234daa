//! `#[doc = "..."]` attributes from text: the one writer of doc attributes, for the emitters
//! and the endpoint rules alike.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc attributes (`#[doc = " line"]`), one per line of `text`.
pub(crate) fn outer(text: &str) -> TokenStream {
    let lines = text.lines().map(doc_line);
    quote!(#(#[doc = #lines])*)
}

/// Inner doc attributes (`#![doc = " line"]`) for module and crate documentation.
pub(crate) fn inner(text: &str) -> TokenStream {
    let lines = text.lines().map(doc_line);
    quote!(#(#![doc = #lines])*)
}

/// One doc line, with the leading space `///` comments have (rustdoc strips the space common
/// to all lines, so indented list continuations keep their indentation).
fn doc_line(line: &str) -> String {
    if line.is_empty() { String::new() } else { format!(" {line}") }
}
