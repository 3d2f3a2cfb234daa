//! The model's `smithy.test` protocol tests as `#[test]`s of the generated crate.
//!
//! Each `smithy.test#httpRequestTests` case becomes a test that builds the operation's input from
//! the case's `params`, serializes it against the case's host and checks the request; each
//! `smithy.test#httpResponseTests` case one that reads the case's response and compares the
//! output (or, for cases on error shapes, the error) with `params`. Tests live in
//! `src/protocol_tests/<operation>.rs`, one file per operation with cases; cases on an error
//! shape go with the first operation that lists the error. Nothing touches the network.

use std::collections::{BTreeMap, BTreeSet};

use super::GeneratedCrate;
use super::literals;
use super::paths::shape_path;
use crate::ir::literal::StructureLiteral;
use crate::ir::protocol_tests::{RequestTest, ResponseTest};
use crate::ir::{Ir, NamedShape, Operation, Structure, StructureKind};
use crate::smithy::ShapeId;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

/// The idempotency token protocol tests expect a client to generate.
const FIXED_IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// Which trait a case comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProtocolTestKind {
    /// `smithy.test#httpRequestTests`.
    Request,
    /// `smithy.test#httpResponseTests` (on an operation or an error shape).
    Response,
}

impl ProtocolTestKind {
    /// `request` or `response`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolTestKind::Request => "request",
            ProtocolTestKind::Response => "response",
        }
    }
}

/// One emitted protocol test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolTest {
    /// The case id.
    pub id: String,
    pub kind: ProtocolTestKind,
    /// The operation or error shape carrying the case.
    pub owner: ShapeId,
    /// The test's path in the crate, as libtest names it (`protocol_tests::op::case`).
    pub test_name: String,
    /// Why the test is `#[ignore]`d, when the caller listed the case as skipped.
    pub skipped: Option<String>,
}

/// Cases the caller expects to fail, with the reason: keyed by case id, or by `request:<id>` /
/// `response:<id>` when only one kind of case with that id is meant.
pub type ProtocolTestSkips = BTreeMap<String, String>;

/// One case, with what it tests.
struct Case<'a> {
    owner: ShapeId,
    test: CaseTest<'a>,
}

/// What a case checks.
enum CaseTest<'a> {
    /// The request an operation's input serializes to.
    Request(&'a RequestTest),
    /// The output an operation's response reads as.
    Response(&'a ResponseTest),
    /// The error a response reads as.
    Error(&'a ResponseTest, &'a Structure),
}

impl Case<'_> {
    fn kind(&self) -> ProtocolTestKind {
        match self.test {
            CaseTest::Request(_) => ProtocolTestKind::Request,
            CaseTest::Response(_) | CaseTest::Error(..) => ProtocolTestKind::Response,
        }
    }

    fn id(&self) -> &str {
        match self.test {
            CaseTest::Request(case) => &case.id,
            CaseTest::Response(case) | CaseTest::Error(case, _) => &case.id,
        }
    }

    fn documentation(&self) -> Option<&str> {
        match self.test {
            CaseTest::Request(case) => case.documentation.as_deref(),
            CaseTest::Response(case) | CaseTest::Error(case, _) => case.documentation.as_deref(),
        }
    }
}

