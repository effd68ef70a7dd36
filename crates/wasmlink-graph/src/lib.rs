//! The resolve stage. It owns the manifest format (`app.json`), loading every
//! source a graph names (files, inline text, virtual facades), and turning
//! them into an [`InstanceGraph`]: the instances of the program, each import
//! bound at build time to its final definition (another instance's function,
//! table, memory or global, or a runtime builtin such as a WASI call), every
//! edge type-checked with the spec's import-matching rules, and an
//! instantiation order with dependencies first. Facades never survive this
//! stage: an edge through a virtual source points at the real definition.

mod builtins;
mod instance_graph;

pub use builtins::{builtin, builtins, Builtin, WASI_MODULE};
pub use instance_graph::*;
