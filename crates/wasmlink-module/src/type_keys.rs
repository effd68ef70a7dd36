//! Type identity across modules: a key per function type such that two
//! types (of any modules) get the same key exactly when the spec's type
//! equivalence makes them equal. Import matching, tag matching and the
//! signature ids `call_indirect` compares all use these keys.
//!
//! A type in a singleton recursion group is keyed by its structure, with
//! every typed reference `(ref $t)` replaced by `$t`'s key. Types of a
//! larger group (or one naming itself) are equal only when their whole
//! groups are equal and they sit at the same position, so their key is the
//! group's structure — references inside the group written as `#k` — plus
//! the position. Declared-open (`sub`) types differ from final ones.

use wasmparser::{FuncType, HeapType, ValType};

/// One recursion group of a module's type section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecGroup {
    /// Index of its first type.
    pub start: u32,
    pub len: u32,
}

/// The structural key of a function type that names no other type (what
/// the runtime's own functions have).
pub fn canonical_func_type(ty: &FuncType) -> String {
    let mut out = String::new();
    write_func(ty, &mut out, &|_| None);
    out
}

/// The key of every type of a module, by type index. `open[i]` says type
/// `i` was declared non-final.
pub fn type_keys(types: &[FuncType], groups: &[RecGroup], open: &[bool]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(types.len());
    for g in groups {
        let range = g.start as usize..(g.start + g.len) as usize;
        let names_itself = types[range.clone()].iter().any(|t| {
            t.params()
                .iter()
                .chain(t.results())
                .any(|v| refers_to(*v, &range))
        });
        let member = |i: usize, keys: &[String], out: &mut String| {
            if open[i] {
                out.push_str("sub ");
            }
            write_func(&types[i], out, &|t: u32| {
                let t = t as usize;
                if range.contains(&t) {
                    Some(format!("#{}", t - range.start))
                } else {
                    keys.get(t).cloned()
                }
            });
        };
        if g.len == 1 && !names_itself {
            let mut out = String::new();
            member(range.start, &keys, &mut out);
            keys.push(out);
            continue;
        }
        let mut group = String::from("rec{");
        for i in range.clone() {
            member(i, &keys, &mut group);
            group.push(';');
        }
        group.push('}');
        for k in 0..g.len {
            keys.push(format!("{group}.{k}"));
        }
    }
    keys
}

fn refers_to(v: ValType, range: &std::ops::Range<usize>) -> bool {
    match v {
        ValType::Ref(r) => match r.heap_type() {
            HeapType::Concrete(i) => i
                .as_module_index()
                .is_some_and(|i| range.contains(&(i as usize))),
            _ => false,
        },
        _ => false,
    }
}

/// Write `ty`, naming each concrete type through `name`.
fn write_func(ty: &FuncType, out: &mut String, name: &dyn Fn(u32) -> Option<String>) {
    out.push('(');
    for (i, p) in ty.params().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_val(*p, out, name);
    }
    out.push_str(")->(");
    for (i, r) in ty.results().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_val(*r, out, name);
    }
    out.push(')');
}

fn write_val(v: ValType, out: &mut String, name: &dyn Fn(u32) -> Option<String>) {
    use std::fmt::Write as _;
    let ValType::Ref(r) = v else {
        let _ = write!(out, "{v}");
        return;
    };
    let concrete = match r.heap_type() {
        HeapType::Concrete(i) => i.as_module_index().and_then(name),
        _ => None,
    };
    match concrete {
        Some(key) => {
            out.push_str(if r.is_nullable() {
                "(ref null "
            } else {
                "(ref "
            });
            out.push_str(&key);
            out.push(')');
        }
        None => {
            let _ = write!(out, "{r}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_module, parse_wat_or_wasm};

    fn keys(wat: &str) -> Vec<String> {
        parse_module(parse_wat_or_wasm(wat.as_bytes()).unwrap())
            .unwrap()
            .type_keys
    }

    #[test]
    fn singletons_are_structural_and_groups_positional() {
        let k = keys(
            "(module (type (func)) (rec (type (func)) (type (func))) (type (func (param i32))))",
        );
        assert_eq!(k[0], canonical_func_type(&FuncType::new([], [])));
        assert_ne!(k[1], k[0]);
        assert_ne!(k[1], k[2]);
        let other = keys("(module (rec (type (func)) (type (func))))");
        assert_eq!(other[1], k[2]);
        assert_eq!(k[3], "(i32)->()");
    }

    #[test]
    fn references_use_the_named_types_key() {
        let a = keys("(module (type $f (func)) (type (func (param (ref $f)))))");
        let b = keys("(module (type (func (param i64))) (type $f (func)) (type (func (param (ref null $f)) (result (ref $f)))))");
        assert_eq!(a[1], "((ref ()->()))->()");
        assert_eq!(b[2], "((ref null ()->()))->((ref ()->()))");
    }
}
