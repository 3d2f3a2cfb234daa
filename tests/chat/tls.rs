//! Trust roots: the REST calls and the chat socket trust the same certificates, over real TLS on
//! 127.0.0.1 with the emulator's certificate issued by a test CA (`tests/fixtures/tls/`,
//! made by its `generate.sh`).

use std::sync::Arc;

use connectparticipant::chat::ChatSession;
use connectparticipant::config::{ConfigBuilder, RetryConfig};
use connectparticipant::transport::rustls::pki_types::pem::PemObject;
use connectparticipant::transport::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use connectparticipant::transport::{DefaultHttpClient, HttpClient, Proxy, ResponseFuture, Tls, rustls};
use connectparticipant::{Client, Config};
use connectparticipant_emulator::{Emulator, EmulatorConfig};

use super::support::{connected, texts_until};

const CA: &[u8] = include_bytes!("../fixtures/tls/ca.pem");
const SERVER_CERTIFICATE: &[u8] = include_bytes!("../fixtures/tls/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("../fixtures/tls/server.key");

fn ring() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The emulator serving HTTPS and `wss://` with the test CA's certificate for 127.0.0.1.
async fn tls_emulator() -> Emulator {
    let certificate = CertificateDer::from_pem_slice(SERVER_CERTIFICATE).expect("the test certificate");
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).expect("the test key");
    let server = connectparticipant_emulator::rustls::ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .expect("a valid certificate and key");
    let config = EmulatorConfig { tls: Some(Arc::new(server)), ..EmulatorConfig::default() };
    Emulator::start_with(config).await.expect("the emulator starts")
}

/// A rustls configuration that trusts the test CA only.
fn trusting_the_test_ca() -> Tls {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(CA).expect("the test CA")).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Tls::custom(Arc::new(config))
}

fn builder(emulator: &Emulator) -> ConfigBuilder {
    assert!(emulator.endpoint().starts_with("https://"), "{}", emulator.endpoint());
    Config::builder().region("us-east-1").endpoint_url(emulator.endpoint()).retry(RetryConfig::disabled())
}

fn client(builder: ConfigBuilder) -> Client {
    Client::new(builder.proxy(Proxy::none()).build().expect("a valid configuration"))
}

/// Connects, sends a message (a REST call), reads its echo from the socket and uploads an
/// attachment (to the emulator's pre-signed `https://` URL, through the session's own transport).
async fn chat_works(client: &Client, emulator: &Emulator) {
    let chat = emulator.create_chat();
    let mut session = connected(ChatSession::builder(client, chat.participant_token.clone())).await;
    session.send_text("over TLS").await.unwrap();
    texts_until(&mut session, "over TLS").await;
    session.upload_attachment("notes.txt", "text/plain", b"hello".to_vec()).await.unwrap();
    assert_eq!(emulator.call_count("CompleteAttachmentUpload"), 1);
    session.close().await;
}

/// Every error in `error`'s chain, as text.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(&format!(": {e}"));
        source = e.source();
    }
    text
}

#[tokio::test]
async fn rest_and_socket_trust_the_configured_ca() {
    let emulator = tls_emulator().await;
    let client = client(builder(&emulator).tls(trusting_the_test_ca()));
    chat_works(&client, &emulator).await;
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 1);
}

#[tokio::test]
async fn the_default_roots_refuse_the_test_ca() {
    let emulator = tls_emulator().await;
    let client = client(builder(&emulator));
    let chat = emulator.create_chat();
    let error = ChatSession::connect(&client, chat.participant_token.clone()).await.unwrap_err();
    let text = chain(&error);
    assert!(text.contains("UnknownIssuer") || text.contains("issuer"), "{text}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 0, "no call got through");
}

#[tokio::test]
async fn the_socket_uses_a_custom_transports_tls() {
    // The configuration's own TLS is the default; the transport the application built trusts
    // the test CA. Before, the socket ignored the transport and refused the emulator.
    let emulator = tls_emulator().await;
    let transport = DefaultHttpClient::with_settings(None, Proxy::none(), trusting_the_test_ca());
    let client = client(builder(&emulator).http_client(transport));
    chat_works(&client, &emulator).await;
}

/// A transport that trusts the test CA and does not say so ([`HttpClient::tls`] left as is).
struct Silent(DefaultHttpClient);

impl HttpClient for Silent {
    fn send(&self, request: connectparticipant::transport::HttpRequest) -> ResponseFuture<'_> {
        self.0.send(request)
    }
}

#[tokio::test]
async fn the_socket_checks_certificates_with_its_own_roots() {
    // The REST call succeeds through the silent transport; the socket, left with the
    // configuration's default roots, refuses the emulator's certificate.
    let emulator = tls_emulator().await;
    let transport = Silent(DefaultHttpClient::with_settings(None, Proxy::none(), trusting_the_test_ca()));
    let client = client(builder(&emulator).http_client(transport));
    let chat = emulator.create_chat();
    let error = ChatSession::connect(&client, chat.participant_token.clone()).await.unwrap_err();
    let text = chain(&error);
    assert!(text.contains("TLS with 127.0.0.1 failed"), "{text}");
    assert_eq!(emulator.call_count("CreateParticipantConnection"), 1, "the REST call got through");
    assert_eq!(emulator.open_sockets(), 0);
}
