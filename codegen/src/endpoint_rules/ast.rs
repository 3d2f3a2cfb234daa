//! The typed AST of the Smithy rules language (`smithy.rules#endpointRuleSet`) and of endpoint
//! test cases (`smithy.rules#endpointTests`), parsed from the traits' JSON values.
//!
//! Each node is read from its JSON value (with [`crate::json`]), checked and typed here, one rule
//! at a time, so that an error can say where in the rule set it is
//! (`rules[1].rules[0].conditions[0].argv[1]: ...`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ENDPOINT_RULE_SET, ENDPOINT_TESTS};
use crate::error::{CodegenError, Result};
use crate::json::{JsonError, JsonResult, Object, expected};
use crate::smithy::ShapeId;

/// A whole rule set: its parameters and its rules, tried in order.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The rules language version (`1.0`).
    pub version: String,
    /// The parameters, in the order the JSON object gives them.
    pub parameters: Vec<Parameter>,
    /// The top-level rules, tried in order.
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The parameter named `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|parameter| parameter.name == name)
    }
}

/// The type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A value of a parameter (its default, or a value given by a test case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterValue {
    /// A string.
    String(String),
    /// A boolean.
    Boolean(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

impl ParameterValue {
    /// The value as `ty`, or `None` when `value` does not have that type.
    pub fn from_json(ty: ParameterType, value: &Value) -> Option<ParameterValue> {
        match (ty, value) {
            (ParameterType::String, Value::String(text)) => Some(ParameterValue::String(text.clone())),
            (ParameterType::Boolean, Value::Bool(flag)) => Some(ParameterValue::Boolean(*flag)),
            (ParameterType::StringArray, Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(ParameterValue::StringArray),
            _ => None,
        }
    }
}

/// `deprecated` on a parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecated {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

/// One parameter of a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name, as rules refer to it (`Region`, `UseFIPS`).
    pub name: String,
    /// The type.
    pub ty: ParameterType,
    /// The built-in the SDK fills it from (`AWS::Region`, `SDK::Endpoint`...).
    pub built_in: Option<String>,
    /// Whether the rules may assume it is set.
    pub required: bool,
    /// Its value when none is given.
    pub default: Option<ParameterValue>,
    /// Documentation.
    pub documentation: Option<String>,
    /// Deprecation, when deprecated.
    pub deprecated: Option<Deprecated>,
}

/// One rule: conditions, all of which must hold, and what the rule does when they do.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Documentation.
    pub documentation: Option<String>,
    /// The conditions, evaluated in order; assignments are visible to later conditions and to
    /// the rule's body.
    pub conditions: Vec<Condition>,
    /// What the rule does when its conditions hold.
    pub kind: RuleKind,
}

/// The body of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// Resolve to an endpoint.
    Endpoint(EndpointSpec),
    /// Fail with an error message (a string expression).
    Error(Expr),
    /// Try these rules in order; if none matches, resolution fails.
    Tree(Vec<Rule>),
}

/// The endpoint an endpoint rule resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointSpec {
    /// The URL (a string expression).
    pub url: Expr,
    /// Properties, by name (values are literals: records, arrays, strings, booleans...).
    pub properties: BTreeMap<String, Expr>,
    /// Headers, by name, each with its values (string expressions).
    pub headers: BTreeMap<String, Vec<Expr>>,
}

/// A condition: a function call, whose result may be bound to a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The call.
    pub call: FnCall,
    /// The name the result is bound to, for later conditions and the body.
    pub assign: Option<String>,
}

/// A call of a rules-language function (`isSet`, `aws.partition`...).
#[derive(Debug, Clone, PartialEq)]
pub struct FnCall {
    /// The function name as written (`fn`).
    pub name: String,
    /// The arguments (`argv`).
    pub args: Vec<Expr>,
}

/// An expression of the rules language.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string literal, possibly templated (`https://{Region}.{PartitionResult#dnsSuffix}`).
    String(Template),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Integer(i64),
    /// An array literal (properties only).
    Array(Vec<Expr>),
    /// A record literal (properties only), by key.
    Record(BTreeMap<String, Expr>),
    /// A reference to a parameter or an assigned name (`{"ref": "Region"}`).
    Ref(String),
    /// A nested function call.
    Call(FnCall),
}

/// A string literal, split into literal text and the expressions between braces.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The parts, in order; adjacent literal parts are merged.
    pub parts: Vec<TemplatePart>,
}

/// One part of a [`Template`].
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Literal text (with `{{` and `}}` already unescaped).
    Literal(String),
    /// `{Name}` (a [`Expr::Ref`]) or `{Name#path}` (a `getAttr` call).
    Dynamic(Expr),
}

