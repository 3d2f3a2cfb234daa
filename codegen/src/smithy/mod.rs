//! Stage 1: the Smithy 2.0 JSON AST, parsed into typed Rust values.
//!
//! This module knows the JSON layout of a model and nothing about Rust output. [`Model::parse`]
//! reads the JSON, types every shape, flattens mixins and `apply` statements, and gives the
//! later stages a model in which every shape carries all of its traits.

mod ordered_map;
mod overlay;
mod prelude;
mod raw;
mod read;
mod shape_id;
pub mod traits;

use std::collections::BTreeMap;

use crate::error::{CodegenError, Result};
pub use ordered_map::OrderedMap;
pub use overlay::Overlay;
pub use shape_id::ShapeId;
pub use traits::Traits;

/// A whole Smithy model: its shapes by absolute id.
#[derive(Debug, Clone)]
pub struct Model {
    /// Every shape of the model (prelude shapes are answered by [`Model::shape`] too).
    pub shapes: BTreeMap<ShapeId, Shape>,
}

/// A reference to another shape (`{"target": "ns#Name"}`).
#[derive(Debug, Clone)]
pub struct ShapeRef {
    /// The referenced shape.
    pub target: ShapeId,
}

/// A member of an aggregate shape: a target and the traits applied to the member itself.
#[derive(Debug, Clone)]
pub struct Member {
    /// The shape the member holds.
    pub target: ShapeId,
    /// Traits on the member (not those of the target).
    pub traits: Traits,
}

/// One shape of the model, typed by its `type` field.
#[derive(Debug, Clone)]
pub enum Shape {
    Blob(Simple),
    Boolean(Simple),
    String(Simple),
    Byte(Simple),
    Short(Simple),
    Integer(Simple),
    Long(Simple),
    Float(Simple),
    Double(Simple),
    BigInteger(Simple),
    BigDecimal(Simple),
    Timestamp(Simple),
    Document(Simple),
    Enum(Aggregate),
    IntEnum(Aggregate),
    List(ListShape),
    /// Smithy 1.0 sets; read as lists with unique items.
    Set(ListShape),
    Map(MapShape),
    Structure(Aggregate),
    Union(Aggregate),
    Service(ServiceShape),
    Operation(OperationShape),
    Resource(ResourceShape),
    /// `apply` statements: traits to add to another shape or member.
    Apply(ApplyShape),
}

/// A shape with no members: strings, numbers, blobs, timestamps, documents.
#[derive(Debug, Clone, Default)]
pub struct Simple {
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// Structures, unions, enums and intEnums: named members in declaration order.
#[derive(Debug, Clone, Default)]
pub struct Aggregate {
    pub members: OrderedMap<Member>,
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// A list (or set) shape.
#[derive(Debug, Clone)]
pub struct ListShape {
    pub member: Member,
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// A map shape.
#[derive(Debug, Clone)]
pub struct MapShape {
    pub key: Member,
    pub value: Member,
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// The service shape: the root of the generated client.
#[derive(Debug, Clone, Default)]
pub struct ServiceShape {
    pub version: Option<String>,
    pub operations: Vec<ShapeRef>,
    pub resources: Vec<ShapeRef>,
    pub errors: Vec<ShapeRef>,
    pub rename: BTreeMap<ShapeId, String>,
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// An operation: input, output, errors and traits (HTTP binding among them).
#[derive(Debug, Clone, Default)]
pub struct OperationShape {
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    pub errors: Vec<ShapeRef>,
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// A resource: only its operations matter to a client.
#[derive(Debug, Clone, Default)]
pub struct ResourceShape {
    pub create: Option<ShapeRef>,
    pub put: Option<ShapeRef>,
    pub read: Option<ShapeRef>,
    pub update: Option<ShapeRef>,
    pub delete: Option<ShapeRef>,
    pub list: Option<ShapeRef>,
    pub operations: Vec<ShapeRef>,
    pub collection_operations: Vec<ShapeRef>,
    pub resources: Vec<ShapeRef>,
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// An `apply` statement.
#[derive(Debug, Clone, Default)]
pub struct ApplyShape {
    pub traits: Traits,
    pub mixins: Vec<ShapeRef>,
}

/// Evaluates `$body` with `$shape` bound to the payload of whichever kind `$value` is: every
/// kind has `traits` and `mixins`.
macro_rules! on_every_kind {
    ($value:expr, $shape:ident => $body:expr) => {
        match $value {
            Shape::Blob($shape) => $body,
            Shape::Boolean($shape) => $body,
            Shape::String($shape) => $body,
            Shape::Byte($shape) => $body,
            Shape::Short($shape) => $body,
            Shape::Integer($shape) => $body,
            Shape::Long($shape) => $body,
            Shape::Float($shape) => $body,
            Shape::Double($shape) => $body,
            Shape::BigInteger($shape) => $body,
            Shape::BigDecimal($shape) => $body,
            Shape::Timestamp($shape) => $body,
            Shape::Document($shape) => $body,
            Shape::Enum($shape) => $body,
            Shape::IntEnum($shape) => $body,
            Shape::List($shape) => $body,
            Shape::Set($shape) => $body,
            Shape::Map($shape) => $body,
            Shape::Structure($shape) => $body,
            Shape::Union($shape) => $body,
            Shape::Service($shape) => $body,
            Shape::Operation($shape) => $body,
            Shape::Resource($shape) => $body,
            Shape::Apply($shape) => $body,
        }
    };
}

impl Shape {
    /// The shape's `type` as written in the model.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Blob(_) => "blob",
            Shape::Boolean(_) => "boolean",
            Shape::String(_) => "string",
            Shape::Byte(_) => "byte",
            Shape::Short(_) => "short",
            Shape::Integer(_) => "integer",
            Shape::Long(_) => "long",
            Shape::Float(_) => "float",
            Shape::Double(_) => "double",
            Shape::BigInteger(_) => "bigInteger",
            Shape::BigDecimal(_) => "bigDecimal",
            Shape::Timestamp(_) => "timestamp",
            Shape::Document(_) => "document",
            Shape::Enum(_) => "enum",
            Shape::IntEnum(_) => "intEnum",
            Shape::List(_) => "list",
            Shape::Set(_) => "set",
            Shape::Map(_) => "map",
            Shape::Structure(_) => "structure",
            Shape::Union(_) => "union",
            Shape::Service(_) => "service",
            Shape::Operation(_) => "operation",
            Shape::Resource(_) => "resource",
            Shape::Apply(_) => "apply",
        }
    }

