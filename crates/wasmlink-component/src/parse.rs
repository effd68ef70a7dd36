//! First pass: validate the component and record, for the component and
//! each nested component, its definitions in binary order as a list of
//! [`Init`]s that refer to index spaces by number. Embedded core modules
//! are loaded into [`ModuleInfo`]s here. The second pass (`inline.rs`)
//! instantiates these lists.
//!
//! Validation and recording happen together: one wasmparser `Validator`
//! sees every payload (nested modules and components included), and type
//! ids are read from it right after the section that defines them, so they
//! are ids into the one type list the final [`Types`] holds.

use crate::error::ComponentError;
use crate::flat::{EmbeddedModule, ResourceOp, StringEncoding};
use std::collections::HashMap;
use std::sync::Arc;
use wasmlink_module::{parse_module, supported_features};
use wasmparser::component_types::{
    ComponentAnyTypeId, ComponentEntityType, ComponentFuncTypeId, ComponentInstanceTypeId,
    ResourceId,
};
use wasmparser::types::{Types, TypesRef};
use wasmparser::{
    CanonicalFunction, CanonicalOption, ComponentAlias, ComponentExternalKind,
    ComponentOuterAliasKind, ComponentType, Encoding, ExternalKind, FuncType, KnownCustom, Parser,
    Payload, ValType, ValidPayload, Validator, WasmFeatures,
};

/// How deep components may nest.
pub(crate) const MAX_NESTING: usize = 100;

/// Index into [`Parsed::components`].
pub(crate) type StaticComponentId = usize;

/// The features a component is validated with: wasmlink's core features
/// (embedded modules are compiled like any other) plus the component model
/// with `map<K, V>` (lowered as `list<tuple<K, V>>`) and `implements`
/// names, which wasmparser enables by default (without async, threads,
/// values and the other later additions).
pub fn component_features() -> WasmFeatures {
    supported_features()
        | WasmFeatures::COMPONENT_MODEL
        | WasmFeatures::CM_MAP
        | WasmFeatures::CM_IMPLEMENTS
}

/// The result of the first pass.
pub(crate) struct Parsed {
    pub root: StaticComponent,
    /// Nested components, in the order they end in the binary.
    pub components: Vec<StaticComponent>,
    pub modules: Vec<EmbeddedModule>,
    pub types: Types,
}

/// One component's definitions.
#[derive(Default)]
pub(crate) struct StaticComponent {
    pub inits: Vec<Init>,
    pub exports: Vec<(String, Item)>,
    /// From its `component-name` section: names of core instances and
    /// component instances by index.
    pub core_instance_names: HashMap<u32, String>,
    pub instance_names: HashMap<u32, String>,
    /// Names of its core modules by module index.
    pub module_names: HashMap<u32, String>,
}

/// An item of a component-level index space (types are resolved to their
/// ids right away: flattening does not keep a type index space).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Item {
    Func(u32),
    Module(u32),
    Instance(u32),
    Component(u32),
    Type(ComponentAnyTypeId),
}

/// A core sort that aliases and synthesized instances name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CoreSort {
    Func,
    Table,
    Memory,
    Global,
    Tag,
}

/// Canonical options as written: indices into the core index spaces.
#[derive(Clone, Debug, Default)]
pub(crate) struct LocalOptions {
    pub string_encoding: StringEncoding,
    pub memory: Option<u32>,
    pub realloc: Option<u32>,
    pub post_return: Option<u32>,
}

/// One definition, in binary order. Each adds to one index space (or, for
/// imports and exports of types, to none that flattening tracks).
pub(crate) enum Init {
    Import {
        name: String,
        ty: ComponentEntityType,
    },
    Lower {
        func: u32,
        ty: ComponentFuncTypeId,
        core_ty: FuncType,
        options: LocalOptions,
    },
    Lift {
        ty: ComponentFuncTypeId,
        core_func: u32,
        options: LocalOptions,
    },
    Resource {
        id: ResourceId,
        rep: ValType,
        dtor: Option<u32>,
    },
    ResourceIntrinsic {
        op: ResourceOp,
        id: ResourceId,
        core_ty: FuncType,
    },
    ModuleStatic(usize),
    ModuleInstantiate {
        module: u32,
        args: Vec<(String, u32)>,
    },
    ModuleSynthetic(Vec<(String, CoreSort, u32)>),
    ComponentStatic(StaticComponentId),
    ComponentInstantiate {
        component: u32,
        args: Vec<(String, Item)>,
        ty: ComponentInstanceTypeId,
    },
    ComponentSynthetic(Vec<(String, Item)>),
    AliasCoreExport {
        instance: u32,
        sort: CoreSort,
        name: String,
    },
    AliasExport {
        instance: u32,
        kind: ComponentExternalKind,
        name: String,
    },
    AliasOuterModule {
        count: u32,
        index: u32,
    },
    AliasOuterComponent {
        count: u32,
        index: u32,
    },
    Export(Item),
}

