//! A failed call keeps what the service said: status, code, request id and the typed error.

use std::error::Error as _;

use connectparticipant::chat::{ChatError, OutgoingMessage};
use connectparticipant::operation::create_participant_connection::CreateParticipantConnectionError;
use connectparticipant::operation::send_message::SendMessageError;
use connectparticipant_emulator::{Emulator, Refusal};

use super::support::{builder, connect};

#[tokio::test(start_paused = true)]
async fn a_refused_send_keeps_the_typed_service_error() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connect(&emulator, &chat).await;
    // The emulator refuses a client token that is not a UUID, as a ValidationException.
    let error = session.send(OutgoingMessage::text("hi").client_token("not-a-uuid")).await.unwrap_err();
    assert!(matches!(error, ChatError::Service { operation: "SendMessage", .. }), "{error:?}");
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.code(), Some("ValidationException"));
    assert!(error.request_id().is_some_and(|id| !id.is_empty()));
    assert!(!error.is_retryable());
    let source = error.source().expect("the call's error is the source");
    let typed = source.downcast_ref::<connectparticipant::Error<SendMessageError>>().expect("the typed error");
    assert!(typed.service_error().is_some_and(SendMessageError::is_validation_exception));
}

#[tokio::test(start_paused = true)]
async fn a_throttled_connect_is_worth_retrying_and_says_why() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    emulator.refuse_connections([Refusal::Status(429)]);
    let error = builder(&emulator, &chat).connect().await.unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(429), Some("ThrottlingException")), "{error:?}");
    assert!(error.is_retryable());
    let typed =
        error.source().and_then(|s| s.downcast_ref::<connectparticipant::Error<CreateParticipantConnectionError>>());
    assert!(
        typed.and_then(|e| e.service_error()).is_some_and(CreateParticipantConnectionError::is_throttling_exception)
    );
}
