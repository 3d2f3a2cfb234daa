//! Credentials of the EC2 instance's role, from the instance metadata service (IMDSv2): a
//! session token (`PUT /latest/api/token` with its time to live), then the role's name and its
//! credentials (`GET /latest/meta-data/iam/security-credentials/[ROLE]`) with that token.
//!
//! `AWS_EC2_METADATA_DISABLED=true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`) sets where it is. Each request has one second,
//! as in the official SDKs: off EC2 nothing answers, and the chain must not hang on it. No
//! answer at the default endpoint means "not on EC2" (not configured); no answer at an endpoint
//! set explicitly is a failure.

use std::sync::Arc;
use std::time::Duration;

use super::http::{self, HttpSource, Unanswered};
use super::{Credentials, CredentialsError, CredentialsFuture, Env, ProvideCredentials, json};
use crate::transport::{HttpClient, HttpResponse};

const SOURCE: &str = "imds";
const TIMEOUT: Duration = Duration::from_secs(1);
/// The session token's time to live, in seconds (six hours, the SDKs' value).
const TOKEN_TTL: &str = "21600";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// Reads the instance role's credentials from the instance metadata service.
#[derive(Debug, Clone, Default)]
pub struct ImdsProvider {
    source: HttpSource,
}

impl ImdsProvider {
    /// Finds the endpoint and the opt-out through `env`.
    pub fn new(env: Env) -> Self {
        Self { source: HttpSource::new(env) }
    }

    /// Sends the requests through `client` rather than the default transport.
    pub fn with_http_client(self, client: Arc<dyn HttpClient>) -> Self {
        Self { source: self.source.with_http_client(client) }
    }

    /// The endpoint, and whether it was set explicitly.
    fn endpoint(&self) -> (String, bool) {
        match self.source.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            Some(endpoint) => (endpoint.trim_end_matches('/').to_owned(), true),
            None => match self.source.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
                Some(mode) if mode.eq_ignore_ascii_case("ipv6") => ("http://[fd00:ec2::254]".to_owned(), false),
                _ => ("http://169.254.169.254".to_owned(), false),
            },
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self.source.env.is_true("AWS_EC2_METADATA_DISABLED") {
            return Err(CredentialsError::not_configured(SOURCE, "AWS_EC2_METADATA_DISABLED is true"));
        }
        let (endpoint, explicit) = self.endpoint();
        let client = self.source.client(TIMEOUT);
        let ask =
            |method: ::http::Method, path: String, header: (&'static str, ::http::HeaderValue), what: &'static str| {
                let client = Arc::clone(&client);
                let uri = format!("{endpoint}{path}");
                async move {
                    let request = ::http::Request::builder()
                        .method(method)
                        .uri(uri.as_str())
                        .header(header.0, header.1)
                        .body(Default::default())
                        .map_err(|_| CredentialsError::failed(SOURCE, "the endpoint is not a valid URI"))?;
                    http::send(client.as_ref(), request, TIMEOUT)
                        .await
                        .map_err(|e: Unanswered| e.into_error(SOURCE, what, TIMEOUT, explicit))
                }
            };
        let response = ask(
            ::http::Method::PUT,
            "/latest/api/token".to_owned(),
            ("x-aws-ec2-metadata-token-ttl-seconds", ::http::HeaderValue::from_static(TOKEN_TTL)),
            "the session token request",
        )
        .await?;
        let mut token = ::http::HeaderValue::from_maybe_shared(ok(response, "the session token request")?)
            .map_err(|_| CredentialsError::failed(SOURCE, "the session token is not a valid header value"))?;
        token.set_sensitive(true);
        let header = || ("x-aws-ec2-metadata-token", token.clone());

        let response = ask(::http::Method::GET, CREDENTIALS_PATH.to_owned(), header(), "the role request").await?;
        if response.status() == ::http::StatusCode::NOT_FOUND {
            return Err(CredentialsError::not_configured(SOURCE, "the instance has no IAM role"));
        }
        let roles = ok(response, "the role request")?;
        let role = std::str::from_utf8(&roles).ok().and_then(|text| text.lines().next()).map(str::trim).unwrap_or("");
        if role.is_empty() || !role.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b)) {
            return Err(CredentialsError::failed(SOURCE, "the role request's answer is not a role name"));
        }
        let path = format!("{CREDENTIALS_PATH}{role}");
        let response = ask(::http::Method::GET, path, header(), "the credentials request").await?;
        let body = ok(response, "the credentials request")?;
        let code = json::parse_object(SOURCE, &body)?.get("Code").and_then(|code| code.as_str().map(str::to_owned));
        if code.as_deref().is_some_and(|code| code != "Success") {
            return Err(CredentialsError::failed(SOURCE, "the credentials request's answer is not `Success`"));
        }
        json::parse(SOURCE, &body, "Token")
    }
}

