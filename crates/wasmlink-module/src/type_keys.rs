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

use crate::info::{TypeDef, TypeKind};
use wasmparser::{FieldType, FuncType, HeapType, StorageType, ValType};

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

/// The key of every type of a module, by type index: `types` are the
/// function signatures and `defs` what each type is (see
/// [`ModuleInfo::types`](crate::ModuleInfo::types)).
pub fn type_keys(types: &[FuncType], defs: &[TypeDef], groups: &[RecGroup]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(types.len());
    for g in groups {
        let range = g.start as usize..(g.start + g.len) as usize;
        let names_itself = range.clone().any(|i| {
            defs[i]
                .supertype
                .is_some_and(|s| range.contains(&(s as usize)))
                || referenced_types(&types[i], &defs[i].kind).any(|t| range.contains(&(t as usize)))
        });
        let member = |i: usize, keys: &[String], out: &mut String| {
            let name = |t: u32| {
                let t = t as usize;
                if range.contains(&t) {
                    Some(format!("#{}", t - range.start))
                } else {
                    keys.get(t).cloned()
                }
            };
            write_def(&types[i], &defs[i], out, &name);
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

/// The type indices a definition's structure names.
fn referenced_types<'a>(ty: &'a FuncType, kind: &'a TypeKind) -> impl Iterator<Item = u32> + 'a {
    let values: Box<dyn Iterator<Item = ValType> + 'a> = match kind {
        TypeKind::Func => Box::new(ty.params().iter().chain(ty.results()).copied()),
        TypeKind::Struct(fields) => {
            Box::new(fields.iter().filter_map(|f| storage_val(f.element_type)))
        }
        TypeKind::Array(field) => Box::new(storage_val(field.element_type).into_iter()),
    };
    values.filter_map(|v| match v {
        ValType::Ref(r) => match r.heap_type() {
            HeapType::Concrete(i) => i.as_module_index(),
            _ => None,
        },
        _ => None,
    })
}

fn storage_val(s: StorageType) -> Option<ValType> {
    match s {
        StorageType::Val(v) => Some(v),
        _ => None,
    }
}

/// Write one definition: `sub ` when it is open, `<SUPER> ` for its
/// declared supertype, then its structure (a function type as it always
/// was, so keys of plain function types do not change).
fn write_def(ty: &FuncType, def: &TypeDef, out: &mut String, name: &dyn Fn(u32) -> Option<String>) {
    if !def.is_final {
        out.push_str("sub ");
    }
    if let Some(s) = def.supertype {
        out.push('<');
        out.push_str(&name(s).unwrap_or_else(|| format!("?{s}")));
        out.push_str("> ");
    }
    match &def.kind {
        TypeKind::Func => write_func(ty, out, name),
        TypeKind::Struct(fields) => {
            out.push_str("struct{");
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_field(f, out, name);
            }
            out.push('}');
        }
        TypeKind::Array(f) => {
            out.push_str("array[");
            write_field(f, out, name);
            out.push(']');
        }
    }
}

fn write_field(f: &FieldType, out: &mut String, name: &dyn Fn(u32) -> Option<String>) {
    if f.mutable {
        out.push_str("mut ");
    }
    match f.element_type {
        StorageType::I8 => out.push_str("i8"),
        StorageType::I16 => out.push_str("i16"),
        StorageType::Val(v) => write_val(v, out, name),
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

    /// The type keys of the module `wat`.
    pub(super) fn keys(wat: &str) -> Vec<String> {
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

#[cfg(test)]
mod gc_tests {
    use super::tests::keys;

    #[test]
    fn struct_and_array_types_are_keyed_by_structure_and_hierarchy() {
        let a = keys(
            "(module (type $p (sub (struct (field i32)))) (type (sub final $p (struct (field i32) (field (mut i8))))) (type (array (mut (ref null $p)))))",
        );
        assert_eq!(a[0], "sub struct{i32}");
        assert_eq!(a[1], "<sub struct{i32}> struct{i32,mut i8}");
        assert_eq!(a[2], "array[mut (ref null sub struct{i32})]");
        // The same type written in another module has the same key; a
        // final one, or one without the supertype, does not.
        let b = keys("(module (type (array i8)) (type $q (sub (struct (field i32)))))");
        assert_eq!(b[1], a[0]);
        assert_ne!(keys("(module (type (struct (field i32))))")[0], a[0]);
        assert_ne!(b[0], keys("(module (type (array i16)))")[0]);
        // Function keys are unchanged.
        assert_eq!(keys("(module (type (func (param i32))))")[0], "(i32)->()");
    }

    #[test]
    fn recursive_groups_are_positional() {
        let a = keys("(module (rec (type $l (struct (field (ref null $l))))))");
        assert_eq!(a[0], "rec{struct{(ref null #0)};}.0");
        let b = keys("(module (type (func)) (rec (type $m (struct (field (ref null $m))))))");
        assert_eq!(b[1], a[0]);
    }
}
