//! A message to send, with its optional client token.

use super::error::ChatError;
use super::event::content_type;

/// A message to send with [`ChatSender::send`](super::ChatSender::send): its content type,
/// content and, optionally, the client token that makes a retry idempotent.
///
/// ```
/// use connectparticipant::chat::OutgoingMessage;
///
/// // The same token on a retry after a timeout: the service sends the message once.
/// let message = OutgoingMessage::text("Hello!").client_token("3f1c2b7e-8d4a-4c6f-9e21-5a7b0c9d8e3f");
/// # let _ = message;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub(super) content_type: &'static str,
    pub(super) content: String,
    pub(super) client_token: Option<String>,
}

impl OutgoingMessage {
    /// Plain text (1 to 1024 characters).
    pub fn text(text: impl Into<String>) -> Self {
        Self::new(content_type::TEXT, text.into())
    }

    /// Markdown (1 to 1024 characters).
    pub fn markdown(markdown: impl Into<String>) -> Self {
        Self::new(content_type::MARKDOWN, markdown.into())
    }

    /// JSON (at most 12000 characters; checked to be JSON before it is sent).
    pub fn json(json: impl Into<String>) -> Self {
        Self::new(content_type::JSON, json.into())
    }

    /// The answer to an interactive message (at most 12288 characters).
    pub fn interactive_response(json: impl Into<String>) -> Self {
        Self::new(content_type::INTERACTIVE_RESPONSE, json.into())
    }

    /// The idempotency token of the send (a UUID, at most 500 characters): a retry with the
    /// same token, after a timeout for example, does not send the message twice. Without one
    /// the client makes up a fresh token for each call.
    pub fn client_token(mut self, token: impl Into<String>) -> Self {
        self.client_token = Some(token.into());
        self
    }

    fn new(content_type: &'static str, content: String) -> Self {
        Self { content_type, content, client_token: None }
    }

    /// Checks the content against the limits of its type before anything is sent.
    pub(super) fn checked(self) -> Result<Self, ChatError> {
        let max = match self.content_type {
            content_type::JSON => 12000,
            content_type::INTERACTIVE_RESPONSE => 12288,
            _ => 1024,
        };
        let length = self.content.chars().count();
        if length == 0 || length > max {
            return Err(ChatError::InvalidInput(format!(
                "{} messages have 1 to {max} characters, not {length}",
                self.content_type
            )));
        }
        if self.content_type == content_type::JSON {
            serde_json::from_str::<serde_json::Value>(&self.content)
                .map_err(|e| ChatError::InvalidInput(format!("send_json: not JSON: {e}")))?;
        }
        if self.client_token.as_ref().is_some_and(|t| t.is_empty() || t.chars().count() > 500) {
            return Err(ChatError::InvalidInput("a client token has 1 to 500 characters".into()));
        }
        Ok(self)
    }
}
