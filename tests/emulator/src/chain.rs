//! Persistent chats: a contact that continues an earlier one, so that contacts form a chain
//! (README rows `persistent_chain`, `rehydrated_event`, `transcript_of_chain`).
//!
//! The model says GetTranscript's `ContactId` is "the contactId from the current contact chain
//! for which transcript is needed", and that an item's `RelatedContactId` is "only populated for
//! persistent chats when the transcript item is from the past chat session" while `ContactId` is
//! populated "only when the transcript item is from the current chat session". The official
//! clients know the `chat.rehydrated` content type (CHAT-PROTOCOL.md §2); when the service sends
//! it and what else it carries is not documented: the emulator keeps it first in the new
//! contact's transcript and pushes it to the first socket that subscribes (our choice).

use std::borrow::Cow;

use serde_json::Value;

use crate::items::{self, EVENT, Participant, new_id};
use crate::state::{Chat, Inner, Outgoing};
use crate::{Emulator, NewChat};

impl Emulator {
    /// Starts a persistent chat that continues `previous` (as StartChatContact with
    /// `PersistentChat.SourceContactId`): a new contact, a new customer and agent, a
    /// `chat.rehydrated` event first in its transcript. `previous` is left as it is.
    pub fn continue_chat(&self, previous: &NewChat) -> NewChat {
        let chat = self.create_chat();
        let system = Participant { id: new_id(), display_name: "SYSTEM".into(), role: "SYSTEM" };
        let rehydrated =
            items::item("EVENT", Some(&format!("{EVENT}chat.rehydrated")), None, &system, &chat.contact_id);
        let mut inner = self.state.lock();
        if let Some(new) = inner.chats.get_mut(&chat.contact_id) {
            new.previous = Some(previous.contact_id.clone());
            new.transcript.insert(0, rehydrated.clone());
            new.rehydration = Some(rehydrated);
        }
        chat
    }
}

impl Inner {
    /// Pushes the rehydration event of the chat of the socket's participant, once.
    pub(crate) fn subscribed(&mut self, socket: u64) {
        let Some(participant) = self.sockets.get(&socket).map(|s| s.participant_id.clone()) else { return };
        let Some((contact_id, _)) = self.participants.get(&participant) else { return };
        let Some(item) = self.chats.get_mut(contact_id).and_then(|c| c.rehydration.take()) else { return };
        if let Some(entry) = self.sockets.get(&socket) {
            let _ = entry.tx.try_send(Outgoing::Text(items::envelope(&item)));
        }
    }

    /// The transcript GetTranscript reads for a caller in `current` asking for `asked` (its
    /// `ContactId`, when given): `current`'s own, or that of an earlier contact of its chain with
    /// each item's `ContactId` moved to `RelatedContactId`. `Err` for a contact outside the
    /// chain (400 ValidationException: our choice).
    pub(crate) fn transcript_of(&self, current: &str, asked: Option<&str>) -> Result<Cow<'_, [Value]>, String> {
        let asked = asked.unwrap_or(current);
        let mut contact = Some(current);
        while let Some(id) = contact {
            let Some(chat) = self.chats.get(id) else { break };
            if id == asked {
                if id == current {
                    return Ok(Cow::Borrowed(&chat.transcript));
                }
                return Ok(Cow::Owned(chat.transcript.iter().cloned().map(past).collect()));
            }
            contact = chat.previous.as_deref();
        }
        Err(format!("ContactId {asked} is not a contact of this chat's chain"))
    }
}

/// An item of a past contact, as a later contact reads it.
fn past(mut item: Value) -> Value {
    if let Some(object) = item.as_object_mut()
        && let Some(contact_id) = object.remove("ContactId")
    {
        object.insert("RelatedContactId".into(), contact_id);
    }
    item
}

impl Chat {
    /// A new contact's chat.
    pub(crate) fn new(transcript: Vec<Value>, participants: Vec<Participant>) -> Self {
        Self { transcript, ended: false, participants, previous: None, rehydration: None }
    }
}
