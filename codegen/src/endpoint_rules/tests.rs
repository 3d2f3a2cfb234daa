use serde_json::{Value, json};

use super::*;

const CONNECT_PARTICIPANT: &str = "com.amazonaws.connectparticipant#AmazonConnectParticipantServiceLambda";

fn service() -> ShapeId {
    ShapeId::parse(CONNECT_PARTICIPANT).unwrap()
}

/// The service shape's traits in the repository's copy of the Amazon Connect Participant model.
fn connect_participant_traits() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../model/connectparticipant.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("reading {path}: {error}"));
    let model: Value = serde_json::from_str(&text).unwrap();
    model["shapes"][CONNECT_PARTICIPANT]["traits"].clone()
}

fn connect_participant() -> (RuleSet, Vec<EndpointTestCase>) {
    let traits = connect_participant_traits();
    let rules = parse_rule_set(&service(), &traits[ENDPOINT_RULE_SET]).unwrap();
    let tests = parse_endpoint_tests(&service(), &traits[ENDPOINT_TESTS]).unwrap();
    (rules, tests)
}

/// Pretty-prints a generated file, failing when the tokens are not a Rust file.
fn render(tokens: &proc_macro2::TokenStream) -> String {
    let file = syn::parse2::<syn::File>(tokens.clone()).unwrap_or_else(|error| panic!("{error}\n{tokens}"));
    prettyplease::unparse(&file)
}

fn rule_set(rules: Value) -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": { "type": "string", "builtIn": "AWS::Region", "required": false },
            "UseFIPS": { "type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false },
        },
        "rules": rules,
    })
}

fn emit_error(rules: Value) -> CodegenError {
    let rules = parse_rule_set(&service(), &rule_set(rules)).unwrap();
    emit_endpoint_module(&service(), Some(&rules), &[]).unwrap_err()
}

#[test]
fn parses_the_connect_participant_rule_set() {
    let (rules, _) = connect_participant();
    assert_eq!(rules.version, "1.0");
    let mut names: Vec<&str> = rules.parameters.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Endpoint", "Region", "UseDualStack", "UseFIPS"]);

    let region = rules.parameter("Region").unwrap();
    assert_eq!(region.ty, ParameterType::String);
    assert_eq!(region.built_in.as_deref(), Some("AWS::Region"));
    assert!(!region.required);
    assert_eq!(region.default, None);
    let fips = rules.parameter("UseFIPS").unwrap();
    assert_eq!(fips.ty, ParameterType::Boolean);
    assert!(fips.required);
    assert_eq!(fips.default, Some(ParameterValue::Boolean(false)));

    assert_eq!(rules.rules.len(), 3);
    let first = &rules.rules[0];
    assert_eq!(first.conditions[0].call.name, "isSet");
    assert_eq!(first.conditions[0].call.args, [Expr::Ref("Endpoint".to_owned())]);
    let RuleKind::Tree(children) = &first.kind else { panic!("the first rule is a tree") };
    assert!(
        matches!(children[2].kind, RuleKind::Endpoint(EndpointSpec { url: Expr::Ref(ref name), .. }) if name == "Endpoint")
    );
    assert_eq!(
        rules.rules[2].kind,
        RuleKind::Error(Expr::String(Template::literal("Invalid Configuration: Missing Region")))
    );

    // The partition condition assigns, and the endpoint URLs are templates.
    let RuleKind::Tree(region_rules) = &rules.rules[1].kind else { panic!("the second rule is a tree") };
    let partition = &region_rules[0].conditions[0];
    assert_eq!(partition.call.name, "aws.partition");
    assert_eq!(partition.assign.as_deref(), Some("PartitionResult"));
}

#[test]
fn parses_the_connect_participant_test_cases() {
    let (_, tests) = connect_participant();
    assert_eq!(tests.len(), 23);
    let last = tests.last().unwrap();
    assert!(last.params.is_empty());
    assert_eq!(last.expect, TestExpectation::Error("Invalid Configuration: Missing Region".to_owned()));
    let first = &tests[0];
    assert_eq!(first.params["Region"], json!("us-east-1"));
    assert!(
        matches!(&first.expect, TestExpectation::Endpoint { url, .. } if url.starts_with("https://participant.connect-fips."))
    );
}

#[test]
fn emits_the_connect_participant_module() {
    let (rules, tests) = connect_participant();
    let module = emit_endpoint_module(&service(), Some(&rules), &tests).unwrap();
    // The module itself is pinned by the connectparticipant snapshot (`src/endpoint/mod.rs`)
    // and its behaviour by the 23 generated tests that run in the generated crate.
    let code = render(&module.module);
    assert!(!code.contains("== true"), "constant comparisons are folded:\n{code}");

    let tests_code = render(module.tests.as_ref().unwrap());
    assert_eq!(tests_code.matches("#[test]").count(), 23);
    // Named `case_NN_<documentation>`, in model order.
    let names: Vec<&str> =
        tests_code.lines().filter_map(|line| line.strip_prefix("fn case_")).map(|rest| &rest[..2]).collect();
    let numbers: Vec<String> = (1..=23).map(|n| format!("{n:02}")).collect();
    assert_eq!(names, numbers);
}

