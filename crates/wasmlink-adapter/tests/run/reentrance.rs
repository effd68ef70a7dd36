//! The flags: a component instance on the call stack cannot be entered
//! again, and an instance inside its `post-return` cannot call out. Two
//! components A (instance 0) and B (instance 1): the program starts in
//! A's `run` through an entry adapter (the host calling in), A calls B's
//! `f`, and B calls A's `g` back (or not), each through an adapter.

use crate::harness::{build_and_run, Graph, Link, Output};
use crate::modules::{import_decl, prelude, text_calls};
use wasmlink_adapter::{AdapterSpec, CalleeOptions, CallerOptions, FuncType};

fn say(s: &str) -> String {
    format!("{} (call $nl)", text_calls(s))
}

fn module_a() -> String {
    format!(
        "(module\n{f}{prelude}\n  (memory (export \"memory\") 4)\n  \
         (func (export \"run\") {a} (call $f) {b})\n  \
         (func (export \"test:t/back#g\") {g}))\n",
        f = import_decl("test:t/api", "f", &FuncType::default()),
        prelude = prelude(0x30000),
        a = say("A.run"),
        b = say("A.run done"),
        g = say("A.g"),
    )
}

/// B's `f` calls `g` when `call_in_f`; its post-return calls `g` when
/// `call_in_post_return`.
fn module_b(call_in_f: bool, call_in_post_return: bool) -> String {
    let call = |yes: bool| if yes { "(call $g)" } else { "" };
    format!(
        "(module\n{g}{prelude}\n  (memory (export \"memory\") 4)\n  \
         (func (export \"test:t/api#f\") {a} {call_f} {b})\n  \
         (func (export \"cabi_post_test:t/api#f\") {call_post}))\n",
        g = import_decl("test:t/back", "g", &FuncType::default()),
        prelude = prelude(0x30000),
        a = say("B.f"),
        b = say("B.f done"),
        call_f = call(call_in_f),
        call_post = call(call_in_post_return),
    )
}

fn link(
    node: &str,
    caller: (&str, Option<u32>),
    callee: (&str, u32),
    export: &str,
    entering: Vec<u32>,
) -> Link {
    let post_return = export == "test:t/api#f";
    Link {
        node: node.into(),
        spec: AdapterSpec {
            ty: FuncType::default(),
            caller: CallerOptions {
                instance: caller.1,
                ..CallerOptions::default()
            },
            callee: CalleeOptions {
                instance: callee.1,
                post_return,
                ..CalleeOptions::default()
            },
            entering,
        },
        caller: caller.0.into(),
        callee: callee.0.into(),
        export: export.into(),
        post_return: post_return.then(|| "cabi_post_test:t/api#f".to_string()),
    }
}

/// Run A and B; `g_enters` is the set of instances the call from B to A
/// enters.
fn run(call_in_f: bool, call_in_post_return: bool, g_enters: Vec<u32>) -> Output {
    let graph = Graph {
        wat: vec![
            ("a".into(), module_a()),
            ("b".into(), module_b(call_in_f, call_in_post_return)),
        ],
        links: vec![
            link("adapter-entry", ("", None), ("a", 0), "run", vec![0]),
            link(
                "adapter-f",
                ("a", Some(0)),
                ("b", 1),
                "test:t/api#f",
                vec![1],
            ),
            link(
                "adapter-g",
                ("b", Some(1)),
                ("a", 0),
                "test:t/back#g",
                g_enters,
            ),
        ],
        calls: vec![
            (
                "a".into(),
                "test:t/api".into(),
                "f".into(),
                "adapter-f".into(),
            ),
            (
                "b".into(),
                "test:t/back".into(),
                "g".into(),
                "adapter-g".into(),
            ),
        ],
        entry: "adapter-entry.adapter".into(),
        flags_instances: 2,
        ..Graph::default()
    };
    build_and_run(&graph)
}

#[test]
fn calls_that_do_not_reenter_run() {
    let out = run(false, false, vec![0]);
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
    assert_eq!(out.stdout, "A.run\nB.f\nB.f done\nA.run done\n");
}

#[test]
fn reentering_the_caller_traps() {
    let out = run(true, false, vec![0]);
    assert_eq!(out.status, 134);
    assert_eq!(
        out.stderr,
        "wasm trap: unreachable in traps::cannot-enter-component\n"
    );
    assert_eq!(out.stdout, "A.run\nB.f\n");
}

#[test]
fn a_call_that_enters_nothing_new_may_reenter() {
    // As when B is a child of A that A wraps (donut wrapping): the call
    // back into A enters no instance.
    let out = run(true, false, vec![]);
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
    assert_eq!(out.stdout, "A.run\nB.f\nA.g\nB.f done\nA.run done\n");
}

#[test]
fn calling_out_of_post_return_traps() {
    let out = run(false, true, vec![]);
    assert_eq!(out.status, 134);
    assert_eq!(
        out.stderr,
        "wasm trap: unreachable in traps::cannot-leave-component\n"
    );
    assert_eq!(out.stdout, "A.run\nB.f\nB.f done\n");
}
