//! The HTTP transport: a small trait, and a default implementation on hyper with rustls.
//!
//! Requests and responses of operations are whole messages (`http::Request<Bytes>`,
//! `http::Response<Bytes>`): the bodies of this kind of API are small JSON documents, and a
//! buffered body is what makes a request replayable on retry. Transfers of files to and from
//! pre-signed URLs use [`HttpClient::send_streaming`] with a [`StreamingBody`] instead, so that a
//! file never has to fit in memory.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::error::TransportError;

mod body;
mod tls;
/// The rustls crate, whose [`ClientConfig`](rustls::ClientConfig) [`Tls::custom`] takes (this
/// version, so that an application's configuration is one the crate can use).
pub use ::rustls;
pub use tls::Tls;

/// The `http` crate, whose request and response types the transport uses.
pub use ::http;
/// The body type of requests and responses.
pub use bytes::Bytes;

/// A request ready to send.
pub type HttpRequest = ::http::Request<Bytes>;
/// A response with its whole body.
pub type HttpResponse = ::http::Response<Bytes>;

/// The future an [`HttpClient`] returns.
pub type ResponseFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// A request whose body is read as it is sent.
pub type StreamingRequest = ::http::Request<StreamingBody>;
/// A response whose body is read as it arrives.
pub type StreamingResponse = ::http::Response<StreamingBody>;
/// The future [`HttpClient::send_streaming`] returns.
pub type StreamingResponseFuture<'a> =
    Pin<Box<dyn Future<Output = Result<StreamingResponse, TransportError>> + Send + 'a>>;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A body sent or received piece by piece: a file uploaded as it is read, or a download
/// written out as it arrives.
pub struct StreamingBody {
    inner: Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send + 'static>>,
}

impl fmt::Debug for StreamingBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingBody").finish_non_exhaustive()
    }
}

impl StreamingBody {
    /// Any [`http_body::Body`] of bytes.
    pub fn new<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Self { inner: Box::pin(body.map_err(Into::into)) }
    }

    /// A body already in memory.
    pub fn from_bytes(bytes: Bytes) -> Self {
        Self::new(Full::new(bytes))
    }

    /// The next piece of data; `None` at the end.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, TransportError>> {
        loop {
            match self.inner.frame().await? {
                Err(e) => return Some(Err(TransportError::new("reading the body failed", e))),
                Ok(frame) => {
                    if let Ok(data) = frame.into_data() {
                        return Some(Ok(data));
                    }
                }
            }
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, TransportError> {
        let mut out = bytes::BytesMut::new();
        while let Some(chunk) = self.chunk().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.freeze())
    }
}

impl http_body::Body for StreamingBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        self.inner.as_mut().poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The default limit on the size of a response body: 8 MiB.
///
/// The largest answers of this kind of API are pages of JSON items (a transcript page holds at
/// most 100 messages of at most 16 KiB each, under 4 MiB even with every character escaped),
/// so a bigger body is not one the service sends: it is refused before it fills memory.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 8 * 1024 * 1024;

/// The body length a response declares (`Content-Length`), when it declares a valid one.
pub(crate) fn declared_length(headers: &::http::HeaderMap) -> Option<u64> {
    headers.get(::http::header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// Sends HTTP requests. Implement it to route calls through your own stack (a proxy, a mock,
/// a recorded session) and pass it to
/// [`ConfigBuilder::http_client`](crate::config::ConfigBuilder::http_client).
///
/// The client must be cheap to share: one instance serves every call of a `Client` and its
/// clones, from any task.
pub trait HttpClient: Send + Sync + 'static {
    /// Sends one request and reads the whole response.
    fn send(&self, request: HttpRequest) -> ResponseFuture<'_>;

    /// Sends a request whose body is read as it goes, and returns the response as soon as its
    /// head arrives (used for files at pre-signed URLs). The default reads both bodies whole
    /// and goes through [`send`](Self::send); [`DefaultHttpClient`] streams them.
    fn send_streaming(&self, request: StreamingRequest) -> StreamingResponseFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await?;
            let response = self.send(::http::Request::from_parts(parts, body)).await?;
            let (parts, body) = response.into_parts();
            Ok(::http::Response::from_parts(parts, StreamingBody::from_bytes(body)))
        })
    }

    /// The TLS settings this client connects with, when it can tell them: the chat socket,
    /// which opens its own connection, then trusts what the REST calls trust. The default says
    /// nothing, and the socket uses [`ConfigBuilder::tls`](crate::config::ConfigBuilder::tls)'s
    /// settings; [`DefaultHttpClient`] gives its own.
    fn tls(&self) -> Option<Tls> {
        None
    }
}

