//! `cargo xtask bench --chat`: N chat sessions in one process against the emulator in another,
//! over TCP on 127.0.0.1, for this crate (`bench-chat-ours`, one shared `Client`) and for
//! amazon-connect-chatjs under Node (`xtask/bench/chatjs/harness.js`), in the same run.
//!
//! Per repetition and client: the emulator (`bench-chat-emulator`, pinned to core 0) makes N
//! chats; the client (pinned to core 1) connects a session to each; this task reads the
//! client's memory before and after from `/proc/PID/status` and its CPU from `/proc/PID/stat`;
//! the emulator's agents send messages at a fixed total rate (latency and CPU per message); the
//! emulator drops every socket at once and counts CreateParticipantConnection calls per second
//! until all N are subscribed again (the herd); the agents then send each chat another message,
//! and every message must have arrived exactly once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Figures, Pinning, Ranges, format_value};

/// The clients of the chat benchmark, in table order.
const CHAT_CLIENTS: [&str; 2] = ["ours", "chatjs"];
/// The agents' total message rate while latency and CPU are measured, per second.
const RATE: u64 = 1000;
/// How long they send at that rate.
const SEND_SECONDS: u64 = 10;
/// Marks the chat section of the results file (after the REST notes, which a REST run keeps).
const SECTION_START: &str = "<!-- chat: written by `cargo xtask bench --chat` -->";
const SECTION_END: &str = "<!-- /chat -->";

/// What `cargo xtask bench --chat` was asked to do.
#[derive(Debug, Clone)]
pub struct ChatArgs {
    pub sessions: usize,
    pub reps: usize,
    pub smoke: bool,
    /// Run amazon-connect-chatjs too (needs `node` and `npm`).
    pub chatjs: bool,
    /// The sessions' first reconnect delay, when not the crate's default.
    pub backoff_base_ms: Option<u64>,
    pub out: PathBuf,
}

/// Runs the chat benchmark.
pub fn run(root: &Path, args: &ChatArgs) -> Result<(), String> {
    let bench_dir = root.join("xtask/bench");
    let target_dir = root.join("target/bench");
    let profile = if args.smoke { "dev" } else { "release" };
    super::build_clients(&bench_dir, &target_dir, profile, &["chat".to_owned()])?;
    let bin_dir = target_dir.join(if args.smoke { "debug" } else { "release" });
    let clients: Vec<&str> = CHAT_CLIENTS.iter().copied().filter(|c| *c == "ours" || args.chatjs).collect();
    let node_modules = if args.chatjs { Some(install_chatjs(&bench_dir, &target_dir)?) } else { None };

    let pinning = Pinning::detect();
    eprintln!("bench --chat: {}", pinning.describe());
    let mut emulator = Process::start(pinning.command(&bin_dir.join("bench-chat-emulator"), 0), "bench-chat-emulator")?;
    let endpoint = emulator.read(Duration::from_secs(30))?;
    let endpoint = endpoint.strip_prefix("listening ").ok_or(format!("bench-chat-emulator said {endpoint:?}"))?;
    let reps = if args.smoke { 1 } else { args.reps };
    let mut samples: BTreeMap<&str, Vec<Figures>> = BTreeMap::new();
    let mut peer_failures = Vec::new();
    for rep in 0..reps {
        for i in 0..clients.len() {
            let client = clients[(i + rep) % clients.len()];
            eprintln!("bench --chat: repetition {}/{reps}: {client}, {} sessions", rep + 1, args.sessions);
            let command = match client {
                "ours" => {
                    let mut command = pinning.command(&bin_dir.join("bench-chat-ours"), 1);
                    if let Some(ms) = args.backoff_base_ms {
                        command.arg("--backoff-base-ms").arg(ms.to_string());
                    }
                    command
                }
                _ => {
                    let mut command = pinning.command(Path::new("node"), 1);
                    command.arg(bench_dir.join("chatjs/harness.js"));
                    command.env("NODE_PATH", node_modules.as_deref().unwrap_or(Path::new("")));
                    command
                }
            };
            let group = format!("{client}{rep}");
            let figures = match run_client(&mut emulator, command, &group, endpoint, &target_dir, args) {
                Ok(figures) => figures,
                // The peer failing is a finding to report, not a reason to lose our figures.
                Err(e) if client == "chatjs" => {
                    eprintln!("bench --chat: chatjs failed: {e}");
                    peer_failures.push(e);
                    continue;
                }
                Err(e) => return Err(e),
            };
            eprintln!("bench --chat: {client}: {}", describe(&figures));
            samples.entry(client).or_default().push(figures);
        }
    }
    emulator.stop();

    let medians: BTreeMap<&str, (Figures, Ranges)> =
        samples.iter().map(|(c, runs)| (*c, (super::medians(runs), super::ranges(runs)))).collect();
    let mut failures = Vec::new();
    for (client, (figures, _)) in &medians {
        for check in ["lost", "duplicated", "not_connected", "not_restored"] {
            if figures.get(check).copied().unwrap_or(0.0) > 0.0 && *client == "ours" {
                failures.push(format!("{client}: {check} {}", figures[check]));
            }
        }
    }
    let table = render_table(&clients, reps, &medians);
    let mut last = last_line(args.sessions, &medians);
    if let Some(first) = peer_failures.first()
        && !medians.contains_key("chatjs")
    {
        last = last.replace("chatjs: not run", &format!("chatjs: failed ({first})"));
    }
    if args.smoke {
        eprintln!("bench --chat --smoke: nothing timed or written");
    } else {
        println!("{table}");
        write_section(&args.out, &pinning, args, reps, &table, &last)?;
    }
    println!("{last}");
    if failures.is_empty() { Ok(()) } else { Err(format!("chat bench: {}", failures.join(", "))) }
}

