//! Response bodies over `Config::max_response_body` are refused without being read whole,
//! against a raw HTTP/1.1 server on 127.0.0.1 that streams a body with no end.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use connectparticipant::config::{RetryConfig, TimeoutConfig};
use connectparticipant::{Client, Config, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const LIMIT: usize = 64 * 1024;

/// Serves every connection `head`, then `chunk` as chunked-encoding chunks until the client
/// hangs up (or `chunks` of them); returns the address and the count of body bytes written.
async fn endless_server(head: &'static str, chunks: Option<usize>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&written);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut request = vec![0; 16 * 1024];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 8192, "a".repeat(8192));
                let mut sent = 0;
                while chunks.is_none_or(|limit| sent < limit) {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                    counter.fetch_add(8192, Ordering::Relaxed);
                    sent += 1;
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    (address, written)
}

fn client(endpoint: &str) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url(endpoint)
        .retry(RetryConfig::disabled())
        // Only a guard: a client that read the endless body whole would never finish.
        .timeouts(TimeoutConfig::default().with_operation(Some(std::time::Duration::from_secs(60))))
        .max_response_body(LIMIT)
        .build()
        .unwrap();
    Client::new(config)
}

#[tokio::test]
async fn an_endless_body_is_refused_one_byte_past_the_limit() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    let (endpoint, written) = endless_server(head, None).await;
    let error = client(&endpoint).get_transcript("token").send().await.unwrap_err();
    let Error::Response(response) = &error else { panic!("expected a response error, got {error:?}") };
    assert_eq!(response.raw.status(), 200);
    assert_eq!(response.raw.body().len(), LIMIT + 1, "reading stops one byte past the limit");
    assert!(error.to_string().contains(&format!("over the limit of {LIMIT} bytes")), "{error}");
    // The server may have filled socket buffers ahead of the reader, but not much more.
    assert!(written.load(Ordering::Relaxed) < 64 * LIMIT, "{} bytes sent", written.load(Ordering::Relaxed));
}

#[tokio::test]
async fn a_body_declared_over_the_limit_is_not_read() {
    let head =
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n";
    let (endpoint, _) = endless_server(head, Some(4)).await;
    let error = client(&endpoint).send_message("hi", "text/plain", "token").send().await.unwrap_err();
    let Error::Response(response) = &error else { panic!("expected a response error, got {error:?}") };
    assert_eq!(response.raw.status(), 500, "the status is kept");
    assert!(response.raw.body().is_empty(), "the body is not read");
    assert!(error.to_string().contains("1000000000 bytes by Content-Length"), "{error}");
}

#[tokio::test]
async fn a_body_within_the_limit_is_read() {
    let body = format!(r#"{{"Transcript":[],"InitialContactId":"{}"}}"#, "c".repeat(LIMIT - 60));
    let head: &'static str = Box::leak(
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
            .into_boxed_str(),
    );
    let (endpoint, _) = endless_server(head, Some(0)).await;
    let output = client(&endpoint).get_transcript("token").send().await.unwrap();
    assert_eq!(output.initial_contact_id.map(|id| id.len()), Some(LIMIT - 60));
}

/// A transport of the caller's own that hands over a whole body over the limit.
#[derive(Clone)]
struct Oversized;

impl connectparticipant::transport::HttpClient for Oversized {
    fn send(
        &self,
        _request: connectparticipant::transport::HttpRequest,
    ) -> connectparticipant::transport::ResponseFuture<'_> {
        let body = connectparticipant::transport::Bytes::from(vec![b' '; LIMIT + 10]);
        Box::pin(
            async move { Ok(connectparticipant::transport::http::Response::builder().status(200).body(body).unwrap()) },
        )
    }
}

#[tokio::test]
async fn a_custom_transport_body_over_the_limit_is_refused_too() {
    let config = Config::builder().region("us-west-2").http_client(Oversized).max_response_body(LIMIT).build().unwrap();
    assert_eq!(config.max_response_body(), LIMIT);
    let error = Client::new(config).get_transcript("token").send().await.unwrap_err();
    let Error::Response(response) = &error else { panic!("expected a response error, got {error:?}") };
    assert_eq!((response.raw.status(), response.raw.body().len()), (200, LIMIT + 10));
    assert_eq!(
        Config::builder().region("us-west-2").build().unwrap().max_response_body(),
        connectparticipant::config::DEFAULT_MAX_RESPONSE_BODY
    );
}
