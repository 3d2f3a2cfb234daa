//! In-memory connections to the emulator, with a fault layer between client and emulator.
//!
//! Every connection a [`MemoryLink`] opens passes through a [`LinkStream`]: by default it
//! forwards bytes untouched; the switches of [`LinkFaults`] make it late, silent, slow or broken.
//! A connection is classed by the request line the client writes first: `GET /ws?...` is the
//! chat socket, anything else a REST call (named by the last segment of its path, such as
//! `transcript` for GetTranscript). Faults apply to the bytes the emulator sends back, which is
//! where a client's waits are; what the client writes reaches the emulator unless the
//! connection is stalled.
//!
//! Everything waits on tokio timers, so the faults work on the paused clock.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, DuplexStream, ReadBuf};
use tokio::time::Sleep;

/// What a connection carries, known once the client has written its request line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Class {
    Unknown,
    Socket,
    /// A REST call: the last segment of its path (`connection`, `transcript`, `message`...).
    Rest(String),
}

/// A one-off REST fault, for the next calls of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestFault {
    /// The request is swallowed and nothing ever comes back (a half-open connection).
    Stall,
    /// The response arrives `piece` bytes at a time, one piece every `every`.
    Trickle {
        /// Bytes per piece.
        piece: usize,
        /// The time between pieces.
        every: Duration,
    },
}

#[derive(Default)]
struct Switches {
    latency: Duration,
    stall_sockets: bool,
    /// Bumped by [`LinkFaults::reset_sockets_mid_frame`]: sockets opened before it are cut.
    reset_epoch: u64,
    rest: HashMap<String, Vec<RestFault>>,
    /// Streams waiting on a switch (a stalled socket) to be woken when switches change.
    waiting: Vec<Waker>,
    faults_applied: u64,
}

/// The fault switches of every connection a [`MemoryLink`] opens (shared by its clones).
#[derive(Clone, Default)]
pub struct LinkFaults(Arc<Mutex<Switches>>);

impl std::fmt::Debug for LinkFaults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkFaults").finish_non_exhaustive()
    }
}

impl LinkFaults {
    fn lock(&self) -> MutexGuard<'_, Switches> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn changed(&self, change: impl FnOnce(&mut Switches)) {
        let mut switches = self.lock();
        change(&mut switches);
        for waker in switches.waiting.drain(..) {
            waker.wake();
        }
    }

    /// Holds back every chunk the emulator sends, on every connection, by `latency` (zero: off).
    pub fn set_latency(&self, latency: Duration) {
        self.changed(|s| s.latency = latency);
    }

    /// Makes every chat socket, open or new, half-open: what the client writes is swallowed and
    /// nothing comes back (the WebSocket handshake of a new one never completes), until turned
    /// off.
    pub fn stall_sockets(&self, stall: bool) {
        self.changed(|s| {
            s.stall_sockets = stall;
            s.faults_applied += u64::from(stall);
        });
    }

    /// Cuts every open chat socket in the middle of the next frame the emulator sends it: part
    /// of the frame arrives, then the connection is reset.
    pub fn reset_sockets_mid_frame(&self) {
        self.changed(|s| s.reset_epoch += 1);
    }

    /// The next `count` calls of the operation whose path ends in `/participant/{segment}`
    /// (such as `transcript`, `connection`, `message`) meet `fault`.
    pub fn rest_fault(&self, segment: &str, fault: RestFault, count: usize) {
        self.changed(|s| s.rest.entry(segment.to_owned()).or_default().extend(std::iter::repeat_n(fault, count)));
    }

    /// How many faults have been applied so far (stalls, resets, REST faults).
    pub fn applied(&self) -> u64 {
        self.lock().faults_applied
    }
}

/// In-memory connections to an emulator; see [`Emulator::memory_link`](crate::Emulator::memory_link).
#[derive(Clone)]
pub struct MemoryLink {
    pub(crate) state: Arc<crate::state::State>,
    pub(crate) faults: LinkFaults,
}

impl std::fmt::Debug for MemoryLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryLink").finish_non_exhaustive()
    }
}

