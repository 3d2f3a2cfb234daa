//! Whole-IR analyses run once every shape is resolved: recursion, reachability, features.

use std::collections::{BTreeMap, BTreeSet};

use super::types::*;
use crate::smithy::ShapeId;

/// Sets `boxed` on members whose target contains the member's own structure without a list
/// or map in between (Rust needs a `Box` to size it).
pub(super) fn mark_recursive_members(ir: &mut Ir) {
    let direct_edges: BTreeMap<ShapeId, Vec<ShapeId>> = ir
        .shapes
        .iter()
        .map(|(id, shape)| {
            let members = shape.members();
            let targets = members
                .iter()
                .filter_map(|m| match &m.target.ty {
                    Type::Structure(t) | Type::Union(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            (id.clone(), targets)
        })
        .collect();
    let reaches = |from: &ShapeId, to: &ShapeId| {
        let mut stack = vec![from.clone()];
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if &next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.extend(direct_edges.get(&next).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut boxed = Vec::new();
    for (id, shape) in &ir.shapes {
        let members = shape.members();
        for (index, member) in members.iter().enumerate() {
            if let Type::Structure(t) | Type::Union(t) = &member.target.ty
                && reaches(t, id)
            {
                boxed.push((id.clone(), index));
            }
        }
    }
    for (id, index) in boxed {
        match ir.shapes.get_mut(&id) {
            Some(NamedShape::Structure(s)) => s.members[index].boxed = true,
            Some(NamedShape::Union(u)) => u.variants[index].boxed = true,
            _ => {}
        }
    }
}

/// Named shapes reachable from `members` (through members, lists and maps).
pub(super) fn closure<'a>(ir: &Ir, members: impl Iterator<Item = &'a Member>) -> BTreeSet<ShapeId> {
    fn visit(ir: &Ir, ty: &Type, out: &mut BTreeSet<ShapeId>) {
        match ty {
            Type::Structure(id) | Type::Union(id) | Type::Enum(id) | Type::IntEnum(id) if out.insert(id.clone()) => {
                for member in ir.members_of(id) {
                    visit(ir, &member.target.ty, out);
                }
            }
            Type::List(list) => visit(ir, &list.member.ty, out),
            Type::Map(map) => {
                visit(ir, &map.key.ty, out);
                visit(ir, &map.value.ty, out);
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for member in members {
        visit(ir, &member.target.ty, &mut out);
    }
    out
}

pub(super) fn features(ir: &Ir) -> Features {
    let mut features = Features::new();
    let operations_with =
        |feature: Feature, uses: fn(&Operation) -> bool| ir.operations.iter().any(uses).then_some(feature);
    features.extend(operations_with(Feature::Pagination, |op| op.pagination.is_some()));
    features.extend(operations_with(Feature::RequestCompression, |op| op.request_compression));
    features.extend(operations_with(Feature::ChecksumRequired, |op| op.checksum_required));
    features
        .extend(operations_with(Feature::IdempotencyTokens, |op| op.input.members.iter().any(|m| m.idempotency_token)));
    if ir.shapes.values().any(|s| matches!(s, NamedShape::Enum(_) | NamedShape::IntEnum(_))) {
        features.insert(Feature::Enums);
    }
    fn walk(target: &Target, in_input: bool, features: &mut Features) {
        match &target.ty {
            Type::Timestamp(_) => _ = features.insert(Feature::Timestamps),
            Type::Blob { .. } => _ = features.insert(Feature::Blobs),
            Type::Document => _ = features.insert(Feature::Documents),
            Type::List(list) => walk(&list.member, in_input, features),
            Type::Map(map) => {
                walk(&map.key, in_input, features);
                walk(&map.value, in_input, features);
            }
            _ => {}
        }
        if target.media_type.is_some() && matches!(target.ty, Type::String) {
            // Strings with a media type travel base64-encoded in headers.
            features.insert(Feature::Blobs);
        }
        if in_input && target.constraints.pattern.is_some() && target.ty == Type::String {
            features.insert(Feature::InputPatterns);
        }
    }
    for op in &ir.operations {
        for member in &op.input.members {
            walk(&member.target, true, &mut features);
        }
        for member in &op.output.members {
            walk(&member.target, false, &mut features);
        }
    }
    for (id, shape) in &ir.shapes {
        let in_input = ir.input_shapes.contains(id);
        for member in shape.members() {
            walk(&member.target, in_input, &mut features);
        }
    }
    features
}
