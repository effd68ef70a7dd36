//! The flat description of a component: what flattening produces and the
//! resolver consumes. Nested components, component instances, aliases and
//! synthesized (`FromExports`) instances are gone; what is left are the
//! embedded core modules, the core instances made of them in instantiation
//! order with every import bound to a [`CoreDef`], and the component's own
//! imports and exports.
//!
//! Types are wasmparser's: every `ComponentFuncTypeId` here is an id into
//! [`FlatComponent::types`], the validator's type list for the whole
//! component (nested components included).

use std::fmt;
use std::sync::Arc;
use wasmlink_module::ModuleInfo;
use wasmparser::component_types::{ComponentEntityType, ComponentFuncTypeId, ResourceId};
use wasmparser::types::Types;
use wasmparser::{FuncType, ValType};

/// Index into [`FlatComponent::modules`].
pub type ModuleId = usize;
/// Index into [`FlatComponent::instances`].
pub type CoreInstanceId = usize;
/// Index into [`FlatComponent::component_instances`]; 0 is the component
/// itself.
pub type ComponentInstanceId = usize;
/// Index into [`FlatComponent::lowerings`].
pub type LoweringId = usize;
/// Index into [`FlatComponent::intrinsics`].
pub type IntrinsicId = usize;
/// Index into [`FlatComponent::resources`].
pub type ResourceIndex = usize;

/// A component, flattened.
#[derive(Clone, Debug)]
pub struct FlatComponent {
    /// The validator's types for the whole component.
    pub types: ComponentTypes,
    /// The embedded core modules, in the order they appear in the binary
    /// (nested components' modules included).
    pub modules: Vec<EmbeddedModule>,
    /// The component instances the flattening created: the component
    /// itself (0), then every nested component instantiated statically,
    /// in instantiation order.
    pub component_instances: Vec<ComponentInstanceInfo>,
    /// The core instances, in instantiation order: an instance comes after
    /// every instance its imports name.
    pub instances: Vec<CoreInstance>,
    /// Component functions lowered into core functions (`canon lower`).
    pub lowerings: Vec<Lowering>,
    /// `canon resource.new/drop/rep`.
    pub intrinsics: Vec<ResourceIntrinsic>,
    /// Every resource type an intrinsic or an import names.
    pub resources: Vec<Resource>,
    /// The component's imports, in order.
    pub imports: Vec<ComponentImport>,
    /// The component's exports, in order.
    pub exports: Vec<ComponentExport>,
}

/// The validator's type list of a component, shared (every type id in a
/// [`FlatComponent`] is an index into it).
#[derive(Clone)]
pub struct ComponentTypes(pub Arc<Types>);

impl std::ops::Deref for ComponentTypes {
    type Target = Types;
    fn deref(&self) -> &Types {
        &self.0
    }
}

impl fmt::Debug for ComponentTypes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ComponentTypes")
    }
}

/// A core module embedded in the component.
#[derive(Clone, Debug)]
pub struct EmbeddedModule {
    /// Its name from the `component-name` section, else `module{N}`.
    pub name: String,
    pub info: Arc<ModuleInfo>,
}

/// A component instance created by flattening.
#[derive(Clone, Debug)]
pub struct ComponentInstanceInfo {
    /// `""` for the component itself; for a nested instance, its path of
    /// instance names (`inner`, `outer/inner`).
    pub path: String,
    pub parent: Option<ComponentInstanceId>,
}

/// One core instance.
#[derive(Clone, Debug)]
pub struct CoreInstance {
    /// A readable name, unique within the component: from the
    /// `component-name` section, else the module's name, prefixed with the
    /// nested component instance's path.
    pub name: String,
    pub module: ModuleId,
    /// The component instance that instantiated it.
    pub component_instance: ComponentInstanceId,
    /// How each import of the module is bound: `imports[i]` for
    /// `module.imports[i]`.
    pub imports: Vec<CoreDef>,
}

/// What a core import is bound to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CoreDef {
    /// An export of another core instance of the component.
    Export(CoreExport),
    /// A lowered component function.
    Lowered(LoweringId),
    /// A resource intrinsic.
    Intrinsic(IntrinsicId),
}

/// Export `name` of core instance `instance`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CoreExport {
    pub instance: CoreInstanceId,
    pub name: String,
}

/// The canonical ABI's string encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum StringEncoding {
    #[default]
    Utf8,
    Utf16,
    /// `latin1+utf16` (`string-encoding=latin1+utf16`, "compact UTF-16").
    CompactUtf16,
}

impl fmt::Display for StringEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StringEncoding::Utf8 => "utf8",
            StringEncoding::Utf16 => "utf16",
            StringEncoding::CompactUtf16 => "latin1+utf16",
        })
    }
}

/// Canonical options of a `canon lift` or `canon lower`, with their items
/// followed to core definitions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CanonOptions {
    pub string_encoding: StringEncoding,
    pub memory: Option<CoreExport>,
    pub realloc: Option<CoreDef>,
    pub post_return: Option<CoreDef>,
}

