//! A local emulator of the Amazon Connect Participant Service: the 11 REST operations and the
//! chat WebSocket, on one port of 127.0.0.1, for testing code that uses the `connectparticipant`
//! crate (a bridge, a bot, a contact-flow load test) without an AWS account.
//!
//! It validates requests as the service does (bearer tokens included: participant tokens for
//! CreateParticipantConnection, connection tokens for the rest), hands out
//! `ws://127.0.0.1:PORT/ws?ticket=...` URLs valid for a short, configurable time, acks
//! subscriptions, answers heartbeats and pings, pushes items to every subscribed socket of a
//! chat's participants (the sender's included), pages transcripts, stores attachments at local
//! pre-signed URLs (on disk, streamed), and refuses CreateParticipantConnection with 403 once a
//! chat has ended. Where each behaviour comes from (the model, the official clients, or our
//! choice) is the table in this crate's README.md, checked row by row by `tests/behaviours.rs`.
//!
//! # Depending on it
//!
//! It is not on crates.io: depend on it from your tests by path (a checkout of the project) or
//! by git, beside the generated crate with its `chat` feature:
//!
//! ```toml
//! [dev-dependencies]
//! connectparticipant-emulator = { git = "https://github.com/connectparticipant-codegen/connectparticipant-codegen" }
//! # or: connectparticipant-emulator = { path = "../connectparticipant-codegen/tests/emulator" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [dependencies]
//! connectparticipant = { version = "0.2", features = ["chat"] }
//! ```
//!
//! # A test
//!
//! [`Emulator::start`] listens on a free port (each test its own emulator; it stops when
//! dropped); point the client's `endpoint_url` at [`Emulator::endpoint`].
//! [`Emulator::create_chat`] stands for StartChatContact: a chat with a customer and an agent
//! who has joined, and the customer's participant token, which your code connects with. You
//! play the agent through the emulator. This is the body of a `#[tokio::test]`:
//!
//! ```
//! use connectparticipant::chat::{ChatEvent, ChatSession, ConnectionState};
//! use connectparticipant::transport::Proxy;
//! use connectparticipant::{Client, Config};
//! use connectparticipant_emulator::{Emulator, Refusal};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let emulator = Emulator::start().await;
//! let chat = emulator.create_chat();
//! // No proxy: one named by the environment (HTTPS_PROXY) could not reach this 127.0.0.1.
//! let config = Config::builder()
//!     .region("us-east-1")
//!     .endpoint_url(emulator.endpoint())
//!     .proxy(Proxy::none())
//!     .build()
//!     .unwrap();
//! let client = Client::new(config);
//!
//! // The code under test: here, a customer who connects and greets.
//! let mut session = ChatSession::connect(&client, chat.participant_token.clone()).await.unwrap();
//! session.send_text("hello").await.unwrap();
//!
//! // The agent answers; the customer's session receives it.
//! emulator.agent_send(&chat, "how can I help?");
//! loop {
//!     match session.next_event().await.expect("the session is open") {
//!         ChatEvent::Message { item, from_self: false, .. } => {
//!             assert_eq!(item.content.as_deref(), Some("how can I help?"));
//!             break;
//!         }
//!         _ => {}
//!     }
//! }
//!
//! // What reached the service: the transcript, and the REST calls made.
//! let transcript = emulator.transcript(&chat);
//! let said: Vec<_> = transcript.iter().filter_map(|item| item["Content"].as_str()).collect();
//! assert_eq!(said, ["hello", "how can I help?"]);
//! assert_eq!(emulator.call_count("SendMessage"), 1);
//!
//! // Faults: every socket drops, and the service throttles the first reconnection. The
//! // session reconnects on its own (the client retries the 429).
//! emulator.refuse_connections([Refusal::Status(429)]);
//! emulator.drop_sockets();
//! while session.next_event().await != Some(ChatEvent::Connection(ConnectionState::Restored)) {}
//! assert_eq!(emulator.subscribed_sockets(), 1);
//! assert_eq!(emulator.faults_applied(), 1);
//!
//! // The agent ends the chat.
//! emulator.end_chat(&chat);
//! while !matches!(session.next_event().await, Some(ChatEvent::ChatEnded { .. }) | None) {}
//! session.close().await;
//! # }
//! ```
//!
//! # Playing the agent
//!
//! [`agent_send`](Emulator::agent_send) (a text message), [`agent_event`](Emulator::agent_event)
//! (typing and other events), [`agent_receipt`](Emulator::agent_receipt) (delivered or read),
//! [`push_item`](Emulator::push_item) with [`item`](Emulator::item) (any item, unusual ones
//! included), [`end_chat`](Emulator::end_chat). What the customer does shows in
//! [`observe`](Emulator::observe) (every item pushed, as it is pushed),
//! [`transcript`](Emulator::transcript), [`calls`](Emulator::calls) and
//! [`call_count`](Emulator::call_count); [`open_sockets`](Emulator::open_sockets) and
//! [`subscribed_sockets`](Emulator::subscribed_sockets) count the customer's sockets.
//!
//! # Persistent chats and streamed messages
//!
//! [`Emulator::continue_chat`] starts a contact that continues an earlier one (its transcript
//! opens with `chat.rehydrated`, pushed to the first socket that subscribes), and GetTranscript
//! reads any earlier contact of the chain by its `ContactId`. [`Emulator::bot_stream`] pushes a
//! bot's answer in chunks; [`Emulator::stream_chunks`] makes the chunks for a test to push in any
//! order.
//!
//! # Fault switches
//!
//! On the emulator (over real TCP and in memory alike):
//! [`drop_sockets`](Emulator::drop_sockets), [`answer_heartbeats`](Emulator::answer_heartbeats),
//! [`acknowledge_subscriptions`](Emulator::acknowledge_subscriptions),
//! [`close_after_subscribe`](Emulator::close_after_subscribe),
//! [`refuse_connections`](Emulator::refuse_connections) (403 / 429 / 5xx, or a delay),
//! [`send_raw_frame`](Emulator::send_raw_frame) (malformed, unknown or oversized frames),
//! [`send_invalid_utf8`](Emulator::send_invalid_utf8),
//! [`duplicate_pushes`](Emulator::duplicate_pushes), [`hold_pushes`](Emulator::hold_pushes) and
//! [`release_reversed`](Emulator::release_reversed) (reordering),
//! [`skew_expiries`](Emulator::skew_expiries) (a server clock that is off),
//! [`fail_uploads`](Emulator::fail_uploads). [`faults_applied`](Emulator::faults_applied)
//! counts those that took effect.
//!
//! On the in-memory link ([`Emulator::link_faults`]): latency, half-open sockets, resets in the
//! middle of a frame, REST answers that stall or trickle.
//!
//! # Paused clock, TLS
//!
//! Tests of timing (heartbeats, backoff, expiries) run on tokio's paused clock; connections over
//! real sockets would let virtual time jump while they wait, so such tests reach the emulator
//! through [`Emulator::memory_link`] instead, with an `HttpClient` and a `SocketConnector` of
//! the client that open [`MemoryLink`] streams.
//!
//! [`EmulatorConfig::tls`] serves HTTPS and `wss://` with a certificate of yours, to test what
//! the client trusts (`connectparticipant::transport::Tls`).
//!
//! The `connectparticipant-emulator` binary (`cargo xtask emulator`) uses this API to let a
//! person play the agent.

