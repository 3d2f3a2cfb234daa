//! The settings of a chat session, with the protocol's defaults.

use std::fmt;
use std::time::Duration;

/// Settings of a [`ChatSession`](super::ChatSession); set them on its builder.
#[derive(Clone)]
pub(crate) struct ChatOptions {
    /// How socket connections are opened.
    pub socket_connector: std::sync::Arc<dyn super::socket::SocketConnector>,
    /// Heartbeat and ping period; a heartbeat unanswered for one period means a dead socket.
    pub heartbeat_interval: Duration,
    /// How long to wait for each subscription acknowledgement.
    pub subscribe_timeout: Duration,
    /// How many times to send the subscription before giving up.
    pub subscribe_attempts: u32,
    /// How long a socket URL is used after it was fetched (the service says 100 s; the
    /// JavaScript library assumes 85 s, and so do we).
    pub url_validity: Duration,
    /// How long to wait for a socket to open.
    pub open_timeout: Duration,
    /// When a healthy socket is replaced by a new one.
    pub socket_lifetime: Duration,
    /// The first reconnect delay (doubled each time, with jitter).
    pub backoff_base: Duration,
    /// The longest reconnect delay.
    pub backoff_cap: Duration,
    /// Reconnect attempts before the session gives up with a terminal error.
    pub max_reconnect_attempts: u32,
    /// How long `disconnect` waits for the chat-ended event.
    pub disconnect_wait: Duration,
    /// The shortest time between typing events.
    pub typing_interval: Duration,
    /// Receipt throttling: one request per window.
    pub receipt_window: Duration,
    /// How long a delivered receipt waits (a read receipt for the same message makes it moot).
    pub delivered_delay: Duration,
    /// Whether receipts are throttled at all.
    pub throttle_receipts: bool,
    /// How long before its expiry the connection token is refreshed.
    pub token_refresh_margin: Duration,
    /// The largest attachment accepted.
    pub max_attachment_size: u64,
    /// The attachment content types accepted.
    pub attachment_content_types: Vec<String>,
}

/// The content types the service documents for attachments (csv, doc, docx, jpeg, jpg, pdf,
/// png, ppt, pptx, txt, wav, xls, xlsx), by file extension.
pub const ATTACHMENT_TYPES: &[(&str, &str)] = &[
    ("csv", "text/csv"),
    ("doc", "application/msword"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("ppt", "application/vnd.ms-powerpoint"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("txt", "text/plain"),
    ("wav", "audio/wav"),
    ("xls", "application/vnd.ms-excel"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
];

/// The documented attachment size limit: 20 MB.
pub const MAX_ATTACHMENT_SIZE: u64 = 20 * 1024 * 1024;

impl Default for ChatOptions {
    fn default() -> Self {
        let mut types: Vec<String> = ATTACHMENT_TYPES.iter().map(|(_, t)| (*t).to_owned()).collect();
        types.dedup();
        Self {
            socket_connector: std::sync::Arc::new(super::socket::TcpConnector),
            heartbeat_interval: Duration::from_secs(10),
            subscribe_timeout: Duration::from_secs(1),
            subscribe_attempts: 4,
            url_validity: Duration::from_secs(85),
            open_timeout: Duration::from_secs(10),
            socket_lifetime: Duration::from_secs(3540),
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(30),
            max_reconnect_attempts: 20,
            disconnect_wait: Duration::from_secs(10),
            typing_interval: Duration::from_secs(10),
            receipt_window: Duration::from_secs(5),
            delivered_delay: Duration::from_millis(300),
            throttle_receipts: true,
            token_refresh_margin: Duration::from_secs(60),
            max_attachment_size: MAX_ATTACHMENT_SIZE,
            attachment_content_types: types,
        }
    }
}

impl fmt::Debug for ChatOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatOptions")
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("socket_lifetime", &self.socket_lifetime)
            .field("max_reconnect_attempts", &self.max_reconnect_attempts)
            .finish_non_exhaustive()
    }
}
