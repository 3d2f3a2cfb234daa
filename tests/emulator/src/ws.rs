//! The chat WebSocket: `GET /ws?ticket=...` upgraded on the same port as the REST API.
//!
//! Each socket acks `aws/subscribe`, answers `aws/heartbeat` and `aws/ping` (unless a fault
//! switch silences them), and once subscribed receives every item pushed to its chat.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use crate::http::{Body, full, status};
use crate::state::{Outgoing, SOCKET_QUEUE, SocketEntry, State};

const SUBSCRIBED: &str = r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#;
const HEARTBEAT: &str = r#"{"topic":"aws/heartbeat"}"#;
const PING: &str = r#"{"topic":"aws/ping","statusCode":200,"statusContent":"OK"}"#;

/// Checks the ticket and the handshake, answers 101 and serves the socket.
pub(crate) fn upgrade(state: &Arc<State>, request: Request<Incoming>) -> Response<Body> {
    let ticket = request.uri().query().and_then(|q| q.strip_prefix("ticket=")).unwrap_or_default().to_owned();
    let participant_id = {
        let inner = state.lock();
        match inner.socket_tickets.get(&ticket) {
            Some((participant_id, true)) => participant_id.clone(),
            Some((_, false)) => return status(403, "the socket URL has expired"),
            None => return status(403, "the socket URL is not valid"),
        }
    };
    let is_upgrade = request
        .headers()
        .get("upgrade")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let Some(key) = request.headers().get("sec-websocket-key").cloned().filter(|_| is_upgrade) else {
        return status(400, "not a WebSocket handshake");
    };
    let state = Arc::clone(state);
    tokio::spawn(async move {
        let Ok(upgraded) = hyper::upgrade::on(request).await else { return };
        // tungstenite's default read buffer is 128 KiB per socket: 1.3 GB for the 10,000 sockets of
        // `cargo xtask bench --chat`. Frames still grow it as far as they need.
        let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
        let socket = WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(config)).await;
        serve(&state, participant_id, socket).await;
    });
    Response::builder()
        .status(101)
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Accept", derive_accept_key(key.as_bytes()))
        .body(full(""))
        .expect("a valid response")
}

async fn serve(state: &State, participant_id: String, mut socket: WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>) {
    let (tx, mut rx) = mpsc::channel(SOCKET_QUEUE);
    let id = {
        let mut inner = state.lock();
        inner.next_socket += 1;
        let id = inner.next_socket;
        inner.sockets.insert(id, SocketEntry { participant_id, subscribed: false, tx });
        id
    };
    loop {
        tokio::select! {
            frame = socket.next() => {
                let text = match frame {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => continue,
                };
                let mut close_now = false;
                let reply = {
                    let mut inner = state.lock();
                    match topic(&text).as_deref() {
                        Some("aws/subscribe") if !inner.faults.silent_subscribe => {
                            if let Some(entry) = inner.sockets.get_mut(&id) {
                                entry.subscribed = true;
                            }
                            // Queued: it goes out after the acknowledgement sent below.
                            inner.subscribed(id);
                            if inner.faults.close_after_subscribe > 0 {
                                inner.faults.close_after_subscribe -= 1;
                                inner.faults.applied += 1;
                                close_now = true;
                            }
                            Some(SUBSCRIBED)
                        }
                        Some("aws/heartbeat") if !inner.faults.silent_heartbeats => Some(HEARTBEAT),
                        Some("aws/ping") if !inner.faults.silent_heartbeats => Some(PING),
                        _ => None,
                    }
                };
                if let Some(reply) = reply
                    && socket.send(Message::text(reply)).await.is_err() {
                        break;
                    }
                if close_now {
                    let _ = socket.close(None).await;
                    break;
                }
            }
            out = rx.recv() => match out {
                Some(Outgoing::Text(text)) => {
                    if socket.send(Message::text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::InvalidUtf8) => {
                    // A raw frame: tungstenite checks UTF-8 only for messages it builds.
                    let frame = Frame::message(vec![0xf0, 0x28, 0x8c, 0x28], OpCode::Data(Data::Text), true);
                    if socket.send(Message::Frame(frame)).await.is_err() {
                        break;
                    }
                }
                // Dropped without a close frame: the client sees the connection die.
                Some(Outgoing::Drop) | None => break,
            },
        }
    }
    state.lock().sockets.remove(&id);
}

/// The topic of a client frame, read leniently (the iOS SDK's subscribe frame ends with a stray
/// `)`).
fn topic(text: &str) -> Option<String> {
    let value: Value =
        serde_json::from_str(text).or_else(|_| serde_json::from_str(text.trim_end().trim_end_matches(')'))).ok()?;
    value.get("topic")?.as_str().map(str::to_owned)
}
