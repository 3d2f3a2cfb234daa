//! Scenario 12: paging through GetTranscript.

use connectparticipant::operation::get_transcript::GetTranscriptError;
use serde_json::{Value, json};

use super::server::{FakeService, Op, Reply, message_item};
use super::support::{TOKEN, client};

fn next_tokens(server: &FakeService) -> Vec<Option<String>> {
    server.requests().iter().map(|r| r.json().get("NextToken").and_then(Value::as_str).map(str::to_owned)).collect()
}

#[tokio::test]
async fn paginator_walks_every_page_following_next_token() {
    let server = FakeService::start().await;
    server.set_transcript((0..25).map(message_item).collect());
    let mut pages = client(&server).get_transcript(TOKEN).max_results(10).into_paginator();
    let mut sizes = Vec::new();
    let mut ids = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.expect("page");
        let items = page.transcript.unwrap_or_default();
        sizes.push(items.len());
        ids.extend(items.into_iter().map(|item| item.id.unwrap()));
    }
    assert_eq!(sizes, [10, 10, 5]);
    assert_eq!(ids, (0..25).map(|i| format!("item-{i:04}")).collect::<Vec<_>>());
    assert!(pages.next_page().await.is_none(), "a finished paginator stays finished");
    assert_eq!(next_tokens(&server), [None, Some("page-10".into()), Some("page-20".into())]);
    // Every page request is the first one plus the token.
    for request in server.requests() {
        let mut body = request.json();
        body.as_object_mut().unwrap().remove("NextToken");
        assert_eq!(body, json!({ "MaxResults": 10 }));
        assert_eq!(request.header("x-amz-bearer"), Some(TOKEN));
    }
}

#[tokio::test]
async fn items_stream_yields_every_item_in_order() {
    let server = FakeService::start().await;
    server.set_transcript((0..23).map(message_item).collect());
    let mut items = client(&server).get_transcript(TOKEN).max_results(5).into_items();
    let mut contents = Vec::new();
    while let Some(item) = items.next_item().await {
        contents.push(item.expect("item").content.unwrap());
    }
    assert_eq!(contents, (0..23).map(|i| format!("message {i}")).collect::<Vec<_>>());
    assert_eq!(server.request_count(), 5, "23 items in pages of 5");
}

/// A paginator started from a builder that already has a token begins there.
#[tokio::test]
async fn paginator_starts_from_the_given_token() {
    let server = FakeService::start().await;
    server.set_transcript((0..25).map(message_item).collect());
    let mut items = client(&server).get_transcript(TOKEN).next_token("page-20").into_items();
    let mut count = 0;
    while let Some(item) = items.next_item().await {
        item.unwrap();
        count += 1;
    }
    assert_eq!(count, 5);
    assert_eq!(next_tokens(&server), [Some("page-20".into())]);
}

/// A service that hands back the token it was given would make a naive paginator loop
/// forever: the stream ends instead.
#[tokio::test]
async fn repeated_token_ends_the_stream() {
    let server = FakeService::start().await;
    server.always(
        Op::GetTranscript,
        Reply::json(200, json!({ "Transcript": [message_item(0)], "NextToken": "same-token" })),
    );
    let mut pages = client(&server).get_transcript(TOKEN).into_paginator();
    let mut count = 0;
    while let Some(page) = pages.next_page().await {
        page.unwrap();
        count += 1;
        assert!(count <= 10, "the paginator loops");
    }
    assert_eq!(count, 2, "the first page, then the page of the token, which hands it back");
    assert_eq!(next_tokens(&server), [None, Some("same-token".into())]);
}

/// An empty `NextToken` (the model's tokens have at least 1 character) means no more pages.
#[tokio::test]
async fn empty_next_token_ends_the_stream() {
    let server = FakeService::start().await;
    server.always(Op::GetTranscript, Reply::json(200, json!({ "Transcript": [message_item(0)], "NextToken": "" })));
    let mut items = client(&server).get_transcript(TOKEN).into_items();
    let mut count = 0;
    while let Some(item) = items.next_item().await {
        item.unwrap();
        count += 1;
    }
    assert_eq!(count, 1);
    assert_eq!(server.request_count(), 1);
}

/// A cycle through two tokens (A -> B -> A) ends too.
#[tokio::test]
async fn token_cycle_ends_the_stream() {
    let server = FakeService::start().await;
    server.handle(Op::GetTranscript, |request| {
        let next = match request.json().get("NextToken").and_then(Value::as_str) {
            None | Some("token-b") => "token-a",
            Some(_) => "token-b",
        };
        Reply::json(200, json!({ "Transcript": [], "NextToken": next }))
    });
    let mut pages = client(&server).get_transcript(TOKEN).into_paginator();
    let mut count = 0;
    while let Some(page) = pages.next_page().await {
        page.unwrap();
        count += 1;
        assert!(count <= 10, "the paginator loops");
    }
    assert_eq!(count, 3);
    assert_eq!(next_tokens(&server), [None, Some("token-a".into()), Some("token-b".into())]);
}

/// An error ends the stream after being yielded.
#[tokio::test]
async fn paginator_yields_an_error_then_ends() {
    let server = FakeService::start().await;
    server.set_transcript((0..25).map(message_item).collect());
    server.enqueue(Op::GetTranscript, Reply::Service);
    server.enqueue(Op::GetTranscript, Reply::error(403, "AccessDeniedException", "connection expired"));
    let mut pages = client(&server).get_transcript(TOKEN).into_paginator();
    assert_eq!(pages.next_page().await.unwrap().unwrap().transcript.map(|t| t.len()), Some(10));
    let error = pages.next_page().await.unwrap().unwrap_err();
    assert!(
        matches!(error.service_error(), Some(GetTranscriptError::AccessDeniedException(e)) if e.message == "connection expired"),
        "{error:?}"
    );
    assert!(pages.next_page().await.is_none());
    assert_eq!(server.request_count(), 2);
}
