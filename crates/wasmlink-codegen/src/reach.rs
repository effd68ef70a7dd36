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
//! A dead function keeps its symbol (vmctx images and tables may still
//! name it) but its code is a single trap, so it costs neither compile
//! time nor space. A body that cannot be read keeps everything its
//! instance can reach alive (its compile job reports the error).

use std::collections::HashSet;
use wasmlink_graph::{FuncTarget, InstanceGraph, SourceId};
use wasmlink_module::wasmparser::Operator;
use wasmlink_module::{ConstOp, ExternKind};

/// The defined functions that may run, as (source, function index).
pub struct LiveFunctions {
    live: HashSet<(SourceId, u32)>,
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
        LiveFunctions { live }
    }

    pub fn is_live(&self, source: SourceId, index: u32) -> bool {
        self.live.contains(&(source, index))
    }
}

struct Walk<'g> {
    graph: &'g InstanceGraph,
    /// Live defined functions, as (instance, function index).
    seen: HashSet<(usize, u32)>,
    work: Vec<(usize, u32)>,
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
            let exprs = m
                .elements
                .iter()
                .flat_map(|s| s.items.iter())
                .chain(m.globals.iter().filter_map(|g| g.init.as_ref()))
                .chain(m.table_inits.iter().flatten());
            let named: Vec<u32> = exprs
                .flat_map(|e| e.0.iter())
                .filter_map(|op| match op {
                    ConstOp::RefFunc(f) => Some(*f),
                    _ => None,
                })
                .collect();
            for f in named {
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
        let readable = m.visit_operators(index, |op| {
            if let Operator::Call { function_index }
            | Operator::ReturnCall { function_index }
            | Operator::RefFunc { function_index } = op
            {
                named.push(function_index);
            }
        });
        if !readable {
            named = (0..m.funcs.len() as u32).collect();
        }
        for f in named {
            self.mark(instance, f);
        }
    }
}
