//! wasmlink as a library. It owns the build sequence that turns a resolved
//! module graph into an executable ([`pipeline`]: compile → emit → link,
//! written once for every caller) and the spec-test harness that runs
//! `.wast` scripts through that same sequence ([`wast`]). The stages
//! themselves live in their own crates — `wasmlink-module` (load),
//! `wasmlink-graph` (resolve), `wasmlink-codegen` (compile),
//! `wasmlink-emit` (emit), `wasmlink-link` (link) — and the `wasmlink`
//! binary is a thin command line over this library.

pub mod pipeline;
mod preinit;
pub mod wast;

pub use pipeline::{
    build_executable, build_object, thread_count, BuildError, BuildOptions, BuildTimings, Phase,
    MAX_THREADS,
};
pub use wasmlink_codegen::{LinkMode, Optimizations};
pub use wasmlink_graph::{load_graph, LoadOptions, PreinitRequest, ResolvedGraph};
pub use wasmlink_link::{Destination, Linker, LinkerOrigin, Symbols};
