//! Errors the generator reports: every one names where in the model it went wrong.

use std::fmt;

/// A model the generator cannot turn into a crate, or a failure writing the crate.
///
/// `shape` and `trait_id` say where the problem is, so that the message can be acted on
/// without reading the generator: `shape com.example#Foo$bar, trait smithy.api#httpLabel: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    /// What kind of failure this is.
    pub kind: ErrorKind,
    /// The shape (or member, `ns#Shape$member`) at fault, when one is.
    pub shape: Option<String>,
    /// The trait at fault, when one is.
    pub trait_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Whose the failure is: the model's, the file system's, or the generator's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The model is invalid, or uses something the generator does not support outside any one
    /// operation (the protocol, the service's endpoint rules).
    Model,
    /// The model is valid but one operation needs something this generator does not support
    /// (an event stream, say): the operation is left out with a warning naming the construct,
    /// and the rest of the model is generated.
    Unsupported,
    /// Reading or writing `path` failed.
    Io { path: std::path::PathBuf },
    /// A bug in the generator or its checked-in data (emitted code that does not parse, say).
    Internal,
}

impl CodegenError {
    fn new(kind: ErrorKind, shape: Option<String>, trait_id: Option<String>, message: impl Into<String>) -> Self {
        Self { kind, shape, trait_id, message: message.into() }
    }

    /// An error of the model that is not tied to one shape (bad JSON, missing service...).
    pub fn model(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Model, None, None, message)
    }

    /// An error in one shape or member.
    pub fn shape(shape: impl fmt::Display, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Model, Some(shape.to_string()), None, message)
    }

    /// An error in one trait of one shape or member.
    pub fn shape_trait(shape: impl fmt::Display, trait_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Model, Some(shape.to_string()), Some(trait_id.into()), message)
    }

    /// A construct of one shape or member the generator does not support, which leaves the
    /// operations that reach it out of the crate.
    pub fn unsupported(shape: impl fmt::Display, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, Some(shape.to_string()), None, message)
    }

    /// Like [`CodegenError::unsupported`], for a construct made by one trait.
    pub fn unsupported_trait(
        shape: impl fmt::Display,
        trait_id: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(ErrorKind::Unsupported, Some(shape.to_string()), Some(trait_id.into()), message)
    }

    /// Reading or writing `path` failed.
    pub fn io(path: impl Into<std::path::PathBuf>, error: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Io { path: path.into() }, None, None, error.to_string())
    }

    /// A bug in the generator (or in its checked-in data), not in the model.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, None, None, message)
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Model | ErrorKind::Unsupported => {}
            ErrorKind::Io { path } => write!(f, "{}: ", path.display())?,
            ErrorKind::Internal => f.write_str("internal error: ")?,
        }
        if let Some(shape) = &self.shape {
            write!(f, "shape {shape}")?;
            if let Some(trait_id) = &self.trait_id {
                write!(f, ", trait {trait_id}")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CodegenError {}

/// Result alias used throughout the generator.
pub type Result<T, E = CodegenError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_and_internal_errors_say_whose_failure_it_is() {
        let io = CodegenError::io("out/src/lib.rs", "permission denied");
        assert_eq!(io.kind, ErrorKind::Io { path: "out/src/lib.rs".into() });
        assert_eq!(io.to_string(), "out/src/lib.rs: permission denied");
        let internal = CodegenError::internal("emitted code does not parse");
        assert_eq!(internal.kind, ErrorKind::Internal);
        assert_eq!(internal.to_string(), "internal error: emitted code does not parse");
        let model = CodegenError::shape_trait("ns#Foo$bar", "smithy.api#httpLabel", "not required");
        assert_eq!(model.kind, ErrorKind::Model);
        assert_eq!(model.to_string(), "shape ns#Foo$bar, trait smithy.api#httpLabel: not required");
    }
}
