//! A fake Amazon Connect Participant Service: a real HTTP/1.1 server (hyper) on an ephemeral
//! port of 127.0.0.1, started by each test.
//!
//! For every request it
//! 1. records it (method, raw path, query, headers, body) so that tests can assert on what
//!    went over the wire;
//! 2. routes it to one of the 11 operations (unknown routes: 404 `UnknownOperationException`);
//! 3. checks it as the service would (the emulator's checks): method, path, `X-Amz-Bearer`, `Content-Type`, no query,
//!    no body on `GET`, and the JSON body member by member (required members present, types,
//!    lengths and ranges, enum values, no unknown members, `ClientToken` a UUID v4). A failed
//!    check answers 400 `ValidationException` with a message saying what was wrong;
//! 4. answers with the next scripted [`Reply`] of the operation (a per-operation queue, then
//!    an optional per-operation handler), or by default as the real service would
//!    ([`Reply::Service`]): realistic JSON bodies, and a paginated transcript.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::HeaderMap;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

// The routes and request checks are the emulator's: one copy of what the service refuses.
pub use connectparticipant_emulator::checks::{Op, is_uuid_v4};
use connectparticipant_emulator::checks::{RequestParts, check, route};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The operation it was routed to (`None`: unknown route).
    pub op: Option<Op>,
    pub method: String,
    /// The path as sent on the wire (still percent-encoded), endpoint prefix included.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// DescribeView: the `{ViewToken}` path segment, percent-decoded.
    pub view_token: Option<String>,
}

impl Recorded {
    /// The value of a header (the first one of that name), as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().expect("header value is text"))
    }

    /// The body as JSON (panics with the body when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("request body is not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// The body's `ClientToken`, if any.
    pub fn client_token(&self) -> Option<String> {
        self.json().get("ClientToken").and_then(Value::as_str).map(str::to_owned)
    }
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// As the real service would: a realistic success body for the operation.
    Service,
    /// A fixed response.
    Fixed { status: u16, headers: Vec<(String, String)>, body: Bytes },
    /// Waits, then answers with the inner reply.
    Delay(Duration, Box<Reply>),
    /// Status 200 with `Content-Length: declared`, then only `sent`, then the connection is cut.
    Truncated { declared: usize, sent: Bytes },
    /// Status 200 with `Content-Length: declared`, then only `sent`, then nothing more (the
    /// connection stays open, silent).
    Stall { declared: usize, sent: Bytes },
    /// Closes the connection without answering (after reading the whole request).
    Close,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: Value) -> Self {
        Self::raw(status, &[("Content-Type", "application/json")], body.to_string())
    }

    /// A modeled-style error: `x-amzn-ErrorType: code` and `{"message": message}`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self::raw(
            status,
            &[("Content-Type", "application/json"), ("x-amzn-ErrorType", code)],
            json!({ "message": message }).to_string(),
        )
    }

    /// Any response.
    pub fn raw(status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        Self::Fixed {
            status,
            headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            body: body.into(),
        }
    }

    /// This reply, after `delay`.
    pub fn after(self, delay: Duration) -> Self {
        Self::Delay(delay, Box::new(self))
    }
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

#[derive(Default)]
struct Script {
    queue: VecDeque<Reply>,
    handler: Option<Handler>,
}

struct State {
    prefix: String,
    recorded: Mutex<Vec<Recorded>>,
    scripts: Mutex<HashMap<Op, Script>>,
    transcript: Mutex<Vec<Value>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The running fake service; stops accepting connections when dropped.
pub struct FakeService {
    addr: SocketAddr,
    state: Arc<State>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for FakeService {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl FakeService {
    /// Starts a service at `http://127.0.0.1:<ephemeral port>/`.
    pub async fn start() -> Self {
        Self::start_with_prefix("").await
    }

    /// Starts a service that expects every path under `prefix` (`/prefix`).
    pub async fn start_with_prefix(prefix: &str) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        assert!(addr.ip().is_loopback());
        let state = Arc::new(State {
            prefix: prefix.trim_end_matches('/').to_owned(),
            recorded: Mutex::new(Vec::new()),
            scripts: Mutex::new(HashMap::new()),
            transcript: Mutex::new(default_transcript()),
        });
        let shared = Arc::clone(&state);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| handle(Arc::clone(&state), request));
                    // Errors here are the scripted cuts and clients going away: nothing to do.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { addr, state, accept }
    }

