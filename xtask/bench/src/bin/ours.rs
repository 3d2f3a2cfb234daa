//! This project's client, `connectparticipant`, as a user sets it up.

use std::sync::Arc;

use connectparticipant::{Client, Config};
use connectparticipant_bench::signing::{self, Sign};
use connectparticipant_bench::{BenchClient, CONNECTION_TOKEN, MESSAGE, driver};
use runtime::auth::credentials::Credentials;
use runtime::auth::sigv4::{SigningKeyCache, SigningParams, sign_request};

#[derive(Clone)]
struct Ours(Client);

impl BenchClient for Ours {
    async fn send_message(&self) -> Result<(), String> {
        let output =
            self.0.send_message(MESSAGE, "text/plain", CONNECTION_TOKEN).send().await.map_err(|e| e.to_string())?;
        output.id.map(drop).ok_or_else(|| "no Id in the output".to_owned())
    }

    async fn get_transcript(&self) -> Result<usize, String> {
        let output =
            self.0.get_transcript(CONNECTION_TOKEN).max_results(100).send().await.map_err(|e| e.to_string())?;
        Ok(output.transcript.map_or(0, |items| items.len()))
    }

    /// The runtime's signer as a signing client uses it: one key cache for all its requests.
    fn signer(&self) -> Option<Sign> {
        let credentials = Credentials::new(
            signing::ACCESS_KEY_ID,
            signing::SECRET_ACCESS_KEY,
            Some(signing::SESSION_TOKEN.to_owned()),
            None,
        );
        let keys = Arc::new(SigningKeyCache::new());
        Some(Box::new(move |mut request| {
            let params = SigningParams::new(&credentials, signing::REGION, signing::SERVICE, signing::time());
            let signature = sign_request(&mut request, &params, &keys).map_err(|e| e.to_string())?;
            Ok((request, signature.signature))
        }))
    }
}

fn main() {
    driver::run(|endpoint| {
        let config =
            Config::builder().region("us-east-1").endpoint_url(endpoint).build().expect("a valid configuration");
        Ours(Client::new(config))
    });
}
