//! `cargo xtask bench`: this crate side by side with the official SDK, rusoto and a bare hyper
//! floor, against one mock server on 127.0.0.1.
//!
//! The clients and the server live in `xtask/bench`, a workspace of its own (the peers take
//! minutes to build; the project's normal build and tests never compile them). This task builds
//! them, starts the server pinned to one core, runs each client in turn pinned to the other
//! (alternating the order every repetition), takes the medians, and prints one table with
//! ratios against the floor and against each peer. Without `--smoke` it writes the table to
//! `xtask/bench/RESULTS.md`.
//!
//! `--baseline REV` adds the `ours` client of an earlier commit to the run (see [`baseline`]).
//!
//! `--chat` runs the chat benchmark instead (see [`chat`]).

mod baseline;
mod chat;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// The usage text of `cargo xtask bench`.
pub const USAGE: &str = "\
usage: cargo xtask bench [options]

Runs this client, aws-sdk-connectparticipant, rusoto_connectparticipant and a bare hyper floor
against one mock server on 127.0.0.1 and prints a table of medians with ratios.

options:
  --smoke            a few requests per mode, nothing timed or written (CI)
  --clients LIST     comma-separated subset of ours,sdk,rusoto,floor (default: all)
  --reps N           repetitions (default: 3)
  --baseline REV     also run the `ours` client of commit REV (a commit, tag or branch) as
                     `ours@<short rev>`, alternating with the others, with a column `ours / ours@REV`;
                     built from a git worktree of REV in target/bench/baseline-<rev>/ (kept and
                     reused); rows its benchmark lacks show \"-\". Needs `ours` among the clients
  --build-cost       also clean-build a one-call program per client: time, crates, stripped size
                     (takes minutes)
  --out PATH         the results file (default: xtask/bench/RESULTS.md)
  --chat             the chat benchmark instead: N sessions of ours and of amazon-connect-chatjs
                     (Node) against the emulator in another process (its section of the results)
  --sessions N       chat sessions per client (default: 10000)
  --no-chatjs        the chat benchmark without amazon-connect-chatjs (no node/npm needed)
  --backoff-base-ms MS  the chat sessions' first reconnect delay (default: the crate's, 1 s)
  -h, --help         this text";

/// What follows this line in the results file is kept when the benchmark rewrites it.
const NOTES_MARKER: &str = "<!-- notes: written by hand, kept by `cargo xtask bench` -->";

/// Every client, in table order: ours first, the floor last.
pub const CLIENTS: [&str; 4] = ["ours", "sdk", "rusoto", "floor"];

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone)]
pub struct BenchArgs {
    pub smoke: bool,
    pub clients: Vec<String>,
    pub reps: usize,
    pub build_cost: bool,
    pub out: PathBuf,
    /// `--baseline REV`: the revision whose `ours` client runs beside the current one.
    pub baseline: Option<String>,
    /// `--chat`: the chat benchmark's settings.
    pub chat: Option<chat::ChatArgs>,
}

