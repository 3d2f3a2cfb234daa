//! The floor: one POST with a bare pooled hyper client, no TLS, the response unparsed.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_owned());
    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let request = http::Request::post(format!("{endpoint}/participant/message"))
        .header("content-type", "application/json")
        .header("x-amz-bearer", "token")
        .body(Full::new(Bytes::from_static(br#"{"ContentType":"text/plain","Content":"Hello"}"#)))?;
    let response = client.request(request).await?;
    let body = response.into_body().collect().await?.to_bytes();
    println!("{}", body.len());
    Ok(())
}
