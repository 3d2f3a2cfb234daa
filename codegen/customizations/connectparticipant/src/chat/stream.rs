//! The reading half of a session: its events.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::mpsc;

use super::event::ChatEvent;
use super::sender::Task;

/// The events of a session, as a [`Stream`](futures_util::Stream) or through
/// [`next_event`](Self::next_event); from [`ChatSession::split`](super::ChatSession::split).
///
/// The session keeps running while this or any [`ChatSender`](super::ChatSender) is held;
/// dropping the last of them stops it. Events not read in time are dropped and counted in a
/// [`ChatEvent::Lagged`], so read them promptly (receipts sent from the reading task go
/// through [`ChatSender::queue_read`](super::ChatSender::queue_read), which does not wait).
#[derive(Debug)]
pub struct ChatEvents {
    events: mpsc::Receiver<Box<ChatEvent>>,
    _task: Arc<Task>,
}

impl ChatEvents {
    pub(crate) fn new(events: mpsc::Receiver<Box<ChatEvent>>, task: Arc<Task>) -> Self {
        Self { events, _task: task }
    }

    /// The next event; `None` once the session has stopped and every event was taken.
    pub async fn next_event(&mut self) -> Option<ChatEvent> {
        self.events.recv().await.map(|event| *event)
    }
}

impl futures_util::Stream for ChatEvents {
    type Item = ChatEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ChatEvent>> {
        self.get_mut().events.poll_recv(cx).map(|event| event.map(|event| *event))
    }
}
