//! Markdown's emphasis rules: which bold/italic markers can be written, and how.

use super::items::{Fmt, Inline};

/// What a neighbouring character is, for markdown's emphasis rules.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    Space,
    Punct,
    Word,
}

fn class_of(c: Option<char>) -> Class {
    match c {
        None => Class::Space,
        Some(c) if c.is_whitespace() => Class::Space,
        Some(c) if c.is_alphanumeric() => Class::Word,
        Some(_) => Class::Punct,
    }
}

/// The class of the character an item shows at its start or end once written. Markers, code
/// spans and autolinks all begin and end with punctuation.
fn edge_class(item: &Inline, end: bool) -> Class {
    match item {
        Inline::Text(text) => class_of(if end { text.chars().next_back() } else { text.chars().next() }),
        Inline::Space | Inline::Break => Class::Space,
        _ => Class::Punct,
    }
}

/// How a format marker is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Style {
    /// Left out; the text it wraps stays, unformatted.
    Skip,
    /// `**` for bold, `_` for italic, brackets for links.
    Plain,
    /// `*` for italic, where `_` would not work.
    Star,
}

/// Whether a delimiter (`*` or `_`) between characters of the classes `before` and `after`
/// can open and whether it can close emphasis, by markdown's flanking rules.
fn delimiter_can(delimiter: char, before: Class, after: Class) -> (bool, bool) {
    let left_flanking = after != Class::Space && (after != Class::Punct || before != Class::Word);
    let right_flanking = before != Class::Space && (before != Class::Punct || after != Class::Word);
    // `_` inside a word (`snake_case`) neither opens nor closes.
    let open = left_flanking && (delimiter == '*' || !right_flanking || before == Class::Punct);
    let close = right_flanking && (delimiter == '*' || !left_flanking || after == Class::Punct);
    (open, close)
}

/// Chooses how to write each format marker. Unpaired markers are left out, and so is emphasis
/// that markdown would not read as emphasis because of what surrounds it (`x**(y)**`,
/// `**(y)**z`), which would otherwise show as literal asterisks.
///
/// Italic is written `_` rather than `*` so that its delimiters never run together with bold's
/// `**`: `***` and `****` runs are resolved by rules (the "rule of 3") that easily pair the
/// wrong markers. `_` cannot open or close inside a word, so there italic falls back to `*`.
pub(super) fn marker_styles(items: &[Inline]) -> Vec<Style> {
    let mut styles = vec![Style::Plain; items.len()];
    let mut partner = vec![None; items.len()];
    let mut open = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Inline::Open(_) => open.push(i),
            Inline::Close(_) => match open.pop() {
                Some(j) => {
                    partner[i] = Some(j);
                    partner[j] = Some(i);
                }
                None => styles[i] = Style::Skip,
            },
            _ => {}
        }
    }
    for j in open {
        styles[j] = Style::Skip;
    }
    let neighbour = |styles: &[Style], i: usize, after: bool| -> Class {
        let found = if after {
            (i + 1..items.len()).find(|&k| styles[k] != Style::Skip)
        } else {
            (0..i).rev().find(|&k| styles[k] != Style::Skip)
        };
        found.map_or(Class::Space, |k| edge_class(&items[k], !after))
    };
    // Leaving a pair out changes its neighbours' neighbours, so repeat until nothing changes.
    loop {
        let mut changed = false;
        for i in 0..items.len() {
            let star_only = match items[i] {
                Inline::Open(Fmt::Bold) => true,
                Inline::Open(Fmt::Italic) => false,
                _ => continue,
            };
            let Some(j) = partner[i].filter(|_| styles[i] != Style::Skip) else {
                continue;
            };
            let (open_before, open_after) = (neighbour(&styles, i, false), neighbour(&styles, i, true));
            let (close_before, close_after) = (neighbour(&styles, j, false), neighbour(&styles, j, true));
            let works = |delimiter| {
                delimiter_can(delimiter, open_before, open_after).0
                    && delimiter_can(delimiter, close_before, close_after).1
            };
            let style = if star_only {
                if works('*') { Style::Plain } else { Style::Skip }
            } else if works('_') {
                Style::Plain
            } else if works('*') {
                Style::Star
            } else {
                Style::Skip
            };
            if style != styles[i] {
                // Only leaving a pair out changes what other pairs see (and is never undone),
                // so a pass without that has decided every pair against final neighbours.
                changed |= style == Style::Skip;
                styles[i] = style;
                styles[j] = style;
            }
        }
        if !changed {
            return styles;
        }
    }
}
