//! The hand-written runtime, and the one table that says what of it a generated crate gets.
//!
//! The runtime is the `runtime` crate (`codegen/runtime/`), which compiles, lints and tests
//! its files once; a generated crate gets each file verbatim at the same path, without its unit
//! tests (the `#[cfg(test)] mod tests` block that ends the file). [`RUNTIME`] maps each runtime
//! feature the IR names ([`Feature`]) to its files, their module declarations and its Cargo
//! dependencies, so a model gets only the files, modules and dependencies it uses. A new
//! runtime-backed trait is one row here, its [`Feature`], the IR analysis that sets it, and the
//! same feature in the runtime crate's `Cargo.toml` (a test below keeps the two in step).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Feature;

/// One row of the table: files and dependencies needed by any of `features` (by every crate
/// when `features` is empty).
pub(super) struct RuntimePart {
    pub features: &'static [Feature],
    pub files: &'static [RuntimeFile],
    /// Lines of the `[dependencies]` table of a generated crate's `Cargo.toml`.
    pub dependencies: &'static [&'static str],
    /// Features of tokio this part uses. Every crate depends on tokio; its one `tokio` line
    /// carries the features of every part the crate gets (a second line would be a second key).
    pub tokio_features: &'static [&'static str],
}

/// One runtime file: where it goes in the crate, its text, and how it is declared.
pub(super) struct RuntimeFile {
    /// Path relative to the crate root (and to the runtime crate's root).
    pub path: &'static str,
    /// The file as written, unit tests included.
    source: &'static str,
    pub module: Module,
}

/// How a runtime file's module is declared in its parent (`lib.rs` for `src/x.rs`,
/// `runtime/mod.rs` for `src/runtime/x.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Module {
    /// `pub mod`: part of the crate's public interface.
    Public,
    /// `pub(crate) mod`.
    Crate,
    /// `mod`: the parent re-exports what the crate uses of it.
    Private,
    /// Declared by generated code (the endpoint module declares `support`).
    Generated,
    /// Declared by the runtime file it belongs to (`auth.rs` declares `auth/credentials.rs`).
    Parent,
}

/// A runtime file at `path` (relative to the crate root), declared as `module`.
macro_rules! file {
    ($path:literal, $module:ident) => {
        RuntimeFile { path: $path, source: include_str!(concat!("../../runtime/", $path)), module: Module::$module }
    };
}

/// A cargo feature every generated crate offers, off by default: a part of the runtime an
/// application opts into because it costs build time (the same feature in the runtime crate's
/// `Cargo.toml`, on there so that it is compiled and tested).
pub(super) struct OptIn {
    /// The feature's name.
    pub name: &'static str,
    /// The optional dependency it turns on: its line of `[dependencies]`.
    pub dependency: &'static str,
    /// What it gives, for the crate's list of features (markdown, after the name; lines of
    /// at most 80 characters).
    pub summary: &'static str,
}

/// The opt-in features.
pub(super) const OPT_INS: &[OptIn] = &[OptIn {
    name: "platform-roots",
    dependency: r#"rustls-native-certs = { version = "0.8", optional = true }"#,
    summary: "`transport::Tls::platform_roots`, to trust the platform's root store\n\
              (the system's CA bundle, the macOS keychain, the Windows store) instead of the\n\
              Mozilla roots compiled in.",
}];

impl OptIn {
    /// The dependency's name.
    pub fn dependency_name(&self) -> &'static str {
        self.dependency.split_once(" = ").map_or(self.dependency, |(name, _)| name)
    }

    /// Its line of `[features]`.
    pub fn feature_line(&self) -> String {
        format!("{} = [\"dep:{}\"]", self.name, self.dependency_name())
    }
}

const BASE64: &str = r#"base64 = { version = "0.22", default-features = false, features = ["std"] }"#;

