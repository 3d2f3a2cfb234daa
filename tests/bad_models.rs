//! Broken models: each gives an error naming what is wrong (and where), never a panic.

use codegen::{CodegenError, GenerateOptions};
use serde_json::{Value, json};

/// A small valid model to break: one operation with a label, a header and a body member.
fn valid_model() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example#Service": {
                "type": "service",
                "version": "1",
                "operations": [{ "target": "example#GetThing" }],
                "traits": { "aws.protocols#restJson1": {} }
            },
            "example#GetThing": {
                "type": "operation",
                "input": { "target": "example#GetThingInput" },
                "output": { "target": "example#GetThingOutput" },
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/things/{Id}", "code": 200 } }
            },
            "example#GetThingInput": {
                "type": "structure",
                "members": {
                    "Id": { "target": "smithy.api#String", "traits": { "smithy.api#httpLabel": {}, "smithy.api#required": {} } },
                    "Token": { "target": "smithy.api#String", "traits": { "smithy.api#httpHeader": "X-Amz-Bearer" } }
                }
            },
            "example#GetThingOutput": {
                "type": "structure",
                "members": { "Name": { "target": "smithy.api#String" } }
            }
        }
    })
}

fn generate(model: &str) -> Result<codegen::Generated, CodegenError> {
    codegen::generate(model, &GenerateOptions::new("broken"))
}

fn broken(edit: impl FnOnce(&mut Value)) -> String {
    let mut model = valid_model();
    edit(&mut model);
    model.to_string()
}

struct Case {
    name: &'static str,
    model: String,
    shape: Option<&'static str>,
    trait_id: Option<&'static str>,
    message: &'static str,
}

#[test]
fn the_valid_model_generates() {
    generate(&valid_model().to_string()).expect("the base model of the table is valid");
}