/// Installs amazon-connect-chatjs and ws as `xtask/bench/chatjs/package-lock.json` pins them,
/// into a scratch directory (node_modules is never committed); returns its `node_modules`.
fn install_chatjs(bench_dir: &Path, target_dir: &Path) -> Result<PathBuf, String> {
    let scratch = target_dir.join("chatjs");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(bench_dir.join("chatjs").join(file), scratch.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    let modules = scratch.join("node_modules");
    if !modules.join("amazon-connect-chatjs").exists() || !modules.join("ws").exists() {
        eprintln!("bench --chat: npm ci in {}", scratch.display());
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&scratch)
            .status()
            .map_err(|e| format!("running npm (needed for chatjs; --no-chatjs runs ours only): {e}"))?;
        if !status.success() {
            return Err(format!("npm ci failed ({status})"));
        }
    }
    Ok(modules)
}

/// One client's run against its own group of chats.
fn run_client(
    emulator: &mut Process,
    mut command: Command,
    group: &str,
    endpoint: &str,
    target_dir: &Path,
    args: &ChatArgs,
) -> Result<Figures, String> {
    let n = args.sessions;
    let chats = target_dir.join(format!("chats-{group}.txt"));
    emulator.expect(&format!("chats {group} {n} {}", chats.display()), "ok", Duration::from_secs(120))?;
    command.arg("--endpoint").arg(endpoint).arg("--chats").arg(&chats);
    let mut client = Process::start(command, group)?;
    client.expect_line("empty", Duration::from_secs(60))?;
    // Let the empty process settle (the runtime's and Node's start-up allocations) before reading it.
    std::thread::sleep(Duration::from_millis(500));
    let empty_kib = client.rss_kib()?;
    let mut figures = Figures::new();
    let started = Instant::now();
    let connected = client.ask("connect", Duration::from_secs(120 + n as u64 / 20))?;
    let connect_s = started.elapsed().as_secs_f64();
    let (ok, failed) = match connected.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["connected", ok, failed] => (number(ok)?, number(failed)?),
        _ => return Err(format!("{group}: said {connected:?}")),
    };
    figures.insert("sessions".into(), ok);
    figures.insert("not_connected".into(), failed);
    if !args.smoke {
        figures.insert("connect_s".into(), connect_s);
    }
    // The sessions idle: no frame but heartbeats.
    std::thread::sleep(Duration::from_secs(if args.smoke { 1 } else { 3 }));
    let idle_kib = client.rss_kib()?;
    if ok > 0.0 && !args.smoke {
        figures.insert("kib_per_session".into(), (idle_kib as f64 - empty_kib as f64) / ok);
    }

    // Messages at a fixed rate: latency, CPU per message.
    client.expect("mark", "ok", Duration::from_secs(30))?;
    let cpu_before = client.cpu_us()?;
    let (rate, seconds) = if args.smoke { (100, 1) } else { (RATE, SEND_SECONDS) };
    let sent =
        parse_sent(&emulator.ask(&format!("send {group} {rate} {seconds}"), Duration::from_secs(seconds + 60))?)?;
    let stats = client.wait_for(sent, Duration::from_secs(20))?;
    let cpu = client.cpu_us()? - cpu_before;
    eprintln!("bench --chat: {group}: {} of {sent} messages arrived, {:.1} s of client CPU", stats.distinct, cpu / 1e6);
    eprintln!("bench --chat: {group}: {}", emulator.ask("calls", Duration::from_secs(30))?);
    if !args.smoke && stats.received > 0.0 {
        figures.insert("cpu_per_msg_us".into(), cpu / stats.received);
        figures.insert("p50_us".into(), stats.p50_us);
        figures.insert("p99_us".into(), stats.p99_us);
    }

    // Every socket dropped at once: the herd, and the time until all are back.
    let timeout = if args.smoke { 60 } else { 180 };
    let restored = emulator.ask(&format!("drop {ok} {timeout}"), Duration::from_secs(timeout + 30))?;
    eprintln!("bench --chat: {group}: after every socket dropped: {restored}");
    eprintln!("bench --chat: {group}: {}", emulator.ask("calls", Duration::from_secs(30))?);
    let words: Vec<&str> = restored.split_whitespace().collect();
    let (peak, calls) = match words.as_slice() {
        ["restored", seconds, peak, calls] => {
            if !args.smoke {
                figures.insert("restore_s".into(), number(seconds)?);
            }
            (number(peak)?, number(calls)?)
        }
        ["timeout", subscribed, peak, calls] => {
            figures.insert("not_restored".into(), ok - number(subscribed)?);
            (number(peak)?, number(calls)?)
        }
        _ => return Err(format!("bench-chat-emulator said {restored:?}")),
    };
    if calls > 0.0 && !args.smoke {
        figures.insert("herd_pct".into(), peak * 100.0 / calls);
    }

    // One more message per chat after the reconnects: every message, exactly once.
    let seconds = (n as u64).div_ceil(rate).max(1);
    let sent =
        parse_sent(&emulator.ask(&format!("send {group} {rate} {seconds}"), Duration::from_secs(seconds + 60))?)?;
    let stats = client.wait_for(sent, Duration::from_secs(30))?;
    figures.insert("lost".into(), sent - stats.distinct);
    figures.insert("duplicated".into(), stats.received - stats.distinct);
    let emulator_rss = emulator.ask("rss", Duration::from_secs(10))?;
    if let Some(kib) = emulator_rss.strip_prefix("rss ") {
        figures.insert("emulator_rss_kib".into(), number(kib)?);
    }
    client.stop();
    let _ = std::fs::remove_file(&chats);
    Ok(figures)
}

