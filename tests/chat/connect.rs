//! Connecting: CreateParticipantConnection, the socket, the subscription and its ack.

use connectparticipant::chat::{ChatError, ChatSession};
use connectparticipant_emulator::Emulator;
use serde_json::json;

use super::support::{builder, client, connected, tcp_client};

/// Over real TCP on 127.0.0.1 (no timers involved, so on the real clock).
#[tokio::test]
async fn subscribes_and_waits_for_the_acknowledgement() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connected(ChatSession::builder(&tcp_client(&emulator), chat.participant_token.clone())).await;
    assert_eq!(emulator.subscribed_sockets(), 1, "one socket, subscribed");
    let calls = emulator.calls();
    assert_eq!(calls.len(), 1, "one call to connect: {calls:?}");
    assert_eq!(calls[0].operation, "CreateParticipantConnection");
    assert_eq!(calls[0].bearer.as_deref(), Some(chat.participant_token.as_str()));
    assert_eq!(calls[0].body, json!({ "Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"] }));
    assert!(!session.has_ended());
    assert!(!session.connection_token().is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_unacknowledged_subscription_is_a_clear_error() {
    let emulator = Emulator::start().await;
    emulator.acknowledge_subscriptions(false);
    let chat = emulator.create_chat();
    let started = tokio::time::Instant::now();
    let error = builder(&emulator, &chat).connect().await.expect_err("no ack, no session");
    assert!(matches!(error, ChatError::Subscribe(_)), "{error:?}");
    assert_eq!(error.to_string(), "chat subscription: not acknowledged after 4 attempts");
    // Four tries of 1 s each: bounded, not forever.
    assert_eq!(started.elapsed().as_secs(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_bad_participant_token_is_refused_by_the_service() {
    let emulator = Emulator::start().await;
    let error = ChatSession::connect(&client(&emulator), "not-a-token").await.expect_err("refused");
    assert_eq!(error.status(), Some(403), "{error}");
}
