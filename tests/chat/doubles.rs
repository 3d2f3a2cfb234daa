//! Test-local stand-ins for faults the emulator does not inject: a REST transport that answers
//! chosen operations itself (stalls, errors, documented transcript semantics) and passes the
//! rest to the emulator, and a WebSocket server whose behaviour each test writes.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use connectparticipant::chat::{ChatSession, ChatSessionBuilder, ConnectFuture, SocketConnector, SocketStream};
use connectparticipant::config::RetryConfig;
use connectparticipant::transport::{
    HttpClient, HttpRequest, ResponseFuture, StreamingRequest, StreamingResponseFuture,
};
use connectparticipant::{Client, Config};
use connectparticipant_emulator::{Emulator, NewChat};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::DuplexStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use super::support::InMemory;

/// What the test's hook answers for one REST call.
pub enum Answer {
    /// Hand the call to the emulator.
    Pass,
    /// Answer with this status and JSON body.
    Json(u16, Value),
    /// Never answer (a half-open connection).
    Stall,
}

type Hook = dyn Fn(&str, &Value) -> Answer + Send + Sync;

/// A transport over the emulator whose hook sees every call first (operation name, JSON body).
#[derive(Clone)]
pub struct Intercept {
    inner: InMemory,
    hook: Arc<Hook>,
    calls: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Intercept {
    pub fn new(emulator: &Emulator, hook: impl Fn(&str, &Value) -> Answer + Send + Sync + 'static) -> Self {
        Self { inner: InMemory(emulator.memory_link()), hook: Arc::new(hook), calls: Arc::default() }
    }

    /// The calls made so far, with their bodies.
    pub fn calls(&self, operation: &str) -> Vec<Value> {
        self.calls.lock().unwrap().iter().filter(|(op, _)| op == operation).map(|(_, b)| b.clone()).collect()
    }

    /// A session builder for the customer of `chat` through this transport.
    pub fn builder(&self, emulator: &Emulator, chat: &NewChat) -> ChatSessionBuilder {
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url(emulator.endpoint())
            .retry(RetryConfig::disabled())
            .http_client(self.clone())
            .build()
            .expect("a valid configuration");
        ChatSession::builder(&Client::new(config), chat.participant_token.clone())
            .socket_connector(InMemory(emulator.memory_link()))
    }
}

impl std::fmt::Debug for Intercept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Intercept")
    }
}

/// The operation a request path names.
fn operation(path: &str) -> &'static str {
    match path.trim_end_matches('/').rsplit('/').next().unwrap_or_default() {
        "connection" => "CreateParticipantConnection",
        "transcript" => "GetTranscript",
        "message" => "SendMessage",
        "event" => "SendEvent",
        "disconnect" => "DisconnectParticipant",
        _ => "Other",
    }
}

impl HttpClient for Intercept {
    fn send(&self, request: HttpRequest) -> ResponseFuture<'_> {
        let op = operation(request.uri().path());
        let body: Value = serde_json::from_slice(request.body()).unwrap_or(Value::Null);
        self.calls.lock().unwrap().push((op.to_owned(), body.clone()));
        match (self.hook)(op, &body) {
            Answer::Pass => self.inner.send(request),
            Answer::Stall => Box::pin(std::future::pending()),
            Answer::Json(status, value) => Box::pin(async move {
                Ok(hyper::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(value.to_string().into())
                    .expect("a valid response"))
            }),
        }
    }

    /// Attachment transfers to pre-signed URLs: the hook sees them as `Transfer`.
    fn send_streaming(&self, request: StreamingRequest) -> StreamingResponseFuture<'_> {
        match (self.hook)("Transfer", &Value::Null) {
            Answer::Stall => Box::pin(std::future::pending()),
            _ => self.inner.send_streaming(request),
        }
    }
}

/// The server side of one chat socket.
pub type ServerSocket = WebSocketStream<DuplexStream>;
type Serve = dyn Fn(ServerSocket) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync;

/// A socket connector whose sockets a test-local WebSocket server answers with `serve`.
#[derive(Clone)]
pub struct LocalSockets {
    opened: Arc<tokio::sync::watch::Sender<usize>>,
    serve: Arc<Serve>,
}

impl LocalSockets {
    pub fn new<F>(serve: impl Fn(ServerSocket) -> F + Send + Sync + 'static) -> Self
    where
        F: Future<Output = ()> + Send + 'static,
    {
        Self {
            opened: Arc::new(tokio::sync::watch::Sender::new(0)),
            serve: Arc::new(move |socket| Box::pin(serve(socket))),
        }
    }

    /// How many sockets were opened.
    pub fn opened(&self) -> usize {
        *self.opened.borrow()
    }

    /// Returns once more than `count` sockets were opened (a storm shows even when virtual time
    /// never moves).
    pub async fn opened_more_than(&self, count: usize) {
        let _ = self.opened.subscribe().wait_for(|opened| *opened > count).await;
    }
}

impl SocketConnector for LocalSockets {
    fn connect(&self, _host: &str, _port: u16) -> ConnectFuture<'_> {
        self.opened.send_modify(|opened| *opened += 1);
        let (client, server) = tokio::io::duplex(64 * 1024);
        let serve = Arc::clone(&self.serve);
        tokio::spawn(async move {
            if let Ok(socket) = tokio_tungstenite::accept_async(server).await {
                serve(socket).await;
            }
        });
        Box::pin(async move { Ok(Box::new(client) as Box<dyn SocketStream>) })
    }
}

/// A socket connector whose connections are accepted and then never answered (half-open).
#[derive(Clone, Default)]
pub struct SilentSockets(Arc<Mutex<Vec<DuplexStream>>>);

impl SocketConnector for SilentSockets {
    fn connect(&self, _host: &str, _port: u16) -> ConnectFuture<'_> {
        let (client, server) = tokio::io::duplex(64 * 1024);
        self.0.lock().unwrap().push(server);
        Box::pin(async move { Ok(Box::new(client) as Box<dyn SocketStream>) })
    }
}

/// Reads until the subscription arrives and acknowledges it; `None` when the socket ended first.
pub async fn acknowledge(socket: &mut ServerSocket) -> Option<()> {
    while let Some(Ok(frame)) = socket.next().await {
        if let Message::Text(text) = frame
            && text.contains("aws/subscribe")
        {
            let ack = r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#;
            socket.send(Message::text(ack)).await.ok()?;
            return Some(());
        }
    }
    None
}

/// Answers heartbeats and pings until the socket ends.
pub async fn keep_alive(socket: &mut ServerSocket) {
    while let Some(Ok(frame)) = socket.next().await {
        if let Message::Text(text) = frame {
            let answer = if text.contains("aws/heartbeat") {
                r#"{"topic":"aws/heartbeat"}"#
            } else if text.contains("aws/ping") {
                r#"{"topic":"aws/ping","statusCode":200,"statusContent":"OK"}"#
            } else {
                continue;
            };
            if socket.send(Message::text(answer)).await.is_err() {
                return;
            }
        }
    }
}
