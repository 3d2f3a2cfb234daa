//! One test per fault, each with its invariant: nothing lost, nothing twice, no await longer
//! than its bound, reconnect attempts following the backoff, no storm.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use connectparticipant::chat::{ChatEvent, ChatSession, ConnectFuture, ConnectionState, SocketConnector};
use connectparticipant_emulator::{Emulator, RestFault};
use tokio::time::Instant;

use super::support::{InMemory, builder, connect, connected, is_state, texts_until, until};

/// When each CreateParticipantConnection arrived.
pub(crate) fn connection_calls(emulator: &Emulator) -> Vec<Instant> {
    emulator.calls().into_iter().filter(|c| c.operation == "CreateParticipantConnection").map(|c| c.at).collect()
}

/// The in-memory socket connector, recording when each socket was opened.
#[derive(Clone)]
struct Recording(InMemory, Arc<Mutex<Vec<Instant>>>);

impl Recording {
    fn new(emulator: &Emulator) -> Self {
        Self(InMemory(emulator.memory_link()), Arc::default())
    }

    fn opened(&self) -> Vec<Instant> {
        self.1.lock().unwrap().clone()
    }
}

impl SocketConnector for Recording {
    fn connect(&self, host: &str, port: u16) -> ConnectFuture<'_> {
        self.1.lock().unwrap().push(Instant::now());
        self.0.connect(host, port)
    }
}

/// The most calls that arrived within any `window`.
pub(crate) fn most_within(calls: &[Instant], window: Duration) -> usize {
    calls
        .iter()
        .enumerate()
        .map(|(i, start)| calls[i..].iter().take_while(|at| **at - *start < window).count())
        .max()
        .unwrap_or(0)
}

/// The texts of the messages up to `last`, failing when they take longer than `bound`.
async fn texts_within(session: &mut ChatSession, last: &str, bound: Duration) -> (Vec<String>, Vec<ChatEvent>) {
    tokio::time::timeout(bound, texts_until(session, last))
        .await
        .unwrap_or_else(|_| panic!("{last:?} did not arrive within {bound:?}"))
}

/// Connection changes among `events`, in order.
fn states(events: &[ChatEvent]) -> Vec<ConnectionState> {
    events.iter().filter_map(|e| if let ChatEvent::Connection(state) = e { Some(*state) } else { None }).collect()
}

