//! Test support for the credential providers (a stand-in: never copied into generated crates):
//! temporary directories for files the tests write, and an HTTP server on 127.0.0.1 that
//! records what it is asked and answers as a test says.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::rt::TokioIo;

/// A directory removed when dropped, unique per test.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory named after `name`.
    pub fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = format!("runtime-{name}-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `text` to `name` in the directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A request the server received: method, path and headers.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: http::Method,
    pub path: String,
    pub headers: http::HeaderMap,
}

/// The answer to a request: status and body; `None` never answers.
pub type Handler = dyn Fn(&Seen) -> Option<(u16, String)> + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1 (hyper), stopped when dropped.
pub struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server answering with `handler`.
    pub async fn start(handler: impl Fn(&Seen) -> Option<(u16, String)> + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&seen);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, log) = (Arc::clone(&handler), Arc::clone(&log));
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                        let seen = Seen {
                            method: request.method().clone(),
                            path: request.uri().path().to_owned(),
                            headers: request.headers().clone(),
                        };
                        log.lock().unwrap().push(seen.clone());
                        let answer = handler(&seen);
                        async move {
                            let Some((status, body)) = answer else {
                                std::future::pending::<()>().await;
                                unreachable!()
                            };
                            let mut response = http::Response::new(Full::new(Bytes::from(body)));
                            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { addr, seen, accept }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Every event logged while `run` runs, as text (message and fields), by any thread: the
/// recorder is the global subscriber, because a scoped one (`with_default`) misses events of
/// callsites that tests on other threads register at the same time.
pub fn logged<F: std::future::Future>(run: impl FnOnce() -> F) -> (F::Output, Vec<String>) {
    static EVENTS: std::sync::OnceLock<Arc<Mutex<Vec<String>>>> = std::sync::OnceLock::new();
    let events = EVENTS.get_or_init(|| {
        let recorder = Recorder::default();
        let events = Arc::clone(&recorder.events);
        tracing::subscriber::set_global_default(recorder).expect("the only global subscriber of these tests");
        events
    });
    let start = events.lock().unwrap().len();
    let output = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run());
    let logged = events.lock().unwrap()[start..].to_vec();
    (output, logged)
}

/// A subscriber that keeps the text of every event and span field, at every level.
#[derive(Default)]
struct Recorder {
    events: Arc<Mutex<Vec<String>>>,
    next_span: AtomicUsize,
}

struct Text(String);

impl tracing::field::Visit for Text {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = Text(format!("span {}", span.metadata().name()));
        span.record(&mut text);
        self.events.lock().unwrap().push(text.0);
        tracing::span::Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) as u64 + 1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = Text("record".to_owned());
        values.record(&mut text);
        self.events.lock().unwrap().push(text.0);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = Text(format!("{} {}", event.metadata().level(), event.metadata().target()));
        event.record(&mut text);
        self.events.lock().unwrap().push(text.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