#[test]
fn the_module_without_rules_requires_an_endpoint_url() {
    let module = emit_endpoint_module(&service(), None, &[]).unwrap();
    assert!(module.tests.is_none());
    insta::assert_snapshot!("module_without_rules", render(&module.module));

    let (_, tests) = connect_participant();
    let error = emit_endpoint_module(&service(), None, &tests).unwrap_err();
    assert_eq!(error.trait_id.as_deref(), Some(ENDPOINT_TESTS));
}

#[test]
fn rejects_an_unknown_function_naming_it_and_the_trait() {
    let error = emit_error(json!([
        {
            "conditions": [{ "fn": "aws.frobnicate", "argv": [{ "ref": "Region" }], "assign": "X" }],
            "endpoint": { "url": "https://example.com" },
            "type": "endpoint"
        },
        { "conditions": [], "error": "none", "type": "error" }
    ]));
    assert_eq!(error.shape.as_deref(), Some(CONNECT_PARTICIPANT));
    assert_eq!(error.trait_id.as_deref(), Some(ENDPOINT_RULE_SET));
    assert!(error.message.contains("`aws.frobnicate`"), "{error}");
    assert!(error.message.starts_with("rules[0].conditions[0]: "), "{error}");
    assert!(error.to_string().contains("trait smithy.rules#endpointRuleSet"), "{error}");
}

#[test]
fn rejects_an_optional_value_that_was_not_proven_set() {
    let error = emit_error(json!([
        { "conditions": [], "endpoint": { "url": "https://{Region}.example.com" }, "type": "endpoint" }
    ]));
    assert!(error.message.starts_with("rules[0].endpoint.url: expected a string"), "{error}");
    assert!(error.message.contains("isSet"), "{error}");
}

#[test]
fn rejects_unknown_references_and_attributes() {
    let error = emit_error(json!([
        { "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Nope" }] }], "error": "x", "type": "error" }
    ]));
    assert!(error.message.contains("`Nope`"), "{error}");

    let error = emit_error(json!([
        {
            "conditions": [
                { "fn": "isSet", "argv": [{ "ref": "Region" }] },
                { "fn": "aws.partition", "argv": [{ "ref": "Region" }], "assign": "P" }
            ],
            "endpoint": { "url": "https://{P#bogus}" },
            "type": "endpoint"
        }
    ]));
    assert!(error.message.starts_with("rules[0].endpoint.url: `getAttr`: a partition"), "{error}");
    assert!(error.message.contains("`bogus`"), "{error}");
}

#[test]
fn parse_errors_name_the_trait_and_the_rule() {
    let bad_template = rule_set(json!([
        { "conditions": [], "endpoint": { "url": "https://{Region" }, "type": "endpoint" }
    ]));
    let error = parse_rule_set(&service(), &bad_template).unwrap_err();
    assert_eq!(error.trait_id.as_deref(), Some(ENDPOINT_RULE_SET));
    assert!(error.message.starts_with("rules[0].endpoint.url: unclosed `{`"), "{error}");

    let bad_type = rule_set(json!([
        { "conditions": [], "rules": [{ "conditions": [], "type": "maybe" }], "type": "tree" }
    ]));
    let error = parse_rule_set(&service(), &bad_type).unwrap_err();
    assert!(error.message.starts_with("rules[0].rules[0]: unknown rule type `maybe`"), "{error}");

    let no_argv = rule_set(json!([
        { "conditions": [{ "fn": "isSet" }], "error": "x", "type": "error" }
    ]));
    let error = parse_rule_set(&service(), &no_argv).unwrap_err();
    assert!(error.message.starts_with("rules[0].conditions[0]: not a condition"), "{error}");

    let tests = json!({ "testCases": [{ "params": {}, "expect": {} }] });
    let error = parse_endpoint_tests(&service(), &tests).unwrap_err();
    assert_eq!(error.trait_id.as_deref(), Some(ENDPOINT_TESTS));
    assert!(error.message.starts_with("testCases[0].expect"), "{error}");
}

