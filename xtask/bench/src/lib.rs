//! The benchmark's shared parts: the service's responses (served by `bench-server`), the
//! request bodies the floor posts, and the driver every client binary runs.
//!
//! Each client binary (`bench-ours`, `bench-sdk`, `bench-rusoto`, `bench-floor`) implements
//! [`BenchClient`] and hands it to [`driver::run`], which runs every mode against the mock
//! server and prints one `metric NAME VALUE` line per figure (and the signature of the
//! signed-request row, see [`signing`]); `cargo xtask bench` starts the
//! processes, alternates the clients, and takes the medians.

pub mod chat;
pub mod driver;
pub mod payloads;
pub mod signing;

use std::future::Future;

/// The connection token every client sends in `X-Amz-Bearer`.
pub const CONNECTION_TOKEN: &str = "bench-connection-token-0123456789abcdef";
/// The message every `SendMessage` carries.
pub const MESSAGE: &str = "Hello from the benchmark: is anybody there?";
/// How many items a `GetTranscript` response holds.
pub const TRANSCRIPT_ITEMS: usize = 100;

/// One client under test.
pub trait BenchClient: Clone + Send + Sync + 'static {
    /// Sends one `SendMessage` and reads the response (the output's `Id` must be set).
    fn send_message(&self) -> impl Future<Output = Result<(), String>> + Send;
    /// Sends one `GetTranscript` and returns how many items the response held.
    fn get_transcript(&self) -> impl Future<Output = Result<usize, String>> + Send;
    /// The client's SigV4 signer, for the signed-request row ([`signing`]); `None` when the
    /// client has none measured.
    fn signer(&self) -> Option<signing::Sign> {
        None
    }
}