/// A client's `stats` answer.
struct Stats {
    received: f64,
    distinct: f64,
    p50_us: f64,
    p99_us: f64,
}

fn parse_sent(answer: &str) -> Result<f64, String> {
    number(answer.strip_prefix("sent ").ok_or(format!("bench-chat-emulator said {answer:?}"))?)
}

fn number(text: &str) -> Result<f64, String> {
    text.parse().map_err(|_| format!("not a number: {text:?}"))
}

/// A child process spoken to line by line; killed when dropped.
struct Process {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Process {
    fn start(mut command: Command, name: &str) -> Result<Self, String> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting {name}: {e}"))?;
        let stdout = child.stdout.take().ok_or(format!("{name} has no stdout"))?;
        let (tx, lines) = mpsc::channel();
        // A thread per child turns its blocking stdout into lines we can wait on with a timeout.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Ok(Self { name: name.to_owned(), child, stdin, lines })
    }

    fn read(&mut self, timeout: Duration) -> Result<String, String> {
        self.lines.recv_timeout(timeout).map_err(|e| match e {
            mpsc::RecvTimeoutError::Timeout => format!("{} did not answer within {timeout:?}", self.name),
            mpsc::RecvTimeoutError::Disconnected => format!("{} exited", self.name),
        })
    }

