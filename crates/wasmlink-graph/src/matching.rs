//! The spec's import-matching rules (external-type subtyping, without GC
//! subtyping): does a definition of type `actual` satisfy an import of type
//! `expected`?

use wasmlink_module::wasmparser::{
    AbstractHeapType, GlobalType, HeapType, MemoryType, TableType, ValType,
};
use wasmlink_module::ExternType;

/// Why an extern type does not match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// Different kinds, or function signatures that differ (the two types
    /// shown side by side say it all).
    Plain,
    /// Same kind, but something specific differs.
    Because(String),
}

/// Check that a definition of type `actual` can be imported as `expected`.
pub fn match_extern(expected: &ExternType, actual: &ExternType) -> Result<(), Mismatch> {
    match (expected, actual) {
        // Functions and tags: the signatures must be equal.
        (ExternType::Func(e), ExternType::Func(a)) | (ExternType::Tag(e), ExternType::Tag(a)) => {
            if e == a {
                Ok(())
            } else {
                Err(Mismatch::Plain)
            }
        }
        (ExternType::Table(e), ExternType::Table(a)) => match_table(e, a),
        (ExternType::Memory(e), ExternType::Memory(a)) => match_memory(e, a),
        (ExternType::Global(e), ExternType::Global(a)) => match_global(e, a),
        _ => Err(Mismatch::Plain),
    }
}

/// [`match_extern`] for functions and tags with their type keys
/// (`ModuleInfo::import_key` for the import, `ModuleInfo::item_keys` for
/// the definition): signatures with typed references or from recursion
/// groups compare by type identity, not by the indices they are written
/// with, and a function of a declared subtype of the import's type
/// matches (Wasm GC).
pub fn match_extern_in(
    expected: &ExternType,
    expected_key: Option<&str>,
    actual: &ExternType,
    actual_keys: &[&str],
) -> Result<(), Mismatch> {
    let same_kind = matches!(
        (expected, actual),
        (ExternType::Func(_), ExternType::Func(_)) | (ExternType::Tag(_), ExternType::Tag(_))
    );
    if let (true, Some(e), false) = (same_kind, expected_key, actual_keys.is_empty()) {
        return if actual_keys.contains(&e) {
            Ok(())
        } else {
            Err(Mismatch::Plain)
        };
    }
    match_extern(expected, actual)
}

fn because(s: String) -> Result<(), Mismatch> {
    Err(Mismatch::Because(s))
}

/// Limits subtyping: `[amin, amax]` matches `[emin, emax]` when
/// `amin >= emin` and, if `emax` is given, `amax` is given and `amax <= emax`.
pub fn match_limits(
    expected_min: u64,
    expected_max: Option<u64>,
    actual_min: u64,
    actual_max: Option<u64>,
    unit: &str,
) -> Result<(), Mismatch> {
    // "1 page", "2 pages": `unit` is given in the plural.
    let count = |n: u64| {
        let singular = unit.strip_suffix('s').unwrap_or(unit);
        format!("{n} {}", if n == 1 { singular } else { unit })
    };
    if actual_min < expected_min {
        return because(format!(
            "its minimum of {} is below the required minimum of {expected_min}",
            count(actual_min)
        ));
    }
    if let Some(emax) = expected_max {
        match actual_max {
            None => {
                return because(format!(
                    "it has no maximum, but the import requires a maximum of at most {}",
                    count(emax)
                ))
            }
            Some(amax) if amax > emax => {
                return because(format!(
                    "its maximum of {} is above the required maximum of {emax}",
                    count(amax)
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn index_type(is64: bool) -> &'static str {
    if is64 {
        "i64"
    } else {
        "i32"
    }
}

fn match_table(e: &TableType, a: &TableType) -> Result<(), Mismatch> {
    if e.element_type != a.element_type {
        return because(format!(
            "its element type is {}, not {}",
            a.element_type, e.element_type
        ));
    }
    if e.table64 != a.table64 {
        return because(format!(
            "its index type is {}, not {}",
            index_type(a.table64),
            index_type(e.table64)
        ));
    }
    if e.shared != a.shared {
        return because(shared_text(a.shared));
    }
    match_limits(e.initial, e.maximum, a.initial, a.maximum, "elements")
}

fn match_memory(e: &MemoryType, a: &MemoryType) -> Result<(), Mismatch> {
    if e.memory64 != a.memory64 {
        return because(format!(
            "its index type is {}, not {}",
            index_type(a.memory64),
            index_type(e.memory64)
        ));
    }
    if e.shared != a.shared {
        return because(shared_text(a.shared));
    }
    if e.page_size_log2 != a.page_size_log2 {
        return because("its page size differs".into());
    }
    match_limits(e.initial, e.maximum, a.initial, a.maximum, "pages")
}

fn shared_text(actual_shared: bool) -> String {
    if actual_shared {
        "it is shared and the import is not".into()
    } else {
        "it is not shared and the import is".into()
    }
}

fn match_global(e: &GlobalType, a: &GlobalType) -> Result<(), Mismatch> {
    if e.mutable != a.mutable {
        return because(if a.mutable {
            "it is mutable and the import is immutable".into()
        } else {
            "it is immutable and the import is mutable".into()
        });
    }
    // An immutable global may be of a subtype: `(ref func)` satisfies a
    // `funcref` import (typed function references).
    let subtype = !e.mutable && val_subtype(a.content_type, e.content_type);
    if e.content_type != a.content_type && !subtype {
        return because(format!(
            "its value type is {}, not {}",
            a.content_type, e.content_type
        ));
    }
    if e.shared != a.shared {
        return because(shared_text(a.shared));
    }
    Ok(())
}

/// `a <: e` for value types without GC: equal, or references where a
/// non-null one matches a nullable one of the same heap type and any typed
/// function reference matches `func`.
fn val_subtype(a: ValType, e: ValType) -> bool {
    match (a, e) {
        (ValType::Ref(a), ValType::Ref(e)) => {
            let nullable = !a.is_nullable() || e.is_nullable();
            let func = HeapType::Abstract {
                shared: false,
                ty: AbstractHeapType::Func,
            };
            let heap = a.heap_type() == e.heap_type()
                || (matches!(a.heap_type(), HeapType::Concrete(_)) && e.heap_type() == func);
            nullable && heap
        }
        (a, e) => a == e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_rules() {
        assert_eq!(match_limits(1, None, 1, None, "pages"), Ok(()));
        assert_eq!(match_limits(1, None, 5, Some(6), "pages"), Ok(()));
        assert_eq!(match_limits(1, Some(6), 5, Some(6), "pages"), Ok(()));
        assert!(match_limits(2, None, 1, None, "pages").is_err());
        assert!(match_limits(1, Some(6), 1, None, "pages").is_err());
        assert!(match_limits(1, Some(6), 1, Some(7), "pages").is_err());
    }
}
