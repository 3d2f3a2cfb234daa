//! The surface of a resolved IR: the same names and types the emitters write, read from the
//! IR's decisions (positional arguments, presence, Rust names).

use super::digest::digest;
use super::*;
use crate::endpoint_rules::ast::ParameterType;
use crate::ir::{self, Ir, Member, NamedShape, Operation, Structure, Type};
use crate::smithy::ShapeId;

impl ApiSurface {
    /// The public API the emitters make of `ir` (without the verbatim files': see
    /// [`verbatim::VerbatimSurface::from_files`]).
    pub fn from_ir(ir: &Ir) -> ApiSurface {
        let mut methods: Vec<Method> = ir.operations.iter().map(|op| method(ir, op)).collect();
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        let mut types = Vec::new();
        for op in &ir.operations {
            types.push(structure(ir, &op.input, false));
            types.push(structure(ir, &op.output, true));
            types.push(error_enum(ir, op));
        }
        for shape in ir.shapes.values() {
            types.push(named(ir, shape));
        }
        types.sort_by(|a, b| a.path.cmp(&b.path));
        ApiSurface { service: ir.service.id.to_string(), methods, types, endpoint: endpoint(ir), verbatim: None }
    }
}

fn method(ir: &Ir, op: &Operation) -> Method {
    let owner = &op.input.id;
    Method {
        name: op.fn_name.to_string(),
        shape: op.id.to_string(),
        arguments: op.input.positional_members().map(|m| argument(ir, owner, m)).collect(),
        builder: op.builder_path().to_string(),
        setters: op.input.optional_members().map(|m| setter(ir, owner, m)).collect(),
        errors: op.errors.iter().map(ToString::to_string).collect(),
        paginated: op.pagination.is_some(),
        deprecated: op.deprecated.clone(),
        docs: digest(&op.docs),
    }
}

fn argument(ir: &Ir, owner: &ShapeId, member: &Member) -> Argument {
    Argument { name: member.field.to_string(), member: member_id(owner, member), ty: value_type(ir, member) }
}

fn setter(ir: &Ir, owner: &ShapeId, member: &Member) -> Setter {
    Setter {
        name: member.setters().0.to_string(),
        member: member_id(owner, member),
        ty: value_type(ir, member),
        clearable: member.is_optional(),
        deprecated: member.deprecated.clone(),
    }
}

/// The member's shape id (`ns#Structure$Member`).
fn member_id(owner: &ShapeId, member: &Member) -> String {
    owner.with_member(&member.name).to_string()
}

/// A structure: an operation's input (`constructed` false: the client builds it) or output,
/// or a named structure or error.
fn structure(ir: &Ir, s: &Structure, constructed: bool) -> TypeDef {
    let fields = s
        .members
        .iter()
        .map(|m| Field {
            name: m.field.to_string(),
            member: member_id(&s.id, m),
            ty: field_type(ir, m),
            default: m.default_value().map(ToString::to_string),
            deprecated: m.deprecated.clone(),
            docs: digest(&m.docs),
        })
        .collect();
    let constructor = constructed.then(|| s.positional_members().map(|m| argument(ir, &s.id, m)).collect());
    let setters = if constructed { s.optional_members().map(|m| setter(ir, &s.id, m)).collect() } else { Vec::new() };
    TypeDef {
        path: s.path.to_string(),
        shape: s.id.to_string(),
        kind: TypeKind::Struct { fields, constructor, setters },
        non_exhaustive: true,
        deprecated: s.deprecated.clone(),
        docs: digest(&s.docs),
    }
}

fn error_enum(ir: &Ir, op: &Operation) -> TypeDef {
    let variants = op
        .errors
        .iter()
        .map(|id| Variant {
            name: ir.shapes.get(id).map_or_else(|| id.name().to_owned(), |s| s.rust_name().to_string()),
            shape: id.to_string(),
            ty: Some(named_type(ir, id)),
            value: None,
            deprecated: None,
            docs: String::new(),
        })
        .collect();
    TypeDef {
        path: op.error_path().to_string(),
        shape: op.id.to_string(),
        kind: TypeKind::Errors { variants, unknown: true },
        non_exhaustive: true,
        deprecated: None,
        docs: String::new(),
    }
}

