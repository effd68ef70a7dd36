//! The nodes of the graph being resolved and what lookups yield.
//!
//! A node is anything an import module name can name (rules 1–4 in
//! `resolve/mod.rs`): a real instance (explicit, the implicit instance of a
//! source, or of a file named by a relative specifier), a facade instance,
//! or the WASI builtin module. Looking a module up gives a [`Route`];
//! asking a node for an export gives a [`Resolved`] definition. A facade's
//! names are kept in a [`FacadeTable`], built on first use.

use crate::builtins::Builtin;
use crate::display::list;
use crate::instance_graph::InstanceId;
use crate::lowered::LoweredBuiltin;
use crate::manifest::{ImportSpec, VirtualBinding};
use crate::report::Hop;
use indexmap::IndexMap;
use std::path::PathBuf;
use std::rc::Rc;
use wasmlink_module::ExternKind;

/// Index into the resolver's nodes.
pub(super) type NodeId = usize;

#[derive(Clone, Debug)]
pub(super) enum NodeKind {
    /// An instance with code: of loaded source `source`, instance `out` of
    /// the graph.
    Real { source: usize, out: InstanceId },
    /// A facade instance (of a virtual source).
    Virtual,
    /// The WASI module.
    Builtin,
    /// A WASI interface, `wasi:PKG/IFACE@VERSION` (the node's name): its
    /// exports are the runtime's lowered WASI 0.2 functions.
    Wasi2 {
        interface: String,
        version: Option<String>,
    },
    /// An instance of a component: index into the resolver's component
    /// instances. Its core instances are real nodes of their own.
    Component(usize),
}

/// One node: what rules 1–4 can find.
#[derive(Clone, Debug)]
pub(super) struct Node {
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
    /// Named in the manifest's `instances` (or the manifest-less module):
    /// instantiated whether or not anything imports from it.
    pub explicit: bool,
}

/// What a source name stands for: loaded code (an index into the
/// resolver's sources), or the bindings of a virtual source.
#[derive(Clone, Debug)]
pub(super) enum SourceRef {
    Real(usize),
    Virtual(Rc<Vec<VirtualBinding>>),
}

/// A final definition: an item of a real instance, or a WASI function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Def {
    Item {
        node: NodeId,
        kind: ExternKind,
        index: u32,
    },
    Builtin(&'static Builtin),
    /// A lowered WASI 0.2 function (the options come from the importer).
    Lowered(&'static LoweredBuiltin),
}

/// An export followed to its definition.
#[derive(Clone, Debug)]
pub(super) struct Resolved {
    pub def: Def,
    /// Facades, namespaces and re-exports passed on the way.
    pub via: Vec<Hop>,
    /// The export name at the defining node.
    pub export: String,
}

/// Result of rules 1–4: the node and the export name to ask it for.
pub(super) struct Route {
    pub node: NodeId,
    /// The export to ask for: the import's name, or what a per-name map
    /// (rule 1) says; `None` when a whole module was looked up.
    pub name: Option<String>,
    /// Namespaces passed (`facade/NS`).
    pub via: Vec<Hop>,
    /// ` (mapped to "node.export")` when a per-name map applied, for the
    /// messages of later steps.
    pub mapped: String,
}

/// What a facade scope name or export is.
#[derive(Clone, Debug)]
pub(super) enum FacadeItem {
    /// Export `name` of `node`, reached through `hops` (namespaces).
    Item {
        node: NodeId,
        name: String,
        hops: Vec<Hop>,
    },
    /// Another node, as a namespace.
    Namespace(NodeId),
    /// Provided by several `exportAllFrom` bindings (each an `Item`).
    Ambiguous(Vec<FacadeItem>),
}

/// The scope and exports of one facade instance.
#[derive(Debug, Default)]
pub(super) struct FacadeTable {
    pub scope: IndexMap<String, FacadeItem>,
    pub exports: IndexMap<String, FacadeItem>,
}

impl FacadeTable {
    /// Export names for messages; namespaces end in `/`.
    pub fn describe_exports(&self) -> String {
        list(self.exports.iter().map(|(n, e)| match e {
            FacadeItem::Namespace(_) => format!("{n}/"),
            _ => n.clone(),
        }))
    }
}

/// A facade table, or the mark that it is being built (meeting it again
/// then is a cycle).
pub(super) enum FacadeState {
    Building,
    Done(Rc<FacadeTable>),
}
