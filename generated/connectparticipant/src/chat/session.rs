//! The chat session: what an application holds and calls.

use std::fmt;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::Client;

use super::connect;
use super::driver::{Driver, Setup, Shared};
use super::error::ChatError;
use super::event::{ChatEvent, ConnectionState};
use super::options::ChatOptions;
use super::secret::Secret;
use super::sender::{ChatSender, SenderParts, Task};
use super::socket::TcpConnector;
use super::stream::ChatEvents;

/// A participant's live chat: events from the service as a [`Stream`](futures_util::Stream)
/// (or [`next_event`](Self::next_event)), and the calls a participant makes (those of
/// [`ChatSender`], which the session dereferences to).
///
/// [`split`](Self::split) parts it into a cloneable [`ChatSender`] and the [`ChatEvents`], so
/// that one task reads events while others send. Dropping the session (or, once split, every
/// part), like [`close`](ChatSender::close), closes the socket and stops every task it started.
pub struct ChatSession {
    sender: ChatSender,
    events: ChatEvents,
}

impl fmt::Debug for ChatSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatSession").field("sender", &self.sender).finish_non_exhaustive()
    }
}

/// Settings of a session before it connects; from [`ChatSession::builder`].
#[derive(Debug, Clone)]
pub struct ChatSessionBuilder {
    client: Client,
    participant_token: Secret,
    participant_id: Option<String>,
    options: ChatOptions,
    /// Whether the application chose the socket connector (else TCP through the client's proxy).
    custom_connector: bool,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty) -> Self {
                self.options.$name = value;
                self
            }
        )*
    };
}

impl ChatSessionBuilder {
    setters! {
        /// The heartbeat period (10 s); an answer missing for one period means a dead socket.
        heartbeat_interval: Duration;
        /// How long to wait for each subscription acknowledgement (1 s).
        subscribe_timeout: Duration;
        /// How many times to send the subscription before failing (4).
        subscribe_attempts: u32;
        /// How long opening a socket may take: connection, TLS and WebSocket handshake together
        /// (10 s).
        open_timeout: Duration;
        /// How long writing one frame to the socket may take before the socket counts as dead
        /// (10 s).
        send_timeout: Duration;
        /// How long each REST call of the session may take, the client's own retries included
        /// (30 s).
        request_timeout: Duration;
        /// How long one attachment upload or download may take, start to finish (10 minutes).
        transfer_timeout: Duration;
        /// How long a healthy socket is used before it is replaced (59 minutes).
        socket_lifetime: Duration;
        /// How long a socket must stay up for the reconnect backoff to start over (60 s).
        healthy_after: Duration;
        /// The first reconnect delay (1 s), doubled on each failure, with jitter.
        backoff_base: Duration;
        /// The longest reconnect delay (30 s).
        backoff_cap: Duration;
        /// Reconnect attempts before a terminal error (20).
        max_reconnect_attempts: u32;
        /// Reconnect calls per second of all the sessions of this session's [`Client`] when
        /// few reconnect at once (10, our choice: the service documents no rate): a session
        /// reconnecting alone goes at once, the next waits 1/rate. Shared by every session of
        /// the client, not across clients.
        reconnect_rate: u32;
        /// How long the reconnects of many sessions of this session's [`Client`] dropped at
        /// once are spread over (30 s, our choice): with `n` of them reconnecting, one call
        /// goes every `spread / n` when that is sooner than `1 / reconnect_rate`, so no second
        /// carries more than about 1/30 of a herd's calls.
        reconnect_spread: Duration;
        /// GetTranscript tries per page when filling a gap (4).
        gap_fill_attempts: u32;
        /// The most transcript pages one gap fill reads (10, of 100 items).
        gap_fill_pages: u32;
        /// How many events wait for the application before newer ones are dropped and counted
        /// in a [`ChatEvent::Lagged`] (1024; at least 16).
        event_buffer: usize;
        /// How long `disconnect` waits for the chat to end (10 s).
        disconnect_wait: Duration;
        /// The shortest time between typing events (10 s).
        typing_interval: Duration;
        /// Whether receipts are throttled to one request per 5 s (on).
        throttle_receipts: bool;
        /// How long before its expiry the connection token is refreshed (60 s).
        token_refresh_margin: Duration;
        /// The shortest time between token refreshes (60 s; doubled, up to an hour, while the
        /// service's expiries look already due).
        token_refresh_floor: Duration;
        /// The largest attachment accepted (20 MB).
        max_attachment_size: u64;
        /// The attachment content types accepted (the service's documented list).
        attachment_content_types: Vec<String>;
    }