#[test]
fn templates() {
    let template = Template::parse("https://{Region}.{P#dnsSuffix}/{{literal}}").unwrap();
    assert_eq!(
        template.parts,
        [
            TemplatePart::Literal("https://".to_owned()),
            TemplatePart::Dynamic(Expr::Ref("Region".to_owned())),
            TemplatePart::Literal(".".to_owned()),
            TemplatePart::Dynamic(Expr::Call(FnCall {
                name: "getAttr".to_owned(),
                args: vec![Expr::Ref("P".to_owned()), Expr::String(Template::literal("dnsSuffix"))],
            })),
            TemplatePart::Literal("/{literal}".to_owned()),
        ]
    );
    assert!(Template::parse("a}b").is_err());
    assert!(Template::parse("{}").is_err());
}

/// A rule set that uses every supported function, with properties and headers.
fn everything() -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": { "type": "string", "builtIn": "AWS::Region", "required": false },
            "UseFIPS": { "type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false },
            "Endpoint": { "type": "string", "builtIn": "SDK::Endpoint", "required": false },
            "Bucket": { "type": "string", "required": false },
            "Prefixes": { "type": "stringArray", "required": false },
            "Stage": { "type": "string", "required": true, "default": "prod" },
            "AccountId": { "type": "string", "required": true, "documentation": "The account." }
        },
        "rules": [
            {
                "conditions": [
                    { "fn": "isSet", "argv": [{ "ref": "Endpoint" }] },
                    { "fn": "parseURL", "argv": [{ "ref": "Endpoint" }], "assign": "Url" }
                ],
                "rules": [
                    {
                        "conditions": [{ "fn": "booleanEquals", "argv": [{ "fn": "getAttr", "argv": [{ "ref": "Url" }, "isIp"] }, true] }],
                        "endpoint": {
                            "url": "{Url#scheme}://{Url#authority}{Url#normalizedPath}{AccountId}",
                            "headers": { "x-ip": ["true"] }
                        },
                        "type": "endpoint"
                    },
                    {
                        "conditions": [],
                        "endpoint": {
                            "url": "{Url#scheme}://{AccountId}.{Url#authority}{Url#path}",
                            "properties": { "authSchemes": [{ "name": "sigv4", "stage": "{Stage}", "fips": { "ref": "UseFIPS" } }] }
                        },
                        "type": "endpoint"
                    }
                ],
                "type": "tree"
            },
            {
                "conditions": [
                    { "fn": "isSet", "argv": [{ "ref": "Bucket" }] },
                    { "fn": "not", "argv": [{ "fn": "isValidHostLabel", "argv": [{ "ref": "Bucket" }, false] }] }
                ],
                "error": "Invalid bucket: {Bucket}",
                "type": "error"
            },
            {
                "conditions": [
                    { "fn": "isSet", "argv": [{ "ref": "Prefixes" }] },
                    { "fn": "getAttr", "argv": [{ "ref": "Prefixes" }, "[1]"], "assign": "Second" },
                    { "fn": "substring", "argv": [{ "ref": "Second" }, 0, 3, true], "assign": "Tail" },
                    { "fn": "uriEncode", "argv": [{ "ref": "Second" }], "assign": "Encoded" }
                ],
                "endpoint": {
                    "url": "https://{Tail}.{Stage}.example.com/{Second}",
                    "headers": { "x-encoded": ["{Encoded}"] }
                },
                "type": "endpoint"
            },
            {
                "conditions": [
                    { "fn": "isSet", "argv": [{ "ref": "Region" }] },
                    { "fn": "aws.partition", "argv": [{ "ref": "Region" }], "assign": "P" },
                    { "fn": "stringEquals", "argv": [{ "fn": "getAttr", "argv": [{ "ref": "P" }, "name"] }, "aws-cn"] }
                ],
                "endpoint": {
                    "url": "https://widgets.{Region}.{P#dnsSuffix}",
                    "properties": { "implicitRegion": "{P#implicitGlobalRegion}" }
                },
                "type": "endpoint"
            },
            { "conditions": [], "error": "Missing region", "type": "error" }
        ]
    })
}

#[test]
fn emits_every_supported_function() {
    let rules = parse_rule_set(&service(), &everything()).unwrap();
    let module = emit_endpoint_module(&service(), Some(&rules), &[]).unwrap();
    assert!(module.tests.is_none());
    // Every function of the rules language, in one module; that it compiles and behaves is
    // tested by the `endpoint_rules` fixture crate, which carries the same rules and cases.
    insta::assert_snapshot!("every_supported_function", render(&module.module));
}

