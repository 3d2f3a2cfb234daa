//! Checks of the model's constraints, run before anything is sent.

use crate::error::Violation;

/// Collects the violations of one input, with the path of each member.
#[derive(Debug, Default)]
pub struct Violations {
    found: Vec<Violation>,
}

impl Violations {
    /// Every violation found.
    pub fn into_vec(self) -> Vec<Violation> {
        self.found
    }

    #[allow(dead_code, reason = "only models with constraints on input members check them")]
    pub fn push(&mut self, member: &str, rule: String) {
        self.found.push(Violation { member: member.to_owned(), rule });
    }

    /// `@length` on a string counts characters (Unicode scalar values).
    #[allow(dead_code, reason = "only models with `@length` on strings check it")]
    pub fn string_length(&mut self, member: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        self.length(member, value.chars().count(), min, max, "characters");
    }

    /// `@length` on a list, map or blob counts entries or bytes.
    #[allow(dead_code, reason = "only models with `@length` check it")]
    pub fn length(&mut self, member: &str, len: usize, min: Option<u64>, max: Option<u64>, unit: &str) {
        let len = len as u64;
        if let Some(min) = min
            && len < min
        {
            self.push(member, format!("must have at least {min} {unit}, has {len}"));
        }
        if let Some(max) = max
            && len > max
        {
            self.push(member, format!("must have at most {max} {unit}, has {len}"));
        }
    }

    /// `@range` on a number.
    #[allow(dead_code, reason = "only models with `@range` check it")]
    pub fn range(&mut self, member: &str, value: f64, min: Option<f64>, max: Option<f64>) {
        if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) || value.is_nan() {
            let bound = |b: Option<f64>| b.map_or_else(|| "unbounded".to_owned(), |b| b.to_string());
            self.push(member, format!("must be between {} and {}, is {value}", bound(min), bound(max)));
        }
    }
}

/// Joins a member path: `parent.Member`.
#[allow(dead_code, reason = "only models with constraints inside nested shapes check them")]
pub fn path(parent: &str, member: &str) -> String {
    if parent.is_empty() { member.to_owned() } else { format!("{parent}.{member}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_broken_rule_with_its_member() {
        let mut v = Violations::default();
        v.string_length("Content", "", Some(1), Some(5));
        v.string_length("Name", "héllo!", Some(1), Some(5));
        v.range("MostRecent", 101.0, Some(0.0), Some(100.0));
        v.length("Ids", 2, Some(1), Some(1), "items");
        let found = v.into_vec();
        assert_eq!(found.len(), 4);
        assert_eq!(found[0].member, "Content");
        assert_eq!(found[0].rule, "must have at least 1 characters, has 0");
        assert_eq!(found[1].rule, "must have at most 5 characters, has 6");
        assert_eq!(found[2].rule, "must be between 0 and 100, is 101");
        assert_eq!(found[3].rule, "must have at most 1 items, has 2");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut v = Violations::default();
        v.string_length("Name", "ééé", None, Some(3));
        assert!(v.into_vec().is_empty());
    }
}
