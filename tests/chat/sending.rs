//! Sending messages, typing, receipts, and leaving.

use std::time::Duration;

use connectparticipant::chat::{ChatError, ChatEvent, ConnectionState, ReceiptOutcome, SkipReason, TypingOutcome};
use connectparticipant_emulator::{EVENT, Emulator};
use serde_json::Value;
use tokio::time::Instant;

use super::support::{builder, connect, connected, next, texts_until, until};

/// The messages received up to `last`, with whether each was marked as sent by this session.
async fn own_flags_until(session: &mut connectparticipant::chat::ChatSession, last: &str) -> Vec<(String, bool)> {
    let mut flags = Vec::new();
    loop {
        if let ChatEvent::Message { from_self, item, .. } = next(session).await {
            let text = item.content.unwrap_or_default();
            flags.push((text.clone(), from_self));
            if text == last {
                return flags;
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn own_messages_come_back_marked_as_own() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connected(builder(&emulator, &chat).participant_id(chat.customer.id.clone())).await;
    let sent = session.send_text("hello").await.unwrap();
    session.send_markdown("**bold**").await.unwrap();
    session.send_json(r#"{"a":1}"#).await.unwrap();
    emulator.agent_send(&chat, "from the agent");
    let flags = own_flags_until(&mut session, "from the agent").await;
    let expected = [("hello", true), ("**bold**", true), ("{\"a\":1}", true), ("from the agent", false)];
    assert_eq!(flags, expected.map(|(t, own)| (t.to_owned(), own)));
    assert!(sent.id.is_some());
    let kinds: Vec<_> = emulator
        .calls()
        .into_iter()
        .filter(|c| c.operation == "SendMessage")
        .map(|c| c.body["ContentType"].clone())
        .collect();
    assert_eq!(kinds, ["text/plain", "text/markdown", "application/json"]);
}

#[tokio::test(start_paused = true)]
async fn without_a_participant_id_the_session_learns_it_from_its_first_echo() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    // The emulator pushes the echo before it answers the send: the hard order.
    let mut session = connect(&emulator, &chat).await;
    session.send_text("first").await.unwrap();
    session.send_text("second").await.unwrap();
    emulator.agent_send(&chat, "from the agent");
    let flags = own_flags_until(&mut session, "from the agent").await;
    assert_eq!(flags[1..], [("second".to_owned(), true), ("from the agent".to_owned(), false)]);
}

#[tokio::test(start_paused = true)]
async fn messages_are_checked_before_anything_is_sent() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connect(&emulator, &chat).await;
    for result in [
        session.send_text("").await,
        session.send_text("x".repeat(1025)).await,
        session.send_markdown("y".repeat(1025)).await,
        session.send_json("not json").await,
    ] {
        assert!(matches!(result, Err(ChatError::InvalidInput(_))), "{result:?}");
    }
    assert_eq!(emulator.call_count("SendMessage"), 0);
    assert!(session.send_text("x".repeat(1024)).await.is_ok());
}

#[tokio::test(start_paused = true)]
async fn typing_is_sent_at_most_once_per_ten_seconds() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connect(&emulator, &chat).await;
    assert_eq!(session.send_typing().await.unwrap(), TypingOutcome::Sent);
    assert_eq!(session.send_typing().await.unwrap(), TypingOutcome::Throttled);
    tokio::time::sleep(Duration::from_millis(9999)).await;
    assert_eq!(session.send_typing().await.unwrap(), TypingOutcome::Throttled);
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(session.send_typing().await.unwrap(), TypingOutcome::Sent);
    let typing: Vec<Value> =
        emulator.calls().into_iter().filter(|c| c.operation == "SendEvent").map(|c| c.body).collect();
    assert_eq!(typing.len(), 2);
    assert!(typing.iter().all(|b| b["ContentType"] == format!("{EVENT}typing") && b.get("Content").is_none()));
}

/// The receipts sent so far: (content type suffix, message id).
fn receipts_sent(emulator: &Emulator) -> Vec<(String, String)> {
    emulator
        .calls()
        .into_iter()
        .filter(|c| c.operation == "SendEvent")
        .map(|c| {
            let kind = c.body["ContentType"].as_str().unwrap().trim_start_matches(EVENT).to_owned();
            let content: Value = serde_json::from_str(c.body["Content"].as_str().unwrap()).unwrap();
            (kind, content["messageId"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn receipts_follow_the_rules() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connect(&emulator, &chat).await;
    let [m1, m2, m3, m4] = ["one", "two", "three", "four"].map(|text| emulator.agent_send(&chat, text));
    let start = Instant::now();

    // A read receipt goes at once.
    assert_eq!(session.send_read(&m1).await.unwrap(), ReceiptOutcome::Sent);
    assert_eq!(start.elapsed(), Duration::ZERO);
    // Never a delivered receipt after a read one; never the same read twice.
    assert_eq!(session.send_delivered(&m1).await.unwrap(), ReceiptOutcome::Skipped(SkipReason::AlreadyRead));
    assert_eq!(session.send_read(&m1).await.unwrap(), ReceiptOutcome::Skipped(SkipReason::AlreadySent));
    assert!(matches!(session.send_read("").await, Err(ChatError::InvalidInput(_))));

    // Within the 5 s window: only the last request goes, the others share its result.
    let (delivered, read) = tokio::join!(session.send_delivered(&m2), session.send_read(&m3));
    assert_eq!((delivered.unwrap(), read.unwrap()), (ReceiptOutcome::Sent, ReceiptOutcome::Sent));
    assert_eq!(start.elapsed(), Duration::from_secs(5), "held to the end of the window");

    // When the last request of a window is a delivered one, the newest read goes with it.
    let (read, delivered) = tokio::join!(session.send_read(&m2), session.send_delivered(&m4));
    assert_eq!((read.unwrap(), delivered.unwrap()), (ReceiptOutcome::Sent, ReceiptOutcome::Sent));
    assert_eq!(start.elapsed(), Duration::from_secs(10), "at the end of the next window");

    // Outside any window, a delivered receipt waits 300 ms.
    let m5 = emulator.agent_send(&chat, "five");
    tokio::time::sleep(Duration::from_secs(60)).await;
    let later = Instant::now();
    assert_eq!(session.send_delivered(&m5).await.unwrap(), ReceiptOutcome::Sent);
    assert_eq!(later.elapsed(), Duration::from_millis(300));
    assert_eq!(session.send_delivered(&m4).await.unwrap(), ReceiptOutcome::Skipped(SkipReason::AlreadySent));

    let sent = receipts_sent(&emulator);
    let expected = [
        ("message.read", &m1),
        ("message.read", &m3),
        ("message.read", &m2),
        ("message.delivered", &m4),
        ("message.delivered", &m5),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(k, id)| ((*k).to_owned(), (*id).clone())).collect();
    assert_eq!(sent, expected);
}

#[tokio::test(start_paused = true)]
async fn receipts_from_others_are_events_and_own_ones_are_not() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    let mine = session.send_text("did you read this?").await.unwrap().id.unwrap();
    texts_until(&mut session, "did you read this?").await;
    let theirs = emulator.agent_send(&chat, "yes");
    texts_until(&mut session, "yes").await;
    session.send_read(&theirs).await.unwrap();
    emulator.agent_receipt(&chat, &mine, true);
    let (receipt, skipped) = until(&mut session, |e| match e {
        ChatEvent::Receipt(receipt) => Some(receipt.clone()),
        _ => None,
    })
    .await;
    assert_eq!(receipt.message_id, mine, "the agent's receipt, not the echo of our own: {skipped:?}");
    assert_eq!(receipt.recipient_participant_id.as_deref(), Some(chat.agent.id.as_str()));
}

#[tokio::test(start_paused = true)]
async fn disconnect_waits_for_the_chat_to_end_then_closes() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    session.disconnect().await.unwrap();
    assert!(session.has_ended());
    assert_eq!(emulator.call_count("DisconnectParticipant"), 1);
    let mut events = Vec::new();
    while let Some(event) = session.next_event().await {
        events.push(event);
    }
    assert!(matches!(events.last(), Some(ChatEvent::Connection(ConnectionState::Ended))), "{events:?}");
    assert!(events.iter().any(|e| matches!(e, ChatEvent::ChatEnded { item: Some(_) })), "{events:?}");
    assert_eq!(emulator.open_sockets(), 0, "the socket is closed");
    assert!(matches!(session.send_text("bye").await, Err(ChatError::ChatEnded)));
    assert_eq!(session.send_read("x").await.unwrap(), ReceiptOutcome::Skipped(SkipReason::ChatEnded));
}

#[tokio::test(start_paused = true)]
async fn a_receipt_that_failed_is_sent_again_when_asked_again() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::doubles::{Answer, Intercept};

    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let fail = Arc::new(AtomicBool::new(true));
    let failing = Arc::clone(&fail);
    let transport = Intercept::new(&emulator, move |op, body| {
        if op == "SendEvent"
            && body["ContentType"].as_str().is_some_and(|t| t.ends_with("read"))
            && failing.swap(false, Ordering::SeqCst)
        {
            return Answer::Json(500, serde_json::json!({ "message": "try later" }));
        }
        Answer::Pass
    });
    let session = connected(transport.builder(&emulator, &chat)).await;
    let id = emulator.agent_send(&chat, "read me");
    assert!(session.send_read(&id).await.is_err(), "the first call failed");
    assert_eq!(session.send_read(&id).await.unwrap(), ReceiptOutcome::Sent, "so it was not sent: send it now");
}

#[tokio::test(start_paused = true)]
async fn disconnecting_after_the_chat_ended_is_not_an_error() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connect(&emulator, &chat).await;
    emulator.end_chat(&chat);
    until(&mut session, |e| matches!(e, ChatEvent::ChatEnded { .. }).then_some(())).await;
    assert!(session.has_ended());
    session.disconnect().await.expect("leaving an ended chat is a no-op");
}
