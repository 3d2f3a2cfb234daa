//! The floor: a bare pooled hyper client posting the bytes the real clients post, without
//! TLS and without parsing the response. No client can do less work per call.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use connectparticipant_bench::{BenchClient, driver, payloads};

#[derive(Clone)]
struct Floor {
    http: Client<HttpConnector, Full<Bytes>>,
    message_uri: http::Uri,
    transcript_uri: http::Uri,
    message_body: Bytes,
    transcript_body: Bytes,
}

impl Floor {
    async fn post(&self, uri: &http::Uri, body: &Bytes) -> Result<Bytes, String> {
        let mut request = http::Request::post(uri.clone());
        for (name, value) in payloads::request_headers() {
            request = request.header(name, value);
        }
        let request = request.body(Full::new(body.clone())).map_err(|e| e.to_string())?;
        let response = self.http.request(request).await.map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        Ok(response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes())
    }
}

impl BenchClient for Floor {
    async fn send_message(&self) -> Result<(), String> {
        self.post(&self.message_uri, &self.message_body).await.map(drop)
    }

    async fn get_transcript(&self) -> Result<usize, String> {
        self.post(&self.transcript_uri, &self.transcript_body).await?;
        // Not parsed: the floor only moves the bytes.
        Ok(connectparticipant_bench::TRANSCRIPT_ITEMS)
    }
}

fn main() {
    driver::run(|endpoint| {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Floor {
            http: Client::builder(TokioExecutor::new()).build(connector),
            message_uri: format!("{endpoint}/participant/message").parse().expect("a valid URI"),
            transcript_uri: format!("{endpoint}/participant/transcript").parse().expect("a valid URI"),
            message_body: Bytes::from(payloads::send_message_request()),
            transcript_body: Bytes::from(payloads::transcript_request()),
        }
    });
}