#[test]
fn broken_models_give_errors_that_name_the_fault() {
    let cases = vec![
        Case {
            name: "invalid JSON",
            model: "{\"smithy\": \"2.0\", \"shapes\": {".to_owned(),
            shape: None,
            trait_id: None,
            message: "not valid Smithy JSON",
        },
        Case {
            name: "unknown target",
            model: broken(|m| {
                m["shapes"]["example#GetThingOutput"]["members"]["Name"]["target"] = json!("example#Missing")
            }),
            shape: Some("example#GetThingOutput$Name"),
            trait_id: None,
            message: "refers to unknown shape example#Missing",
        },
        Case {
            name: "label member not required",
            model: broken(|m| {
                m["shapes"]["example#GetThingInput"]["members"]["Id"]["traits"]
                    .as_object_mut()
                    .unwrap()
                    .remove("smithy.api#required");
            }),
            shape: Some("example#GetThingInput$Id"),
            trait_id: Some("smithy.api#httpLabel"),
            message: "must be @required",
        },
        Case {
            name: "list that contains itself",
            model: broken(|m| {
                m["shapes"]["example#GetThingOutput"]["members"]["Nested"] = json!({ "target": "example#Nested" });
                m["shapes"]["example#Nested"] = json!({ "type": "list", "member": { "target": "example#Nested" } });
            }),
            shape: Some("example#Nested"),
            trait_id: None,
            message: "Smithy 2.0 forbids (recursive shape definitions)",
        },
        Case {
            name: "map whose values hold it through a list",
            model: broken(|m| {
                m["shapes"]["example#GetThingOutput"]["members"]["Index"] = json!({ "target": "example#Index" });
                m["shapes"]["example#Index"] = json!({
                    "type": "map",
                    "key": { "target": "smithy.api#String" },
                    "value": { "target": "example#Indexes" }
                });
                m["shapes"]["example#Indexes"] = json!({ "type": "list", "member": { "target": "example#Index" } });
            }),
            shape: Some("example#Index"),
            trait_id: None,
            message: "contains itself without a structure or union in between",
        },
        Case {
            name: "unknown shape type",
            model: broken(|m| m["shapes"]["example#GetThingOutput"]["type"] = json!("record")),
            shape: Some("example#GetThingOutput"),
            trait_id: None,
            message: "unknown variant `record`",
        },
        Case {
            name: "missing service",
            model: broken(|m| {
                m["shapes"].as_object_mut().unwrap().remove("example#Service");
            }),
            shape: None,
            trait_id: None,
            message: "no service shape",
        },
        Case {
            name: "URI label without a member",
            model: broken(|m| {
                m["shapes"]["example#GetThing"]["traits"]["smithy.api#http"]["uri"] = json!("/things/{Id}/{Other}")
            }),
            shape: Some("example#GetThing"),
            trait_id: Some("smithy.api#http"),
            message: "URI label {Other} has no @httpLabel member",
        },
        Case {
            name: "operation without @http",
            model: broken(|m| {
                m["shapes"]["example#GetThing"]["traits"].as_object_mut().unwrap().remove("smithy.api#http");
            }),
            shape: Some("example#GetThing"),
            trait_id: Some("smithy.api#http"),
            message: "no @http trait",
        },
        Case {
            name: "malformed trait value",
            model: broken(|m| {
                m["shapes"]["example#GetThingInput"]["members"]["Token"]["traits"]["smithy.api#httpHeader"] = json!(7)
            }),
            shape: Some("example#GetThingInput$Token"),
            trait_id: Some("smithy.api#httpHeader"),
            message: "invalid trait value",
        },
        Case {
            name: "service without restJson1",
            model: broken(|m| {
                m["shapes"]["example#Service"]["traits"].as_object_mut().unwrap().remove("aws.protocols#restJson1");
            }),
            shape: Some("example#Service"),
            trait_id: Some("aws.protocols#restJson1"),
            message: "does not declare the restJson1 protocol",
        },
        Case {
            name: "header bound to a structure",
            model: broken(|m| {
                m["shapes"]["example#GetThingInput"]["members"]["Token"]["target"] = json!("example#GetThingOutput");
            }),
            shape: Some("example#GetThingInput$Token"),
            trait_id: Some("smithy.api#httpHeader"),
            message: "must target a simple value",
        },
        Case {
            name: "header named under a prefix-header map",
            model: broken(|m| {
                m["shapes"]["example#GetThingInput"]["members"]["Meta"] =
                    json!({ "target": "example#Meta", "traits": { "smithy.api#httpPrefixHeaders": "X-Amz-" } });
                m["shapes"]["example#Meta"] = json!({
                    "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "smithy.api#String" }
                });
            }),
            shape: Some("example#GetThingInput$Token"),
            trait_id: Some("smithy.api#httpHeader"),
            message: "starts with the prefix",
        },
        Case {
            name: "pagination token that is not a string",
            model: broken(|m| {
                m["shapes"]["example#GetThingInput"]["members"]["Page"] = json!({ "target": "smithy.api#Integer" });
                m["shapes"]["example#GetThing"]["traits"]["smithy.api#paginated"] =
                    json!({ "inputToken": "Page", "outputToken": "Name" });
            }),
            shape: Some("example#GetThing"),
            trait_id: Some("smithy.api#paginated"),
            message: "input member Page must be a string",
        },
        Case {
            name: "two greedy labels",
            model: broken(|m| {
                m["shapes"]["example#GetThing"]["traits"]["smithy.api#http"]["uri"] = json!("/things/{Id+}/{Other+}")
            }),
            shape: Some("example#GetThing"),
            trait_id: Some("smithy.api#http"),
            message: "only one greedy label",
        },
        Case {
            name: "bad shape id",
            model: broken(|m| {
                let output = m["shapes"].as_object_mut().unwrap().remove("example#GetThingOutput").unwrap();
                m["shapes"]["NoNamespace"] = output;
            }),
            shape: None,
            trait_id: None,
            message: "has no namespace",
        },
    ];
    let mut failures = Vec::new();
    for case in cases {
        match std::panic::catch_unwind(|| generate(&case.model)) {
            Err(_) => failures.push(format!("{}: panicked", case.name)),
            Ok(Ok(_)) => failures.push(format!("{}: generated a crate instead of failing", case.name)),
            Ok(Err(error)) => {
                let text = error.to_string();
                if error.shape.as_deref() != case.shape
                    || error.trait_id.as_deref() != case.trait_id
                    || !text.contains(case.message)
                {
                    failures.push(format!(
                        "{}: got shape {:?}, trait {:?}, message {text:?}; expected shape {:?}, trait {:?}, message containing {:?}",
                        case.name, error.shape, error.trait_id, case.shape, case.trait_id, case.message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_service_rename_map_names_types() {
    let model = broken(|m| {
        m["shapes"]["example#Service"]["rename"] = json!({ "example#GetThingOutput": "ThingResult" });
        m["shapes"]["example#GetThingInput"]["members"]["Nested"] = json!({ "target": "example#Nested" });
        m["shapes"]["example#Nested"] = json!({ "type": "structure", "members": {} });
        m["shapes"]["example#Service"]["rename"]["example#Nested"] = json!("Inner");
    });
    let generated = generate(&model).expect("renames are valid");
    assert!(generated.files.iter().any(|(path, _)| path == "src/types/inner.rs"), "renamed shape file");
    let lib = &generated.files.iter().find(|(path, _)| path == "src/types/mod.rs").unwrap().1;
    assert!(lib.contains("pub use inner::Inner;"), "{lib}");
}

#[test]
fn event_stream_operations_are_left_out_with_a_warning() {
    let model = broken(|m| {
        m["shapes"]["example#GetThingOutput"]["members"]["Events"] = json!({ "target": "example#Events" });
        m["shapes"]["example#Events"] = json!({
            "type": "union",
            "members": { "Tick": { "target": "smithy.api#String" } },
            "traits": { "smithy.api#streaming": {} }
        });
    });
    let generated = generate(&model).expect("event streams are skipped, not fatal");
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    assert!(generated.warnings[0].contains("example#GetThing"), "{}", generated.warnings[0]);
    assert!(generated.warnings[0].contains("event stream"), "{}", generated.warnings[0]);
    assert!(!generated.files.iter().any(|(path, _)| path.contains("get_thing")));
}

/// A model with two operations beside `GetThing` that each need something the generator does
/// not support: an idempotency token bound to a path label, and a structure (reached through a
/// recursive pair) whose members `Value` and `value` would be one Rust field.
fn model_with_unsupported_operations() -> String {
    broken(|m| {
        m["shapes"]["example#Service"]["operations"] = json!([
            { "target": "example#GetThing" },
            { "target": "example#PutThing" },
            { "target": "example#LinkThing" }
        ]);
        m["shapes"]["example#PutThing"] = json!({
            "type": "operation",
            "input": { "target": "example#PutThingInput" },
            "traits": { "smithy.api#http": { "method": "PUT", "uri": "/things/{Token}", "code": 200 } }
        });
        m["shapes"]["example#PutThingInput"] = json!({
            "type": "structure",
            "members": { "Token": { "target": "smithy.api#String", "traits": {
                "smithy.api#httpLabel": {}, "smithy.api#required": {}, "smithy.api#idempotencyToken": {}
            } } }
        });
        m["shapes"]["example#LinkThing"] = json!({
            "type": "operation",
            "input": { "target": "example#LinkThingInput" },
            "traits": { "smithy.api#http": { "method": "POST", "uri": "/links", "code": 200 } }
        });
        m["shapes"]["example#LinkThingInput"] =
            json!({ "type": "structure", "members": { "Node": { "target": "example#Node" } } });
        // `Back` is finished (and refers to `Node`) before `Node` is found unsupported.
        m["shapes"]["example#Node"] = json!({
            "type": "structure",
            "members": {
                "Back": { "target": "example#Back" },
                "Value": { "target": "smithy.api#String" },
                "value": { "target": "smithy.api#String" }
            }
        });
        m["shapes"]["example#Back"] =
            json!({ "type": "structure", "members": { "Node": { "target": "example#Node" } } });
    })
}

#[test]
fn operations_needing_unsupported_constructs_are_left_out_with_a_warning() {
    let model = model_with_unsupported_operations();
    let generated = match std::panic::catch_unwind(|| generate(&model)) {
        Ok(generated) => generated.expect("one unsupported operation does not refuse the model"),
        Err(_) => panic!("generating a model with unsupported operations panicked"),
    };
    assert_eq!(generated.warnings.len(), 2, "{:?}", generated.warnings);
    let link = generated.warnings.iter().find(|w| w.contains("example#LinkThing")).expect("LinkThing warned");
    assert!(link.contains("left out") && link.contains("shape example#Node"), "{link}");
    let put = generated.warnings.iter().find(|w| w.contains("example#PutThing")).expect("PutThing warned");
    assert!(put.contains("left out") && put.contains("trait smithy.api#idempotencyToken"), "{put}");
    let paths: Vec<&str> = generated.files.iter().map(|(path, _)| path.as_str()).collect();
    assert!(paths.iter().any(|path| path.contains("get_thing")), "the supported operation is generated: {paths:?}");
    for gone in ["put_thing", "link_thing", "types/back.rs", "types/node.rs"] {
        assert!(!paths.iter().any(|path| path.contains(gone)), "{gone} is generated: {paths:?}");
    }
}
