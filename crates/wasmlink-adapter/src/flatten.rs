//! Flattening: how component values become core Wasm parameters and
//! results — the canonical ABI's "Flattening" section (`flatten_type`,
//! `flatten_functype`, the `join` of variant payloads), for 32-bit
//! memories and synchronous functions.

use crate::layout::{cases, flags_words, record_fields};
use crate::types::{FuncType, ValType};
use std::fmt;

/// The most core parameters a function passes directly; beyond this all
/// parameters go through memory.
pub const MAX_FLAT_PARAMS: usize = 16;
/// The most core results a function returns directly; beyond this the
/// results go through memory.
pub const MAX_FLAT_RESULTS: usize = 1;

/// A core Wasm value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoreType {
    I32,
    I64,
    F32,
    F64,
}

impl fmt::Display for CoreType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CoreType::I32 => "i32",
            CoreType::I64 => "i64",
            CoreType::F32 => "f32",
            CoreType::F64 => "f64",
        })
    }
}

/// The core types a value of `ty` flattens to.
pub fn flatten_type(ty: &ValType) -> Vec<CoreType> {
    let mut out = Vec::new();
    push_flat(ty, &mut out);
    out
}

/// The core types of a sequence of values (parameters, results).
pub fn flatten_types<'a>(types: impl IntoIterator<Item = &'a ValType>) -> Vec<CoreType> {
    let mut out = Vec::new();
    for t in types {
        push_flat(t, &mut out);
    }
    out
}

fn push_flat(ty: &ValType, out: &mut Vec<CoreType>) {
    match ty {
        ValType::Bool
        | ValType::S8
        | ValType::U8
        | ValType::S16
        | ValType::U16
        | ValType::S32
        | ValType::U32
        | ValType::Char
        | ValType::Own(_)
        | ValType::Borrow(_) => out.push(CoreType::I32),
        ValType::S64 | ValType::U64 => out.push(CoreType::I64),
        ValType::F32 => out.push(CoreType::F32),
        ValType::F64 => out.push(CoreType::F64),
        ValType::String | ValType::List(_) => out.extend([CoreType::I32, CoreType::I32]),
        ValType::Flags(labels) => out.extend(std::iter::repeat_n(
            CoreType::I32,
            flags_words(labels.len()) as usize,
        )),
        ValType::Record(_) | ValType::Tuple(_) => {
            for f in record_fields(ty) {
                push_flat(f, out);
            }
        }
        ValType::Variant(_) | ValType::Enum(_) | ValType::Option(_) | ValType::Result { .. } => {
            out.push(CoreType::I32);
            out.extend(variant_payload_flat(&cases(ty)));
        }
    }
}

/// The joined payload slots of a variant: slot `i` is the `join` of every
/// case's `i`-th flat type.
pub fn variant_payload_flat(cases: &[Option<&ValType>]) -> Vec<CoreType> {
    let mut flat: Vec<CoreType> = Vec::new();
    for case in cases.iter().flatten() {
        for (i, t) in flatten_type(case).into_iter().enumerate() {
            match flat.get_mut(i) {
                Some(slot) => *slot = join(*slot, t),
                None => flat.push(t),
            }
        }
    }
    flat
}

/// The tightest core type both `a` and `b` can be bit-cast into.
pub fn join(a: CoreType, b: CoreType) -> CoreType {
    match (a, b) {
        _ if a == b => a,
        (CoreType::I32, CoreType::F32) | (CoreType::F32, CoreType::I32) => CoreType::I32,
        _ => CoreType::I64,
    }
}

/// Which side of a call a core signature is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// `canon lift`: the signature of the core function a component exports.
    Lift,
    /// `canon lower`: the signature of the core function a component imports.
    Lower,
}

/// A component function's core signature, with how its values travel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreSignature {
    pub params: Vec<CoreType>,
    pub results: Vec<CoreType>,
    /// The parameters did not fit in [`MAX_FLAT_PARAMS`]: the only core
    /// parameter is a pointer to them, laid out as a tuple in memory.
    pub params_in_memory: bool,
    /// The results did not fit in [`MAX_FLAT_RESULTS`]: lifted, the core
    /// function returns a pointer to them; lowered, the caller passes a
    /// pointer (the last core parameter) where they are to be written.
    pub results_in_memory: bool,
}

