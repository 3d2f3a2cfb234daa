//! One SendMessage call with this project's client.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_owned());
    let config = connectparticipant::Config::builder().region("us-east-1").endpoint_url(endpoint).build()?;
    let client = connectparticipant::Client::new(config);
    let output = client.send_message("Hello", "text/plain", "token").send().await?;
    println!("{:?}", output.id);
    Ok(())
}
