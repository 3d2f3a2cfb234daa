//! Credentials in JSON, as the process, container and instance sources send them:
//! `AccessKeyId`, `SecretAccessKey`, a session token (`SessionToken` from a process, `Token`
//! from the container and instance endpoints) and an optional RFC 3339 `Expiration`.
//!
//! Messages never quote the document: serde_json's own messages may quote a value, so only the
//! line and column of a syntax error are kept.

use serde_json::{Map, Value};

use super::expiration::parse_rfc3339;
use super::{Credentials, CredentialsError};

/// The credentials in `body`; `session_field` names the session token's member.
pub(crate) fn parse(source: &'static str, body: &[u8], session_field: &str) -> Result<Credentials, CredentialsError> {
    let object = parse_object(source, body)?;
    let text = |name: &str| -> Result<Option<String>, CredentialsError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(CredentialsError::failed(source, format!("`{name}` is not a string"))),
        }
    };
    let required = |name: &str| {
        text(name)?
            .filter(|value| !value.is_empty())
            .ok_or_else(|| CredentialsError::failed(source, format!("the response has no `{name}`")))
    };
    let expiry = match text("Expiration")? {
        None => None,
        Some(expiration) => Some(
            parse_rfc3339(&expiration)
                .ok_or_else(|| CredentialsError::failed(source, "`Expiration` is not an RFC 3339 date-time"))?,
        ),
    };
    Ok(Credentials::new(required("AccessKeyId")?, required("SecretAccessKey")?, text(session_field)?, expiry))
}

/// `body` as a JSON object.
pub(crate) fn parse_object(source: &'static str, body: &[u8]) -> Result<Map<String, Value>, CredentialsError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(CredentialsError::failed(source, "the response is not a JSON object")),
        Err(e) => Err(CredentialsError::failed(
            source,
            format!("the response is not JSON (line {}, column {})", e.line(), e.column()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_minimal_documents() {
        let body = br#"{"AccessKeyId":"AKID","SecretAccessKey":"S","Token":"T","Expiration":"1970-01-01T00:01:00Z"}"#;
        let credentials = parse("container", body, "Token").unwrap();
        let expiry = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(60);
        assert_eq!(credentials, Credentials::new("AKID", "S", Some("T".into()), Some(expiry)));
        let credentials = parse("process", br#"{"AccessKeyId":"AKID","SecretAccessKey":"S"}"#, "SessionToken").unwrap();
        assert_eq!((credentials.session_token(), credentials.expiry()), (None, None));
    }

    #[test]
    fn errors_never_quote_the_document() {
        for body in [
            &br#"{"AccessKeyId":"AKID","SecretAccessKey":"PLANTED-SECRET" oops"#[..],
            br#"{"AccessKeyId":"AKID","SecretAccessKey":["PLANTED-SECRET"]}"#,
            br#"{"AccessKeyId":"AKID","SecretAccessKey":"PLANTED-SECRET","Expiration":"PLANTED-SECRET"}"#,
            br#"{"SecretAccessKey":"PLANTED-SECRET"}"#,
            br#"["PLANTED-SECRET"]"#,
        ] {
            let error = parse("imds", body, "Token").unwrap_err();
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("PLANTED"), "{shown}");
            assert_eq!(error.source_name(), "imds");
        }
    }
}
