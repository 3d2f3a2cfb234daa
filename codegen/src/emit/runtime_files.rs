//! The hand-written runtime, copied verbatim into every generated crate.
//!
//! These are real Rust files under `codegen/runtime/`, compiled and tested as part of each
//! generated crate. Files that need a dependency only some models use are emitted only for
//! those models.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Features, Ir};

/// One runtime file: where it goes in the crate, its text, and when it is needed.
pub(super) struct RuntimeFile {
    /// Path relative to the crate root.
    pub path: &'static str,
    pub source: &'static str,
    pub needed: fn(&Features) -> bool,
}

fn always(_: &Features) -> bool {
    true
}

/// Every runtime file.
pub(super) const RUNTIME_FILES: &[RuntimeFile] = &[
    RuntimeFile { path: "src/config.rs", source: include_str!("../../runtime/config.rs"), needed: always },
    RuntimeFile { path: "src/error.rs", source: include_str!("../../runtime/error.rs"), needed: always },
    RuntimeFile { path: "src/transport.rs", source: include_str!("../../runtime/transport.rs"), needed: always },
    RuntimeFile {
        path: "src/endpoint/support.rs",
        source: include_str!("../../runtime/endpoint_support.rs"),
        needed: always,
    },
    RuntimeFile {
        path: "src/types/unknown_value.rs",
        source: include_str!("../../runtime/unknown_value.rs"),
        needed: |f| f.enums,
    },
    RuntimeFile {
        path: "src/pagination.rs",
        source: include_str!("../../runtime/pagination.rs"),
        needed: |f| f.pagination,
    },
    RuntimeFile {
        path: "src/primitives.rs",
        source: include_str!("../../runtime/primitives.rs"),
        needed: |f| f.timestamps || f.blobs || f.documents,
    },
    RuntimeFile {
        path: "src/runtime/checksum.rs",
        source: include_str!("../../runtime/runtime/checksum.rs"),
        needed: |f| f.checksum_required,
    },
    RuntimeFile {
        path: "src/runtime/compression.rs",
        source: include_str!("../../runtime/runtime/compression.rs"),
        needed: |f| f.request_compression,
    },
    RuntimeFile { path: "src/runtime/json.rs", source: include_str!("../../runtime/runtime/json.rs"), needed: always },
    RuntimeFile {
        path: "src/runtime/operation.rs",
        source: include_str!("../../runtime/runtime/operation.rs"),
        needed: always,
    },
    RuntimeFile {
        path: "src/runtime/orchestrator.rs",
        source: include_str!("../../runtime/runtime/orchestrator.rs"),
        needed: always,
    },
    RuntimeFile {
        path: "src/runtime/pattern.rs",
        source: include_str!("../../runtime/runtime/pattern.rs"),
        needed: |f| f.input_patterns,
    },
    RuntimeFile {
        path: "src/runtime/request.rs",
        source: include_str!("../../runtime/runtime/request.rs"),
        needed: always,
    },
    RuntimeFile {
        path: "src/runtime/response.rs",
        source: include_str!("../../runtime/runtime/response.rs"),
        needed: always,
    },
    RuntimeFile {
        path: "src/runtime/retry.rs",
        source: include_str!("../../runtime/runtime/retry.rs"),
        needed: always,
    },
    RuntimeFile {
        path: "src/runtime/validate.rs",
        source: include_str!("../../runtime/runtime/validate.rs"),
        needed: always,
    },
];

/// `src/runtime/mod.rs`: the runtime modules the crate carries.
pub(super) fn runtime_mod(ir: &Ir) -> TokenStream {
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
    let tokens = super::idempotency::any_tokens(&ir.operations);
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

/// Helpers shared by wire modules, only for the features the model uses.
pub(super) fn protocol_helpers(ir: &Ir) -> TokenStream {
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
