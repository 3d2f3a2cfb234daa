//! Filling the gap after a reconnect or a socket replacement: what the transcript has that the
//! socket did not bring.
//!
//! GetTranscript's documented defaults: `BACKWARD` without a start position, `FORWARD` with one,
//! and FORWARD without a start reads from the most recent item (so it finds nothing). Hence:
//!
//! - after an item was delivered: FORWARD from its id (the Android SDK's way), every page;
//! - when that id is refused (400 / 404): FORWARD from its `AbsoluteTime` (the service's own
//!   clock, not ours);
//! - before any item was delivered: BACKWARD from the most recent (the JavaScript library's way),
//!   pages back to the start, delivered oldest first.
//!
//! Each page is tried `gap_fill_attempts` times (429, 5xx, timeouts and network failures, with
//! backoff); at most `gap_fill_pages` pages are read, and a `NextToken` the service repeats ends
//! the paging. Whatever was read is delivered, in the order of the items' times (as times:
//! `...:01Z` before `...:01.5Z`); a fill that stopped short is reported as
//! [`ChatEvent::GapNotFilled`](super::ChatEvent::GapNotFilled), and the next fill starts again
//! from the last item delivered.

use std::collections::HashSet;
use std::sync::Arc;

use crate::Client;
use crate::types::{Item, ScanDirection, SortKey, StartPosition};

use super::backoff::Backoff;
use super::call::answer;
use super::clock;
use super::driver::{Done, Driver};
use super::error::ChatError;
use super::event::{ChatEvent, ConnectionState, ErrorEvent};
use super::options::ChatOptions;

/// Where a read of the transcript starts.
#[derive(Debug, Clone)]
enum Start {
    /// FORWARD from this item.
    Id(String),
    /// FORWARD from this time.
    Time(String),
    /// BACKWARD from the most recent item.
    MostRecent,
}

impl Driver {
    /// Starts a fill in a job; live items wait until it is done. `announce`: say
    /// `Restored` when it succeeds (after a loss; a socket replacement is silent).
    pub(crate) fn start_fill(&mut self, announce: bool) {
        self.fill_round += 1;
        let round = self.fill_round;
        self.filling = Some(round);
        // A loss announced by an earlier fill that this one supersedes is still announced.
        self.announce_fill |= announce;
        let (client, token, options) = (self.client.clone(), self.shared.token(), Arc::clone(&self.options));
        let last = self.last_item.clone();
        self.jobs.spawn(async move {
            let (items, error) = missed(&client, &token, &options, last).await;
            Done::Filled { round, items, error }
        });
    }

    /// Delivers what a fill read, says how it went, then delivers the live items held
    /// meanwhile; returns whether the chat ended.
    pub(crate) fn filled(&mut self, round: u64, items: Vec<Item>, error: Option<ChatError>) -> bool {
        let current = self.filling == Some(round);
        for item in items {
            if self.deliver(item, None) {
                return true;
            }
        }
        if !current {
            // An older fill, finished late: its items are delivered (once), nothing announced.
            return false;
        }
        self.filling = None;
        match error {
            Some(error) => {
                tracing::warn!(error = %error, "filling the gap failed");
                self.emit(ChatEvent::GapNotFilled(ErrorEvent(Arc::new(error))));
            }
            None if self.announce_fill => self.emit(ChatEvent::Connection(ConnectionState::Restored)),
            None => {}
        }
        self.announce_fill = false;
        std::mem::take(&mut self.held).into_iter().any(|item| self.deliver_json(item))
    }
}

/// The items missed since `last` (id and time of the last item delivered), in time order, and
/// why the read stopped short, if it did.
async fn missed(
    client: &Client,
    token: &str,
    options: &ChatOptions,
    last: Option<(String, Option<String>)>,
) -> (Vec<Item>, Option<ChatError>) {
    let mut items = Vec::new();
    let first = match &last {
        Some((id, _)) => Start::Id(id.clone()),
        None => Start::MostRecent,
    };
    let mut result = read(client, token, options, first, &mut items).await;
    if let Err(e) = &result
        && matches!(e.status(), Some(400 | 404))
    {
        let fallback = match last {
            Some((_, Some(time))) => Start::Time(time),
            _ => Start::MostRecent,
        };
        tracing::warn!(error = %e, ?fallback, "the transcript refused the start item; reading from a fallback");
        result = read(client, token, options, fallback, &mut items).await;
    }
    // Stable: items of the same time keep the service's order.
    items.sort_by_key(|item| clock::sort_key(item.absolute_time.as_deref()));
    (items, result.err())
}

/// Reads pages from `start` into `items`.
async fn read(
    client: &Client,
    token: &str,
    options: &ChatOptions,
    start: Start,
    items: &mut Vec<Item>,
) -> Result<(), ChatError> {
    let mut next_token: Option<String> = None;
    let mut tokens_seen = HashSet::new();
    for _ in 0..options.gap_fill_pages {
        let page = page(client, token, options, &start, next_token.take()).await?;
        items.extend(page.transcript.unwrap_or_default());
        match page.next_token {
            None => return Ok(()),
            Some(token) if !tokens_seen.insert(token.clone()) => {
                return Err(short("the service repeated a NextToken"));
            }
            Some(token) => next_token = Some(token),
        }
    }
    match start {
        // Reading back through history: the most recent pages are what matters.
        Start::MostRecent => Ok(()),
        _ => Err(short(&format!("more than {} pages were missed", options.gap_fill_pages))),
    }
}

fn short(why: &str) -> ChatError {
    ChatError::Service { operation: "GetTranscript", status: None, message: why.to_owned() }
}

/// One page, tried up to `gap_fill_attempts` times.
async fn page(
    client: &Client,
    token: &str,
    options: &ChatOptions,
    start: &Start,
    next_token: Option<String>,
) -> Result<crate::operation::get_transcript::GetTranscriptOutput, ChatError> {
    let mut backoff = Backoff::new(options.backoff_base, options.backoff_cap);
    let mut attempt = 1;
    loop {
        let mut request = client.get_transcript(token).max_results(100).sort_order(SortKey::Ascending);
        request = match start {
            Start::Id(id) => {
                request.scan_direction(ScanDirection::Forward).start_position(StartPosition::new().id(id.clone()))
            }
            Start::Time(time) => request
                .scan_direction(ScanDirection::Forward)
                .start_position(StartPosition::new().absolute_time(time.clone())),
            Start::MostRecent => request.scan_direction(ScanDirection::Backward),
        };
        if let Some(token) = &next_token {
            request = request.next_token(token.clone());
        }
        let limit = options.request_timeout;
        match answer("GetTranscript", limit, tokio::time::timeout(limit, request.send()).await) {
            Err(e) if e.is_retryable() && attempt < options.gap_fill_attempts => {
                attempt += 1;
                tokio::time::sleep(backoff.next_delay()).await;
            }
            result => return result,
        }
    }
}