/// Parses the arguments after `cargo xtask bench`; `Ok(None)` asks for the usage text.
pub fn parse_args(root: &Path, mut args: impl Iterator<Item = String>) -> Result<Option<BenchArgs>, String> {
    let mut parsed = BenchArgs {
        smoke: false,
        clients: CLIENTS.iter().map(|c| (*c).to_owned()).collect(),
        reps: 3,
        build_cost: false,
        out: root.join("xtask/bench/RESULTS.md"),
        baseline: None,
        chat: None,
    };
    let (mut chat, mut sessions, mut chatjs, mut backoff_base_ms) = (false, 10_000, true, None);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--smoke" => parsed.smoke = true,
            "--build-cost" => parsed.build_cost = true,
            "--reps" => {
                let text = value("--reps")?;
                parsed.reps =
                    text.parse().ok().filter(|n| *n > 0).ok_or(format!("--reps {text:?}: a count above 0"))?;
            }
            "--clients" => {
                let list = value("--clients")?;
                let clients: Vec<String> = list.split(',').map(|c| c.trim().to_owned()).collect();
                if let Some(bad) = clients.iter().find(|c| !CLIENTS.contains(&c.as_str())) {
                    return Err(format!("unknown client {bad:?} (known: {})", CLIENTS.join(", ")));
                }
                // Keep table order whatever order was given.
                parsed.clients =
                    CLIENTS.iter().filter(|c| clients.iter().any(|x| x == *c)).map(|c| (*c).to_owned()).collect();
            }
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--baseline" => {
                let rev = value("--baseline")?;
                // An option where the revision should be is a forgotten value (and git would
                // read it as an option of its own).
                if rev.is_empty() || rev.starts_with('-') {
                    return Err(format!("--baseline needs a revision (a commit, tag or branch), not {rev:?}"));
                }
                if let Some(first) = parsed.baseline.replace(rev) {
                    return Err(format!("--baseline given twice ({first:?} first): one baseline per run"));
                }
            }
            "--chat" => chat = true,
            "--no-chatjs" => chatjs = false,
            "--sessions" => {
                let text = value("--sessions")?;
                sessions =
                    text.parse().ok().filter(|n| *n > 0).ok_or(format!("--sessions {text:?}: a count above 0"))?;
            }
            "--backoff-base-ms" => {
                let text = value("--backoff-base-ms")?;
                backoff_base_ms = Some(text.parse().map_err(|_| format!("--backoff-base-ms {text:?}: milliseconds"))?);
            }
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if parsed.baseline.is_some() {
        if chat {
            return Err("--baseline is for the REST benchmark; --chat has no baseline".to_owned());
        }
        if !parsed.clients.iter().any(|c| c == "ours") {
            return Err("--baseline is compared with ours: --clients must include ours".to_owned());
        }
    }
    if chat {
        let (reps, smoke, out) = (parsed.reps, parsed.smoke, parsed.out.clone());
        parsed.chat = Some(chat::ChatArgs { sessions, reps, smoke, chatjs, backoff_base_ms, out });
    }
    Ok(Some(parsed))
}

/// Figures of one client: metric name -> value.
type Figures = BTreeMap<String, f64>;

/// Runs the benchmark.
pub fn run(root: &Path, args: &BenchArgs) -> Result<(), String> {
    if let Some(chat) = &args.chat {
        return chat::run(root, chat);
    }
    let bench_dir = root.join("xtask/bench");
    let target_dir = root.join("target/bench");
    let profile = if args.smoke { "dev" } else { "release" };
    let baseline = match &args.baseline {
        Some(rev) => Some(baseline::resolve(root, &target_dir, rev, profile)?),
        None => None,
    };
    build_clients(&bench_dir, &target_dir, profile, &args.clients)?;
    if let Some(baseline) = &baseline {
        baseline.build(root)?;
    }
    let bin_dir = target_dir.join(if args.smoke { "debug" } else { "release" });
    // Every client of the run and its binary, in table order: the baseline right after ours.
    let mut programs: Vec<(String, PathBuf)> =
        args.clients.iter().map(|c| (c.clone(), bin_dir.join(format!("bench-{c}")))).collect();
    if let Some(baseline) = &baseline {
        let after_ours = programs.iter().position(|(c, _)| c == "ours").map_or(0, |i| i + 1);
        programs.insert(after_ours, (baseline.name.clone(), baseline.binary.clone()));
    }
    let clients: Vec<String> = programs.iter().map(|(c, _)| c.clone()).collect();

    let pinning = Pinning::detect();
    eprintln!("bench: {}", pinning.describe());
    let mut server = Server::start(&bin_dir, &pinning)?;
    let reps = if args.smoke { 1 } else { args.reps };
    let mut samples: BTreeMap<String, Vec<Figures>> = BTreeMap::new();
    let mut signatures: Vec<(String, String)> = Vec::new();
    for rep in 0..reps {
        // Rotate the order each repetition so no client always runs first (or right after another).
        let count = programs.len();
        for i in 0..count {
            let (client, program) = &programs[(i + rep) % count];
            eprintln!("bench: repetition {}/{reps}: {client}", rep + 1);
            let (figures, signature) = run_client(program, client, &server.endpoint, &pinning, args.smoke)?;
            samples.entry(client.clone()).or_default().push(figures);
            signatures.extend(signature.map(|s| (client.clone(), s)));
        }
    }
    server.stop();
    same_signatures(&signatures)?;

    let medians: BTreeMap<String, Figures> = samples.iter().map(|(c, runs)| (c.clone(), medians(runs))).collect();
    let ranges: BTreeMap<String, Ranges> = samples.iter().map(|(c, runs)| (c.clone(), ranges(runs))).collect();
    let builds = if args.build_cost { Some(build_costs(&bench_dir, &args.clients)?) } else { None };
    let table = render_table(&clients, &medians, &ranges, builds.as_ref());
    if args.smoke {
        // A few requests on a debug build: the figures mean nothing, so none are shown.
        eprintln!("bench --smoke: every client answered every mode ({}); nothing timed or written", clients.join(", "));
        return Ok(());
    }
    println!("{table}");
    let mut report = render_report(&pinning, reps, &clients, &medians, &table, builds.as_ref(), baseline.as_ref());
    // The analysis written by hand below the marker (profiles, reasons for a missed target)
    // survives a rerun.
    if let Some(notes) =
        std::fs::read_to_string(&args.out).ok().and_then(|old| old.find(NOTES_MARKER).map(|at| old[at..].to_owned()))
    {
        report.push('\n');
        report.push_str(&notes);
    }
    std::fs::write(&args.out, report).map_err(|e| format!("writing {}: {e}", args.out.display()))?;
    eprintln!("bench: wrote {}", args.out.display());
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn build_clients(bench_dir: &Path, target_dir: &Path, profile: &str, clients: &[String]) -> Result<(), String> {
    let features: Vec<&str> = clients.iter().map(String::as_str).filter(|c| *c != "floor").collect();
    let mut command = cargo();
    command
        .args(["build", "--quiet", "--bins", "--profile", profile, "--no-default-features"])
        .arg("--manifest-path")
        .arg(bench_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir);
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    eprintln!("bench: building the clients ({profile}): {}", clients.join(", "));
    let started = Instant::now();
    let status = command.status().map_err(|e| format!("running cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building the benchmark failed ({status})"));
    }
    eprintln!("bench: built in {:.1?}", started.elapsed());
    Ok(())
}

