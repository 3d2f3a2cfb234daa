//! What `Config::from_env` adds in crates that sign: the selected profile's region when no
//! variable gives one, and the default credentials chain behind a cache.

use super::{CachedProvider, CredentialsChain, Env, profile_region};
use crate::config::ConfigBuilder;

/// `builder` with the region of the profile (unless it has one) and the default chain, both
/// read through the variables `lookup` gives.
pub(crate) fn from_env(mut builder: ConfigBuilder, lookup: &dyn Fn(&str) -> Option<String>) -> ConfigBuilder {
    let env = Env::snapshot(lookup);
    if builder.config().region().is_none()
        && let Some(region) = profile_region(&env)
    {
        builder = builder.region(region);
    }
    builder.credentials_provider(CachedProvider::new(CredentialsChain::default_chain(env, None)))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::credentials_test_support::TempDir;

    #[tokio::test]
    async fn region_and_credentials_from_the_profile() {
        let dir = TempDir::new("from-env");
        let config = dir.write("config", "[profile dev]\nregion = eu-west-1\n");
        let credentials =
            dir.write("credentials", "[dev]\naws_access_key_id = FROM-PROFILE\naws_secret_access_key = S\n");
        let (config, credentials) = (&config, &credentials);
        let lookup = |region: Option<&'static str>| {
            move |name: &str| match name {
                "AWS_CONFIG_FILE" => Some(config.clone()),
                "AWS_SHARED_CREDENTIALS_FILE" => Some(credentials.clone()),
                "AWS_PROFILE" => Some("dev".to_owned()),
                "AWS_REGION" => region.map(str::to_owned),
                _ => None,
            }
        };
        let from_profile = Config::builder_from(lookup(None)).unwrap().build().unwrap();
        assert_eq!(from_profile.region(), Some("eu-west-1"));
        let provider = from_profile.credentials_provider().expect("the default chain");
        assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "FROM-PROFILE");

        let from_variable = Config::builder_from(lookup(Some("us-east-2"))).unwrap().build().unwrap();
        assert_eq!(from_variable.region(), Some("us-east-2"), "AWS_REGION wins over the profile");
    }
}
