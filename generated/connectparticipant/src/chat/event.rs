//! What the session delivers: typed events made from the chat items the service pushes.

use crate::types::{AttachmentItem, ChatItemType, Item};

use super::error::ChatError;
use super::streams::{StreamAbandonReason, StreamChunk};

/// The prefix of the service's event content types.
const EVENT: &str = "application/vnd.amazonaws.connect.event.";

/// Content types the session sends and reads.
pub mod content_type {
    /// Plain text messages.
    pub const TEXT: &str = "text/plain";
    /// Markdown messages.
    pub const MARKDOWN: &str = "text/markdown";
    /// JSON messages.
    pub const JSON: &str = "application/json";
    /// Interactive messages (list pickers, time pickers, ...).
    pub const INTERACTIVE: &str = "application/vnd.amazonaws.connect.message.interactive";
    /// The answer to an interactive message.
    pub const INTERACTIVE_RESPONSE: &str = "application/vnd.amazonaws.connect.message.interactive.response";
    /// A participant is typing.
    pub const TYPING: &str = "application/vnd.amazonaws.connect.event.typing";
    /// A message was delivered.
    pub const DELIVERED: &str = "application/vnd.amazonaws.connect.event.message.delivered";
    /// A message was read.
    pub const READ: &str = "application/vnd.amazonaws.connect.event.message.read";
    /// The chat ended.
    pub const CHAT_ENDED: &str = "application/vnd.amazonaws.connect.event.chat.ended";
    /// A persistent chat was rehydrated: this contact continues an earlier one.
    pub const CHAT_REHYDRATED: &str = "application/vnd.amazonaws.connect.event.chat.rehydrated";
}

/// Something that happened in the chat, or to the session's connection.
///
/// Every variant made from an item carries the whole [`Item`], so that nothing the service sent
/// is lost to the application.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    /// A message: text, markdown, JSON or interactive. A streamed message (a bot's answer
    /// sent in chunks) comes once, whole, when its last chunk is in: `item` is then its first
    /// chunk with the chunks' contents joined and the last chunk's time, and `chunks` has every
    /// chunk as received (see [`MessageChunk`](Self::MessageChunk) for the parts as they come).
    Message {
        /// Which kind, from its content type.
        kind: MessageKind,
        /// Whether this session's participant sent it.
        from_self: bool,
        /// The item.
        item: Item,
        /// The chunks of a streamed message, in chunk order; empty for any other message.
        chunks: Vec<StreamChunk>,
    },
    /// A new chunk of a streamed message, for a display that shows the answer as it is
    /// written. The whole message follows as a [`Message`](Self::Message) (with the same id);
    /// an application that only wants whole messages ignores this event.
    MessageChunk {
        /// The text of the chunks received so far, from the first up to the first missing one
        /// (what a display shows in place of the previous update).
        text: String,
        /// The chunk that just came.
        chunk: StreamChunk,
    },
    /// A streamed message given up before its last chunk came: no new chunk for a minute,
    /// too large, or too many streams open at once (see the module docs). No
    /// [`Message`](Self::Message) follows for it.
    StreamAbandoned {
        /// The message's id (its chunks' `Id`).
        message_id: String,
        /// Why.
        reason: StreamAbandonReason,
        /// The text of the chunks received, from the first up to the first missing one.
        text: String,
        /// The chunks received, in chunk order.
        chunks: Vec<StreamChunk>,
    },
    /// A persistent chat was rehydrated: this contact continues an earlier one, whose
    /// transcript [`ChatSender::previous_transcript`](super::ChatSender::previous_transcript)
    /// reads.
    Rehydrated {
        /// The item.
        item: Item,
        /// Its JSON text as received over the socket (`None` for transcript items): the event's
        /// fields beyond the model's (such as `InitialContactId`) are only there.
        raw: Option<String>,
    },
    /// A participant is typing.
    Typing {
        /// The item (its `participant_id`, `display_name` and `participant_role` say who).
        item: Item,
    },
    /// A participant joined, left, went idle, returned or was invited.
    Participant {
        /// What happened.
        change: ParticipantChange,
        /// The item.
        item: Item,
    },
    /// The chat ended. `item` is `None` when the session learnt it from a refused reconnect
    /// (403) rather than from the service's event.
    ChatEnded {
        /// The item, when the service sent one.
        item: Option<Item>,
    },
    /// A transfer to another queue or agent.
    Transfer {
        /// Whether it succeeded.
        succeeded: bool,
        /// The item.
        item: Item,
    },
    /// A delivered or read receipt from another participant.
    Receipt(Receipt),
    /// One or more attachments, with their scan status (`status`: approved, rejected, in
    /// progress).
    Attachment {
        /// The attachments.
        attachments: Vec<AttachmentItem>,
        /// Whether this session's participant sent them.
        from_self: bool,
        /// The item.
        item: Item,
    },
    /// A customer authentication event.
    Authentication {
        /// Which one (`initiated`, `succeeded`, `failed`, `timeout`, `expired`, `cancelled`).
        kind: String,
        /// The item.
        item: Item,
    },
    /// A participant acknowledged the connection.
    ConnectionAcknowledged {
        /// The item.
        item: Item,
    },
    /// The session's connection changed state.
    Connection(ConnectionState),
    /// The session stopped for good (reconnects exhausted, or refused). No more events follow,
    /// except the final [`ConnectionState::Ended`].
    Failed(ErrorEvent),
    /// A new socket is open, but the transcript could not be read (after retries), so items
    /// sent while the socket was down may be missing. Comes instead of
    /// [`ConnectionState::Restored`]; the next fill (at the next reconnect or socket
    /// replacement) starts again from the last item delivered.
    GapNotFilled(ErrorEvent),
    /// The application fell behind: the event queue was full and `dropped` events were left
    /// out (the transcript still has every item; see the module docs).
    Lagged {
        /// How many events were dropped.
        dropped: u64,
    },
    /// An item of a type or content type this version does not know: never an error.
    Other {
        /// The item.
        item: Item,
        /// Its JSON text as received over the socket (`None` for transcript items).
        raw: Option<String>,
    },
}

