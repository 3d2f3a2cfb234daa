//! What an idle chat session keeps in memory: the heap bytes the sessions' thread holds per
//! session after many connected and went idle, and the size of the session task's future (a
//! task is as large as its largest state for its whole life). Its own test binary, so that the
//! counting allocator sees only this test; the emulator runs on a thread of its own, so that
//! only the client's allocations are counted.

use std::sync::mpsc;
use std::time::Duration;

use connectparticipant::chat::{ChatSession, ChatSessionBuilder};
use connectparticipant::{Client, Config};
use connectparticipant_emulator::{Emulator, NewChat};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{Counting, thread_current};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Sessions measured (after one more that warms the client: its connection pool, lazy statics).
const SESSIONS: usize = 50;
/// The most heap an idle session may keep. Measured: about 12.9 KiB (the socket's 4 KiB read
/// buffer, the session task of about 4.3 KiB, channels, options and handles). It fails on the
/// code before the memory change, where each session also built a TLS configuration for
/// attachments (23 KiB) and its event channel's first block held 32 unboxed events (12 KiB).
const MAX_BYTES_PER_SESSION: isize = 16 * 1024;

/// Starts the emulator on a thread of its own; returns its endpoint and `n` chats, and a sender
/// that stops it when dropped.
fn emulator_thread(n: usize) -> (String, Vec<NewChat>, mpsc::Sender<()>) {
    let (ready_tx, ready) = mpsc::channel();
    let (stop, stop_rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async move {
            let emulator = Emulator::start().await;
            let chats = (0..n).map(|_| emulator.create_chat()).collect::<Vec<_>>();
            ready_tx.send((emulator.endpoint(), chats)).unwrap();
            let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
        });
    });
    let (endpoint, chats) = ready.recv().unwrap();
    (endpoint, chats, stop)
}

fn builder(client: &Client, chat: &NewChat) -> ChatSessionBuilder {
    ChatSession::builder(client, chat.participant_token.clone()).participant_id(chat.customer.id.clone())
}

#[tokio::test]
async fn an_idle_session_keeps_little_memory() {
    let (endpoint, chats, _stop) = emulator_thread(SESSIONS + 1);
    let client = Client::new(Config::builder().region("us-east-1").endpoint_url(endpoint).build().unwrap());
    let mut sessions = vec![builder(&client, &chats[0]).connect().await.unwrap()];
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = thread_current();
    for chat in &chats[1..] {
        sessions.push(builder(&client, chat).connect().await.unwrap());
    }
    // Idle: every handshake's task done, the first heartbeats answered.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let per_session = (thread_current() - before) / SESSIONS as isize;
    println!("heap kept per idle session: {per_session} bytes");
    assert!(
        per_session <= MAX_BYTES_PER_SESSION,
        "an idle session keeps {per_session} bytes of heap (at most {MAX_BYTES_PER_SESSION})"
    );
    drop(sessions);
}
