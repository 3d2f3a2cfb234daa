//! What the emulator knows: chats, participants, tokens, sockets, attachments, and the fault
//! switches tests turn on.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;

use crate::items::{self, Participant};

/// What a socket task is told to do.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// Send a text frame.
    Text(String),
    /// Drop the connection at once, without a close frame.
    Drop,
    /// Send a text frame whose payload is not UTF-8.
    InvalidUtf8,
}

/// A subscribed socket.
pub(crate) struct SocketEntry {
    pub participant_id: String,
    /// Pushes go only to subscribed sockets.
    pub subscribed: bool,
    pub tx: mpsc::Sender<Outgoing>,
}

/// How many frames may wait for one socket: a client that reads nothing for that long is cut
/// off (as a server protects itself from a stalled consumer) instead of the queue growing.
pub(crate) const SOCKET_QUEUE: usize = 4096;

/// How many REST calls are remembered for [`Emulator::calls`](crate::Emulator::calls) (their
/// counts per operation are kept whole).
pub(crate) const CALL_LOG: usize = 4096;

/// How many connection tokens one participant holds at once: each CreateParticipantConnection
/// adds one, valid a day, so a client reconnecting in a loop would otherwise grow the table
/// without bound. The oldest beyond this stop working (not documented: our choice).
pub(crate) const TOKENS_PER_PARTICIPANT: usize = 16;

pub(crate) struct Chat {
    pub transcript: Vec<Value>,
    pub ended: bool,
    pub participants: Vec<Participant>,
    /// The contact this one continues (a persistent chat), if any.
    pub previous: Option<String>,
    /// The `chat.rehydrated` event still to push, to the first socket that subscribes.
    pub rehydration: Option<Value>,
}

pub(crate) struct Attachment {
    pub contact_id: String,
    pub from: Participant,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub path: PathBuf,
    pub uploaded: bool,
    pub completed: bool,
}

/// How CreateParticipantConnection answers, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An error with this HTTP status (403 access denied, 429 throttling, 5xx server error).
    Status(u16),
    /// Answers normally after this delay.
    Delay(Duration),
}

/// A table of short-lived entries (socket URLs, pre-signed URLs), pruned of expired ones as it
/// grows, so that it holds no more than what is still valid (and at most twice that).
pub(crate) struct Expiring<V> {
    entries: HashMap<String, (V, Instant)>,
    prune_at: usize,
}

impl<V> Default for Expiring<V> {
    fn default() -> Self {
        Self { entries: HashMap::new(), prune_at: 64 }
    }
}

impl<V> Expiring<V> {
    pub(crate) fn insert(&mut self, key: String, value: V, until: Instant) {
        if self.entries.len() >= self.prune_at {
            let now = Instant::now();
            self.entries.retain(|_, (_, until)| *until >= now);
            self.prune_at = (self.entries.len() * 2).max(64);
        }
        self.entries.insert(key, (value, until));
    }

