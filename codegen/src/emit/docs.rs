//! Doc attributes from markdown text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `markdown`, one per line; `fallback` when it is empty
/// (every public item is documented: the crate denies `missing_docs`).
pub(super) fn doc(markdown: &str, fallback: impl FnOnce() -> String) -> TokenStream {
    let text = if markdown.trim().is_empty() { fallback() } else { markdown.to_owned() };
    lines(&text)
}

/// Doc attributes for the text as it is.
pub(super) fn lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = doc_line(line);
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// One doc line, with the leading space `///` comments have (rustdoc strips the space common
/// to all lines, so indented list continuations keep their indentation).
fn doc_line(line: &str) -> String {
    if line.is_empty() { String::new() } else { format!(" {line}") }
}

/// Inner doc attributes (`#![doc = "..."]`) for module and crate documentation.
pub(super) fn inner_lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = doc_line(line);
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The first paragraph of a doc text, for summaries (cutting at a sentence could split a
/// link or code span).
pub(super) fn summary(markdown: &str) -> String {
    markdown.split("\n\n").next().unwrap_or("").to_owned()
}

/// A `#[deprecated]` attribute when the item is deprecated.
pub(super) fn deprecated(note: &Option<String>) -> TokenStream {
    match note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(),
    }
}