#![warn(missing_docs)]

mod chain;
pub mod checks;
mod files;
mod http;
mod items;
mod link;
mod rest;
mod state;
mod streaming;
mod transcript;
mod ws;

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::broadcast;

pub use items::{EVENT, Participant, new_id};
pub use link::{LinkFaults, LinkStream, MemoryLink, RestFault};
pub use state::{Call, Observed, Refusal};
/// The rustls crate, whose [`ServerConfig`](rustls::ServerConfig) the TLS mode
/// ([`EmulatorConfig::tls`]) takes.
pub use tokio_rustls::rustls;

use state::{Chat, Outgoing, State};

/// Emulator settings. Set what you need and take the rest from `Default`
/// (`EmulatorConfig { port: 8787, ..EmulatorConfig::default() }`).
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// How long a socket URL can be used (the service: 100 s).
    pub url_validity: Duration,
    /// How long a connection token lives (the service: 1 day).
    pub token_lifetime: Duration,
    /// Serve HTTPS and `wss://` with this server configuration (its certificate must be valid
    /// for `127.0.0.1`) instead of plain HTTP and `ws://`: to test what a client trusts. `None`
    /// (the default): plain.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self { port: 0, url_validity: Duration::from_secs(100), token_lifetime: Duration::from_secs(86_400), tls: None }
    }
}

