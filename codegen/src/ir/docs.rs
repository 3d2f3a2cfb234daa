//! Smithy documentation converted to rustdoc markdown.
//!
//! AWS models write the `documentation` trait as HTML fragments (`<p>`, `<code>`, `<note>`, …);
//! other Smithy models use plain text or markdown. Rustdoc reads doc comments as markdown and
//! lints them: HTML it cannot pair up (`invalid_html_tags`), URLs that are not links
//! (`bare_urls`) and bracketed words that look like intra-doc links (`broken_intra_doc_links`)
//! all warn, and a generated crate must document cleanly. Passing the HTML through is therefore
//! not an option. Instead the text goes through three steps:
//!
//! 1. `parse`: a forgiving tokenizer and tree builder. Model documentation is hand-written and
//!    not always well-formed, so anything that is not a recognisable tag is text, unmatched end
//!    tags are ignored and unclosed elements end with their parent.
//! 2. `Ctx`: walks the tree and collects blocks (paragraphs, lists, fenced code). Within a
//!    paragraph it records a flat run of inline items (text, spaces, code, format markers) rather
//!    than markdown text, because whether a marker is valid markdown depends on what ends up
//!    next to it.
//! 3. `serialize` and `write_blocks`: tidy each paragraph's items (spaces moved outside markers,
//!    empty formats dropped, emphasis that markdown would not recognise removed), then write
//!    them with every character of running text escaped that markdown or rustdoc would otherwise
//!    interpret.

use std::fmt::Write as _;

