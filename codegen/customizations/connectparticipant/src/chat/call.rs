//! The session's REST calls, each within the session's request timeout: the client may have no
//! attempt or operation timeout of its own (none is set by default), and a call that never
//! answers must not hold the session.
//!
//! Used as `answer(operation, limit, tokio::time::timeout(limit, call).await)`: a plain function
//! of the result, as an `async fn` taking the call's future would hide from the compiler that
//! the session's futures are `Send`.

use std::fmt;
use std::time::Duration;

use tokio::time::error::Elapsed;

use super::error::ChatError;

/// The result of one call of `operation` that had `limit` to answer; a failure keeps its HTTP
/// status.
pub(crate) fn answer<T, E: fmt::Display>(
    operation: &'static str,
    limit: Duration,
    result: Result<Result<T, crate::Error<E>>, Elapsed>,
) -> Result<T, ChatError> {
    match result {
        Ok(result) => result.map_err(|e| ChatError::service(operation, e)),
        Err(_) => Err(ChatError::Timeout { operation, after: limit }),
    }
}

/// The result of a step that had `limit` to finish.
pub(crate) fn within<T>(
    operation: &'static str,
    limit: Duration,
    result: Result<Result<T, ChatError>, Elapsed>,
) -> Result<T, ChatError> {
    result.unwrap_or(Err(ChatError::Timeout { operation, after: limit }))
}
