//! Step 3a: one paragraph's inline items written as markdown, every character of running
//! text escaped that markdown or rustdoc would otherwise interpret.

use super::emphasis::{Style, marker_styles};
use super::items::{Fmt, Inline};
use super::text::{longest_run, looks_like_entity};

/// Writes one paragraph's items as inline markdown.
pub(super) fn serialize(items: Vec<Inline>) -> String {
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
