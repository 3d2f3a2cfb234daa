//! Endpoint rules: the `smithy.rules#endpointRuleSet` trait compiled to plain Rust (no
//! interpreter at run time), and its `smithy.rules#endpointTests` cases as `#[test]`s.
//!
//! - [`parse_rule_set`] and [`parse_endpoint_tests`] read the traits' JSON into a typed AST
//!   ([`ast`]).
//! - [`emit_endpoint_module`] turns them into the generated crate's `src/endpoint/mod.rs`
//!   (`Params`, `Params::from_config`, `resolve_endpoint`) and `src/endpoint/tests.rs`.
//!   The module declares `mod support;`: the hand-written runtime
//!   `codegen/runtime/src/endpoint/support.rs`, which the emitter copies to the same path, and
//!   `mod partitions;`, the partition table [`emit_partitions`] writes from the checked-in
//!   partitions file (`codegen/data/partitions.json`).
//!
//! The generated code expects `crate::config::Config` with `region() -> Option<&str>`,
//! `use_fips() -> bool`, `use_dual_stack() -> bool` and `endpoint_url() -> Option<&str>`, and a
//! `serde_json` dependency.

pub mod ast;
mod params;
mod partitions;
mod resolver;
mod tests_emit;

use proc_macro2::TokenStream;
use quote::quote;

pub use ast::{
    Condition, Deprecated, EndpointSpec, EndpointTestCase, Expr, FnCall, Parameter, ParameterType, ParameterValue,
    Rule, RuleKind, RuleSet, Template, TemplatePart, TestExpectation, parse_endpoint_tests, parse_rule_set,
};

use crate::error::{CodegenError, Result};
use crate::smithy::ShapeId;
use params::{ParamInfo, inner_doc_attrs};
pub(crate) use partitions::emit_partitions;

pub use crate::smithy::traits::ids::{ENDPOINT_RULE_SET, ENDPOINT_TESTS};

/// The field of the generated `Params` that holds the rule-set parameter `name` (operations
/// set it for `@staticContextParams` and `@contextParam`).
pub fn param_field(name: &str) -> crate::names::RustIdent {
    crate::names::RustIdent::snake(name)
}

/// The generated endpoint module of a crate.
#[derive(Debug, Clone)]
pub struct EndpointModule {
    /// The content of `src/endpoint/mod.rs`.
    pub module: TokenStream,
    /// The content of `src/endpoint/tests.rs`; `None` when the model has no test cases.
    pub tests: Option<TokenStream>,
}

/// Emits the endpoint module of `service`: from its rule set when it has one, else a resolver
/// that only accepts an endpoint URL set in the configuration. `tests` become `#[test]`s (they
/// need a rule set).
pub fn emit_endpoint_module(
    service: &ShapeId,
    rules: Option<&RuleSet>,
    tests: &[EndpointTestCase],
) -> Result<EndpointModule> {
    let Some(rules) = rules else {
        if !tests.is_empty() {
            return Err(CodegenError::shape_trait(
                service,
                ENDPOINT_TESTS,
                format!("{} endpoint test case(s) but no `{ENDPOINT_RULE_SET}` trait to test", tests.len()),
            ));
        }
        return emit_without_rules(service);
    };
    let params = ParamInfo::collect(service, &rules.parameters)?;
    let params_struct = params::emit_params(service, &params)?;
    let resolver = resolver::compile(service, &params, &rules.rules)?;
    let body = resolver.body;
    let unused = if resolver.uses_params { TokenStream::new() } else { quote!(let _ = params;) };
    let tests_module = if tests.is_empty() {
        TokenStream::new()
    } else {
        quote!(
            #[cfg(test)]
            mod tests;
        )
    };
    let module_doc = inner_doc_attrs(&[
        format!("Endpoint resolution for `{}`, compiled from the model's endpoint rules.", service.name()),
        String::new(),
        "[`resolve_endpoint`] tries the rules in order on [`Params`] and returns the first endpoint or".to_owned(),
        "error that matches.".to_owned(),
    ]);
    let module = quote! {
        #module_doc

        mod partitions;
        mod support;
        #tests_module

        pub use support::{Endpoint, EndpointError};

        #params_struct

        /// Resolves the endpoint for these parameters by the service's rules.
        ///
        /// # Errors
        ///
        /// The message of the error rule that matched, exactly as modeled, or a message saying
        /// that no rule matched.
        // Each condition is its own `if` (or `if let`), nested as the rules nest them, so that
        // the code reads like the rules; merging them is not always possible (`if let` chains).
        #[allow(clippy::collapsible_if, reason = "one `if` per rule condition mirrors the rule set")]
        pub fn resolve_endpoint(params: &Params) -> Result<Endpoint, EndpointError> {
            #unused
            #body
        }
    };
    let tests = if tests.is_empty() { None } else { Some(tests_emit::emit_tests(service, &params, tests)?) };
    Ok(EndpointModule { module, tests })
}

/// The module of a service without endpoint rules: the endpoint URL must be configured.
fn emit_without_rules(service: &ShapeId) -> Result<EndpointModule> {
    let parameter = |name: &str, ty, built_in: &str, default: Option<ParameterValue>, documentation: &str| Parameter {
        name: name.to_owned(),
        ty,
        built_in: Some(built_in.to_owned()),
        required: default.is_some(),
        default,
        documentation: Some(documentation.to_owned()),
        deprecated: None,
    };
    let parameters = [
        parameter("Region", ParameterType::String, "AWS::Region", None, "The region of the client."),
        parameter(
            "UseFIPS",
            ParameterType::Boolean,
            "AWS::UseFIPS",
            Some(ParameterValue::Boolean(false)),
            "Whether FIPS endpoints were asked for (unused: the model has no endpoint rules).",
        ),
        parameter(
            "UseDualStack",
            ParameterType::Boolean,
            "AWS::UseDualStack",
            Some(ParameterValue::Boolean(false)),
            "Whether dual-stack endpoints were asked for (unused: the model has no endpoint rules).",
        ),
        parameter(
            "Endpoint",
            ParameterType::String,
            "SDK::Endpoint",
            None,
            "The endpoint URL requests are sent to; required, as the model has no endpoint rules.",
        ),
    ];
    let params = ParamInfo::collect(service, &parameters)?;
    let params_struct = params::emit_params(service, &params)?;
    let missing =
        format!("no endpoint rules were modeled for `{}`: configure the endpoint URL (`endpoint_url`)", service.name());
    let module_doc = inner_doc_attrs(&[
        format!("Endpoint resolution for `{}`.", service.name()),
        String::new(),
        "The model has no endpoint rules: [`resolve_endpoint`] returns the configured endpoint URL.".to_owned(),
    ]);
    let module = quote! {
        #module_doc

        mod partitions;
        mod support;

        pub use support::{Endpoint, EndpointError};

        #params_struct

        /// Resolves the endpoint for these parameters: the model has no endpoint rules, so this
        /// is the configured endpoint URL.
        ///
        /// # Errors
        ///
        /// When no endpoint URL is set, or when it is not an `http`/`https` URL without a query
        /// string.
        pub fn resolve_endpoint(params: &Params) -> Result<Endpoint, EndpointError> {
            let Some(url) = params.endpoint.as_deref() else {
                return Err(EndpointError::new(#missing));
            };
            if support::parse_url(url).is_none() {
                return Err(EndpointError::new(format!("the endpoint URL {url:?} is not a valid http or https URL")));
            }
            Ok(Endpoint::new(url))
        }
    };
    Ok(EndpointModule { module, tests: None })
}

#[cfg(test)]
mod tests;
