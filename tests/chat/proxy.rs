//! The REST calls and the socket go through an HTTP proxy's `CONNECT` tunnel, over real TCP on
//! 127.0.0.1 (a proxy this test starts; never another address).

use std::sync::{Arc, Mutex};

use connectparticipant::chat::ChatSession;
use connectparticipant::config::RetryConfig;
use connectparticipant::transport::Proxy;
use connectparticipant::{Client, Config};
use connectparticipant_emulator::Emulator;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::support::{connected, texts_until};

/// A `CONNECT` proxy on 127.0.0.1; returns its URL and the targets it tunnelled to.
async fn connect_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let targets = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&targets);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut head = Vec::new();
                while !head.ends_with(b"\r\n\r\n") {
                    let mut byte = [0u8];
                    if client.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let Some(target) = head.strip_prefix("CONNECT ").and_then(|rest| rest.split(' ').next()) else {
                    let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n").await;
                    return;
                };
                seen.lock().unwrap().push(target.to_owned());
                // Only to 127.0.0.1: the test never reaches another address.
                if !target.starts_with("127.0.0.1:") {
                    let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\n\r\n").await;
                    return;
                }
                let Ok(mut upstream) = TcpStream::connect(target).await else { return };
                let _ = client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (url, targets)
}

fn client_through(emulator: &Emulator, proxy: Proxy) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(emulator.endpoint())
        .retry(RetryConfig::disabled())
        .proxy(proxy)
        .build()
        .expect("a valid configuration");
    Client::new(config)
}

#[tokio::test]
async fn rest_calls_and_the_socket_go_through_the_proxy_tunnel() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (url, targets) = connect_proxy().await;
    let client = client_through(&emulator, Proxy::all(&url, ""));
    let mut session = connected(ChatSession::builder(&client, chat.participant_token.clone())).await;
    session.send_text("through the proxy").await.unwrap();
    texts_until(&mut session, "through the proxy").await;
    let emulator_address = emulator.endpoint().trim_start_matches("http://").trim_end_matches('/').to_owned();
    let targets = targets.lock().unwrap().clone();
    assert!(targets.len() >= 2, "the REST connection and the socket: {targets:?}");
    assert!(targets.iter().all(|t| *t == emulator_address), "{targets:?} vs {emulator_address}");
    session.close().await;
}

#[tokio::test]
async fn hosts_in_no_proxy_are_reached_directly() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let (url, targets) = connect_proxy().await;
    let client = client_through(&emulator, Proxy::all(&url, "127.0.0.1"));
    let session = connected(ChatSession::builder(&client, chat.participant_token.clone())).await;
    session.send_text("direct").await.unwrap();
    assert!(targets.lock().unwrap().is_empty(), "nothing went through the proxy");
    session.close().await;
}