/// The built-in client: hyper with a connection pool, HTTP/1.1, TLS by rustls (ring) with the
/// Mozilla root certificates unless told otherwise ([`Tls`]); plain `http://` is allowed for
/// local endpoints.
#[derive(Clone)]
pub struct DefaultHttpClient {
    inner: HyperClient<Connector, Full<Bytes>>,
    max_response_body: usize,
    streaming: HyperClient<Connector, StreamingBody>,
    tls: Tls,
}

type Connector = TimedConnector<hyper_rustls::HttpsConnector<ProxiedConnector>>;

/// Where connections go through an HTTP proxy: a `CONNECT` tunnel to the proxy, for `https://`
/// and `http://` destinations alike, with TLS (for `https://`) inside the tunnel.
///
/// Its `Debug` never shows the proxy's credentials.
#[derive(Clone)]
pub struct Proxy {
    matcher: Option<std::sync::Arc<hyper_util::client::proxy::matcher::Matcher>>,
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy").field("configured", &self.matcher.is_some()).finish_non_exhaustive()
    }
}

impl Proxy {
    /// The proxy the environment names, as curl reads it: `HTTPS_PROXY` for `https://`,
    /// `HTTP_PROXY` for `http://`, `ALL_PROXY` for both, and the hosts in `NO_PROXY` reached
    /// directly (each in upper or lower case). No proxy when none is set.
    pub fn from_env() -> Self {
        Self { matcher: Some(std::sync::Arc::new(hyper_util::client::proxy::matcher::Matcher::from_env())) }
    }

    /// Every connection through the proxy at `url` (such as `http://proxy.example:3128`,
    /// credentials as `http://user:password@proxy.example:3128`), except to the hosts in
    /// `no_proxy` (a `NO_PROXY` list: host names, domains with a leading dot, IP addresses
    /// and networks, comma-separated; may be empty).
    pub fn all(url: &str, no_proxy: &str) -> Self {
        let matcher =
            hyper_util::client::proxy::matcher::Matcher::builder().all(url.to_owned()).no(no_proxy.to_owned());
        Self { matcher: Some(std::sync::Arc::new(matcher.build())) }
    }

    /// No proxy, whatever the environment says.
    pub fn none() -> Self {
        Self { matcher: None }
    }

    /// Opens a TCP connection for a `scheme://host:port` destination, through the proxy's
    /// tunnel when the proxy applies to it (the chat socket uses it, so that the socket goes
    /// where the REST calls go).
    pub async fn connect_tcp(
        &self,
        scheme: &str,
        host: &str,
        port: u16,
    ) -> Result<tokio::net::TcpStream, TransportError> {
        let uri: ::http::Uri = format!("{scheme}://{host}:{port}")
            .parse()
            .map_err(|e| TransportError::new("not a valid destination", e))?;
        let mut connector = ProxiedConnector::new(self.clone());
        let stream = tower_service::Service::call(&mut connector, uri)
            .await
            .map_err(|e| TransportError::new(format!("connecting to {host}:{port} failed"), e))?;
        Ok(stream.into_inner())
    }
}

/// TCP, through the proxy's `CONNECT` tunnel where the proxy applies (hyper-util's `Tunnel`
/// speaks the protocol; its matcher reads the environment as curl does).
#[derive(Clone)]
struct ProxiedConnector {
    http: HttpConnector,
    proxy: Proxy,
}

impl ProxiedConnector {
    fn new(proxy: Proxy) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        Self { http, proxy }
    }
}

