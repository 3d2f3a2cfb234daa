//! The model's `smithy.test` protocol test cases, read once from their traits and typed: the
//! params resolved against the input, output or error structure, the expected request or the
//! response spelled out. Only cases for clients of restJson1 are kept (the one protocol this
//! generator speaks); a case whose params do not fit its structure keeps the reason, which the
//! emitted test reports.

use serde_json::Value;

use super::literal::{self, BlobText, StructureLiteral};
use super::types::{Ir, NamedShape, Structure, StructureKind};
use crate::error::{CodegenError, Result};
use crate::smithy::{ShapeId, Traits};

/// The protocol whose cases are kept.
const PROTOCOL: &str = "aws.protocols#restJson1";

/// The host a request case is serialized against when it names none.
const DEFAULT_HOST: &str = "example.com";

/// A `smithy.test#httpRequestTests` case.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestTest {
    pub id: String,
    pub documentation: Option<String>,
    /// The input, or why the params cannot be written as one.
    pub params: std::result::Result<StructureLiteral, String>,
    /// The host the request is serialized against.
    pub host: String,
    /// The request the client must send.
    pub expected: ExpectedRequest,
}

/// What a request case expects on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedRequest {
    pub method: String,
    /// The path, percent-encoded as sent.
    pub path: String,
    /// Query pieces (`key=value`, encoded) that must be present: those of the case's `uri`,
    /// then its `queryParams`.
    pub query: Vec<String>,
    pub headers: Vec<(String, String)>,
    pub require_headers: Vec<String>,
    pub forbid_headers: Vec<String>,
    pub body: Option<Body>,
    /// The host the endpoint resolves to, when the case says.
    pub resolved_host: Option<String>,
}

/// A `smithy.test#httpResponseTests` case (on an operation or an error shape).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTest {
    pub id: String,
    pub documentation: Option<String>,
    /// The output or error the response reads as, or why the params cannot be written as one.
    pub params: std::result::Result<StructureLiteral, String>,
    pub code: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Body>,
}

/// A message body with its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub text: String,
    pub media_type: Option<String>,
}

impl Body {
    /// Whether the body is JSON (compared as documents rather than as text).
    pub fn is_json(&self) -> bool {
        self.media_type.as_deref().is_some_and(|media| media == "application/json" || media.ends_with("+json"))
    }
}

/// The raw cases of one trait, kept until every shape is resolved (params need the whole IR).
#[derive(Debug, Clone, Default)]
pub(super) struct RawCases(Vec<Value>);

/// The client cases of the trait `trait_id` on `owner` (a trait that is not a list is an error).
pub(super) fn raw_cases(owner: &ShapeId, traits: &Traits, trait_id: &str) -> Result<RawCases> {
    match traits.value(trait_id) {
        None => Ok(RawCases::default()),
        Some(Value::Array(cases)) => Ok(RawCases(cases.iter().filter(|c| for_clients(c)).cloned().collect())),
        Some(other) => {
            Err(CodegenError::shape_trait(owner, trait_id, format!("expected a list of test cases, found {other}")))
        }
    }
}

/// Whether the case is meant for clients of this protocol.
fn for_clients(case: &Value) -> bool {
    let applies = case.get("appliesTo").and_then(Value::as_str);
    let protocol = case.get("protocol").and_then(Value::as_str);
    applies != Some("server") && protocol.is_none_or(|p| p == PROTOCOL)
}

/// Types the cases held in `raw` (by owner: request cases of operations, response cases of
/// operations and error shapes) and puts them in place, once every shape is resolved.
pub(super) fn resolve(ir: &mut Ir, raw: Vec<(ShapeId, RawCases, RawCases)>) {
    let mut typed = Vec::new();
    for (owner, requests, responses) in raw {
        let requests_typed: Vec<RequestTest>;
        let responses_typed: Vec<ResponseTest>;
        if let Some(op) = ir.operations.iter().find(|op| op.id == owner) {
            requests_typed = requests.0.iter().map(|case| request(ir, &op.input, case)).collect();
            responses_typed = responses.0.iter().map(|case| response(ir, &op.output, case)).collect();
        } else if let Some(NamedShape::Structure(error)) = ir.shapes.get(&owner) {
            requests_typed = Vec::new();
            responses_typed = responses.0.iter().map(|case| response(ir, error, case)).collect();
        } else {
            // An operation left out, or a shape taken back with it.
            continue;
        }
        typed.push((owner, requests_typed, responses_typed));
    }
    for (owner, requests, responses) in typed {
        if let Some(op) = ir.operations.iter_mut().find(|op| op.id == owner) {
            op.request_tests = requests;
            op.response_tests = responses;
        } else if let Some(NamedShape::Structure(Structure { kind: StructureKind::Error(info), .. })) =
            ir.shapes.get_mut(&owner)
        {
            info.response_tests = responses;
        }
    }
}

