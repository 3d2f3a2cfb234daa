//! The generated `Params` struct: one field per rule-set parameter, setters, `Default` with the
//! modeled defaults, and `from_config`, which fills the built-ins from the client
//! configuration.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ENDPOINT_RULE_SET;
use super::ast::{Parameter, ParameterType, ParameterValue};
use crate::error::{CodegenError, Result};
use crate::names::RustIdent;
use crate::smithy::ShapeId;

/// A rule-set parameter with its Rust field.
#[derive(Debug, Clone)]
pub(crate) struct ParamInfo {
    pub(crate) parameter: Parameter,
    /// The field of `Params`.
    pub(crate) field: RustIdent,
}

impl ParamInfo {
    /// Names the fields of `parameters`, checking that no two get the same name.
    pub(crate) fn collect(service: &ShapeId, parameters: &[Parameter]) -> Result<Vec<ParamInfo>> {
        let mut seen = BTreeMap::new();
        let mut infos = Vec::new();
        for parameter in parameters {
            let field = RustIdent::snake(&parameter.name);
            if let Some(other) = seen.insert(field.as_str().to_owned(), parameter.name.clone()) {
                return Err(CodegenError::shape_trait(
                    service,
                    ENDPOINT_RULE_SET,
                    format!("parameters `{other}` and `{}` both map to the field `{}`", parameter.name, field.as_str()),
                ));
            }
            infos.push(ParamInfo { parameter: parameter.clone(), field });
        }
        Ok(infos)
    }

    /// The field is an `Option`: the parameter has no default.
    pub(crate) fn is_optional(&self) -> bool {
        self.parameter.default.is_none()
    }

    /// The rules may assume the parameter is set, but nothing sets it by default: resolution
    /// checks it first.
    pub(crate) fn is_required_without_default(&self) -> bool {
        self.parameter.required && self.parameter.default.is_none()
    }

    fn value_type(&self) -> TokenStream {
        match self.parameter.ty {
            ParameterType::String => quote!(String),
            ParameterType::Boolean => quote!(bool),
            ParameterType::StringArray => quote!(Vec<String>),
        }
    }

