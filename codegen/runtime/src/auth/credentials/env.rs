//! Where providers read environment variables: the process, or what a test or a program hands
//! them. Reading through [`Env`] rather than `std::env` lets tests run side by side, each with
//! its own variables (the process environment is shared by every thread).

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

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
}
