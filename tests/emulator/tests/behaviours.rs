//! The emulator against the table of its behaviours (README.md): one test per row, named as the
//! row, speaking raw HTTP and WebSocket over the in-memory link (so timing runs on the paused
//! clock and nothing touches the network).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use connectparticipant_emulator::{EVENT, Emulator, LinkStream, NewChat};

/// What a REST call got back.
struct Answer {
    status: u16,
    error: Option<String>,
    body: Value,
}

/// A REST call; the idempotency token the service expects (clients fill it in) is added.
async fn call(emulator: &Emulator, segment: &str, bearer: &str, mut body: Value) -> Answer {
    if ["message", "event", "disconnect"].contains(&segment) {
        body["ClientToken"] = json!(connectparticipant_emulator::new_id());
    }
    let io = TokioIo::new(emulator.memory_link().open());
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.expect("a handshake");
    tokio::spawn(connection);
    let request = hyper::Request::post(format!("/participant/{segment}"))
        .header("content-type", "application/json")
        .header("x-amz-bearer", bearer)
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a request");
    let response = sender.send_request(request).await.expect("an answer");
    let status = response.status().as_u16();
    let error = response.headers().get("x-amzn-errortype").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = response.into_body().collect().await.expect("a body").to_bytes();
    Answer { status, error, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

/// CreateParticipantConnection for the customer: (connection token, socket URL).
async fn connection(emulator: &Emulator, chat: &NewChat) -> (String, String) {
    let answer = call(
        emulator,
        "connection",
        &chat.participant_token,
        json!({ "Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"] }),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let text = |v: &Value| v.as_str().expect("a string").to_owned();
    (text(&answer.body["ConnectionCredentials"]["ConnectionToken"]), text(&answer.body["Websocket"]["Url"]))
}

type Socket = WebSocketStream<LinkStream>;

async fn socket(emulator: &Emulator, url: &str) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    tokio_tungstenite::client_async(url, emulator.memory_link().open()).await.map(|(socket, _)| socket)
}

async fn subscribed(emulator: &Emulator, url: &str) -> Socket {
    let mut socket = socket(emulator, url).await.expect("the socket opens");
    socket.send(Message::text(r#"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#)).await.unwrap();
    assert_eq!(
        next_text(&mut socket).await,
        r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#
    );
    socket
}

async fn next_text(socket: &mut Socket) -> String {
    match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => text.as_str().to_owned(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

/// The chat item a pushed frame carries.
async fn next_item(socket: &mut Socket) -> Value {
    let frame: Value = serde_json::from_str(&next_text(socket).await).expect("a JSON frame");
    assert_eq!(frame["topic"], "aws/chat");
    assert_eq!(frame["contentType"], "application/json");
    serde_json::from_str(frame["content"].as_str().expect("content is a JSON string")).expect("an item")
}

/// A chat with the agent's messages `m0`..`m{n-1}` after the agent's join event.
async fn chat_with(emulator: &Emulator, n: usize) -> (NewChat, String, Vec<String>) {
    let chat = emulator.create_chat();
    let ids = (0..n).map(|i| emulator.agent_send(&chat, &format!("m{i}"))).collect();
    let (token, _) = connection(emulator, &chat).await;
    (chat, token, ids)
}

async fn transcript(emulator: &Emulator, token: &str, request: Value) -> Answer {
    call(emulator, "transcript", token, request).await
}

/// The contents (or content types, for events) of a transcript page.
fn contents(answer: &Answer) -> Vec<String> {
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["Transcript"]
        .as_array()
        .expect("a transcript")
        .iter()
        .map(|i| i["Content"].as_str().or(i["ContentType"].as_str()).unwrap_or_default().to_owned())
        .collect()
}

fn names(range: impl Iterator<Item = usize>) -> Vec<String> {
    range.map(|i| format!("m{i}")).collect()
}

#[tokio::test]
async fn transcript_page_size() {
    let emulator = Emulator::start().await;
    let (_, token, _) = chat_with(&emulator, 25).await;
    assert_eq!(contents(&transcript(&emulator, &token, json!({})).await).len(), 10);
    assert_eq!(contents(&transcript(&emulator, &token, json!({ "MaxResults": 0 })).await).len(), 10);
    assert_eq!(contents(&transcript(&emulator, &token, json!({ "MaxResults": 3 })).await).len(), 3);
}

#[tokio::test]
async fn transcript_max_results_range() {
    let emulator = Emulator::start().await;
    let (_, token, _) = chat_with(&emulator, 120).await;
    assert_eq!(contents(&transcript(&emulator, &token, json!({ "MaxResults": 100 })).await).len(), 100);
    for refused in [json!(101), json!(-1)] {
        let answer = transcript(&emulator, &token, json!({ "MaxResults": refused })).await;
        assert_eq!((answer.status, answer.error.as_deref()), (400, Some("ValidationException")), "{refused}");
    }
}

#[tokio::test]
async fn transcript_default_backward_without_start() {
    let emulator = Emulator::start().await;
    let (_, token, _) = chat_with(&emulator, 25).await;
    let page = transcript(&emulator, &token, json!({ "SortOrder": "ASCENDING" })).await;
    assert_eq!(contents(&page), names(15..25), "the 10 most recent, read backward");
    assert!(page.body.get("NextToken").is_some(), "older pages follow");
}

#[tokio::test]
async fn transcript_default_forward_with_start() {
    let emulator = Emulator::start().await;
    let (_, token, ids) = chat_with(&emulator, 25).await;
    let page = transcript(
        &emulator,
        &token,
        json!({ "StartPosition": { "Id": ids[5] }, "SortOrder": "ASCENDING", "MaxResults": 3 }),
    )
    .await;
    assert_eq!(contents(&page), names(5..8));
}

#[tokio::test]
async fn transcript_default_sort_descending() {
    let emulator = Emulator::start().await;
    let (_, token, ids) = chat_with(&emulator, 25).await;
    let forward = json!({ "ScanDirection": "FORWARD", "StartPosition": { "Id": ids[5] }, "MaxResults": 3 });
    assert_eq!(contents(&transcript(&emulator, &token, forward).await), names((5..8).rev()));
    assert_eq!(contents(&transcript(&emulator, &token, json!({ "MaxResults": 3 })).await), names((22..25).rev()));
}

#[tokio::test]
async fn transcript_forward_without_start_is_empty() {
    let emulator = Emulator::start().await;
    let (_, token, _) = chat_with(&emulator, 25).await;
    for request in [
        json!({ "ScanDirection": "FORWARD" }),
        json!({ "ScanDirection": "FORWARD", "SortOrder": "ASCENDING", "MaxResults": 100 }),
        json!({ "ScanDirection": "FORWARD", "StartPosition": {} }),
    ] {
        let page = transcript(&emulator, &token, request.clone()).await;
        assert_eq!(contents(&page), Vec::<String>::new(), "{request}");
        assert!(page.body.get("NextToken").is_none(), "{request}");
    }
}

#[tokio::test]
async fn transcript_empty_start_position() {
    let emulator = Emulator::start().await;
    let (_, token, _) = chat_with(&emulator, 25).await;
    for start in [json!({}), json!({ "MostRecent": 0 })] {
        let page = transcript(&emulator, &token, json!({ "StartPosition": start, "SortOrder": "ASCENDING" })).await;
        assert_eq!(contents(&page), names(15..25), "{start} names no position");
    }
}

#[tokio::test]
async fn transcript_start_id_inclusive() {
    let emulator = Emulator::start().await;
    let (_, token, ids) = chat_with(&emulator, 5).await;
    for (direction, expected) in [("FORWARD", names(2..5)), ("BACKWARD", names(0..3))] {
        let request = json!({ "ScanDirection": direction, "StartPosition": { "Id": ids[2] }, "SortOrder": "ASCENDING", "MaxResults": 3 });
        assert_eq!(contents(&transcript(&emulator, &token, request).await), expected, "{direction}");
    }
}

#[tokio::test]
async fn transcript_unknown_start_id() {
    let emulator = Emulator::start().await;
    let (_, token, _) = chat_with(&emulator, 5).await;
    let other = emulator.create_chat();
    let elsewhere = emulator.agent_send(&other, "elsewhere");
    for id in [elsewhere, "no-such-item".to_owned()] {
        let answer = transcript(&emulator, &token, json!({ "StartPosition": { "Id": id } })).await;
        assert_eq!((answer.status, answer.error.as_deref()), (400, Some("ValidationException")));
    }
}

#[tokio::test]
async fn transcript_start_time_as_time() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    for (text, at) in [("a", "2030-01-01T00:00:01Z"), ("b", "2030-01-01T00:00:01.500Z"), ("c", "2030-01-01T00:00:02Z")]
    {
        let mut item = emulator.item(&chat, "MESSAGE", Some("text/plain"), Some(text));
        item["AbsoluteTime"] = json!(at);
        emulator.push_item(&chat.contact_id, item, true);
    }
    let (token, _) = connection(&emulator, &chat).await;
    let read = |direction: &str, at: &str| json!({ "ScanDirection": direction, "StartPosition": { "AbsoluteTime": at }, "SortOrder": "ASCENDING" });
    // As text, "...01Z" sorts after "...01.2Z": read as times, it is before.
    let forward = transcript(&emulator, &token, read("FORWARD", "2030-01-01T00:00:01.2Z")).await;
    assert_eq!(contents(&forward), ["b", "c"]);
    let backward = transcript(&emulator, &token, read("BACKWARD", "2030-01-01T00:00:01.2Z")).await;
    assert_eq!(contents(&backward), [format!("{EVENT}participant.joined"), "a".to_owned()]);
    let exact = transcript(&emulator, &token, read("FORWARD", "2030-01-01T00:00:01.500Z")).await;
    assert_eq!(contents(&exact), ["b", "c"], "an item at the time is included");
    let bad = transcript(&emulator, &token, read("FORWARD", "soon")).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn transcript_most_recent() {
    let emulator = Emulator::start().await;
    let (_, token, _) = chat_with(&emulator, 25).await;
    let forward = json!({ "ScanDirection": "FORWARD", "StartPosition": { "MostRecent": 3 }, "SortOrder": "ASCENDING" });
    assert_eq!(contents(&transcript(&emulator, &token, forward).await), names(22..25));
    let backward = json!({ "ScanDirection": "BACKWARD", "StartPosition": { "MostRecent": 1 }, "MaxResults": 2 });
    assert_eq!(contents(&transcript(&emulator, &token, backward).await), names((23..25).rev()));
    let answer = transcript(&emulator, &token, json!({ "StartPosition": { "MostRecent": 101 } })).await;
    assert_eq!(answer.status, 400, "MostRecent is 0 to 100");
}

#[tokio::test]
async fn transcript_pagination() {
    let emulator = Emulator::start().await;
    let (chat, token, _) = chat_with(&emulator, 25).await;
    let first = emulator.transcript(&chat)[0]["Id"].clone();
    let mut all = Vec::new();
    let mut next: Option<Value> = None;
    let mut pages = 0;
    loop {
        let mut request = json!({ "StartPosition": { "Id": first }, "SortOrder": "ASCENDING", "MaxResults": 10 });
        if let Some(token) = next.take() {
            request["NextToken"] = token;
        }
        let page = transcript(&emulator, &token, request).await;
        all.extend(contents(&page));
        pages += 1;
        match page.body.get("NextToken") {
            Some(token) => next = Some(token.clone()),
            None => break,
        }
    }
    assert_eq!(pages, 3, "10 + 10 + 6");
    assert_eq!(all[1..], names(0..25)[..]);
    let answer = transcript(&emulator, &token, json!({ "NextToken": "not-a-token" })).await;
    assert_eq!((answer.status, answer.error.as_deref()), (400, Some("ValidationException")));
}

/// Seconds from now until an ISO 8601 time.
fn seconds_until(at: &Value) -> f64 {
    let at = at.as_str().expect("a time");
    let (date, rest) = at.split_once('T').unwrap();
    let civil: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let clock: Vec<f64> = rest.trim_end_matches('Z').split(':').map(|p| p.parse().unwrap()).collect();
    // Days since the epoch by counting: enough for a test.
    let days_before_year: i64 =
        (1970..civil[0]).map(|y| if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 { 366 } else { 365 }).sum();
    let leap = (civil[0] % 4 == 0 && civil[0] % 100 != 0) || civil[0] % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let days = days_before_year + month_days[..(civil[1] - 1) as usize].iter().sum::<i64>() + civil[2] - 1;
    let then = days as f64 * 86_400.0 + clock[0] * 3600.0 + clock[1] * 60.0 + clock[2];
    then - SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64()
}

#[tokio::test(start_paused = true)]
async fn connection_expiries() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let answer = call(
        &emulator,
        "connection",
        &chat.participant_token,
        json!({ "Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"] }),
    )
    .await;
    let token_left = seconds_until(&answer.body["ConnectionCredentials"]["Expiry"]);
    assert!((86_390.0..=86_400.5).contains(&token_left), "{token_left}");
    let url_left = seconds_until(&answer.body["Websocket"]["ConnectionExpiry"]);
    assert!((90.0..=100.5).contains(&url_left), "{url_left}");
    let url = answer.body["Websocket"]["Url"].as_str().unwrap().to_owned();
    socket(&emulator, &url).await.expect("usable at once");
    tokio::time::sleep(Duration::from_secs(99)).await;
    socket(&emulator, &url).await.expect("and again within 100 s");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let refused = socket(&emulator, &url).await.expect_err("not after 100 s");
    assert!(refused.to_string().contains("403"), "{refused}");
}

#[tokio::test]
async fn connection_without_type() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let answer = call(&emulator, "connection", &chat.participant_token, json!({ "ConnectParticipant": true })).await;
    assert_eq!(answer.status, 200);
    assert!(
        answer.body["Websocket"]["Url"].is_string()
            && answer.body["ConnectionCredentials"]["ConnectionToken"].is_string()
    );
}

#[tokio::test]
async fn bearer_tokens() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let denied = |a: &Answer| (a.status, a.error.clone()) == (403, Some("AccessDeniedException".to_owned()));
    assert!(denied(&call(&emulator, "connection", "not-a-token", json!({})).await));
    let (token, _) = connection(&emulator, &chat).await;
    assert!(denied(&transcript(&emulator, &chat.participant_token, json!({})).await), "not the participant token");
    assert!(denied(&call(&emulator, "connection", &token, json!({})).await), "not the connection token");
    assert_eq!(transcript(&emulator, &token, json!({})).await.status, 200);
}

#[tokio::test]
async fn ended_chat_refuses_connections() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (_, url) = connection(&emulator, &chat).await;
    let mut socket = subscribed(&emulator, &url).await;
    emulator.end_chat(&chat);
    assert_eq!(next_item(&mut socket).await["ContentType"], format!("{EVENT}chat.ended"));
    let answer = call(&emulator, "connection", &chat.participant_token, json!({})).await;
    assert_eq!((answer.status, answer.error.as_deref()), (403, Some("AccessDeniedException")));
}

