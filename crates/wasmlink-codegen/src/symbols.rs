//! The numbering of every function and data object the object file will
//! contain. Generated code refers to them as `UserExternalName { namespace,
//! index }` (namespace 0: functions, 1: data), and the emit stage declares
//! them in exactly this order, so the index is the object's `FuncId`/`DataId`.

use crate::initial::{InitialState, Preinit};
use crate::reach::Reachable;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use wasmlink_abi::{symbols, RuntimeFn};
use wasmlink_graph::{Binding, Builtin, FuncTarget, InstanceGraph, LoweredBuiltin, SourceId};
use wasmlink_module::canonical_func_type;
use wasmlink_module::ModuleInfo;

/// How a symbol is seen by the linker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Linkage {
    /// Defined elsewhere (the runtime library).
    Import,
    /// Defined here, not visible outside the object.
    Local,
    /// Defined here and visible to the runtime.
    Export,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionDecl {
    pub name: String,
    pub linkage: Linkage,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDecl {
    pub name: String,
    pub linkage: Linkage,
    pub writable: bool,
    /// The object section to put it in, when not the usual one for its
    /// kind (memory images: `wasmlink_abi::preinit::IMAGE_SECTION`).
    pub section: Option<&'static str>,
}

/// Graph-wide canonical signature numbers for `call_indirect` checks.
#[derive(Clone, Debug, Default)]
pub struct TypeIds {
    /// By canonical key (`wasmlink_module::canonical_func_type`), so
    /// equivalent typed-reference signatures of different modules or
    /// indices share an id.
    ids: HashMap<String, u64>,
    /// For a function type with declared subtypes somewhere in the
    /// program: the ids of all of them, itself included. The program is
    /// closed, so this is every type a function of that type can have.
    subtypes: HashMap<u64, Vec<u64>>,
}

impl TypeIds {
    pub fn new(graph: &InstanceGraph) -> TypeIds {
        let mut ids = HashMap::new();
        for s in &graph.sources {
            for key in &s.module.type_keys {
                let next = ids.len() as u64 + 1;
                ids.entry(key.clone()).or_insert(next);
            }
        }
        for b in wasmlink_graph::builtins() {
            let next = ids.len() as u64 + 1;
            ids.entry(canonical_func_type(&b.func_type()))
                .or_insert(next);
        }
        // Declared supertypes of function types, by id.
        let mut parent: HashMap<u64, u64> = HashMap::new();
        for s in &graph.sources {
            let m = &s.module;
            for (i, def) in m.type_defs.iter().enumerate() {
                if let (wasmlink_module::TypeKind::Func, Some(sup)) = (&def.kind, def.supertype) {
                    parent.insert(ids[&m.type_keys[i]], ids[&m.type_keys[sup as usize]]);
                }
            }
        }
        let mut subtypes: HashMap<u64, Vec<u64>> = HashMap::new();
        let mut children: Vec<u64> = parent.keys().copied().collect();
        children.sort_unstable();
        for child in children {
            let mut at = child;
            // Validation makes the chain finite; the bound is a backstop.
            for _ in 0..=parent.len() {
                let Some(&up) = parent.get(&at) else { break };
                subtypes.entry(up).or_insert_with(|| vec![up]).push(child);
                at = up;
            }
        }
        TypeIds { ids, subtypes }
    }

    /// The id of type `type_index` of `module`.
    pub fn id(&self, module: &ModuleInfo, type_index: u32) -> u64 {
        self.ids[&module.type_keys[type_index as usize]]
    }

    /// The ids a function whose type matches type `type_index` of
    /// `module` can have: the type's own, and those of its subtypes.
    pub fn matching(&self, module: &ModuleInfo, type_index: u32) -> Vec<u64> {
        let id = self.id(module, type_index);
        self.subtypes.get(&id).cloned().unwrap_or_else(|| vec![id])
    }
}

/// Whether any instance is made of `source` (code of a source nobody
/// instantiates is not compiled).
pub fn source_is_instantiated(graph: &InstanceGraph, source: SourceId) -> bool {
    graph.instances.iter().any(|i| i.source == source)
}

/// Indices of every symbol, computed from the graph alone.
#[derive(Clone, Debug, Default)]
pub struct SymbolPlan {
    pub functions: Vec<FunctionDecl>,
    pub data: Vec<DataDecl>,
    runtime: HashMap<RuntimeFn, usize>,
    builtins: HashMap<&'static str, usize>,
    /// The function symbol of each defined function, by source and then
    /// by defined-function index ([`SymbolPlan::dead_code`] for a dead
    /// one).
    source_funcs: Vec<Vec<usize>>,
    /// With the `dead-code` optimisation, when some function is dead: the
    /// one function that stands in for every dead one (`crate::reach`).
    pub dead_code: Option<usize>,
    /// Wrapper giving a builtin import the wasm calling convention, for
    /// use as a funcref: (source, imported function index) → function.
    builtin_wrappers: BTreeMap<(SourceId, u32), usize>,
    /// The runtime's lowered WASI 0.2 functions some instance binds, by
    /// symbol.
    lowered: HashMap<&'static str, usize>,
    /// Wrapper of a lowered import (its vmctx is the import's
    /// `LowerContext`): (source, imported function index) → function.
    lowered_wrappers: BTreeMap<(SourceId, u32), usize>,
    /// C-convention trampoline of a function used as `realloc` by a
    /// lowered call: (source, defined function index) → function.
    realloc_trampolines: BTreeMap<(SourceId, u32), usize>,
    /// The `LowerContext` of each lowered import: (instance, imported
    /// function index) → data object.
    lower_contexts: BTreeMap<(usize, u32), usize>,
    instantiate: Vec<usize>,
    /// Instances that bind `wasi.thread-spawn`: what makes new instances
    /// of them at run time (`crate::threads`).
    threads: BTreeMap<usize, crate::threads::ThreadSymbols>,
    pub program_start: usize,
    vmctx: Vec<usize>,
    source_data: Vec<usize>,
    instance_elems: Vec<usize>,
    pub stack_limit: usize,
    /// The names of every defined tag of every instance (`TagInfo::name`
    /// points into it).
    pub tag_names: usize,
    pub wasi_config: usize,
    pub wasi_config_len: usize,
    /// `wasmlink_embedded` (a `wasmlink_abi::embed::EmbeddedBlob`).
    pub embedded: usize,
    /// The assets object's blob (an import), when the program embeds files
    /// and is not a snapshot program (which never reads them).
    pub assets: Option<usize>,
    pub entry_signature: usize,
    /// Harness entry points (empty unless built for the spec-test harness).
    pub harness: HarnessPlan,
    /// What the build does about pre-initialisation.
    pub preinit: Preinit,
    /// What instances start with that is known at build time.
    pub initial: Arc<InitialState>,
    /// The program's canonical Wasm GC struct and array types.
    pub gc_types: Arc<crate::gc_types::GcTypes>,
    /// The `GcTypeInfo` object of each canonical GC type.
    pub gc_type_infos: Vec<usize>,
    /// `wasmlink_gc_roots`: the globals and tables the collector scans.
    pub gc_roots: usize,
    /// In a program with GC types: the runtime's heap (an import), whose
    /// free lists generated code allocates from inline.
    pub gc_heap: Option<usize>,
    /// Per (instance, defined memory) with a non-empty image: its runs
    /// (in the image section) and its list of `MemoryImage`s.
    memory_images: BTreeMap<(usize, u32), (usize, usize)>,
    /// Per (instance, defined table) with elements, in a build from a
    /// snapshot: a `Segment` followed by the elements it describes.
    table_images: BTreeMap<(usize, u32), usize>,
    /// Snapshot mode: the `SnapshotItem`s and the names of the steps.
    pub snapshot_items: Option<usize>,
    pub snapshot_steps: Option<usize>,
}

/// Symbols of the spec-test harness interface (see `crate::harness`).
#[derive(Clone, Debug, Default)]
pub struct HarnessPlan {
    pub enabled: bool,
    /// C-convention `fn()` per instance that runs its instantiation.
    pub instantiate: Vec<usize>,
    /// C-convention `fn(values: *mut [u8; 16])` per exported function, in
    /// the order of [`harness_exports`].
    pub invoke: Vec<usize>,
    /// Data objects of the tables the runtime reads.
    pub tables: Vec<(&'static str, usize)>,
}

/// Exported functions and globals the harness can reach, in table order:
/// for each instance in id order, its exports of that kind in module order.
pub fn harness_exports(
    graph: &InstanceGraph,
    kind: wasmlink_module::ExternKind,
) -> Vec<(usize, u32, String)> {
    let mut out = Vec::new();
    for (i, inst) in graph.instances.iter().enumerate() {
        for e in &graph.sources[inst.source].module.exports {
            if e.kind == kind {
                out.push((i, e.index, e.name.clone()));
            }
        }
    }
    out
}

impl SymbolPlan {
    pub fn new(graph: &InstanceGraph, harness: bool) -> SymbolPlan {
        SymbolPlan::with_preinit(graph, harness, &Preinit::Off, None)
    }

    /// The plan of a build with pre-initialisation mode `preinit`; with
    /// the dead-code analysis `live`, dead functions get no symbol of
    /// their own.
    pub fn with_preinit(
        graph: &InstanceGraph,
        harness: bool,
        preinit: &Preinit,
        live: Option<&Reachable>,
    ) -> SymbolPlan {
        let mut p = SymbolPlan::default();
        p.harness.enabled = harness;
        p.preinit = preinit.clone();
        p.initial = Arc::new(InitialState::new(graph, preinit));
        let func = |p: &mut SymbolPlan, name: String, linkage| {
            p.functions.push(FunctionDecl { name, linkage });
            p.functions.len() - 1
        };
        for &rt in RuntimeFn::ALL {
            let i = func(&mut p, rt.symbol().to_string(), Linkage::Import);
            p.runtime.insert(rt, i);
        }
        // Only the builtins some instance binds are declared, so the
        // runtime's unused WASI calls can be dropped by the linker.
        let mut used: Vec<&'static Builtin> = Vec::new();
        for inst in &graph.instances {
            for b in &inst.imports {
                if let Binding::Builtin(b) = b {
                    if !used.contains(b) {
                        used.push(b);
                    }
                }
            }
        }
        used.sort_by_key(|b| (b.module, b.name));
        for b in used {
            let i = func(&mut p, b.symbol().to_string(), Linkage::Import);
            p.builtins.insert(b.name, i);
        }
        let mut lowered: Vec<&'static LoweredBuiltin> = Vec::new();
        for inst in &graph.instances {
            for b in &inst.imports {
                if let Binding::Lowered(l) = b {
                    if !lowered.contains(&l.func) {
                        lowered.push(l.func);
                    }
                }
            }
        }
        lowered.sort_by_key(|b| b.symbol());
        for b in lowered {
            let i = func(&mut p, b.symbol().to_string(), Linkage::Import);
            p.lowered.insert(b.symbol(), i);
        }
        let mut dead = Vec::new();
        for (s, source) in graph.sources.iter().enumerate() {
            let mut symbols = Vec::new();
            if source_is_instantiated(graph, s) {
                let m = &source.module;
                for f in m.num_imported_funcs..m.funcs.len() as u32 {
                    if live.is_some_and(|l| !l.is_live(s, f)) {
                        // Filled in below, once the shared symbol exists.
                        dead.push((s, symbols.len()));
                        symbols.push(usize::MAX);
                    } else {
                        symbols.push(func(&mut p, format!("__wl_s{s}_f{f}"), Linkage::Local));
                    }
                }
            }
            p.source_funcs.push(symbols);
        }
        if !dead.is_empty() {
            let sym = func(&mut p, "__wl_dead_code".into(), Linkage::Local);
            p.dead_code = Some(sym);
            for (s, k) in dead {
                p.source_funcs[s][k] = sym;
            }
        }
        for (s, source) in graph.sources.iter().enumerate() {
            let m = &source.module;
            for (slot, imp) in m.imports.iter().enumerate() {
                let builtin_somewhere = graph.instances.iter().any(|inst| {
                    inst.source == s && matches!(inst.imports[slot], Binding::Builtin(_))
                });
                if builtin_somewhere {
                    let i = func(
                        &mut p,
                        format!("__wl_s{s}_wrap{}", imp.index),
                        Linkage::Local,
                    );
                    p.builtin_wrappers.insert((s, imp.index), i);
                }
                let lowered_somewhere = graph.instances.iter().any(|inst| {
                    inst.source == s && matches!(inst.imports[slot], Binding::Lowered(_))
                });
                if lowered_somewhere {
                    let i = func(
                        &mut p,
                        format!("__wl_s{s}_lower{}", imp.index),
                        Linkage::Local,
                    );
                    p.lowered_wrappers.insert((s, imp.index), i);
                }
            }
        }
        let mut reallocs: Vec<(SourceId, u32)> = Vec::new();
        for inst in &graph.instances {
            for b in &inst.imports {
                if let Some((s, f)) = realloc_function(graph, b) {
                    if !reallocs.contains(&(s, f)) {
                        reallocs.push((s, f));
                    }
                }
            }
        }
        reallocs.sort_unstable();
        for (s, f) in reallocs {
            let i = func(&mut p, format!("__wl_s{s}_realloc{f}"), Linkage::Local);
            p.realloc_trampolines.insert((s, f), i);
        }
        for i in 0..graph.instances.len() {
            let f = func(&mut p, format!("__wl_i{i}_instantiate"), Linkage::Local);
            p.instantiate.push(f);
        }
        p.program_start = func(&mut p, symbols::PROGRAM_START.into(), Linkage::Export);
        let spawning: Vec<usize> = (0..graph.instances.len())
            .filter(|&i| graph.instance_spawns_threads(i))
            .collect();
        let thread_starts: Vec<usize> = (spawning.iter())
            .map(|i| func(&mut p, format!("__wl_i{i}_thread_start"), Linkage::Local))
            .collect();
        if harness {
            for i in 0..graph.instances.len() {
                let f = func(
                    &mut p,
                    format!("__wl_i{i}_host_instantiate"),
                    Linkage::Local,
                );
                p.harness.instantiate.push(f);
            }
            let exports = harness_exports(graph, wasmlink_module::ExternKind::Func);
            for k in 0..exports.len() {
                let f = func(&mut p, format!("__wl_invoke{k}"), Linkage::Local);
                p.harness.invoke.push(f);
            }
        }

        let data = |p: &mut SymbolPlan, name: String, linkage, writable| {
            p.data.push(DataDecl {
                name,
                linkage,
                writable,
                section: None,
            });
            p.data.len() - 1
        };
        for i in 0..graph.instances.len() {
            let d = data(&mut p, format!("__wl_i{i}_vmctx"), Linkage::Local, true);
            p.vmctx.push(d);
        }
        for (i, inst) in graph.instances.iter().enumerate() {
            let m = &graph.sources[inst.source].module;
            for (slot, imp) in m.imports.iter().enumerate() {
                if let Binding::Lowered(_) = inst.imports[slot] {
                    let d = data(
                        &mut p,
                        format!("__wl_i{i}_lower{}", imp.index),
                        Linkage::Local,
                        true,
                    );
                    p.lower_contexts.insert((i, imp.index), d);
                }
            }
        }
        for (s, source) in graph.sources.iter().enumerate() {
            p.source_data.push(p.data.len());
            if !source_is_instantiated(graph, s) {
                continue;
            }
            for d in 0..source.module.data.len() {
                data(&mut p, format!("__wl_s{s}_data{d}"), Linkage::Local, false);
            }
        }
        for (i, inst) in graph.instances.iter().enumerate() {
            p.instance_elems.push(p.data.len());
            for e in 0..graph.sources[inst.source].module.elements.len() {
                data(&mut p, format!("__wl_i{i}_elem{e}"), Linkage::Local, true);
            }
        }
        for (&i, start) in spawning.iter().zip(thread_starts) {
            let t = crate::threads::ThreadSymbols {
                start,
                context: data(&mut p, format!("__wl_i{i}_spawn"), Linkage::Local, false),
                image: data(&mut p, format!("__wl_i{i}_image"), Linkage::Local, false),
                relocs: data(
                    &mut p,
                    format!("__wl_i{i}_image_relocs"),
                    Linkage::Local,
                    false,
                ),
            };
            p.threads.insert(i, t);
        }
        p.gc_types = Arc::new(crate::gc_types::GcTypes::new(graph));
        for decl in p.gc_types.decls().collect::<Vec<_>>() {
            p.data.push(decl);
            p.gc_type_infos.push(p.data.len() - 1);
        }
        p.gc_roots = data(&mut p, symbols::GC_ROOTS.into(), Linkage::Export, false);
        if !p.gc_types.types.is_empty() {
            p.gc_heap = Some(data(&mut p, symbols::GC_HEAP.into(), Linkage::Import, true));
        }
        p.stack_limit = data(&mut p, symbols::STACK_LIMIT.into(), Linkage::Export, true);
        p.tag_names = data(&mut p, "__wl_tag_names".into(), Linkage::Local, false);
        p.wasi_config = data(&mut p, symbols::WASI_CONFIG.into(), Linkage::Export, false);
        p.wasi_config_len = data(
            &mut p,
            symbols::WASI_CONFIG_LEN.into(),
            Linkage::Export,
            false,
        );
        p.entry_signature = data(
            &mut p,
            symbols::ENTRY_SIGNATURE.into(),
            Linkage::Export,
            false,
        );
        p.embedded = data(&mut p, symbols::EMBEDDED.into(), Linkage::Export, false);
        if !graph.embedded.is_empty() && !preinit.is_snapshot() {
            let name = wasmlink_abi::embed::ASSETS_SYMBOL.into();
            p.assets = Some(data(&mut p, name, Linkage::Import, false));
        }
        // Always present (zero-length when unused).
        for name in symbols::HARNESS_TABLES {
            let d = data(&mut p, name.into(), Linkage::Export, false);
            p.harness.tables.push((name, d));
        }
        let initial = Arc::clone(&p.initial);
        // Memories with the same image (instances of one source, say)
        // share its objects: the pages are in the file once.
        let mut shared: HashMap<&[crate::initial::ImageRun], (usize, usize)> = HashMap::new();
        for (&(i, j), init) in &initial.memories {
            if init.runs.is_empty() {
                continue;
            }
            let objects = *shared.entry(&init.runs).or_insert_with(|| {
                let runs = data(
                    &mut p,
                    format!("__wl_i{i}_m{j}_image"),
                    Linkage::Local,
                    false,
                );
                p.data[runs].section = Some(wasmlink_abi::preinit::IMAGE_SECTION);
                let list = data(
                    &mut p,
                    format!("__wl_i{i}_m{j}_runs"),
                    Linkage::Local,
                    false,
                );
                (runs, list)
            });
            p.memory_images.insert((i, j), objects);
        }
        if let Some(snapshot) = preinit.snapshot() {
            for (i, state) in snapshot.instances.iter().enumerate() {
                for (&t, elems) in &state.tables {
                    if !elems.is_empty() {
                        let d = data(
                            &mut p,
                            format!("__wl_i{i}_t{t}_image"),
                            Linkage::Local,
                            false,
                        );
                        p.table_images.insert((i, t), d);
                    }
                }
            }
        }
        if preinit.is_snapshot() {
            p.snapshot_items = Some(data(
                &mut p,
                "__wl_snapshot_items".into(),
                Linkage::Local,
                false,
            ));
            p.snapshot_steps = Some(data(
                &mut p,
                "__wl_snapshot_steps".into(),
                Linkage::Local,
                false,
            ));
        }
        p
    }

    /// The image runs and run list of defined memory `memory` of
    /// `instance`, if it starts from a non-empty image.
    pub fn memory_image(&self, instance: usize, memory: u32) -> Option<(usize, usize)> {
        self.memory_images.get(&(instance, memory)).copied()
    }

    pub fn memory_images(&self) -> impl Iterator<Item = ((usize, u32), (usize, usize))> + '_ {
        self.memory_images.iter().map(|(k, v)| (*k, *v))
    }

    /// The element image of defined table `table` of `instance` (a build
    /// from a snapshot, a table with elements).
    pub fn table_image(&self, instance: usize, table: u32) -> Option<usize> {
        self.table_images.get(&(instance, table)).copied()
    }

    pub fn runtime(&self, f: RuntimeFn) -> usize {
        self.runtime[&f]
    }

    /// The symbol of runtime function `f`, if the program declares it.
    pub fn runtime_symbol(&self, f: RuntimeFn) -> Option<usize> {
        self.runtime.get(&f).copied()
    }

    pub fn builtin(&self, b: &Builtin) -> usize {
        self.builtins[b.name]
    }

    /// The function symbol of defined function `index` of `source`
    /// ([`SymbolPlan::dead_code`] if it is dead).
    pub fn defined_func(&self, graph: &InstanceGraph, source: SourceId, index: u32) -> usize {
        self.source_funcs[source]
            [(index - graph.sources[source].module.num_imported_funcs) as usize]
    }

    /// Whether defined function `index` of `source` has code of its own
    /// (it is not dead).
    pub fn has_code(&self, graph: &InstanceGraph, source: SourceId, index: u32) -> bool {
        Some(self.defined_func(graph, source, index)) != self.dead_code
    }

    pub fn builtin_wrapper(&self, source: SourceId, import_index: u32) -> usize {
        self.builtin_wrappers[&(source, import_index)]
    }

    pub fn builtin_wrappers(&self) -> impl Iterator<Item = ((SourceId, u32), usize)> + '_ {
        self.builtin_wrappers.iter().map(|(k, v)| (*k, *v))
    }

    /// The runtime function of lowered builtin `b`.
    pub fn lowered(&self, b: &LoweredBuiltin) -> usize {
        self.lowered[b.symbol()]
    }

    pub fn lowered_wrapper(&self, source: SourceId, import_index: u32) -> usize {
        self.lowered_wrappers[&(source, import_index)]
    }

    pub fn lowered_wrappers(&self) -> impl Iterator<Item = ((SourceId, u32), usize)> + '_ {
        self.lowered_wrappers.iter().map(|(k, v)| (*k, *v))
    }

    /// The trampoline of defined function `index` of `source`, if some
    /// lowered call uses it as `realloc`.
    pub fn realloc_trampoline(&self, source: SourceId, index: u32) -> Option<usize> {
        self.realloc_trampolines.get(&(source, index)).copied()
    }

    pub fn realloc_trampolines(&self) -> impl Iterator<Item = ((SourceId, u32), usize)> + '_ {
        self.realloc_trampolines.iter().map(|(k, v)| (*k, *v))
    }

    /// The `LowerContext` data object of lowered import `import_index` of
    /// `instance`.
    pub fn lower_context(&self, instance: usize, import_index: u32) -> usize {
        self.lower_contexts[&(instance, import_index)]
    }

    pub fn lower_contexts(&self) -> impl Iterator<Item = ((usize, u32), usize)> + '_ {
        self.lower_contexts.iter().map(|(k, v)| (*k, *v))
    }

    pub fn instantiate(&self, instance: usize) -> usize {
        self.instantiate[instance]
    }

    /// The vmctx data object of every instance, by instance.
    pub fn vmctx_symbols(&self) -> Vec<usize> {
        self.vmctx.clone()
    }

    pub fn vmctx(&self, instance: usize) -> usize {
        self.vmctx[instance]
    }

    /// The instances that bind `thread-spawn`, with their symbols.
    pub(crate) fn thread_instances(
        &self,
    ) -> impl Iterator<Item = (usize, crate::threads::ThreadSymbols)> + '_ {
        self.threads.iter().map(|(i, t)| (*i, *t))
    }

    /// The `ThreadSpawnContext` of `instance`, which binds `thread-spawn`.
    pub fn spawn_context(&self, instance: usize) -> usize {
        self.threads[&instance].context
    }

    pub fn data_segment(&self, source: SourceId, segment: u32) -> usize {
        self.source_data[source] + segment as usize
    }

    pub fn elem_segment(&self, instance: usize, segment: u32) -> usize {
        self.instance_elems[instance] + segment as usize
    }
}

/// The function a lowered binding uses as `realloc`, as (source, defined
/// function index): the options name it in the instance's index space,
/// followed to its definition. A `realloc` that is not a Wasm function
/// (an import bound to the runtime) is not one: the call then has none.
pub fn realloc_function(graph: &InstanceGraph, binding: &Binding) -> Option<(SourceId, u32)> {
    let Binding::Lowered(l) = binding else {
        return None;
    };
    let r = l.options.realloc?;
    match graph.resolve_func(r.instance, r.index) {
        FuncTarget::Defined(d) => Some((graph.instances[d.instance].source, d.index)),
        FuncTarget::Builtin(_) | FuncTarget::Lowered(_) => None,
    }
}
