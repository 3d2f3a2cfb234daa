//! The sending half of a session: a cloneable handle any task can send with while another
//! reads the events.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::Client;
use crate::transport::{DefaultHttpClient, HttpClient};

use super::attachments::{self, AttachmentSource};
use super::call::{answer, within};
use super::clock;
use super::driver::{Command, Shared};
use super::error::ChatError;
use super::event::{ReceiptKind, content_type};
use super::options::ChatOptions;
use super::outgoing::OutgoingMessage;
use super::receipts::{ReceiptOutcome, SkipReason};

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

/// The session's background task, stopped when the last handle on it (every
/// [`ChatSender`] clone and the [`ChatEvents`](super::ChatEvents)) is gone.
#[derive(Debug)]
pub(crate) struct Task(Mutex<Option<JoinHandle<()>>>);

impl Task {
    pub(crate) fn new(handle: JoinHandle<()>) -> Self {
        Self(Mutex::new(Some(handle)))
    }

    fn take(&self) -> Option<JoinHandle<()>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    fn is_closed(&self) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    pub(crate) fn is_running(&self) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).as_ref().is_some_and(|d| !d.is_finished())
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(handle) = self.take() {
            handle.abort();
        }
    }
}

/// Sends into a chat: messages, typing, receipts, attachments, leaving. Cheap to clone; every
/// clone sends into the same session, from any task, while one task reads the events (see
/// [`ChatSession::split`](super::ChatSession::split)).
#[derive(Clone)]
pub struct ChatSender {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    options: Arc<ChatOptions>,
    shared: Arc<Shared>,
    /// The transport for attachments (pre-signed URLs), made at the first transfer: a built-in
    /// one holds its own TLS configuration (root store and session cache, about 23 KiB), which
    /// most sessions, never sending a file, would carry for nothing.
    transport: OnceLock<Arc<dyn HttpClient>>,
    commands: mpsc::UnboundedSender<Box<Command>>,
    ended: watch::Receiver<bool>,
    task: Arc<Task>,
    last_typing: Mutex<Option<Instant>>,
}

impl fmt::Debug for ChatSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatSender")
            .field("ended", &self.has_ended())
            .field("running", &self.inner.task.is_running())
            .finish_non_exhaustive()
    }
}

/// What a sender is made of.
pub(crate) struct SenderParts {
    pub client: Client,
    pub options: Arc<ChatOptions>,
    pub shared: Arc<Shared>,
    pub commands: mpsc::UnboundedSender<Box<Command>>,
    pub ended: watch::Receiver<bool>,
    pub task: Arc<Task>,
}

impl ChatSender {
    pub(crate) fn new(parts: SenderParts) -> Self {
        let SenderParts { client, options, shared, commands, ended, task } = parts;
        let (last_typing, transport) = (Mutex::new(None), OnceLock::new());
        Self { inner: Arc::new(Inner { client, options, shared, transport, commands, ended, task, last_typing }) }
    }

    /// Whether the chat has ended, or the session stopped for good (a terminal
    /// [`ChatEvent::Failed`](super::ChatEvent::Failed)): nothing more can be sent either way.
    pub fn has_ended(&self) -> bool {
        *self.inner.ended.borrow()
    }

    /// The connection token from the latest CreateParticipantConnection, for REST calls this
    /// module does not wrap.
    pub fn connection_token(&self) -> String {
        self.inner.shared.token()
    }

    /// The client the session calls with.
    pub(crate) fn client(&self) -> &Client {
        &self.inner.client
    }

    /// Sends a plain text message (1 to 1024 characters).
    pub async fn send_text(&self, text: impl Into<String>) -> Result<Sent, ChatError> {
        self.send(OutgoingMessage::text(text)).await
    }

    /// Sends a markdown message (1 to 1024 characters).
    pub async fn send_markdown(&self, markdown: impl Into<String>) -> Result<Sent, ChatError> {
        self.send(OutgoingMessage::markdown(markdown)).await
    }

    /// Sends a JSON message (at most 12000 characters; checked to be JSON first).
    pub async fn send_json(&self, json: impl Into<String>) -> Result<Sent, ChatError> {
        self.send(OutgoingMessage::json(json)).await
    }

    /// Sends the answer to an interactive message (at most 12288 characters).
    pub async fn send_interactive_response(&self, json: impl Into<String>) -> Result<Sent, ChatError> {
        self.send(OutgoingMessage::interactive_response(json)).await
    }

    /// Sends a message built with [`OutgoingMessage`], such as one with a client token so that
    /// a retry after a timeout does not send it twice. Checked before anything is sent.
    pub async fn send(&self, message: OutgoingMessage) -> Result<Sent, ChatError> {
        self.check_open()?;
        let OutgoingMessage { content_type, content, client_token } = message.checked()?;
        let inner = &self.inner;
        let mut call = inner.client.send_message(content, content_type, inner.shared.token());
        if let Some(token) = client_token {
            call = call.client_token(token);
        }
        let limit = inner.options.request_timeout;
        let output = answer("SendMessage", limit, tokio::time::timeout(limit, call.send()).await)?;
        self.note_sent(output.id.as_deref());
        Ok(Sent { id: output.id, absolute_time: output.absolute_time })
    }

    /// Tells the other participants this one is typing: at most once per typing interval
    /// (10 s); calls in between send nothing and say so.
    pub async fn send_typing(&self) -> Result<TypingOutcome, ChatError> {
        self.check_open()?;
        let inner = &self.inner;
        {
            let mut last = inner.last_typing.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            if last.is_some_and(|at| now < clock::after(at, inner.options.typing_interval)) {
                return Ok(TypingOutcome::Throttled);
            }
            *last = Some(now);
        }
        let call = inner.client.send_event(content_type::TYPING, inner.shared.token()).send();
        let limit = inner.options.request_timeout;
        let output = answer("SendEvent", limit, tokio::time::timeout(limit, call).await)?;
        self.note_sent(output.id.as_deref());
        Ok(TypingOutcome::Sent)
    }

