//! Runs every mode of the benchmark against one client and prints the figures.
//!
//! The client runs on a current-thread tokio runtime: the process is pinned to one core by
//! `cargo xtask bench`, and one thread on one core measures the client's own work without
//! scheduler noise. CPU time is the process's (`getrusage(RUSAGE_SELF)`: user + system, every
//! thread), so work a client moves to helper threads is counted too.

use std::time::{Duration, Instant};

use crate::BenchClient;
use crate::signing::{self, Sign};

/// How many requests each mode sends.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    warmup: usize,
    sequential: usize,
    concurrent_total: usize,
    transcripts: usize,
    signings: usize,
}

const FULL: Sizes =
    Sizes { warmup: 300, sequential: 3000, concurrent_total: 16_000, transcripts: 1000, signings: 50_000 };
/// A few requests per mode: shows that every client works against the server, times nothing.
const SMOKE: Sizes = Sizes { warmup: 1, sequential: 3, concurrent_total: 128, transcripts: 2, signings: 10 };

/// Parses `--endpoint URL [--smoke]`, builds the client with `make`, runs every mode and
/// prints `metric NAME VALUE` lines on stdout (and `signature HEX` for a client with a
/// [`BenchClient::signer`]). Exits non-zero when a call fails.
pub fn run<C: BenchClient>(make: impl FnOnce(&str) -> C) {
    let mut endpoint = None;
    let mut sizes = FULL;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--endpoint" => endpoint = args.next(),
            "--smoke" => sizes = SMOKE,
            other => fail(&format!("unknown argument {other:?}")),
        }
    }
    let endpoint = endpoint.unwrap_or_else(|| fail("--endpoint URL is required"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let result = runtime.block_on(async move {
        let client = make(&endpoint);
        measure(&client, sizes).await
    });
    if let Err(message) = result {
        fail(&message);
    }
    metric("peak_rss_kib", rusage().1 as f64);
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}

fn metric(name: &str, value: f64) {
    println!("metric {name} {value:.3}");
}

async fn measure<C: BenchClient>(client: &C, sizes: Sizes) -> Result<(), String> {
    for _ in 0..sizes.warmup {
        client.send_message().await?;
    }
    for _ in 0..sizes.warmup.div_ceil(10) {
        check_items(client.get_transcript().await?)?;
    }

    let (latencies, cpu, _) = sequential(sizes.sequential, || client.send_message()).await?;
    metric("seq_p50_us", percentile(&latencies, 0.50));
    metric("seq_p99_us", percentile(&latencies, 0.99));
    metric("seq_cpu_us", cpu);

    for tasks in [16, 64] {
        let (rate, cpu) = concurrent(client, tasks, sizes.concurrent_total).await?;
        metric(&format!("c{tasks}_rps"), rate);
        metric(&format!("c{tasks}_cpu_us"), cpu);
    }

    let (latencies, cpu, rate) = sequential(sizes.transcripts, || async {
        let items = client.get_transcript().await?;
        check_items(items)
    })
    .await?;
    metric("gt_p50_us", percentile(&latencies, 0.50));
    metric("gt_cpu_us", cpu);
    metric("gt_rps", rate);

    if let Some(sign) = client.signer() {
        signed_requests(sign, sizes.signings)?;
    }
    Ok(())
}

/// Signs the [`signing::request`] `count` times (after a warm-up): CPU per signed request (us),
/// and the signature, which `cargo xtask bench` compares across clients.
fn signed_requests(mut sign: Sign, count: usize) -> Result<(), String> {
    let unsigned = signing::request();
    let (signed, signature) = sign(unsigned.clone())?;
    // The signature must be the one the request carries, or the row would time half the work.
    let authorization = signed.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !authorization.ends_with(&format!("Signature={signature}")) {
        return Err(format!("the signed request's Authorization {authorization:?} is not signature {signature}"));
    }
    for _ in 0..count.div_ceil(10) {
        std::hint::black_box(sign(unsigned.clone())?);
    }
    let cpu_before = rusage().0;
    for _ in 0..count {
        std::hint::black_box(sign(std::hint::black_box(unsigned.clone()))?);
    }
    metric("sign_cpu_us", (rusage().0 - cpu_before).as_secs_f64() * 1e6 / count as f64);
    println!("signature {signature}");
    Ok(())
}

fn check_items(items: usize) -> Result<(), String> {
    if items == crate::TRANSCRIPT_ITEMS {
        Ok(())
    } else {
        Err(format!("GetTranscript read {items} items, not {}", crate::TRANSCRIPT_ITEMS))
    }
}

/// `count` calls one after the other: each call's latency (us), CPU per call (us), calls/s.
async fn sequential<F, Fut, T>(count: usize, mut call: F) -> Result<(Vec<f64>, f64, f64), String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let mut latencies = Vec::with_capacity(count);
    let cpu_before = rusage().0;
    let started = Instant::now();
    for _ in 0..count {
        let call_started = Instant::now();
        call().await?;
        latencies.push(call_started.elapsed().as_secs_f64() * 1e6);
    }
    let wall = started.elapsed();
    let cpu = (rusage().0 - cpu_before).as_secs_f64() * 1e6 / count as f64;
    Ok((latencies, cpu, count as f64 / wall.as_secs_f64()))
}

/// `total` SendMessage calls spread over `tasks` tasks: requests/s and CPU per request (us).
async fn concurrent<C: BenchClient>(client: &C, tasks: usize, total: usize) -> Result<(f64, f64), String> {
    let per_task = total / tasks;
    let cpu_before = rusage().0;
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let client = client.clone();
        set.spawn(async move {
            for _ in 0..per_task {
                client.send_message().await?;
            }
            Ok::<_, String>(())
        });
    }
    while let Some(done) = set.join_next().await {
        done.map_err(|e| format!("a task failed: {e}"))??;
    }
    let wall = started.elapsed();
    let sent = (per_task * tasks) as f64;
    let cpu = (rusage().0 - cpu_before).as_secs_f64() * 1e6 / sent;
    Ok((sent / wall.as_secs_f64(), cpu))
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

/// CPU time used by the process so far (user + system), and its peak RSS in KiB.
fn rusage() -> (Duration, i64) {
    // SAFETY: getrusage writes into the zeroed struct we own; RUSAGE_SELF is always valid.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (time(usage.ru_utime) + time(usage.ru_stime), usage.ru_maxrss)
}
