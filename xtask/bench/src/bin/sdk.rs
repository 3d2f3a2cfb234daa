//! The official SDK, `aws-sdk-connectparticipant`.
//!
//! Connect Participant authenticates with the `X-Amz-Bearer` token, but the SDK still looks
//! for an auth scheme and credentials before it sends anything: `allow_no_auth()` lets it
//! send without AWS credentials (no SigV4 signing, as the service expects).

use aws_credential_types::Credentials;
use aws_sdk_connectparticipant::config::{BehaviorVersion, Region};
use aws_sdk_connectparticipant::{Client, Config};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use connectparticipant_bench::signing::{self, Sign};
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

    /// `aws-sigv4` as the SDK's SigV4 auth scheme calls it: the request's parts as a
    /// `SignableRequest`, default settings, the instructions applied to the request.
    fn signer(&self) -> Option<Sign> {
        let credentials = Credentials::new(
            signing::ACCESS_KEY_ID,
            signing::SECRET_ACCESS_KEY,
            Some(signing::SESSION_TOKEN.to_owned()),
            None,
            "bench",
        );
        let identity = credentials.into();
        Some(Box::new(move |mut request: http::Request<bytes::Bytes>| {
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region(signing::REGION)
                .name(signing::SERVICE)
                .time(signing::time())
                .settings(SigningSettings::default())
                .build()
                .map_err(|e| e.to_string())?
                .into();
            let uri = request.uri().to_string();
            let mut headers = Vec::with_capacity(request.headers().len());
            for (name, value) in request.headers() {
                headers.push((name.as_str(), value.to_str().map_err(|e| e.to_string())?));
            }
            let signable = SignableRequest::new(
                request.method().as_str(),
                uri,
                headers.into_iter(),
                SignableBody::Bytes(request.body()),
            )
            .map_err(|e| e.to_string())?;
            let (instructions, signature) = sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
            instructions.apply_to_request_http1x(&mut request);
            Ok((request, signature))
        }))
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
