//! The resolver's state: every source loaded and every node created so
//! far, looked up by name and by file, with the memo of resolved imports;
//! and the bookkeeping that adds sources and nodes and describes a node in
//! messages. The rules themselves live in the sibling files (see
//! `resolve/mod.rs`).

use super::component::{ComponentLowerOptions, ComponentNode};

/// What identifies one fused adapter.
pub(super) type AdapterKey = (usize, usize, usize, wasmlink_component::LiftedFunc);
use super::nodes::{FacadeState, Node, NodeId, NodeKind, Resolved, SourceRef};
use crate::display::list;
use crate::instance_graph::InstanceId;
use crate::manifest::ImportSpec;
use crate::sources::LoadedSource;
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;
use wasmlink_module::{ExternKind, ExternType};

/// The state of one import of one real instance: resolution is memoized,
/// and an import met again while it is being resolved is a cycle.
#[derive(Clone, Debug)]
pub(super) enum Slot {
    Todo,
    InProgress,
    Done(Resolved),
}

/// One resolution in progress. Nodes are created as rules find them;
/// `real` numbers the real instances in the order they will have in the
/// graph (explicit instances first, in manifest order).
pub(super) struct Resolver {
    /// `None` for the manifest-less form.
    pub(super) manifest_path: Option<PathBuf>,
    /// The manifest's directory (the main module's, manifest-less).
    pub(super) base_dir: PathBuf,
    /// `base_dir`, canonical, once a relative specifier needed it.
    pub(super) root: Option<PathBuf>,
    /// Every source with code loaded so far (named or found by path).
    pub(super) sources: Vec<LoadedSource>,
    /// The manifest's sources by name (rule 2).
    pub(super) source_by_name: IndexMap<String, SourceRef>,
    /// Loaded sources by canonical path: a file is loaded once.
    pub(super) source_by_path: HashMap<PathBuf, usize>,
    pub(super) nodes: Vec<Node>,
    /// Explicit instances and implicit instances of named sources (rule 2).
    pub(super) node_by_name: HashMap<String, NodeId>,
    /// Implicit instances of relative specifiers, by canonical path (rule 4).
    pub(super) node_by_path: HashMap<PathBuf, NodeId>,
    /// The WASI module's node, once something named it (rule 3).
    /// The node of each builtin module named so far.
    pub(super) builtin_nodes: Vec<(&'static str, NodeId)>,
    /// The node of each WASI interface module name met (rule 3).
    pub(super) wasi2_nodes: HashMap<String, NodeId>,
    /// Real instances by output id.
    pub(super) real: Vec<NodeId>,
    /// Per real instance (by output id), one slot per import.
    pub(super) slots: Vec<Vec<Slot>>,
    /// Facade tables, built on first use.
    pub(super) facades: HashMap<NodeId, FacadeState>,
    /// Facades whose tables are being built (for cycle messages).
    pub(super) facade_stack: Vec<NodeId>,
    /// Imports being resolved, innermost last (for cycle messages).
    pub(super) import_stack: Vec<(NodeId, usize)>,
    /// Names offered in "available" lists.
    pub(super) available: Vec<String>,
    /// Names taken by nodes and sources: an implicit instance of a file
    /// gets a name of its own (`lib.wat#2`).
    pub(super) used_names: HashSet<String>,
    /// Instances of components (`NodeKind::Component` indexes this).
    pub(super) components: Vec<ComponentNode>,
    /// For a component source, the loaded source of each embedded module.
    pub(super) module_sources: HashMap<usize, Vec<usize>>,
    /// Real nodes that are core instances of a component: the component
    /// instance and the core instance's number in the flat component.
    pub(super) component_core: HashMap<NodeId, (usize, usize)>,
    /// Real nodes whose imports are bound in advance (generated entry
    /// modules): one resolved definition per import.
    pub(super) fixed_imports: HashMap<NodeId, Vec<Resolved>>,
    /// Fused adapters made so far, by (caller component node, caller
    /// component instance, callee component node, lifted function).
    pub(super) adapter_nodes: HashMap<AdapterKey, NodeId>,
    /// Numbers of resource types components define, by (component node,
    /// resource), and how many each implementing instance has.
    pub(super) resource_ids: HashMap<(usize, usize), u32>,
    pub(super) resource_counts: HashMap<u32, u32>,
    /// Wrappers of resource intrinsics, by (component node, intrinsic).
    pub(super) intrinsic_nodes: HashMap<(usize, usize), NodeId>,
    /// The flags node of each global component instance number.
    pub(super) flags_nodes: HashMap<u32, NodeId>,
    /// The canonical options of lowered WASI calls made by component core
    /// instances, by (node, import slot).
    pub(super) component_lower_options: HashMap<(NodeId, usize), ComponentLowerOptions>,
    /// Whether core modules may import the core items behind a component
    /// instance's lifted exports ([`super::LoadOptions::lifted_core_imports`]).
    pub(super) lifted_core_imports: bool,
    /// Readers of data sources made so far, by (data node, node and index
    /// of the memory copied into) (`data_read.rs`).
    pub(super) data_readers: HashMap<(NodeId, NodeId, u32), NodeId>,
    /// The loaded reader source for each data source and caller memory
    /// type (shared, maximum, page size).
    pub(super) reader_sources: HashMap<(usize, bool, Option<u64>, Option<u32>), usize>,
}

impl Resolver {
    pub(super) fn new(manifest_path: Option<PathBuf>, base_dir: PathBuf) -> Resolver {
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
            builtin_nodes: Vec::new(),
            wasi2_nodes: HashMap::new(),
            real: Vec::new(),
            slots: Vec::new(),
            facades: HashMap::new(),
            facade_stack: Vec::new(),
            import_stack: Vec::new(),
            available: Vec::new(),
            used_names: HashSet::new(),
            components: Vec::new(),
            module_sources: HashMap::new(),
            component_core: HashMap::new(),
            fixed_imports: HashMap::new(),
            adapter_nodes: HashMap::new(),
            flags_nodes: HashMap::new(),
            resource_ids: HashMap::new(),
            resource_counts: HashMap::new(),
            intrinsic_nodes: HashMap::new(),
            component_lower_options: HashMap::new(),
            lifted_core_imports: false,
            data_readers: HashMap::new(),
            reader_sources: HashMap::new(),
        }
    }

