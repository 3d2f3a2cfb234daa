//! A 5 MB attachment goes up from a file and comes back to a file, streamed: the process never
//! holds more than a small part of it, and what it holds does not grow with the file. Its own
//! test binary, so that the counting allocator sees only this test (the client and the
//! in-process emulator, whose hyper buffers are counted too).

use std::path::Path;
use std::sync::atomic::Ordering;

use connectparticipant::chat::{ChatEvent, ChatSession};
use connectparticipant::{Client, Config};
use connectparticipant_emulator::Emulator;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{CURRENT, Counting, PEAK};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: usize = 1024 * 1024;

/// A deterministic byte of a test file.
fn byte(index: usize) -> u8 {
    (index.wrapping_mul(2_654_435_761) >> 13) as u8
}

/// Writes a test file of `size` bytes, a piece at a time.
async fn write_test_file(path: &Path, size: usize) {
    let mut file = tokio::fs::File::create(path).await.unwrap();
    let mut offset = 0;
    while offset < size {
        let chunk: Vec<u8> = (offset..(offset + 65536).min(size)).map(byte).collect();
        file.write_all(&chunk).await.unwrap();
        offset += chunk.len();
    }
    file.flush().await.unwrap();
}

/// Checks a downloaded file piece by piece, again without reading it whole.
async fn check_test_file(path: &Path, size: usize) {
    let mut file = tokio::fs::File::open(path).await.unwrap();
    let mut buffer = vec![0; 65536];
    let mut offset = 0;
    loop {
        let n = file.read(&mut buffer).await.unwrap();
        if n == 0 {
            break;
        }
        assert!(buffer[..n].iter().enumerate().all(|(i, b)| *b == byte(offset + i)), "byte mismatch near {offset}");
        offset += n;
    }
    assert_eq!(offset, size);
}

/// Uploads then downloads a file of `size` bytes; returns the most memory in use meanwhile,
/// above what was in use before.
async fn round_trip(session: &mut ChatSession, dir: &Path, size: usize) -> usize {
    let source = dir.join(format!("{size}.pdf"));
    let target = dir.join(format!("{size}-downloaded.pdf"));
    write_test_file(&source, size).await;
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let id = session.upload_attachment("file.pdf", "application/pdf", source.as_path()).await.unwrap();
    while let Some(event) = session.next_event().await {
        if matches!(event, ChatEvent::Attachment { .. }) {
            break;
        }
    }
    let written = session.download_attachment_to_file(&id, &target).await.unwrap();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(baseline);
    assert_eq!(written, size as u64);
    check_test_file(&target, size).await;
    peak
}

#[tokio::test]
async fn a_5_mb_attachment_streams_both_ways_in_little_memory() {
    let dir = std::env::temp_dir().join(format!("chat-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let config = Config::builder().region("us-east-1").endpoint_url(emulator.endpoint()).build().unwrap();
    let client = Client::new(config);
    let mut session = ChatSession::connect(&client, chat.participant_token.clone()).await.unwrap();

    let small = round_trip(&mut session, &dir, MB).await;
    let large = round_trip(&mut session, &dir, 5 * MB).await;
    println!(
        "peak memory above baseline, client and emulator together: 1 MB file {small} bytes, 5 MB file {large} bytes \
         ({:.0}% of the 5 MB)",
        large as f64 * 100.0 / (5 * MB) as f64
    );
    assert!(large < 5 * MB / 2, "{large} bytes in use for a 5 MB file: not streamed");
    // Buffers (hyper's grow to ~400 KB per connection side) vary from run to run by a few
    // hundred KB; a file held whole would add 4 MB.
    assert!(large < small + 2 * MB, "memory grows with the file ({small} for 1 MB, {large} for 5 MB): not streamed");
    session.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
