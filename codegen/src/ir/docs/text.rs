//! Small text helpers shared by the steps: whitespace, backtick runs, URLs.

use std::fmt::Write as _;

/// Collapses whitespace runs to single spaces and trims, dropping control characters.
pub(super) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// `<pre>` text as lines without trailing spaces, leading or trailing blank lines, or the
/// indentation common to all lines (which usually comes from the model's source layout).
pub(super) fn normalize_pre(raw: &str) -> String {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text: String = text.chars().filter(|&c| c == '\n' || c == '\t' || !c.is_control()).collect();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let Some(first) = lines.iter().position(|l| !l.is_empty()) else {
        return String::new();
    };
    let last = lines.iter().rposition(|l| !l.is_empty()).unwrap_or(first);
    let lines = &lines[first..=last];
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .reduce(|a, b| {
            let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            &a[..common]
        })
        .unwrap_or("");
    let dedented: Vec<&str> = lines.iter().map(|l| l.strip_prefix(indent).unwrap_or(l)).collect();
    dedented.join("\n")
}

/// Length of the longest run of `c` in `text`.
pub(super) fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// Offset in `s` of the first run of exactly `len` backticks: the end of a code span opened by
/// `len` backticks, as markdown defines it.
pub(super) fn find_backtick_run(s: &str, len: usize) -> Option<usize> {
    let mut i = 0;
    while let Some(p) = s[i..].find('`') {
        let start = i + p;
        let run = s[start..].len() - s[start..].trim_start_matches('`').len();
        if run == len {
            return Some(start);
        }
        i = start + run;
    }
    None
}

/// Length of the URL at the start of `text`, which starts with `http://` or `https://`; 0 if
/// nothing follows the scheme. Trailing punctuation is taken as the sentence's, not the URL's,
/// unless it closes a bracket the URL opened (`…/Foo_(bar)`).
pub(super) fn bare_url_len(text: &str) -> usize {
    let end = text
        .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let mut url = &text[..end];
    // Counted once and updated while stripping, which keeps long runs of `)` linear.
    let mut parens = (url.matches('(').count(), url.matches(')').count());
    let mut brackets = (url.matches('[').count(), url.matches(']').count());
    let unbalanced_close = |(open, close): &mut (usize, usize)| {
        let strip = *open < *close;
        *close -= usize::from(strip);
        strip
    };
    while let Some(last) = url.chars().next_back() {
        let strip = match last {
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~' => true,
            ')' => unbalanced_close(&mut parens),
            ']' => unbalanced_close(&mut brackets),
            _ => false,
        };
        if !strip {
            break;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
    let scheme = url.find("://").map_or(url.len(), |p| p + 3);
    if url.len() > scheme { url.len() } else { 0 }
}

pub(super) fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Percent-encodes what cannot appear in a markdown link destination or autolink: whitespace,
/// control characters, angle brackets, parentheses, backslashes, backticks, double quotes and
/// an `&` that markdown would read as an entity.
pub(super) fn encode_url(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for (i, c) in href.char_indices() {
        let encode = c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '(' | ')' | '\\' | '`' | '"')
            || (c == '&' && looks_like_entity(&href[i + 1..]));
        if encode {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `s` (the text after a `&`) starts like an entity reference, which markdown would
/// decode: `&name;` or `&#digits;`.
pub(super) fn looks_like_entity(s: &str) -> bool {
    let Some(semi) = s.bytes().take(33).position(|c| c == b';') else {
        return false;
    };
    let body = &s[..semi];
    match body.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        },
        None => body.starts_with(|c: char| c.is_ascii_alphabetic()) && body.chars().all(|c| c.is_ascii_alphanumeric()),
    }
}