/// How processes are pinned: the server on core 0, the clients on core 1.
#[derive(Debug)]
struct Pinning {
    taskset: bool,
    cores: usize,
}

impl Pinning {
    fn detect() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let taskset = Command::new("taskset").arg("-V").stdout(Stdio::null()).stderr(Stdio::null()).status();
        Self { taskset: cores >= 2 && taskset.is_ok_and(|s| s.success()), cores }
    }

    fn command(&self, program: &Path, core: usize) -> Command {
        if self.taskset {
            let mut command = Command::new("taskset");
            command.arg("-c").arg(core.to_string()).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn describe(&self) -> String {
        if self.taskset {
            format!("server pinned to core 0, each client to core 1 (`taskset`; {} cores)", self.cores)
        } else {
            format!("not pinned (`taskset` missing or {} core): server and clients share the cores", self.cores)
        }
    }
}

/// The mock server, stopped when its stdin closes.
struct Server {
    child: Child,
    endpoint: String,
}

impl Server {
    fn start(bin_dir: &Path, pinning: &Pinning) -> Result<Self, String> {
        let mut child = pinning
            .command(&bin_dir.join("bench-server"), 0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting bench-server: {e}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("bench-server has no stdout")?;
        BufReader::new(stdout).read_line(&mut line).map_err(|e| format!("reading bench-server: {e}"))?;
        let endpoint = line.trim().strip_prefix("listening ").ok_or(format!("bench-server said {line:?}"))?.to_owned();
        Ok(Self { child, endpoint })
    }

    fn stop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.stdin.is_some() {
            let _ = self.child.kill();
            self.stop();
        }
    }
}

/// Runs one client: its figures, and the signature of the signed-request row if it signs.
fn run_client(
    program: &Path,
    client: &str,
    endpoint: &str,
    pinning: &Pinning,
    smoke: bool,
) -> Result<(Figures, Option<String>), String> {
    let mut command = pinning.command(program, 1);
    command.args(["--endpoint", endpoint]);
    if smoke {
        command.arg("--smoke");
    }
    let output = command.stderr(Stdio::inherit()).output().map_err(|e| format!("running bench-{client}: {e}"))?;
    if !output.status.success() {
        return Err(format!("bench-{client} failed ({})", output.status));
    }
    let mut figures = Figures::new();
    let mut signature = None;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("metric"), Some(name), Some(value)) => {
                let value = value.parse().map_err(|_| format!("bench-{client}: bad figure {line:?}"))?;
                figures.insert(name.to_owned(), value);
            }
            (Some("signature"), Some(hex), None) => signature = Some(hex.to_owned()),
            _ => {}
        }
    }
    if figures.is_empty() {
        return Err(format!("bench-{client} printed no figures"));
    }
    Ok((figures, signature))
}

