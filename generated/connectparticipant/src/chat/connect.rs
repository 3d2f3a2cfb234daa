//! A new connection: CreateParticipantConnection, a socket on the URL it gives, subscribed.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::time::{Instant, timeout_at};
use tokio_tungstenite::tungstenite::Message;

use crate::Client;
use crate::types::ConnectionType;

use super::call::answer;
use super::clock;
use super::error::ChatError;
use super::frames::{self, ServerFrame};
use super::options::ChatOptions;
use super::secret::Secret;
use super::socket::{self, Socket};

/// An open, subscribed socket.
pub(crate) struct Connection {
    pub socket: Socket,
    /// When it opened.
    pub opened: Instant,
    /// When this socket is replaced by a fresh one.
    pub replace_at: Instant,
    /// Chat items that arrived before the subscription was acknowledged.
    pub early: Vec<String>,
    /// The connection token it came with.
    pub token: Secret,
    /// When the connection token expires, as far as the service said.
    pub token_expiry: Option<Instant>,
}

/// What CreateParticipantConnection gave: a socket URL, usable for `url_validity` after it was
/// fetched (for more than one socket: the official clients reopen the same URL inside that window,
/// `../shared/CHAT-PROTOCOL.md` section 3), and the connection token.
pub(crate) struct Ticket {
    url: Secret,
    fetched: Instant,
    token: Secret,
    token_expiry: Option<Instant>,
}

impl Ticket {
    /// Whether its URL may still open a socket.
    pub(crate) fn fresh(&self, options: &ChatOptions) -> bool {
        self.fetched.elapsed() < options.url_validity
    }
}

/// CreateParticipantConnection, then a socket on the URL it gives, subscribed.
pub(crate) async fn open_connection(
    client: &Client,
    participant_token: &Secret,
    options: &ChatOptions,
) -> Result<Connection, ChatError> {
    let ticket = fetch(client, participant_token, options).await?;
    open(&ticket, options).await
}

/// CreateParticipantConnection: a socket URL and a connection token.
pub(crate) async fn fetch(
    client: &Client,
    participant_token: &Secret,
    options: &ChatOptions,
) -> Result<Ticket, ChatError> {
    let fetched = Instant::now();
    let limit = options.request_timeout;
    let call = client
        .create_participant_connection(participant_token.expose())
        .r#type([ConnectionType::Websocket, ConnectionType::ConnectionCredentials])
        .send();
    let output = answer("CreateParticipantConnection", limit, tokio::time::timeout(limit, call).await)?;
    let missing = |member: &str| ChatError::missing("CreateParticipantConnection", member);
    let credentials = output.connection_credentials.ok_or_else(|| missing("ConnectionCredentials"))?;
    let token = Secret::new(credentials.connection_token.ok_or_else(|| missing("ConnectionToken"))?);
    let token_expiry = credentials.expiry.as_deref().and_then(clock::until).map(|d| clock::after(fetched, d));
    let url = Secret::new(output.websocket.and_then(|w| w.url).ok_or_else(|| missing("Websocket.Url"))?);
    Ok(Ticket { url, fetched, token, token_expiry })
}

/// A socket on the ticket's URL, subscribed.
pub(crate) async fn open(ticket: &Ticket, options: &ChatOptions) -> Result<Connection, ChatError> {
    if !ticket.fresh(options) {
        return Err(ChatError::socket_msg("the socket URL expired before it could be used"));
    }
    let mut socket = socket::open(&ticket.url, &*options.socket_connector, &options.tls, options.open_timeout).await?;
    let early = subscribe(&mut socket, options).await?;
    tracing::debug!("chat socket open and subscribed");
    let opened = Instant::now();
    Ok(Connection {
        socket,
        opened,
        replace_at: clock::after(opened, options.socket_lifetime),
        early,
        token: ticket.token.clone(),
        token_expiry: ticket.token_expiry,
    })
}

/// Sends one frame within the send timeout.
pub(crate) async fn send(socket: &mut Socket, frame: &'static str, limit: Duration) -> Result<(), ChatError> {
    match tokio::time::timeout(limit, socket.send(Message::text(frame))).await {
        Ok(result) => result.map_err(|e| ChatError::socket("sending a frame failed", e)),
        Err(_) => Err(ChatError::Timeout { operation: "sending a frame", after: limit }),
    }
}

/// Sends the subscription and waits for its acknowledgement: each try waits
/// `subscribe_timeout`; a refusal is retried after 500 ms, five refusals are final.
async fn subscribe(socket: &mut Socket, options: &ChatOptions) -> Result<Vec<String>, ChatError> {
    let mut early = Vec::new();
    let mut refusals = 0;
    for _ in 0..options.subscribe_attempts {
        send(socket, frames::SUBSCRIBE, options.send_timeout).await?;
        let deadline = clock::after(Instant::now(), options.subscribe_timeout);
        loop {
            let text = match timeout_at(deadline, socket.next()).await {
                Err(_) => break,
                Ok(None | Some(Ok(Message::Close(_)))) => {
                    return Err(ChatError::socket_msg("closed before the subscription was acknowledged"));
                }
                Ok(Some(Err(e))) => return Err(ChatError::socket("reading the subscription answer failed", e)),
                Ok(Some(Ok(Message::Text(text)))) => text,
                Ok(Some(Ok(_))) => continue,
            };
            match frames::parse(&text) {
                Ok(ServerFrame::Subscribed(Ok(()))) => return Ok(early),
                Ok(ServerFrame::Subscribed(Err(why))) => {
                    refusals += 1;
                    if refusals >= 5 {
                        return Err(ChatError::Subscribe(why));
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
                Ok(ServerFrame::Chat(item)) => early.push(item),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "malformed frame ignored"),
            }
        }
    }
    Err(ChatError::Subscribe(format!("not acknowledged after {} attempts", options.subscribe_attempts)))
}

/// Closes a socket politely (code 1000), without waiting long for a dead peer.
pub(crate) async fn close(socket: &mut Socket) {
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.close(None)).await;
}