#[test]
fn test_cases_become_named_tests() {
    let rules = parse_rule_set(&service(), &everything()).unwrap();
    let tests = parse_endpoint_tests(
        &service(),
        &json!({
            "testCases": [
                { "documentation": "Same name", "params": { "AccountId": "1", "Prefixes": ["a", "bcdef"] },
                  "expect": { "endpoint": { "url": "https://def.prod.example.com/bcdef", "headers": { "x-encoded": ["bcdef"] } } } },
                { "documentation": "Same name", "params": { "AccountId": "1" }, "expect": { "error": "Missing region" } },
                { "params": { "AccountId": "1", "Region": "cn-north-1" },
                  "expect": { "endpoint": { "url": "https://widgets.cn-north-1.amazonaws.com.cn",
                                            "properties": { "implicitRegion": "cn-northwest-1" } } } }
            ]
        }),
    )
    .unwrap();
    let module = emit_endpoint_module(&service(), Some(&rules), &tests).unwrap();
    insta::assert_snapshot!("named_test_cases", render(module.tests.as_ref().unwrap()));

    let unknown = parse_endpoint_tests(
        &service(),
        &json!({ "testCases": [{ "params": { "Nope": true }, "expect": { "error": "x" } }] }),
    )
    .unwrap();
    let error = emit_endpoint_module(&service(), Some(&rules), &unknown).unwrap_err();
    assert_eq!(error.trait_id.as_deref(), Some(ENDPOINT_TESTS));
    assert!(error.message.starts_with("testCases[0]: parameter `Nope`"), "{error}");
}

#[test]
fn rejects_coalesce_of_different_types() {
    let error = emit_error(json!([
        {
            "conditions": [{ "fn": "coalesce", "argv": [{ "ref": "Region" }, true], "assign": "X" }],
            "endpoint": { "url": "https://example.com" },
            "type": "endpoint"
        },
        { "conditions": [], "error": "none", "type": "error" }
    ]));
    assert_eq!(error.trait_id.as_deref(), Some(ENDPOINT_RULE_SET));
    assert!(error.message.starts_with("rules[0].conditions[0].argv[1]: "), "{error}");
    assert!(error.message.contains("`coalesce` arguments must share a type"), "{error}");
}

/// Emits a rule set with `parameters` whose one rule has `condition`.
fn emit_condition(parameters: Value, condition: Value) -> Result<(), CodegenError> {
    let rules = json!({
        "version": "1.1",
        "parameters": parameters,
        "rules": [
            { "conditions": [condition], "endpoint": { "url": "https://example.com" }, "type": "endpoint" },
            { "conditions": [], "error": "no match", "type": "error" },
        ],
    });
    let rules = parse_rule_set(&service(), &rules)?;
    emit_endpoint_module(&service(), Some(&rules), &[]).map(drop)
}

/// The examples of the rules-engine specification's standard library
/// (<https://smithy.io/2.0/additional-specs/rules-engine/standard-library.html>) for the functions
/// the generator compiles inline rather than calling the runtime: each section's example call,
/// with `foo` of the type the section's argument types give it, is accepted. The calls are
/// evaluated by the `endpoint_functions` fixture's endpoint tests.
#[test]
fn the_standard_library_examples_of_the_compiled_functions_are_accepted() {
    let string = json!({ "foo": { "type": "string", "required": false } });
    let required_string = json!({ "foo": { "type": "string", "required": true } });
    let boolean = json!({ "foo": { "type": "boolean", "required": true, "default": false } });
    let three = json!({
        "customEndpoint": { "type": "string", "required": false },
        "regionalEndpoint": { "type": "string", "required": false },
        "defaultEndpoint": { "type": "string", "required": false },
    });
    let cases = [
        ("booleanEquals", &boolean, json!({ "fn": "booleanEquals", "argv": [{ "ref": "foo" }, true] })),
        (
            "coalesce",
            &three,
            json!({
                "fn": "coalesce",
                "argv": [{ "ref": "customEndpoint" }, { "ref": "regionalEndpoint" }, { "ref": "defaultEndpoint" }],
                "assign": "chosen",
            }),
        ),
        (
            "getAttr",
            &required_string,
            json!({
                "fn": "getAttr",
                "argv": [{ "fn": "parseURL", "argv": [{ "ref": "foo" }] }, "scheme"],
                "assign": "scheme",
            }),
        ),
        ("isSet", &string, json!({ "fn": "isSet", "argv": [{ "ref": "foo" }] })),
        ("not (a parameter)", &boolean, json!({ "fn": "not", "argv": [{ "ref": "foo" }] })),
        ("not (of isSet)", &string, json!({ "fn": "not", "argv": [{ "fn": "isSet", "argv": [{ "ref": "foo" }] }] })),
        ("stringEquals", &required_string, json!({ "fn": "stringEquals", "argv": [{ "ref": "foo" }, "something"] })),
    ];
    for (section, parameters, example) in cases {
        if let Err(error) = emit_condition(parameters.clone(), example) {
            panic!("the `{section}` example is refused: {error}");
        }
    }
    // The `stringEquals` section's example block calls `booleanEquals` with a string (a typo in
    // the specification): a type error, refused as Smithy's own type checker refuses it.
    let typo = json!({ "fn": "booleanEquals", "argv": [{ "ref": "foo" }, "something"] });
    assert!(emit_condition(required_string, typo).is_err());
}
