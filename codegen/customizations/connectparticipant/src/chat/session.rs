//! The chat session: what an application holds and calls.

use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::Client;
use crate::transport::{DefaultHttpClient, HttpClient};

use super::attachments::{self, AttachmentSource};
use super::call::{answer, within};
use super::clock;
use super::connect;
use super::driver::{Command, Driver, Setup, Shared};
use super::error::ChatError;
use super::event::{ChatEvent, ConnectionState, ReceiptKind, content_type};
use super::options::ChatOptions;
use super::receipts::ReceiptOutcome;
use super::secret::Secret;

/// A participant's live chat: events from the service as a [`Stream`](futures_util::Stream)
/// (or [`next_event`](Self::next_event)), and the calls a participant makes.
///
/// Dropping the session, like [`close`](Self::close), closes the socket and stops every task
/// it started.
pub struct ChatSession {
    client: Client,
    options: Arc<ChatOptions>,
    shared: Arc<Shared>,
    transport: Arc<dyn HttpClient>,
    events: mpsc::Receiver<ChatEvent>,
    commands: mpsc::UnboundedSender<Command>,
    ended: watch::Receiver<bool>,
    driver: Option<JoinHandle<()>>,
    last_typing: Mutex<Option<Instant>>,
}

impl fmt::Debug for ChatSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatSession")
            .field("ended", &*self.ended.borrow())
            .field("running", &self.driver.as_ref().is_some_and(|d| !d.is_finished()))
            .finish_non_exhaustive()
    }
}

/// The message a send call produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The item's id, as the service gave it.
    pub id: Option<String>,
    /// When the service received it.
    pub absolute_time: Option<String>,
}

/// What became of a typing event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypingOutcome {
    /// Sent.
    Sent,
    /// Not sent: one was sent less than the typing interval ago (10 s by default).
    Throttled,
}

/// Settings of a session before it connects; from [`ChatSession::builder`].
#[derive(Debug, Clone)]
pub struct ChatSessionBuilder {
    client: Client,
    participant_token: Secret,
    participant_id: Option<String>,
    options: ChatOptions,
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

    /// Opens socket connections through `connector` instead of plain TCP.
    pub fn socket_connector(mut self, connector: impl super::SocketConnector) -> Self {
        self.options.socket_connector = Arc::new(connector);
        self
    }

