//! Reconnecting after a loss, as the official clients do (`../shared/CHAT-PROTOCOL.md` section
//! 3): a socket that closed needs a new URL (one CreateParticipantConnection, paced with the
//! client's other sessions, see `pacer.rs`); a socket on that URL that does not open or is not
//! acknowledged in time is tried again on the same URL, after the next backoff delay, while the
//! URL is valid (85 s from its fetch): only a URL refused by the server or past its validity
//! costs another call. Under load, where late answers are common, starting over with a new
//! call for each late socket multiplied the calls the herd is made of. The loop ends when a
//! socket is subscribed, the chat turns out to have ended (403), a non-retryable error, or the
//! attempt limit. Commands are taken all along (receipts queue up; close stops).

use std::future::Future;
use std::pin::Pin;

use tokio::time::{Instant, sleep_until};

use super::clock;
use super::connect::{self, Connection, Ticket};
use super::driver::{Driver, Stop};
use super::error::ChatError;
use super::pacer;
use super::socket;

impl Driver {
    pub(crate) async fn reconnect(&mut self) -> Result<Connection, Stop> {
        // Counted in the client's herd until back (or stopped).
        let herd = pacer::reconnecting(&self.client);
        let mut attempts = 0;
        let mut ticket: Option<Ticket> = None;
        loop {
            // Even the first attempt waits (a random part of the base delay at first), and the
            // delays keep growing across sockets that die young: whatever the server does,
            // reconnects stay within the backoff's rate.
            let delay = self.backoff.next_delay();
            self.wait_until(clock::after(Instant::now(), delay)).await?;
            attempts += 1;
            let held = match ticket.take().filter(|t| t.fresh(&self.options)) {
                Some(held) => held,
                None => {
                    self.wait_until(herd.slot(Instant::now(), &self.options)).await?;
                    let (client, token, options) =
                        (self.client.clone(), self.participant_token.clone(), self.options.clone());
                    let fetching = Box::pin(async move { connect::fetch(&client, &token, &options).await });
                    match self.take_commands_while(fetching).await? {
                        Ok(fetched) => fetched,
                        Err(e) => {
                            self.failed(e, attempts)?;
                            continue;
                        }
                    }
                }
            };
            let options = self.options.clone();
            let opening = Box::pin(async move {
                let opened = connect::open(&held, &options).await;
                (held, opened)
            });
            let (held, opened) = self.take_commands_while(opening).await?;
            match opened {
                Ok(conn) => return Ok(conn),
                Err(e) => {
                    if !socket::url_refused(&e) {
                        ticket = Some(held);
                    }
                    self.failed(e, attempts)?;
                }
            }
        }
    }

    /// A failed attempt: `Ok` when another is worth making.
    fn failed(&self, error: ChatError, attempts: u32) -> Result<(), Stop> {
        match error {
            e if e.status() == Some(403) => Err(Stop::EndedWhileAway),
            e if e.is_retryable() && attempts < self.options.max_reconnect_attempts => {
                tracing::warn!(error = %e, attempt = attempts, "reconnect failed; retrying");
                Ok(())
            }
            e => Err(Stop::Failed(ChatError::ReconnectFailed { attempts, last: Box::new(e) })),
        }
    }

    /// Waits until `deadline` while taking commands.
    async fn wait_until(&mut self, deadline: Instant) -> Result<(), Stop> {
        self.take_commands_while(Box::pin(sleep_until(deadline))).await
    }

    /// Runs `work` to its end while taking commands; `Err` when the session closes meanwhile.
    async fn take_commands_while<T>(&mut self, mut work: Pin<Box<dyn Future<Output = T> + Send>>) -> Result<T, Stop> {
        loop {
            tokio::select! {
                biased;
                command = self.commands.recv() => {
                    if !self.take(command) {
                        return Err(Stop::Closed);
                    }
                }
                done = &mut work => return Ok(done),
            }
        }
    }
}