impl MemoryLink {
    /// A new connection, served by the emulator, through the fault layer.
    pub fn open(&self) -> LinkStream {
        let (client, server) = tokio::io::duplex(256 * 1024);
        tokio::spawn(crate::serve(Arc::clone(&self.state), server));
        let reset_epoch = self.faults.lock().reset_epoch;
        LinkStream {
            inner: client,
            faults: self.faults.clone(),
            class: Class::Unknown,
            request_line: Vec::new(),
            rest_fault: None,
            reset_epoch,
            held: Vec::new(),
            delay: None,
            broken: false,
        }
    }

    /// The fault switches of this link's connections.
    pub fn faults(&self) -> &LinkFaults {
        &self.faults
    }
}

/// One connection through the fault layer.
pub struct LinkStream {
    inner: DuplexStream,
    faults: LinkFaults,
    class: Class,
    /// The start of what the client wrote, until its request line is complete.
    request_line: Vec<u8>,
    rest_fault: Option<RestFault>,
    /// The reset epoch when this stream opened: a later one cuts it mid-frame.
    reset_epoch: u64,
    /// Bytes read from the emulator, not yet handed to the client.
    held: Vec<u8>,
    /// When the held bytes (or the next piece of them) may be handed over.
    delay: Option<Pin<Box<Sleep>>>,
    /// Reset: every later read fails.
    broken: bool,
}

impl std::fmt::Debug for LinkStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkStream").field("class", &self.class).finish_non_exhaustive()
    }
}

impl LinkStream {
    fn classify(&mut self, written: &[u8]) {
        if self.class != Class::Unknown || self.request_line.len() > 4096 {
            return;
        }
        self.request_line.extend_from_slice(written);
        let Some(end) = self.request_line.iter().position(|b| *b == b'\n') else { return };
        let line = String::from_utf8_lossy(&self.request_line[..end]).into_owned();
        let path = line.split(' ').nth(1).unwrap_or_default();
        self.class = if path.starts_with("/ws?") || path == "/ws" {
            Class::Socket
        } else {
            Class::Rest(path.rsplit('/').next().unwrap_or_default().to_owned())
        };
        if let Class::Rest(segment) = &self.class {
            let mut switches = self.faults.lock();
            if let Some(queue) = switches.rest.get_mut(segment)
                && !queue.is_empty()
            {
                self.rest_fault = Some(queue.remove(0));
                switches.faults_applied += 1;
            }
        }
        self.request_line = Vec::new();
    }

    /// Whether this connection answers nothing (now); a reader registers to be woken when that
    /// changes.
    fn stalled(&self, cx: &Context<'_>, reader: bool) -> bool {
        let mut switches = self.faults.lock();
        let stalled = match &self.class {
            Class::Socket => switches.stall_sockets,
            Class::Rest(_) => self.rest_fault == Some(RestFault::Stall),
            Class::Unknown => false,
        };
        if stalled && reader && !switches.waiting.iter().any(|w| w.will_wake(cx.waker())) {
            switches.waiting.push(cx.waker().clone());
        }
        stalled
    }
}

impl AsyncRead for LinkStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.broken {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset by the fault layer")));
        }
        if this.stalled(cx, true) {
            return Poll::Pending;
        }
        if this.held.is_empty() {
            let mut chunk = [0u8; 16 * 1024];
            let mut read = ReadBuf::new(&mut chunk);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) if read.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => this.held.extend_from_slice(read.filled()),
            }
            let latency = this.faults.lock().latency;
            if !latency.is_zero() {
                this.delay = Some(Box::pin(tokio::time::sleep(latency)));
            }
            let epoch = this.faults.lock().reset_epoch;
            if this.class == Class::Socket && epoch != this.reset_epoch && this.held.len() >= 2 {
                // Part of the frame, then the reset.
                this.held.truncate(this.held.len() / 2);
                this.broken = true;
                this.faults.lock().faults_applied += 1;
            }
        }
        if let Some(delay) = &mut this.delay {
            if delay.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.delay = None;
        }
        let mut take = this.held.len().min(buf.remaining());
        if let Some(RestFault::Trickle { piece, every }) = this.rest_fault {
            take = take.min(piece.max(1));
            if take < this.held.len() {
                this.delay = Some(Box::pin(tokio::time::sleep(every)));
            }
        }
        buf.put_slice(&this.held[..take]);
        this.held.drain(..take);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for LinkStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.broken {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset by the fault layer")));
        }
        this.classify(data);
        if this.stalled(cx, false) {
            // Accepted and dropped: the peer never hears of it.
            return Poll::Ready(Ok(data.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, data)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
