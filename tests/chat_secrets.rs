//! Tokens, socket URLs and pre-signed URLs never reach `Debug` output, errors or logs.
//!
//! Its own test binary: `tracing` caches per call site whether anyone listens, and tests on
//! other threads hitting the same call sites without a subscriber would make this one miss
//! events.

// The chat tests' helpers; this test uses a few of them.
#[allow(dead_code)]
#[path = "chat/support.rs"]
mod support;

use connectparticipant::chat::ChatEvent;
use connectparticipant_emulator::Emulator;
use workspace_tests::log::Log;

use connectparticipant::chat::ChatSession;

use support::{connected, tcp_client, texts_until, until};

/// Records what dependencies log through the `log` crate (tungstenite does, at trace level,
/// its handshake request line among it), every level on.
#[derive(Default, Clone)]
struct DependencyLog(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl log::Log for DependencyLog {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0.lock().unwrap().push(format!("{} {}: {}", record.level(), record.target(), record.args()));
    }
    fn flush(&self) {}
}

/// Over real TCP on 127.0.0.1 (the reconnect is immediate: no timers involved).
#[tokio::test]
async fn tokens_and_urls_stay_out_of_debug_output_errors_and_logs() {
    let log = Log::default();
    // The test's runtime runs every task on this thread, so a thread default sees them.
    let _guard = tracing::subscriber::set_default(log.clone());
    let dependency_log = DependencyLog::default();
    log::set_boxed_logger(Box::new(dependency_log.clone())).expect("the only logger of this binary");
    log::set_max_level(log::LevelFilter::Trace);
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connected(ChatSession::builder(&tcp_client(&emulator), chat.participant_token.clone())).await;
    let first_token = session.connection_token();
    // A reconnect and a malformed frame make the session log.
    emulator.drop_sockets();
    emulator.send_raw_frame(&chat, "{oops");
    emulator.agent_send(&chat, "hello");
    texts_until(&mut session, "hello").await;
    emulator.send_raw_frame(&chat, "{oops");
    // A failed upload makes an error that could have named its URL.
    emulator.fail_uploads(Some(500));
    let upload_error = session.upload_attachment("a.txt", "text/plain", b"abc".to_vec()).await.unwrap_err();
    emulator.fail_uploads(None);
    let id = session.upload_attachment("b.txt", "text/plain", b"abc".to_vec()).await.unwrap();
    until(&mut session, |e| matches!(e, ChatEvent::Attachment { .. }).then_some(())).await;
    let mut sink = Vec::new();
    session.download_attachment(&id, &mut sink).await.unwrap();

    let mut lines = log.lines();
    let dependency_lines = dependency_log.0.lock().unwrap().clone();
    assert!(!dependency_lines.is_empty(), "the dependencies' log is captured");
    lines.extend(dependency_lines);
    assert!(lines.iter().any(|l| l.contains("connection lost")), "the session logged the loss: {lines:#?}");
    assert!(lines.iter().any(|l| l.contains("malformed frame")), "and the bad frame: {lines:#?}");
    let seen = format!("{}\n{session:?}\n{upload_error:?}\n{upload_error}", lines.join("\n"));
    let secrets = [chat.participant_token.clone(), first_token, session.connection_token()];
    for secret in &secrets {
        assert!(!seen.contains(secret.as_str()), "a token leaked");
    }
    for url_part in ["ticket=", "/upload/", "/download/", "ws://"] {
        assert!(!seen.contains(url_part), "a URL leaked ({url_part}): {seen}");
    }
}
