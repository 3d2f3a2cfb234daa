//! Persistent chats (the rehydration event, the transcript of an earlier contact of the chain)
//! and streamed bot messages (chunks stitched into one message, bounded), against the emulator.

use std::time::Duration;

use connectparticipant::chat::ChatEvent;
use connectparticipant_emulator::Emulator;

use super::support::{connect, next, until};

/// A short name for the stream events and messages, to compare sequences.
fn label(event: &ChatEvent) -> Option<String> {
    match event {
        ChatEvent::MessageChunk { text, chunk } => Some(format!("chunk {} -> {text:?}", chunk.number)),
        ChatEvent::Message { item, chunks, .. } => {
            let numbers: Vec<u64> = chunks.iter().map(|c| c.number).collect();
            Some(format!("message {:?} {numbers:?}", item.content.as_deref().unwrap_or_default()))
        }
        ChatEvent::StreamAbandoned { reason, text, chunks, .. } => {
            Some(format!("abandoned {reason:?} {text:?} ({} chunks)", chunks.len()))
        }
        _ => None,
    }
}

/// The labelled events up to and including the first whose label starts with `last`.
async fn labels_until(session: &mut connectparticipant::chat::ChatSession, last: &str) -> Vec<String> {
    let mut labels = Vec::new();
    loop {
        if let Some(label) = label(&next(session).await) {
            let done = label.starts_with(last);
            labels.push(label);
            if done {
                return labels;
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_rehydrated_chat_reaches_the_earlier_contacts_transcript() {
    let emulator = Emulator::start().await;
    let first = emulator.create_chat();
    let said = emulator.agent_send(&first, "what we said before");
    let second = emulator.continue_chat(&first);
    let mut session = connect(&emulator, &second).await;
    let (item, _) = until(&mut session, |e| match e {
        ChatEvent::Rehydrated { item, raw } => Some((item.clone(), raw.clone())),
        _ => None,
    })
    .await;
    assert_eq!(item.0.contact_id.as_deref(), Some(second.contact_id.as_str()));
    assert!(item.1.is_some_and(|raw| raw.contains("InitialContactId")), "the raw item is kept");

    let mut items = session.previous_transcript(first.contact_id.clone()).into_items();
    let mut earlier = Vec::new();
    while let Some(item) = items.next_item().await {
        earlier.push(item.expect("the earlier transcript is readable"));
    }
    let message = earlier.iter().find(|i| i.id.as_deref() == Some(said.as_str())).expect("the earlier message");
    assert_eq!(message.content.as_deref(), Some("what we said before"));
    assert_eq!(message.related_contact_id.as_deref(), Some(first.contact_id.as_str()));
    // A contact outside the chain is refused, as an error value.
    let stranger = emulator.create_chat();
    assert!(session.previous_transcript(stranger.contact_id).send().await.is_err());
}

#[tokio::test(start_paused = true)]
async fn a_streamed_message_comes_whole_after_its_updates() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.bot_stream(&chat, &["Hel", "lo, ", "world"]);
    assert_eq!(
        labels_until(&mut session, "message").await,
        ["chunk 1 -> \"Hel\"", "chunk 2 -> \"Hello, \"", "message \"Hello, world\" [1, 2, 3]"]
    );
}

#[tokio::test(start_paused = true)]
async fn out_of_order_and_repeated_chunks_are_stitched_once() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let chunks = emulator.stream_chunks(&chat, &["a", "b", "c"]);
    for index in [2, 0, 0, 1, 2] {
        emulator.push_item(&chat.contact_id, chunks[index].clone(), false);
    }
    emulator.agent_send(&chat, "after");
    assert_eq!(
        labels_until(&mut session, "message \"after\"").await,
        ["chunk 3 -> \"\"", "chunk 1 -> \"a\"", "message \"abc\" [1, 2, 3]", "message \"after\" []"]
    );
}

#[tokio::test(start_paused = true)]
async fn interleaved_streams_are_stitched_apart() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let x = emulator.stream_chunks(&chat, &["x1", "x2"]);
    let y = emulator.stream_chunks(&chat, &["y1", "y2"]);
    for chunk in [&x[0], &y[0], &y[1], &x[1]] {
        emulator.push_item(&chat.contact_id, chunk.clone(), false);
    }
    let labels = labels_until(&mut session, "message \"x1x2\"").await;
    assert_eq!(
        labels,
        ["chunk 1 -> \"x1\"", "chunk 1 -> \"y1\"", "message \"y1y2\" [1, 2]", "message \"x1x2\" [1, 2]"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_that_never_completes_is_abandoned_after_a_minute() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let chunks = emulator.stream_chunks(&chat, &["never", " finished"]);
    emulator.push_item(&chat.contact_id, chunks[0].clone(), false);
    let started = tokio::time::Instant::now();
    let labels = labels_until(&mut session, "abandoned").await;
    assert_eq!(labels, ["chunk 1 -> \"never\"", "abandoned TimedOut \"never\" (1 chunks)"]);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(60) && waited < Duration::from_secs(61), "{waited:?}");
    // Its last chunk, late, opens nothing: the next event is the next message.
    emulator.push_item(&chat.contact_id, chunks[1].clone(), false);
    emulator.agent_send(&chat, "next");
    assert_eq!(labels_until(&mut session, "message").await, ["message \"next\" []"]);
}

#[tokio::test(start_paused = true)]
async fn a_stream_cut_by_a_reconnect_ends_with_the_transcripts_whole_message() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let chunks = emulator.stream_chunks(&chat, &["a", "b", "c"]);
    emulator.push_item(&chat.contact_id, chunks[0].clone(), false);
    assert_eq!(labels_until(&mut session, "chunk").await, ["chunk 1 -> \"a\""]);
    // The socket drops; the rest of the answer lands in the transcript only, whole.
    emulator.drop_sockets();
    let mut whole = chunks[2].clone();
    whole["Content"] = "abc".into();
    emulator.push_item(&chat.contact_id, whole, true);
    assert_eq!(labels_until(&mut session, "message").await, ["message \"abc\" []"]);
    // The stream is closed: no abandonment a minute later, and its late chunks are dropped.
    tokio::time::sleep(Duration::from_secs(120)).await;
    emulator.push_item(&chat.contact_id, chunks[2].clone(), false);
    emulator.agent_send(&chat, "later");
    assert_eq!(labels_until(&mut session, "message").await, ["message \"later\" []"]);
}
