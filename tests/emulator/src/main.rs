//! `cargo xtask emulator [--port P]`: the emulator, with a person playing the agent.
//!
//! Prints the endpoint and, for a new chat, the contact id, participant id and participant token
//! (what StartChatContact returns). Lines typed here are sent to the
//! customer as agent messages; the customer's messages, typing and receipts show up here;
//! `/typing` sends a typing event, `/drop` cuts the customer's socket (to watch it reconnect),
//! `/end` ends the chat, `/quit` stops.

use std::io::BufRead;
use std::time::Duration;

use connectparticipant_emulator::{EVENT, Emulator, EmulatorConfig};
use serde_json::Value;

const USAGE: &str = "usage: connectparticipant-emulator [--port P] [--url-validity SECONDS]";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut config = EmulatorConfig { port: 8787, ..EmulatorConfig::default() };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value.and_then(|v| v.parse::<u64>().ok())) {
            ("--port", Some(port)) if port <= u64::from(u16::MAX) => config.port = port as u16,
            ("--url-validity", Some(seconds)) => config.url_validity = Duration::from_secs(seconds),
            _ => {
                eprintln!("{USAGE}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let emulator = match Emulator::start_with(config).await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("cannot start the emulator: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let chat = emulator.create_chat();
    println!("Emulator listening on {}", emulator.endpoint());
    // What StartChatContact returns: other clients (the JavaScript library) need the contact id.
    println!("A new chat, as StartChatContact returns it (you are the agent):");
    println!("  ContactId:        {}", chat.contact_id);
    println!("  ParticipantId:    {}", chat.customer.id);
    println!("  ParticipantToken: {}", chat.participant_token);
    println!("In another terminal:");
    println!(
        "  cargo run -p connectparticipant --features chat --example chat -- --endpoint {} --participant-token {}",
        emulator.endpoint(),
        chat.participant_token
    );
    println!("Type a line to send it as the agent; /typing shows you typing; /drop cuts the customer's socket;");
    println!("/end ends the chat; /quit stops.");

    // Reading stdin blocks: it gets its own thread, feeding lines over a channel.
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut observed = emulator.observe();
    loop {
        tokio::select! {
            line = lines.recv() => match line.as_deref().map(str::trim) {
                None | Some("/quit") => break,
                Some("") => {}
                Some("/end") => {
                    emulator.end_chat(&chat);
                    println!("-- chat ended");
                }
                Some("/typing") => {
                    emulator.agent_event(&chat, &format!("{EVENT}typing"), false);
                }
                Some("/drop") => {
                    emulator.drop_sockets();
                    println!("-- dropped every socket (the customer should reconnect)");
                }
                Some(text) => {
                    emulator.agent_send(&chat, text);
                }
            },
            event = observed.recv() => match event {
                Ok(event) if event.contact_id == chat.contact_id => show(&event.item, &chat.agent.id),
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => println!("-- {n} events not shown"),
                Err(_) => break,
            },
        }
    }
    std::process::ExitCode::SUCCESS
}

/// One line per item the customer sees, from the agent's side.
fn show(item: &Value, agent_id: &str) {
    let text = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or_default();
    let time = text("AbsoluteTime").get(11..19).unwrap_or_default();
    let who = if text("ParticipantId") == agent_id { "you" } else { text("DisplayName") };
    let content_type = text("ContentType");
    match (text("Type"), content_type.strip_prefix(EVENT)) {
        ("MESSAGE", _) => println!("[{time}] {who}: {}", text("Content")),
        ("ATTACHMENT", _) => {
            let name = item["Attachments"][0]["AttachmentName"].as_str().unwrap_or_default();
            println!("[{time}] {who} sent an attachment: {name}");
        }
        ("MESSAGEMETADATA", _) => {
            let receipt = &item["MessageMetadata"]["Receipts"][0];
            let kind = if receipt.get("ReadTimestamp").is_some() { "read" } else { "delivered" };
            let reader = receipt["RecipientParticipantId"].as_str().unwrap_or_default();
            if reader != agent_id {
                println!("[{time}] customer {kind} a message");
            }
        }
        (_, Some("typing")) if who != "you" => println!("[{time}] {who} is typing..."),
        (_, Some("typing")) => {}
        (_, Some(event)) => println!("[{time}] {who}: ({event})"),
        (kind, None) => println!("[{time}] {who}: {kind} {content_type}"),
    }
}
