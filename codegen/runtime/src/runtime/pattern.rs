//! `@pattern` checks (only for models with patterns on input members: it needs `regex`).

use std::sync::OnceLock;

use regex::Regex;

use super::validate::Violations;

/// A pattern compiled on first use and kept for the life of the program.
pub struct LazyPattern {
    source: &'static str,
    compiled: OnceLock<Result<Regex, String>>,
}

impl LazyPattern {
    /// A pattern from the model; compiled when first checked.
    pub const fn new(source: &'static str) -> Self {
        Self { source, compiled: OnceLock::new() }
    }

    /// Records a violation when `value` does not match.
    ///
    /// Smithy patterns are ECMA-262 regular expressions; the few the `regex` crate cannot
    /// compile (lookaround, backreferences) are not checked, with a warning logged once: the
    /// service checks them anyway, and refusing valid input would be worse.
    pub fn check(&self, violations: &mut Violations, member: &str, value: &str) {
        let compiled = self.compiled.get_or_init(|| {
            Regex::new(self.source).map_err(|e| {
                tracing::warn!(pattern = self.source, error = %e, "pattern not checked: it does not compile");
                e.to_string()
            })
        });
        if let Ok(regex) = compiled
            && !regex.is_match(value)
        {
            violations.push(member, format!("must match the pattern {}", self.source));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_letter_classes_match() {
        static NAME: LazyPattern = LazyPattern::new(r"^([\p{L}\p{N}_.:\/=+\-@()']+[\p{L}\p{Z}\p{N}_.:\/=+\-@()']*)$");
        let mut v = Violations::default();
        NAME.check(&mut v, "Name", "Überprüfung 1");
        NAME.check(&mut v, "Name", "名前");
        assert!(v.into_vec().is_empty());
        let mut v = Violations::default();
        NAME.check(&mut v, "Name", " leading space");
        assert_eq!(v.into_vec().len(), 1);
    }

    #[test]
    fn patterns_regex_cannot_compile_are_not_checked() {
        static NOT_AWS: LazyPattern = LazyPattern::new(r"^(?!aws:).*$");
        let mut v = Violations::default();
        NOT_AWS.check(&mut v, "Key", "team");
        NOT_AWS.check(&mut v, "Key", "aws:reserved");
        assert!(v.into_vec().is_empty());
    }
}
