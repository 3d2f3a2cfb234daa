//! Which servers the crate's connections trust: the TLS settings shared by the built-in
//! transport and the chat socket. One TLS stack whatever the choice: rustls with ring.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// The TLS settings of the built-in transport and of the chat socket: the Mozilla root
/// certificates (the default), the platform's root store (feature `platform-roots`), or a
/// whole rustls configuration of the application's (a private CA, client certificates,
/// pinning). Set it with [`ConfigBuilder::tls`](crate::config::ConfigBuilder::tls).
///
/// Cheap to clone: the configuration is built once and shared.
#[derive(Clone)]
pub struct Tls {
    config: Arc<rustls::ClientConfig>,
    source: Source,
}

/// Where the settings came from, for `Debug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    WebpkiRoots,
    #[cfg(feature = "platform-roots")]
    PlatformRoots,
    Custom,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Tls").field(&self.source).finish()
    }
}

impl Default for Tls {
    /// [`Tls::webpki_roots`].
    fn default() -> Self {
        Self::webpki_roots()
    }
}

impl Tls {
    /// Trusts the Mozilla root certificates compiled into the crate (`webpki-roots`): the
    /// same on every machine, whatever its certificate store holds. The default.
    pub fn webpki_roots() -> Self {
        // Built once per process: a root store of ~150 certificates is not worth rebuilding
        // for every client and every chat socket.
        static WEBPKI: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
        let config = WEBPKI.get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            Arc::new(with_roots(roots))
        });
        Self { config: Arc::clone(config), source: Source::WebpkiRoots }
    }

    /// Trusts the certificates of the platform's root store (read once, now, by
    /// `rustls-native-certs`: the system's CA bundle on Linux, as OpenSSL finds it and
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR` override; the keychain on macOS; the system store on
    /// Windows): for networks whose proxies or servers use a company CA installed there.
    ///
    /// Fails when no certificate could be read at all; certificates that cannot be parsed are
    /// skipped (with a warning logged) when others can.
    #[cfg(feature = "platform-roots")]
    #[cfg_attr(docsrs, doc(cfg(feature = "platform-roots")))]
    pub fn platform_roots() -> Result<Self, crate::error::TransportError> {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::warn!(%error, "a certificate of the platform's root store was not read");
        }
        let mut roots = rustls::RootCertStore::empty();
        let (added, ignored) = roots.add_parsable_certificates(found.certs);
        if ignored > 0 {
            tracing::warn!(ignored, "certificates of the platform's root store could not be parsed");
        }
        if added == 0 {
            let message = "no certificate of the platform's root store could be used";
            return Err(match found.errors.into_iter().next() {
                Some(error) => crate::error::TransportError::new(message, error),
                None => crate::error::TransportError::msg(message),
            });
        }
        Ok(Self { config: Arc::new(with_roots(roots)), source: Source::PlatformRoots })
    }

    /// The application's own rustls configuration, used as it is, except for its ALPN
    /// protocols: the crate speaks HTTP/1.1 (and WebSocket over it) only, so none is offered.
    /// Build it with the ring provider (`rustls::crypto::ring`, re-exported as
    /// [`transport::rustls`](crate::transport::rustls)) to keep one crypto library.
    pub fn custom(config: Arc<rustls::ClientConfig>) -> Self {
        let config = if config.alpn_protocols.is_empty() {
            config
        } else {
            // hyper-rustls refuses a configuration that offers protocols (it sets them), and a
            // server choosing `h2` would break the socket's HTTP/1.1 upgrade.
            let mut config = config.as_ref().clone();
            config.alpn_protocols.clear();
            Arc::new(config)
        };
        Self { config, source: Source::Custom }
    }

    /// The rustls configuration connections are made with.
    pub fn client_config(&self) -> &Arc<rustls::ClientConfig> {
        &self.config
    }
}

/// rustls with ring, its safe default protocol versions, `roots`, no client certificate.
fn with_roots(roots: rustls::RootCertStore) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webpki_roots_are_built_once_and_shared() {
        let (a, b) = (Tls::webpki_roots(), Tls::default());
        assert!(Arc::ptr_eq(a.client_config(), b.client_config()));
        assert_eq!(format!("{a:?}"), "Tls(WebpkiRoots)");
    }

    #[test]
    fn a_custom_configuration_offers_no_alpn_protocol() {
        let mut config = with_roots(rustls::RootCertStore::empty());
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let tls = Tls::custom(Arc::new(config));
        assert!(tls.client_config().alpn_protocols.is_empty());
        // Accepted by the built-in transport (hyper-rustls panics on preset protocols).
        let _ = crate::transport::DefaultHttpClient::with_settings(None, crate::transport::Proxy::none(), tls);
    }

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

    /// The project's test CA and the certificate for 127.0.0.1 it issued.
    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/tls");

    fn test_server() -> Arc<rustls::ServerConfig> {
        let certificate = CertificateDer::from_pem_file(format!("{FIXTURES}/server.pem")).unwrap();
        let key = PrivateKeyDer::from_pem_file(format!("{FIXTURES}/server.key")).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)
            .unwrap();
        Arc::new(config)
    }

    /// A TLS handshake with the test server for 127.0.0.1, in memory.
    fn handshake(tls: &Tls) -> Result<(), rustls::Error> {
        let name = ServerName::try_from("127.0.0.1").unwrap();
        let mut client = rustls::ClientConnection::new(Arc::clone(tls.client_config()), name)?;
        let mut server = rustls::ServerConnection::new(test_server())?;
        while client.is_handshaking() || server.is_handshaking() {
            let mut to_server = Vec::new();
            while client.wants_write() {
                client.write_tls(&mut to_server).unwrap();
            }
            server.read_tls(&mut to_server.as_slice()).unwrap();
            server.process_new_packets()?;
            let mut to_client = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut to_client).unwrap();
            }
            client.read_tls(&mut to_client.as_slice()).unwrap();
            client.process_new_packets()?;
            if to_server.is_empty() && to_client.is_empty() {
                return Err(rustls::Error::General("the handshake stopped".into()));
            }
        }
        Ok(())
    }

    #[test]
    fn webpki_roots_refuse_the_test_ca() {
        let error = handshake(&Tls::webpki_roots()).unwrap_err();
        assert!(format!("{error:?}").contains("UnknownIssuer"), "{error:?}");
    }

    /// The platform's store as `SSL_CERT_FILE` names it: the test CA only. Run in a child
    /// process, so that the variable is set for it alone.
    #[cfg(feature = "platform-roots")]
    #[test]
    fn platform_roots_read_the_store_ssl_cert_file_names() {
        const CHILD: &str = "RUNTIME_TLS_TEST_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let tls = Tls::platform_roots().expect("the test CA is read");
            assert_eq!(format!("{tls:?}"), "Tls(PlatformRoots)");
            handshake(&tls).expect("the test CA's certificate is trusted");
            return;
        }
        let empty = std::env::temp_dir().join(format!("runtime-tls-empty-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "transport::tls::tests::platform_roots_read_the_store_ssl_cert_file_names"])
            .env(CHILD, "1")
            .env("SSL_CERT_FILE", format!("{FIXTURES}/ca.pem"))
            .env("SSL_CERT_DIR", &empty)
            .output()
            .unwrap();
        let _ = std::fs::remove_dir(&empty);
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && out.contains("1 passed"),
            "{out}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