/// The runtime, by feature.
pub(super) const RUNTIME: &[RuntimePart] = &[
    RuntimePart {
        features: &[],
        files: &[
            file!("src/config.rs", Public),
            file!("src/endpoint/support.rs", Generated),
            file!("src/error.rs", Public),
            file!("src/transport.rs", Public),
            file!("src/transport/body.rs", Parent),
            file!("src/transport/tls.rs", Parent),
            file!("src/runtime/authorize.rs", Crate),
            file!("src/runtime/json.rs", Crate),
            file!("src/runtime/operation.rs", Private),
            file!("src/runtime/orchestrator.rs", Crate),
            file!("src/runtime/request.rs", Crate),
            file!("src/runtime/response.rs", Crate),
            file!("src/runtime/retry.rs", Crate),
            file!("src/runtime/uri.rs", Crate),
            file!("src/runtime/validate.rs", Crate),
        ],
        dependencies: &[
            r#"bytes = "1""#,
            r#"fastrand = "2""#,
            r#"http = "1""#,
            r#"http-body = "1""#,
            r#"http-body-util = "0.1""#,
            r#"hyper-rustls = { version = "0.27", default-features = false, features = ["http1", "ring", "tls12", "webpki-tokio"] }"#,
            r#"hyper-util = { version = "0.1", default-features = false, features = ["client-legacy", "client-proxy", "http1", "tokio"] }"#,
            r#"percent-encoding = "2""#,
            r#"rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }"#,
            // The response readers drive serde_json's parser with seeds of their own (no derive).
            r#"serde_core = { version = "1", default-features = false, features = ["std"] }"#,
            r#"serde_json = "1""#,
            // The connector wrapper that bounds TCP and TLS together implements hyper's
            // connector trait, which is tower's `Service`.
            r#"tower-service = "0.3""#,
            r#"tracing = { version = "0.1", default-features = false, features = ["std"] }"#,
            r#"webpki-roots = "1""#,
        ],
        tokio_features: &["time"],
    },
    RuntimePart {
        // The signer writes its time and reads the service's `Date` with the timestamp code.
        features: &[Feature::Timestamps, Feature::Blobs, Feature::Documents, Feature::Sigv4],
        files: &[file!("src/primitives.rs", Public)],
        dependencies: &[],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::TimestampsSent],
        files: &[file!("src/runtime/timestamp_write.rs", Crate)],
        dependencies: &[],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::TimestampsReceived],
        files: &[file!("src/runtime/timestamp_text.rs", Crate)],
        dependencies: &[],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::TimestampsInJson],
        files: &[file!("src/runtime/timestamp_json.rs", Crate)],
        dependencies: &[],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::BlobsSent],
        files: &[file!("src/runtime/base64_write.rs", Crate)],
        dependencies: &[BASE64],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::BlobsReceived],
        files: &[file!("src/runtime/base64_read.rs", Crate)],
        dependencies: &[BASE64],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::InputPatterns],
        files: &[file!("src/runtime/pattern.rs", Crate)],
        dependencies: &[
            r#"regex = { version = "1", default-features = false, features = ["std", "unicode-gencat", "unicode-perl", "unicode-case"] }"#,
        ],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::Pagination],
        files: &[file!("src/pagination.rs", Public)],
        dependencies: &[r#"futures-core = { version = "0.3", default-features = false, features = ["std"] }"#],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::RequestCompression],
        files: &[file!("src/runtime/compression.rs", Crate)],
        dependencies: &[r#"flate2 = { version = "1", default-features = false, features = ["rust_backend"] }"#],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::ChecksumRequired],
        files: &[file!("src/runtime/checksum.rs", Crate)],
        dependencies: &[BASE64, r#"md5 = { version = "0.8", default-features = false, features = ["std"] }"#],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::Enums],
        files: &[file!("src/types/unknown_value.rs", Generated)],
        dependencies: &[],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::IdempotencyTokens],
        files: &[file!("src/runtime/idempotency.rs", Crate)],
        dependencies: &[],
        tokio_features: &[],
    },
    RuntimePart {
        features: &[Feature::Sigv4],
        files: &[
            file!("src/auth.rs", Public),
            file!("src/auth/config.rs", Parent),
            file!("src/auth/credentials.rs", Parent),
            file!("src/auth/credentials/cache.rs", Parent),
            file!("src/auth/credentials/chain.rs", Parent),
            file!("src/auth/credentials/container.rs", Parent),
            file!("src/auth/credentials/env.rs", Parent),
            file!("src/auth/credentials/environment.rs", Parent),
            file!("src/auth/credentials/expiration.rs", Parent),
            file!("src/auth/credentials/from_env.rs", Parent),
            file!("src/auth/credentials/http.rs", Parent),
            file!("src/auth/credentials/imds.rs", Parent),
            file!("src/auth/credentials/json.rs", Parent),
            file!("src/auth/credentials/process.rs", Parent),
            file!("src/auth/credentials/profile.rs", Parent),
            file!("src/auth/credentials/profile_file.rs", Parent),
            file!("src/auth/sigv4.rs", Parent),
            file!("src/auth/sigv4/canonical.rs", Parent),
            file!("src/auth/sigv4/crypto.rs", Parent),
            file!("src/auth/sigv4/presign.rs", Parent),
            file!("src/auth/sigv4/settings.rs", Parent),
            file!("src/auth/sigv4/sign.rs", Parent),
            file!("src/auth/sigv4/signer.rs", Parent),
            file!("src/auth/sigv4/skew.rs", Parent),
            file!("src/auth/sigv4/time.rs", Parent),
        ],
        // ring is rustls's crypto provider already: the signer adds no crypto library.
        dependencies: &[r#"ring = { version = "0.17", default-features = false }"#],
        // The credentials cache: one refresh however many requests wait (tokio's Mutex).
        tokio_features: &["sync"],
    },
];

/// How a runtime file's unit tests start; by convention they end the file.
const TESTS: &str = "\n#[cfg(test)]\nmod tests {";

impl RuntimeFile {
    /// The text a generated crate gets: the file without its unit tests, which run once in
    /// the runtime crate instead of once per generated crate.
    pub fn source(&self) -> &'static str {
        match self.source.find(TESTS) {
            // Up to the last line of code, with its newline.
            Some(end) => &self.source[..=self.source[..end].trim_end().len()],
            None => self.source,
        }
    }

    /// The module's parent directory (`src/`, `src/runtime/`) and its name.
    fn parent_and_name(&self) -> (&'static str, &'static str) {
        let (parent, file) = self.path.rsplit_once('/').map_or(("", self.path), |(dir, file)| (dir, file));
        (parent, file.trim_end_matches(".rs"))
    }
}

