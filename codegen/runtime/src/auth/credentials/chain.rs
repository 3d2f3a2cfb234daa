//! Sources asked in turn, and the default chain of the official SDKs: environment variables,
//! the shared config and credentials files, the container endpoint, then the EC2 instance
//! metadata service.
//!
//! The first source that gives credentials wins and the rest are not asked. A source that is
//! not configured here passes to the next; one that is configured and fails stops the chain
//! with its error (falling through would sign with credentials the user did not choose).

use std::sync::Arc;

use super::{
    CachedProvider, ContainerProvider, Credentials, CredentialsError, CredentialsFuture, Env, EnvironmentProvider,
    ImdsProvider, ProfileProvider, ProvideCredentials,
};
use crate::transport::HttpClient;

const SOURCE: &str = "default chain";

/// Sources asked in order; see the module documentation for the rules.
#[derive(Debug)]
pub struct CredentialsChain {
    sources: Vec<Box<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// A chain of `sources`, asked in this order.
    pub fn new(sources: Vec<Box<dyn ProvideCredentials>>) -> Self {
        Self { sources }
    }

    /// The official SDKs' default chain, reading variables from `env` and sending the HTTP
    /// sources' requests through `http_client` (the default transport when `None`).
    pub fn default_chain(env: Env, http_client: Option<Arc<dyn HttpClient>>) -> Self {
        let (mut container, mut imds) = (ContainerProvider::new(env.clone()), ImdsProvider::new(env.clone()));
        if let Some(client) = http_client {
            container = container.with_http_client(Arc::clone(&client));
            imds = imds.with_http_client(client);
        }
        Self::new(vec![
            Box::new(EnvironmentProvider::new(env.clone())),
            Box::new(ProfileProvider::new(env)),
            Box::new(container),
            Box::new(imds),
        ])
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut skipped = Vec::new();
        for source in &self.sources {
            match source.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = ?source, "credentials loaded");
                    return Ok(credentials);
                }
                Err(error) if error.is_not_configured() => {
                    skipped.push(format!("{}: {}", error.source_name(), error.message()))
                }
                Err(error) => {
                    tracing::debug!(%error, "credentials source failed");
                    return Err(error);
                }
            }
        }
        Err(CredentialsError::not_configured(SOURCE, format!("no source has credentials ({})", skipped.join("; "))))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The default chain over the process's environment, behind a cache: what a client uses when
