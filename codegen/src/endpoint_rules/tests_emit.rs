//! `smithy.rules#endpointTests` cases as `#[test]` functions of the generated crate
//! (`src/endpoint/tests.rs`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ENDPOINT_TESTS;
use super::ast::{EndpointTestCase, ParameterType, ParameterValue, TestExpectation};
use super::params::ParamInfo;
use crate::error::{CodegenError, Result};
use crate::names::snake_case;
use crate::smithy::ShapeId;

/// The longest part of a test name taken from the case's documentation.
const MAX_NAME_LEN: usize = 80;

/// The test functions' names: `case_NN_<documentation in snake case>`, numbered from 1 in
/// model order, the documentation part made unique with a numeric suffix.
pub(crate) fn test_names(cases: &[EndpointTestCase]) -> Vec<String> {
    let width = cases.len().to_string().len().max(2);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    cases
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let mut base = snake_case(case.documentation.as_deref().unwrap_or_default());
            if base.len() > MAX_NAME_LEN {
                let cut = base[..MAX_NAME_LEN].rfind('_').unwrap_or(MAX_NAME_LEN);
                base.truncate(cut);
            }
            let base = base.trim_end_matches('_').to_owned();
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            let number = format!("{:0width$}", index + 1);
            match (base.is_empty(), *count) {
                (true, _) => format!("case_{number}"),
                (false, 1) => format!("case_{number}_{base}"),
                (false, count) => format!("case_{number}_{base}_{count}"),
            }
        })
        .collect()
}

/// The content of `src/endpoint/tests.rs`.
pub(crate) fn emit_tests(service: &ShapeId, params: &[ParamInfo], cases: &[EndpointTestCase]) -> Result<TokenStream> {
    let names = test_names(cases);
    let tests = cases
        .iter()
        .zip(&names)
        .enumerate()
        .map(|(index, (case, name))| emit_case(service, params, index, case, name))
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        //! The endpoint test cases of the model (`smithy.rules#endpointTests`), one test each.

        use super::{Params, resolve_endpoint};

        #(#tests)*
    })
}

fn emit_case(
    service: &ShapeId,
    params: &[ParamInfo],
    index: usize,
    case: &EndpointTestCase,
    name: &str,
) -> Result<TokenStream> {
    let at = format!("testCases[{index}]");
    let error = |message: String| CodegenError::shape_trait(service, ENDPOINT_TESTS, format!("{at}: {message}"));
    let mut setters = Vec::new();
    for (param_name, value) in &case.params {
        let Some(param) = params.iter().find(|param| param.parameter.name == *param_name) else {
            return Err(error(format!("parameter `{param_name}` is not a parameter of the endpoint rule set")));
        };
        if value.is_null() {
            continue;
        }
        let value = ParameterValue::from_json(param.parameter.ty, value).ok_or_else(|| {
            error(format!("value {value} of parameter `{param_name}` does not have its type {:?}", param.parameter.ty))
        })?;
        let setter = format_ident!("with_{}", param.field.as_str().trim_end_matches('_'));
        let value = match (param.parameter.ty, value) {
            (ParameterType::String, ParameterValue::String(text)) => quote!(#text),
            (ParameterType::Boolean, ParameterValue::Boolean(flag)) => quote!(#flag),
            (ParameterType::StringArray, ParameterValue::StringArray(items)) if items.is_empty() => {
                quote!(Vec::<String>::new())
            }
            (ParameterType::StringArray, ParameterValue::StringArray(items)) => quote!([#(#items),*]),
            _ => unreachable!("from_json checked the type"),
        };
        setters.push(quote!(.#setter(#value)));
    }
    let doc = case.documentation.as_deref().map(|text| {
        let lines: Vec<String> = text.trim().lines().map(|line| line.trim().to_owned()).collect();
        super::params::doc_attrs(&lines)
    });
    let name = format_ident!("{}", name);
    let check = match &case.expect {
        TestExpectation::Endpoint { url, headers, properties } => {
            let headers = if headers.is_empty() {
                quote!(assert!(endpoint.headers().is_empty(), "unexpected headers: {:?}", endpoint.headers());)
            } else {
                let json = serde_json::to_string(headers).map_err(|e| error(e.to_string()))?;
                quote! {
                    let expected_headers: std::collections::BTreeMap<String, Vec<String>> =
                        serde_json::from_str(#json).expect("the expected headers are valid JSON");
                    assert_eq!(endpoint.headers(), &expected_headers);
                }
            };
            let properties = if properties.is_empty() {
                quote!(assert!(endpoint.properties().is_empty(), "unexpected properties: {:?}", endpoint.properties());)
            } else {
                let json = serde_json::to_string(properties).map_err(|e| error(e.to_string()))?;
                quote! {
                    let expected_properties: std::collections::BTreeMap<String, serde_json::Value> =
                        serde_json::from_str(#json).expect("the expected properties are valid JSON");
                    assert_eq!(endpoint.properties(), &expected_properties);
                }
            };
            quote! {
                let endpoint = match resolve_endpoint(&params) {
                    Ok(endpoint) => endpoint,
                    Err(error) => panic!("expected an endpoint, got the error {:?}", error.message()),
                };
                assert_eq!(endpoint.url(), #url);
                #headers
                #properties
            }
        }
        TestExpectation::Error(message) => quote! {
            let error = match resolve_endpoint(&params) {
                Ok(endpoint) => panic!("expected an error, got the endpoint {endpoint:?}"),
                Err(error) => error,
            };
            assert_eq!(error.message(), #message);
        },
    };
    Ok(quote! {
        #doc
        #[test]
        fn #name() {
            let params = Params::new() #(#setters)*;
            #check
        }
    })
}
