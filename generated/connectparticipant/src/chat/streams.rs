//! Streamed bot messages: items that share one `Id`, each carrying a part of the text with
//! `MessageMetadata.ChunkNumber` and, on the last, `MessageMetadata.MessageCompleted: true`.
//! Neither field is in the service model (`../shared/CHAT-PROTOCOL.md` §2: the JavaScript
//! library stitches such items), so they are read from the item's JSON text as received.
//!
//! What the sources do not say, and the choice made here:
//! - each chunk carries the next part of the text (not the text so far): the whole message is
//!   the chunks' contents joined in chunk order;
//! - chunks are numbered from 1 (a chunk 0, when one comes, goes first); the message is whole
//!   once the completing chunk and every number below it have arrived, in whatever order;
//! - a chunk that arrives again (same number) is a duplicate and dropped, as is a chunk of a
//!   message already completed or abandoned (the last 64 such ids are remembered);
//! - the transcript holds whole messages, not chunks (the model has no chunk fields): a message
//!   read from it after a reconnect, with the id of a stream under way, is that stream whole.
//!   The stream is closed without a word and the message delivered as it is (with no chunks).
//!
//! Bounds, so that a stream that never completes cannot grow memory: at most
//! [`MAX_OPEN_STREAMS`] streams at once (a new one beyond that abandons the one idle longest),
//! [`MAX_STREAM_BYTES`] of received JSON and [`MAX_STREAM_CHUNKS`] chunks per stream, and
//! [`STREAM_IDLE_TIMEOUT`] without a new chunk. A stream cut off by any of them is reported
//! with what it had, as [`ChatEvent::StreamAbandoned`](super::ChatEvent::StreamAbandoned).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use tokio::time::Instant;

use crate::types::Item;

use super::window::Window;

/// How long a streamed message may go without a new chunk before it is abandoned.
pub const STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The most JSON text one streamed message may carry, all chunks together (the largest message
/// the service takes is 12 KB; a bot's answer is text of about that order).
pub const MAX_STREAM_BYTES: usize = 64 * 1024;
/// The most chunks one streamed message may have.
pub const MAX_STREAM_CHUNKS: usize = 512;
/// How many streamed messages may be open (incomplete) at once.
pub const MAX_OPEN_STREAMS: usize = 4;
/// How many ids of finished streams are remembered, to drop their late or repeated chunks.
pub(crate) const FINISHED: usize = 64;

/// One chunk of a streamed message, as received.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct StreamChunk {
    /// Its `MessageMetadata.ChunkNumber` (0 when the item had none).
    pub number: u64,
    /// Whether its `MessageMetadata.MessageCompleted` was `true`: the last chunk.
    pub completed: bool,
    /// The item (the model's fields).
    pub item: Item,
    /// The item's JSON text as received, with the fields the model lacks.
    pub raw: String,
}

/// Why a streamed message was given up before it completed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamAbandonReason {
    /// No new chunk for [`STREAM_IDLE_TIMEOUT`].
    TimedOut,
    /// More than [`MAX_STREAM_BYTES`] or [`MAX_STREAM_CHUNKS`].
    TooLarge,
    /// More than [`MAX_OPEN_STREAMS`] open at once: this one had been idle longest.
    TooManyOpen,
}

/// What a chunk did to its stream.
#[derive(Debug)]
pub(crate) enum Progress {
    /// A duplicate, or a chunk of a finished stream: nothing to report.
    Dropped,
    /// A new chunk: the text of the chunks received without a hole from the first, and the
    /// chunk. `evicted` is a stream abandoned to make room for this one.
    Partial { text: String, chunk: StreamChunk, evicted: Option<Abandoned> },
    /// The message is whole: one item with the joined text, and its chunks in order.
    Complete { item: Item, chunks: Vec<StreamChunk>, evicted: Option<Abandoned> },
    /// The stream went over a bound.
    Abandoned(Abandoned),
}

