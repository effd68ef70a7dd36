//! Snapshot mode (`wasmlink_abi::preinit`): the program a build with
//! pre-initialisation runs at build time. Its `wasmlink_program_start`
//! instantiates every instance in order (start functions and
//! `_initialize` included), calls the init export if there is one, and
//! hands the runtime the list of every instance's state
//! (`SnapshotItem`s), which it writes to the snapshot file before ending
//! the process. Before each step it tells the runtime which step it is,
//! so a call the runtime refuses is reported with it.
//!
//! A function reference in a table, a global or an element segment is a
//! pointer to a funcref slot of some instance's vmctx (imports hold a copy
//! of the callee's slot, and `ref.func` takes the instance's own): the
//! `FUNCREFS` items list every instance's slots, which is how the runtime
//! names a reference (instance, function index) and the build from the
//! snapshot points it at the same slot again.

use crate::env::{data_addr, declare_func, scalar_type};
use crate::layout::VmLayout;
use crate::program::{DataReloc, SymbolRef};
use crate::symbols::SymbolPlan;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, Signature, Value};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;
use wasmlink_abi::config::{self, tag};
use wasmlink_abi::preinit::{item, preinit_field, ref_kind, SNAPSHOT_ITEM_SIZE};
use wasmlink_abi::RuntimeFn;
use wasmlink_graph::{shown_name, InstanceGraph};
use wasmlink_module::wasmparser::{AbstractHeapType, HeapType, RefType, ValType};
use wasmlink_module::ExternKind;

/// The steps of a snapshot program, as the runtime's messages name them:
/// each instance's instantiation in order, then the init export.
fn step_names(graph: &InstanceGraph, plan: &SymbolPlan) -> Vec<String> {
    let mut out: Vec<String> = (graph.order.iter())
        .map(|&i| {
            format!(
                "the instantiation of instance \"{}\"",
                shown_name(&graph.instances[i].name)
            )
        })
        .collect();
    if let crate::initial::Preinit::Snapshot {
        init: Some((i, f)), ..
    } = plan.preinit
    {
        let m = graph.module(i);
        let export = (m.exports.iter())
            .find(|e| e.kind == ExternKind::Func && e.index == f)
            .map_or_else(|| format!("function {f}"), |e| shown_name(&e.name));
        out.push(format!(
            "the init export \"{}.{export}\"",
            shown_name(&graph.instances[i].name)
        ));
    }
    out
}

/// The texts of a snapshot program (the steps object): the step names,
/// then every instance's name, and where each is in it.
pub(crate) struct Texts {
    pub bytes: Vec<u8>,
    pub steps: Vec<(i64, u64)>,
    pub instances: Vec<(i64, u64)>,
}

pub(crate) fn texts(graph: &InstanceGraph, plan: &SymbolPlan) -> Texts {
    let mut bytes = Vec::new();
    let mut add = |text: String| {
        let at = (bytes.len() as i64, text.len() as u64);
        bytes.extend_from_slice(text.as_bytes());
        at
    };
    let steps = step_names(graph, plan).into_iter().map(&mut add).collect();
    let instances = (graph.instances.iter())
        .map(|inst| add(shown_name(&inst.name)))
        .collect();
    // Never empty: every object has an address of its own.
    bytes.push(0);
    Texts {
        bytes,
        steps,
        instances,
    }
}

/// Call a runtime function with the C convention.
fn call_runtime(
    b: &mut FunctionBuilder,
    plan: &SymbolPlan,
    conv: CallConv,
    f: RuntimeFn,
    args: &[Value],
) {
    let mut sig = Signature::new(conv);
    sig.params
        .extend(f.params().iter().map(|s| AbiParam::new(scalar_type(*s))));
    sig.returns.push(AbiParam::new(scalar_type(f.result())));
    let callee = declare_func(b, plan.runtime(f), sig, false);
    b.ins().call(callee, args);
}

/// The body of `wasmlink_program_start` in snapshot mode.
pub(crate) fn snapshot_start(
    b: &mut FunctionBuilder,
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    conv: CallConv,
    values: Value,
) {
    let (Some(steps), Some(items)) = (plan.snapshot_steps, plan.snapshot_items) else {
        unreachable!("a snapshot-mode plan has its steps and items");
    };
    let texts = texts(graph, plan);
    let enter = |b: &mut FunctionBuilder, k: usize| {
        let (at, len) = texts.steps[k];
        let base = data_addr(b, steps);
        let what = b.ins().iadd_imm_s(base, at);
        let len = b.ins().iconst(types::I64, len as i64);
        call_runtime(b, plan, conv, RuntimeFn::PreinitEnter, &[what, len]);
    };
    for (k, &i) in graph.order.iter().enumerate() {
        enter(b, k);
        crate::instantiate::call_instantiate(b, plan, i);
    }
    if let crate::initial::Preinit::Snapshot {
        init: Some((i, f)), ..
    } = plan.preinit
    {
        enter(b, graph.order.len());
        crate::harness::call_with_slots(b, graph, plan, i, f, values);
    }
    let list = data_addr(b, items);
    let count = b.ins().iconst(types::I64, item_count(graph) as i64);
    call_runtime(b, plan, conv, RuntimeFn::PreinitSnapshot, &[list, count]);
}

/// What a snapshot can hold of a reference type (`ref_kind`).
fn kind_of(r: RefType) -> u32 {
    // Modules define only function types, so a concrete type is one.
    match r.heap_type() {
        HeapType::Concrete(_) | HeapType::Exact(_) => ref_kind::FUNC,
        HeapType::Abstract {
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
            ..
        } => ref_kind::FUNC,
        HeapType::Abstract { .. } => ref_kind::OPAQUE,
    }
}