impl tower_service::Service<::http::Uri> for ProxiedConnector {
    type Response = hyper_util::rt::TokioIo<tokio::net::TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), BoxError>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: ::http::Uri) -> Self::Future {
        let intercept = self.proxy.matcher.as_ref().and_then(|matcher| matcher.intercept(&uri));
        let mut http = self.http.clone();
        match intercept {
            None => Box::pin(async move { http.call(uri).await.map_err(Into::into) }),
            Some(intercept) => {
                let mut tunnel = hyper_util::client::legacy::connect::proxy::Tunnel::new(intercept.uri().clone(), http);
                if let Some(auth) = intercept.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move { tunnel.call(uri).await.map_err(Into::into) })
            }
        }
    }
}

/// A connector whose whole connect (TCP, then TLS) must end within `timeout`. hyper's
/// `HttpConnector` bounds only the TCP part, and hyper-rustls has no bound of its own, so the
/// bound is put around the connector's future (tower's `Timeout` would do it, but would add
/// a crate for a dozen lines).
#[derive(Clone)]
struct TimedConnector<C> {
    inner: C,
    timeout: Option<Duration>,
}

/// The error of a connect that did not end within its bound.
#[derive(Debug)]
struct ConnectTimedOut(Duration);

impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connecting (TCP and TLS) took longer than {:?}", self.0)
    }
}

impl std::error::Error for ConnectTimedOut {}

impl<C> tower_service::Service<::http::Uri> for TimedConnector<C>
where
    C: tower_service::Service<::http::Uri>,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: ::http::Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match timeout {
                None => connecting.await.map_err(Into::into),
                Some(limit) => match tokio::time::timeout(limit, connecting).await {
                    Ok(result) => result.map_err(Into::into),
                    Err(_) => Err(ConnectTimedOut(limit).into()),
                },
            }
        })
    }
}

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultHttpClient").finish_non_exhaustive()
    }
}

impl DefaultHttpClient {
    /// A client whose connections must be established within `connect_timeout`: the TCP
    /// connection and, for `https://`, the TLS handshake together (a server that accepts TCP
    /// and never answers the ClientHello ends at that bound too).
    pub fn new(connect_timeout: Option<Duration>) -> Self {
        Self::with_proxy(connect_timeout, Proxy::from_env())
    }

    /// A client as [`new`](Self::new) makes, connecting through `proxy`.
    pub fn with_proxy(connect_timeout: Option<Duration>, proxy: Proxy) -> Self {
        Self::with_settings(connect_timeout, proxy, Tls::default())
    }

    /// A client as [`new`](Self::new) makes, connecting through `proxy`, with `tls`'s trust
    /// roots or rustls configuration.
    pub fn with_settings(connect_timeout: Option<Duration>, proxy: Proxy, tls: Tls) -> Self {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls.client_config().as_ref().clone())
            .https_or_http()
            .enable_http1()
            .wrap_connector(ProxiedConnector::new(proxy));
        let https = TimedConnector { inner: https, timeout: connect_timeout };
        let builder = || {
            let mut builder = HyperClient::builder(TokioExecutor::new());
            builder.pool_timer(TokioTimer::new()).pool_idle_timeout(Duration::from_secs(90));
            builder
        };
        Self {
            inner: builder().build(https.clone()),
            streaming: builder().build(https),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            tls,
        }
    }

    /// Reads at most `bytes` bytes of a response body (and one more, to tell that a body is
    /// over): see [`ConfigBuilder::max_response_body`](crate::config::ConfigBuilder::max_response_body).
    pub fn with_max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }
}

impl HttpClient for DefaultHttpClient {
    fn send(&self, request: HttpRequest) -> ResponseFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = ::http::Request::from_parts(parts, Full::new(body));
            let response =
                self.inner.request(request).await.map_err(|e| TransportError::new("sending the request failed", e))?;
            let (parts, body) = response.into_parts();
            let body = body::read_limited(&parts.headers, body, self.max_response_body).await?;
            Ok(::http::Response::from_parts(parts, body))
        })
    }

    fn send_streaming(&self, request: StreamingRequest) -> StreamingResponseFuture<'_> {
        Box::pin(async move {
            let response = self
                .streaming
                .request(request)
                .await
                .map_err(|e| TransportError::new("sending the request failed", e))?;
            let (parts, body) = response.into_parts();
            Ok(::http::Response::from_parts(parts, StreamingBody::new(body)))
        })
    }

    fn tls(&self) -> Option<Tls> {
        Some(self.tls.clone())
    }
}
