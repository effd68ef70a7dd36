//! Adapters that run: a caller and a callee core module (WAT, each with its
//! own memory and `cabi_realloc`), the adapters generated between them, all
//! built into one executable by the real wasmlink pipeline and run. The
//! callee prints what it received, the caller what came back; the expected
//! text comes from `value.rs`, a separate transcription of the canonical
//! ABI.

mod harness;
mod large;
mod modules;
mod printer;
mod reentrance;
mod traps;
mod value;

use harness::check_case;
use modules::{Case, Func};
use value::{sample, Value};

const TEXTS: [&str; 10] = [
    "",
    "plain ASCII",
    "héllo wörld",
    "ÿþý Latin-1 only",
    "日本語のテキスト",
    "emoji 😀 and 𝄞 (surrogate pairs)",
    "mixed ÿ and Ā",
    "Ā",
    "é",
    "a longer ASCII text that goes past the eight-byte fast path of the validator",
];
use wasmlink_adapter::{Case as VCase, Field, FuncType, StringEncoding, ValType};

use StringEncoding::{Latin1Utf16, Utf16, Utf8};

fn labels(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("l{i}")).collect()
}

/// A function `name(p0: T) -> T` called with a sample value and returning
/// another.
fn echo(name: &str, ty: ValType, seed: u64) -> Func {
    Func {
        name: name.into(),
        ty: FuncType {
            params: vec![("p0".into(), ty.clone())],
            result: Some(ty.clone()),
        },
        args: vec![sample(&ty, seed)],
        result: Some(sample(&ty, seed + 1000)),
    }
}

fn named_record() -> ValType {
    ValType::Record(vec![
        Field {
            name: "name".into(),
            ty: ValType::String,
        },
        Field {
            name: "data".into(),
            ty: ValType::option(ValType::list(ValType::U8)),
        },
    ])
}

fn shapes_variant() -> ValType {
    ValType::Variant(vec![
        VCase {
            name: "a".into(),
            ty: Some(ValType::F32),
        },
        VCase {
            name: "b".into(),
            ty: Some(ValType::U64),
        },
        VCase {
            name: "c".into(),
            ty: Some(ValType::Tuple(vec![ValType::String, ValType::F32])),
        },
        VCase {
            name: "d".into(),
            ty: None,
        },
        VCase {
            name: "e".into(),
            ty: Some(ValType::F64),
        },
    ])
}

/// One of every type.
fn scalar_and_compound_types() -> Vec<ValType> {
    use ValType::*;
    vec![
        Bool,
        S8,
        U8,
        S16,
        U16,
        S32,
        U32,
        S64,
        U64,
        F32,
        F64,
        Char,
        String,
        ValType::list(U8),
        ValType::list(String),
        named_record(),
        Tuple(vec![U8, F64, String, Bool]),
        shapes_variant(),
        Enum(labels(3)),
        Enum(labels(300)),
        ValType::option(ValType::option(F64)),
        ValType::result(Some(String), Some(Enum(labels(2)))),
        ValType::result(None, None),
        ValType::result(Some(U32), None),
        Flags(labels(5)),
        Flags(labels(12)),
        Flags(labels(32)),
        Flags(labels(70)),
    ]
}

fn case(funcs: Vec<Func>, from: StringEncoding, to: StringEncoding) -> Case {
    Case {
        funcs,
        caller_enc: from,
        callee_enc: to,
        log_reallocs: true,
    }
}

#[test]
fn every_type_passes_and_returns() {
    let funcs = scalar_and_compound_types()
        .into_iter()
        .enumerate()
        .flat_map(|(i, ty)| {
            // Two calls per type with different values.
            [
                echo(&format!("f{i}a"), ty.clone(), i as u64 * 3),
                echo(&format!("f{i}b"), ty, i as u64 * 3 + 1),
            ]
        })
        .collect();
    check_case(&case(funcs, Utf8, Utf8));
}

fn string_value(s: &str, forced_utf16: bool) -> Value {
    Value::Str(s.to_string(), forced_utf16)
}

fn func(
    name: &str,
    params: Vec<ValType>,
    result: Option<ValType>,
    args: Vec<Value>,
    ret: Option<Value>,
) -> Func {
    Func {
        name: name.into(),
        ty: FuncType {
            params: params
                .into_iter()
                .enumerate()
                .map(|(i, t)| (format!("p{i}"), t))
                .collect(),
            result,
        },
        args,
        result: ret,
    }
}

