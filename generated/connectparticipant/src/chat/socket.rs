//! Opening the chat socket: `wss://` through rustls (the crate's one TLS stack), or plain
//! `ws://127.0.0.1:` for a local emulator. Any other URL is refused, as the JavaScript library
//! refuses it: a socket URL carries a credential, which must not travel in clear text.
//!
//! The WebSocket handshake is hyper's HTTP/1.1 upgrade, not tungstenite's client handshake:
//! tungstenite traces the whole request line, query (the credential) included, through the
//! `log` crate, where whoever turns on trace logging would read it. hyper logs nothing of it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::{client::generate_key, derive_accept_key};
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use super::call::within;
use super::error::ChatError;
use super::secret::Secret;
use crate::transport::{Tls, http};

/// A byte stream a chat socket runs on.
pub trait SocketStream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> SocketStream for T {}

/// The future a [`SocketConnector`] returns.
pub type ConnectFuture<'a> = Pin<Box<dyn Future<Output = std::io::Result<Box<dyn SocketStream>>> + Send + 'a>>;

/// Opens the connection a chat socket runs on, to `host:port`: implement it to route the
/// socket through your own network stack (a proxy, an in-memory test server) and pass it to
/// [`ChatSessionBuilder::socket_connector`](super::ChatSessionBuilder::socket_connector). TLS
/// (for `wss://`, with the TLS settings of the client's transport:
/// [`ConfigBuilder::tls`](crate::config::ConfigBuilder::tls)) and the WebSocket handshake are
/// done on top of it by the session.
pub trait SocketConnector: Send + Sync + 'static {
    /// Opens a connection to `host:port`.
    fn connect(&self, host: &str, port: u16) -> ConnectFuture<'_>;
}

/// The default: TCP, through the client's proxy ([`Config::proxy`](crate::config::Config::proxy))
/// when one applies, as the REST calls go. The socket is an `https` destination for the
/// proxy's rules (a `wss://` URL; the local emulator's `ws://` included, so that one
/// `HTTPS_PROXY` covers the whole session).
#[derive(Debug, Clone)]
pub(crate) struct TcpConnector(pub crate::transport::Proxy);

impl SocketConnector for TcpConnector {
    fn connect(&self, host: &str, port: u16) -> ConnectFuture<'_> {
        let host = host.to_owned();
        Box::pin(async move {
            let tcp = self.0.connect_tcp("https", &host, port).await.map_err(std::io::Error::other)?;
            Ok(Box::new(tcp) as Box<dyn SocketStream>)
        })
    }
}

/// An open chat socket.
pub(crate) type Socket = WebSocketStream<Box<dyn SocketStream>>;

/// The largest frame and message accepted: 256 KiB. The service's largest item is a JSON or
/// interactive message of about 12-16 KiB of content, escaped into a string inside the frame
/// (at most 6 bytes per character): 256 KiB holds that with room to spare, where tungstenite's
/// defaults (16 MiB frames, 64 MiB messages) would let one frame take that much memory.
pub(crate) const MAX_FRAME: usize = 256 * 1024;

/// Socket buffers: small, as an idle session should cost little (tungstenite allocates its
/// read buffer whole, 128 KiB by default). Frames are small and rare; larger ones just take
/// more reads.
fn config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_FRAME)
        .max_frame_size(Some(MAX_FRAME))
        .max_message_size(Some(MAX_FRAME))
}

/// Opens the socket at `url`: connection, TLS (with `tls`'s settings) and WebSocket handshake
/// together within `timeout`. Errors never name the URL.
pub(crate) async fn open(
    url: &Secret,
    connector: &dyn SocketConnector,
    tls: &Tls,
    timeout: Duration,
) -> Result<Socket, ChatError> {
    within("opening the chat socket", timeout, tokio::time::timeout(timeout, connect(url, connector, tls)).await)
}

