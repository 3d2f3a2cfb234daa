//! Secrets stay out of `Debug`, in outputs and errors too.
//!
//! Every operation's output and every error the model declares is decoded from a response in
//! which each string member holds its own known secret string (`SECRET-0001-`...), nested
//! structures, lists and maps included. The members whose value is a secret are found in the
//! model (with the project's overlay) independently of the generator: `@sensitive` on the
//! member or its target (or on anything enclosing it), and targets of the `X-Amz-Bearer` header.
//! `Debug` of each output and error must show none of their secrets, and must show every other
//! secret (so the response was really decoded).

use crate::every_operation;

use std::collections::BTreeSet;

use codegen::smithy::traits::ids;
use codegen::smithy::{Model, Overlay, Shape, ShapeId};
use connectparticipant::transport::{Bytes, HttpResponse, http};
use serde_json::{Map, Value, json};
use workspace_tests::workspace_root;

fn model() -> Model {
    let root = workspace_root();
    let json = std::fs::read_to_string(root.join("model/connectparticipant.json")).unwrap();
    let overlay = Overlay::read(&root.join("model/connectparticipant.overlay.json")).unwrap();
    Model::parse_with_overlays(&json, &[overlay]).unwrap()
}

/// One string value put in a response: its text, the member it fills and whether it is secret.
struct Planted {
    text: String,
    member: String,
    sensitive: bool,
}

/// Builds JSON documents with every member filled, recording each string planted.
struct Filler<'m> {
    model: &'m Model,
    bearer_shapes: BTreeSet<ShapeId>,
    planted: Vec<Planted>,
}

impl<'m> Filler<'m> {
    fn new(model: &'m Model) -> Self {
        let bearer_shapes = model
            .shapes
            .values()
            .filter_map(Shape::members)
            .flat_map(|members| members.iter().map(|(_, m)| m))
            .filter(|m| {
                m.traits
                    .value(ids::HTTP_HEADER)
                    .and_then(Value::as_str)
                    .is_some_and(|h| h.eq_ignore_ascii_case("x-amz-bearer"))
            })
            .map(|m| m.target.clone())
            .collect();
        Filler { model, bearer_shapes, planted: Vec::new() }
    }

    fn plant(&mut self, member: &str, sensitive: bool) -> String {
        let text = format!("SECRET-{:04}-", self.planted.len());
        self.planted.push(Planted { text: text.clone(), member: member.to_owned(), sensitive });
        text
    }

    /// A value for `member` (an id like `ns#Shape$Member`) targeting `target`.
    fn value(&mut self, member: &str, target: &ShapeId, sensitive: bool, depth: usize) -> Option<Value> {
        let shape = self.model.shape(target).unwrap();
        let sensitive = sensitive || shape.traits().has(ids::SENSITIVE) || self.bearer_shapes.contains(target);
        Some(match shape {
            Shape::String(_) if shape.traits().has(ids::ENUM) => {
                shape.traits().value(ids::ENUM).unwrap()[0]["value"].clone()
            }
            Shape::String(_) => Value::String(self.plant(member, sensitive)),
            Shape::Enum(aggregate) => {
                let (name, first) = aggregate.members.iter().next().unwrap();
                first.traits.value(ids::ENUM_VALUE).cloned().unwrap_or_else(|| json!(name))
            }
            Shape::IntEnum(aggregate) => {
                aggregate.members.iter().next().unwrap().1.traits.value(ids::ENUM_VALUE).cloned().unwrap()
            }
            Shape::Boolean(_) => json!(true),
            Shape::Byte(_) | Shape::Short(_) | Shape::Integer(_) | Shape::Long(_) => json!(7),
            Shape::Float(_) | Shape::Double(_) => json!(1.5),
            Shape::Timestamp(_) => json!(1_700_000_000),
            Shape::Blob(_) => json!("AAAA"),
            Shape::Document(_) => json!({}),
            Shape::List(list) | Shape::Set(list) => {
                let item = self.value(
                    &format!("{target}$member"),
                    &list.member.target,
                    sensitive || list.member.traits.has(ids::SENSITIVE),
                    depth + 1,
                )?;
                json!([item])
            }
            Shape::Map(map) => {
                let value = self.value(
                    &format!("{target}$value"),
                    &map.value.target,
                    sensitive || map.value.traits.has(ids::SENSITIVE),
                    depth + 1,
                )?;
                json!({ "key": value })
            }
            Shape::Structure(_) | Shape::Union(_) if depth > 6 => return None,
            Shape::Structure(_) => Value::Object(self.structure(target, sensitive, depth + 1)),
            Shape::Union(aggregate) => {
                let (name, variant) = aggregate.members.iter().next().unwrap();
                let value = self.value(
                    &format!("{target}${name}"),
                    &variant.target,
                    sensitive || variant.traits.has(ids::SENSITIVE),
                    depth + 1,
                )?;
                json!({ name.as_str(): value })
            }
            other => panic!("{member} targets a {}", other.type_name()),
        })
    }

