//! The service's request checks: routing a method and path to an operation, and checking a
//! request as the real service would (bearer token, content type, no query, members, lengths,
//! ranges, enum values, no unknown members, `ClientToken` a UUID v4). Shared by the emulator
//! and the end-to-end tests' fake service, so both refuse what the service refuses.

use std::fmt;

use hyper::Method;
use hyper::header::HeaderMap;
use serde_json::{Map, Value};

/// An operation of the service (its `Display` is the operation's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `POST /participant/cancel-authentication`.
    CancelParticipantAuthentication,
    /// `POST /participant/complete-attachment-upload`.
    CompleteAttachmentUpload,
    /// `POST /participant/connection`.
    CreateParticipantConnection,
    /// `GET /participant/views/{ViewToken}`.
    DescribeView,
    /// `POST /participant/disconnect`.
    DisconnectParticipant,
    /// `POST /participant/attachment`.
    GetAttachment,
    /// `POST /participant/authentication-url`.
    GetAuthenticationUrl,
    /// `POST /participant/transcript`.
    GetTranscript,
    /// `POST /participant/event`.
    SendEvent,
    /// `POST /participant/message`.
    SendMessage,
    /// `POST /participant/start-attachment-upload`.
    StartAttachmentUpload,
}

impl Op {
    /// The POST operations by the last segment of their path (`/participant/<segment>`).
    pub const POST_ROUTES: [(&'static str, Op); 10] = [
        ("cancel-authentication", Op::CancelParticipantAuthentication),
        ("complete-attachment-upload", Op::CompleteAttachmentUpload),
        ("connection", Op::CreateParticipantConnection),
        ("disconnect", Op::DisconnectParticipant),
        ("attachment", Op::GetAttachment),
        ("authentication-url", Op::GetAuthenticationUrl),
        ("transcript", Op::GetTranscript),
        ("event", Op::SendEvent),
        ("message", Op::SendMessage),
        ("start-attachment-upload", Op::StartAttachmentUpload),
    ];
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// What a check needs of a request.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// The request's headers.
    pub headers: &'a HeaderMap,
    /// Its query string, if any (the service's operations take none).
    pub query: Option<&'a str>,
    /// Its body.
    pub body: &'a [u8],
    /// DescribeView: the `{ViewToken}` path segment, percent-decoded.
    pub view_token: Option<&'a str>,
}

impl RequestParts<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The operation of a method and raw path, and DescribeView's decoded `{ViewToken}`.
pub fn route(prefix: &str, method: &Method, path: &str) -> Result<(Op, Option<String>), String> {
    let rest = path
        .strip_prefix(prefix)
        .filter(|rest| rest.starts_with('/'))
        .ok_or_else(|| format!("path {path:?} is not under the endpoint prefix {prefix:?}"))?;
    let segments: Vec<&str> = rest[1..].split('/').collect();
    let (op, view_token) = match segments.as_slice() {
        ["participant", "views", token] => {
            let token = percent_decode(token).map_err(|e| format!("ViewToken segment {token:?}: {e}"))?;
            (Op::DescribeView, Some(token))
        }
        ["participant", last] => {
            let op = Op::POST_ROUTES
                .iter()
                .find(|(segment, _)| segment == last)
                .map(|(_, op)| *op)
                .ok_or_else(|| format!("no operation at {path:?}"))?;
            (op, None)
        }
        _ => return Err(format!("no operation at {path:?} (segments {segments:?})")),
    };
    let expected = if op == Op::DescribeView { Method::GET } else { Method::POST };
    if *method != expected {
        return Err(format!("{op} is {expected} {path}, not {method}"));
    }
    Ok((op, view_token))
}

/// Decodes `%XX` escapes; the result must be UTF-8. Raw characters outside the RFC 3986
/// unreserved set would not have been percent-encoded by a correct client: they are refused.
fn percent_decode(segment: &str) -> Result<String, String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = segment.get(i + 1..i + 3).ok_or("truncated %-escape")?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad %-escape %{hex}"))?);
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => {
                out.push(b);
                i += 1;
            }
            b => return Err(format!("character {:?} should have been percent-encoded", b as char)),
        }
    }
    String::from_utf8(out).map_err(|_| "not UTF-8 once decoded".to_owned())
}