    /// This participant's id (StartChatContact returns it), which tells own items apart from
    /// the first one. Without it the session learns it from the echo of its first send.
    pub fn participant_id(mut self, id: impl Into<String>) -> Self {
        self.participant_id = Some(id.into());
        self
    }

    /// Opens socket connections through `connector` instead of TCP (through the client's
    /// proxy, [`Config::proxy`](crate::config::Config::proxy), when one applies).
    pub fn socket_connector(mut self, connector: impl super::SocketConnector) -> Self {
        self.options.socket_connector = Arc::new(connector);
        self.custom_connector = true;
        self
    }

    /// Connects: CreateParticipantConnection, the socket, the subscription and its
    /// acknowledgement. Fails with a clear error when any of them does.
    pub async fn connect(self) -> Result<ChatSession, ChatError> {
        let Self { client, participant_token, participant_id, mut options, custom_connector } = self;
        if !custom_connector {
            options.socket_connector = Arc::new(TcpConnector(client.config().proxy()));
        }
        // The socket trusts what the REST calls trust: the transport's TLS settings (a custom
        // transport's when it tells them), else the configured ones (which the built-in transport
        // is made with; no transport is built here just to ask).
        options.tls = client.config().http_client().and_then(|transport| transport.tls()).unwrap_or_else(|| client.config().tls().clone());
        let options = Arc::new(options.validated()?);
        let (events_tx, events) = mpsc::channel(options.event_buffer);
        let _ = events_tx.try_send(Box::new(ChatEvent::Connection(ConnectionState::Connecting)));
        let connection = connect::open_connection(&client, &participant_token, &options).await?;
        let shared = Arc::new(Shared::new(connection.token.clone()));
        let _ = events_tx.try_send(Box::new(ChatEvent::Connection(ConnectionState::Connected)));
        let (commands, commands_rx) = mpsc::unbounded_channel();
        let (ended_tx, ended) = watch::channel(false);
        let task = Driver::new(Setup {
            client: client.clone(),
            participant_token,
            participant_id,
            options: Arc::clone(&options),
            shared: Arc::clone(&shared),
            events: events_tx,
            commands: commands_rx,
            ended: ended_tx,
        });
        let task = Arc::new(Task::new(tokio::spawn(task.run(connection))));
        let events = ChatEvents::new(events, Arc::clone(&task));
        let sender = ChatSender::new(SenderParts { client, options, shared, commands, ended, task });
        Ok(ChatSession { sender, events })
    }
}

impl ChatSession {
    /// Connects with the default settings (see [`builder`](Self::builder) for others).
    pub async fn connect(client: &Client, participant_token: impl Into<String>) -> Result<Self, ChatError> {
        Self::builder(client, participant_token).connect().await
    }

    /// A session to configure before connecting.
    pub fn builder(client: &Client, participant_token: impl Into<String>) -> ChatSessionBuilder {
        ChatSessionBuilder {
            client: client.clone(),
            participant_token: Secret::new(participant_token.into()),
            participant_id: None,
            options: ChatOptions::default(),
            custom_connector: false,
        }
    }

    /// The next event; `None` once the session has stopped and every event was taken.
    pub async fn next_event(&mut self) -> Option<ChatEvent> {
        self.events.next_event().await
    }

    /// A sender for other tasks (a clone of this session's).
    pub fn sender(&self) -> ChatSender {
        self.sender.clone()
    }

    /// Parts the session into a cloneable sender and the event stream, so that one task reads
    /// events while others send. The session runs until both parts (every clone of the
    /// sender) are dropped, or one of them closes it.
    pub fn split(self) -> (ChatSender, ChatEvents) {
        (self.sender, self.events)
    }
}

impl Deref for ChatSession {
    type Target = ChatSender;

    fn deref(&self) -> &ChatSender {
        &self.sender
    }
}

impl futures_util::Stream for ChatSession {
    type Item = ChatEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ChatEvent>> {
        Pin::new(&mut self.get_mut().events).poll_next(cx)
    }
}
