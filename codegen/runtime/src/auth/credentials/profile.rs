//! Credentials and region from the selected profile of the shared config and credentials files
//! (`AWS_PROFILE`, else `default`).
//!
//! A profile gives credentials by static keys (`aws_access_key_id`, `aws_secret_access_key`,
//! `aws_session_token`) or by `credential_process`. Assumed roles (`role_arn`), web identity
//! and SSO are not supported: a profile that uses them fails, naming the setting, rather than
//! letting the chain fall through to another source the user did not mean.

use super::profile_file::{Profile, Profiles};
use super::{Credentials, CredentialsError, CredentialsFuture, Env, ProvideCredentials, process};

const SOURCE: &str = "profile";

/// Settings of profiles this crate does not support, and what they are.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("role_arn", "assume-role"),
    ("web_identity_token_file", "web identity"),
    ("sso_session", "SSO"),
    ("sso_start_url", "SSO"),
];

/// Reads the selected profile's credentials.
#[derive(Debug, Clone, Default)]
pub struct ProfileProvider {
    env: Env,
}

/// How the profile gives credentials.
enum Source {
    Static(Credentials),
    Process(String),
}

impl ProfileProvider {
    /// Finds the files and the profile through `env`.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    fn source(&self) -> Result<Source, CredentialsError> {
        let profiles = Profiles::load(&self.env)?;
        let name = profiles.selected_name();
        let Some(profile) = profiles.selected() else {
            return Err(if profiles.is_named() {
                CredentialsError::failed(SOURCE, format!("AWS_PROFILE names profile `{name}`, which neither file has"))
            } else {
                CredentialsError::not_configured(SOURCE, "no `default` profile")
            });
        };
        if let Some((setting, what)) = UNSUPPORTED.iter().find(|(setting, _)| profile.get(setting).is_some()) {
            return Err(CredentialsError::failed(
                SOURCE,
                format!("profile `{name}` uses {what} credentials (`{setting}`), which this crate does not support"),
            ));
        }
        if let Some(credentials) = static_keys(profile, name)? {
            return Ok(Source::Static(credentials));
        }
        match profile.get("credential_process") {
            Some(command) => Ok(Source::Process(command.to_owned())),
            None => Err(CredentialsError::not_configured(SOURCE, format!("profile `{name}` has no credentials"))),
        }
    }
}

/// The profile's static keys, when it has them.
fn static_keys(profile: &Profile, name: &str) -> Result<Option<Credentials>, CredentialsError> {
    match (profile.get("aws_access_key_id"), profile.get("aws_secret_access_key")) {
        (Some(id), Some(secret)) => {
            Ok(Some(Credentials::new(id, secret, profile.get("aws_session_token").map(str::to_owned), None)))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err(CredentialsError::failed(
            SOURCE,
            format!("profile `{name}` has `aws_access_key_id` but no `aws_secret_access_key`"),
        )),
        (None, Some(_)) => Err(CredentialsError::failed(
            SOURCE,
            format!("profile `{name}` has `aws_secret_access_key` but no `aws_access_key_id`"),
        )),
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match self.source()? {
                Source::Static(credentials) => Ok(credentials),
                Source::Process(command) => process::run(&command).await,
            }
        })
    }
}

/// The selected profile's `region`, when the files give one (an unreadable file gives none:
/// the region then comes from elsewhere or is missing, which the client reports).
pub fn profile_region(env: &Env) -> Option<String> {
    Profiles::load(env).ok()?.selected()?.get("region").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials_test_support::TempDir;

    fn provider(dir: &TempDir, config: &str, credentials: &str, profile: Option<&str>) -> ProfileProvider {
        let mut vars = vec![
            ("AWS_CONFIG_FILE", dir.write("config", config)),
            ("AWS_SHARED_CREDENTIALS_FILE", dir.write("credentials", credentials)),
        ];
        vars.extend(profile.map(|name| ("AWS_PROFILE", name.to_owned())));
        ProfileProvider::new(Env::from_vars(vars))
    }

    #[tokio::test]
    async fn static_keys_of_the_selected_profile() {
        let dir = TempDir::new("profile-static");
        let credentials = "[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = S\n\
                           [dev]\naws_access_key_id = DEV\naws_secret_access_key = S2\naws_session_token = T\n";
        let got = provider(&dir, "", credentials, None).provide_credentials().await.unwrap();
        assert_eq!(got.access_key_id(), "DEFAULT");
        let got = provider(&dir, "", credentials, Some("dev")).provide_credentials().await.unwrap();
        assert_eq!(got, Credentials::new("DEV", "S2", Some("T".into()), None));
    }

    #[tokio::test]
    async fn credential_process_of_a_config_profile() {
        let dir = TempDir::new("profile-process");
        let config = "[profile p]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"FROM-PROCESS\",\"SecretAccessKey\":\"S\"}'\n";
        let got = provider(&dir, config, "", Some("p")).provide_credentials().await.unwrap();
        assert_eq!(got.access_key_id(), "FROM-PROCESS");
    }

    #[tokio::test]
    async fn not_configured_versus_failed() {
        let dir = TempDir::new("profile-kinds");
        let not_configured = |error: CredentialsError| error.is_not_configured();
        // No files, or a default profile with only a region: not configured here.
        assert!(not_configured(provider(&dir, "", "", None).provide_credentials().await.unwrap_err()));
        let region_only = "[default]\nregion = eu-west-1\n";
        assert!(not_configured(provider(&dir, region_only, "", None).provide_credentials().await.unwrap_err()));
        // A named profile that is missing, half keys, or an unsupported source: failed.
        let error = provider(&dir, region_only, "", Some("gone")).provide_credentials().await.unwrap_err();
        assert!(!error.is_not_configured() && error.to_string().contains("`gone`"), "{error}");
        let half = "[default]\naws_secret_access_key = PLANTED-SECRET\n";
        let error = provider(&dir, "", half, None).provide_credentials().await.unwrap_err();
        assert!(!error.is_not_configured() && !format!("{error} {error:?}").contains("PLANTED"), "{error}");
        let role = "[profile r]\nrole_arn = arn:aws:iam::123:role/x\nsource_profile = default\n";
        let error = provider(&dir, role, "", Some("r")).provide_credentials().await.unwrap_err();
        assert!(!error.is_not_configured() && error.to_string().contains("assume-role"), "{error}");
        let broken = "[default]\naws_secret_access_key PLANTED-SECRET\n";
        let error = provider(&dir, "", broken, None).provide_credentials().await.unwrap_err();
        assert!(error.to_string().contains("line 2") && !format!("{error:?}").contains("PLANTED"), "{error}");
    }

    #[test]
    fn region_from_the_profile() {
        let dir = TempDir::new("profile-region");
        let env = |profile: &str| {
            Env::from_vars([
                (
                    "AWS_CONFIG_FILE",
                    dir.write("config", "[default]\nregion = us-west-2\n[profile eu]\nregion = eu-west-1\n"),
                ),
                ("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none").to_string_lossy().into_owned()),
                ("AWS_PROFILE", profile.to_owned()),
            ])
        };
        assert_eq!(profile_region(&env("eu")).as_deref(), Some("eu-west-1"));
        assert_eq!(profile_region(&env("default")).as_deref(), Some("us-west-2"));
        assert_eq!(profile_region(&env("other")), None);
    }
}
