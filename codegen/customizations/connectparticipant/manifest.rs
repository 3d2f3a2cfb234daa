// What the connectparticipant customization adds to the generated crate: the real-time chat
// (`connectparticipant::chat`) behind the default-off `chat` feature, and the terminal chat
// example. Read by `codegen/src/customizations.rs` with `include!`.
Customization {
    service: "com.amazonaws.connectparticipant#AmazonConnectParticipantServiceLambda",
    feature: "chat",
    feature_enables: &[
        "dep:futures-util",
        "dep:hyper",
        "dep:tokio-rustls",
        "dep:tokio-tungstenite",
        "tokio/fs",
        "tokio/io-util",
        // `tokio::select!` (biased) in the session task: what a hand-written poll_fn would do.
        "tokio/macros",
        "tokio/net",
        "tokio/rt",
        "tokio/sync",
    ],
    optional_dependencies: &[
        r#"futures-util = { version = "0.3", default-features = false, features = ["sink", "std"], optional = true }"#,
        // The WebSocket handshake as an HTTP/1.1 upgrade (already built for the HTTP transport):
        // tungstenite's own client handshake logs the request line, the URL's credential in it.
        r#"hyper = { version = "1", default-features = false, features = ["client", "http1"], optional = true }"#,
        // TLS for the socket: the same rustls (ring, webpki roots) as the HTTP transport.
        r#"tokio-rustls = { version = "0.26", default-features = false, features = ["ring", "tls12"], optional = true }"#,
        r#"tokio-tungstenite = { version = "0.30", default-features = false, features = ["handshake"], optional = true }"#,
    ],
    // The chat reads service timestamps (item times, token expiries) with the runtime's parser.
    runtime_features: &[Feature::Timestamps],
    module: "chat",
    files: &[
        CustomFile { path: "src/chat/mod.rs", source: include_str!("src/chat/mod.rs") },
        CustomFile { path: "src/chat/attachments.rs", source: include_str!("src/chat/attachments.rs") },
        CustomFile { path: "src/chat/backoff.rs", source: include_str!("src/chat/backoff.rs") },
        CustomFile { path: "src/chat/call.rs", source: include_str!("src/chat/call.rs") },
        CustomFile { path: "src/chat/clock.rs", source: include_str!("src/chat/clock.rs") },
        CustomFile { path: "src/chat/connect.rs", source: include_str!("src/chat/connect.rs") },
        CustomFile { path: "src/chat/delivery.rs", source: include_str!("src/chat/delivery.rs") },
        CustomFile { path: "src/chat/driver.rs", source: include_str!("src/chat/driver.rs") },
        CustomFile { path: "src/chat/error.rs", source: include_str!("src/chat/error.rs") },
        CustomFile { path: "src/chat/event.rs", source: include_str!("src/chat/event.rs") },
        CustomFile { path: "src/chat/frames.rs", source: include_str!("src/chat/frames.rs") },
        CustomFile { path: "src/chat/gap_fill.rs", source: include_str!("src/chat/gap_fill.rs") },
        CustomFile { path: "src/chat/options.rs", source: include_str!("src/chat/options.rs") },
        CustomFile { path: "src/chat/outgoing.rs", source: include_str!("src/chat/outgoing.rs") },
        CustomFile { path: "src/chat/pacer.rs", source: include_str!("src/chat/pacer.rs") },
        CustomFile { path: "src/chat/persistent.rs", source: include_str!("src/chat/persistent.rs") },
        CustomFile { path: "src/chat/receipts.rs", source: include_str!("src/chat/receipts.rs") },
        CustomFile { path: "src/chat/reconnect.rs", source: include_str!("src/chat/reconnect.rs") },
        CustomFile { path: "src/chat/secret.rs", source: include_str!("src/chat/secret.rs") },
        CustomFile { path: "src/chat/sender.rs", source: include_str!("src/chat/sender.rs") },
        CustomFile { path: "src/chat/serve.rs", source: include_str!("src/chat/serve.rs") },
        CustomFile { path: "src/chat/session.rs", source: include_str!("src/chat/session.rs") },
        CustomFile { path: "src/chat/socket.rs", source: include_str!("src/chat/socket.rs") },
        CustomFile { path: "src/chat/stream.rs", source: include_str!("src/chat/stream.rs") },
        CustomFile { path: "src/chat/streams.rs", source: include_str!("src/chat/streams.rs") },
        CustomFile { path: "src/chat/upkeep.rs", source: include_str!("src/chat/upkeep.rs") },
        CustomFile { path: "src/chat/window.rs", source: include_str!("src/chat/window.rs") },
        CustomFile { path: "examples/chat.rs", source: include_str!("examples/chat.rs") },
    ],
    examples: &["chat"],
    public_decoders: &["com.amazonaws.connectparticipant#Item"],
    quickstart: Some(Quickstart {
        intro: include_str!("quickstart.md"),
        program: include_str!("quickstart.rs"),
        crate_name: "connectparticipant",
    }),
    feature_summary: include_str!("feature.md"),
    keywords: &["amazon-connect", "chat"],
    categories: &["web-programming::websocket"],
    // The project's repository: where the generator, the model and this crate's sources live.
    repository: Some("https://github.com/connectparticipant-codegen/connectparticipant-codegen"),
    // The chat's modules end with their unit tests (frames, pacer, receipts...).
}