#[tokio::test]
async fn subscribe_heartbeat_ping() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (_, url) = connection(&emulator, &chat).await;
    let mut ios = socket(&emulator, &url).await.unwrap();
    ios.send(Message::text(r#"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}})"#)).await.unwrap();
    assert_eq!(
        next_text(&mut ios).await,
        r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#
    );
    let mut socket = subscribed(&emulator, &url).await;
    socket.send(Message::text(r#"{"topic":"aws/heartbeat"}"#)).await.unwrap();
    let heartbeat: Value = serde_json::from_str(&next_text(&mut socket).await).unwrap();
    assert_eq!(heartbeat["topic"], "aws/heartbeat");
    socket.send(Message::text(r#"{"topic":"aws/ping"}"#)).await.unwrap();
    let ping: Value = serde_json::from_str(&next_text(&mut socket).await).unwrap();
    assert_eq!(
        (ping["topic"].as_str(), ping["statusCode"].as_u64(), ping["statusContent"].as_str()),
        (Some("aws/ping"), Some(200), Some("OK"))
    );
}

#[tokio::test(start_paused = true)]
async fn pushes_after_subscribe() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (token, url) = connection(&emulator, &chat).await;
    let mut first = subscribed(&emulator, &url).await;
    let mut second = subscribed(&emulator, &url).await;
    let mut unsubscribed = socket(&emulator, &url).await.unwrap();
    let sent = call(&emulator, "message", &token, json!({ "ContentType": "text/plain", "Content": "hi" })).await;
    for socket in [&mut first, &mut second] {
        let item = next_item(socket).await;
        assert_eq!(item["Id"], sent.body["Id"], "the echo carries the id the call returned");
        assert_eq!(item["Content"], "hi");
        assert_eq!(item["ParticipantId"], chat.customer.id.as_str());
        assert_eq!(
            (item["ContactId"].as_str(), item["InitialContactId"].as_str()),
            (Some(chat.contact_id.as_str()), Some(chat.contact_id.as_str()))
        );
    }
    let silence = tokio::time::timeout(Duration::from_secs(30), unsubscribed.next()).await;
    assert!(silence.is_err(), "nothing before subscribing: {silence:?}");
}

#[tokio::test]
async fn message_limits() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (token, _) = connection(&emulator, &chat).await;
    for (content_type, limit) in [
        ("text/plain", 1024),
        ("text/markdown", 1024),
        ("application/json", 12000),
        ("application/vnd.amazonaws.connect.message.interactive.response", 12288),
    ] {
        for (length, status) in [(limit, 200), (limit + 1, 400)] {
            let body = json!({ "ContentType": content_type, "Content": "é".repeat(length) });
            assert_eq!(call(&emulator, "message", &token, body).await.status, status, "{content_type} × {length}");
        }
    }
    let other = call(&emulator, "message", &token, json!({ "ContentType": "image/png", "Content": "x" })).await;
    assert_eq!(other.status, 400);
}

#[tokio::test]
async fn typing_not_in_transcript() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (token, url) = connection(&emulator, &chat).await;
    let mut socket = subscribed(&emulator, &url).await;
    let typing = format!("{EVENT}typing");
    assert_eq!(call(&emulator, "event", &token, json!({ "ContentType": typing })).await.status, 200);
    assert_eq!(next_item(&mut socket).await["ContentType"], typing.as_str(), "pushed");
    assert!(emulator.transcript(&chat).iter().all(|i| i["ContentType"] != typing.as_str()), "not kept");
}

#[tokio::test]
async fn receipts() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let message = emulator.agent_send(&chat, "read me");
    let (token, url) = connection(&emulator, &chat).await;
    let mut socket = subscribed(&emulator, &url).await;
    let read = format!("{EVENT}message.read");
    for content in [None, Some(json!({ "other": 1 })), Some(json!({ "messageId": "no-such-message" }))] {
        let mut body = json!({ "ContentType": read });
        if let Some(content) = &content {
            body["Content"] = json!(content.to_string());
        }
        assert_eq!(call(&emulator, "event", &token, body).await.status, 400, "{content:?}");
    }
    let content = json!({ "messageId": message, "disableThrottle": true }).to_string();
    assert_eq!(call(&emulator, "event", &token, json!({ "ContentType": read, "Content": content })).await.status, 200);
    let item = next_item(&mut socket).await;
    assert_eq!(item["Type"], "MESSAGEMETADATA");
    assert_eq!(item["MessageMetadata"]["MessageId"], message.as_str());
    assert_eq!(item["MessageMetadata"]["Receipts"][0]["RecipientParticipantId"], chat.customer.id.as_str());
    let stored = emulator.transcript(&chat).into_iter().find(|i| i["Id"] == message.as_str()).unwrap();
    assert!(stored["MessageMetadata"]["Receipts"][0]["ReadTimestamp"].is_string(), "{stored}");
}

#[tokio::test(start_paused = true)]
async fn attachments() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (token, _) = connection(&emulator, &chat).await;
    let start = |content_type: &str, size: u64| json!({ "ContentType": content_type, "AttachmentName": "f", "AttachmentSizeInBytes": size, "ClientToken": connectparticipant_emulator::new_id() });
    let big = call(&emulator, "start-attachment-upload", &token, start("image/png", 20 * 1024 * 1024 + 1)).await;
    assert_eq!((big.status, big.error.as_deref()), (402, Some("ServiceQuotaExceededException")));
    assert_eq!(call(&emulator, "start-attachment-upload", &token, start("application/zip", 10)).await.status, 400);
    let ok = call(&emulator, "start-attachment-upload", &token, start("image/png", 20 * 1024 * 1024)).await;
    assert_eq!(ok.status, 200);
    let url = ok.body["UploadMetadata"]["Url"].as_str().unwrap();
    let path = url.split_once("127.0.0.1").unwrap().1.split_once('/').unwrap().1;
    let put = || async {
        let io = TokioIo::new(emulator.memory_link().open());
        let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.unwrap();
        tokio::spawn(connection);
        let request = hyper::Request::put(format!("/{path}")).body(Full::new(Bytes::new())).unwrap();
        let response = sender.send_request(request).await.unwrap();
        String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned()
    };
    assert!(!put().await.contains("expired"));
    tokio::time::sleep(Duration::from_secs(301)).await;
    assert!(put().await.contains("expired"), "pre-signed URLs work for 300 s");
}

