//! What the emulator knows: chats, participants, tokens, sockets, attachments, and the fault
//! switches tests turn on.

use std::collections::{HashMap, VecDeque};
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
}

/// A subscribed socket.
pub(crate) struct SocketEntry {
    pub id: u64,
    pub participant_id: String,
    /// Pushes go only to subscribed sockets.
    pub subscribed: bool,
    pub tx: mpsc::UnboundedSender<Outgoing>,
}

pub(crate) struct Chat {
    pub transcript: Vec<Value>,
    pub ended: bool,
    pub participants: Vec<Participant>,
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
}

/// One REST call as received: which operation and with which bearer token.
#[derive(Debug, Clone)]
pub struct Call {
    pub operation: String,
    pub bearer: Option<String>,
    pub body: Value,
}

/// Something that happened in a chat, for observers (the interactive agent, tests).
#[derive(Debug, Clone)]
pub struct Observed {
    pub contact_id: String,
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
    /// Socket ticket -> (participant id, valid until).
    pub socket_tickets: HashMap<String, (String, Instant)>,
    pub sockets: Vec<SocketEntry>,
    pub next_socket: u64,
    pub attachments: HashMap<String, Attachment>,
    /// Upload or download ticket -> attachment id.
    pub transfer_tickets: HashMap<String, String>,
    pub faults: Faults,
    pub calls: Vec<Call>,
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

    pub(crate) fn deliver_now(&mut self, contact_id: &str, frame: &str) {
        let members: Vec<String> = self
            .chats
            .get(contact_id)
            .map(|c| c.participants.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default();
        self.sockets.retain(|s| {
            if !s.subscribed || !members.contains(&s.participant_id) {
                return true;
            }
            s.tx.send(Outgoing::Text(frame.to_owned())).is_ok()
        });
    }
}