/// The tokens and ids of a new chat.
#[derive(Debug, Clone)]
pub struct NewChat {
    /// The contact id (StartChatContact's `ContactId`).
    pub contact_id: String,
    /// The customer's participant token (what a client connects with).
    pub participant_token: String,
    /// The customer: the participant the token is for.
    pub customer: Participant,
    /// The agent, played through the emulator's `agent_*` methods.
    pub agent: Participant,
}

/// How many entries the emulator's tables hold; see [`Emulator::bookkeeping`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Bookkeeping {
    /// Open sockets.
    pub sockets: usize,
    /// Socket URLs handed out and not yet pruned (expired ones go as the table grows).
    pub socket_urls: usize,
    /// Connection tokens (at most 16 per participant).
    pub connection_tokens: usize,
    /// Pre-signed upload and download URLs not yet pruned.
    pub transfer_urls: usize,
    /// REST calls in the log (at most 4096).
    pub calls: usize,
}

/// A running emulator; stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<State>,
    link_faults: LinkFaults,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.accept.abort();
        self.drop_sockets();
        let _ = std::fs::remove_dir_all(&self.state.files);
    }
}

impl Emulator {
    /// Starts an emulator on a free port with the default settings.
    pub async fn start() -> Self {
        Self::start_with(EmulatorConfig::default()).await.expect("the emulator starts on 127.0.0.1")
    }

