//! Attachments: checked locally, then StartAttachmentUpload, a `PUT` of the bytes to the
//! pre-signed URL (streamed from the file through the crate's HTTP transport), then
//! CompleteAttachmentUpload; and downloads streamed to a writer.

use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use http_body_util::StreamBody;
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::Client;
use crate::transport::{HttpClient, StreamingBody, http};

use super::error::ChatError;
use super::options::{ATTACHMENT_TYPES, ChatOptions};
use super::secret::Secret;

/// The size of the pieces a file is read and sent in. Small: hyper queues up to 16 pieces
/// before it waits for the socket.
pub(crate) const CHUNK: usize = 16 * 1024;

/// What to upload: bytes in memory, or a file read as it is sent.
#[derive(Debug, Clone)]
pub enum AttachmentSource {
    /// Bytes already in memory.
    Bytes(Bytes),
    /// A file, streamed: never read whole into memory.
    File(PathBuf),
}

impl From<Bytes> for AttachmentSource {
    fn from(bytes: Bytes) -> Self {
        AttachmentSource::Bytes(bytes)
    }
}

impl From<Vec<u8>> for AttachmentSource {
    fn from(bytes: Vec<u8>) -> Self {
        AttachmentSource::Bytes(bytes.into())
    }
}

impl From<PathBuf> for AttachmentSource {
    fn from(path: PathBuf) -> Self {
        AttachmentSource::File(path)
    }
}

impl From<&Path> for AttachmentSource {
    fn from(path: &Path) -> Self {
        AttachmentSource::File(path.to_owned())
    }
}

/// The documented content type of a file, from its extension (`None` for types the service
/// does not document for attachments).
pub fn content_type_for(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    ATTACHMENT_TYPES.iter().find(|(ext, _)| *ext == extension).map(|(_, content_type)| *content_type)
}

/// Uploads an attachment; returns its id.
pub(crate) async fn upload(
    client: &Client,
    transport: &dyn HttpClient,
    token: String,
    options: &ChatOptions,
    name: &str,
    content_type: &str,
    source: AttachmentSource,
) -> Result<String, ChatError> {
    if !options.attachment_content_types.iter().any(|allowed| allowed.eq_ignore_ascii_case(content_type)) {
        return Err(ChatError::AttachmentRejected(format!("content type {content_type:?} is not accepted")));
    }
    if name.is_empty() || name.chars().count() > 256 {
        return Err(ChatError::AttachmentRejected("the name must have 1 to 256 characters".into()));
    }
    let size = match &source {
        AttachmentSource::Bytes(bytes) => bytes.len() as u64,
        AttachmentSource::File(path) => tokio::fs::metadata(path).await?.len(),
    };
    if size == 0 || size > options.max_attachment_size {
        return Err(ChatError::AttachmentRejected(format!(
            "{size} bytes; attachments must have 1 to {} bytes",
            options.max_attachment_size
        )));
    }
    let started = client
        .start_attachment_upload(name, size as i64, content_type, token.clone())
        .send()
        .await
        .map_err(|e| ChatError::service("StartAttachmentUpload", e))?;
    let missing = |member: &str| ChatError::missing("StartAttachmentUpload", member);
    let attachment_id = started.attachment_id.ok_or_else(|| missing("AttachmentId"))?;
    let metadata = started.upload_metadata.ok_or_else(|| missing("UploadMetadata"))?;
    let url = Secret::new(metadata.url.ok_or_else(|| missing("UploadMetadata.Url"))?);

    let body = match source {
        AttachmentSource::Bytes(bytes) => StreamingBody::from_bytes(bytes),
        AttachmentSource::File(path) => file_body(tokio::fs::File::open(&path).await?.take(size)),
    };
    let mut request = http::Request::put(url.expose());
    for (name, value) in metadata.headers_to_include.iter().flatten() {
        request = request.header(name.as_str(), value.as_str());
    }
    // The length is known: the body goes with Content-Length, not chunked (which pre-signed
    // URLs refuse).
    let request = request
        .header(http::header::CONTENT_LENGTH, size)
        .body(body)
        .map_err(|_| ChatError::InvalidInput("the upload headers are not valid HTTP headers".into()))?;
    let response = transport.send_streaming(request).await.map_err(ChatError::Transport)?;
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return Err(ChatError::UploadFailed { status });
    }
    client
        .complete_attachment_upload([attachment_id.clone()], token)
        .send()
        .await
        .map_err(|e| ChatError::service("CompleteAttachmentUpload", e))?;
    Ok(attachment_id)
}

/// A body that reads `reader` a piece at a time as the transport asks for it.
fn file_body(reader: impl tokio::io::AsyncRead + Unpin + Send + 'static) -> StreamingBody {
    let chunks = futures_util::stream::try_unfold(reader, |mut reader| async move {
        let mut buffer = BytesMut::with_capacity(CHUNK);
        match reader.read_buf(&mut buffer).await? {
            0 => Ok::<_, std::io::Error>(None),
            _ => Ok(Some((http_body::Frame::data(buffer.freeze()), reader))),
        }
    });
    StreamingBody::new(StreamBody::new(chunks))
}

/// Downloads an attachment into `destination`; returns the number of bytes written.
pub(crate) async fn download(
    client: &Client,
    transport: &dyn HttpClient,
    token: String,
    attachment_id: &str,
    destination: &mut (impl AsyncWrite + Unpin),
) -> Result<u64, ChatError> {
    let output =
        client.get_attachment(attachment_id, token).send().await.map_err(|e| ChatError::service("GetAttachment", e))?;
    let url = Secret::new(output.url.ok_or_else(|| ChatError::missing("GetAttachment", "Url"))?);
    let request = http::Request::get(url.expose())
        .body(StreamingBody::from_bytes(Bytes::new()))
        .map_err(|_| ChatError::InvalidInput("the attachment URL is not a valid URL".into()))?;
    let response = transport.send_streaming(request).await.map_err(ChatError::Transport)?;
    if !response.status().is_success() {
        return Err(ChatError::DownloadFailed { status: response.status().as_u16() });
    }
    let mut body = response.into_body();
    let mut written = 0u64;
    while let Some(chunk) = body.chunk().await {
        let chunk = chunk.map_err(ChatError::Transport)?;
        destination.write_all(&chunk).await?;
        written += chunk.len() as u64;
    }
    destination.flush().await?;
    Ok(written)
}
