//! The resolver's case folders (`tests/resolve/<case>/`) for unit tests.
//!
//! A case folder pins what its input resolves to as text (the message, or
//! the text report); the unit tests that load one here check what the
//! text does not show: the structure of the [`InstanceGraph`] (instance
//! and source numbering, bindings, entry indices), error variants and
//! what options set in code change. A missing case folder is a failure.
//!
//! [`InstanceGraph`]: crate::InstanceGraph

use crate::{load_graph, GraphError, InstanceId, LoadOptions, ResolvedGraph};
use std::path::{Path, PathBuf};

/// The folder of case `case`.
pub(crate) fn dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/resolve")
        .join(case)
}

/// The input of case `case`, as the `resolve` harness picks it.
pub(crate) fn input(case: &str) -> PathBuf {
    let dir = dir(case);
    ["app.json", "main.wat", "main.wasm"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("case {case}: no input in {}", dir.display()))
}

/// Load case `case` with `options`.
pub(crate) fn load_with(case: &str, options: &LoadOptions) -> Result<ResolvedGraph, GraphError> {
    load_graph(&input(case), options)
}

/// Load case `case`, which must resolve.
pub(crate) fn load(case: &str) -> ResolvedGraph {
    load_with(case, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("case {case}: unexpected error: {e}"))
}

/// Load case `case`, which must fail.
pub(crate) fn load_err(case: &str) -> GraphError {
    match load_with(case, &LoadOptions::default()) {
        Ok(_) => panic!("case {case}: expected an error"),
        Err(e) => e,
    }
}

/// The instance named `name`.
pub(crate) fn instance(g: &ResolvedGraph, name: &str) -> InstanceId {
    g.graph
        .instances
        .iter()
        .position(|i| i.name == name)
        .unwrap_or_else(|| panic!("no instance {name}"))
}

/// Instance names in the graph's numbering (not instantiation order).
pub(crate) fn instance_names(g: &ResolvedGraph) -> Vec<&str> {
    g.graph.instances.iter().map(|i| i.name.as_str()).collect()
}
