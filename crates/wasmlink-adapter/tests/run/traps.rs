//! Bad values a caller passes end the program with a named trap (status
//! 134, `wasm trap: unreachable in traps::<reason>` from the trap provider
//! module), after what was printed before.

use crate::harness::{build_and_run, Graph, Output};
use crate::modules::{self, import_decl, prelude, text_calls, Case, Func, INTERFACE, STATIC};
use crate::value::sample;
use wasmlink_adapter::{FuncType, StringEncoding, ValType};
use StringEncoding::{Latin1Utf16, Utf16, Utf8};

/// A caller whose `_start` prints `before`, then calls `f` with the flat
/// arguments `args` (WAT constants); `bytes` are at [`STATIC`].
fn raw_caller(ty: &FuncType, bytes: &[u8], args: &str) -> String {
    format!(
        "(module\n{f}{report}{prelude}\n  (memory (export \"memory\") 4)\n  {data}\n  \
         (func (export \"_start\") {before} (call $nl) (call $f {args}) {drops} {after} (call $nl)))\n",
        f = import_decl(INTERFACE, "f", ty),
        report = import_decl(INTERFACE, "report", &FuncType::default()),
        prelude = prelude(0x30000),
        data = modules::data(STATIC, bytes),
        before = text_calls("before"),
        drops = "(drop)".repeat(
            wasmlink_adapter::flatten_func(ty, wasmlink_adapter::flatten::Context::Lower)
                .results
                .len()
        ),
        after = text_calls("after"),
    )
}

/// Build caller → adapter → callee for `f: ty` and run it.
fn run(ty: FuncType, from: StringEncoding, to: StringEncoding, bytes: &[u8], args: &str) -> Output {
    let case = Case {
        funcs: vec![Func {
            name: "f".into(),
            result: ty.result.as_ref().map(|t| sample(t, 1)),
            args: vec![],
            ty: ty.clone(),
        }],
        caller_enc: from,
        callee_enc: to,
        log_reallocs: false,
    };
    let mut graph = Graph::of_case(&case);
    graph.wat[0].1 = raw_caller(&ty, bytes, args);
    build_and_run(&graph)
}

fn params(types: Vec<ValType>) -> FuncType {
    FuncType {
        params: types
            .into_iter()
            .enumerate()
            .map(|(i, t)| (format!("p{i}"), t))
            .collect(),
        result: None,
    }
}

fn assert_trap(out: Output, reason: &str) {
    assert_eq!(
        (out.status, out.stderr.as_str()),
        (
            134,
            format!("wasm trap: unreachable in traps::{reason}\n").as_str()
        ),
        "stdout:\n{}",
        out.stdout
    );
    assert!(out.stdout.starts_with("before\n"), "stdout: {}", out.stdout);
    assert!(
        !out.stdout.contains("after"),
        "the call returned: {}",
        out.stdout
    );
}

fn string_arg(len: u32) -> String {
    format!("(i32.const {STATIC}) (i32.const {len})")
}

fn utf16_bytes(units: &[u16]) -> Vec<u8> {
    units.iter().flat_map(|u| u.to_le_bytes()).collect()
}

#[test]
fn invalid_utf8_traps_in_every_path() {
    let s = params(vec![ValType::String]);
    let cases: [(&[u8], StringEncoding); 7] = [
        // A stray continuation byte (validating copy).
        (b"ok \xff", Utf8),
        // Overlong encoding of '/' (transcoding to UTF-16).
        (b"\xc0\xaf", Utf16),
        // A surrogate encoded in UTF-8 (transcoding to latin1+utf16).
        (b"\xed\xa0\x80", Latin1Utf16),
        // Truncated at the end.
        (b"ab\xe6\x97", Utf8),
        // Beyond U+10FFFF.
        (b"\xf4\x90\x80\x80", Utf16),
        // After the 8-byte ASCII fast path.
        (b"0123456789abcdef\x80", Utf8),
        // A bad continuation in the middle.
        (b"\xe6\x41\x41", Latin1Utf16),
    ];
    for (bytes, to) in cases {
        let out = run(s.clone(), Utf8, to, bytes, &string_arg(bytes.len() as u32));
        assert_trap(out, "invalid-utf8");
    }
}

#[test]
fn invalid_utf8_inside_a_list_of_strings() {
    // [ "fine", "\xff" ]: the list is allocated, the first string copied,
    // the second traps.
    let mut bytes = Vec::new();
    let base = STATIC;
    for (ptr, len) in [(base + 16, 4u32), (base + 20, 1)] {
        bytes.extend(ptr.to_le_bytes());
        bytes.extend(len.to_le_bytes());
    }
    bytes.extend(b"fine\xff");
    let ty = params(vec![ValType::list(ValType::String)]);
    let out = run(
        ty,
        Utf8,
        Utf16,
        &bytes,
        &format!("(i32.const {base}) (i32.const 2)"),
    );
    assert_trap(out, "invalid-utf8");
}

