//! Builds HTTP requests: path labels, query strings and headers, each encoded as restJson1
//! says.

use bytes::Bytes;
use percent_encoding::utf8_percent_encode;

use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::transport::HttpRequest;

use super::uri::{UNRESERVED, UNRESERVED_AND_SLASH, percent_encode};

/// One HTTP request under construction.
#[derive(Debug)]
pub struct RequestBuilder<'e> {
    method: &'static str,
    endpoint: &'e Endpoint,
    path: String,
    query: Vec<(String, Option<String>)>,
    headers: ::http::HeaderMap,
    body: Bytes,
    host_prefix: Option<String>,
}

impl<'e> RequestBuilder<'e> {
    /// A request with this method to this endpoint.
    pub fn new(method: &'static str, endpoint: &'e Endpoint) -> Self {
        Self {
            method,
            endpoint,
            path: String::new(),
            query: Vec::new(),
            headers: ::http::HeaderMap::new(),
            body: Bytes::new(),
            host_prefix: None,
        }
    }

    /// A literal path segment of the URI pattern, sent as the model writes it.
    #[allow(dead_code, reason = "only models with literal path segments send them")]
    pub fn segment(&mut self, literal: &str) {
        self.path.push('/');
        self.path.push_str(literal);
    }

    /// A path label: percent-encoded so that it stays one segment (greedy labels keep `/`).
    #[allow(dead_code, reason = "only models with `@httpLabel` members send them")]
    pub fn label(&mut self, member: &str, value: &str, greedy: bool) -> Result<(), BuildError> {
        if value.is_empty() {
            return Err(BuildError::new(format!("path label `{member}` must not be empty")));
        }
        let set = if greedy { UNRESERVED_AND_SLASH } else { UNRESERVED };
        self.path.push('/');
        if !greedy && (value == "." || value == "..") {
            // Dot segments would be resolved away by URL normalization: encode the dots.
            self.path.push_str(&value.replace('.', "%2E"));
        } else {
            self.path.push_str(&utf8_percent_encode(value, set).to_string());
        }
        Ok(())
    }

    /// Keeps the trailing `/` of the URI pattern.
    #[allow(dead_code, reason = "only models with a URI pattern ending in `/` keep it")]
    pub fn trailing_slash(&mut self) {
        self.path.push('/');
    }

    /// A query parameter; `None` writes the bare key (`?key`).
    #[allow(dead_code, reason = "only models with query bindings send them")]
    pub fn query(&mut self, name: &str, value: Option<&str>) {
        self.query.push((percent_encode(name), value.map(percent_encode)));
    }

    /// A header; values with CR, LF or NUL are refused (they would split the message).
    pub fn header(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
        if value.contains(['\r', '\n', '\0']) {
            return Err(BuildError::new(format!("header `{name}` must not contain CR, LF or NUL characters")));
        }
        let name = ::http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| BuildError::new(format!("`{name}` is not a valid header name")))?;
        let value = ::http::HeaderValue::from_bytes(value.trim().as_bytes())
            .map_err(|_| BuildError::new(format!("the value of header `{name}` is not valid")))?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Whether a header of this name is set (bound members win over prefix-header maps).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.contains_key(name)
    }

    /// The body and its content type.
    #[allow(dead_code, reason = "only models with an operation that sends a body set one")]
    pub fn body(&mut self, body: impl Into<Bytes>, content_type: &str) -> Result<(), BuildError> {
        self.body = body.into();
        if !self.has_header("content-type") {
            self.header("Content-Type", content_type)?;
        }
        Ok(())
    }

    /// The body set so far.
    #[allow(dead_code, reason = "only models with `@httpChecksumRequired` read the body back")]
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// Compresses the body with `compress` when it has at least `min_size` bytes, and adds
    /// `encoding` to `Content-Encoding`, after any encoding the input set
    /// (`@requestCompression`).
    #[allow(dead_code, reason = "only models with `@requestCompression` compress")]
    pub fn compress_body(
        &mut self,
        encoding: &str,
        min_size: usize,
        compress: impl FnOnce(&[u8]) -> std::io::Result<Vec<u8>>,
    ) -> Result<(), BuildError> {
        if self.body.len() < min_size {
            return Ok(());
        }
        let compressed =
            compress(&self.body).map_err(|e| BuildError::new(format!("compressing the body with {encoding}: {e}")))?;
        self.body = compressed.into();
        self.header("Content-Encoding", encoding)
    }

    /// A host prefix (`@endpoint`), already filled in with its labels.
    #[allow(dead_code, reason = "only models with `@endpoint` host prefixes set them")]
    pub fn host_prefix(&mut self, prefix: String) -> Result<(), BuildError> {
        let host_ok = prefix.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty() && label.len() <= 63 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if !host_ok {
            return Err(BuildError::new(format!("host prefix {prefix:?} is not a valid host name")));
        }
        self.host_prefix = Some(prefix);
        Ok(())
    }

    /// The finished request.
    pub fn build(mut self) -> Result<HttpRequest, BuildError> {
        let base = self.endpoint.url();
        let (scheme, rest) =
            base.split_once("://").ok_or_else(|| BuildError::new(format!("endpoint {base:?} has no scheme")))?;
        let (authority, base_path) = match rest.find(['/', '?']) {
            Some(index) => (&rest[..index], rest[index..].split('?').next().unwrap_or("")),
            None => (rest, ""),
        };
        let mut uri = format!("{scheme}://{}{authority}", self.host_prefix.as_deref().unwrap_or(""));
        // A custom endpoint's path is a prefix of every operation's path.
        uri.push_str(base_path.trim_end_matches('/'));
        if self.path.is_empty() {
            self.path.push('/');
        }
        uri.push_str(&self.path);
        for (index, (name, value)) in self.query.iter().enumerate() {
            uri.push(if index == 0 { '?' } else { '&' });
            uri.push_str(name);
            if let Some(value) = value {
                uri.push('=');
                uri.push_str(value);
            }
        }
        for (name, values) in self.endpoint.headers() {
            for value in values {
                self.header(name, value)?;
            }
        }
        if !self.body.is_empty() {
            self.headers.insert(::http::header::CONTENT_LENGTH, ::http::HeaderValue::from(self.body.len()));
        }
        let mut request = ::http::Request::builder()
            .method(self.method)
            .uri(&uri)
            .body(self.body)
            .map_err(|e| BuildError::new(format!("invalid request URI {uri:?}: {e}")))?;
        *request.headers_mut() = self.headers;
        Ok(request)
    }
}

