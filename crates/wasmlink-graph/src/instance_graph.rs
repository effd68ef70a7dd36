//! The resolved graph handed to the compile stage.

use crate::builtins::Builtin;
use crate::display::shown_name;
use crate::embed::Embedded;
use crate::lowered::{LoweredBuiltin, StringEncoding};
use std::path::PathBuf;
use std::sync::Arc;
use wasmlink_module::ModuleInfo;

/// Index into [`InstanceGraph::sources`].
pub type SourceId = usize;
/// Index into [`InstanceGraph::instances`].
pub type InstanceId = usize;

/// A program: sources compiled once each, and the instances made of them.
#[derive(Clone, Debug)]
pub struct InstanceGraph {
    pub sources: Vec<Source>,
    pub instances: Vec<Instance>,
    /// Instantiation order: every instance appears once; an instance comes
    /// after everything it needs a value from (globals, memories, tables).
    pub order: Vec<InstanceId>,
    pub entry: Entry,
    pub wasi: WasiConfig,
    /// The embedded files, read from the host when the graph was resolved
    /// (`wasi.embed`): one tree per read-only preopened directory.
    pub embedded: Arc<Embedded>,
}

/// A compiled-once module: code is shared by all instances of a source.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name the manifest gives it (or the file stem, manifest-less).
    pub name: String,
    /// Where it came from, for messages: a path, or `None` for inline text.
    pub path: Option<PathBuf>,
    pub module: Arc<ModuleInfo>,
}

/// One instance: separate memories, tables and globals.
#[derive(Clone, Debug)]
pub struct Instance {
    pub name: String,
    pub source: SourceId,
    /// How each import of the source is bound for this instance,
    /// `imports[i]` for `module.imports[i]`.
    pub imports: Vec<Binding>,
}

/// A defined item of an instance: `index` is in the defining instance's
/// index space and is never an import of that instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ItemRef {
    pub instance: InstanceId,
    pub index: u32,
}

/// An index in an instance's own index space, which may be one of its
/// imports (follow it with [`InstanceGraph::resolve_item`] or
/// [`InstanceGraph::resolve_func`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IndexRef {
    pub instance: InstanceId,
    pub index: u32,
}

/// The canonical options a lowered host call is made with: what `canon
/// lower` says for a component's import, or, for a core module importing
/// WASI 0.2 directly, its exported `memory` (else memory 0), its exported
/// `cabi_realloc` and UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LowerOptions {
    /// The memory lists and strings live in (a 32-bit memory).
    pub memory: Option<IndexRef>,
    /// A function `(old_ptr, old_size, align, new_size) -> ptr`.
    pub realloc: Option<IndexRef>,
    pub string_encoding: StringEncoding,
    /// The component instance whose handle table resources live in: calls
    /// with the same number share handles. A core module importing WASI
    /// directly is its own (its instance id); the core instances of one
    /// component share a number of their own.
    pub component_instance: u32,
    /// The flags global of the calling component instance, when calls
    /// between component instances keep one (`wasmlink-adapter`): a call
    /// made while its may-leave bit is clear (from a `realloc` or
    /// `post-return` an adapter runs) traps.
    pub flags: Option<IndexRef>,
}

/// A lowered WASI 0.2 function with the options of one import of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoweredImport {
    pub func: &'static LoweredBuiltin,
    pub options: LowerOptions,
}

/// What an import was bound to: always a final definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    Func(ItemRef),
    /// A function provided by the runtime; it is called with the importing
    /// instance's WASI memory (`ModuleInfo::wasi_memory`).
    Builtin(&'static Builtin),
    /// A WASI 0.2 function provided by the runtime in lowered form; it is
    /// called with a `LowerContext` holding these options.
    Lowered(LoweredImport),
    Table(ItemRef),
    Memory(ItemRef),
    Global(ItemRef),
    Tag(ItemRef),
}

/// The function the program starts in: no parameters, any results ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub instance: InstanceId,
    /// Function index in that instance's index space (may be an import;
    /// use [`InstanceGraph::resolve_func`] for the definition).
    pub func: u32,
}

