//! Dead code (the `dead-code` whole-program optimisation): which defined
//! functions, globals, tables and segments the program can ever use.
//!
//! A module's exports are what a runtime that instantiates it must keep;
//! a static link knows which of them any instance actually binds, so a
//! library's unused functions and state are dead. The analysis walks the
//! program from its roots, per instance (each instance binds its imports
//! its own way), following direct calls, globals and tables through
//! resolved imports to their definitions:
//!
//! - the entry, every start function and `_initialize`, and
//!   `wasi_thread_start` of instances that spawn threads; with
//!   pre-initialisation, its init export; every `realloc` a lowered call
//!   uses; in a spec-test harness build, every export (the script may
//!   call any function and read any global or table);
//! - a function is live when live code calls it or names it (`ref.func`),
//!   or when a live global's or table's initialiser or an element segment
//!   that is applied names it (it may be called through a reference);
//! - a global is live when live code or an evaluated constant expression
//!   reads or writes it; a table when live code uses it (`call_indirect`,
//!   `table.*`).
//!
//! Segments: an active data segment is always applied (memories are not
//! analysed). An active element segment fills its table only if the table
//! is live — a dead table is never created, so nothing can observe its
//! contents — unless its bounds cannot be proven at build time (then the
//! instantiation may trap, as the spec says, and the table counts as live
//! so it does). A passive segment is read only by a `memory.init`,
//! `table.init` or `array.new_data`/`new_elem`/`init_data`/`init_elem` of
//! it in live code. [`Reachable::uses_segment`] says which
//! segments are used; the others are emitted empty (as if dropped).
//!
//! A dead function has no code: every reference to it (a funcref slot of
//! a vmctx) names one shared function that traps with "dead code"
//! ([`dead_code_function`]). A dead global is never initialised (its slot
//! stays zero), a dead table never created. A body that cannot be read
//! keeps everything its instance can reach alive (its compile job reports
//! the error).

use crate::env::{entry_block, vmctx_function};
use crate::initial::static_offset;
use cranelift_codegen::ir::{Function, InstBuilder};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::collections::HashSet;
use wasmlink_graph::{FuncTarget, InstanceGraph, SourceId};
use wasmlink_module::wasmparser::Operator;
use wasmlink_module::{ConstExpr, ConstOp, DataMode, ElementMode, ExternKind};

/// A data or element segment of a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Data(u32),
    Elem(u32),
}

/// What the program can use: the defined functions that may run, as
/// (source, function index) — code is shared by a source's instances —
/// and, per instance, the defined globals and tables it keeps and the
/// segments it applies or reads.
pub struct Reachable {
    functions: HashSet<(SourceId, u32)>,
    /// Live defined tables, as (defining instance, table index).
    tables: HashSet<(usize, u32)>,
    /// Live defined globals, as (defining instance, global index).
    globals: HashSet<(usize, u32)>,
    /// Used segments, as (instance, segment).
    segments: HashSet<(usize, Segment)>,
}

impl Reachable {
    pub fn new(graph: &InstanceGraph, harness: bool) -> Reachable {
        Reachable::with_roots(graph, harness, &[])
    }

    /// What is live when `roots` (instance, function index) run too
    /// (pre-initialisation's init export).
    pub fn with_roots(graph: &InstanceGraph, harness: bool, roots: &[(usize, u32)]) -> Reachable {
        let mut walk = Walk {
            graph,
            seen: HashSet::new(),
            work: Vec::new(),
            tables: HashSet::new(),
            globals: HashSet::new(),
            segments: HashSet::new(),
            pending: Vec::new(),
        };
        walk.roots(harness);
        for &(instance, index) in roots {
            walk.mark(instance, index);
        }
        loop {
            while let Some((instance, index)) = walk.work.pop() {
                walk.body(instance, index);
            }
            // Element segments whose table has become live fill it, and
            // what they name becomes live in turn.
            let ready: Vec<(usize, u32)> = (walk.pending.iter().copied())
                .filter(|&(i, e)| walk.target_is_live(i, e))
                .collect();
            if ready.is_empty() {
                break;
            }
            walk.pending.retain(|p| !ready.contains(p));
            for (i, e) in ready {
                walk.apply_elem(i, e);
            }
        }
        let functions = (walk.seen.into_iter())
            .map(|(i, f)| (graph.instances[i].source, f))
            .collect();
        Reachable {
            functions,
            tables: walk.tables,
            globals: walk.globals,
            segments: walk.segments,
        }
    }

    /// Whether defined function `index` of `source` may run.
    pub fn is_live(&self, source: SourceId, index: u32) -> bool {
        self.functions.contains(&(source, index))
    }

