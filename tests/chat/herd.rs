//! Many sessions of one `Client` dropped at once (the reconnect herd): each comes back with one
//! CreateParticipantConnection, and the client spreads those calls.

use std::collections::HashMap;
use std::time::Duration;

use connectparticipant::Client;
use connectparticipant::chat::{ChatSession, ConnectionState};
use connectparticipant_emulator::{Emulator, EmulatorConfig, NewChat};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::support::{InMemory, client, connected, is_state, until};

/// `n` sessions of `client`, connected, with their chats.
async fn sessions(emulator: &Emulator, client: &Client, n: usize) -> Vec<(NewChat, ChatSession)> {
    let mut connecting = JoinSet::new();
    for _ in 0..n {
        let chat = emulator.create_chat();
        let builder = ChatSession::builder(client, chat.participant_token.clone())
            .socket_connector(InMemory(emulator.memory_link()));
        connecting.spawn(async move { (chat, connected(builder).await) });
    }
    connecting.join_all().await
}

/// Drops every socket a moment after the sessions connected (connecting takes no time on the
/// paused clock: their first calls would count as made at the drop); returns when.
async fn drop_sockets(emulator: &Emulator) -> Instant {
    tokio::time::sleep(Duration::from_millis(1)).await;
    emulator.drop_sockets();
    Instant::now()
}

/// Waits until every session is `Restored`; how long each took from `since`.
async fn restored(sessions: Vec<(NewChat, ChatSession)>, since: Instant) -> Vec<Duration> {
    let mut waiting = JoinSet::new();
    for (_chat, mut session) in sessions {
        waiting.spawn(async move {
            until(&mut session, |e| is_state(e, ConnectionState::Restored).then_some(())).await;
            // Kept open until every session is back: a closed one would leave the herd early.
            (since.elapsed(), session)
        });
    }
    let done = waiting.join_all().await;
    done.into_iter().map(|(took, _session)| took).collect()
}

/// The CreateParticipantConnection calls since `since` (but those with the participant token
/// `except`): how many each participant token made, and how many fell in each second.
fn calls_since(emulator: &Emulator, since: Instant, except: Option<&str>) -> (HashMap<String, usize>, Vec<usize>) {
    let (mut per_token, mut per_second) = (HashMap::new(), Vec::new());
    for call in emulator.calls() {
        if call.operation != "CreateParticipantConnection" || call.at < since || call.bearer.as_deref() == except {
            continue;
        }
        *per_token.entry(call.bearer.unwrap_or_default()).or_insert(0) += 1;
        let second = (call.at - since).as_secs() as usize;
        if per_second.len() <= second {
            per_second.resize(second + 1, 0);
        }
        per_second[second] += 1;
    }
    (per_token, per_second)
}

/// Under load a server answers late: here the subscriptions go unacknowledged for 20 s after
/// every socket dropped. Each session retries its socket on the URL it already holds (valid for
/// 85 s, as the official clients reuse it) instead of calling CreateParticipantConnection again
/// for every late acknowledgement: one call per session.
#[tokio::test(start_paused = true)]
async fn late_subscription_acks_retry_the_socket_on_the_url_held() {
    const SESSIONS: usize = 100;
    let emulator = Emulator::start().await;
    let client = client(&emulator);
    let sessions = sessions(&emulator, &client, SESSIONS).await;
    emulator.acknowledge_subscriptions(false);
    let dropped = drop_sockets(&emulator).await;
    tokio::time::sleep(Duration::from_secs(20)).await;
    emulator.acknowledge_subscriptions(true);
    restored(sessions, dropped).await;
    let (per_token, _) = calls_since(&emulator, dropped, None);
    assert_eq!(per_token.len(), SESSIONS, "every session called");
    let extra: Vec<usize> = per_token.values().copied().filter(|n| *n > 1).collect();
    assert!(extra.is_empty(), "sessions that called more than once: {extra:?}");
}

/// A lone session is back in about a second (its first backoff delay, at most 1 s; the pacer
/// adds nothing).
#[tokio::test(start_paused = true)]
async fn a_lone_session_is_restored_within_a_second() {
    let emulator = Emulator::start().await;
    let sessions = sessions(&emulator, &client(&emulator), 1).await;
    let dropped = drop_sockets(&emulator).await;
    let took = restored(sessions, dropped).await;
    assert!(took[0] <= Duration::from_millis(1100), "restored after {took:?}");
}

/// 300 sessions of one client dropped at once: no second carries more than 5% of their
/// CreateParticipantConnection calls, and each makes exactly one. The pacer is the client's:
/// a session of another client dropped at the same moment is not queued behind them.
#[tokio::test(start_paused = true)]
async fn a_herd_is_spread_per_client() {
    const SESSIONS: usize = 300;
    let emulator = Emulator::start().await;
    let herd = sessions(&emulator, &client(&emulator), SESSIONS).await;
    let lone = sessions(&emulator, &client(&emulator), 1).await;
    let lone_token = lone[0].0.participant_token.clone();
    let dropped = drop_sockets(&emulator).await;
    let (herd_took, lone_took) = tokio::join!(restored(herd, dropped), restored(lone, dropped));
    assert!(lone_took[0] <= Duration::from_millis(1100), "the other client's session took {lone_took:?}");

    let (everyone, _) = calls_since(&emulator, dropped, None);
    assert_eq!(everyone.get(&lone_token), Some(&1), "the other client's session: {everyone:?}");
    let (per_token, per_second) = calls_since(&emulator, dropped, Some(&lone_token));
    assert_eq!(per_token.len(), SESSIONS, "every session of the herd called");
    assert!(per_token.values().all(|n| *n == 1), "one call each: {per_token:?}");
    let peak = per_second.iter().copied().max().unwrap_or(0);
    assert!(peak * 20 <= SESSIONS, "{peak} of {SESSIONS} calls in one second: {per_second:?}");
    let slowest = herd_took.iter().max().copied().unwrap_or_default();
    assert!(slowest <= Duration::from_secs(35), "the herd took {slowest:?}");
}

/// A URL the server refuses (here: expired by the server's reckoning, 3 s, before the client's
/// 85 s) is not retried: the session fetches a new one, and is back once the server answers.
#[tokio::test(start_paused = true)]
async fn a_refused_url_is_replaced_by_a_new_one() {
    let config = EmulatorConfig { url_validity: Duration::from_secs(3), ..EmulatorConfig::default() };
    let emulator = Emulator::start_with(config).await.unwrap();
    let sessions = sessions(&emulator, &client(&emulator), 1).await;
    let token = sessions[0].0.participant_token.clone();
    emulator.acknowledge_subscriptions(false);
    let dropped = drop_sockets(&emulator).await;
    // The first socket's subscription goes unanswered (4 s); the retry on the same URL is
    // refused (past 3 s); the next attempt fetches a new URL.
    tokio::time::sleep(Duration::from_secs(7)).await;
    emulator.acknowledge_subscriptions(true);
    let took = restored(sessions, dropped).await;
    let (per_token, _) = calls_since(&emulator, dropped, None);
    assert!(per_token[&token] >= 2, "a new URL after the refusal: {per_token:?}");
    // Not the refused URL again until the client's own validity (85 s) ran out.
    assert!(took[0] <= Duration::from_secs(20), "restored after {took:?}");
}
