//! What a bridge needs: a sender shared by tasks while one reads, receipts that do not hold the
//! reader, idempotent sends.

use std::time::Duration;

use connectparticipant::chat::{ChatError, ChatEvents, OutgoingMessage, ReceiptOutcome};
use connectparticipant_emulator::{EVENT, Emulator};
use tokio::time::Instant;

use super::support::{connect, text};

/// The texts read from `events` until `count` messages arrived.
async fn read_texts(events: &mut ChatEvents, count: usize) -> Vec<String> {
    let mut texts = Vec::new();
    while texts.len() < count {
        let event = tokio::time::timeout(Duration::from_secs(600), events.next_event())
            .await
            .expect("an event within the patience")
            .expect("the session is still running");
        texts.extend(text(&event));
    }
    texts
}

/// The read receipts the emulator received, by message id.
fn reads_sent(emulator: &Emulator) -> Vec<String> {
    emulator
        .calls()
        .into_iter()
        .filter(|c| c.operation == "SendEvent" && c.body["ContentType"] == format!("{EVENT}message.read"))
        .map(|c| {
            let content: serde_json::Value = serde_json::from_str(c.body["Content"].as_str().unwrap()).unwrap();
            content["messageId"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn senders_in_other_tasks_send_while_one_task_reads() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (sender, mut events) = connect(&emulator, &chat).await.split();
    let reader = tokio::spawn(async move { read_texts(&mut events, 3).await });
    let senders = ["one", "two"].map(|message| {
        let sender = sender.clone();
        tokio::spawn(async move { sender.send_text(message).await.map(|sent| sent.id) })
    });
    for task in senders {
        assert!(task.await.unwrap().unwrap().is_some());
    }
    emulator.agent_send(&chat, "three");
    let mut texts = reader.await.unwrap();
    texts.sort();
    assert_eq!(texts, ["one", "three", "two"]);
    drop(sender);
}

#[tokio::test(start_paused = true)]
async fn a_queued_read_receipt_returns_at_once_and_goes_when_due() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (sender, mut events) = connect(&emulator, &chat).await.split();
    let first = emulator.agent_send(&chat, "first");
    let second = emulator.agent_send(&chat, "second");
    read_texts(&mut events, 2).await;
    assert_eq!(sender.send_read(&first).await.unwrap(), ReceiptOutcome::Sent);
    let start = Instant::now();
    // Within the throttle window: `send_read` would wait 5 s here; the queue does not.
    sender.queue_read(&second).unwrap();
    assert_eq!(reads_sent(&emulator), std::slice::from_ref(&first), "not sent before the window ends");
    tokio::time::sleep(Duration::from_secs(5)).await;
    tokio::task::yield_now().await;
    while reads_sent(&emulator).len() < 2 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(start.elapsed() < Duration::from_secs(6));
    assert_eq!(reads_sent(&emulator), [first, second]);
    assert!(matches!(sender.queue_read(""), Err(ChatError::InvalidInput(_))));
}

#[tokio::test(start_paused = true)]
async fn a_client_token_goes_with_the_message_and_is_checked_first() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connect(&emulator, &chat).await;
    session
        .send(OutgoingMessage::markdown("**hi**").client_token("3f1c2b7e-8d4a-4c6f-9e21-5a7b0c9d8e3f"))
        .await
        .unwrap();
    session.send_text("no token").await.unwrap();
    let tokens: Vec<_> = emulator
        .calls()
        .into_iter()
        .filter(|c| c.operation == "SendMessage")
        .map(|c| (c.body["ContentType"].clone(), c.body["ClientToken"].clone()))
        .collect();
    assert_eq!(
        tokens[0],
        (serde_json::json!("text/markdown"), serde_json::json!("3f1c2b7e-8d4a-4c6f-9e21-5a7b0c9d8e3f"))
    );
    assert_ne!(tokens[1].1, serde_json::json!("3f1c2b7e-8d4a-4c6f-9e21-5a7b0c9d8e3f"), "a fresh token without one");
    let refused = session.send(OutgoingMessage::text("x").client_token("")).await;
    assert!(matches!(refused, Err(ChatError::InvalidInput(_))), "{refused:?}");
    assert_eq!(emulator.call_count("SendMessage"), 2);
}
