//! The resolve stage. It owns the manifest format (`app.json`), loading every
//! source a graph names (files, inline text, virtual facades), and turning
//! them into an [`InstanceGraph`]: the instances of the program, each import
//! bound at build time to its final definition (another instance's function,
//! table, memory or global, or a runtime builtin such as a WASI call), every
//! edge type-checked with the spec's import-matching rules, and an
//! instantiation order with dependencies first. Facades never survive this
//! stage: an edge through a virtual source points at the real definition.
//!
//! Data sources (`{"bytes": …}`, `{"json": …}`) become generated
//! modules here too ([`data`]).
//!
//! Entry point: [`load_graph`] (a `.json` manifest, or a `.wasm`/`.wat`
//! module for the manifest-less form); [`render_text`] and [`render_dot`]
//! print the result.
//!
//! The resolution rules are stated once, in `resolve/mod.rs`, with a map of
//! the files that implement them. Every rule and message has a case folder
//! in `tests/resolve/` (a manifest in, the message or the graph out).

mod builtins;
pub mod data;
mod display;
mod embed;
mod error;
pub mod input_file;
mod instance_graph;
mod lowered;
mod manifest;
mod matching;
mod order;
mod report;
mod resolve;
mod sources;
mod suggest;

#[cfg(test)]
mod resolve_cases;

pub use builtins::{builtin, builtins, Builtin, WASI_MODULE, WASI_THREADS_MODULE};
pub use display::{escaped_lines, shown_message, shown_name, NAME_LIMIT};
pub use embed::{read_embeds, EmbedSource, Embedded, EmbeddedDir, HostFile};
pub use error::GraphError;
pub use instance_graph::*;
pub use lowered::{
    interface_functions, lowered_builtin, lowered_builtins, split_wasi_interface, wasi2_interfaces,
    wasi2_version_supported, LoweredBuiltin, StringEncoding,
};
pub use manifest::{
    parse_manifest_str, ImportSpec, InstanceSpec, Manifest, PreinitSpec, SourceSpec, VirtualBinding,
};
pub use matching::{match_extern, match_extern_in, match_limits, Mismatch};
pub use report::{
    render_dot, render_text, ComponentReport, Edge, EdgeTarget, Hop, HopKind, PreinitRequest,
    ResolvedGraph,
};
pub use resolve::{resolve_manifest, LoadOptions};
/// The default and the largest `max_threads` of the WASI settings.
pub use wasmlink_abi::{DEFAULT_MAX_THREADS, MAX_THREADS_LIMIT};

use std::path::Path;

/// Load and resolve a program.
///
/// - `*.json`: a manifest (see the README, "The manifest"); file paths in it are relative
///   to its directory.
/// - `*.wasm` / `*.wat`: the manifest-less form. One explicit instance,
///   named after the file stem, is the entry (its `_start`); its imports are
///   resolved by rules 2–5 (the only node is the instance itself), so
///   `wasi_snapshot_preview1` is the builtin and relative specifiers
///   (`./lib.wasm`) load the files next to it. WASI: args and env are
///   inherited and nothing is preopened, unless `options.wasi` says
///   otherwise.
///
/// Relative specifiers must name `.wasm`/`.wat` files inside the manifest's
/// directory tree (the main module's, manifest-less). Only regular files
/// are read, up to [`input_file::MAX_MANIFEST_BYTES`] for the manifest and
/// [`input_file::MAX_MODULE_BYTES`] per module.
pub fn load_graph(input: &Path, options: &LoadOptions) -> Result<ResolvedGraph, GraphError> {
    let ext = input
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => {
            let text =
                input_file::read_text(input, input_file::InputKind::Manifest).map_err(|error| {
                    GraphError::ReadInput {
                        path: input.to_path_buf(),
                        error,
                    }
                })?;
            let manifest = parse_manifest_str(&text, input)?;
            resolve_manifest(&manifest, options)
        }
        Some("wasm") | Some("wat") => resolve::resolve_module(input, options),
        _ => Err(GraphError::UnknownInput {
            path: input.to_path_buf(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_manifests_or_modules() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = load_graph(&dir.path().join("app.txt"), &LoadOptions::default()).unwrap_err();
        assert!(matches!(e, GraphError::UnknownInput { .. }), "{e:?}");
        let e = load_graph(&dir.path().join("missing.wasm"), &LoadOptions::default()).unwrap_err();
        assert!(matches!(e, GraphError::ReadInput { .. }), "{e:?}");
        let e = load_graph(&dir.path().join("missing.json"), &LoadOptions::default()).unwrap_err();
        assert!(e.to_string().starts_with("cannot read "), "{e}");
    }

    #[test]
    fn resolved_graph_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<ResolvedGraph>();
        check::<GraphError>();
    }
}