/// Every runtime file, whatever the model.
pub(super) fn all_files() -> impl Iterator<Item = &'static RuntimeFile> {
    RUNTIME.iter().flat_map(|part| part.files)
}

/// The parts of the runtime a model using `features` needs.
fn needed(features: &BTreeSet<Feature>) -> impl Iterator<Item = &'static RuntimePart> {
    RUNTIME.iter().filter(|part| part.features.is_empty() || part.features.iter().any(|f| features.contains(f)))
}

/// The runtime files a model using `features` gets.
pub(super) fn files(features: &BTreeSet<Feature>) -> impl Iterator<Item = &'static RuntimeFile> {
    needed(features).flat_map(|part| part.files)
}

/// The declarations of the runtime modules under `parent` (`src` or `src/runtime`), by name.
pub(super) fn module_declarations(features: &BTreeSet<Feature>, parent: &str) -> Vec<(&'static str, TokenStream)> {
    let mut declarations: Vec<_> = files(features)
        .filter_map(|file| {
            let (dir, name) = file.parent_and_name();
            // Runtime file names are the emitter's own, fixed in its table.
            let module = format_ident!("{}", name);
            let declaration = match file.module {
                _ if dir != parent => return None,
                Module::Public => quote!(pub mod #module;),
                Module::Crate => quote!(pub(crate) mod #module;),
                Module::Private => quote!(mod #module;),
                Module::Generated | Module::Parent => return None,
            };
            Some((name, declaration))
        })
        .collect();
    declarations.sort_by_key(|(name, _)| *name);
    declarations
}

/// The `[dependencies]` lines of a model using `features`, sorted, each once; tokio's line
/// with the features of every part needed.
pub(super) fn dependencies(features: &BTreeSet<Feature>) -> Vec<String> {
    let mut lines: BTreeSet<String> =
        needed(features).flat_map(|part| part.dependencies.iter().map(|line| (*line).to_owned())).collect();
    let tokio: BTreeSet<_> = needed(features).flat_map(|part| part.tokio_features.iter().copied()).collect();
    let tokio: Vec<_> = tokio.iter().map(|feature| format!("\"{feature}\"")).collect();
    lines
        .insert(format!(r#"tokio = {{ version = "1", default-features = false, features = [{}] }}"#, tokio.join(", ")));
    lines.into_iter().collect()
}

/// `src/runtime/mod.rs`: the runtime modules the crate carries, and what generated code takes
/// from them by short path.
pub(super) fn runtime_mod(ir: &crate::ir::Ir) -> TokenStream {
    let modules = module_declarations(&ir.features, "src/runtime").into_iter().map(|(_, tokens)| tokens);
    // What authenticates requests, and what a configuration can hold to do it: the signer and
    // any credentials provider in crates that sign; nothing in the others.
    let auth = if ir.features.contains(&Feature::Sigv4) {
        quote! {
            pub(crate) type CredentialsProvider = std::sync::Arc<dyn crate::auth::credentials::ProvideCredentials>;
            pub(crate) use crate::auth::sigv4::Signer as Authorizer;
        }
    } else {
        quote! {
            pub(crate) type CredentialsProvider = std::convert::Infallible;
            pub(crate) use authorize::NoAuth as Authorizer;
        }
    };
    quote! {
        #![doc = " Support code the generated operations call: the request pipeline and wire helpers."]
        #(#modules)*

        pub(crate) use operation::{Operation, RetryKind};
        pub(crate) use orchestrator::Handle;
        #auth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNTIME_CRATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime");
    /// Runtime crate files that stand in for generated code and are never copied.
    const STAND_INS: &[&str] = &[
        "src/lib.rs",
        "src/endpoint/mod.rs",
        "src/endpoint/partitions.rs",
        "src/endpoint/spec_examples.rs",
        "src/runtime/mod.rs",
        "src/protocol_tests/mod.rs",
        "src/credentials_test_support.rs",
    ];
    /// Copied by the protocol-test emitter, which owns it.
    const PROTOCOL_TEST_SUPPORT: &str = "src/protocol_tests/support.rs";

    fn rust_files(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(RUNTIME_CRATE).unwrap().to_string_lossy().replace('\\', "/");
                out.push(relative);
            }
        }
    }

    #[test]
    fn every_runtime_crate_file_is_in_the_table_once() {
        let mut on_disk = Vec::new();
        rust_files(&std::path::Path::new(RUNTIME_CRATE).join("src"), &mut on_disk);
        on_disk.retain(|path| !STAND_INS.contains(&path.as_str()) && path != PROTOCOL_TEST_SUPPORT);
        on_disk.sort();
        let mut in_table: Vec<String> = all_files().map(|file| file.path.to_owned()).collect();
        in_table.sort();
        assert_eq!(in_table, on_disk);
    }

    #[test]
    fn runtime_crate_features_and_dependencies_match_the_table() {
        let manifest = std::fs::read_to_string(format!("{RUNTIME_CRATE}/Cargo.toml")).unwrap();
        for feature in Feature::ALL {
            let name = feature.name();
            assert!(manifest.contains(&format!("\n    \"{name}\",\n")), "`{name}` is not a default feature");
            let part_deps: BTreeSet<&str> = RUNTIME
                .iter()
                .filter(|part| part.features.contains(&feature))
                .flat_map(|part| part.dependencies)
                .filter_map(|line| line.split_once(" = ").map(|(dep, _)| dep))
                .collect();
            let tokio_features: BTreeSet<&str> = RUNTIME
                .iter()
                .filter(|part| part.features.contains(&feature))
                .flat_map(|part| part.tokio_features.iter().copied())
                .collect();
            let enables: Vec<String> = part_deps
                .iter()
                .map(|dep| format!("\"dep:{dep}\""))
                .chain(tokio_features.iter().map(|tokio| format!("\"tokio/{tokio}\"")))
                .collect();
            let line = format!("\n{name} = [{}]\n", enables.join(", "));
            assert!(manifest.contains(&line), "the runtime crate should declare {line:?}");
        }
        // Every crate's tokio line, with the features of the parts every crate gets.
        let tokio = dependencies(&BTreeSet::new()).into_iter().find(|line| line.starts_with("tokio ")).unwrap();
        assert!(manifest.contains(&format!("\n{tokio}\n")), "the runtime crate should depend on {tokio}");
        for part in RUNTIME {
            for line in part.dependencies {
                let expected = if part.features.is_empty() {
                    (*line).to_owned()
                } else {
                    format!("{}, optional = true }}", line.trim_end_matches(" }"))
                };
                assert!(manifest.contains(&format!("\n{expected}\n")), "the runtime crate should depend on {expected}");
            }
        }
    }

    #[test]
    fn runtime_crate_declares_the_opt_in_features() {
        let manifest = std::fs::read_to_string(format!("{RUNTIME_CRATE}/Cargo.toml")).unwrap();
        for opt_in in OPT_INS {
            let name = opt_in.name;
            assert!(manifest.contains(&format!("\n    \"{name}\",\n")), "`{name}` is not a default feature");
            assert!(manifest.contains(&format!("\n{}\n", opt_in.feature_line())), "{}", opt_in.feature_line());
            assert!(manifest.contains(&format!("\n{}\n", opt_in.dependency)), "{}", opt_in.dependency);
        }
    }

    #[test]
    fn a_model_gets_only_what_its_features_need() {
        let none = BTreeSet::new();
        let paths: Vec<_> = files(&none).map(|file| file.path).collect();
        assert!(paths.contains(&"src/runtime/json.rs") && !paths.contains(&"src/primitives.rs"), "{paths:?}");
        assert!(!dependencies(&none).iter().any(|line| line.starts_with("base64")));
        let runtime_modules: Vec<_> =
            module_declarations(&none, "src/runtime").into_iter().map(|(name, _)| name).collect();
        assert_eq!(
            runtime_modules,
            ["authorize", "json", "operation", "orchestrator", "request", "response", "retry", "uri", "validate"]
        );

        let features = BTreeSet::from([Feature::Blobs, Feature::BlobsSent, Feature::ChecksumRequired]);
        let deps = dependencies(&features);
        assert_eq!(deps.iter().filter(|line| line.starts_with("base64")).count(), 1, "{deps:?}");
        assert!(deps.iter().any(|line| line.starts_with("md5")));
        let lib_modules: Vec<_> = module_declarations(&features, "src").into_iter().map(|(name, _)| name).collect();
        assert_eq!(lib_modules, ["config", "error", "primitives", "transport"]);
        let (_, primitives) = &module_declarations(&features, "src")[2];
        assert_eq!(primitives.to_string(), "pub mod primitives ;");
    }

    #[test]
    fn unit_tests_end_the_file_and_are_not_shipped() {
        for file in all_files() {
            let shipped = file.source();
            assert!(!shipped.contains("#[cfg(test)]"), "{}: tests must be one `mod tests` at the end", file.path);
            assert!(shipped.ends_with("}\n") || shipped.ends_with(";\n"), "{}", file.path);
            if shipped.len() < file.source.len() {
                assert!(file.source.trim_end().ends_with('}'), "{}", file.path);
            }
        }
    }
}
