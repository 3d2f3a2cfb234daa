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

impl Role {
    /// The methods of the type its members are set on (the call builder for an input, the
    /// structure itself otherwise): a member of the same name gets a `_value` setter.
    pub(super) fn reserved_methods(self) -> &'static [&'static str] {
        match self {
            Role::Input => &["new", "send", "as_input", "into_paginator", "into_items"],
            Role::Output | Role::Error | Role::Plain => &["new"],
        }
    }
}
