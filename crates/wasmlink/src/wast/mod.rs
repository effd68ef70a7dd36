//! The spec-test harness (`wasmlink wast`). It owns running WebAssembly script files
//! (`.wast`) through the real pipeline: every `module` of a script becomes an
//! instance of one [`InstanceGraph`](wasmlink_graph::InstanceGraph), imports
//! are resolved statically against `register`ed instances (and the
//! `spectest` module), the graph is compiled and linked once as a harness
//! executable, and the script's actions are then sent to that executable as
//! commands (instantiate, invoke, read a global). Traps are recovered by the
//! runtime, so one trap does not end the script. Validation failures are
//! checked at load time and link failures at resolution, where they belong.
//!
//! [`exec`] is public: the differential tests (`crates/wasmlink-differential`)
//! drive harness executables command by command through it.

pub mod component;
pub mod exec;
mod plan;
mod summary;
mod value;

pub use summary::{format_script_table, format_table, run_scripts, FolderSummary};
pub use wasmlink_module::wasmparser::WasmFeatures as Features;

use std::sync::RwLock;
use std::time::Duration;
use wasmlink_codegen::Optimizations;
use wasmlink_module::supported_features;
use wasmlink_module::wasmparser::WasmFeatures;

/// The whole-program optimisations harness executables are built with.
static OPTIMIZATIONS: RwLock<Optimizations> = RwLock::new(Optimizations::ALL);

/// Build harness executables with `wpo` from now on (all by default), for
/// the whole process — as the rayon pool scripts run on is. The gates run
/// the suites with every optimisation and with none.
pub fn set_optimizations(wpo: Optimizations) {
    *OPTIMIZATIONS.write().unwrap_or_else(|e| e.into_inner()) = wpo;
}

/// The optimisations set by [`set_optimizations`].
pub fn optimizations() -> Optimizations {
    *OPTIMIZATIONS.read().unwrap_or_else(|e| e.into_inner())
}

/// The outcome of one script.
#[derive(Clone, Debug, Default)]
pub struct ScriptReport {
    /// The script's name (its path as given).
    pub name: String,
    /// Checks that passed: assertions, module definitions and actions.
    pub passed: usize,
    /// One line per failed check: `name:line: what went wrong`.
    pub failures: Vec<String>,
    /// One line per check the harness cannot run: `name:line: unsupported: why`.
    pub unsupported: Vec<String>,
    pub timings: Timings,
}

/// Where the time of a script went.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Parsing, validation, resolution and Cranelift compilation.
    pub compile: Duration,
    /// Object emission and the system linker.
    pub link: Duration,
    /// Running the harness executable.
    pub run: Duration,
}

impl std::ops::AddAssign for Timings {
    fn add_assign(&mut self, o: Timings) {
        self.compile += o.compile;
        self.link += o.link;
        self.run += o.run;
    }
}

/// The features a script in `folder` is validated with: the spec version's
/// own set for `wasm-v1`/`wasm-v2`, Wasm 2.0 plus the proposal for
/// `proposals/NAME`, and everything wasmlink supports otherwise.
pub fn features_for_folder(folder: &str) -> WasmFeatures {
    let mut parts = folder.rsplit(['/', '\\']);
    let last = parts.next().unwrap_or_default();
    let parent = parts.next().unwrap_or_default();
    match (parent, last) {
        (_, "wasm-v1") => WasmFeatures::WASM1,
        (_, "wasm-v2") => WasmFeatures::WASM2,
        // Wasm 3.0 is everything wasmlink validates (its GC scripts fail
        // when a module defines GC types or runs GC operators), and so is
        // the exception-handling proposal (written on top of Wasm 3.0).
        (_, "wasm-v3") | ("proposals", "exceptions") => supported_features(),
        ("proposals", "multi-memory") => WasmFeatures::WASM2 | WasmFeatures::MULTI_MEMORY,
        ("proposals", "extended-const") => WasmFeatures::WASM2 | WasmFeatures::EXTENDED_CONST,
        ("proposals", "tail-call") => WasmFeatures::WASM2 | WasmFeatures::TAIL_CALL,
        ("proposals", "memory64") => WasmFeatures::WASM2 | WasmFeatures::MEMORY64,
        // Written on top of Wasm 1.0 (one table).
        ("proposals", "threads") => WasmFeatures::WASM1 | WasmFeatures::THREADS,
        ("proposals", "relaxed-simd") => WasmFeatures::WASM2 | WasmFeatures::RELAXED_SIMD,
        // Its scripts use tail calls (`return_call_ref`) as the proposal
        // was written on top of them.
        ("proposals", "function-references") => {
            WasmFeatures::WASM2 | WasmFeatures::FUNCTION_REFERENCES | WasmFeatures::TAIL_CALL
        }
        _ => supported_features(),
    }
}

/// Run one script given its text, validating modules with `features`.
pub fn run_script(name: &str, text: &str, features: WasmFeatures) -> ScriptReport {
    let mut report = ScriptReport {
        name: name.to_string(),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let plan = match plan::plan_script(name, text, features) {
        Ok(plan) => plan,
        Err(message) => {
            report.failures.push(format!("{name}: {message}"));
            return report;
        }
    };
    report.passed += plan.static_passed;
    report.failures.extend(plan.static_failures.iter().cloned());
    report.timings.compile = started.elapsed();
    exec::execute(name, &plan, &mut report);
    report
}