    fn field_type(&self) -> TokenStream {
        let ty = self.value_type();
        if self.is_optional() { quote!(Option<#ty>) } else { ty }
    }

    /// The default value expression, and whether it equals the type's `Default`.
    fn default_value(&self) -> (TokenStream, bool) {
        match &self.parameter.default {
            None => (quote!(None), true),
            Some(ParameterValue::String(text)) => (quote!(#text.to_owned()), text.is_empty()),
            Some(ParameterValue::Boolean(value)) => (quote!(#value), !value),
            Some(ParameterValue::StringArray(items)) if items.is_empty() => (quote!(Vec::new()), true),
            Some(ParameterValue::StringArray(items)) => (quote!(vec![#(#items.to_owned()),*]), false),
        }
    }

    fn doc(&self) -> Vec<String> {
        let parameter = &self.parameter;
        let mut lines: Vec<String> = match &parameter.documentation {
            // Each line trimmed: an indented line would be a doctest.
            Some(text) if !text.trim().is_empty() => text.trim().lines().map(|line| line.trim().to_owned()).collect(),
            _ => vec![format!("The `{}` endpoint parameter.", parameter.name)],
        };
        let mut facts = vec![format!("Rules parameter `{}`", parameter.name)];
        if let Some(built_in) = &parameter.built_in {
            facts.push(format!("built-in `{built_in}`"));
        }
        match &parameter.default {
            Some(ParameterValue::String(text)) => facts.push(format!("default `{text:?}`")),
            Some(ParameterValue::Boolean(value)) => facts.push(format!("default `{value}`")),
            Some(ParameterValue::StringArray(items)) => facts.push(format!("default `{items:?}`")),
            None if parameter.required => facts.push("required".to_owned()),
            None => {}
        }
        lines.push(String::new());
        lines.push(format!("{}.", facts.join(", ")));
        if let Some(deprecated) = &parameter.deprecated {
            lines.push(String::new());
            let mut text = "Deprecated".to_owned();
            if let Some(since) = &deprecated.since {
                text.push_str(&format!(" since {since}"));
            }
            if let Some(message) = &deprecated.message {
                text.push_str(&format!(": {message}"));
            }
            lines.push(text);
        }
        lines
    }
}

/// `#[doc = " line"]` attributes for `lines`.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    crate::doc_attrs::outer(&lines.join("\n"))
}

/// `#![doc = " line"]` attributes for `lines` (module documentation).
pub(crate) fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    crate::doc_attrs::inner(&lines.join("\n"))
}

/// The `Params` struct, its `Default` and its methods.
pub(crate) fn emit_params(service: &ShapeId, params: &[ParamInfo]) -> Result<TokenStream> {
    let struct_doc = doc_attrs(&[
        format!("The parameters of the endpoint rules of `{}`.", service.name()),
        String::new(),
        "Build them with [`Params::new`] and the `with_*` setters, or let the client fill them from its".to_owned(),
        "configuration; then [`resolve_endpoint`] turns them into an [`Endpoint`].".to_owned(),
    ]);
    let fields = params.iter().map(|param| {
        let doc = doc_attrs(&param.doc());
        let field = &param.field;
        let ty = param.field_type();
        quote!(#doc pub #field: #ty,)
    });
    let defaults: Vec<(TokenStream, bool)> = params.iter().map(ParamInfo::default_value).collect();
    let derivable = defaults.iter().all(|(_, zero)| *zero);
    let derive = if derivable {
        quote!(#[derive(Debug, Clone, PartialEq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let default_impl = if derivable {
        TokenStream::new()
    } else {
        let inits = params.iter().zip(&defaults).map(|(param, (value, _))| {
            let field = &param.field;
            quote!(#field: #value,)
        });
        quote! {
            impl Default for Params {
                fn default() -> Self {
                    Self { #(#inits)* }
                }
            }
        }
    };
    let setters = params.iter().map(setter);
    let from_config = from_config(service, params, &defaults)?;
    Ok(quote! {
        #struct_doc
        #derive
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        #default_impl

        impl Params {
            /// Parameters with every value at its default (unset where there is none).
            #[must_use]
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*

            #from_config
        }
    })
}

fn setter(param: &ParamInfo) -> TokenStream {
    let field = &param.field;
    let name = format_ident!("with_{}", field.as_str().trim_end_matches('_'));
    let doc = format!(" Sets [`Params::{field}`] (rules parameter `{}`).", param.parameter.name);
    let wrap = |value: TokenStream| if param.is_optional() { quote!(Some(#value)) } else { value };
    match param.parameter.ty {
        ParameterType::String => {
            let value = wrap(quote!(value.into()));
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name(mut self, value: impl Into<String>) -> Self {
                    self.#field = #value;
                    self
                }
            }
        }
        ParameterType::Boolean => {
            let value = wrap(quote!(value));
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name(mut self, value: bool) -> Self {
                    self.#field = #value;
                    self
                }
            }
        }
        ParameterType::StringArray => {
            let value = wrap(quote!(values.into_iter().map(Into::into).collect()));
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name<I, S>(mut self, values: I) -> Self
                where
                    I: IntoIterator<Item = S>,
                    S: Into<String>,
                {
                    self.#field = #value;
                    self
                }
            }
        }
    }
}

/// `from_config`: built-ins from `crate::config::Config`, every other parameter at its default.
fn from_config(service: &ShapeId, params: &[ParamInfo], defaults: &[(TokenStream, bool)]) -> Result<TokenStream> {
    let config = format_ident!("config");
    let mut uses_config = false;
    let mut inits = Vec::new();
    for (param, (default, _)) in params.iter().zip(defaults) {
        let field = &param.field;
        let parameter = &param.parameter;
        let getter = match parameter.built_in.as_deref() {
            Some("AWS::Region") => Some((format_ident!("region"), ParameterType::String)),
            Some("SDK::Endpoint") => Some((format_ident!("endpoint_url"), ParameterType::String)),
            Some("AWS::UseFIPS") => Some((format_ident!("use_fips"), ParameterType::Boolean)),
            Some("AWS::UseDualStack") => Some((format_ident!("use_dual_stack"), ParameterType::Boolean)),
            _ => None,
        };
        let value = match getter {
            None => default.clone(),
            Some((getter, ty)) => {
                if ty != parameter.ty {
                    return Err(CodegenError::shape_trait(
                        service,
                        ENDPOINT_RULE_SET,
                        format!(
                            "parameters.{}: built-in `{}` is a {:?} parameter, not {:?}",
                            parameter.name,
                            parameter.built_in.as_deref().unwrap_or_default(),
                            ty,
                            parameter.ty
                        ),
                    ));
                }
                uses_config = true;
                match (ty, &parameter.default) {
                    (ParameterType::String, None) => quote!(#config.#getter().map(str::to_owned)),
                    (ParameterType::String, Some(ParameterValue::String(text))) => {
                        quote!(#config.#getter().unwrap_or(#text).to_owned())
                    }
                    (ParameterType::Boolean, None) => quote!(Some(#config.#getter())),
                    _ => quote!(#config.#getter()),
                }
            }
        };
        inits.push(quote!(#field: #value,));
    }
    let config_arg = if uses_config { config } else { format_ident!("_config") };
    Ok(quote! {
        /// The parameters for a client configured with `config`: the region, FIPS, dual-stack and
        /// endpoint URL settings fill the matching built-in parameters; every other parameter is
        /// at its default.
        pub(crate) fn from_config(#config_arg: &crate::config::Config) -> Self {
            Self { #(#inits)* }
        }
    })
}
