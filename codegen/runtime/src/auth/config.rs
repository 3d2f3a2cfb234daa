//! The configuration's credentials provider, in crates that sign.

use std::sync::Arc;

use super::credentials::ProvideCredentials;
use crate::config::{Config, ConfigBuilder};

impl ConfigBuilder {
    /// Where the credentials that sign requests come from: fixed
    /// [`Credentials`](super::credentials::Credentials), or any [`ProvideCredentials`].
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.config().credentials_provider = Some(Arc::new(provider));
        self
    }
}

impl Config {
    /// The credentials provider, when one is set.
    pub fn credentials_provider(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.credentials_provider.as_ref()
    }
}