    /// Starts an emulator.
    pub async fn start_with(config: EmulatorConfig) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let files =
            std::env::temp_dir().join(format!("connectparticipant-emulator-{}-{}", std::process::id(), new_id()));
        std::fs::create_dir_all(&files)?;
        let (observers, _) = broadcast::channel(1024);
        let (http, ws) = if config.tls.is_some() { ("https", "wss") } else { ("http", "ws") };
        let state = Arc::new(State {
            inner: Default::default(),
            observers,
            base_url: format!("{http}://{addr}"),
            socket_base: format!("{ws}://{addr}"),
            url_validity: config.url_validity,
            token_lifetime: config.token_lifetime,
            files,
        });
        let shared = Arc::clone(&state);
        let tls = config.tls.map(tokio_rustls::TlsAcceptor::from);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (state, tls) = (Arc::clone(&shared), tls.clone());
                tokio::spawn(async move {
                    match tls {
                        None => serve(state, stream).await,
                        // A client that refuses the certificate ends the handshake: nothing to
                        // serve.
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(stream).await {
                                serve(state, stream).await;
                            }
                        }
                    }
                });
            }
        });
        Ok(Self { addr, state, link_faults: LinkFaults::default(), accept })
    }

    /// A way to reach this emulator without the network: each [`MemoryLink::open`] is a new
    /// in-memory connection to it, served as a TCP connection would be.
    ///
    /// Tests on tokio's paused clock need this: there, time jumps whenever the runtime waits on
    /// the operating system, so a wait on a real socket would make timers fire early; in-memory
    /// connections wake their peer directly.
    pub fn memory_link(&self) -> MemoryLink {
        MemoryLink { state: Arc::clone(&self.state), faults: self.link_faults.clone() }
    }

    /// The fault layer of every [`MemoryLink`] of this emulator: latency, stalls, resets in the
    /// middle of a frame, stalled or trickling REST responses.
    pub fn link_faults(&self) -> &LinkFaults {
        &self.link_faults
    }

    /// The endpoint URL to configure the client with (`https://` in TLS mode).
    pub fn endpoint(&self) -> String {
        self.state.base_url.clone()
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Starts a chat between a customer and an agent (who has joined); returns the customer's
    /// participant token.
    pub fn create_chat(&self) -> NewChat {
        let contact_id = new_id();
        let customer = Participant { id: new_id(), display_name: "Customer".into(), role: "CUSTOMER" };
        let agent = Participant { id: new_id(), display_name: "Agent".into(), role: "AGENT" };
        let participant_token = format!("{}{}", new_id(), new_id()).replace('-', "");
        let joined = items::item("EVENT", Some(&format!("{EVENT}participant.joined")), None, &agent, &contact_id);
        let mut inner = self.state.lock();
        inner.chats.insert(contact_id.clone(), Chat::new(vec![joined], vec![customer.clone(), agent.clone()]));
        for participant in [&customer, &agent] {
            inner.participants.insert(participant.id.clone(), (contact_id.clone(), participant.clone()));
        }
        inner.participant_tokens.insert(participant_token.clone(), customer.id.clone());
        NewChat { contact_id, participant_token, customer, agent }
    }

    /// The agent sends a text message; returns its id.
    pub fn agent_send(&self, chat: &NewChat, text: &str) -> String {
        let item = items::item("MESSAGE", Some("text/plain"), Some(text), &chat.agent, &chat.contact_id);
        self.push_item(&chat.contact_id, item, true)
    }

    /// The agent sends an event (`content_type` such as `...event.typing`).
    pub fn agent_event(&self, chat: &NewChat, content_type: &str, keep: bool) -> String {
        let item = items::item("EVENT", Some(content_type), None, &chat.agent, &chat.contact_id);
        self.push_item(&chat.contact_id, item, keep)
    }

    /// The agent marks a message read (or delivered).
    pub fn agent_receipt(&self, chat: &NewChat, message_id: &str, read: bool) {
        let item = items::receipt(message_id, read, &chat.agent);
        self.push_item(&chat.contact_id, item, false);
    }

    /// Pushes any item (kept in the transcript when `keep`); returns its `Id`.
    pub fn push_item(&self, contact_id: &str, item: Value, keep: bool) -> String {
        let id = item["Id"].as_str().unwrap_or_default().to_owned();
        self.state.lock().push(&self.state.observers, contact_id, item, keep);
        id
    }

    /// A new item from `from`, not pushed: for tests that build unusual items.
    pub fn item(&self, chat: &NewChat, kind: &str, content_type: Option<&str>, content: Option<&str>) -> Value {
        items::item(kind, content_type, content, &chat.agent, &chat.contact_id)
    }

    /// Ends the chat (as when the agent leaves): chat.ended is pushed, reconnects get 403.
    pub fn end_chat(&self, chat: &NewChat) {
        rest::end_chat(&mut self.state.lock(), &self.state.observers, &chat.contact_id);
    }

    /// The chat's transcript.
    pub fn transcript(&self, chat: &NewChat) -> Vec<Value> {
        self.state.lock().chats.get(&chat.contact_id).map(|c| c.transcript.clone()).unwrap_or_default()
    }

    /// Everything pushed from now on, in every chat.
    pub fn observe(&self) -> broadcast::Receiver<Observed> {
        self.state.observers.subscribe()
    }

    /// The REST calls received so far (after the service's checks passed), oldest first: the
    /// latest 4096, so that a long run does not grow the log without bound.
    pub fn calls(&self) -> Vec<Call> {
        self.state.lock().calls.iter().cloned().collect()
    }

    /// How many calls of `operation` (such as `"GetTranscript"`) were received.
    pub fn call_count(&self, operation: &str) -> usize {
        self.state.lock().call_counts.get(operation).copied().unwrap_or(0)
    }

    /// How many sockets are open (subscribed or not).
    pub fn open_sockets(&self) -> usize {
        self.state.lock().sockets.len()
    }

    /// How many sockets are subscribed.
    pub fn subscribed_sockets(&self) -> usize {
        self.state.lock().sockets.values().filter(|s| s.subscribed).count()
    }

    // Fault switches.

    /// Drops every open socket at once, without a close frame.
    pub fn drop_sockets(&self) {
        for socket in std::mem::take(&mut self.state.lock().sockets).into_values() {
            // A full queue: dropping the sender closes the socket once the queue is sent.
            let _ = socket.tx.try_send(Outgoing::Drop);
        }
    }

    /// Closes each of the next `count` sockets right after acknowledging its subscription.
    pub fn close_after_subscribe(&self, count: usize) {
        self.state.lock().faults.close_after_subscribe = count;
    }

    /// Sends a text frame whose payload is not UTF-8 to every subscribed socket of the chat.
    pub fn send_invalid_utf8(&self, chat: &NewChat) {
        let mut inner = self.state.lock();
        inner.faults.applied += 1;
        inner.send_outgoing(&chat.contact_id, || Outgoing::InvalidUtf8);
    }

    /// States every expiry time (connection token, socket URL, pre-signed URLs) `seconds` later
    /// than the truth (negative: earlier), as a server whose clock is off would; what the
    /// emulator enforces is unchanged.
    pub fn skew_expiries(&self, seconds: i64) {
        self.state.lock().faults.expiry_skew = seconds;
    }

    /// How many server-side fault switches took effect (closes after an acknowledgement,
    /// invalid frames sent, refusals answered).
    pub fn faults_applied(&self) -> u64 {
        self.state.lock().faults.applied
    }

    /// The sizes of the emulator's bookkeeping tables, to check that they stay bounded.
    pub fn bookkeeping(&self) -> Bookkeeping {
        let inner = self.state.lock();
        Bookkeeping {
            sockets: inner.sockets.len(),
            socket_urls: inner.socket_tickets.len(),
            connection_tokens: inner.connection_tokens.len(),
            transfer_urls: inner.transfer_tickets.len(),
            calls: inner.calls.len(),
        }
    }

    /// Stops (or resumes) answering heartbeats and pings.
    pub fn answer_heartbeats(&self, answer: bool) {
        self.state.lock().faults.silent_heartbeats = !answer;
    }

    /// Stops (or resumes) acknowledging subscriptions.
    pub fn acknowledge_subscriptions(&self, acknowledge: bool) {
        self.state.lock().faults.silent_subscribe = !acknowledge;
    }

    /// The next CreateParticipantConnection calls are answered by these refusals, in order.
    pub fn refuse_connections(&self, refusals: impl IntoIterator<Item = Refusal>) {
        self.state.lock().faults.refusals.extend(refusals);
    }

    /// Sends every push twice (or once again).
    pub fn duplicate_pushes(&self, duplicate: bool) {
        self.state.lock().faults.duplicate_pushes = duplicate;
    }

    /// Holds pushes back until [`release_reversed`](Self::release_reversed).
    pub fn hold_pushes(&self) {
        self.state.lock().faults.hold_pushes = true;
    }

    /// Sends the held pushes, last first, and stops holding.
    pub fn release_reversed(&self) {
        let mut inner = self.state.lock();
        inner.faults.hold_pushes = false;
        let held = std::mem::take(&mut inner.faults.held);
        for (contact_id, frame) in held.into_iter().rev() {
            inner.deliver_now(&contact_id, &frame);
        }
    }

    /// Sends a raw text frame to every subscribed socket of the chat.
    pub fn send_raw_frame(&self, chat: &NewChat, frame: &str) {
        self.state.lock().send_frame(&chat.contact_id, frame.to_owned());
    }

    /// Answers attachment uploads with this status (or normally again with `None`).
    pub fn fail_uploads(&self, status: Option<u16>) {
        self.state.lock().faults.upload_status = status;
    }

    /// Where attachments are stored.
    pub fn files_dir(&self) -> PathBuf {
        self.state.files.clone()
    }
}

