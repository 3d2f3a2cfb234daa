//! Opening the chat socket: `wss://` through rustls (the crate's one TLS stack), or plain
//! `ws://127.0.0.1:` for a local emulator. Any other URL is refused, as the JavaScript library
//! refuses it: a socket URL carries a credential, which must not travel in clear text.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;

use super::error::ChatError;
use super::secret::Secret;

/// A byte stream a chat socket runs on.
pub trait SocketStream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> SocketStream for T {}

/// The future a [`SocketConnector`] returns.
pub type ConnectFuture<'a> = Pin<Box<dyn Future<Output = std::io::Result<Box<dyn SocketStream>>> + Send + 'a>>;

/// Opens the connection a chat socket runs on, to `host:port`: implement it to route the
/// socket through your own network stack (a proxy, an in-memory test server) and pass it to
/// [`ChatSessionBuilder::socket_connector`](super::ChatSessionBuilder::socket_connector). TLS
/// (for `wss://`) and the WebSocket handshake are done on top of it by the session.
pub trait SocketConnector: Send + Sync + 'static {
    /// Opens a connection to `host:port`.
    fn connect(&self, host: &str, port: u16) -> ConnectFuture<'_>;
}

/// The default: TCP.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TcpConnector;

impl SocketConnector for TcpConnector {
    fn connect(&self, host: &str, port: u16) -> ConnectFuture<'_> {
        let host = host.to_owned();
        Box::pin(async move {
            let tcp = TcpStream::connect((host.as_str(), port)).await?;
            let _ = tcp.set_nodelay(true);
            Ok(Box::new(tcp) as Box<dyn SocketStream>)
        })
    }
}

/// An open chat socket.
pub(crate) type Socket = WebSocketStream<Box<dyn SocketStream>>;

/// Opens the socket at `url` within `timeout`. Errors never name the URL.
pub(crate) async fn open(
    url: &Secret,
    connector: &dyn SocketConnector,
    timeout: Duration,
) -> Result<Socket, ChatError> {
    match tokio::time::timeout(timeout, connect(url, connector)).await {
        Ok(result) => result,
        Err(_) => Err(ChatError::Socket(format!("the socket did not open within {timeout:?}"))),
    }
}

async fn connect(url: &Secret, connector: &dyn SocketConnector) -> Result<Socket, ChatError> {
    let uri: crate::transport::http::Uri =
        url.expose().parse().map_err(|_| ChatError::Socket("the socket URL is not a valid URL".into()))?;
    let host = uri.host().unwrap_or_default().to_owned();
    let secure = match uri.scheme_str() {
        Some("wss") => true,
        Some("ws") if host == "127.0.0.1" => false,
        _ => return Err(ChatError::Socket("refusing a socket URL that is neither wss:// nor ws://127.0.0.1".into())),
    };
    let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
    let tcp = connector
        .connect(&host, port)
        .await
        .map_err(|e| ChatError::Socket(format!("cannot reach {host}:{port}: {e}")))?;
    let stream: Box<dyn SocketStream> = if secure {
        let name = rustls::pki_types::ServerName::try_from(host.clone())
            .map_err(|_| ChatError::Socket(format!("{host} is not a valid server name")))?;
        let connector = tokio_rustls::TlsConnector::from(Arc::new(crate::transport::tls_config()));
        let tls = connector
            .connect(name, tcp)
            .await
            .map_err(|e| ChatError::Socket(format!("TLS with {host} failed: {e}")))?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let (socket, _response) = tokio_tungstenite::client_async(url.expose(), stream)
        .await
        .map_err(|e| ChatError::Socket(format!("the WebSocket handshake with {host} failed: {}", describe(&e))))?;
    Ok(socket)
}

/// A tungstenite error without the request URL it may hold.
fn describe(error: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        Error::Http(response) => format!("HTTP {}", response.status()),
        Error::Url(_) => "bad URL".to_owned(),
        other => other.to_string(),
    }
}
