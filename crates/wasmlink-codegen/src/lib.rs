//! The compile stage. It owns turning an [`InstanceGraph`] into machine code:
//! the vmctx layout of every source ([`layout`]), the numbering of every
//! symbol the object will hold ([`symbols`]), the Wasm → Cranelift IR
//! translator ([`translate`]), the generated instantiation code and the
//! static contents of each instance's vmctx, and the images new instances
//! are made from at run time for wasi-threads (`threads`), the memory
//! images and other state known at build time ([`initial`]), and the
//! snapshot mode of pre-initialisation (`preinit`, [`snapshot`]). Functions are translated and
//! compiled in parallel (rayon); results are collected in symbol order so the
//! output does not depend on the number of threads. The contract with the
//! runtime library (structures, symbols, runtime functions, trap codes) is
//! the `wasmlink_abi` crate; [`disas`] lists the generated code of each
//! function.

mod compile;
mod config_records;
mod devirt;
pub mod disas;
pub mod env;
mod fixed_state;
pub mod gc_types;
pub mod harness;
mod images;
pub mod initial;
mod inline;
mod instantiate;
mod jump_table;
pub mod layout;
mod lowered;
mod preinit;
pub mod program;
mod reach;
pub mod snapshot;
mod stack_checks;
mod statics;
pub mod symbols;
mod threads;
pub mod translate;
mod traps;
pub mod unwind;
pub mod wpo;

pub use compile::{compile_graph, target_isa, CompileOptions, LinkMode};
pub use config_records::wasi_config;
pub use disas::{
    list_functions, load_graph_for_listing, render_listings, FunctionListing, ListingFormat,
    ListingOptions,
};
pub use initial::Preinit;
pub use program::*;
pub use snapshot::Snapshot;
pub use wasmlink_graph::InstanceGraph;
pub use wpo::Optimizations;

/// Why compilation failed.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("{function}: {message}")]
    Translate { function: String, message: String },
    #[error("{function}: Cranelift could not compile it: {message}")]
    Compile { function: String, message: String },
    #[error("internal compiler error while compiling {job}: {message} (this is a wasmlink bug)")]
    Internal { job: String, message: String },
    #[error("could not set up the code generator for this host: {0}")]
    Isa(String),
}

#[cfg(test)]
mod initial_tests;
#[cfg(test)]
mod reach_tests;
