//! Absolute Smithy shape ids: `namespace#Name` and `namespace#Name$member`.

use std::fmt;

use crate::error::{CodegenError, Result};

/// An absolute shape id. Ordering is by the id text, which makes output order stable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(String);

impl ShapeId {
    /// Parses and checks an absolute shape id.
    pub fn parse(text: &str) -> Result<ShapeId> {
        let (namespace, rest) = text
            .split_once('#')
            .ok_or_else(|| CodegenError::model(format!("shape id {text:?} has no namespace (`ns#Name`)")))?;
        let name = rest.split_once('$').map_or(rest, |(name, _)| name);
        let valid_part = |part: &str| {
            !part.is_empty()
                && part.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if namespace.split('.').all(valid_part) && valid_part(name) {
            Ok(ShapeId(text.to_owned()))
        } else {
            Err(CodegenError::model(format!("{text:?} is not a valid shape id")))
        }
    }

    /// The namespace (`com.example`).
    pub fn namespace(&self) -> &str {
        self.0.split_once('#').map_or("", |(ns, _)| ns)
    }

    /// The shape name without namespace or member (`Foo`).
    pub fn name(&self) -> &str {
        let rest = self.0.split_once('#').map_or(self.0.as_str(), |(_, rest)| rest);
        rest.split_once('$').map_or(rest, |(name, _)| name)
    }

    /// The member name, for member ids.
    pub fn member(&self) -> Option<&str> {
        self.0.split_once('$').map(|(_, member)| member)
    }

    /// The id of the shape that holds this member (itself when not a member id).
    pub fn root(&self) -> ShapeId {
        ShapeId(self.0.split_once('$').map_or(self.0.as_str(), |(root, _)| root).to_owned())
    }

    /// The id of member `member` of this shape.
    pub fn with_member(&self, member: &str) -> ShapeId {
        ShapeId(format!("{}${member}", self.root().0))
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_namespace_name_and_member() {
        let id = ShapeId::parse("com.example#Foo$bar").unwrap();
        assert_eq!(id.namespace(), "com.example");
        assert_eq!(id.name(), "Foo");
        assert_eq!(id.member(), Some("bar"));
        assert_eq!(id.root().as_str(), "com.example#Foo");
    }

    #[test]
    fn rejects_ids_without_namespace_or_with_bad_characters() {
        assert!(ShapeId::parse("Foo").is_err());
        assert!(ShapeId::parse("com.example#1Foo").is_err());
        assert!(ShapeId::parse("com..example#Foo").is_err());
    }
}
