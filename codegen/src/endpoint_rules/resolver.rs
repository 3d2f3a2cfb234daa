//! Compiles the rules of a rule set into the body of `resolve_endpoint`: plain Rust, no
//! interpreter.
//!
//! Every rule becomes nested `if` / `if let` blocks around a body that returns: conditions that
//! bind a value (`isSet` of an optional parameter, a function with `assign`) become `if let`,
//! the others `if`, and consecutive boolean conditions are joined with `&&`. Rules are tried in
//! order. A tree rule whose conditions matched but none of whose rules matched fails, as the
//! rules language says. A rule without conditions always applies, so the rules after it are
//! never reached and are not emitted.
//!
//! Every expression is typed while it is compiled (the rules language is statically typed), so
//! a model that would not type-check, or that uses a function this compiler does not know, is
//! reported with the path of the offending rule, never emitted as code that does not compile.
//! Bindings that end up unused are not bound (`params.region.is_some()` instead of
//! `if let Some(region) = ...`), so that the generated code has no unused variables.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::ENDPOINT_RULE_SET;
use super::ast::{EndpointSpec, Expr, FnCall, Rule, RuleKind, Template, TemplatePart};
use super::params::ParamInfo;
use crate::error::{CodegenError, Result};
use crate::names::module_name;
use crate::smithy::ShapeId;

/// The message of the error returned when no rule matched.
pub(crate) const NO_RULE_MATCHED: &str = "no endpoint rule matched the endpoint parameters";

/// The functions of the rules language this compiler supports.
const SUPPORTED_FUNCTIONS: &[&str] = &[
    "isSet",
    "not",
    "booleanEquals",
    "stringEquals",
    "getAttr",
    "aws.partition",
    "parseURL",
    "isValidHostLabel",
    "substring",
    "uriEncode",
    "split",
    "coalesce",
    "aws.parseArn",
    "aws.isVirtualHostableS3Bucket",
];

/// The functions that return a boolean, compiled (and negated) by `bool_call`.
const BOOLEAN_FUNCTIONS: &[&str] =
    &["isSet", "not", "booleanEquals", "stringEquals", "isValidHostLabel", "aws.isVirtualHostableS3Bucket"];

/// The body of `resolve_endpoint(params: &Params)`, and whether it reads `params`.
pub(crate) struct CompiledResolver {
    pub(crate) body: TokenStream,
    pub(crate) uses_params: bool,
}