/// The text of a float (`f32` or `f64`) in a header, label or query: the shortest decimal that
/// reads back as the same value of its own type (`1.1f32` is `1.1`), and `NaN`, `Infinity` and
/// `-Infinity` as Smithy spells them.
#[allow(dead_code, reason = "only models with float members write them")]
pub fn float_text<F: Into<f64> + Copy + std::fmt::Display>(value: F) -> String {
    let wide: f64 = value.into();
    if wide.is_nan() {
        "NaN".to_owned()
    } else if wide.is_infinite() {
        if wide > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// Joins the values of a list bound to a header: comma-separated, and strings that hold a
/// comma or a double quote are quoted (`"a,b"`), as restJson1 requires.
#[allow(dead_code, reason = "only models with list members bound to headers write them")]
pub fn header_list<'a>(values: impl IntoIterator<Item = &'a str>, quote: bool) -> String {
    values
        .into_iter()
        .map(|value| {
            if quote && value.contains([',', '"']) {
                format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                value.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_one_segment_whatever_they_hold() {
        let endpoint = Endpoint::new("http://127.0.0.1:8080/base/");
        let mut request = RequestBuilder::new("GET", &endpoint);
        request.segment("participant");
        request.segment("views");
        request.label("ViewToken", "a/b?c#d%e f\u{e9}", false).unwrap();
        request.query("q", Some("x y&z"));
        request.query("flag", None);
        let request = request.build().unwrap();
        assert_eq!(
            request.uri().to_string(),
            "http://127.0.0.1:8080/base/participant/views/a%2Fb%3Fc%23d%25e%20f%C3%A9?q=x%20y%26z&flag"
        );
    }

    #[test]
    fn greedy_labels_keep_slashes_and_empty_labels_are_refused() {
        let endpoint = Endpoint::new("https://example.com");
        let mut request = RequestBuilder::new("GET", &endpoint);
        request.label("Key", "a/b c", true).unwrap();
        assert!(request.label("Other", "", false).is_err());
        request.label("Dot", "..", false).unwrap();
        assert_eq!(request.build().unwrap().uri().to_string(), "https://example.com/a/b%20c/%2E%2E");
    }

    #[test]
    fn compression_applies_from_the_minimum_size_and_appends_its_encoding() {
        let endpoint = Endpoint::new("https://example.com");
        let reverse = |bytes: &[u8]| Ok(bytes.iter().rev().copied().collect());
        let mut small = RequestBuilder::new("POST", &endpoint);
        small.body("abc", "text/plain").unwrap();
        small.compress_body("rev", 4, reverse).unwrap();
        let small = small.build().unwrap();
        assert_eq!(small.body().as_ref(), b"abc");
        assert!(small.headers().get("content-encoding").is_none());
        let mut large = RequestBuilder::new("POST", &endpoint);
        large.header("Content-Encoding", "custom").unwrap();
        large.body("abcd", "text/plain").unwrap();
        large.compress_body("rev", 4, reverse).unwrap();
        let large = large.build().unwrap();
        assert_eq!(large.body().as_ref(), b"dcba");
        let encodings: Vec<_> = large.headers().get_all("content-encoding").iter().collect();
        assert_eq!(encodings, ["custom", "rev"]);
    }

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        let endpoint = Endpoint::new("https://example.com");
        let mut request = RequestBuilder::new("POST", &endpoint);
        let err = request.header("X-Amz-Bearer", "token\r\nX-Evil: 1").unwrap_err();
        assert!(err.to_string().contains("X-Amz-Bearer"), "{err}");
    }

    #[test]
    fn host_prefixes_go_before_the_host() {
        let endpoint = Endpoint::new("https://example.com/path");
        let mut request = RequestBuilder::new("POST", &endpoint);
        request.host_prefix("foo.data.".into()).unwrap();
        request.segment("op");
        assert_eq!(request.build().unwrap().uri().to_string(), "https://foo.data.example.com/path/op");
        let mut request = RequestBuilder::new("POST", &endpoint);
        assert!(request.host_prefix("bad host.".into()).is_err());
    }

    #[test]
    fn floats_print_as_their_own_type() {
        assert_eq!(float_text(1.1f32), "1.1");
        assert_eq!(float_text(1.1f64), "1.1");
        assert_eq!(float_text(f32::NAN), "NaN");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn header_lists_quote_only_when_needed() {
        assert_eq!(header_list(["a", "b,c", "d\"e"], true), r#"a, "b,c", "d\"e""#);
        assert_eq!(header_list(["Mon, 16 Dec 2019 23:48:18 GMT"], false), "Mon, 16 Dec 2019 23:48:18 GMT");
    }
}
