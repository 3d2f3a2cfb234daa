//! Serving one socket: reading frames, keeping it alive, replacing it before it expires, and
//! taking what the session handle and the task's jobs send, until it dies or the session stops.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::time::{Instant, MissedTickBehavior, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::connect::{self, Connection};
use super::driver::{Done, Driver, Stop};
use super::error::ChatError;
use super::event::ChatEvent;
use super::frames::{self, ServerFrame};

/// How serving a socket ended: `Ok(why it was lost)`, and the session reconnects; or
/// `Err(why the task stops)`.
pub(crate) type Served = Result<ChatError, Stop>;

impl Driver {
    /// Reads one socket until it dies, the chat ends or the session closes.
    pub(crate) async fn serve(&mut self, conn: &mut Connection) -> Served {
        for item in std::mem::take(&mut conn.early) {
            self.live_item(item)?;
        }
        let result = self.serve_frames(conn).await;
        // Live items held for a fill that will not finish on this socket: deliver them now.
        if self.filling.take().is_some() {
            for item in std::mem::take(&mut self.held) {
                if self.deliver_json(item) {
                    return Err(Stop::Ended);
                }
            }
        }
        result
    }

    async fn serve_frames(&mut self, conn: &mut Connection) -> Served {
        // On open: a ping, then a heartbeat; each must be answered before the next tick.
        if let Err(e) = self.keepalive(conn).await {
            return Ok(e);
        }
        let (mut heartbeat_answered, mut ping_answered) = (false, false);
        let interval = self.options.heartbeat_interval;
        let mut tick = tokio::time::interval_at(Instant::now() + interval, interval);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let receipts_due = self.receipts.next_due();
            let token_due = self.token_refresh_at.filter(|_| !self.refreshing);
            let replace_at = Some(conn.replace_at).filter(|_| !self.replacing);
            // In this order: frames that have arrived (heartbeat answers among them) are read
            // before any timer judges the socket.
            tokio::select! {
                biased;
                frame = conn.socket.next() => {
                    let text = match frame {
                        None => return Ok(ChatError::socket_msg("the socket closed")),
                        Some(Err(e)) => return Ok(ChatError::socket("the socket failed", e)),
                        Some(Ok(Message::Close(_))) => return Ok(ChatError::socket_msg("the server closed the socket")),
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(_)) => continue,
                    };
                    match frames::parse(&text) {
                        Ok(ServerFrame::Heartbeat) => heartbeat_answered = true,
                        Ok(ServerFrame::Ping(ok)) => {
                            ping_answered = true;
                            if !ok {
                                tracing::warn!("the deep heartbeat (ping) failed");
                            }
                        }
                        Ok(ServerFrame::Chat(item)) => self.live_item(item)?,
                        Ok(ServerFrame::Failure(message)) => {
                            tracing::warn!(%message, "the service reported a socket error")
                        }
                        Ok(ServerFrame::Subscribed(_) | ServerFrame::Ignored) => {}
                        Err(e) => tracing::warn!(error = %e, "malformed frame ignored"),
                    }
                }
                _ = tick.tick() => {
                    if !heartbeat_answered {
                        return Ok(ChatError::socket_msg("a heartbeat went unanswered"));
                    }
                    if !ping_answered {
                        tracing::warn!("a deep heartbeat (ping) went unanswered");
                    }
                    if let Err(e) = self.keepalive(conn).await {
                        return Ok(e);
                    }
                    (heartbeat_answered, ping_answered) = (false, false);
                }
                () = until(replace_at) => self.start_replacement(),
                () = until(receipts_due) => self.send_receipts(),
                () = until(token_due) => self.start_refresh(),
                () = until(self.streams.deadline()) => self.expire_streams(),
                // Room again for an application that fell behind: it learns what it missed.
                Ok(permit) = self.events.clone().reserve_owned(), if self.lagged > 0 => {
                    permit.send(Box::new(ChatEvent::Lagged { dropped: self.lagged }));
                    self.lagged = 0;
                }
                command = self.commands.recv() => {
                    if !self.take(command) {
                        return Err(Stop::Closed);
                    }
                }
                Some(done) = self.jobs.join_next() => {
                    let Ok(done) = done else { continue };
                    if self.finish(done, conn)? {
                        // A new socket took over: it is kept alive from now on.
                        if let Err(e) = self.keepalive(conn).await {
                            return Ok(e);
                        }
                        (heartbeat_answered, ping_answered) = (false, false);
                        tick.reset();
                    }
                }
            }
        }
    }

    /// An item from the socket: delivered, or held while a gap fill is under way (so that
    /// what was missed comes first).
    fn live_item(&mut self, item: String) -> Result<(), Stop> {
        // A fill reads at most a few pages: more live items than that are not held back.
        if self.filling.is_some() && self.held.len() < super::driver::DUPLICATE_WINDOW {
            self.held.push(item);
            return Ok(());
        }
        if self.deliver_json(item) { Err(Stop::Ended) } else { Ok(()) }
    }

    /// Takes a job's result; `Ok(true)` when a replacement socket took over.
    fn finish(&mut self, done: Done, conn: &mut Connection) -> Result<bool, Stop> {
        match done {
            Done::Receipt { kind, message_id, accepted, id } => {
                self.receipts.finished(kind, message_id, accepted);
                if let Some(id) = id {
                    self.note_sent(id);
                }
            }
            Done::Token(result) => self.refreshed(result),
            Done::Filled { round, items, error } => {
                if self.filled(round, items, error) {
                    return Err(Stop::Ended);
                }
            }
            Done::Replaced(result) => {
                self.replacing = false;
                match *result {
                    Ok(mut new) => {
                        // The new socket is subscribed: the old one can go. Whatever the old one
                        // still held unread is read from the transcript.
                        std::mem::swap(conn, &mut new);
                        self.adopt(conn);
                        self.jobs.spawn(async move {
                            connect::close(&mut new.socket).await;
                            Done::Nothing
                        });
                        tracing::debug!("chat socket replaced");
                        self.start_fill(false);
                        return Ok(true);
                    }
                    Err(e) if e.status() == Some(403) => return Err(Stop::Failed(e)),
                    Err(e) => {
                        tracing::warn!(error = %e, "replacing the chat socket failed; trying again in a minute");
                        conn.replace_at = Instant::now() + Duration::from_secs(60);
                    }
                }
            }
            Done::Nothing => {}
        }
        Ok(false)
    }

    /// Opens the next socket in a job; the current one is served meanwhile.
    fn start_replacement(&mut self) {
        self.replacing = true;
        let (client, token, options) = (self.client.clone(), self.participant_token.clone(), self.options.clone());
        self.jobs
            .spawn(async move { Done::Replaced(Box::new(connect::open_connection(&client, &token, &options).await)) });
    }

    /// A ping and a heartbeat, each within the send timeout.
    async fn keepalive(&mut self, conn: &mut Connection) -> Result<(), ChatError> {
        for frame in [frames::PING, frames::HEARTBEAT] {
            connect::send(&mut conn.socket, frame, self.options.send_timeout).await?;
        }
        Ok(())
    }
}

/// Sleeps until `at`, or forever.
pub(crate) async fn until(at: Option<Instant>) {
    match at {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}