    fn ask(&mut self, command: &str, timeout: Duration) -> Result<String, String> {
        let stdin = self.stdin.as_mut().ok_or(format!("{} is stopped", self.name))?;
        writeln!(stdin, "{command}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("writing to {}: {e}", self.name))?;
        self.read(timeout)
    }

    fn expect(&mut self, command: &str, answer: &str, timeout: Duration) -> Result<(), String> {
        let got = self.ask(command, timeout)?;
        if got == answer { Ok(()) } else { Err(format!("{}: {command:?} answered {got:?}", self.name)) }
    }

    fn expect_line(&mut self, line: &str, timeout: Duration) -> Result<(), String> {
        let got = self.read(timeout)?;
        if got == line { Ok(()) } else { Err(format!("{} said {got:?}, not {line:?}", self.name)) }
    }

    fn stats(&mut self) -> Result<Stats, String> {
        let answer = self.ask("stats", Duration::from_secs(30))?;
        match answer.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["stats", received, distinct, p50, p99] => Ok(Stats {
                received: number(received)?,
                distinct: number(distinct)?,
                p50_us: number(p50)?,
                p99_us: number(p99)?,
            }),
            _ => Err(format!("{} said {answer:?}", self.name)),
        }
    }

    /// Asks for the figures until `sent` messages arrived, or `patience` passed since the last
    /// one did.
    fn wait_for(&mut self, sent: f64, patience: Duration) -> Result<Stats, String> {
        let mut last = self.stats()?;
        let mut progress = Instant::now();
        while last.distinct < sent && progress.elapsed() < patience {
            std::thread::sleep(Duration::from_millis(200));
            let now = self.stats()?;
            if now.received > last.received {
                progress = Instant::now();
            }
            last = now;
        }
        Ok(last)
    }

    fn rss_kib(&self) -> Result<u64, String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .map_err(|e| format!("reading the memory of {}: {e}", self.name))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .ok_or(format!("no VmRSS for {}", self.name))
    }

    /// User + system CPU of the process (all its threads), in microseconds.
    fn cpu_us(&self) -> Result<f64, String> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .map_err(|e| format!("reading the CPU of {}: {e}", self.name))?;
        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("").split_whitespace().collect();
        let ticks = |i: usize| fields.get(i - 3).and_then(|v| v.parse::<f64>().ok());
        let total = ticks(14).zip(ticks(15)).map(|(u, s)| u + s).ok_or(format!("bad /proc stat for {}", self.name))?;
        Ok(total * 1e6 / clock_ticks_per_second())
    }

    fn stop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = writeln!(stdin, "quit");
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `/proc/PID/stat` counts CPU in clock ticks (`getconf CLK_TCK`, 100 on Linux).
fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}

fn describe(figures: &Figures) -> String {
    figures.iter().map(|(k, v)| format!("{k}={v:.1}")).collect::<Vec<_>>().join(" ")
}

/// Rows of the chat table: label, metric, unit.
const ROWS: [(&str, &str, &str); 12] = [
    ("sessions held", "sessions", ""),
    ("sessions that did not connect", "not_connected", ""),
    ("time to connect them all", "connect_s", "s"),
    ("RSS per idle session", "kib_per_session", "KiB"),
    ("client CPU per delivered message", "cpu_per_msg_us", "us"),
    ("delivery latency p50 (1000 msg/s in total)", "p50_us", "us"),
    ("delivery latency p99", "p99_us", "us"),
    ("all sessions restored after every socket dropped", "restore_s", "s"),
    ("most CreateParticipantConnection calls in one second (herd)", "herd_pct", "%"),
    ("messages lost", "lost", ""),
    ("messages duplicated", "duplicated", ""),
    ("emulator RSS at the end", "emulator_rss_kib", "KiB"),
];

fn render_table(clients: &[&str], reps: usize, medians: &BTreeMap<&str, (Figures, Ranges)>) -> String {
    let mut out = String::from("| figure |");
    for client in clients {
        let _ = write!(out, " {} |", if *client == "ours" { "ours" } else { "amazon-connect-chatjs" });
    }
    if clients.len() > 1 {
        out.push_str(" ours / chatjs |");
    }
    out.push_str("\n|---|");
    for _ in 0..clients.len() + usize::from(clients.len() > 1) {
        out.push_str("---|");
    }
    out.push('\n');
    for (label, metric, unit) in ROWS {
        let _ = write!(out, "| {label} |");
        let value = |client: &str| medians.get(client).and_then(|(m, s)| Some((*m.get(metric)?, *s.get(metric)?)));
        for client in clients {
            let text = match value(client) {
                Some((v, (lo, hi))) if reps > 1 && lo != hi => {
                    format!("{} [{}-{}]", format_value(v, unit), format_value(lo, ""), format_value(hi, ""))
                }
                Some((v, _)) => format_value(v, unit),
                None => "-".to_owned(),
            };
            let _ = write!(out, " {text} |");
        }
        if clients.len() > 1 {
            let ratio = match (value("ours"), value("chatjs")) {
                (Some((a, _)), Some((b, _))) if b != 0.0 => format!("{:.2}x", a / b),
                _ => "-".to_owned(),
            };
            let _ = write!(out, " {ratio} |");
        }
        out.push('\n');
    }
    out
}

