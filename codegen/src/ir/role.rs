//! What a structure being resolved is for, which decides its members' bindings and presence.

/// The role of a structure in the service.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// An operation's input: members bind to the request.
    Input,
    /// An operation's output: members bind to the response.
    Output,
    /// An error: members bind to the error response.
    Error,
    /// A structure used as a value inside others.
    Plain,
}
