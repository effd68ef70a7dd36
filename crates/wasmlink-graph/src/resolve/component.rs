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
//! may wire an interface to another component instance, whose export of
//! that name (or, when it has none, its own export named after the
//! function) is called through a fused adapter (`adapters.rs`); otherwise
//! the interface is looked up like an import module (rules 2–4), so WASI
//! 0.2 interfaces are the runtime's lowered functions, called with the
//! options `canon lower` states (memory, realloc, string encoding) and the
//! handle table of the component instance. The drop of an imported WASI
//! resource (`canon resource.drop`) is the runtime's `[resource-drop]R`
//! function of that interface. A lowered function that calls a function
//! lifted inside the same component (between nested component instances)
//! goes through an adapter too. Intrinsics of the component's own
//! resources, and resource handles passed between component instances,
//! give "not supported yet" errors naming the interface and function.

use super::adapters::{CalleeSide, CallerSide};
use super::context::Ctx;
use super::nodes::{Def, NodeId, NodeKind, Resolved};
use super::resolver::Resolver;
use crate::display::list;
use crate::error::GraphError;
use crate::instance_graph::{IndexRef, LowerOptions};
use crate::lowered::StringEncoding;
use crate::manifest::ImportSpec;
use indexmap::IndexMap;
use std::rc::Rc;
use std::sync::Arc;
use wasmlink_component::{
    describe_func_type, Callee, CanonOptions, ComponentInstanceId, CoreDef, ExportItem,
    FlatComponent, ImportPath, Lowering, Resource,
};

/// Why the callee has nothing for `path`, when its exports come close: the
/// interface without the function (listing what it has), or the
/// interface at another version; else the list of its exports.
fn missing_export_hint(flat: &FlatComponent, path: &ImportPath) -> String {
    let exports = || list(flat.exports.iter().map(|e| &e.name));
    if let Some(ExportItem::Instance(items)) = flat.export_at(&[path.import.as_str()]) {
        return format!(
            "its \"{}\" has no function \"{}\" (it has: {})",
            path.import,
            path.item_name(),
            list(items.iter().map(|e| &e.name))
        );
    }
    let unversioned = |name: &str| name.split_once('@').map_or(name, |(n, _)| n).to_string();
    let wanted = unversioned(&path.import);
    let other = flat
        .exports
        .iter()
        .find(|e| e.name != path.import && unversioned(&e.name) == wanted);
    match other {
        Some(e) if path.import.contains('@') || e.name.contains('@') => format!(
            "it exports \"{}\", another version of the interface (the import wants \"{}\")",
            e.name, path.import
        ),
        _ => format!("it exports: {}", exports()),
    }
}

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

/// The options of a lowered call made by a component's core instance,
/// before instances have their final numbers: items as (node, index in
/// the node's index space), the handle table as (component node, flat
/// component instance).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ComponentLowerOptions {
    memory: Option<(NodeId, u32)>,
    realloc: Option<(NodeId, u32)>,
    string_encoding: StringEncoding,
    table: (usize, ComponentInstanceId),
}

/// What component `flat` provides for an import `path` wired to it: its
/// export at the import's name and path (`my:pkg/api@1.0.0` `get`), else
/// its own export named after the item (`get`); an instance it imports and
/// passes on whole gives the import inside it.
pub(super) fn provided_item(flat: &FlatComponent, path: &ImportPath) -> Option<ExportItem> {
    let mut full: Vec<&str> = vec![path.import.as_str()];
    full.extend(path.path.iter().map(String::as_str));
    flat.export_at(&full)
        .or_else(|| flat.export_at(&[path.item_name()]))
        .cloned()
        .or_else(|| match flat.export_at(&[path.import.as_str()]) {
            Some(ExportItem::ImportedInstance(p)) => {
                let mut inner = p.clone();
                inner.path.extend(path.path.iter().cloned());
                Some(ExportItem::Import(inner))
            }
            _ => None,
        })
}

/// What provides a component's import: a node, the way to it, the context
/// of messages (saying the mapping), and the export a per-function map
/// names (`"get": "lib.fetch"` → `fetch`).
pub(super) struct Provider {
    pub node: NodeId,
    pub via: Vec<crate::report::Hop>,
    pub ctx: Ctx,
    pub export: Option<String>,
}

/// How many components a call may be passed on through (an export that
/// re-exports an import, provided by another such export, …).
const MAX_REEXPORTS: usize = 64;