    /// The entry and whether it is still valid.
    pub(crate) fn get(&self, key: &str) -> Option<(&V, bool)> {
        self.entries.get(key).map(|(value, until)| (value, Instant::now() <= *until))
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The fault switches.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pub silent_heartbeats: bool,
    pub silent_subscribe: bool,
    pub refusals: VecDeque<Refusal>,
    pub duplicate_pushes: bool,
    pub hold_pushes: bool,
    pub held: Vec<(String, String)>,
    pub upload_status: Option<u16>,
    /// How many of the next sockets are closed right after their subscription is acknowledged.
    pub close_after_subscribe: usize,
    /// Seconds added to every expiry time the emulator states (negative: earlier), as if its
    /// clock were off; what it enforces is unchanged.
    pub expiry_skew: i64,
    /// How many fault-switch actions took effect (closes after acks, invalid frames sent).
    pub applied: u64,
}

/// One REST call as received: which operation and with which bearer token.
#[derive(Debug, Clone)]
pub struct Call {
    /// The operation's name (`SendMessage`).
    pub operation: String,
    /// When it arrived (tokio's clock: virtual time on the paused clock).
    pub at: Instant,
    /// The `X-Amz-Bearer` token it carried.
    pub bearer: Option<String>,
    /// Its JSON body (`null` when it had none).
    pub body: Value,
}

/// Something that happened in a chat, for observers (the interactive agent, tests).
#[derive(Debug, Clone)]
pub struct Observed {
    /// The chat's contact id.
    pub contact_id: String,
    /// The item pushed, as the service's JSON (`Id`, `Type`, `ContentType`, `Content`...).
    pub item: Value,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub chats: HashMap<String, Chat>,
    /// Participant id -> (contact id, participant).
    pub participants: HashMap<String, (String, Participant)>,
    pub participant_tokens: HashMap<String, String>,
    /// Connection token -> (participant id, expiry).
    pub connection_tokens: HashMap<String, (String, SystemTime)>,
    /// Participant id -> their connection tokens, oldest first.
    pub tokens_of: HashMap<String, VecDeque<String>>,
    /// Socket ticket -> participant id.
    pub socket_tickets: Expiring<String>,
    /// By socket id: opening, subscribing and closing one socket stay cheap with 10,000 open
    /// (`cargo xtask bench --chat`).
    pub sockets: BTreeMap<u64, SocketEntry>,
    pub next_socket: u64,
    pub attachments: HashMap<String, Attachment>,
    /// Upload or download ticket -> attachment id.
    pub transfer_tickets: Expiring<String>,
    pub faults: Faults,
    /// The latest calls, at most [`CALL_LOG`].
    pub calls: VecDeque<Call>,
    pub call_counts: HashMap<String, usize>,
}

pub(crate) struct State {
    pub inner: Mutex<Inner>,
    pub observers: broadcast::Sender<Observed>,
    pub base_url: String,
    pub socket_base: String,
    pub url_validity: Duration,
    pub token_lifetime: Duration,
    pub files: PathBuf,
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    /// The participant a connection token belongs to, if it is known and not expired.
    pub(crate) fn by_connection_token(&self, token: &str) -> Option<(String, Participant)> {
        let (participant_id, expiry) = self.connection_tokens.get(token)?;
        if *expiry < SystemTime::now() {
            return None;
        }
        self.participants.get(participant_id).cloned()
    }

    /// Sends `item` to every subscribed socket of the chat (the sender's included) and tells
    /// the observers; adds it to the transcript when `keep`.
    pub(crate) fn push(&mut self, observers: &broadcast::Sender<Observed>, contact_id: &str, item: Value, keep: bool) {
        let Some(chat) = self.chats.get_mut(contact_id) else { return };
        if keep {
            chat.transcript.push(item.clone());
        }
        let _ = observers.send(Observed { contact_id: contact_id.to_owned(), item: item.clone() });
        let frame = items::envelope(&item);
        self.send_frame(contact_id, frame);
    }

    /// Sends a raw frame to every subscribed socket of the chat, through the push faults.
    pub(crate) fn send_frame(&mut self, contact_id: &str, frame: String) {
        if self.faults.hold_pushes {
            self.faults.held.push((contact_id.to_owned(), frame));
            return;
        }
        let copies = if self.faults.duplicate_pushes { 2 } else { 1 };
        for _ in 0..copies {
            self.deliver_now(contact_id, &frame);
        }
    }

    /// Records a call: in the bounded log, and in the counts.
    pub(crate) fn record(&mut self, call: Call) {
        *self.call_counts.entry(call.operation.clone()).or_default() += 1;
        if self.calls.len() == CALL_LOG {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }

    /// A new connection token for a participant; its oldest beyond [`TOKENS_PER_PARTICIPANT`]
    /// is forgotten.
    pub(crate) fn add_connection_token(&mut self, token: String, participant_id: &str, expiry: SystemTime) {
        let held = self.tokens_of.entry(participant_id.to_owned()).or_default();
        if held.len() == TOKENS_PER_PARTICIPANT
            && let Some(oldest) = held.pop_front()
        {
            self.connection_tokens.remove(&oldest);
        }
        held.push_back(token.clone());
        self.connection_tokens.insert(token, (participant_id.to_owned(), expiry));
    }

    pub(crate) fn deliver_now(&mut self, contact_id: &str, frame: &str) {
        self.send_outgoing(contact_id, || Outgoing::Text(frame.to_owned()));
    }

    /// Queues what `make` gives on every subscribed socket of the chat's participants.
    pub(crate) fn send_outgoing(&mut self, contact_id: &str, make: impl Fn() -> Outgoing) {
        let members: Vec<String> = self
            .chats
            .get(contact_id)
            .map(|c| c.participants.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default();
        self.sockets.retain(|_, s| {
            if !s.subscribed || !members.contains(&s.participant_id) {
                return true;
            }
            // A socket whose queue is full is cut off (it closes once its queue is sent).
            s.tx.try_send(make()).is_ok()
        });
    }
}
