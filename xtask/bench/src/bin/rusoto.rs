//! The retired `rusoto_connectparticipant` 0.48 (rustls).
//!
//! rusoto signs every request with SigV4 (`sign_and_dispatch`), so it is given static dummy
//! credentials; the signing is part of its per-call cost. Its rustls connector is HTTPS-only,
//! so it is given hyper 0.14's plain connector for the plain-HTTP mock server.

use std::sync::Arc;

use connectparticipant_bench::{BenchClient, CONNECTION_TOKEN, MESSAGE, driver};
use rusoto_connectparticipant::{
    ConnectParticipant, ConnectParticipantClient, GetTranscriptRequest, SendMessageRequest,
};
use rusoto_core::credential::StaticProvider;
use rusoto_core::{HttpClient, Region};

#[derive(Clone)]
struct Rusoto(Arc<ConnectParticipantClient>);

impl BenchClient for Rusoto {
    async fn send_message(&self) -> Result<(), String> {
        let request = SendMessageRequest {
            content: MESSAGE.to_owned(),
            content_type: "text/plain".to_owned(),
            connection_token: CONNECTION_TOKEN.to_owned(),
            ..Default::default()
        };
        let output = self.0.send_message(request).await.map_err(|e| e.to_string())?;
        output.id.map(drop).ok_or_else(|| "no Id in the output".to_owned())
    }

    async fn get_transcript(&self) -> Result<usize, String> {
        let request = GetTranscriptRequest {
            max_results: Some(100),
            connection_token: CONNECTION_TOKEN.to_owned(),
            ..Default::default()
        };
        let output = self.0.get_transcript(request).await.map_err(|e| e.to_string())?;
        Ok(output.transcript.map_or(0, |items| items.len()))
    }
}

fn main() {
    driver::run(|endpoint| {
        let region = Region::Custom { name: "us-east-1".to_owned(), endpoint: endpoint.to_owned() };
        let credentials = StaticProvider::new_minimal("AKIDEXAMPLE".to_owned(), "bench-secret".to_owned());
        let mut connector = hyper014::client::HttpConnector::new();
        connector.set_nodelay(true);
        let http = HttpClient::from_connector(connector);
        Rusoto(Arc::new(ConnectParticipantClient::new_with(http, credentials, region)))
    });
}
