//! What belongs to Wasm GC. Validation accepts Wasm 3.0 (GC included);
//! wasmlink has no collector, so a GC type definition is refused when a
//! module is described and a GC operator when it is translated. This is
//! the one list of those operators.

use wasmparser::Operator;

/// Whether `op` is a Wasm GC operator (struct, array and `i31` operators,
/// `ref.eq`, casts and tests, the `any`/`extern` conversions).
pub fn is_gc_operator(op: &Operator<'_>) -> bool {
    let name = format!("{op:?}");
    [
        "Struct",
        "Array",
        "RefI31",
        "I31Get",
        "RefEq",
        "RefTest",
        "RefCast",
        "BrOnCast",
        "AnyConvertExtern",
        "ExternConvertAny",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}
