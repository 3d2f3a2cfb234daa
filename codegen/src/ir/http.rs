//! `@http` URI patterns and `@endpoint` host prefixes, parsed and checked against the input.

use crate::error::{CodegenError, Result};
use crate::smithy::ShapeId;
use crate::smithy::traits::ids;

/// The HTTP route of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path segments after the leading `/`.
    pub segments: Vec<UriSegment>,
    /// Literal query parameters of the pattern (`?list-type=2` -> ("list-type", Some("2"))).
    pub literal_query: Vec<(String, Option<String>)>,
    /// The success status code.
    pub code: u16,
    /// Whether the pattern ends with `/` (kept on the wire).
    pub trailing_slash: bool,
}

/// One path segment of a URI pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriSegment {
    /// Literal text, sent as written.
    Literal(String),
    /// `{Name}` or greedy `{Name+}`: the member `Name` (by Smithy member name).
    Label { member: String, greedy: bool },
}

impl Route {
    /// Parses an `@http` URI pattern such as `/participant/views/{ViewToken}?x=y`.
    pub fn parse(operation: &ShapeId, method: &str, uri: &str, code: u16) -> Result<Route> {
        let bad = |why: String| CodegenError::shape_trait(operation, ids::HTTP, why);
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let rest = path.strip_prefix('/').ok_or_else(|| bad(format!("URI {uri:?} must start with `/`")))?;
        let trailing_slash = !rest.is_empty() && rest.ends_with('/');
        let mut segments = Vec::new();
        let mut labels = Vec::new();
        let parts: Vec<&str> =
            if rest.is_empty() { Vec::new() } else { rest.trim_end_matches('/').split('/').collect() };
        for part in &parts {
            if let Some(inner) = part.strip_prefix('{') {
                let inner = inner
                    .strip_suffix('}')
                    .ok_or_else(|| bad(format!("label segment {part:?} must be a whole segment `{{Name}}`")))?;
                let (member, greedy) = match inner.strip_suffix('+') {
                    Some(member) => (member, true),
                    None => (inner, false),
                };
                if member.is_empty() || labels.contains(&member) {
                    return Err(bad(format!("label {part:?} is empty or repeated")));
                }
                if greedy && segments.iter().any(|s| matches!(s, UriSegment::Label { greedy: true, .. })) {
                    return Err(bad("only one greedy label is allowed".into()));
                }
                labels.push(member);
                segments.push(UriSegment::Label { member: member.to_owned(), greedy });
            } else if part.contains('{') || part.contains('}') {
                return Err(bad(format!("label segment {part:?} must be a whole segment `{{Name}}`")));
            } else {
                segments.push(UriSegment::Literal((*part).to_owned()));
            }
        }
        let literal_query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (pair.to_owned(), None),
            })
            .collect();
        Ok(Route { method: method.to_ascii_uppercase(), segments, literal_query, code, trailing_slash })
    }

    /// The member names bound to path labels.
    pub fn label_members(&self) -> impl Iterator<Item = (&str, bool)> {
        self.segments.iter().filter_map(|s| match s {
            UriSegment::Label { member, greedy } => Some((member.as_str(), *greedy)),
            UriSegment::Literal(_) => None,
        })
    }
}

/// An `@endpoint` host prefix such as `{foo}.data.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPrefix {
    pub parts: Vec<HostPrefixPart>,
}

/// A piece of a host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    Literal(String),
    /// A `@hostLabel` member, by Rust field name.
    Label(crate::names::RustIdent),
}

impl HostPrefix {
    /// Parses a host prefix template; `field_of` maps a member name to its field, or `None`
    /// when the input has no such `@hostLabel` member.
    pub fn parse(
        operation: &ShapeId,
        template: &str,
        field_of: impl Fn(&str) -> Option<crate::names::RustIdent>,
    ) -> Result<HostPrefix> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(HostPrefixPart::Literal(rest[..open].to_owned()));
            }
            let close = rest[open..].find('}').ok_or_else(|| {
                CodegenError::shape_trait(operation, ids::ENDPOINT, format!("unclosed label in {template:?}"))
            })? + open;
            let name = &rest[open + 1..close];
            let field = field_of(name).ok_or_else(|| {
                CodegenError::shape_trait(
                    operation,
                    ids::ENDPOINT,
                    format!("host prefix label {{{name}}} has no required @hostLabel string input member"),
                )
            })?;
            parts.push(HostPrefixPart::Label(field));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(HostPrefixPart::Literal(rest.to_owned()));
        }
        Ok(HostPrefix { parts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> ShapeId {
        ShapeId::parse("ns#Op").unwrap()
    }

    #[test]
    fn parses_labels_greedy_labels_and_literal_query() {
        let route = Route::parse(&op(), "get", "/a/{B}/c/{D+}?x=1&y", 200).unwrap();
        assert_eq!(route.method, "GET");
        assert_eq!(
            route.segments,
            vec![
                UriSegment::Literal("a".into()),
                UriSegment::Label { member: "B".into(), greedy: false },
                UriSegment::Literal("c".into()),
                UriSegment::Label { member: "D".into(), greedy: true },
            ]
        );
        assert_eq!(route.literal_query, vec![("x".into(), Some("1".into())), ("y".into(), None)]);
    }

    #[test]
    fn rejects_a_second_greedy_label() {
        let err = Route::parse(&op(), "GET", "/{A+}/{B+}", 200).unwrap_err();
        assert!(err.message.contains("only one greedy label"), "{err}");
    }

    #[test]
    fn rejects_partial_label_segments() {
        let err = Route::parse(&op(), "GET", "/a/x{B}", 200).unwrap_err();
        assert_eq!(err.trait_id.as_deref(), Some(ids::HTTP));
    }
}
