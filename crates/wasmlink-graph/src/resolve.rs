//! Resolution: turning a manifest (or one module) into an [`InstanceGraph`].
//!
//! Nodes are explicit instances (manifest order), implicit instances of
//! named sources, implicit instances of files named by relative specifiers
//! (one per canonical path), facade instances and the WASI builtin module.
//! The import (M, N) of an instance I is resolved by the first rule that
//! matches (DESIGN.md):
//!
//! 1. I's `imports` map: M → node, or M → {N → "node.export"};
//! 2. a node named M: an explicit instance, else a source (its implicit
//!    instance); `facade/NS/…` names a namespace of a facade;
//! 3. the builtin `wasi_snapshot_preview1`;
//! 4. a relative specifier (`./x.wasm`, `../x.wat`): the file next to I's
//!    source (the manifest's directory for inline and virtual sources). It
//!    must name a `.wasm`/`.wat` file that, symlinks followed, lies inside
//!    the manifest's directory tree (the main module's, manifest-less);
//! 5. otherwise a link error listing the names that were available.
//!
//! The node found is then asked for export N; facades and instances that
//! re-export one of their imports pass the question on, so every edge ends
//! at a final definition (or a builtin). The definition's type is checked
//! against the import's with the spec's matching rules.

use crate::error::GraphError;
use crate::facade::{FacadeItem, FacadeState, VirtualBinding};
use crate::input_file::{self, InputKind};
use crate::instance_graph::*;
use crate::manifest::{list, ImportSpec, Manifest, SourceSpec};
use crate::matching::{match_extern, Mismatch};
use crate::order::{instantiation_order, Dep};
use crate::sources::{load_file, load_wat, LoadedSource};
use crate::{builtin, Builtin, WASI_MODULE};
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use wasmlink_module::{describe_extern_type, ExternKind, ExternType};

mod relative;

/// How a graph is loaded, beyond what the input says.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Replaces the manifest's `entry` (same forms: `"instance"` or
    /// `"instance.export"`). Manifest-less, the default is the module's
    /// file stem (its `_start`).
    pub entry: Option<String>,
    /// Calls this export of the entry instance instead of the entry's own
    /// function (`wasmlink run --invoke NAME`).
    pub invoke: Option<String>,
    /// Replaces the manifest's `wasi` settings. Manifest-less, the default
    /// is args and env inherited and no preopened directories.
    pub wasi: Option<WasiConfig>,
}

/// Whether an entry parameter of type `t` can be given on the command line
/// (as `wasmtime run --invoke` reads it: a decimal or `0x` integer, a float).
fn is_command_line_type(t: &wasmlink_module::wasmparser::ValType) -> bool {
    use wasmlink_module::wasmparser::ValType;
    matches!(t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64)
}

/// The result of the resolve stage: the graph for the compile stage, plus
/// what the report needs to print it.
#[derive(Clone, Debug)]
pub struct ResolvedGraph {
    pub graph: InstanceGraph,
    /// Every import of every instance, by instance then import order.
    pub edges: Vec<Edge>,
    /// For each source, how messages and reports name its file: the path as
    /// written in the manifest (relative to the manifest), `inline wat`.
    pub source_labels: Vec<String>,
    /// Every file read: the manifest (if any) and every module file, used
    /// or not. A build must not write its output over one of them.
    pub input_files: Vec<PathBuf>,
}

/// One resolved import, for reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The importing instance.
    pub instance: InstanceId,
    /// Position in the importing module's `imports`.
    pub import: usize,
    pub module: String,
    pub name: String,
    /// The type the import declares.
    pub ty: ExternType,
    /// Facades, namespaces and re-exporting instances passed on the way.
    pub via: Vec<Hop>,
    pub target: EdgeTarget,
    /// The name the defining instance exports the target under (the
    /// builtin's name for builtins).
    pub export: String,
}

/// One step between an import and its definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub kind: HopKind,
    /// The node passed (facade or instance name).
    pub node: String,
    /// The name looked up in it (export or namespace).
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HopKind {
    /// A facade export (`node.name`).
    Facade,
    /// A facade namespace (`node/name`).
    Namespace,
    /// An instance export that is one of its own imports (`node.name`).
    Reexport,
}

impl Hop {
    /// `api.add`, `api/ns`.
    pub fn text(&self) -> String {
        match self.kind {
            HopKind::Namespace => format!("{}/{}", self.node, self.name),
            _ => format!("{}.{}", self.node, self.name),
        }
    }

    /// `through facade "api" → instance "a", ` (empty for no hops).
    pub(crate) fn render(hops: &[Hop]) -> String {
        if hops.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = hops
            .iter()
            .map(|h| match h.kind {
                HopKind::Facade => format!("facade \"{}\"", h.node),
                HopKind::Namespace => format!("namespace \"{}/{}\"", h.node, h.name),
                HopKind::Reexport => {
                    format!(
                        "instance \"{}\" (re-exporting its import as \"{}\")",
                        h.node, h.name
                    )
                }
            })
            .collect();
        format!("through {}, ", parts.join(" → "))
    }
}

/// The final definition an edge is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeTarget {
    /// Item `index` (of kind `kind`) defined by `instance`.
    Item {
        instance: InstanceId,
        kind: ExternKind,
        index: u32,
    },
    Builtin(&'static Builtin),
}

// ---------------------------------------------------------------------------
// Internal model.

pub(crate) type NodeId = usize;

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    Real { source: usize, out: InstanceId },
    Virtual,
    Builtin,
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub name: String,
    pub kind: NodeKind,
    /// The source it is an instance of (for messages).
    pub source_name: String,
    /// Rule 1.
    pub imports: IndexMap<String, ImportSpec>,
    /// Facade bindings (empty for other nodes).
    pub bindings: Rc<Vec<VirtualBinding>>,
    /// Where its relative specifiers are looked up.
    pub dir: PathBuf,
    pub explicit: bool,
}

