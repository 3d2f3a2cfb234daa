//! Keep-alive, reconnects, gap fill, socket replacement, 403 / 429 / 5xx, token refresh.

use std::time::Duration;

use connectparticipant::chat::{ChatError, ChatEvent, ConnectionState};
use connectparticipant_emulator::{Emulator, EmulatorConfig, Refusal};
use serde_json::json;
use tokio::time::Instant;

use super::support::{builder, connect, connected, is_state, next, texts_until, until};

#[tokio::test(start_paused = true)]
async fn a_missed_heartbeat_reconnects() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    // Healthy for a minute: heartbeats answered, nothing happens.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 1);
    emulator.answer_heartbeats(false);
    let silent = Instant::now();
    let (_, skipped) = until(&mut session, |e| is_state(e, ConnectionState::Lost).then_some(())).await;
    assert!(skipped.is_empty(), "{skipped:?}");
    let noticed = silent.elapsed();
    // At the first tick whose heartbeat went unanswered: one period, two at most.
    assert!(noticed >= Duration::from_secs(10) && noticed <= Duration::from_secs(20), "noticed after {noticed:?}");
    emulator.answer_heartbeats(true);
    until(&mut session, |e| is_state(e, ConnectionState::Restored).then_some(())).await;
    emulator.agent_send(&chat, "after");
    let (texts, _) = texts_until(&mut session, "after").await;
    assert_eq!(texts, ["after"]);
}

#[tokio::test(start_paused = true)]
async fn a_dropped_socket_reconnects_and_fills_the_gap_without_loss_or_repeats() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let first = emulator.agent_send(&chat, "before");
    let (texts, _) = texts_until(&mut session, "before").await;
    assert_eq!(texts, ["before"]);

    emulator.drop_sockets();
    // Sent while no socket is open: only the transcript has them.
    emulator.agent_send(&chat, "missed 1");
    emulator.agent_send(&chat, "missed 2");
    let (_, skipped) = until(&mut session, |e| is_state(e, ConnectionState::Lost).then_some(())).await;
    assert!(skipped.is_empty(), "{skipped:?}");
    let (texts, others) = texts_until(&mut session, "missed 2").await;
    assert_eq!(texts, ["missed 1", "missed 2"]);
    assert!(others.is_empty(), "{others:?}");
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Restored));
    emulator.agent_send(&chat, "after");
    let (texts, _) = texts_until(&mut session, "after").await;
    assert_eq!(texts, ["after"], "nothing twice");

    let transcript_calls: Vec<_> = emulator.calls().into_iter().filter(|c| c.operation == "GetTranscript").collect();
    assert_eq!(transcript_calls.len(), 1);
    assert_eq!(transcript_calls[0].body["StartPosition"], json!({ "Id": first }), "from the last item seen");
    assert_eq!(transcript_calls[0].body["ScanDirection"], "FORWARD");
}

#[tokio::test(start_paused = true)]
async fn the_gap_fill_reads_every_transcript_page() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.agent_send(&chat, "seen");
    texts_until(&mut session, "seen").await;
    emulator.drop_sockets();
    let missed: Vec<String> = (0..250).map(|i| format!("missed {i}")).collect();
    for text in &missed {
        emulator.agent_send(&chat, text);
    }
    let (texts, _) = texts_until(&mut session, "missed 249").await;
    assert_eq!(texts, missed);
    assert_eq!(emulator.call_count("GetTranscript"), 3, "100 + 100 + 51 items (the start item included)");
}

#[tokio::test(start_paused = true)]
async fn socket_replacement_with_traffic_loses_and_duplicates_nothing() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connected(builder(&emulator, &chat).socket_lifetime(Duration::from_secs(60))).await;
    let sent: Vec<String> = (0..40).map(|i| format!("message {i}")).collect();
    let agent = {
        let sent = sent.clone();
        let emulator = &emulator;
        let chat = chat.clone();
        async move {
            for text in &sent {
                tokio::time::sleep(Duration::from_millis(4500)).await;
                emulator.agent_send(&chat, text);
            }
        }
    };
    let ((texts, others), ()) = tokio::join!(texts_until(&mut session, "message 39"), agent);
    assert_eq!(texts, sent, "every message once, in order");
    assert!(others.is_empty(), "no connection changes during replacements: {others:?}");
    // 40 × 4.5 s = 180 s: at least two replacements happened.
    assert!(emulator.call_count("CreateParticipantConnection") >= 3);
    assert_eq!(emulator.open_sockets(), 1, "old sockets are closed");
}

