//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`): their
//! format, and the profiles of both merged.
//!
//! The rules are those of the official SDKs: in the config file a profile is `[profile NAME]`
//! (or `[default]`; `[profile default]` wins over `[default]` when both are there) and a section
//! without the prefix is ignored; in the credentials file a profile is `[NAME]`. A profile in
//! both files has the properties of both, the credentials file's winning. Property names are
//! case-insensitive. Lines starting with `#` or `;` are comments, and so is what follows ` #` or
//! ` ;` after a value; an indented line continues the property above it (sub-properties such as
//! `s3 =` then `  max_concurrent_requests = 10` are kept as its text). Errors give the file and
//! line number, never the line's text: it may be a secret.

use std::collections::HashMap;
use std::path::Path;

use super::{CredentialsError, Env};

const SOURCE: &str = "profile";

/// One profile's properties, names in lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Profile {
    properties: HashMap<String, String>,
}

impl Profile {
    /// The value of `name` (lower case), when set and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.properties.get(name).map(String::as_str).filter(|value| !value.is_empty())
    }
}

/// The profiles of both files, and the one selected by `AWS_PROFILE`.
#[derive(Debug, Clone)]
pub(crate) struct Profiles {
    profiles: HashMap<String, Profile>,
    selected: String,
    /// Whether the profile was named by `AWS_PROFILE` (a missing named profile is an error; a
    /// missing `default` only means profiles are not used).
    named: bool,
}

impl Profiles {
    /// Reads both files where `env` says they are (`AWS_CONFIG_FILE`,
    /// `AWS_SHARED_CREDENTIALS_FILE`, else under `~/.aws/`). A missing file has no profiles.
    pub(crate) fn load(env: &Env) -> Result<Self, CredentialsError> {
        let mut profiles = HashMap::new();
        for (kind, variable, default) in [
            (FileKind::Config, "AWS_CONFIG_FILE", "~/.aws/config"),
            (FileKind::Credentials, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
        ] {
            let Some(path) = env.expand_home(&env.get(variable).unwrap_or_else(|| default.to_owned())) else {
                continue;
            };
            let Some(text) = read(&path)? else { continue };
            for (name, profile) in parse(&text, kind).map_err(|line| {
                CredentialsError::failed(
                    SOURCE,
                    format!("line {line} of {} is not a profile, a property or a comment", path.display()),
                )
            })? {
                let merged: &mut Profile = profiles.entry(name).or_default();
                merged.properties.extend(profile.properties);
            }
        }
        let named = env.get("AWS_PROFILE");
        Ok(Self { profiles, named: named.is_some(), selected: named.unwrap_or_else(|| "default".to_owned()) })
    }

    /// The selected profile's name.
    pub(crate) fn selected_name(&self) -> &str {
        &self.selected
    }

    /// Whether `AWS_PROFILE` named the profile.
    pub(crate) fn is_named(&self) -> bool {
        self.named
    }

    /// The selected profile, when either file has it.
    pub(crate) fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }
}

/// Which file a text comes from: they name profiles differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Config,
    Credentials,
}

fn read(path: &Path) -> Result<Option<String>, CredentialsError> {
    // Synchronous: two small files, read once per refresh of the credentials.
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialsError::failed(SOURCE, format!("reading {} failed", path.display())).with_cause(e)),
    }
}

/// The profiles of one file, by name; on error, the number of the line at fault.
pub(crate) fn parse(text: &str, kind: FileKind) -> Result<HashMap<String, Profile>, usize> {
    // `[profile default]` beats `[default]` in the config file, whichever comes first.
    let mut plain_default: Option<Profile> = None;
    let mut profiles: HashMap<String, Profile> = HashMap::new();
    // The section being read: `None` before the first one, `Some(None)` inside one ignored.
    let mut section: Option<Option<(String, bool)>> = None;
    let mut last_property: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header.split_once(']').ok_or(number)?.0.trim();
            section = Some(profile_name(name, kind).map(|(name, plain)| (name.to_owned(), plain)));
            last_property = None;
            continue;
        }
        let Some(current) = &section else { return Err(number) };
        let Some((name, plain)) = current else { continue };
        let profile = if *plain {
            plain_default.get_or_insert_with(Profile::default)
        } else {
            profiles.entry(name.clone()).or_default()
        };
        if line.starts_with([' ', '\t']) {
            // A continuation, or a sub-property, of the property above.
            let key = last_property.as_ref().ok_or(number)?;
            let value = profile.properties.entry(key.clone()).or_default();
            if !value.is_empty() {
                value.push('\n');
            }
            value.push_str(trimmed);
            continue;
        }
        let (key, value) = trimmed.split_once('=').ok_or(number)?;
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(number);
        }
        profile.properties.insert(key.clone(), strip_comment(value).trim().to_owned());
        last_property = Some(key);
    }
    if let Some(default) = plain_default {
        profiles.entry("default".to_owned()).or_insert(default);
    }
    Ok(profiles)
}

