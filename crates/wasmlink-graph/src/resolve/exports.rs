//! Following an export to its definition, and binding imports.
//!
//! Once rules 1–4 found a node, the node is asked for the export: a real
//! instance answers with its own item, or — when the export is one of its
//! own imports — passes the question on to that import; a facade passes
//! it on to whatever its binding names; the builtin module answers with a
//! WASI function. Every step is recorded as a [`Hop`], so an edge ends at
//! a final definition and messages can say which way it went. Each import
//! of a real instance is resolved once (memoized), a re-export that comes
//! back to itself is an import cycle, and the definition found is
//! type-checked against the import with the spec's matching rules.

use super::context::Ctx;
use super::nodes::{Def, FacadeItem, NodeId, NodeKind, Resolved};
use super::resolver::{Resolver, Slot};
use crate::builtins::{builtin, builtins, WASI_MODULE};
use crate::display::list;
use crate::error::GraphError;
use crate::matching::{match_extern, match_extern_in, Mismatch};
use crate::report::{Hop, HopKind};
use crate::suggest::did_you_mean;
use wasmlink_module::{describe_extern_type, ExternType};

impl Resolver {
    /// Ask node `node` for its export `name`, following facades and
    /// re-exported imports to the final definition.
    pub(super) fn resolve_export(
        &mut self,
        node: NodeId,
        name: &str,
        mut via: Vec<Hop>,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        match self.nodes[node].kind.clone() {
            NodeKind::Builtin => match builtin(&self.nodes[node].name, name) {
                Some(b) => Ok(Resolved {
                    def: Def::Builtin(b),
                    via,
                    export: name.to_string(),
                }),
                None if self.nodes[node].name == WASI_MODULE => Err(ctx.err(format!(
                    "{}\"{name}\" is not a WASI preview1 function (module \"{WASI_MODULE}\"){}",
                    Hop::render(&via),
                    did_you_mean(
                        name,
                        builtins()
                            .iter()
                            .filter(|b| b.module == WASI_MODULE)
                            .map(|b| b.name)
                    )
                ))),
                None => Err(ctx.err(format!(
                    "{}\"{name}\" is not a wasi-threads function (module \"{}\" has only \"thread-spawn\")",
                    Hop::render(&via),
                    self.nodes[node].name
                ))),
            },
            NodeKind::Wasi2 { .. } => self.wasi2_export(node, name, via, ctx),
            NodeKind::Real { source, .. } => {
                let module = self.sources[source].module.clone();
                let Some(export) = module.export(name) else {
                    return Err(ctx.err(format!(
                        "{}{} has no export \"{name}\"; it exports: {}{}",
                        Hop::render(&via),
                        self.describe(node),
                        list(module.exports.iter().map(|e| &e.name)),
                        did_you_mean(name, module.exports.iter().map(|e| &e.name))
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
                        "{}{} has no export \"{name}\"; it exports: {}{}",
                        Hop::render(&via),
                        self.describe(node),
                        table.describe_exports(),
                        did_you_mean(name, table.exports.keys())
                    )));
                };
                via.push(Hop {
                    kind: HopKind::Facade,
                    node: fname.clone(),
                    name: name.to_string(),
                });
                self.resolve_facade_item(node, name, &item, via, ctx)
            }
            NodeKind::Component(c) if self.lifted_core_imports => {
                self.lifted_core_item(c, name, ctx)
            }
            NodeKind::Component(_) => Err(self.component_export_error(node, name, ctx)),
        }
    }

    pub(super) fn resolve_facade_item(
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
    pub(super) fn resolve_import(
        &mut self,
        node: NodeId,
        slot: usize,
    ) -> Result<Resolved, GraphError> {
        let NodeKind::Real { source, out } = self.nodes[node].kind else {
            return Err(GraphError::Link {
                instance: self.nodes[node].name.clone(),
                file: None,
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

    pub(super) fn bind_import(
        &mut self,
        node: NodeId,
        source: usize,
        slot: usize,
    ) -> Result<Resolved, GraphError> {
        if let Some(r) = self.fixed_import(node, slot) {
            return Ok(r);
        }
        if let Some(&(c, core)) = self.component_core.get(&node) {
            return self.bind_component_import(node, c, core, slot);
        }
        let module = self.sources[source].module.clone();
        let imp = &module.imports[slot];
        let desc = self.describe(node);
        let name = self.nodes[node].name.clone();
        let file = self.node_file(node);
        let ctx = Ctx::import(&desc, &name, file, &imp.module, &imp.name);
        let route = self.route(node, &imp.module, Some(&imp.name), &ctx)?;
        let ctx = ctx.with_mapped(&route.mapped);
        let export = route.name.unwrap_or_else(|| imp.name.clone());
        let r = self.resolve_export(route.node, &export, route.via, &ctx)?;
        self.check_type(&imp.ty, module.import_key(imp), &r, &ctx)?;
        let r = self.bind_data_read(node, r, &ctx)?;
        match r.def {
            Def::Lowered(_) => self.check_direct_lower_options(node, &ctx)?,
            Def::Builtin(b) if b.is_thread_spawn() => self.check_thread_spawn(source, &ctx)?,
            _ => {}
        }
        Ok(r)
    }

    pub(super) fn import_cycle(&self, node: NodeId, slot: usize) -> GraphError {
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

    pub(super) fn check_type(
        &self,
        expected: &ExternType,
        importer_key: Option<&str>,
        r: &Resolved,
        ctx: &Ctx,
    ) -> Result<(), GraphError> {
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
            Def::Lowered(b) => {
                let actual = ExternType::Func(b.func_type());
                if match_extern(expected, &actual).is_err() {
                    return Err(ctx.plain(format!(
                        "{} as {}, but {via}the WASI 0.2 function {}.{} is {} in lowered form",
                        ctx.head(),
                        describe_extern_type(expected),
                        b.interface,
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
                let def_keys = match &self.nodes[node].kind {
                    NodeKind::Real { source, .. } => {
                        self.sources[*source].module.item_keys(kind, index)
                    }
                    _ => Vec::new(),
                };
                if let Err(m) = match_extern_in(expected, importer_key, &actual, &def_keys) {
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
}

#[cfg(test)]
mod tests {
    use crate::resolve_cases::{instance, load};
    use crate::{Binding, ItemRef};

    #[test]
    fn reexported_imports_are_bound_to_the_definition() {
        let g = load("reexport_imports_bind_to_the_definition");
        let math = instance(&g, "math");
        let app = &g.graph.instances[instance(&g, "app")];
        assert_eq!(
            app.imports[0],
            Binding::Func(ItemRef {
                instance: math,
                index: 0
            })
        );
        assert_eq!(
            app.imports[1],
            Binding::Global(ItemRef {
                instance: math,
                index: 0
            })
        );
    }
}