/// The body of a successful response; an error naming `what` and the status otherwise.
fn ok(response: HttpResponse, what: &str) -> Result<crate::transport::Bytes, CredentialsError> {
    if response.status().is_success() {
        Ok(response.into_body())
    } else {
        Err(CredentialsError::failed(SOURCE, format!("{what} was answered with HTTP {}", response.status().as_u16())))
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials_test_support::{Seen, Server};

    const BODY: &str = r#"{"Code":"Success","AccessKeyId":"AKID","SecretAccessKey":"S","Token":"T","Expiration":"2100-01-01T00:00:00Z"}"#;

    /// An IMDSv2 that checks the session token and has role `my-role` when `role` is set.
    fn imds(role: bool) -> impl Fn(&Seen) -> Option<(u16, String)> + Send + Sync + 'static {
        move |seen| {
            let token = seen.headers.get("x-aws-ec2-metadata-token").is_some_and(|t| t == "PLANTED-SESSION");
            Some(match (seen.method.as_str(), seen.path.as_str()) {
                ("PUT", "/latest/api/token") if seen.headers.get("x-aws-ec2-metadata-token-ttl-seconds").is_some() => {
                    (200, "PLANTED-SESSION".to_owned())
                }
                (_, _) if !token => (401, String::new()),
                ("GET", CREDENTIALS_PATH) if role => (200, "my-role\n".to_owned()),
                ("GET", "/latest/meta-data/iam/security-credentials/my-role") if role => (200, BODY.to_owned()),
                _ => (404, String::new()),
            })
        }
    }

    fn provider(server: &Server, extra: &[(&str, &str)]) -> ImdsProvider {
        let mut vars = vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT".to_owned(), server.url())];
        vars.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        ImdsProvider::new(Env::from_vars(vars))
    }

    #[tokio::test]
    async fn token_then_role_then_credentials() {
        let server = Server::start(imds(true)).await;
        let credentials = provider(&server, &[]).provide_credentials().await.unwrap();
        assert_eq!((credentials.access_key_id(), credentials.session_token()), ("AKID", Some("T")));
        let seen: Vec<_> = server.seen().into_iter().map(|seen| format!("{} {}", seen.method, seen.path)).collect();
        assert_eq!(
            seen,
            [
                "PUT /latest/api/token",
                "GET /latest/meta-data/iam/security-credentials/",
                "GET /latest/meta-data/iam/security-credentials/my-role"
            ]
        );
        assert_eq!(server.seen()[0].headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
    }

    #[tokio::test]
    async fn no_role_is_not_configured_and_the_opt_out_asks_nothing() {
        let server = Server::start(imds(false)).await;
        let error = provider(&server, &[]).provide_credentials().await.unwrap_err();
        assert!(error.is_not_configured() && error.to_string().contains("no IAM role"), "{error}");
        let before = server.seen().len();
        let error =
            provider(&server, &[("AWS_EC2_METADATA_DISABLED", "TRUE")]).provide_credentials().await.unwrap_err();
        assert!(error.is_not_configured(), "{error}");
        assert_eq!(server.seen().len(), before, "disabled: no request");
    }

    #[tokio::test]
    async fn failures_never_show_the_session_token() {
        let server = Server::start(|seen: &Seen| {
            Some(if seen.method == ::http::Method::PUT {
                (200, "PLANTED-SESSION".to_owned())
            } else {
                (500, "PLANTED".to_owned())
            })
        })
        .await;
        let error = provider(&server, &[]).provide_credentials().await.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!error.is_not_configured() && shown.contains("HTTP 500") && !shown.contains("PLANTED"), "{shown}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_endpoint_times_out_after_one_second() {
        let server = Server::start(|_| None).await;
        let started = tokio::time::Instant::now();
        let error = provider(&server, &[]).provide_credentials().await.unwrap_err();
        assert!(error.to_string().contains("no answer within 1s"), "{error}");
        assert!(!error.is_not_configured(), "an explicit endpoint that does not answer is a failure");
        assert_eq!(started.elapsed(), TIMEOUT);
    }

    #[test]
    fn which_endpoint() {
        let endpoint = |vars: &[(&str, &str)]| ImdsProvider::new(Env::from_vars(vars.iter().copied())).endpoint();
        assert_eq!(endpoint(&[]), ("http://169.254.169.254".to_owned(), false));
        assert_eq!(
            endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]),
            ("http://[fd00:ec2::254]".to_owned(), false)
        );
        let explicit = [
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234/"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
        ];
        assert_eq!(endpoint(&explicit), ("http://127.0.0.1:1234".to_owned(), true));
    }
}