/// What the program sees of the host. The executable carries it in its
/// configuration records; no string in it may hold a NUL character (the
/// manifest rejects them, and so does the runtime when it reads them).
#[derive(Clone, Debug, PartialEq)]
pub struct WasiConfig {
    pub args: WasiArgs,
    pub env: WasiEnv,
    /// Guest path → host path, in manifest order.
    pub preopens: Vec<(String, String)>,
    /// Host files and directories packed into the executable at build
    /// time (`wasi.embed`): guest path → host path, in manifest order. A
    /// relative host path is relative to the manifest's directory (the
    /// module's, manifest-less); the resolved trees are
    /// [`InstanceGraph::embedded`].
    pub embed: Vec<(String, String)>,
    /// Whether the executable applies the `WASMLINK_FLAGS` environment
    /// variable (`--dir`, `--env`, `--argv0`) over these settings when it
    /// starts. When false the variable is an ordinary one.
    pub runtime_flags: bool,
    /// Whether `wasi:sockets` may bind, connect and accept (wasmtime's
    /// `-S inherit-network`). Off: those are `access-denied`.
    pub inherit_network: bool,
    /// Whether `wasi:sockets/ip-name-lookup` may resolve names (wasmtime's
    /// `-S allow-ip-name-lookup`). Off: `permanent-resolver-failure`.
    pub allow_ip_name_lookup: bool,
    /// How many spawned threads (wasi-threads) may run at once; a
    /// `thread-spawn` beyond that returns an error. Only a program that
    /// binds `wasi.thread-spawn` uses it.
    pub max_threads: u32,
}

impl Default for WasiConfig {
    /// Args and env inherited, nothing preopened, runtime flags read, no
    /// network, the default thread limit.
    fn default() -> Self {
        WasiConfig {
            args: WasiArgs::default(),
            env: WasiEnv::default(),
            preopens: Vec::new(),
            embed: Vec::new(),
            runtime_flags: true,
            inherit_network: false,
            allow_ip_name_lookup: false,
            max_threads: wasmlink_abi::DEFAULT_MAX_THREADS,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum WasiArgs {
    /// The executable's own argv (`argv[0]` included).
    #[default]
    Inherit,
    Fixed(Vec<String>),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum WasiEnv {
    #[default]
    Inherit,
    None,
    Fixed(Vec<(String, String)>),
}

/// What a function index of an instance finally is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncTarget {
    Defined(ItemRef),
    Builtin(&'static Builtin),
    Lowered(LoweredImport),
}

impl InstanceGraph {
    pub fn module(&self, instance: InstanceId) -> &ModuleInfo {
        &self.sources[self.instances[instance].source].module
    }

    /// Whether `instance` binds `wasi.thread-spawn` (so the runtime may make
    /// new instances of it on other threads).
    pub fn instance_spawns_threads(&self, instance: InstanceId) -> bool {
        self.instances[instance]
            .imports
            .iter()
            .any(|b| matches!(b, Binding::Builtin(b) if b.is_thread_spawn()))
    }

    /// Whether any instance binds `wasi.thread-spawn`.
    pub fn spawns_threads(&self) -> bool {
        (0..self.instances.len()).any(|i| self.instance_spawns_threads(i))
    }

    /// Follow a function index of `instance` to its definition.
    pub fn resolve_func(&self, instance: InstanceId, index: u32) -> FuncTarget {
        let m = self.module(instance);
        if index >= m.num_imported_funcs {
            return FuncTarget::Defined(ItemRef { instance, index });
        }
        let import = self.import_slot(instance, wasmlink_module::ExternKind::Func, index);
        match self.instances[instance].imports[import] {
            Binding::Func(r) => FuncTarget::Defined(r),
            Binding::Builtin(b) => FuncTarget::Builtin(b),
            Binding::Lowered(l) => FuncTarget::Lowered(l),
            other => unreachable!("function import bound to {other:?}"),
        }
    }

    /// Follow a table/memory/global index of `instance` to its definition.
    pub fn resolve_item(
        &self,
        instance: InstanceId,
        kind: wasmlink_module::ExternKind,
        index: u32,
    ) -> ItemRef {
        let m = self.module(instance);
        if !m.is_imported(kind, index) {
            return ItemRef { instance, index };
        }
        match self.instances[instance].imports[self.import_slot(instance, kind, index)] {
            Binding::Table(r)
            | Binding::Memory(r)
            | Binding::Global(r)
            | Binding::Func(r)
            | Binding::Tag(r) => r,
            Binding::Builtin(_) | Binding::Lowered(_) => {
                unreachable!("builtin bound to a non-function import")
            }
        }
    }

    /// Position in `module.imports` of the import that occupies `index`.
    pub fn import_slot(
        &self,
        instance: InstanceId,
        kind: wasmlink_module::ExternKind,
        index: u32,
    ) -> usize {
        self.module(instance)
            .imports
            .iter()
            .position(|i| i.ty.kind() == kind && i.index == index)
            .expect("index below num_imported must be an import")
    }

    /// `source::function` for messages, trap reports and symbol tables.
    /// Both parts are [`shown_name`]s: control characters escaped, each cut
    /// to a sane length, so the runtime can print the result as is.
    pub fn func_display_name(&self, source: SourceId, index: u32) -> String {
        let s = &self.sources[source];
        format!(
            "{}::{}",
            shown_name(&s.name),
            shown_name(&s.module.func_display_name(index))
        )
    }
}