#[tokio::test(start_paused = true)]
async fn a_403_on_reconnect_means_the_chat_ended() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.drop_sockets();
    // The chat ends while the socket is down: its chat.ended push reaches nobody.
    emulator.end_chat(&chat);
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Lost));
    let (_, others) = until(&mut session, |e| matches!(e, ChatEvent::ChatEnded { .. }).then_some(())).await;
    assert!(others.iter().all(|e| !matches!(e, ChatEvent::Failed(_))), "{others:?}");
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Ended));
    assert_eq!(session.next_event().await, None);
    assert!(session.has_ended());
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 2, "one refused reconnect, no retries");
    assert!(matches!(session.send_text("hello?").await, Err(ChatError::ChatEnded)));
}

#[tokio::test(start_paused = true)]
async fn a_refused_reconnect_403_without_the_end_event_still_ends_the_chat() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.refuse_connections([Refusal::Status(403)]);
    emulator.drop_sockets();
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Lost));
    assert_eq!(next(&mut session).await, ChatEvent::ChatEnded { item: None });
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Ended));
    assert_eq!(session.next_event().await, None);
}

#[tokio::test(start_paused = true)]
async fn throttling_and_server_errors_on_reconnect_are_retried_with_backoff() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.refuse_connections([Refusal::Status(429), Refusal::Status(500), Refusal::Status(503)]);
    emulator.drop_sockets();
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Lost));
    let lost = Instant::now();
    until(&mut session, |e| is_state(e, ConnectionState::Restored).then_some(())).await;
    let waited = lost.elapsed();
    // A first wait of 0-1 s, then delays of 1, 2 and 4 s, each ×0.7–1.3.
    assert!(waited >= Duration::from_millis(4900) && waited <= Duration::from_millis(10100), "waited {waited:?}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 5, "the first connect, 3 refused, 1 accepted");
    emulator.agent_send(&chat, "back");
    assert_eq!(texts_until(&mut session, "back").await.0, ["back"]);
}

#[tokio::test(start_paused = true)]
async fn a_slow_reconnect_is_waited_for() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.refuse_connections([Refusal::Delay(Duration::from_secs(20))]);
    emulator.drop_sockets();
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Lost));
    let lost = Instant::now();
    until(&mut session, |e| is_state(e, ConnectionState::Restored).then_some(())).await;
    // The first attempt waits a random part of the base delay (1 s), then the call takes 20 s.
    let waited = lost.elapsed();
    assert!(waited >= Duration::from_secs(20) && waited <= Duration::from_secs(21), "waited {waited:?}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 2, "one slow call, not a second one beside it");
}

#[tokio::test(start_paused = true)]
async fn reconnects_stop_at_the_limit_with_a_terminal_error() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connected(builder(&emulator, &chat).max_reconnect_attempts(3)).await;
    emulator.refuse_connections([Refusal::Status(503); 3]);
    emulator.drop_sockets();
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Lost));
    let ChatEvent::Failed(error) = next(&mut session).await else { panic!("a terminal error") };
    assert!(matches!(*error.0, ChatError::ReconnectFailed { attempts: 3, .. }), "{}", error.0);
    assert_eq!(error.0.status(), Some(503));
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Ended));
    assert_eq!(session.next_event().await, None);
    assert!(session.has_ended(), "a session that stopped for good has ended");
    assert!(matches!(session.send_text("hello?").await, Err(ChatError::ChatEnded)));
}

#[tokio::test(start_paused = true)]
async fn the_connection_token_is_refreshed_before_it_expires() {
    let config = EmulatorConfig { token_lifetime: Duration::from_secs(120), ..EmulatorConfig::default() };
    let emulator = Emulator::start_with(config).await.unwrap();
    let chat = emulator.create_chat();
    let session = connect(&emulator, &chat).await;
    let first = session.connection_token();
    tokio::time::sleep(Duration::from_secs(59)).await;
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 1, "not yet");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let calls = emulator.calls();
    let refresh = calls.iter().filter(|c| c.operation == "CreateParticipantConnection").nth(1).expect("a refresh");
    assert_eq!(refresh.body, json!({ "Type": ["CONNECTION_CREDENTIALS"] }));
    let second = session.connection_token();
    assert_ne!(first, second);
    session.send_text("with the new token").await.unwrap();
    let send = emulator.calls().into_iter().find(|c| c.operation == "SendMessage").unwrap();
    assert_eq!(send.bearer.as_deref(), Some(second.as_str()));
}
