//! Tests of the dead-code analysis (`reach`) beyond functions: segments
//! nothing reads or applies, globals and tables nothing uses, and what
//! they name.

use crate::initial_tests::graph;
use crate::reach::{Reachable, Segment};
use crate::{compile_graph, target_isa, CompileOptions, LinkMode, Optimizations, Preinit};

/// `main` reads passive data 0 and passive element segment 0; data 1 and
/// element segment 1 (which alone names $g) are never read.
const MAIN: &str = r#"(module
  (memory 1)
  (table 2 funcref)
  (data "read by memory.init")
  (data "never read: 0123456789abcdef0123456789abcdef")
  (elem func $f)
  (elem func $g)
  (func $f)
  (func $g)
  (func (export "_start")
    (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 4))
    (table.init 0 (i32.const 0) (i32.const 0) (i32.const 1))))"#;

#[test]
fn only_passive_segments_live_code_reads_are_live_and_so_are_their_functions() {
    let g = graph(&[("main", MAIN)]);
    let live = Reachable::new(&g, false);
    let s = g.instances[0].source;
    assert!(live.uses_segment(0, Segment::Data(0)));
    assert!(!live.uses_segment(0, Segment::Data(1)));
    assert!(live.uses_segment(0, Segment::Elem(0)));
    assert!(!live.uses_segment(0, Segment::Elem(1)));
    assert!(
        live.is_live(s, 0),
        "$f: named by the segment table.init reads"
    );
    assert!(!live.is_live(s, 1), "$g: named only by an unread segment");
    // In a harness build every export is a root, and the same holds.
    let harness = Reachable::new(&g, true);
    assert!(!harness.uses_segment(0, Segment::Data(1)));
}

/// `g` compiled for a static link with optimisations `wpo`.
fn compile_static(g: &wasmlink_graph::InstanceGraph, wpo: Optimizations) -> crate::Program {
    let isa = target_isa().unwrap();
    let options = CompileOptions {
        link: LinkMode::Static,
        wpo,
        progress: None,
        harness: false,
        preinit: Preinit::Off,
    };
    compile_graph(g, &*isa, &options).unwrap()
}

#[test]
fn unread_passive_data_is_not_emitted() {
    let g = graph(&[("main", MAIN)]);
    let bytes_of = |wpo: Optimizations| -> Vec<usize> {
        let program = compile_static(&g, wpo);
        (0..2)
            .map(|d| {
                let name = format!("__wl_s0_data{d}");
                let object = program.data.iter().find(|o| o.decl.name == name);
                object.map_or(0, |o| o.bytes.len())
            })
            .collect()
    };
    assert_eq!(bytes_of(Optimizations::ALL), [19, 1]);
    assert_eq!(bytes_of(Optimizations::NONE), [19, 44]);
}

/// `main` uses global $used (whose initialiser reads $base) and table
/// $calls; global $unused names $g, table $spare is filled with $h by a
/// segment that fits, and table $tiny by one that does not fit.
const STATE: &str = r#"(module
  (global $base i32 (i32.const 7))
  (global $used (mut i32) (global.get $base))
  (global $unused funcref (ref.func $g))
  (table $calls 1 funcref)
  (table $spare 4 funcref)
  (table $tiny 1 funcref)
  (elem (table $calls) (i32.const 0) func $f)
  (elem (table $spare) (i32.const 2) func $h $h)
  (elem (table $tiny) (i32.const 1) func $k)
  (type $v (func))
  (func $f)
  (func $g)
  (func $h)
  (func $k)
  (func (export "_start")
    (global.set $used (i32.const 1))
    (call_indirect (type $v) (i32.const 0))))"#;

#[test]
fn globals_and_tables_live_code_uses_are_live_and_so_is_what_they_name() {
    let g = graph(&[("main", STATE)]);
    let live = Reachable::new(&g, false);
    let s = g.instances[0].source;
    assert!(live.global_is_live(&g, 0, 1), "$used: written by _start");
    assert!(
        live.global_is_live(&g, 0, 0),
        "$base: read by $used's initialiser"
    );
    assert!(!live.global_is_live(&g, 0, 2), "$unused");
    assert!(!live.is_live(s, 1), "$g: named only by a dead global");
    assert!(live.table_is_live(&g, 0, 0), "$calls: call_indirect");
    assert!(live.is_live(s, 0), "$f: in a live table");
    assert!(!live.table_is_live(&g, 0, 1), "$spare: nothing uses it");
    assert!(!live.uses_segment(0, Segment::Elem(1)));
    assert!(!live.is_live(s, 2), "$h: only in a dead table");
    // The segment into $tiny does not fit: it must be applied so that
    // the instantiation traps, and its table is kept for it.
    assert!(live.table_is_live(&g, 0, 2));
    assert!(live.uses_segment(0, Segment::Elem(2)));
    assert!(live.is_live(s, 3));
    // A harness may read every export: exported state is live there.
    let exported = STATE.replace("(global $unused", "(global $unused (export \"g\")");
    let g = graph(&[("main", &exported)]);
    assert!(Reachable::new(&g, true).global_is_live(&g, 0, 2));
    assert!(!Reachable::new(&g, false).global_is_live(&g, 0, 2));
}

/// A library's table and global are live only through an importer that
/// uses them.
#[test]
fn imported_state_is_live_at_its_definition() {
    let lib = r#"(module
      (table (export "t") 2 funcref)
      (global (export "g") (mut i32) (i32.const 5))
      (global (export "h") i32 (i32.const 6))
      (elem (i32.const 0) func $f)
      (func $f))"#;
    let main = r#"(module
      (import "lib" "t" (table 2 funcref))
      (import "lib" "g" (global (mut i32)))
      (import "lib" "h" (global i32))
      (type $v (func))
      (func (export "_start")
        (global.set 0 (i32.const 1))
        (call_indirect (type $v) (i32.const 0))))"#;
    let g = graph(&[("main", main), ("lib", lib)]);
    let live = Reachable::new(&g, false);
    let lib_instance = (0..g.instances.len())
        .find(|&i| g.instances[i].name == "lib")
        .unwrap();
    let main_instance = 1 - lib_instance;
    assert!(live.table_is_live(&g, lib_instance, 0));
    assert!(live.table_is_live(&g, main_instance, 0));
    assert!(live.global_is_live(&g, lib_instance, 0));
    assert!(!live.global_is_live(&g, lib_instance, 1));
    assert!(!live.global_is_live(&g, main_instance, 1));
    assert!(live.is_live(g.instances[lib_instance].source, 0));
}

/// Dead functions have no code: every reference names the one shared
/// trap, and the program is smaller for it.
#[test]
fn dead_functions_share_one_symbol() {
    let g = graph(&[("main", STATE)]);
    let all = compile_static(&g, Optimizations::ALL);
    let none = compile_static(&g, Optimizations::NONE);
    let named = |p: &crate::Program, prefix: &str| {
        p.functions
            .iter()
            .filter(|f| f.name.starts_with(prefix))
            .count()
    };
    // $f, $k and _start, against all five.
    assert_eq!(named(&all, "__wl_s0_f"), 3);
    assert_eq!(named(&none, "__wl_s0_f"), 5);
    assert_eq!(named(&all, "__wl_dead_code"), 1);
    assert_eq!(named(&none, "__wl_dead_code"), 0);
    assert_eq!(all.code.len(), none.code.len() - 1);
}