    /// Marks a message delivered and waits for the result. Never after it was marked read,
    /// never twice; sent after a short delay and throttled (see the module docs), so this may
    /// wait seconds: a task reading events uses [`queue_delivered`](Self::queue_delivered).
    pub async fn send_delivered(&self, message_id: impl Into<String>) -> Result<ReceiptOutcome, ChatError> {
        self.receipt(ReceiptKind::Delivered, message_id.into()).await
    }

    /// Marks a message read and waits for the result. Never twice; throttled (see the module
    /// docs), so this may wait seconds: a task reading events uses
    /// [`queue_read`](Self::queue_read).
    pub async fn send_read(&self, message_id: impl Into<String>) -> Result<ReceiptOutcome, ChatError> {
        self.receipt(ReceiptKind::Read, message_id.into()).await
    }

    /// Queues a delivered receipt under the same rules as
    /// [`send_delivered`](Self::send_delivered) and returns at once; the session sends it when
    /// it is due. A receipt that then fails is logged, not reported.
    pub fn queue_delivered(&self, message_id: impl Into<String>) -> Result<(), ChatError> {
        self.enqueue(ReceiptKind::Delivered, message_id.into()).map(drop)
    }

    /// Queues a read receipt under the same rules as [`send_read`](Self::send_read) and
    /// returns at once; the session sends it when it is due. A receipt that then fails is
    /// logged, not reported.
    pub fn queue_read(&self, message_id: impl Into<String>) -> Result<(), ChatError> {
        self.enqueue(ReceiptKind::Read, message_id.into()).map(drop)
    }

    async fn receipt(&self, kind: ReceiptKind, message_id: String) -> Result<ReceiptOutcome, ChatError> {
        match self.enqueue(kind, message_id)? {
            Some(result) => result.await.unwrap_or(Err(ChatError::Closed)),
            None => Ok(ReceiptOutcome::Skipped(SkipReason::ChatEnded)),
        }
    }

    /// Hands a receipt to the session's task; `None` when the chat has ended.
    fn enqueue(
        &self,
        kind: ReceiptKind,
        message_id: String,
    ) -> Result<Option<oneshot::Receiver<Result<ReceiptOutcome, ChatError>>>, ChatError> {
        if message_id.is_empty() {
            return Err(ChatError::InvalidInput("a receipt needs a message id".into()));
        }
        if self.has_ended() {
            return Ok(None);
        }
        let (reply, result) = oneshot::channel();
        self.inner
            .commands
            .send(Box::new(Command::Receipt { kind, message_id, reply }))
            .map_err(|_| ChatError::Closed)?;
        Ok(Some(result))
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
        let inner = &self.inner;
        let token = inner.shared.token();
        let upload = attachments::upload(
            &inner.client,
            self.transport(),
            token,
            &inner.options,
            name,
            content_type,
            source.into(),
        );
        let limit = inner.options.transfer_timeout;
        within("uploading an attachment", limit, tokio::time::timeout(limit, upload).await)
    }

    /// Downloads an attachment into `destination` as it arrives; returns the bytes written.
    pub async fn download_attachment(
        &self,
        attachment_id: &str,
        destination: &mut (impl tokio::io::AsyncWrite + Unpin),
    ) -> Result<u64, ChatError> {
        let inner = &self.inner;
        let token = inner.shared.token();
        let download = attachments::download(&inner.client, self.transport(), token, attachment_id, destination);
        let limit = inner.options.transfer_timeout;
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
    /// for the chat-ended event, which stays readable, then closes the session for every
    /// handle. After the chat ended it only closes.
    pub async fn disconnect(&self) -> Result<(), ChatError> {
        if self.has_ended() {
            self.shutdown().await;
            return Ok(());
        }
        self.check_open()?;
        let inner = &self.inner;
        let call = inner.client.disconnect_participant(inner.shared.token()).send();
        let limit = inner.options.request_timeout;
        answer("DisconnectParticipant", limit, tokio::time::timeout(limit, call).await)?;
        let mut ended = inner.ended.clone();
        let _ = tokio::time::timeout(inner.options.disconnect_wait, ended.wait_for(|ended| *ended)).await;
        self.shutdown().await;
        Ok(())
    }

    /// Closes the socket and stops the session's task, for every handle; events already
    /// received stay readable.
    pub async fn close(&self) {
        self.shutdown().await;
    }

    async fn shutdown(&self) {
        let _ = self.inner.commands.send(Box::new(Command::Close));
        if let Some(mut driver) = self.inner.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut driver).await.is_err()
        {
            driver.abort();
        }
    }

    /// The client's configured transport, else a built-in one with the client's connect
    /// timeout, proxy and TLS settings (no response body limit: attachments are streamed to disk).
    fn transport(&self) -> &dyn HttpClient {
        let config = self.inner.client.config();
        &**self.inner.transport.get_or_init(|| match config.http_client() {
            Some(transport) => Arc::clone(transport),
            None => Arc::new(DefaultHttpClient::with_settings(
                config.timeouts().connect(),
                config.proxy(),
                config.tls().clone(),
            )),
        })
    }

    fn note_sent(&self, id: Option<&str>) {
        if let Some(id) = id {
            let _ = self.inner.commands.send(Box::new(Command::Sent { id: id.to_owned() }));
        }
    }

    fn check_open(&self) -> Result<(), ChatError> {
        if self.has_ended() {
            return Err(ChatError::ChatEnded);
        }
        if self.inner.task.is_closed() {
            return Err(ChatError::Closed);
        }
        Ok(())
    }
}
