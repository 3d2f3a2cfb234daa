//! Receipt rules: which delivered / read receipts are sent, and when.
//!
//! As the JavaScript library does: no delivered receipt after a read one for the same message,
//! never the same receipt twice; a read receipt is due at once, a delivered one after a short
//! delay; with throttling on, at most one request goes out per window, the last one asked for
//! (plus the newest read receipt when the last is a delivered one), and every request it stands
//! for gets its result.

use std::collections::HashSet;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::Instant;

use super::error::ChatError;
use super::event::ReceiptKind;
use super::window::Window;

/// How many sent receipts are remembered (to never send one twice): the most recent.
const REMEMBERED: usize = 1024;

/// What became of a receipt request.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptOutcome {
    /// Sent (by itself, or as part of a later receipt that stands for it).
    Sent,
    /// Not sent, and why.
    Skipped(SkipReason),
}

/// Why a receipt was not sent.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The message was already marked read: a delivered receipt would go back in time.
    AlreadyRead,
    /// The same receipt was already sent or is on its way.
    AlreadySent,
    /// The chat has ended.
    ChatEnded,
}

/// Where the result of one request goes.
pub(crate) type Reply = oneshot::Sender<Result<ReceiptOutcome, ChatError>>;

struct Pending {
    kind: ReceiptKind,
    message_id: String,
    due: Instant,
    replies: Vec<Reply>,
}

/// One receipt to send, and every request waiting on its result.
pub(crate) struct Batch {
    pub kind: ReceiptKind,
    pub message_id: String,
    pub replies: Vec<Reply>,
}

pub(crate) struct Receipts {
    /// Receipts the service accepted (or reported as this participant's).
    sent: Window<(ReceiptKind, String)>,
    /// Receipts on their way: marked sent only when the call succeeds.
    in_flight: HashSet<(ReceiptKind, String)>,
    pending: Vec<Pending>,
    last_sent: Option<Instant>,
    window: Duration,
    delivered_delay: Duration,
    throttle: bool,
    ended: bool,
}

impl Receipts {
    pub(crate) fn new(window: Duration, delivered_delay: Duration, throttle: bool) -> Self {
        Self {
            sent: Window::new(REMEMBERED),
            in_flight: HashSet::new(),
            pending: Vec::new(),
            last_sent: None,
            window,
            delivered_delay,
            throttle,
            ended: false,
        }
    }

    fn known(&self, kind: ReceiptKind, id: &str) -> bool {
        let key = (kind, id.to_owned());
        self.sent.contains(&key)
            || self.in_flight.contains(&key)
            || self.pending.iter().any(|p| p.kind == kind && p.message_id == id)
    }

    /// A receipt asked for at `now`; answered at once when it is skipped.
    pub(crate) fn request(&mut self, kind: ReceiptKind, message_id: String, now: Instant, reply: Reply) {
        let skip = if self.ended {
            Some(SkipReason::ChatEnded)
        } else if self.known(ReceiptKind::Read, &message_id) {
            Some(if kind == ReceiptKind::Read { SkipReason::AlreadySent } else { SkipReason::AlreadyRead })
        } else if kind == ReceiptKind::Delivered && self.known(ReceiptKind::Delivered, &message_id) {
            Some(SkipReason::AlreadySent)
        } else {
            None
        };
        if let Some(reason) = skip {
            let _ = reply.send(Ok(ReceiptOutcome::Skipped(reason)));
            return;
        }
        if kind == ReceiptKind::Read {
            // A pending delivered receipt of the same message is moot once it is read.
            for moot in self.take(|p| p.kind == ReceiptKind::Delivered && p.message_id == message_id) {
                moot.replies
                    .into_iter()
                    .for_each(|r| drop(r.send(Ok(ReceiptOutcome::Skipped(SkipReason::AlreadyRead)))));
            }
        }
        let delay = if kind == ReceiptKind::Read { Duration::ZERO } else { self.delivered_delay };
        self.pending.push(Pending { kind, message_id, due: now + delay, replies: vec![reply] });
    }

    /// A receipt this participant is known to have sent (seen in the transcript or echoed).
    pub(crate) fn note_sent(&mut self, kind: ReceiptKind, message_id: &str) {
        self.sent.insert((kind, message_id.to_owned()));
    }

    /// When the next batch is due.
    pub(crate) fn next_due(&self) -> Option<Instant> {
        let earliest = self.pending.iter().map(|p| p.due).min()?;
        match self.last_sent {
            Some(last) if self.throttle => Some(earliest.max(last + self.window)),
            _ => Some(earliest),
        }
    }

    /// The receipts to send at `now`.
    pub(crate) fn take_due(&mut self, now: Instant) -> Vec<Batch> {
        if self.next_due().is_none_or(|due| due > now) {
            return Vec::new();
        }
        let due = self.take(|p| p.due <= now);
        let mut batches: Vec<Batch> = if self.throttle {
            let mut due = due;
            let mut last = due.pop().expect("something is due");
            let newest_read = if last.kind == ReceiptKind::Delivered {
                due.iter().rposition(|p| p.kind == ReceiptKind::Read).map(|i| due.remove(i))
            } else {
                None
            };
            // Every earlier request shares the result of the one that stands for it.
            for earlier in due {
                last.replies.extend(earlier.replies);
            }
            newest_read.into_iter().chain([last]).map(Batch::from).collect()
        } else {
            due.into_iter().map(Batch::from).collect()
        };
        for batch in &mut batches {
            self.in_flight.insert((batch.kind, batch.message_id.clone()));
        }
        self.last_sent = Some(now);
        batches
    }

