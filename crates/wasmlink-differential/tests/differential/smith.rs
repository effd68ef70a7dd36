//! How differential modules are generated, shared by the in-suite test
//! (`tests/differential.rs`) and the `differential` fuzz target
//! (`fuzz/fuzz_targets/differential.rs`, which includes this file with
//! `#[path]`), so a module either finds can be replayed by the other. Uses
//! only `arbitrary`, `wasm-smith` and `wasmlink-module`.

use arbitrary::Unstructured;
use wasmlink_module::wasmparser::WasmFeatures;

/// The features generated modules use and are validated with.
pub const FEATURES: WasmFeatures = WasmFeatures::WASM2.union(WasmFeatures::THREADS);

/// Fuel each instance starts with (wasm-smith's `ensure_termination`
/// decrements it per call and loop iteration and traps at zero).
pub const FUEL: u32 = 2000;

/// The generator configuration: Wasm 2.0 plus threads (atomics, shared
/// memories; nothing spawns) (SIMD yes, relaxed SIMD no: V8 picks its
/// results by hardware), no
/// imports, everything exported, small memories and tables, NaNs
/// canonicalized so results are deterministic. `disallow_traps` makes
/// wasm-smith avoid traps, so more code runs to the end and returns values.
pub fn config(disallow_traps: bool) -> wasm_smith::Config {
    wasm_smith::Config {
        max_imports: 0,
        min_funcs: 4,
        max_funcs: 16,
        max_instructions: 80,
        max_exports: 30,
        export_everything: true,
        max_memories: 1,
        max_tables: 2,
        max_memory32_bytes: 16 * 65536,
        max_table_elements: 1000,
        max_data_segments: 8,
        max_element_segments: 8,
        max_elements: 20,
        max_globals: 10,
        max_types: 20,
        canonicalize_nans: true,
        disallow_traps,
        simd_enabled: true,
        relaxed_simd_enabled: false,
        exceptions_enabled: false,
        gc_enabled: false,
        threads_enabled: true,
        memory64_enabled: false,
        tail_call_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        custom_page_sizes_enabled: false,
        compact_imports_enabled: false,
        ..Default::default()
    }
}

/// A fuelled module from `data`, or `None` when the data runs out.
pub fn generate(data: &[u8], disallow_traps: bool) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    let mut module = wasm_smith::Module::new(config(disallow_traps), &mut u).ok()?;
    module.ensure_termination(FUEL).ok()?;
    Some(module.to_bytes())
}

/// Modules that would only hit a bug already pinned by a regression script
/// (listed in `tests/wast/known-failures.txt`) are not compared, so the
/// runs keep finding new bugs: return the script's name for such a module.
/// Remove an entry when its bug is fixed. None today (`many-results.wast`,
/// functions with 9 or more results, was the first and is fixed).
pub fn known_bug(_wasm: &[u8]) -> Option<&'static str> {
    None
}
