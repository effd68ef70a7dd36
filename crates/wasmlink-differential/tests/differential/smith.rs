//! How differential modules are generated, shared by the in-suite test
//! (`tests/differential.rs`) and the `differential` fuzz target
//! (`fuzz/fuzz_targets/differential.rs`, which includes this file with
//! `#[path]`), so a module either finds can be replayed by the other. Uses
//! only `arbitrary`, `wasm-smith`, `wasmlink-module` and
//! `wasmlink-differential`.

use arbitrary::Unstructured;
use wasm_smith::{InstructionKind, InstructionKinds};
use wasmlink_module::wasmparser::WasmFeatures;

/// The features generated modules use and are validated with: Wasm 2.0,
/// threads, exception handling, tail calls, relaxed SIMD, typed function
/// references and Wasm GC.
pub const FEATURES: WasmFeatures = WasmFeatures::WASM2
    .union(WasmFeatures::THREADS)
    .union(WasmFeatures::EXCEPTIONS)
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::RELAXED_SIMD)
    .union(WasmFeatures::FUNCTION_REFERENCES)
    .union(WasmFeatures::GC);

/// Fuel each instance starts with (wasm-smith's `ensure_termination`
/// decrements it per call and loop iteration and traps at zero).
pub const FUEL: u32 = 2000;

/// What kind of module to generate.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// wasm-smith avoids traps, so more code runs to the end and returns
    /// values.
    pub disallow_traps: bool,
    /// Typed function references (`call_ref`, `return_call_ref`,
    /// `br_on_null`, concrete and non-nullable reference types). wasm-smith
    /// has them only together with GC, so these modules are generated with
    /// GC and then have their GC parts erased; the others have only
    /// `funcref`/`externref`/`exnref` and no erasure.
    pub function_references: bool,
    /// Wasm GC in full (with `function_references`): struct, array and
    /// `i31` instructions and casts, nothing erased.
    pub gc: bool,
}

/// The generator configuration: Wasm 2.0 (SIMD included), threads
/// (atomics, shared memories; nothing spawns), exception handling
/// (`try_table`, `throw`, `throw_ref`, `exnref`), tail calls, relaxed SIMD
/// (the reference runs wasmlink's deterministic choice for each relaxed
/// operator: `wasmlink_differential::relaxed`) and, for `function_references`,
/// GC (with its aggregate instructions only for `gc`); no imports, everything exported,
/// small memories and tables, NaNs canonicalized so results are
/// deterministic.
pub fn config(kind: Kind) -> wasm_smith::Config {
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
        max_tags: 4,
        canonicalize_nans: true,
        disallow_traps: kind.disallow_traps,
        simd_enabled: true,
        relaxed_simd_enabled: true,
        exceptions_enabled: true,
        gc_enabled: kind.function_references,
        threads_enabled: true,
        tail_call_enabled: true,
        memory64_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        custom_page_sizes_enabled: false,
        compact_imports_enabled: false,
        // Struct, array and i31 instructions only where GC is kept (they
        // would be erased again otherwise).
        allowed_instructions: if kind.gc {
            InstructionKinds::all()
        } else {
            InstructionKinds::new(&[
                InstructionKind::Numeric,
                InstructionKind::Vector,
                InstructionKind::Reference,
                InstructionKind::Parametric,
                InstructionKind::Variable,
                InstructionKind::Table,
                InstructionKind::Memory,
                InstructionKind::Control,
            ])
        },
        ..Default::default()
    }
}

/// A fuelled module from `data`, or `None` when the data runs out (or, for
/// `function_references`, when its GC parts cannot be erased).
pub fn generate(data: &[u8], kind: Kind) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    let mut module = wasm_smith::Module::new(config(kind), &mut u).ok()?;
    module.ensure_termination(FUEL).ok()?;
    let wasm = module.to_bytes();
    if !kind.function_references || kind.gc {
        return Some(wasm);
    }
    wasmlink_differential::erase_gc(&wasm, FEATURES)
        .unwrap_or_else(|e| panic!("{e} (generated module: {} bytes)", wasm.len()))
}

/// Modules that would only hit a bug already pinned by a regression script
/// (listed in `tests/wast/known-failures.txt`) are not compared, so the
/// runs keep finding new bugs: return the script's name for such a module.
/// Remove an entry when its bug is fixed. None today (`many-results.wast`,
/// functions with 9 or more results, was the first and is fixed).
pub fn known_bug(_wasm: &[u8]) -> Option<&'static str> {
    None
}