    /// A batch's call finished: a receipt the service took is never sent again; a failed one
    /// may be asked for again.
    pub(crate) fn finished(&mut self, kind: ReceiptKind, message_id: String, accepted: bool) {
        let key = (kind, message_id);
        self.in_flight.remove(&key);
        if accepted {
            self.sent.insert(key);
        }
    }

    /// The chat ended: every pending and later request is skipped.
    pub(crate) fn end(&mut self) {
        self.ended = true;
        for pending in std::mem::take(&mut self.pending) {
            pending.replies.into_iter().for_each(|r| drop(r.send(Ok(ReceiptOutcome::Skipped(SkipReason::ChatEnded)))));
        }
    }

    fn take(&mut self, mut matches: impl FnMut(&Pending) -> bool) -> Vec<Pending> {
        let (taken, kept) = std::mem::take(&mut self.pending).into_iter().partition(|p| matches(p));
        self.pending = kept;
        taken
    }
}

impl From<Pending> for Batch {
    fn from(p: Pending) -> Self {
        Batch { kind: p.kind, message_id: p.message_id, replies: p.replies }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(
        receipts: &mut Receipts,
        kind: ReceiptKind,
        id: &str,
        now: Instant,
    ) -> oneshot::Receiver<Result<ReceiptOutcome, ChatError>> {
        let (reply, result) = oneshot::channel();
        receipts.request(kind, id.to_owned(), now, reply);
        result
    }

    fn sent(batches: &[Batch]) -> Vec<(ReceiptKind, &str)> {
        batches.iter().map(|b| (b.kind, b.message_id.as_str())).collect()
    }

    #[test]
    fn a_read_makes_a_pending_delivered_moot_and_goes_at_once() {
        let mut receipts = Receipts::new(Duration::from_secs(5), Duration::from_millis(300), true);
        let now = Instant::now();
        let mut delivered = ask(&mut receipts, ReceiptKind::Delivered, "m", now);
        assert_eq!(receipts.next_due(), Some(now + Duration::from_millis(300)));
        let _read = ask(&mut receipts, ReceiptKind::Read, "m", now);
        assert!(matches!(delivered.try_recv(), Ok(Ok(ReceiptOutcome::Skipped(SkipReason::AlreadyRead)))));
        assert_eq!(receipts.next_due(), Some(now));
        assert_eq!(sent(&receipts.take_due(now)), [(ReceiptKind::Read, "m")]);
        let mut on_its_way = ask(&mut receipts, ReceiptKind::Read, "m", now);
        assert!(matches!(on_its_way.try_recv(), Ok(Ok(ReceiptOutcome::Skipped(SkipReason::AlreadySent)))));
        receipts.finished(ReceiptKind::Read, "m".into(), true);
        let mut again = ask(&mut receipts, ReceiptKind::Read, "m", now);
        assert!(matches!(again.try_recv(), Ok(Ok(ReceiptOutcome::Skipped(SkipReason::AlreadySent)))));
    }

    #[test]
    fn one_request_per_window_standing_for_the_others() {
        let mut receipts = Receipts::new(Duration::from_secs(5), Duration::from_millis(300), true);
        let start = Instant::now();
        let _first = ask(&mut receipts, ReceiptKind::Read, "a", start);
        assert_eq!(receipts.take_due(start).len(), 1);
        let _b = ask(&mut receipts, ReceiptKind::Read, "b", start);
        let _c = ask(&mut receipts, ReceiptKind::Read, "c", start);
        let _d = ask(&mut receipts, ReceiptKind::Delivered, "d", start);
        assert!(receipts.take_due(start + Duration::from_secs(4)).is_empty(), "the window is still open");
        assert_eq!(receipts.next_due(), Some(start + Duration::from_secs(5)));
        let batches = receipts.take_due(start + Duration::from_secs(5));
        assert_eq!(sent(&batches), [(ReceiptKind::Read, "c"), (ReceiptKind::Delivered, "d")]);
        assert_eq!(batches[1].replies.len(), 2, "the delivered receipt stands for the read of b too");
    }

    #[test]
    fn a_failed_receipt_can_be_asked_for_again() {
        let mut receipts = Receipts::new(Duration::from_secs(5), Duration::from_millis(300), false);
        let now = Instant::now();
        let _first = ask(&mut receipts, ReceiptKind::Read, "m", now);
        assert_eq!(receipts.take_due(now).len(), 1);
        receipts.finished(ReceiptKind::Read, "m".into(), false);
        let _second = ask(&mut receipts, ReceiptKind::Read, "m", now);
        assert_eq!(sent(&receipts.take_due(now)), [(ReceiptKind::Read, "m")]);
    }

    #[test]
    fn nothing_after_the_end() {
        let mut receipts = Receipts::new(Duration::from_secs(5), Duration::from_millis(300), true);
        let now = Instant::now();
        let mut pending = ask(&mut receipts, ReceiptKind::Delivered, "m", now);
        receipts.end();
        assert!(matches!(pending.try_recv(), Ok(Ok(ReceiptOutcome::Skipped(SkipReason::ChatEnded)))));
        let mut later = ask(&mut receipts, ReceiptKind::Read, "n", now);
        assert!(matches!(later.try_recv(), Ok(Ok(ReceiptOutcome::Skipped(SkipReason::ChatEnded)))));
        assert_eq!(receipts.next_due(), None);
    }
}
