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
