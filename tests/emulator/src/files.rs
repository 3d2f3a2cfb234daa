//! The pre-signed URLs of attachments: `PUT /upload/<ticket>` stores the bytes in a file as they
//! arrive, `GET /download/<ticket>` streams them back.

use std::sync::Arc;

use bytes::BytesMut;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::http::{Body, status};
use crate::state::State;

pub(crate) async fn upload(state: &Arc<State>, ticket: &str, request: Request<Incoming>) -> Response<Body> {
    let (path, size, content_type, id) = {
        let inner = state.lock();
        if let Some(code) = inner.faults.upload_status {
            return status(code, "refused by the emulator's fault switch");
        }
        let id = match inner.transfer_tickets.get(ticket) {
            Some((id, true)) => id,
            Some((_, false)) => return status(403, "the upload URL has expired"),
            None => return status(403, "unknown upload URL"),
        };
        let attachment = &inner.attachments[id];
        (attachment.path.clone(), attachment.size, attachment.content_type.clone(), id.clone())
    };
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    // A pre-signed URL is signed over the headers it was issued with.
    if header("content-type") != content_type || header("x-amz-meta-attachment-id") != id {
        return status(403, "SignatureDoesNotMatch: the request lacks the headers the URL was issued with");
    }
    if header("content-length") != size.to_string() {
        return status(400, "the Content-Length differs from the announced size");
    }
    let Ok(mut file) = tokio::fs::File::create(&path).await else { return status(500, "cannot store the file") };
    file.set_max_buf_size(16 * 1024);
    let mut body = request.into_body();
    let mut written = 0u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return status(400, "the upload was cut") };
        if let Ok(data) = frame.into_data() {
            written += data.len() as u64;
            if file.write_all(&data).await.is_err() {
                return status(500, "cannot store the file");
            }
        }
    }
    if written != size || file.flush().await.is_err() {
        return status(400, "the upload is not the announced size");
    }
    if let Some(attachment) = state.lock().attachments.get_mut(&id) {
        attachment.uploaded = true;
    }
    status(200, "")
}

pub(crate) async fn download(state: &Arc<State>, ticket: &str) -> Response<Body> {
    let path = {
        let inner = state.lock();
        let id = match inner.transfer_tickets.get(ticket) {
            Some((id, true)) => id,
            Some((_, false)) => return status(403, "the download URL has expired"),
            None => return status(403, "unknown download URL"),
        };
        inner.attachments[id].path.clone()
    };
    let Ok(file) = tokio::fs::File::open(&path).await else { return status(404, "no such file") };
    let length = file.metadata().await.map(|m| m.len()).unwrap_or_default();
    let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
        let mut buffer = BytesMut::with_capacity(16 * 1024);
        match file.read_buf(&mut buffer).await? {
            0 => Ok::<_, std::io::Error>(None),
            _ => Ok(Some((Frame::data(buffer.freeze()), file))),
        }
    });
    Response::builder()
        .status(200)
        .header("Content-Length", length)
        .body(StreamBody::new(chunks).boxed())
        .expect("a valid response")
}
