//! Paging through the results of paginated operations.
//!
//! A [`Paginator`] fetches one page at a time, when asked for it, by following the operation's
//! next-page token until the service stops returning one. It is a [`futures_core::Stream`] of
//! pages and also offers [`Paginator::next_page`] for code without stream combinators.
//! A service that hands back a token it already gave ends the stream (with a warning in the
//! logs) instead of looping forever.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Error;

/// A page being fetched.
pub(crate) type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, Error<E>>> + Send>>;

type Fetch<O, E> = Box<dyn Fn(Option<String>) -> PageFuture<O, E> + Send + Sync>;

enum State<O, E> {
    /// The next request goes out with this token.
    Ready(Option<String>),
    Fetching(PageFuture<O, E>),
    Done,
}

/// The pages of a paginated call, fetched lazily.
pub struct Paginator<O, E> {
    fetch: Fetch<O, E>,
    next_token: fn(&O) -> Option<&str>,
    state: State<O, E>,
    seen: HashSet<String>,
}

impl<O, E> fmt::Debug for Paginator<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(_) => "ready",
            State::Fetching(_) => "fetching",
            State::Done => "done",
        };
        f.debug_struct("Paginator").field("state", &state).field("pages_requested", &self.seen.len()).finish()
    }
}

impl<O, E> Paginator<O, E> {
    /// A paginator whose first request carries `first_token` and whose pages are fetched by
    /// `fetch`; `next_token` reads the token of the following page from a page.
    #[allow(dead_code, reason = "generated paginated operations call it; the runtime crate alone has none")]
    pub(crate) fn new(
        first_token: Option<String>,
        fetch: impl Fn(Option<String>) -> PageFuture<O, E> + Send + Sync + 'static,
        next_token: fn(&O) -> Option<&str>,
    ) -> Self {
        Self { fetch: Box::new(fetch), next_token, state: State::Ready(first_token), seen: HashSet::new() }
    }

    /// The next page; `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<O, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every item of every page, in order, given how to take the items out of a page.
    pub fn items<T>(self, items_of: fn(O) -> Vec<T>) -> Items<T, O, E> {
        Items { pages: self, items_of, buffer: VecDeque::new() }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, Error<E>>>> {
        loop {
            match &mut self.state {
                State::Done => return Poll::Ready(None),
                State::Ready(token) => {
                    let token = token.take();
                    if let Some(token) = &token {
                        self.seen.insert(token.clone());
                    }
                    self.state = State::Fetching((self.fetch)(token));
                }
                State::Fetching(future) => {
                    let result = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(result) => result,
                    };
                    self.state = State::Done;
                    let page = match result {
                        Ok(page) => page,
                        Err(error) => return Poll::Ready(Some(Err(error))),
                    };
                    match (self.next_token)(&page) {
                        Some("") | None => {}
                        Some(token) if self.seen.contains(token) => {
                            tracing::warn!(token, "the service returned a pagination token it already gave; stopping");
                        }
                        Some(token) => self.state = State::Ready(Some(token.to_owned())),
                    }
                    return Poll::Ready(Some(Ok(page)));
                }
            }
        }
    }
}

impl<O, E> futures_core::Stream for Paginator<O, E> {
    type Item = Result<O, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of every page of a paginated call, fetched lazily.
pub struct Items<T, O, E> {
    pages: Paginator<O, E>,
    items_of: fn(O) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<T, O, E> fmt::Debug for Items<T, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

impl<T, O, E> Items<T, O, E> {
    /// The next item; `None` after the last one (or after an error).
    pub async fn next_item(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error<E>>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffer.extend((self.items_of)(page)),
            }
        }
    }
}

impl<T: Unpin, O, E> futures_core::Stream for Items<T, O, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
