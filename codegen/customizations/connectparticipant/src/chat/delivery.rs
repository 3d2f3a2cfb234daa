//! Delivering items once, and events to the application within a bounded queue.
//!
//! Duplicates: an item's identity (see `event::identity`) is remembered as a 64-bit hash, for
//! the last `DUPLICATE_WINDOW` items. The queue to the application holds `event_buffer` events;
//! when the application falls behind and it is full, newer events are dropped and counted, and
//! a [`ChatEvent::Lagged`] with the count comes before the next event that fits. The socket is
//! read all along (stopping would starve heartbeats and kill it); what was dropped is in the
//! transcript.

use std::hash::{DefaultHasher, Hash, Hasher};

use tokio::sync::mpsc::error::TrySendError;

use tokio::time::Instant;

use crate::types::Item;

use super::driver::{Driver, RECENT};
use super::event::{self, ChatEvent, ReceiptKind, SelfInfo};
use super::streams::{self, Abandoned, Progress, StreamChunk};

impl Driver {
    /// Queues an event for the application, or counts it as dropped when the queue is full.
    pub(crate) fn emit(&mut self, event: ChatEvent) {
        if self.lagged > 0 {
            match self.events.try_send(Box::new(ChatEvent::Lagged { dropped: self.lagged })) {
                Ok(()) => self.lagged = 0,
                Err(TrySendError::Full(_)) => {
                    self.lagged += 1;
                    return;
                }
                // The application stopped listening; the session goes on regardless.
                Err(TrySendError::Closed(_)) => return,
            }
        }
        if let Err(TrySendError::Full(_)) = self.events.try_send(Box::new(event)) {
            self.lagged += 1;
        }
    }

    /// The last events of a session: waited for, as nothing else is left to do.
    pub(crate) async fn emit_final(&mut self, event: ChatEvent) {
        if self.lagged > 0 && self.events.send(Box::new(ChatEvent::Lagged { dropped: self.lagged })).await.is_ok() {
            self.lagged = 0;
        }
        let _ = self.events.send(Box::new(event)).await;
    }

    /// Delivers an item from the socket; returns whether it ended the chat.
    pub(crate) fn deliver_json(&mut self, json: String) -> bool {
        match Item::from_json(&json) {
            Ok(item) => self.deliver(item, Some(json)),
            Err(e) => {
                tracing::warn!(error = %e, "unreadable chat item ignored");
                false
            }
        }
    }

    /// Delivers an item once (a chunk of a streamed message goes to its stream); returns
    /// whether it ended the chat.
    pub(crate) fn deliver(&mut self, item: Item, raw: Option<String>) -> bool {
        // Chunks are told apart by their number, which the identity below cannot see (two
        // chunks may carry the same text): their stream drops the duplicates.
        if let Some((number, completed)) = raw.as_deref().and_then(streams::chunk_fields)
            && let Some(id) = item.id.clone().filter(|id| !id.is_empty())
        {
            let raw = raw.unwrap_or_default();
            return self.deliver_chunk(id, StreamChunk { number, completed, item, raw });
        }
        self.deliver_whole(item, raw, Vec::new())
    }

    /// One chunk of a streamed message: an update, the whole message, or a stream given up.
    fn deliver_chunk(&mut self, id: String, chunk: StreamChunk) -> bool {
        match self.streams.add(id, chunk, Instant::now()) {
            Progress::Dropped => false,
            Progress::Partial { text, chunk, evicted } => {
                self.abandoned(evicted);
                self.emit(ChatEvent::MessageChunk { text, chunk });
                false
            }
            Progress::Complete { item, chunks, evicted } => {
                self.abandoned(evicted);
                self.deliver_whole(item, None, chunks)
            }
            Progress::Abandoned(abandoned) => {
                self.abandoned(Some(abandoned));
                false
            }
        }
    }

    /// Gives up the streamed messages that went a minute without a chunk.
    pub(crate) fn expire_streams(&mut self) {
        for abandoned in self.streams.expire(Instant::now()) {
            self.abandoned(Some(abandoned));
        }
    }

    fn abandoned(&mut self, abandoned: Option<Abandoned>) {
        let Some(Abandoned { message_id, reason, text, chunks }) = abandoned else { return };
        tracing::warn!(%message_id, ?reason, received = chunks.len(), "streamed message abandoned");
        self.emit(ChatEvent::StreamAbandoned { message_id, reason, text, chunks });
    }

    /// Delivers a whole item once (with its chunks when it was streamed).
    fn deliver_whole(&mut self, item: Item, raw: Option<String>, mut chunks: Vec<StreamChunk>) -> bool {
        if chunks.is_empty()
            && let Some(id) = &item.id
        {
            self.streams.superseded(id);
        }
        if let Some(identity) = event::identity(&item) {
            let mut hasher = DefaultHasher::new();
            identity.hash(&mut hasher);
            if !self.seen.insert(hasher.finish()) {
                return false;
            }
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
            self.last_item = Some((id, item.absolute_time.clone()));
        }
        self.note_own_receipts(&item);
        let me = SelfInfo { participant_id: self.self_id.as_deref(), sent_ids: &self.sent_ids };
        let mut ended = false;
        for mut event in event::classify(item, raw, &me) {
            if let ChatEvent::Message { chunks: streamed, .. } = &mut event {
                *streamed = std::mem::take(&mut chunks);
            }
            ended |= matches!(event, ChatEvent::ChatEnded { .. });
            self.emit(event);
        }
        ended
    }

    /// Remembers an id the service gave to a send; its echo, if already here, names us.
    pub(crate) fn note_sent(&mut self, id: String) {
        if self.self_id.is_none()
            && let Some((_, sender)) = self.recent.iter().find(|(seen, _)| *seen == id)
        {
            self.self_id = sender.clone();
        }
        self.sent_ids.insert(id);
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
