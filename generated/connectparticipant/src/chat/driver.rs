//! The session's one background task: it owns the socket and every piece of state the session
//! keeps. Its jobs each have their own file: serving a socket (`serve.rs`), reconnecting
//! (`reconnect.rs`), filling gaps (`gap_fill.rs`), filtering duplicates and delivering
//! (`delivery.rs`), receipts and token refresh (`upkeep.rs`).
//!
//! Network calls that take time (a socket replacement, a gap fill, a token refresh, receipts)
//! run as jobs in a `JoinSet` the task owns, and their results come back to its loop, so that
//! one stalled answer never stops heartbeats or events. Stopping the task (close, drop, chat
//! end) stops every job with it.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Client;
use crate::types::Item;

use super::backoff::Backoff;
use super::connect::{self, Connection};
use super::error::ChatError;
use super::event::{ChatEvent, ConnectionState, ErrorEvent, ReceiptKind};
use super::options::ChatOptions;
use super::receipts::{self, Receipts};
use super::secret::Secret;
use super::streams::Streams;
use super::window::Window;

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

    pub(crate) fn set_token(&self, token: Secret) {
        *self.token.write().unwrap_or_else(|e| e.into_inner()) = token;
    }
}

/// How many recent items are remembered to match against ids the service gives to sends.
pub(crate) const RECENT: usize = 256;
/// How many delivered items (and ids of own sends) are remembered to drop duplicates: a
/// duplicate older than this many items is not expected (the transcript read after a reconnect
/// starts at the last item delivered).
pub(crate) const DUPLICATE_WINDOW: usize = 1024;

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

/// What a job of the task came back with.
pub(crate) enum Done {
    /// A receipt call finished: whether the service took it, and the id it gave it.
    Receipt { kind: ReceiptKind, message_id: String, accepted: bool, id: Option<String> },
    /// A token refresh finished.
    Token(Result<(Secret, Option<Instant>), ChatError>),
    /// A gap fill (of fill number `round`) finished: the items it read, and why it stopped short.
    Filled { round: u64, items: Vec<Item>, error: Option<ChatError> },
    /// A replacement socket is open (or could not be).
    Replaced(Box<Result<Connection, ChatError>>),
    /// Nothing to report (an old socket closed).
    Nothing,
}

/// Why the task stops.
pub(crate) enum Stop {
    Closed,
    Ended,
    /// CreateParticipantConnection answered 403 after a loss: the chat ended meanwhile.
    EndedWhileAway,
    Failed(ChatError),
}

/// What the task is started with.
pub(crate) struct Setup {
    pub client: Client,
    pub participant_token: Secret,
    pub participant_id: Option<String>,
    pub options: Arc<ChatOptions>,
    pub shared: Arc<Shared>,
    pub events: mpsc::Sender<Box<ChatEvent>>,
    pub commands: mpsc::UnboundedReceiver<Box<Command>>,
    pub ended: watch::Sender<bool>,
}

pub(crate) struct Driver {
    pub(super) client: Client,
    pub(super) participant_token: Secret,
    pub(super) options: Arc<ChatOptions>,
    pub(super) shared: Arc<Shared>,
    /// Events for the application, boxed: the channel allocates its slots in blocks of 32,
    /// and a block of boxes is 256 bytes where one of events would be about 12 KiB per session.
    pub(super) events: mpsc::Sender<Box<ChatEvent>>,
    /// Boxed, as the events are: the channel's first block of 32 is then 256 bytes, not 1.3 KiB.
    pub(super) commands: mpsc::UnboundedReceiver<Box<Command>>,
    pub(super) ended: watch::Sender<bool>,
    /// Events dropped because the application fell behind, not yet reported.
    pub(super) lagged: u64,
    /// Hashes of the identities of the items delivered lately.
    pub(super) seen: Window<u64>,
    /// The last item delivered (id and time): where the next gap fill starts.
    pub(super) last_item: Option<(String, Option<String>)>,
    pub(super) self_id: Option<String>,
    /// Ids of what this participant sent lately.
    pub(super) sent_ids: Window<String>,
    /// Recent items (id, sender): the echo of a send may arrive before the send's answer.
    pub(super) recent: std::collections::VecDeque<(String, Option<String>)>,
    pub(super) receipts: Receipts,
    pub(super) jobs: JoinSet<Done>,
    /// Reconnect delays: kept across losses, reset only after a socket stayed healthy.
    pub(super) backoff: Backoff,
    pub(super) token_refresh_at: Option<Instant>,
    /// The current shortest time to the next refresh (grows while expiries look already due).
    pub(super) refresh_floor: Duration,
    pub(super) refreshing: bool,
    pub(super) replacing: bool,
    /// The gap fill under way (its round), if any: live items wait in `held` until it is done.
    pub(super) filling: Option<u64>,
    pub(super) fill_round: u64,
    /// Whether the fill under way says `Restored` when it succeeds.
    pub(super) announce_fill: bool,
    pub(super) held: Vec<String>,
    /// Streamed messages under way.
    pub(super) streams: Streams,
}

