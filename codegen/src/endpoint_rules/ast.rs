//! The typed AST of the Smithy rules language (`smithy.rules#endpointRuleSet`) and of endpoint
//! test cases (`smithy.rules#endpointTests`), parsed from the traits' JSON values.
//!
//! Each node is read with serde into a raw form first, then checked and typed here, one rule
//! at a time, so that an error can say where in the rule set it is
//! (`rules[1].rules[0].conditions[0].argv[1]: ...`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{ENDPOINT_RULE_SET, ENDPOINT_TESTS};
use crate::error::{CodegenError, Result};
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Deprecated {
    /// Why, and what to use instead.
    #[serde(default)]
    pub message: Option<String>,
    /// Since when.
    #[serde(default)]
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
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RawTests {
        #[serde(default)]
        test_cases: Vec<Value>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RawTestCase {
        #[serde(default)]
        documentation: Option<String>,
        #[serde(default)]
        params: Map<String, Value>,
        expect: RawExpect,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawExpect {
        #[serde(default)]
        endpoint: Option<RawExpectedEndpoint>,
        #[serde(default)]
        error: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawExpectedEndpoint {
        url: String,
        #[serde(default)]
        headers: BTreeMap<String, Vec<String>>,
        #[serde(default)]
        properties: BTreeMap<String, Value>,
    }

    let error = |message: String| CodegenError::shape_trait(service, ENDPOINT_TESTS, message);
    let raw: RawTests = from_value(value).map_err(|message| error(format!("not a test suite: {message}")))?;
    raw.test_cases
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let at = format!("testCases[{index}]");
            let case: RawTestCase = from_value(case).map_err(|message| error(format!("{at}: {message}")))?;
            let expect = match (case.expect.endpoint, case.expect.error) {
                (Some(endpoint), None) => TestExpectation::Endpoint {
                    url: endpoint.url,
                    headers: endpoint.headers,
                    properties: endpoint.properties,
                },
                (None, Some(message)) => TestExpectation::Error(message),
                _ => return Err(error(format!("{at}.expect: needs exactly one of `endpoint` and `error`"))),
            };
            Ok(EndpointTestCase {
                documentation: case.documentation,
                params: case.params.into_iter().collect(),
                expect,
            })
        })
        .collect()
}

fn from_value<T: DeserializeOwned>(value: &Value) -> std::result::Result<T, String> {
    T::deserialize(value).map_err(|error| error.to_string())
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
        #[derive(Deserialize)]
        struct RawRuleSet {
            version: String,
            #[serde(default)]
            parameters: Map<String, Value>,
            rules: Vec<Value>,
        }
        let raw: RawRuleSet =
            from_value(value).map_err(|message| self.error("", format!("not a rule set: {message}")))?;
        let parameters =
            raw.parameters.iter().map(|(name, value)| self.parameter(name, value)).collect::<Result<Vec<_>>>()?;
        let rules = self.rules(&raw.rules, "rules")?;
        Ok(RuleSet { version: raw.version, parameters, rules })
    }

    fn parameter(&self, name: &str, value: &Value) -> Result<Parameter> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct RawParameter {
            #[serde(rename = "type")]
            ty: String,
            #[serde(default)]
            built_in: Option<String>,
            #[serde(default)]
            required: bool,
            #[serde(default)]
            default: Option<Value>,
            #[serde(default)]
            documentation: Option<String>,
            #[serde(default)]
            deprecated: Option<Deprecated>,
        }
        let at = format!("parameters.{name}");
        if !is_identifier(name) {
            return Err(self.error(&at, "a parameter name must be an identifier"));
        }
        let raw: RawParameter = from_value(value).map_err(|message| self.error(&at, message))?;
        let ty = match raw.ty.to_ascii_lowercase().as_str() {
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
        let default = match raw.default {
            None | Some(Value::Null) => None,
            Some(value) => Some(ParameterValue::from_json(ty, &value).ok_or_else(|| {
                self.error(&at, format!("default {value} does not have the parameter's type {}", raw.ty))
            })?),
        };
        Ok(Parameter {
            name: name.to_owned(),
            ty,
            built_in: raw.built_in,
            required: raw.required,
            default,
            documentation: raw.documentation,
            deprecated: raw.deprecated,
        })
    }

    fn rules(&self, values: &[Value], at: &str) -> Result<Vec<Rule>> {
        values.iter().enumerate().map(|(index, value)| self.rule(value, &format!("{at}[{index}]"))).collect()
    }

    fn rule(&self, value: &Value, at: &str) -> Result<Rule> {
        #[derive(Deserialize)]
        struct RawRule {
            #[serde(rename = "type")]
            kind: String,
            #[serde(default)]
            documentation: Option<String>,
            #[serde(default)]
            conditions: Vec<Value>,
            #[serde(default)]
            endpoint: Option<Value>,
            #[serde(default)]
            error: Option<Value>,
            #[serde(default)]
            rules: Option<Vec<Value>>,
        }
        let raw: RawRule = from_value(value).map_err(|message| self.error(at, format!("not a rule: {message}")))?;
        let conditions = raw
            .conditions
            .iter()
            .enumerate()
            .map(|(index, value)| self.condition(value, &format!("{at}.conditions[{index}]")))
            .collect::<Result<Vec<_>>>()?;
        let missing = |field: &str| self.error(at, format!("a rule of type `{}` needs `{field}`", raw.kind));
        let kind = match raw.kind.as_str() {
            "endpoint" => {
                let endpoint = raw.endpoint.as_ref().ok_or_else(|| missing("endpoint"))?;
                RuleKind::Endpoint(self.endpoint(endpoint, &format!("{at}.endpoint"))?)
            }
            "error" => {
                let error = raw.error.as_ref().ok_or_else(|| missing("error"))?;
                RuleKind::Error(self.expr(error, &format!("{at}.error"))?)
            }
            "tree" => {
                let rules = raw.rules.as_ref().ok_or_else(|| missing("rules"))?;
                RuleKind::Tree(self.rules(rules, &format!("{at}.rules"))?)
            }
            other => {
                return Err(self.error(at, format!("unknown rule type `{other}` (expected endpoint, error or tree)")));
            }
        };
        Ok(Rule { documentation: raw.documentation, conditions, kind })
    }

    fn condition(&self, value: &Value, at: &str) -> Result<Condition> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawCondition {
            #[serde(rename = "fn")]
            function: String,
            argv: Vec<Value>,
            #[serde(default)]
            assign: Option<String>,
        }
        let raw: RawCondition =
            from_value(value).map_err(|message| self.error(at, format!("not a condition: {message}")))?;
        if let Some(name) = raw.assign.as_deref().filter(|name| !is_identifier(name)) {
            return Err(self.error(at, format!("`assign` name {name:?} is not an identifier")));
        }
        let args = self.args(&raw.argv, at)?;
        Ok(Condition { call: FnCall { name: raw.function, args }, assign: raw.assign })
    }

    fn args(&self, argv: &[Value], at: &str) -> Result<Vec<Expr>> {
        argv.iter().enumerate().map(|(index, value)| self.expr(value, &format!("{at}.argv[{index}]"))).collect()
    }

    fn endpoint(&self, value: &Value, at: &str) -> Result<EndpointSpec> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawEndpoint {
            url: Value,
            #[serde(default)]
            properties: Map<String, Value>,
            #[serde(default)]
            headers: Map<String, Value>,
        }
        let raw: RawEndpoint =
            from_value(value).map_err(|message| self.error(at, format!("not an endpoint: {message}")))?;
        let url = self.expr(&raw.url, &format!("{at}.url"))?;
        let properties = raw
            .properties
            .iter()
            .map(|(name, value)| Ok((name.clone(), self.expr(value, &format!("{at}.properties.{name}"))?)))
            .collect::<Result<BTreeMap<_, _>>>()?;
        let headers = raw
            .headers
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
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct RawCall {
                    #[serde(rename = "fn")]
                    function: String,
                    argv: Vec<Value>,
                }
                let raw: RawCall =
                    from_value(value).map_err(|message| self.error(at, format!("not a function call: {message}")))?;
                Expr::Call(FnCall { name: raw.function, args: self.args(&raw.argv, at)? })
            }
            Value::Object(object) if object.contains_key("ref") => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct RawRef {
                    #[serde(rename = "ref")]
                    name: String,
                }
                let raw: RawRef =
                    from_value(value).map_err(|message| self.error(at, format!("not a reference: {message}")))?;
                Expr::Ref(raw.name)
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