// ---------------------------------------------------------------------------------------------
// Request checks, as the service would run them.

/// Checks a request for `op` as the service would; the error says what it would refuse.
pub fn check(op: Op, r: &RequestParts<'_>) -> Result<(), String> {
    let bearers: Vec<_> = r.headers.get_all("x-amz-bearer").iter().collect();
    match bearers.as_slice() {
        [] => return Err("missing X-Amz-Bearer header".into()),
        [one] if one.is_empty() => return Err("empty X-Amz-Bearer header".into()),
        [one] if one.to_str().is_err() => return Err("X-Amz-Bearer is not visible ASCII".into()),
        [_] => {}
        more => return Err(format!("{} X-Amz-Bearer headers", more.len())),
    }
    if let Some(query) = &r.query {
        return Err(format!("unexpected query string {query:?}"));
    }
    if op == Op::DescribeView {
        if !r.body.is_empty() {
            return Err(format!("GET with a body: {:?}", String::from_utf8_lossy(r.body)));
        }
        if let Some(length) = r.header("content-length").filter(|l| *l != "0") {
            return Err(format!("GET with Content-Length {length}"));
        }
        let token = r.view_token.unwrap_or_default();
        let chars = token.chars().count();
        if !(1..=1000).contains(&chars) {
            return Err(format!("ViewToken must have 1 to 1000 characters, has {chars}"));
        }
        return Ok(());
    }
    match r.header("content-type") {
        Some(ct) if ct.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")) => {}
        other => return Err(format!("Content-Type must be application/json, is {other:?}")),
    }
    let body: Value = serde_json::from_slice(r.body).map_err(|e| format!("body is not JSON: {e}"))?;
    let object = body.as_object().ok_or_else(|| format!("body is not a JSON object: {body}"))?;
    let mut m = Members { object, known: Vec::new() };
    match op {
        Op::CancelParticipantAuthentication => {
            m.string("SessionId", true, 36, 36)?;
        }
        Op::CompleteAttachmentUpload => {
            let ids = m.get("AttachmentIds").ok_or("missing AttachmentIds")?;
            let ids = ids.as_array().ok_or("AttachmentIds must be an array")?;
            if ids.len() != 1 {
                return Err(format!("AttachmentIds must have exactly 1 item, has {}", ids.len()));
            }
            for id in ids {
                let id = id.as_str().ok_or("AttachmentIds items must be strings")?;
                length("AttachmentIds[0]", id, 1, 256)?;
            }
            m.client_token(true)?;
        }
        Op::CreateParticipantConnection => {
            if let Some(types) = m.get("Type") {
                let types = types.as_array().ok_or("Type must be an array")?;
                if types.is_empty() {
                    return Err("Type must have at least 1 item".into());
                }
                for t in types {
                    let t = t.as_str().ok_or("Type items must be strings")?;
                    one_of("Type[]", t, &["WEBSOCKET", "CONNECTION_CREDENTIALS", "WEBRTC_CONNECTION"])?;
                }
            }
            if let Some(connect) = m.get("ConnectParticipant") {
                connect.as_bool().ok_or("ConnectParticipant must be a boolean")?;
            }
        }
        Op::DescribeView => unreachable!("handled above"),
        Op::DisconnectParticipant => {
            m.client_token(false)?;
        }
        Op::GetAttachment => {
            m.string("AttachmentId", true, 1, 256)?;
            m.integer("UrlExpiryInSeconds", false, 5, 300)?;
        }
        Op::GetAuthenticationUrl => {
            m.string("SessionId", true, 36, 36)?;
            m.string("RedirectUri", true, 1, 1024)?;
        }
        Op::GetTranscript => {
            m.string("ContactId", false, 1, 256)?;
            m.integer("MaxResults", false, 0, 100)?;
            m.string("NextToken", false, 1, 1000)?;
            if let Some(direction) = m.string("ScanDirection", false, 1, 100)? {
                one_of("ScanDirection", direction, &["FORWARD", "BACKWARD"])?;
            }
            if let Some(order) = m.string("SortOrder", false, 1, 100)? {
                one_of("SortOrder", order, &["ASCENDING", "DESCENDING"])?;
            }
            if let Some(start) = m.get("StartPosition") {
                let start = start.as_object().ok_or("StartPosition must be an object")?;
                let mut s = Members { object: start, known: Vec::new() };
                s.string("Id", false, 1, 256)?;
                s.string("AbsoluteTime", false, 1, 100)?;
                s.integer("MostRecent", false, 0, 100)?;
                s.finish().map_err(|e| format!("StartPosition: {e}"))?;
            }
        }
        Op::SendEvent => {
            m.string("ContentType", true, 1, 100)?;
            m.string("Content", false, 1, 16384)?;
            m.client_token(false)?;
        }
        Op::SendMessage => {
            m.string("ContentType", true, 1, 100)?;
            m.string("Content", true, 1, 16384)?;
            m.client_token(false)?;
        }
        Op::StartAttachmentUpload => {
            m.string("ContentType", true, 1, 255)?;
            m.string("AttachmentName", true, 1, 256)?;
            m.integer("AttachmentSizeInBytes", true, 1, i64::MAX)?;
            m.client_token(true)?;
        }
    }
    m.finish()
}

