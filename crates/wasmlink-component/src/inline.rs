//! Second pass: instantiate the component statically and write down what
//! every index space holds, so that nothing but core instances, lowerings,
//! intrinsics and lifted functions remains.
//!
//! A [`Frame`] is one component instance being instantiated: it runs the
//! component's [`Init`]s in order, keeping every index space as
//! definitions (`CoreDef` for core items, [`ItemDef`] for component
//! items). A nested component instantiation runs a child frame with its
//! arguments substituted and comes back with the child's exports; an alias
//! is a lookup in what is already known; a synthesized instance is a map
//! of definitions. The core instances are written out as they are
//! instantiated, so the output is in instantiation order.
//!
//! Resource types are identified by wasmparser's `ResourceId`s. Each frame
//! maps the ids it can see to [`Resource`]s: an import's resources to the
//! import path (the root) or to what the argument provides (nested), a
//! `(type (resource …))` to a new defined resource, and a nested
//! instance's exported resources to what its exports hold. The child
//! starts from a copy of its parent's map, so outer aliases of resource
//! types resolve too.

use crate::error::ComponentError;
use crate::flat::*;
use crate::parse::{
    CoreSort, Init, Item, LocalOptions, Parsed, StaticComponent, StaticComponentId,
};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use wasmparser::component_types::{ComponentAnyTypeId, ComponentEntityType, ResourceId};
use wasmparser::types::Types;

/// How many core and component instances one component may flatten into.
pub(crate) const MAX_INSTANCES: usize = 10_000;

#[derive(Clone)]
enum ItemDef {
    Func(FuncDef),
    Module(ModuleId),
    Instance(InstanceDef),
    Component(ComponentDef),
    /// A type; for a resource type, the resource.
    Type(Option<ResourceIndex>),
}

#[derive(Clone)]
enum FuncDef {
    Import(ImportPath),
    Lifted(LiftedFunc),
}

#[derive(Clone)]
enum InstanceDef {
    Import(ImportPath),
    Items(Rc<IndexMap<String, ItemDef>>),
}

#[derive(Clone)]
struct ComponentDef {
    index: StaticComponentId,
    closure: Rc<Closure>,
}

/// What a nested component's outer aliases see: the modules and
/// components of the component that defined it, as they were then.
#[derive(Default)]
struct Closure {
    modules: Vec<ModuleId>,
    components: Vec<ComponentDef>,
    parent: Option<Rc<Closure>>,
}

enum CoreInstanceDef {
    Instantiated(CoreInstanceId),
    Synthetic(Rc<HashMap<String, CoreDef>>),
}

/// The index spaces of one component instance being instantiated.
struct Frame {
    instance: ComponentInstanceId,
    closure: Rc<Closure>,
    core_funcs: Vec<CoreDef>,
    core_memories: Vec<CoreExport>,
    core_tables: Vec<CoreExport>,
    core_globals: Vec<CoreExport>,
    core_tags: Vec<CoreExport>,
    modules: Vec<ModuleId>,
    core_instances: Vec<CoreInstanceDef>,
    funcs: Vec<FuncDef>,
    instances: Vec<InstanceDef>,
    components: Vec<ComponentDef>,
    resources: HashMap<ResourceId, ResourceIndex>,
}

struct Flattener<'a> {
    /// The nested components, by [`StaticComponentId`].
    components: &'a [StaticComponent],
    types: &'a Types,
    out: FlatComponent,
    imported_resources: HashMap<ImportPath, ResourceIndex>,
}

/// Flatten a parsed component.
pub(crate) fn flatten(parsed: Parsed) -> Result<FlatComponent, ComponentError> {
    let Parsed {
        root,
        components,
        modules,
        types,
    } = parsed;
    let types = Arc::new(types);
    let mut f = Flattener {
        components: &components,
        types: &types,
        out: FlatComponent {
            types: ComponentTypes(Arc::clone(&types)),
            modules,
            component_instances: vec![ComponentInstanceInfo {
                path: String::new(),
                parent: None,
            }],
            instances: Vec::new(),
            lowerings: Vec::new(),
            intrinsics: Vec::new(),
            resources: Vec::new(),
            imports: Vec::new(),
            exports: Vec::new(),
        },
        imported_resources: HashMap::new(),
    };
    let exports = f.instantiate(
        &root,
        Rc::new(Closure::default()),
        HashMap::new(),
        0,
        HashMap::new(),
    )?;
    let mut out_exports = Vec::new();
    for (name, item) in exports {
        out_exports.push(ComponentExport {
            name,
            item: export_item(&item),
        });
    }
    f.out.exports = out_exports;
    let mut out = f.out;
    unique_names(&mut out.instances);
    Ok(out)
}

