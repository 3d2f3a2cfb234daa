//! One request of the HTTP sources (container and instance metadata), through the crate's own
//! transport, with a time limit: these endpoints are local and answer at once or not at all.

use std::sync::Arc;
use std::time::Duration;

use crate::transport::{DefaultHttpClient, HttpClient, HttpRequest, HttpResponse};

use super::{CredentialsError, Env};

/// What an HTTP source is set up with: the variables it reads and, when given, its transport.
#[derive(Clone, Default)]
pub(crate) struct HttpSource {
    pub(crate) env: Env,
    given: Option<Arc<dyn HttpClient>>,
}

impl std::fmt::Debug for HttpSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSource")
            .field("http_client", &self.given.as_ref().map(|_| "custom"))
            .finish_non_exhaustive()
    }
}

impl HttpSource {
    pub(crate) fn new(env: Env) -> Self {
        Self { env, given: None }
    }

    pub(crate) fn with_http_client(self, client: Arc<dyn HttpClient>) -> Self {
        Self { given: Some(client), ..self }
    }

    /// The transport: the given one, else the default client with `connect` as its connection
    /// timeout.
    pub(crate) fn client(&self, connect: Duration) -> Arc<dyn HttpClient> {
        self.given.clone().unwrap_or_else(|| Arc::new(DefaultHttpClient::new(Some(connect))))
    }
}

/// Why a request got no response: it could not connect or took too long, which for a local
/// endpoint usually means that it is not there.
#[derive(Debug)]
pub(crate) enum Unanswered {
    TimedOut,
    Transport(crate::error::TransportError),
}

/// Sends `request`, giving up after `limit`.
pub(crate) async fn send(
    client: &dyn HttpClient,
    request: HttpRequest,
    limit: Duration,
) -> Result<HttpResponse, Unanswered> {
    match tokio::time::timeout(limit, client.send(request)).await {
        Err(_) => Err(Unanswered::TimedOut),
        Ok(Err(e)) => Err(Unanswered::Transport(e)),
        Ok(Ok(response)) => Ok(response),
    }
}

impl Unanswered {
    /// As an error of `source`: `what` names the request, `limit` its time limit.
    pub(crate) fn into_error(
        self,
        source: &'static str,
        what: &str,
        limit: Duration,
        configured: bool,
    ) -> CredentialsError {
        let error = |why: String| {
            if configured {
                CredentialsError::failed(source, why)
            } else {
                CredentialsError::not_configured(source, why)
            }
        };
        match self {
            Unanswered::TimedOut => error(format!("{what}: no answer within {limit:?}")),
            Unanswered::Transport(e) => error(format!("{what}: no answer")).with_cause(e),
        }
    }
}
