//! Lists over several pages, both ways: bytes, words and records of them
//! (one `memory.copy`), chars (an element loop with a check per element)
//! and strings (a loop with a transcoding per element, UTF-8 to UTF-16
//! and back). The caller fills its lists with a formula (strings come from
//! a data segment); both sides print a hash of what they hold.

use crate::harness::{build_and_run, Graph, Link, CALLEE_INSTANCE, CALLER_INSTANCE};
use crate::modules::{data, import_decl, prelude, text_calls, INTERFACE};
use wasmlink_adapter::{
    AdapterSpec, CalleeOptions, CallerOptions, Field, FuncType, StringEncoding, ValType,
};

const N_U8: u32 = 200_000;
const N_U32: u32 = 70_000;
const N_REC: u32 = 20_000;
const N_CHAR: u32 = 30_000;
const N_STR: usize = 3_000;
/// Where the caller builds each list (its memory has 64 pages).
const BYTES: u32 = 0x10_0000;
const WORDS: u32 = 0x14_0000;
const RECORDS: u32 = 0x19_0000;
const CHARS: u32 = 0x1E_0000;
/// Where the caller's strings are (a data segment).
const STRINGS: u32 = 0x30_0000;

fn record() -> ValType {
    ValType::Record(vec![
        Field {
            name: "a".into(),
            ty: ValType::U8,
        },
        Field {
            name: "b".into(),
            ty: ValType::U64,
        },
    ])
}

fn echo(ty: ValType) -> FuncType {
    FuncType {
        params: vec![("p0".into(), ty.clone())],
        result: Some(ty),
    }
}

fn texts() -> Vec<String> {
    let words = ["ascii", "héllo", "日本語", "😀𝄞", "", "ÿþý"];
    (0..N_STR)
        .map(|i| format!("{}{}", words[i % words.len()], i))
        .collect()
}

/// WAT: hash `$n` bytes at `$p` into `$h`: h = h * 31 + byte.
const HASH: &str = r#"
  (func $hash (param $h i64) (param $p i32) (param $n i32) (result i64)
    (block (loop
      (br_if 1 (i32.eqz (local.get $n)))
      (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) (i64.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br 0)))
    (local.get $h))
  (func $hash_strings (param $p i32) (param $n i32) (param $unit i32) (result i64) (local $h i64) (local $len i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get $n)))
      (local.set $len (i32.and (i32.load offset=4 (local.get $p)) (i32.const 0x7fffffff)))
      (local.set $h (call $hash (local.get $h) (i32.load (local.get $p)) (i32.mul (local.get $len) (local.get $unit))))
      (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) (i64.extend_i32_u (local.get $len))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br 0)))
    (local.get $h))
  (func $report (param $p i32) (param $n i32) (param $h i64)
    (call $out_byte (i32.const 110)) (call $out_byte (i32.const 61))
    (call $out_u64 (i64.extend_i32_u (local.get $n)))
    (call $out_byte (i32.const 32)) (call $out_byte (i32.const 104)) (call $out_byte (i32.const 61))
    (call $out_u64 (local.get $h))
    (call $nl))
"#;

/// (name, type, element size, string unit on the caller/callee side).
fn lists() -> Vec<(&'static str, ValType, u32)> {
    vec![
        ("bytes", ValType::list(ValType::U8), 1),
        ("words", ValType::list(ValType::U32), 4),
        ("records", ValType::list(record()), 16),
        ("chars", ValType::list(ValType::Char), 4),
        ("strings", ValType::list(ValType::String), 8),
    ]
}

fn callee() -> String {
    let mut funcs = String::new();
    for (name, _, size) in lists() {
        let hash = if name == "strings" {
            "(call $hash_strings (local.get $p) (local.get $n) (i32.const 2))".to_string()
        } else {
            format!("(call $hash (i64.const 0) (local.get $p) (i32.mul (local.get $n) (i32.const {size})))")
        };
        funcs.push_str(&format!(
            "  (func (export \"{INTERFACE}#{name}\") (param $p i32) (param $n i32) (result i32)
    {label}
    (call $report (local.get $p) (local.get $n) {hash})
    (i32.store (i32.const 0x20000) (local.get $p))
    (i32.store (i32.const 0x20004) (local.get $n))
    (i32.const 0x20000))\n",
            label = text_calls(&format!("{name}: ")),
        ));
    }
    format!(
        "(module\n{prelude}\n{HASH}\n  (memory (export \"memory\") 8)\n{funcs})\n",
        prelude = prelude(0x30000)
    )
}