    /// The traits applied to the shape itself.
    pub fn traits(&self) -> &Traits {
        on_every_kind!(self, shape => &shape.traits)
    }

    fn traits_mut(&mut self) -> &mut Traits {
        on_every_kind!(self, shape => &mut shape.traits)
    }

    fn mixins(&self) -> &[ShapeRef] {
        on_every_kind!(self, shape => &shape.mixins)
    }

    /// The members of a structure, union, enum or intEnum.
    pub fn members(&self) -> Option<&OrderedMap<Member>> {
        match self {
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => Some(&a.members),
            _ => None,
        }
    }

    fn members_mut(&mut self) -> Option<&mut OrderedMap<Member>> {
        match self {
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => Some(&mut a.members),
            _ => None,
        }
    }

    /// A member of a list (`member`) or map (`key`, `value`) or aggregate, by name.
    pub fn member(&self, name: &str) -> Option<&Member> {
        match (self, name) {
            (Shape::List(l) | Shape::Set(l), "member") => Some(&l.member),
            (Shape::Map(m), "key") => Some(&m.key),
            (Shape::Map(m), "value") => Some(&m.value),
            _ => self.members().and_then(|members| members.get(name)),
        }
    }

    fn member_mut(&mut self, name: &str) -> Option<&mut Member> {
        match (self, name) {
            (Shape::List(l) | Shape::Set(l), "member") => Some(&mut l.member),
            (Shape::Map(m), "key") => Some(&mut m.key),
            (Shape::Map(m), "value") => Some(&mut m.value),
            (shape, name) => shape.members_mut().and_then(|members| members.get_mut(name)),
        }
    }
}

impl Model {
    /// Parses a model from its JSON AST text.
    ///
    /// Each shape is typed on its own so that an error names the shape at fault. Mixins are
    /// flattened into the shapes that use them and `apply` statements are merged, so later
    /// stages see each shape with all its members and traits.
    pub fn parse(json: &str) -> Result<Model> {
        Self::parse_with_overlays(json, &[])
    }

    /// Parses a model and merges overlays into it: documents of `apply` statements that add
    /// traits the model does not state (see [`Overlay`]).
    ///
    /// The model's own `apply` statements are merged first, then each overlay's in order;
    /// mixins are flattened last, so a trait an overlay adds to a mixin reaches its users.
    pub fn parse_with_overlays(json: &str, overlays: &[Overlay]) -> Result<Model> {
        let raw = raw::RawModel::parse(json, "the model")?;
        let mut shapes = BTreeMap::new();
        let mut applies = Vec::new();
        for (id, raw_shape) in raw.shapes {
            let id = ShapeId::parse(&id)?;
            let shape = read::shape(raw_shape).map_err(|e| CodegenError::shape(&id, format!("invalid shape: {e}")))?;
            match shape {
                Shape::Apply(apply) => applies.push((id, apply.traits)),
                _ if id.member().is_some() => {
                    return Err(CodegenError::shape(&id, "only an `apply` statement may name a member"));
                }
                shape => {
                    shapes.insert(id, shape);
                }
            }
        }
        let mut model = Model { shapes };
        for (id, traits) in applies {
            model.target_traits(&id)?.extend_from(&traits);
        }
        for overlay in overlays {
            overlay.merge_into(&mut model)?;
        }
        model.flatten_mixins()?;
        Ok(model)
    }