#[tokio::test(start_paused = true)]
async fn added_latency_loses_and_repeats_nothing() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    emulator.link_faults().set_latency(Duration::from_millis(1500));
    let mut session = connect(&emulator, &chat).await;
    let mut expected = Vec::new();
    for i in 0..20 {
        if i % 3 == 0 {
            session.send_text(&format!("customer {i}")).await.expect("sent despite the latency");
            expected.push(format!("customer {i}"));
        } else {
            emulator.agent_send(&chat, &format!("agent {i}"));
            expected.push(format!("agent {i}"));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let (texts, others) = texts_within(&mut session, expected.last().unwrap(), Duration::from_secs(60)).await;
    assert_eq!(texts, expected, "every message once, in order");
    assert!(states(&others).is_empty(), "1.5 s of latency is no loss: {others:?}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_half_open_socket_is_noticed_and_retried_with_backoff() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let sockets = Recording::new(&emulator);
    let mut session = connected(builder(&emulator, &chat).socket_connector(sockets.clone())).await;
    emulator.agent_send(&chat, "before");
    texts_until(&mut session, "before").await;
    emulator.link_faults().stall_sockets(true);
    let stalled = Instant::now();
    emulator.agent_send(&chat, "during 1");
    emulator.agent_send(&chat, "during 2");
    until(&mut session, |e| is_state(e, ConnectionState::Lost).then_some(())).await;
    let noticed = stalled.elapsed();
    assert!(noticed <= Duration::from_secs(20), "a silent socket is noticed within two heartbeats: {noticed:?}");
    // Two minutes of half-open sockets: each new one never completes its handshake.
    tokio::time::sleep_until(stalled + Duration::from_secs(120)).await;
    emulator.link_faults().stall_sockets(false);
    let (texts, others) = texts_within(&mut session, "during 2", Duration::from_secs(60)).await;
    assert_eq!(texts, ["during 1", "during 2"], "nothing lost, nothing twice");
    assert!(!states(&others).contains(&ConnectionState::Ended), "{others:?}");
    emulator.agent_send(&chat, "after");
    assert_eq!(texts_within(&mut session, "after", Duration::from_secs(60)).await.0, ["after"]);
    // Attempts while stalled: each waits out the socket's open timeout (10 s), then a delay
    // that doubles from 1 s (× 0.7 at least).
    let retries: Vec<Instant> =
        sockets.opened().into_iter().skip(1).filter(|at| *at < stalled + Duration::from_secs(120)).collect();
    assert!(retries.len() >= 2 && retries.len() <= 13, "{} attempts in 2 minutes", retries.len());
    // A socket that does not open is retried on the URL held while it is valid (85 s): one
    // CreateParticipantConnection for the loss, and at most one more once the URL expired.
    let calls = connection_calls(&emulator).into_iter().skip(1).filter(|at| *at < stalled + Duration::from_secs(120));
    let calls = calls.count();
    assert!((1..=2).contains(&calls), "{calls} CreateParticipantConnection calls for {} sockets", retries.len());
    for (n, pair) in retries.windows(2).enumerate().skip(1) {
        let backoff = Duration::from_secs(1 << n.min(4)).min(Duration::from_secs(30)).mul_f64(0.7);
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_secs(10) + backoff / 2, "attempt {} came {gap:?} after the one before", n + 1);
    }
}

#[tokio::test(start_paused = true)]
async fn a_reset_in_the_middle_of_a_frame_loses_nothing() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.agent_send(&chat, "first");
    texts_until(&mut session, "first").await;
    emulator.link_faults().reset_sockets_mid_frame();
    emulator.agent_send(&chat, "cut in half");
    let (texts, others) = texts_within(&mut session, "cut in half", Duration::from_secs(30)).await;
    assert_eq!(texts, ["cut in half"]);
    assert_eq!(states(&others), [ConnectionState::Lost], "the cut socket is lost, then the gap filled");
    assert_eq!(emulator.link_faults().applied(), 1);
    emulator.agent_send(&chat, "after");
    assert_eq!(texts_within(&mut session, "after", Duration::from_secs(30)).await.0, ["after"], "nothing twice");
}

#[tokio::test(start_paused = true)]
async fn a_reset_before_any_item_was_seen_loses_nothing() {
    // The gap fill has no item to start from: FORWARD without a start position reads from the
    // most recent item (the documented meaning, which the emulator follows) and finds nothing.
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.link_faults().reset_sockets_mid_frame();
    emulator.agent_send(&chat, "cut in half");
    emulator.agent_send(&chat, "written while away");
    let (texts, _) = texts_within(&mut session, "written while away", Duration::from_secs(60)).await;
    assert_eq!(texts, ["cut in half", "written while away"]);
}

#[tokio::test(start_paused = true)]
async fn sockets_closed_right_after_the_subscription_do_not_storm() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.agent_send(&chat, "seen");
    texts_until(&mut session, "seen").await;
    emulator.close_after_subscribe(12);
    emulator.drop_sockets();
    emulator.agent_send(&chat, "through the storm");
    let (texts, _) = texts_within(&mut session, "through the storm", Duration::from_secs(900)).await;
    assert_eq!(texts, ["through the storm"]);
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(emulator.faults_applied(), 12, "every quick death happened");
    let calls = connection_calls(&emulator);
    let worst = most_within(&calls, Duration::from_secs(60));
    // Backoff delays 1, 2, 4, 8, 16, 30 s (× 0.7–1.3) after the first: a handful per minute
    // (today's storm: all 13 at once).
    assert!(worst <= 10, "{worst} CreateParticipantConnection calls within a minute ({} in all)", calls.len());
}

