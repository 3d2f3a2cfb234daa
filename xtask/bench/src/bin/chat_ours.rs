//! `bench-chat-ours`: many `ChatSession`s in one process, sharing one `Client`, for
//! `cargo xtask bench --chat`. Driven by one command per line on stdin, one answer per line on
//! stdout (the same protocol as `xtask/bench/chatjs/harness.js`):
//!
//! - at start, after the client is set up and before any session: `empty` (the orchestrator
//!   reads this process's memory then);
//! - `connect`: connects a session for every chat in the `--chats` file; answers
//!   `connected OK FAILED`;
//! - `mark`: forgets the latencies recorded so far; answers `ok`;
//! - `stats`: answers `stats RECEIVED DISTINCT P50_US P99_US`: the agent's messages received
//!   so far, how many different ones, and the delivery latency percentiles of those received
//!   since the last `mark`;
//! - `quit`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use connectparticipant::chat::{ChatEvent, ChatSession};
use connectparticipant::{Client, Config};
use connectparticipant_bench::chat::{answer, parse_message, raise_fd_limit, stdin_lines};
use tokio::task::JoinSet;

const USAGE: &str = "usage: bench-chat-ours --endpoint URL --chats PATH [--backoff-base-ms MS]";
/// Sessions connecting at once (the JavaScript harness uses the same).
const CONNECTING: usize = 64;

/// What the sessions received.
#[derive(Default)]
struct Stats {
    received: u64,
    /// `seen[seq]`: whether message `seq` arrived.
    seen: Vec<bool>,
    distinct: u64,
    latencies_us: Vec<f64>,
}

impl Stats {
    fn record(&mut self, text: &str) {
        let Some((seq, sent_nanos)) = parse_message(text) else { return };
        self.received += 1;
        let seq = seq as usize;
        if self.seen.len() <= seq {
            self.seen.resize(seq + 1, false);
        }
        if !std::mem::replace(&mut self.seen[seq], true) {
            self.distinct += 1;
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        self.latencies_us.push(now.saturating_sub(sent_nanos) as f64 / 1e3);
    }
}

struct Args {
    endpoint: String,
    chats: String,
    backoff_base: Option<Duration>,
}

fn parse_args() -> Option<Args> {
    let mut args = std::env::args().skip(1);
    let (mut endpoint, mut chats, mut backoff_base) = (None, None, None);
    while let Some(arg) = args.next() {
        let value = args.next()?;
        match arg.as_str() {
            "--endpoint" => endpoint = Some(value),
            "--chats" => chats = Some(value),
            "--backoff-base-ms" => backoff_base = Some(Duration::from_millis(value.parse().ok()?)),
            _ => return None,
        }
    }
    Some(Args { endpoint: endpoint?, chats: chats?, backoff_base })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Some(args) = parse_args() else { fail(USAGE) };
    raise_fd_limit();
    let config =
        Config::builder().region("us-east-1").endpoint_url(&args.endpoint).build().expect("a valid configuration");
    let client = Client::new(config);
    let stats = Arc::new(Mutex::new(Stats::default()));
    let mut lines = stdin_lines();
    answer("empty");
    // The sessions live until the process exits.
    let mut readers = JoinSet::new();
    while let Some(line) = lines.recv().await {
        match line.trim() {
            "connect" => {
                let (ok, failed) = connect_all(&client, &args, &stats, &mut readers).await;
                answer(&format!("connected {ok} {failed}"));
            }
            "mark" => {
                stats.lock().expect("stats lock").latencies_us.clear();
                answer("ok");
            }
            "stats" => {
                let stats = stats.lock().expect("stats lock");
                let p50 = percentile(&stats.latencies_us, 0.50);
                let p99 = percentile(&stats.latencies_us, 0.99);
                answer(&format!("stats {} {} {p50:.0} {p99:.0}", stats.received, stats.distinct));
            }
            "quit" => break,
            other => fail(&format!("unknown command {other:?}")),
        }
    }
}

/// Connects a session per chat, `CONNECTING` at a time; each gets a task reading its events.
async fn connect_all(
    client: &Client,
    args: &Args,
    stats: &Arc<Mutex<Stats>>,
    readers: &mut JoinSet<()>,
) -> (usize, usize) {
    let text = std::fs::read_to_string(&args.chats).unwrap_or_else(|e| fail(&format!("{}: {e}", args.chats)));
    let mut chats = text.lines().filter_map(|l| {
        let mut words = l.split_whitespace();
        let (_contact, participant, token) = (words.next()?, words.next()?, words.next()?);
        Some((participant.to_owned(), token.to_owned()))
    });
    let (mut ok, mut failed) = (0, 0);
    let mut connecting = JoinSet::new();
    loop {
        while connecting.len() < CONNECTING {
            let Some((participant, token)) = chats.next() else { break };
            let mut builder = ChatSession::builder(client, token).participant_id(participant);
            if let Some(base) = args.backoff_base {
                builder = builder.backoff_base(base).backoff_cap(base.max(Duration::from_secs(30)));
            }
            connecting.spawn(builder.connect());
        }
        let Some(done) = connecting.join_next().await else { break };
        match done {
            Ok(Ok(session)) => {
                ok += 1;
                readers.spawn(read_events(session, Arc::clone(stats)));
            }
            Ok(Err(e)) => {
                failed += 1;
                eprintln!("bench-chat-ours: a session did not connect: {e}");
            }
            Err(e) => fail(&format!("a connect task failed: {e}")),
        }
    }
    (ok, failed)
}

async fn read_events(mut session: ChatSession, stats: Arc<Mutex<Stats>>) {
    while let Some(event) = session.next_event().await {
        match event {
            ChatEvent::Message { from_self: false, item, .. } => {
                stats.lock().expect("stats lock").record(item.content.as_deref().unwrap_or_default());
            }
            ChatEvent::Failed(e) | ChatEvent::GapNotFilled(e) => eprintln!("bench-chat-ours: {e:?}"),
            ChatEvent::Lagged { .. } => eprintln!("bench-chat-ours: a session lagged"),
            _ => {}
        }
    }
}

fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn fail(message: &str) -> ! {
    eprintln!("bench-chat-ours: {message}");
    std::process::exit(1);
}
