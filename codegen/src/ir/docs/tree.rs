//! Step 1: the element tree, built from the tokens of `tokenize` the way a browser would
//! recover from broken markup: unmatched end tags are ignored, unclosed elements end with
//! their parent, and `<li>`/`<dt>`/`<dd>` close the previous item.

use super::entities::decode_entities;
use super::tokenize::{Tag, Token, tokenize};

/// Elements nested deeper than this are flattened (their tags ignored, their text kept). Real
/// documentation nests a handful of levels; the cap keeps the recursive rendering of hostile or
/// broken input from exhausting the stack.
const MAX_DEPTH: usize = 64;

#[derive(Debug)]
pub(super) enum Node {
    /// Text with entities already decoded.
    Text(String),
    Elem(Elem),
}

#[derive(Debug)]
pub(super) struct Elem {
    /// Lower-cased, since HTML tag names are case-insensitive.
    pub(super) name: String,
    /// Lower-cased names, entity-decoded values.
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Node>,
    /// The start tag and (if it was written) the end tag as they appear in the source. Inside
    /// `<code>` and `<pre>` a tag that is not HTML is content, e.g. S3's
    /// `<code><ScanRange><Start>50</Start></ScanRange></code>`, and is shown literally.
    pub(super) source_tags: (String, Option<String>),
}

impl Elem {
    fn new(name: String, attrs: Vec<(String, String)>, start_tag: &str) -> Self {
        Self { name, attrs, children: Vec::new(), source_tags: (start_tag.to_owned(), None) }
    }

    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Elements that never have content, so a start tag must not wait for an end tag.
const VOID_TAGS: &[&str] =
    &["br", "hr", "img", "wbr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "param"];

/// Builds the element tree without recursion, so the nesting of the input cannot overflow the
/// stack here; `MAX_DEPTH` bounds it for the later, recursive steps.
pub(super) fn parse(input: &str) -> Vec<Node> {
    // Index 0 is a nameless root that is never closed by an end tag.
    let mut stack = vec![Elem::new(String::new(), Vec::new(), "")];
    for token in tokenize(input) {
        match token {
            Token::Text(raw) => push_text(&mut stack, raw),
            Token::Tag(Tag::Start { name, attrs, self_closing }, source) => {
                open_element(&mut stack, Elem::new(name, attrs, source), self_closing)
            }
            Token::Tag(Tag::End(name), source) => {
                // An end tag without a matching open element is ignored, like a browser does.
                if let Some(at) = (1..stack.len()).rev().find(|&j| stack[j].name == name) {
                    stack[at].source_tags.1 = Some(source.to_owned());
                    close_to(&mut stack, at);
                }
            }
        }
    }
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
