//! The session's one background task: it owns the socket, keeps it alive, replaces it before it
//! expires, reconnects when it dies, fills gaps from the transcript, turns frames into events,
//! sends receipts on their schedule and refreshes the connection token.
//!
//! Everything runs in this task (receipt calls in a `JoinSet` it owns), so stopping it — on
//! close, on drop (abort), or when the chat ends — stops everything the session started.

use std::collections::{HashSet, VecDeque};
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::{Arc, RwLock};
use std::task::Poll;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until, timeout, timeout_at};
use tokio_tungstenite::tungstenite::Message;

use crate::Client;
use crate::types::{ConnectionType, Item, ScanDirection, SortKey, StartPosition};

use super::backoff::Backoff;
use super::clock;
use super::error::ChatError;
use super::event::{self, ChatEvent, ConnectionState, ErrorEvent, ReceiptKind, SelfInfo};
use super::frames::{self, ServerFrame};
use super::options::ChatOptions;
use super::receipts::{self, Receipts};
use super::secret::Secret;
use super::socket::{self, Socket};

/// State shared by the session handle and its task.
#[derive(Debug)]
pub(crate) struct Shared {
    token: RwLock<Secret>,
}

impl Shared {
    pub(crate) fn new(token: Secret) -> Self {
        Self { token: RwLock::new(token) }
    }

    /// The connection token from the latest CreateParticipantConnection.
    pub(crate) fn token(&self) -> String {
        self.token.read().unwrap_or_else(|e| e.into_inner()).expose().to_owned()
    }

    fn set_token(&self, token: Secret) {
        *self.token.write().unwrap_or_else(|e| e.into_inner()) = token;
    }
}

/// How many recent items are remembered to match against ids the service gives to sends.
const RECENT: usize = 256;

/// What the session handle asks of the task.
pub(crate) enum Command {
    Receipt {
        kind: ReceiptKind,
        message_id: String,
        reply: receipts::Reply,
    },
    /// The service gave this id to something this participant sent.
    Sent {
        id: String,
    },
    Close,
}

/// An open, subscribed socket.
pub(crate) struct Connection {
    socket: Socket,
    /// When this socket is replaced by a fresh one.
    replace_at: Instant,
    /// Chat items that arrived before the subscription was acknowledged.
    early: Vec<String>,
    /// When the connection token expires, as far as the service said.
    token_expiry: Option<Instant>,
}

/// CreateParticipantConnection, then a socket on the URL it gives, subscribed.
pub(crate) async fn open_connection(
    client: &Client,
    participant_token: &Secret,
    options: &ChatOptions,
    shared: &Shared,
) -> Result<Connection, ChatError> {
    let fetched = Instant::now();
    let output = client
        .create_participant_connection(participant_token.expose())
        .r#type([ConnectionType::Websocket, ConnectionType::ConnectionCredentials])
        .send()
        .await
        .map_err(|e| ChatError::service("CreateParticipantConnection", e))?;
    let missing = |member: &str| ChatError::missing("CreateParticipantConnection", member);
    let credentials = output.connection_credentials.ok_or_else(|| missing("ConnectionCredentials"))?;
    let token = credentials.connection_token.ok_or_else(|| missing("ConnectionToken"))?;
    shared.set_token(Secret::new(token));
    let token_expiry = credentials.expiry.as_deref().and_then(clock::until).map(|d| fetched + d);
    let url = Secret::new(output.websocket.and_then(|w| w.url).ok_or_else(|| missing("Websocket.Url"))?);
    if fetched.elapsed() >= options.url_validity {
        return Err(ChatError::Socket("the socket URL expired before it could be used".into()));
    }
    let mut socket = socket::open(&url, &*options.socket_connector, options.open_timeout).await?;
    let early = subscribe(&mut socket, options).await?;
    tracing::debug!("chat socket open and subscribed");
    Ok(Connection { socket, replace_at: Instant::now() + options.socket_lifetime, early, token_expiry })
}

