//! `src/lib.rs` of the generated crate: its documentation (with a quickstart), its modules and
//! the service constants the runtime reads.

use proc_macro2::TokenStream;
use quote::quote;

use super::EmitOptions;
use super::crate_docs;
use super::docs::inner_lines;
use crate::ir::Ir;

/// `src/lib.rs`; `protocol_tests` when the crate carries the model's protocol tests.
pub(super) fn lib_rs(ir: &Ir, options: &EmitOptions, protocol_tests: bool) -> TokenStream {
    let title = &ir.service.title;
    let mut text = format!("A client for {title}.\n\n");
    if !ir.service.docs.is_empty() {
        text.push_str(&ir.service.docs);
        text.push_str("\n\n");
    }
    let quickstart = crate_docs::quickstart(ir, options);
    text.push_str(&format!("# Quickstart\n\n{}\n\n```no_run\n{}\n```", quickstart.intro, quickstart.program));
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
    text.push_str(concat!(
        "\n# Runtime\n\n",
        "The client is async and runs on Tokio: it needs a Tokio runtime with I/O and timers enabled\n",
        "(`#[tokio::main]`, or a runtime built with `enable_all()`). Connections use Tokio's I/O, and\n",
        "retry backoff and timeouts use its timers. Outside a Tokio runtime, or on one built without\n",
        "timers, the first call panics with Tokio's own message. Programs without an async runtime\n",
        "use the `blocking` feature's client instead.\n",
    ));
    text.push_str(&format!("\n# Cargo features\n\nAll off by default.\n\n{}\n", crate_docs::features(ir)));
    text.push_str(&format!("\n# Model revision\n\n{}\n", crate_docs::model_revision(ir, options)));
    if ir.features.contains(&crate::ir::Feature::Sigv4) {
        text.push_str(concat!(
            "\n# Authentication\n\n",
            "Requests are signed with AWS Signature Version 4, on every attempt, with the credentials of\n",
            "`Config::builder().credentials_provider(..)` ([`auth::credentials`]); [`auth::sigv4`] also\n",
            "signs requests and pre-signed URLs by hand. Operations the model leaves unauthenticated\n",
            "are sent unsigned.\n",
        ));
    } else if ir.service.sigv4 {
        text.push_str(concat!(
            "\n# Authentication\n\n",
            "Requests are not signed with AWS SigV4. Operations whose input binds an `X-Amz-Bearer`\n",
            "header take that token as an argument and authenticate with it; no AWS credentials are\n",
            "read or needed.\n",
        ));
    }
    let docs = inner_lines(text.trim_end());
    // The runtime's modules (as the runtime table declares them) and the generated ones, in
    // name order.
    let mut modules = super::runtime_files::module_declarations(&ir.features, "src");
    modules.extend([
        (
            "blocking",
            quote!(
                #[cfg(feature = "blocking")]
                #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
                pub mod blocking;
            ),
        ),
        (
            "client",
            quote!(
                mod client;
            ),
        ),
        (
            "endpoint",
            quote!(
                pub mod endpoint;
            ),
        ),
        (
            "operation",
            quote!(
                pub mod operation;
            ),
        ),
        (
            "protocol",
            quote!(
                mod protocol;
            ),
        ),
        (
            "runtime",
            quote!(
                mod runtime;
            ),
        ),
        (
            "types",
            quote!(
                pub mod types;
            ),
        ),
    ]);
    if let Some(customization) = crate::customizations::for_service(&ir.service.id) {
        modules.push((customization.module, customization.lib_module()));
    }
    if protocol_tests {
        modules.push((
            "protocol_tests",
            quote!(
                #[cfg(test)]
                mod protocol_tests;
            ),
        ));
    }
    modules.sort_by_key(|(name, _)| *name);
    let modules = modules.into_iter().map(|(_, declaration)| declaration);
    let sdk_id = &ir.service.sdk_id;
    let env_suffix = sdk_id.to_ascii_uppercase().replace([' ', '-'], "_");
    quote! {
        #docs
        // docs.rs marks the items of each feature (`[package.metadata.docs.rs]` sets `docsrs`).
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        #(#modules)*

        pub use client::Client;
        pub use config::Config;
        pub use error::{Error, RequestId};

        /// The service's SDK id, named in logs.
        pub(crate) const SERVICE_NAME: &str = #sdk_id;
        /// The suffix of the service's `AWS_ENDPOINT_URL_*` variable.
        pub(crate) const SERVICE_ENV_SUFFIX: &str = #env_suffix;
    }
}
