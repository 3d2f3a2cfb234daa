//! The signer of a client's requests: each attempt signed as it goes on the wire, with fresh
//! credentials and time, the derived key kept for the day, the clock corrected when the service
//! says it is off.

use std::fmt;

use super::crypto::SigningKeyCache;
use super::settings::{PayloadSigning, SigningParams, SigningSettings};
use super::sign::sign_request;
use super::skew::ClockSkew;
use crate::config::{Config, ConfigBuilder};
use crate::endpoint::Endpoint;
use crate::error::AuthError;
use crate::runtime::CredentialsProvider;
use crate::runtime::authorize::{AuthFuture, AuthScheme, Authorize};
use crate::transport::{HttpRequest, HttpResponse};

/// Signs the requests of one client (and its clones).
pub struct Signer {
    credentials: Option<CredentialsProvider>,
    region: Option<String>,
    keys: SigningKeyCache,
    skew: ClockSkew,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("skew", &self.skew)
            .finish_non_exhaustive()
    }
}

/// What the endpoint rules say about the signature (`authSchemes`' `sigv4` entry): a region or
/// a signing name other than the client's, or a path not to encode twice.
struct EndpointScheme<'a> {
    region: Option<&'a str>,
    name: Option<&'a str>,
    disable_double_encoding: bool,
}

fn endpoint_scheme(endpoint: &Endpoint) -> EndpointScheme<'_> {
    let sigv4 = endpoint
        .properties()
        .get("authSchemes")
        .and_then(serde_json::Value::as_array)
        .and_then(|schemes| schemes.iter().find(|scheme| scheme["name"] == "sigv4"));
    let text = |field: &str| sigv4.and_then(|scheme| scheme[field].as_str());
    EndpointScheme {
        region: text("signingRegion"),
        name: text("signingName"),
        disable_double_encoding: sigv4.is_some_and(|scheme| scheme["disableDoubleEncoding"] == true),
    }
}

impl Authorize for Signer {
    fn from_env(builder: ConfigBuilder, lookup: &dyn Fn(&str) -> Option<String>) -> ConfigBuilder {
        crate::auth::credentials::from_env(builder, lookup)
    }

    fn new(config: &Config) -> Self {
        Self {
            credentials: config.credentials_provider.clone(),
            region: config.region().map(str::to_owned),
            keys: SigningKeyCache::new(),
            skew: ClockSkew::new(),
        }
    }

    fn authorize<'a>(
        &'a self,
        scheme: &'a AuthScheme,
        endpoint: &'a Endpoint,
        request: &'a mut HttpRequest,
    ) -> AuthFuture<'a> {
        Box::pin(async move {
            let AuthScheme::Sigv4 { signing_name, unsigned_payload, optional, content_sha256_header } = *scheme else {
                return Ok(());
            };
            let Some(provider) = &self.credentials else {
                if optional {
                    tracing::debug!("no credentials provider: the operation's auth is optional, sent unsigned");
                    return Ok(());
                }
                return Err(AuthError::new(
                    "the operation is signed with AWS credentials (SigV4) and no credentials provider is configured \
                     (`Config::builder().credentials_provider(..)`)",
                    None,
                ));
            };
            let credentials = match provider.provide_credentials().await {
                Ok(credentials) => credentials,
                Err(error) if optional => {
                    tracing::debug!(%error, "no credentials: the operation's auth is optional, sent unsigned");
                    return Ok(());
                }
                Err(error) => {
                    return Err(AuthError::new(
                        format!("no AWS credentials to sign with: {error}"),
                        Some(Box::new(error)),
                    ));
                }
            };
            let from_endpoint = endpoint_scheme(endpoint);
            let region = from_endpoint.region.or(self.region.as_deref()).ok_or_else(|| {
                AuthError::new("SigV4 signs for a region and none is configured (`Config::builder().region(..)`)", None)
            })?;
            let settings = SigningSettings::new()
                .with_payload(if unsigned_payload { PayloadSigning::Unsigned } else { PayloadSigning::Signed })
                .with_double_encode_path(!from_endpoint.disable_double_encoding)
                .with_content_sha256_header(content_sha256_header);
            let name = from_endpoint.name.unwrap_or(signing_name);
            let params = SigningParams::new(&credentials, region, name, self.skew.now()).with_settings(settings);
            sign_request(request, &params, &self.keys).map_err(|e| AuthError::new(e.to_string(), Some(Box::new(e))))?;
            Ok(())
        })
    }

    fn corrects_clock(&self, code: Option<&str>, response: &HttpResponse) -> bool {
        self.skew.correct(code, response.headers())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::Credentials;

    const SCHEME: AuthScheme = AuthScheme::Sigv4 {
        signing_name: "svc",
        unsigned_payload: false,
        optional: false,
        content_sha256_header: false,
    };

    fn signer(region: &str) -> Signer {
        let config = Config::builder()
            .region(region)
            .credentials_provider(Credentials::new("AKID", "secret", None, None))
            .build()
            .unwrap();
        Signer::new(&config)
    }

    async fn authorization(signer: &Signer, endpoint: &Endpoint) -> String {
        let mut request = ::http::Request::builder().uri("https://h.example/p").body(bytes::Bytes::new()).unwrap();
        signer.authorize(&SCHEME, endpoint, &mut request).await.unwrap();
        request.headers()["authorization"].to_str().unwrap().to_owned()
    }

    #[tokio::test]
    async fn the_scope_is_the_clients_unless_the_endpoint_rules_say_otherwise() {
        let signer = signer("eu-west-1");
        let plain = authorization(&signer, &Endpoint::new("https://h.example")).await;
        assert!(plain.contains("/eu-west-1/svc/aws4_request"), "{plain}");
        let scheme = serde_json::json!([{"name": "sigv4", "signingRegion": "us-east-1", "signingName": "other"}]);
        let endpoint = Endpoint::new("https://h.example").with_property("authSchemes", scheme);
        let overridden = authorization(&signer, &endpoint).await;
        assert!(overridden.contains("/us-east-1/other/aws4_request"), "{overridden}");
    }

    #[tokio::test]
    async fn unsigned_operations_and_missing_credentials() {
        let signer = signer("eu-west-1");
        let mut request = ::http::Request::builder().uri("https://h.example/").body(bytes::Bytes::new()).unwrap();
        signer.authorize(&AuthScheme::None, &Endpoint::new("https://h.example"), &mut request).await.unwrap();
        assert!(request.headers().is_empty());

        let anonymous = Signer::new(&Config::builder().region("eu-west-1").build().unwrap());
        let endpoint = Endpoint::new("https://h.example");
        let error = anonymous.authorize(&SCHEME, &endpoint, &mut request).await.unwrap_err();
        assert!(error.to_string().contains("no credentials provider"), "{error}");
        let optional = AuthScheme::Sigv4 {
            signing_name: "svc",
            unsigned_payload: false,
            optional: true,
            content_sha256_header: false,
        };
        anonymous.authorize(&optional, &endpoint, &mut request).await.unwrap();
        assert!(request.headers().is_empty(), "optional auth without credentials: sent unsigned");
    }
}
