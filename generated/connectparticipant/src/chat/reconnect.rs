//! Reconnecting after a loss: a fresh URL from CreateParticipantConnection after the next
//! backoff delay, until it works, the chat turns out to have ended (403), a non-retryable error,
//! or the attempt limit. Commands are taken all along (receipts queue up; close stops).

use std::future::Future;
use std::pin::Pin;

use tokio::time::{Instant, sleep_until};

use super::clock;
use super::connect::{self, Connection};
use super::driver::{Driver, Stop};
use super::error::ChatError;

impl Driver {
    pub(crate) async fn reconnect(&mut self) -> Result<Connection, Stop> {
        let mut attempts = 0;
        loop {
            // Even the first attempt waits (a random part of the base delay at first), and the
            // delays keep growing across sockets that die young: whatever the server does,
            // reconnects stay within the backoff's rate.
            let delay = self.backoff.next_delay();
            self.wait_until(clock::after(Instant::now(), delay)).await?;
            attempts += 1;
            let (client, token, options) = (self.client.clone(), self.participant_token.clone(), self.options.clone());
            let opening = Box::pin(async move { connect::open_connection(&client, &token, &options).await });
            match self.take_commands_while(opening).await? {
                Ok(conn) => return Ok(conn),
                Err(e) if e.status() == Some(403) => return Err(Stop::EndedWhileAway),
                Err(e) if e.is_retryable() && attempts < self.options.max_reconnect_attempts => {
                    tracing::warn!(error = %e, attempt = attempts, "reconnect failed; retrying");
                }
                Err(e) => return Err(Stop::Failed(ChatError::ReconnectFailed { attempts, last: Box::new(e) })),
            }
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