impl Template {
    /// Parses a template string.
    pub fn parse(text: &str) -> std::result::Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => return Err(format!("unmatched `}}` in template {text:?} (write `}}}}` for a literal brace)")),
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{') | None => {
                                return Err(format!(
                                    "unclosed `{{` in template {text:?} (write `{{{{` for a literal brace)"
                                ));
                            }
                            Some(c) => inner.push(c),
                        }
                    }
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(TemplatePart::Dynamic(template_expr(&inner, text)?));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        Ok(Template { parts })
    }

    /// The text, when the template has no dynamic part.
    pub fn as_literal(&self) -> Option<String> {
        self.parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => Some(text.as_str()),
                TemplatePart::Dynamic(_) => None,
            })
            .collect()
    }

    /// A template of just `text`.
    pub fn literal(text: impl Into<String>) -> Template {
        let text = text.into();
        Template { parts: if text.is_empty() { Vec::new() } else { vec![TemplatePart::Literal(text)] } }
    }
}

/// The expression between braces in a template: `Name` or `Name#attr.path[0]`.
fn template_expr(inner: &str, text: &str) -> std::result::Result<Expr, String> {
    let (name, path) = match inner.split_once('#') {
        Some((name, path)) => (name.trim(), Some(path.trim())),
        None => (inner.trim(), None),
    };
    if !is_identifier(name) {
        return Err(format!("`{{{inner}}}` in template {text:?} does not start with a parameter or assigned name"));
    }
    Ok(match path {
        None => Expr::Ref(name.to_owned()),
        Some("") => return Err(format!("`{{{inner}}}` in template {text:?} has an empty attribute path")),
        Some(path) => Expr::Call(FnCall {
            name: "getAttr".to_owned(),
            args: vec![Expr::Ref(name.to_owned()), Expr::String(Template::literal(path))],
        }),
    })
}

fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One `smithy.rules#endpointTests` case.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTestCase {
    /// What the case checks.
    pub documentation: Option<String>,
    /// Parameter values by parameter name (JSON values; typed against the rule set when the
    /// test is emitted). A parameter left out keeps its default.
    pub params: BTreeMap<String, Value>,
    /// The outcome.
    pub expect: TestExpectation,
}

/// What a test case expects.
#[derive(Debug, Clone, PartialEq)]
pub enum TestExpectation {
    /// This endpoint, exactly.
    Endpoint {
        /// The URL.
        url: String,
        /// Headers, by name, with their values.
        headers: BTreeMap<String, Vec<String>>,
        /// Properties, by name.
        properties: BTreeMap<String, Value>,
    },
    /// An error with this message, exactly.
    Error(String),
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Parses the value of `smithy.rules#endpointRuleSet` on `service`.
pub fn parse_rule_set(service: &ShapeId, value: &Value) -> Result<RuleSet> {
    RuleSetParser { service }.rule_set(value)
}

/// Parses the value of `smithy.rules#endpointTests` on `service`.
pub fn parse_endpoint_tests(service: &ShapeId, value: &Value) -> Result<Vec<EndpointTestCase>> {
    let error = |message: String| CodegenError::shape_trait(service, ENDPOINT_TESTS, message);
    let test_cases = Object::new(value, "")
        .and_then(|suite| suite.array_or_empty("testCases"))
        .map_err(|e| error(format!("not a test suite: {e}")))?;
    test_cases
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let at = format!("testCases[{index}]");
            let case = test_case(case).map_err(|e| error(format!("{at}: {e}")))?;
            let expect = match case.expect {
                Some(expect) => expect,
                None => return Err(error(format!("{at}.expect: needs exactly one of `endpoint` and `error`"))),
            };
            Ok(EndpointTestCase { documentation: case.documentation, params: case.params, expect })
        })
        .collect()
}

/// A test case as written; `expect` is `None` when it does not give exactly one outcome.
struct RawTestCase {
    documentation: Option<String>,
    params: BTreeMap<String, Value>,
    expect: Option<TestExpectation>,
}

fn test_case(value: &Value) -> JsonResult<RawTestCase> {
    let case = Object::new(value, "")?;
    let expect = case.fields().get("expect").ok_or_else(|| JsonError::at("", "missing field `expect`"))?;
    let expect = Object::new(expect, "expect")?;
    expect.deny_unknown(&["endpoint", "error"])?;
    let endpoint = match expect.value("endpoint") {
        None => None,
        Some(endpoint) => {
            let endpoint = Object::new(endpoint, "expect.endpoint")?;
            endpoint.deny_unknown(&["url", "headers", "properties"])?;
            Some(TestExpectation::Endpoint {
                url: endpoint.get("url")?,
                headers: endpoint.or_default("headers")?,
                properties: endpoint.or_default("properties")?,
            })
        }
    };
    let error = expect.opt::<String>("error")?.map(TestExpectation::Error);
    Ok(RawTestCase {
        documentation: case.opt("documentation")?,
        params: case.or_default("params")?,
        expect: match (endpoint, error) {
            (Some(expect), None) | (None, Some(expect)) => Some(expect),
            _ => None,
        },
    })
}

