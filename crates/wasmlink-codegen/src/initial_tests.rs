//! Tests of what is known at build time (`initial`) and of reading a
//! snapshot (`snapshot`), on graphs resolved from inline text.

use crate::initial::{InitialState, Preinit};
use crate::snapshot::{GlobalValue, RefValue, Snapshot};
use std::path::Path;
use wasmlink_abi::preinit::{encode_funcref, push_record, record, SNAPSHOT_MAGIC};
use wasmlink_abi::PAGE_SIZE;
use wasmlink_graph::{parse_manifest_str, resolve_manifest, InstanceGraph, LoadOptions};

/// The graph of a manifest whose sources are inline text: `sources` maps
/// names to module text, `main` is the entry instance.
pub(crate) fn graph(sources: &[(&str, &str)]) -> InstanceGraph {
    let sources: Vec<String> = sources
        .iter()
        .map(|(name, wat)| format!("{name:?}: {{\"wat\": {wat:?}}}"))
        .collect();
    let text = format!(
        "{{\"sources\": {{{}}}, \"entry\": \"main\"}}",
        sources.join(", ")
    );
    let manifest = parse_manifest_str(&text, Path::new("app.json")).unwrap();
    resolve_manifest(&manifest, &LoadOptions::default())
        .unwrap()
        .graph
}

fn image_text(state: &InitialState, instance: usize, memory: u32, at: u64, len: usize) -> Vec<u8> {
    let init = &state.memories[&(instance, memory)];
    let run = init
        .runs
        .iter()
        .find(|r| r.offset <= at && at + len as u64 <= r.offset + r.bytes.len() as u64)
        .expect("a run holds the range");
    let o = (at - run.offset) as usize;
    run.bytes[o..o + len].to_vec()
}

#[test]
fn segments_at_offsets_known_through_imports_make_an_image() {
    let g = graph(&[
        (
            "lib",
            r#"(module (global (export "g") i32 (i32.const 70000)))"#,
        ),
        (
            "main",
            r#"(module (import "lib" "g" (global $g i32)) (memory 2)
                 (data (global.get $g) "xyz")
                 (data (i32.add (global.get $g) (i32.const 1)) "Y")
                 (func (export "_start")))"#,
        ),
    ]);
    let main = g.instances.iter().position(|i| i.name == "main").unwrap();
    let s = InitialState::new(&g, &Preinit::Off);
    assert_eq!(s.memories[&(main, 0)].pages, 2);
    assert_eq!(image_text(&s, main, 0, 70000, 3), b"xYz");
    assert!(s.segment_in_image(&g, main, 0) && s.segment_in_image(&g, main, 1));
}

#[test]
fn a_segment_that_does_not_fit_keeps_the_copying_path() {
    let g = graph(&[(
        "main",
        r#"(module (memory 1) (memory 1)
             (data (memory 0) (i32.const 0) "ok")
             (data (memory 1) (i32.const 65535) "no")
             (data "passive")
             (func (export "_start")))"#,
    )]);
    let s = InitialState::new(&g, &Preinit::Off);
    assert!(s.memories.contains_key(&(0, 0)));
    assert!(!s.memories.contains_key(&(0, 1)), "the trap is kept");
    assert!(s.segment_in_image(&g, 0, 0));
    assert!(!s.segment_in_image(&g, 0, 1));
    assert!(!s.segment_in_image(&g, 0, 2), "passive segments stay");
}

#[test]
fn all_zero_contents_need_no_run() {
    let g = graph(&[(
        "main",
        r#"(module (memory 1) (data (i32.const 8) "\00\00") (func (export "_start")))"#,
    )]);
    let s = InitialState::new(&g, &Preinit::Off);
    assert!(s.memories[&(0, 0)].runs.is_empty());
    assert!(s.segment_in_image(&g, 0, 0));
}

