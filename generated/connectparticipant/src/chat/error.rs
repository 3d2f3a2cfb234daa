//! Why a chat call failed.

use std::fmt;
use std::time::Duration;

/// The underlying failure of a socket error (I/O, TLS, HTTP or WebSocket): never one that
/// holds the socket URL.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error of the chat session. Messages never contain tokens or URLs.
#[non_exhaustive]
#[derive(Debug)]
pub enum ChatError {
    /// A call to the service failed. `status` is the HTTP status when the service answered.
    Service {
        /// The operation, such as `CreateParticipantConnection`.
        operation: &'static str,
        /// The HTTP status, when a response arrived.
        status: Option<u16>,
        /// What went wrong.
        message: String,
    },
    /// The WebSocket could not be opened, or failed.
    Socket {
        /// What the session was doing.
        message: String,
        /// The underlying failure, when there is one (also from `source()`).
        source: Option<BoxError>,
    },
    /// A network step took longer than its bound (see the module docs for each bound).
    Timeout {
        /// What took too long, such as `GetTranscript` or `opening the socket`.
        operation: &'static str,
        /// The bound.
        after: Duration,
    },
    /// The service did not acknowledge the subscription in time, or refused it.
    Subscribe(String),
    /// The chat has ended: nothing more can be sent.
    ChatEnded,
    /// The connection was lost and every reconnect attempt failed.
    ReconnectFailed {
        /// How many attempts were made.
        attempts: u32,
        /// Why the last one failed.
        last: Box<ChatError>,
    },
    /// An attachment was refused before anything was sent (size or content type).
    AttachmentRejected(String),
    /// The upload to the pre-signed URL failed; the upload was not completed.
    UploadFailed {
        /// The HTTP status of the `PUT`.
        status: u16,
    },
    /// The download from the pre-signed URL failed.
    DownloadFailed {
        /// The HTTP status of the `GET`.
        status: u16,
    },
    /// The HTTP transport failed on a pre-signed URL.
    Transport(crate::error::TransportError),
    /// Reading or writing a local file failed.
    Io(std::io::Error),
    /// An argument was not valid (for example an empty message id).
    InvalidInput(String),
    /// The session was closed.
    Closed,
}

impl ChatError {
    /// The error of a failed call, keeping its HTTP status.
    pub(crate) fn service<E: fmt::Display>(operation: &'static str, error: crate::Error<E>) -> Self {
        let status = error.raw_response().map(|raw| raw.status());
        ChatError::Service { operation, status, message: error.to_string() }
    }

    /// A successful answer that lacks a member the session needs.
    pub(crate) fn missing(operation: &'static str, member: &str) -> Self {
        ChatError::Service { operation, status: Some(200), message: format!("the answer has no {member}") }
    }

    /// A socket error with its cause.
    pub(crate) fn socket(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        ChatError::Socket { message: message.into(), source: Some(source.into()) }
    }

    /// A socket error that has no underlying cause.
    pub(crate) fn socket_msg(message: impl Into<String>) -> Self {
        ChatError::Socket { message: message.into(), source: None }
    }

    /// The HTTP status of a failed call, when the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ChatError::Service { status, .. } => *status,
            ChatError::ReconnectFailed { last, .. } => last.status(),
            _ => None,
        }
    }

    /// Whether trying again later may work: throttling, a server error, a network or socket
    /// failure. A 403 (the chat ended) or a 400 (a bad request) is not retried.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            ChatError::Service { status: Some(status), .. } => *status == 429 || *status >= 500,
            ChatError::Service { status: None, .. }
            | ChatError::Socket { .. }
            | ChatError::Subscribe(_)
            | ChatError::Timeout { .. } => true,
            _ => false,
        }
    }
}

impl fmt::Display for ChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChatError::Service { operation, status: Some(status), message } => {
                write!(f, "{operation} failed (HTTP {status}): {message}")
            }
            ChatError::Service { operation, status: None, message } => write!(f, "{operation} failed: {message}"),
            ChatError::Socket { message, source: Some(source) } => write!(f, "chat socket: {message}: {source}"),
            ChatError::Socket { message, source: None } => write!(f, "chat socket: {message}"),
            ChatError::Timeout { operation, after } => write!(f, "{operation} took longer than {after:?}"),
            ChatError::Subscribe(message) => write!(f, "chat subscription: {message}"),
            ChatError::ChatEnded => f.write_str("the chat has ended"),
            ChatError::ReconnectFailed { attempts, last } => {
                write!(f, "the connection was lost; {attempts} reconnect attempts failed, the last with: {last}")
            }
            ChatError::AttachmentRejected(message) => write!(f, "attachment refused: {message}"),
            ChatError::UploadFailed { status } => write!(f, "the attachment upload failed with HTTP {status}"),
            ChatError::DownloadFailed { status } => write!(f, "the attachment download failed with HTTP {status}"),
            ChatError::Transport(e) => write!(f, "attachment transfer: {e}"),
            ChatError::Io(e) => write!(f, "local file: {e}"),
            ChatError::InvalidInput(message) => f.write_str(message),
            ChatError::Closed => f.write_str("the chat session is closed"),
        }
    }
}

impl std::error::Error for ChatError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChatError::ReconnectFailed { last, .. } => Some(last.as_ref()),
            ChatError::Socket { source: Some(source), .. } => Some(source.as_ref()),
            ChatError::Transport(e) => Some(e),
            ChatError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for ChatError {
    fn from(error: std::io::Error) -> Self {
        ChatError::Io(error)
    }
}
