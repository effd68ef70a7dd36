//! Fuzz target `compile`: every valid module wasmlink supports must load,
//! compile and emit. wasm-smith generates a module with every feature
//! wasmlink accepts (Wasm 2.0 plus multi-memory, memory64, tail calls,
//! extended-const, relaxed SIMD, threads and exception handling), importing
//! functions, a memory, a table, globals and a tag from a fixed provider
//! module; both become one graph, which is compiled with Cranelift (in both
//! link modes, harness or not, with any subset of the whole-program
//! optimisations) and emitted as an object. Nothing is linked
//! or run, so this is fast: it looks for translator and emitter panics,
//! Cranelift verifier errors (built without `-O`, the verifier is on) and
//! valid modules rejected, not for wrong results.
//!
//! `cargo +nightly fuzz run compile -- -timeout=30`
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use wasmlink::LinkMode;
use wasmlink_graph::{Binding, Entry, Instance, InstanceGraph, ItemRef, Source, WasiConfig};
use wasmlink_module::{parse_module, parse_wat_or_wasm, ExternKind, ModuleInfo};

/// What generated modules may import; the provider defines exactly these.
const PROVIDER: &str = r#"(module
  (func (export "f_i32") (param i32) (result i32) local.get 0)
  (func (export "f_void"))
  (func (export "f_mixed") (param i64 f32 f64) (result f64) local.get 2)
  (memory (export "mem") 1 4)
  (memory (export "mem64") i64 1 4)
  (table (export "tab") 4 16 funcref)
  (table (export "ext") 2 8 externref)
  (global (export "g_mut") (mut i32) (i32.const 7))
  (global (export "g_i64") i64 (i64.const -1))
  (global (export "g_f64") (mut f64) (f64.const 1.5))
  (global (export "g_v128") v128 (v128.const i64x2 1 2))
  (tag (export "t_i32") (param i32)))"#;

/// `PROVIDER`'s exports as imports, for wasm-smith's `available_imports`.
const AVAILABLE: &str = r#"(module
  (import "p" "f_i32" (func (param i32) (result i32)))
  (import "p" "f_void" (func))
  (import "p" "f_mixed" (func (param i64 f32 f64) (result f64)))
  (import "p" "mem" (memory 1 4))
  (import "p" "mem64" (memory i64 1 4))
  (import "p" "tab" (table 4 16 funcref))
  (import "p" "ext" (table 2 8 externref))
  (import "p" "g_mut" (global (mut i32)))
  (import "p" "g_i64" (global i64))
  (import "p" "g_f64" (global (mut f64)))
  (import "p" "g_v128" (global v128))
  (import "p" "t_i32" (tag (param i32))))"#;

fn load(wat: &str) -> ModuleInfo {
    parse_wat_or_wasm(wat.as_bytes())
        .and_then(parse_module)
        .expect("the fixed modules are valid")
}

fn config(u: &mut Unstructured) -> arbitrary::Result<wasm_smith::Config> {
    Ok(wasm_smith::Config {
        available_imports: Some(
            parse_wat_or_wasm(AVAILABLE.as_bytes()).expect("the fixed modules are valid"),
        ),
        max_imports: u.int_in_range(0..=6)?,
        max_funcs: 12,
        max_instructions: 120,
        max_memories: u.int_in_range(1..=3)?,
        max_tables: u.int_in_range(1..=3)?,
        max_memory32_bytes: 1 << 20,
        max_memory64_bytes: 1 << 20,
        max_table_elements: 100,
        max_types: 20,
        max_globals: 10,
        export_everything: u.arbitrary()?,
        canonicalize_nans: u.arbitrary()?,
        disallow_traps: u.arbitrary()?,
        simd_enabled: true,
        multi_value_enabled: true,
        bulk_memory_enabled: true,
        reference_types_enabled: true,
        memory64_enabled: u.arbitrary()?,
        tail_call_enabled: u.arbitrary()?,
        extended_const_enabled: u.arbitrary()?,
        relaxed_simd_enabled: u.arbitrary()?,
        exceptions_enabled: u.arbitrary()?,
        gc_enabled: false,
        threads_enabled: u.arbitrary()?,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        compact_imports_enabled: false,
        ..Default::default()
    })
}

/// Bind each import of `m` to the provider's export of the same name.
fn bind(provider: &ModuleInfo, m: &ModuleInfo) -> Vec<Binding> {
    m.imports
        .iter()
        .map(|imp| {
            let e = provider
                .export(&imp.name)
                .unwrap_or_else(|| panic!("wasm-smith imported {:?}, not available", imp.name));
            let actual = provider.extern_type(e.kind, e.index);
            if let Err(why) = wasmlink_graph::match_extern(&imp.ty, &actual) {
                panic!("import {:?} does not match the provider: {why:?}", imp.name);
            }
            let r = ItemRef {
                instance: 0,
                index: e.index,
            };
            match e.kind {
                ExternKind::Func => Binding::Func(r),
                ExternKind::Table => Binding::Table(r),
                ExternKind::Memory => Binding::Memory(r),
                ExternKind::Global => Binding::Global(r),
                ExternKind::Tag => Binding::Tag(r),
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(config) = config(&mut u) else { return };
    let (Ok(link_dynamic), Ok(harness)) = (u.arbitrary::<bool>(), u.arbitrary::<bool>()) else {
        return;
    };
    // Any subset of the whole-program optimisations (a static link uses them).
    let Ok(wpo_bits) = u.arbitrary::<u8>() else {
        return;
    };
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let wasm = module.to_bytes();
    let m = parse_module(wasm.clone())
        .unwrap_or_else(|e| panic!("wasmlink rejected a valid module: {e}"));
    let provider = Arc::new(load(PROVIDER));
    let imports = bind(&provider, &m);
    let source = |name: &str, module| Source {
        name: name.into(),
        path: None,
        module,
    };
    let graph = InstanceGraph {
        sources: vec![source("p", provider.clone()), source("m", Arc::new(m))],
        instances: vec![
            Instance {
                name: "p".into(),
                source: 0,
                imports: Vec::new(),
            },
            Instance {
                name: "m".into(),
                source: 1,
                imports,
            },
        ],
        order: vec![0, 1],
        // The provider's `f_void`: no parameters, as an entry must have.
        entry: Entry {
            instance: 0,
            func: 1,
        },
        wasi: WasiConfig::default(),
        embedded: Default::default(),
    };
    let options = wasmlink::BuildOptions {
        link: if link_dynamic {
            LinkMode::Dynamic
        } else {
            LinkMode::Static
        },
        harness,
        wpo: wasmlink::Optimizations {
            inline: wpo_bits & 1 != 0,
            fixed_state: wpo_bits & 2 != 0,
            devirtualize: wpo_bits & 4 != 0,
            dead_code: wpo_bits & 8 != 0,
            stack_checks: wpo_bits & 16 != 0,
        },
        ..Default::default()
    };
    wasmlink::build_object(&graph, &options)
        .unwrap_or_else(|e| panic!("a valid module did not compile and emit: {e}"));
});
