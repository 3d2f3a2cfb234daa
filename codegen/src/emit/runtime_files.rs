//! The hand-written runtime, copied verbatim into every generated crate.
//!
//! These are real Rust files under `codegen/runtime/`, compiled and tested as part of each
//! generated crate. Files that need a dependency only some models use are emitted only for
//! those models.

use crate::ir::Features;

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
