//! What the scenarios share: clients pointed at the fake service, valid inputs for every
//! operation, and a uniform view of each operation's error enum.

use std::time::Duration;

use connectparticipant::config::{RetryConfig, TimeoutConfig};
use connectparticipant::error::{Error, RawResponse};
use connectparticipant::operation::cancel_participant_authentication::CancelParticipantAuthenticationError;
use connectparticipant::operation::complete_attachment_upload::CompleteAttachmentUploadError;
use connectparticipant::operation::create_participant_connection::CreateParticipantConnectionError;
use connectparticipant::operation::describe_view::DescribeViewError;
use connectparticipant::operation::disconnect_participant::DisconnectParticipantError;
use connectparticipant::operation::get_attachment::GetAttachmentError;
use connectparticipant::operation::get_authentication_url::GetAuthenticationUrlError;
use connectparticipant::operation::get_transcript::GetTranscriptError;
use connectparticipant::operation::send_event::SendEventError;
use connectparticipant::operation::send_message::SendMessageError;
use connectparticipant::operation::start_attachment_upload::StartAttachmentUploadError;
use connectparticipant::{Client, Config};

use super::server::{FakeService, Op};

/// The bearer token the scenarios authenticate with.
pub const TOKEN: &str = "QVFJREFIaGNvbm5lY3Rpb24tdG9rZW4=";
/// A valid authentication session id (36 characters).
pub const SESSION_ID: &str = "3f1c9a52-8d0e-4b7a-9c61-5e2f0a7b8c9d";

/// Every operation, in model order.
pub const ALL_OPS: [Op; 11] = [
    Op::CancelParticipantAuthentication,
    Op::CompleteAttachmentUpload,
    Op::CreateParticipantConnection,
    Op::DescribeView,
    Op::DisconnectParticipant,
    Op::GetAttachment,
    Op::GetAuthenticationUrl,
    Op::GetTranscript,
    Op::SendEvent,
    Op::SendMessage,
    Op::StartAttachmentUpload,
];

/// The operations whose input has an idempotency `ClientToken`.
pub const TOKEN_OPS: [Op; 5] = [
    Op::CompleteAttachmentUpload,
    Op::DisconnectParticipant,
    Op::SendEvent,
    Op::SendMessage,
    Op::StartAttachmentUpload,
];

/// Retries with tiny backoffs, so that the suite stays fast.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)).with_max_backoff(Duration::from_millis(5))
}

/// A client of `server` with fast retries (3 attempts) and default timeouts.
pub fn client(server: &FakeService) -> Client {
    client_with(server, fast_retry(), TimeoutConfig::default())
}

/// A client of `server` that never retries.
pub fn client_without_retries(server: &FakeService) -> Client {
    client_with(server, RetryConfig::disabled(), TimeoutConfig::default())
}

/// A client of `server` with these settings.
pub fn client_with(server: &FakeService, retry: RetryConfig, timeouts: TimeoutConfig) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.url())
        .retry(retry)
        .timeouts(timeouts)
        .build()
        .expect("valid config");
    Client::new(config)
}

/// How a call failed, whatever the operation.
#[derive(Debug)]
pub struct Failure {
    /// `Service`, `Response`, `Transport`, `Timeout`, `Validation` or `Build`.
    pub kind: &'static str,
    /// For `Service`: the variant of the operation's error enum (`Unhandled` included).
    pub variant: Option<&'static str>,
    /// For `Service`: the error's message.
    pub message: Option<String>,
    /// For `Service`: the error's code.
    pub code: Option<String>,
    /// The raw response, when there was one.
    pub raw: Option<RawResponse>,
    /// The error's text.
    pub display: String,
}

/// A uniform view of an operation's error enum.
pub trait OpError: std::fmt::Display {
    /// The variant's name: the error shape, or `Unhandled`.
    fn variant(&self) -> &'static str;
    fn message_text(&self) -> Option<&str>;
    fn code_text(&self) -> Option<&str>;
}

macro_rules! op_errors {
    ($($ty:ident { $($variant:ident),* })*) => {$(
        impl OpError for $ty {
            fn variant(&self) -> &'static str {
                match self {
                    $($ty::$variant(_) => stringify!($variant),)*
                    $ty::Unhandled(_) => "Unhandled",
                    _ => "<a variant the test does not know>",
                }
            }
            fn message_text(&self) -> Option<&str> {
                self.message()
            }
            fn code_text(&self) -> Option<&str> {
                self.code()
            }
        }
    )*};
}