    /// Whether table `table` of `instance` (defined or imported) is live.
    pub fn table_is_live(&self, graph: &InstanceGraph, instance: usize, table: u32) -> bool {
        let r = graph.resolve_item(instance, ExternKind::Table, table);
        self.tables.contains(&(r.instance, r.index))
    }

    /// Whether global `global` of `instance` (defined or imported) is live.
    pub fn global_is_live(&self, graph: &InstanceGraph, instance: usize, global: u32) -> bool {
        let r = graph.resolve_item(instance, ExternKind::Global, global);
        self.globals.contains(&(r.instance, r.index))
    }

    /// Whether `instance` uses segment `segment`: an active one is
    /// applied, a passive one may be read by live code (`memory.init`,
    /// `table.init`). An unused segment starts dropped.
    pub fn uses_segment(&self, instance: usize, segment: Segment) -> bool {
        self.segments.contains(&(instance, segment))
    }
}

struct Walk<'g> {
    graph: &'g InstanceGraph,
    /// Live defined functions, as (instance, function index).
    seen: HashSet<(usize, u32)>,
    work: Vec<(usize, u32)>,
    tables: HashSet<(usize, u32)>,
    globals: HashSet<(usize, u32)>,
    segments: HashSet<(usize, Segment)>,
    /// Active element segments, as (instance, segment), that fill a table
    /// not (yet) live: applied if it becomes live.
    pending: Vec<(usize, u32)>,
}

