//! Chat sessions through faults injected between client and emulator (`faults.rs`: one test per
//! fault, each with an explicit invariant), and a seeded soak of all of them over a simulated day
//! (`soak.rs`; `cargo xtask soak --hours N --seed S` runs a longer one).
//!
//! Everything runs on tokio's paused clock over the emulator's in-memory link, whose fault layer
//! (`Emulator::link_faults`) adds latency, half-open sockets, resets in the middle of a frame and
//! stalled or trickling REST responses; the emulator's own switches close sockets right after
//! the subscription ack, send oversized and invalid UTF-8 frames, and skew the expiry times it
//! states.

mod faults;

// The chat tests' clients and waits, shared rather than written twice.
use crate::chat::support;
