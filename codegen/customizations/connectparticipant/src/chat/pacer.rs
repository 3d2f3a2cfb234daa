//! Pacing the reconnects of every session of one [`Client`]: when the service drops many
//! sockets at once, their CreateParticipantConnection calls are spread instead of arriving
//! together (the herd), while a session reconnecting alone is not held back.
//!
//! The pacer is a token bucket of one token: a reconnect call goes at once when none went within
//! the last gap, else at the next free slot, one gap after the last one given. The gap is
//! `1 / reconnect_rate` (100 ms by default), shortened to `reconnect_spread / n` while `n`
//! sessions of the client are reconnecting (30 s by default): a herd of any size is spread over
//! about `reconnect_spread`, so no second carries more than about 1/30 of its calls, and one of
//! fewer than `rate × spread` (300) sessions comes back at `reconnect_rate`. Every session
//! counts itself as reconnecting from the loss until it is back (or stops), and asks for its
//! slot only after its own first backoff delay (up to `backoff_base`), by when the sessions of
//! a herd have all noticed the loss: the gap is computed knowing the herd's size.
//!
//! Both defaults are our choice: the service documents no rate for CreateParticipantConnection,
//! and the official clients pace nothing (chatjs fetches a new URL at once after a close,
//! `../shared/CHAT-PROTOCOL.md` section 3).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::Duration;

use tokio::time::Instant;

use crate::Client;

use super::options::ChatOptions;

/// The reconnect pacer of one client.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// How many sessions are reconnecting.
    reconnecting: usize,
    /// The earliest time the next call may go.
    next: Option<Instant>,
}

/// A session counted as reconnecting, until dropped.
#[derive(Debug)]
pub(crate) struct Reconnecting(Arc<Pacer>);

impl Reconnecting {
    /// When this session's next CreateParticipantConnection may go (reserved for it), asked at
    /// `now`.
    pub(crate) fn slot(&self, now: Instant, options: &ChatOptions) -> Instant {
        let mut state = self.0.lock();
        let slot = state.next.map_or(now, |next| next.max(now));
        state.next = Some(slot + gap(state.reconnecting, options.reconnect_rate, options.reconnect_spread));
        slot
    }
}

impl Drop for Reconnecting {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.reconnecting = state.reconnecting.saturating_sub(1);
    }
}

impl Pacer {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Counts a session of `client` as reconnecting, with the pacer every session of that client
/// shares.
pub(crate) fn reconnecting(client: &Client) -> Reconnecting {
    let pacer = of(client);
    pacer.lock().reconnecting += 1;
    Reconnecting(pacer)
}

/// The time between two calls while `reconnecting` sessions wait: the shorter of one over the
/// rate and the spread shared among them.
fn gap(reconnecting: usize, rate: u32, spread: Duration) -> Duration {
    let slow = Duration::from_secs(1) / rate.max(1);
    let shared = spread / u32::try_from(reconnecting.max(1)).unwrap_or(u32::MAX);
    slow.min(shared)
}

/// The pacer of `client`, shared by its clones.
///
/// The generated `Client` has no room for a customization's state, so pacers are found by the
/// address of the client's shared configuration (one per `Client::new`, the same for its
/// clones). A pacer lives only while some session holds it, and a session holds its client: so
/// while a pacer lives its address cannot be taken by another client; once no session holds it,
/// the entry is dead and the next lookup makes a new one.
fn of(client: &Client) -> Arc<Pacer> {
    static PACERS: OnceLock<Mutex<HashMap<usize, Weak<Pacer>>>> = OnceLock::new();
    let key = std::ptr::from_ref(client.config()) as usize;
    let mut pacers = PACERS.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(pacer) = pacers.get(&key).and_then(Weak::upgrade) {
        return pacer;
    }
    pacers.retain(|_, pacer| pacer.strong_count() > 0);
    let pacer = Arc::new(Pacer::default());
    pacers.insert(key, Arc::downgrade(&pacer));
    pacer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::new(crate::Config::builder().region("us-east-1").build().expect("a valid configuration"))
    }

    #[test]
    fn the_gap_is_one_over_the_rate_until_the_herd_shares_the_spread() {
        let spread = Duration::from_secs(30);
        assert_eq!(gap(1, 10, spread), Duration::from_millis(100));
        assert_eq!(gap(300, 10, spread), Duration::from_millis(100));
        assert_eq!(gap(10_000, 10, spread), Duration::from_millis(3));
        assert_eq!(gap(0, 10, spread), Duration::from_millis(100));
    }

    #[test]
    fn a_lone_session_goes_at_once_and_a_herd_is_spread() {
        let client = client();
        let options = ChatOptions::default();
        let start = Instant::now();
        let lone = reconnecting(&client);
        assert_eq!(lone.slot(start, &options), start);
        drop(lone);
        let later = start + Duration::from_secs(1);
        let herd: Vec<Reconnecting> = (0..3000).map(|_| reconnecting(&client.clone())).collect();
        let slots: Vec<Duration> = herd.iter().map(|r| r.slot(later, &options) - later).collect();
        assert_eq!(slots[0], Duration::ZERO);
        assert_eq!(slots[1], Duration::from_millis(10));
        assert_eq!(slots[2999], Duration::from_millis(29_990));
    }

    #[test]
    fn clients_do_not_share_a_pacer() {
        let (one, other) = (client(), client());
        let (options, now) = (ChatOptions::default(), Instant::now());
        let first = reconnecting(&one);
        let _ = first.slot(now, &options);
        assert!(Arc::ptr_eq(&first.0, &reconnecting(&one.clone()).0));
        let elsewhere = reconnecting(&other);
        assert!(!Arc::ptr_eq(&first.0, &elsewhere.0));
        assert_eq!(elsewhere.slot(now, &options), now, "not behind the other client's calls");
    }
}
