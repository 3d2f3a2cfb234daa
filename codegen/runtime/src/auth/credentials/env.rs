//! Where providers read environment variables: the process, or what a test or a program hands
//! them. Reading through [`Env`] rather than `std::env` lets tests run side by side, each with
//! its own variables (the process environment is shared by every thread).

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Every variable the credential sources read (a test below checks the sources name no other).
const VARIABLES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "HOME",
    "USERPROFILE",
    "HOMEDRIVE",
    "HOMEPATH",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
];

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Environment variables as the credential providers see them.
#[derive(Clone)]
pub struct Env {
    lookup: Arc<Lookup>,
}

impl fmt::Debug for Env {
    // Values are not shown: some of them are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env").finish_non_exhaustive()
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::process()
    }
}

impl Env {
    /// The variables of this process.
    pub fn process() -> Self {
        Self::from_fn(|name| std::env::var(name).ok())
    }

    /// Variables looked up by `lookup`.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self { lookup: Arc::new(lookup) }
    }

    /// Exactly these variables, and no others.
    pub fn from_vars<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        let vars: HashMap<String, String> = vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Self::from_fn(move |name| vars.get(name).cloned())
    }

    /// The variables every credential source reads, copied from `lookup` now (for callers
    /// whose lookup is borrowed, as `Config::builder_from`'s is).
    pub fn snapshot(lookup: &dyn Fn(&str) -> Option<String>) -> Self {
        Self::from_vars(VARIABLES.iter().filter_map(|name| Some((*name, lookup(name)?))))
    }

    /// The value of `name`, trimmed; `None` when unset or blank (the SDKs treat an empty
    /// variable as unset).
    pub fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
    }

    /// Whether `name` is `true` (any case).
    pub(crate) fn is_true(&self, name: &str) -> bool {
        self.get(name).is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }

    /// The user's home directory: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH`
    /// (the order of the official SDKs).
    pub(crate) fn home_dir(&self) -> Option<PathBuf> {
        self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from).or_else(|| {
            let drive = self.get("HOMEDRIVE")?;
            let path = self.get("HOMEPATH")?;
            Some(PathBuf::from(format!("{drive}{path}")))
        })
    }

    /// `path` with a leading `~` replaced by the home directory.
    pub(crate) fn expand_home(&self, path: &str) -> Option<PathBuf> {
        match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
                Some(self.home_dir()?.join(rest.trim_start_matches(['/', '\\'])))
            }
            _ => Some(PathBuf::from(path)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_unset_and_values_are_trimmed() {
        let env = Env::from_vars([("A", " x "), ("B", "  ")]);
        assert_eq!(env.get("A").as_deref(), Some("x"));
        assert_eq!(env.get("B"), None);
        assert_eq!(env.get("C"), None);
    }

    #[test]
    fn home_is_expanded() {
        let env = Env::from_vars([("USERPROFILE", "/users/me")]);
        assert_eq!(env.expand_home("~/.aws/config"), Some(PathBuf::from("/users/me/.aws/config")));
        assert_eq!(env.expand_home("/etc/aws"), Some(PathBuf::from("/etc/aws")));
        assert_eq!(Env::from_vars([("X", "1")]).expand_home("~/.aws/config"), None);
        let env = Env::from_vars([("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\me")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("C:\\Users\\me")));
    }

    #[test]
    fn the_snapshot_has_every_variable_the_sources_read() {
        let sources = [
            include_str!("environment.rs"),
            include_str!("profile_file.rs"),
            include_str!("container.rs"),
            include_str!("imds.rs"),
            include_str!("env.rs"),
        ];
        for source in sources {
            let code = &source[..source.find("#[cfg(test)]").unwrap_or(source.len())];
            for quoted in code.split('"').skip(1).step_by(2) {
                let variable = quoted.contains('_')
                    && quoted.starts_with(|c: char| c.is_ascii_uppercase())
                    && quoted.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
                if variable {
                    assert!(VARIABLES.contains(&quoted), "{quoted} is read but not in VARIABLES");
                }
            }
        }
        let env = Env::snapshot(&|name| (name == "AWS_PROFILE" || name == "UNRELATED").then(|| "x".to_owned()));
        assert_eq!((env.get("AWS_PROFILE").as_deref(), env.get("UNRELATED")), (Some("x"), None));
    }
}