/// A function of one of the component's imports: `import` is the import's
/// name (`wasi:cli/stdout@0.2.0`, or a plain function name), `path` the
/// export names inside it (`["get-stdout"]`; empty when the import is the
/// function itself).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImportPath {
    pub import: String,
    pub path: Vec<String>,
}

impl ImportPath {
    /// The last name: the function (or resource) name.
    pub fn item_name(&self) -> &str {
        self.path.last().unwrap_or(&self.import)
    }
}

impl fmt::Display for ImportPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.import)?;
        for p in &self.path {
            write!(f, "#{p}")?;
        }
        Ok(())
    }
}

/// A lifted function (`canon lift`): core function `func` of component
/// instance `component_instance`, with its options.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LiftedFunc {
    pub func: CoreDef,
    pub ty: ComponentFuncTypeId,
    pub options: CanonOptions,
    pub component_instance: ComponentInstanceId,
    /// The resource types `ty` can name, as this site sees them.
    pub resources: ResourceMap,
}

/// What each resource type (wasmparser's id, as the type at one lift or
/// lower site names it) is in [`FlatComponent::resources`]: a nested
/// component instantiated twice gives its resource types two entries, so
/// the map belongs to the site, sorted by id.
pub type ResourceMap = Arc<Vec<(ResourceId, ResourceIndex)>>;

/// Look a resource id up in a site's map.
pub fn resource_at(map: &ResourceMap, id: ResourceId) -> Option<ResourceIndex> {
    map.binary_search_by(|(k, _)| k.cmp(&id))
        .ok()
        .map(|i| map[i].1)
}

/// What a lowered function calls.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Callee {
    /// A function the component imports: provided by the host or by
    /// another component of the graph.
    Import(ImportPath),
    /// A function lifted inside this component (by another component
    /// instance): the call needs a fused adapter.
    Lifted(LiftedFunc),
}

/// One `canon lower`: the core function a core instance calls.
#[derive(Clone, Debug)]
pub struct Lowering {
    pub callee: Callee,
    /// The component function type at the lowering site.
    pub ty: ComponentFuncTypeId,
    /// The core signature the lowering has (the canonical ABI's flattening
    /// of `ty` with the caller's options).
    pub core_ty: FuncType,
    /// The caller's options.
    pub options: CanonOptions,
    /// The calling component instance.
    pub component_instance: ComponentInstanceId,
    /// The resource types `ty` can name, as this site sees them.
    pub resources: ResourceMap,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceOp {
    New,
    Drop,
    Rep,
}

impl fmt::Display for ResourceOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ResourceOp::New => "resource.new",
            ResourceOp::Drop => "resource.drop",
            ResourceOp::Rep => "resource.rep",
        })
    }
}

/// One `canon resource.new/drop/rep`.
#[derive(Clone, Debug)]
pub struct ResourceIntrinsic {
    pub op: ResourceOp,
    pub resource: ResourceIndex,
    pub core_ty: FuncType,
    /// The component instance whose handle table the intrinsic uses.
    pub component_instance: ComponentInstanceId,
}

/// A resource type.
#[derive(Clone, Debug, PartialEq)]
pub enum Resource {
    /// Imported: `path` names the resource type inside the import
    /// (`wasi:filesystem/types@0.2.0` `descriptor`).
    Imported(ImportPath),
    /// Defined by a component instance (`(type (resource (rep i32)))`).
    Defined {
        component_instance: ComponentInstanceId,
        rep: ValType,
        dtor: Option<CoreDef>,
    },
}

/// One import of the component.
#[derive(Clone, Debug)]
pub struct ComponentImport {
    pub name: String,
    pub ty: ComponentEntityType,
}

/// One export of the component.
#[derive(Clone, Debug)]
pub struct ComponentExport {
    pub name: String,
    pub item: ExportItem,
}

/// What an export is.
#[derive(Clone, Debug)]
pub enum ExportItem {
    /// A function lifted inside the component.
    Lifted(LiftedFunc),
    /// One of the component's imported functions, passed through.
    Import(ImportPath),
    /// An instance: its exports.
    Instance(Vec<ComponentExport>),
    /// An instance the component imports, passed through.
    ImportedInstance(ImportPath),
    /// A type: the resource type it is, if it is one (value types have
    /// nothing to link).
    Type(Option<ResourceIndex>),
    /// A core module or a component (not something a program calls).
    Other(&'static str),
}

impl FlatComponent {
    /// The export at `path` (`["wasi:cli/run@0.2.0", "run"]`).
    pub fn export_at(&self, path: &[&str]) -> Option<&ExportItem> {
        let (first, rest) = path.split_first()?;
        let mut item = &self.exports.iter().find(|e| e.name == *first)?.item;
        for name in rest {
            let ExportItem::Instance(items) = item else {
                return None;
            };
            item = &items.iter().find(|e| e.name == *name)?.item;
        }
        Some(item)
    }
}
