//! Credentials from environment variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and,
//! for temporary credentials, `AWS_SESSION_TOKEN`.

use super::{Credentials, CredentialsError, CredentialsFuture, Env, ProvideCredentials};

const SOURCE: &str = "environment";

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the variables from `env`.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let access_key_id = self.env.get("AWS_ACCESS_KEY_ID");
        let secret_access_key = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (access_key_id, secret_access_key) {
            (Some(id), Some(secret)) => Ok(Credentials::new(id, secret, self.env.get("AWS_SESSION_TOKEN"), None)),
            (None, None) => Err(CredentialsError::not_configured(SOURCE, "AWS_ACCESS_KEY_ID is not set")),
            (Some(_), None) => {
                Err(CredentialsError::failed(SOURCE, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))
            }
            (None, Some(_)) => {
                Err(CredentialsError::failed(SOURCE, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"))
            }
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        EnvironmentProvider::new(Env::from_vars(vars.iter().copied())).load()
    }

    #[test]
    fn keys_and_session_token() {
        let credentials =
            load(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "SECRET"), ("AWS_SESSION_TOKEN", "TOKEN")])
                .unwrap();
        assert_eq!(credentials, Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None));
        let credentials = load(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "SECRET")]).unwrap();
        assert_eq!(credentials.session_token(), None);
    }

    #[test]
    fn unset_is_not_configured_and_half_set_fails_without_the_secret() {
        assert!(load(&[]).unwrap_err().is_not_configured());
        let error = load(&[("AWS_SECRET_ACCESS_KEY", "PLANTED-SECRET")]).unwrap_err();
        assert!(!error.is_not_configured());
        assert!(!format!("{error} {error:?}").contains("PLANTED-SECRET"));
        assert!(!load(&[("AWS_ACCESS_KEY_ID", "AKID")]).unwrap_err().is_not_configured());
    }
}