fn global_code(ty: ValType) -> u32 {
    match ty {
        ValType::Ref(r) => kind_of(r),
        _ => 0,
    }
}

/// How many items [`items`] lists.
fn item_count(graph: &InstanceGraph) -> usize {
    (0..graph.instances.len())
        .map(|i| {
            let m = graph.module(i);
            1 + (m.memories.len() - m.num_imported_memories as usize)
                + (m.tables.len() - m.num_imported_tables as usize)
                + (m.globals.len() - m.num_imported_globals as usize)
                + m.data.len()
                + m.elements.len()
        })
        .sum()
}

/// The contents of the `SnapshotItem` list: for each instance, its funcref
/// slots (with its name), defined memories, tables and globals, and
/// segments.
pub(crate) fn items(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
) -> (Vec<u8>, Vec<DataReloc>) {
    let Some(steps) = plan.snapshot_steps else {
        unreachable!("a snapshot-mode plan has its steps");
    };
    let names = texts(graph, plan).instances;
    let mut list = ItemList::default();
    for (i, inst) in graph.instances.iter().enumerate() {
        let m = graph.module(i);
        let layout = &layouts[inst.source];
        let vmctx = plan.vmctx(i);
        let at = list.push(item::FUNCREFS, 0, i, 0, (vmctx, layout.funcrefs));
        list.put(at, preinit_field::ITEM_COUNT, m.funcs.len() as u64);
        list.put(at, preinit_field::ITEM_NAME_LEN, names[i].1);
        list.reloc(at, preinit_field::ITEM_NAME, (steps, names[i].0));
        for j in m.num_imported_memories..m.memories.len() as u32 {
            list.push(item::MEMORY, 0, i, j, (vmctx, layout.memories[j as usize]));
        }
        for t in m.num_imported_tables..m.tables.len() as u32 {
            let code = kind_of(m.tables[t as usize].element_type);
            list.push(item::TABLE, code, i, t, (vmctx, layout.tables[t as usize]));
        }
        for g in m.num_imported_globals..m.globals.len() as u32 {
            let code = global_code(m.globals[g as usize].ty.content_type);
            list.push(
                item::GLOBAL,
                code,
                i,
                g,
                (vmctx, layout.globals[g as usize]),
            );
        }
        for d in 0..m.data.len() {
            list.push(item::DATA, 0, i, d as u32, (vmctx, layout.data_segments[d]));
        }
        for (e, seg) in m.elements.iter().enumerate() {
            let code = kind_of(seg.ty);
            list.push(
                item::ELEM,
                code,
                i,
                e as u32,
                (vmctx, layout.elem_segments[e]),
            );
        }
    }
    (list.bytes, list.relocs)
}

/// `SnapshotItem`s being laid out.
#[derive(Default)]
struct ItemList {
    bytes: Vec<u8>,
    relocs: Vec<DataReloc>,
}

impl ItemList {
    /// Add an item whose `ptr` is byte `at.1` of data object `at.0`;
    /// returns where it starts.
    fn push(
        &mut self,
        kind: u32,
        code: u32,
        instance: usize,
        index: u32,
        at: (usize, u32),
    ) -> usize {
        let base = self.bytes.len();
        self.bytes.resize(base + SNAPSHOT_ITEM_SIZE as usize, 0);
        let words = [
            (preinit_field::ITEM_KIND, kind),
            (preinit_field::ITEM_CODE, code),
            (preinit_field::ITEM_INSTANCE, instance as u32),
            (preinit_field::ITEM_INDEX, index),
        ];
        for (field, v) in words {
            let o = base + field as usize;
            self.bytes[o..o + 4].copy_from_slice(&v.to_le_bytes());
        }
        self.reloc(base, preinit_field::ITEM_PTR, (at.0, i64::from(at.1)));
        base
    }

    fn put(&mut self, item: usize, field: u32, v: u64) {
        let o = item + field as usize;
        self.bytes[o..o + 8].copy_from_slice(&v.to_le_bytes());
    }

    fn reloc(&mut self, item: usize, field: u32, (data, addend): (usize, i64)) {
        self.relocs.push(DataReloc {
            offset: (item as u32) + field,
            target: SymbolRef::Data(data),
            addend,
        });
    }
}

/// The configuration of a snapshot program: snapshot mode with `argv0`
/// as its one argument, the manifest's preopened directories (which it
/// sees by their guest paths at fds 3, 4, … as it will when it runs; their
/// host directories are not opened) and no run-time flags (nothing of the
/// machine that builds it reaches it).
pub(crate) fn snapshot_config(argv0: &str, graph: &InstanceGraph) -> Vec<u8> {
    let mut out = config::MAGIC.to_vec();
    let mut record = |t: u8, parts: &[&[u8]]| {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        out.push(t);
        let len = u32::try_from(len).expect("a configuration string is shorter than 4 GiB");
        out.extend_from_slice(&len.to_le_bytes());
        for p in parts {
            out.extend_from_slice(p);
        }
    };
    record(tag::PREINIT, &[argv0.as_bytes()]);
    for (guest, host) in &graph.wasi.preopens {
        let guest_len = u32::try_from(guest.len())
            .expect("a configuration string is shorter than 4 GiB")
            .to_le_bytes();
        record(
            tag::PREOPEN,
            &[&guest_len, guest.as_bytes(), host.as_bytes()],
        );
    }
    // Seen by name, at the fds they have when the program runs.
    crate::config_records::embed_records(graph, &mut record);
    record(tag::RUNTIME_FLAGS, &[&[0]]);
    out
}
