//! Smithy documentation converted to rustdoc markdown.
//!
//! AWS models write the `documentation` trait as HTML fragments (`<p>`, `<code>`, `<note>`, …);
//! other Smithy models use plain text or markdown. Rustdoc reads doc comments as markdown and
//! lints them: HTML it cannot pair up (`invalid_html_tags`), URLs that are not links
//! (`bare_urls`) and bracketed words that look like intra-doc links (`broken_intra_doc_links`)
//! all warn, and a generated crate must document cleanly. Passing the HTML through is therefore
//! not an option. Instead the text goes through three steps:
//!
//! 1. `tree::parse`: a forgiving tokenizer (`tokenize`, with `entities` for character
//!    references) and tree builder. Model documentation is hand-written and not always
//!    well-formed, so anything that is not a recognisable tag is text, unmatched end tags are
//!    ignored and unclosed elements end with their parent.
//! 2. `render::Ctx`: walks the tree and collects blocks (paragraphs, lists, fenced code). Within
//!    a paragraph it records a flat run of inline items (text, spaces, code, format markers)
//!    rather than markdown text, because whether a marker is valid markdown depends on what ends
//!    up next to it.
//! 3. `inline::serialize` and `blocks::write_blocks`: tidy each paragraph's items (spaces moved
//!    outside markers, empty formats dropped, emphasis that markdown would not recognise removed
//!    by the rules in `emphasis`), then write them with every character of running text escaped
//!    that markdown or rustdoc would otherwise interpret.

mod blocks;
mod emphasis;
mod entities;
mod inline;
mod items;
mod render;
mod text;
mod tokenize;
mod tree;

#[cfg(test)]
mod tests;

use blocks::write_blocks;
use render::Ctx;
use tree::parse;

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
