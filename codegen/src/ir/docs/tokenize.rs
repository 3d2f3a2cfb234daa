//! Reading tags out of the documentation text.
//!
//! Written by hand, not taken from an HTML tokenizer crate, because the best candidate costs
//! more than these lines. html5gum 0.9 (a WHATWG tokenizer with no dependencies and the full
//! entity table) was tried in place of this file and `entities`: it converted all 20,148
//! documentation strings of the 104 corpus models and the bundled model exactly as they are
//! converted now, but its generic state machine is compiled into this crate (codegen's own
//! build, the last and single-threaded step of every generator build, took about 1 s more CPU
//! out of 6 s; a clean build of codegen and its dependencies about 1.3 s more out of 25 s), the
//! conversion ran about 25% slower, and, as browsers do, it drops a tag cut off by the end of
//! the text (`a<b`, `<a href="x`, an unclosed `<!--`) together with the words in it, where this
//! tokenizer keeps them as text. Other crates weigh more for this job: html5ever and lol_html
//! bring dependency trees of their own (string interning, CSS selectors), tl decodes no
//! entities, and quick-xml or xmlparser read XML, which this HTML is not.

use super::entities::decode_entities;

/// One piece of documentation text: text between tags, or a tag. Comments, doctypes and
/// processing instructions are dropped.
pub(super) enum Token<'a> {
    /// Text as written, entities not yet decoded.
    Text(&'a str),
    /// A tag and its source text, from `<` to `>`.
    Tag(Tag, &'a str),
}

pub(super) enum Tag {
    Start { name: String, attrs: Vec<(String, String)>, self_closing: bool },
    End(String),
}

/// What a `<` begins, when it begins markup.
enum Markup {
    Tag(Tag),
    /// A comment, doctype or processing instruction: dropped with its content.
    Skip,
}

/// Splits documentation text into tokens.
pub(super) fn tokenize(input: &str) -> Tokens<'_> {
    Tokens { input, pos: 0, comment_ends: CommentEnds::default(), pending: None }
}

pub(super) struct Tokens<'a> {
    input: &'a str,
    /// Where the next token starts.
    pos: usize,
    comment_ends: CommentEnds,
    /// A tag found right after text, returned on the next call.
    pending: Option<Token<'a>>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some(token) = self.pending.take() {
            return Some(token);
        }
        let mut text_start = self.pos;
        while self.pos < self.input.len() {
            let at = self.pos;
            let markup = if self.input.as_bytes()[at] == b'<' {
                read_markup(self.input, at, &mut self.comment_ends)
            } else {
                None
            };
            let Some((markup, end)) = markup else {
                self.pos += 1;
                continue;
            };
            self.pos = end;
            let text = &self.input[text_start..at];
            match markup {
                Markup::Tag(tag) => {
                    let tag = Token::Tag(tag, &self.input[at..end]);
                    if text.is_empty() {
                        return Some(tag);
                    }
                    self.pending = Some(tag);
                    return Some(Token::Text(text));
                }
                Markup::Skip if !text.is_empty() => return Some(Token::Text(text)),
                Markup::Skip => text_start = end,
            }
        }
        let text = &self.input[text_start..];
        (!text.is_empty()).then_some(Token::Text(text))
    }
}

/// The longest tag, from `<` to `>`, that the parser looks for; a `<` not closed within it is
/// text. Real tags are far shorter, and without the bound every `<` of text full of unclosed
/// tags (`<a x="` …) would scan to the end of the input, taking quadratic time.
const MAX_TAG_LEN: usize = 1024;

/// Remembers the last search for a comment's `-->`. The answer found from one position holds
/// for every later position up to it, so unclosed `<!--` repeated in text cost one scan, not
/// one each.
#[derive(Default)]
struct CommentEnds {
    last: Option<(usize, Option<usize>)>,
}

impl CommentEnds {
    fn find(&mut self, b: &[u8], from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.last
            && from >= searched_from
            && found.is_none_or(|end| from <= end)
        {
            return found;
        }
        let found = find(b, from, b"-->");
        self.last = Some((from, found));
        found
    }
}

/// Reads the tag starting at the `<` at `start`, returning it and the index after its `>`. A `<`
/// that does not begin a well-formed tag (`a < b`, `<=`, `<user@host>`, no closing `>`) is text.
fn read_markup(input: &str, start: usize, comment_ends: &mut CommentEnds) -> Option<(Markup, usize)> {
    let all = input.as_bytes();
    if all[start..].starts_with(b"<!--") {
        let end = comment_ends.find(all, start + 4)?;
        return Some((Markup::Skip, end + 3));
    }
    // Bytes past the bound read as the end of the input.
    let b = &all[..all.len().min(start + MAX_TAG_LEN)];
    let rest = &b[start..];
    match rest.get(1).copied() {
        Some(b'!' | b'?') if rest.get(2).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'[') => {
            let end = find(b, start + 2, b">")?;
            Some((Markup::Skip, end + 1))
        }
        Some(b'/') => {
            let name_start = start + 2;
            if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                return None;
            }
            let name_end = tag_name_end(b, name_start);
            let end = find(b, name_end, b">")?;
            Some((Markup::Tag(Tag::End(input[name_start..name_end].to_ascii_lowercase())), end + 1))
        }
        Some(c) if c.is_ascii_alphabetic() => {
            parse_start_tag(input, b, start + 1).map(|(tag, end)| (Markup::Tag(tag), end))
        }
        _ => None,
    }
}

/// `b` is `input` as bytes, possibly cut short: the tag must end within it.
fn parse_start_tag(input: &str, b: &[u8], name_start: usize) -> Option<(Tag, usize)> {
    let name_end = tag_name_end(b, name_start);
    let after = *b.get(name_end)?;
    if !(after.is_ascii_whitespace() || after == b'/' || after == b'>') {
        return None;
    }
    let name = input[name_start..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut i = name_end;
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => {
                return Some((Tag::Start { name, attrs, self_closing: false }, i + 1));
            }
            b'/' => {
                if b.get(i + 1) == Some(&b'>') {
                    return Some((Tag::Start { name, attrs, self_closing: true }, i + 2));
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        let attr_start = i;
        while b.get(i).is_some_and(|&c| !(c.is_ascii_whitespace() || matches!(c, b'>' | b'/' | b'='))) {
            i += 1;
        }
        if i == attr_start {
            // A stray `=`: skip it so the loop always advances.
            i += 1;
            continue;
        }
        let attr_name = input[attr_start..i].to_ascii_lowercase();
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((attr_name, String::new()));
            continue;
        }
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let value = match *b.get(i)? {
            quote @ (b'"' | b'\'') => {
                let close = find(b, i + 1, &[quote])?;
                let value = &input[i + 1..close];
                i = close + 1;
                value
            }
            _ => {
                let value_start = i;
                while b.get(i).is_some_and(|&c| !(c.is_ascii_whitespace() || c == b'>')) {
                    i += 1;
                }
                &input[value_start..i]
            }
        };
        attrs.push((attr_name, decode_entities(value)));
    }
}

/// Tag names are ASCII letters, digits and `-_:.`, which covers HTML and the XML-ish names of
/// AWS models (`fullname`, `note`).
fn tag_name_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.')) {
        i += 1;
    }
    i
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let haystack = haystack.get(from..)?;
    let at = match needle {
        [byte] => haystack.iter().position(|b| b == byte),
        _ => haystack.windows(needle.len()).position(|w| w == needle),
    };
    at.map(|p| p + from)
}