fn caller() -> String {
    let mut imports = String::new();
    let mut body = String::new();
    for (name, ty, size) in lists() {
        imports.push_str(&import_decl(INTERFACE, name, &echo(ty)));
        let (ptr, n) = match name {
            "bytes" => (BYTES, N_U8),
            "words" => (WORDS, N_U32),
            "records" => (RECORDS, N_REC),
            "chars" => (CHARS, N_CHAR),
            _ => (STRINGS, N_STR as u32),
        };
        // The element at `at`, written with a formula `expected()` repeats.
        let at = |shift: u32| {
            format!("(i32.add (i32.const {ptr}) (i32.shl (local.get $i) (i32.const {shift})))")
        };
        let fill = match name {
            "bytes" => format!("(i32.store8 {} (i32.add (i32.mul (local.get $i) (i32.const 7)) (i32.shr_u (local.get $i) (i32.const 8))))", at(0)),
            "words" => format!("(i32.store {} (i32.mul (local.get $i) (i32.const -1640531535)))", at(2)),
            "records" => format!("(i32.store8 {} (local.get $i)) (i64.store offset=8 {} (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 0x9E3779B97F4A7C15)))", at(4), at(4)),
            "chars" => format!("(i32.store {} (i32.add (i32.rem_u (i32.mul (local.get $i) (i32.const 7919)) (i32.const 0xd000)) (i32.const 32)))", at(2)),
            _ => String::new(),
        };
        let unit_hash = if name == "strings" {
            "(call $hash_strings (i32.load (i32.const 0x28000)) (i32.load (i32.const 0x28004)) (i32.const 1))".to_string()
        } else {
            format!("(call $hash (i64.const 0) (i32.load (i32.const 0x28000)) (i32.mul (i32.load (i32.const 0x28004)) (i32.const {size})))")
        };
        body.push_str(&format!(
            "(local.set $i (i32.const 0))
    (block (loop (br_if 1 (i32.ge_u (local.get $i) (i32.const {n}))) {fill} (local.set $i (i32.add (local.get $i) (i32.const 1))) (br 0)))
    (call ${name} (i32.const {ptr}) (i32.const {n}) (i32.const 0x28000))
    {label}
    (call $report (i32.load (i32.const 0x28000)) (i32.load (i32.const 0x28004)) {unit_hash})\n",
            label = text_calls(&format!("{name} -> ")),
        ));
    }
    // The strings: a list of (ptr, len) followed by their UTF-8 bytes.
    let texts = texts();
    let mut bytes = Vec::new();
    let mut at = STRINGS + 8 * texts.len() as u32;
    let mut content: Vec<u8> = Vec::new();
    for t in &texts {
        bytes.extend(at.to_le_bytes());
        bytes.extend((t.len() as u32).to_le_bytes());
        content.extend(t.as_bytes());
        at += t.len() as u32;
    }
    bytes.extend(content);
    format!(
        "(module\n{imports}{prelude}\n{HASH}\n  (memory (export \"memory\") 64)\n  {data}\n  \
         (func (export \"_start\") (local $i i32)\n{body}))\n",
        prelude = prelude(0x40_0000),
        data = data(STRINGS, &bytes),
    )
}

fn hash(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, b| h.wrapping_mul(31).wrapping_add(*b as u64))
}

fn expected() -> String {
    let mut out = String::new();
    let line = |name: &str, arrow: &str, n: u32, h: u64| format!("{name}{arrow}n={n} h={h}\n");
    let bytes: Vec<u8> = (0..N_U8)
        .map(|i| (i.wrapping_mul(7).wrapping_add(i >> 8)) as u8)
        .collect();
    let words: Vec<u8> = (0..N_U32)
        .flat_map(|i| i.wrapping_mul(2654435761).to_le_bytes())
        .collect();
    let records: Vec<u8> = (0..N_REC)
        .flat_map(|i| {
            let mut r = [0u8; 16];
            r[0] = i as u8;
            r[8..].copy_from_slice(&(i as u64).wrapping_mul(0x9E3779B97F4A7C15).to_le_bytes());
            r
        })
        .collect();
    let chars: Vec<u8> = (0..N_CHAR)
        .flat_map(|i| ((i * 7919) % 0xd000 + 32).to_le_bytes())
        .collect();
    for (name, data, n) in [
        ("bytes", &bytes, N_U8),
        ("words", &words, N_U32),
        ("records", &records, N_REC),
        ("chars", &chars, N_CHAR),
    ] {
        let h = hash(0, data);
        out.push_str(&line(name, ": ", n, h));
        out.push_str(&line(name, " -> ", n, h));
    }
    let texts = texts();
    let strings = |unit16: bool| {
        texts.iter().fold(0u64, |h, t| {
            let (b, len): (Vec<u8>, usize) = if unit16 {
                let u: Vec<u16> = t.encode_utf16().collect();
                (u.iter().flat_map(|x| x.to_le_bytes()).collect(), u.len())
            } else {
                (t.as_bytes().to_vec(), t.len())
            };
            hash(h, &b).wrapping_mul(31).wrapping_add(len as u64)
        })
    };
    out.push_str(&line("strings", ": ", N_STR as u32, strings(true)));
    out.push_str(&line("strings", " -> ", N_STR as u32, strings(false)));
    out
}

#[test]
fn lists_over_many_pages_cross_both_ways() {
    let mut graph = Graph {
        wat: vec![("caller".into(), caller()), ("callee".into(), callee())],
        entry: "caller".into(),
        flags_instances: 2,
        ..Graph::default()
    };
    for (name, ty, _) in lists() {
        let link = Link {
            spec: AdapterSpec::new(
                echo(ty),
                CallerOptions {
                    string_encoding: StringEncoding::Utf8,
                    instance: Some(CALLER_INSTANCE),
                },
                CalleeOptions {
                    string_encoding: StringEncoding::Utf16,
                    instance: CALLEE_INSTANCE,
                    post_return: false,
                },
            ),
            ..Link::interface_named(name)
        };
        graph.calls.push((
            "caller".into(),
            INTERFACE.into(),
            name.into(),
            link.node.clone(),
        ));
        graph.links.push(link);
    }
    let out = build_and_run(&graph);
    assert_eq!(
        (out.status, out.stderr.as_str()),
        (0, ""),
        "stdout:\n{}",
        out.stdout
    );
    let expected = expected();
    if out.stdout != expected {
        panic!("{}", crate::harness::diff(&expected, &out.stdout));
    }
}
