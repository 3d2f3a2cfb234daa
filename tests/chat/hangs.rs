//! Every await that touches the network has a bound: a stalled answer never freezes a call or
//! the session.

use std::time::Duration;

use connectparticipant::chat::{ChatError, ChatEvent, ConnectionState};
use connectparticipant_emulator::Emulator;
use tokio::time::Instant;

use super::doubles::{Answer, Intercept, SilentSockets};
use super::support::{builder, connected, is_state, texts_until, until};

/// A send whose answer never comes fails after the default request timeout.
#[tokio::test(start_paused = true)]
async fn a_stalled_send_fails_within_the_default_timeout() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let transport = Intercept::new(&emulator, |op, _| if op == "SendMessage" { Answer::Stall } else { Answer::Pass });
    let session = connected(transport.builder(&emulator, &chat)).await;
    let start = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(3600), session.send_text("hello")).await;
    let result = result.expect("the send ends by itself");
    assert!(result.is_err(), "{result:?}");
    assert!(start.elapsed() <= Duration::from_secs(60), "failed after {:?}", start.elapsed());
}

/// A stalled GetTranscript after a reconnect neither stops the session nor freezes it: the
/// fill gives up within its bound, says so, and live messages flow.
#[tokio::test(start_paused = true)]
async fn a_stalled_gap_fill_does_not_freeze_the_session() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let transport = Intercept::new(&emulator, |op, _| if op == "GetTranscript" { Answer::Stall } else { Answer::Pass });
    let mut session = connected(transport.builder(&emulator, &chat)).await;
    emulator.drop_sockets();
    until(&mut session, |e| is_state(e, ConnectionState::Lost).then_some(())).await;
    // The new socket is open: wait until it is subscribed, then talk on it.
    while emulator.subscribed_sockets() == 0 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let start = Instant::now();
    emulator.agent_send(&chat, "live");
    let (texts, others) = texts_until(&mut session, "live").await;
    assert_eq!(texts, ["live"]);
    assert!(start.elapsed() <= Duration::from_secs(300), "delivered after {:?}", start.elapsed());
    assert!(others.iter().any(|e| matches!(e, ChatEvent::GapNotFilled(_))), "the failed fill is reported: {others:?}");
    assert!(!others.iter().any(|e| is_state(e, ConnectionState::Restored)), "not reported restored: {others:?}");
    assert!(!others.iter().any(|e| is_state(e, ConnectionState::Lost)), "heartbeats went on: {others:?}");
}

/// An attachment upload whose pre-signed URL never answers fails after the transfer timeout.
#[tokio::test(start_paused = true)]
async fn a_stalled_attachment_upload_fails_within_the_transfer_timeout() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let transport = Intercept::new(&emulator, |op, _| if op == "Transfer" { Answer::Stall } else { Answer::Pass });
    let session = connected(transport.builder(&emulator, &chat)).await;
    let start = Instant::now();
    let upload = session.upload_attachment("a.txt", "text/plain", b"abc".to_vec());
    let result = tokio::time::timeout(Duration::from_secs(3600), upload).await.expect("the upload ends by itself");
    assert!(matches!(result, Err(ChatError::Timeout { .. })), "{result:?}");
    assert!(start.elapsed() <= Duration::from_secs(600), "failed after {:?}", start.elapsed());
}

/// A socket that is accepted and never answered (no TLS or WebSocket handshake answer) fails
/// the connect within the open timeout.
#[tokio::test(start_paused = true)]
async fn a_half_open_socket_fails_the_connect_within_the_open_timeout() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let start = Instant::now();
    let connecting = builder(&emulator, &chat).socket_connector(SilentSockets::default()).connect();
    let result = tokio::time::timeout(Duration::from_secs(3600), connecting).await.expect("the connect ends by itself");
    assert!(matches!(result, Err(ChatError::Timeout { .. })), "{result:?}");
    assert!(start.elapsed() <= Duration::from_secs(10), "failed after {:?}", start.elapsed());
}