#[tokio::test]
async fn disconnect_ends_chat() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (token, url) = connection(&emulator, &chat).await;
    let mut socket = subscribed(&emulator, &url).await;
    assert_eq!(call(&emulator, "disconnect", &token, json!({})).await.status, 200);
    assert_eq!(next_item(&mut socket).await["ContentType"], format!("{EVENT}participant.left"));
    assert_eq!(next_item(&mut socket).await["ContentType"], format!("{EVENT}chat.ended"));
}

#[tokio::test(start_paused = true)]
async fn bounded_bookkeeping() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    // Connection tokens: 16 per participant, the oldest forgotten.
    let mut tokens = Vec::new();
    for _ in 0..20 {
        tokens.push(connection(&emulator, &chat).await.0);
    }
    assert_eq!(emulator.bookkeeping().connection_tokens, 16);
    assert_eq!(transcript(&emulator, &tokens[0], json!({})).await.status, 403, "the oldest stopped working");
    assert_eq!(transcript(&emulator, &tokens[19], json!({})).await.status, 200);
    // Socket URLs: expired ones are pruned as the table grows.
    tokio::time::sleep(Duration::from_secs(101)).await;
    for _ in 0..100 {
        connection(&emulator, &chat).await;
    }
    let urls = emulator.bookkeeping().socket_urls;
    assert!(urls <= 100, "120 handed out, 20 of them expired and pruned: {urls}");
    // A socket that reads nothing is cut off once its queue is full.
    let (_, url) = connection(&emulator, &chat).await;
    let _deaf = subscribed(&emulator, &url).await;
    assert_eq!(emulator.open_sockets(), 1);
    for i in 0..8000 {
        emulator.agent_send(&chat, &format!("flood {i}"));
        if i % 100 == 0 {
            tokio::task::yield_now().await;
        }
    }
    assert_eq!(emulator.open_sockets(), 0);
    // The call log keeps the latest 4096 calls, the counts all of them.
    let before = emulator.call_count("GetTranscript");
    for _ in 0..4100 {
        transcript(&emulator, &tokens[19], json!({ "MaxResults": 1 })).await;
    }
    assert_eq!(emulator.call_count("GetTranscript"), before + 4100);
    assert_eq!(emulator.bookkeeping().calls, 4096);
}