/// The profile a section header names, and whether it is the config file's plain `[default]`;
/// `None` for a section that is not a profile of this kind of file.
fn profile_name(header: &str, kind: FileKind) -> Option<(&str, bool)> {
    let valid = |name: &str| !name.is_empty() && !name.contains(char::is_whitespace);
    match kind {
        FileKind::Credentials => valid(header).then_some((header, false)),
        FileKind::Config if header == "default" => Some((header, true)),
        FileKind::Config => {
            let name = header.strip_prefix("profile")?;
            let name = name.strip_prefix([' ', '\t'])?.trim();
            valid(name).then_some((name, false))
        }
    }
}

/// A value without its comment: what follows a `#` or `;` that follows whitespace.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    let end = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &value[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials_test_support::TempDir;

    fn get<'a>(profiles: &'a HashMap<String, Profile>, profile: &str, name: &str) -> Option<&'a str> {
        profiles.get(profile)?.get(name)
    }

    #[test]
    fn config_file_needs_the_profile_prefix() {
        let text = "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1 ; a comment\n[prod]\nregion = ap-south-1\n";
        let profiles = parse(text, FileKind::Config).unwrap();
        assert_eq!(get(&profiles, "default", "region"), Some("us-east-1"));
        assert_eq!(get(&profiles, "dev", "region"), Some("eu-west-1"));
        assert!(!profiles.contains_key("prod"), "`[prod]` is not a profile in the config file");
    }

    #[test]
    fn profile_default_wins_over_default_in_config() {
        let text = "[profile default]\nregion = a\n[default]\nregion = b\noutput = json\n";
        let profiles = parse(text, FileKind::Config).unwrap();
        assert_eq!(get(&profiles, "default", "region"), Some("a"));
        assert_eq!(get(&profiles, "default", "output"), None);
        let profiles = parse("[default]\nregion = b\n", FileKind::Config).unwrap();
        assert_eq!(get(&profiles, "default", "region"), Some("b"));
    }

    #[test]
    fn credentials_file_names_profiles_plainly() {
        let text = "# keys\n[default]\naws_access_key_id = AKID\n\n[dev]\nAWS_Secret_Access_Key=abc#def\n";
        let profiles = parse(text, FileKind::Credentials).unwrap();
        assert_eq!(get(&profiles, "default", "aws_access_key_id"), Some("AKID"));
        assert_eq!(get(&profiles, "dev", "aws_secret_access_key"), Some("abc#def"), "no whitespace: not a comment");
    }

    #[test]
    fn sub_properties_and_continuations() {
        let text = "[profile x]\ns3 =\n  max_concurrent_requests = 10\nregion = r\n";
        let profiles = parse(text, FileKind::Config).unwrap();
        assert_eq!(get(&profiles, "x", "s3"), Some("max_concurrent_requests = 10"));
        assert_eq!(get(&profiles, "x", "region"), Some("r"));
    }

    #[test]
    fn errors_give_the_line_number() {
        assert_eq!(parse("region = r\n", FileKind::Config), Err(1));
        assert_eq!(parse("[default]\n\nnot a property\n", FileKind::Credentials), Err(3));
        assert_eq!(parse("[default\n", FileKind::Credentials), Err(1));
        assert_eq!(parse("[default]\n  indented first\n", FileKind::Credentials), Err(2));
    }

    #[test]
    fn both_files_merge_the_credentials_file_winning() {
        let dir = TempDir::new("profiles-merge");
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", dir.write("config", "[profile dev]\nregion = eu-west-1\naws_access_key_id = OLD\n")),
            ("AWS_SHARED_CREDENTIALS_FILE", dir.write("credentials", "[dev]\naws_access_key_id = NEW\n")),
            ("AWS_PROFILE", "dev".to_owned()),
        ]);
        let profiles = Profiles::load(&env).unwrap();
        let dev = profiles.selected().unwrap();
        assert_eq!((dev.get("region"), dev.get("aws_access_key_id")), (Some("eu-west-1"), Some("NEW")));
        assert!(profiles.is_named());
    }

    #[test]
    fn missing_files_have_no_profiles_and_home_is_the_default_place() {
        let env = Env::from_vars([("HOME", "/nonexistent/home")]);
        let profiles = Profiles::load(&env).unwrap();
        assert!(profiles.selected().is_none() && !profiles.is_named());
        assert_eq!(profiles.selected_name(), "default");
    }
}
