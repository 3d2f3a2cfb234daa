//! A comparison's result: changes, each with what it does to the crate's users, and the text
//! a person reads.

use super::semver::{Bump, Version};

/// What a change does to code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled may not compile any more (or means something else).
    Breaking,
    /// Something new (or newly deprecated): code that compiled still does.
    Addition,
    /// The API is as it was: documentation, default values, endpoint rules and their tests.
    NoApiChange,
}

/// One line of the report: it names the Rust item and the model shape it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub impact: Impact,
    pub text: String,
}

/// Every change between two surfaces, in the order found (methods, types, endpoint).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
    /// What was not compared, and why (no change, and no bump, of its own).
    pub notes: Vec<String>,
}

impl Report {
    pub(super) fn push(&mut self, impact: Impact, text: impl Into<String>) {
        self.changes.push(Change { impact, text: text.into() });
    }

    /// How many changes have `impact`.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    /// Whether the two surfaces are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The version bump Cargo's rules ask for, for a crate at `version`; `None` when nothing
    /// changed.
    pub fn bump(&self, version: &Version) -> Option<Bump> {
        let worst = self.changes.iter().map(|c| c.impact).min()?;
        Some(version.bump_for(worst))
    }

    /// The report as text: one section per impact, a line on the version rule applied, and
    /// last `semver: CLASS (B breaking, A additions, D documentation-only)`.
    pub fn render(&self, version: &Version) -> String {
        let mut out = String::new();
        for note in &self.notes {
            out.push_str(&format!("Note: {note}\n"));
        }
        if self.is_empty() {
            out.push_str("No change to the crate's public API, its documentation or its endpoint rules.\n");
        }
        for (impact, title) in [
            (Impact::Breaking, "Breaking: code using the crate may no longer compile"),
            (Impact::Addition, "Additions and deprecations: code using the crate still compiles"),
            (Impact::NoApiChange, "Same API: documentation, defaults, endpoint rules"),
        ] {
            let lines: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if lines.is_empty() {
                continue;
            }
            out.push_str(&format!("{title} ({}):\n", lines.len()));
            for line in lines {
                out.push_str(&format!("  - {}\n", line.text));
            }
        }
        out.push_str(&format!("{}\n", version.rule()));
        let class = self.bump(version).unwrap_or(Bump::Patch);
        out.push_str(&format!(
            "semver: {} ({} breaking, {} additions, {} documentation-only)",
            class.name(),
            self.count(Impact::Breaking),
            self.count(Impact::Addition),
            self.count(Impact::NoApiChange),
        ));
        out
    }
}