#[derive(Clone, Debug)]
enum SourceRef {
    Real(usize),
    Virtual(Rc<Vec<VirtualBinding>>),
}

/// A final definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Def {
    Item {
        node: NodeId,
        kind: ExternKind,
        index: u32,
    },
    Builtin(&'static Builtin),
}

#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub def: Def,
    pub via: Vec<Hop>,
    /// The export name at the defining node.
    pub export: String,
}

#[derive(Clone, Debug)]
enum Slot {
    Todo,
    InProgress,
    Done(Resolved),
}

/// Where an error happens, for messages.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    kind: CtxKind,
    /// `instance "main" (app.wasm) imports "env" "add"`.
    head: String,
    /// `instance "main" (app.wasm) imports module "env"`.
    module_head: String,
    /// ` (mapped to "math")`, when rule 1 applied.
    mapped: String,
}

#[derive(Clone, Debug)]
enum CtxKind {
    Import {
        instance: String,
        module: String,
        name: String,
    },
    Entry(String),
    Facade(String),
}

impl Ctx {
    fn import(desc: &str, instance: &str, module: &str, name: &str) -> Ctx {
        Ctx {
            kind: CtxKind::Import {
                instance: instance.to_string(),
                module: module.to_string(),
                name: name.to_string(),
            },
            head: format!("{desc} imports \"{module}\" \"{name}\""),
            module_head: format!("{desc} imports module \"{module}\""),
            mapped: String::new(),
        }
    }

    fn entry(text: &str) -> Ctx {
        let head = format!("entry \"{text}\"");
        Ctx {
            kind: CtxKind::Entry(text.to_string()),
            module_head: head.clone(),
            head,
            mapped: String::new(),
        }
    }

    pub(crate) fn facade(facade: &str, head: String) -> Ctx {
        Ctx {
            kind: CtxKind::Facade(facade.to_string()),
            module_head: head.clone(),
            head,
            mapped: String::new(),
        }
    }

    fn with_mapped(&self, mapped: &str) -> Ctx {
        let mut c = self.clone();
        c.mapped = mapped.to_string();
        c
    }

    fn head(&self) -> String {
        format!("{}{}", self.head, self.mapped)
    }

    fn module_head(&self) -> String {
        format!("{}{}", self.module_head, self.mapped)
    }

    /// An error with a complete message.
    pub(crate) fn plain(&self, message: String) -> GraphError {
        match &self.kind {
            CtxKind::Import {
                instance,
                module,
                name,
            } => GraphError::Link {
                instance: instance.clone(),
                module: module.clone(),
                name: name.clone(),
                message,
            },
            CtxKind::Entry(entry) => GraphError::Entry {
                entry: entry.clone(),
                message,
            },
            CtxKind::Facade(facade) => GraphError::Facade {
                facade: facade.clone(),
                message,
            },
        }
    }

    /// `{head}: {problem}`.
    pub(crate) fn err(&self, problem: String) -> GraphError {
        self.plain(format!("{}: {problem}", self.head()))
    }

    /// `{module head}: {problem}`.
    fn module_err(&self, problem: String) -> GraphError {
        self.plain(format!("{}: {problem}", self.module_head()))
    }
}

/// Result of rules 1–4: the node and the export name to ask it for.
pub(crate) struct Route {
    pub node: NodeId,
    pub name: Option<String>,
    pub via: Vec<Hop>,
    pub mapped: String,
}

pub(crate) struct Resolver {
    manifest_path: Option<PathBuf>,
    base_dir: PathBuf,
    /// `base_dir`, canonical, once a relative specifier needed it.
    root: Option<PathBuf>,
    pub sources: Vec<LoadedSource>,
    source_by_name: IndexMap<String, SourceRef>,
    source_by_path: HashMap<PathBuf, usize>,
    pub nodes: Vec<Node>,
    node_by_name: HashMap<String, NodeId>,
    node_by_path: HashMap<PathBuf, NodeId>,
    builtin_node: Option<NodeId>,
    /// Real instances by output id.
    real: Vec<NodeId>,
    slots: Vec<Vec<Slot>>,
    pub facades: HashMap<NodeId, FacadeState>,
    pub facade_stack: Vec<NodeId>,
    import_stack: Vec<(NodeId, usize)>,
    /// Names offered in "available" lists.
    available: Vec<String>,
    used_names: HashSet<String>,
}

impl Resolver {
    fn new(manifest_path: Option<PathBuf>, base_dir: PathBuf) -> Resolver {
        Resolver {
            manifest_path,
            base_dir,
            root: None,
            sources: Vec::new(),
            source_by_name: IndexMap::new(),
            source_by_path: HashMap::new(),
            nodes: Vec::new(),
            node_by_name: HashMap::new(),
            node_by_path: HashMap::new(),
            builtin_node: None,
            real: Vec::new(),
            slots: Vec::new(),
            facades: HashMap::new(),
            facade_stack: Vec::new(),
            import_stack: Vec::new(),
            available: Vec::new(),
            used_names: HashSet::new(),
        }
    }

    fn add_source(&mut self, name: &str, s: LoadedSource) {
        let idx = self.sources.len();
        if let Some(c) = &s.canonical {
            self.source_by_path.entry(c.clone()).or_insert(idx);
        }
        self.sources.push(s);
        self.source_by_name
            .insert(name.to_string(), SourceRef::Real(idx));
    }