/// The signed-request row compares signers only if they did the same work: every client that
/// signed (the same request, credentials and time) must have produced the same signature.
fn same_signatures(signatures: &[(String, String)]) -> Result<(), String> {
    let Some((first_client, first)) = signatures.first() else { return Ok(()) };
    match signatures.iter().find(|(_, signature)| signature != first) {
        Some((client, signature)) => Err(format!(
            "the signed-request row is void: {first_client} signed {first}, {client} signed {signature} \
             (same request, credentials and time)"
        )),
        None => Ok(()),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 }
}

fn medians(runs: &[Figures]) -> Figures {
    let mut out = Figures::new();
    for name in runs.iter().flat_map(|f| f.keys()) {
        let mut values: Vec<f64> = runs.iter().filter_map(|f| f.get(name).copied()).collect();
        out.insert(name.clone(), median(&mut values));
    }
    out
}

/// The lowest and highest value of each figure over the repetitions.
type Ranges = BTreeMap<String, (f64, f64)>;

fn ranges(runs: &[Figures]) -> Ranges {
    let mut out = Ranges::new();
    for (name, value) in runs.iter().flat_map(|f| f.iter()) {
        let (lo, hi) = out.entry(name.clone()).or_insert((*value, *value));
        *lo = lo.min(*value);
        *hi = hi.max(*value);
    }
    out
}

/// The clean-build cost of a one-call program per client.
#[derive(Debug, Clone, Copy)]
struct BuildCost {
    seconds: f64,
    crates: usize,
    stripped_bytes: u64,
}

