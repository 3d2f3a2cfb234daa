//! `bench-chat-emulator`: the emulator in its own process for `cargo xtask bench --chat`, driven
//! by one command per line on stdin, answering one line per command on stdout.
//!
//! - `chats GROUP N PATH`: creates N chats, writes `contact-id participant-id participant-token`
//!   per line to PATH (what StartChatContact hands a client); answers `ok`.
//! - `send GROUP RATE SECONDS`: the agent of every chat of GROUP sends messages, round robin,
//!   RATE per second in total for SECONDS; each text is `bench SEQ UNIX-NANOS` (SEQ counts up
//!   across the group's runs, so the client can tell lost and duplicated messages; the time
//!   gives the delivery latency). Answers `sent TOTAL` (the group's total so far).
//! - `drop N TIMEOUT`: drops every socket at once and waits (at most TIMEOUT seconds) until N
//!   are subscribed again; answers `restored SECONDS PEAK CALLS` (PEAK: the most
//!   CreateParticipantConnection calls in any one second since the drop; CALLS: all of them)
//!   or `timeout SUBSCRIBED PEAK CALLS`.
//! - `rss`: answers `rss KIB` (this process: whether the emulator is the one growing).
//! - `calls`: answers `calls OP=COUNT...`: the REST calls the sessions made so far.
//! - `quit`.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use connectparticipant_bench::chat::{answer, message_text, raise_fd_limit, rss_kib, stdin_lines};
use connectparticipant_emulator::{Emulator, EmulatorConfig, NewChat};

const CREATE: &str = "CreateParticipantConnection";
/// The operations a chat session calls, counted by `calls`.
const OPERATIONS: [&str; 4] = [CREATE, "GetTranscript", "SendEvent", "SendMessage"];

/// One client's chats and how many messages they have been sent.
#[derive(Default)]
struct Group {
    chats: Vec<NewChat>,
    sent: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    raise_fd_limit();
    // Socket URLs stay valid for the whole of a slow connect of 10,000 sessions.
    let config = EmulatorConfig { url_validity: Duration::from_secs(600), ..EmulatorConfig::default() };
    let emulator = Emulator::start_with(config).await.unwrap_or_else(|e| fail(&format!("starting: {e}")));
    answer(&format!("listening {}", emulator.endpoint()));
    let mut lines = stdin_lines();
    let mut groups: HashMap<String, Group> = HashMap::new();
    while let Some(line) = lines.recv().await {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["chats", group, n, path] => {
                let group = groups.entry((*group).to_owned()).or_default();
                group.chats = (0..number(n)).map(|_| emulator.create_chat()).collect();
                let mut text = String::new();
                for chat in &group.chats {
                    text.push_str(&format!("{} {} {}\n", chat.contact_id, chat.customer.id, chat.participant_token));
                }
                std::fs::write(path, text).unwrap_or_else(|e| fail(&format!("writing {path}: {e}")));
                answer("ok");
            }
            ["send", group, rate, seconds] => {
                let group = groups.get_mut(*group).unwrap_or_else(|| fail("send before chats"));
                send(&emulator, group, number(rate), number(seconds)).await;
                answer(&format!("sent {}", group.sent));
            }
            ["drop", n, timeout] => {
                let outcome = drop_all(&emulator, number(n) as usize, Duration::from_secs(number(timeout))).await;
                answer(&outcome);
            }
            ["rss"] => answer(&format!("rss {}", rss_kib(std::process::id()).unwrap_or(0))),
            ["calls"] => {
                let counts: Vec<String> =
                    OPERATIONS.iter().map(|op| format!("{op}={}", emulator.call_count(op))).collect();
                answer(&format!("calls {}", counts.join(" ")));
            }
            ["quit"] => break,
            _ => fail(&format!("unknown command {line:?}")),
        }
    }
}

/// The agent's messages at a fixed total rate, round robin over the group's chats.
async fn send(emulator: &Emulator, group: &mut Group, rate: u64, seconds: u64) {
    let total = rate * seconds;
    let started = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(5));
    let mut sent = 0;
    while sent < total {
        ticks.tick().await;
        // Catch up with the clock rather than with the ticks, so a slow tick does not lower the rate.
        let due = ((started.elapsed().as_secs_f64() * rate as f64) as u64).min(total);
        while sent < due {
            let chat = &group.chats[(group.sent % group.chats.len() as u64) as usize];
            let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            emulator.agent_send(chat, &message_text(group.sent, nanos));
            group.sent += 1;
            sent += 1;
        }
    }
}

/// Drops every socket and watches the sessions come back.
async fn drop_all(emulator: &Emulator, sessions: usize, timeout: Duration) -> String {
    let before = emulator.call_count(CREATE);
    let started = Instant::now();
    emulator.drop_sockets();
    let mut per_second: Vec<usize> = Vec::new();
    let mut counted = before;
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = emulator.call_count(CREATE);
        let second = started.elapsed().as_secs() as usize;
        per_second.resize(per_second.len().max(second + 1), 0);
        per_second[second] += now - counted;
        counted = now;
        let peak = per_second.iter().max().copied().unwrap_or(0);
        let subscribed = emulator.subscribed_sockets();
        if subscribed >= sessions {
            return format!("restored {:.3} {peak} {}", started.elapsed().as_secs_f64(), counted - before);
        }
        if started.elapsed() > timeout {
            return format!("timeout {subscribed} {peak} {}", counted - before);
        }
    }
}

fn number(text: &str) -> u64 {
    text.parse().unwrap_or_else(|_| fail(&format!("not a count: {text:?}")))
}

fn fail(message: &str) -> ! {
    eprintln!("bench-chat-emulator: {message}");
    std::process::exit(1);
}
