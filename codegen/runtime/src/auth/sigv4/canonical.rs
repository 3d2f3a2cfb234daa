//! The canonical request: the request reduced to the one text both sides hash.

use ::http::{HeaderMap, Uri};
use percent_encoding::{percent_decode_str, percent_encode, utf8_percent_encode};

use super::settings::SigningSettings;
use crate::runtime::uri::{UNRESERVED, UNRESERVED_AND_SLASH};

/// Headers never signed: the signature itself, and those the official signers leave out
/// because a proxy or the transport may add, change or drop them on the way (the JavaScript
/// SDK's list, the widest of the official ones; Go, Java and smithy-rs leave out a subset).
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "cache-control",
    "connection",
    "expect",
    "from",
    "keep-alive",
    "max-forwards",
    "pragma",
    "proxy-authorization",
    "referer",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// The canonical request, and the list of headers it signs.
pub(super) struct Canonical {
    pub text: String,
    pub signed_headers: String,
}

/// What of a request goes into its canonical form.
pub(super) struct Parts<'a> {
    pub method: &'a str,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    /// Query parameters added by query signing, not yet encoded.
    pub extra_query: &'a [(&'a str, &'a str)],
    pub payload_hash: &'a str,
}

/// The headers signed: every header of the request but the unsigned ones, `host` included
/// (from the URI when the request has no `Host` header yet), names in lower case and sorted.
pub(super) fn signed_header_names(uri: &Uri, headers: &HeaderMap) -> String {
    let mut names: Vec<&str> = headers.keys().map(|name| name.as_str()).filter(|name| is_signed(name)).collect();
    if !headers.contains_key(::http::header::HOST) && uri.host().is_some() {
        names.push("host");
    }
    names.sort_unstable();
    names.dedup();
    names.join(";")
}

fn is_signed(name: &str) -> bool {
    !UNSIGNED_HEADERS.contains(&name)
}

/// The canonical request of `parts`.
pub(super) fn canonical_request(parts: &Parts<'_>, settings: &SigningSettings) -> Canonical {
    let signed_headers = signed_header_names(parts.uri, parts.headers);
    let mut text = String::with_capacity(256);
    text.push_str(parts.method);
    text.push('\n');
    text.push_str(&canonical_path(parts.uri.path(), settings));
    text.push('\n');
    text.push_str(&canonical_query(parts.uri.query().unwrap_or(""), parts.extra_query));
    text.push('\n');
    for name in signed_headers.split(';') {
        text.push_str(name);
        text.push(':');
        text.push_str(&header_value(name, parts.uri, parts.headers));
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&signed_headers);
    text.push('\n');
    text.push_str(parts.payload_hash);
    Canonical { text, signed_headers }
}

/// The `Host` header the transport sends for `uri`: the host, and the port unless it is the
/// scheme's default (as hyper writes it).
pub(super) fn host_header(uri: &Uri) -> Option<String> {
    let host = uri.host()?;
    let default_port = match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    };
    Some(match uri.port_u16() {
        Some(port) if Some(port) != default_port => format!("{host}:{port}"),
        _ => host.to_owned(),
    })
}

/// Every value of header `name`, trimmed, inner runs of spaces made one, joined by commas.
fn header_value(name: &str, uri: &Uri, headers: &HeaderMap) -> String {
    if name == "host" && !headers.contains_key(::http::header::HOST) {
        return host_header(uri).unwrap_or_default();
    }
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|value| {
            let text = String::from_utf8_lossy(value.as_bytes());
            text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect();
    values.join(",")
}

/// The path as signed: normalized (no `.`, `..` or empty segments) and encoded a second time
/// when the service asks for both.
fn canonical_path(path: &str, settings: &SigningSettings) -> String {
    let normalized;
    let path = if settings.normalize_path {
        normalized = normalize(path);
        normalized.as_str()
    } else {
        path
    };
    let path = if path.is_empty() { "/" } else { path };
    if settings.double_encode_path {
        utf8_percent_encode(path, UNRESERVED_AND_SLASH).to_string()
    } else {
        path.to_owned()
    }
}

/// RFC 3986's dot segments removed, and empty segments too (`//a//` is `/a/`), a trailing slash
/// kept.
fn normalize(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => _ = segments.pop(),
            segment => segments.push(segment),
        }
    }
    let trailing_slash = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if trailing_slash || out.is_empty() {
        out.push('/');
    }
    out
}

/// The query as signed: every parameter decoded and encoded again the one RFC 3986 way, sorted
/// by name and then value, a missing value as an empty one.
fn canonical_query(query: &str, extra: &[(&str, &str)]) -> String {
    let encode = |bytes: &[u8]| percent_encode(bytes, UNRESERVED).to_string();
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| percent_decode_str(text).collect::<Vec<u8>>();
            (encode(&decode(name)), encode(&decode(value)))
        })
        .chain(extra.iter().map(|(name, value)| (encode(name.as_bytes()), encode(value.as_bytes()))))
        .collect();
    pairs.sort_unstable();
    let mut out = String::with_capacity(query.len() + 16);
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_like_rfc_3986() {
        for (path, normalized) in [
            ("", "/"),
            ("/", "/"),
            ("//example//", "/example/"),
            ("/./example", "/example"),
            ("/example1/example2/../..", "/"),
            ("/example/..", "/"),
            ("/a/./b/../c/", "/a/c/"),
            ("/../a", "/a"),
        ] {
            assert_eq!(normalize(path), normalized, "{path}");
        }
    }

    #[test]
    fn double_encoding_encodes_the_percent_signs_of_the_wire_path() {
        let settings = SigningSettings::new();
        assert_eq!(canonical_path("/a%3Ab/@c", &settings), "/a%253Ab/%40c");
        assert_eq!(canonical_path("/a%3Ab", &settings.with_double_encode_path(false)), "/a%3Ab");
    }

    #[test]
    fn queries_sort_by_encoded_name_then_value() {
        assert_eq!(
            canonical_query("b=2&a=2&a=1&c&d=%20+", &[("X-Amz-Date", "x/y")]),
            "X-Amz-Date=x%2Fy&a=1&a=2&b=2&c=&d=%20%2B"
        );
    }

    #[test]
    fn unsigned_headers_stay_out_and_host_comes_from_the_uri() {
        let uri: Uri = "http://127.0.0.1:8080/x".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("user-agent", "me".parse().unwrap());
        headers.insert("x-amzn-trace-id", "t".parse().unwrap());
        headers.insert("content-type", "application/json".parse().unwrap());
        assert_eq!(signed_header_names(&uri, &headers), "content-type;host");
        assert_eq!(header_value("host", &uri, &headers), "127.0.0.1:8080");
        assert_eq!(host_header(&"https://h:443/".parse().unwrap()).unwrap(), "h");
    }
}
