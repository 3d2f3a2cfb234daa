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