    /// The shape with this id: a model shape, or a prelude shape (`smithy.api#String`...).
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id).or_else(|| prelude::shape(id))
    }

    /// The shape with this id, or an error naming the shape that refers to it.
    pub fn expect_shape(&self, id: &ShapeId, referenced_from: &dyn std::fmt::Display) -> Result<&Shape> {
        self.shape(id).ok_or_else(|| CodegenError::shape(referenced_from, format!("refers to unknown shape {id}")))
    }

    /// The traits an `apply` statement with this id adds to: those of a shape or of a member.
    fn target_traits(&mut self, id: &ShapeId) -> Result<&mut Traits> {
        let shape = self
            .shapes
            .get_mut(&id.root())
            .ok_or_else(|| CodegenError::shape(id, "`apply` targets an unknown shape"))?;
        Ok(match id.member() {
            Some(member) => {
                &mut shape
                    .member_mut(member)
                    .ok_or_else(|| CodegenError::shape(id, "`apply` targets an unknown member"))?
                    .traits
            }
            None => shape.traits_mut(),
        })
    }

    /// Copies mixin members and traits into every shape that uses mixins, depth first.
    fn flatten_mixins(&mut self) -> Result<()> {
        let ids: Vec<ShapeId> = self.shapes.keys().cloned().collect();
        let mut done = std::collections::BTreeSet::new();
        for id in ids {
            self.flatten_one(&id, &mut done, &mut Vec::new())?;
        }
        Ok(())
    }

    fn flatten_one(
        &mut self,
        id: &ShapeId,
        done: &mut std::collections::BTreeSet<ShapeId>,
        stack: &mut Vec<ShapeId>,
    ) -> Result<()> {
        if done.contains(id) {
            return Ok(());
        }
        if stack.contains(id) {
            return Err(CodegenError::shape_trait(id, "smithy.api#mixin", "mixins form a cycle"));
        }
        let Some(shape) = self.shapes.get(id) else { return Ok(()) };
        let mixins: Vec<ShapeId> = shape.mixins().iter().map(|m| m.target.clone()).collect();
        stack.push(id.clone());
        let mut inherited_members = OrderedMap::default();
        let mut inherited_traits = Traits::default();
        for mixin_id in &mixins {
            self.flatten_one(mixin_id, done, stack)?;
            let mixin = self
                .shapes
                .get(mixin_id)
                .ok_or_else(|| CodegenError::shape(id, format!("uses unknown mixin {mixin_id}")))?;
            if mixin.type_name() != self.shapes[id].type_name() {
                return Err(CodegenError::shape(
                    id,
                    format!("mixin {mixin_id} is a {}, not a {}", mixin.type_name(), self.shapes[id].type_name()),
                ));
            }
            if let Some(members) = mixin.members() {
                for (name, member) in members.iter() {
                    inherited_members.insert(name.clone(), member.clone());
                }
            }
            inherited_traits.extend_from(&mixin.traits().without_local_only());
        }
        stack.pop();
        let shape = self.shapes.get_mut(id).expect("checked above");
        if let Some(members) = shape.members_mut() {
            // Mixin members come first; a local member of the same name only adds traits.
            for (name, local) in std::mem::take(members).into_iter() {
                match inherited_members.get_mut(&name) {
                    Some(inherited) => inherited.traits.extend_from(&local.traits),
                    None => inherited_members.insert(name, local),
                }
            }
            *members = inherited_members;
        }
        let mut traits = inherited_traits;
        traits.extend_from(shape.traits());
        *shape.traits_mut() = traits;
        done.insert(id.clone());
        Ok(())
    }
}

impl raw::RawModel {
    /// Reads a JSON AST document (`what` names it in errors) and checks its IDL version.
    fn parse(json: &str, what: &str) -> Result<raw::RawModel> {
        let raw = raw::RawModel::from_str(json)
            .map_err(|e| CodegenError::model(format!("{what} is not valid Smithy JSON: {e}")))?;
        if !raw.smithy.starts_with('2') && !raw.smithy.starts_with('1') {
            return Err(CodegenError::model(format!(
                "{what}: unsupported Smithy IDL version {:?} (expected 1.0 or 2.0)",
                raw.smithy
            )));
        }
        Ok(raw)
    }
}

#[cfg(test)]
mod tests;