/// `flatten_functype(opts, ft, context)` for a synchronous function with a
/// 32-bit memory.
pub fn flatten_func(ty: &FuncType, context: Context) -> CoreSignature {
    let mut params = flatten_types(ty.params.iter().map(|(_, t)| t));
    let mut results = flatten_types(ty.result.iter());
    let params_in_memory = params.len() > MAX_FLAT_PARAMS;
    if params_in_memory {
        params = vec![CoreType::I32];
    }
    let results_in_memory = results.len() > MAX_FLAT_RESULTS;
    if results_in_memory {
        match context {
            Context::Lift => results = vec![CoreType::I32],
            Context::Lower => {
                params.push(CoreType::I32);
                results = Vec::new();
            }
        }
    }
    CoreSignature {
        params,
        results,
        params_in_memory,
        results_in_memory,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Case;
    use CoreType::*;

    #[test]
    fn scalars_strings_lists() {
        assert_eq!(flatten_type(&ValType::Bool), [I32]);
        assert_eq!(flatten_type(&ValType::S64), [I64]);
        assert_eq!(flatten_type(&ValType::F32), [F32]);
        assert_eq!(flatten_type(&ValType::Char), [I32]);
        assert_eq!(flatten_type(&ValType::String), [I32, I32]);
        assert_eq!(flatten_type(&ValType::list(ValType::String)), [I32, I32]);
        assert_eq!(flatten_type(&ValType::Own(1)), [I32]);
    }

    #[test]
    fn records_concatenate() {
        let r = ValType::record_of([ValType::U8, ValType::F64, ValType::String]);
        assert_eq!(flatten_type(&r), [I32, F64, I32, I32]);
    }

    #[test]
    fn variants_join_their_payloads() {
        // The spec's join table.
        assert_eq!(join(I32, F32), I32);
        assert_eq!(join(F32, I32), I32);
        assert_eq!(join(I32, I64), I64);
        assert_eq!(join(F32, F64), I64);
        assert_eq!(join(F64, F64), F64);
        assert_eq!(join(I32, F64), I64);
        // variant { a(f32), b(u64), c(tuple<f32, f32>), d } →
        // i32 disc, join(f32, i64, f32) = i64, f32.
        let v = ValType::Variant(vec![
            Case {
                name: "a".into(),
                ty: Some(ValType::F32),
            },
            Case {
                name: "b".into(),
                ty: Some(ValType::U64),
            },
            Case {
                name: "c".into(),
                ty: Some(ValType::Tuple(vec![ValType::F32, ValType::F32])),
            },
            Case {
                name: "d".into(),
                ty: None,
            },
        ]);
        assert_eq!(flatten_type(&v), [I32, I64, F32]);
        assert_eq!(flatten_type(&ValType::option(ValType::F32)), [I32, F32]);
        assert_eq!(
            flatten_type(&ValType::result(Some(ValType::F32), Some(ValType::U32))),
            [I32, I32]
        );
        assert_eq!(flatten_type(&ValType::result(None, None)), [I32]);
        assert_eq!(flatten_type(&ValType::Enum(vec!["x".into()])), [I32]);
    }

    #[test]
    fn flags_take_one_i32_per_32_labels() {
        let flags = |n: usize| ValType::Flags((0..n).map(|i| format!("f{i}")).collect());
        assert_eq!(flatten_type(&flags(3)), [I32]);
        assert_eq!(flatten_type(&flags(32)), [I32]);
        assert_eq!(flatten_type(&flags(33)), [I32, I32]);
        assert_eq!(flatten_type(&flags(96)), [I32, I32, I32]);
    }

    #[test]
    fn function_signatures_spill_to_memory() {
        let f = |params: Vec<ValType>, result: Option<ValType>| FuncType {
            params: params.into_iter().map(|t| (String::new(), t)).collect(),
            result,
        };
        // 16 flat params stay flat; 17 become one pointer.
        let sixteen = f(vec![ValType::U32; 16], None);
        assert_eq!(flatten_func(&sixteen, Context::Lift).params.len(), 16);
        let seventeen = f(vec![ValType::U32; 17], None);
        let lifted = flatten_func(&seventeen, Context::Lift);
        assert_eq!(lifted.params, [I32]);
        assert!(lifted.params_in_memory);
        // One flat result is returned; two go through memory.
        let one = f(vec![], Some(ValType::U64));
        assert_eq!(flatten_func(&one, Context::Lower).results, [I64]);
        let two = f(vec![ValType::U8], Some(ValType::String));
        let lifted = flatten_func(&two, Context::Lift);
        assert_eq!(
            (lifted.params.clone(), lifted.results.clone()),
            (vec![I32], vec![I32])
        );
        let lowered = flatten_func(&two, Context::Lower);
        assert_eq!(
            (lowered.params.clone(), lowered.results.clone()),
            (vec![I32, I32], vec![])
        );
        assert!(lowered.results_in_memory);
        // A spilled parameter list and a return pointer together.
        let both = f(vec![ValType::String; 9], Some(ValType::String));
        let lowered = flatten_func(&both, Context::Lower);
        assert_eq!(lowered.params, [I32, I32]);
    }
}