fn build_costs(bench_dir: &Path, clients: &[String]) -> Result<BTreeMap<String, BuildCost>, String> {
    let mut costs = BTreeMap::new();
    for client in clients {
        let dir = bench_dir.join("oneshot").join(client);
        let target = std::env::temp_dir().join(format!("connectparticipant-oneshot-{client}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&target);
        eprintln!("bench: clean release build of the one-call program for {client}");
        let started = Instant::now();
        let output = cargo()
            .args(["build", "--release", "--offline"])
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .output()
            .map_err(|e| format!("running cargo: {e}"))?;
        let seconds = started.elapsed().as_secs_f64();
        if !output.status.success() {
            return Err(format!("building oneshot/{client} failed:\n{}", String::from_utf8_lossy(&output.stderr)));
        }
        let crates = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|l| l.trim_start().starts_with("Compiling "))
            .count();
        let binary = target.join("release").join(format!("oneshot-{client}"));
        let stripped_bytes = std::fs::metadata(&binary).map_err(|e| format!("{}: {e}", binary.display()))?.len();
        let _ = std::fs::remove_dir_all(&target);
        costs.insert(client.clone(), BuildCost { seconds, crates, stripped_bytes });
    }
    Ok(costs)
}

/// One row of the table: its label, the metric and its unit.
struct Row {
    label: &'static str,
    metric: &'static str,
    unit: &'static str,
}

const ROWS: [Row; 12] = [
    Row { label: "SendMessage sequential, p50", metric: "seq_p50_us", unit: "us" },
    Row { label: "SendMessage sequential, p99", metric: "seq_p99_us", unit: "us" },
    Row { label: "client CPU per SendMessage, sequential", metric: "seq_cpu_us", unit: "us" },
    Row { label: "SendMessage, 16 tasks, req/s", metric: "c16_rps", unit: "" },
    Row { label: "client CPU per SendMessage, 16 tasks", metric: "c16_cpu_us", unit: "us" },
    Row { label: "SendMessage, 64 tasks, req/s", metric: "c64_rps", unit: "" },
    Row { label: "client CPU per SendMessage, 64 tasks", metric: "c64_cpu_us", unit: "us" },
    Row { label: "GetTranscript (100 items), p50", metric: "gt_p50_us", unit: "us" },
    Row { label: "GetTranscript (100 items), client CPU per call", metric: "gt_cpu_us", unit: "us" },
    Row { label: "GetTranscript (100 items), req/s sequential", metric: "gt_rps", unit: "" },
    Row {
        label: "client CPU per SigV4-signed request (restJson1 POST, signer alone)",
        metric: "sign_cpu_us",
        unit: "us",
    },
    Row { label: "peak RSS of the client process", metric: "peak_rss_kib", unit: "KiB" },
];

fn client_title(client: &str) -> &str {
    match client {
        "sdk" => "aws-sdk 1.126",
        "rusoto" => "rusoto 0.48",
        // ours, the floor, and a baseline (`ours@<rev>`) go by their names.
        other => other,
    }
}

fn format_value(value: f64, unit: &str) -> String {
    let number = if value >= 1000.0 {
        let whole = value.round() as u64;
        let text = whole.to_string();
        let mut grouped = String::new();
        for (i, c) in text.chars().enumerate() {
            if i > 0 && (text.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        grouped
    } else if value >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    if unit.is_empty() { number } else { format!("{number} {unit}") }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b != 0.0 => format!("{:.2}x", a / b),
        _ => "-".to_owned(),
    }
}

fn render_table(
    clients: &[String],
    medians: &BTreeMap<String, Figures>,
    ranges: &BTreeMap<String, Ranges>,
    builds: Option<&BTreeMap<String, BuildCost>>,
) -> String {
    let peers: Vec<&String> = clients.iter().filter(|c| *c != "ours").collect();
    let mut out = String::from("| figure |");
    for client in clients {
        let _ = write!(out, " {} |", client_title(client));
    }
    for peer in &peers {
        let _ = write!(out, " ours / {} |", client_title(peer));
    }
    out.push_str("\n|---|");
    for _ in 0..clients.len() + peers.len() {
        out.push_str("---|");
    }
    out.push('\n');
    let get = |client: &str, metric: &str| medians.get(client).and_then(|f| f.get(metric)).copied();
    let mut row = |label: &str, values: Vec<(Option<f64>, String)>| {
        let _ = write!(out, "| {label} |");
        let floor = clients.iter().position(|c| c == "floor").and_then(|i| values[i].0);
        for (value, text) in &values {
            let vs_floor = match (value, floor) {
                (Some(_), Some(_)) if !text.is_empty() && clients.len() > 1 && *value != floor => {
                    format!(" ({} floor)", ratio(*value, floor))
                }
                _ => String::new(),
            };
            let _ = write!(out, " {text}{vs_floor} |");
        }
        let ours = clients.iter().position(|c| c == "ours").and_then(|i| values[i].0);
        for peer in &peers {
            let i = clients.iter().position(|c| c == *peer).unwrap_or(0);
            let _ = write!(out, " {} |", if ours.is_some() { ratio(ours, values[i].0) } else { "-".to_owned() });
        }
        out.push('\n');
    };
    if let Some(builds) = builds {
        let cost = |c: &String| builds.get(c).copied();
        row(
            "clean release build of a one-call program",
            clients
                .iter()
                .map(|c| {
                    (
                        cost(c).map(|b| b.seconds),
                        cost(c).map_or("-".into(), |b| format!("{:.0} s, {} crates", b.seconds, b.crates)),
                    )
                })
                .collect(),
        );
        row(
            "stripped binary",
            clients
                .iter()
                .map(|c| {
                    let bytes = cost(c).map(|b| b.stripped_bytes as f64);
                    (bytes, bytes.map_or("-".into(), |b| format!("{:.1} MiB", b / 1048576.0)))
                })
                .collect(),
        );
    }
    // Beside each median, the range of the repetitions (when there are several), so that a
    // reader can tell a difference from noise.
    let range = |client: &str, metric: &str| match ranges.get(client).and_then(|r| r.get(metric)) {
        Some((lo, hi)) if lo != hi => format!(" [{}-{}]", format_value(*lo, ""), format_value(*hi, "")),
        _ => String::new(),
    };
    for r in &ROWS {
        row(
            r.label,
            clients
                .iter()
                .map(|c| {
                    let text = get(c, r.metric).map_or("-".into(), |v| format_value(v, r.unit) + &range(c, r.metric));
                    (get(c, r.metric), text)
                })
                .collect(),
        );
    }
    out
}

/// The targets, checked against the medians.
fn targets(medians: &BTreeMap<String, Figures>) -> Vec<(String, Option<bool>)> {
    let get = |client: &str, metric: &str| medians.get(client).and_then(|f| f.get(metric)).copied();
    let vs = |metric: &str, peer: &str| Some(get("ours", metric)? / get(peer, metric)?);
    let check = |label: String, value: Option<f64>, ok: &dyn Fn(f64) -> bool| {
        let text = match value {
            Some(v) => format!("{label}: {v:.2}x"),
            None => format!("{label}: not measured"),
        };
        (text, value.map(ok))
    };
    vec![
        check("GetTranscript CPU/call vs rusoto (<= 0.60x)".into(), vs("gt_cpu_us", "rusoto"), &|v| v <= 0.60),
        check("GetTranscript CPU/call vs floor (<= 1.60x)".into(), vs("gt_cpu_us", "floor"), &|v| v <= 1.60),
        check("SendMessage 16 tasks req/s vs floor (>= 0.85x)".into(), vs("c16_rps", "floor"), &|v| v >= 0.85),
        check("SendMessage 64 tasks req/s vs floor (>= 0.85x)".into(), vs("c64_rps", "floor"), &|v| v >= 0.85),
        check("SendMessage 16 tasks CPU/request vs floor (<= 1.25x)".into(), vs("c16_cpu_us", "floor"), &|v| v <= 1.25),
        check("SendMessage 64 tasks CPU/request vs floor (<= 1.25x)".into(), vs("c64_cpu_us", "floor"), &|v| v <= 1.25),
        check("SendMessage sequential p50 vs floor (<= 1.05x)".into(), vs("seq_p50_us", "floor"), &|v| v <= 1.05),
    ]
}

fn render_report(
    pinning: &Pinning,
    reps: usize,
    clients: &[String],
    medians: &BTreeMap<String, Figures>,
    table: &str,
    builds: Option<&BTreeMap<String, BuildCost>>,
    baseline: Option<&baseline::Baseline>,
) -> String {
    let mut out = String::from("# Benchmark results\n\n");
    out.push_str(
        "Written by `cargo xtask bench` (rerun it rather than edit; notes below the marker at the end are kept). ",
    );
    let _ = writeln!(
        out,
        "Medians of {reps} repetitions, [lowest-highest] of the repetitions beside each; clients: {}.\n",
        clients.join(", ")
    );
    let _ = writeln!(out, "- Pinning: {}.", pinning.describe());
    out.push_str("- One mock server (hyper, one thread) on 127.0.0.1 answers `SendMessage` and `GetTranscript` (100 items: messages with receipts, events, attachments) with fixed restJson1 bodies.\n");
    out.push_str("- Each client runs in its own process on a current-thread tokio runtime; CPU is the process's user + system time (`getrusage`), divided by the calls made; peak RSS is the process's.\n");
    out.push_str("- The official SDK needs `allow_no_auth()` to send anything without AWS credentials (the service authenticates with the `X-Amz-Bearer` header). rusoto always signs with SigV4, so it gets static dummy credentials, and the signing is part of its cost.\n");
    out.push_str("- Signed request: the same restJson1 request (POST, JSON body, six headers, a query string; session credentials, a fixed time) signed 50,000 times in each client's process, after its other modes: ours with the runtime's SigV4 signer (`sign_request`, its key cache kept across requests as a signing client keeps it), the SDK with `aws-sigv4` called as the SDK calls it (`SignableRequest`, `sign`, the instructions applied to the request). Every signature printed must be the same, or the benchmark fails. rusoto's signer is not measured alone.\n");
    out.push_str("- The floor is a bare pooled hyper client posting the same bytes, without TLS, without parsing the response.\n");
    if let Some(b) = baseline {
        let _ = writeln!(
            out,
            "- {}: the `ours` client of commit {} ({}, \"{}\"), built from a worktree of that commit \
             with its own benchmark driver, run in the same repetitions; a row its driver does not measure \
             shows \"-\".",
            b.name, b.commit, b.date, b.subject
        );
    }
    if builds.is_some() {
        out.push_str("- Build cost: `cargo build --release --offline` of `xtask/bench/oneshot/<client>` (one SendMessage call) in an empty target directory, sources already downloaded; crates counted from cargo's `Compiling` lines; binaries stripped (`strip = true`).\n");
    }
    out.push('\n');
    out.push_str(table);
    out.push_str("\n## Targets (issue 11)\n\n");
    for (text, ok) in targets(medians) {
        let mark = match ok {
            Some(true) => "met",
            Some(false) => "**missed**",
            None => "-",
        };
        let _ = writeln!(out, "- {text}: {mark}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(pairs: &[(&str, f64)]) -> Figures {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn signers_that_disagree_void_the_signed_request_row() {
        let same = [("ours".to_owned(), "ab12".to_owned()), ("sdk".to_owned(), "ab12".to_owned())];
        assert_eq!(same_signatures(&same), Ok(()));
        assert_eq!(same_signatures(&[]), Ok(()));
        let differ = [("ours".to_owned(), "ab12".to_owned()), ("sdk".to_owned(), "cd34".to_owned())];
        let error = same_signatures(&differ).unwrap_err();
        assert!(error.contains("ours signed ab12, sdk signed cd34"), "{error}");
    }

    #[test]
    fn the_table_shows_the_range_of_the_repetitions_beside_each_median() {
        let runs =
            [figures(&[("gt_cpu_us", 181.0)]), figures(&[("gt_cpu_us", 240.0)]), figures(&[("gt_cpu_us", 175.0)])];
        let clients = vec!["ours".to_owned()];
        let medians = BTreeMap::from([("ours".to_owned(), medians(&runs))]);
        let ranges = BTreeMap::from([("ours".to_owned(), ranges(&runs))]);
        let table = render_table(&clients, &medians, &ranges, None);
        assert!(table.contains("| 181 us [175-240] |"), "{table}");
        // One repetition: no range to show.
        let single = BTreeMap::from([("ours".to_owned(), super::ranges(&runs[..1]))]);
        let table = render_table(&clients, &medians, &single, None);
        assert!(table.contains("| 181 us |"), "{table}");
    }

    fn parse(args: &[&str]) -> Result<Option<BenchArgs>, String> {
        parse_args(Path::new("/repo"), args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn baseline_takes_a_revision_and_needs_ours() {
        let parsed =
            parse(&["--clients", "ours,rusoto,floor", "--baseline", "fc1e1d6", "--reps", "5"]).unwrap().unwrap();
        assert_eq!(parsed.baseline.as_deref(), Some("fc1e1d6"));
        assert_eq!(parsed.reps, 5);
        assert_eq!(parse(&[]).unwrap().unwrap().baseline, None);
        let error = |args: &[&str]| parse(args).unwrap_err();
        assert_eq!(error(&["--baseline"]), "--baseline needs a value");
        // A forgotten value: the next option is not taken for a revision.
        assert!(
            error(&["--baseline", "--reps", "5"]).contains("needs a revision"),
            "{}",
            error(&["--baseline", "--reps"])
        );
        assert!(error(&["--baseline", ""]).contains("needs a revision"));
        assert!(error(&["--baseline", "a", "--baseline", "b"]).contains("twice"));
        assert!(error(&["--baseline", "main", "--clients", "rusoto,floor"]).contains("must include ours"));
        assert!(error(&["--chat", "--baseline", "main"]).contains("--chat"));
    }

    #[test]
    fn the_table_has_a_baseline_column_and_a_dash_where_the_old_driver_measured_nothing() {
        let clients: Vec<String> = ["ours", "ours@fc1e1d6", "floor"].map(str::to_owned).to_vec();
        let ours = figures(&[("gt_cpu_us", 200.0), ("sign_cpu_us", 7.0)]);
        let old = figures(&[("gt_cpu_us", 250.0)]);
        let floor = figures(&[("gt_cpu_us", 50.0)]);
        let medians = BTreeMap::from([
            ("ours".to_owned(), ours.clone()),
            ("ours@fc1e1d6".to_owned(), old.clone()),
            ("floor".to_owned(), floor.clone()),
        ]);
        let ranges = BTreeMap::from([
            ("ours".to_owned(), ranges(&[ours])),
            ("ours@fc1e1d6".to_owned(), ranges(&[old])),
            ("floor".to_owned(), ranges(&[floor])),
        ]);
        let table = render_table(&clients, &medians, &ranges, None);
        let header = table.lines().next().unwrap();
        assert_eq!(header, "| figure | ours | ours@fc1e1d6 | floor | ours / ours@fc1e1d6 | ours / floor |");
        let row = |label: &str| table.lines().find(|l| l.starts_with(&format!("| {label} |"))).unwrap().to_owned();
        assert_eq!(
            row("GetTranscript (100 items), client CPU per call"),
            "| GetTranscript (100 items), client CPU per call | 200 us (4.00x floor) | 250 us (5.00x floor) | 50.0 us | 0.80x | 4.00x |"
        );
        assert_eq!(
            row("client CPU per SigV4-signed request (restJson1 POST, signer alone)"),
            "| client CPU per SigV4-signed request (restJson1 POST, signer alone) | 7.0 us | - | - | - | - |"
        );
    }
}
