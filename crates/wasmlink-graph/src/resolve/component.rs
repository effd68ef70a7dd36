//! Instances of components. A component source is flattened when it is
//! loaded (`wasmlink-component`); an instance of it is a component node
//! that stands for its core instances, each a real node of its own named
//! `instance/core-name` (`app/main`). The imports of those core instances
//! are not looked up by rules 1–5: the flat component says what each is
//! bound to — another of its core instances' exports, a lowered function,
//! a resource intrinsic — and this file turns that into a definition.
//!
//! A lowered function calls one of the component's imports, named by
//! interface (`wasi:cli/stdout@0.2.0`): the component node's `imports` map
//! may wire an interface to another component instance (a call between
//! components, which needs a fused adapter), and WASI interfaces are the
//! runtime's. A lowered function that calls a function lifted inside the
//! same component (between nested component instances) needs an adapter
//! too. Those, and resource intrinsics, give "not supported yet" errors
//! naming the interface and function.

use super::context::Ctx;
use super::nodes::{Def, NodeId, NodeKind, Resolved};
use super::resolver::Resolver;
use crate::display::list;
use crate::error::GraphError;
use crate::manifest::ImportSpec;
use indexmap::IndexMap;
use std::rc::Rc;
use std::sync::Arc;
use wasmlink_component::{
    describe_func_type, Callee, CoreDef, FlatComponent, ImportPath, Resource,
};

/// One instance of a component.
pub(crate) struct ComponentNode {
    /// Its node (`NodeKind::Component`).
    pub node: NodeId,
    /// The component's loaded source.
    pub source: usize,
    pub flat: Arc<FlatComponent>,
    /// The real node of each of its core instances, by flat number.
    pub cores: Vec<NodeId>,
}

/// The WASI 0.2 interfaces of the runtime are matched by this prefix
/// (`wasi:cli/stdout@0.2.6`).
fn is_wasi2(interface: &str) -> bool {
    interface.starts_with("wasi:") && interface.contains("@0.2.")
}

impl Resolver {
    /// A node for an instance of component source `source`, and a real
    /// node for each of its core instances (instantiated with it).
    pub(super) fn add_component_node(
        &mut self,
        name: &str,
        source_name: &str,
        source: usize,
        flat: Arc<FlatComponent>,
        imports: IndexMap<String, ImportSpec>,
        explicit: bool,
    ) -> NodeId {
        let module_sources = self.module_sources_of(source, &flat);
        let c = self.components.len();
        let id = self.nodes.len();
        self.nodes.push(super::nodes::Node {
            name: name.to_string(),
            kind: NodeKind::Component(c),
            source_name: source_name.to_string(),
            imports,
            bindings: Rc::new(Vec::new()),
            dir: self.sources[source].dir.clone(),
            explicit,
        });
        self.used_names.insert(name.to_string());
        self.components.push(ComponentNode {
            node: id,
            source,
            flat: Arc::clone(&flat),
            cores: Vec::new(),
        });
        let mut cores = Vec::with_capacity(flat.instances.len());
        for (k, inst) in flat.instances.iter().enumerate() {
            let core_name = self.unique_name(&format!("{name}/{}", inst.name));
            let module_source = module_sources[inst.module];
            let module_name = self.sources[module_source].name.clone();
            let n = self.add_node(
                &core_name,
                &module_name,
                &super::nodes::SourceRef::Real(module_source),
                IndexMap::new(),
                true,
            );
            self.component_core.insert(n, (c, k));
            cores.push(n);
        }
        self.components[c].cores = cores;
        id
    }

    /// The loaded sources of a component's embedded modules (made once
    /// per component source, shared by its instances): named
    /// `source/module`, labelled with the component's file.
    fn module_sources_of(&mut self, source: usize, flat: &FlatComponent) -> Vec<usize> {
        if let Some(s) = self.module_sources.get(&source) {
            return s.clone();
        }
        let component = self.sources[source].clone();
        let mut ids = Vec::with_capacity(flat.modules.len());
        for m in &flat.modules {
            let mut s = component.clone();
            s.name = format!("{}/{}", component.name, m.name);
            s.path = None;
            s.canonical = None;
            s.module = Arc::clone(&m.info);
            s.component = None;
            ids.push(self.sources.len());
            self.sources.push(s);
        }
        self.module_sources.insert(source, ids.clone());
        ids
    }

