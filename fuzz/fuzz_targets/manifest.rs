//! Fuzz target `manifest`: any text given to the manifest parser (and, when
//! it parses, to the resolver) gives `Ok` or `Err`, never a panic or a
//! hang. The first byte chooses the input's form: odd means the rest is
//! the manifest text itself; even means the rest drives the
//! structure-aware generator of the in-suite test
//! `crates/wasmlink/tests/bad_input/` (`gen.rs`, included here),
//! whose manifests name each other's sources and exports and so get
//! through the parser into resolution. Nothing is written to disk; files a
//! manifest names are looked up in a directory that does not exist.
//!
//! `cargo +nightly fuzz run manifest -- -timeout=10`
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/wasmlink/tests/bad_input/gen.rs"]
mod gen;

fuzz_target!(|data: &[u8]| {
    let Some((&form, rest)) = data.split_first() else {
        return;
    };
    if form % 2 == 1 {
        gen::check_manifest(&String::from_utf8_lossy(rest));
    } else if let Ok(text) = gen::manifest(&mut Unstructured::new(rest)) {
        gen::check_manifest(&text);
    }
});
