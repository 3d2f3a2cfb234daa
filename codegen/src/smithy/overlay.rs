//! Overlays: traits the project adds to a model it does not own, without changing its API facts.
//!
//! A service model is copied from upstream and kept identical to it. Some things a client needs
//! to know are not in it (for example that a pre-signed URL is a credential and must not be
//! printed). An overlay says them in the model's own language: a Smithy JSON AST document whose
//! shapes are all `apply` statements,
//!
//! ```json
//! { "smithy": "2.0", "shapes": {
//!     "ns#PreSignedUrl": { "type": "apply", "traits": { "smithy.api#sensitive": {} } } } }
//! ```
//!
//! merged when the model loads. An overlay may only add: it cannot declare shapes or members,
//! and it cannot replace a trait the model already sets, so the API the model describes stays
//! the one upstream describes.

use std::path::Path;

use super::raw::RawModel;
use super::{Model, Shape, ShapeId, read};
use crate::error::{CodegenError, Result};

/// One overlay document and where it came from (named in errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// Where the overlay came from, for messages (usually its path).
    pub source: String,
    /// The JSON AST text.
    pub json: String,
}

impl Overlay {
    /// Reads an overlay file.
    pub fn read(path: &Path) -> Result<Overlay> {
        let json = std::fs::read_to_string(path)
            .map_err(|e| CodegenError::model(format!("cannot read the overlay {}: {e}", path.display())))?;
        Ok(Overlay { source: path.display().to_string(), json })
    }

    /// Adds the overlay's traits to `model`, refusing anything but new traits on existing
    /// shapes and members.
    pub(super) fn merge_into(&self, model: &mut Model) -> Result<()> {
        let what = format!("the overlay {}", self.source);
        let raw = RawModel::parse(&self.json, &what)?;
        for (id, raw_shape) in raw.shapes {
            let id = ShapeId::parse(&id)?;
            let shape = read::shape(raw_shape)
                .map_err(|e| CodegenError::shape(&id, format!("{what}: invalid statement: {e}")))?;
            let Shape::Apply(apply) = shape else {
                return Err(CodegenError::shape(
                    &id,
                    format!("{what} declares a {}; an overlay may only apply traits", shape.type_name()),
                ));
            };
            if !apply.mixins.is_empty() {
                return Err(CodegenError::shape(&id, format!("{what} adds mixins; an overlay may only apply traits")));
            }
            let target = model
                .target_traits(&id)
                .map_err(|e| CodegenError { message: format!("{what}: {}", e.message), ..e })?;
            if let Some(existing) = apply.traits.ids().find(|trait_id| target.has(trait_id)) {
                return Err(CodegenError::shape_trait(
                    &id,
                    existing,
                    format!("{what} would replace a trait the model sets; an overlay may only add traits"),
                ));
            }
            target.extend_from(&apply.traits);
        }
        Ok(())
    }
}