/// A snapshot file from records.
fn file(records: &[(u8, u32, u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = SNAPSHOT_MAGIC.to_vec();
    for (tag, instance, index, payload) in records {
        push_record(&mut out, *tag, *instance, *index, payload);
    }
    push_record(&mut out, record::END, 0, 0, &[]);
    out
}

fn words(w: &[u64]) -> Vec<u8> {
    w.iter().flat_map(|v| v.to_le_bytes()).collect()
}

const STATEFUL: &str = r#"(module (memory 1 3) (table 2 funcref) (global (mut funcref) (ref.null func))
    (global (mut i32) (i32.const 0)) (data "d") (elem func $f) (func $f) (func (export "_start")))"#;

fn stateful_records() -> Vec<(u8, u32, u32, Vec<u8>)> {
    let mut memory = words(&[2 * PAGE_SIZE, 4096, 3]);
    memory.extend_from_slice(b"abc");
    let mut number = vec![0u8; 16];
    number[0] = 42;
    let mut func = vec![0u8; 16];
    func[..8].copy_from_slice(&encode_funcref(0, 0).to_le_bytes());
    vec![
        (record::MEMORY, 0, 0, memory),
        (record::TABLE, 0, 0, words(&[2, 0, encode_funcref(0, 1)])),
        (record::GLOBAL, 0, 0, func),
        (record::GLOBAL, 0, 1, number),
        (record::DATA, 0, 0, words(&[0])),
        (record::ELEM, 0, 0, words(&[1, encode_funcref(0, 0)])),
    ]
}

#[test]
fn a_snapshot_is_read_and_becomes_the_initial_state() {
    let g = graph(&[("main", STATEFUL)]);
    let snap = Snapshot::parse(&file(&stateful_records()), &g).unwrap();
    let s = &snap.instances[0];
    assert_eq!(s.memories[&0].length, 2 * PAGE_SIZE);
    assert_eq!(
        s.tables[&0],
        [
            RefValue::Null,
            RefValue::Func {
                instance: 0,
                index: 1
            }
        ]
    );
    assert_eq!(
        s.globals[&0],
        GlobalValue::Ref(RefValue::Func {
            instance: 0,
            index: 0
        })
    );
    assert!(matches!(s.globals[&1], GlobalValue::Bytes(b) if b[0] == 42));
    assert_eq!(s.data[&0], 0);
    let restore = Preinit::Restore {
        snapshot: std::sync::Arc::new(snap),
        init: None,
    };
    let state = InitialState::new(&g, &restore);
    let init = &state.memories[&(0, 0)];
    assert_eq!(init.pages, 2);
    assert_eq!(image_text(&state, 0, 0, 4096, 3), b"abc");
}

#[test]
fn damaged_snapshots_are_errors() {
    let g = graph(&[("main", STATEFUL)]);
    let parse = |records: Vec<(u8, u32, u32, Vec<u8>)>| Snapshot::parse(&file(&records), &g);
    let with = |k: usize, r: (u8, u32, u32, Vec<u8>)| {
        let mut all = stateful_records();
        all[k] = r;
        all
    };
    // A memory larger than its maximum, a run past its end.
    let e = parse(with(0, (record::MEMORY, 0, 0, words(&[4 * PAGE_SIZE])))).unwrap_err();
    assert!(e.contains("does not fit its type"), "{e}");
    let mut past = words(&[PAGE_SIZE, PAGE_SIZE - 1, 2]);
    past.extend_from_slice(b"xy");
    let e = parse(with(0, (record::MEMORY, 0, 0, past))).unwrap_err();
    assert!(e.contains("leave the memory"), "{e}");
    // A reference to a function that does not exist.
    let e = parse(with(
        1,
        (record::TABLE, 0, 0, words(&[2, 0, encode_funcref(0, 9)])),
    ))
    .unwrap_err();
    assert!(
        e.contains("function 9 of instance 0, which does not exist"),
        "{e}"
    );
    let e = parse(with(
        1,
        (record::TABLE, 0, 0, words(&[2, 0, encode_funcref(5, 0)])),
    ))
    .unwrap_err();
    assert!(e.contains("does not exist"), "{e}");
    // A table shorter than its minimum; a data segment of another length.
    assert!(parse(with(1, (record::TABLE, 0, 0, words(&[1, 0])))).is_err());
    assert!(parse(with(4, (record::DATA, 0, 0, words(&[7])))).is_err());
    // An item twice, one missing, an unknown instance or record.
    let mut twice = stateful_records();
    twice.push(twice[3].clone());
    assert!(parse(twice).unwrap_err().contains("recorded twice"));
    let mut missing = stateful_records();
    missing.remove(3);
    assert!(parse(missing).unwrap_err().contains("lacks some globals"));
    assert!(parse(with(4, (record::DATA, 3, 0, words(&[0])))).is_err());
    assert!(parse(with(4, (9, 0, 0, Vec::new()))).is_err());
    // Trailing bytes inside a record, a truncated file.
    assert!(parse(with(4, (record::DATA, 0, 0, words(&[0, 0])))).is_err());
    let mut cut = file(&stateful_records());
    cut.truncate(cut.len() - 3);
    assert!(Snapshot::parse(&cut, &g).is_err());
}
