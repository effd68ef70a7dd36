//! Tests of the dead-code analysis (`reach`) beyond functions: passive
//! segments nothing reads, and what they name.

use crate::initial_tests::graph;
use crate::reach::{LiveFunctions, Segment};
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
    let live = LiveFunctions::new(&g, false);
    let s = g.instances[0].source;
    assert!(live.reads_segment(s, Segment::Data(0)));
    assert!(!live.reads_segment(s, Segment::Data(1)));
    assert!(live.reads_segment(s, Segment::Elem(0)));
    assert!(!live.reads_segment(s, Segment::Elem(1)));
    assert!(
        live.is_live(s, 0),
        "$f: named by the segment table.init reads"
    );
    assert!(!live.is_live(s, 1), "$g: named only by an unread segment");
    // In a harness build every export is a root, and the same holds.
    let harness = LiveFunctions::new(&g, true);
    assert!(!harness.reads_segment(s, Segment::Data(1)));
}

#[test]
fn unread_passive_data_is_not_emitted() {
    let g = graph(&[("main", MAIN)]);
    let isa = target_isa().unwrap();
    let bytes_of = |wpo: Optimizations| -> Vec<usize> {
        let options = CompileOptions {
            link: LinkMode::Static,
            wpo,
            progress: None,
            harness: false,
            preinit: Preinit::Off,
        };
        let program = compile_graph(&g, &*isa, &options).unwrap();
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