#[test]
fn unpaired_surrogates_trap() {
    let s = params(vec![ValType::String]);
    // A high surrogate at the end, UTF-16 to UTF-8.
    let out = run(
        s.clone(),
        Utf16,
        Utf8,
        &utf16_bytes(&[0x41, 0xD800]),
        &string_arg(2),
    );
    assert_trap(out, "invalid-utf16");
    // A low surrogate first, UTF-16 to UTF-16 (validating copy).
    let out = run(
        s.clone(),
        Utf16,
        Utf16,
        &utf16_bytes(&[0xDC00, 0x41]),
        &string_arg(2),
    );
    assert_trap(out, "invalid-utf16");
    // A high surrogate followed by a non-surrogate, tagged UTF-16 from a
    // latin1+utf16 side.
    let out = run(
        s,
        Latin1Utf16,
        Latin1Utf16,
        &utf16_bytes(&[0xD800, 0x41]),
        &format!("(i32.const {STATIC}) (i32.const {})", 2u32 | 1 << 31),
    );
    assert_trap(out, "invalid-utf16");
}

#[test]
fn out_of_bounds_strings_and_lists_trap() {
    // The caller's memory is 4 pages (0x40000 bytes).
    let s = params(vec![ValType::String]);
    let out = run(
        s.clone(),
        Utf8,
        Utf8,
        b"",
        "(i32.const 0x3fff0) (i32.const 0x100)",
    );
    assert_trap(out, "string-out-of-bounds");
    // A pointer near 4 GiB: the sum does not wrap around.
    let out = run(
        s.clone(),
        Utf8,
        Utf16,
        b"",
        "(i32.const -16) (i32.const 32)",
    );
    assert_trap(out, "string-out-of-bounds");
    // 2^28 bytes is one too many, wherever it points.
    let out = run(s, Utf8, Utf8, b"", "(i32.const 0) (i32.const 0x10000000)");
    assert_trap(out, "string-out-of-bounds");
    let list = params(vec![ValType::list(ValType::U32)]);
    let out = run(
        list.clone(),
        Utf8,
        Utf8,
        b"",
        "(i32.const 0x30000) (i32.const 0x10000)",
    );
    assert_trap(out, "list-out-of-bounds");
    // 2^26 u32s are 2^28 bytes: too long.
    let out = run(list, Utf8, Utf8, b"", "(i32.const 0) (i32.const 0x4000000)");
    assert_trap(out, "list-out-of-bounds");
    // A list of strings whose element list is fine but points outside.
    let nested = params(vec![ValType::list(ValType::list(ValType::U8))]);
    let mut bytes = Vec::new();
    bytes.extend(0x3ffffu32.to_le_bytes());
    bytes.extend(2u32.to_le_bytes());
    let out = run(
        nested,
        Utf8,
        Utf8,
        &bytes,
        &format!("(i32.const {STATIC}) (i32.const 1)"),
    );
    assert_trap(out, "list-out-of-bounds");
}

#[test]
fn unaligned_pointers_trap() {
    let list = params(vec![ValType::list(ValType::U32)]);
    let out = run(
        list,
        Utf8,
        Utf8,
        b"",
        &format!("(i32.const {}) (i32.const 1)", STATIC + 2),
    );
    assert_trap(out, "unaligned-pointer");
    let s = params(vec![ValType::String]);
    let out = run(
        s,
        Utf16,
        Utf8,
        b"",
        &format!("(i32.const {}) (i32.const 1)", STATIC + 1),
    );
    assert_trap(out, "unaligned-pointer");
}

#[test]
fn invalid_chars_and_discriminants_trap() {
    let c = params(vec![ValType::Char]);
    for bad in ["0xd800", "0xdfff", "0x110000", "-1"] {
        let out = run(c.clone(), Utf8, Utf8, b"", &format!("(i32.const {bad})"));
        assert_trap(out, "invalid-char");
    }
    let opt = params(vec![ValType::option(ValType::U8)]);
    let out = run(opt, Utf8, Utf8, b"", "(i32.const 2) (i32.const 0)");
    assert_trap(out, "invalid-discriminant");
    let e = params(vec![ValType::Enum(vec![
        "a".into(),
        "b".into(),
        "c".into(),
    ])]);
    let out = run(e, Utf8, Utf8, b"", "(i32.const 3)");
    assert_trap(out, "invalid-discriminant");
    // In memory (a list element): a u8 discriminant of 7.
    let v = params(vec![ValType::list(ValType::result(
        Some(ValType::U32),
        None,
    ))]);
    let mut bytes = vec![0u8; 8];
    bytes.extend([7, 0, 0, 0, 0, 0, 0, 0]);
    let out = run(
        v,
        Utf8,
        Utf8,
        &bytes,
        &format!("(i32.const {STATIC}) (i32.const 2)"),
    );
    assert_trap(out, "invalid-discriminant");
}

#[test]
fn return_area_out_of_bounds_traps_after_the_call() {
    let ty = FuncType {
        params: vec![],
        result: Some(ValType::String),
    };
    let out = run(ty, Utf8, Utf8, b"", "(i32.const 0x3fffc)");
    assert_eq!(out.status, 134);
    assert_eq!(
        out.stderr,
        "wasm trap: unreachable in traps::pointer-out-of-bounds\n"
    );
    // The callee ran (and printed) before the results were copied back.
    assert_eq!(out.stdout, "before\nf()\n");
}
