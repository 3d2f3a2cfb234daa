//! Clients and sessions against the emulator, and ways to wait for events.

use std::time::Duration;

use connectparticipant::chat::{
    ChatEvent, ChatSession, ChatSessionBuilder, ConnectFuture, ConnectionState, SocketConnector, SocketStream,
};
use connectparticipant::config::RetryConfig;
use connectparticipant::error::TransportError;
use connectparticipant::transport::{
    HttpClient, HttpRequest, ResponseFuture, StreamingBody, StreamingRequest, StreamingResponseFuture,
};
use connectparticipant::{Client, Config};
use connectparticipant_emulator::{Emulator, MemoryLink, NewChat};
use hyper_util::rt::TokioIo;

/// The client's HTTP transport and socket connector over in-memory connections to the
/// emulator: on the paused clock, time then moves only when every task is truly idle.
#[derive(Clone, Debug)]
pub struct InMemory(pub MemoryLink);

impl HttpClient for InMemory {
    fn send(&self, request: HttpRequest) -> ResponseFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = hyper::Request::from_parts(parts, StreamingBody::from_bytes(body));
            let (parts, body) = self.send_streaming(request).await?.into_parts();
            Ok(hyper::Response::from_parts(parts, body.collect().await?))
        })
    }

    fn send_streaming(&self, request: StreamingRequest) -> StreamingResponseFuture<'_> {
        Box::pin(async move {
            let io = TokioIo::new(self.0.open());
            let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
                .await
                .map_err(|e| TransportError::new("in-memory handshake", e))?;
            tokio::spawn(connection);
            let response =
                sender.send_request(request).await.map_err(|e| TransportError::new("in-memory request", e))?;
            Ok(response.map(StreamingBody::new))
        })
    }
}

impl SocketConnector for InMemory {
    fn connect(&self, _host: &str, _port: u16) -> ConnectFuture<'_> {
        let stream = self.0.open();
        Box::pin(async move { Ok(Box::new(stream) as Box<dyn SocketStream>) })
    }
}

/// A client of the emulator over in-memory connections, without retries of its own: what
/// the session does is what is tested.
pub fn client(emulator: &Emulator) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(emulator.endpoint())
        .retry(RetryConfig::disabled())
        .http_client(InMemory(emulator.memory_link()))
        .build()
        .expect("a valid configuration");
    Client::new(config)
}

/// A client of the emulator over real TCP connections on 127.0.0.1.
pub fn tcp_client(emulator: &Emulator) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(emulator.endpoint())
        .retry(RetryConfig::disabled())
        .build()
        .expect("a valid configuration");
    Client::new(config)
}

/// A session builder for the customer of `chat`, in memory.
pub fn builder(emulator: &Emulator, chat: &NewChat) -> ChatSessionBuilder {
    ChatSession::builder(&client(emulator), chat.participant_token.clone())
        .socket_connector(InMemory(emulator.memory_link()))
}

/// A connected session for the customer of `chat`, past its `Connecting` and `Connected`
/// events.
pub async fn connect(emulator: &Emulator, chat: &NewChat) -> ChatSession {
    connected(builder(emulator, chat)).await
}

/// Connects and takes the two connection events.
pub async fn connected(builder: ChatSessionBuilder) -> ChatSession {
    let mut session = builder.connect().await.expect("the session connects");
    assert_eq!(session.next_event().await, Some(ChatEvent::Connection(ConnectionState::Connecting)));
    assert_eq!(session.next_event().await, Some(ChatEvent::Connection(ConnectionState::Connected)));
    session
}

/// How long any wait may take (virtual time on the paused clock) before the test fails.
const PATIENCE: Duration = Duration::from_secs(600);

/// The next event, failing the test when none comes.
pub async fn next(session: &mut ChatSession) -> ChatEvent {
    tokio::time::timeout(PATIENCE, session.next_event())
        .await
        .expect("an event within the patience")
        .expect("the session is still running")
}

/// Takes events until `pick` returns something; returns it with the events skipped.
pub async fn until<T>(session: &mut ChatSession, mut pick: impl FnMut(&ChatEvent) -> Option<T>) -> (T, Vec<ChatEvent>) {
    let mut skipped = Vec::new();
    loop {
        let event = next(session).await;
        if let Some(found) = pick(&event) {
            return (found, skipped);
        }
        skipped.push(event);
    }
}

/// The text of a message event.
pub fn text(event: &ChatEvent) -> Option<String> {
    match event {
        ChatEvent::Message { item, .. } => item.content.clone(),
        _ => None,
    }
}

/// The texts of the messages received up to and including `last`.
pub async fn texts_until(session: &mut ChatSession, last: &str) -> (Vec<String>, Vec<ChatEvent>) {
    let mut texts = Vec::new();
    let mut others = Vec::new();
    loop {
        let event = next(session).await;
        match text(&event) {
            Some(text) => {
                let done = text == last;
                texts.push(text);
                if done {
                    return (texts, others);
                }
            }
            None => others.push(event),
        }
    }
}

/// Whether `event` is the connection entering `state`.
pub fn is_state(event: &ChatEvent, state: ConnectionState) -> bool {
    *event == ChatEvent::Connection(state)
}
