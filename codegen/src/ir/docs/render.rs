//! Step 2: walking the element tree into blocks (paragraphs, lists, fences), each paragraph a
//! flat run of inline items.

use super::blocks::Block;
use super::inline::serialize;
use super::items::{Fmt, Inline};
use super::text::{
    bare_url_len, collapse, encode_url, find_backtick_run, longest_run, normalize_pre, starts_with_ignore_case,
};
use super::tree::{Elem, Node};

/// Rendering state for one sequence of blocks: the document, or one list item.
#[derive(Default)]
pub(super) struct Ctx {
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
    pub(super) fn render(&mut self, nodes: &[Node]) {
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

    pub(super) fn finish(mut self) -> Vec<Block> {
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