/// Strings in every position, through one pair of encodings: each text
/// as a parameter and as a result (also stored as UTF-16 by a
/// `latin1+utf16` producer that could have used Latin-1), in lists, in
/// records, in variant payloads, and as spilled parameters.
fn strings_between(from: StringEncoding, to: StringEncoding) {
    let mut funcs = Vec::new();
    for (i, text) in TEXTS.iter().enumerate() {
        let back = TEXTS[(i + 3) % TEXTS.len()];
        funcs.push(func(
            &format!("text{i}"),
            vec![ValType::String],
            Some(ValType::String),
            vec![string_value(text, false)],
            Some(string_value(back, false)),
        ));
        funcs.push(func(
            &format!("forced{i}"),
            vec![ValType::String],
            Some(ValType::String),
            vec![string_value(text, true)],
            Some(string_value(back, true)),
        ));
    }
    let all: Vec<Value> = TEXTS.iter().map(|t| string_value(t, false)).collect();
    funcs.push(func(
        "list",
        vec![ValType::list(ValType::String)],
        Some(ValType::list(ValType::String)),
        vec![Value::List(all.clone())],
        Some(Value::List(all.iter().rev().cloned().collect())),
    ));
    let rec = |name: &str, data: Option<Vec<u8>>| {
        Value::Fields(vec![
            string_value(name, false),
            match data {
                None => Value::Case(0, None),
                Some(d) => Value::Case(
                    1,
                    Some(Box::new(Value::List(
                        d.into_iter().map(|b| Value::Int(b as i128)).collect(),
                    ))),
                ),
            },
        ])
    };
    funcs.push(func(
        "records",
        vec![ValType::list(named_record())],
        Some(ValType::list(named_record())),
        vec![Value::List(vec![
            rec(TEXTS[2], Some(vec![1, 2, 3])),
            rec(TEXTS[0], None),
            rec(TEXTS[5], Some(vec![])),
        ])],
        Some(Value::List(vec![
            rec(TEXTS[4], Some(vec![255])),
            rec(TEXTS[6], None),
        ])),
    ));
    funcs.push(func(
        "variant",
        vec![shapes_variant(), shapes_variant()],
        Some(shapes_variant()),
        vec![
            Value::Case(
                2,
                Some(Box::new(Value::Fields(vec![
                    string_value(TEXTS[4], false),
                    Value::F32(1.5f32.to_bits()),
                ]))),
            ),
            Value::Case(0, Some(Box::new(Value::F32((-2.25f32).to_bits())))),
        ],
        Some(Value::Case(
            2,
            Some(Box::new(Value::Fields(vec![
                string_value(TEXTS[6], true),
                Value::F32(0),
            ]))),
        )),
    ));
    let result_ty = ValType::result(Some(ValType::String), Some(ValType::Enum(labels(4))));
    funcs.push(func(
        "result",
        vec![result_ty.clone(), result_ty.clone()],
        Some(result_ty.clone()),
        vec![
            Value::Case(0, Some(Box::new(string_value(TEXTS[3], false)))),
            Value::Case(1, Some(Box::new(Value::Case(3, None)))),
        ],
        Some(Value::Case(
            0,
            Some(Box::new(string_value(TEXTS[5], false))),
        )),
    ));
    // Nine strings are eighteen flat values: the parameters go through
    // memory on both sides.
    funcs.push(func(
        "spilled",
        vec![ValType::String; 9],
        Some(ValType::Tuple(vec![
            ValType::String,
            ValType::Char,
            ValType::String,
        ])),
        TEXTS[..9].iter().map(|t| string_value(t, false)).collect(),
        Some(Value::Fields(vec![
            string_value(TEXTS[7], false),
            Value::Char('😀'),
            string_value(TEXTS[8], false),
        ])),
    ));
    check_case(&case(funcs, from, to));
}

#[test]
fn strings_utf8_to_utf8() {
    strings_between(Utf8, Utf8);
}

#[test]
fn strings_utf8_to_utf16() {
    strings_between(Utf8, Utf16);
}

#[test]
fn strings_utf8_to_latin1_utf16() {
    strings_between(Utf8, Latin1Utf16);
}

#[test]
fn strings_utf16_to_utf8() {
    strings_between(Utf16, Utf8);
}

#[test]
fn strings_utf16_to_utf16() {
    strings_between(Utf16, Utf16);
}

#[test]
fn strings_utf16_to_latin1_utf16() {
    strings_between(Utf16, Latin1Utf16);
}

#[test]
fn strings_latin1_utf16_to_utf8() {
    strings_between(Latin1Utf16, Utf8);
}

#[test]
fn strings_latin1_utf16_to_utf16() {
    strings_between(Latin1Utf16, Utf16);
}

#[test]
fn strings_latin1_utf16_to_latin1_utf16() {
    strings_between(Latin1Utf16, Latin1Utf16);
}
