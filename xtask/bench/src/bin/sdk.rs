//! The official SDK, `aws-sdk-connectparticipant`.
//!
//! Connect Participant authenticates with the `X-Amz-Bearer` token, but the SDK still looks
//! for an auth scheme and credentials before it sends anything: `allow_no_auth()` lets it
//! send without AWS credentials (no SigV4 signing, as the service expects).

use aws_sdk_connectparticipant::config::{BehaviorVersion, Region};
use aws_sdk_connectparticipant::{Client, Config};
use connectparticipant_bench::{BenchClient, CONNECTION_TOKEN, MESSAGE, driver};

#[derive(Clone)]
struct Sdk(Client);

impl BenchClient for Sdk {
    async fn send_message(&self) -> Result<(), String> {
        let output = self
            .0
            .send_message()
            .content(MESSAGE)
            .content_type("text/plain")
            .connection_token(CONNECTION_TOKEN)
            .send()
            .await
            .map_err(|e| format!("{e:?}"))?;
        output.id.map(drop).ok_or_else(|| "no Id in the output".to_owned())
    }

    async fn get_transcript(&self) -> Result<usize, String> {
        let output = self
            .0
            .get_transcript()
            .max_results(100)
            .connection_token(CONNECTION_TOKEN)
            .send()
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(output.transcript.map_or(0, |items| items.len()))
    }
}

fn main() {
    driver::run(|endpoint| {
        let config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .allow_no_auth()
            .build();
        Sdk(Client::from_conf(config))
    });
}