fn length(member: &str, value: &str, min: usize, max: usize) -> Result<(), String> {
    let chars = value.chars().count();
    if (min..=max).contains(&chars) {
        Ok(())
    } else {
        Err(format!("{member} must have {min} to {max} characters, has {chars}"))
    }
}

fn one_of(member: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) { Ok(()) } else { Err(format!("{member}: {value:?} is not one of {allowed:?}")) }
}

/// Whether `text` is a UUID v4 in its canonical lowercase form, as the SDKs generate them.
pub fn is_uuid_v4(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]);
    let hex_ok = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    lengths_ok && hex_ok && groups[2].starts_with('4') && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// Reads the members of one JSON object, remembering which were expected.
struct Members<'a> {
    object: &'a Map<String, Value>,
    known: Vec<&'static str>,
}

impl<'a> Members<'a> {
    fn get(&mut self, name: &'static str) -> Option<&'a Value> {
        self.known.push(name);
        self.object.get(name).filter(|v| !v.is_null())
    }

    fn string(
        &mut self,
        name: &'static str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Result<Option<&'a str>, String> {
        match self.get(name) {
            None if required => Err(format!("missing required member {name}")),
            None => Ok(None),
            Some(value) => {
                let text = value.as_str().ok_or_else(|| format!("{name} must be a string, is {value}"))?;
                length(name, text, min, max)?;
                Ok(Some(text))
            }
        }
    }

    fn integer(&mut self, name: &'static str, required: bool, min: i64, max: i64) -> Result<Option<i64>, String> {
        match self.get(name) {
            None if required => Err(format!("missing required member {name}")),
            None => Ok(None),
            Some(value) => {
                let number = value.as_i64().ok_or_else(|| format!("{name} must be an integer, is {value}"))?;
                if !(min..=max).contains(&number) {
                    return Err(format!("{name} must be between {min} and {max}, is {number}"));
                }
                Ok(Some(number))
            }
        }
    }

    /// `ClientToken`: an idempotency token, which the client fills in whenever the caller does
    /// not, so it must always be there.
    fn client_token(&mut self, required_by_model: bool) -> Result<(), String> {
        let why = if required_by_model { "required" } else { "an idempotency token the client must fill in" };
        let token = self.string("ClientToken", true, 1, 500).map_err(|e| format!("{e} ({why})"))?.unwrap_or_default();
        if !is_uuid_v4(token) {
            return Err(format!("ClientToken {token:?} is not a UUID v4"));
        }
        Ok(())
    }

    fn finish(self) -> Result<(), String> {
        match self.object.keys().find(|k| !self.known.contains(&k.as_str())) {
            Some(unknown) => Err(format!("unexpected member {unknown:?}")),
            None => Ok(()),
        }
    }
}