/// A terminal error, shareable between event clones.
#[derive(Debug, Clone)]
pub struct ErrorEvent(pub std::sync::Arc<ChatError>);

impl PartialEq for ErrorEvent {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The kind of a message, from its content type.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    /// `text/plain`.
    Text,
    /// `text/markdown`.
    Markdown,
    /// `application/json`.
    Json,
    /// An interactive message.
    Interactive,
    /// The answer to an interactive message.
    InteractiveResponse,
}

/// What happened to a participant.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipantChange {
    /// Joined the chat.
    Joined,
    /// Left the chat.
    Left,
    /// Went idle.
    Idle,
    /// Came back from idle.
    Returned,
    /// Was invited.
    Invited,
    /// Was disconnected for being idle too long.
    AutoDisconnected,
}

/// A delivered or read receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Delivered or read.
    pub kind: ReceiptKind,
    /// The message it is about.
    pub message_id: String,
    /// The participant who received or read it.
    pub recipient_participant_id: Option<String>,
    /// When, as the service wrote it.
    pub timestamp: Option<String>,
}

/// Delivered or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReceiptKind {
    /// The message reached the participant.
    Delivered,
    /// The participant read the message.
    Read,
}

/// The state of the session's connection.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// Opening the first socket.
    Connecting,
    /// The first socket is open and subscribed.
    Connected,
    /// The socket died (closed, failed, or silent); the session is reconnecting.
    Lost,
    /// A new socket is open and what was missed has been delivered.
    Restored,
    /// The session has stopped: no more events.
    Ended,
}

/// Who this session's participant is, as far as the session has learnt it.
pub(crate) struct SelfInfo<'a> {
    pub participant_id: Option<&'a str>,
    pub sent_ids: &'a super::window::Window<String>,
}

impl SelfInfo<'_> {
    fn sent(&self, item: &Item) -> bool {
        item.id.as_ref().is_some_and(|id| self.sent_ids.contains(id))
            || (item.participant_id.is_some() && item.participant_id.as_deref() == self.participant_id)
    }
}

