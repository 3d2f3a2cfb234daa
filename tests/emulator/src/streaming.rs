//! Streamed bot messages (README row `streamed_messages`): a bot's answer as several items that
//! share one `Id`, each with `MessageMetadata.ChunkNumber`, the last with
//! `MessageMetadata.MessageCompleted: true` (CHAT-PROTOCOL.md §2; neither field is in the
//! model). Type `MESSAGE`, role `SYSTEM`, chunks numbered from 1 and each carrying the next part
//! of the text, not kept in the transcript, which keeps the whole message under the same `Id`:
//! our choice, where the sources say nothing.

use serde_json::{Value, json};

use crate::items::{self, Participant, new_id};
use crate::{Emulator, NewChat};

impl Emulator {
    /// The chunks of a bot's streamed answer made of `parts`, not pushed (a test can reorder,
    /// repeat or hold them back, then push each with [`push_item`](Self::push_item), `keep`
    /// false).
    pub fn stream_chunks(&self, chat: &NewChat, parts: &[&str]) -> Vec<Value> {
        let bot = Participant { id: new_id(), display_name: "BOT".into(), role: "SYSTEM" };
        let id = new_id();
        (1..)
            .zip(parts)
            .map(|(number, part)| {
                let mut chunk = items::item("MESSAGE", Some("text/plain"), Some(part), &bot, &chat.contact_id);
                chunk["Id"] = json!(id);
                chunk["MessageMetadata"] = json!({
                    "MessageId": id,
                    "ChunkNumber": number,
                    "MessageCompleted": number == parts.len(),
                });
                chunk
            })
            .collect()
    }

    /// A bot's streamed answer: its chunks pushed in order, the whole message kept in the
    /// transcript; returns its `Id`.
    pub fn bot_stream(&self, chat: &NewChat, parts: &[&str]) -> String {
        let chunks = self.stream_chunks(chat, parts);
        let Some(last) = chunks.last() else { return String::new() };
        let mut whole = last.clone();
        whole["Content"] = json!(parts.concat());
        if let Some(object) = whole.as_object_mut() {
            object.remove("MessageMetadata");
        }
        let mut inner = self.state.lock();
        for chunk in chunks {
            inner.push(&self.state.observers, &chat.contact_id, chunk, false);
        }
        if let Some(chat) = inner.chats.get_mut(&chat.contact_id) {
            chat.transcript.push(whole.clone());
        }
        whole["Id"].as_str().unwrap_or_default().to_owned()
    }
}
