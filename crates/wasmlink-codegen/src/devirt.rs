//! Devirtualised `call_indirect` (the `devirtualize` whole-program
//! optimisation).
//!
//! A table that no instruction of the program ever writes (no `table.set`,
//! `table.grow`, `table.fill`, `table.copy` into it or `table.init` of it,
//! in any instance that can reach it, whether it defines or imports it)
//! holds after instantiation exactly what its initialiser and the active
//! element segments put there — and a static link knows all of them: the
//! instantiation order, every segment's offset (when it is a constant) and
//! what every function import is bound to. So [`StaticTables`] computes the
//! final contents of such tables at build time, and a `call_indirect`
//! whose index is a constant (`i32.const N; call_indirect`, the shape of
//! the shims wit-component generates and of calls through constant
//! function pointers) and whose entry is a Wasm function of the expected
//! type becomes a direct call, with no bounds, null or signature check —
//! which the inliner can then inline.
//!
//! Code that runs while the program is instantiated (start functions,
//! `_initialize`) must not see a table before a later instance's segments
//! fill it: a table written by an instance instantiated after the first
//! one that runs code is left alone (and in a spec-test harness, where a
//! script calls exports between instantiations, any table an instance
//! other than its definer writes).
//!
//! Only instances whose source has no other instance (and that spawn no
//! threads) use it: the code of a source is shared by its instances, whose
//! tables may differ. Anything not known at build time (an offset read from
//! a global, an entry that is a runtime function, a null entry, a type that
//! differs: the call traps) keeps the checked indirect call.

use crate::env::FuncEnv;
use crate::jump_table::{MAX_COMPARES, MAX_JUMP_TABLE};
use crate::symbols::SymbolPlan;
use cranelift_codegen::ir::Value;
use cranelift_frontend::FunctionBuilder;
use std::collections::{HashMap, HashSet};
use wasmlink_graph::{FuncTarget, InstanceGraph, ItemRef};
use wasmlink_module::wasmparser::Operator;
use wasmlink_module::{ConstOp, ElementMode, ExternKind};

/// A table entry known at build time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticEntry {
    /// The function symbol to call.
    pub func: usize,
    /// The data symbol of the callee instance's vmctx.
    pub vmctx: usize,
    /// The canonical type id of the callee (see `TypeIds`).
    pub type_id: u64,
}

/// The final contents of every table that is never written, by table
/// (its defining instance and index); `None` entries are not known.
#[derive(Default)]
pub struct StaticTables {
    tables: HashMap<ItemRef, Vec<Option<StaticEntry>>>,
    /// For each table longer than [`MAX_JUMP_TABLE`], the indices of its
    /// entries of each type, the first [`MAX_COMPARES`] + 1 of them: all a
    /// call site needs to decide on a compare chain. Built once, so a
    /// site does not scan a table of thousands of entries (CPython's) for
    /// the few of its type.
    long_by_type: HashMap<ItemRef, HashMap<u64, Vec<u32>>>,
}

impl StaticTables {
    /// `harness`: a spec-test harness build, whose script may call an
    /// instance's exports before later instances are instantiated.
    pub fn new(
        graph: &InstanceGraph,
        plan: &SymbolPlan,
        type_ids: &crate::symbols::TypeIds,
        harness: bool,
    ) -> Self {
        let written = written_tables(graph);
        let mut tables: HashMap<ItemRef, Vec<Option<StaticEntry>>> = HashMap::new();
        // Initial contents: tables that start null (or with an initialiser,
        // which is left unknown).
        for (i, inst) in graph.instances.iter().enumerate() {
            let m = &graph.sources[inst.source].module;
            for t in m.num_imported_tables..m.tables.len() as u32 {
                let table = ItemRef {
                    instance: i,
                    index: t,
                };
                if written.contains(&table) || m.tables[t as usize].table64 {
                    continue;
                }
                let size = m.tables[t as usize].initial as usize;
                let unknown = m.table_inits.get(t as usize).is_some_and(Option::is_some);
                if unknown || size > 1 << 20 {
                    continue;
                }
                tables.insert(table, vec![None; size]);
            }
        }
        // Code runs during instantiation too (start functions and
        // `_initialize`): a table is final for it only if no later instance
        // writes it. Position in the instantiation order of the first
        // instance that runs code while being instantiated.
        let first_code = graph.order.iter().position(|&i| {
            let m = &graph.sources[graph.instances[i].source].module;
            m.start.is_some() || m.export("_initialize").is_some()
        });
        let mut poisoned = HashSet::new();
        for (position, &i) in graph.order.iter().enumerate() {
            let m = &graph.sources[graph.instances[i].source].module;
            for seg in &m.elements {
                let ElementMode::Active { table, offset } = &seg.mode else {
                    continue;
                };
                let target = graph.resolve_item(i, ExternKind::Table, *table);
                let Some(contents) = tables.get_mut(&target) else {
                    continue;
                };
                let too_late = if harness {
                    target.instance != i
                } else {
                    first_code.is_some_and(|first| position > first)
                };
                if too_late {
                    poisoned.insert(target);
                    continue;
                }
                let [ConstOp::I32Const(offset)] = offset.0[..] else {
                    poisoned.insert(target);
                    continue;
                };
                let start = offset as u32 as usize;
                if start.saturating_add(seg.items.len()) > contents.len() {
                    // Instantiation traps; nothing runs after it.
                    poisoned.insert(target);
                    continue;
                }
                for (k, item) in seg.items.iter().enumerate() {
                    contents[start + k] = match item.0[..] {
                        [ConstOp::RefFunc(f)] => entry(graph, plan, type_ids, i, f),
                        _ => None,
                    };
                }
            }
        }
        for t in poisoned {
            tables.remove(&t);
        }
        let mut long_by_type = HashMap::new();
        for (&table, contents) in &tables {
            if contents.len() <= MAX_JUMP_TABLE {
                continue;
            }
            let mut by_type: HashMap<u64, Vec<u32>> = HashMap::new();
            for (k, e) in contents.iter().enumerate() {
                let (Some(e), Ok(k)) = (e, u32::try_from(k)) else {
                    continue;
                };
                let indices = by_type.entry(e.type_id).or_default();
                if indices.len() <= MAX_COMPARES {
                    indices.push(k);
                }
            }
            long_by_type.insert(table, by_type);
        }
        StaticTables {
            tables,
            long_by_type,
        }
    }

