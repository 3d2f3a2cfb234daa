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
    features.extend(operations_with(Feature::IdempotencyTokens, Operation::has_idempotency_tokens));
    features.extend(operations_with(Feature::Sigv4, |op| matches!(op.auth, OperationAuth::Sigv4 { .. })));
    if ir.shapes.values().any(|s| matches!(s, NamedShape::Enum(_) | NamedShape::IntEnum(_))) {
        features.insert(Feature::Enums);
    }
    for op in &ir.operations {
        for member in &op.input.members {
            walk(&member.target, Direction::Sent, Wire::of(member), &mut features);
        }
        for member in &op.output.members {
            walk(&member.target, Direction::Received, Wire::of(member), &mut features);
        }
    }
    for (id, shape) in &ir.shapes {
        let is_error = matches!(shape, NamedShape::Structure(s) if matches!(s.kind, StructureKind::Error(_)));
        let directions = [
            ir.input_shapes.contains(id).then_some(Direction::Sent),
            (is_error || ir.output_shapes.contains(id)).then_some(Direction::Received),
        ];
        for direction in directions.into_iter().flatten() {
            for member in shape.members() {
                walk(&member.target, direction, Wire::of(member), &mut features);
            }
        }
    }
    features
}

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Sent,
    Received,
}

/// How a value is written on the wire, which decides the runtime helpers that carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wire {
    /// In a JSON document (a body member, a structure payload, any member of a nested shape).
    Json,
    /// As header text: timestamps formatted, blobs and media-type strings in base64.
    Header,
    /// In the URI (label or query): timestamps formatted, blobs in base64.
    Uri,
    /// As is: a blob or string payload, prefix headers, query parameter maps, the status code.
    Raw,
}

impl Wire {
    fn of(member: &Member) -> Self {
        match &member.binding {
            Binding::Body => Wire::Json,
            Binding::Payload if member.is_json_payload() => Wire::Json,
            Binding::Header(_) => Wire::Header,
            Binding::Label { .. } | Binding::Query(_) => Wire::Uri,
            Binding::Payload | Binding::PrefixHeaders(_) | Binding::QueryParams | Binding::ResponseCode => Wire::Raw,
        }
    }
}

/// Records the runtime features a value of `target` needs, travelling `direction` as `wire`:
/// exactly the helpers the emitted readers and writers of that value call.
fn walk(target: &Target, direction: Direction, wire: Wire, features: &mut Features) {
    let sent = direction == Direction::Sent;
    let converted = wire != Wire::Raw;
    match &target.ty {
        Type::Timestamp(_) => {
            features.insert(Feature::Timestamps);
            match (direction, wire) {
                (_, Wire::Raw) => {}
                (Direction::Sent, _) => _ = features.insert(Feature::TimestampsSent),
                (Direction::Received, Wire::Json) => {
                    features.insert(Feature::TimestampsReceived);
                    features.insert(Feature::TimestampsInJson);
                }
                (Direction::Received, _) => _ = features.insert(Feature::TimestampsReceived),
            }
        }
        Type::Blob { .. } => {
            features.insert(Feature::Blobs);
            if converted {
                features.insert(if sent { Feature::BlobsSent } else { Feature::BlobsReceived });
            }
        }
        Type::Document => _ = features.insert(Feature::Documents),
        Type::List(list) => walk(&list.member, direction, wire, features),
        Type::Map(map) => {
            walk(&map.key, direction, wire, features);
            walk(&map.value, direction, wire, features);
        }
        _ => {}
    }
    if wire == Wire::Header && target.media_type.is_some() && target.ty == Type::String {
        // Strings with a media type travel base64-encoded in headers.
        features.insert(if sent { Feature::BlobsSent } else { Feature::BlobsReceived });
    }
    if sent && target.constraints.pattern.is_some() && target.ty == Type::String {
        features.insert(Feature::InputPatterns);
    }
}
