//! Virtual sources (facades): the bindings of the Virtual Module Sources
//! proposal, read for Wasm, and the export table of one facade instance.
//!
//! A facade instance has a *scope* (names bound by `import` and
//! `importAllFrom`) and *exports*: a name is either an item of another node
//! (looked up there when something imports it, so edges resolve to the final
//! definition), or a namespace (another node, addressable as module
//! `facade/NS`). `exportAllFrom` without `as` re-exports every export of a
//! node unless an explicit export has the same name; two star exports of the
//! same name are ambiguous unless they reach the same definition, and that
//! is only an error when the name is used (as in JavaScript).

use crate::manifest::list;
use crate::resolve::{Ctx, Hop, HopKind, NodeId, Resolver};
use crate::GraphError;
use indexmap::IndexMap;
use serde::Deserialize;
use std::fmt;
use std::rc::Rc;

/// One binding of a virtual source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VirtualBinding {
    /// `{import, from}` or `{import, as, from}`: bind `alias` (or `name`)
    /// in the facade's scope to export `name` of node `from`.
    Import {
        name: String,
        alias: Option<String>,
        from: String,
    },
    /// `{importAllFrom, as}`: bind `alias` to node `from` as a namespace.
    ImportAll { from: String, alias: String },
    /// `{export}` or `{export, as}`: export a scope name.
    Export { name: String, alias: Option<String> },
    /// `{export, as, from}` (also `{export, from}`): re-export export `name`
    /// of node `from` as `alias` (or `name`).
    ExportFrom {
        name: String,
        alias: Option<String>,
        from: String,
    },
    /// `{exportAllFrom}`: re-export every export of `from`;
    /// `{exportAllFrom, as: NS}`: expose them as namespace `facade/NS`.
    ExportAll { from: String, alias: Option<String> },
}

impl fmt::Display for VirtualBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
        let mut parts: Vec<(&str, &str)> = Vec::new();
        match self {
            VirtualBinding::Import { name, alias, from } => {
                parts.push(("import", name));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
                parts.push(("from", from));
            }
            VirtualBinding::ImportAll { from, alias } => {
                parts.push(("importAllFrom", from));
                parts.push(("as", alias));
            }
            VirtualBinding::Export { name, alias } => {
                parts.push(("export", name));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
            }
            VirtualBinding::ExportFrom { name, alias, from } => {
                parts.push(("export", name));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
                parts.push(("from", from));
            }
            VirtualBinding::ExportAll { from, alias } => {
                parts.push(("exportAllFrom", from));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
            }
        }
        let body: Vec<String> = parts
            .iter()
            .map(|(k, v)| format!("\"{k}\": {}", q(v)))
            .collect();
        write!(f, "{{{}}}", body.join(", "))
    }
}

const BINDING_FORMS: &str = "{import, from}, {import, as, from}, {importAllFrom, as}, {export}, {export, as}, {export, as, from}, {exportAllFrom} or {exportAllFrom, as}";

const KEYS: &[&str] = &[
    "import",
    "as",
    "from",
    "importAllFrom",
    "export",
    "exportAllFrom",
];

#[derive(Default)]
struct RawBinding {
    import: Option<String>,
    alias: Option<String>,
    from: Option<String>,
    import_all_from: Option<String>,
    export: Option<String>,
    export_all_from: Option<String>,
}