    /// For a table longer than [`MAX_JUMP_TABLE`] that is never written:
    /// the indices of its entries of type `type_id`, in order, at most
    /// [`MAX_COMPARES`] + 1 of them.
    pub fn long_table_indices(
        &self,
        graph: &InstanceGraph,
        instance: usize,
        table: u32,
        type_id: u64,
    ) -> Option<&[u32]> {
        let target = graph.resolve_item(instance, ExternKind::Table, table);
        let by_type = self.long_by_type.get(&target)?;
        Some(by_type.get(&type_id).map_or(&[][..], Vec::as_slice))
    }

    /// The entry at `index` of table `table` of `instance`, when known.
    pub fn entry(
        &self,
        graph: &InstanceGraph,
        instance: usize,
        table: u32,
        index: u32,
    ) -> Option<StaticEntry> {
        *self.contents(graph, instance, table)?.get(index as usize)?
    }

    /// Every entry of table `table` of `instance`, when the table is
    /// never written.
    pub fn contents(
        &self,
        graph: &InstanceGraph,
        instance: usize,
        table: u32,
    ) -> Option<&[Option<StaticEntry>]> {
        let target = graph.resolve_item(instance, ExternKind::Table, table);
        self.tables.get(&target).map(Vec::as_slice)
    }
}

/// The entry for function `f` of `instance`: a Wasm function it resolves
/// to, with its instance's vmctx and its type.
fn entry(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    type_ids: &crate::symbols::TypeIds,
    instance: usize,
    f: u32,
) -> Option<StaticEntry> {
    let FuncTarget::Defined(r) = graph.resolve_func(instance, f) else {
        return None;
    };
    let source = graph.instances[r.instance].source;
    let m = &graph.sources[source].module;
    Some(StaticEntry {
        func: plan.defined_func(graph, source, r.index),
        vmctx: plan.vmctx(r.instance),
        type_id: type_ids.id(m, m.funcs[r.index as usize].type_index),
    })
}

/// Every table some instruction of the program may write: the tables each
/// instance's code names in `table.set`, `table.grow`, `table.fill`,
/// `table.copy` (destination) or `table.init`, resolved to their
/// definitions. A body that cannot be read counts as writing every table
/// its instance can reach (its compile job reports the error).
fn written_tables(graph: &InstanceGraph) -> HashSet<ItemRef> {
    let mut per_source: Vec<Option<HashSet<u32>>> = Vec::with_capacity(graph.sources.len());
    for s in &graph.sources {
        let m = &s.module;
        let mut set = HashSet::new();
        let readable = (m.num_imported_funcs..m.funcs.len() as u32).all(|f| {
            m.visit_operators(f, |op| {
                if let Operator::TableSet { table }
                | Operator::TableGrow { table }
                | Operator::TableFill { table }
                | Operator::TableInit { table, .. }
                | Operator::TableCopy {
                    dst_table: table, ..
                } = op
                {
                    set.insert(table);
                }
            })
        });
        per_source.push(readable.then_some(set));
    }
    let mut written = HashSet::new();
    for (i, inst) in graph.instances.iter().enumerate() {
        let m = &graph.sources[inst.source].module;
        let all: HashSet<u32>;
        let tables = match &per_source[inst.source] {
            Some(set) => set,
            None => {
                all = (0..m.tables.len() as u32).collect();
                &all
            }
        };
        for &t in tables {
            written.insert(graph.resolve_item(i, ExternKind::Table, t));
        }
    }
    written
}

impl FuncEnv<'_> {
    /// The entry a `call_indirect` of type `type_index` through `table`
    /// with index `callee` reaches, when it is known at build time: the
    /// index is a constant and the entry a function of that type (see
    /// `crate::devirt`).
    pub(crate) fn static_entry(
        &self,
        builder: &FunctionBuilder,
        table: u32,
        type_index: u32,
        callee: Value,
    ) -> Option<StaticEntry> {
        let (tables, instance) = (self.src.static_tables?, self.src.only_instance?);
        let index = u32::try_from(crate::translate::iconst_of(builder.func, callee)?).ok()?;
        tables
            .entry(self.src.graph, instance, table, index)
            .filter(|e| e.type_id == self.type_id(type_index))
    }
}
