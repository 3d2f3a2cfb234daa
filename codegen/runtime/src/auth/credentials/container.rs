//! Credentials from the container credentials endpoint (ECS tasks, EKS Pod Identity):
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (a path at `http://169.254.170.2`) or
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the `Authorization` header from
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read at each request: the agent rotates it) or
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
//!
//! As in the official SDKs, a full URI must be `https`, or `http` to a loopback address or to
//! the ECS and EKS agents' addresses, so that the token is never sent in clear elsewhere.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::http::{self, HttpSource, Unanswered};
use super::{Credentials, CredentialsError, CredentialsFuture, Env, ProvideCredentials, json};
use crate::transport::HttpClient;

const SOURCE: &str = "container";
/// The ECS agent's address, for relative URIs.
const ECS_HOST: &str = "http://169.254.170.2";
/// The official SDKs' limits: the agent is local, but may be slow to start.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Reads credentials from the container credentials endpoint.
#[derive(Debug, Clone, Default)]
pub struct ContainerProvider {
    source: HttpSource,
}

impl ContainerProvider {
    /// Finds the endpoint and token through `env`.
    pub fn new(env: Env) -> Self {
        Self { source: HttpSource::new(env) }
    }

    /// Sends the request through `client` rather than the default transport.
    pub fn with_http_client(self, client: Arc<dyn HttpClient>) -> Self {
        Self { source: self.source.with_http_client(client) }
    }

    /// The endpoint to ask, when one is configured.
    fn uri(&self) -> Result<Option<String>, CredentialsError> {
        if let Some(relative) = self.source.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let slash = if relative.starts_with('/') { "" } else { "/" };
            return Ok(Some(format!("{ECS_HOST}{slash}{relative}")));
        }
        let Some(full) = self.source.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return Ok(None) };
        let uri: ::http::Uri = full
            .parse()
            .map_err(|_| CredentialsError::failed(SOURCE, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URI"))?;
        let allowed = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => uri.host().is_some_and(allowed_http_host),
            _ => false,
        };
        if !allowed {
            return Err(CredentialsError::failed(
                SOURCE,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback or container agent address",
            ));
        }
        Ok(Some(full))
    }

    /// The `Authorization` header's value, when one is configured.
    fn token(&self) -> Result<Option<::http::HeaderValue>, CredentialsError> {
        let token = match self.source.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => Some(std::fs::read_to_string(&path).map_err(|e| {
                CredentialsError::failed(
                    SOURCE,
                    format!("reading AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ({path}) failed"),
                )
                .with_cause(e)
            })?),
            None => self.source.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let Some(token) = token else { return Ok(None) };
        let mut value = ::http::HeaderValue::from_str(token.trim())
            .map_err(|_| CredentialsError::failed(SOURCE, "the authorization token is not a valid header value"))?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(uri) = self.uri()? else {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            ));
        };
        let mut request = ::http::Request::get(uri.as_str());
        if let Some(token) = self.token()? {
            request = request.header(::http::header::AUTHORIZATION, token);
        }
        let request = request
            .body(Default::default())
            .map_err(|_| CredentialsError::failed(SOURCE, "the endpoint is not a valid request URI"))?;
        let client = self.source.client(CONNECT_TIMEOUT);
        let response = http::send(client.as_ref(), request, REQUEST_TIMEOUT)
            .await
            .map_err(|e: Unanswered| e.into_error(SOURCE, "the credentials endpoint", REQUEST_TIMEOUT, true))?;
        if !response.status().is_success() {
            return Err(CredentialsError::failed(
                SOURCE,
                format!("the credentials endpoint answered HTTP {}", response.status().as_u16()),
            ));
        }
        json::parse(SOURCE, response.body(), "Token")
    }
}

/// Hosts an `http` full URI may name: loopback, and the ECS and EKS agents.
fn allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    match ip.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(ip) => ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"].iter().any(|agent| agent.parse() == Ok(ip)),
        Err(_) => false,
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials_test_support::{Server, TempDir};

    const BODY: &str =
        r#"{"AccessKeyId":"AKID","SecretAccessKey":"S","Token":"T","Expiration":"2100-01-01T00:00:00Z"}"#;

    #[tokio::test]
    async fn full_uri_with_a_token() {
        let server = Server::start(|_| Some((200, BODY.to_owned()))).await;
        let env = Env::from_vars([
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/v2/credentials/abc", server.url())),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "PLANTED-TOKEN".to_owned()),
        ]);
        let credentials = ContainerProvider::new(env).provide_credentials().await.unwrap();
        assert_eq!((credentials.access_key_id(), credentials.session_token()), ("AKID", Some("T")));
        let seen = server.seen();
        assert_eq!((seen.len(), seen[0].path.as_str()), (1, "/v2/credentials/abc"));
        assert_eq!(seen[0].headers["authorization"], "PLANTED-TOKEN");
    }

    #[tokio::test]
    async fn the_token_file_wins_over_the_token() {
        let server = Server::start(|_| Some((200, BODY.to_owned()))).await;
        let dir = TempDir::new("container-token");
        let env = Env::from_vars([
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable".to_owned()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.write("token", "from-file\n")),
        ]);
        ContainerProvider::new(env).provide_credentials().await.unwrap();
        assert_eq!(server.seen()[0].headers["authorization"], "from-file");
    }

    #[tokio::test]
    async fn failures_name_the_source_and_never_the_token() {
        let server = Server::start(|_| Some((500, "PLANTED-SECRET".to_owned()))).await;
        let env = Env::from_vars([
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "PLANTED-TOKEN".to_owned()),
        ]);
        let error = ContainerProvider::new(env).provide_credentials().await.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!error.is_not_configured() && shown.contains("HTTP 500"), "{shown}");
        assert!(!shown.contains("PLANTED"), "{shown}");
    }

    #[test]
    fn which_endpoints_are_allowed() {
        let uri = |vars: &[(&str, &str)]| ContainerProvider::new(Env::from_vars(vars.iter().copied())).uri();
        assert_eq!(uri(&[]).unwrap(), None);
        let relative = uri(&[
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://a"),
        ]);
        assert_eq!(relative.unwrap().as_deref(), Some("http://169.254.170.2/v2/x"));
        for allowed in [
            "https://example.com/creds",
            "http://127.0.0.1:8080/x",
            "http://[::1]/x",
            "http://169.254.170.23/v1/credentials",
            "http://localhost/x",
        ] {
            assert!(uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed)]).unwrap().is_some(), "{allowed}");
        }
        for refused in ["http://example.com/creds", "http://10.0.0.1/x", "ftp://127.0.0.1/x", "not a uri"] {
            let error = uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused)]).unwrap_err();
            assert!(!error.is_not_configured(), "{refused}");
        }
    }
}