/// The run's last line, in the words.
fn last_line(sessions: usize, medians: &BTreeMap<&str, (Figures, Ranges)>) -> String {
    let get = |client: &str, metric: &str| medians.get(client).and_then(|(m, _)| m.get(metric)).copied();
    let show = |v: Option<f64>, digits: usize| v.map_or("-".to_owned(), |v| format!("{v:.digits$}"));
    let mut line = format!(
        "chat bench: {} sessions, {} lost, {} duplicated, {} KiB/session, {} us CPU/msg, herd {}% peak/s",
        show(get("ours", "sessions").or(Some(sessions as f64)), 0),
        show(get("ours", "lost"), 0),
        show(get("ours", "duplicated"), 0),
        show(get("ours", "kib_per_session"), 1),
        show(get("ours", "cpu_per_msg_us"), 1),
        show(get("ours", "herd_pct"), 1),
    );
    if medians.contains_key("chatjs") {
        let _ = write!(
            line,
            "; chatjs: {} sessions, {} KiB/session, {} us CPU/msg",
            show(get("chatjs", "sessions"), 0),
            show(get("chatjs", "kib_per_session"), 1),
            show(get("chatjs", "cpu_per_msg_us"), 1),
        );
    } else {
        line.push_str("; chatjs: not run");
    }
    line
}

/// Writes (or replaces) the chat section of the results file, after the REST notes.
fn write_section(
    out: &Path,
    pinning: &Pinning,
    args: &ChatArgs,
    reps: usize,
    table: &str,
    last: &str,
) -> Result<(), String> {
    let old = std::fs::read_to_string(out).unwrap_or_default();
    let mut section = format!("{SECTION_START}\n## Chat: {} sessions (`cargo xtask bench --chat", args.sessions);
    if args.sessions != 10_000 {
        let _ = write!(section, " --sessions {}", args.sessions);
    }
    if let Some(ms) = args.backoff_base_ms {
        let _ = write!(section, " --backoff-base-ms {ms}");
    }
    let _ = writeln!(section, "`)\n\nMedians of {reps} repetitions, [lowest-highest] beside each.\n");
    let _ = writeln!(section, "- Pinning: {}.", pinning.describe());
    section.push_str("- The emulator (`bench-chat-emulator`, the `connectparticipant-emulator` library) runs in its own process; each client connects one customer session per chat over TCP on 127.0.0.1, 64 at a time (ours: one `Client`, a current-thread tokio runtime; chatjs: amazon-connect-chatjs under Node with `ws`, receipts off as ours sends none).\n");
    let _ = writeln!(
        section,
        "- RSS per idle session: the client's VmRSS 3 s after the last session connected, minus its VmRSS before the first, over the sessions. CPU per message: the process's user + system time (`/proc/PID/stat`) while the agents send {RATE} messages/s in total for {SEND_SECONDS} s, over the messages delivered (idle sessions' heartbeats included)."
    );
    section.push_str("- Herd: the emulator drops every socket at once and counts CreateParticipantConnection calls per second until every session is subscribed again; the figure is the largest second's share of them. Then each chat gets one more message: lost and duplicated count every message of the run.\n\n");
    section.push_str(table);
    let _ = writeln!(section, "\n`{last}`\n{SECTION_END}");
    let report = match (old.find(SECTION_START), old.find(SECTION_END)) {
        (Some(start), Some(end)) if end > start => {
            format!("{}{section}{}", &old[..start], old[end + SECTION_END.len()..].trim_start_matches('\n'))
        }
        _ => format!("{}\n\n{section}", old.trim_end()),
    };
    std::fs::write(out, report).map_err(|e| format!("writing {}: {e}", out.display()))?;
    eprintln!("bench --chat: wrote {}", out.display());
    Ok(())
}
