//! What `cargo xtask bench --chat`'s processes share: the agent's message text, the
//! file-descriptor limit, and reading a process's memory from `/proc`.

use std::io::{BufRead, Write};

/// Answers the orchestrator: one line on stdout, flushed at once (stdout is a pipe).
pub fn answer(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The orchestrator's commands, one per line of stdin. Reading stdin blocks: a thread of its
/// own feeds the runtime.
pub fn stdin_lines() -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (lines_tx, lines) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// The text of the agent's `seq`th message, sent at `unix_nanos`.
pub fn message_text(seq: u64, unix_nanos: u128) -> String {
    format!("bench {seq} {unix_nanos}")
}

/// The sequence number and send time (Unix nanoseconds) of an agent's message.
pub fn parse_message(text: &str) -> Option<(u64, u128)> {
    let mut words = text.strip_prefix("bench ")?.split(' ');
    Some((words.next()?.parse().ok()?, words.next()?.parse().ok()?))
}

/// Raises the soft limit on open files to the hard limit: 10,000 sessions are 10,000 sockets
/// in the client and as many in the emulator, more than the usual soft limit of 1024.
pub fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit read and write the struct we own; RLIMIT_NOFILE is valid.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// The resident memory of process `pid` now (`VmRSS` in `/proc/PID/status`), in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_text_reads_back() {
        assert_eq!(parse_message(&message_text(42, 1_700_000_000_123_456_789)), Some((42, 1_700_000_000_123_456_789)));
        assert_eq!(parse_message("hello"), None);
    }
}