/// A module being read: where it is and its index in the component.
struct OpenModule {
    start: usize,
    end: usize,
}

/// Validate `bytes` (a binary component) and record its definitions.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, ComponentError> {
    let mut validator = Validator::new_with_features(component_features());
    let mut stack: Vec<StaticComponent> = Vec::new();
    let mut current = StaticComponent::default();
    let mut components = Vec::new();
    let mut modules: Vec<EmbeddedModule> = Vec::new();
    // Module names by (nesting depth, module index), applied when the
    // component's name section has been read.
    let mut module_slots: Vec<(usize, u32, usize)> = Vec::new();
    let mut open_module: Option<OpenModule> = None;
    let mut seen_header = false;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        if !seen_header {
            if let Payload::Version { encoding, .. } = &payload {
                if *encoding == Encoding::Module {
                    return Err(ComponentError::NotAComponent);
                }
            }
            seen_header = true;
        }
        if let Some(m) = &open_module {
            // A payload of an embedded module: the validator checks it; the
            // module is loaded as a whole when it ends.
            match validator.payload(&payload)? {
                ValidPayload::Func(func, body) => {
                    func.into_validator(Default::default()).validate(&body)?;
                }
                ValidPayload::End(_) => {
                    let (start, end) = (m.start, m.end);
                    open_module = None;
                    let index = modules.len();
                    let module_bytes = bytes
                        .get(start..end)
                        .ok_or_else(|| unexpected("module range"))?;
                    let info = parse_module(module_bytes.to_vec()).map_err(|error| {
                        ComponentError::Module {
                            index,
                            name: format!("module{index}"),
                            error,
                        }
                    })?;
                    modules.push(EmbeddedModule {
                        name: format!("module{index}"),
                        info: Arc::new(info),
                    });
                }
                _ => {}
            }
            continue;
        }
        let before = Counts::of(validator.types(0));
        let valid = validator.payload(&payload)?;
        let types = validator.types(0);
        match payload {
            Payload::ModuleSection {
                unchecked_range, ..
            } => {
                open_module = Some(OpenModule {
                    start: usize::try_from(unchecked_range.start)
                        .map_err(|_| unexpected("module range"))?,
                    end: usize::try_from(unchecked_range.end)
                        .map_err(|_| unexpected("module range"))?,
                });
                module_slots.push((stack.len(), before.modules, modules.len()));
                current.inits.push(Init::ModuleStatic(modules.len()));
            }
            Payload::ComponentSection { .. } => {
                if stack.len() + 1 >= MAX_NESTING {
                    return Err(ComponentError::Limit(format!(
                        "components nested more than {MAX_NESTING} deep"
                    )));
                }
                stack.push(std::mem::take(&mut current));
            }
            Payload::End(_) => {
                let ValidPayload::End(types) = valid else {
                    return Err(unexpected("end of component"));
                };
                let depth = stack.len();
                apply_module_names(&mut module_slots, depth, &current, &mut modules);
                match stack.pop() {
                    None => {
                        return Ok(Parsed {
                            root: current,
                            components,
                            modules,
                            types,
                        })
                    }
                    Some(parent) => {
                        let done = std::mem::replace(&mut current, parent);
                        components.push(done);
                        current
                            .inits
                            .push(Init::ComponentStatic(components.len() - 1));
                    }
                }
            }
            Payload::ComponentTypeSection(reader) => {
                let types = types.ok_or_else(|| unexpected("type section"))?;
                for (i, ty) in reader.into_iter().enumerate() {
                    if let ComponentType::Resource { rep, dtor } = ty? {
                        let id = types
                            .component_any_type_at(before.types + i as u32)
                            .unwrap_resource()
                            .resource();
                        current.inits.push(Init::Resource { id, rep, dtor });
                    }
                }
            }
            Payload::ComponentImportSection(reader) => {
                let types = types.ok_or_else(|| unexpected("import section"))?;
                for import in reader {
                    let name = import?.name.name;
                    let item = types
                        .component_item_for_import(name)
                        .ok_or_else(|| unexpected("import"))?;
                    current.inits.push(Init::Import {
                        name: name.to_string(),
                        ty: item.ty,
                    });
                }
            }
            Payload::ComponentCanonicalSection(reader) => {
                let types = types.ok_or_else(|| unexpected("canonical section"))?;
                let mut core_func = before.core_funcs;
                for canon in reader {
                    let init = canonical(canon?, &types, &mut core_func)?;
                    current.inits.push(init);
                }
            }
            Payload::InstanceSection(reader) => {
                for instance in reader {
                    current.inits.push(match instance? {
                        wasmparser::Instance::Instantiate { module_index, args } => {
                            Init::ModuleInstantiate {
                                module: module_index,
                                args: args.iter().map(|a| (a.name.to_string(), a.index)).collect(),
                            }
                        }
                        wasmparser::Instance::FromExports(exports) => {
                            let mut items = Vec::with_capacity(exports.len());
                            for e in exports.iter() {
                                items.push((e.name.to_string(), core_sort(e.kind)?, e.index));
                            }
                            Init::ModuleSynthetic(items)
                        }
                    });
                }
            }
            Payload::ComponentInstanceSection(reader) => {
                let types = types.ok_or_else(|| unexpected("instance section"))?;
                for (i, instance) in reader.into_iter().enumerate() {
                    let ty = types.component_instance_at(before.instances + i as u32);
                    current.inits.push(match instance? {
                        wasmparser::ComponentInstance::Instantiate {
                            component_index,
                            args,
                        } => {
                            let mut items = Vec::with_capacity(args.len());
                            for a in args.iter() {
                                items.push((a.name.to_string(), item(&types, a.kind, a.index)?));
                            }
                            Init::ComponentInstantiate {
                                component: component_index,
                                args: items,
                                ty,
                            }
                        }
                        wasmparser::ComponentInstance::FromExports(exports) => {
                            let mut items = Vec::with_capacity(exports.len());
                            for e in exports.iter() {
                                items.push((
                                    e.name.name.to_string(),
                                    item(&types, e.kind, e.index)?,
                                ));
                            }
                            Init::ComponentSynthetic(items)
                        }
                    });
                }
            }
            Payload::ComponentExportSection(reader) => {
                let types = types.ok_or_else(|| unexpected("export section"))?;
                for export in reader {
                    let export = export?;
                    let it = item(&types, export.kind, export.index)?;
                    current.exports.push((export.name.name.to_string(), it));
                    current.inits.push(Init::Export(it));
                }
            }
            Payload::ComponentAliasSection(reader) => {
                for alias in reader {
                    match alias? {
                        ComponentAlias::InstanceExport {
                            kind,
                            instance_index,
                            name,
                        } => current.inits.push(Init::AliasExport {
                            instance: instance_index,
                            kind,
                            name: name.to_string(),
                        }),
                        ComponentAlias::CoreInstanceExport {
                            kind,
                            instance_index,
                            name,
                        } => current.inits.push(Init::AliasCoreExport {
                            instance: instance_index,
                            sort: core_sort(kind)?,
                            name: name.to_string(),
                        }),
                        ComponentAlias::Outer { kind, count, index } => match kind {
                            ComponentOuterAliasKind::CoreModule => {
                                current.inits.push(Init::AliasOuterModule { count, index })
                            }
                            ComponentOuterAliasKind::Component => current
                                .inits
                                .push(Init::AliasOuterComponent { count, index }),
                            ComponentOuterAliasKind::CoreType | ComponentOuterAliasKind::Type => {}
                        },
                    }
                }
            }
            Payload::ComponentStartSection { .. } => {
                return Err(ComponentError::Unsupported(
                    "a component start function (component-model values)".into(),
                ))
            }
            Payload::CustomSection(c) => {
                if let KnownCustom::ComponentName(reader) = c.as_known() {
                    read_names(reader, &mut current);
                }
            }
            _ => {}
        }
    }
    Err(unexpected("end of input"))
}

