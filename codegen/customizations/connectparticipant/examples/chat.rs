//! A terminal chat: join a chat as a participant, against the real service or the local
//! emulator (`cargo xtask emulator`).
//!
//! ```text
//! cargo run -p connectparticipant --features chat --example chat -- \
//!     --endpoint http://127.0.0.1:8787 --participant-token TOKEN
//! ```
//!
//! Incoming messages show with their time and sender, along with typing, connection changes and
//! receipts. Lines typed are sent as messages; `/attach PATH` uploads a file, `/quit` leaves the
//! chat.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use connectparticipant::chat::{
    ChatEvent, ChatSession, ConnectionState, ParticipantChange, Receipt, ReceiptKind, content_type_for,
};
use connectparticipant::types::Item;
use connectparticipant::{Client, Config};

const USAGE: &str = "usage: chat --participant-token TOKEN [--region REGION] [--endpoint URL]";

struct Args {
    endpoint: Option<String>,
    region: String,
    participant_token: String,
}

fn parse_args() -> Result<Args, String> {
    let mut endpoint = None;
    let mut region = "us-east-1".to_owned();
    let mut token = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--endpoint" => endpoint = Some(value()?),
            "--region" => region = value()?,
            "--participant-token" => token = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let participant_token = token.ok_or("--participant-token is required")?;
    Ok(Args { endpoint, region, participant_token })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let mut config = Config::builder().region(args.region);
    if let Some(endpoint) = args.endpoint {
        config = config.endpoint_url(endpoint);
    }
    let client = Client::new(config.build().map_err(|e| e.to_string())?);
    println!("-- connecting...");
    let mut session = ChatSession::connect(&client, args.participant_token).await.map_err(|e| e.to_string())?;
    println!("-- type a message and press Enter; /attach PATH sends a file; /quit leaves");

    // Reading the terminal blocks: it gets its own thread, feeding lines over a channel.
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });

    // What this participant sent, by id: receipts name the message they are about.
    let mut mine: HashMap<String, String> = HashMap::new();
    loop {
        tokio::select! {
            line = lines.recv() => {
                let Some(line) = line else { break };
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                if line == "/quit" {
                    println!("-- leaving the chat...");
                    if let Err(e) = session.disconnect().await {
                        println!("-- {e}");
                    }
                    break;
                }
                if let Some(path) = line.strip_prefix("/attach ") {
                    attach(&session, Path::new(path.trim())).await;
                    continue;
                }
                match session.send_text(line).await {
                    Ok(sent) => {
                        if let Some(id) = sent.id {
                            mine.insert(id, line.to_owned());
                        }
                    }
                    Err(e) => println!("-- not sent: {e}"),
                }
            }
            event = session.next_event() => {
                let Some(event) = event else { break };
                show(&session, event, &mine).await;
            }
        }
    }
    // What is still queued (the end of the chat, mostly).
    while let Ok(Some(event)) = tokio::time::timeout(std::time::Duration::from_millis(100), session.next_event()).await
    {
        show(&session, event, &mine).await;
    }
    Ok(())
}

async fn attach(session: &ChatSession, path: &Path) {
    let Some(content_type) = content_type_for(path) else {
        println!("-- cannot send {}: not a type the service accepts", path.display());
        return;
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    println!("-- uploading {name}...");
    match session.upload_attachment(&name, content_type, path).await {
        Ok(_) => println!("-- uploaded {name}"),
        Err(e) => println!("-- upload failed: {e}"),
    }
}

/// `[12:30:05] Sender`
fn header(item: &Item, from_self: bool) -> String {
    let time = item.absolute_time.as_deref().and_then(|t| t.get(11..19)).unwrap_or("--:--:--");
    let sender = if from_self { "you" } else { item.display_name.as_deref().unwrap_or("?") };
    format!("[{time}] {sender}")
}

async fn show(session: &ChatSession, event: ChatEvent, mine: &HashMap<String, String>) {
    match event {
        ChatEvent::Message { item, from_self, .. } => {
            println!("{}: {}", header(&item, from_self), item.content.as_deref().unwrap_or_default());
            // Shown on screen: delivered and read.
            if let (false, Some(id)) = (from_self, item.id.as_deref()) {
                let _ = session.send_read(id).await;
            }
        }
        // This chat never sends typing events: any typing is someone else's.
        ChatEvent::Typing { item } => println!("{} is typing...", header(&item, false)),
        ChatEvent::Participant { change, item } => {
            let what = match change {
                ParticipantChange::Joined => "joined",
                ParticipantChange::Left => "left",
                ParticipantChange::Idle => "is idle",
                ParticipantChange::Returned => "is back",
                ParticipantChange::Invited => "was invited",
                ParticipantChange::AutoDisconnected => "was disconnected",
                _ => "changed",
            };
            println!("{} {what}", header(&item, false));
        }
        ChatEvent::Receipt(Receipt { kind, message_id, .. }) => {
            let what = if kind == ReceiptKind::Read { "read" } else { "delivered" };
            match mine.get(&message_id) {
                Some(text) => println!("-- {what}: \"{text}\""),
                None => println!("-- {what}: a message"),
            }
        }
        ChatEvent::Attachment { attachments, item, from_self } => {
            for attachment in attachments {
                let name = attachment.attachment_name.unwrap_or_default();
                let status = attachment.status.map(|s| s.as_str().to_lowercase()).unwrap_or_default();
                println!("{} sent a file: {name} ({status})", header(&item, from_self));
            }
        }
        ChatEvent::Transfer { succeeded, item } => {
            println!("{} transfer {}", header(&item, false), if succeeded { "succeeded" } else { "failed" });
        }
        ChatEvent::ChatEnded { .. } => println!("-- the chat has ended"),
        ChatEvent::Connection(state) => {
            let what = match state {
                ConnectionState::Connecting => "connecting",
                ConnectionState::Connected => "connected",
                ConnectionState::Lost => "connection lost, reconnecting...",
                ConnectionState::Restored => "connection restored",
                ConnectionState::Ended => "disconnected",
                _ => "connection changed",
            };
            println!("-- {what}");
        }
        ChatEvent::Failed(error) => println!("-- stopped: {}", error.0),
        ChatEvent::GapNotFilled(error) => {
            println!("-- connection restored, but messages sent meanwhile may be missing: {}", error.0)
        }
        ChatEvent::Lagged { dropped } => println!("-- {dropped} events skipped: this terminal fell behind"),
        ChatEvent::Authentication { kind, item } => println!("{} authentication {kind}", header(&item, false)),
        ChatEvent::ConnectionAcknowledged { .. } => {}
        ChatEvent::Other { item, .. } => {
            let kind = item.content_type.as_deref().unwrap_or("an unknown item");
            println!("{} ({kind})", header(&item, false));
        }
        _ => {}
    }
}
