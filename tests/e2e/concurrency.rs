//! Scenario 13: one client, cloned into many tasks.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{Value, json};

use super::server::{FakeService, Op, Reply};
use super::support::{TOKEN, client};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_calls_share_one_client() {
    const TASKS: usize = 64;
    let server = FakeService::start().await;
    // The answer echoes the message, after a delay that varies so that answers interleave.
    server.handle(Op::SendMessage, |request| {
        let content = request.json()["Content"].as_str().unwrap_or_default().to_owned();
        let index: u64 = content.trim_start_matches("message ").parse().unwrap_or(0);
        Reply::json(200, json!({ "Id": format!("echo:{content}"), "AbsoluteTime": "2024-05-01T12:30:00.000Z" }))
            .after(Duration::from_millis(index % 7))
    });
    let client = client(&server);
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let content = format!("message {i}");
                let output = client.send_message(content.as_str(), "text/plain", TOKEN).send().await;
                (content, output)
            })
        })
        .collect();
    for task in tasks {
        let (content, output) = task.await.expect("task");
        let output = output.unwrap_or_else(|e| panic!("{content}: {e}"));
        assert_eq!(output.id, Some(format!("echo:{content}")));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), TASKS, "one request per call: none lost, none retried");
    let contents: HashSet<String> =
        requests.iter().map(|r| r.json()["Content"].as_str().map(str::to_owned).unwrap()).collect();
    assert_eq!(contents, (0..TASKS).map(|i| format!("message {i}")).collect::<HashSet<_>>());
    let tokens: HashSet<Option<String>> = requests.iter().map(|r| r.client_token()).collect();
    assert_eq!(tokens.len(), TASKS, "every call has its own ClientToken");
    assert!(requests.iter().all(|r| r.json().get("ClientToken").is_some_and(Value::is_string)));
}