    pub(super) fn add_source(&mut self, name: &str, s: LoadedSource) {
        let idx = self.sources.len();
        if let Some(c) = &s.canonical {
            self.source_by_path.entry(c.clone()).or_insert(idx);
        }
        self.sources.push(s);
        self.source_by_name
            .insert(name.to_string(), SourceRef::Real(idx));
    }

    pub(super) fn add_node(
        &mut self,
        name: &str,
        source_name: &str,
        source: &SourceRef,
        imports: IndexMap<String, ImportSpec>,
        explicit: bool,
    ) -> NodeId {
        if let SourceRef::Real(s) = source {
            if let Some(flat) = self.sources[*s].component.clone() {
                return self.add_component_node(name, source_name, *s, flat, imports, explicit);
            }
        }
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
    pub(super) fn describe(&self, n: NodeId) -> String {
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
            NodeKind::Component(c) => {
                let source = self.components[*c].source;
                format!(
                    "component \"{}\" ({})",
                    node.name, self.sources[source].label
                )
            }
            NodeKind::Wasi2 { .. } => format!("WASI interface \"{}\"", node.name),
        }
    }

    /// The file of node `n`'s source, if it has one (not inline text, not
    /// a facade or builtin).
    pub(super) fn node_file(&self, n: NodeId) -> Option<std::path::PathBuf> {
        match &self.nodes[n].kind {
            NodeKind::Real { source, .. } => self.sources[*source].path.clone(),
            NodeKind::Component(c) => self.sources[self.components[*c].source].path.clone(),
            _ => None,
        }
    }

    pub(super) fn not_found(&self, name: &str) -> String {
        format!(
            "no instance, source or builtin is named \"{name}\" (available: {}){}",
            list(&self.available),
            crate::suggest::did_you_mean(name, &self.available)
        )
    }

    /// The node of builtin module `module` (`wasi_snapshot_preview1` or
    /// `wasi`); its name is the module's.
    pub(super) fn builtin_node(&mut self, module: &'static str) -> NodeId {
        if let Some(&(_, n)) = self.builtin_nodes.iter().find(|(m, _)| *m == module) {
            return n;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            name: module.to_string(),
            kind: NodeKind::Builtin,
            source_name: module.to_string(),
            imports: IndexMap::new(),
            bindings: Rc::new(Vec::new()),
            dir: self.base_dir.clone(),
            explicit: false,
        });
        self.builtin_nodes.push((module, id));
        id
    }

    /// The node of WASI interface module `module` (`wasi:PKG/IFACE@V`).
    pub(super) fn wasi2_node(
        &mut self,
        module: &str,
        interface: &str,
        version: Option<&str>,
    ) -> NodeId {
        if let Some(&n) = self.wasi2_nodes.get(module) {
            return n;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            name: module.to_string(),
            kind: NodeKind::Wasi2 {
                interface: interface.to_string(),
                version: version.map(str::to_string),
            },
            source_name: module.to_string(),
            imports: IndexMap::new(),
            bindings: Rc::new(Vec::new()),
            dir: self.base_dir.clone(),
            explicit: false,
        });
        self.wasi2_nodes.insert(module.to_string(), id);
        id
    }

    pub(super) fn unique_name(&self, base: &str) -> String {
        if !self.used_names.contains(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}#{i}"))
            .find(|n| !self.used_names.contains(n))
            .unwrap_or_else(|| base.to_string())
    }

    /// The type of a definition (only real nodes define items).
    pub(super) fn def_type(
        &self,
        node: NodeId,
        kind: ExternKind,
        index: u32,
    ) -> Option<ExternType> {
        match self.nodes[node].kind {
            NodeKind::Real { source, .. } => {
                let m = &self.sources[source].module;
                let n = match kind {
                    ExternKind::Func => m.funcs.len(),
                    ExternKind::Table => m.tables.len(),
                    ExternKind::Memory => m.memories.len(),
                    ExternKind::Global => m.globals.len(),
                    ExternKind::Tag => m.tags.len(),
                };
                ((index as usize) < n).then(|| m.extern_type(kind, index))
            }
            _ => None,
        }
    }

    pub(super) fn out_id(&self, node: NodeId) -> Option<InstanceId> {
        match self.nodes[node].kind {
            NodeKind::Real { out, .. } => Some(out),
            _ => None,
        }
    }
}