/// A stream given up: its id, why, the text without holes from the first chunk, its chunks.
#[derive(Debug)]
pub(crate) struct Abandoned {
    pub message_id: String,
    pub reason: StreamAbandonReason,
    pub text: String,
    pub chunks: Vec<StreamChunk>,
}

struct Open {
    chunks: BTreeMap<u64, StreamChunk>,
    /// The number of the completing chunk, once it came.
    last: Option<u64>,
    bytes: usize,
    deadline: Instant,
    /// The order streams opened in: of two idle as long, the older goes first.
    seq: u64,
}

impl Open {
    /// The contents of the chunks from the first up to the first hole.
    fn text(&self) -> String {
        let first = self.chunks.keys().next().copied().filter(|n| *n == 0).unwrap_or(1);
        let mut text = String::new();
        for (expected, (number, chunk)) in (first..).zip(&self.chunks) {
            if *number != expected {
                break;
            }
            text.push_str(chunk.item.content.as_deref().unwrap_or_default());
        }
        text
    }

    fn is_complete(&self) -> bool {
        let Some(last) = self.last else { return false };
        let first = u64::from(!self.chunks.contains_key(&0));
        // Numbers are distinct keys: all of first..=last are there when the count matches.
        last >= first && self.chunks.range(first..=last).count() as u64 == last - first + 1
    }

    fn abandon(self, message_id: String, reason: StreamAbandonReason) -> Abandoned {
        let text = self.text();
        Abandoned { message_id, reason, text, chunks: self.chunks.into_values().collect() }
    }
}

/// The streamed messages under way.
pub(crate) struct Streams {
    open: HashMap<String, Open>,
    finished: Window<String>,
    opened: u64,
}

impl Default for Streams {
    fn default() -> Self {
        Self { open: HashMap::new(), finished: Window::new(FINISHED), opened: 0 }
    }
}

/// The chunk fields of an item's JSON text, when it is a chunk of a streamed message:
/// `(ChunkNumber, MessageCompleted)`.
pub(crate) fn chunk_fields(raw: &str) -> Option<(u64, bool)> {
    // Most items are not chunks: a substring test spares them a second parse.
    if !raw.contains("ChunkNumber") && !raw.contains("MessageCompleted") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(raw).ok()?;
    let metadata = value.get("MessageMetadata")?;
    let number = metadata.get("ChunkNumber").and_then(|n| n.as_u64().or_else(|| n.as_str()?.parse().ok()));
    let completed = metadata.get("MessageCompleted").and_then(serde_json::Value::as_bool);
    if number.is_none() && completed.is_none() {
        return None;
    }
    Some((number.unwrap_or(0), completed.unwrap_or(false)))
}

