//! The file layout of a generated crate, and the small files that tie it together (`lib.rs`,
//! `mod.rs` files, the wire module of each operation).
//!
//! One file per shape and per operation keeps regeneration diffs small; wire code lives under
//! `protocol/`, apart from the public types.

use proc_macro2::TokenStream;
use quote::quote;

use super::cargo_toml::cargo_toml;
use super::docs::{doc, inner_lines};
use super::runtime_files::RUNTIME_FILES;
use super::types::{ident, with_member_value};
use super::{EmitOptions, GeneratedCrate, client, deserialize, operation, protocol_tests, serialize, shapes, validate};
use crate::endpoint_rules;
use crate::error::Result;
use crate::ir::{Ir, NamedShape, Operation, StructureKind};

pub(super) fn emit(ir: &Ir, options: &EmitOptions) -> Result<GeneratedCrate> {
    let mut krate = GeneratedCrate::default();
    krate.text("Cargo.toml", cargo_toml(ir, options));
    for file in RUNTIME_FILES.iter().filter(|f| (f.needed)(&ir.features)) {
        krate.text(file.path, file.source);
    }
    if options.protocol_tests {
        krate.protocol_tests = protocol_tests::emit(ir, &options.protocol_test_skips, &mut krate);
    }
    krate.rust("src/lib.rs", lib_rs(ir, options, !krate.protocol_tests.is_empty()));
    krate.rust("src/client.rs", client::module(ir));
    krate.rust("src/runtime/mod.rs", runtime_mod(ir));

    let endpoint = endpoint_rules::emit_endpoint_module(
        &ir.service.id,
        ir.service.endpoint_rules.as_ref(),
        &ir.service.endpoint_tests,
    )?;
    krate.rust("src/endpoint/mod.rs", endpoint.module);
    if let Some(tests) = endpoint.tests {
        krate.rust("src/endpoint/tests.rs", tests);
    }

    types(ir, &mut krate);
    let mut operation_modules = Vec::new();
    let mut wire_modules = Vec::new();
    for op in &ir.operations {
        let module = op.fn_name.replace("r#", "");
        krate.rust(format!("src/operation/{module}.rs"), operation::module(ir, op));
        krate.rust(format!("src/protocol/{module}.rs"), operation_wire(ir, op));
        let docs = super::docs::summary(&op.docs);
        let docs = doc(&docs, || format!("The `{}` operation.", op.name));
        let module_ident = ident(&module);
        operation_modules.push(quote!(#docs pub mod #module_ident;));
        wire_modules.push(quote!(pub(crate) mod #module_ident;));
    }
    krate.rust(
        "src/operation/mod.rs",
        quote! {
            #![doc = " Operations: for each, its input, output, error enum and call builder."]
            #(#operation_modules)*
        },
    );
    let helpers = protocol_helpers(ir);
    krate.rust(
        "src/protocol/mod.rs",
        quote! {
            #![doc = " Wire code: how inputs become requests and responses become outputs."]
            pub(crate) mod errors;
            pub(crate) mod shapes;
            #(#wire_modules)*
            #helpers
        },
    );
    Ok(krate)
}

fn lib_rs(ir: &Ir, options: &EmitOptions, protocol_tests: bool) -> TokenStream {
    let title = &ir.service.title;
    let crate_name = options.crate_name.replace('-', "_");
    let mut text = format!("A client for {title}.\n\n");
    if !ir.service.docs.is_empty() {
        text.push_str(&ir.service.docs);
        text.push_str("\n\n");
    }
    text.push_str(&quickstart(ir, options, &crate_name));
    text.push_str(concat!(
        "\n\n# What is in the crate\n\n",
        "- [`Client`]: one method per operation; required members are arguments, optional ones are set\n",
        "  on the returned builder, and `.send().await` makes the call.\n",
        "- [`Config`]: region, endpoint, retries, timeouts, transport ([`Config::from_env`] reads the\n",
        "  standard `AWS_*` variables).\n",
        "- [`operation`]: per operation, its input, output, error enum and builder.\n",
        "- [`types`]: the structures, unions and enums of the model; [`types::error`] its errors.\n",
        "- [`Error`]: why a call failed; [`Error::service_error`] gives the operation's own error.\n",
    ));
    if ir.service.sigv4 {
        text.push_str(concat!(
            "\n# Authentication\n\n",
            "Requests are not signed with AWS SigV4. Operations whose input binds an `X-Amz-Bearer`\n",
            "header take that token as an argument and authenticate with it; no AWS credentials are\n",
            "read or needed.\n",
        ));
    }
    let docs = inner_lines(text.trim_end());
    let optional_modules = [
        (
            ir.features.pagination,
            quote!(
                pub mod pagination;
            ),
        ),
        (
            ir.features.timestamps || ir.features.blobs || ir.features.documents,
            quote!(
                pub mod primitives;
            ),
        ),
    ]
    .into_iter()
    .filter_map(|(needed, tokens)| needed.then_some(tokens));
    let protocol_tests = protocol_tests.then(|| {
        quote!(
            #[cfg(test)]
            mod protocol_tests;
        )
    });
    let sdk_id = &ir.service.sdk_id;
    let env_suffix = sdk_id.to_ascii_uppercase().replace([' ', '-'], "_");
    quote! {
        #docs
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        mod client;
        pub mod config;
        pub mod endpoint;
        pub mod error;
        pub mod operation;
        #(#optional_modules)*
        mod protocol;
        #protocol_tests
        mod runtime;
        pub mod transport;
        pub mod types;

        pub use client::Client;
        pub use config::Config;
        pub use error::Error;

        /// The service's SDK id, named in logs.
        pub(crate) const SERVICE_NAME: &str = #sdk_id;
        /// The suffix of the service's `AWS_ENDPOINT_URL_*` variable.
        pub(crate) const SERVICE_ENV_SUFFIX: &str = #env_suffix;
    }
}

/// The crate-level example: one call of the chosen (or first simple) operation.
fn quickstart(ir: &Ir, options: &EmitOptions, crate_name: &str) -> String {
    let chosen = options
        .example_operation
        .as_deref()
        .and_then(|name| ir.operations.iter().find(|op| op.name == name))
        .or_else(|| ir.operations.iter().find(|op| example_args(op).is_some()));
    let call = chosen.and_then(|op| {
        let args = example_args(op)?;
        Some(format!("let output = client.{}({}).send().await?;\nprintln!(\"{{output:?}}\");\n", op.fn_name, args))
    });
    format!(
        concat!(
            "# Quickstart\n\n",
            "```no_run\n",
            "# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n",
            "let config = {0}::Config::builder().region(\"us-east-1\").build()?;\n",
            "let client = {0}::Client::new(config);\n",
            "{1}",
            "# Ok(())\n",
            "# }}\n",
            "```"
        ),
        crate_name,
        call.unwrap_or_default()
    )
}

/// Placeholder arguments for an example call, when every required member is a string.
fn example_args(op: &Operation) -> Option<String> {
    let positional = shapes::positional(&op.input.members, true);
    positional
        .iter()
        .map(|m| match m.target.ty {
            crate::ir::Type::String => Some(format!("\"{}\"", m.field.trim_start_matches("r#").replace('_', "-"))),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .map(|args| args.join(", "))
}

fn runtime_mod(ir: &Ir) -> TokenStream {
    let pattern = ir.features.input_patterns.then(|| {
        quote!(
            pub(crate) mod pattern;
        )
    });
    let checksum = ir.features.checksum_required.then(|| {
        quote!(
            pub(crate) mod checksum;
        )
    });
    let compression = ir.features.request_compression.then(|| {
        quote!(
            pub(crate) mod compression;
        )
    });
    let tokens = ir.operations.iter().any(|op| op.input.members.iter().any(|m| m.idempotency_token));
    let token_export = tokens.then(|| {
        quote!(
            pub(crate) use operation::idempotency_token;
        )
    });
    quote! {
        #![doc = " Support code the generated operations call: the request pipeline and wire helpers."]
        #checksum
        #compression
        pub(crate) mod json;
        mod operation;
        pub(crate) mod orchestrator;
        #pattern
        pub(crate) mod request;
        pub(crate) mod response;
        pub(crate) mod retry;
        pub(crate) mod validate;

        pub(crate) use operation::{Operation, RetryKind};
        #token_export
        pub(crate) use orchestrator::Handle;
    }
}

/// `types/` and `types/error/`: one file per shape.
fn types(ir: &Ir, krate: &mut GeneratedCrate) {
    let mut modules = Vec::new();
    let mut error_modules = Vec::new();
    let mut shape_wire = Vec::new();
    let mut error_wire = Vec::new();
    for (id, shape) in &ir.shapes {
        let (module, tokens) = match shape {
            NamedShape::Structure(s) => {
                (&s.module, shapes::structure(ir, s, format!("The `{}` structure.", s.id.name())))
            }
            NamedShape::Union(u) => (&u.module, shapes::union(ir, u)),
            NamedShape::Enum(e) => (&e.module, shapes::string_enum(e)),
            NamedShape::IntEnum(e) => (&e.module, shapes::int_enum(e)),
        };
        let module_ident = ident(module);
        let type_ident = ident(shape.rust_name());
        let is_error = matches!(shape, NamedShape::Structure(s) if matches!(s.kind, StructureKind::Error(_)));
        let entry = quote! {
            mod #module_ident;
            pub use #module_ident::#type_ident;
        };
        if is_error {
            krate.rust(format!("src/types/error/{module}.rs"), tokens);
            error_modules.push(entry);
        } else {
            krate.rust(format!("src/types/{module}.rs"), tokens);
            modules.push(entry);
        }
        if let Some(wire) = shape_wire_module(ir, id, shape) {
            let entry = quote!(pub(crate) mod #module_ident;);
            if is_error {
                krate.rust(format!("src/protocol/errors/{module}.rs"), wire);
                error_wire.push(entry);
            } else {
                krate.rust(format!("src/protocol/shapes/{module}.rs"), wire);
                shape_wire.push(entry);
            }
        }
    }
    krate.rust(
        "src/types/mod.rs",
        quote! {
            #![doc = " The structures, unions and enums of the model."]
            pub mod error;
            #(#modules)*
        },
    );
    krate.rust(
        "src/types/error/mod.rs",
        quote! {
            #![doc = " The errors the model declares; each operation's error enum holds the ones it may return."]
            #(#error_modules)*
        },
    );
    krate.rust(
        "src/protocol/shapes/mod.rs",
        quote! {
            #![doc = " JSON readers, writers and validation of the model's structures and unions."]
            #(#shape_wire)*
        },
    );
    krate.rust(
        "src/protocol/errors/mod.rs",
        quote! {
            #![doc = " Readers of the model's errors from HTTP responses."]
            #(#error_wire)*
        },
    );
}

/// The wire module of a structure or union, when any wire code is needed for it.
fn shape_wire_module(ir: &Ir, id: &crate::smithy::ShapeId, shape: &NamedShape) -> Option<TokenStream> {
    let sends = ir.input_shapes.contains(id);
    let receives = ir.output_shapes.contains(id);
    let checks = validate::shape_is_checked(ir, id);
    let (serializer, deserializer) = match shape {
        NamedShape::Structure(s) if matches!(s.kind, StructureKind::Error(_)) => {
            let ty = super::types::shape_path(ir, id);
            let reader = deserialize::response_structure(ir, s, quote!(pub(crate) fn deserialize), ty);
            let uses = deserialize::ReaderUses { whole_response: true, ..deserialize::reader_uses(s) };
            return Some(wire_file(None, Some((reader, uses)), None));
        }
        NamedShape::Structure(s) => (
            sends.then(|| serialize::structure_serializer(ir, s)),
            receives.then(|| (deserialize::structure_deserializer(ir, s), deserialize::structure_reader_uses())),
        ),
        NamedShape::Union(u) => (
            sends.then(|| serialize::union_serializer(ir, u)),
            receives.then(|| (deserialize::union_deserializer(ir, u), deserialize::union_reader_uses())),
        ),
        NamedShape::Enum(_) | NamedShape::IntEnum(_) => return None,
    };
    if serializer.is_none() && deserializer.is_none() && !checks {
        return None;
    }
    let validator = checks.then(|| validate::shape_validator(ir, id));
    Some(wire_file(serializer, deserializer, validator))
}

/// A wire file with the imports its parts use (no more, so no unused-import warnings).
fn wire_file(
    serializer: Option<TokenStream>,
    deserializer: Option<(TokenStream, deserialize::ReaderUses)>,
    validator: Option<TokenStream>,
) -> TokenStream {
    let mut imports = Vec::new();
    if serializer.is_some() {
        imports.push(quote!(
            use crate::error::BuildError;
        ));
        imports.push(quote!(
            use crate::runtime::json::JsonValue;
        ));
    }
    if let Some((_, uses)) = &deserializer {
        if uses.value || uses.whole_response {
            imports.push(quote!(
                use crate::runtime::response::DeserializeError;
            ));
        }
        if uses.json {
            imports.push(quote!(
                use crate::runtime::json;
            ));
        }
        if uses.response {
            imports.push(quote!(
                use crate::runtime::response;
            ));
        }
        if uses.value {
            imports.push(quote!(
                use serde_json::Value;
            ));
        }
        if uses.whole_response {
            imports.push(quote!(
                use crate::transport::HttpResponse;
            ));
        }
    }
    if validator.is_some() {
        imports.push(quote!(
            use crate::runtime::validate::Violations;
        ));
    }
    let deserializer = deserializer.map(|(tokens, _)| tokens);
    quote! {
        #![doc = " Wire code of one shape."]
        #(#imports)*
        #serializer
        #deserializer
        #validator
    }
}

/// `protocol/<op>.rs`: the operation's implementation of `runtime::Operation`.
fn operation_wire(ir: &Ir, op: &Operation) -> TokenStream {
    let wire = ident(&op.rust_name);
    let module = ident(&op.fn_name.replace("r#", ""));
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&format!("{}Error", op.rust_name));
    let name = &op.name;
    let validate_body = validate::check_members(ir, &op.input.members, quote!(input), None);
    let (input_param, violations_param) = if validate_body.is_empty() {
        (quote!(_input), quote!(_violations))
    } else {
        (quote!(input), quote!(violations))
    };
    let serialize = serialize::request_serializer(ir, op);
    let output_reader = deserialize::response_structure(ir, &op.output, quote!(fn read_output), quote!(#output));
    let reads = deserialize::reader_uses(&op.output);
    let writes_json = serialize::writes_json(op);
    let error_arms: Vec<TokenStream> = op
        .errors
        .iter()
        .map(|id| {
            let Some(NamedShape::Structure(s)) = ir.shapes.get(id) else { unreachable!("IR invariant") };
            let code = s.id.name();
            let variant = ident(&s.rust_name);
            let module = ident(&s.module);
            quote!(Some(#code) => #error::#variant(crate::protocol::errors::#module::deserialize(response)?),)
        })
        .collect();
    let unhandled = quote!(#error::Unhandled(crate::runtime::orchestrator::unhandled(response, code)));
    let error_body = if error_arms.is_empty() {
        quote!(Ok(#unhandled))
    } else {
        quote! {
            Ok(match code {
                #(#error_arms)*
                _ => #unhandled,
            })
        }
    };
    let retry_arms = op.errors.iter().filter_map(|id| {
        let Some(NamedShape::Structure(s)) = ir.shapes.get(id) else { return None };
        let StructureKind::Error(info) = &s.kind else { return None };
        let throttling = info.retryable?;
        let variant = ident(&s.rust_name);
        let kind = if throttling { quote!(RetryKind::Throttling) } else { quote!(RetryKind::Transient) };
        Some(quote!(#error::#variant(_) => Some(#kind),))
    });
    let retry_arms: Vec<_> = retry_arms.collect();
    let retry_body = if retry_arms.is_empty() {
        quote!(None)
    } else {
        quote! {
            match error {
                #(#retry_arms)*
                _ => None,
            }
        }
    };
    let retry_param = if retry_arms.is_empty() { quote!(_error) } else { quote!(error) };
    let endpoint = endpoint_params(ir, op);
    let fill_tokens = fill_idempotency_tokens(op);
    let doc = format!(" How `{name}` travels over HTTP.");
    let json_import = match (writes_json, reads.json) {
        (true, true) => quote!(
            use crate::runtime::json::{self, JsonWriter};
        ),
        (true, false) => quote!(
            use crate::runtime::json::JsonWriter;
        ),
        (false, true) => quote!(
            use crate::runtime::json;
        ),
        (false, false) => quote!(),
    };
    let response_import = reads.response.then(|| {
        quote!(
            use crate::runtime::response;
        )
    });
    let value_import = reads.value.then(|| {
        quote!(
            use serde_json::Value;
        )
    });
    quote! {
        #![doc = #doc]
        use crate::config::Config;
        use crate::endpoint::{Endpoint, EndpointError};
        use crate::error::BuildError;
        use crate::operation::#module::{#input, #output, #error};
        #json_import
        use crate::runtime::request::RequestBuilder;
        #response_import
        use crate::runtime::response::DeserializeError;
        use crate::runtime::validate::Violations;
        use crate::runtime::{Operation, RetryKind};
        use crate::transport::{HttpRequest, HttpResponse};
        #value_import

        #[doc = #doc]
        pub(crate) struct #wire;

        #fill_tokens

        impl Operation for #wire {
            type Input = #input;
            type Output = #output;
            type Error = #error;

            const NAME: &'static str = #name;

            fn validate(#input_param: &Self::Input, #violations_param: &mut Violations) {
                #validate_body
            }

            #endpoint

            #serialize

            fn deserialize(response: &HttpResponse) -> Result<Self::Output, DeserializeError> {
                read_output(response)
            }

            fn deserialize_error(response: &HttpResponse, code: Option<&str>) -> Result<Self::Error, DeserializeError> {
                #error_body
            }

            fn retry_kind(#retry_param: &Self::Error) -> Option<RetryKind> {
                #retry_body
            }
        }

        #output_reader
    }
}

/// `fill_idempotency_tokens`, for operations with `@idempotencyToken` members: sets each unset
/// token from `token()` (the client passes a fresh UUID; protocol tests a fixed one).
fn fill_idempotency_tokens(op: &Operation) -> Option<TokenStream> {
    let fills: Vec<TokenStream> = op
        .input
        .members
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|m| {
            let field = ident(&m.field);
            quote! {
                if input.#field.is_none() {
                    input.#field = Some(token());
                }
            }
        })
        .collect();
    if fills.is_empty() {
        return None;
    }
    let wire = ident(&op.rust_name);
    let input = ident(&op.input.rust_name);
    Some(quote! {
        impl #wire {
            /// Fills the idempotency tokens the caller left unset with `token()`.
            pub(crate) fn fill_idempotency_tokens(input: &mut #input, mut token: impl FnMut() -> String) {
                #(#fills)*
            }
        }
    })
}

/// `endpoint()`: the rule parameters from the configuration, plus this operation's own.
fn endpoint_params(ir: &Ir, op: &Operation) -> TokenStream {
    // Parameters with a default are plain fields of `Params`; the others are `Option`s.
    let has_default = |param: &str| {
        ir.service.endpoint_rules.as_ref().and_then(|rules| rules.parameter(param)).is_some_and(|p| p.default.is_some())
    };
    let assign = |param: &str, value: TokenStream| {
        let field = endpoint_rules::param_field(param);
        if has_default(param) { quote!(params.#field = #value;) } else { quote!(params.#field = Some(#value);) }
    };
    let statics = op.static_context_params.iter().map(|(param, value)| match value {
        serde_json::Value::Bool(b) => assign(param, quote!(#b)),
        serde_json::Value::String(s) => assign(param, quote!(#s.to_owned())),
        _ => quote!(),
    });
    let contexts = op.context_params.iter().map(|(param, member)| {
        let member = op.input.members.iter().find(|m| &m.field == member).expect("IR resolved it");
        let value = match &member.target.ty {
            crate::ir::Type::Boolean => quote!(*value),
            crate::ir::Type::String => quote!(value.clone()),
            _ => quote!(value.to_string()),
        };
        with_member_value(member, quote!(input), assign(param, value))
    });
    let statics: Vec<_> = statics.collect();
    let contexts: Vec<_> = contexts.collect();
    let input = if op.context_params.is_empty() { quote!(_input) } else { quote!(input) };
    let mutable = if statics.is_empty() && contexts.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        fn endpoint(config: &Config, #input: &Self::Input) -> Result<Endpoint, EndpointError> {
            let #mutable params = crate::endpoint::Params::from_config(config);
            #(#statics)*
            #(#contexts)*
            crate::endpoint::resolve_endpoint(&params)
        }
    }
}

/// Helpers shared by wire modules, only for the features the model uses.
fn protocol_helpers(ir: &Ir) -> TokenStream {
    let timestamps = ir.features.timestamps.then(|| {
        quote! {
            /// Formats a timestamp for the wire.
            pub(crate) fn format_timestamp(
                value: &crate::primitives::DateTime,
                format: crate::primitives::Format,
            ) -> Result<String, crate::error::BuildError> {
                value.fmt(format).map_err(|e| crate::error::BuildError::new(e.to_string()))
            }

            /// Reads a timestamp from JSON: a number of epoch seconds, or a string in `format`.
            pub(crate) fn json_timestamp(
                value: &serde_json::Value,
                format: crate::primitives::Format,
                ctx: &str,
            ) -> Result<crate::primitives::DateTime, crate::runtime::response::DeserializeError> {
                match value {
                    serde_json::Value::Number(n) => n
                        .as_f64()
                        .map(crate::primitives::DateTime::from_secs_f64)
                        .ok_or_else(|| crate::runtime::response::DeserializeError::new(format!("{ctx}: bad timestamp {n}"))),
                    serde_json::Value::String(text) => text_timestamp(text, format, ctx),
                    _ => Err(crate::runtime::response::DeserializeError::new(format!("{ctx}: expected a timestamp"))),
                }
            }

            /// Reads a timestamp from text in `format`.
            pub(crate) fn text_timestamp(
                text: &str,
                format: crate::primitives::Format,
                ctx: &str,
            ) -> Result<crate::primitives::DateTime, crate::runtime::response::DeserializeError> {
                crate::primitives::DateTime::parse(format, text)
                    .map_err(|e| crate::runtime::response::DeserializeError::new(format!("{ctx}: {e}")))
            }
        }
    });
    let blobs = ir.features.blobs.then(|| {
        quote! {
            /// Decodes base64 text from the wire.
            pub(crate) fn decode_base64(text: &str, ctx: &str) -> Result<Vec<u8>, crate::runtime::response::DeserializeError> {
                crate::primitives::base64_decode(text)
                    .map_err(|e| crate::runtime::response::DeserializeError::new(format!("{ctx}: {e}")))
            }
        }
    });
    quote!(#timestamps #blobs)
}