    /// Connects: CreateParticipantConnection, the socket, the subscription and its
    /// acknowledgement. Fails with a clear error when any of them does.
    pub async fn connect(self) -> Result<ChatSession, ChatError> {
        let Self { client, participant_token, participant_id, options } = self;
        let options = Arc::new(options.validated()?);
        let (events_tx, events) = mpsc::channel(options.event_buffer);
        let _ = events_tx.try_send(ChatEvent::Connection(ConnectionState::Connecting));
        let connection = connect::open_connection(&client, &participant_token, &options).await?;
        let shared = Arc::new(Shared::new(connection.token.clone()));
        let _ = events_tx.try_send(ChatEvent::Connection(ConnectionState::Connected));
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
        let driver = tokio::spawn(task.run(connection));
        let transport = match client.config().http_client() {
            Some(transport) => Arc::clone(transport),
            None => Arc::new(DefaultHttpClient::new(client.config().timeouts().connect())),
        };
        Ok(ChatSession {
            client,
            options,
            shared,
            transport,
            events,
            commands,
            ended,
            driver: Some(driver),
            last_typing: Mutex::new(None),
        })
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
        }
    }

    /// The next event; `None` once the session has stopped and every event was taken.
    pub async fn next_event(&mut self) -> Option<ChatEvent> {
        self.events.recv().await
    }

    /// Whether the chat has ended, or the session stopped for good (a terminal
    /// [`ChatEvent::Failed`]): nothing more can be sent either way.
    pub fn has_ended(&self) -> bool {
        *self.ended.borrow()
    }

    /// The connection token from the latest CreateParticipantConnection, for REST calls this
    /// module does not wrap.
    pub fn connection_token(&self) -> String {
        self.shared.token()
    }

    /// Sends a plain text message (1 to 1024 characters).
    pub async fn send_text(&self, text: impl Into<String>) -> Result<Sent, ChatError> {
        self.send_message(content_type::TEXT, text.into(), 1024).await
    }

    /// Sends a markdown message (1 to 1024 characters).
    pub async fn send_markdown(&self, markdown: impl Into<String>) -> Result<Sent, ChatError> {
        self.send_message(content_type::MARKDOWN, markdown.into(), 1024).await
    }

    /// Sends a JSON message (at most 12000 characters; checked to be JSON first).
    pub async fn send_json(&self, json: impl Into<String>) -> Result<Sent, ChatError> {
        let json = json.into();
        serde_json::from_str::<serde_json::Value>(&json)
            .map_err(|e| ChatError::InvalidInput(format!("send_json: not JSON: {e}")))?;
        self.send_message(content_type::JSON, json, 12000).await
    }

    /// Sends the answer to an interactive message (at most 12288 characters).
    pub async fn send_interactive_response(&self, json: impl Into<String>) -> Result<Sent, ChatError> {
        self.send_message(content_type::INTERACTIVE_RESPONSE, json.into(), 12288).await
    }

    async fn send_message(&self, content_type: &str, content: String, max: usize) -> Result<Sent, ChatError> {
        self.check_open()?;
        let length = content.chars().count();
        if length == 0 || length > max {
            return Err(ChatError::InvalidInput(format!(
                "{content_type} messages have 1 to {max} characters, not {length}"
            )));
        }
        let call = self.client.send_message(content, content_type, self.shared.token()).send();
        let limit = self.options.request_timeout;
        let output = answer("SendMessage", limit, tokio::time::timeout(limit, call).await)?;
        self.note_sent(output.id.as_deref());
        Ok(Sent { id: output.id, absolute_time: output.absolute_time })
    }

    /// Tells the other participants this one is typing: at most once per typing interval
    /// (10 s); calls in between send nothing and say so.
    pub async fn send_typing(&self) -> Result<TypingOutcome, ChatError> {
        self.check_open()?;
        {
            let mut last = self.last_typing.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            if last.is_some_and(|at| now < clock::after(at, self.options.typing_interval)) {
                return Ok(TypingOutcome::Throttled);
            }
            *last = Some(now);
        }
        let call = self.client.send_event(content_type::TYPING, self.shared.token()).send();
        let limit = self.options.request_timeout;
        let output = answer("SendEvent", limit, tokio::time::timeout(limit, call).await)?;
        self.note_sent(output.id.as_deref());
        Ok(TypingOutcome::Sent)
    }

    /// Marks a message delivered. Never after it was marked read, never twice; sent after a
    /// short delay and throttled (see the module docs).
    pub async fn send_delivered(&self, message_id: impl Into<String>) -> Result<ReceiptOutcome, ChatError> {
        self.receipt(ReceiptKind::Delivered, message_id.into()).await
    }

    /// Marks a message read. Never twice; throttled (see the module docs).
    pub async fn send_read(&self, message_id: impl Into<String>) -> Result<ReceiptOutcome, ChatError> {
        self.receipt(ReceiptKind::Read, message_id.into()).await
    }

    async fn receipt(&self, kind: ReceiptKind, message_id: String) -> Result<ReceiptOutcome, ChatError> {
        if message_id.is_empty() {
            return Err(ChatError::InvalidInput("a receipt needs a message id".into()));
        }
        if self.has_ended() {
            return Ok(ReceiptOutcome::Skipped(super::receipts::SkipReason::ChatEnded));
        }
        let (reply, result) = oneshot::channel();
        self.commands.send(Command::Receipt { kind, message_id, reply }).map_err(|_| ChatError::Closed)?;
        result.await.unwrap_or(Err(ChatError::Closed))
    }

    /// Uploads an attachment (bytes, or a file streamed from disk); returns its id. The size
    /// and content type are checked first: a refusal sends nothing.
    pub async fn upload_attachment(
        &self,
        name: &str,
        content_type: &str,
        source: impl Into<AttachmentSource>,
    ) -> Result<String, ChatError> {
        self.check_open()?;
        let token = self.shared.token();
        let upload = attachments::upload(
            &self.client,
            &*self.transport,
            token,
            &self.options,
            name,
            content_type,
            source.into(),
        );
        let limit = self.options.transfer_timeout;
        within("uploading an attachment", limit, tokio::time::timeout(limit, upload).await)
    }

    /// Downloads an attachment into `destination` as it arrives; returns the bytes written.
    pub async fn download_attachment(
        &self,
        attachment_id: &str,
        destination: &mut (impl tokio::io::AsyncWrite + Unpin),
    ) -> Result<u64, ChatError> {
        let token = self.shared.token();
        let download = attachments::download(&self.client, &*self.transport, token, attachment_id, destination);
        let limit = self.options.transfer_timeout;
        within("downloading an attachment", limit, tokio::time::timeout(limit, download).await)
    }

    /// Downloads an attachment into a new file at `path`.
    pub async fn download_attachment_to_file(&self, attachment_id: &str, path: &Path) -> Result<u64, ChatError> {
        let mut file = tokio::fs::File::create(path).await?;
        // tokio buffers up to 2 MB per file write by default; pieces are smaller than that.
        file.set_max_buf_size(attachments::CHUNK);
        self.download_attachment(attachment_id, &mut file).await
    }

    /// Leaves the chat: DisconnectParticipant, then waits (at most the disconnect wait, 10 s)
    /// for the chat-ended event, which stays readable, then closes. After the chat ended it
    /// only closes.
    pub async fn disconnect(&mut self) -> Result<(), ChatError> {
        if self.has_ended() {
            self.shutdown().await;
            return Ok(());
        }
        self.check_open()?;
        let call = self.client.disconnect_participant(self.shared.token()).send();
        let limit = self.options.request_timeout;
        answer("DisconnectParticipant", limit, tokio::time::timeout(limit, call).await)?;
        let mut ended = self.ended.clone();
        let _ = tokio::time::timeout(self.options.disconnect_wait, ended.wait_for(|ended| *ended)).await;
        self.shutdown().await;
        Ok(())
    }

    /// Closes the socket and stops the session's task; events already received stay readable.
    pub async fn close(mut self) {
        self.shutdown().await;
    }

    async fn shutdown(&mut self) {
        let _ = self.commands.send(Command::Close);
        if let Some(mut driver) = self.driver.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut driver).await.is_err()
        {
            driver.abort();
        }
    }

    fn note_sent(&self, id: Option<&str>) {
        if let Some(id) = id {
            let _ = self.commands.send(Command::Sent { id: id.to_owned() });
        }
    }

    fn check_open(&self) -> Result<(), ChatError> {
        if self.has_ended() {
            return Err(ChatError::ChatEnded);
        }
        if self.driver.is_none() {
            return Err(ChatError::Closed);
        }
        Ok(())
    }
}

impl Drop for ChatSession {
    fn drop(&mut self) {
        if let Some(driver) = self.driver.take() {
            driver.abort();
        }
    }
}

impl futures_util::Stream for ChatSession {
    type Item = ChatEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ChatEvent>> {
        self.get_mut().events.poll_recv(cx)
    }
}