#[tokio::test(start_paused = true)]
async fn an_oversized_frame_loses_and_repeats_nothing() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.agent_send(&chat, "before");
    texts_until(&mut session, "before").await;
    // 4 MiB: far beyond any chat item (a message is at most 12 KB of content).
    let huge =
        format!(r#"{{"topic":"aws/chat","contentType":"application/json","content":"{}"}}"#, "x".repeat(4 << 20));
    emulator.send_raw_frame(&chat, &huge);
    emulator.agent_send(&chat, "after");
    let (texts, others) = texts_within(&mut session, "after", Duration::from_secs(60)).await;
    assert_eq!(texts, ["after"], "nothing lost, nothing twice");
    let states = states(&others);
    assert!(
        states.is_empty()
            || states == [ConnectionState::Lost]
            || states == [ConnectionState::Lost, ConnectionState::Restored],
        "dropping the socket is fine, ending is not: {others:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_invalid_utf8_text_frame_loses_and_repeats_nothing() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.agent_send(&chat, "before");
    texts_until(&mut session, "before").await;
    emulator.send_invalid_utf8(&chat);
    emulator.agent_send(&chat, "after");
    let (texts, others) = texts_within(&mut session, "after", Duration::from_secs(60)).await;
    assert_eq!(texts, ["after"]);
    assert_eq!(states(&others), [ConnectionState::Lost], "a text frame that is not UTF-8 kills the socket");
    emulator.agent_send(&chat, "later");
    assert_eq!(texts_within(&mut session, "later", Duration::from_secs(60)).await.0, ["later"]);
}

#[tokio::test(start_paused = true)]
async fn a_stalled_transcript_call_is_bounded_and_retried() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.agent_send(&chat, "before");
    texts_until(&mut session, "before").await;
    emulator.link_faults().rest_fault("transcript", RestFault::Stall, 1);
    emulator.drop_sockets();
    emulator.agent_send(&chat, "missed");
    let lost = Instant::now();
    let (texts, _) = texts_within(&mut session, "missed", Duration::from_secs(120)).await;
    assert_eq!(texts, ["missed"], "the gap is filled once the stalled call is given up");
    assert_eq!(emulator.link_faults().applied(), 1, "the first GetTranscript was swallowed");
    assert!(lost.elapsed() >= Duration::from_secs(1), "it was the stalled call that was waited for");
    assert!(emulator.call_count("GetTranscript") >= 1, "the fill was tried again");
    emulator.agent_send(&chat, "after");
    assert_eq!(texts_within(&mut session, "after", Duration::from_secs(30)).await.0, ["after"]);
}

#[tokio::test(start_paused = true)]
async fn a_slow_connection_answer_is_waited_for_once() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let slow = RestFault::Trickle { piece: 64, every: Duration::from_secs(1) };
    emulator.link_faults().rest_fault("connection", slow, 1);
    emulator.drop_sockets();
    let lost = Instant::now();
    until(&mut session, |e| is_state(e, ConnectionState::Restored).then_some(())).await;
    assert!(lost.elapsed() >= Duration::from_secs(4), "the answer came in pieces: {:?}", lost.elapsed());
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 2, "one slow call, no second beside it");
}

#[tokio::test(start_paused = true)]
async fn an_answer_trickling_past_its_bound_is_given_up_and_retried() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    // One byte a second: some ten minutes for the whole answer.
    let crawl = RestFault::Trickle { piece: 1, every: Duration::from_secs(1) };
    emulator.link_faults().rest_fault("connection", crawl, 1);
    emulator.drop_sockets();
    let lost = Instant::now();
    until(&mut session, |e| is_state(e, ConnectionState::Restored).then_some(())).await;
    assert!(lost.elapsed() <= Duration::from_secs(90), "restored after {:?}", lost.elapsed());
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 3, "the crawling call, then a new one");
}

#[tokio::test(start_paused = true)]
async fn expiry_times_skewed_against_the_clock_do_not_storm_token_refreshes() {
    // The emulator states expiries as if its clock were a day behind: the connection token
    // looks due in 30 s, then already past.
    for skew in [30 - 86_400, -2 * 86_400] {
        let emulator = Emulator::start().await;
        emulator.skew_expiries(skew);
        let chat = emulator.create_chat();
        let session = connected(builder(&emulator, &chat)).await;
        tokio::time::sleep(Duration::from_secs(3600)).await;
        let calls = emulator.call_count("CreateParticipantConnection");
        // The first connect, one socket replacement, and at most one refresh a minute.
        assert!(calls <= 62, "skew {skew} s: {calls} CreateParticipantConnection calls in an hour");
        session.send_text("still usable").await.expect("the token still works");
    }
}
