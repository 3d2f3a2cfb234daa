//! Cargo's semver rules: which part of a version a change bumps.
//!
//! Cargo takes `0.x.y` and `0.(x+1).0` as incompatible, and `0.0.x` and `0.0.(x+1)` too
//! (<https://doc.rust-lang.org/cargo/reference/semver.html>): before 1.0 the leftmost
//! non-zero part plays the major version's role.

use super::Impact;

/// A `MAJOR.MINOR.PATCH` version (pre-release and build tags are not used by generated crates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

/// Which part of the version a release bumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    Major,
    Minor,
    Patch,
}

impl Bump {
    /// `major`, `minor` or `patch`.
    pub fn name(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        }
    }
}

impl Version {
    /// Parses `1.2.3`.
    pub fn parse(text: &str) -> Result<Version, String> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        let number =
            |part: &str| part.parse::<u64>().map_err(|_| format!("{text:?} is not a MAJOR.MINOR.PATCH version"));
        match parts.as_slice() {
            [major, minor, patch] => {
                Ok(Version { major: number(major)?, minor: number(minor)?, patch: number(patch)? })
            }
            _ => Err(format!("{text:?} is not a MAJOR.MINOR.PATCH version")),
        }
    }

    /// The bump a change of `impact` asks for at this version.
    pub fn bump_for(&self, impact: Impact) -> Bump {
        match (self.major, self.minor, impact) {
            // 0.0.x: every release is incompatible with the last; the patch part is all there is.
            (0, 0, _) => Bump::Patch,
            (0, _, Impact::Breaking) => Bump::Minor,
            (0, _, _) => Bump::Patch,
            (_, _, Impact::Breaking) => Bump::Major,
            (_, _, Impact::Addition) => Bump::Minor,
            (_, _, Impact::NoApiChange) => Bump::Patch,
        }
    }

    /// The next version after a `bump`.
    pub fn bumped(&self, bump: Bump) -> Version {
        match bump {
            Bump::Major => Version { major: self.major + 1, minor: 0, patch: 0 },
            Bump::Minor => Version { major: self.major, minor: self.minor + 1, patch: 0 },
            Bump::Patch => Version { patch: self.patch + 1, ..*self },
        }
    }

    /// The rule applied, in one sentence.
    pub fn rule(&self) -> String {
        match (self.major, self.minor) {
            (0, 0) => format!(
                "crate version {self}: before 0.1 every release may break, so any change bumps the patch version"
            ),
            (0, _) => format!(
                "crate version {self}: before 1.0 Cargo takes 0.x -> 0.(x+1) as breaking, so a breaking change bumps the minor version and any other change the patch version"
            ),
            _ => format!(
                "crate version {self}: a breaking change bumps the major version, an addition or deprecation the minor version, anything else the patch version"
            ),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_rules_before_and_after_one() {
        let v = |text| Version::parse(text).unwrap();
        assert_eq!(v("0.1.0").bump_for(Impact::Breaking), Bump::Minor);
        assert_eq!(v("0.1.0").bump_for(Impact::Addition), Bump::Patch);
        assert_eq!(v("0.0.3").bump_for(Impact::Breaking), Bump::Patch);
        assert_eq!(v("1.2.3").bump_for(Impact::Breaking), Bump::Major);
        assert_eq!(v("1.2.3").bump_for(Impact::Addition), Bump::Minor);
        assert_eq!(v("1.2.3").bump_for(Impact::NoApiChange), Bump::Patch);
        assert_eq!(v("0.1.4").bumped(Bump::Minor), v("0.2.0"));
        assert_eq!(v("1.2.3").bumped(Bump::Major), v("2.0.0"));
        assert_eq!(v("1.2.3").bumped(Bump::Patch), v("1.2.4"));
        assert!(Version::parse("1.2").is_err());
    }
}