impl Streams {
    /// When the stream idle longest times out, if any is open.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.open.values().map(|s| s.deadline).min()
    }

    /// Takes one chunk of the stream `message_id`.
    pub(crate) fn add(&mut self, message_id: String, chunk: StreamChunk, now: Instant) -> Progress {
        if self.finished.contains(&message_id) {
            return Progress::Dropped;
        }
        let mut evicted = None;
        if !self.open.contains_key(&message_id) && self.open.len() >= MAX_OPEN_STREAMS {
            evicted = self.evict_idlest();
        }
        let seq = self.opened;
        let stream = self.open.entry(message_id.clone()).or_insert_with(|| Open {
            chunks: BTreeMap::new(),
            last: None,
            bytes: 0,
            deadline: now,
            seq,
        });
        self.opened += 1;
        if stream.chunks.contains_key(&chunk.number) {
            return Progress::Dropped;
        }
        stream.deadline = super::clock::after(now, STREAM_IDLE_TIMEOUT);
        stream.bytes += chunk.raw.len();
        if chunk.completed {
            stream.last = Some(chunk.number);
        }
        stream.chunks.insert(chunk.number, chunk.clone());
        if stream.bytes > MAX_STREAM_BYTES || stream.chunks.len() > MAX_STREAM_CHUNKS {
            return Progress::Abandoned(self.finish(message_id, StreamAbandonReason::TooLarge));
        }
        if stream.is_complete() {
            let Some(stream) = self.open.remove(&message_id) else { return Progress::Dropped };
            self.finished.insert(message_id);
            let text = stream.text();
            let chunks: Vec<StreamChunk> = stream.chunks.into_values().collect();
            // The whole message is the first chunk's item with the joined text and the last
            // chunk's time.
            let mut item = chunks[0].item.clone();
            item.content = Some(text);
            item.absolute_time = chunks.last().and_then(|c| c.item.absolute_time.clone());
            return Progress::Complete { item, chunks, evicted };
        }
        Progress::Partial { text: stream.text(), chunk, evicted }
    }

    /// A whole message with this id arrived another way (the transcript, after a reconnect):
    /// its stream, if open, is closed without a word, and its later chunks are dropped.
    pub(crate) fn superseded(&mut self, message_id: &str) {
        if self.open.remove(message_id).is_some() {
            self.finished.insert(message_id.to_owned());
        }
    }

    /// The streams idle past their deadline, abandoned.
    pub(crate) fn expire(&mut self, now: Instant) -> Vec<Abandoned> {
        let due: Vec<String> = self.open.iter().filter(|(_, s)| s.deadline <= now).map(|(id, _)| id.clone()).collect();
        due.into_iter().map(|id| self.finish(id, StreamAbandonReason::TimedOut)).collect()
    }

    fn evict_idlest(&mut self) -> Option<Abandoned> {
        let id = self.open.iter().min_by_key(|(_, s)| (s.deadline, s.seq)).map(|(id, _)| id.clone())?;
        Some(self.finish(id, StreamAbandonReason::TooManyOpen))
    }

    fn finish(&mut self, message_id: String, reason: StreamAbandonReason) -> Abandoned {
        let stream = self.open.remove(&message_id);
        self.finished.insert(message_id.clone());
        match stream {
            Some(stream) => stream.abandon(message_id, reason),
            None => Abandoned { message_id, reason, text: String::new(), chunks: Vec::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(id: &str, number: u64, completed: bool, text: &str) -> (String, StreamChunk) {
        let raw = serde_json::json!({
            "Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": text,
            "ParticipantRole": "SYSTEM",
            "AbsoluteTime": format!("2030-01-01T00:00:{number:02}.000Z"),
            "MessageMetadata": { "MessageId": id, "ChunkNumber": number, "MessageCompleted": completed },
        })
        .to_string();
        let (number, completed) = chunk_fields(&raw).expect("a chunk");
        let item = Item::from_json(&raw).expect("an item");
        (id.to_owned(), StreamChunk { number, completed, item, raw })
    }

    /// Feeds chunks; returns the whole text when the message completed, and how many partial
    /// updates came.
    fn feed(streams: &mut Streams, chunks: Vec<(String, StreamChunk)>) -> (Option<String>, usize) {
        let (mut whole, mut partials) = (None, 0);
        for (id, chunk) in chunks {
            match streams.add(id, chunk, Instant::now()) {
                Progress::Partial { .. } => partials += 1,
                Progress::Complete { item, chunks, .. } => {
                    assert!(chunks.windows(2).all(|w| w[0].number < w[1].number), "chunks in order");
                    whole = item.content;
                }
                Progress::Dropped => {}
                Progress::Abandoned(a) => panic!("abandoned: {a:?}"),
            }
        }
        (whole, partials)
    }

    #[test]
    fn chunks_in_order_are_joined_once_complete() {
        let mut streams = Streams::default();
        let (whole, partials) = feed(
            &mut streams,
            vec![chunk("m", 1, false, "Hel"), chunk("m", 2, false, "lo, "), chunk("m", 3, true, "world")],
        );
        assert_eq!(whole.as_deref(), Some("Hello, world"));
        assert_eq!(partials, 2);
        assert_eq!(streams.deadline(), None, "nothing left open");
    }

    #[test]
    fn chunks_out_of_order_wait_for_the_hole() {
        let mut streams = Streams::default();
        let (id, c3) = chunk("m", 3, true, "c");
        let Progress::Partial { text, .. } = streams.add(id, c3, Instant::now()) else { panic!("partial") };
        assert_eq!(text, "", "nothing without a hole from the first chunk yet");
        let (whole, _) = feed(&mut streams, vec![chunk("m", 1, false, "a"), chunk("m", 2, false, "b")]);
        assert_eq!(whole.as_deref(), Some("abc"));
    }

    #[test]
    fn a_duplicate_chunk_is_dropped_even_after_completion() {
        let mut streams = Streams::default();
        let (whole, partials) = feed(
            &mut streams,
            vec![
                chunk("m", 1, false, "a"),
                chunk("m", 1, false, "a"),
                chunk("m", 2, true, "b"),
                chunk("m", 2, true, "b"),
            ],
        );
        assert_eq!((whole.as_deref(), partials), (Some("ab"), 1));
        let (id, late) = chunk("m", 1, false, "a");
        assert!(matches!(streams.add(id, late, Instant::now()), Progress::Dropped));
    }

    #[test]
    fn interleaved_streams_are_kept_apart() {
        let mut streams = Streams::default();
        let mut wholes = Vec::new();
        for (id, c) in [
            chunk("x", 1, false, "x1"),
            chunk("y", 1, false, "y1"),
            chunk("x", 2, true, "x2"),
            chunk("y", 2, true, "y2"),
        ] {
            if let Progress::Complete { item, .. } = streams.add(id, c, Instant::now()) {
                wholes.push(item.content.unwrap());
            }
        }
        assert_eq!(wholes, ["x1x2", "y1y2"]);
    }

    #[test]
    fn a_stream_that_never_completes_times_out() {
        let mut streams = Streams::default();
        let start = Instant::now();
        let (id, c) = chunk("m", 1, false, "a");
        streams.add(id, c, start);
        assert_eq!(streams.deadline(), Some(start + STREAM_IDLE_TIMEOUT));
        assert!(streams.expire(start + STREAM_IDLE_TIMEOUT - Duration::from_millis(1)).is_empty());
        let abandoned = streams.expire(start + STREAM_IDLE_TIMEOUT);
        assert_eq!(abandoned.len(), 1);
        assert_eq!((abandoned[0].reason, abandoned[0].text.as_str()), (StreamAbandonReason::TimedOut, "a"));
        assert_eq!(streams.deadline(), None);
        let (id, late) = chunk("m", 2, true, "b");
        assert!(matches!(streams.add(id, late, start), Progress::Dropped), "a late chunk opens nothing");
    }

    #[test]
    fn streams_are_bounded_in_size_and_number() {
        let mut streams = Streams::default();
        let big = "x".repeat(MAX_STREAM_BYTES / 4);
        let mut outcome = None;
        for n in 1..=5 {
            let (id, c) = chunk("big", n, false, &big);
            if let Progress::Abandoned(a) = streams.add(id, c, Instant::now()) {
                outcome = Some(a.reason);
                break;
            }
        }
        assert_eq!(outcome, Some(StreamAbandonReason::TooLarge));
        let mut evicted = Vec::new();
        for n in 0..=MAX_OPEN_STREAMS {
            let (id, c) = chunk(&format!("s{n}"), 1, false, "a");
            if let Progress::Partial { evicted: Some(a), .. } = streams.add(id, c, Instant::now()) {
                evicted.push((a.message_id, a.reason));
            }
        }
        assert_eq!(evicted, [("s0".to_owned(), StreamAbandonReason::TooManyOpen)]);
        assert_eq!(streams.open.len(), MAX_OPEN_STREAMS);
    }

    #[test]
    fn ordinary_items_are_not_chunks() {
        assert_eq!(chunk_fields(r#"{"Id":"a","Content":"ChunkNumber is a word"}"#), None);
        assert_eq!(chunk_fields(r#"{"Id":"a","MessageMetadata":{"ChunkNumber":"2"}}"#), Some((2, false)));
    }
}