impl ComponentLowerOptions {
    /// Options with no memory or realloc: only the handle table of flat
    /// component instance `ci` of component node `c`.
    pub(super) fn table_only(c: usize, ci: ComponentInstanceId) -> ComponentLowerOptions {
        ComponentLowerOptions {
            memory: None,
            realloc: None,
            string_encoding: StringEncoding::Utf8,
            table: (c, ci),
        }
    }
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
            self.node_file(node),
            &imp.module,
            &imp.name,
        );
        let r = self.resolve_core_def(c, def, &ctx)?;
        self.check_type(&imp.ty, module.import_key(imp), &r, &ctx)?;
        if let Def::Lowered(_) = r.def {
            let options = self.lower_options_of(c, def, &ctx)?;
            self.component_lower_options.insert((node, slot), options);
        }
        Ok(r)
    }

    /// The options of lowered definition `def` of component instance `c`.
    fn lower_options_of(
        &mut self,
        c: usize,
        def: &CoreDef,
        ctx: &Ctx,
    ) -> Result<ComponentLowerOptions, GraphError> {
        let flat = Arc::clone(&self.components[c].flat);
        match def {
            CoreDef::Lowered(l) => {
                let Some(lowering) = flat.lowerings.get(*l) else {
                    return Err(ctx.err("internal error: a lowering out of range".into()));
                };
                let mut options = self.canon_options(c, &lowering.options, ctx)?;
                options.table = (c, lowering.component_instance);
                Ok(options)
            }
            CoreDef::Intrinsic(i) => {
                let Some(intrinsic) = flat.intrinsics.get(*i) else {
                    return Err(ctx.err("internal error: an intrinsic out of range".into()));
                };
                Ok(ComponentLowerOptions {
                    memory: None,
                    realloc: None,
                    string_encoding: StringEncoding::Utf8,
                    table: (c, intrinsic.component_instance),
                })
            }
            CoreDef::Export(e) => Err(ctx.err(format!(
                "it is the WASI function {} re-exports; a lowered WASI function passed on by a core instance is not supported yet",
                flat.describe_export(e)
            ))),
        }
    }

    /// Canonical options with their items followed to definitions.
    fn canon_options(
        &mut self,
        c: usize,
        o: &CanonOptions,
        ctx: &Ctx,
    ) -> Result<ComponentLowerOptions, GraphError> {
        let memory = match &o.memory {
            Some(m) => {
                let def = CoreDef::Export(m.clone());
                let r = self.resolve_core_def(c, &def, ctx)?;
                Some(item_def(&r).ok_or_else(|| {
                    ctx.err("internal error: a memory that is a WASI function".into())
                })?)
            }
            None => None,
        };
        let realloc = match &o.realloc {
            Some(def) => {
                let r = self.resolve_core_def(c, def, ctx)?;
                Some(item_def(&r).ok_or_else(|| {
                    ctx.err(
                        "the realloc function of a lowered call is itself a WASI function".into(),
                    )
                })?)
            }
            None => None,
        };
        Ok(ComponentLowerOptions {
            memory,
            realloc,
            string_encoding: match o.string_encoding {
                wasmlink_component::StringEncoding::Utf8 => StringEncoding::Utf8,
                wasmlink_component::StringEncoding::Utf16 => StringEncoding::Utf16,
                wasmlink_component::StringEncoding::CompactUtf16 => StringEncoding::CompactUtf16,
            },
            table: (c, 0),
        })
    }

    /// The final options of a lowered call of import `slot` of component
    /// core node `node` (`None` for other nodes). Handle tables of
    /// component instances are numbered across the graph
    /// ([`Resolver::global_instance`]), before those of core modules that
    /// import WASI directly.
    pub(super) fn component_lower_options(
        &self,
        node: NodeId,
        slot: usize,
    ) -> Option<LowerOptions> {
        let o = self.component_lower_options.get(&(node, slot))?;
        let index =
            |(n, index): (NodeId, u32)| self.out_id(n).map(|instance| IndexRef { instance, index });
        let (c, ci) = o.table;
        let table = self.global_instance(c, ci);
        Some(LowerOptions {
            memory: o.memory.and_then(index),
            realloc: o.realloc.and_then(index),
            string_encoding: o.string_encoding,
            component_instance: table,
            flags: self.flags_nodes.get(&table).and_then(|&n| index((n, 0))),
        })
    }

    /// How many component instances the graph has (all components).
    pub(super) fn component_instance_count(&self) -> usize {
        self.components
            .iter()
            .map(|k| k.flat.component_instances.len())
            .sum()
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
                    Callee::Import(path) => self.resolve_lowered_import(c, lowering, path, &ty),
                    Callee::Lifted(lifted) => {
                        let func = flat.describe_lifted(lifted);
                        self.fused_adapter(
                            CallerSide { c, lowering },
                            CalleeSide { c, lifted },
                            &func,
                            ctx,
                        )
                    }
                }
            }
            CoreDef::Intrinsic(i) => {
                let Some(intrinsic) = flat.intrinsics.get(*i) else {
                    return Err(ctx.err("internal error: an intrinsic out of range".into()));
                };
                if let (Some(Resource::Imported(p)), wasmlink_component::ResourceOp::Drop) =
                    (flat.resources.get(intrinsic.resource), intrinsic.op)
                {
                    // The host's resource: its drop is the interface's
                    // `[resource-drop]R`.
                    if let [name] = p.path.as_slice() {
                        let dir = self.nodes[self.components[c].node].dir.clone();
                        if let Some((node, via)) =
                            self.lookup_module(&dir, &p.import, false, ctx)?
                        {
                            if let NodeKind::Wasi2 { .. } = self.nodes[node].kind {
                                let drop = format!("[resource-drop]{name}");
                                return self.wasi2_export(node, &drop, via, ctx);
                            }
                        }
                    }
                }
                self.resource_intrinsic(c, *i, ctx)
            }
        }
    }

    /// A lowered call of the component's import `path`: WASI, or what the
    /// component node's `imports` map wires the interface to.
    fn resolve_lowered_import(
        &mut self,
        c: usize,
        lowering: &Lowering,
        path: &ImportPath,
        ty: &str,
    ) -> Result<Resolved, GraphError> {
        let func = path.path.join("#");
        let ctx = self.import_ctx(c, path);
        let Some(Provider {
            node: found,
            via,
            ctx,
            export,
        }) = self.import_provider(c, path, &ctx)?
        else {
            let imports = &self.components[c].flat.imports;
            return Err(ctx.err(format!(
                "nothing provides interface \"{}\" ({ty}); wire it to a component instance in the instance's \"imports\" (the component imports: {})",
                path.import,
                list(imports.iter().map(|i| &i.name))
            )));
        };
        match self.nodes[found].kind {
            NodeKind::Wasi2 { .. } => self.wasi2_export(found, &func, via, &ctx),
            NodeKind::Component(callee) => match export {
                // A per-function map names the export: `"get": "lib.fetch"`.
                Some(name) => {
                    // `lib.fetch`, or `lib.my:pkg/api@1.0.0#fetch` inside
                    // an exported instance.
                    let mut parts = name.split('#').map(str::to_string);
                    let named = ImportPath {
                        import: parts.next().unwrap_or_default(),
                        path: parts.collect(),
                    };
                    self.call_component(c, lowering, callee, &named, &ctx)
                }
                None => self.call_component(c, lowering, callee, path, &ctx),
            },
            _ => Err(ctx.err(format!(
                "{} is not a component instance; a component's imports are provided by component instances or by WASI",
                self.describe(found)
            ))),
        }
    }

    /// The context of messages about component `c`'s import `path`.
    pub(super) fn import_ctx(&self, c: usize, path: &ImportPath) -> Ctx {
        let node = self.components[c].node;
        Ctx::import(
            &self.describe(node),
            &self.nodes[node].name,
            self.node_file(node),
            &path.import,
            &path.path.join("#"),
        )
    }

    /// The node that provides component `c`'s import `path`: what the
    /// component node's `imports` map wires it to (a whole interface, or
    /// this function), else what the interface's name finds (WASI);
    /// `None` when nothing does. The context says the mapping.
    pub(super) fn import_provider(
        &mut self,
        c: usize,
        path: &ImportPath,
        ctx: &Ctx,
    ) -> Result<Option<Provider>, GraphError> {
        let node = self.components[c].node;
        let func = path.path.join("#");
        let spec = self.nodes[node].imports.get(&path.import).cloned();
        let target = match spec {
            Some(ImportSpec::Node(target)) => Some(target),
            Some(ImportSpec::Names(map)) => map.get(&func).cloned(),
            None => None,
        };
        let dir = self.nodes[node].dir.clone();
        if let Some(target) = target {
            let ctx = ctx.with_mapped(&format!(" (mapped to \"{target}\")"));
            let found = match self.lookup_module(&dir, &target, true, &ctx)? {
                Some((n, via)) => Some((n, via, None)),
                None => match target.split_once('.') {
                    Some((n, export)) => self
                        .lookup_module(&dir, n, false, &ctx)?
                        .map(|(n, via)| (n, via, Some(export.to_string()))),
                    None => None,
                },
            };
            let Some((node, via, export)) = found else {
                return Err(ctx.err(self.not_found(&target)));
            };
            return Ok(Some(Provider {
                node,
                via,
                ctx,
                export,
            }));
        }
        Ok(self
            .lookup_module(&dir, &path.import, false, ctx)?
            .map(|(node, via)| Provider {
                node,
                via,
                ctx: ctx.clone(),
                export: None,
            }))
    }

    /// A lowered call of component `c`'s import `path`, provided by
    /// component node `callee`: its export of the same name (the function
    /// inside the exported instance of the import's name), or, when it
    /// has none, its own export named after the function.
    fn call_component(
        &mut self,
        c: usize,
        lowering: &Lowering,
        callee: usize,
        path: &ImportPath,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        self.call_component_at(c, lowering, callee, path, ctx, 0)
    }

    /// [`Self::call_component`], `depth` re-exported imports deep.
    fn call_component_at(
        &mut self,
        c: usize,
        lowering: &Lowering,
        callee: usize,
        path: &ImportPath,
        ctx: &Ctx,
        depth: usize,
    ) -> Result<Resolved, GraphError> {
        let flat = Arc::clone(&self.components[callee].flat);
        let item = provided_item(&flat, path);
        let func = path.to_string();
        match item {
            Some(ExportItem::Lifted(lifted)) => self.fused_adapter(
                CallerSide { c, lowering },
                CalleeSide {
                    c: callee,
                    lifted: &lifted,
                },
                &func,
                ctx,
            ),
            Some(ExportItem::Import(inner)) => {
                // The callee passes on one of its own imports: the call
                // goes to whatever provides that import.
                if depth >= MAX_REEXPORTS {
                    return Err(ctx.err(format!(
                        "\"{func}\" is passed on through more than {MAX_REEXPORTS} components (a cycle of components re-exporting each other's imports?)"
                    )));
                }
                let ictx = self.import_ctx(callee, &inner);
                let Some(Provider {
                    node: found,
                    via,
                    ctx: ictx,
                    ..
                }) = self.import_provider(callee, &inner, &ictx)?
                else {
                    return Err(ictx.err(format!(
                        "nothing provides interface \"{}\", which {} passes on as \"{func}\"",
                        inner.import,
                        self.describe(self.components[callee].node)
                    )));
                };
                match self.nodes[found].kind {
                    NodeKind::Wasi2 { .. } => {
                        self.wasi2_export(found, &inner.path.join("#"), via, &ictx)
                    }
                    NodeKind::Component(next) => {
                        self.call_component_at(c, lowering, next, &inner, &ictx, depth + 1)
                    }
                    _ => Err(ictx.err(format!(
                        "{} is not a component instance; a component's imports are provided by component instances or by WASI",
                        self.describe(found)
                    ))),
                }
            }
            Some(_) => Err(ctx.err(format!(
                "{} exports \"{func}\", but not as a function",
                self.describe(self.components[callee].node)
            ))),
            None => {
                let nor = if path.item_name() == func {
                    String::new()
                } else {
                    format!(" (nor \"{}\")", path.item_name())
                };
                Err(ctx.err(format!(
                    "{} has no export \"{func}\"{nor}; {}",
                    self.describe(self.components[callee].node),
                    missing_export_hint(&flat, path)
                )))
            }
        }
    }

    /// The `imports` map of a component instance may only name the
    /// component's imports.
    pub(super) fn check_component_import_map(&self, n: NodeId, c: usize) -> Result<(), String> {
        let flat = &self.components[c].flat;
        for (m, spec) in &self.nodes[n].imports {
            let Some(import) = flat.imports.iter().find(|i| &i.name == m) else {
                return Err(format!(
                    "\"imports\" maps \"{m}\", but {} imports nothing named \"{m}\" (it imports: {})",
                    self.sources[self.components[c].source].subject(),
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
            file: self.node_file(node),
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

/// A definition that is an item of a real node.
pub(super) fn item_def(r: &Resolved) -> Option<(NodeId, u32)> {
    match r.def {
        Def::Item { node, index, .. } => Some((node, index)),
        Def::Builtin(_) | Def::Lowered(_) => None,
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
                        wasmlink_component::ExportItem::Type(_) => format!("{name}: type"),
                        wasmlink_component::ExportItem::Other(what) => format!("{name}: {what}"),
                    };
                    exports.push(text);
                };
                match &e.item {
                    wasmlink_component::ExportItem::Instance(items) => {
                        for i in items {
                            if !matches!(i.item, wasmlink_component::ExportItem::Type(_)) {
                                push(format!("{}#{}", e.name, i.name), &i.item);
                            }
                        }
                    }
                    wasmlink_component::ExportItem::Type(_) => {}
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
