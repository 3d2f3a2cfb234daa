//! Real-time chat: a participant's live session over the service's WebSocket (feature `chat`).
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use connectparticipant::chat::{ChatEvent, ChatSession};
//!
//! let config = connectparticipant::Config::builder().region("us-east-1").build()?;
//! let client = connectparticipant::Client::new(config);
//! let mut chat = ChatSession::connect(&client, "participant-token").await?;
//! chat.send_text("Hello!").await?;
//! while let Some(event) = chat.next_event().await {
//!     match event {
//!         ChatEvent::Message { item, from_self: false, .. } => {
//!             println!("{}: {}", item.display_name.unwrap_or_default(), item.content.unwrap_or_default());
//!         }
//!         ChatEvent::ChatEnded { .. } => break,
//!         _ => {}
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! A bridge reads events in one task and sends from others, through a cloneable
//! [`ChatSender`]; receipts from the reading task are queued, never awaited there:
//!
//! ```no_run
//! # async fn bridge(client: connectparticipant::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use connectparticipant::chat::{ChatEvent, ChatSession, OutgoingMessage};
//!
//! let (sender, mut events) = ChatSession::connect(&client, "participant-token").await?.split();
//! let outbound = sender.clone();
//! tokio::spawn(async move {
//!     // The same client token on a retry: the service sends the message once.
//!     let message = OutgoingMessage::text("Hi from SMS").client_token("3f1c2b7e-8d4a-4c6f-9e21-5a7b0c9d8e3f");
//!     if let Err(error) = outbound.send(message).await {
//!         eprintln!("{error} (retry: {})", error.is_retryable());
//!     }
//! });
//! while let Some(event) = events.next_event().await {
//!     if let ChatEvent::Message { item, from_self: false, .. } = event {
//!         if let Some(id) = &item.id {
//!             sender.queue_read(id.as_str())?;
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What the session does
//!
//! - **Connects**: CreateParticipantConnection (`WEBSOCKET` and `CONNECTION_CREDENTIALS`), opens
//!   the socket, subscribes and waits for the acknowledgement (1 s per try, 4 tries).
//! - **Keeps the socket alive**: a ping and a heartbeat on open and every 10 s. A heartbeat not
//!   answered by the next tick, or a closed or failed socket, means the socket is dead.
//! - **Reconnects** with one backoff for the session's whole life: the first attempt waits a
//!   random part of 1 s, then 1 s doubling (×0.7–1.3 jitter, 30 s cap), one attempt at a time.
//!   A closed socket needs a new URL (CreateParticipantConnection); a socket on it that does not
//!   open or is not acknowledged in time is retried on the same URL while it is valid (85 s), as
//!   the official clients do. The new-URL calls of all the sessions of one [`Client`](crate::Client)
//!   are paced together: one at once, then one per 100 ms (`reconnect_rate`), or faster when
//!   many reconnect at once, so that a herd of `n` spreads over 30 s (`reconnect_spread`: one
//!   call every `30 s / n`) and no second carries more than about 1/30 of its calls.
//!   The backoff starts over only after a socket stayed up 60 s (`healthy_after`): a socket that
//!   dies right after opening keeps the delays growing, so reconnects stay under about two a
//!   minute whatever the server does. 429, 5xx, timeouts and network failures are retried up to a
//!   limit (20 in a row), then the session stops with [`ChatEvent::Failed`]. A 403 means the
//!   chat ended while the socket was down: the session delivers [`ChatEvent::ChatEnded`] (with
//!   no item) and stops, never retrying.
//! - **Fills gaps** after every reconnect and socket replacement, from GetTranscript, while the
//!   new socket is served (live items wait, then come after what was missed). As documented,
//!   FORWARD without a start position reads from the most recent item (nothing), so: after an
//!   item was delivered, FORWARD from its id (from its `AbsoluteTime` when the id is refused);
//!   before any, BACKWARD from the most recent, back to the start. Each page is tried 4 times
//!   with backoff, at most 10 pages of 100 are read, a repeated `NextToken` stops the paging,
//!   items are delivered in the order of their times (parsed, not compared as text). A fill
//!   that stopped short says so with [`ChatEvent::GapNotFilled`] instead of `Restored`; a chat
//!   end found in the transcript ends the session.
//! - **Delivers each item once**: items are told apart by id and content (see below), over the
//!   last 1024 items.
//! - **Replaces the socket** before the service retires it (after 59 minutes): the new socket is
//!   opened and subscribed beside the old one, which is then closed.
//! - **Refreshes the connection token** 60 s before its expiry, never sooner than 60 s after the
//!   last refresh (that floor doubles, up to an hour, while the expiries the service gives look
//!   already due, as with a skewed clock); every CreateParticipantConnection (reconnects
//!   included) brings a new token, and the latest is used for every call.
//! - **Reports its state**: [`ConnectionState`] `Connecting`, `Connected`, `Lost`, `Restored`,
//!   `Ended`.
//!
//! # Persistent chats
//!
//! A persistent chat is a new contact that continues an earlier one: the contacts form a chain.
//! The service says so with a `chat.rehydrated` event, delivered as [`ChatEvent::Rehydrated`]
//! (with the raw item: the event's fields beyond the model's are not documented).
//! [`ChatSender::previous_transcript`] reads the transcript of any contact of the chain (the
//! id StartChatContact was given as the persistent chat's source, or the `RelatedContactId` of
//! an item from a past contact) as a GetTranscript call, one page (`.send()`) or every item
//! (`.into_items()`).
//!
//! # Streamed bot messages
//!
//! A bot may send its answer in chunks: items that share one `Id`, with
//! `MessageMetadata.ChunkNumber` and, on the last, `MessageCompleted` (fields the model lacks,
//! read from the item as received). The session delivers both what a chat display and a bridge
//! need:
//!
//! - a [`ChatEvent::MessageChunk`] per new chunk, with the text so far (from the first chunk up
//!   to the first missing one), so that a display shows the answer as it is written;
//! - one [`ChatEvent::Message`] once the last chunk and every one before it are in, whatever
//!   their order: the text joined, the chunks as received in its `chunks`. A bridge (SMS, a
//!   messaging app) forwards only this, as it cannot edit what it already sent; it needs no
//!   code for streams at all.
//!
//! Repeated chunks are dropped. A stream stops with [`ChatEvent::StreamAbandoned`] (what it had,
//! and why) after [`STREAM_IDLE_TIMEOUT`] (60 s) without a new chunk, beyond
//! [`MAX_STREAM_BYTES`] (64 KiB) or [`MAX_STREAM_CHUNKS`] (512), or when a
//! [`MAX_OPEN_STREAMS`] + 1st (5th) stream opens while it has been idle longest: so a stream
//! that never completes holds at most 64 KiB, for at most a minute. After a reconnect the
//! transcript brings whole messages: one with the id of a stream under way ends that stream
//! quietly and comes as a `Message` without chunks.
//!
//! # Bounds
//!
//! Every wait on the network has one (defaults; each is a setter on [`ChatSessionBuilder`]):
//!
//! | bound | default | what it covers |
//! |---|---|---|
//! | `request_timeout` | 30 s | each REST call of the session (CreateParticipantConnection, GetTranscript, SendMessage, SendEvent, DisconnectParticipant), the client's own retries included |
//! | `open_timeout` | 10 s | opening a socket: TCP (or the custom connector), TLS and the WebSocket handshake together |
//! | `subscribe_timeout` × `subscribe_attempts` | 1 s × 4 | the subscription's acknowledgement |
//! | `send_timeout` | 10 s | writing one frame (subscription, ping, heartbeat); longer means a dead socket |
//! | `heartbeat_interval` | 10 s | a heartbeat's answer |
//! | `transfer_timeout` | 10 min | one attachment upload or download, first call to last byte |
//! | `disconnect_wait` | 10 s | the chat-ended event after DisconnectParticipant |
//! | `reconnect_rate`, `reconnect_spread` | 10/s, 30 s | the pace of reconnect calls of one client's sessions (our choice: the service documents no rate); a herd of any size is back within about `reconnect_spread` plus the backoff |
//! | (fixed) | 2 s | closing a socket politely |
//!
//! And memory: streamed messages under way are bounded as above; frames and messages over 256 KiB are refused (the largest real item, a 12 KB
//! JSON message escaped into a frame, is far smaller) and fail the socket; the socket's read
//! buffer is 4 KiB; the application's event queue holds `event_buffer` (1024) events: when it is
//! full, newer events are dropped and counted, and [`ChatEvent::Lagged`] says how many as soon
//! as there is room (the socket keeps being read: stopping would starve the heartbeats; every
//! item stays in the transcript). Duplicates, ids of own sends and sent receipts are remembered
//! for the last 1024 each. Settings that cannot work (a zero duration or count) are refused by
//! [`ChatSessionBuilder::connect`] naming the setting; durations over about 30 years count as
//! 30 years.
//!
//! Sending (on the session, or on a [`ChatSender`] from [`ChatSession::split`] or
//! [`ChatSession::sender`], which any number of tasks can share while one reads the events):
//! [`ChatSender::send_text`], [`send_markdown`](ChatSender::send_markdown),
//! [`send_json`](ChatSender::send_json), [`send_typing`](ChatSender::send_typing) (at most one
//! per 10 s; calls in between return [`TypingOutcome::Throttled`]),
//! [`send_delivered`](ChatSender::send_delivered) and [`send_read`](ChatSender::send_read)
//! (content `{"messageId": ...}`; never a delivered receipt after a read one, never the same
//! receipt twice; a read receipt is due at once, a delivered one after 300 ms; with throttling
//! on, one request per 5 s window, the last asked for plus the newest read receipt when the last
//! is a delivered one, and every request it stands for gets its result),
//! [`disconnect`](ChatSender::disconnect) (DisconnectParticipant, then up to 10 s for the chat
//! to end), [`upload_attachment`](ChatSender::upload_attachment) and
//! [`download_attachment`](ChatSender::download_attachment). [`ChatSender::send`] takes an
//! [`OutgoingMessage`], which can carry a client token so that a retry after a timeout does
//! not send the message twice. [`queue_read`](ChatSender::queue_read) and
//! [`queue_delivered`](ChatSender::queue_delivered) hand a receipt to the session and return
//! at once: the task that reads events uses them, as `send_read` may wait for the receipt
//! window.
//!
//! Closing or dropping the session closes the socket and stops every task it started. Tokens,
//! socket URLs and pre-signed URLs never appear in `Debug` output, errors or logs, the logs of
//! dependencies included (the WebSocket handshake is done by hyper, which logs nothing of it).
//!
//! # Where the protocol is not documented, the safe choice
//!
//! - **Item identity.** Streamed bot messages share an id across chunks and attachment scan
//!   updates reuse an id, so de-duplication keys on the id *and* the content, content type,
//!   attachment statuses and (for receipt items) receipts: a true duplicate is dropped, a new
//!   chunk or status is delivered.
//! - **Unknown item types and content types** become [`ChatEvent::Other`] with the raw item;
//!   malformed frames and unreadable items are logged (`tracing`, warn) and skipped.
//! - **Who is "self"**: the service does not say which participant a token belongs to. The
//!   session knows it when given ([`ChatSessionBuilder::participant_id`]), else learns it from
//!   the echo of the first thing it sends (matched by the id the service returns, in whichever
//!   order the echo and the answer arrive). Until then `from_self` is `false` and receipts are
//!   all reported; after, receipts for this participant are not reported as events.
//! - **Socket URLs** other than `wss://` (or `ws://127.0.0.1:` for a local emulator) are refused:
//!   the URL carries a credential.
//! - **URL validity**: a socket URL is used within 85 s of being fetched (the service says 100).
//! - **Whether the transcript includes the start item** is not documented: either way the
//!   session de-duplicates.
//! - **Old connection tokens** are not relied on after a refresh.
//! - **A 403 on a healthy socket replacement** stops the session with a terminal error (as the
//!   JavaScript library does), without inventing a chat end.
//! - **429 and 5xx on reconnect** are retried with backoff (the JavaScript library gives up).
//! - **A transcript that refuses the start item** (400 / 404) is read from the item's time
//!   instead: how long the service keeps item ids usable as start positions is not documented.
//! - **Attachments** are checked against the documented limits (20 MB; csv, doc, docx, jpeg,
//!   jpg, pdf, png, ppt, pptx, txt, wav, xls, xlsx); both can be changed on the builder.

