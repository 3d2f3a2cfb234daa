//! The value of an enum that this version of the crate does not list.

use std::fmt;

/// A value of an enum (or intEnum) that the model this crate was generated from does not list:
/// the service added it later. It is kept as received, so it can be shown, logged or sent back.
///
/// Only the crate makes these, when it reads a value it does not know: a value that names a
/// listed variant always becomes that variant, so an `Unknown` never stands for a known value.
/// Code that must handle a new value should wait for a crate version that lists it, rather
/// than match on its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue<T = String>(T);

impl<T> UnknownValue<T> {
    /// Keeps a value the enum does not list (only the crate calls this, after checking).
    #[allow(dead_code, reason = "generated enums call it; the runtime crate has no enum of its own")]
    pub(crate) fn new(value: T) -> Self {
        Self(value)
    }

    /// The value as received.
    pub fn value(&self) -> &T {
        &self.0
    }
}

impl UnknownValue<String> {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<T: fmt::Display> fmt::Display for UnknownValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
