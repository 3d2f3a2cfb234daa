//! `credential_process`: a profile's command whose standard output is the credentials, as JSON
//! (`{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ...,
//! "Expiration": ...}`).
//!
//! The command runs through the shell (`sh -c`, `cmd /C` on Windows), as the official SDKs run
//! it, on a thread of its own so that no async worker waits on it. Errors give its exit status,
//! not its output, which holds secrets when it is right.

use std::process::{Command, Stdio};

use super::{Credentials, CredentialsError, json};

const SOURCE: &str = "credential_process";

/// Runs `command` and reads the credentials it prints.
pub(crate) async fn run(command: &str) -> Result<Credentials, CredentialsError> {
    let mut shell = if cfg!(windows) {
        let mut shell = Command::new("cmd.exe");
        shell.arg("/C");
        shell
    } else {
        let mut shell = Command::new("sh");
        shell.arg("-c");
        shell
    };
    shell.arg(command).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("credential_process".into())
        .spawn(move || _ = done.send(shell.output()))
        .map_err(|e| CredentialsError::failed(SOURCE, "no thread to run the command on").with_cause(e))?;
    let output = result
        .await
        .map_err(|_| CredentialsError::failed(SOURCE, "the thread running the command ended without a result"))?
        .map_err(|e| CredentialsError::failed(SOURCE, "the command could not be started").with_cause(e))?;
    if !output.status.success() {
        return Err(CredentialsError::failed(SOURCE, format!("the command ended with {}", output.status)));
    }
    parse(&output.stdout)
}

/// The credentials in the command's output.
fn parse(stdout: &[u8]) -> Result<Credentials, CredentialsError> {
    let version = json::parse_object(SOURCE, stdout)?.get("Version").and_then(serde_json::Value::as_u64);
    if version != Some(1) {
        return Err(CredentialsError::failed(SOURCE, "the output's `Version` is not 1"));
    }
    json::parse(SOURCE, stdout, "SessionToken")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_the_json_the_command_prints() {
        let command = r#"printf '{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2100-01-01T00:00:00Z"}'"#;
        let credentials = run(command).await.unwrap();
        assert_eq!((credentials.access_key_id(), credentials.session_token()), ("AKID", Some("T")));
        assert!(credentials.expiry().is_some());
    }

    #[tokio::test]
    async fn failures_say_why_without_the_output() {
        let error = run("echo PLANTED-SECRET; exit 3").await.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("credential_process") && shown.contains('3') && !shown.contains("PLANTED"), "{shown}");
        let error = run(r#"printf '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "PLANTED-SECRET"}'"#)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("Version") && !format!("{error:?}").contains("PLANTED"));
        let error = run("printf 'PLANTED-SECRET'").await.unwrap_err();
        assert!(!format!("{error} {error:?}").contains("PLANTED"));
    }
}
