//! The settings of a chat session, with the protocol's defaults, checked when the session is
//! built.

use std::fmt;
use std::time::Duration;

use super::error::ChatError;

/// Settings of a [`ChatSession`](super::ChatSession); set them on its builder.
#[derive(Clone)]
pub(crate) struct ChatOptions {
    /// How socket connections are opened.
    pub socket_connector: std::sync::Arc<dyn super::socket::SocketConnector>,
    /// The TLS settings of `wss://` sockets: the client's transport's.
    pub tls: crate::transport::Tls,
    /// Heartbeat and ping period; a heartbeat unanswered for one period means a dead socket.
    pub heartbeat_interval: Duration,
    /// How long to wait for each subscription acknowledgement.
    pub subscribe_timeout: Duration,
    /// How many times to send the subscription before giving up.
    pub subscribe_attempts: u32,
    /// How long a socket URL is used after it was fetched (the service says 100 s; the
    /// JavaScript library assumes 85 s, and so do we).
    pub url_validity: Duration,
    /// How long opening a socket may take: TCP (or the custom connector), TLS and the
    /// WebSocket handshake together.
    pub open_timeout: Duration,
    /// How long one frame may take to be written to the socket.
    pub send_timeout: Duration,
    /// How long one REST call of the session may take (the client's own retries included).
    pub request_timeout: Duration,
    /// How long one attachment upload or download may take, from the first call to the last
    /// byte.
    pub transfer_timeout: Duration,
    /// When a healthy socket is replaced by a new one.
    pub socket_lifetime: Duration,
    /// How long a socket must stay up before its death counts as new trouble (the reconnect
    /// backoff starts over); a socket that dies sooner keeps the backoff growing.
    pub healthy_after: Duration,
    /// The first reconnect delay (doubled each time, with jitter).
    pub backoff_base: Duration,
    /// The longest reconnect delay.
    pub backoff_cap: Duration,
    /// Reconnect attempts before the session gives up with a terminal error.
    pub max_reconnect_attempts: u32,
    /// The rate of reconnect calls (CreateParticipantConnection after a loss) of all the
    /// sessions of one client, per second, while few reconnect at once (see `pacer.rs`).
    pub reconnect_rate: u32,
    /// How long the reconnect calls of many sessions of one client dropped at once are spread
    /// over (faster than `reconnect_rate` when that would take longer).
    pub reconnect_spread: Duration,
    /// GetTranscript tries per page when filling a gap.
    pub gap_fill_attempts: u32,
    /// The most transcript pages one gap fill reads.
    pub gap_fill_pages: u32,
    /// How many events wait for the application before newer ones are dropped (and counted
    /// in a [`ChatEvent::Lagged`](super::ChatEvent::Lagged)).
    pub event_buffer: usize,
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
    /// The shortest time between two token refreshes (doubled while the service's expiries
    /// keep looking already due, as with a skewed clock).
    pub token_refresh_floor: Duration,
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

/// The longest any duration setting is taken to be (about 30 years): longer ones saturate
/// here, so that no deadline computed from them overflows.
const LONGEST: Duration = Duration::from_secs(30 * 365 * 86_400);

impl Default for ChatOptions {
    fn default() -> Self {
        let mut types: Vec<String> = ATTACHMENT_TYPES.iter().map(|(_, t)| (*t).to_owned()).collect();
        types.dedup();
        Self {
            socket_connector: std::sync::Arc::new(super::socket::TcpConnector(crate::transport::Proxy::none())),
            tls: crate::transport::Tls::default(),
            heartbeat_interval: Duration::from_secs(10),
            subscribe_timeout: Duration::from_secs(1),
            subscribe_attempts: 4,
            url_validity: Duration::from_secs(85),
            open_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            transfer_timeout: Duration::from_secs(600),
            socket_lifetime: Duration::from_secs(3540),
            healthy_after: Duration::from_secs(60),
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(30),
            max_reconnect_attempts: 20,
            // Our choice (no rate is documented): see `pacer.rs`.
            reconnect_rate: 10,
            reconnect_spread: Duration::from_secs(30),
            gap_fill_attempts: 4,
            gap_fill_pages: 10,
            event_buffer: 1024,
            disconnect_wait: Duration::from_secs(10),
            typing_interval: Duration::from_secs(10),
            receipt_window: Duration::from_secs(5),
            delivered_delay: Duration::from_millis(300),
            throttle_receipts: true,
            token_refresh_margin: Duration::from_secs(60),
            token_refresh_floor: Duration::from_secs(60),
            max_attachment_size: MAX_ATTACHMENT_SIZE,
            attachment_content_types: types,
        }
    }
}

impl ChatOptions {
    /// The settings, checked: a setting that cannot work is refused naming it; durations
    /// longer than about 30 years saturate there.
    pub(crate) fn validated(mut self) -> Result<Self, ChatError> {
        let positive = [
            ("heartbeat_interval", self.heartbeat_interval),
            ("subscribe_timeout", self.subscribe_timeout),
            ("open_timeout", self.open_timeout),
            ("send_timeout", self.send_timeout),
            ("request_timeout", self.request_timeout),
            ("transfer_timeout", self.transfer_timeout),
            ("socket_lifetime", self.socket_lifetime),
            ("backoff_base", self.backoff_base),
            ("url_validity", self.url_validity),
            ("token_refresh_floor", self.token_refresh_floor),
            ("reconnect_spread", self.reconnect_spread),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, value)| value.is_zero()) {
            return Err(ChatError::InvalidInput(format!("chat option {name} must be longer than zero")));
        }
        let counts = [
            ("subscribe_attempts", self.subscribe_attempts),
            ("max_reconnect_attempts", self.max_reconnect_attempts),
            ("gap_fill_attempts", self.gap_fill_attempts),
            ("gap_fill_pages", self.gap_fill_pages),
            ("reconnect_rate", self.reconnect_rate),
        ];
        if let Some((name, _)) = counts.iter().find(|(_, value)| *value == 0) {
            return Err(ChatError::InvalidInput(format!("chat option {name} must be at least 1")));
        }
        if self.event_buffer < 16 {
            return Err(ChatError::InvalidInput("chat option event_buffer must be at least 16".into()));
        }
        if self.backoff_cap < self.backoff_base {
            return Err(ChatError::InvalidInput(
                "chat option backoff_cap must not be shorter than backoff_base".into(),
            ));
        }
        for duration in [
            &mut self.heartbeat_interval,
            &mut self.subscribe_timeout,
            &mut self.url_validity,
            &mut self.open_timeout,
            &mut self.send_timeout,
            &mut self.request_timeout,
            &mut self.transfer_timeout,
            &mut self.socket_lifetime,
            &mut self.healthy_after,
            &mut self.backoff_base,
            &mut self.backoff_cap,
            &mut self.reconnect_spread,
            &mut self.disconnect_wait,
            &mut self.typing_interval,
            &mut self.receipt_window,
            &mut self.delivered_delay,
            &mut self.token_refresh_margin,
            &mut self.token_refresh_floor,
        ] {
            *duration = (*duration).min(LONGEST);
        }
        Ok(self)
    }
}

impl fmt::Debug for ChatOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatOptions")
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("socket_lifetime", &self.socket_lifetime)
            .field("max_reconnect_attempts", &self.max_reconnect_attempts)
            .field("request_timeout", &self.request_timeout)
            .field("event_buffer", &self.event_buffer)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonsense_is_refused_by_name_and_huge_durations_saturate() {
        let zero = ChatOptions { heartbeat_interval: Duration::ZERO, ..ChatOptions::default() };
        let error = zero.validated().unwrap_err();
        assert!(error.to_string().contains("heartbeat_interval"), "{error}");
        let huge = ChatOptions { socket_lifetime: Duration::MAX, backoff_cap: Duration::MAX, ..ChatOptions::default() };
        let huge = huge.validated().unwrap();
        assert_eq!(huge.socket_lifetime, LONGEST);
        assert!(tokio::time::Instant::now().checked_add(huge.socket_lifetime).is_some());
    }
}