impl Driver {
    pub(crate) fn new(setup: Setup) -> Self {
        let Setup { client, participant_token, participant_id, options, shared, events, commands, ended } = setup;
        let receipts = Receipts::new(options.receipt_window, options.delivered_delay, options.throttle_receipts);
        Self {
            client,
            participant_token,
            backoff: Backoff::new(options.backoff_base, options.backoff_cap),
            refresh_floor: options.token_refresh_floor,
            options,
            shared,
            events,
            commands,
            ended,
            lagged: 0,
            seen: Window::new(DUPLICATE_WINDOW),
            last_item: None,
            self_id: participant_id,
            sent_ids: Window::new(DUPLICATE_WINDOW),
            recent: std::collections::VecDeque::new(),
            receipts,
            jobs: JoinSet::new(),
            token_refresh_at: None,
            refreshing: false,
            replacing: false,
            filling: None,
            fill_round: 0,
            announce_fill: false,
            held: Vec::new(),
            streams: Streams::default(),
        }
    }

    pub(crate) async fn run(mut self, mut conn: Connection) {
        self.adopt(&mut conn);
        let stop = loop {
            match self.serve(&mut conn).await {
                Err(stop) => break stop,
                Ok(why) => {
                    tracing::warn!(reason = %why, "chat connection lost; reconnecting");
                    self.emit(ChatEvent::Connection(ConnectionState::Lost));
                    if conn.opened.elapsed() >= self.options.healthy_after {
                        self.backoff.reset();
                    }
                    match self.reconnect().await {
                        Ok(new) => {
                            conn = new;
                            self.adopt(&mut conn);
                            self.start_fill(true);
                        }
                        Err(stop) => break stop,
                    }
                }
            }
        };
        match stop {
            Stop::Closed => connect::close(&mut conn.socket).await,
            Stop::Ended => {
                self.finish_chat();
                connect::close(&mut conn.socket).await;
            }
            Stop::EndedWhileAway => {
                self.finish_chat();
                self.emit_final(ChatEvent::ChatEnded { item: None }).await;
            }
            Stop::Failed(error) => {
                tracing::warn!(error = %error, "chat session stopped");
                self.finish_chat();
                self.emit_final(ChatEvent::Failed(ErrorEvent(Arc::new(error)))).await;
            }
        }
        self.jobs.shutdown().await;
        self.emit_final(ChatEvent::Connection(ConnectionState::Ended)).await;
    }

    /// Nothing more can happen in the chat: receipts stop, `has_ended` turns true.
    fn finish_chat(&mut self) {
        self.receipts.end();
        let _ = self.ended.send(true);
    }

    /// Takes over what a new connection brought: its token and the token's expiry.
    pub(super) fn adopt(&mut self, conn: &mut Connection) {
        self.shared.set_token(conn.token.clone());
        self.schedule_refresh(conn.token_expiry);
    }
}

#[cfg(test)]
mod tests {
    /// The size of the future an async fn of two arguments returns, without calling it.
    fn future_size<A, B, F: std::future::Future>(_: impl FnOnce(A, B) -> F) -> usize {
        std::mem::size_of::<F>()
    }

    /// Each session's task holds this future for its whole life (3.5 KiB when this was
    /// written): a state that grows it (a large future awaited in place) costs every session.
    #[test]
    fn the_session_task_stays_small() {
        let size = future_size(super::Driver::run);
        assert!(size <= 4096, "the session task's future is {size} bytes");
    }
}