/// Emits `src/protocol_tests/` (when the model has cases) and returns the tests emitted.
pub(super) fn emit(ir: &Ir, skips: &ProtocolTestSkips, krate: &mut GeneratedCrate) -> Vec<ProtocolTest> {
    let mut by_operation: BTreeMap<&str, (&Operation, Vec<Case<'_>>)> = BTreeMap::new();
    for op in &ir.operations {
        let requests = op.request_tests.iter().map(CaseTest::Request);
        let responses = op.response_tests.iter().map(CaseTest::Response);
        let cases = requests.chain(responses).map(|test| Case { owner: op.id.clone(), test }).collect();
        by_operation.insert(op.module.as_str(), (op, cases));
    }
    for shape in ir.shapes.values() {
        let NamedShape::Structure(s) = shape else { continue };
        let StructureKind::Error(info) = &s.kind else { continue };
        // The first operation (by name) that may return the error reads it.
        let Some(op) = ir.operations.iter().find(|op| op.errors.contains(&s.id)) else { continue };
        let entry = by_operation.get_mut(op.module.as_str()).expect("every operation has an entry");
        entry.1.extend(
            info.response_tests.iter().map(|case| Case { owner: s.id.clone(), test: CaseTest::Error(case, s) }),
        );
    }

    let mut emitted = Vec::new();
    let mut modules = Vec::new();
    for (op, cases) in by_operation.values() {
        if cases.is_empty() {
            continue;
        }
        let module = op.module.clone();
        let names = test_names(cases);
        let mut tests = Vec::new();
        for (case, name) in cases.iter().zip(&names) {
            let id = case.id().to_owned();
            let kind = case.kind();
            let skipped = skips.get(&format!("{}:{id}", kind.as_str())).or_else(|| skips.get(&id)).cloned();
            let body = match case.test {
                CaseTest::Request(test) => request_test(ir, op, test),
                CaseTest::Response(test) => response_test(ir, op, test),
                CaseTest::Error(test, error) => error_test(ir, op, error, test),
            };
            let body = body.unwrap_or_else(|why| {
                let message = format!("the case cannot be expressed in Rust: {why}");
                quote!(panic!(#message);)
            });
            let doc = format!(" `{id}` ({} case on `{}`).", kind.as_str(), case.owner.name());
            let documentation = case
                .documentation()
                .map(|text| text.lines().map(|line| format!(" {line}")).collect::<Vec<_>>())
                .unwrap_or_default();
            let documentation =
                if documentation.is_empty() { quote!() } else { quote!(#[doc = ""] #(#[doc = #documentation])*) };
            let ignore = skipped.as_ref().map(|reason| quote!(#[ignore = #reason]));
            // Test functions are the emitter's own: private, named from the case ids.
            let fn_name = format_ident!("{}", name);
            tests.push(quote! {
                #[doc = #doc]
                #documentation
                #[test]
                #ignore
                fn #fn_name() {
                    #body
                }
            });
            emitted.push(ProtocolTest {
                id,
                kind,
                owner: case.owner.clone(),
                test_name: format!("protocol_tests::{module}::{name}"),
                skipped,
            });
        }
        let module_doc = format!(" Protocol tests of `{}`.", op.name);
        krate.rust(
            format!("src/protocol_tests/{module}.rs"),
            quote! {
                #![doc = #module_doc]
                #(#tests)*
            },
        );
        modules.push(quote!(mod #module;));
    }
    if !modules.is_empty() {
        krate.text("src/protocol_tests/support.rs", include_str!("../../runtime/src/protocol_tests/support.rs"));
        krate.rust(
            "src/protocol_tests/mod.rs",
            quote! {
                #![doc = " The model's `smithy.test` protocol tests: requests built from each case's input, and"]
                #![doc = " outputs and errors read from each case's response. Nothing is sent over the network."]
                mod support;
                #(#modules)*
            },
        );
    }
    emitted
}

/// Test function names: the snake_case case id; an id used by both a request and a response
/// case gets `_request` / `_response`, and any other clash a number.
fn test_names(cases: &[Case<'_>]) -> Vec<String> {
    let base: Vec<String> = cases.iter().map(|c| crate::names::module_name(c.id())).collect();
    let mut kinds: BTreeMap<&str, BTreeSet<ProtocolTestKind>> = BTreeMap::new();
    for (name, case) in base.iter().zip(cases) {
        kinds.entry(name).or_default().insert(case.kind());
    }
    let mut seen = BTreeSet::new();
    base.iter()
        .zip(cases)
        .map(|(name, case)| {
            let name =
                if kinds[name.as_str()].len() > 1 { format!("{name}_{}", case.kind().as_str()) } else { name.clone() };
            let mut unique = name.clone();
            let mut n = 2;
            while !seen.insert(unique.clone()) {
                unique = format!("{name}_{n}");
                n += 1;
            }
            unique
        })
        .collect()
}

/// Paths into the generated crate for one operation.
struct OperationPaths {
    /// The wire type as its `runtime::Operation` implementation (`<Op as Operation>`).
    wire: TokenStream,
    /// The public module with its input, output and error enum.
    module: TokenStream,
}

fn paths(op: &Operation) -> OperationPaths {
    let wire = op.wire_path();
    OperationPaths { wire: quote!(<#wire as crate::runtime::Operation>), module: op.module_path().into_token_stream() }
}

/// A test body, or why the case cannot be expressed in Rust.
type Built = Result<TokenStream, String>;

fn header_pairs(headers: &[(String, String)]) -> Vec<TokenStream> {
    headers.iter().map(|(name, value)| quote!((#name, #value))).collect()
}

/// The case's params as a struct literal of type `ty`.
fn params(ir: &Ir, params: &Result<StructureLiteral, String>, ty: TokenStream) -> Built {
    params.as_ref().map(|params| literals::structure(ir, params, ty)).map_err(Clone::clone)
}

fn request_test(ir: &Ir, op: &Operation, case: &RequestTest) -> Built {
    let paths = paths(op);
    let input_type = &op.input.rust_name;
    let module = &paths.module;
    let input = params(ir, &case.params, quote!(#module::#input_type))?;
    let fill_tokens = op.has_idempotency_tokens().then(|| {
        let wire = op.wire_path();
        quote! {
            // The client fills unset idempotency tokens; protocol tests expect this one.
            #wire::fill_idempotency_tokens(&mut input, || #FIXED_IDEMPOTENCY_TOKEN.to_owned());
        }
    });
    let mutable = fill_tokens.as_ref().map(|_| quote!(mut));
    let url = format!("https://{}", case.host);
    let expected = &case.expected;
    let method = &expected.method;
    let path = &expected.path;
    let query = &expected.query;
    let headers = header_pairs(&expected.headers);
    let require = &expected.require_headers;
    let forbid = &expected.forbid_headers;
    let body = match &expected.body {
        Some(body) => {
            let text = &body.text;
            quote!(Some(#text))
        }
        None => quote!(None),
    };
    let json_body = expected.body.as_ref().is_some_and(|body| body.is_json());
    let resolved_host = match &expected.resolved_host {
        Some(host) => quote!(Some(#host)),
        None => quote!(None),
    };
    let wire = &paths.wire;
    Ok(quote! {
        let #mutable input = #input;
        #fill_tokens
        let endpoint = crate::endpoint::Endpoint::new(#url);
        let request = #wire::serialize(&input, &endpoint).unwrap_or_else(|e| panic!("the input does not serialize: {e}"));
        super::support::assert_request(
            &request,
            &super::support::ExpectedRequest {
                method: #method,
                path: #path,
                query: &[#(#query),*],
                headers: &[#(#headers),*],
                require_headers: &[#(#require),*],
                forbid_headers: &[#(#forbid),*],
                body: #body,
                json_body: #json_body,
                resolved_host: #resolved_host,
            },
        );
    })
}

fn response_of(case: &ResponseTest) -> TokenStream {
    let code = case.code;
    let headers = header_pairs(&case.headers);
    let body = case.body.as_ref().map(|body| body.text.as_str()).unwrap_or_default();
    quote!(let response = super::support::response(#code, &[#(#headers),*], #body);)
}

fn response_test(ir: &Ir, op: &Operation, case: &ResponseTest) -> Built {
    let paths = paths(op);
    let module = &paths.module;
    let output_type = &op.output.rust_name;
    let expected = params(ir, &case.params, quote!(#module::#output_type))?;
    let response = response_of(case);
    let wire = &paths.wire;
    Ok(quote! {
        #response
        let output = #wire::deserialize(&response).unwrap_or_else(|e| panic!("the response does not deserialize: {e}"));
        super::support::assert_same(&output, &#expected);
    })
}

fn error_test(ir: &Ir, op: &Operation, error: &Structure, case: &ResponseTest) -> Built {
    let paths = paths(op);
    let module = &paths.module;
    let expected = params(ir, &case.params, shape_path(ir, &error.id))?;
    let error_enum = &op.error_name;
    let variant = &error.rust_name;
    let response = response_of(case);
    let wire = &paths.wire;
    let name = error.id.name();
    let wrong = format!("expected the {name} error (error code {{code:?}}), read {{other:?}}");
    Ok(quote! {
        #response
        let code = super::support::error_code(&response);
        let error = #wire::deserialize_error(&response, code.as_deref())
            .unwrap_or_else(|e| panic!("the error response does not deserialize: {e}"));
        match error {
            #module::#error_enum::#variant(actual) => super::support::assert_same(&actual, &#expected),
            other => panic!(#wrong),
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::GenerateOptions;

    /// One operation with a request and a response case of the same id, and an error with a
    /// case of its own.
    const MODEL: &str = r#"{
        "smithy": "2.0",
        "shapes": {
            "ex#Service": {
                "type": "service",
                "operations": [{"target": "ex#PutThing"}],
                "traits": {"aws.protocols#restJson1": {}}
            },
            "ex#PutThing": {
                "type": "operation",
                "input": {"target": "ex#PutThingInput"},
                "output": {"target": "ex#PutThingOutput"},
                "errors": [{"target": "ex#Oops"}],
                "traits": {
                    "smithy.api#http": {"method": "PUT", "uri": "/things/{Name}", "code": 200},
                    "smithy.test#httpRequestTests": [
                        {"id": "PutThing", "protocol": "aws.protocols#restJson1", "method": "PUT",
                         "uri": "/things/a%20b", "body": "{\"Size\": 1.5}", "bodyMediaType": "application/json",
                         "headers": {"Content-Type": "application/json"},
                         "params": {"Name": "a b", "Size": 1.5, "Tags": ["x"]}},
                        {"id": "ServerOnly", "protocol": "aws.protocols#restJson1", "method": "PUT",
                         "uri": "/things/a", "params": {"Name": "a"}, "appliesTo": "server"}
                    ],
                    "smithy.test#httpResponseTests": [
                        {"id": "PutThing", "protocol": "aws.protocols#restJson1", "code": 200,
                         "body": "{\"Size\": \"NaN\"}", "bodyMediaType": "application/json",
                         "params": {"Size": "NaN"}}
                    ]
                }
            },
            "ex#PutThingInput": {
                "type": "structure",
                "members": {
                    "Name": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
                    "Size": {"target": "smithy.api#Float"},
                    "Tags": {"target": "ex#Tags", "traits": {"smithy.api#httpHeader": "X-Tags"}}
                }
            },
            "ex#PutThingOutput": {
                "type": "structure",
                "members": {"Size": {"target": "smithy.api#Double"}}
            },
            "ex#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
            "ex#Oops": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {
                    "smithy.api#error": "client",
                    "smithy.test#httpResponseTests": [
                        {"id": "Oops", "protocol": "aws.protocols#restJson1", "code": 400,
                         "headers": {"X-Amzn-Errortype": "Oops"}, "body": "{\"Message\": \"no\"}",
                         "bodyMediaType": "application/json", "params": {"Message": "no", "Nope": 1}}
                    ]
                }
            }
        }
    }"#;

    fn generate(skips: &[(&str, &str)]) -> crate::Generated {
        let mut options = GenerateOptions::new("ex");
        options.protocol_tests = true;
        options.protocol_test_skips = skips.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        crate::generate(MODEL, &options).unwrap()
    }

    fn file<'a>(generated: &'a crate::Generated, path: &str) -> &'a str {
        &generated.files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("no {path}")).1
    }

    #[test]
    fn one_test_per_client_case_named_after_its_id() {
        let generated = generate(&[("response:PutThing", "known to fail")]);
        let names: Vec<(&str, &str, Option<&str>)> = generated
            .protocol_tests
            .iter()
            .map(|t| (t.id.as_str(), t.test_name.as_str(), t.skipped.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("PutThing", "protocol_tests::put_thing::put_thing_request", None),
                ("PutThing", "protocol_tests::put_thing::put_thing_response", Some("known to fail")),
                ("Oops", "protocol_tests::put_thing::oops", None),
            ]
        );
        let tests = file(&generated, "src/protocol_tests/put_thing.rs");
        assert!(tests.contains("#[ignore = \"known to fail\"]"), "{tests}");
        assert!(tests.contains("f64::NAN"), "{tests}");
        assert!(tests.contains("size: Some(1.5),"), "{tests}");
        assert!(tests.contains("path: \"/things/a%20b\""), "{tests}");
        // The error case names a member the error does not have: the test says so and fails.
        assert!(tests.contains("the case cannot be expressed in Rust: Oops has no member `Nope`"), "{tests}");
        assert!(file(&generated, "src/lib.rs").contains("#[cfg(test)]\nmod protocol_tests;"));
        assert!(generated.files.iter().any(|(p, _)| p == "src/protocol_tests/support.rs"));
        // The tests are unit tests of the library: its test target stays.
        assert!(!file(&generated, "Cargo.toml").contains("[lib]"), "{}", file(&generated, "Cargo.toml"));
    }

    #[test]
    fn nothing_is_emitted_unless_asked() {
        let generated = crate::generate(MODEL, &GenerateOptions::new("ex")).unwrap();
        assert!(generated.protocol_tests.is_empty());
        assert!(!generated.files.iter().any(|(p, _)| p.starts_with("src/protocol_tests")));
        assert!(!file(&generated, "src/lib.rs").contains("protocol_tests"));
        // No endpoint tests either: no unit test at all, so no test harness to build.
        assert!(
            file(&generated, "Cargo.toml").contains("\n[lib]\ntest = false\n"),
            "{}",
            file(&generated, "Cargo.toml")
        );
    }
}