impl TryFrom<RawBinding> for VirtualBinding {
    type Error = String;
    fn try_from(r: RawBinding) -> Result<Self, String> {
        let b = match r {
            RawBinding {
                import: Some(name),
                alias,
                from: Some(from),
                import_all_from: None,
                export: None,
                export_all_from: None,
            } => VirtualBinding::Import { name, alias, from },
            RawBinding {
                import: None,
                alias: Some(alias),
                from: None,
                import_all_from: Some(from),
                export: None,
                export_all_from: None,
            } => VirtualBinding::ImportAll { from, alias },
            RawBinding {
                import: None,
                alias,
                from: None,
                import_all_from: None,
                export: Some(name),
                export_all_from: None,
            } => VirtualBinding::Export { name, alias },
            RawBinding {
                import: None,
                alias,
                from: Some(from),
                import_all_from: None,
                export: Some(name),
                export_all_from: None,
            } => VirtualBinding::ExportFrom { name, alias, from },
            RawBinding {
                import: None,
                alias,
                from: None,
                import_all_from: None,
                export: None,
                export_all_from: Some(from),
            } => VirtualBinding::ExportAll { from, alias },
            r => {
                let keys: Vec<&str> = [
                    ("import", r.import.is_some()),
                    ("as", r.alias.is_some()),
                    ("from", r.from.is_some()),
                    ("importAllFrom", r.import_all_from.is_some()),
                    ("export", r.export.is_some()),
                    ("exportAllFrom", r.export_all_from.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(k, _)| k)
                .collect();
                return Err(format!(
                    "a virtual binding with keys {{{}}} is not one of {BINDING_FORMS}",
                    keys.join(", ")
                ));
            }
        };
        let empty = match &b {
            VirtualBinding::Import { name, alias, from }
            | VirtualBinding::ExportFrom { name, alias, from } => {
                name.is_empty() || from.is_empty() || alias.as_deref() == Some("")
            }
            VirtualBinding::ImportAll { from, alias } => from.is_empty() || alias.is_empty(),
            VirtualBinding::Export { name, alias } => {
                name.is_empty() || alias.as_deref() == Some("")
            }
            VirtualBinding::ExportAll { from, alias } => {
                from.is_empty() || alias.as_deref() == Some("")
            }
        };
        if empty {
            return Err(format!("virtual binding {b} has an empty name"));
        }
        match &b {
            VirtualBinding::ImportAll { alias: ns, .. }
            | VirtualBinding::ExportAll {
                alias: Some(ns), ..
            } if ns.contains('/') => {
                return Err(format!(
                    "virtual binding {b}: a namespace name must not contain \"/\""
                ))
            }
            _ => {}
        }
        Ok(b)
    }
}

impl<'de> Deserialize<'de> for VirtualBinding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = VirtualBinding;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a virtual binding: {BINDING_FORMS}")
            }
            // Checked inside the object, so that JSON errors point at it.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VirtualBinding, A::Error> {
                let mut raw = RawBinding::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "import" => &mut raw.import,
                        "as" => &mut raw.alias,
                        "from" => &mut raw.from,
                        "importAllFrom" => &mut raw.import_all_from,
                        "export" => &mut raw.export,
                        "exportAllFrom" => &mut raw.export_all_from,
                        other => return Err(A::Error::unknown_field(other, KEYS)),
                    };
                    if slot.is_some() {
                        return Err(A::Error::custom(format!("duplicate key \"{key}\"")));
                    }
                    *slot = Some(map.next_value::<String>()?);
                }
                VirtualBinding::try_from(raw).map_err(A::Error::custom)
            }
        }
        d.deserialize_map(V)
    }
}

// ---------------------------------------------------------------------------
// Export tables.

/// What a facade scope name or export is.
#[derive(Clone, Debug)]
pub(crate) enum FacadeItem {
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
pub(crate) struct FacadeTable {
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

pub(crate) enum FacadeState {
    Building,
    Done(Rc<FacadeTable>),
}

impl Resolver {
    /// The export table of facade instance `f`, built on first use.
    pub(crate) fn facade_table(&mut self, f: NodeId) -> Result<Rc<FacadeTable>, GraphError> {
        match self.facades.get(&f) {
            Some(FacadeState::Done(t)) => return Ok(t.clone()),
            Some(FacadeState::Building) => {
                let start = self.facade_stack.iter().position(|&n| n == f).unwrap_or(0);
                let mut cycle: Vec<NodeId> = self.facade_stack[start..].to_vec();
                cycle.push(f);
                let names: Vec<String> =
                    cycle.iter().map(|&n| self.nodes[n].name.clone()).collect();
                let text: Vec<String> = cycle.iter().map(|&n| self.describe(n)).collect();
                return Err(GraphError::Cycle {
                    message: format!(
                        "facade cycle: {} (a facade cannot re-export everything from itself)",
                        text.join(" re-exports from ")
                    ),
                    instances: names,
                });
            }
            None => {}
        }
        self.facades.insert(f, FacadeState::Building);
        self.facade_stack.push(f);
        let result = self.build_facade(f);
        self.facade_stack.pop();
        let table = match result {
            Ok(t) => Rc::new(t),
            Err(e) => {
                self.facades.remove(&f);
                return Err(e);
            }
        };
        self.facades.insert(f, FacadeState::Done(table.clone()));
        Ok(table)
    }