/// The events of one item (a metadata item with several receipts gives several).
pub(crate) fn classify(item: Item, raw: Option<String>, me: &SelfInfo<'_>) -> Vec<ChatEvent> {
    let content_type = item.content_type.clone().unwrap_or_default();
    if is_metadata(&item) {
        return receipts(&item, me);
    }
    if let Some(attachments) = item.attachments.clone().filter(|a| !a.is_empty()) {
        let from_self = me.sent(&item);
        return vec![ChatEvent::Attachment { attachments, from_self, item }];
    }
    let message_kind = match content_type.as_str() {
        content_type::TEXT => Some(MessageKind::Text),
        content_type::MARKDOWN => Some(MessageKind::Markdown),
        content_type::JSON => Some(MessageKind::Json),
        content_type::INTERACTIVE => Some(MessageKind::Interactive),
        content_type::INTERACTIVE_RESPONSE => Some(MessageKind::InteractiveResponse),
        _ => None,
    };
    if let Some(kind) = message_kind {
        let from_self = me.sent(&item);
        return vec![ChatEvent::Message { kind, from_self, item, chunks: Vec::new() }];
    }
    let Some(event) = content_type.strip_prefix(EVENT) else {
        return vec![ChatEvent::Other { item, raw }];
    };
    let participant = |change| ChatEvent::Participant { change, item: item.clone() };
    let event = match event {
        "typing" => ChatEvent::Typing { item },
        "participant.joined" => participant(ParticipantChange::Joined),
        "participant.left" => participant(ParticipantChange::Left),
        "participant.idle" => participant(ParticipantChange::Idle),
        "participant.returned" => participant(ParticipantChange::Returned),
        "participant.invited" => participant(ParticipantChange::Invited),
        "participant.autodisconnection" => participant(ParticipantChange::AutoDisconnected),
        "chat.ended" => ChatEvent::ChatEnded { item: Some(item) },
        "chat.rehydrated" => ChatEvent::Rehydrated { item, raw },
        "transfer.succeeded" => ChatEvent::Transfer { succeeded: true, item },
        "transfer.failed" => ChatEvent::Transfer { succeeded: false, item },
        "connection.acknowledged" => ChatEvent::ConnectionAcknowledged { item },
        other => match other.strip_prefix("authentication.") {
            Some(kind) => ChatEvent::Authentication { kind: kind.to_owned(), item },
            None => ChatEvent::Other { item, raw },
        },
    };
    vec![event]
}

/// Whether the item carries receipts (type `MESSAGEMETADATA`, which the model does not list).
pub(crate) fn is_metadata(item: &Item) -> bool {
    matches!(item.r#type.as_ref().map(ChatItemType::as_str), Some("MESSAGEMETADATA" | "MESSAGE_METADATA"))
}

/// Receipts of a metadata item, leaving out this participant's own.
fn receipts(item: &Item, me: &SelfInfo<'_>) -> Vec<ChatEvent> {
    let Some(metadata) = &item.message_metadata else { return Vec::new() };
    let Some(message_id) = &metadata.message_id else { return Vec::new() };
    let receipts = metadata.receipts.iter().flatten();
    receipts
        .filter(|r| me.participant_id.is_none() || r.recipient_participant_id.as_deref() != me.participant_id)
        .map(|r| {
            let (kind, timestamp) = match &r.read_timestamp {
                Some(at) => (ReceiptKind::Read, Some(at.clone())),
                None => (ReceiptKind::Delivered, r.delivered_timestamp.clone()),
            };
            ChatEvent::Receipt(Receipt {
                kind,
                message_id: message_id.clone(),
                recipient_participant_id: r.recipient_participant_id.clone(),
                timestamp,
            })
        })
        .collect()
}

/// What makes two items "the same" for de-duplication: the id, plus what may legitimately
/// change under one id (streamed message chunks, attachment scan status, receipts).
pub(crate) fn identity(item: &Item) -> Option<String> {
    let id = item.id.as_deref().filter(|id| !id.is_empty())?;
    let statuses: Vec<&str> =
        item.attachments.iter().flatten().filter_map(|a| a.status.as_ref()).map(|s| s.as_str()).collect();
    // Receipts tell metadata items apart; on other items they are only annotations that the
    // transcript adds, which must not make a message look new.
    let metadata = is_metadata(item);
    let receipts: Vec<String> = item
        .message_metadata
        .iter()
        .filter(|_| metadata)
        .flat_map(|m| m.receipts.iter().flatten())
        .map(|r| format!("{:?}/{:?}/{:?}", r.recipient_participant_id, r.delivered_timestamp, r.read_timestamp))
        .collect();
    Some(format!(
        "{id}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
        item.content_type.as_deref().unwrap_or_default(),
        item.content.as_deref().unwrap_or_default(),
        statuses.join(","),
        receipts.join(",")
    ))
}