/// Index-space sizes of the current component before a section.
#[derive(Default)]
struct Counts {
    types: u32,
    core_funcs: u32,
    instances: u32,
    modules: u32,
}

impl Counts {
    fn of(types: Option<TypesRef<'_>>) -> Counts {
        match types {
            Some(t) => Counts {
                types: t.component_type_count(),
                core_funcs: t.function_count(),
                instances: t.component_instance_count(),
                modules: t.module_count(),
            },
            None => Counts::default(),
        }
    }
}

fn unexpected(what: &str) -> ComponentError {
    ComponentError::Unsupported(format!("unexpected {what} (internal error)"))
}

fn core_sort(kind: ExternalKind) -> Result<CoreSort, ComponentError> {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => Ok(CoreSort::Func),
        ExternalKind::Table => Ok(CoreSort::Table),
        ExternalKind::Memory => Ok(CoreSort::Memory),
        ExternalKind::Global => Ok(CoreSort::Global),
        ExternalKind::Tag => Ok(CoreSort::Tag),
    }
}

fn item(
    types: &TypesRef<'_>,
    kind: ComponentExternalKind,
    index: u32,
) -> Result<Item, ComponentError> {
    Ok(match kind {
        ComponentExternalKind::Func => Item::Func(index),
        ComponentExternalKind::Module => Item::Module(index),
        ComponentExternalKind::Instance => Item::Instance(index),
        ComponentExternalKind::Component => Item::Component(index),
        ComponentExternalKind::Type => Item::Type(types.component_any_type_at(index)),
        ComponentExternalKind::Value => {
            return Err(ComponentError::Unsupported("component-model values".into()))
        }
    })
}