impl Walk<'_> {
    /// Function `index` of `instance` may run: follow it to its definition.
    fn mark(&mut self, instance: usize, index: u32) {
        if let FuncTarget::Defined(r) = self.graph.resolve_func(instance, index) {
            if self.seen.insert((r.instance, r.index)) {
                self.work.push((r.instance, r.index));
            }
        }
    }

    /// Global `index` of `instance` is used: its definition is live, and
    /// so is what its initialiser reads or names.
    fn mark_global(&mut self, instance: usize, index: u32) {
        let r = self.graph.resolve_item(instance, ExternKind::Global, index);
        if self.globals.insert((r.instance, r.index)) {
            let module = self.graph.module(r.instance);
            if let Some(init) = module
                .globals
                .get(r.index as usize)
                .and_then(|g| g.init.as_ref())
            {
                self.const_expr(r.instance, init);
            }
        }
    }

    /// Table `index` of `instance` is used: its definition is live, and
    /// so is what its initialiser names.
    fn mark_table(&mut self, instance: usize, index: u32) {
        let r = self.graph.resolve_item(instance, ExternKind::Table, index);
        if self.tables.insert((r.instance, r.index)) {
            let module = self.graph.module(r.instance);
            if let Some(Some(init)) = module.table_inits.get(r.index as usize) {
                self.const_expr(r.instance, init);
            }
        }
    }

    /// A constant expression of `instance` is evaluated.
    fn const_expr(&mut self, instance: usize, expr: &ConstExpr) {
        for op in &expr.0 {
            match *op {
                ConstOp::RefFunc(f) => self.mark(instance, f),
                ConstOp::GlobalGet(g) => self.mark_global(instance, g),
                _ => {}
            }
        }
    }

    fn roots(&mut self, harness: bool) {
        let graph = self.graph;
        self.mark(graph.entry.instance, graph.entry.func);
        for (i, inst) in graph.instances.iter().enumerate() {
            let m = &graph.sources[inst.source].module;
            if let Some(start) = m.start {
                self.mark(i, start);
            }
            for e in &m.exports {
                match e.kind {
                    ExternKind::Func
                        if harness || e.name == "_initialize" || e.name == "wasi_thread_start" =>
                    {
                        self.mark(i, e.index)
                    }
                    ExternKind::Global if harness => self.mark_global(i, e.index),
                    ExternKind::Table if harness => self.mark_table(i, e.index),
                    _ => {}
                }
            }
            for (d, seg) in m.data.iter().enumerate() {
                if let DataMode::Active { offset, .. } = &seg.mode {
                    self.segments.insert((i, Segment::Data(d as u32)));
                    self.const_expr(i, offset);
                }
            }
            for (e, seg) in m.elements.iter().enumerate() {
                let ElementMode::Active { table, offset } = &seg.mode else {
                    continue;
                };
                // A segment that fits in its table's initial size cannot
                // trap; one that may must be applied for the trap to
                // happen, and keeps its table.
                let r = graph.resolve_item(i, ExternKind::Table, *table);
                let size = graph.module(r.instance).tables[r.index as usize].initial;
                let fits = static_offset(graph, i, offset)
                    .and_then(|at| at.checked_add(seg.items.len() as u64))
                    .is_some_and(|end| end <= size);
                if !fits {
                    self.mark_table(i, *table);
                }
                self.pending.push((i, e as u32));
            }
            for binding in &inst.imports {
                if let wasmlink_graph::Binding::Lowered(l) = binding {
                    if let Some(r) = l.options.realloc {
                        self.mark(r.instance, r.index);
                    }
                }
            }
        }
    }

    /// Whether the table active element segment `e` of `instance` fills
    /// is live.
    fn target_is_live(&self, instance: usize, e: u32) -> bool {
        let m = self.graph.module(instance);
        let ElementMode::Active { table, .. } = &m.elements[e as usize].mode else {
            return false;
        };
        let r = self.graph.resolve_item(instance, ExternKind::Table, *table);
        self.tables.contains(&(r.instance, r.index))
    }

    /// Active element segment `e` of `instance` is applied: its offset and
    /// items are evaluated.
    fn apply_elem(&mut self, instance: usize, e: u32) {
        self.segments.insert((instance, Segment::Elem(e)));
        let seg = &self.graph.module(instance).elements[e as usize];
        if let ElementMode::Active { offset, .. } = &seg.mode {
            self.const_expr(instance, offset);
        }
        for item in &seg.items {
            self.const_expr(instance, item);
        }
    }

    /// Mark what defined function `index` of `instance` calls, names or
    /// uses.
    fn body(&mut self, instance: usize, index: u32) {
        let m = self.graph.module(instance);
        if index < m.num_imported_funcs {
            return;
        }
        let mut named = Vec::new();
        let mut globals = Vec::new();
        let mut tables = Vec::new();
        let mut read = Vec::new();
        let readable = m.visit_operators(index, |op| match op {
            Operator::Call { function_index }
            | Operator::ReturnCall { function_index }
            | Operator::RefFunc { function_index } => named.push(function_index),
            Operator::GlobalGet { global_index } | Operator::GlobalSet { global_index } => {
                globals.push(global_index)
            }
            Operator::CallIndirect { table_index, .. }
            | Operator::ReturnCallIndirect { table_index, .. } => tables.push(table_index),
            Operator::TableGet { table }
            | Operator::TableSet { table }
            | Operator::TableSize { table }
            | Operator::TableGrow { table }
            | Operator::TableFill { table } => tables.push(table),
            Operator::TableCopy {
                dst_table,
                src_table,
            } => tables.extend([dst_table, src_table]),
            Operator::MemoryInit { data_index, .. }
            | Operator::ArrayNewData {
                array_data_index: data_index,
                ..
            }
            | Operator::ArrayInitData {
                array_data_index: data_index,
                ..
            } => read.push(Segment::Data(data_index)),
            Operator::ArrayNewElem {
                array_elem_index, ..
            }
            | Operator::ArrayInitElem {
                array_elem_index, ..
            } => read.push(Segment::Elem(array_elem_index)),
            Operator::TableInit { elem_index, table } => {
                tables.push(table);
                read.push(Segment::Elem(elem_index));
            }
            _ => {}
        });
        if !readable {
            named = (0..m.funcs.len() as u32).collect();
            globals = (0..m.globals.len() as u32).collect();
            tables = (0..m.tables.len() as u32).collect();
            read = (0..m.data.len() as u32).map(Segment::Data).collect();
            read.extend((0..m.elements.len() as u32).map(Segment::Elem));
        }
        for f in named {
            self.mark(instance, f);
        }
        for g in globals {
            self.mark_global(instance, g);
        }
        for t in tables {
            self.mark_table(instance, t);
        }
        for seg in read {
            let passive = match seg {
                Segment::Data(d) => matches!(m.data[d as usize].mode, DataMode::Passive),
                Segment::Elem(e) => matches!(m.elements[e as usize].mode, ElementMode::Passive),
            };
            // An active or declared segment is dropped once the program
            // starts: reading it reads nothing.
            if !passive || !self.segments.insert((instance, seg)) {
                continue;
            }
            if let Segment::Elem(e) = seg {
                for item in &m.elements[e as usize].items {
                    self.const_expr(instance, item);
                }
            }
        }
    }
}

/// The code every reference to a dead function names (symbol `sym`): a
/// trap that says so. Nothing live can call it; a caller of any
/// signature that did would stop here before any argument is read (its
/// signature is the Wasm calling convention's with no parameters).
pub(crate) fn dead_code_function(isa: &dyn TargetIsa, sym: usize) -> Function {
    let mut func = vmctx_function(sym);
    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut ctx);
    entry_block(&mut builder);
    builder
        .ins()
        .trap(crate::traps::clif_trap(wasmlink_abi::Trap::DeadCode));
    builder.finalize(isa.frontend_config());
    func
}