    fn build_facade(&mut self, f: NodeId) -> Result<FacadeTable, GraphError> {
        let bindings = self.nodes[f].bindings.clone();
        let desc = self.describe(f);
        let fname = self.nodes[f].name.clone();
        let err = |message: String| GraphError::Facade {
            facade: fname.clone(),
            message,
        };
        let mut table = FacadeTable::default();
        let mut star: IndexMap<String, FacadeItem> = IndexMap::new();

        // Imports first (they are hoisted), then exports.
        for b in bindings.iter() {
            let ctx = Ctx::facade(&fname, format!("{desc}: binding {b}"));
            let (local, item) = match b {
                VirtualBinding::Import { name, alias, from } => {
                    let r = self.route(f, from, Some(name), &ctx)?;
                    let item = FacadeItem::Item {
                        node: r.node,
                        name: r.name.unwrap_or_else(|| name.clone()),
                        hops: r.via,
                    };
                    (alias.clone().unwrap_or_else(|| name.clone()), item)
                }
                VirtualBinding::ImportAll { from, alias } => {
                    let r = self.route(f, from, None, &ctx)?;
                    (alias.clone(), FacadeItem::Namespace(r.node))
                }
                _ => continue,
            };
            if table.scope.contains_key(&local) {
                return Err(err(format!(
                    "{desc}: binding {b} binds \"{local}\", which an earlier binding already binds"
                )));
            }
            table.scope.insert(local, item);
        }

        for b in bindings.iter() {
            let ctx = Ctx::facade(&fname, format!("{desc}: binding {b}"));
            let (exported, item) = match b {
                VirtualBinding::Import { .. } | VirtualBinding::ImportAll { .. } => continue,
                VirtualBinding::Export { name, alias } => {
                    let Some(item) = table.scope.get(name) else {
                        return Err(err(format!(
                            "{desc}: binding {b} exports \"{name}\", which no import binding of the facade binds (bound: {})",
                            list(table.scope.keys())
                        )));
                    };
                    (alias.clone().unwrap_or_else(|| name.clone()), item.clone())
                }
                VirtualBinding::ExportFrom { name, alias, from } => {
                    let r = self.route(f, from, Some(name), &ctx)?;
                    let item = FacadeItem::Item {
                        node: r.node,
                        name: r.name.unwrap_or_else(|| name.clone()),
                        hops: r.via,
                    };
                    (alias.clone().unwrap_or_else(|| name.clone()), item)
                }
                VirtualBinding::ExportAll {
                    from,
                    alias: Some(ns),
                } => {
                    let r = self.route(f, from, None, &ctx)?;
                    (ns.clone(), FacadeItem::Namespace(r.node))
                }
                VirtualBinding::ExportAll { from, alias: None } => {
                    let r = self.route(f, from, None, &ctx)?;
                    for name in self.export_names(r.node)? {
                        let item = FacadeItem::Item {
                            node: r.node,
                            name: name.clone(),
                            hops: r.via.clone(),
                        };
                        match star.get_mut(&name) {
                            None => {
                                star.insert(name, item);
                            }
                            Some(FacadeItem::Ambiguous(v)) => v.push(item),
                            Some(existing) => {
                                let same = matches!((&*existing, &item),
                                    (FacadeItem::Item { node: a, name: x, .. }, FacadeItem::Item { node: b, name: y, .. })
                                    if a == b && x == y);
                                if !same {
                                    *existing = FacadeItem::Ambiguous(vec![existing.clone(), item]);
                                }
                            }
                        }
                    }
                    continue;
                }
            };
            if table.exports.contains_key(&exported) {
                return Err(err(format!(
                    "{desc}: binding {b} exports \"{exported}\", which an earlier binding already exports"
                )));
            }
            table.exports.insert(exported, item);
        }
        for (name, item) in star {
            table.exports.entry(name).or_insert(item);
        }
        Ok(table)
    }

    /// Every export name of a node (for `exportAllFrom`).
    pub(crate) fn export_names(&mut self, node: NodeId) -> Result<Vec<String>, GraphError> {
        use crate::resolve::NodeKind;
        Ok(match &self.nodes[node].kind {
            NodeKind::Real { source, .. } => self.sources[*source]
                .module
                .exports
                .iter()
                .map(|e| e.name.clone())
                .collect(),
            NodeKind::Builtin => crate::builtins()
                .iter()
                .map(|b| b.name.to_string())
                .collect(),
            NodeKind::Virtual => self.facade_table(node)?.exports.keys().cloned().collect(),
        })
    }

    /// Follow namespace `ns` of node `f` to the node it stands for.
    pub(crate) fn resolve_namespace(
        &mut self,
        f: NodeId,
        ns: &str,
        hops: &mut Vec<Hop>,
        ctx: &Ctx,
    ) -> Result<NodeId, GraphError> {
        let mut node = f;
        let mut name = ns.to_string();
        loop {
            let via = Hop::render(hops);
            if !matches!(self.nodes[node].kind, crate::resolve::NodeKind::Virtual) {
                return Err(ctx.err(format!(
                    "{via}{} has no namespace \"{name}\" (only facades export namespaces)",
                    self.describe(node)
                )));
            }
            if hops.iter().any(|h| {
                h.kind == HopKind::Namespace && h.node == self.nodes[node].name && h.name == name
            }) {
                return Err(ctx.err(format!(
                    "facade cycle: namespace \"{name}\" of {} refers back to itself",
                    self.describe(node)
                )));
            }
            let table = self.facade_table(node)?;
            hops.push(Hop {
                kind: HopKind::Namespace,
                node: self.nodes[node].name.clone(),
                name: name.clone(),
            });
            match table.exports.get(&name) {
                Some(FacadeItem::Namespace(n)) => return Ok(*n),
                Some(FacadeItem::Item {
                    node: n,
                    name: m,
                    hops: h,
                }) => {
                    hops.extend(h.iter().cloned());
                    node = *n;
                    name = m.clone();
                }
                Some(FacadeItem::Ambiguous(_)) => {
                    return Err(ctx.err(format!(
                        "{via}{} gets \"{name}\" from several \"exportAllFrom\" bindings",
                        self.describe(node)
                    )))
                }
                None => {
                    return Err(ctx.err(format!(
                        "{via}{} has no namespace \"{name}\"; it exports: {}",
                        self.describe(node),
                        table.describe_exports()
                    )))
                }
            }
        }
    }
}
