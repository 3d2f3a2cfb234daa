use connectparticipant::types::ConnectionType;
use connectparticipant::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Made by `StartChatContact` (Amazon Connect's own API, called by your backend).
    let participant_token = std::env::var("PARTICIPANT_TOKEN")?;
    let client = Client::new(Config::builder().region("us-east-1").build()?);

    let connection = client
        .create_participant_connection(&participant_token)
        .r#type([ConnectionType::ConnectionCredentials])
        .connect_participant(true)
        .send()
        .await?;
    let connection_token = connection
        .connection_credentials
        .and_then(|credentials| credentials.connection_token)
        .ok_or("the service returned no connection token")?;

    let sent = client.send_message("Hello, I need help with my order.", "text/plain", &connection_token).send().await?;
    println!("sent message {:?} at {:?}", sent.id, sent.absolute_time);

    let mut items = client.get_transcript(&connection_token).max_results(100).into_items();
    while let Some(item) = items.next_item().await {
        let item = item?;
        println!("{:?}: {}", item.participant_role, item.content.as_deref().unwrap_or(""));
    }
    Ok(())
}