struct RuleSetParser<'a> {
    service: &'a ShapeId,
}

impl RuleSetParser<'_> {
    fn error(&self, at: &str, message: impl std::fmt::Display) -> CodegenError {
        let message = if at.is_empty() { message.to_string() } else { format!("{at}: {message}") };
        CodegenError::shape_trait(self.service, ENDPOINT_RULE_SET, message)
    }

    fn rule_set(&self, value: &Value) -> Result<RuleSet> {
        let not_a_rule_set = |e: JsonError| self.error("", format!("not a rule set: {e}"));
        let raw = Object::new(value, "").map_err(not_a_rule_set)?;
        let version: String = raw.get("version").map_err(not_a_rule_set)?;
        let parameters: Map<String, Value> = match raw.fields().get("parameters") {
            None => Map::new(),
            Some(Value::Object(parameters)) => parameters.clone(),
            Some(other) => return Err(not_a_rule_set(expected("parameters", "an object", other))),
        };
        let rules = raw.array("rules").map_err(not_a_rule_set)?;
        let parameters =
            parameters.iter().map(|(name, value)| self.parameter(name, value)).collect::<Result<Vec<_>>>()?;
        let rules = self.rules(rules, "rules")?;
        Ok(RuleSet { version, parameters, rules })
    }

    fn parameter(&self, name: &str, value: &Value) -> Result<Parameter> {
        let at = format!("parameters.{name}");
        if !is_identifier(name) {
            return Err(self.error(&at, "a parameter name must be an identifier"));
        }
        let raw = Object::new(value, "").map_err(|e| self.error(&at, e))?;
        let read = || -> JsonResult<_> {
            let deprecated = match raw.value("deprecated") {
                None => None,
                Some(deprecated) => {
                    let deprecated = Object::new(deprecated, "deprecated")?;
                    Some(Deprecated { message: deprecated.opt("message")?, since: deprecated.opt("since")? })
                }
            };
            Ok((
                raw.get::<String>("type")?,
                raw.opt::<String>("builtIn")?,
                raw.or_default::<bool>("required")?,
                raw.opt::<String>("documentation")?,
                deprecated,
            ))
        };
        let (raw_ty, built_in, required, documentation, deprecated) = read().map_err(|e| self.error(&at, e))?;
        let ty = match raw_ty.to_ascii_lowercase().as_str() {
            "string" => ParameterType::String,
            "boolean" => ParameterType::Boolean,
            "stringarray" => ParameterType::StringArray,
            other => {
                return Err(self.error(
                    &at,
                    format!("unsupported parameter type `{other}` (expected string, boolean or stringArray)"),
                ));
            }
        };
        let default = match raw.value("default") {
            None => None,
            Some(value) => Some(ParameterValue::from_json(ty, value).ok_or_else(|| {
                self.error(&at, format!("default {value} does not have the parameter's type {raw_ty}"))
            })?),
        };
        Ok(Parameter { name: name.to_owned(), ty, built_in, required, default, documentation, deprecated })
    }

    fn rules(&self, values: &[Value], at: &str) -> Result<Vec<Rule>> {
        values.iter().enumerate().map(|(index, value)| self.rule(value, &format!("{at}[{index}]"))).collect()
    }

    fn rule(&self, value: &Value, at: &str) -> Result<Rule> {
        let not_a_rule = |e: JsonError| self.error(at, format!("not a rule: {e}"));
        let raw = Object::new(value, "").map_err(not_a_rule)?;
        let kind: String = raw.get("type").map_err(not_a_rule)?;
        let documentation: Option<String> = raw.opt("documentation").map_err(not_a_rule)?;
        let conditions = raw.array_or_empty("conditions").map_err(not_a_rule)?;
        let nested = raw.opt_array("rules").map_err(not_a_rule)?;
        let conditions = conditions
            .iter()
            .enumerate()
            .map(|(index, value)| self.condition(value, &format!("{at}.conditions[{index}]")))
            .collect::<Result<Vec<_>>>()?;
        let missing = |field: &str| self.error(at, format!("a rule of type `{kind}` needs `{field}`"));
        let kind = match kind.as_str() {
            "endpoint" => {
                let endpoint = raw.value("endpoint").ok_or_else(|| missing("endpoint"))?;
                RuleKind::Endpoint(self.endpoint(endpoint, &format!("{at}.endpoint"))?)
            }
            "error" => {
                let error = raw.value("error").ok_or_else(|| missing("error"))?;
                RuleKind::Error(self.expr(error, &format!("{at}.error"))?)
            }
            "tree" => {
                let rules = nested.ok_or_else(|| missing("rules"))?;
                RuleKind::Tree(self.rules(rules, &format!("{at}.rules"))?)
            }
            other => {
                return Err(self.error(at, format!("unknown rule type `{other}` (expected endpoint, error or tree)")));
            }
        };
        Ok(Rule { documentation, conditions, kind })
    }

    fn condition(&self, value: &Value, at: &str) -> Result<Condition> {
        let read = || -> JsonResult<(String, &[Value], Option<String>)> {
            let raw = Object::new(value, "")?;
            raw.deny_unknown(&["fn", "argv", "assign"])?;
            Ok((raw.get("fn")?, raw.array("argv")?, raw.opt("assign")?))
        };
        let (function, argv, assign) = read().map_err(|e| self.error(at, format!("not a condition: {e}")))?;
        if let Some(name) = assign.as_deref().filter(|name| !is_identifier(name)) {
            return Err(self.error(at, format!("`assign` name {name:?} is not an identifier")));
        }
        let args = self.args(argv, at)?;
        Ok(Condition { call: FnCall { name: function, args }, assign })
    }

    fn args(&self, argv: &[Value], at: &str) -> Result<Vec<Expr>> {
        argv.iter().enumerate().map(|(index, value)| self.expr(value, &format!("{at}.argv[{index}]"))).collect()
    }

    fn endpoint(&self, value: &Value, at: &str) -> Result<EndpointSpec> {
        /// `url`, `properties` and `headers`, as written.
        type Parts = (Value, Map<String, Value>, Map<String, Value>);
        let read = || -> JsonResult<Parts> {
            let raw = Object::new(value, "")?;
            raw.deny_unknown(&["url", "properties", "headers"])?;
            let map = |key: &str| match raw.fields().get(key) {
                None => Ok(Map::new()),
                Some(Value::Object(fields)) => Ok(fields.clone()),
                Some(other) => Err(expected(key, "an object", other)),
            };
            Ok((raw.get("url")?, map("properties")?, map("headers")?))
        };
        let (url, properties, headers) = read().map_err(|e| self.error(at, format!("not an endpoint: {e}")))?;
        let url = self.expr(&url, &format!("{at}.url"))?;
        let properties = properties
            .iter()
            .map(|(name, value)| Ok((name.clone(), self.expr(value, &format!("{at}.properties.{name}"))?)))
            .collect::<Result<BTreeMap<_, _>>>()?;
        let headers = headers
            .iter()
            .map(|(name, values)| {
                let at = format!("{at}.headers.{name}");
                let values = values.as_array().ok_or_else(|| self.error(&at, "header values must be a list"))?;
                let values = values
                    .iter()
                    .enumerate()
                    .map(|(index, value)| self.expr(value, &format!("{at}[{index}]")))
                    .collect::<Result<Vec<_>>>()?;
                Ok((name.clone(), values))
            })
            .collect::<Result<BTreeMap<_, _>>>()?;
        Ok(EndpointSpec { url, properties, headers })
    }

    fn expr(&self, value: &Value, at: &str) -> Result<Expr> {
        Ok(match value {
            Value::String(text) => Expr::String(Template::parse(text).map_err(|message| self.error(at, message))?),
            Value::Bool(flag) => Expr::Bool(*flag),
            Value::Number(number) => Expr::Integer(
                number.as_i64().ok_or_else(|| self.error(at, format!("number {number} is not an integer")))?,
            ),
            Value::Array(items) => Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.expr(item, &format!("{at}[{index}]")))
                    .collect::<Result<_>>()?,
            ),
            Value::Object(object) if object.contains_key("fn") => {
                let read = || -> JsonResult<(String, &[Value])> {
                    let raw = Object::new(value, "")?;
                    raw.deny_unknown(&["fn", "argv"])?;
                    Ok((raw.get("fn")?, raw.array("argv")?))
                };
                let (name, argv) = read().map_err(|e| self.error(at, format!("not a function call: {e}")))?;
                Expr::Call(FnCall { name, args: self.args(argv, at)? })
            }
            Value::Object(object) if object.contains_key("ref") => {
                let read = || -> JsonResult<String> {
                    let raw = Object::new(value, "")?;
                    raw.deny_unknown(&["ref"])?;
                    raw.get("ref")
                };
                Expr::Ref(read().map_err(|e| self.error(at, format!("not a reference: {e}")))?)
            }
            Value::Object(object) => Expr::Record(
                object
                    .iter()
                    .map(|(key, value)| Ok((key.clone(), self.expr(value, &format!("{at}.{key}"))?)))
                    .collect::<Result<_>>()?,
            ),
            Value::Null => return Err(self.error(at, "null is not an expression")),
        })
    }
}
