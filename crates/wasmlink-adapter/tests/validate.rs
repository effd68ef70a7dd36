//! Every generated adapter validates (multi-memory), for every kind of
//! type, nested, in both directions, through flat values and through
//! memory, for every pair of string encodings; and bad specifications are
//! errors, not panics.

use wasmlink_adapter::{
    generate, validate, AdapterError, AdapterSpec, CalleeOptions, CallerOptions, Case, Field,
    FuncType, ImportRole, StringEncoding, ValType,
};

fn labels(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("l{i}")).collect()
}

/// One of each kind, and the nested shapes the tests care about.
fn catalog() -> Vec<ValType> {
    use ValType::*;
    let rec = Record(vec![
        Field {
            name: "name".into(),
            ty: String,
        },
        Field {
            name: "data".into(),
            ty: ValType::option(ValType::list(U8)),
        },
    ]);
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
        ValType::list(rec.clone()),
        rec,
        Tuple(vec![U8, F64, String]),
        Variant(vec![
            Case {
                name: "a".into(),
                ty: Some(F32),
            },
            Case {
                name: "b".into(),
                ty: Some(U64),
            },
            Case {
                name: "c".into(),
                ty: Some(Tuple(vec![String, F32])),
            },
            Case {
                name: "d".into(),
                ty: None,
            },
        ]),
        Enum(labels(3)),
        Enum(labels(300)),
        ValType::option(ValType::option(F64)),
        ValType::result(Some(String), Some(Enum(labels(2)))),
        ValType::result(None, None),
        Flags(labels(5)),
        Flags(labels(32)),
        Flags(labels(70)),
        Own(1),
        ValType::list(Own(1)),
    ]
}

fn spec(
    params: Vec<ValType>,
    result: Option<ValType>,
    from: StringEncoding,
    to: StringEncoding,
) -> AdapterSpec {
    AdapterSpec::new(
        FuncType {
            params: params
                .into_iter()
                .enumerate()
                .map(|(i, t)| (format!("p{i}"), t))
                .collect(),
            result,
        },
        CallerOptions {
            string_encoding: from,
            instance: Some(0),
        },
        CalleeOptions {
            string_encoding: to,
            instance: 1,
            post_return: true,
        },
    )
}

const ENCODINGS: [StringEncoding; 3] = [
    StringEncoding::Utf8,
    StringEncoding::Utf16,
    StringEncoding::Latin1Utf16,
];

#[test]
fn every_type_both_ways_flat_and_in_memory() {
    for ty in catalog() {
        let shapes = [
            // Flat parameter, flat or spilled result.
            spec(
                vec![ty.clone()],
                Some(ty.clone()),
                StringEncoding::Utf8,
                StringEncoding::Utf8,
            ),
            // Seventeen of it: parameters through memory.
            spec(
                vec![ty.clone(); 17],
                None,
                StringEncoding::Utf16,
                StringEncoding::Utf8,
            ),
            // Inside a variant payload next to differently shaped cases.
            spec(
                vec![ValType::result(Some(ty.clone()), Some(ValType::F64))],
                Some(ValType::option(ty.clone())),
                StringEncoding::Latin1Utf16,
                StringEncoding::Utf16,
            ),
            spec(
                vec![ValType::list(ty.clone())],
                Some(ValType::list(ty.clone())),
                StringEncoding::Utf8,
                StringEncoding::Latin1Utf16,
            ),
        ];
        for s in shapes {
            let adapter = generate(&s).unwrap_or_else(|e| panic!("{}: {e}", s.ty));
            validate(&adapter.bytes).unwrap_or_else(|e| panic!("{}: {e}", s.ty));
        }
    }
}

#[test]
fn every_string_encoding_pair() {
    for from in ENCODINGS {
        for to in ENCODINGS {
            let s = spec(vec![ValType::String], Some(ValType::String), from, to);
            let adapter = generate(&s).unwrap_or_else(|e| panic!("{from:?} -> {to:?}: {e}"));
            // Both directions need a transcoder: the module has the
            // adapter and two helpers.
            assert!(adapter
                .imports
                .iter()
                .any(|i| i.role == ImportRole::CallerRealloc));
            assert!(adapter
                .imports
                .iter()
                .any(|i| i.role == ImportRole::CalleeRealloc));
        }
    }
}

#[test]
fn imports_follow_the_type() {
    // Scalars only: no memory, no realloc, no handle intrinsics.
    let s = spec(
        vec![ValType::U32, ValType::F64],
        Some(ValType::Bool),
        StringEncoding::Utf8,
        StringEncoding::Utf8,
    );
    let roles: Vec<ImportRole> = generate(&s)
        .expect("generates")
        .imports
        .into_iter()
        .map(|i| i.role)
        .collect();
    assert_eq!(
        roles,
        [
            ImportRole::CalleeFunction,
            ImportRole::CalleePostReturn,
            ImportRole::Flags(0),
            ImportRole::Flags(1),
            ImportRole::Trap,
        ]
    );
    // Borrows bring the transfer and the call scope.
    let s = spec(
        vec![ValType::Borrow(4)],
        None,
        StringEncoding::Utf8,
        StringEncoding::Utf8,
    );
    let roles: Vec<ImportRole> = generate(&s)
        .expect("generates")
        .imports
        .into_iter()
        .map(|i| i.role)
        .collect();
    assert!(roles.contains(&ImportRole::ResourceTransferBorrow));
    assert!(roles.contains(&ImportRole::ResourceEnterCall));
    assert!(roles.contains(&ImportRole::ResourceExitCall));
    assert!(!roles.contains(&ImportRole::ResourceTransferOwn));
}

#[test]
fn bad_specifications_are_errors() {
    let s = spec(
        vec![ValType::Record(vec![])],
        None,
        StringEncoding::Utf8,
        StringEncoding::Utf8,
    );
    assert!(matches!(generate(&s), Err(AdapterError::Type { .. })));
    let mut s = spec(
        vec![ValType::Own(0)],
        None,
        StringEncoding::Utf8,
        StringEncoding::Utf8,
    );
    s.caller.instance = None;
    let e = generate(&s).expect_err("the host cannot pass handles");
    assert!(matches!(e, AdapterError::HostHandles { .. }));
    assert_eq!(
        e.to_string(),
        "function type `func(p0: own<resource0>)` passes resource handles, but the caller is the host"
    );
}