    /// Import `slot` of core node `node`, core instance `core` of
    /// component instance `c`: what the flat component binds it to.
    pub(super) fn bind_component_import(
        &mut self,
        node: NodeId,
        c: usize,
        core: usize,
        slot: usize,
    ) -> Result<Resolved, GraphError> {
        let flat = Arc::clone(&self.components[c].flat);
        let Some(def) = flat.instances.get(core).and_then(|i| i.imports.get(slot)) else {
            return Err(self.internal(node, "a core import the component does not bind"));
        };
        let NodeKind::Real { source, .. } = self.nodes[node].kind else {
            return Err(self.internal(node, "a component core instance without code"));
        };
        let module = Arc::clone(&self.sources[source].module);
        let imp = &module.imports[slot];
        let ctx = Ctx::import(
            &self.describe(node),
            &self.nodes[node].name,
            &imp.module,
            &imp.name,
        );
        let r = self.resolve_core_def(c, def, &ctx)?;
        self.check_type(&imp.ty, &r, &ctx)?;
        Ok(r)
    }

    /// What a core definition of component instance `c` finally is.
    pub(super) fn resolve_core_def(
        &mut self,
        c: usize,
        def: &CoreDef,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        let flat = Arc::clone(&self.components[c].flat);
        match def {
            CoreDef::Export(e) => {
                let Some(&node) = self.components[c].cores.get(e.instance) else {
                    return Err(ctx.err("internal error: a core instance out of range".into()));
                };
                self.resolve_export(node, &e.name, Vec::new(), ctx)
            }
            CoreDef::Lowered(l) => {
                let Some(lowering) = flat.lowerings.get(*l) else {
                    return Err(ctx.err("internal error: a lowering out of range".into()));
                };
                let ty = describe_func_type(&flat.types, lowering.ty);
                match &lowering.callee {
                    Callee::Import(path) => self.resolve_lowered_import(c, path, &ty),
                    Callee::Lifted(lifted) => Err(ctx.err(format!(
                        "{} calls {} ({ty}) of another component instance inside it; calls between component instances need fused adapters, which are not supported yet",
                        self.describe(self.components[c].node),
                        flat.describe_lifted(lifted)
                    ))),
                }
            }
            CoreDef::Intrinsic(i) => {
                let Some(intrinsic) = flat.intrinsics.get(*i) else {
                    return Err(ctx.err("internal error: an intrinsic out of range".into()));
                };
                let what = match flat.resources.get(intrinsic.resource) {
                    Some(Resource::Imported(p)) if is_wasi2(&p.import) => format!(
                        "WASI 0.2 resources ({}) are not supported yet",
                        interface_of(p)
                    ),
                    _ => "component resources are not supported yet".to_string(),
                };
                Err(ctx.err(format!(
                    "canon {} of {}: {what}",
                    intrinsic.op,
                    flat.describe_resource(intrinsic.resource)
                )))
            }
        }
    }

    /// A lowered call of the component's import `path`: WASI, or what the
    /// component node's `imports` map wires the interface to.
    fn resolve_lowered_import(
        &mut self,
        c: usize,
        path: &ImportPath,
        ty: &str,
    ) -> Result<Resolved, GraphError> {
        let node = self.components[c].node;
        let desc = self.describe(node);
        let name = self.nodes[node].name.clone();
        let func = path.path.join("#");
        let ctx = Ctx::import(&desc, &name, &path.import, &func);
        let spec = self.nodes[node].imports.get(&path.import).cloned();
        let target = match spec {
            Some(ImportSpec::Node(target)) => Some(target),
            Some(ImportSpec::Names(map)) => map.get(&func).cloned(),
            None => None,
        };
        if let Some(target) = target {
            let ctx = ctx.with_mapped(&format!(" (mapped to \"{target}\")"));
            let dir = self.nodes[node].dir.clone();
            let found = match self.lookup_module(&dir, &target, true, &ctx)? {
                Some(found) => Some(found),
                None => match target.split_once('.') {
                    Some((n, _)) => self.lookup_module(&dir, n, false, &ctx)?,
                    None => None,
                },
            };
            let Some((target_node, _)) = found else {
                return Err(ctx.err(self.not_found(&target)));
            };
            let what = match self.nodes[target_node].kind {
                NodeKind::Component(_) => format!(
                    "{} provides it, but calls between components need fused adapters, which are not supported yet ({ty})",
                    self.describe(target_node)
                ),
                _ => format!(
                    "{} is not a component instance; a component's imports are provided by component instances or by WASI",
                    self.describe(target_node)
                ),
            };
            return Err(ctx.err(what));
        }
        if is_wasi2(&path.import) {
            return Err(ctx.err(format!(
                "the WASI 0.2 interface {} is not supported yet ({ty})",
                interface_of(path)
            )));
        }
        let imports = &self.components[c].flat.imports;
        Err(ctx.err(format!(
            "nothing provides interface \"{}\" ({ty}); wire it to a component instance in the instance's \"imports\" (the component imports: {})",
            path.import,
            list(imports.iter().map(|i| &i.name))
        )))
    }