fn named(ir: &Ir, shape: &NamedShape) -> TypeDef {
    match shape {
        NamedShape::Structure(s) => structure(ir, s, true),
        NamedShape::Union(u) => TypeDef {
            path: u.path.to_string(),
            shape: u.id.to_string(),
            kind: TypeKind::Union {
                variants: u
                    .variants
                    .iter()
                    .map(|v| Variant {
                        name: v.field.to_string(),
                        shape: member_id(&u.id, v),
                        ty: (v.target.ty != Type::Unit).then(|| value_type(ir, v)),
                        value: None,
                        deprecated: v.deprecated.clone(),
                        docs: digest(&v.docs),
                    })
                    .collect(),
                unknown: true,
            },
            non_exhaustive: true,
            deprecated: u.deprecated.clone(),
            docs: digest(&u.docs),
        },
        NamedShape::Enum(e) => enum_def(e, |v| v.clone()),
        NamedShape::IntEnum(e) => enum_def(e, ToString::to_string),
    }
}

fn enum_def<V>(e: &ir::EnumShape<V>, text: impl Fn(&V) -> String) -> TypeDef {
    let variants = e
        .variants
        .iter()
        .map(|v| Variant {
            name: v.rust_name.to_string(),
            shape: e.id.to_string(),
            ty: None,
            value: Some(text(&v.value)),
            deprecated: v.deprecated.clone(),
            docs: digest(&v.docs),
        })
        .collect();
    TypeDef {
        path: e.path.to_string(),
        shape: e.id.to_string(),
        kind: TypeKind::Enum { variants, unknown: true },
        non_exhaustive: true,
        deprecated: e.deprecated.clone(),
        docs: digest(&e.docs),
    }
}

/// The type of a member's field: `Option` when optional.
pub fn field_type(ir: &Ir, member: &Member) -> RustType {
    let value = value_type(ir, member);
    if member.is_optional() { RustType::Option(Box::new(value)) } else { value }
}

/// The member's value type without `Option` (boxed when recursive).
pub fn value_type(ir: &Ir, member: &Member) -> RustType {
    let ty = rust_type(ir, &member.target.ty);
    if member.boxed { RustType::Boxed(Box::new(ty)) } else { ty }
}

/// The Rust type holding a value of `ty` (the emitters write it as it is here).
pub fn rust_type(ir: &Ir, ty: &Type) -> RustType {
    let builtin = |name: &str| RustType::Builtin(name.to_owned());
    match ty {
        Type::String | Type::BigInteger | Type::BigDecimal => builtin("String"),
        Type::Boolean => builtin("bool"),
        Type::Byte => builtin("i8"),
        Type::Short => builtin("i16"),
        Type::Integer => builtin("i32"),
        Type::Long => builtin("i64"),
        Type::Float => builtin("f32"),
        Type::Double => builtin("f64"),
        Type::Timestamp(_) => builtin("primitives::DateTime"),
        Type::Blob { .. } => builtin("primitives::Blob"),
        Type::Document => builtin("primitives::Document"),
        Type::Unit => builtin("()"),
        Type::Enum(id) | Type::IntEnum(id) | Type::Structure(id) | Type::Union(id) => named_type(ir, id),
        Type::List(list) => RustType::List { item: Box::new(rust_type(ir, &list.member.ty)), sparse: list.sparse },
        Type::Map(map) => RustType::Map { value: Box::new(rust_type(ir, &map.value.ty)), sparse: map.sparse },
    }
}

fn named_type(ir: &Ir, id: &ShapeId) -> RustType {
    let path = match ir.shapes.get(id) {
        Some(shape) => shape.path().to_string(),
        // Not a named shape of the IR (never for a resolved member); named as a type would be.
        None => ir::ItemPath::types(&ir::TypeName::of_shape(id.name())).to_string(),
    };
    RustType::Named { path, shape: id.to_string() }
}

fn endpoint(ir: &Ir) -> EndpointSurface {
    let params = ir
        .service
        .endpoint_rules
        .iter()
        .flat_map(|rules| &rules.parameters)
        .map(|p| {
            let ty = RustType::Builtin(
                match p.ty {
                    ParameterType::String => "String",
                    ParameterType::Boolean => "bool",
                    ParameterType::StringArray => "Vec<String>",
                }
                .to_owned(),
            );
            EndpointParam {
                name: p.name.clone(),
                field: crate::endpoint_rules::param_field(&p.name).to_string(),
                ty: if p.default.is_none() { RustType::Option(Box::new(ty)) } else { ty },
                built_in: p.built_in.clone(),
                required: p.required,
                deprecated: p.deprecated.is_some(),
            }
        })
        .collect();
    // The typed rule set prints the same whatever the JSON's spelling of the same rules.
    let rules = ir.service.endpoint_rules.as_ref().map(|rules| digest(&format!("{:?}", rules.rules)));
    EndpointSurface {
        params,
        rules,
        tests: ir.service.endpoint_tests.len(),
        tests_digest: digest(&format!("{:?}", ir.service.endpoint_tests)),
    }
}