/// Serves one connection: HTTP/1.1 with upgrades (for the WebSocket).
pub(crate) async fn serve(
    state: Arc<State>,
    io: impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static,
) {
    let service = hyper::service::service_fn(move |request| handle(Arc::clone(&state), request));
    // Errors here are clients going away: nothing to do.
    let _ =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(io), service).with_upgrades().await;
}

async fn handle(state: Arc<State>, request: Request<Incoming>) -> Result<Response<http::Body>, io::Error> {
    let path = request.uri().path().to_owned();
    if let Some(ticket) = path.strip_prefix("/upload/") {
        return Ok(files::upload(&state, ticket, request).await);
    }
    if let Some(ticket) = path.strip_prefix("/download/") {
        return Ok(files::download(&state, ticket).await);
    }
    if path == "/ws" {
        return Ok(ws::upgrade(&state, request));
    }
    let routed = checks::route("", request.method(), &path);
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map_err(io::Error::other)?.to_bytes();
    let (op, view_token) = match routed {
        Ok(routed) => routed,
        Err(message) => return Ok(http::error(404, "UnknownOperationException", &message)),
    };
    let request = checks::RequestParts {
        headers: &parts.headers,
        query: parts.uri.query(),
        body: &body,
        view_token: view_token.as_deref(),
    };
    if let Err(problem) = checks::check(op, &request) {
        return Ok(http::error(400, "ValidationException", &format!("{op}: {problem}")));
    }
    let bearer = parts.headers.get("x-amz-bearer").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let json: Value = if body.is_empty() { Value::Null } else { serde_json::from_slice(&body).unwrap_or(Value::Null) };
    Ok(rest::answer(&state, op, bearer, json).await)
}
