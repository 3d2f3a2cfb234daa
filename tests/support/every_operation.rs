//! Every operation of the generated client, called through a transport that answers with a
//! given response: how tests reach each operation's output and error decoders through the
//! public API alone.

// Shared by several test crates, each using part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use connectparticipant::config::{ConfigBuilder, RetryConfig};
use connectparticipant::transport::{Bytes, HttpClient, HttpRequest, HttpResponse, ResponseFuture};
use connectparticipant::{Client, Config};

/// A transport that answers every request with a clone of one response.
#[derive(Clone)]
pub struct Answer(pub Arc<Mutex<HttpResponse>>);

impl HttpClient for Answer {
    fn send(&self, _request: HttpRequest) -> ResponseFuture<'_> {
        let response = self.0.lock().expect("not poisoned").clone();
        Box::pin(async move { Ok(response) })
    }
}

/// A client (one attempt: no retries) whose every call gets `response`.
pub fn client_answering(response: HttpResponse, configure: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Client {
    let builder = Config::builder()
        .region("us-west-2")
        .retry(RetryConfig::disabled())
        .http_client(Answer(Arc::new(Mutex::new(response))));
    Client::new(configure(builder).build().expect("a valid config"))
}

/// What a call gave: the `Debug` text of the output, or what its error kept.
#[derive(Debug)]
pub enum Outcome {
    Output(String),
    Failed {
        /// `Debug` of the service's error (`E`), when the service answered with one.
        service_error: Option<String>,
        /// The status and body of the response, when one arrived.
        raw: Option<(u16, Bytes)>,
        /// `Display` of the whole error.
        message: String,
    },
}

fn outcome<O: std::fmt::Debug, E: std::fmt::Debug + std::fmt::Display>(
    result: Result<O, connectparticipant::Error<E>>,
) -> Outcome {
    match result {
        Ok(output) => Outcome::Output(format!("{output:?}")),
        Err(error) => Outcome::Failed {
            service_error: error.service_error().map(|e| format!("{e:?}")),
            raw: error.raw_response().map(|raw| (raw.status(), raw.body().clone())),
            message: error.to_string(),
        },
    }
}

/// The model's operation names, in the order [`call`] knows them.
pub const OPERATIONS: [&str; 11] = [
    "CancelParticipantAuthentication",
    "CompleteAttachmentUpload",
    "CreateParticipantConnection",
    "DescribeView",
    "DisconnectParticipant",
    "GetAttachment",
    "GetAuthenticationUrl",
    "GetTranscript",
    "SendEvent",
    "SendMessage",
    "StartAttachmentUpload",
];

/// Calls the operation named `operation` with valid arguments.
pub async fn call(client: &Client, operation: &str) -> Outcome {
    const TOKEN: &str = "connection-token";
    const SESSION: &str = "00000000-0000-4000-8000-000000000000";
    match operation {
        "CancelParticipantAuthentication" => {
            outcome(client.cancel_participant_authentication(SESSION, TOKEN).send().await)
        }
        "CompleteAttachmentUpload" => outcome(client.complete_attachment_upload(["attachment"], TOKEN).send().await),
        "CreateParticipantConnection" => {
            outcome(client.create_participant_connection("participant-token").send().await)
        }
        "DescribeView" => outcome(client.describe_view("view-token", TOKEN).send().await),
        "DisconnectParticipant" => outcome(client.disconnect_participant(TOKEN).send().await),
        "GetAttachment" => outcome(client.get_attachment("attachment", TOKEN).send().await),
        "GetAuthenticationUrl" => {
            outcome(client.get_authentication_url("https://example.com/back", SESSION, TOKEN).send().await)
        }
        "GetTranscript" => outcome(client.get_transcript(TOKEN).send().await),
        "SendEvent" => outcome(client.send_event("application/vnd.amazonaws.connect.event.typing", TOKEN).send().await),
        "SendMessage" => outcome(client.send_message("hello", "text/plain", TOKEN).send().await),
        "StartAttachmentUpload" => {
            outcome(client.start_attachment_upload("a.txt", 10, "text/plain", TOKEN).send().await)
        }
        other => panic!("no call for operation {other}"),
    }
}
