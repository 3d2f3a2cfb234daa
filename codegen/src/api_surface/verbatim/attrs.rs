//! What an item's attributes say about its API, and tokens as the text a report shows.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, Meta, Token};

use super::super::digest::digest;

/// The digest of the doc comments.
pub(super) fn docs<'a>(attrs: impl IntoIterator<Item = &'a Attribute>) -> String {
    let lines: Vec<String> = attrs
        .into_iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(doc) => match &doc.value {
                Expr::Lit(lit) => match &lit.lit {
                    Lit::Str(text) => Some(text.value()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
        .collect();
    digest(&lines.join("\n"))
}

/// The `cfg(...)` predicates, as written.
pub(super) fn cfgs(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| match &attr.meta {
            Meta::List(list) => Some(text(&list.tokens)),
            _ => None,
        })
        .collect()
}

/// Whether the item only exists in the crate's own tests (`#[cfg(test)]`).
pub(super) fn test_only(attrs: &[Attribute]) -> bool {
    cfgs(attrs).iter().any(|cfg| cfg == "test")
}

/// `#[non_exhaustive]`.
pub(super) fn non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("non_exhaustive"))
}

/// `#[deprecated]`, with its note when it has one.
pub(super) fn deprecated<'a>(attrs: impl IntoIterator<Item = &'a Attribute>) -> Option<String> {
    let attr = attrs.into_iter().find(|attr| attr.path().is_ident("deprecated"))?;
    Some(match &attr.meta {
        Meta::Path(_) => "deprecated".to_owned(),
        Meta::NameValue(value) => text(&value.value.to_token_stream()),
        Meta::List(list) => text(&list.tokens),
    })
}

/// The traits of `#[derive(...)]`, last path segment each.
pub(super) fn derives(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated).ok())
        .flatten()
        .filter_map(|path| path.segments.last().map(|segment| segment.ident.to_string()))
        .collect()
}

/// Tokens as compact text: `Vec<StreamChunk>`, `&mut self`, `impl Into<String>` (spaces only
/// between words, after commas and around `->`, `=` and `+`).
pub(super) fn text(tokens: &TokenStream) -> String {
    let mut out = String::new();
    write_tokens(tokens, &mut out);
    out
}

fn write_tokens(tokens: &TokenStream, out: &mut String) {
    // Whether the previous token ends a word (a following word needs a space), whether it
    // was a punctuation joined to this one (`-` of `->`, `:` of `::`), and whether that one
    // belongs to an operator written with spaces around it.
    let (mut after_word, mut joint, mut in_spaced) = (false, false, false);
    for token in tokens.clone() {
        match token {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
                (after_word, joint, in_spaced) = (true, false, false);
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                let alone = punct.spacing() == Spacing::Alone;
                let spaced = matches!(c, '=' | '+') || (c == '-' && !alone) || (joint && in_spaced);
                if spaced && !joint && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push(c);
                if alone && (matches!(c, ',' | ';') || (c == ':' && !joint) || spaced) {
                    out.push(' ');
                }
                (after_word, joint, in_spaced) = (false, !alone, spaced);
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                // `mut [u8]`, `where T: X {`; but `Fn(u8)`.
                if after_word && matches!(group.delimiter(), Delimiter::Brace | Delimiter::Bracket) {
                    out.push(' ');
                }
                out.push_str(open);
                write_tokens(&group.stream(), out);
                out.push_str(close);
                (after_word, joint, in_spaced) = (true, false, false);
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
}
