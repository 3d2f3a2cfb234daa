//! The frames of the chat socket: what the client sends and how server frames are read.
//!
//! Client frames are `{"topic":T,"content":C}`. The server acknowledges the subscription with
//! `{"topic":"aws/subscribe","content":{"status":"success","topics":[...]}}`, answers
//! `aws/heartbeat` and `aws/ping` (`statusCode` 200), and pushes chat items as
//! `{"topic":"aws/chat","content":"<Item as a JSON string>"}`.

use serde_json::Value;

/// The subscription request sent on every new socket.
pub(crate) const SUBSCRIBE: &str = r#"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#;
/// The keep-alive frame.
pub(crate) const HEARTBEAT: &str = r#"{"topic":"aws/heartbeat"}"#;
/// The deeper keep-alive, answered with a status.
pub(crate) const PING: &str = r#"{"topic":"aws/ping"}"#;

/// A frame from the server, as the session needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ServerFrame {
    /// The answer to a subscription: `Ok` on success, else what the server said.
    Subscribed(Result<(), String>),
    Heartbeat,
    /// The answer to a ping: whether it said 200/OK.
    Ping(bool),
    /// A chat item, as the JSON text of an `Item`.
    Chat(String),
    /// A frame with no topic and a `message` (the service's way to report errors).
    Failure(String),
    /// Anything else (unknown topic, empty frame): ignored.
    Ignored,
}

/// Reads a text frame. `Err` for text that is not a JSON object, or a known topic whose body is
/// not what it should be.
pub(crate) fn parse(text: &str) -> Result<ServerFrame, String> {
    if text.trim().is_empty() {
        return Ok(ServerFrame::Ignored);
    }
    let mut value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let object = value.as_object_mut().ok_or("not a JSON object")?;
    // The item is moved out of the parsed frame, never copied.
    let content = object.remove("content");
    match object.get("topic").and_then(Value::as_str) {
        Some("aws/subscribe") => Ok(ServerFrame::Subscribed(subscribe_status(content.as_ref()))),
        Some("aws/heartbeat") => Ok(ServerFrame::Heartbeat),
        Some("aws/ping") => {
            let ok = object.get("statusCode").and_then(Value::as_u64) == Some(200)
                && object.get("statusContent").and_then(Value::as_str).is_none_or(|s| s == "OK");
            Ok(ServerFrame::Ping(ok))
        }
        Some("aws/chat") => match content {
            Some(Value::String(item)) => Ok(ServerFrame::Chat(item)),
            // Leniency: an item sent as an object rather than a string.
            Some(item @ Value::Object(_)) => Ok(ServerFrame::Chat(item.to_string())),
            _ => Err("aws/chat frame without content".to_owned()),
        },
        Some(_) => Ok(ServerFrame::Ignored),
        None => match object.get("message").and_then(Value::as_str) {
            Some(message) => Ok(ServerFrame::Failure(message.to_owned())),
            None => Ok(ServerFrame::Ignored),
        },
    }
}

fn subscribe_status(content: Option<&Value>) -> Result<(), String> {
    // Leniency: content given as a JSON string.
    let parsed;
    let content = match content {
        Some(Value::String(text)) => {
            parsed = serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
            Some(&parsed)
        }
        other => other,
    };
    let status = content.and_then(|c| c.get("status")).and_then(Value::as_str);
    let topics = content.and_then(|c| c.get("topics"));
    match (status, topics) {
        (Some("success"), Some(_)) => Ok(()),
        (status, _) => Err(format!("subscription refused (status {})", status.unwrap_or("missing"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_frame() {
        let ack = r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#;
        assert_eq!(parse(ack), Ok(ServerFrame::Subscribed(Ok(()))));
        let refused = r#"{"topic":"aws/subscribe","content":{"status":"failure"}}"#;
        assert!(matches!(parse(refused), Ok(ServerFrame::Subscribed(Err(_)))));
        assert_eq!(parse(r#"{"topic":"aws/heartbeat"}"#), Ok(ServerFrame::Heartbeat));
        assert_eq!(parse(r#"{"topic":"aws/ping","statusCode":200,"statusContent":"OK"}"#), Ok(ServerFrame::Ping(true)));
        assert_eq!(parse(r#"{"topic":"aws/ping","statusCode":500}"#), Ok(ServerFrame::Ping(false)));
        assert_eq!(
            parse(r#"{"topic":"aws/chat","content":"{\"Id\":\"1\"}"}"#),
            Ok(ServerFrame::Chat("{\"Id\":\"1\"}".into()))
        );
        assert_eq!(parse(r#"{"message":"Forbidden"}"#), Ok(ServerFrame::Failure("Forbidden".into())));
        assert_eq!(parse(r#"{"topic":"aws/other"}"#), Ok(ServerFrame::Ignored));
        assert_eq!(parse(""), Ok(ServerFrame::Ignored));
        assert!(parse("{not json").is_err());
        assert!(parse(r#"{"topic":"aws/chat"}"#).is_err());
    }
}