    /// The endpoint URL to give the client: `http://127.0.0.1:PORT` plus the prefix.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.state.prefix)
    }

    /// Answers the next request of `op` with `reply` (replies queue up in order).
    pub fn enqueue(&self, op: Op, reply: Reply) {
        lock(&self.state.scripts).entry(op).or_default().queue.push_back(reply);
    }

    /// Answers every request of `op` that the queue does not answer with `handler`.
    pub fn handle(&self, op: Op, handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) {
        lock(&self.state.scripts).entry(op).or_default().handler = Some(Arc::new(handler));
    }

    /// Answers every request of `op` with `reply`.
    pub fn always(&self, op: Op, reply: Reply) {
        self.handle(op, move |_| reply.clone());
    }

    /// Replaces the transcript that `GetTranscript` pages through.
    pub fn set_transcript(&self, items: Vec<Value>) {
        *lock(&self.state.transcript) = items;
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.recorded).clone()
    }

    /// The one request received (panics unless there was exactly one).
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
        requests.into_iter().next().unwrap()
    }

    /// How many requests arrived.
    pub fn request_count(&self) -> usize {
        lock(&self.state.recorded).len()
    }
}

async fn collect(mut body: Incoming) -> Result<Bytes, hyper::Error> {
    let mut out = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        if let Ok(data) = frame?.into_data() {
            out.extend_from_slice(&data);
        }
    }
    Ok(out.into())
}

async fn handle(state: Arc<State>, request: Request<Incoming>) -> Result<Response<ReplyBody>, io::Error> {
    let (parts, body) = request.into_parts();
    let body = collect(body).await.map_err(io::Error::other)?;
    let path = parts.uri.path().to_owned();
    let routed = route(&state.prefix, &parts.method, &path);
    let mut recorded = Recorded {
        op: routed.as_ref().ok().map(|(op, _)| *op),
        method: parts.method.to_string(),
        path,
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        view_token: None,
    };
    let reply = match routed {
        Err(message) => Reply::error(404, "UnknownOperationException", &message),
        Ok((op, view_token)) => {
            recorded.view_token = view_token;
            let parts = RequestParts {
                headers: &recorded.headers,
                query: recorded.query.as_deref(),
                body: &recorded.body,
                view_token: recorded.view_token.as_deref(),
            };
            match check(op, &parts) {
                Err(problem) => Reply::error(400, "ValidationException", &format!("{op}: {problem}")),
                Ok(()) => next_reply(&state, op, &recorded),
            }
        }
    };
    lock(&state.recorded).push(recorded.clone());
    let mut reply = reply;
    loop {
        match reply {
            Reply::Delay(delay, inner) => {
                tokio::time::sleep(delay).await;
                reply = *inner;
            }
            Reply::Service => reply = service_reply(&state, &recorded),
            Reply::Close => return Err(io::Error::other("scripted: connection closed without a response")),
            Reply::Truncated { declared, sent } => return Ok(partial(declared, sent, After::Cut)),
            Reply::Stall { declared, sent } => return Ok(partial(declared, sent, After::Stall)),
            Reply::Fixed { status, headers, body } => {
                let mut response = Response::builder().status(status);
                for (name, value) in headers {
                    response = response.header(name, value);
                }
                return Ok(response.body(ReplyBody { data: Some(body), after: After::End }).expect("valid response"));
            }
        }
    }
}

/// A 200 response announcing `declared` bytes and sending only `sent`.
fn partial(declared: usize, sent: Bytes, after: After) -> Response<ReplyBody> {
    Response::builder()
        .status(200)
        .header("Content-Type", "application/json")
        .header("Content-Length", declared)
        .body(ReplyBody { data: Some(sent), after })
        .expect("valid response")
}

fn next_reply(state: &State, op: Op, recorded: &Recorded) -> Reply {
    let handler = {
        let mut scripts = lock(&state.scripts);
        let Some(script) = scripts.get_mut(&op) else { return Reply::Service };
        if let Some(reply) = script.queue.pop_front() {
            return reply;
        }
        script.handler.clone()
    };
    handler.map_or(Reply::Service, |handler| handler(recorded))
}

// ---------------------------------------------------------------------------------------------
// Answers, as the service would give them.

const NOW: &str = "2024-05-01T12:30:00.000Z";
const LATER: &str = "2024-05-01T12:35:00.000Z";
pub const INITIAL_CONTACT_ID: &str = "8f3ae2b1-5c7d-4e9a-b0f1-2d3c4e5f6a7b";
/// The `NextToken`s the service hands out: `page-<offset>`.
const TOKEN_PREFIX: &str = "page-";

