//! Settings that make no sense are refused when the session is built; huge ones saturate.

use std::time::Duration;

use connectparticipant::chat::{ChatError, TypingOutcome};
use connectparticipant_emulator::Emulator;

use super::support::{builder, connected};

#[tokio::test(start_paused = true)]
async fn a_zero_heartbeat_interval_is_refused_with_a_clear_error() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let result = builder(&emulator, &chat).heartbeat_interval(Duration::ZERO).connect().await;
    let error = result.expect_err("refused");
    assert!(matches!(error, ChatError::InvalidInput(_)), "{error}");
    assert!(error.to_string().contains("heartbeat_interval"), "{error}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 0, "refused before any call");
}

#[tokio::test(start_paused = true)]
async fn the_longest_durations_saturate() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connected(
        builder(&emulator, &chat)
            .socket_lifetime(Duration::MAX)
            .subscribe_timeout(Duration::MAX)
            .typing_interval(Duration::MAX)
            .backoff_cap(Duration::MAX)
            .disconnect_wait(Duration::MAX),
    )
    .await;
    assert_eq!(session.send_typing().await.unwrap(), TypingOutcome::Sent);
    assert_eq!(session.send_typing().await.unwrap(), TypingOutcome::Throttled);
    tokio::time::sleep(Duration::from_secs(120)).await;
    session.send_text("still here").await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_zero_reconnect_rate_or_spread_is_refused_by_name() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let rate = builder(&emulator, &chat).reconnect_rate(0).connect().await.expect_err("refused");
    assert!(rate.to_string().contains("reconnect_rate"), "{rate}");
    let spread = builder(&emulator, &chat).reconnect_spread(Duration::ZERO).connect().await.expect_err("refused");
    assert!(spread.to_string().contains("reconnect_spread"), "{spread}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 0, "refused before any call");
}