    fn add_node(
        &mut self,
        name: &str,
        source_name: &str,
        source: &SourceRef,
        imports: IndexMap<String, ImportSpec>,
        explicit: bool,
    ) -> NodeId {
        let id = self.nodes.len();
        let (kind, bindings, dir) = match source {
            SourceRef::Real(s) => {
                let out = self.real.len();
                self.real.push(id);
                self.slots
                    .push(vec![Slot::Todo; self.sources[*s].module.imports.len()]);
                (
                    NodeKind::Real { source: *s, out },
                    Rc::new(Vec::new()),
                    self.sources[*s].dir.clone(),
                )
            }
            SourceRef::Virtual(b) => (NodeKind::Virtual, b.clone(), self.base_dir.clone()),
        };
        self.nodes.push(Node {
            name: name.to_string(),
            kind,
            source_name: source_name.to_string(),
            imports,
            bindings,
            dir,
            explicit,
        });
        self.used_names.insert(name.to_string());
        id
    }

    /// `instance "main" (app.wasm)`, `facade "api"`.
    pub(crate) fn describe(&self, n: NodeId) -> String {
        let node = &self.nodes[n];
        match &node.kind {
            NodeKind::Real { source, .. } => {
                format!(
                    "instance \"{}\" ({})",
                    node.name, self.sources[*source].label
                )
            }
            NodeKind::Virtual if node.source_name != node.name => {
                format!("facade \"{}\" (source \"{}\")", node.name, node.source_name)
            }
            NodeKind::Virtual => format!("facade \"{}\"", node.name),
            NodeKind::Builtin => format!("builtin module \"{}\"", node.name),
        }
    }

    fn not_found(&self, name: &str) -> String {
        format!(
            "no instance, source or builtin is named \"{name}\" (available: {})",
            list(&self.available)
        )
    }

    /// Rule 2 for exact names: an explicit instance, else a source's
    /// implicit instance (created on first use).
    fn node_named(&mut self, name: &str) -> Option<NodeId> {
        if let Some(&n) = self.node_by_name.get(name) {
            return Some(n);
        }
        let src = self.source_by_name.get(name)?.clone();
        let n = self.add_node(name, name, &src, IndexMap::new(), false);
        self.node_by_name.insert(name.to_string(), n);
        Some(n)
    }