/// Sends the subscription and waits for its acknowledgement: each try waits
/// `subscribe_timeout`; a refusal is retried after 500 ms, five refusals are final.
async fn subscribe(socket: &mut Socket, options: &ChatOptions) -> Result<Vec<String>, ChatError> {
    let mut early = Vec::new();
    let mut refusals = 0;
    for _ in 0..options.subscribe_attempts {
        socket.send(Message::text(frames::SUBSCRIBE)).await.map_err(|e| ChatError::Socket(e.to_string()))?;
        let deadline = Instant::now() + options.subscribe_timeout;
        loop {
            let text = match timeout_at(deadline, socket.next()).await {
                Err(_) => break,
                Ok(None | Some(Ok(Message::Close(_)))) => {
                    return Err(ChatError::Socket("closed before the subscription was acknowledged".into()));
                }
                Ok(Some(Err(e))) => return Err(ChatError::Socket(e.to_string())),
                Ok(Some(Ok(Message::Text(text)))) => text,
                Ok(Some(Ok(_))) => continue,
            };
            match frames::parse(&text) {
                Ok(ServerFrame::Subscribed(Ok(()))) => return Ok(early),
                Ok(ServerFrame::Subscribed(Err(why))) => {
                    refusals += 1;
                    if refusals >= 5 {
                        return Err(ChatError::Subscribe(why));
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
                Ok(ServerFrame::Chat(item)) => early.push(item),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "malformed frame ignored"),
            }
        }
    }
    Err(ChatError::Subscribe(format!("not acknowledged after {} attempts", options.subscribe_attempts)))
}

/// Why serving one socket stopped.
enum Outcome {
    Lost(String),
    Replace,
    Ended,
    Closed,
}

/// What woke the task, looked at in this order.
enum Wake {
    Frame(Option<Result<Message, tokio_tungstenite::tungstenite::Error>>),
    Tick,
    Replace,
    Receipts,
    Token,
    Command(Option<Command>),
    /// A receipt call finished, with the id the service gave it.
    Job(Option<String>),
}

/// Why the task stops.
enum Stop {
    Closed,
    Ended,
    /// CreateParticipantConnection answered 403 after a loss: the chat ended meanwhile.
    EndedWhileAway,
    Failed(ChatError),
}

pub(crate) struct Driver {
    pub client: Client,
    pub participant_token: Secret,
    pub options: Arc<ChatOptions>,
    pub shared: Arc<Shared>,
    pub events: mpsc::UnboundedSender<ChatEvent>,
    pub commands: mpsc::UnboundedReceiver<Command>,
    pub ended: watch::Sender<bool>,
    seen: HashSet<String>,
    last_item_id: Option<String>,
    self_id: Option<String>,
    /// Ids of what this participant sent.
    sent_ids: HashSet<String>,
    /// Recent items (id, sender): the echo of a send may arrive before the send's answer.
    recent: VecDeque<(String, Option<String>)>,
    receipts: Receipts,
    jobs: JoinSet<Option<String>>,
    token_refresh_at: Option<Instant>,
}

impl Driver {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        client: Client,
        participant_token: Secret,
        participant_id: Option<String>,
        options: Arc<ChatOptions>,
        shared: Arc<Shared>,
        events: mpsc::UnboundedSender<ChatEvent>,
        commands: mpsc::UnboundedReceiver<Command>,
        ended: watch::Sender<bool>,
    ) -> Self {
        let receipts = Receipts::new(options.receipt_window, options.delivered_delay, options.throttle_receipts);
        Self {
            client,
            participant_token,
            options,
            shared,
            events,
            commands,
            ended,
            seen: HashSet::new(),
            last_item_id: None,
            self_id: participant_id,
            sent_ids: HashSet::new(),
            recent: VecDeque::new(),
            receipts,
            jobs: JoinSet::new(),
            token_refresh_at: None,
        }
    }

    fn emit(&self, event: ChatEvent) {
        // The application may have stopped listening; the session goes on regardless.
        let _ = self.events.send(event);
    }

    pub(crate) async fn run(mut self, mut conn: Connection) {
        self.adopt(&conn);
        let stop = loop {
            match self.serve(&mut conn).await {
                Outcome::Closed => break Stop::Closed,
                Outcome::Ended => break Stop::Ended,
                Outcome::Lost(why) => {
                    tracing::warn!(reason = %why, "chat connection lost; reconnecting");
                    self.emit(ChatEvent::Connection(ConnectionState::Lost));
                    match self.reconnect().await {
                        Ok(new) => {
                            conn = new;
                            self.adopt(&conn);
                            self.fill_gap().await;
                            self.emit(ChatEvent::Connection(ConnectionState::Restored));
                        }
                        Err(stop) => break stop,
                    }
                }
                Outcome::Replace => {
                    match open_connection(&self.client, &self.participant_token, &self.options, &self.shared).await {
                        Ok(new) => {
                            // The new socket is subscribed: the old one can go. Whatever the old one
                            // still held unread is fetched from the transcript.
                            let mut old = std::mem::replace(&mut conn, new);
                            self.adopt(&conn);
                            close(&mut old.socket).await;
                            tracing::debug!("chat socket replaced");
                            self.fill_gap().await;
                        }
                        Err(e) if e.status() == Some(403) => break Stop::Failed(e),
                        Err(e) => {
                            tracing::warn!(error = %e, "replacing the chat socket failed; trying again in a minute");
                            conn.replace_at = Instant::now() + Duration::from_secs(60);
                        }
                    }
                }
            }
        };
        match stop {
            Stop::Closed => close(&mut conn.socket).await,
            Stop::Ended => {
                self.finish_chat();
                close(&mut conn.socket).await;
            }
            Stop::EndedWhileAway => {
                self.emit(ChatEvent::ChatEnded { item: None });
                self.finish_chat();
            }
            Stop::Failed(error) => {
                tracing::warn!(error = %error, "chat session stopped");
                self.emit(ChatEvent::Failed(ErrorEvent(Arc::new(error))));
                self.receipts.end();
            }
        }
        self.emit(ChatEvent::Connection(ConnectionState::Ended));
        self.jobs.shutdown().await;
    }

    fn finish_chat(&mut self) {
        self.receipts.end();
        let _ = self.ended.send(true);
    }

    /// Takes over what a new connection learnt: the token expiry, and items sent before the ack.
    fn adopt(&mut self, conn: &Connection) {
        if let Some(expiry) = conn.token_expiry {
            self.token_refresh_at = Some(expiry.checked_sub(self.options.token_refresh_margin).unwrap_or(expiry));
        }
    }

    /// Reads one socket until it dies, must be replaced, the chat ends or the session closes.
    async fn serve(&mut self, conn: &mut Connection) -> Outcome {
        for item in std::mem::take(&mut conn.early) {
            if self.deliver_json(&item) {
                return Outcome::Ended;
            }
        }
        // On open: a ping, then a heartbeat; each must be answered before the next tick.
        if let Err(e) = keepalive(&mut conn.socket).await {
            return Outcome::Lost(e);
        }
        let (mut heartbeat_answered, mut ping_answered) = (false, false);
        let interval = self.options.heartbeat_interval;
        let mut tick = tokio::time::interval_at(Instant::now() + interval, interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let wake = {
                let receipts_due = until(self.receipts.next_due());
                let token_due = until(self.token_refresh_at);
                let (mut replace, mut receipts_due, mut token_due) =
                    (pin!(sleep_until(conn.replace_at)), pin!(receipts_due), pin!(token_due));
                let (socket, commands, jobs) = (&mut conn.socket, &mut self.commands, &mut self.jobs);
                // In this order: frames that have arrived (heartbeat answers among them) are
                // read before any timer judges the socket.
                poll_fn(|cx| {
                    if let Poll::Ready(frame) = socket.poll_next_unpin(cx) {
                        return Poll::Ready(Wake::Frame(frame));
                    }
                    if tick.poll_tick(cx).is_ready() {
                        return Poll::Ready(Wake::Tick);
                    }
                    if replace.as_mut().poll(cx).is_ready() {
                        return Poll::Ready(Wake::Replace);
                    }
                    if receipts_due.as_mut().poll(cx).is_ready() {
                        return Poll::Ready(Wake::Receipts);
                    }
                    if token_due.as_mut().poll(cx).is_ready() {
                        return Poll::Ready(Wake::Token);
                    }
                    if let Poll::Ready(command) = commands.poll_recv(cx) {
                        return Poll::Ready(Wake::Command(command));
                    }
                    if let Poll::Ready(Some(job)) = jobs.poll_join_next(cx) {
                        return Poll::Ready(Wake::Job(job.ok().flatten()));
                    }
                    Poll::Pending
                })
                .await
            };
            match wake {
                Wake::Frame(frame) => {
                    let text = match frame {
                        None => return Outcome::Lost("the socket closed".into()),
                        Some(Err(e)) => return Outcome::Lost(format!("the socket failed: {e}")),
                        Some(Ok(Message::Close(_))) => return Outcome::Lost("the server closed the socket".into()),
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(_)) => continue,
                    };
                    match frames::parse(&text) {
                        Ok(ServerFrame::Heartbeat) => heartbeat_answered = true,
                        Ok(ServerFrame::Ping(ok)) => {
                            ping_answered = true;
                            if !ok {
                                tracing::warn!("the deep heartbeat (ping) failed");
                            }
                        }
                        Ok(ServerFrame::Chat(item)) => {
                            if self.deliver_json(&item) {
                                return Outcome::Ended;
                            }
                        }
                        Ok(ServerFrame::Failure(message)) => {
                            tracing::warn!(%message, "the service reported a socket error")
                        }
                        Ok(ServerFrame::Subscribed(_) | ServerFrame::Ignored) => {}
                        Err(e) => tracing::warn!(error = %e, "malformed frame ignored"),
                    }
                }
                Wake::Tick => {
                    if !heartbeat_answered {
                        return Outcome::Lost("a heartbeat went unanswered".into());
                    }
                    if !ping_answered {
                        tracing::warn!("a deep heartbeat (ping) went unanswered");
                    }
                    if let Err(e) = keepalive(&mut conn.socket).await {
                        return Outcome::Lost(e);
                    }
                    (heartbeat_answered, ping_answered) = (false, false);
                }
                Wake::Replace => return Outcome::Replace,
                Wake::Receipts => self.send_receipts(),
                Wake::Token => self.refresh_token().await,
                Wake::Command(command) => {
                    if !self.take(command) {
                        return Outcome::Closed;
                    }
                }
                Wake::Job(sent) => {
                    if let Some(id) = sent {
                        self.note_sent(id);
                    }
                }
            }
        }
    }

    /// Reconnects: a fresh URL at once, then with backoff, until it works, the chat turns out
    /// to have ended (403), a non-retryable error, or the attempt limit.
    async fn reconnect(&mut self) -> Result<Connection, Stop> {
        let mut backoff = Backoff::new(self.options.backoff_base, self.options.backoff_cap);
        let mut attempts = 0;
        loop {
            attempts += 1;
            match open_connection(&self.client, &self.participant_token, &self.options, &self.shared).await {
                Ok(conn) => return Ok(conn),
                Err(e) if e.status() == Some(403) => return Err(Stop::EndedWhileAway),
                Err(e) if e.is_retryable() && attempts < self.options.max_reconnect_attempts => {
                    let delay = backoff.next_delay();
                    tracing::warn!(error = %e, attempt = attempts, ?delay, "reconnect failed; retrying");
                    self.wait(delay).await?;
                }
                Err(e) => return Err(Stop::Failed(ChatError::ReconnectFailed { attempts, last: Box::new(e) })),
            }
        }
    }

    /// Waits while still taking commands (receipts queue up; close stops).
    async fn wait(&mut self, delay: Duration) -> Result<(), Stop> {
        let mut deadline = pin!(sleep_until(Instant::now() + delay));
        loop {
            let command = poll_fn(|cx| {
                if deadline.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(None);
                }
                self.commands.poll_recv(cx).map(Some)
            })
            .await;
            match command {
                None => return Ok(()),
                Some(command) => {
                    if !self.take(command) {
                        return Err(Stop::Closed);
                    }
                }
            }
        }
    }

    /// Takes a command; `false` when the session closes.
    fn take(&mut self, command: Option<Command>) -> bool {
        match command {
            None | Some(Command::Close) => false,
            Some(Command::Receipt { kind, message_id, reply }) => {
                self.receipts.request(kind, message_id, Instant::now(), reply);
                true
            }
            Some(Command::Sent { id }) => {
                self.note_sent(id);
                true
            }
        }
    }

    /// Remembers an id the service gave to a send; its echo, if already here, names us.
    fn note_sent(&mut self, id: String) {
        if self.self_id.is_none()
            && let Some((_, sender)) = self.recent.iter().find(|(seen, _)| *seen == id)
        {
            self.self_id = sender.clone();
        }
        self.sent_ids.insert(id);
    }

    /// Fetches every transcript page after the last item seen and delivers what was missed, in
    /// order; what was already delivered is skipped.
    async fn fill_gap(&mut self) {
        let mut items: Vec<Item> = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let mut request = self
                .client
                .get_transcript(self.shared.token())
                .max_results(100)
                .scan_direction(ScanDirection::Forward)
                .sort_order(SortKey::Ascending);
            if let Some(id) = &self.last_item_id {
                request = request.start_position(StartPosition::new().id(id.clone()));
            }
            if let Some(token) = next_token.take() {
                request = request.next_token(token);
            }
            match request.send().await {
                Ok(page) => {
                    items.extend(page.transcript.unwrap_or_default());
                    match page.next_token {
                        Some(token) => next_token = Some(token),
                        None => break,
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %ChatError::service("GetTranscript", e), "filling the gap failed");
                    break;
                }
            }
        }
        items.sort_by(|a, b| a.absolute_time.cmp(&b.absolute_time));
        for item in items {
            self.deliver(item, None);
        }
    }

    /// Delivers an item from the socket; returns whether it ended the chat.
    fn deliver_json(&mut self, json: &str) -> bool {
        match Item::from_json(json) {
            Ok(item) => self.deliver(item, Some(json.to_owned())),
            Err(e) => {
                tracing::warn!(error = %e, "unreadable chat item ignored");
                false
            }
        }
    }

    /// Delivers an item once; returns whether it ended the chat.
    fn deliver(&mut self, item: Item, raw: Option<String>) -> bool {
        if let Some(identity) = event::identity(&item)
            && !self.seen.insert(identity)
        {
            return false;
        }
        let sender = sender(&item);
        if self.self_id.is_none() && item.id.as_ref().is_some_and(|id| self.sent_ids.contains(id)) {
            self.self_id = sender.clone();
        }
        if let Some(id) = &item.id {
            if self.recent.len() == RECENT {
                self.recent.pop_front();
            }
            self.recent.push_back((id.clone(), sender));
        }
        if !event::is_metadata(&item)
            && !item.content_type.as_deref().is_some_and(|t| t.ends_with(".typing"))
            && let Some(id) = item.id.clone().filter(|id| !id.is_empty())
        {
            self.last_item_id = Some(id);
        }
        self.note_own_receipts(&item);
        let me = SelfInfo { participant_id: self.self_id.as_deref(), sent_ids: &self.sent_ids };
        let mut ended = false;
        for event in event::classify(item, raw, &me) {
            ended |= matches!(event, ChatEvent::ChatEnded { .. });
            self.emit(event);
        }
        ended
    }

    /// Receipts this participant sent, as the service reports them: never sent again.
    fn note_own_receipts(&mut self, item: &Item) {
        let Some(me) = self.self_id.as_deref() else { return };
        let Some(metadata) = &item.message_metadata else { return };
        let Some(message_id) = metadata.message_id.as_deref().or(item.id.as_deref()) else { return };
        for receipt in metadata.receipts.iter().flatten().filter(|r| r.recipient_participant_id.as_deref() == Some(me))
        {
            if receipt.read_timestamp.is_some() {
                self.receipts.note_sent(ReceiptKind::Read, message_id);
            }
            if receipt.delivered_timestamp.is_some() {
                self.receipts.note_sent(ReceiptKind::Delivered, message_id);
            }
        }
    }

    /// Sends the receipts that are due, each in its own job.
    fn send_receipts(&mut self) {
        for batch in self.receipts.take_due(Instant::now()) {
            let client = self.client.clone();
            let token = self.shared.token();
            self.jobs.spawn(async move {
                let content_type = if batch.kind == ReceiptKind::Read {
                    event::content_type::READ
                } else {
                    event::content_type::DELIVERED
                };
                let content = serde_json::json!({ "messageId": batch.message_id }).to_string();
                let result = client.send_event(content_type, token).content(content).send().await;
                let (outcome, sent_id) = match result {
                    Ok(output) => (Ok(receipts::ReceiptOutcome::Sent), output.id),
                    Err(e) => (Err(ChatError::service("SendEvent", e)), None),
                };
                let mut replies = batch.replies.into_iter();
                if let Some(first) = replies.next() {
                    for reply in replies {
                        let shared = match &outcome {
                            Ok(o) => Ok(*o),
                            Err(e) => Err(ChatError::Service {
                                operation: "SendEvent",
                                status: e.status(),
                                message: e.to_string(),
                            }),
                        };
                        let _ = reply.send(shared);
                    }
                    let _ = first.send(outcome);
                }
                sent_id
            });
        }
    }

    /// Asks for a new connection token before the current one expires.
    async fn refresh_token(&mut self) {
        let result = self
            .client
            .create_participant_connection(self.participant_token.expose())
            .r#type([ConnectionType::ConnectionCredentials])
            .send()
            .await;
        let credentials = result.map(|output| output.connection_credentials);
        match credentials {
            Ok(Some(credentials)) if credentials.connection_token.is_some() => {
                let now = Instant::now();
                self.shared.set_token(Secret::new(credentials.connection_token.unwrap_or_default()));
                let expiry = credentials.expiry.as_deref().and_then(clock::until).map(|d| now + d);
                self.token_refresh_at = expiry.map(|e| {
                    e.checked_sub(self.options.token_refresh_margin).unwrap_or(e).max(now + Duration::from_secs(1))
                });
                tracing::debug!("connection token refreshed");
            }
            Ok(_) => {
                tracing::warn!("token refresh: no connection token in the answer; trying again in 5 minutes");
                self.token_refresh_at = Some(Instant::now() + Duration::from_secs(300));
            }
            Err(e) => {
                tracing::warn!(error = %ChatError::service("CreateParticipantConnection", e), "token refresh failed; trying again in 5 minutes");
                self.token_refresh_at = Some(Instant::now() + Duration::from_secs(300));
            }
        }
    }
}

/// Who sent an item: its participant, or for a receipt item (which names no sender) the
/// participant whose receipt it carries.
fn sender(item: &Item) -> Option<String> {
    if event::is_metadata(item) {
        let receipts = item.message_metadata.as_ref().and_then(|m| m.receipts.as_ref());
        return receipts.and_then(|r| r.first()).and_then(|r| r.recipient_participant_id.clone());
    }
    item.participant_id.clone()
}

/// Sleeps until `at`, or forever.
async fn until(at: Option<Instant>) {
    match at {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn keepalive(socket: &mut Socket) -> Result<(), String> {
    for frame in [frames::PING, frames::HEARTBEAT] {
        socket.send(Message::text(frame)).await.map_err(|e| format!("sending a keep-alive failed: {e}"))?;
    }
    Ok(())
}

/// Closes a socket politely (code 1000), without waiting long for a dead peer.
async fn close(socket: &mut Socket) {
    let _ = timeout(Duration::from_secs(2), socket.close(None)).await;
}