/// Compiles `rules` with the parameters `params` into the body of `resolve_endpoint`.
pub(crate) fn compile(service: &ShapeId, params: &[ParamInfo], rules: &[Rule]) -> Result<CompiledResolver> {
    let compiler = Compiler { service, params_used: Cell::new(false) };
    let mut scope = Scope::default();
    let mut required = Vec::new();
    for param in params {
        let field = &param.field;
        let ty = Ty::of_parameter(param.parameter.ty);
        if param.is_required_without_default() {
            // Checked before the rules run; the rules see the unwrapped value.
            let (ident, used) = scope.bind_local(&param.parameter.name, ty.clone(), false, false);
            required.push((param, ident, used, ty));
            continue;
        }
        let (ts, place, ty) = if param.is_optional() {
            let view = match ty {
                Ty::Bool => quote!(params.#field),
                _ => quote!(params.#field.as_deref()),
            };
            (view, Some(quote!(params.#field)), Ty::Opt(Box::new(ty)))
        } else {
            let view = match ty {
                Ty::Str => quote!(params.#field.as_str()),
                Ty::StrArray => quote!(params.#field.as_slice()),
                _ => quote!(params.#field),
            };
            (view, None, ty)
        };
        let val = Val { ts, ty, owned: false, ident: None, place, lit: None, moved: false };
        scope.vars.insert(param.parameter.name.clone(), Binding { val, used: Rc::default(), param: true });
    }

    let block = compiler.rules(rules, &scope, "rules")?;

    let mut checks = TokenStream::new();
    for (param, ident, used, ty) in required {
        let field = &param.field;
        let message = format!("required endpoint parameter `{}` is not set", param.parameter.name);
        compiler.params_used.set(true);
        if used.get() {
            let value = match ty {
                Ty::Bool => quote!(params.#field),
                _ => quote!(params.#field.as_deref()),
            };
            checks.extend(quote! {
                let Some(#ident) = #value else {
                    return Err(EndpointError::new(#message));
                };
            });
        } else {
            checks.extend(quote! {
                if params.#field.is_none() {
                    return Err(EndpointError::new(#message));
                }
            });
        }
    }
    let Block { stmts, exit } = block;
    Ok(CompiledResolver { body: quote!(#checks #stmts #exit), uses_params: compiler.params_used.get() })
}

/// The static type of an expression.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Str,
    Bool,
    Int,
    StrArray,
    Partition,
    Url,
    Arn,
    Opt(Box<Ty>),
}

impl Ty {
    fn of_parameter(ty: super::ast::ParameterType) -> Ty {
        match ty {
            super::ast::ParameterType::String => Ty::Str,
            super::ast::ParameterType::Boolean => Ty::Bool,
            super::ast::ParameterType::StringArray => Ty::StrArray,
        }
    }

    fn describe(&self) -> String {
        match self {
            Ty::Str => "a string".to_owned(),
            Ty::Bool => "a boolean".to_owned(),
            Ty::Int => "an integer".to_owned(),
            Ty::StrArray => "a string array".to_owned(),
            Ty::Partition => "a partition (aws.partition result)".to_owned(),
            Ty::Url => "a URL (parseURL result)".to_owned(),
            Ty::Arn => "an ARN (aws.parseArn result)".to_owned(),
            Ty::Opt(inner) => format!("an optional value ({})", inner.describe()),
        }
    }
}

/// A literal known at generation time.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Bool(bool),
}

/// A compiled expression.
///
/// Representation by type: `Str` is a `&str` (or a `String` when `owned`), `Bool` a `bool`,
/// `Int` a `usize` literal, `StrArray` a `&[String]` (a `Vec<String>` when `owned`),
/// `Partition` a `support::Partition`, `Url` a `support::Url`, `Arn` a `support::Arn`, and
/// `Opt(T)` an `Option` of T's representation.
#[derive(Debug, Clone)]
struct Val {
    ts: TokenStream,
    ty: Ty,
    /// For strings: the expression is a `String` (or `Option<String>`), not a `&str`.
    owned: bool,
    /// The expression is exactly this local variable (so it can be inlined in `format!`).
    ident: Option<Ident>,
    /// For optional parameters: the field itself (`params.region`), for `is_some()`.
    place: Option<TokenStream>,
    /// The value, when it is a literal.
    lit: Option<Lit>,
    /// The expression is an owned value held by a closure parameter: attributes are moved out
    /// of it rather than borrowed.
    moved: bool,
}

impl Val {
    fn new(ts: TokenStream, ty: Ty) -> Val {
        Val { ts, ty, owned: false, ident: None, place: None, lit: None, moved: false }
    }

    fn owned(mut self) -> Val {
        self.owned = true;
        self
    }

    fn str_lit(text: &str) -> Val {
        Val { lit: Some(Lit::Str(text.to_owned())), ..Val::new(quote!(#text), Ty::Str) }
    }

    fn bool_lit(value: bool) -> Val {
        Val { lit: Some(Lit::Bool(value)), ..Val::new(quote!(#value), Ty::Bool) }
    }

    /// `x.is_some()` for an optional value (on the field itself for a parameter).
    fn is_some(&self) -> TokenStream {
        let ts = self.place.as_ref().unwrap_or(&self.ts);
        quote!(#ts.is_some())
    }

    fn is_none(&self) -> TokenStream {
        let ts = self.place.as_ref().unwrap_or(&self.ts);
        quote!(#ts.is_none())
    }

    /// The expression as an argument of type `&str`.
    fn as_str_arg(&self) -> TokenStream {
        let ts = &self.ts;
        if self.owned { quote!(&#ts) } else { ts.clone() }
    }
}

/// A name in scope.
#[derive(Debug, Clone)]
struct Binding {
    val: Val,
    /// Set when an emitted expression reads the binding.
    used: Rc<Cell<bool>>,
    /// The binding reads `params`.
    param: bool,
}

/// The names visible at one point of the rules: parameters and assigned names.
#[derive(Debug, Clone, Default)]
struct Scope {
    vars: BTreeMap<String, Binding>,
    /// Rust local variable names already bound on this path.
    locals: BTreeSet<String>,
}

impl Scope {
    /// Binds rules-language `name` to a new local variable of type `ty`.
    fn bind_local(&mut self, name: &str, ty: Ty, owned: bool, moved: bool) -> (Ident, Rc<Cell<bool>>) {
        // Locals are suffixed to stay apart, so they take the never-raw module form (`type_`).
        let base = module_name(name);
        let mut candidate = base.clone();
        let mut counter = 2;
        while candidate == "params" || self.locals.contains(&candidate) {
            candidate = format!("{base}_{counter}");
            counter += 1;
        }
        self.locals.insert(candidate.clone());
        let ident = format_ident!("{}", candidate);
        let used: Rc<Cell<bool>> = Rc::default();
        let val = Val { ident: Some(ident.clone()), owned, moved, ..Val::new(quote!(#ident), ty) };
        self.vars.insert(name.to_owned(), Binding { val, used: used.clone(), param: false });
        (ident, used)
    }

    fn bind_const(&mut self, name: &str, val: Val) {
        self.vars.insert(name.to_owned(), Binding { val, used: Rc::default(), param: false });
    }
}

/// Statements that end in an exit expression (`Ok(..)` or `Err(..)`).
struct Block {
    stmts: TokenStream,
    exit: TokenStream,
}

impl Block {
    fn returning(&self) -> TokenStream {
        let Block { stmts, exit } = self;
        quote!(#stmts return #exit;)
    }
}

/// What one rule compiles to.
enum RuleCode {
    /// A statement that returns when the rule applies and falls through otherwise.
    Guarded(TokenStream),
    /// The rule always applies: its block.
    Always(Block),
    /// The rule can never apply (a condition is constantly false).
    Never,
}

/// One condition, before it is known whether the name it binds is used.
enum Pending {
    /// Always holds; binds nothing that needs a variable.
    Always,
    /// Never holds.
    Never,
    /// Holds when this boolean is true.
    Bool(TokenStream),
    /// Holds when `value` (an `Option`) is `Some`, binding the content to `ident`.
    Bind { ident: Ident, value: TokenStream, is_some: TokenStream, used: Rc<Cell<bool>> },
    /// Always holds, binding `value` to `ident`.
    Let { ident: Ident, value: TokenStream, used: Rc<Cell<bool>> },
}

enum Guard {
    Bool(TokenStream),
    IfLet(Ident, TokenStream),
    Let(Ident, TokenStream),
}

impl Pending {
    fn finish(self) -> Option<Guard> {
        match self {
            Pending::Always | Pending::Never => None,
            Pending::Bool(ts) => Some(Guard::Bool(ts)),
            Pending::Bind { ident, value, is_some, used } => {
                Some(if used.get() { Guard::IfLet(ident, value) } else { Guard::Bool(is_some) })
            }
            Pending::Let { ident, value, used } => used.get().then_some(Guard::Let(ident, value)),
        }
    }
}

/// Wraps `body` (statements that return) in `guards`, outermost first.
fn wrap(guards: &[Guard], body: TokenStream) -> TokenStream {
    let mut body = body;
    let mut end = guards.len();
    while end > 0 {
        match &guards[end - 1] {
            Guard::Let(ident, value) => {
                body = quote!(let #ident = #value; #body);
                end -= 1;
            }
            Guard::IfLet(ident, value) => {
                body = quote!(if let Some(#ident) = #value { #body });
                end -= 1;
            }
            Guard::Bool(_) => {
                let mut start = end;
                while start > 0 && matches!(guards[start - 1], Guard::Bool(_)) {
                    start -= 1;
                }
                let conditions = guards[start..end].iter().map(|guard| match guard {
                    Guard::Bool(ts) => ts,
                    _ => unreachable!("only boolean guards are joined"),
                });
                body = quote!(if #(#conditions)&&* { #body });
                end = start;
            }
        }
    }
    body
}

/// A boolean expression, folded when constant.
enum BoolCode {
    Const(bool),
    Expr(TokenStream),
}

impl BoolCode {
    fn into_val(self) -> Val {
        match self {
            BoolCode::Const(value) => Val::bool_lit(value),
            BoolCode::Expr(ts) => Val::new(ts, Ty::Bool),
        }
    }
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq)]
enum PathPart {
    Attr(String),
    Index(usize),
}

fn parse_attr_path(path: &str) -> std::result::Result<Vec<PathPart>, String> {
    let mut parts = Vec::new();
    for segment in path.split('.') {
        let (name, mut rest) = segment.find('[').map_or((segment, ""), |open| segment.split_at(open));
        if !name.is_empty() {
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`{name}` in attribute path {path:?} is not an attribute name"));
            }
            parts.push(PathPart::Attr(name.to_owned()));
        } else if rest.is_empty() {
            return Err(format!("attribute path {path:?} has an empty part"));
        }
        while !rest.is_empty() {
            let index = rest
                .strip_prefix('[')
                .and_then(|inner| inner.split_once(']'))
                .and_then(|(index, after)| Some((index.parse::<usize>().ok()?, after)));
            let Some((index, after)) = index else {
                return Err(format!("attribute path {path:?} has a malformed index (expected `[n]`)"));
            };
            parts.push(PathPart::Index(index));
            rest = after;
        }
    }
    Ok(parts)
}

struct Compiler<'a> {
    service: &'a ShapeId,
    params_used: Cell<bool>,
}

impl Compiler<'_> {
    fn error(&self, at: &str, message: impl std::fmt::Display) -> CodegenError {
        CodegenError::shape_trait(self.service, ENDPOINT_RULE_SET, format!("{at}: {message}"))
    }

    /// Rules tried in order; the block ends in the exit of the first rule that always
    /// applies, or in the "no rule matched" error.
    fn rules(&self, rules: &[Rule], scope: &Scope, at: &str) -> Result<Block> {
        let mut stmts = TokenStream::new();
        for (index, rule) in rules.iter().enumerate() {
            match self.rule(rule, scope, &format!("{at}[{index}]"))? {
                RuleCode::Guarded(ts) => stmts.extend(ts),
                RuleCode::Never => {}
                RuleCode::Always(block) => {
                    stmts.extend(block.stmts);
                    return Ok(Block { stmts, exit: block.exit });
                }
            }
        }
        Ok(Block { stmts, exit: quote!(Err(EndpointError::new(#NO_RULE_MATCHED))) })
    }

    fn rule(&self, rule: &Rule, scope: &Scope, at: &str) -> Result<RuleCode> {
        let Some((guards, block)) = self.conditions(rule, 0, scope, at)? else {
            return Ok(RuleCode::Never);
        };
        if guards.iter().all(|guard| matches!(guard, Guard::Let(..))) {
            let lets = guards.iter().map(|guard| match guard {
                Guard::Let(ident, value) => quote!(let #ident = #value;),
                _ => unreachable!("only let guards here"),
            });
            let Block { stmts, exit } = block;
            return Ok(RuleCode::Always(Block { stmts: quote!(#(#lets)* #stmts), exit }));
        }
        Ok(RuleCode::Guarded(wrap(&guards, block.returning())))
    }

    /// Conditions `index..` of `rule`, then its body. `None` when a condition never holds.
    fn conditions(&self, rule: &Rule, index: usize, scope: &Scope, at: &str) -> Result<Option<(Vec<Guard>, Block)>> {
        let Some(condition) = rule.conditions.get(index) else {
            return self.body(rule, scope, at).map(|block| Some((Vec::new(), block)));
        };
        let mut inner = scope.clone();
        let pending = self.condition(
            &condition.call,
            condition.assign.as_deref(),
            &mut inner,
            &format!("{at}.conditions[{index}]"),
        )?;
        if matches!(pending, Pending::Never) {
            return Ok(None);
        }
        let Some((mut guards, block)) = self.conditions(rule, index + 1, &inner, at)? else {
            return Ok(None);
        };
        if let Some(guard) = pending.finish() {
            guards.insert(0, guard);
        }
        Ok(Some((guards, block)))
    }

    fn body(&self, rule: &Rule, scope: &Scope, at: &str) -> Result<Block> {
        match &rule.kind {
            RuleKind::Endpoint(spec) => {
                let endpoint = self.endpoint(spec, scope, &format!("{at}.endpoint"))?;
                Ok(Block { stmts: TokenStream::new(), exit: quote!(Ok(#endpoint)) })
            }
            RuleKind::Error(message) => {
                let message = self.string(message, scope, &format!("{at}.error"))?;
                let message = &message.ts;
                Ok(Block { stmts: TokenStream::new(), exit: quote!(Err(EndpointError::new(#message))) })
            }
            RuleKind::Tree(rules) => self.rules(rules, scope, &format!("{at}.rules")),
        }
    }

    fn endpoint(&self, spec: &EndpointSpec, scope: &Scope, at: &str) -> Result<TokenStream> {
        let url = self.string(&spec.url, scope, &format!("{at}.url"))?;
        let url = &url.ts;
        let mut endpoint = quote!(Endpoint::new(#url));
        for (name, values) in &spec.headers {
            for (index, value) in values.iter().enumerate() {
                let value = self.string(value, scope, &format!("{at}.headers.{name}[{index}]"))?;
                let value = &value.ts;
                endpoint = quote!(#endpoint.with_header(#name, #value));
            }
        }
        for (name, value) in &spec.properties {
            let json = self.json(value, scope, &format!("{at}.properties.{name}"))?;
            endpoint = quote!(#endpoint.with_property(#name, serde_json::json!(#json)));
        }
        Ok(endpoint)
    }

    /// A property value, as the input of `serde_json::json!`.
    fn json(&self, expr: &Expr, scope: &Scope, at: &str) -> Result<TokenStream> {
        Ok(match expr {
            Expr::Record(entries) => {
                let entries = entries
                    .iter()
                    .map(|(key, value)| {
                        let value = self.json(value, scope, &format!("{at}.{key}"))?;
                        Ok(quote!(#key: #value))
                    })
                    .collect::<Result<Vec<_>>>()?;
                quote!({ #(#entries),* })
            }
            Expr::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.json(item, scope, &format!("{at}[{index}]")))
                    .collect::<Result<Vec<_>>>()?;
                quote!([ #(#items),* ])
            }
            Expr::Integer(value) => {
                let value = Literal::i64_unsuffixed(*value);
                quote!(#value)
            }
            _ => {
                let val = self.expr(expr, scope, at)?;
                match &val.ty {
                    Ty::Partition | Ty::Url | Ty::Arn => {
                        return Err(self.error(at, format!("{} cannot be an endpoint property", val.ty.describe())));
                    }
                    _ => val.ts,
                }
            }
        })
    }

    /// A condition: a function call whose result is a boolean (the condition holds when
    /// true), an option (holds when set; `assign` binds the content) or another value
    /// (always holds; `assign` binds it).
    fn condition(&self, call: &FnCall, assign: Option<&str>, scope: &mut Scope, at: &str) -> Result<Pending> {
        // `isSet(ref X)` on an optional X: X is unwrapped for the rest of the rule.
        if call.name == "isSet" {
            self.arity(call, 1, at)?;
            if let Expr::Ref(name) = &call.args[0] {
                let binding = self.lookup(scope, name, &format!("{at}.argv[0]"))?.clone();
                if let Ty::Opt(inner) = &binding.val.ty {
                    self.mark(&binding);
                    let (ident, used) = scope.bind_local(name, (**inner).clone(), binding.val.owned, false);
                    if let Some(assign) = assign {
                        scope.bind_const(assign, Val::bool_lit(true));
                    }
                    return Ok(Pending::Bind {
                        ident,
                        value: binding.val.ts.clone(),
                        is_some: binding.val.is_some(),
                        used,
                    });
                }
            }
        }
        let val = self.call(call, scope, at)?;
        match val.ty.clone() {
            Ty::Bool => {
                if let Some(assign) = assign {
                    scope.bind_const(assign, Val::bool_lit(true));
                }
                Ok(match val.lit {
                    Some(Lit::Bool(true)) => Pending::Always,
                    Some(Lit::Bool(false)) => Pending::Never,
                    _ => Pending::Bool(val.ts),
                })
            }
            Ty::Opt(inner) if *inner == Ty::Bool => {
                if let Some(assign) = assign {
                    scope.bind_const(assign, Val::bool_lit(true));
                }
                let ts = &val.ts;
                Ok(Pending::Bool(quote!(#ts == Some(true))))
            }
            Ty::Opt(inner) => match assign {
                Some(assign) => {
                    let (ident, used) = scope.bind_local(assign, *inner, val.owned, false);
                    Ok(Pending::Bind { ident, value: val.ts.clone(), is_some: val.is_some(), used })
                }
                None => Ok(Pending::Bool(val.is_some())),
            },
            ty => match assign {
                Some(assign) => {
                    if val.lit.is_some() {
                        scope.bind_const(assign, val);
                        return Ok(Pending::Always);
                    }
                    let (ident, used) = scope.bind_local(assign, ty, val.owned, false);
                    Ok(Pending::Let { ident, value: val.ts, used })
                }
                None => Ok(Pending::Always),
            },
        }
    }

    fn lookup<'s>(&self, scope: &'s Scope, name: &str, at: &str) -> Result<&'s Binding> {
        scope.vars.get(name).ok_or_else(|| {
            self.error(at, format!("`{name}` is neither a parameter nor a name assigned by an earlier condition"))
        })
    }

    fn mark(&self, binding: &Binding) {
        binding.used.set(true);
        if binding.param {
            self.params_used.set(true);
        }
    }

    fn expr(&self, expr: &Expr, scope: &Scope, at: &str) -> Result<Val> {
        match expr {
            Expr::String(template) => self.template(template, scope, at),
            Expr::Bool(value) => Ok(Val::bool_lit(*value)),
            Expr::Integer(value) => {
                let value = usize::try_from(*value)
                    .map_err(|_| self.error(at, format!("integer {value} is negative or too large")))?;
                let literal = Literal::usize_unsuffixed(value);
                Ok(Val::new(quote!(#literal), Ty::Int))
            }
            Expr::Array(_) | Expr::Record(_) => {
                Err(self.error(at, "array and record literals are only supported as endpoint property values"))
            }
            Expr::Ref(name) => {
                let binding = self.lookup(scope, name, at)?;
                self.mark(binding);
                Ok(binding.val.clone())
            }
            Expr::Call(call) => self.call(call, scope, at),
        }
    }

    /// An expression that must be a (set) string.
    fn string(&self, expr: &Expr, scope: &Scope, at: &str) -> Result<Val> {
        let val = self.expr(expr, scope, at)?;
        self.expect(&val, &Ty::Str, at)?;
        Ok(val)
    }

    fn expect(&self, val: &Val, ty: &Ty, at: &str) -> Result<()> {
        if val.ty == *ty {
            return Ok(());
        }
        let hint = match &val.ty {
            Ty::Opt(inner) if **inner == *ty => {
                "; prove that it is set first, with `isSet` or with `assign` in an earlier condition"
            }
            _ => "",
        };
        Err(self.error(at, format!("expected {}, found {}{hint}", ty.describe(), val.ty.describe())))
    }

    fn template(&self, template: &Template, scope: &Scope, at: &str) -> Result<Val> {
        if let Some(text) = template.as_literal() {
            return Ok(Val::str_lit(&text));
        }
        if let [TemplatePart::Dynamic(expr)] = template.parts.as_slice() {
            return self.string(expr, scope, at);
        }
        let mut format = String::new();
        let mut args = Vec::new();
        for part in &template.parts {
            match part {
                TemplatePart::Literal(text) => format.push_str(&escape_format(text)),
                TemplatePart::Dynamic(expr) => {
                    let val = self.string(expr, scope, at)?;
                    match (&val.lit, &val.ident) {
                        (Some(Lit::Str(text)), _) => format.push_str(&escape_format(text)),
                        (_, Some(ident)) => format.push_str(&format!("{{{ident}}}")),
                        _ => {
                            format.push_str("{}");
                            args.push(val.ts);
                        }
                    }
                }
            }
        }
        Ok(Val::new(quote!(format!(#format #(, #args)*)), Ty::Str).owned())
    }

    fn arity(&self, call: &FnCall, count: usize, at: &str) -> Result<()> {
        if call.args.len() == count {
            Ok(())
        } else {
            Err(self.error(at, format!("`{}` takes {count} argument(s), found {}", call.name, call.args.len())))
        }
    }

    fn arg(&self, call: &FnCall, index: usize, ty: &Ty, scope: &Scope, at: &str) -> Result<Val> {
        let at = format!("{at}.argv[{index}]");
        let val = self.expr(&call.args[index], scope, &at)?;
        self.expect(&val, ty, &at)?;
        Ok(val)
    }

    fn call(&self, call: &FnCall, scope: &Scope, at: &str) -> Result<Val> {
        match call.name.as_str() {
            name if BOOLEAN_FUNCTIONS.contains(&name) => Ok(self.bool_call(call, false, scope, at)?.into_val()),
            "getAttr" => {
                self.arity(call, 2, at)?;
                let path = match &call.args[1] {
                    Expr::String(template) => template.as_literal(),
                    _ => None,
                }
                .ok_or_else(|| self.error(&format!("{at}.argv[1]"), "the `getAttr` path must be a literal string"))?;
                let parts = parse_attr_path(&path).map_err(|message| self.error(&format!("{at}.argv[1]"), message))?;
                let mut val = self.expr(&call.args[0], scope, &format!("{at}.argv[0]"))?;
                for part in &parts {
                    val = self.attr(val, part, at)?;
                }
                Ok(val)
            }
            "aws.partition" => {
                self.arity(call, 1, at)?;
                let region = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                Ok(Val::new(quote!(support::partition(#region)), Ty::Opt(Box::new(Ty::Partition))))
            }
            "parseURL" => {
                self.arity(call, 1, at)?;
                let url = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                Ok(Val::new(quote!(support::parse_url(#url)), Ty::Opt(Box::new(Ty::Url))))
            }
            "substring" => {
                self.arity(call, 4, at)?;
                let input = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                let start = self.arg(call, 1, &Ty::Int, scope, at)?.ts;
                let stop = self.arg(call, 2, &Ty::Int, scope, at)?.ts;
                let reverse = self.bool_expr(&call.args[3], false, scope, &format!("{at}.argv[3]"))?.into_val().ts;
                Ok(Val::new(quote!(support::substring(#input, #start, #stop, #reverse)), Ty::Opt(Box::new(Ty::Str)))
                    .owned())
            }
            "uriEncode" => {
                self.arity(call, 1, at)?;
                let input = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                Ok(Val::new(quote!(support::uri_encode(#input)), Ty::Str).owned())
            }
            "split" => {
                self.arity(call, 3, at)?;
                let value = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                let delimiter = self.arg(call, 1, &Ty::Str, scope, at)?.as_str_arg();
                let limit = self.arg(call, 2, &Ty::Int, scope, at)?.ts;
                Ok(Val::new(quote!(support::split(#value, #delimiter, #limit)), Ty::StrArray).owned())
            }
            "aws.parseArn" => {
                self.arity(call, 1, at)?;
                let arn = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                Ok(Val::new(quote!(support::parse_arn(#arn)), Ty::Opt(Box::new(Ty::Arn))))
            }
            "coalesce" => self.coalesce(call, scope, at),
            other => Err(self.error(
                at,
                format!(
                    "unsupported rules function `{other}` (the generator supports {})",
                    SUPPORTED_FUNCTIONS.join(", ")
                ),
            )),
        }
    }

    /// `getAttr` of one path part.
    fn attr(&self, val: Val, part: &PathPart, at: &str) -> Result<Val> {
        let ts = &val.ts;
        let unknown = |what: &str| {
            let part = match part {
                PathPart::Attr(name) => format!("attribute `{name}`"),
                PathPart::Index(index) => format!("index [{index}]"),
            };
            self.error(at, format!("`getAttr`: {what} has no {part}"))
        };
        match (&val.ty, part) {
            (Ty::Opt(inner), _) => {
                let value = format_ident!("value");
                let owned_inner = matches!(**inner, Ty::Partition | Ty::Url | Ty::Arn);
                let inner_val = Val {
                    moved: owned_inner || val.moved,
                    owned: val.owned,
                    ..Val::new(quote!(#value), (**inner).clone())
                };
                let result = self.attr(inner_val, part, at)?;
                let result_ts = &result.ts;
                Ok(match result.ty {
                    Ty::Opt(_) => {
                        Val { owned: result.owned, ..Val::new(quote!(#ts.and_then(|#value| #result_ts)), result.ty) }
                    }
                    ty => Val {
                        owned: result.owned,
                        ..Val::new(quote!(#ts.map(|#value| #result_ts)), Ty::Opt(Box::new(ty)))
                    },
                })
            }
            (Ty::Partition, PathPart::Attr(name)) => {
                let (field, ty) = match name.as_str() {
                    "name" => (format_ident!("name"), Ty::Str),
                    "dnsSuffix" => (format_ident!("dns_suffix"), Ty::Str),
                    "dualStackDnsSuffix" => (format_ident!("dual_stack_dns_suffix"), Ty::Str),
                    "implicitGlobalRegion" => (format_ident!("implicit_global_region"), Ty::Str),
                    "supportsFIPS" => (format_ident!("supports_fips"), Ty::Bool),
                    "supportsDualStack" => (format_ident!("supports_dual_stack"), Ty::Bool),
                    _ => return Err(unknown("a partition")),
                };
                Ok(Val::new(quote!(#ts.#field), ty))
            }
            (Ty::Url, PathPart::Attr(name)) => {
                let field = match name.as_str() {
                    "scheme" => format_ident!("scheme"),
                    "authority" => format_ident!("authority"),
                    "path" => format_ident!("path"),
                    "normalizedPath" => format_ident!("normalized_path"),
                    "isIp" => return Ok(Val::new(quote!(#ts.is_ip), Ty::Bool)),
                    _ => return Err(unknown("a URL")),
                };
                Ok(owned_field(&val, &field, Ty::Str, quote!(as_str)))
            }
            (Ty::Arn, PathPart::Attr(name)) => {
                let field = match name.as_str() {
                    "partition" => format_ident!("partition"),
                    "service" => format_ident!("service"),
                    "region" => format_ident!("region"),
                    "accountId" => format_ident!("account_id"),
                    "resourceId" => {
                        return Ok(owned_field(&val, &format_ident!("resource_id"), Ty::StrArray, quote!(as_slice)));
                    }
                    _ => return Err(unknown("an ARN")),
                };
                Ok(owned_field(&val, &field, Ty::Str, quote!(as_str)))
            }
            // An array held by value and by no variable (a `split` result, say): its element is
            // moved out rather than borrowed from a temporary.
            (Ty::StrArray, PathPart::Index(index)) if val.owned && val.ident.is_none() => {
                let index = Literal::usize_unsuffixed(*index);
                Ok(Val::new(quote!(#ts.into_iter().nth(#index)), Ty::Opt(Box::new(Ty::Str))).owned())
            }
            (Ty::StrArray, PathPart::Index(index)) => {
                let element = if *index == 0 {
                    quote!(#ts.first())
                } else {
                    let index = Literal::usize_unsuffixed(*index);
                    quote!(#ts.get(#index))
                };
                Ok(Val::new(quote!(#element.map(String::as_str)), Ty::Opt(Box::new(Ty::Str))))
            }
            (ty, _) => Err(unknown(&ty.describe())),
        }
    }

    /// A boolean-valued expression, negated when `negate`.
    fn bool_expr(&self, expr: &Expr, negate: bool, scope: &Scope, at: &str) -> Result<BoolCode> {
        match expr {
            Expr::Bool(value) => Ok(BoolCode::Const(*value != negate)),
            Expr::Call(call) if BOOLEAN_FUNCTIONS.contains(&call.name.as_str()) => {
                self.bool_call(call, negate, scope, at)
            }
            _ => {
                let val = self.expr(expr, scope, at)?;
                self.expect(&val, &Ty::Bool, at)?;
                if let Some(Lit::Bool(value)) = val.lit {
                    return Ok(BoolCode::Const(value != negate));
                }
                let ts = val.ts;
                Ok(BoolCode::Expr(if negate { quote!(!#ts) } else { ts }))
            }
        }
    }

    fn bool_call(&self, call: &FnCall, negate: bool, scope: &Scope, at: &str) -> Result<BoolCode> {
        let argv = |index: usize| format!("{at}.argv[{index}]");
        match call.name.as_str() {
            "not" => {
                self.arity(call, 1, at)?;
                self.bool_expr(&call.args[0], !negate, scope, &argv(0))
            }
            "isSet" => {
                self.arity(call, 1, at)?;
                let val = match &call.args[0] {
                    Expr::Ref(name) => {
                        let binding = self.lookup(scope, name, &argv(0))?;
                        if !matches!(binding.val.ty, Ty::Opt(_)) {
                            return Ok(BoolCode::Const(!negate));
                        }
                        self.mark(binding);
                        binding.val.clone()
                    }
                    other => self.expr(other, scope, &argv(0))?,
                };
                Ok(match val.ty {
                    Ty::Opt(_) => BoolCode::Expr(if negate { val.is_none() } else { val.is_some() }),
                    _ => BoolCode::Const(!negate),
                })
            }
            "booleanEquals" => {
                self.arity(call, 2, at)?;
                match (&call.args[0], &call.args[1]) {
                    (Expr::Bool(value), other) => self.bool_expr(other, negate == *value, scope, &argv(1)),
                    (other, Expr::Bool(value)) => self.bool_expr(other, negate == *value, scope, &argv(0)),
                    (left, right) => {
                        let left = self.bool_expr(left, false, scope, &argv(0))?;
                        let right = self.bool_expr(right, false, scope, &argv(1))?;
                        Ok(match (left, right) {
                            (BoolCode::Const(left), BoolCode::Const(right)) => {
                                BoolCode::Const((left == right) != negate)
                            }
                            (BoolCode::Const(value), BoolCode::Expr(ts))
                            | (BoolCode::Expr(ts), BoolCode::Const(value)) => {
                                BoolCode::Expr(if value != negate { ts } else { quote!(!#ts) })
                            }
                            (BoolCode::Expr(left), BoolCode::Expr(right)) => {
                                BoolCode::Expr(if negate { quote!(#left != #right) } else { quote!(#left == #right) })
                            }
                        })
                    }
                }
            }
            "stringEquals" => {
                self.arity(call, 2, at)?;
                let left = self.arg(call, 0, &Ty::Str, scope, at)?;
                let right = self.arg(call, 1, &Ty::Str, scope, at)?;
                if let (Some(Lit::Str(left)), Some(Lit::Str(right))) = (&left.lit, &right.lit) {
                    return Ok(BoolCode::Const((left == right) != negate));
                }
                let (left, right) = (&left.ts, &right.ts);
                Ok(BoolCode::Expr(if negate { quote!(#left != #right) } else { quote!(#left == #right) }))
            }
            "isValidHostLabel" => {
                self.arity(call, 2, at)?;
                let label = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                let allow_subdomains = self.bool_expr(&call.args[1], false, scope, &argv(1))?.into_val().ts;
                let check = quote!(support::is_valid_host_label(#label, #allow_subdomains));
                Ok(BoolCode::Expr(if negate { quote!(!#check) } else { check }))
            }
            "aws.isVirtualHostableS3Bucket" => {
                self.arity(call, 2, at)?;
                let bucket = self.arg(call, 0, &Ty::Str, scope, at)?.as_str_arg();
                let allow_subdomains = self.bool_expr(&call.args[1], false, scope, &argv(1))?.into_val().ts;
                let check = quote!(support::is_virtual_hostable_s3_bucket(#bucket, #allow_subdomains));
                Ok(BoolCode::Expr(if negate { quote!(!#check) } else { check }))
            }
            other => unreachable!("`{other}` is not a boolean function"),
        }
    }
}

impl Compiler<'_> {
    /// `coalesce(a, b, ...)`: the first argument that is set. The arguments share one type,
    /// optional or not; the result is optional unless an argument is not (the arguments after
    /// the first that is not are never reached). Strings are made owned when any is.
    fn coalesce(&self, call: &FnCall, scope: &Scope, at: &str) -> Result<Val> {
        if call.args.len() < 2 {
            return Err(self.error(at, format!("`coalesce` takes 2 or more arguments, found {}", call.args.len())));
        }
        let mut vals = Vec::new();
        for index in 0..call.args.len() {
            let val = self.expr(&call.args[index], scope, &format!("{at}.argv[{index}]"))?;
            let done = !matches!(val.ty, Ty::Opt(_));
            vals.push(val);
            if done {
                break;
            }
        }
        let inner = |ty: &Ty| match ty {
            Ty::Opt(inner) => (**inner).clone(),
            other => other.clone(),
        };
        let ty = inner(&vals[0].ty);
        for (index, val) in vals.iter().enumerate() {
            if inner(&val.ty) != ty {
                return Err(self.error(
                    &format!("{at}.argv[{index}]"),
                    format!(
                        "`coalesce` arguments must share a type: expected {}, found {}",
                        ty.describe(),
                        val.ty.describe()
                    ),
                ));
            }
        }
        if vals.len() == 1 {
            // The first argument is always set: it is the result.
            return Ok(vals.remove(0));
        }
        let owned = ty == Ty::Str && vals.iter().any(|val| val.owned);
        let arg = |val: &Val| {
            let ts = &val.ts;
            match (&val.ty, owned && !val.owned) {
                (Ty::Opt(_), true) => quote!(#ts.map(str::to_owned)),
                (_, true) => quote!(#ts.to_owned()),
                _ => ts.clone(),
            }
        };
        let (last, rest) = vals.split_last().expect("two or more arguments");
        let first = arg(&rest[0]);
        let middle = rest[1..].iter().map(arg);
        let last_ts = arg(last);
        let chain = quote!(#first #(.or(#middle))*);
        let val = match last.ty {
            Ty::Opt(_) => Val::new(quote!(#chain.or(#last_ts)), Ty::Opt(Box::new(ty))),
            _ => Val::new(quote!(#chain.unwrap_or(#last_ts)), ty),
        };
        Ok(if owned { val.owned() } else { val })
    }
}

/// The owned `field` of a `val` (a URL or an ARN) as a value of type `ty`: moved out when `val`
/// is held by value in a closure, else borrowed through `borrow` (`as_str`, `as_slice`).
fn owned_field(val: &Val, field: &Ident, ty: Ty, borrow: TokenStream) -> Val {
    let ts = &val.ts;
    if val.moved { Val::new(quote!(#ts.#field), ty).owned() } else { Val::new(quote!(#ts.#field.#borrow()), ty) }
}

/// `text` with `{` and `}` doubled, for a `format!` string.
fn escape_format(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_paths() {
        assert_eq!(parse_attr_path("dnsSuffix").unwrap(), vec![PathPart::Attr("dnsSuffix".to_owned())]);
        assert_eq!(parse_attr_path("[2]").unwrap(), vec![PathPart::Index(2)]);
        assert_eq!(
            parse_attr_path("a.b[0][1]").unwrap(),
            vec![
                PathPart::Attr("a".to_owned()),
                PathPart::Attr("b".to_owned()),
                PathPart::Index(0),
                PathPart::Index(1)
            ]
        );
        assert!(parse_attr_path("a..b").is_err());
        assert!(parse_attr_path("a[x]").is_err());
        assert!(parse_attr_path("a[0").is_err());
    }

    #[test]
    fn format_strings_escape_braces() {
        assert_eq!(escape_format("a{b}c"), "a{{b}}c");
    }
}