    fn builtin_node(&mut self) -> NodeId {
        if let Some(n) = self.builtin_node {
            return n;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            name: WASI_MODULE.to_string(),
            kind: NodeKind::Builtin,
            source_name: WASI_MODULE.to_string(),
            imports: IndexMap::new(),
            bindings: Rc::new(Vec::new()),
            dir: self.base_dir.clone(),
            explicit: false,
        });
        self.builtin_node = Some(id);
        id
    }

    /// Rules 2–4 for a module name seen from a node whose files are in
    /// `dir`. `Ok(None)` means no rule matched. With `probe`, a relative
    /// specifier naming no file is `None` instead of an error.
    fn lookup_module(
        &mut self,
        dir: &Path,
        module: &str,
        probe: bool,
        ctx: &Ctx,
    ) -> Result<Option<(NodeId, Vec<Hop>)>, GraphError> {
        if let Some(n) = self.node_named(module) {
            return Ok(Some((n, Vec::new())));
        }
        for (i, _) in module.match_indices('/') {
            let (prefix, rest) = (&module[..i], &module[i + 1..]);
            if prefix.is_empty() || rest.is_empty() {
                continue;
            }
            let is_facade = match self.node_by_name.get(prefix) {
                Some(&n) => matches!(self.nodes[n].kind, NodeKind::Virtual),
                None => matches!(self.source_by_name.get(prefix), Some(SourceRef::Virtual(_))),
            };
            if !is_facade {
                continue;
            }
            let Some(mut node) = self.node_named(prefix) else {
                continue;
            };
            let mut hops = Vec::new();
            for ns in rest.split('/') {
                match self.resolve_namespace(node, ns, &mut hops, ctx) {
                    Ok(n) => node = n,
                    // Probing (`a/b.c` may be node `a/b`, export `c`): not
                    // a match; the caller repeats the lookup it reports.
                    Err(_) if probe => return Ok(None),
                    Err(e) => return Err(e),
                }
            }
            return Ok(Some((node, hops)));
        }
        if module == WASI_MODULE {
            return Ok(Some((self.builtin_node(), Vec::new())));
        }
        if module.starts_with("./") || module.starts_with("../") {
            return Ok(self
                .relative(dir, module, probe, ctx)?
                .map(|n| (n, Vec::new())));
        }
        Ok(None)
    }

    fn unique_name(&self, base: &str) -> String {
        if !self.used_names.contains(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}#{i}"))
            .find(|n| !self.used_names.contains(n))
            .unwrap_or_else(|| base.to_string())
    }

    /// Rules 1–5 for module `module` (and, for an item, export `name`) as
    /// node `from` sees it.
    pub(crate) fn route(
        &mut self,
        from: NodeId,
        module: &str,
        name: Option<&str>,
        ctx: &Ctx,
    ) -> Result<Route, GraphError> {
        let dir = self.nodes[from].dir.clone();
        let spec = self.nodes[from].imports.get(module).cloned();
        let mut names_note = String::new();
        match spec {
            Some(ImportSpec::Node(target)) => {
                let mapped = format!(" (mapped to \"{target}\")");
                let ctx = ctx.with_mapped(&mapped);
                // Later messages name the node found, so they need no note.
                return match self.lookup_module(&dir, &target, false, &ctx)? {
                    Some((node, via)) => Ok(Route {
                        node,
                        name: name.map(str::to_string),
                        via,
                        mapped: String::new(),
                    }),
                    None => Err(ctx.module_err(self.not_found(&target))),
                };
            }
            Some(ImportSpec::Names(map)) => {
                if let Some(target) = name.and_then(|n| map.get(n)) {
                    let mapped = format!(" (mapped to \"{target}\")");
                    let ctx = ctx.with_mapped(&mapped);
                    for (i, _) in target.match_indices('.') {
                        if i == 0 || i + 1 >= target.len() {
                            continue;
                        }
                        if let Some((node, via)) =
                            self.lookup_module(&dir, &target[..i], true, &ctx)?
                        {
                            return Ok(Route {
                                node,
                                name: Some(target[i + 1..].to_string()),
                                via,
                                mapped,
                            });
                        }
                    }
                    let first = first_part(target);
                    // Report why the likeliest reading failed.
                    if let Some((node, via)) = self.lookup_module(&dir, first, false, &ctx)? {
                        if let Some(export) = target.get(first.len() + 1..) {
                            return Ok(Route {
                                node,
                                name: Some(export.to_string()),
                                via,
                                mapped,
                            });
                        }
                    }
                    return Err(ctx.err(self.not_found(first)));
                }
                names_note = format!(
                    "; the imports map of \"{}\" maps only these names of \"{module}\": {}",
                    self.nodes[from].name,
                    list(map.keys())
                );
            }
            None => {}
        }
        match self.lookup_module(&dir, module, false, ctx)? {
            Some((node, via)) => Ok(Route {
                node,
                name: name.map(str::to_string),
                via,
                mapped: String::new(),
            }),
            None => Err(ctx.module_err(format!("{}{names_note}", self.not_found(module)))),
        }
    }

    /// Ask node `node` for its export `name`, following facades and
    /// re-exported imports to the final definition.
    pub(crate) fn resolve_export(
        &mut self,
        node: NodeId,
        name: &str,
        mut via: Vec<Hop>,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        match self.nodes[node].kind.clone() {
            NodeKind::Builtin => match builtin(WASI_MODULE, name) {
                Some(b) => Ok(Resolved {
                    def: Def::Builtin(b),
                    via,
                    export: name.to_string(),
                }),
                None => Err(ctx.err(format!(
                    "{}\"{name}\" is not a WASI preview1 function (module \"{WASI_MODULE}\")",
                    Hop::render(&via)
                ))),
            },
            NodeKind::Real { source, .. } => {
                let module = self.sources[source].module.clone();
                let Some(export) = module.export(name) else {
                    return Err(ctx.err(format!(
                        "{}{} has no export \"{name}\"; it exports: {}",
                        Hop::render(&via),
                        self.describe(node),
                        list(module.exports.iter().map(|e| &e.name))
                    )));
                };
                if !module.is_imported(export.kind, export.index) {
                    return Ok(Resolved {
                        def: Def::Item {
                            node,
                            kind: export.kind,
                            index: export.index,
                        },
                        via,
                        export: name.to_string(),
                    });
                }
                let Some(slot) = module
                    .imports
                    .iter()
                    .position(|i| i.ty.kind() == export.kind && i.index == export.index)
                else {
                    return Err(ctx.err(format!(
                        "{} exports \"{name}\" as an import that does not exist",
                        self.describe(node)
                    )));
                };
                let inner = self.resolve_import(node, slot)?;
                via.push(Hop {
                    kind: HopKind::Reexport,
                    node: self.nodes[node].name.clone(),
                    name: name.to_string(),
                });
                via.extend(inner.via);
                Ok(Resolved {
                    def: inner.def,
                    via,
                    export: inner.export,
                })
            }
            NodeKind::Virtual => {
                let fname = self.nodes[node].name.clone();
                if via
                    .iter()
                    .any(|h| h.kind == HopKind::Facade && h.node == fname && h.name == name)
                {
                    via.push(Hop {
                        kind: HopKind::Facade,
                        node: fname,
                        name: name.to_string(),
                    });
                    let path: Vec<String> = via.iter().map(Hop::text).collect();
                    return Err(ctx.err(format!(
                        "facade cycle: {} never reaches a definition",
                        path.join(" → ")
                    )));
                }
                let table = self.facade_table(node)?;
                let Some(item) = table.exports.get(name).cloned() else {
                    return Err(ctx.err(format!(
                        "{}{} has no export \"{name}\"; it exports: {}",
                        Hop::render(&via),
                        self.describe(node),
                        table.describe_exports()
                    )));
                };
                via.push(Hop {
                    kind: HopKind::Facade,
                    node: fname.clone(),
                    name: name.to_string(),
                });
                self.resolve_facade_item(node, name, &item, via, ctx)
            }
        }
    }

    fn resolve_facade_item(
        &mut self,
        facade: NodeId,
        name: &str,
        item: &FacadeItem,
        mut via: Vec<Hop>,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        match item {
            FacadeItem::Item {
                node,
                name: export,
                hops,
            } => {
                via.extend(hops.iter().cloned());
                self.resolve_export(*node, export, via, ctx)
            }
            FacadeItem::Namespace(_) => Err(ctx.err(format!(
                "{}\"{name}\" is a namespace of {}, not an item; import its names from module \"{}/{name}\"",
                Hop::render(&via[..via.len().saturating_sub(1)]),
                self.describe(facade),
                self.nodes[facade].name
            ))),
            FacadeItem::Ambiguous(candidates) => {
                let mut found: Vec<(Resolved, String)> = Vec::new();
                for c in candidates {
                    let from = match c {
                        FacadeItem::Item { node, .. } => self.describe(*node),
                        _ => String::new(),
                    };
                    let r = self.resolve_facade_item(facade, name, c, via.clone(), ctx)?;
                    found.push((r, from));
                }
                let first = found.first().map(|(r, _)| r.def);
                if found.iter().all(|(r, _)| Some(r.def) == first) {
                    if let Some((r, _)) = found.first() {
                        return Ok(r.clone());
                    }
                }
                Err(ctx.err(format!(
                    "{} gets \"{name}\" from several \"exportAllFrom\" bindings with different definitions ({})",
                    self.describe(facade),
                    list(found.iter().map(|(_, f)| f))
                )))
            }
        }
    }

    /// Resolve and type-check import `slot` of real node `node` (memoized).
    fn resolve_import(&mut self, node: NodeId, slot: usize) -> Result<Resolved, GraphError> {
        let NodeKind::Real { source, out } = self.nodes[node].kind else {
            return Err(GraphError::Link {
                instance: self.nodes[node].name.clone(),
                module: String::new(),
                name: String::new(),
                message: "internal error: resolving an import of a node without code".into(),
            });
        };
        match self.slots[out].get(slot) {
            Some(Slot::Done(r)) => return Ok(r.clone()),
            Some(Slot::InProgress) => return Err(self.import_cycle(node, slot)),
            _ => {}
        }
        self.slots[out][slot] = Slot::InProgress;
        self.import_stack.push((node, slot));
        let result = self.bind_import(node, source, slot);
        self.import_stack.pop();
        self.slots[out][slot] = match &result {
            Ok(r) => Slot::Done(r.clone()),
            Err(_) => Slot::Todo,
        };
        result
    }

    fn bind_import(
        &mut self,
        node: NodeId,
        source: usize,
        slot: usize,
    ) -> Result<Resolved, GraphError> {
        let module = self.sources[source].module.clone();
        let imp = &module.imports[slot];
        let desc = self.describe(node);
        let name = self.nodes[node].name.clone();
        let ctx = Ctx::import(&desc, &name, &imp.module, &imp.name);
        let route = self.route(node, &imp.module, Some(&imp.name), &ctx)?;
        let ctx = ctx.with_mapped(&route.mapped);
        let export = route.name.unwrap_or_else(|| imp.name.clone());
        let r = self.resolve_export(route.node, &export, route.via, &ctx)?;
        self.check_type(&imp.ty, &r, &ctx)?;
        Ok(r)
    }

    fn import_cycle(&self, node: NodeId, slot: usize) -> GraphError {
        let start = self
            .import_stack
            .iter()
            .position(|&e| e == (node, slot))
            .unwrap_or(0);
        let mut steps = Vec::new();
        let mut names = Vec::new();
        for (k, &(n, s)) in self.import_stack[start..]
            .iter()
            .chain(std::iter::once(&(node, slot)))
            .enumerate()
        {
            if let NodeKind::Real { source, .. } = self.nodes[n].kind {
                let imp = &self.sources[source].module.imports[s];
                steps.push(if k == 0 {
                    format!(
                        "{} imports \"{}\" \"{}\"",
                        self.describe(n),
                        imp.module,
                        imp.name
                    )
                } else {
                    format!(
                        "{} exports that from its own import \"{}\" \"{}\"",
                        self.describe(n),
                        imp.module,
                        imp.name
                    )
                });
                if !names.contains(&self.nodes[n].name) {
                    names.push(self.nodes[n].name.clone());
                }
            }
        }
        GraphError::Cycle {
            message: format!(
                "import cycle that never reaches a definition: {}",
                steps.join("; ")
            ),
            instances: names,
        }
    }

    fn check_type(&self, expected: &ExternType, r: &Resolved, ctx: &Ctx) -> Result<(), GraphError> {
        let via = Hop::render(&r.via);
        match r.def {
            Def::Builtin(b) => {
                let actual = ExternType::Func(b.func_type());
                if match_extern(expected, &actual).is_err() {
                    return Err(ctx.plain(format!(
                        "{} as {}, but {via}the WASI function {}.{} is {}",
                        ctx.head(),
                        describe_extern_type(expected),
                        b.module,
                        b.name,
                        describe_extern_type(&actual)
                    )));
                }
            }
            Def::Item { node, kind, index } => {
                let Some(actual) = self.def_type(node, kind, index) else {
                    return Err(ctx.err(format!(
                        "internal error: {} has no {} {index}",
                        self.describe(node),
                        kind.describe()
                    )));
                };
                if let Err(m) = match_extern(expected, &actual) {
                    let reason = match m {
                        Mismatch::Plain => String::new(),
                        Mismatch::Because(r) => format!(" ({r})"),
                    };
                    return Err(ctx.plain(format!(
                        "{} as {}, but {via}{} exports \"{}\" as {}{reason}",
                        ctx.head(),
                        describe_extern_type(expected),
                        self.describe(node),
                        r.export,
                        describe_extern_type(&actual)
                    )));
                }
            }
        }
        Ok(())
    }

    /// The type of a definition (only real nodes define items).
    fn def_type(&self, node: NodeId, kind: ExternKind, index: u32) -> Option<ExternType> {
        match self.nodes[node].kind {
            NodeKind::Real { source, .. } => {
                let m = &self.sources[source].module;
                let n = match kind {
                    ExternKind::Func => m.funcs.len(),
                    ExternKind::Table => m.tables.len(),
                    ExternKind::Memory => m.memories.len(),
                    ExternKind::Global => m.globals.len(),
                };
                ((index as usize) < n).then(|| m.extern_type(kind, index))
            }
            _ => None,
        }
    }

    fn out_id(&self, node: NodeId) -> Option<InstanceId> {
        match self.nodes[node].kind {
            NodeKind::Real { out, .. } => Some(out),
            _ => None,
        }
    }

    /// Resolve every import of every real instance, including the ones
    /// created on the way.
    fn resolve_all(&mut self) -> Result<(), GraphError> {
        let mut out = 0;
        while out < self.real.len() {
            let node = self.real[out];
            for slot in 0..self.slots[out].len() {
                self.resolve_import(node, slot)?;
            }
            out += 1;
        }
        Ok(())
    }

    /// Explicit facade instances are instantiated: check all their
    /// bindings resolve.
    fn validate_facades(&mut self) -> Result<(), GraphError> {
        let explicit: Vec<NodeId> = (0..self.nodes.len())
            .filter(|&n| self.nodes[n].explicit && matches!(self.nodes[n].kind, NodeKind::Virtual))
            .collect();
        for f in explicit {
            let table = self.facade_table(f)?;
            let desc = self.describe(f);
            let fname = self.nodes[f].name.clone();
            for (name, item) in table.scope.iter() {
                if let FacadeItem::Item {
                    node,
                    name: n,
                    hops,
                } = item
                {
                    let ctx = Ctx::facade(&fname, format!("{desc} imports \"{name}\""));
                    self.resolve_export(*node, n, hops.clone(), &ctx)?;
                }
            }
            for (name, item) in table.exports.iter() {
                if let FacadeItem::Item { .. } = item {
                    let ctx = Ctx::facade(&fname, format!("{desc} exports \"{name}\""));
                    self.resolve_facade_item(f, name, item, Vec::new(), &ctx)?;
                }
            }
        }
        Ok(())
    }

    /// The manifest's `imports` maps may only name what the instance
    /// imports (or, for a facade, a module its bindings name): a typo would
    /// otherwise silently fall through to rules 2–5.
    fn check_import_maps(&self) -> Result<(), GraphError> {
        for n in 0..self.nodes.len() {
            let node = &self.nodes[n];
            if node.imports.is_empty() {
                continue;
            }
            let err = |message: String| GraphError::Manifest {
                path: self.manifest_path.clone().unwrap_or_default(),
                message: format!("{}: {message}", self.describe(n)),
            };
            match node.kind {
                NodeKind::Real { source, .. } => {
                    let s = &self.sources[source];
                    let imports = &s.module.imports;
                    let mut modules: Vec<&str> = Vec::new();
                    for i in imports {
                        if !modules.contains(&i.module.as_str()) {
                            modules.push(&i.module);
                        }
                    }
                    for (m, spec) in &node.imports {
                        if !modules.contains(&m.as_str()) {
                            return Err(err(format!(
                                "\"imports\" maps module \"{m}\", but {} imports nothing from \"{m}\" (it imports from: {})",
                                s.label,
                                list(&modules)
                            )));
                        }
                        if let ImportSpec::Names(names) = spec {
                            for name in names.keys() {
                                if !imports.iter().any(|i| &i.module == m && &i.name == name) {
                                    return Err(err(format!(
                                        "\"imports\" maps \"{m}\" \"{name}\", but {} does not import it (it imports from \"{m}\": {})",
                                        s.label,
                                        list(imports.iter().filter(|i| &i.module == m).map(|i| &i.name))
                                    )));
                                }
                            }
                        }
                    }
                }
                NodeKind::Virtual => {
                    let froms: Vec<&str> = node
                        .bindings
                        .iter()
                        .filter_map(|b| match b {
                            VirtualBinding::Import { from, .. }
                            | VirtualBinding::ImportAll { from, .. }
                            | VirtualBinding::ExportFrom { from, .. }
                            | VirtualBinding::ExportAll { from, .. } => Some(from.as_str()),
                            VirtualBinding::Export { .. } => None,
                        })
                        .collect();
                    for m in node.imports.keys() {
                        if !froms.contains(&m.as_str()) {
                            return Err(err(format!(
                                "\"imports\" maps module \"{m}\", but no binding of source \"{}\" names it in \"from\" (they name: {})",
                                node.source_name,
                                list(&froms)
                            )));
                        }
                    }
                }
                NodeKind::Builtin => {}
            }
        }
        Ok(())
    }

    /// `"instance"` (its `_start`) or `"instance.export"`.
    fn resolve_entry(&mut self, text: &str, invoke: Option<&str>) -> Result<Entry, GraphError> {
        let shown;
        let ctx = match invoke {
            Some(name) => {
                shown = format!("{text}\" with --invoke \"{name}");
                Ctx::entry(&shown)
            }
            None => Ctx::entry(text),
        };
        let base = self.base_dir.clone();
        let mut target = self
            .lookup_module(&base, text, true, &ctx)?
            .map(|(n, via)| (n, "_start".to_string(), via));
        if target.is_none() {
            for (i, _) in text.match_indices('.') {
                if i == 0 || i + 1 >= text.len() {
                    continue;
                }
                if let Some((n, via)) = self.lookup_module(&base, &text[..i], true, &ctx)? {
                    target = Some((n, text[i + 1..].to_string(), via));
                    break;
                }
            }
        }
        if target.is_none() {
            // Report why the likeliest reading failed.
            let first = first_part(text);
            if let Some((n, via)) = self.lookup_module(&base, first, false, &ctx)? {
                let export = match text.get(first.len() + 1..) {
                    Some(e) if !e.is_empty() => e.to_string(),
                    _ => "_start".to_string(),
                };
                target = Some((n, export, via));
            }
        }
        let target = target.map(|(n, export, via)| (n, invoke.map_or(export, str::to_string), via));
        let Some((node, export, via)) = target else {
            let first = first_part(text);
            return Err(ctx.err(format!(
                "no instance or source is named \"{first}\" (available: {})",
                list(self.available.iter().filter(|n| n.as_str() != WASI_MODULE))
            )));
        };
        let entry_err = |ctx: &Ctx, desc: String, export: &str, ty: &ExternType| {
            ctx.err(format!(
                "{desc} exports \"{export}\" as {}, but the entry must be a function whose parameters \
                 are numbers (i32, i64, f32, f64), which the executable reads from its command line",
                describe_extern_type(ty)
            ))
        };
        match self.nodes[node].kind.clone() {
            NodeKind::Builtin => Err(ctx.err(format!(
                "names a WASI function; the entry must be a function of an instance (available: {})",
                list(self.available.iter().filter(|n| n.as_str() != WASI_MODULE))
            ))),
            NodeKind::Real { source, out } => {
                let module = self.sources[source].module.clone();
                let Some(e) = module.export(&export) else {
                    let hint = match module.exports.iter().find(|e| e.kind == ExternKind::Func) {
                        Some(f) if export == "_start" && text == self.nodes[node].name => format!(
                            "; name an exported function as the entry (\"{text}.{}\")",
                            f.name
                        ),
                        _ => String::new(),
                    };
                    return Err(ctx.err(format!(
                        "{} has no export \"{export}\"; it exports: {}{hint}",
                        self.describe(node),
                        list(module.exports.iter().map(|e| &e.name))
                    )));
                };
                let ty = module.extern_type(e.kind, e.index);
                match &ty {
                    ExternType::Func(f) if f.params().iter().all(is_command_line_type) => Ok(Entry {
                        instance: out,
                        func: e.index,
                    }),
                    _ => Err(entry_err(&ctx, self.describe(node), &export, &ty)),
                }
            }
            NodeKind::Virtual => {
                let r = self.resolve_export(node, &export, via, &ctx)?;
                match r.def {
                    Def::Builtin(b) => Err(ctx.err(format!(
                        "{}names the WASI function {}.{}; the entry must be a function of an instance",
                        Hop::render(&r.via),
                        b.module,
                        b.name
                    ))),
                    Def::Item {
                        node: d,
                        kind,
                        index,
                    } => {
                        let Some(ty) = self.def_type(d, kind, index) else {
                            return Err(ctx.err(format!(
                                "internal error: {} has no {} {index}",
                                self.describe(d),
                                kind.describe()
                            )));
                        };
                        match (&ty, self.out_id(d)) {
                            (ExternType::Func(f), Some(out)) if f.params().is_empty() => {
                                Ok(Entry {
                                    instance: out,
                                    func: index,
                                })
                            }
                            _ => Err(entry_err(
                                &ctx,
                                format!("{}{}", Hop::render(&r.via), self.describe(d)),
                                &r.export,
                                &ty,
                            )),
                        }
                    }
                }
            }
        }
    }

    fn default_entry(&self, manifest: &Manifest) -> Result<String, GraphError> {
        let explicit: Vec<&String> = manifest.instances.keys().collect();
        if let [only] = explicit.as_slice() {
            return Ok((*only).clone());
        }
        let message = if explicit.is_empty() {
            format!(
                "{}: no \"entry\", and no instance to default to; add \"entry\": \"instance\" or \"instance.export\" (sources: {})",
                manifest.path.display(),
                list(manifest.sources.keys())
            )
        } else {
            format!(
                "{}: no \"entry\", and {} instances to choose from ({}); add \"entry\": \"instance\" or \"instance.export\"",
                manifest.path.display(),
                explicit.len(),
                list(&explicit)
            )
        };
        Err(GraphError::Entry {
            entry: String::new(),
            message,
        })
    }

    /// Everything after the nodes of the input exist.
    fn finish(
        mut self,
        entry: &str,
        invoke: Option<&str>,
        wasi: WasiConfig,
    ) -> Result<ResolvedGraph, GraphError> {
        self.check_import_maps()?;
        let entry = self.resolve_entry(entry, invoke)?;
        self.resolve_all()?;
        self.validate_facades()?;
        self.resolve_all()?;
        self.build(entry, wasi)
    }

    fn build(self, entry: Entry, wasi: WasiConfig) -> Result<ResolvedGraph, GraphError> {
        let mut source_ids: Vec<Option<SourceId>> = vec![None; self.sources.len()];
        let mut sources = Vec::new();
        let mut source_labels = Vec::new();
        let mut instances = Vec::new();
        let mut edges = Vec::new();
        let mut deps = Vec::new();
        let names: Vec<String> = self
            .real
            .iter()
            .map(|&n| self.nodes[n].name.clone())
            .collect();
        for (out, &n) in self.real.iter().enumerate() {
            let NodeKind::Real { source: s, .. } = self.nodes[n].kind else {
                continue;
            };
            let sid = match source_ids[s] {
                Some(id) => id,
                None => {
                    let id = sources.len();
                    source_ids[s] = Some(id);
                    let src = &self.sources[s];
                    sources.push(Source {
                        name: src.name.clone(),
                        path: src.path.clone(),
                        module: Arc::clone(&src.module),
                    });
                    source_labels.push(src.label.clone());
                    id
                }
            };
            let module = &self.sources[s].module;
            let mut bindings = Vec::new();
            for (slot, imp) in module.imports.iter().enumerate() {
                let Some(Slot::Done(r)) = self.slots[out].get(slot) else {
                    return Err(GraphError::Link {
                        instance: self.nodes[n].name.clone(),
                        module: imp.module.clone(),
                        name: imp.name.clone(),
                        message: format!(
                            "internal error: import \"{}\" \"{}\" of instance \"{}\" was not resolved",
                            imp.module, imp.name, self.nodes[n].name
                        ),
                    });
                };
                let (binding, target) = match r.def {
                    Def::Builtin(b) => (Binding::Builtin(b), EdgeTarget::Builtin(b)),
                    Def::Item { node, kind, index } => {
                        let instance = self.out_id(node).unwrap_or(out);
                        let item = ItemRef { instance, index };
                        let binding = match kind {
                            ExternKind::Func => Binding::Func(item),
                            ExternKind::Table => Binding::Table(item),
                            ExternKind::Memory => Binding::Memory(item),
                            ExternKind::Global => Binding::Global(item),
                        };
                        deps.push(Dep {
                            importer: out,
                            definer: instance,
                            strong: kind != ExternKind::Func,
                            kind,
                            module: imp.module.clone(),
                            name: imp.name.clone(),
                        });
                        (
                            binding,
                            EdgeTarget::Item {
                                instance,
                                kind,
                                index,
                            },
                        )
                    }
                };
                bindings.push(binding);
                edges.push(Edge {
                    instance: out,
                    import: slot,
                    module: imp.module.clone(),
                    name: imp.name.clone(),
                    ty: imp.ty.clone(),
                    via: r.via.clone(),
                    target,
                    export: r.export.clone(),
                });
            }
            instances.push(Instance {
                name: self.nodes[n].name.clone(),
                source: sid,
                imports: bindings,
            });
        }
        let order = instantiation_order(&names, &deps)?;
        let input_files = self
            .manifest_path
            .iter()
            .cloned()
            .chain(self.sources.iter().filter_map(|s| s.path.clone()))
            .collect();
        Ok(ResolvedGraph {
            graph: InstanceGraph {
                sources,
                instances,
                order,
                entry,
                wasi,
            },
            edges,
            source_labels,
            input_files,
        })
    }
}