/// Elements nested deeper than this are flattened (their tags ignored, their text kept). Real
/// documentation nests a handful of levels; the cap keeps the recursive rendering of hostile or
/// broken input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// Converts Smithy documentation (HTML as written in AWS models, or plain text/markdown) into
/// markdown suitable for rustdoc.
///
/// The HTML subset of AWS models is understood: paragraphs, inline code, bold and italic, links
/// (absolute ones become markdown links, relative ones keep only their text), lists (nested ones
/// indented to their parent item's text), `<note>`/`<important>` call-outs (a paragraph led by
/// `**Note:**`/`**Important:**`), definition lists (terms as bold lines), `<pre>` blocks (fenced
/// as `text`), headings and titles (bold lines). `<br>` is a hard line break and two of them a
/// paragraph break. Unknown tags are dropped and their text kept, except inside `<code>` and
/// `<pre>`, where a tag that is not HTML (S3's `<ScanRange>`) is shown as written. Entities are
/// decoded. Whitespace is collapsed as a browser would, except inside `<pre>`; a blank line in
/// the source text still separates paragraphs, so plain-text documentation keeps its paragraphs.
///
/// Running text is escaped so that rustdoc shows it literally and does not warn: brackets,
/// angle brackets, backticks without a partner, `*`, `~`, `_` outside words and the second
/// hyphen of `--` are backslash-escaped, as are characters that would start a heading, list or
/// block quote at the beginning of a line, and bare `http(s)://` URLs become autolinks. Text
/// between a pair of backticks is kept as a code span, so markdown-style inline code in
/// plain-text documentation survives; other markdown syntax is shown as written.
///
/// The result has no leading or trailing blank lines and no trailing spaces; paragraphs are
/// single lines separated by one blank line. The function never panics, whatever the input.
pub fn html_to_markdown(html: &str) -> String {
    let nodes = parse(html);
    let mut ctx = Ctx::default();
    ctx.render(&nodes);
    let blocks = ctx.finish();
    let mut lines = Vec::new();
    write_blocks(&blocks, false, &mut lines);
    let mut out = String::new();
    for line in &lines {
        let line = line.trim_end();
        if out.is_empty() && line.is_empty() {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out
}

// ---------------------------------------------------------------------------------------------
// Step 1: parsing
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    /// Text with entities already decoded.
    Text(String),
    Elem(Elem),
}

#[derive(Debug)]
struct Elem {
    /// Lower-cased, since HTML tag names are case-insensitive.
    name: String,
    /// Lower-cased names, entity-decoded values.
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    /// The start tag and (if it was written) the end tag as they appear in the source. Inside
    /// `<code>` and `<pre>` a tag that is not HTML is content, e.g. S3's
    /// `<code><ScanRange><Start>50</Start></ScanRange></code>`, and is shown literally.
    source_tags: (String, Option<String>),
}

impl Elem {
    fn new(name: String, attrs: Vec<(String, String)>, start_tag: &str) -> Self {
        Self { name, attrs, children: Vec::new(), source_tags: (start_tag.to_owned(), None) }
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

enum Tag {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End(String),
    /// A comment, doctype or processing instruction: dropped with its content.
    Skip,
}

/// Elements that never have content, so a start tag must not wait for an end tag.
const VOID_TAGS: &[&str] =
    &["br", "hr", "img", "wbr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "param"];

/// Builds the element tree without recursion, so the nesting of the input cannot overflow the
/// stack here; `MAX_DEPTH` bounds it for the later, recursive steps.
fn parse(input: &str) -> Vec<Node> {
    // Index 0 is a nameless root that is never closed by an end tag.
    let mut stack = vec![Elem::new(String::new(), Vec::new(), "")];
    let bytes = input.as_bytes();
    let mut comment_ends = CommentEnds::default();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let tag = if bytes[i] == b'<' { parse_tag(input, i, &mut comment_ends) } else { None };
        let Some((tag, end)) = tag else {
            i += 1;
            continue;
        };
        push_text(&mut stack, &input[text_start..i]);
        let source = &input[i..end];
        match tag {
            Tag::Start { name, attrs, self_closing } => {
                open_element(&mut stack, Elem::new(name, attrs, source), self_closing)
            }
            Tag::End(name) => {
                // An end tag without a matching open element is ignored, like a browser does.
                if let Some(at) = (1..stack.len()).rev().find(|&j| stack[j].name == name) {
                    stack[at].source_tags.1 = Some(source.to_owned());
                    close_to(&mut stack, at);
                }
            }
            Tag::Skip => {}
        }
        i = end;
        text_start = end;
    }
    push_text(&mut stack, &input[text_start..]);
    close_to(&mut stack, 1);
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn open_element(stack: &mut Vec<Elem>, elem: Elem, self_closing: bool) {
    if self_closing || VOID_TAGS.contains(&elem.name.as_str()) {
        if let Some(top) = stack.last_mut() {
            top.children.push(Node::Elem(elem));
        }
        return;
    }
    // `<li>` and `<dt>`/`<dd>` end tags are optional in HTML; without closing the previous item
    // here, the next one would nest inside it.
    match elem.name.as_str() {
        "li" => close_implied(stack, &["li"], &["ul", "ol"]),
        "dt" | "dd" => close_implied(stack, &["dt", "dd"], &["dl"]),
        _ => {}
    }
    if stack.len() <= MAX_DEPTH {
        stack.push(elem);
    }
}

/// Closes the innermost open element named in `targets`, unless an element named in
/// `boundaries` (the list that owns the item) is open inside it.
fn close_implied(stack: &mut Vec<Elem>, targets: &[&str], boundaries: &[&str]) {
    for j in (1..stack.len()).rev() {
        let name = stack[j].name.as_str();
        if targets.contains(&name) {
            close_to(stack, j);
            return;
        }
        if boundaries.contains(&name) {
            return;
        }
    }
}

/// Closes the open elements at stack positions `at` and above, innermost first.
fn close_to(stack: &mut Vec<Elem>, at: usize) {
    while stack.len() > at.max(1) {
        let Some(elem) = stack.pop() else { return };
        if let Some(parent) = stack.last_mut() {
            parent.children.push(Node::Elem(elem));
        }
    }
}

fn push_text(stack: &mut [Elem], raw: &str) {
    if raw.is_empty() {
        return;
    }
    let Some(top) = stack.last_mut() else { return };
    let text = decode_entities(raw);
    // Text split by a comment is one run, so URLs and backtick pairs are still found across it.
    if let Some(Node::Text(prev)) = top.children.last_mut() {
        prev.push_str(&text);
    } else {
        top.children.push(Node::Text(text));
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
fn parse_tag(input: &str, start: usize, comment_ends: &mut CommentEnds) -> Option<(Tag, usize)> {
    let all = input.as_bytes();
    if all[start..].starts_with(b"<!--") {
        let end = comment_ends.find(all, start + 4)?;
        return Some((Tag::Skip, end + 3));
    }
    // Bytes past the bound read as the end of the input.
    let b = &all[..all.len().min(start + MAX_TAG_LEN)];
    let rest = &b[start..];
    match rest.get(1).copied() {
        Some(b'!' | b'?') if rest.get(2).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'[') => {
            let end = find(b, start + 2, b">")?;
            Some((Tag::Skip, end + 1))
        }
        Some(b'/') => {
            let name_start = start + 2;
            if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                return None;
            }
            let name_end = tag_name_end(b, name_start);
            let end = find(b, name_end, b">")?;
            Some((Tag::End(input[name_start..name_end].to_ascii_lowercase()), end + 1))
        }
        Some(c) if c.is_ascii_alphabetic() => parse_start_tag(input, b, start + 1),
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

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        match decode_entity(after) {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            // Not an entity (`Q&A`, `&foo;`, `&amp` without `;`): the `&` is literal.
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the entity that `s` (the text after a `&`) starts with, returning the character and
/// the number of bytes consumed, `;` included.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|c| c == b';')?;
    let body = &s[..semi];
    let c = if let Some(number) = body.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        // At most 8 digits, so the value always fits a `u32`.
        if digits.is_empty() || digits.len() > 8 || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let value = u32::from_str_radix(digits, radix).ok()?;
        // NUL, surrogates and out-of-range values become the replacement character, as in HTML.
        char::from_u32(value).filter(|&c| c != '\0').unwrap_or('\u{FFFD}')
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            // A plain space: a literal no-break space in a doc comment is invisible and confusing.
            "nbsp" => ' ',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "hellip" => '\u{2026}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201C}',
            "rdquo" => '\u{201D}',
            "bull" => '\u{2022}',
            "middot" => '\u{B7}',
            "times" => '\u{D7}',
            "deg" => '\u{B0}',
            "copy" => '\u{A9}',
            "reg" => '\u{AE}',
            "trade" => '\u{2122}',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

// ---------------------------------------------------------------------------------------------
// Step 2: the tree as blocks and inline items
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Block {
    /// Inline markdown; lines are separated by hard breaks.
    Para(String),
    /// A complete fenced code block, fences included.
    Fence(String),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Fmt {
    Bold,
    Italic,
    /// An absolute link; the destination is already percent-encoded where markdown needs it.
    Link(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Inline {
    /// Decoded text without whitespace; escaped only when written.
    Text(String),
    /// Collapsible whitespace.
    Space,
    /// `<br>`.
    Break,
    /// A code span's content, whitespace collapsed.
    Code(String),
    /// A URL shown as an autolink.
    Url(String),
    Open(Fmt),
    Close(Fmt),
}

/// Rendering state for one sequence of blocks: the document, or one list item.
#[derive(Default)]
struct Ctx {
    blocks: Vec<Block>,
    /// The inline items of the paragraph being built.
    items: Vec<Inline>,
    /// Formats open at this point of the tree walk. A block element inside a format (`<b><p>`)
    /// ends the paragraph, so formats are closed at each paragraph end and reopened after it.
    formats: Vec<Fmt>,
    /// `**Note:**`/`**Important:**` waiting to start the first paragraph of the call-out.
    label: Option<&'static str>,
    /// Whether an absolute link is open: markdown links cannot nest, and a URL in link text
    /// must not become an autolink.
    in_link: bool,
}

impl Ctx {
    fn render(&mut self, nodes: &[Node]) {
        let mut i = 0;
        while i < nodes.len() {
            match &nodes[i] {
                Node::Text(text) => self.text(text),
                Node::Elem(elem) if elem.name == "li" => {
                    // Items without a list around them still read best as a list.
                    let end = nodes[i..]
                        .iter()
                        .position(|n| !(is_elem(n, "li") || is_blank(n)))
                        .map_or(nodes.len(), |p| i + p);
                    self.list(false, &nodes[i..end]);
                    i = end;
                    continue;
                }
                Node::Elem(elem) => self.element(elem),
            }
            i += 1;
        }
    }

    fn element(&mut self, elem: &Elem) {
        match elem.name.as_str() {
            "p" | "div" | "dd" | "dl" | "blockquote" | "section" | "article" | "header" | "footer" | "table"
            | "thead" | "tbody" | "tfoot" | "tr" | "center" | "hr" => {
                self.flush();
                self.render(&elem.children);
                self.flush();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title" | "dt" => {
                // Markdown headings would add entries to rustdoc's outline and clash with the
                // item's own headings; a bold line keeps the emphasis without that.
                self.flush();
                self.format(Fmt::Bold, &elem.children);
                self.flush();
            }
            "note" => self.callout("**Note:**", elem),
            "important" => self.callout("**Important:**", elem),
            "ul" => self.list(false, &elem.children),
            "ol" => self.list(true, &elem.children),
            "pre" => self.pre(elem),
            "code" | "tt" | "kbd" | "samp" => self.code(elem),
            "b" | "strong" => self.format(Fmt::Bold, &elem.children),
            "i" | "em" => self.format(Fmt::Italic, &elem.children),
            "a" => self.link(elem),
            "br" => self.line_break(),
            "td" | "th" => {
                self.items.push(Inline::Space);
                self.render(&elem.children);
                self.items.push(Inline::Space);
            }
            "img" | "script" | "style" => {}
            // `fullname`, `span` and unknown tags: the tag goes, the text stays.
            _ => self.render(&elem.children),
        }
    }

    fn format(&mut self, fmt: Fmt, children: &[Node]) {
        // `<b>` inside `<b>` would write `****`, which markdown does not read as bold.
        if self.formats.contains(&fmt) {
            self.render(children);
            return;
        }
        self.items.push(Inline::Open(fmt.clone()));
        self.formats.push(fmt.clone());
        self.render(children);
        self.formats.pop();
        self.items.push(Inline::Close(fmt));
    }

    fn link(&mut self, elem: &Elem) {
        let href = elem.attr("href").map(str::trim).unwrap_or("");
        // Relative links point into the AWS documentation site, not into the generated crate,
        // so only their text is kept.
        let absolute = ["http://", "https://", "mailto:"].iter().any(|scheme| starts_with_ignore_case(href, scheme));
        if !absolute || self.in_link {
            self.render(&elem.children);
            return;
        }
        self.in_link = true;
        self.format(Fmt::Link(encode_url(href)), &elem.children);
        self.in_link = false;
    }

    fn line_break(&mut self) {
        // Two breaks in a row (`<br/><br/>`) are how many AWS docs separate paragraphs.
        let last = self.items.iter().rposition(|item| *item != Inline::Space);
        if let Some(at) = last.filter(|&at| self.items[at] == Inline::Break) {
            self.items.truncate(at);
            self.flush();
        } else {
            self.items.push(Inline::Break);
        }
    }

    fn callout(&mut self, label: &'static str, elem: &Elem) {
        self.flush();
        self.emit_label();
        self.label = Some(label);
        self.render(&elem.children);
        self.flush();
        // An empty call-out leaves no dangling label.
        self.label = None;
    }

    fn list(&mut self, ordered: bool, nodes: &[Node]) {
        self.flush();
        let mut items = Vec::new();
        // Content directly inside `<ul>`/`<ol>` but outside any `<li>` becomes an item of its own.
        let mut loose: Option<Ctx> = None;
        for node in nodes {
            if let Node::Elem(elem) = node
                && elem.name == "li"
            {
                items.extend(loose.take().map(Ctx::finish));
                let mut item = Ctx::default();
                item.render(&elem.children);
                items.push(item.finish());
                continue;
            }
            if loose.is_some() || !is_blank(node) {
                loose.get_or_insert_with(Ctx::default).render(std::slice::from_ref(node));
            }
        }
        items.extend(loose.map(Ctx::finish));
        items.retain(|item| !item.is_empty());
        if !items.is_empty() {
            self.emit_label();
            self.blocks.push(Block::List { ordered, items });
        }
    }

    fn pre(&mut self, elem: &Elem) {
        let mut raw = String::new();
        collect_text(&elem.children, true, &mut raw);
        let text = normalize_pre(&raw);
        if text.is_empty() {
            return;
        }
        self.flush();
        self.emit_label();
        // The fence must be longer than any backtick run inside, or that run would end it.
        let fence = "`".repeat(longest_run(&text, '`').max(2) + 1);
        self.blocks.push(Block::Fence(format!("{fence}text\n{text}\n{fence}")));
    }

    fn code(&mut self, elem: &Elem) {
        let mut raw = String::new();
        collect_text(&elem.children, false, &mut raw);
        // Whitespace at the edges of `<code>` separates it from the text around it but does not
        // belong in the code span.
        if raw.starts_with(char::is_whitespace) {
            self.items.push(Inline::Space);
        }
        let content = collapse(&raw);
        if !content.is_empty() {
            self.items.push(Inline::Code(content));
            if raw.ends_with(char::is_whitespace) {
                self.items.push(Inline::Space);
            }
        }
    }

    /// Splits text into words, spaces, backtick code spans and bare URLs.
    fn text(&mut self, text: &str) {
        let mut word = String::new();
        let mut i = 0;
        while let Some(c) = text[i..].chars().next() {
            let rest = &text[i..];
            if c.is_whitespace() {
                let len = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
                self.push_word(&mut word);
                // A blank line separates paragraphs in plain-text and markdown documentation.
                if rest[..len].matches('\n').count() >= 2 {
                    self.flush();
                } else {
                    self.items.push(Inline::Space);
                }
                i += len;
                continue;
            }
            if c == '`' {
                let ticks = rest.len() - rest.trim_start_matches('`').len();
                if let Some(close) = find_backtick_run(&rest[ticks..], ticks) {
                    let content = collapse(&rest[ticks..ticks + close]);
                    if !content.is_empty() {
                        self.push_word(&mut word);
                        self.items.push(Inline::Code(content));
                        i += ticks + close + ticks;
                        continue;
                    }
                }
                // Unpaired backticks are literal text (escaped when written).
                word.push_str(&rest[..ticks]);
                i += ticks;
                continue;
            }
            if !self.in_link && (starts_with_ignore_case(rest, "http://") || starts_with_ignore_case(rest, "https://"))
            {
                let len = bare_url_len(rest);
                if len > 0 {
                    self.push_word(&mut word);
                    self.items.push(Inline::Url(rest[..len].to_owned()));
                    i += len;
                    continue;
                }
            }
            // Control characters have no place in documentation and could upset later tooling.
            if !c.is_control() {
                word.push(c);
            }
            i += c.len_utf8();
        }
        self.push_word(&mut word);
    }

    fn push_word(&mut self, word: &mut String) {
        if !word.is_empty() {
            self.items.push(Inline::Text(std::mem::take(word)));
        }
    }

    /// Ends the current paragraph, if it has any content.
    fn flush(&mut self) {
        let mut items = std::mem::take(&mut self.items);
        items.extend(self.formats.iter().rev().cloned().map(Inline::Close));
        let text = serialize(items);
        if !text.is_empty() {
            let text = match self.label.take() {
                Some(label) => format!("{label} {text}"),
                None => text,
            };
            self.blocks.push(Block::Para(text));
        }
        self.items = self.formats.iter().cloned().map(Inline::Open).collect();
    }

    /// Writes a pending call-out label as a paragraph of its own, for call-outs that start with
    /// a list or code block rather than text.
    fn emit_label(&mut self) {
        if let Some(label) = self.label.take() {
            self.blocks.push(Block::Para(label.to_owned()));
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }
}

fn is_elem(node: &Node, name: &str) -> bool {
    matches!(node, Node::Elem(elem) if elem.name == name)
}

fn is_blank(node: &Node) -> bool {
    matches!(node, Node::Text(text) if text.trim().is_empty())
}

/// Appends the text of `nodes` for a code span or block: HTML tags are dropped (`<br>` is a
/// newline in `<pre>` and a space elsewhere), other tags are kept as written.
fn collect_text(nodes: &[Node], pre: bool, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Elem(elem) if elem.name == "br" => out.push(if pre { '\n' } else { ' ' }),
            Node::Elem(elem) if HTML_TAGS.contains(&elem.name.as_str()) => collect_text(&elem.children, pre, out),
            Node::Elem(elem) => {
                let (start, end) = &elem.source_tags;
                out.push_str(start);
                collect_text(&elem.children, pre, out);
                out.push_str(end.as_deref().unwrap_or(""));
            }
        }
    }
}

/// Tags that are markup rather than content: the HTML of AWS models and common HTML.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "br",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "fullname",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "important",
    "ins",
    "kbd",
    "li",
    "mark",
    "note",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

/// Collapses whitespace runs to single spaces and trims, dropping control characters.
fn collapse(text: &str) -> String {
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
fn normalize_pre(raw: &str) -> String {
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
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// Offset in `s` of the first run of exactly `len` backticks: the end of a code span opened by
/// `len` backticks, as markdown defines it.
fn find_backtick_run(s: &str, len: usize) -> Option<usize> {
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
fn bare_url_len(text: &str) -> usize {
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

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Percent-encodes what cannot appear in a markdown link destination or autolink: whitespace,
/// control characters, angle brackets, parentheses, backslashes, backticks, double quotes and
/// an `&` that markdown would read as an entity.
fn encode_url(href: &str) -> String {
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
fn looks_like_entity(s: &str) -> bool {
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

// ---------------------------------------------------------------------------------------------
// Step 3: writing markdown
// ---------------------------------------------------------------------------------------------

/// Writes one paragraph's items as inline markdown.
fn serialize(items: Vec<Inline>) -> String {
    let items = normalize(items);
    let styles = marker_styles(&items);
    let mut w = Writer::default();
    for (item, &style) in items.iter().zip(&styles) {
        if style == Style::Skip {
            continue;
        }
        match item {
            Inline::Text(text) => w.text(text),
            Inline::Space => w.raw(" "),
            Inline::Break => w.line_break(),
            Inline::Code(code) => w.code(code),
            Inline::Url(url) => {
                w.raw("<");
                w.raw(url);
                w.raw(">");
            }
            Inline::Open(Fmt::Link(_)) => {
                // `!` right before `[` would turn the link into an image.
                if w.raw_bang {
                    w.out.pop();
                    w.out.push_str("\\!");
                }
                w.raw("[");
            }
            Inline::Close(Fmt::Link(url)) => {
                w.raw("](");
                w.raw(url);
                w.raw(")");
            }
            Inline::Open(Fmt::Bold) | Inline::Close(Fmt::Bold) => w.raw("**"),
            Inline::Open(Fmt::Italic) | Inline::Close(Fmt::Italic) => {
                w.raw(if style == Style::Star { "*" } else { "_" });
            }
        }
    }
    w.out
}

/// Tidies a paragraph's items so that markers wrap only content: spaces move outside formats
/// (`**a **b` is not bold in markdown), formats with no content disappear, a format closed and
/// immediately reopened is merged (`**a****b**` is not bold either), spaces around line breaks
/// and breaks at the ends go, and a link without text becomes an autolink of its URL.
fn normalize(items: Vec<Inline>) -> Vec<Inline> {
    #[derive(Default)]
    struct State {
        out: Vec<Inline>,
        space: bool,
        opens: Vec<Fmt>,
    }
    impl State {
        fn visible(&mut self, item: Inline) {
            // The delimiters of adjacent code spans would run together into one longer
            // delimiter; a single span shows the same.
            if !self.space
                && self.opens.is_empty()
                && let (Inline::Code(more), Some(Inline::Code(code))) = (&item, self.out.last_mut())
            {
                code.push_str(more);
                return;
            }
            let has_content = !self.out.is_empty();
            if std::mem::take(&mut self.space) && has_content && self.out.last() != Some(&Inline::Break) {
                self.out.push(Inline::Space);
            }
            for fmt in std::mem::take(&mut self.opens) {
                let mergeable = !matches!(fmt, Fmt::Link(_));
                if mergeable && self.out.last() == Some(&Inline::Close(fmt.clone())) {
                    self.out.pop();
                } else {
                    self.out.push(Inline::Open(fmt));
                }
            }
            self.out.push(item);
        }
    }

    let mut s = State::default();
    for item in items {
        match item {
            Inline::Space => s.space = true,
            Inline::Open(fmt) => s.opens.push(fmt),
            Inline::Close(fmt) => {
                if s.opens.pop().is_some() {
                    // Nothing was written since the format opened.
                    if let Fmt::Link(url) = fmt {
                        s.visible(Inline::Url(url));
                    }
                    continue;
                }
                let n = s.out.len();
                if let (Fmt::Link(url), [.., Inline::Open(Fmt::Link(_)), Inline::Text(text)]) = (&fmt, s.out.as_slice())
                {
                    // `[https://x](https://x)`: the autolink says the same more simply.
                    if text == url {
                        let url = url.clone();
                        s.out.truncate(n - 2);
                        s.out.push(Inline::Url(url));
                        continue;
                    }
                }
                // A closing marker at the start of the next line would not close anything.
                if s.out.last() == Some(&Inline::Break) {
                    s.out.insert(n - 1, Inline::Close(fmt));
                } else {
                    s.out.push(Inline::Close(fmt));
                }
            }
            Inline::Break => {
                if !s.out.is_empty() && s.out.last() != Some(&Inline::Break) {
                    s.out.push(Inline::Break);
                }
                s.space = false;
            }
            item => s.visible(item),
        }
    }
    while s.out.last() == Some(&Inline::Break) {
        s.out.pop();
    }
    s.out
}

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
enum Style {
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
fn marker_styles(items: &[Inline]) -> Vec<Style> {
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

/// Builds a paragraph's markdown, tracking what is needed to escape the next character.
#[derive(Default)]
struct Writer {
    out: String,
    /// Whether anything has been written on the current line.
    line_started: bool,
    /// While the current line holds only digits: how many (a following `.` or `)` would make
    /// an ordered-list marker).
    line_digits: Option<usize>,
    /// Whether the last character written is an unescaped `!`.
    raw_bang: bool,
}

impl Writer {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.line_started = true;
        self.line_digits = None;
        self.raw_bang = false;
    }

    fn line_break(&mut self) {
        // A backslash before the newline is markdown's hard line break; two trailing spaces
        // would do the same but are invisible and get stripped by editors.
        self.out.push_str("\\\n");
        self.line_started = false;
        self.line_digits = Some(0);
        self.raw_bang = false;
    }

    fn code(&mut self, code: &str) {
        // The delimiter must be longer than any backtick run inside, and content starting or
        // ending with a backtick needs a space to keep it apart from the delimiter.
        let ticks = "`".repeat(longest_run(code, '`') + 1);
        let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
        self.raw(&format!("{ticks}{pad}{code}{pad}{ticks}"));
    }

    fn text(&mut self, text: &str) {
        if !self.line_started {
            self.line_digits = Some(0);
        }
        for (i, c) in text.char_indices() {
            let rest = &text[i + c.len_utf8()..];
            let prev = self.out.chars().next_back();
            let next = rest.chars().next();
            let escape = match c {
                // Code spans, emphasis, strikethrough, links and HTML (rustdoc's
                // `invalid_html_tags` lint) respectively; `\` so that it does not escape what
                // follows.
                '\\' | '`' | '*' | '~' | '[' | ']' | '<' | '>' => true,
                // `_` between letters or digits never starts or ends emphasis, so identifiers
                // like `snake_case` stay readable.
                '_' => !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)),
                // Headings, bullets and setext underlines, only at the start of a line.
                '#' | '+' | '=' => !self.line_started,
                // Also a bullet at the start of a line; and rustdoc's smart punctuation would
                // turn `--` into a dash, mangling command-line flags such as `--dry-run`.
                '-' => !self.line_started || prev == Some('-'),
                // `1.` or `1)` at the start of a line is an ordered-list marker.
                '.' | ')' => self.line_digits.is_some_and(|n| n > 0),
                // Text that reads `&lt;` must not be decoded a second time by markdown.
                '&' => looks_like_entity(rest),
                // `[^` would start a footnote reference; a `[` in text is escaped already, so
                // only a link's opening bracket can be followed by a raw `^`.
                '^' => self.out.ends_with('[') && !self.out.ends_with("\\["),
                _ => false,
            };
            if escape {
                self.out.push('\\');
            }
            self.out.push(c);
            self.line_started = true;
            self.line_digits = match self.line_digits {
                Some(n) if c.is_ascii_digit() => Some(n + 1),
                _ => None,
            };
            self.raw_bang = c == '!' && !escape;
        }
    }
}

/// Writes blocks as lines. Inside a list item a nested list directly follows the paragraph
/// before it, so simple nested lists stay tight; everything else is separated by a blank line.
fn write_blocks(blocks: &[Block], in_item: bool, lines: &mut Vec<String>) {
    let mut prev: Option<&Block> = None;
    // Two adjacent lists of the same kind would merge into one; switching the marker style
    // (`-`/`*`, `1.`/`1)`) keeps them apart.
    let mut alternate = false;
    for block in blocks {
        if let Some(prev) = prev {
            let tight = in_item && matches!(prev, Block::Para(_)) && matches!(block, Block::List { .. });
            if !tight {
                lines.push(String::new());
            }
            alternate = match (prev, block) {
                (Block::List { ordered: a, .. }, Block::List { ordered: b, .. }) if a == b => !alternate,
                _ => false,
            };
        }
        match block {
            Block::Para(text) | Block::Fence(text) => lines.extend(text.lines().map(str::to_owned)),
            Block::List { ordered, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = match (ordered, alternate) {
                        (true, false) => format!("{}. ", n + 1),
                        (true, true) => format!("{}) ", n + 1),
                        (false, false) => "- ".to_owned(),
                        (false, true) => "* ".to_owned(),
                    };
                    // Continuation lines align with the item's content, as markdown requires
                    // (two spaces under `- `, three under `1. `).
                    let indent = " ".repeat(marker.len());
                    let mut item_lines = Vec::new();
                    write_blocks(item, true, &mut item_lines);
                    for (k, line) in item_lines.into_iter().enumerate() {
                        if k == 0 {
                            lines.push(format!("{marker}{line}"));
                        } else if line.is_empty() {
                            lines.push(line);
                        } else {
                            lines.push(format!("{indent}{line}"));
                        }
                    }
                }
            }
        }
        prev = Some(block);
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown;

    /// Runs `(input, expected)` cases and reports every mismatch at once.
    fn check(cases: &[(&str, &str)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|&(input, expected)| {
                let actual = html_to_markdown(input);
                (actual != expected)
                    .then(|| format!("input:    {input:?}\nexpected: {expected:?}\nactual:   {actual:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{} case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
    }

    #[test]
    fn paragraphs_and_whitespace() {
        check(&[
            ("<p>Hello world.</p><p>Second.</p>", "Hello world.\n\nSecond."),
            ("<p>  Hello \n\t world.  </p>", "Hello world."),
            ("\n\n<p>a</p>\n\n", "a"),
            ("<p></p><p> </p><p>a</p>", "a"),
            ("<p>a</p>\n  <p>b</p>", "a\n\nb"),
            ("<div>a <span>b</span></div><div>c</div>", "a b\n\nc"),
            ("text <p>para</p> tail", "text\n\npara\n\ntail"),
        ]);
    }

    #[test]
    fn plain_text() {
        check(&[
            ("Use the token. Then call X.", "Use the token. Then call X."),
            ("First para.\nstill first.\n\nSecond.", "First para. still first.\n\nSecond."),
            ("  a  \n \n\n  b  ", "a\n\nb"),
            ("", ""),
            ("   \n\t ", ""),
            ("Use `foo_bar` here.", "Use `foo_bar` here."),
            ("it`s", "it\\`s"),
            ("``a`b`` c", "``a`b`` c"),
        ]);
    }

    #[test]
    fn inline_code() {
        check(&[
            ("<p>Call <code>GetToken</code> first.</p>", "Call `GetToken` first."),
            ("<code>a`b</code>", "``a`b``"),
            ("<code>`a</code>", "`` `a ``"),
            ("<code>List&lt;String&gt;</code>", "`List<String>`"),
            ("<code>a  \n b</code>", "`a b`"),
            ("a<code> b </code>c", "a `b` c"),
            ("a<code> </code>b", "a b"),
            ("<code><i>name</i>[*]</code>", "`name[*]`"),
            ("<CODE>x</CODE>", "`x`"),
            ("<code>a</code><code>b`</code> <code>c</code>", "`` ab` `` `c`"),
            ("`a`<code>b</code>", "`ab`"),
            ("x`<code>y</code>`", "x\\``y`\\`"),
            (
                "For example, <code><scanrange><start>50</start></scanrange></code> means",
                "For example, `<scanrange><start>50</start></scanrange>` means",
            ),
            ("<code><Rule/> <b>x</b></code>", "`<Rule/> x`"),
            ("<code><Unclosed>x</code> y", "`<Unclosed>x` y"),
        ]);
    }

    #[test]
    fn emphasis() {
        check(&[
            ("<b>x</b> and <strong>y</strong>", "**x** and **y**"),
            ("<i>x</i> <em>y</em>", "_x_ _y_"),
            ("a<b> b </b>c", "a **b** c"),
            ("a<b></b>b", "ab"),
            ("<b>a</b><b>b</b>", "**ab**"),
            ("<b>a <strong>b</strong></b>", "**a b**"),
            ("<b><i>x</i></b>", "**_x_**"),
            // `_` does not work inside a word, `*` does.
            ("snake<i>case</i>d and <i>x</i>_y", "snake*case*d and _x_\\_y"),
            ("<b>Note:</b> text", "**Note:** text"),
            // Markdown would not read these as emphasis, so the markers are dropped.
            ("x<b>(y)</b>", "x(y)"),
            ("<b>(y)</b>z", "(y)z"),
            ("<b><code>Foo</code></b>: bar", "**`Foo`**: bar"),
        ]);
    }

    #[test]
    fn links() {
        check(&[
            (r#"<a href="https://example.com/x">the docs</a>"#, "[the docs](https://example.com/x)"),
            ("<a href='https://e.com'>t</a>", "[t](https://e.com)"),
            ("<A HREF=https://e.com>t</A>", "[t](https://e.com)"),
            (r#"See <a href="/cli/latest/reference">the reference</a>."#, "See the reference."),
            (r##"<a href="#anchor">here</a>"##, "here"),
            ("<a>no href</a>", "no href"),
            (r#"<a href="https://x.com"><code>Foo</code></a>"#, "[`Foo`](https://x.com)"),
            (r#"<a href="https://x.com">https://x.com</a>"#, "<https://x.com>"),
            (r#"<a href="https://x.com"></a>"#, "<https://x.com>"),
            (r#"<a href=" https://e.com/a b(c) ">t</a>"#, "[t](https://e.com/a%20b%28c%29)"),
            (r#"<a href="https://e.com/?a>b">x</a>"#, "[x](https://e.com/?a%3Eb)"),
            (r#"<a href="https://e.com/?a=1&amp;b=2">x</a>"#, "[x](https://e.com/?a=1&b=2)"),
            (r#"Wow!<a href="https://e.com">x</a>"#, "Wow\\![x](https://e.com)"),
            (r#"<a href="mailto:a@b.com">mail</a>"#, "[mail](mailto:a@b.com)"),
            (r#"<b><a href="https://e.com">x</a></b>"#, "**[x](https://e.com)**"),
            (r#"<a href="https://e.com">[^1]</a>"#, "[\\[^1\\]](https://e.com)"),
            (r#"<a href="https://e.com">^1</a>"#, "[\\^1](https://e.com)"),
        ]);
    }

    #[test]
    fn bare_urls() {
        check(&[
            ("Visit https://example.com/path.", "Visit <https://example.com/path>."),
            ("(see http://e.com/a_b)", "(see <http://e.com/a_b>)"),
            ("https://en.wikipedia.org/wiki/A_(b), ok", "<https://en.wikipedia.org/wiki/A_(b)>, ok"),
            ("HTTPS://E.COM", "<HTTPS://E.COM>"),
            ("just https:// alone", "just https:// alone"),
            (r#"<a href="https://e.com">see https://e.com/x</a>"#, "[see https://e.com/x](https://e.com)"),
            ("<code>https://e.com</code>", "`https://e.com`"),
        ]);
    }

    #[test]
    fn lists() {
        check(&[
            ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
            ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
            ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"),
            ("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>", "- a\n  - b\n    - c"),
            ("<ol><li>a<ul><li>b</li></ul></li></ol>", "1. a\n   - b"),
            ("<ul><li><p>a</p><p>b</p></li></ul>", "- a\n\n  b"),
            ("<ul><li>a<ul><li>b</li></ul>c</li></ul>", "- a\n  - b\n\n  c"),
            ("<p>Intro:</p><ul> <li> a </li> <li></li> </ul><p>After.</p>", "Intro:\n\n- a\n\nAfter."),
            ("<ul><li>a<li>b</ul>", "- a\n- b"),
            ("<ul>loose<li>a</li></ul>", "- loose\n- a"),
            ("<li>a</li> <li>b</li>", "- a\n- b"),
            ("<ul><li>a</li></ul><ul><li>b</li></ul>", "- a\n\n* b"),
            ("<ul><li># a</li><li>1. b</li></ul>", "- \\# a\n- 1\\. b"),
            ("<ul><li><pre>x\n y</pre></li></ul>", "- ```text\n  x\n   y\n  ```"),
        ]);
    }

    #[test]
    fn line_breaks() {
        check(&[
            ("a<br>b<br/>c<BR />d", "a\\\nb\\\nc\\\nd"),
            ("a<br/> <br/>b", "a\n\nb"),
            ("<br/>a<br/>", "a"),
            ("a <br/> b", "a\\\nb"),
            ("<b>a<br/></b>b", "**a**\\\nb"),
            ("a<br/># b", "a\\\n\\# b"),
        ]);
    }

    #[test]
    fn callouts() {
        check(&[
            ("<note><p>Be careful.</p></note>", "**Note:** Be careful."),
            ("<note>Be careful.</note>", "**Note:** Be careful."),
            ("<important><p>x</p><p>y</p></important>", "**Important:** x\n\ny"),
            ("<p>a</p><note><p>b</p></note><p>c</p>", "a\n\n**Note:** b\n\nc"),
            ("<note><ul><li>x</li></ul></note>", "**Note:**\n\n- x"),
            ("<note> </note>", ""),
            ("<NOTE><p># x</p></NOTE>", "**Note:** \\# x"),
        ]);
    }

    #[test]
    fn definition_lists() {
        check(&[
            ("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "**Term**\n\nMeaning"),
            ("<dl><dt>A<dd>a<dt>B<dd>b</dl>", "**A**\n\na\n\n**B**\n\nb"),
        ]);
    }

    #[test]
    fn preformatted() {
        check(&[
            ("<pre>let x = 1;\n  y</pre>", "```text\nlet x = 1;\n  y\n```"),
            ("<p>a</p><pre>\n    {\n      \"k\": 1\n    }\n</pre>", "a\n\n```text\n{\n  \"k\": 1\n}\n```"),
            ("<pre>```\ncode\n```</pre>", "````text\n```\ncode\n```\n````"),
            ("<pre><code>a &lt; b  </code></pre>", "```text\na < b\n```"),
            ("<pre>a<br/>b</pre>", "```text\na\nb\n```"),
            ("<pre>  </pre>", ""),
            ("<pre><Grant>\n  <ID>1</ID>\n</Grant></pre>", "```text\n<Grant>\n  <ID>1</ID>\n</Grant>\n```"),
        ]);
    }

    #[test]
    fn headings_titles_and_unknown_tags() {
        check(&[
            ("<h2>Overview</h2><p>x</p>", "**Overview**\n\nx"),
            ("<H1>A</H1>", "**A**"),
            ("<title>T</title>", "**T**"),
            (
                "<fullname>Amazon Connect Participant Service</fullname><p>Intro</p>",
                "Amazon Connect Participant Service\n\nIntro",
            ),
            ("<foo>bar</foo>", "bar"),
            ("<P>a <B>b</B></P>", "a **b**"),
            ("<p class=\"x\" data-y='1' hidden>a</p>", "a"),
            ("a<!-- comment -->b", "ab"),
            ("<!DOCTYPE html>a", "a"),
            ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\n\nc"),
        ]);
    }

    #[test]
    fn entities() {
        check(&[
            ("&amp; &quot;q&quot; &apos;a&#39; &#65;&#x42;&#X43; a&nbsp;b", "& \"q\" 'a' ABC a b"),
            ("&lt;tag&gt;", "\\<tag\\>"),
            ("&amp;lt;", "\\&lt;"),
            ("Q&A & more &foo; &amp", "Q&A & more \\&foo; &amp"),
            ("&#0;&#xD800;&#x110000;", "\u{FFFD}\u{FFFD}\u{FFFD}"),
            // Not decodable, so kept; escaped because it looks like an entity to markdown.
            ("&#99999999999;", "\\&#99999999999;"),
            ("&mdash;&hellip;", "\u{2014}\u{2026}"),
        ]);
    }

    #[test]
    fn escaping() {
        check(&[
            ("see [1] and [Foo]", "see \\[1\\] and \\[Foo\\]"),
            ("# not a heading", "\\# not a heading"),
            ("C# and F#", "C# and F#"),
            ("a * b _c_ snake_case __init__", "a \\* b \\_c\\_ snake_case \\_\\_init\\_\\_"),
            ("- not a list", "\\- not a list"),
            ("+ not", "\\+ not"),
            ("1. not a list", "1\\. not a list"),
            ("2024) year", "2024\\) year"),
            ("Version 1.2", "Version 1.2"),
            ("a ~b~ \\ `", "a \\~b\\~ \\\\ \\`"),
            ("a < b > c", "a \\< b \\> c"),
            ("Vec<T>", "Vec"),
            ("Use List&lt;String&gt; here", "Use List\\<String\\> here"),
            ("x <user@example.com>", "x \\<user@example.com\\>"),
            ("a<b", "a\\<b"),
            ("<p>a <=b</p>", "a \\<=b"),
            ("= x", "\\= x"),
            ("Use --dry-run or ---", "Use -\\-dry-run or -\\-\\-"),
        ]);
    }

    #[test]
    fn malformed_input() {
        check(&[
            ("<p>a <b>b</p> c", "a **b**\n\nc"),
            ("</p>a</b>", "a"),
            ("<p>a", "a"),
            ("<a href=\"unterminated>x", "\\<a href=\"unterminated\\>x"),
            ("<!-- never closed", "\\<!-\\- never closed"),
            ("<", "\\<"),
            ("&", "&"),
            ("<ul><li>a</ol>b", "- ab"),
            ("a\u{0}b\u{1b}c", "abc"),
        ]);
        let deep = format!("{}x{}", "<div><b>".repeat(5000), "</b></div>".repeat(5000));
        assert_eq!(html_to_markdown(&deep), "**x**");
        let deep_lists = "<ul><li>".repeat(3000) + "x";
        assert!(html_to_markdown(&deep_lists).ends_with("- x"));
    }

    #[test]
    fn aws_style_documentation() {
        let input = "<p>Creates the participant's connection. </p> <note> <p>\n  \
            <code>ParticipantToken</code> is used for invoking this API instead of \
            <code>ConnectionToken</code>.</p> </note> <p>The participant token is valid for the lifetime of \
            the participant – until they are part of a contact. For more information, see \
            <a href=\"https://docs.aws.amazon.com/connect/latest/adminguide/chat.html\">Chat</a> in the \
            <i>Amazon Connect Administrator Guide</i>.</p> <ul> <li> <p>Type: <code>WEBSOCKET</code> \
            </p> </li> <li> <p>See <a href=\"connect/latest/APIReference/API_StartChatContact.html\">\
            StartChatContact</a>.</p> </li> </ul>";
        let expected = "Creates the participant's connection.\n\n\
            **Note:** `ParticipantToken` is used for invoking this API instead of `ConnectionToken`.\n\n\
            The participant token is valid for the lifetime of the participant – until they are part of a \
            contact. For more information, see \
            [Chat](https://docs.aws.amazon.com/connect/latest/adminguide/chat.html) in the \
            _Amazon Connect Administrator Guide_.\n\n\
            - Type: `WEBSOCKET`\n\
            - See StartChatContact.";
        check(&[(input, expected)]);
        check(&[
            (
                "<p>This parameter allows (through its <a href=\"http://wikipedia.org/wiki/regex\">regex \
                pattern</a>) any of the following characters: _+=,.@-</p> <p>Pattern: [\\w+=,.@-]+</p>",
                "This parameter allows (through its [regex pattern](http://wikipedia.org/wiki/regex)) any of \
                the following characters: \\_+=,.@-\n\nPattern: \\[\\\\w+=,.@-\\]+",
            ),
            (
                "<p>Valid values: <code>true</code> | <code>false</code></p><p>Example:<br/> \
                <code>arn:aws:iam::123456789012:role/*</code></p>",
                "Valid values: `true` | `false`\n\nExample:\\\n`arn:aws:iam::123456789012:role/*`",
            ),
            (
                "<p>Seconds (0 - 43200) &mdash; default 3600.</p><ol><li><p>First, call \
                <code>CreateParticipantConnection</code>.</p><note><p>Only once.</p></note></li>\
                <li>Then <i>poll</i>.</li></ol>",
                "Seconds (0 - 43200) \u{2014} default 3600.\n\n1. First, call \
                `CreateParticipantConnection`.\n\n   **Note:** Only once.\n2. Then _poll_.",
            ),
            // Markdown documentation: code spans survive, other markdown syntax is shown as
            // written.
            (
                "Returns `Foo` objects.\n\nSee [the guide](https://x.com/g) for *more*.",
                "Returns `Foo` objects.\n\nSee \\[the guide\\](<https://x.com/g>) for \\*more\\*.",
            ),
        ]);
    }

    /// A small linear congruential generator: deterministic pseudo-random input without a
    /// dependency.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> usize {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as usize
        }
    }

    /// Feeds thousands of generated strings, mixing tag and entity fragments with arbitrary
    /// bytes, and checks that nothing panics and that the output keeps its layout promises.
    #[test]
    fn never_panics_on_generated_input() {
        const FRAGMENTS: &[&str] = &[
            "<p>",
            "</p>",
            "<ul>",
            "</ul>",
            "<ol>",
            "</ol>",
            "<li>",
            "</li>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<code>",
            "</code>",
            "<pre>",
            "</pre>",
            "<a href=\"https://e.com/x\">",
            "<a href='rel'>",
            "<a href=",
            "</a>",
            "<br/>",
            "<br>",
            "<note>",
            "</note>",
            "<important>",
            "<dl>",
            "<dt>",
            "<dd>",
            "<h3>",
            "</h3>",
            "<span x='>'>",
            "<!--",
            "-->",
            "<!x",
            "&amp;",
            "&lt;",
            "&#",
            "&#x1F600;",
            "&#12;",
            "&nbsp;",
            "&",
            ";",
            "<",
            ">",
            "/",
            "=",
            "\"",
            "'",
            "`",
            "``",
            "*",
            "_",
            "#",
            "[",
            "]",
            "!",
            "-",
            "1.",
            "\\",
            "~",
            "^",
            "http://",
            "https://e.com/(a)",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            "word",
            "é",
            "\u{a0}",
            "\u{0}",
        ];
        let mut rng = Lcg(0x5EED);
        for case in 0..4000 {
            let mut bytes = Vec::new();
            for _ in 0..rng.next() % 40 {
                if case % 4 == 0 || rng.next().is_multiple_of(5) {
                    bytes.push((rng.next() % 256) as u8);
                } else {
                    bytes.extend_from_slice(FRAGMENTS[rng.next() % FRAGMENTS.len()].as_bytes());
                }
            }
            let input = String::from_utf8_lossy(&bytes);
            let output = html_to_markdown(&input);
            assert_eq!(output.trim(), output, "outer whitespace for {input:?}");
            // `<pre>` content keeps its blank lines; everywhere else one blank line at most.
            // A fence opens after any list markers and closes with at least as many backticks.
            let mut fence: Option<usize> = None;
            let mut blank_run = 0;
            for line in output.lines() {
                assert_eq!(line.trim_end(), line, "trailing whitespace for {input:?}: {output:?}");
                let ticks = |s: &str| s.len() - s.trim_start_matches('`').len();
                match fence {
                    None => {
                        let body = line.trim_start_matches(|c: char| {
                            c.is_ascii_digit() || matches!(c, ' ' | '-' | '*' | '.' | ')')
                        });
                        if ticks(body) >= 3 {
                            fence = Some(ticks(body));
                        }
                    }
                    Some(open) => {
                        let body = line.trim_start();
                        if ticks(body) == body.len() && body.len() >= open {
                            fence = None;
                        }
                    }
                }
                blank_run = if line.is_empty() && fence.is_none() { blank_run + 1 } else { 0 };
                assert!(blank_run < 2, "double blank line for {input:?}: {output:?}");
            }
        }
    }
}
