//! Reads HTTP responses: headers, error codes and messages.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::transport::HttpResponse;

/// A response that does not have the shape the model gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError {
    message: String,
}

impl DeserializeError {
    /// An error with this message (which names the member at fault).
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }

    /// A required member the response lacks and that has no zero value to stand in.
    #[allow(dead_code, reason = "only models with required members in headers or payloads report them missing")]
    pub fn missing(member: &str) -> Self {
        Self::new(format!("{member}: required member is missing"))
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a response is refused for its size: its body (or the length it declares) is over
/// `limit` bytes. Transports other than the built-in one may have read the whole body; the
/// check is the same.
pub(crate) fn over_size_limit(response: &HttpResponse, limit: usize) -> Option<String> {
    let declared = crate::transport::declared_length(response.headers()).filter(|length| *length > limit as u64);
    if declared.is_none() && response.body().len() <= limit {
        return None;
    }
    Some(match declared {
        Some(length) => {
            format!("the body ({length} bytes by Content-Length) is over the limit of {limit} bytes; not read")
        }
        None => format!("the body is over the limit of {limit} bytes; reading stopped there"),
    })
}

/// The value of a header; several header lines of the same name are joined with `, `.
#[allow(dead_code, reason = "only models with header-bound output members read them")]
pub fn header(response: &HttpResponse, name: &str) -> Result<Option<String>, DeserializeError> {
    let mut joined: Option<String> = None;
    for value in response.headers().get_all(name) {
        let text = value.to_str().map_err(|_| DeserializeError::new(format!("header {name}: not valid text")))?.trim();
        match &mut joined {
            Some(all) => {
                all.push_str(", ");
                all.push_str(text);
            }
            None => joined = Some(text.to_owned()),
        }
    }
    Ok(joined)
}

/// Splits a header list: comma-separated items, where quoted items may hold commas and
/// escaped quotes.
#[allow(dead_code, reason = "only models with list members bound to headers read them")]
pub fn split_header_list(value: &str, name: &str) -> Result<Vec<String>, DeserializeError> {
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => item.extend(chars.next()),
                    Some('"') => break,
                    Some(c) => item.push(c),
                    None => return Err(DeserializeError::new(format!("header {name}: unterminated quoted value"))),
                }
            }
            while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                chars.next();
            }
            match chars.next() {
                None | Some(',') => {}
                Some(_) => return Err(DeserializeError::new(format!("header {name}: text after a quoted value"))),
            }
            items.push(item);
        } else {
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
                item.push(c);
            }
            items.push(item.trim().to_owned());
        }
        if chars.peek().is_none() {
            break;
        }
    }
    if value.trim().is_empty() {
        items.clear();
    }
    Ok(items)
}

/// Splits a list of HTTP dates, which contain commas themselves (`Mon, 16 Dec 2019 ...`).
#[allow(dead_code, reason = "only models with lists of http-date timestamps in headers read them")]
pub fn split_http_dates(value: &str) -> Vec<String> {
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    parts.chunks(2).map(|pair| pair.join(", ")).collect()
}

/// Headers starting with `prefix` (case-insensitive), by the rest of their name.
#[allow(dead_code, reason = "only models with `@httpPrefixHeaders` read them")]
pub fn prefix_headers(response: &HttpResponse, prefix: &str) -> Result<BTreeMap<String, String>, DeserializeError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = BTreeMap::new();
    for name in response.headers().keys() {
        if let Some(rest) = name.as_str().strip_prefix(&prefix)
            && let Some(value) = header(response, name.as_str())?
        {
            out.insert(rest.to_owned(), value);
        }
    }
    Ok(out)
}

/// Parses a header value as a number, boolean...
#[allow(dead_code, reason = "only models with number or boolean members in headers read them")]
pub fn parse_header<T: std::str::FromStr>(value: &str, name: &str) -> Result<T, DeserializeError> {
    value.trim().parse().map_err(|_| DeserializeError::new(format!("header {name}: cannot read {value:?}")))
}

/// Parses a float header, with `NaN`, `Infinity` and `-Infinity` as Smithy spells them.
#[allow(dead_code, reason = "only models with float members in headers read them")]
pub fn parse_float_header(value: &str, name: &str) -> Result<f64, DeserializeError> {
    match value.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => parse_header(other, name),
    }
}

/// Cleans an error code: `ns#Name:http://...` reads as `Name`.
fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code).trim()
}

/// The error code of an error response: the `x-amzn-ErrorType` header, else the body's
/// `__type`, else its `code`.
pub fn error_code(response: &HttpResponse, body: &Value) -> Option<String> {
    let from_header = response.headers().get("x-amzn-errortype").and_then(|v| v.to_str().ok());
    let from_body = || ["__type", "code"].iter().find_map(|key| body.get(key).and_then(Value::as_str));
    from_header.or_else(from_body).map(sanitize_error_code).filter(|code| !code.is_empty()).map(str::to_owned)
}

/// The error message of an error body (`message` or `Message`).
pub fn error_message(body: &Value) -> Option<String> {
    ["message", "Message", "errorMessage"]
        .iter()
        .find_map(|key| body.get(key).and_then(Value::as_str))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut builder = ::http::Response::builder().status(400);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(bytes::Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn error_codes_come_from_header_then_type_then_code() {
        let body: Value = serde_json::from_str(r#"{"__type": "aws.x#BodyType:http://x", "code": "Code"}"#).unwrap();
        let with_header = response(&[("X-Amzn-Errortype", "ns#HeaderType:http://internal/")], "");
        assert_eq!(error_code(&with_header, &body).as_deref(), Some("HeaderType"));
        assert_eq!(error_code(&response(&[], ""), &body).as_deref(), Some("BodyType"));
        let code_only: Value = serde_json::from_str(r#"{"code": "aws.x#Code"}"#).unwrap();
        assert_eq!(error_code(&response(&[], ""), &code_only).as_deref(), Some("Code"));
        assert_eq!(error_code(&response(&[], ""), &Value::Null), None);
    }

    #[test]
    fn header_lists_split_on_unquoted_commas() {
        assert_eq!(split_header_list(r#"a, "b,c", "d\"e",f"#, "X").unwrap(), vec!["a", "b,c", "d\"e", "f"]);
        assert_eq!(split_header_list("", "X").unwrap(), Vec::<String>::new());
        assert!(split_header_list(r#""open"#, "X").is_err());
        assert_eq!(
            split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT"),
            vec!["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]
        );
    }

    #[test]
    fn repeated_headers_are_joined() {
        let r = response(&[("X-A", "1"), ("x-a", "2")], "");
        assert_eq!(header(&r, "X-A").unwrap().as_deref(), Some("1, 2"));
        assert_eq!(prefix_headers(&r, "X-").unwrap().get("a").map(String::as_str), Some("1, 2"));
    }
}