fn request(ir: &Ir, input: &Structure, case: &Value) -> RequestTest {
    let uri = string(case, "uri").unwrap_or_default();
    let (path, uri_query) = uri.split_once('?').unwrap_or((uri, ""));
    let query =
        uri_query.split('&').filter(|p| !p.is_empty()).map(str::to_owned).chain(strings(case, "queryParams")).collect();
    RequestTest {
        id: id(case),
        documentation: string(case, "documentation").map(str::to_owned),
        params: literal::structure(ir, input, case.get("params"), BlobText::Utf8),
        host: string(case, "host").unwrap_or(DEFAULT_HOST).to_owned(),
        expected: ExpectedRequest {
            method: string(case, "method").unwrap_or_default().to_owned(),
            path: path.to_owned(),
            query,
            headers: headers(case),
            require_headers: strings(case, "requireHeaders"),
            forbid_headers: strings(case, "forbidHeaders"),
            body: body(case),
            resolved_host: string(case, "resolvedHost").map(str::to_owned),
        },
    }
}

fn response(ir: &Ir, structure: &Structure, case: &Value) -> ResponseTest {
    ResponseTest {
        id: id(case),
        documentation: string(case, "documentation").map(str::to_owned),
        params: literal::structure(ir, structure, case.get("params"), BlobText::Utf8),
        code: case.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).unwrap_or(200),
        headers: headers(case),
        body: body(case),
    }
}

fn id(case: &Value) -> String {
    string(case, "id").unwrap_or("unnamed").to_owned()
}

fn string<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case.get(key).and_then(Value::as_str)
}

fn strings(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn headers(case: &Value) -> Vec<(String, String)> {
    case.get("headers")
        .and_then(Value::as_object)
        .map(|headers| {
            headers.iter().map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned())).collect()
        })
        .unwrap_or_default()
}

fn body(case: &Value) -> Option<Body> {
    string(case, "body")
        .map(|text| Body { text: text.to_owned(), media_type: string(case, "bodyMediaType").map(str::to_owned) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::literal::{Field, Literal};
    use crate::smithy::Model;

    /// A request case with a query in its `uri` and in `queryParams`, a JSON body and a header
    /// list param; a server-only case; a response case whose params name no member.
    const MODEL: &str = r#"{
        "smithy": "2.0",
        "shapes": {
            "ex#Service": {"type": "service", "operations": [{"target": "ex#Get"}], "traits": {"aws.protocols#restJson1": {}}},
            "ex#Get": {
                "type": "operation",
                "input": {"target": "ex#GetInput"},
                "output": {"target": "ex#GetOutput"},
                "traits": {
                    "smithy.api#http": {"method": "POST", "uri": "/get", "code": 200},
                    "smithy.test#httpRequestTests": [
                        {"id": "Get", "protocol": "aws.protocols#restJson1", "method": "POST", "uri": "/get?a=1",
                         "queryParams": ["b=2"], "headers": {"X-Tags": "x, y"}, "body": "{}",
                         "bodyMediaType": "application/json", "params": {"Tags": ["x", "y"], "Size": 2}},
                        {"id": "Server", "protocol": "aws.protocols#restJson1", "method": "POST", "uri": "/get",
                         "appliesTo": "server"}
                    ],
                    "smithy.test#httpResponseTests": [
                        {"id": "Bad", "protocol": "aws.protocols#restJson1", "code": 202, "params": {"Nope": 1}}
                    ]
                }
            },
            "ex#GetInput": {"type": "structure", "members": {
                "Tags": {"target": "ex#Tags", "traits": {"smithy.api#httpHeader": "X-Tags"}},
                "Size": {"target": "smithy.api#Integer"}
            }},
            "ex#GetOutput": {"type": "structure", "members": {}},
            "ex#Tags": {"type": "list", "member": {"target": "smithy.api#String"}}
        }
    }"#;

    #[test]
    fn cases_are_typed_once_with_params_resolved() {
        let model = Model::parse(MODEL).unwrap();
        let ir = crate::ir::resolve(&model, &crate::ir::Options::default()).unwrap();
        let op = &ir.operations[0];
        let [request] = op.request_tests.as_slice() else { panic!("one client case: {:?}", op.request_tests) };
        assert_eq!(request.host, DEFAULT_HOST);
        assert_eq!(request.expected.path, "/get");
        assert_eq!(request.expected.query, ["a=1", "b=2"]);
        assert_eq!(request.expected.headers, [("X-Tags".to_owned(), "x, y".to_owned())]);
        assert!(request.expected.body.as_ref().is_some_and(Body::is_json));
        let params = request.params.as_ref().unwrap();
        let fields: Vec<(&str, &Field)> = params.fields.iter().map(|(name, f)| (name.as_str(), f)).collect();
        assert_eq!(
            fields,
            [
                (
                    "tags",
                    &Field::Set {
                        value: Literal::List {
                            items: vec![Some(Literal::Text("x".into())), Some(Literal::Text("y".into()))],
                            sparse: false
                        },
                        boxed: false,
                        optional: true,
                    }
                ),
                ("size", &Field::Set { value: Literal::Integer(2), boxed: false, optional: true }),
            ]
        );
        let [response] = op.response_tests.as_slice() else { panic!("one response case") };
        assert_eq!(response.code, 202);
        assert_eq!(response.params, Err("GetOutput has no member `Nope`".to_owned()));
    }
}
