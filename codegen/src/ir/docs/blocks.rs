//! Step 3b: blocks written as lines, lists indented as markdown requires.

#[derive(Debug)]
pub(super) enum Block {
    /// Inline markdown; lines are separated by hard breaks.
    Para(String),
    /// A complete fenced code block, fences included.
    Fence(String),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
}

/// Writes blocks as lines. Inside a list item a nested list directly follows the paragraph
/// before it, so simple nested lists stay tight; everything else is separated by a blank line.
pub(super) fn write_blocks(blocks: &[Block], in_item: bool, lines: &mut Vec<String>) {
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
