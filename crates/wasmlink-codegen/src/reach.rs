//! Dead code (the `dead-code` whole-program optimisation): which defined
//! functions the program can ever run.
//!
//! A module's exports are what a runtime that instantiates it must keep;
//! a static link knows which of them any instance actually binds, so a
//! library's unused functions are dead. The analysis walks the program
//! from its roots, per instance (each instance binds its imports its own
//! way), following direct calls through resolved imports:
//!
//! - the entry, every start function and `_initialize`, and
//!   `wasi_thread_start` of instances that spawn threads; with
//!   pre-initialisation, its init export;
//! - every function an element segment, a global or table initialiser, or
//!   a `ref.func` in live code names (it may be called through a table or
//!   a reference), every `realloc` a lowered call uses;
//! - in a spec-test harness build, every export (the script may call any).
//!
//! Active element segments are roots (they fill tables when the program
//! starts); a passive one is read only by a `table.init` of it in live
//! code, and only then are the functions it names live. Likewise a passive
//! data segment's bytes are needed only by a live `memory.init` of it:
//! [`LiveFunctions::reads_segment`] says which passive segments live code
//! may read, and the others are emitted empty (as if dropped).
//!
//! A dead function keeps its symbol (vmctx images and tables may still
//! name it) but its code is a single trap, so it costs neither compile
//! time nor space. A body that cannot be read keeps everything its
//! instance can reach alive (its compile job reports the error).

use std::collections::HashSet;
use wasmlink_graph::{FuncTarget, InstanceGraph, SourceId};
use wasmlink_module::wasmparser::Operator;
use wasmlink_module::{ConstExpr, ConstOp, ElementMode, ExternKind};

/// A data or element segment of a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Data(u32),
    Elem(u32),
}

/// The defined functions that may run, as (source, function index), and
/// the passive segments their code may read.
pub struct LiveFunctions {
    live: HashSet<(SourceId, u32)>,
    segments: HashSet<(SourceId, Segment)>,
}

impl LiveFunctions {
    pub fn new(graph: &InstanceGraph, harness: bool) -> LiveFunctions {
        LiveFunctions::with_roots(graph, harness, &[])
    }

    /// The live functions when `roots` (instance, function index) run
    /// too (pre-initialisation's init export).
    pub fn with_roots(
        graph: &InstanceGraph,
        harness: bool,
        roots: &[(usize, u32)],
    ) -> LiveFunctions {
        let mut walk = Walk {
            graph,
            seen: HashSet::new(),
            work: Vec::new(),
            segments: HashSet::new(),
        };
        walk.roots(harness);
        for &(instance, index) in roots {
            walk.mark(instance, index);
        }
        while let Some((instance, index)) = walk.work.pop() {
            walk.body(instance, index);
        }
        let live = walk
            .seen
            .into_iter()
            .map(|(i, f)| (graph.instances[i].source, f))
            .collect();
        let segments = walk
            .segments
            .into_iter()
            .map(|(i, seg)| (graph.instances[i].source, seg))
            .collect();
        LiveFunctions { live, segments }
    }

    pub fn is_live(&self, source: SourceId, index: u32) -> bool {
        self.live.contains(&(source, index))
    }

    /// Whether live code of `source` may read passive segment `segment`
    /// (`memory.init`, `table.init`).
    pub fn reads_segment(&self, source: SourceId, segment: Segment) -> bool {
        self.segments.contains(&(source, segment))
    }
}

struct Walk<'g> {
    graph: &'g InstanceGraph,
    /// Live defined functions, as (instance, function index).
    seen: HashSet<(usize, u32)>,
    work: Vec<(usize, u32)>,
    /// Passive segments live code may read, as (instance, segment).
    segments: HashSet<(usize, Segment)>,
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

    fn roots(&mut self, harness: bool) {
        let graph = self.graph;
        self.mark(graph.entry.instance, graph.entry.func);
        for (i, inst) in graph.instances.iter().enumerate() {
            let m = &graph.sources[inst.source].module;
            if let Some(start) = m.start {
                self.mark(i, start);
            }
            for e in &m.exports {
                let root = e.name == "_initialize"
                    || e.name == "wasi_thread_start"
                    || (harness && e.kind == ExternKind::Func);
                if root && e.kind == ExternKind::Func {
                    self.mark(i, e.index);
                }
            }
            // Active segments fill tables at instantiation; passive ones
            // count once a live `table.init` reads them (`body`).
            let exprs = m
                .elements
                .iter()
                .filter(|s| matches!(s.mode, ElementMode::Active { .. }))
                .flat_map(|s| s.items.iter())
                .chain(m.globals.iter().filter_map(|g| g.init.as_ref()))
                .chain(m.table_inits.iter().flatten());
            for f in funcs_named(exprs) {
                self.mark(i, f);
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

    /// Mark what defined function `index` of `instance` calls or names.
    fn body(&mut self, instance: usize, index: u32) {
        let m = &self.graph.sources[self.graph.instances[instance].source].module;
        if index < m.num_imported_funcs {
            return;
        }
        let mut named = Vec::new();
        let mut read = Vec::new();
        let readable = m.visit_operators(index, |op| match op {
            Operator::Call { function_index }
            | Operator::ReturnCall { function_index }
            | Operator::RefFunc { function_index } => named.push(function_index),
            Operator::MemoryInit { data_index, .. } => read.push(Segment::Data(data_index)),
            Operator::TableInit { elem_index, .. } => read.push(Segment::Elem(elem_index)),
            _ => {}
        });
        if !readable {
            named = (0..m.funcs.len() as u32).collect();
            read = (0..m.data.len() as u32).map(Segment::Data).collect();
            read.extend((0..m.elements.len() as u32).map(Segment::Elem));
        }
        for f in named {
            self.mark(instance, f);
        }
        for seg in read {
            if !self.segments.insert((instance, seg)) {
                continue;
            }
            if let Segment::Elem(e) = seg {
                let items = m.elements.get(e as usize).map(|s| s.items.as_slice());
                for f in funcs_named(items.unwrap_or_default().iter()) {
                    self.mark(instance, f);
                }
            }
        }
    }
}

/// The functions `ref.func` names in constant expressions.
fn funcs_named<'e>(exprs: impl Iterator<Item = &'e ConstExpr>) -> Vec<u32> {
    exprs
        .flat_map(|e| e.0.iter())
        .filter_map(|op| match op {
            ConstOp::RefFunc(f) => Some(*f),
            _ => None,
        })
        .collect()
}
