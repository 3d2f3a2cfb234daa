//! The project's tests that need no process of their own, as modules of one test binary.
//!
//! Each integration test binary links tokio, hyper, the generated client and the generator again
//! (seconds of build each, on 2 cores), and cargo runs the binaries one after another: as one
//! binary they are compiled and linked once, and libtest runs the long tests (the fixture
//! crates' nested build, the protocol conformance, the revision crates' check) side by side with
//! the rest. Tests that spawn cargo in the project's target directory may run at once: cargo's
//! lock on it makes the second wait for the first.
//!
//! Binaries of their own (see `Cargo.toml`): those with a `#[global_allocator]` (`chat_memory`,
//! `chat_footprint`, `chat_soak`), `chat_secrets`, which installs the process's `log` logger, and
//! `tracing_spans`: its subscriber is the test thread's only, but `tracing` caches per call site
//! whether anyone listens, and the other tests' threads hitting the same call sites at the same
//! time made it miss the `attempt` spans (seen once in a second run).
//! Snapshot files are named after this crate's module paths (`suite__snapshots__...`).

mod api_diff;
mod bad_models;
mod chat;
mod chat_faults;
mod debug_redaction;
mod e2e;
// Every operation called once, for the redaction and fuzz tests.
#[path = "support/every_operation.rs"]
mod every_operation;
mod fixtures_compile;
mod model_matches_upstream;
mod model_mutants;
mod model_overlay;
mod msrv;
mod packaging;
mod protocol_conformance;
mod regenerate;
mod response_fuzz;
mod sigv4_signing;
mod snapshots;
mod wire_bytes;
