//! Filling the gap from the transcript after a reconnect, against GetTranscript's documented
//! semantics: nothing missed is lost, failures are retried and reported, a chat end found there
//! ends the session, paging stops.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use connectparticipant::chat::{ChatEvent, ConnectionState};
use connectparticipant_emulator::{EVENT, Emulator};
use serde_json::{Value, json};

use super::doubles::{Answer, Intercept};
use super::support::{connected, is_state, next, texts_until, until};

/// GetTranscript as documented: FORWARD without a StartPosition reads forward from the most
/// recent item, so it finds nothing (the emulator answers "from the start").
fn documented(op: &str, body: &Value) -> Answer {
    let forward = body["ScanDirection"] == "FORWARD";
    let no_start = body.get("StartPosition").is_none_or(|p| p.as_object().is_none_or(|o| o.is_empty()));
    if op == "GetTranscript" && forward && no_start && body.get("NextToken").is_none() {
        return Answer::Json(200, json!({ "InitialContactId": "c", "Transcript": [] }));
    }
    Answer::Pass
}

#[tokio::test(start_paused = true)]
async fn messages_missed_before_any_item_arrived_are_delivered() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let transport = Intercept::new(&emulator, documented);
    let mut session = connected(transport.builder(&emulator, &chat)).await;
    emulator.drop_sockets();
    emulator.agent_send(&chat, "missed 1");
    emulator.agent_send(&chat, "missed 2");
    let (texts, _) = texts_until(&mut session, "missed 2").await;
    assert_eq!(texts, ["missed 1", "missed 2"]);
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Restored));
}

#[tokio::test(start_paused = true)]
async fn a_failing_gap_fill_is_retried() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let failures = Arc::new(AtomicUsize::new(2));
    let left = Arc::clone(&failures);
    let transport = Intercept::new(&emulator, move |op, _| {
        if op == "GetTranscript" && left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
        {
            return Answer::Json(500, json!({ "message": "try later" }));
        }
        Answer::Pass
    });
    let mut session = connected(transport.builder(&emulator, &chat)).await;
    emulator.agent_send(&chat, "seen");
    texts_until(&mut session, "seen").await;
    emulator.drop_sockets();
    emulator.agent_send(&chat, "missed");
    let (texts, others) = texts_until(&mut session, "missed").await;
    assert_eq!(texts, ["missed"]);
    assert!(others.iter().all(|e| !matches!(e, ChatEvent::Failed(_))), "{others:?}");
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Restored));
    assert_eq!(transport.calls("GetTranscript").len(), 3, "two failures, then the page");
}

#[tokio::test(start_paused = true)]
async fn a_refused_start_item_falls_back_to_its_time() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    // The service no longer knows the start item (say, it was redacted).
    let transport = Intercept::new(&emulator, |op, body| {
        if op == "GetTranscript" && body["StartPosition"].get("Id").is_some() {
            return Answer::Json(400, json!({ "message": "StartPosition is not valid" }));
        }
        Answer::Pass
    });
    let mut session = connected(transport.builder(&emulator, &chat)).await;
    emulator.agent_send(&chat, "seen");
    texts_until(&mut session, "seen").await;
    emulator.drop_sockets();
    emulator.agent_send(&chat, "missed");
    let (texts, _) = texts_until(&mut session, "missed").await;
    assert_eq!(texts, ["missed"], "nothing twice, nothing lost");
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Restored));
}

#[tokio::test(start_paused = true)]
async fn a_chat_end_found_in_the_transcript_ends_the_session() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = super::support::connect(&emulator, &chat).await;
    emulator.agent_send(&chat, "seen");
    texts_until(&mut session, "seen").await;
    emulator.drop_sockets();
    // Kept in the transcript, pushed to no socket; reconnects still succeed.
    emulator.agent_event(&chat, &format!("{EVENT}chat.ended"), true);
    let (_, _) = until(&mut session, |e| matches!(e, ChatEvent::ChatEnded { .. }).then_some(())).await;
    assert_eq!(next(&mut session).await, ChatEvent::Connection(ConnectionState::Ended));
    assert_eq!(session.next_event().await, None);
    assert!(session.has_ended());
}

#[tokio::test(start_paused = true)]
async fn a_repeated_next_token_stops_the_paging() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let pages = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&pages);
    let transport = Intercept::new(&emulator, move |op, _| {
        if op != "GetTranscript" {
            return Answer::Pass;
        }
        // A broken service: the same page and token forever (after 100, stop answering so that a
        // loop shows as a count, not a hang).
        if counted.fetch_add(1, Ordering::SeqCst) >= 100 {
            return Answer::Stall;
        }
        Answer::Json(200, json!({ "Transcript": [], "NextToken": "again" }))
    });
    let mut session = connected(transport.builder(&emulator, &chat)).await;
    emulator.drop_sockets();
    until(&mut session, |e| is_state(e, ConnectionState::Lost).then_some(())).await;
    until(&mut session, |e| matches!(e, ChatEvent::GapNotFilled(_)).then_some(())).await;
    let calls = pages.load(Ordering::SeqCst);
    assert!(calls <= 10, "{calls} pages asked for");
}

#[tokio::test(start_paused = true)]
async fn missed_items_are_delivered_in_time_order_not_text_order() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let item = |id: &str, text: &str, at: &str| {
        let mut item = emulator.item(&chat, "MESSAGE", Some("text/plain"), Some(text));
        item["Id"] = json!(id);
        item["AbsoluteTime"] = json!(at);
        item
    };
    // As text, "...:01.5Z" sorts before "...:01Z".
    let page = json!({ "Transcript": [
        item("b", "second", "2030-01-01T00:00:01.5Z"),
        item("a", "first", "2030-01-01T00:00:01Z"),
    ]});
    let transport =
        Intercept::new(
            &emulator,
            move |op, _| {
                if op == "GetTranscript" { Answer::Json(200, page.clone()) } else { Answer::Pass }
            },
        );
    let mut session = connected(transport.builder(&emulator, &chat)).await;
    emulator.drop_sockets();
    let (texts, _) = texts_until(&mut session, "second").await;
    assert_eq!(texts, ["first", "second"]);
}