fn export_item(item: &ItemDef) -> ExportItem {
    match item {
        ItemDef::Func(FuncDef::Lifted(l)) => ExportItem::Lifted(l.clone()),
        ItemDef::Func(FuncDef::Import(p)) => ExportItem::Import(p.clone()),
        ItemDef::Instance(InstanceDef::Import(p)) => ExportItem::ImportedInstance(p.clone()),
        ItemDef::Instance(InstanceDef::Items(items)) => ExportItem::Instance(
            items
                .iter()
                .map(|(name, item)| ComponentExport {
                    name: name.clone(),
                    item: export_item(item),
                })
                .collect(),
        ),
        ItemDef::Type(r) => ExportItem::Type(*r),
        ItemDef::Module(_) => ExportItem::Other("core module"),
        ItemDef::Component(_) => ExportItem::Other("component"),
    }
}

/// Make core instance names unique (`name`, `name#2`, …), keeping the first.
fn unique_names(instances: &mut [CoreInstance]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for inst in instances.iter_mut() {
        let count = seen.entry(inst.name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let mut n = *count;
            loop {
                let candidate = format!("{}#{n}", inst.name);
                if !seen.contains_key(&candidate) {
                    seen.insert(candidate.clone(), 1);
                    inst.name = candidate;
                    break;
                }
                n += 1;
            }
        }
    }
}

fn internal(what: &str) -> ComponentError {
    ComponentError::Unsupported(format!("internal error while flattening: {what}"))
}

fn get<T: Clone>(space: &[T], index: u32, what: &str) -> Result<T, ComponentError> {
    space
        .get(index as usize)
        .cloned()
        .ok_or_else(|| internal(&format!("{what} {index} out of range")))
}

