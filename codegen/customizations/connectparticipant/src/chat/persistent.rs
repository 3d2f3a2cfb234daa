//! Persistent chats: a contact that continues an earlier one (a chain of contacts). The service
//! announces it with a `chat.rehydrated` event
//! ([`ChatEvent::Rehydrated`](super::ChatEvent::Rehydrated)), and GetTranscript reads the
//! transcript of any contact in the chain when given its `ContactId` (model: "the contactId from
//! the current contact chain for which transcript is needed").
//!
//! Which earlier contact: the one StartChatContact named as the source of the persistent chat
//! (`PersistentChat.SourceContactId`, known to whoever started the chat), or the
//! `RelatedContactId` of a transcript item from a past contact (model: it is "only populated
//! for persistent chats when the transcript item is from the past chat session").

use crate::operation::get_transcript::GetTranscriptBuilder;
use crate::types::SortKey;

use super::sender::ChatSender;

impl ChatSender {
    /// The transcript of an earlier contact of this persistent chat (`contact_id`: any contact
    /// in the chain), as a GetTranscript call with the session's current connection token: 100
    /// items a page, oldest first within a page, read back from the most recent (the service's
    /// default without a start position). Change any of that on the builder; then `.send()`
    /// for one page, `.into_paginator()` for pages, or `.into_items()` for every item.
    ///
    /// The token is the one current when this is called; a session that reconnected since
    /// has a newer one, so make the call again rather than keeping the builder long.
    pub fn previous_transcript(&self, contact_id: impl Into<String>) -> GetTranscriptBuilder {
        self.client()
            .get_transcript(self.connection_token())
            .contact_id(contact_id.into())
            .max_results(100)
            .sort_order(SortKey::Ascending)
    }
}
