//! One SendMessage call with the official SDK (no AWS credentials: `allow_no_auth`).

use aws_sdk_connectparticipant::config::{BehaviorVersion, Region};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_owned());
    let config = aws_sdk_connectparticipant::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .allow_no_auth()
        .build();
    let client = aws_sdk_connectparticipant::Client::from_conf(config);
    let output =
        client.send_message().content("Hello").content_type("text/plain").connection_token("token").send().await?;
    println!("{:?}", output.id);
    Ok(())
}