// The errors each operation declares in the model.
op_errors! {
    CancelParticipantAuthenticationError { AccessDeniedException, InternalServerException, ThrottlingException, ValidationException }
    CompleteAttachmentUploadError {
        AccessDeniedException, ConflictException, InternalServerException, ServiceQuotaExceededException,
        ThrottlingException, ValidationException
    }
    CreateParticipantConnectionError { AccessDeniedException, InternalServerException, ThrottlingException, ValidationException }
    DescribeViewError {
        AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException
    }
    DisconnectParticipantError { AccessDeniedException, InternalServerException, ThrottlingException, ValidationException }
    GetAttachmentError { AccessDeniedException, InternalServerException, ThrottlingException, ValidationException }
    GetAuthenticationUrlError { AccessDeniedException, InternalServerException, ThrottlingException, ValidationException }
    GetTranscriptError { AccessDeniedException, InternalServerException, ThrottlingException, ValidationException }
    SendEventError { AccessDeniedException, ConflictException, InternalServerException, ThrottlingException, ValidationException }
    SendMessageError { AccessDeniedException, InternalServerException, ThrottlingException, ValidationException }
    StartAttachmentUploadError {
        AccessDeniedException, InternalServerException, ServiceQuotaExceededException, ThrottlingException,
        ValidationException
    }
}

/// The errors the model declares for `op`.
pub fn modeled_errors(op: Op) -> &'static [&'static str] {
    const COMMON: &[&str] =
        &["AccessDeniedException", "InternalServerException", "ThrottlingException", "ValidationException"];
    match op {
        Op::CompleteAttachmentUpload => &[
            "AccessDeniedException",
            "ConflictException",
            "InternalServerException",
            "ServiceQuotaExceededException",
            "ThrottlingException",
            "ValidationException",
        ],
        Op::DescribeView => &[
            "AccessDeniedException",
            "InternalServerException",
            "ResourceNotFoundException",
            "ThrottlingException",
            "ValidationException",
        ],
        Op::SendEvent => &[
            "AccessDeniedException",
            "ConflictException",
            "InternalServerException",
            "ThrottlingException",
            "ValidationException",
        ],
        Op::StartAttachmentUpload => &[
            "AccessDeniedException",
            "InternalServerException",
            "ServiceQuotaExceededException",
            "ThrottlingException",
            "ValidationException",
        ],
        _ => COMMON,
    }
}

/// The HTTP status the model gives an error shape.
pub fn error_status(code: &str) -> u16 {
    match code {
        "AccessDeniedException" => 403,
        "ConflictException" => 409,
        "InternalServerException" => 500,
        "ResourceNotFoundException" => 404,
        "ServiceQuotaExceededException" => 402,
        "ThrottlingException" => 429,
        "ValidationException" => 400,
        other => panic!("not an error of the model: {other}"),
    }
}

pub fn failure<E: OpError>(error: Error<E>) -> Failure {
    let display = error.to_string();
    let raw = error.raw_response().cloned();
    let (kind, variant, message, code) = match &error {
        Error::Service(service) => (
            "Service",
            Some(service.error.variant()),
            service.error.message_text().map(str::to_owned),
            service.error.code_text().map(str::to_owned),
        ),
        Error::Response(_) => ("Response", None, None, None),
        Error::Transport(_) => ("Transport", None, None, None),
        Error::Timeout(_) => ("Timeout", None, None, None),
        Error::Validation(_) => ("Validation", None, None, None),
        Error::Build(_) => ("Build", None, None, None),
        _ => ("<unknown kind>", None, None, None),
    };
    Failure { kind, variant, message, code, raw, display }
}

/// Calls `op` with a valid input (outputs dropped); failures are made uniform.
pub async fn call(client: &Client, op: Op) -> Result<(), Failure> {
    match op {
        Op::CancelParticipantAuthentication => {
            client.cancel_participant_authentication(SESSION_ID, TOKEN).send().await.map(drop).map_err(failure)
        }
        Op::CompleteAttachmentUpload => {
            client.complete_attachment_upload(["att-0001"], TOKEN).send().await.map(drop).map_err(failure)
        }
        Op::CreateParticipantConnection => {
            client.create_participant_connection(TOKEN).send().await.map(drop).map_err(failure)
        }
        Op::DescribeView => client.describe_view("view-token-1", TOKEN).send().await.map(drop).map_err(failure),
        Op::DisconnectParticipant => client.disconnect_participant(TOKEN).send().await.map(drop).map_err(failure),
        Op::GetAttachment => client.get_attachment("att-0001", TOKEN).send().await.map(drop).map_err(failure),
        Op::GetAuthenticationUrl => client
            .get_authentication_url("https://example.com/callback", SESSION_ID, TOKEN)
            .send()
            .await
            .map(drop)
            .map_err(failure),
        Op::GetTranscript => client.get_transcript(TOKEN).send().await.map(drop).map_err(failure),
        Op::SendEvent => client
            .send_event("application/vnd.amazonaws.connect.event.typing", TOKEN)
            .send()
            .await
            .map(drop)
            .map_err(failure),
        Op::SendMessage => client.send_message("Hello", "text/plain", TOKEN).send().await.map(drop).map_err(failure),
        Op::StartAttachmentUpload => client
            .start_attachment_upload("screenshot.png", 48213, "image/png", TOKEN)
            .send()
            .await
            .map(drop)
            .map_err(failure),
    }
}

/// Calls `op` and returns how it failed (panics if it succeeded).
pub async fn call_err(client: &Client, op: Op) -> Failure {
    match call(client, op).await {
        Ok(()) => panic!("{op} succeeded; a failure was expected"),
        Err(failure) => failure,
    }
}