#[tokio::test]
async fn persistent_chain() {
    let emulator = Emulator::start().await;
    let first = emulator.create_chat();
    let second = emulator.continue_chat(&first);
    let third = emulator.continue_chat(&second);
    assert_ne!(second.contact_id, first.contact_id);
    assert_ne!(second.customer.id, first.customer.id);
    assert_ne!(second.participant_token, first.participant_token);
    // The third contact reaches back through the second to the first.
    let (token, _) = connection(&emulator, &third).await;
    for earlier in [&first, &second] {
        let answer = transcript(&emulator, &token, json!({ "ContactId": earlier.contact_id })).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    // The first contact's participants do not reach forward.
    let (token, _) = connection(&emulator, &first).await;
    let answer = transcript(&emulator, &token, json!({ "ContactId": second.contact_id })).await;
    assert_eq!(answer.status, 400);
}

#[tokio::test]
async fn rehydrated_event() {
    let emulator = Emulator::start().await;
    let first = emulator.create_chat();
    let second = emulator.continue_chat(&first);
    let (token, url) = connection(&emulator, &second).await;
    let kinds: Vec<String> =
        transcript(&emulator, &token, json!({ "SortOrder": "ASCENDING" })).await.body["Transcript"]
            .as_array()
            .expect("a transcript")
            .iter()
            .map(|i| i["ContentType"].as_str().unwrap_or_default().to_owned())
            .collect();
    assert_eq!(kinds, [format!("{EVENT}chat.rehydrated"), format!("{EVENT}participant.joined")]);
    let mut socket = subscribed(&emulator, &url).await;
    let item = next_item(&mut socket).await;
    assert_eq!(item["ContentType"], format!("{EVENT}chat.rehydrated"));
    assert_eq!((item["Type"].as_str(), item["ParticipantRole"].as_str()), (Some("EVENT"), Some("SYSTEM")));
    assert_eq!(item["ContactId"], second.contact_id.as_str());
    // Once: a second socket does not get it again; the next push is the agent's message.
    let mut again = subscribed(&emulator, &url).await;
    emulator.agent_send(&second, "hello");
    assert_eq!(next_item(&mut again).await["Content"], "hello");
    // The first chat has no rehydration event.
    let (token, _) = connection(&emulator, &first).await;
    assert!(!transcript(&emulator, &token, json!({})).await.body.to_string().contains("rehydrated"));
}

#[tokio::test]
async fn transcript_of_chain() {
    let emulator = Emulator::start().await;
    let first = emulator.create_chat();
    let said = emulator.agent_send(&first, "earlier");
    let second = emulator.continue_chat(&first);
    emulator.agent_send(&second, "now");
    let (token, _) = connection(&emulator, &second).await;
    let past = transcript(&emulator, &token, json!({ "ContactId": first.contact_id, "SortOrder": "ASCENDING" })).await;
    assert_eq!(contents(&past), [format!("{EVENT}participant.joined"), "earlier".to_owned()]);
    let item = &past.body["Transcript"][1];
    assert_eq!(item["Id"], said.as_str());
    assert_eq!(item["RelatedContactId"], first.contact_id.as_str());
    assert!(item.get("ContactId").is_none(), "{item}");
    // Without ContactId, and with the caller's own: the current contact, ContactId set.
    for request in
        [json!({ "SortOrder": "ASCENDING" }), json!({ "ContactId": second.contact_id, "SortOrder": "ASCENDING" })]
    {
        let current = transcript(&emulator, &token, request).await;
        assert_eq!(contents(&current).last().map(String::as_str), Some("now"));
        assert_eq!(current.body["Transcript"][2]["ContactId"], second.contact_id.as_str());
        assert!(current.body["Transcript"][2].get("RelatedContactId").is_none());
    }
    let stranger = emulator.create_chat();
    let answer = transcript(&emulator, &token, json!({ "ContactId": stranger.contact_id })).await;
    assert_eq!((answer.status, answer.error.as_deref()), (400, Some("ValidationException")));
}

#[tokio::test]
async fn streamed_messages() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (token, url) = connection(&emulator, &chat).await;
    let mut socket = subscribed(&emulator, &url).await;
    let id = emulator.bot_stream(&chat, &["Hel", "lo"]);
    for (number, part) in [(1, "Hel"), (2, "lo")] {
        let chunk = next_item(&mut socket).await;
        assert_eq!(chunk["Id"], id.as_str());
        assert_eq!((chunk["Type"].as_str(), chunk["ParticipantRole"].as_str()), (Some("MESSAGE"), Some("SYSTEM")));
        assert_eq!(chunk["Content"], part);
        assert_eq!(chunk["MessageMetadata"]["ChunkNumber"], number);
        assert_eq!(chunk["MessageMetadata"]["MessageCompleted"], number == 2);
    }
    let page = transcript(&emulator, &token, json!({ "SortOrder": "ASCENDING" })).await;
    assert_eq!(contents(&page).last().map(String::as_str), Some("Hello"));
    assert_eq!(page.body["Transcript"].as_array().map(Vec::len), Some(2), "chunks are not kept");
    assert_eq!(page.body["Transcript"][1]["Id"], id.as_str());
}

/// Every row of the README's table has a test of its name here, and names a source.
#[test]
fn every_row_has_a_test() {
    let readme = include_str!("../README.md");
    let tests = include_str!("behaviours.rs");
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `")).collect();
    assert!(rows.len() >= 20, "{} rows", rows.len());
    for row in rows {
        let cells: Vec<&str> = row.split(" | ").collect();
        let name = cells[0].trim_start_matches("| `").trim_end_matches('`');
        assert!(tests.contains(&format!("async fn {name}()")), "row {name} has no test");
        let source = cells.last().unwrap().trim_end_matches('|').trim();
        assert!(
            ["model", "clients", "issue 14", "our choice"].iter().any(|s| source.contains(s)),
            "row {name} names no source: {source}"
        );
    }
}
