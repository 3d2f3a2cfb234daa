//! The inline items of a paragraph, between the tree renderer that makes them and the writer
//! (with its emphasis rules) that turns them into markdown.

/// Inline formatting that opens and closes around items.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fmt {
    Bold,
    Italic,
    /// An absolute link; the destination is already percent-encoded where markdown needs it.
    Link(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Inline {
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
