//! The names the IR decides for a user to see: types, modules, paths, setters, accessors.

use quote::ToTokens;

use crate::ir::{MemberMethods, NamedShape, Operation, StructureKind, resolve};
use crate::smithy::{Model, ShapeId};

/// An operation whose name is a keyword, with input members named like the builder's own
/// methods; a structure with a member named like its constructor; a union with a unit variant;
/// an error; an enum whose values clash once cased.
const MODEL: &str = r#"{
    "smithy": "2.0",
    "shapes": {
        "ex#Service": {"type": "service", "operations": [{"target": "ex#Type"}],
                       "traits": {"aws.protocols#restJson1": {}}},
        "ex#Type": {
            "type": "operation",
            "input": {"target": "ex#TypeInput"},
            "output": {"target": "ex#TypeOutput"},
            "errors": [{"target": "ex#AccessDenied"}],
            "traits": {"smithy.api#http": {"method": "POST", "uri": "/type", "code": 200}}
        },
        "ex#TypeInput": {"type": "structure", "members": {
            "Send": {"target": "smithy.api#String"},
            "Type": {"target": "smithy.api#String"},
            "New": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}
        }},
        "ex#TypeOutput": {"type": "structure", "members": {
            "Item": {"target": "ex#Item"},
            "Choice": {"target": "ex#Choice"},
            "Kind": {"target": "ex#Kind"}
        }},
        "ex#Item": {"type": "structure", "members": {
            "New": {"target": "smithy.api#String"},
            "Send": {"target": "smithy.api#String"}
        }},
        "ex#Choice": {"type": "union", "members": {
            "Nothing": {"target": "smithy.api#Unit"},
            "TextValue": {"target": "smithy.api#String"}
        }},
        "ex#Kind": {"type": "enum", "members": {
            "A_B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a_b"}},
            "a_b": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "ab"}}
        }},
        "ex#AccessDenied": {"type": "structure", "members": {},
                            "traits": {"smithy.api#error": "client"}}
    }
}"#;

fn operation() -> (crate::ir::Ir, Operation) {
    let ir = resolve(&Model::parse(MODEL).unwrap(), &crate::ir::Options::default()).unwrap();
    let op = ir.operations[0].clone();
    (ir, op)
}

fn shape<'a>(ir: &'a crate::ir::Ir, name: &str) -> &'a NamedShape {
    &ir.shapes[&ShapeId::parse(&format!("ex#{name}")).unwrap()]
}

/// (setter, option setter) of each member, as written in Rust.
fn setters(members: &[crate::ir::Member]) -> Vec<(String, String)> {
    members.iter().map(|m| (m.setters().0.to_string(), m.setters().1.to_string())).collect()
}

#[test]
fn a_keyword_is_raw_as_a_method_and_underscored_as_a_module() {
    let (_, op) = operation();
    assert_eq!(op.fn_name.to_string(), "r#type");
    assert_eq!(op.module.as_str(), "type_");
    assert_eq!(op.rust_name.as_str(), "Type");
    assert_eq!(op.builder_name.as_str(), "TypeBuilder");
    assert_eq!(op.error_name.as_str(), "TypeError");
    assert_eq!(op.input.rust_name.as_str(), "TypeInput");
}

#[test]
fn a_member_named_like_a_method_of_its_type_gets_a_value_setter() {
    let (ir, op) = operation();
    // The call builder has `send` and `new`; the input's `Type` member stays raw.
    assert_eq!(
        setters(&op.input.members),
        [("send_value", "set_send"), ("r#type", "set_type"), ("new_value", "set_new")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    // A structure has only `new`: `send` is free there.
    let NamedShape::Structure(item) = shape(&ir, "Item") else { panic!("Item is a structure") };
    assert_eq!(
        setters(&item.members),
        [("new_value", "set_new"), ("send", "set_send")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[test]
fn union_variants_get_is_or_as_accessors() {
    let (ir, _) = operation();
    let NamedShape::Union(choice) = shape(&ir, "Choice") else { panic!("Choice is a union") };
    let accessors: Vec<(&str, &str)> = choice
        .variants
        .iter()
        .map(|v| match &v.methods {
            MemberMethods::Variant { accessor } => (v.field.as_str(), accessor.as_str()),
            MemberMethods::Setters { .. } => panic!("a variant has an accessor"),
        })
        .collect();
    assert_eq!(accessors, [("Nothing", "is_nothing"), ("TextValue", "as_text_value")]);
}

#[test]
fn enum_variants_that_clash_are_numbered() {
    let (ir, _) = operation();
    let NamedShape::Enum(kind) = shape(&ir, "Kind") else { panic!("Kind is an enum") };
    let names: Vec<&str> = kind.variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["AB", "AB2"]);
}

#[test]
fn paths_display_for_the_surface_and_quote_from_the_crate_root() {
    let (ir, op) = operation();
    let paths = [
        (op.builder_path(), "operation::type_::TypeBuilder"),
        (op.error_path(), "operation::type_::TypeError"),
        (op.input.path.clone(), "operation::type_::TypeInput"),
        (op.wire_path(), "protocol::type_::Type"),
        (shape(&ir, "Item").path().clone(), "types::Item"),
        (shape(&ir, "AccessDenied").path().clone(), "types::error::AccessDenied"),
    ];
    for (path, shown) in paths {
        assert_eq!(path.to_string(), shown);
        assert_eq!(path.to_token_stream().to_string(), format!("crate::{shown}").replace("::", " :: "));
    }
    let NamedShape::Structure(error) = shape(&ir, "AccessDenied") else { panic!("an error structure") };
    let StructureKind::Error(info) = &error.kind else { panic!("an error structure") };
    assert_eq!(info.predicate.as_str(), "is_access_denied");
}

/// An error that a member reaches before the operation's error list does is still an error:
/// its role comes from its `@error` trait, not from the order shapes are resolved in (the
/// member-first order gave a plain structure, and the error enum's emitter an IR invariant panic).
#[test]
fn an_error_a_member_targets_is_still_an_error() {
    let model = MODEL.replace(
        r#""Kind": {"target": "ex#Kind"}"#,
        r#""Kind": {"target": "ex#Kind"}, "Problem": {"target": "ex#AccessDenied"}"#,
    );
    let ir = resolve(&Model::parse(&model).unwrap(), &crate::ir::Options::default()).unwrap();
    let NamedShape::Structure(error) = shape(&ir, "AccessDenied") else { panic!("a structure") };
    assert!(matches!(error.kind, StructureKind::Error(_)), "AccessDenied resolved as {:?}", error.kind);
    assert_eq!(error.path.to_string(), "types::error::AccessDenied");
}
