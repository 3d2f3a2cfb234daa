//! Reading a response body whole, up to the configured limit.

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

use crate::error::TransportError;

/// Reads a body up to one byte past `limit`: enough to tell that it is over the limit, never
/// the whole of a body that is. A body whose `Content-Length` is over is not read at all (the
/// connection is then closed rather than drained). The caller refuses what is over.
pub(super) async fn read_limited<B>(
    headers: &::http::HeaderMap,
    mut body: B,
    limit: usize,
) -> Result<Bytes, TransportError>
where
    B: BodyExt<Data = Bytes> + Unpin,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let declared = super::declared_length(headers);
    if declared.is_some_and(|length| length > limit as u64) {
        return Ok(Bytes::new());
    }
    let wanted = limit.saturating_add(1);
    let mut read = BodyBuffer::new(declared.map_or(0, |length| length as usize).min(wanted));
    while read.len() < wanted {
        let Some(frame) = body.frame().await else { break };
        let frame = frame.map_err(|e| TransportError::new("reading the response body failed", e))?;
        if let Ok(data) = frame.into_data() {
            read.push(data.slice(..data.len().min(wanted - read.len())));
        }
    }
    Ok(read.finish())
}

/// The body read so far. A body that comes in one frame is kept as that frame, not copied; one
/// in several is copied once into a buffer sized from its `Content-Length`. (A buffer grown from
/// empty copied every body at least once and a 40 KB transcript page again at each doubling; in
/// paired runs against the commit that collected the frames instead, GetTranscript's CPU per
/// call leaned about 10% higher, within the spread: `xtask/bench/RESULTS.md`.)
struct BodyBuffer {
    first: Bytes,
    joined: Option<BytesMut>,
    declared: usize,
}

impl BodyBuffer {
    fn new(declared: usize) -> Self {
        Self { first: Bytes::new(), joined: None, declared }
    }

    fn len(&self) -> usize {
        self.joined.as_ref().map_or(self.first.len(), BytesMut::len)
    }

    fn push(&mut self, data: Bytes) {
        if let Some(joined) = &mut self.joined {
            joined.extend_from_slice(&data);
        } else if self.first.is_empty() {
            self.first = data;
        } else if !data.is_empty() {
            let mut joined = BytesMut::with_capacity(self.declared.max(self.first.len() + data.len()));
            joined.extend_from_slice(&self.first);
            joined.extend_from_slice(&data);
            self.joined = Some(joined);
        }
    }

    fn finish(self) -> Bytes {
        self.joined.map_or(self.first, BytesMut::freeze)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A body that gives the frames it was made of, one per poll.
    struct Frames(VecDeque<Bytes>);

    impl http_body::Body for Frames {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
            Poll::Ready(self.0.pop_front().map(|data| Ok(http_body::Frame::data(data))))
        }
    }

    fn body(frames: &[Bytes]) -> Frames {
        Frames(frames.iter().cloned().collect())
    }

    fn headers(length: Option<usize>) -> ::http::HeaderMap {
        let mut headers = ::http::HeaderMap::new();
        if let Some(length) = length {
            headers.insert(::http::header::CONTENT_LENGTH, length.into());
        }
        headers
    }

    #[tokio::test]
    async fn a_body_in_one_frame_is_not_copied() {
        let frame = Bytes::from(vec![b'x'; 40_000]);
        let read = read_limited(&headers(Some(40_000)), body(std::slice::from_ref(&frame)), 1 << 20).await.unwrap();
        assert_eq!(read.as_ptr(), frame.as_ptr(), "the frame itself, not a copy");
        assert_eq!(read.len(), 40_000);
    }

    #[tokio::test]
    async fn frames_are_joined_in_order() {
        let frames = [Bytes::from_static(b"{\"a\""), Bytes::new(), Bytes::from_static(b":1"), Bytes::from_static(b"}")];
        for length in [Some(9), None] {
            let read = read_limited(&headers(length), body(&frames), 1 << 20).await.unwrap();
            assert_eq!(&read[..], b"{\"a\":1}");
        }
    }

    #[tokio::test]
    async fn reading_stops_one_byte_past_the_limit() {
        let frames = [Bytes::from_static(b"0123"), Bytes::from_static(b"4567"), Bytes::from_static(b"89")];
        let read = read_limited(&headers(None), body(&frames), 5).await.unwrap();
        assert_eq!(&read[..], b"012345");
        let read = read_limited(&headers(None), body(&frames[..1]), 2).await.unwrap();
        assert_eq!(&read[..], b"012", "one frame over the limit is cut too");
        let read = read_limited(&headers(Some(10)), body(&frames), 5).await.unwrap();
        assert!(read.is_empty(), "a declared length over the limit is not read");
    }
}
