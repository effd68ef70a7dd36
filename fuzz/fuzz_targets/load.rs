//! Fuzz target `load`: any bytes given to the load stage (as text or
//! binary, validated with the Wasm 1.0, Wasm 2.0 and full wasmlink feature
//! sets) give `Ok` or `Err`, never a panic or a hang, and a module that
//! loads is self-consistent. The checks are shared with the in-suite test
//! `crates/wasmlink/tests/bad_input/` (`gen.rs`, included here), which
//! runs them on a few thousand fixed inputs.
//!
//! Seed it with real modules for a head start, e.g.
//! `mkdir -p corpus/load && cp ../examples/*/*.wasm corpus/load/`, then
//! `cargo +nightly fuzz run load -- -timeout=10`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/wasmlink/tests/bad_input/gen.rs"]
mod gen;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = gen::check_load(data) {
        panic!("inconsistent module: {e}");
    }
});