/// no provider is given.
pub fn default_provider() -> CachedProvider<CredentialsChain> {
    CachedProvider::new(CredentialsChain::default_chain(Env::process(), None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials_test_support::{Server, TempDir, logged};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A source that answers as told and counts its calls.
    #[derive(Debug)]
    struct Fixed {
        answer: fn() -> Result<Credentials, CredentialsError>,
        calls: Arc<AtomicUsize>,
    }

    fn fixed(answer: fn() -> Result<Credentials, CredentialsError>) -> (Box<dyn ProvideCredentials>, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        (Box::new(Fixed { answer, calls: Arc::clone(&calls) }), calls)
    }

    impl ProvideCredentials for Fixed {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let answer = (self.answer)();
            Box::pin(async move { answer })
        }
    }

    fn keys(id: &str) -> Result<Credentials, CredentialsError> {
        Ok(Credentials::new(id, "S", None, None))
    }

    #[tokio::test]
    async fn first_with_credentials_wins_and_the_rest_are_not_asked() {
        let (a, a_calls) = fixed(|| Err(CredentialsError::not_configured("a", "nothing")));
        let (b, b_calls) = fixed(|| keys("B"));
        let (c, c_calls) = fixed(|| keys("C"));
        let chain = CredentialsChain::new(vec![a, b, c]);
        assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "B");
        let calls: Vec<_> = [a_calls, b_calls, c_calls].iter().map(|calls| calls.load(Ordering::SeqCst)).collect();
        assert_eq!(calls, [1, 1, 0]);
    }

    #[tokio::test]
    async fn a_configured_source_that_fails_stops_the_chain() {
        let (a, _) = fixed(|| Err(CredentialsError::failed("a", "broken")));
        let (b, b_calls) = fixed(|| keys("B"));
        let error = CredentialsChain::new(vec![a, b]).provide_credentials().await.unwrap_err();
        assert_eq!((error.source_name(), error.is_not_configured()), ("a", false));
        assert_eq!(b_calls.load(Ordering::SeqCst), 0);

        let (a, _) = fixed(|| Err(CredentialsError::not_configured("a", "no a")));
        let (b, _) = fixed(|| Err(CredentialsError::not_configured("b", "no b")));
        let error = CredentialsChain::new(vec![a, b]).provide_credentials().await.unwrap_err();
        assert!(error.is_not_configured());
        assert!(error.to_string().contains("a: no a; b: no b"), "{error}");
    }

    /// The default chain over real sources: each one set up, earlier ones taken away in turn.
    #[tokio::test]
    async fn the_default_chain_in_the_official_order() {
        let imds = Server::start(|seen| {
            Some(match seen.path.as_str() {
                "/latest/api/token" => (200, "t".to_owned()),
                "/latest/meta-data/iam/security-credentials/" => (200, "role".to_owned()),
                _ => (
                    200,
                    r#"{"Code":"Success","AccessKeyId":"FROM-IMDS","SecretAccessKey":"S","Token":"T"}"#.to_owned(),
                ),
            })
        })
        .await;
        let container =
            Server::start(|_| Some((200, r#"{"AccessKeyId":"FROM-CONTAINER","SecretAccessKey":"S"}"#.to_owned())))
                .await;
        let dir = TempDir::new("chain");
        let all = [
            ("AWS_ACCESS_KEY_ID", "FROM-ENV".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "S".to_owned()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.write("credentials", "[default]\naws_access_key_id = FROM-PROFILE\naws_secret_access_key = S\n"),
            ),
            ("AWS_CONFIG_FILE", dir.path().join("no-config").to_string_lossy().into_owned()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
        ];
        let chain = |skip: usize| {
            let vars = all.iter().enumerate().filter(|(i, _)| *i >= skip).map(|(_, (k, v))| (*k, v.clone()));
            CredentialsChain::default_chain(Env::from_vars(vars), None)
        };
        for (skip, expected) in [(0, "FROM-ENV"), (2, "FROM-PROFILE"), (3, "FROM-CONTAINER"), (5, "FROM-IMDS")] {
            let credentials = chain(skip).provide_credentials().await.unwrap();
            assert_eq!(credentials.access_key_id(), expected, "without the first {skip} variables");
        }
        assert_eq!(container.seen().len(), 1, "asked only when the earlier sources had nothing");
        assert_eq!(imds.seen().len(), 3);
    }

    /// Every source run, successful and failing, with planted secrets: none reaches the logs.
    #[test]
    fn no_secret_in_logs() {
        let ((), events) = logged(|| async {
            let imds = Server::start(|seen| {
                Some(match seen.path.as_str() {
                    "/latest/api/token" => (200, "PLANTED-SESSION".to_owned()),
                    "/latest/meta-data/iam/security-credentials/" => (200, "role".to_owned()),
                    _ => {
                        (200, r#"{"AccessKeyId":"AKID","SecretAccessKey":"PLANTED-1","Token":"PLANTED-2"}"#.to_owned())
                    }
                })
            })
            .await;
            let container = Server::start(|_| Some((500, "PLANTED-BODY".to_owned()))).await;
            let dir = TempDir::new("chain-logs");
            let runs = [
                vec![("AWS_ACCESS_KEY_ID", "AKID".to_owned()), ("AWS_SECRET_ACCESS_KEY", "PLANTED-3".to_owned())],
                vec![(
                    "AWS_SHARED_CREDENTIALS_FILE",
                    dir.write("c", "[default]\naws_access_key_id = A\naws_secret_access_key = PLANTED-4\n"),
                )],
                vec![
                    ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url()),
                    ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "PLANTED-5".to_owned()),
                ],
                vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url())],
            ];
            for vars in runs {
                let cached = CachedProvider::new(CredentialsChain::default_chain(Env::from_vars(vars), None));
                let _ = cached.provide_credentials().await;
            }
        });
        let all = events.join("\n");
        assert!(all.contains("credentials loaded") && all.contains("credentials source failed"), "{all}");
        assert!(all.contains("credentials refreshed"), "{all}");
        assert!(!all.contains("PLANTED"), "{all}");
    }
}
