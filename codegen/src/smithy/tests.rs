use super::*;

fn id(text: &str) -> ShapeId {
    ShapeId::parse(text).unwrap()
}

#[test]
fn mixins_are_flattened_and_apply_adds_traits() {
    let model = Model::parse(
        r#"{
            "smithy": "2.0",
            "shapes": {
                "ns#Base": {
                    "type": "structure",
                    "members": { "Id": { "target": "smithy.api#String", "traits": { "smithy.api#required": {} } } },
                    "traits": { "smithy.api#mixin": {}, "smithy.api#sensitive": {} }
                },
                "ns#Thing": {
                    "type": "structure",
                    "mixins": [{ "target": "ns#Base" }],
                    "members": { "Name": { "target": "smithy.api#String" } }
                },
                "ns#Thing$Name": { "type": "apply", "traits": { "smithy.api#documentation": "The name." } }
            }
        }"#,
    )
    .unwrap();
    let thing = model.shape(&id("ns#Thing")).unwrap();
    let members: Vec<&String> = thing.members().unwrap().iter().map(|(name, _)| name).collect();
    assert_eq!(members, ["Id", "Name"], "mixin members come first, in order");
    assert!(thing.member("Id").unwrap().traits.has(traits::ids::REQUIRED));
    assert_eq!(thing.member("Name").unwrap().traits.documentation(), Some("The name."));
    assert!(thing.traits().has(traits::ids::SENSITIVE), "mixin traits are inherited");
    assert!(!thing.traits().has(traits::ids::MIXIN), "but not @mixin itself");
    assert!(!model.shapes.contains_key(&id("ns#Thing$Name")), "apply statements are consumed");
}

#[test]
fn members_keep_the_order_of_the_model() {
    let model = Model::parse(
        r#"{"smithy": "2.0", "shapes": {"ns#S": {"type": "structure", "members": {
            "Zeta": {"target": "smithy.api#String"}, "Alpha": {"target": "smithy.api#String"}, "Mu": {"target": "smithy.api#String"}
        }}}}"#,
    )
    .unwrap();
    let members: Vec<&String> = model.shape(&id("ns#S")).unwrap().members().unwrap().iter().map(|(n, _)| n).collect();
    assert_eq!(members, ["Zeta", "Alpha", "Mu"]);
}

#[test]
fn prelude_shapes_resolve_and_errors_name_the_shape() {
    let model = Model::parse(r#"{"smithy": "2.0", "shapes": {}}"#).unwrap();
    assert!(matches!(model.shape(&id("smithy.api#String")), Some(Shape::String(_))));
    assert!(model.shape(&id("smithy.api#PrimitiveInteger")).unwrap().traits().has(traits::ids::DEFAULT));
    let err =
        Model::parse(r#"{"smithy": "2.0", "shapes": {"ns#Bad": {"type": "structure", "members": 3}}}"#).unwrap_err();
    assert_eq!(err.shape.as_deref(), Some("ns#Bad"));
    let err =
        Model::parse(r#"{"smithy": "2.0", "shapes": {"ns#A": {"type": "structure", "mixins": [{"target": "ns#A"}]}}}"#)
            .unwrap_err();
    assert!(err.message.contains("cycle"), "{err}");
}
