//! Fuzz target `differential`: the fuzzer's bytes drive wasm-smith (same
//! configuration as the in-suite `tests/differential.rs`, shared through
//! `tests/differential/smith.rs`: Wasm 2.0, threads, exception handling,
//! tail calls, relaxed SIMD, optionally typed function references), and the
//! module is run through wasmlink and Node's WebAssembly with
//! `wasmlink_differential` (the reference gets the deterministic copy of
//! the relaxed SIMD operators). Any disagreement, or wasmlink rejecting or
//! failing to build a valid module, is a crash. Needs Node 24 or later as
//! the reference: `export WASMLINK_DIFF_NODE=$(.ci/reference-node.sh)`.
//! Slow per input (every input is compiled and linked into an executable),
//! so run it with a few jobs:
//! `cargo +nightly fuzz run differential -- -jobs=2 -workers=2`.
//!
//! The first input byte chooses the kind of module (bit 0: wasm-smith
//! avoids traps; bit 1: typed function references); the rest is its
//! entropy.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmlink_differential::{case_for, differential};

#[path = "../../crates/wasmlink-differential/tests/differential/smith.rs"]
mod smith;

/// Argument vectors per exported function.
const VECTORS: usize = 4;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let kind = smith::Kind {
        disallow_traps: flags & 1 == 1,
        function_references: flags & 2 == 2,
        gc: flags & 6 == 6,
    };
    let Some(wasm) = smith::generate(rest, kind) else {
        return;
    };
    if smith::known_bug(&wasm).is_some() {
        return;
    }
    let case = case_for(
        "fuzz input",
        wasm,
        smith::FEATURES,
        u64::from(flags),
        VECTORS,
    )
    .unwrap_or_else(|e| panic!("wasmlink rejected a valid module: {e}"));
    let report = differential(std::slice::from_ref(&case), smith::FEATURES)
        .unwrap_or_else(|e| panic!("reference engine failed: {e}"));
    assert!(
        report.mismatches.is_empty(),
        "wasmlink disagrees with the reference:\n{}",
        report.mismatches.join("\n")
    );
});
