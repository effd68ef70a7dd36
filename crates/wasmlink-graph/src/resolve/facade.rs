//! Facades (virtual sources) at resolution time: the scope and export
//! table of one facade instance, built from its bindings on first use, and
//! namespaces (`facade/NS`).
//!
//! A facade instance has a *scope* (names bound by `import` and
//! `importAllFrom`) and *exports*: a name is either an item of another node
//! (looked up there when something imports it, so edges resolve to the final
//! definition), or a namespace (another node, addressable as module
//! `facade/NS`). `exportAllFrom` without `as` re-exports every export of a
//! node unless an explicit export has the same name; two star exports of the
//! same name are ambiguous unless they reach the same definition, and that
//! is only an error when the name is used (as in JavaScript). A facade that
//! re-exports everything from itself, directly or through others, is a
//! cycle.

use super::context::Ctx;
use super::nodes::{FacadeItem, FacadeState, FacadeTable, NodeId, NodeKind};
use super::resolver::Resolver;
use crate::builtins::builtins;
use crate::display::list;
use crate::error::GraphError;
use crate::lowered::interface_functions;
use crate::manifest::VirtualBinding;
use crate::report::{Hop, HopKind};
use indexmap::IndexMap;
use std::rc::Rc;

impl Resolver {
    /// The export table of facade instance `f`, built on first use.
    pub(super) fn facade_table(&mut self, f: NodeId) -> Result<Rc<FacadeTable>, GraphError> {
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

    pub(super) fn build_facade(&mut self, f: NodeId) -> Result<FacadeTable, GraphError> {
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
    pub(super) fn export_names(&mut self, node: NodeId) -> Result<Vec<String>, GraphError> {
        Ok(match &self.nodes[node].kind {
            NodeKind::Real { source, .. } => self.sources[*source]
                .module
                .exports
                .iter()
                .map(|e| e.name.clone())
                .collect(),
            NodeKind::Builtin => {
                let module = &self.nodes[node].name;
                (builtins().iter())
                    .filter(|b| b.module == module)
                    .map(|b| b.name.to_string())
                    .collect()
            }
            NodeKind::Wasi2 { interface, .. } => interface_functions(interface)
                .map(|b| b.name.to_string())
                .collect(),
            NodeKind::Virtual => self.facade_table(node)?.exports.keys().cloned().collect(),
            NodeKind::Component(c) => self.components[*c]
                .flat
                .exports
                .iter()
                .map(|e| e.name.clone())
                .collect(),
        })
    }

    /// Follow namespace `ns` of node `f` to the node it stands for.
    pub(super) fn resolve_namespace(
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
            if !matches!(self.nodes[node].kind, NodeKind::Virtual) {
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

#[cfg(test)]
mod tests {
    use crate::resolve_cases::load_err;
    use crate::GraphError;

    #[test]
    fn facade_cycles_name_their_facades() {
        match load_err("facade_cycle_self") {
            GraphError::Cycle { instances, .. } => assert_eq!(instances, ["a", "a"]),
            other => panic!("{other:?}"),
        }
    }
}
