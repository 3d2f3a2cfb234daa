//! Reconnects and token refreshes stay bounded whatever the server does.

use std::time::Duration;

use connectparticipant_emulator::{Emulator, EmulatorConfig};
use tokio::time::Instant;

use super::doubles::{LocalSockets, acknowledge};
use super::support::{builder, connected};

/// A server that closes every socket right after acknowledging its subscription: the session
/// reconnects with a backoff that survives the quick deaths, so the reconnects of ten minutes
/// stay few (0-1 s, then 1 s doubling to a 30 s cap, each ×0.7–1.3: about 25, at most 34 with
/// every jitter at its lowest; a storm makes thousands).
#[tokio::test(start_paused = true)]
async fn a_socket_that_dies_right_after_subscribing_does_not_start_a_storm() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let sockets = LocalSockets::new(|mut socket| async move {
        if acknowledge(&mut socket).await.is_some() {
            let _ = socket.close(None).await;
        }
    });
    let _session = connected(builder(&emulator, &chat).socket_connector(sockets.clone())).await;
    let start = Instant::now();
    let mut per_minute = Vec::new();
    let mut before = sockets.opened();
    while start.elapsed() < Duration::from_secs(600) {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(60)) => {}
            // A storm never lets virtual time move: watch the count, not the clock.
            () = sockets.opened_more_than(before + 40) => panic!("a reconnect storm: over 40 sockets in a minute"),
        }
        per_minute.push(sockets.opened() - before);
        before = sockets.opened();
    }
    let total: usize = per_minute.iter().sum();
    assert!(total <= 34, "{total} reconnects in 10 minutes: {per_minute:?}");
    // At the cap, delays of at least 21 s: at most 3 sockets in any minute.
    assert!(per_minute[5..].iter().all(|n| *n <= 3), "at the cap, at most 3 a minute: {per_minute:?}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), sockets.opened());
}

/// A token whose expiry is already within the refresh margin (or a clock skewed past it) is
/// refreshed at most once a minute, not once a second.
#[tokio::test(start_paused = true)]
async fn an_expiry_already_due_does_not_start_a_refresh_storm() {
    let config = EmulatorConfig { token_lifetime: Duration::from_secs(30), ..EmulatorConfig::default() };
    let emulator = Emulator::start_with(config).await.unwrap();
    let chat = emulator.create_chat();
    let _session = connected(builder(&emulator, &chat)).await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    let calls = emulator.call_count("CreateParticipantConnection");
    assert!((2..=11).contains(&calls), "{calls} CreateParticipantConnection calls in 10 minutes");
}