impl Flattener<'_> {
    fn budget(&self) -> Result<(), ComponentError> {
        if self.out.instances.len() + self.out.component_instances.len() >= MAX_INSTANCES {
            return Err(ComponentError::Limit(format!(
                "it instantiates more than {MAX_INSTANCES} core and component instances"
            )));
        }
        Ok(())
    }

    fn imported_resource(&mut self, path: ImportPath) -> ResourceIndex {
        if let Some(&r) = self.imported_resources.get(&path) {
            return r;
        }
        let r = self.out.resources.len();
        self.out.resources.push(Resource::Imported(path.clone()));
        self.imported_resources.insert(path, r);
        r
    }

    /// Run component `comp` as component instance `instance`; its imports
    /// are `args` (empty for the root, whose imports become the
    /// component's). Returns its exports.
    fn instantiate(
        &mut self,
        comp: &StaticComponent,
        closure: Rc<Closure>,
        args: HashMap<String, ItemDef>,
        instance: ComponentInstanceId,
        resources: HashMap<ResourceId, ResourceIndex>,
    ) -> Result<Vec<(String, ItemDef)>, ComponentError> {
        let mut frame = Frame {
            instance,
            closure,
            core_funcs: Vec::new(),
            core_memories: Vec::new(),
            core_tables: Vec::new(),
            core_globals: Vec::new(),
            core_tags: Vec::new(),
            modules: Vec::new(),
            core_instances: Vec::new(),
            funcs: Vec::new(),
            instances: Vec::new(),
            components: Vec::new(),
            resources,
        };
        for init in &comp.inits {
            self.init(comp, &mut frame, init, &args)?;
        }
        let mut exports = Vec::with_capacity(comp.exports.len());
        for (name, item) in &comp.exports {
            exports.push((name.clone(), item_def(&frame, *item)?));
        }
        Ok(exports)
    }

    fn init(
        &mut self,
        comp: &StaticComponent,
        frame: &mut Frame,
        init: &Init,
        args: &HashMap<String, ItemDef>,
    ) -> Result<(), ComponentError> {
        match init {
            Init::Import { name, ty } => {
                let item = if frame.instance == 0 {
                    self.root_import(frame, name, *ty)?
                } else {
                    let Some(arg) = args.get(name) else {
                        // Only type imports may go without an argument.
                        return match ty {
                            ComponentEntityType::Type { .. } => Ok(()),
                            _ => Err(internal(&format!("no argument for import \"{name}\""))),
                        };
                    };
                    let mut path = Vec::new();
                    let mut resources = std::mem::take(&mut frame.resources);
                    self.register(*ty, &mut path, &mut resources, &mut |me, p| {
                        me.lookup_resource(arg, p)
                    });
                    frame.resources = resources;
                    arg.clone()
                };
                push_item(frame, item);
            }
            Init::Lower {
                func,
                ty,
                core_ty,
                options,
            } => {
                let callee = match get(&frame.funcs, *func, "function")? {
                    FuncDef::Import(path) => Callee::Import(path),
                    FuncDef::Lifted(lifted) => Callee::Lifted(lifted),
                };
                let options = resolve_options(frame, options)?;
                self.out.lowerings.push(Lowering {
                    callee,
                    ty: *ty,
                    core_ty: core_ty.clone(),
                    options,
                    component_instance: frame.instance,
                    resources: resource_map(frame),
                });
                frame
                    .core_funcs
                    .push(CoreDef::Lowered(self.out.lowerings.len() - 1));
            }
            Init::Lift {
                ty,
                core_func,
                options,
            } => {
                let func = get(&frame.core_funcs, *core_func, "core function")?;
                let options = resolve_options(frame, options)?;
                frame.funcs.push(FuncDef::Lifted(LiftedFunc {
                    func,
                    ty: *ty,
                    options,
                    component_instance: frame.instance,
                    resources: resource_map(frame),
                }));
            }
            Init::Resource { id, rep, dtor } => {
                let dtor = match dtor {
                    Some(d) => Some(get(&frame.core_funcs, *d, "core function")?),
                    None => None,
                };
                self.out.resources.push(Resource::Defined {
                    component_instance: frame.instance,
                    rep: *rep,
                    dtor,
                });
                frame.resources.insert(*id, self.out.resources.len() - 1);
            }
            Init::ResourceIntrinsic { op, id, core_ty } => {
                let Some(&resource) = frame.resources.get(id) else {
                    return Err(internal(
                        "a resource intrinsic names an unknown resource type",
                    ));
                };
                self.out.intrinsics.push(ResourceIntrinsic {
                    op: *op,
                    resource,
                    core_ty: core_ty.clone(),
                    component_instance: frame.instance,
                });
                frame
                    .core_funcs
                    .push(CoreDef::Intrinsic(self.out.intrinsics.len() - 1));
            }
            Init::ModuleStatic(m) => frame.modules.push(*m),
            Init::ModuleInstantiate { module, args } => {
                self.budget()?;
                let module = get(&frame.modules, *module, "core module")?;
                let info = Arc::clone(&self.out.modules[module].info);
                let mut by_name: HashMap<&str, &CoreInstanceDef> = HashMap::new();
                for (name, index) in args {
                    let def = frame
                        .core_instances
                        .get(*index as usize)
                        .ok_or_else(|| internal("core instance out of range"))?;
                    by_name.insert(name.as_str(), def);
                }
                let mut imports = Vec::with_capacity(info.imports.len());
                for import in &info.imports {
                    let def = match by_name.get(import.module.as_str()) {
                        Some(CoreInstanceDef::Instantiated(i)) => CoreDef::Export(CoreExport {
                            instance: *i,
                            name: import.name.clone(),
                        }),
                        Some(CoreInstanceDef::Synthetic(map)) => map
                            .get(&import.name)
                            .cloned()
                            .ok_or_else(|| internal("missing instantiation argument item"))?,
                        None => return Err(internal("missing instantiation argument")),
                    };
                    imports.push(def);
                }
                let local = frame.core_instances.len() as u32;
                let base = comp
                    .core_instance_names
                    .get(&local)
                    .cloned()
                    .unwrap_or_else(|| self.out.modules[module].name.clone());
                let path = &self.out.component_instances[frame.instance].path;
                let name = if path.is_empty() {
                    base
                } else {
                    format!("{path}/{base}")
                };
                self.out.instances.push(CoreInstance {
                    name,
                    module,
                    component_instance: frame.instance,
                    imports,
                });
                frame
                    .core_instances
                    .push(CoreInstanceDef::Instantiated(self.out.instances.len() - 1));
            }
            Init::ModuleSynthetic(items) => {
                let mut map = HashMap::with_capacity(items.len());
                for (name, sort, index) in items {
                    let def = match sort {
                        CoreSort::Func => get(&frame.core_funcs, *index, "core function")?,
                        CoreSort::Memory => {
                            CoreDef::Export(get(&frame.core_memories, *index, "memory")?)
                        }
                        CoreSort::Table => {
                            CoreDef::Export(get(&frame.core_tables, *index, "table")?)
                        }
                        CoreSort::Global => {
                            CoreDef::Export(get(&frame.core_globals, *index, "global")?)
                        }
                        CoreSort::Tag => CoreDef::Export(get(&frame.core_tags, *index, "tag")?),
                    };
                    map.insert(name.clone(), def);
                }
                frame
                    .core_instances
                    .push(CoreInstanceDef::Synthetic(Rc::new(map)));
            }
            Init::ComponentStatic(index) => {
                let closure = Rc::new(Closure {
                    modules: frame.modules.clone(),
                    components: frame.components.clone(),
                    parent: Some(Rc::clone(&frame.closure)),
                });
                frame.components.push(ComponentDef {
                    index: *index,
                    closure,
                });
            }
            Init::ComponentInstantiate {
                component,
                args: raw_args,
                ty,
            } => {
                self.budget()?;
                let def = get(&frame.components, *component, "component")?;
                let mut child_args = HashMap::with_capacity(raw_args.len());
                for (name, item) in raw_args {
                    child_args.insert(name.clone(), item_def(frame, *item)?);
                }
                let local = frame.instances.len() as u32;
                let id = self.out.component_instances.len();
                let base = comp
                    .instance_names
                    .get(&local)
                    .cloned()
                    .unwrap_or_else(|| format!("component{id}"));
                let parent_path = &self.out.component_instances[frame.instance].path;
                let path = if parent_path.is_empty() {
                    base
                } else {
                    format!("{parent_path}/{base}")
                };
                self.out.component_instances.push(ComponentInstanceInfo {
                    path,
                    parent: Some(frame.instance),
                });
                let components = self.components;
                let child = components
                    .get(def.index)
                    .ok_or_else(|| internal("component out of range"))?;
                let exports = self.instantiate(
                    child,
                    Rc::clone(&def.closure),
                    child_args,
                    id,
                    frame.resources.clone(),
                )?;
                let items: IndexMap<String, ItemDef> = exports.into_iter().collect();
                let instance = ItemDef::Instance(InstanceDef::Items(Rc::new(items)));
                // The instance's resource types, as this component sees
                // them, are what the child's exports hold.
                let mut path = Vec::new();
                let mut resources = std::mem::take(&mut frame.resources);
                self.register(
                    ComponentEntityType::Instance(*ty),
                    &mut path,
                    &mut resources,
                    &mut |me, p| me.lookup_resource(&instance, p),
                );
                frame.resources = resources;
                push_item(frame, instance);
            }
            Init::ComponentSynthetic(items) => {
                let mut map = IndexMap::with_capacity(items.len());
                for (name, item) in items {
                    map.insert(name.clone(), item_def(frame, *item)?);
                }
                frame.instances.push(InstanceDef::Items(Rc::new(map)));
            }
            Init::AliasCoreExport {
                instance,
                sort,
                name,
            } => {
                let def = match frame
                    .core_instances
                    .get(*instance as usize)
                    .ok_or_else(|| internal("core instance out of range"))?
                {
                    CoreInstanceDef::Instantiated(i) => CoreDef::Export(CoreExport {
                        instance: *i,
                        name: name.clone(),
                    }),
                    CoreInstanceDef::Synthetic(map) => map
                        .get(name)
                        .cloned()
                        .ok_or_else(|| internal("alias of a missing core export"))?,
                };
                match sort {
                    CoreSort::Func => frame.core_funcs.push(def),
                    other => {
                        let CoreDef::Export(e) = def else {
                            return Err(internal("a non-function core item that is not an export"));
                        };
                        match other {
                            CoreSort::Memory => frame.core_memories.push(e),
                            CoreSort::Table => frame.core_tables.push(e),
                            CoreSort::Tag => frame.core_tags.push(e),
                            _ => frame.core_globals.push(e),
                        }
                    }
                }
            }
            Init::AliasExport {
                instance,
                kind,
                name,
            } => {
                let item = match get(&frame.instances, *instance, "instance")? {
                    InstanceDef::Import(p) => {
                        let mut path = p.clone();
                        path.path.push(name.clone());
                        use wasmparser::ComponentExternalKind as K;
                        match kind {
                            K::Func => ItemDef::Func(FuncDef::Import(path)),
                            K::Instance => ItemDef::Instance(InstanceDef::Import(path)),
                            K::Type => return Ok(()),
                            K::Module | K::Component => {
                                return Err(ComponentError::Unsupported(format!(
                                    "a {} taken from an imported instance ({path})",
                                    if *kind == K::Module {
                                        "core module"
                                    } else {
                                        "component"
                                    }
                                )))
                            }
                            K::Value => {
                                return Err(ComponentError::Unsupported(
                                    "component-model values".into(),
                                ))
                            }
                        }
                    }
                    InstanceDef::Items(items) => items
                        .get(name)
                        .cloned()
                        .ok_or_else(|| internal("alias of a missing export"))?,
                };
                push_item(frame, item);
            }
            Init::AliasOuterModule { count, index } => {
                let m = if *count == 0 {
                    get(&frame.modules, *index, "core module")?
                } else {
                    get(
                        &outer(&frame.closure, *count)?.modules,
                        *index,
                        "outer core module",
                    )?
                };
                frame.modules.push(m);
            }
            Init::AliasOuterComponent { count, index } => {
                let c = if *count == 0 {
                    get(&frame.components, *index, "component")?
                } else {
                    get(
                        &outer(&frame.closure, *count)?.components,
                        *index,
                        "outer component",
                    )?
                };
                frame.components.push(c);
            }
            Init::Export(item) => {
                let def = item_def(frame, *item)?;
                push_item(frame, def);
            }
        }
        Ok(())
    }

    /// An import of the component itself.
    fn root_import(
        &mut self,
        frame: &mut Frame,
        name: &str,
        ty: ComponentEntityType,
    ) -> Result<ItemDef, ComponentError> {
        let path = ImportPath {
            import: name.to_string(),
            path: Vec::new(),
        };
        let item = match ty {
            ComponentEntityType::Func(_) => ItemDef::Func(FuncDef::Import(path)),
            ComponentEntityType::Instance(_) => ItemDef::Instance(InstanceDef::Import(path)),
            ComponentEntityType::Type { .. } => ItemDef::Type(None),
            ComponentEntityType::Module(_) | ComponentEntityType::Component(_) => {
                return Err(ComponentError::Unsupported(format!(
                    "importing a {} (\"{name}\"); a component may import functions, instances and types",
                    if matches!(ty, ComponentEntityType::Module(_)) { "core module" } else { "component" }
                )))
            }
            ComponentEntityType::Value(_) => {
                return Err(ComponentError::Unsupported("component-model values".into()))
            }
        };
        let mut p = Vec::new();
        let mut resources = std::mem::take(&mut frame.resources);
        self.register(ty, &mut p, &mut resources, &mut |me, path| {
            Some(me.imported_resource(ImportPath {
                import: name.to_string(),
                path: path.to_vec(),
            }))
        });
        frame.resources = resources;
        let item = match item {
            ItemDef::Type(_) => match ty {
                ComponentEntityType::Type {
                    created: ComponentAnyTypeId::Resource(id),
                    ..
                } => ItemDef::Type(resources_of(frame, id.resource())),
                _ => ItemDef::Type(None),
            },
            other => other,
        };
        self.out.imports.push(ComponentImport {
            name: name.to_string(),
            ty,
        });
        Ok(item)
    }

    /// Map every resource type `ty` introduces (itself, or the exports of
    /// an instance type, recursively) to what `find` says the path to it
    /// holds; ids already known keep their resource.
    fn register(
        &mut self,
        ty: ComponentEntityType,
        path: &mut Vec<String>,
        resources: &mut HashMap<ResourceId, ResourceIndex>,
        find: &mut dyn FnMut(&mut Self, &[String]) -> Option<ResourceIndex>,
    ) {
        match ty {
            ComponentEntityType::Type {
                created: ComponentAnyTypeId::Resource(id),
                ..
            } => {
                let id = id.resource();
                if let std::collections::hash_map::Entry::Vacant(slot) = resources.entry(id) {
                    if let Some(r) = find(self, path) {
                        slot.insert(r);
                    }
                }
            }
            ComponentEntityType::Instance(id) => {
                let types = self.types;
                for (name, item) in types[id].exports.iter() {
                    path.push(name.clone());
                    self.register(item.ty, path, resources, find);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// The resource at `path` inside `item`.
    fn lookup_resource(&mut self, item: &ItemDef, path: &[String]) -> Option<ResourceIndex> {
        match (item, path.split_first()) {
            (ItemDef::Type(r), None) => *r,
            (ItemDef::Instance(InstanceDef::Items(items)), Some((first, rest))) => {
                let inner = items.get(first)?.clone();
                self.lookup_resource(&inner, rest)
            }
            (ItemDef::Instance(InstanceDef::Import(p)), Some(_)) => {
                let mut full = p.clone();
                full.path.extend(path.iter().cloned());
                Some(self.imported_resource(full))
            }
            _ => None,
        }
    }
}

/// The frame's resource types as a site's map (sorted by id).
fn resource_map(frame: &Frame) -> crate::flat::ResourceMap {
    let mut v: Vec<(ResourceId, ResourceIndex)> =
        frame.resources.iter().map(|(&k, &v)| (k, v)).collect();
    v.sort_unstable_by_key(|e| e.0);
    std::sync::Arc::new(v)
}

fn resources_of(frame: &Frame, id: ResourceId) -> Option<ResourceIndex> {
    frame.resources.get(&id).copied()
}

/// The closure `count` components out (1: the defining component).
fn outer(closure: &Rc<Closure>, count: u32) -> Result<&Closure, ComponentError> {
    let mut c: &Closure = closure;
    for _ in 1..count {
        c = c
            .parent
            .as_deref()
            .ok_or_else(|| internal("outer alias beyond the outermost component"))?;
    }
    Ok(c)
}

fn push_item(frame: &mut Frame, item: ItemDef) {
    match item {
        ItemDef::Func(f) => frame.funcs.push(f),
        ItemDef::Module(m) => frame.modules.push(m),
        ItemDef::Instance(i) => frame.instances.push(i),
        ItemDef::Component(c) => frame.components.push(c),
        ItemDef::Type(_) => {}
    }
}

fn item_def(frame: &Frame, item: Item) -> Result<ItemDef, ComponentError> {
    Ok(match item {
        Item::Func(i) => ItemDef::Func(get(&frame.funcs, i, "function")?),
        Item::Module(i) => ItemDef::Module(get(&frame.modules, i, "core module")?),
        Item::Instance(i) => ItemDef::Instance(get(&frame.instances, i, "instance")?),
        Item::Component(i) => ItemDef::Component(get(&frame.components, i, "component")?),
        Item::Type(ComponentAnyTypeId::Resource(id)) => {
            ItemDef::Type(resources_of(frame, id.resource()))
        }
        Item::Type(_) => ItemDef::Type(None),
    })
}

fn resolve_options(frame: &Frame, o: &LocalOptions) -> Result<CanonOptions, ComponentError> {
    Ok(CanonOptions {
        string_encoding: o.string_encoding,
        memory: match o.memory {
            Some(m) => Some(get(&frame.core_memories, m, "memory")?),
            None => None,
        },
        realloc: match o.realloc {
            Some(f) => Some(get(&frame.core_funcs, f, "core function")?),
            None => None,
        },
        post_return: match o.post_return {
            Some(f) => Some(get(&frame.core_funcs, f, "core function")?),
            None => None,
        },
    })
}