/// The core signature of core function `index`.
fn core_func_type(types: &TypesRef<'_>, index: u32) -> Result<FuncType, ComponentError> {
    let id = types.core_function_at(index);
    match &types[id].composite_type.inner {
        wasmparser::CompositeInnerType::Func(f) => Ok(f.clone()),
        _ => Err(ComponentError::Unsupported(
            "a canonical function whose core type is not a function type".into(),
        )),
    }
}

fn canonical(
    canon: CanonicalFunction,
    types: &TypesRef<'_>,
    core_func: &mut u32,
) -> Result<Init, ComponentError> {
    let mut next_core = || -> Result<FuncType, ComponentError> {
        let ty = core_func_type(types, *core_func)?;
        *core_func += 1;
        Ok(ty)
    };
    Ok(match canon {
        CanonicalFunction::Lift {
            core_func_index,
            type_index,
            options,
        } => Init::Lift {
            ty: types.component_any_type_at(type_index).unwrap_func(),
            core_func: core_func_index,
            options: local_options(&options)?,
        },
        CanonicalFunction::Lower {
            func_index,
            options,
        } => Init::Lower {
            func: func_index,
            ty: types.component_function_at(func_index),
            options: local_options(&options)?,
            core_ty: next_core()?,
        },
        CanonicalFunction::ResourceNew { resource } => {
            resource_op(ResourceOp::New, resource, types, next_core()?)
        }
        CanonicalFunction::ResourceDrop { resource } => {
            resource_op(ResourceOp::Drop, resource, types, next_core()?)
        }
        CanonicalFunction::ResourceRep { resource } => {
            resource_op(ResourceOp::Rep, resource, types, next_core()?)
        }
        other => {
            let name = format!("{other:?}");
            let name = name.split([' ', '{', '(']).next().unwrap_or("").to_string();
            return Err(ComponentError::Unsupported(format!(
                "the canonical built-in {name} (component-model async, threads and error contexts are not supported)"
            )));
        }
    })
}

fn resource_op(op: ResourceOp, resource: u32, types: &TypesRef<'_>, core_ty: FuncType) -> Init {
    Init::ResourceIntrinsic {
        op,
        id: types
            .component_any_type_at(resource)
            .unwrap_resource()
            .resource(),
        core_ty,
    }
}

fn local_options(options: &[CanonicalOption]) -> Result<LocalOptions, ComponentError> {
    let mut o = LocalOptions::default();
    for option in options {
        match *option {
            CanonicalOption::UTF8 => o.string_encoding = StringEncoding::Utf8,
            CanonicalOption::UTF16 => o.string_encoding = StringEncoding::Utf16,
            CanonicalOption::CompactUTF16 => o.string_encoding = StringEncoding::CompactUtf16,
            CanonicalOption::Memory(m) => o.memory = Some(m),
            CanonicalOption::Realloc(f) => o.realloc = Some(f),
            CanonicalOption::PostReturn(f) => o.post_return = Some(f),
            CanonicalOption::Async | CanonicalOption::Callback(_) => {
                return Err(ComponentError::Unsupported(
                    "component-model async (the async and callback options)".into(),
                ))
            }
            CanonicalOption::CoreType(_) | CanonicalOption::Gc => {
                return Err(ComponentError::Unsupported(
                    "the GC canonical ABI (core-type and gc options)".into(),
                ))
            }
        }
    }
    Ok(o)
}

/// Names of core instances, component instances and core modules from a
/// `component-name` section. A malformed section is ignored (custom
/// sections never make a binary invalid).
fn read_names(reader: wasmparser::ComponentNameSectionReader<'_>, into: &mut StaticComponent) {
    for name in reader.into_iter().flatten() {
        let (map, target) = match name {
            wasmparser::ComponentName::CoreInstances(map) => (map, &mut into.core_instance_names),
            wasmparser::ComponentName::Instances(map) => (map, &mut into.instance_names),
            wasmparser::ComponentName::CoreModules(map) => (map, &mut into.module_names),
            _ => continue,
        };
        for n in map.into_iter().flatten() {
            target.insert(n.index, n.name.to_string());
        }
    }
}

/// Give the modules defined directly in the component that just ended
/// (at nesting `depth`) their names from its name section.
fn apply_module_names(
    slots: &mut Vec<(usize, u32, usize)>,
    depth: usize,
    component: &StaticComponent,
    modules: &mut [EmbeddedModule],
) {
    slots.retain(|&(d, index, module)| {
        if d != depth {
            return true;
        }
        if let Some(name) = component.module_names.get(&index) {
            modules[module].name = name.clone();
        }
        false
    });
}