/// `a` of `a.b.c` (the text before the first dot that has something on
/// both sides), or the whole text.
fn first_part(text: &str) -> &str {
    text.match_indices('.')
        .map(|(i, _)| i)
        .find(|&i| i > 0 && i + 1 < text.len())
        .map_or(text, |i| &text[..i])
}

// ---------------------------------------------------------------------------
// Entry points.

/// Resolve a parsed manifest.
pub fn resolve_manifest(
    manifest: &Manifest,
    options: &LoadOptions,
) -> Result<ResolvedGraph, GraphError> {
    manifest.check()?;
    let mut r = Resolver::new(Some(manifest.path.clone()), manifest.base_dir.clone());
    for (name, spec) in &manifest.sources {
        match spec {
            SourceSpec::File(file) => {
                let s = load_file(
                    &format!("source \"{name}\""),
                    name,
                    file,
                    file.clone(),
                    &manifest.base_dir,
                )?;
                r.add_source(name, s);
            }
            SourceSpec::Wat(text) => {
                let s = load_wat(name, text, &manifest.base_dir)?;
                r.add_source(name, s);
            }
            SourceSpec::Virtual(bindings) => {
                r.source_by_name
                    .insert(name.clone(), SourceRef::Virtual(Rc::new(bindings.clone())));
            }
            SourceSpec::Data { kind } => {
                return Err(GraphError::Unsupported {
                    source_name: name.clone(),
                    what: format!("{{\"{kind}\": …}} data"),
                })
            }
        }
    }
    let mut available: Vec<String> = manifest.instances.keys().cloned().collect();
    for s in manifest.sources.keys() {
        if !available.contains(s) {
            available.push(s.clone());
        }
    }
    r.used_names.extend(available.iter().cloned());
    if !available.iter().any(|n| n == WASI_MODULE) {
        available.push(WASI_MODULE.to_string());
    }
    r.used_names.insert(WASI_MODULE.to_string());
    r.available = available;

    for (name, spec) in &manifest.instances {
        let Some(src) = r.source_by_name.get(&spec.source).cloned() else {
            return Err(GraphError::Manifest {
                path: manifest.path.clone(),
                message: format!(
                    "instance \"{name}\" names source \"{}\", which is not in \"sources\"",
                    spec.source
                ),
            });
        };
        let n = r.add_node(name, &spec.source, &src, spec.imports.clone(), true);
        r.node_by_name.insert(name.clone(), n);
    }

    let entry = match (&options.entry, &manifest.entry) {
        (Some(e), _) | (None, Some(e)) => e.clone(),
        (None, None) => r.default_entry(manifest)?,
    };
    let wasi = options
        .wasi
        .clone()
        .unwrap_or_else(|| manifest.wasi.clone());
    r.finish(&entry, options.invoke.as_deref(), wasi)
}

/// The manifest-less form: `path` is the entry module.
pub(crate) fn resolve_module(
    path: &Path,
    options: &LoadOptions,
) -> Result<ResolvedGraph, GraphError> {
    input_file::check(path, InputKind::Module).map_err(|error| GraphError::ReadInput {
        path: path.to_path_buf(),
        error,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "main".to_string());
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base_dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut r = Resolver::new(None, base_dir.clone());
    let label = path.display().to_string();
    let s = load_file("input", &stem, &file_name, label, &base_dir)?;
    r.add_source(&stem, s);
    r.available = vec![stem.clone(), WASI_MODULE.to_string()];
    r.used_names.extend(r.available.iter().cloned());
    let src = SourceRef::Real(0);
    let n = r.add_node(&stem, &stem, &src, IndexMap::new(), true);
    r.node_by_name.insert(stem.clone(), n);
    let entry = options.entry.clone().unwrap_or_else(|| stem.clone());
    let wasi = options.wasi.clone().unwrap_or_default();
    r.finish(&entry, options.invoke.as_deref(), wasi)
}
