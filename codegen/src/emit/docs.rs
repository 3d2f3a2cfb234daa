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

/// One doc line, with the single leading space `///` comments have.
fn doc_line(line: &str) -> String {
    if line.is_empty() || line.starts_with(' ') { line.to_owned() } else { format!(" {line}") }
}

/// Inner doc attributes (`#![doc = "..."]`) for module and crate documentation.
pub(super) fn inner_lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = doc_line(line);
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The first sentence or line of a doc text, for one-line summaries.
pub(super) fn summary(markdown: &str) -> String {
    let first = markdown.split("\n\n").next().unwrap_or("").replace('\n', " ");
    match first.find(". ") {
        Some(end) => first[..=end].to_owned(),
        None => first,
    }
}

/// A `#[deprecated]` attribute when the item is deprecated.
pub(super) fn deprecated(note: &Option<String>) -> TokenStream {
    match note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(),
    }
}
