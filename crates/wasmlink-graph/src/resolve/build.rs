//! The last steps: checking the manifest's import maps, resolving every
//! import of every instance (including instances created on the way),
//! checking explicit facades, then building the [`InstanceGraph`] for the
//! compile stage with its edges and instantiation order.

use super::context::Ctx;
use super::nodes::{Def, FacadeItem, NodeId, NodeKind};
use super::resolver::{Resolver, Slot};
use crate::display::list;
use crate::error::GraphError;
use crate::instance_graph::{
    Binding, Entry, Instance, InstanceGraph, ItemRef, LoweredImport, Source, SourceId, WasiConfig,
};
use crate::manifest::{ImportSpec, VirtualBinding};
use crate::order::{instantiation_order, Dep};
use crate::report::{Edge, EdgeTarget, ResolvedGraph};
use std::sync::Arc;
use wasmlink_module::ExternKind;

impl Resolver {
    /// Everything after the nodes of the input exist.
    pub(super) fn finish(
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
        self.check_component_wiring()?;
        self.build(entry, wasi)
    }

    /// Resolve every import of every real instance, including the ones
    /// created on the way.
    pub(super) fn resolve_all(&mut self) -> Result<(), GraphError> {
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
    pub(super) fn validate_facades(&mut self) -> Result<(), GraphError> {
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
    pub(super) fn check_import_maps(&self) -> Result<(), GraphError> {
        for n in 0..self.nodes.len() {
            let node = &self.nodes[n];
            if node.imports.is_empty() {
                continue;
            }
            let err = |message: String| GraphError::ManifestNode {
                path: self.manifest_path.clone().unwrap_or_default(),
                node: self.nodes[n].name.clone(),
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
                                s.subject(),
                                list(&modules)
                            )));
                        }
                        if let ImportSpec::Names(names) = spec {
                            for name in names.keys() {
                                if !imports.iter().any(|i| &i.module == m && &i.name == name) {
                                    return Err(err(format!(
                                        "\"imports\" maps \"{m}\" \"{name}\", but {} does not import it (it imports from \"{m}\": {})",
                                        s.subject(),
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
                NodeKind::Component(c) => self.check_component_import_map(n, c).map_err(err)?,
                NodeKind::Builtin | NodeKind::Wasi2 { .. } => {}
            }
        }
        Ok(())
    }

    pub(super) fn build(self, entry: Entry, wasi: WasiConfig) -> Result<ResolvedGraph, GraphError> {
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
                        file: self.node_file(n),
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
                    Def::Lowered(func) => (
                        Binding::Lowered(LoweredImport {
                            func,
                            options: match self.component_lower_options(n, slot) {
                                Some(options) => options,
                                None => self.direct_lower_options(out, s),
                            },
                        }),
                        EdgeTarget::Lowered(func),
                    ),
                    Def::Item { node, kind, index } => {
                        let instance = self.out_id(node).unwrap_or(out);
                        let item = ItemRef { instance, index };
                        let binding = match kind {
                            ExternKind::Func => Binding::Func(item),
                            ExternKind::Table => Binding::Table(item),
                            ExternKind::Memory => Binding::Memory(item),
                            ExternKind::Global => Binding::Global(item),
                            ExternKind::Tag => Binding::Tag(item),
                        };
                        deps.push(Dep {
                            importer: out,
                            definer: instance,
                            // A tag is a link-time address, like a function.
                            strong: !matches!(kind, ExternKind::Func | ExternKind::Tag),
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
        let components = self.component_reports();
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
                embedded: Default::default(),
            },
            edges,
            source_labels,
            input_files,
            components,
            preinit: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::resolve_cases::{dir, instance, instance_names, load};
    use crate::{builtin, Binding, ItemRef, WASI_MODULE};

    #[test]
    fn instances_are_numbered_explicit_first_then_as_found() {
        // Both importers share the one implicit instance "math"; sources
        // without instances are not in the graph.
        let g = load("rule2_source_gets_one_implicit_instance");
        assert_eq!(instance_names(&g), ["main", "other", "math"]);
        let sources: Vec<&str> = g.graph.sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(sources, ["app", "b", "math"]);
        // Facades are not instances of the graph.
        let g = load("facade_import_and_export_forms");
        assert_eq!(instance_names(&g), ["main", "math", "m2"]);
    }

    #[test]
    fn builtin_imports_are_bound_to_the_builtin() {
        let g = load("rule3_builtin");
        assert_eq!(
            g.graph.instances[0].imports[1],
            Binding::Builtin(builtin(WASI_MODULE, "proc_exit").unwrap())
        );
    }

    #[test]
    fn source_instantiated_twice_has_separate_state() {
        let g = load("source_instantiated_twice");
        let (c1, c2) = (instance(&g, "c1"), instance(&g, "c2"));
        assert_ne!(c1, c2);
        assert_eq!(g.graph.instances[c1].source, g.graph.instances[c2].source);
        assert_eq!(g.graph.sources.len(), 2);
        let main = &g.graph.instances[instance(&g, "main")];
        assert_eq!(
            main.imports[0],
            Binding::Func(ItemRef {
                instance: c1,
                index: 0
            })
        );
        assert_eq!(
            main.imports[1],
            Binding::Func(ItemRef {
                instance: c2,
                index: 0
            })
        );
        assert_eq!(
            main.imports[2],
            Binding::Global(ItemRef {
                instance: c1,
                index: 0
            })
        );
        assert_eq!(
            main.imports[3],
            Binding::Memory(ItemRef {
                instance: c2,
                index: 0
            })
        );
    }

    #[test]
    fn sources_keep_their_labels_and_paths() {
        let case = "source_inline_wat_and_file_object";
        let g = load(case);
        assert_eq!(g.source_labels, ["inline wat", "lib/math.wat"]);
        assert_eq!(g.graph.sources[0].path, None);
        assert_eq!(
            g.graph.sources[1].path.as_deref(),
            Some(dir(case).join("lib/math.wat").as_path())
        );
    }
}
