//! One SendMessage call with rusoto (static dummy credentials: rusoto signs every request).

use rusoto_connectparticipant::{ConnectParticipant, ConnectParticipantClient, SendMessageRequest};
use rusoto_core::credential::StaticProvider;
use rusoto_core::{HttpClient, Region};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_owned());
    let region = Region::Custom { name: "us-east-1".to_owned(), endpoint };
    let credentials = StaticProvider::new_minimal("AKIDEXAMPLE".to_owned(), "secret".to_owned());
    let client = ConnectParticipantClient::new_with(HttpClient::new()?, credentials, region);
    let request = SendMessageRequest {
        content: "Hello".to_owned(),
        content_type: "text/plain".to_owned(),
        connection_token: "token".to_owned(),
        ..Default::default()
    };
    let output = client.send_message(request).await?;
    println!("{:?}", output.id);
    Ok(())
}
