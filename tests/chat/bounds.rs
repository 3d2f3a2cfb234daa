//! Memory stays bounded: frames larger than any real item are refused, and a consumer that falls
//! behind gets a `Lagged` event instead of an ever-growing queue.

use std::time::Duration;

use connectparticipant::chat::{ChatEvent, ConnectionState};
use connectparticipant_emulator::Emulator;
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;

use super::doubles::{LocalSockets, acknowledge, keep_alive};
use super::support::{builder, connect, connected, is_state, until};

#[tokio::test(start_paused = true)]
async fn a_frame_larger_than_any_item_fails_the_socket() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let sockets = LocalSockets::new(|mut socket| async move {
        if acknowledge(&mut socket).await.is_none() {
            return;
        }
        let huge = format!(r#"{{"topic":"aws/other","content":"{}"}}"#, "x".repeat(1 << 20));
        if socket.send(Message::text(huge)).await.is_ok() {
            keep_alive(&mut socket).await;
        }
    });
    let mut session = connected(builder(&emulator, &chat).socket_connector(sockets)).await;
    let (_, skipped) = until(&mut session, |e| is_state(e, ConnectionState::Lost).then_some(())).await;
    assert!(skipped.is_empty(), "{skipped:?}");
}

#[tokio::test(start_paused = true)]
async fn a_consumer_that_falls_behind_gets_lagged_not_a_growing_queue() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    for i in 0..3000 {
        emulator.agent_send(&chat, &format!("message {i}"));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut messages = 0;
    let mut dropped = 0;
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(1), session.next_event()).await {
        match event {
            ChatEvent::Message { .. } => messages += 1,
            ChatEvent::Lagged { dropped: n } => dropped += n,
            _ => {}
        }
    }
    assert!(messages < 3000, "{messages} messages queued for a consumer that did not read");
    assert_eq!(messages as u64 + dropped, 3000, "every message delivered or counted as dropped");
}