async fn connect(url: &Secret, connector: &dyn SocketConnector, tls: &Tls) -> Result<Socket, ChatError> {
    let uri: http::Uri =
        url.expose().parse().map_err(|_| ChatError::socket_msg("the socket URL is not a valid URL"))?;
    let host = uri.host().unwrap_or_default().to_owned();
    let secure = match uri.scheme_str() {
        Some("wss") => true,
        Some("ws") if host == "127.0.0.1" => false,
        _ => return Err(ChatError::socket_msg("refusing a socket URL that is neither wss:// nor ws://127.0.0.1")),
    };
    let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
    let tcp = connector
        .connect(&host, port)
        .await
        .map_err(|e| ChatError::socket(format!("cannot reach {host}:{port}"), e))?;
    let stream: Box<dyn SocketStream> = if secure {
        let name = rustls::pki_types::ServerName::try_from(host.clone())
            .map_err(|_| ChatError::socket_msg(format!("{host} is not a valid server name")))?;
        let connector = tokio_rustls::TlsConnector::from(Arc::clone(tls.client_config()));
        let tls =
            connector.connect(name, tcp).await.map_err(|e| ChatError::socket(format!("TLS with {host} failed"), e))?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let upgraded = upgrade(stream, uri, host).await?;
    Ok(WebSocketStream::from_raw_socket(upgraded, Role::Client, Some(config())).await)
}


/// The WebSocket opening handshake (RFC 6455 section 4.1) as an HTTP/1.1 upgrade.
async fn upgrade(
    stream: Box<dyn SocketStream>,
    uri: http::Uri,
    host: String,
) -> Result<Box<dyn SocketStream>, ChatError> {
    let key = generate_key();
    let request = upgrade_request(&uri, &host, &key)?;
    let expected = derive_accept_key(key.as_bytes());
    let (sender, connection) = match hyper::client::conn::http1::handshake(TokioIo::new(stream)).await {
        Ok(pair) => pair,
        Err(e) => return Err(handshake_failed(&host, e)),
    };
    // The connection runs in a task until it hands its stream over, aborted if the handshake
    // is given up. (Driven in place, beside the exchange, the compiler cannot prove this
    // future `Send`.)
    let mut driving = AbortOnDrop(tokio::spawn(connection.with_upgrades()));
    let upgraded = exchange(sender, request, expected, host.clone()).await;
    if let Ok(Err(e)) = (&mut driving.0).await {
        return Err(handshake_failed(&host, e));
    }
    Ok(Box::new(TokioIo::new(upgraded?)))
}

/// The upgrade request for `uri`: its path and query (the credential) go only on the wire.
fn upgrade_request(uri: &http::Uri, host: &str, key: &str) -> Result<http::Request<Empty<Bytes>>, ChatError> {
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let authority = uri.authority().map_or(host, |a| a.as_str());
    http::Request::get(target)
        .header(http::header::HOST, authority)
        .header(http::header::CONNECTION, "Upgrade")
        .header(http::header::UPGRADE, "websocket")
        .header(http::header::SEC_WEBSOCKET_VERSION, "13")
        .header(http::header::SEC_WEBSOCKET_KEY, key)
        .body(Empty::<Bytes>::new())
        .map_err(|_| ChatError::socket_msg("the socket URL is not a valid request target"))
}

/// Sends the upgrade request and checks the answer: 101 with the key's accept value.
async fn exchange(
    mut sender: hyper::client::conn::http1::SendRequest<Empty<Bytes>>,
    request: http::Request<Empty<Bytes>>,
    expected: String,
    host: String,
) -> Result<hyper::upgrade::Upgraded, ChatError> {
    let response = match sender.send_request(request).await {
        Ok(response) => response,
        Err(e) => return Err(handshake_failed(&host, e)),
    };
    if response.status() != http::StatusCode::SWITCHING_PROTOCOLS {
        let refused = Refused { status: response.status().as_u16() };
        return Err(ChatError::socket(format!("the WebSocket handshake with {host} failed"), refused));
    }
    let accepted = response.headers().get(http::header::SEC_WEBSOCKET_ACCEPT).map(|a| a.as_bytes().to_vec());
    if accepted.as_deref() != Some(expected.as_bytes()) {
        return Err(ChatError::socket_msg(format!("{host} answered the WebSocket handshake with a wrong key")));
    }
    match hyper::upgrade::on(response).await {
        Ok(upgraded) => Ok(upgraded),
        Err(e) => Err(handshake_failed(&host, e)),
    }
}

/// The server answered the WebSocket handshake with an HTTP status instead of switching
/// protocols.
#[derive(Debug)]
struct Refused {
    status: u16,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)
    }
}

impl std::error::Error for Refused {}

/// Whether `error` says the socket URL itself was refused (a handshake answered with a 4xx
/// status, as an expired URL is): only then is a new URL needed to try again. A timeout, a
/// network failure or a server error says nothing against the URL.
pub(crate) fn url_refused(error: &ChatError) -> bool {
    match error {
        ChatError::Socket { source: Some(source), .. } => {
            source.downcast_ref::<Refused>().is_some_and(|r| (400..500).contains(&r.status))
        }
        _ => false,
    }
}

/// A task stopped when its handle is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn handshake_failed(host: &str, error: hyper::Error) -> ChatError {
    ChatError::socket(format!("the WebSocket handshake with {host} failed"), error)
}
