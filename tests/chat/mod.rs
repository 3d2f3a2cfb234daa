//! Chat sessions (`connectparticipant::chat`) against the in-process emulator.
//!
//! Timing-based behaviour (heartbeats, backoff, socket replacement, token refresh, throttles)
//! runs on tokio's paused clock: time moves only when every task waits, so the tests take
//! milliseconds and never depend on the machine's speed. (`chat_memory.rs` and
//! `chat_secrets.rs` are their own binaries: one counts allocations, the other records logs.)

mod attachments;
mod bounds;
mod bridge;
mod concurrency;
mod connect;
mod doubles;
mod errors;
mod events;
mod gap_fill;
mod hangs;
mod herd;
mod options;
mod persistent;
mod proxy;
mod reconnect;
mod sending;
mod shutdown;
mod storms;
// Shared with the fault tests (`chat_faults`).
pub(crate) mod support;
mod tls;