    /// A JSON object with every body member of the structure `id` filled.
    fn structure(&mut self, id: &ShapeId, sensitive: bool, depth: usize) -> Map<String, Value> {
        let members = self.model.shape(id).unwrap().members().unwrap().clone();
        let mut object = Map::new();
        for (name, member) in members.iter() {
            assert!(
                !member.traits.ids().any(|t| t.starts_with("smithy.api#http")),
                "{id}${name} is bound to the HTTP message; this test fills bodies only"
            );
            let json_name = member.traits.value(ids::JSON_NAME).and_then(Value::as_str).unwrap_or(name).to_owned();
            let sensitive = sensitive || member.traits.has(ids::SENSITIVE);
            if let Some(value) = self.value(&format!("{id}${name}"), &member.target, sensitive, depth) {
                object.insert(json_name, value);
            }
        }
        object
    }
}

fn response(status: u16, error_type: Option<&str>, body: &Map<String, Value>) -> HttpResponse {
    let mut builder = http::Response::builder().status(status).header("content-type", "application/json");
    if let Some(error_type) = error_type {
        builder = builder.header("x-amzn-errortype", error_type);
    }
    builder.body(Bytes::from(serde_json::to_vec(body).unwrap())).unwrap()
}

/// Checks one `Debug` text against what was planted since `from`; returns the sensitive members seen.
fn check(what: &str, printed: &str, planted: &[Planted]) -> Vec<String> {
    let leaked: Vec<&str> =
        planted.iter().filter(|p| p.sensitive && printed.contains(&p.text)).map(|p| p.member.as_str()).collect();
    assert!(leaked.is_empty(), "Debug of {what} prints the sensitive {leaked:?}:\n{printed}");
    let missing: Vec<&str> =
        planted.iter().filter(|p| !p.sensitive && !printed.contains(&p.text)).map(|p| p.member.as_str()).collect();
    assert!(missing.is_empty(), "Debug of {what} lacks {missing:?}: was the response decoded?\n{printed}");
    planted.iter().filter(|p| p.sensitive).map(|p| p.member.clone()).collect()
}

#[tokio::test]
async fn debug_of_every_output_and_error_shows_no_secret() {
    let model = model();
    let mut filler = Filler::new(&model);
    let mut sensitive_seen = BTreeSet::new();
    let mut errors_checked = BTreeSet::new();
    let operations: Vec<(&ShapeId, &codegen::smithy::OperationShape)> = model
        .shapes
        .iter()
        .filter_map(|(id, shape)| match shape {
            Shape::Operation(op) => Some((id, op)),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = operations.iter().map(|(id, _)| id.name()).collect();
    assert_eq!(names, every_operation::OPERATIONS, "the test calls every operation of the model");
    for (id, operation) in operations {
        let output = &operation.output.as_ref().unwrap().target;
        let from = filler.planted.len();
        let body = filler.structure(output, false, 0);
        let status = operation.traits.value(ids::HTTP).and_then(|h| h["code"].as_u64()).unwrap_or(200) as u16;
        let client = every_operation::client_answering(response(status, None, &body), |b| b);
        let printed = match every_operation::call(&client, id.name()).await {
            every_operation::Outcome::Output(printed) => printed,
            failed => panic!("{id}: the filled response did not decode: {failed:?}"),
        };
        sensitive_seen.extend(check(&format!("the output of {id}"), &printed, &filler.planted[from..]));

        for error in &operation.errors {
            let error = &error.target;
            let traits = model.shape(error).unwrap().traits();
            let server = traits.value(ids::ERROR).and_then(Value::as_str) == Some("server");
            let status =
                traits.value(ids::HTTP_ERROR).and_then(Value::as_u64).unwrap_or(if server { 500 } else { 400 });
            let from = filler.planted.len();
            let body = filler.structure(error, false, 0);
            let client = every_operation::client_answering(response(status as u16, Some(error.name()), &body), |b| b);
            let printed = match every_operation::call(&client, id.name()).await {
                every_operation::Outcome::Failed { service_error: Some(printed), .. } => printed,
                other => panic!("{id}: {error} did not decode as a service error: {other:?}"),
            };
            assert!(printed.contains(error.name()), "{id}: {printed} is not {error}");
            sensitive_seen.extend(check(&format!("{error} from {id}"), &printed, &filler.planted[from..]));
            errors_checked.insert(error.clone());
        }
    }
    // The secrets a chat app holds: bearer tokens handed back and pre-signed or WebSocket URLs.
    for member in [
        "com.amazonaws.connectparticipant#ConnectionCredentials$ConnectionToken",
        "com.amazonaws.connectparticipant#Websocket$Url",
        "com.amazonaws.connectparticipant#UploadMetadata$Url",
        "com.amazonaws.connectparticipant#GetAttachmentResponse$Url",
        "com.amazonaws.connectparticipant#Attendee$JoinToken",
    ] {
        assert!(sensitive_seen.contains(member), "{member} was not checked as sensitive: {sensitive_seen:?}");
    }
    let strings = filler.planted.len();
    let secret = filler.planted.iter().filter(|p| p.sensitive).count();
    eprintln!(
        "debug_redaction: 11 outputs and {} error types, {strings} strings planted, {secret} of them sensitive",
        errors_checked.len()
    );
}