    /// The `imports` map of a component instance may only name the
    /// component's imports.
    pub(super) fn check_component_import_map(&self, n: NodeId, c: usize) -> Result<(), String> {
        let flat = &self.components[c].flat;
        for (m, spec) in &self.nodes[n].imports {
            let Some(import) = flat.imports.iter().find(|i| &i.name == m) else {
                return Err(format!(
                    "\"imports\" maps \"{m}\", but {} imports nothing named \"{m}\" (it imports: {})",
                    self.sources[self.components[c].source].label,
                    list(flat.imports.iter().map(|i| &i.name))
                ));
            };
            if let ImportSpec::Names(names) = spec {
                let wasmlink_module::wasmparser::component_types::ComponentEntityType::Instance(id) =
                    import.ty
                else {
                    return Err(format!(
                        "\"imports\" maps functions of \"{m}\", but it is not an instance"
                    ));
                };
                let exports = &flat.types[id].exports;
                for name in names.keys() {
                    if !exports.contains_key(name) {
                        return Err(format!(
                            "\"imports\" maps \"{m}\" \"{name}\", but \"{m}\" has no function \"{name}\" (it has: {})",
                            list(exports.keys())
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// A core module asked a component instance for an export.
    pub(super) fn component_export_error(&self, node: NodeId, name: &str, ctx: &Ctx) -> GraphError {
        ctx.err(format!(
            "{} is a component instance; a core module cannot import \"{name}\" from it (components export lifted functions, which only components import)",
            self.describe(node)
        ))
    }

    fn internal(&self, node: NodeId, what: &str) -> GraphError {
        GraphError::Link {
            instance: self.nodes[node].name.clone(),
            module: String::new(),
            name: String::new(),
            message: format!("internal error: {what} ({})", self.describe(node)),
        }
    }

    /// A definition bound in advance, for generated modules.
    pub(super) fn fixed_import(&self, node: NodeId, slot: usize) -> Option<Resolved> {
        self.fixed_imports.get(&node)?.get(slot).cloned()
    }
}

/// `wasi:cli/stdout` of `wasi:cli/stdout@0.2.0`.
fn interface_of(path: &ImportPath) -> &str {
    path.import.split('@').next().unwrap_or(&path.import)
}

/// A definition that is an item of a real node.
pub(super) fn item_def(r: &Resolved) -> Option<(NodeId, u32)> {
    match r.def {
        Def::Item { node, index, .. } => Some((node, index)),
        Def::Builtin(_) => None,
    }
}

impl Resolver {
    /// The report of every component instance.
    pub(super) fn component_reports(&self) -> Vec<crate::report::ComponentReport> {
        let mut out = Vec::new();
        for c in &self.components {
            let flat = &c.flat;
            let node = &self.nodes[c.node];
            let source = &self.sources[c.source];
            let def = |d: &CoreDef| match d {
                CoreDef::Export(e) => match c.cores.get(e.instance) {
                    Some(&n) => format!("{}.{}", self.nodes[n].name, e.name),
                    None => flat.describe_def(d),
                },
                other => flat.describe_def(other),
            };
            let imports = flat
                .imports
                .iter()
                .map(|i| {
                    format!(
                        "{}: {}",
                        i.name,
                        wasmlink_component::describe_entity_type(&flat.types, &i.ty)
                    )
                })
                .collect();
            let mut exports = Vec::new();
            for e in &flat.exports {
                let mut push = |name: String, item: &wasmlink_component::ExportItem| {
                    let text = match item {
                        wasmlink_component::ExportItem::Lifted(l) => format!(
                            "{}: {} = {}",
                            name,
                            describe_func_type(&flat.types, l.ty),
                            def(&l.func)
                        ),
                        wasmlink_component::ExportItem::Import(p) => {
                            format!("{name}: the imported function {p}")
                        }
                        wasmlink_component::ExportItem::ImportedInstance(p) => {
                            format!("{name}: the imported instance {p}")
                        }
                        wasmlink_component::ExportItem::Instance(_) => format!("{name}: instance"),
                        wasmlink_component::ExportItem::Type => format!("{name}: type"),
                        wasmlink_component::ExportItem::Other(what) => format!("{name}: {what}"),
                    };
                    exports.push(text);
                };
                match &e.item {
                    wasmlink_component::ExportItem::Instance(items) => {
                        for i in items {
                            if !matches!(i.item, wasmlink_component::ExportItem::Type) {
                                push(format!("{}#{}", e.name, i.name), &i.item);
                            }
                        }
                    }
                    wasmlink_component::ExportItem::Type => {}
                    other => push(e.name.clone(), other),
                }
            }
            out.push(crate::report::ComponentReport {
                name: node.name.clone(),
                source: format!("source \"{}\" ({})", node.source_name, source.label),
                core_instances: c.cores.iter().filter_map(|&n| self.out_id(n)).collect(),
                imports,
                exports,
            });
        }
        out
    }
}
