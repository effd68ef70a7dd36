//! The load stage. It owns turning bytes (binary `.wasm` or text `.wat`) into a
//! validated [`ModuleInfo`]: the module's types, imports, exports, index spaces,
//! segments, constant expressions and the byte ranges of its function bodies.
//! Validation runs here, once, with the feature set wasmlink supports
//! ([`supported_features`]); later stages trust a `ModuleInfo` and never
//! re-validate, but they do re-read function bodies from [`ModuleInfo::bytes`]
//! when they translate code.

mod gc;
mod info;
mod parse;
pub mod text_error;
mod type_keys;

pub use gc::is_gc_operator;
pub use info::*;
pub use parse::{
    parse_module, parse_module_with, parse_wat_or_wasm, supported_features, LoadError,
};
pub use type_keys::{canonical_func_type, type_keys, RecGroup};

pub use wasmparser;
