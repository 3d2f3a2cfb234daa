//! The session's upkeep: commands from the handle, receipts on their schedule, and the
//! connection token refreshed before it expires. Calls run as jobs of the task.

use std::time::Duration;

use tokio::time::Instant;

use crate::types::ConnectionType;

use super::call::answer;
use super::clock;
use super::driver::{Command, Done, Driver};
use super::error::ChatError;
use super::event::{self, ReceiptKind};
use super::receipts;
use super::secret::Secret;

/// The longest the token refresh floor grows to while expiries keep looking already due.
const LONGEST_REFRESH_FLOOR: Duration = Duration::from_secs(3600);
/// When a refresh failed or brought no token: the next try.
const REFRESH_RETRY: Duration = Duration::from_secs(300);

impl Driver {
    /// Takes a command; `false` when the session closes.
    pub(crate) fn take(&mut self, command: Option<Box<Command>>) -> bool {
        match command.map(|command| *command) {
            None | Some(Command::Close) => false,
            Some(Command::Receipt { kind, message_id, reply }) => {
                self.receipts.request(kind, message_id, Instant::now(), reply);
                true
            }
            Some(Command::Sent { id }) => {
                self.note_sent(id);
                true
            }
        }
    }

    /// Sends the receipts that are due, each in its own job.
    pub(crate) fn send_receipts(&mut self) {
        for batch in self.receipts.take_due(Instant::now()) {
            let client = self.client.clone();
            let token = self.shared.token();
            let limit = self.options.request_timeout;
            self.jobs.spawn(async move {
                let content_type = if batch.kind == ReceiptKind::Read {
                    event::content_type::READ
                } else {
                    event::content_type::DELIVERED
                };
                let content = serde_json::json!({ "messageId": batch.message_id }).to_string();
                let call = client.send_event(content_type, token).content(content).send();
                let (outcome, id) = match answer("SendEvent", limit, tokio::time::timeout(limit, call).await) {
                    Ok(output) => (Ok(receipts::ReceiptOutcome::Sent), output.id),
                    Err(e) => (Err(e), None),
                };
                let accepted = outcome.is_ok();
                if let Err(error) = &outcome {
                    // A queued receipt has no one waiting for its result: the log is where it shows.
                    tracing::warn!(error = %error, "a receipt could not be sent");
                }
                let mut replies = batch.replies.into_iter();
                if let Some(first) = replies.next() {
                    for reply in replies {
                        let shared = match &outcome {
                            Ok(o) => Ok(*o),
                            Err(e) => Err(e.duplicate("SendEvent")),
                        };
                        let _ = reply.send(shared);
                    }
                    let _ = first.send(outcome);
                }
                Done::Receipt { kind: batch.kind, message_id: batch.message_id, accepted, id }
            });
        }
    }

    /// Asks for a new connection token in a job.
    pub(crate) fn start_refresh(&mut self) {
        self.refreshing = true;
        let (client, token, limit) =
            (self.client.clone(), self.participant_token.clone(), self.options.request_timeout);
        self.jobs.spawn(async move {
            let asked = Instant::now();
            let call = client
                .create_participant_connection(token.expose())
                .r#type([ConnectionType::ConnectionCredentials])
                .send();
            let result = answer("CreateParticipantConnection", limit, tokio::time::timeout(limit, call).await);
            let result = result.and_then(|output| {
                let credentials = output.connection_credentials;
                let token = credentials.as_ref().and_then(|c| c.connection_token.clone());
                let token =
                    token.ok_or_else(|| ChatError::missing("CreateParticipantConnection", "ConnectionToken"))?;
                let expiry = credentials.and_then(|c| c.expiry).as_deref().and_then(clock::until);
                Ok((Secret::new(token), expiry.map(|d| clock::after(asked, d))))
            });
            Done::Token(result)
        });
    }

    /// Takes a refresh's result.
    pub(crate) fn refreshed(&mut self, result: Result<(Secret, Option<Instant>), ChatError>) {
        self.refreshing = false;
        match result {
            Ok((token, expiry)) => {
                self.shared.set_token(token);
                self.schedule_refresh(expiry);
                tracing::debug!("connection token refreshed");
            }
            Err(e) => {
                tracing::warn!(error = %e, "token refresh failed; trying again in 5 minutes");
                self.token_refresh_at = Some(Instant::now() + REFRESH_RETRY);
            }
        }
    }

    /// Plans the next refresh: `token_refresh_margin` before `expiry`, but never sooner than
    /// the refresh floor from now. While expiries keep looking already due (a skewed clock, a
    /// lifetime shorter than the margin) the floor doubles, up to an hour; a sane expiry resets
    /// it.
    pub(crate) fn schedule_refresh(&mut self, expiry: Option<Instant>) {
        let Some(expiry) = expiry else {
            self.token_refresh_at = None;
            return;
        };
        let now = Instant::now();
        let wanted = expiry.checked_sub(self.options.token_refresh_margin).unwrap_or(now);
        let earliest = clock::after(now, self.refresh_floor);
        if wanted >= earliest {
            self.refresh_floor = self.options.token_refresh_floor;
            self.token_refresh_at = Some(wanted);
        } else {
            self.token_refresh_at = Some(earliest);
            self.refresh_floor =
                (self.refresh_floor * 2).min(LONGEST_REFRESH_FLOOR.max(self.options.token_refresh_floor));
        }
    }
}
