//! Errors the generator reports: every one names where in the model it went wrong.

use std::fmt;

/// A model the generator cannot turn into a crate, or a failure writing the crate.
///
/// `shape` and `trait_id` say where the problem is, so that the message can be acted on
/// without reading the generator: `shape com.example#Foo$bar, trait smithy.api#httpLabel: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    /// The shape (or member, `ns#Shape$member`) at fault, when one is.
    pub shape: Option<String>,
    /// The trait at fault, when one is.
    pub trait_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl CodegenError {
    /// An error that is not tied to one shape (bad JSON, missing service...).
    pub fn model(message: impl Into<String>) -> Self {
        Self { shape: None, trait_id: None, message: message.into() }
    }

    /// An error in one shape or member.
    pub fn shape(shape: impl fmt::Display, message: impl Into<String>) -> Self {
        Self { shape: Some(shape.to_string()), trait_id: None, message: message.into() }
    }

    /// An error in one trait of one shape or member.
    pub fn shape_trait(shape: impl fmt::Display, trait_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self { shape: Some(shape.to_string()), trait_id: Some(trait_id.into()), message: message.into() }
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
