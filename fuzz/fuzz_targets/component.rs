//! Fuzz target `component`: components through the component loader, the
//! manifest-less resolver and, when they resolve, the compiler; and
//! component-shaped manifests through the parser, the resolver and the
//! compiler. Never a panic or a hang, and every error names its source,
//! instance or entry. The first byte chooses what the rest is: a binary
//! component, component text, the entropy for a wasm-smith component, or
//! the entropy for the component-manifest generator. The checks and the
//! generators are the in-suite test's (`crates/wasmlink/tests/bad_input/`,
//! `component.rs` and `gen.rs`, included here), which runs them on a few
//! thousand fixed inputs.
//!
//! Inputs are written to a scratch directory under the system's temporary
//! directory (the resolver reads files); manifests are generated with
//! inline sources only, so they read nothing.
//!
//! Seed it with real components, e.g. `mkdir -p corpus/component && for f
//! in ../tests/components/*/*.component.wasm; do (printf '\0'; cat $f) >
//! corpus/component/$(basename $f); done`, then
//! `cargo +nightly fuzz run component -- -timeout=20`.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

#[path = "../../crates/wasmlink/tests/bad_input/gen.rs"]
mod gen;

#[path = "../../crates/wasmlink/tests/bad_input/component.rs"]
mod component;

/// One scratch directory per fuzzing process.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "wasmlink-fuzz-component-{}",
            std::process::id()
        ));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("cannot create {}: {e}", dir.display());
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&form, rest)) = data.split_first() else {
        return;
    };
    let checked = match form % 4 {
        0 => component::check_component(rest, scratch(), "input.wasm").map(drop),
        1 => component::check_component(rest, scratch(), "input.wat").map(drop),
        2 => match component::smith_component(&mut Unstructured::new(rest)) {
            Ok(bytes) => component::check_component(&bytes, scratch(), "input.wasm").map(drop),
            Err(_) => Ok(()),
        },
        _ => match component::component_manifest(&mut Unstructured::new(rest)) {
            Ok(text) => component::check_component_manifest(&text).map(drop),
            Err(_) => Ok(()),
        },
    };
    if let Err(e) = checked {
        panic!("{e}");
    }
});
