//! The subcommands of the `wasmlink` binary: each parses nothing (clap did)
//! and only drives the library and prints.

pub mod bench;
pub mod build;
pub mod cache;
pub mod diag;
pub mod disas;
pub mod generate;
pub mod progress;
pub mod run;
pub mod wast;