mod attachments;
mod backoff;
mod call;
mod clock;
mod connect;
mod delivery;
mod driver;
mod error;
mod event;
mod frames;
mod gap_fill;
mod options;
mod outgoing;
mod pacer;
mod persistent;
mod receipts;
mod reconnect;
mod secret;
mod sender;
mod serve;
mod session;
mod socket;
mod stream;
mod streams;
mod upkeep;
mod window;

pub use attachments::{AttachmentSource, content_type_for};
pub use error::{BoxError, ChatError};
pub use event::{
    ChatEvent, ConnectionState, ErrorEvent, MessageKind, ParticipantChange, Receipt, ReceiptKind, content_type,
};
pub use options::{ATTACHMENT_TYPES, MAX_ATTACHMENT_SIZE};
pub use outgoing::OutgoingMessage;
pub use receipts::{ReceiptOutcome, SkipReason};
pub use sender::{ChatSender, Sent, TypingOutcome};
pub use session::{ChatSession, ChatSessionBuilder};
pub use socket::{ConnectFuture, SocketConnector, SocketStream};
pub use stream::ChatEvents;
pub use streams::{
    MAX_OPEN_STREAMS, MAX_STREAM_BYTES, MAX_STREAM_CHUNKS, STREAM_IDLE_TIMEOUT, StreamAbandonReason, StreamChunk,
};