fn service_reply(state: &State, r: &Recorded) -> Reply {
    let op = r.op.expect("routed");
    let body = if op == Op::DescribeView { Value::Null } else { r.json() };
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let output = match op {
        Op::CancelParticipantAuthentication | Op::CompleteAttachmentUpload | Op::DisconnectParticipant => json!({}),
        Op::CreateParticipantConnection => {
            let types: Vec<String> = match body.get("Type").and_then(Value::as_array) {
                Some(types) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                None => vec!["WEBSOCKET".into(), "CONNECTION_CREDENTIALS".into()],
            };
            let mut out = Map::new();
            if types.iter().any(|t| t == "WEBSOCKET") {
                out.insert(
                    "Websocket".into(),
                    json!({
                        "Url": "wss://abcdef.transport.connect.us-east-1.amazonaws.com/?Authorization=dGVzdA%3D%3D",
                        "ConnectionExpiry": LATER,
                    }),
                );
            }
            if types.iter().any(|t| t == "CONNECTION_CREDENTIALS") {
                out.insert(
                    "ConnectionCredentials".into(),
                    json!({ "ConnectionToken": "QVFJREFIaGNvbm5lY3Rpb24tdG9rZW4=", "Expiry": "2024-05-02T12:30:00.000Z" }),
                );
            }
            if types.iter().any(|t| t == "WEBRTC_CONNECTION") {
                out.insert(
                    "WebRTCConnection".into(),
                    json!({
                        "Attendee": { "AttendeeId": "attendee-0001", "JoinToken": "am9pbi10b2tlbg==" },
                        "Meeting": {
                            "MediaPlacement": {
                                "AudioHostUrl": "https://audio.chime.aws/host",
                                "AudioFallbackUrl": "wss://audio.chime.aws/fallback",
                                "SignalingUrl": "wss://signal.chime.aws/control",
                                "EventIngestionUrl": "https://data.svc.chime.aws/v1/client-events"
                            },
                            "MeetingFeatures": { "Audio": { "EchoReduction": "AVAILABLE" } },
                            "MeetingId": "6a1e8c0e-7a55-4bb8-b7b1-2c8d5e2f4a10"
                        }
                    }),
                );
            }
            Value::Object(out)
        }
        Op::DescribeView => json!({
            "View": {
                "Id": "view-confirmation",
                "Arn": "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555/view/view-confirmation:3",
                "Name": "Confirmation",
                "Version": 3,
                "Content": {
                    "InputSchema": "{\"type\":\"object\",\"properties\":{\"Heading\":{\"type\":\"string\"}}}",
                    "Template": "{\"Head\":{\"Title\":\"Confirm\"},\"Body\":[]}",
                    "Actions": ["Confirm", "Cancel"]
                }
            }
        }),
        Op::GetAttachment => json!({
            "Url": format!("https://connect-attachments.s3.amazonaws.com/{}?X-Amz-Signature=abc", text("AttachmentId")),
            "UrlExpiry": LATER,
            "AttachmentSizeInBytes": 48213,
        }),
        Op::GetAuthenticationUrl => json!({
            "AuthenticationUrl": format!("https://auth.example.com/authorize?session={}", text("SessionId")),
        }),
        Op::GetTranscript => return transcript_page(state, &body),
        Op::SendEvent => json!({ "Id": "evt-0001", "AbsoluteTime": NOW }),
        Op::SendMessage => json!({
            "Id": "msg-0001",
            "AbsoluteTime": NOW,
            "MessageMetadata": { "MessageProcessingStatus": "PROCESSING" },
        }),
        Op::StartAttachmentUpload => json!({
            "AttachmentId": "att-0001",
            "UploadMetadata": {
                "Url": "https://connect-attachments.s3.amazonaws.com/att-0001?X-Amz-Signature=def",
                "UrlExpiry": LATER,
                "HeadersToInclude": {
                    "Content-Type": text("ContentType"),
                    "x-amz-meta-attachment-name": text("AttachmentName"),
                },
            },
        }),
    };
    Reply::json(200, output)
}

