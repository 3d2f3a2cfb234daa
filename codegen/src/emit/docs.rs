//! Doc attributes from markdown text.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Member, Structure, StructureKind};

pub(super) use crate::doc_attrs::{inner as inner_lines, outer as lines};

/// `#[doc = "..."]` attributes for `markdown`, one per line; `fallback` when it is empty
/// (every public item is documented: the crate denies `missing_docs`).
pub(super) fn doc(markdown: &str, fallback: impl FnOnce() -> String) -> TokenStream {
    let text = if markdown.trim().is_empty() { fallback() } else { markdown.to_owned() };
    lines(&text)
}

/// "a" or "an" before a type or member name, by how it is said: a vowel sound takes "an"
/// (`an Item`, `an UploadMetadata`), a consonant sound "a" (`a View`, `a UserId`, `a UniqueId`).
pub(super) fn article(name: &str) -> &'static str {
    let lower = name.trim_start_matches(['`', '[']).to_ascii_lowercase();
    // Words spelled with a vowel but said with a consonant ("you-", "one").
    const CONSONANT_SOUNDS: &[&str] = &["uni", "use", "usa", "usu", "uti", "uri", "url", "eu", "one"];
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u']) && !CONSONANT_SOUNDS.iter().any(|p| lower.starts_with(p));
    if vowel { "an" } else { "a" }
}

/// The documentation of a member (or its target), else what the generator knows of it.
pub(super) fn member_doc(member: &Member, owner: &Structure) -> TokenStream {
    doc(&member.docs, || {
        if matches!(owner.kind, StructureKind::Error(_)) && member.name.eq_ignore_ascii_case("message") {
            "What went wrong, as the service described it.".to_owned()
        } else {
            format!(
                "The `{}` of {} `{}` (the model does not document it).",
                member.name,
                article(owner.rust_name.as_str()),
                owner.rust_name
            )
        }
    })
}

/// A one-line description of a member for setter docs: the first sentence-like paragraph of
/// its documentation, unless that paragraph only introduces what follows (ends with `:`).
pub(super) fn member_summary(member: &Member) -> Option<String> {
    let summary = summary(&member.docs).replace('\n', " ");
    let summary = summary.trim();
    (!summary.is_empty() && !summary.ends_with(':')).then(|| summary.to_owned())
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
