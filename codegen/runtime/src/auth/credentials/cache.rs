//! Credentials kept until shortly before they expire, then fetched again once however many
//! requests are waiting.
//!
//! The refresh time is set on tokio's clock when credentials arrive (their `expiry`, a wall
//! clock time, turned into "so long from now"): waits and tests then follow one clock, and a
//! test on tokio's paused clock controls when credentials are stale.

use std::sync::RwLock;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// How long before their expiry credentials are refreshed, as in the official SDKs.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// A provider that keeps the credentials of another: credentials without an expiry are kept
/// for good, the others until `buffer` before they expire. One refresh at a time: requests that
/// arrive during it wait for its result. Errors are not kept (the next request tries again).
#[derive(Debug)]
pub struct CachedProvider<P> {
    provider: P,
    buffer: Duration,
    cached: RwLock<Option<(Credentials, Option<Instant>)>>,
    refresh: tokio::sync::Mutex<()>,
}

impl<P: ProvideCredentials> CachedProvider<P> {
    /// Keeps the credentials of `provider`, refreshed [`DEFAULT_REFRESH_BUFFER`] before expiry.
    pub fn new(provider: P) -> Self {
        Self::with_refresh_buffer(provider, DEFAULT_REFRESH_BUFFER)
    }

    /// Keeps the credentials of `provider`, refreshed `buffer` before they expire.
    pub fn with_refresh_buffer(provider: P, buffer: Duration) -> Self {
        Self { provider, buffer, cached: RwLock::new(None), refresh: tokio::sync::Mutex::new(()) }
    }

    /// The credentials kept, when they are still fresh.
    fn fresh(&self) -> Option<Credentials> {
        // A panic while the lock was held left a complete value (writes are one assignment).
        let cached = self.cached.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*cached {
            Some((credentials, refresh_at)) if refresh_at.is_none_or(|at| Instant::now() < at) => {
                Some(credentials.clone())
            }
            _ => None,
        }
    }

    /// When credentials that expire at `expiry` must be refreshed: `buffer` before it, or
    /// halfway there when they arrive with less than `buffer` left (so that a provider handing
    /// out short-lived credentials is not asked on every request).
    fn refresh_at(&self, expiry: SystemTime) -> Instant {
        let left = expiry.duration_since(SystemTime::now()).unwrap_or_default();
        let keep = if left > self.buffer { left - self.buffer } else { left / 2 };
        Instant::now() + keep
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let _refreshing = self.refresh.lock().await;
        // Whoever held the lock before may have refreshed them.
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let credentials = self.provider.provide_credentials().await?;
        let refresh_at = credentials.expiry().map(|expiry| self.refresh_at(expiry));
        *self.cached.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((credentials.clone(), refresh_at));
        tracing::debug!(expires = credentials.expiry().is_some(), "credentials refreshed");
        Ok(credentials)
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts its calls; each takes a second and gives credentials valid for `valid`.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        valid: Option<Duration>,
        fail: bool,
    }

    impl Counting {
        fn new(valid: Option<Duration>) -> Arc<Self> {
            Arc::new(Self { calls: AtomicUsize::new(0), valid, fail: false })
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async move {
                let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
                if self.fail {
                    return Err(CredentialsError::failed("counting", "asked to fail"));
                }
                let expiry = self.valid.map(|valid| SystemTime::now() + valid);
                Ok(Credentials::new(format!("AKID{call}"), "S", None, expiry))
            })
        }
    }

    async fn many(cache: &Arc<CachedProvider<Arc<Counting>>>, waiters: usize) -> Vec<String> {
        let tasks: Vec<_> = (0..waiters)
            .map(|_| {
                let cache = Arc::clone(cache);
                tokio::spawn(async move { cache.provide_credentials().await.unwrap().access_key_id().to_owned() })
            })
            .collect();
        let mut keys = Vec::new();
        for task in tasks {
            keys.push(task.await.unwrap());
        }
        keys
    }

    #[tokio::test(start_paused = true)]
    async fn one_refresh_however_many_wait() {
        let counting = Counting::new(Some(Duration::from_secs(3600)));
        let cache = Arc::new(CachedProvider::new(Arc::clone(&counting)));
        let keys = many(&cache, 200).await;
        assert!(keys.iter().all(|key| key == "AKID1"), "{keys:?}");
        assert_eq!(counting.calls(), 1);

        // Still fresh 54 minutes on; stale within the five-minute buffer: one refresh again.
        tokio::time::advance(Duration::from_secs(54 * 60)).await;
        assert!(many(&cache, 50).await.iter().all(|key| key == "AKID1"));
        assert_eq!(counting.calls(), 1);
        tokio::time::advance(Duration::from_secs(60)).await;
        assert!(many(&cache, 200).await.iter().all(|key| key == "AKID2"));
        assert_eq!(counting.calls(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn credentials_without_expiry_are_kept_and_errors_are_not() {
        let counting = Counting::new(None);
        let cache = Arc::new(CachedProvider::new(Arc::clone(&counting)));
        many(&cache, 10).await;
        tokio::time::advance(Duration::from_secs(86_400 * 365)).await;
        many(&cache, 10).await;
        assert_eq!(counting.calls(), 1);

        let failing = Arc::new(Counting { calls: AtomicUsize::new(0), valid: None, fail: true });
        let cache = CachedProvider::new(Arc::clone(&failing));
        assert!(cache.provide_credentials().await.is_err());
        assert!(cache.provide_credentials().await.is_err());
        assert_eq!(failing.calls(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn short_lived_credentials_are_kept_half_their_life() {
        let counting = Counting::new(Some(Duration::from_secs(120)));
        let cache = CachedProvider::new(Arc::clone(&counting));
        cache.provide_credentials().await.unwrap();
        tokio::time::advance(Duration::from_secs(50)).await;
        cache.provide_credentials().await.unwrap();
        assert_eq!(counting.calls(), 1);
        tokio::time::advance(Duration::from_secs(20)).await;
        cache.provide_credentials().await.unwrap();
        assert_eq!(counting.calls(), 2);
    }
}