/// One page of the transcript: `MaxResults` items (10 when unset or 0) from the offset that
/// `NextToken` names.
fn transcript_page(state: &State, body: &Value) -> Reply {
    let items = lock(&state.transcript).clone();
    let page_size = match body.get("MaxResults").and_then(Value::as_u64) {
        None | Some(0) => 10,
        Some(n) => n as usize,
    };
    let offset = match body.get("NextToken").and_then(Value::as_str) {
        None => 0,
        Some(token) => match token.strip_prefix(TOKEN_PREFIX).and_then(|n| n.parse::<usize>().ok()) {
            Some(offset) if offset < items.len() => offset,
            _ => {
                return Reply::error(
                    400,
                    "ValidationException",
                    &format!("GetTranscript: invalid NextToken {token:?}"),
                );
            }
        },
    };
    let end = (offset + page_size).min(items.len());
    let mut page = json!({ "InitialContactId": INITIAL_CONTACT_ID, "Transcript": items[offset..end] });
    if end < items.len() {
        page["NextToken"] = Value::from(format!("{TOKEN_PREFIX}{end}"));
    }
    Reply::json(200, page)
}

/// A transcript message item, as the service returns them.
pub fn message_item(index: usize) -> Value {
    json!({
        "AbsoluteTime": format!("2024-05-01T12:{:02}:{:02}.000Z", index / 60 % 60, index % 60),
        "Content": format!("message {index}"),
        "ContentType": "text/plain",
        "Id": format!("item-{index:04}"),
        "Type": "MESSAGE",
        "ParticipantId": "participant-customer",
        "DisplayName": "Customer",
        "ParticipantRole": "CUSTOMER",
        "ContactId": INITIAL_CONTACT_ID,
    })
}

/// A join event, a message with a delivery receipt and an attachment.
fn default_transcript() -> Vec<Value> {
    vec![
        json!({
            "AbsoluteTime": "2024-05-01T12:00:00.000Z",
            "ContentType": "application/vnd.amazonaws.connect.event.participant.joined",
            "Id": "item-join",
            "Type": "EVENT",
            "ParticipantId": "participant-agent",
            "DisplayName": "Agent Smith",
            "ParticipantRole": "AGENT",
            "ContactId": INITIAL_CONTACT_ID,
        }),
        json!({
            "AbsoluteTime": "2024-05-01T12:00:05.000Z",
            "Content": "Hello, how can I help?",
            "ContentType": "text/plain",
            "Id": "item-hello",
            "Type": "MESSAGE",
            "ParticipantId": "participant-agent",
            "DisplayName": "Agent Smith",
            "ParticipantRole": "AGENT",
            "MessageMetadata": {
                "MessageId": "item-hello",
                "Receipts": [{
                    "DeliveredTimestamp": "2024-05-01T12:00:06.000Z",
                    "ReadTimestamp": "2024-05-01T12:00:09.000Z",
                    "RecipientParticipantId": "participant-customer"
                }]
            },
            "ContactId": INITIAL_CONTACT_ID,
        }),
        json!({
            "AbsoluteTime": "2024-05-01T12:01:00.000Z",
            "Id": "item-attachment",
            "Type": "ATTACHMENT",
            "ParticipantId": "participant-customer",
            "DisplayName": "Customer",
            "ParticipantRole": "CUSTOMER",
            "Attachments": [{
                "ContentType": "image/png",
                "AttachmentId": "att-0001",
                "AttachmentName": "screenshot.png",
                "Status": "APPROVED"
            }],
            "ContactId": INITIAL_CONTACT_ID,
            "RelatedContactId": "c0ffee00-0000-4000-8000-000000000001",
        }),
    ]
}

// ---------------------------------------------------------------------------------------------

/// What a response body does after its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// Ends.
    End,
    /// Fails: hyper then closes the connection mid-response.
    Cut,
    /// Never says anything more.
    Stall,
}

/// A response body sent in one piece, then ended, cut or stalled.
pub struct ReplyBody {
    data: Option<Bytes>,
    after: After,
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take().filter(|d| !d.is_empty()) {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match this.after {
            After::End => Poll::Ready(None),
            After::Cut => {
                this.after = After::End;
                Poll::Ready(Some(Err(io::Error::other("scripted: connection cut mid-body"))))
            }
            // Never woken: the connection stays open until the client gives up on it.
            After::Stall => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.after == After::End && self.data.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, self.after) {
            (Some(data), After::End) => SizeHint::with_exact(data.len() as u64),
            (None, After::End) => SizeHint::with_exact(0),
            _ => SizeHint::default(),
        }
    }
}
