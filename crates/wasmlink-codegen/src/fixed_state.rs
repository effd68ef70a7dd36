//! The `fixed-state` whole-program optimisation, as seen by the
//! translator: what a function of a source with a single instance (that
//! spawns no threads) can reach at link-time addresses instead of through
//! its vmctx parameter — imported memories, tables and globals at their
//! place in the defining instance's vmctx, and immutable numeric globals
//! as the numbers they are. (The instance's own vmctx at its link-time
//! address is `FuncEnv::enter`'s part.) Functions that only direct calls
//! can reach take no vmctx parameter at all ([`vmctx_free_functions`]).
//! The program's main memory lives at a fixed address
//! ([`fixed_memory`]), so its base is a constant in generated code.

use crate::env::FuncEnv;
use crate::symbols::SymbolPlan;
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::{types, InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use wasmlink_graph::InstanceGraph;
use wasmlink_module::{ConstOp, ElementMode, ExternKind, ModuleInfo};

/// The memory reserved at [`wasmlink_abi::FIXED_MEMORY_BASE`], as
/// (defining instance, memory index): memory 0 of the entry instance,
/// wherever it is defined, when it is a 32-bit memory and the program
/// makes no instance at run time (a thread's instance would share it, but
/// its code reaches memories through its vmctx anyway; keeping them out
/// keeps the rule simple). A function of a single-instance source then
/// addresses it as `disp32(%index)`: no register holds its base, no load
/// fetches it.
///
/// A test harness (`wasmlink wast`, the differential test) runs no entry
/// but instantiates each of its instances at most once, on command: there
/// it is the first 32-bit memory an instance defines, so the spec and
/// differential suites run the fixed-address code too (the entry, a
/// stand-in there, is skipped).
pub(crate) fn fixed_memory(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    harness: bool,
) -> Option<(usize, u32)> {
    if plan.thread_instances().next().is_some() {
        return None;
    }
    if harness {
        // Its entry is a stand-in (the spec harness's `spectest`).
        let entry = graph.entry.instance;
        return graph.order.iter().filter(|&&i| i != entry).find_map(|&i| {
            let m = &graph.sources[graph.instances[i].source].module;
            let j = m.num_imported_memories;
            m.memories
                .get(j as usize)
                .filter(|ty| !ty.memory64)
                .map(|_| (i, j))
        });
    }
    let entry = graph.entry.instance;
    let module = &graph.sources[graph.instances[entry].source].module;
    if module.memories.is_empty() {
        return None;
    }
    let r = graph.resolve_item(entry, ExternKind::Memory, 0);
    let definer = &graph.sources[graph.instances[r.instance].source].module;
    let ty = definer.memories.get(r.index as usize)?;
    (!ty.memory64).then_some((r.instance, r.index))
}

impl FuncEnv<'_> {
    /// With `fixed-state`, the base of memory `index` when it is the
    /// program's [`fixed_memory`] (as a constant), for a single-instance
    /// source.
    pub(crate) fn fixed_memory_base(&self, index: u32) -> Option<u64> {
        let fixed = self.src.fixed_memory?;
        let instance = self.src.only_instance?;
        let r = self
            .src
            .graph
            .resolve_item(instance, ExternKind::Memory, index);
        ((r.instance, r.index) == fixed).then_some(wasmlink_abi::FIXED_MEMORY_BASE)
    }

    /// With `fixed-state`, the address of imported memory, table or global
    /// `index` at its link-time place: inside the vmctx of the instance
    /// that defines it (the importer's vmctx holds a pointer to it, which
    /// costs a load). `None` for a defined item, or without the
    /// optimisation.
    pub(crate) fn fixed_import(
        &mut self,
        builder: &mut FunctionBuilder,
        kind: ExternKind,
        index: u32,
    ) -> Option<Value> {
        self.src.fixed_vmctx?;
        let instance = self.src.only_instance?;
        if !self.module().is_imported(kind, index) {
            return None;
        }
        let graph = self.src.graph;
        let r = graph.resolve_item(instance, kind, index);
        let layout = &self.src.layouts[graph.instances[r.instance].source];
        let off = match kind {
            ExternKind::Memory => layout.memories[r.index as usize],
            ExternKind::Table => layout.tables[r.index as usize],
            ExternKind::Global => layout.globals[r.index as usize],
            _ => return None,
        };
        let vmctx = self.data_addr(builder, self.src.plan.vmctx(r.instance));
        Some(builder.ins().iadd_imm_s(vmctx, off as i64))
    }

    /// The value of global `index` when it is a constant known at build
    /// time (with `fixed-state`): an immutable global initialised with a
    /// number, defined here or, for a source with one instance, imported
    /// from another instance.
    pub fn constant_global(&self, builder: &mut FunctionBuilder, index: u32) -> Option<Value> {
        self.src.fixed_vmctx?;
        let instance = self.src.only_instance?;
        let graph = self.src.graph;
        let r = graph.resolve_item(instance, ExternKind::Global, index);
        let g = graph.sources[graph.instances[r.instance].source]
            .module
            .globals
            .get(r.index as usize)?;
        if g.ty.mutable {
            return None;
        }
        let ins = builder.ins();
        Some(match g.init.as_ref()?.0[..] {
            [ConstOp::I32Const(v)] => ins.iconst(types::I32, i64::from(v)),
            [ConstOp::I64Const(v)] => ins.iconst(types::I64, v),
            [ConstOp::F32Const(bits)] => ins.f32const(Ieee32::with_bits(bits)),
            [ConstOp::F64Const(bits)] => ins.f64const(Ieee64::with_bits(bits)),
            _ => return None,
        })
    }
}

/// For a source with `fixed-state`, indexed by function index: the
/// defined functions that take no vmctx parameter. A function needs the
/// uniform signature (vmctx first) when anything but a direct call of its
/// own module may reach it: an export (other instances, the runtime,
/// adapters, the harness), the start function (instantiation code), and
/// every function a reference can name. Validation allows `ref.func f` in
/// code only for an `f` that an export, a global or table initialiser or
/// an element segment (declarative ones included) names, so those are
/// all the references there can be; their funcref slots and table
/// entries are the only indirect ways to a function. The rest — most of
/// a C program — is called directly, and its callers pass nothing.
pub(crate) fn vmctx_free_functions(module: &ModuleInfo) -> Vec<bool> {
    let mut free = vec![true; module.funcs.len()];
    for f in free.iter_mut().take(module.num_imported_funcs as usize) {
        *f = false;
    }
    let mut take = |f: u32| {
        if let Some(slot) = free.get_mut(f as usize) {
            *slot = false;
        }
    };
    for e in &module.exports {
        if e.kind == ExternKind::Func {
            take(e.index);
        }
    }
    if let Some(start) = module.start {
        take(start);
    }
    let exprs = (module.globals.iter().filter_map(|g| g.init.as_ref()))
        .chain(module.table_inits.iter().flatten())
        .chain(module.elements.iter().flat_map(|e| {
            let offset = match &e.mode {
                ElementMode::Active { offset, .. } => Some(offset),
                ElementMode::Passive | ElementMode::Declared => None,
            };
            e.items.iter().chain(offset)
        }));
    for expr in exprs {
        for op in &expr.0 {
            if let ConstOp::RefFunc(f) = op {
                take(*f);
            }
        }
    }
    free
}
