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

const OVERLAY_BASE: &str = r#"{"smithy": "2.0", "shapes": {
    "ns#Url": {"type": "string", "traits": {"smithy.api#length": {"min": 1}}},
    "ns#S": {"type": "structure", "members": {"Url": {"target": "ns#Url"}}}
}}"#;

fn overlay(shapes: &str) -> Overlay {
    Overlay { source: "test.overlay.json".to_owned(), json: format!(r#"{{"smithy": "2.0", "shapes": {{{shapes}}}}}"#) }
}

#[test]
fn overlays_add_traits_to_shapes_and_members() {
    let model = Model::parse_with_overlays(
        OVERLAY_BASE,
        &[overlay(
            r#""ns#Url": {"type": "apply", "traits": {"smithy.api#sensitive": {}}},
               "ns#S$Url": {"type": "apply", "traits": {"smithy.api#documentation": "A link."}}"#,
        )],
    )
    .unwrap();
    assert!(model.shape(&id("ns#Url")).unwrap().traits().has(traits::ids::SENSITIVE));
    assert!(model.shape(&id("ns#Url")).unwrap().traits().has(traits::ids::LENGTH), "the model's traits stay");
    assert_eq!(model.shape(&id("ns#S")).unwrap().member("Url").unwrap().traits.documentation(), Some("A link."));
    let plain = Model::parse(OVERLAY_BASE).unwrap();
    assert!(!plain.shape(&id("ns#Url")).unwrap().traits().has(traits::ids::SENSITIVE));
}

#[test]
fn overlays_may_only_add_traits() {
    let refused = |shapes: &str| Model::parse_with_overlays(OVERLAY_BASE, &[overlay(shapes)]).unwrap_err();
    let err = refused(r#""ns#New": {"type": "string"}"#);
    assert_eq!(err.shape.as_deref(), Some("ns#New"));
    assert!(err.message.contains("test.overlay.json declares a string"), "{err}");
    let err = refused(r#""ns#Url": {"type": "apply", "traits": {"smithy.api#length": {"min": 2}}}"#);
    assert_eq!(err.trait_id.as_deref(), Some("smithy.api#length"));
    assert!(err.message.contains("would replace a trait"), "{err}");
    let err = refused(r#""ns#S$Other": {"type": "apply", "traits": {"smithy.api#sensitive": {}}}"#);
    assert!(err.message.contains("unknown member"), "{err}");
    let err = refused(r#""ns#Missing": {"type": "apply", "traits": {"smithy.api#sensitive": {}}}"#);
    assert!(err.message.contains("unknown shape"), "{err}");
    let err = refused(r#""ns#Url": {"type": "apply", "mixins": [{"target": "ns#S"}]}"#);
    assert!(err.message.contains("adds mixins"), "{err}");
}
