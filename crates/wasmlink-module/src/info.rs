//! Plain data describing one validated core module.

use std::ops::Range;
use std::sync::Arc;
use wasmparser::{
    BinaryReader, FuncType, FunctionBody, GlobalType, MemoryType, Operator, RefType, TableType,
    ValType,
};

/// The kind of an import or export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExternKind {
    Func,
    Table,
    Memory,
    Global,
    /// An exception tag (exception handling).
    Tag,
}

impl ExternKind {
    pub fn describe(self) -> &'static str {
        match self {
            ExternKind::Func => "function",
            ExternKind::Table => "table",
            ExternKind::Memory => "memory",
            ExternKind::Global => "global",
            ExternKind::Tag => "tag",
        }
    }
}

/// The type an import expects (or an export provides).
#[derive(Clone, Debug, PartialEq)]
pub enum ExternType {
    /// A function, with its type index resolved to the signature.
    Func(FuncType),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// A tag, with its type index resolved to the signature (whose params
    /// are the exception's payload; tags have no results).
    Tag(FuncType),
}

impl ExternType {
    pub fn kind(&self) -> ExternKind {
        match self {
            ExternType::Func(_) => ExternKind::Func,
            ExternType::Table(_) => ExternKind::Table,
            ExternType::Memory(_) => ExternKind::Memory,
            ExternType::Global(_) => ExternKind::Global,
            ExternType::Tag(_) => ExternKind::Tag,
        }
    }
}

/// One import, in module order. `index` is the index it occupies in the
/// index space of its kind (imports come first in every index space).
#[derive(Clone, Debug)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
    pub index: u32,
}

/// One export.
#[derive(Clone, Debug)]
pub struct Export {
    pub name: String,
    pub kind: ExternKind,
    pub index: u32,
}

/// A constant expression (global initialisers, segment offsets, element
/// items), kept as a small operator list so later stages can evaluate it
/// either at build time or in generated instantiation code.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstExpr(pub Vec<ConstOp>);

#[derive(Clone, Debug, PartialEq)]
pub enum ConstOp {
    I32Const(i32),
    I64Const(i64),
    /// Bit pattern of an f32.
    F32Const(u32),
    /// Bit pattern of an f64.
    F64Const(u64),
    V128Const([u8; 16]),
    GlobalGet(u32),
    RefNull(RefType),
    RefFunc(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
    /// Wasm GC: `ref.i31`.
    RefI31,
    /// Wasm GC: `struct.new` of a struct type.
    StructNew(u32),
    StructNewDefault(u32),
    /// Wasm GC: `array.new` of an array type.
    ArrayNew(u32),
    ArrayNewDefault(u32),
    /// `array.new_fixed`: type and length.
    ArrayNewFixed(u32, u32),
    AnyConvertExtern,
    ExternConvertAny,
}

impl ConstExpr {
    /// The value of an expression that is a single integer constant.
    pub fn as_const_int(&self) -> Option<i64> {
        match self.0.as_slice() {
            [ConstOp::I32Const(v)] => Some(*v as u32 as i64),
            [ConstOp::I64Const(v)] => Some(*v),
            _ => None,
        }
    }
}

/// What it takes to validate one function of a module again, to learn the
/// type of each operand while translating it (see
/// [`ModuleInfo::func_validator`]).
#[derive(Clone, Debug)]
pub struct FuncValidation {
    pub resources: wasmparser::ValidatorResources,
    pub features: wasmparser::WasmFeatures,
}

/// A definition of the type section: what kind of type it is and its
/// place in the subtype hierarchy (Wasm GC's `sub`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    pub kind: TypeKind,
    /// The declared supertype, by type index.
    pub supertype: Option<u32>,
    /// Declared `final` (the default without `sub`): no subtypes.
    pub is_final: bool,
}

/// The composite type of a [`TypeDef`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// A function type: [`ModuleInfo::types`] holds its signature.
    Func,
    /// A struct type: its fields, in order.
    Struct(Vec<wasmparser::FieldType>),
    /// An array type: its element.
    Array(wasmparser::FieldType),
}

/// A function in the function index space.
#[derive(Clone, Debug)]
pub struct FuncDecl {
    /// Index into [`ModuleInfo::types`].
    pub type_index: u32,
}

/// A global in the global index space; `init` is `None` for imports.
#[derive(Clone, Debug)]
pub struct GlobalDecl {
    pub ty: GlobalType,
    pub init: Option<ConstExpr>,
}

#[derive(Clone, Debug)]
pub enum ElementMode {
    Passive,
    Declared,
    Active { table: u32, offset: ConstExpr },
}

/// An element segment; every item is a constant expression of type `ty`.
#[derive(Clone, Debug)]
pub struct ElementSegment {
    pub mode: ElementMode,
    pub ty: RefType,
    pub items: Vec<ConstExpr>,
}

#[derive(Clone, Debug)]
pub enum DataMode {
    Passive,
    Active { memory: u32, offset: ConstExpr },
}

/// A data segment; its bytes are `ModuleInfo::bytes[range]`.
#[derive(Clone, Debug)]
pub struct DataSegment {
    pub mode: DataMode,
    pub range: Range<usize>,
}

/// A defined function's body: `ModuleInfo::bytes[range]` is the body as
/// wasmparser's `FunctionBody` expects it (locals then operators).
#[derive(Clone, Debug)]
pub struct FuncBody {
    pub range: Range<usize>,
}

/// Everything later stages need to know about one validated core module.
///
/// Index spaces (functions, tables, memories, globals) list imports first,
/// exactly as the spec numbers them; `num_imported_*` says where the
/// module's own definitions start.
#[derive(Clone, Debug, Default)]
pub struct ModuleInfo {
    /// The module binary (text sources are converted to binary first).
    pub bytes: Arc<[u8]>,
    /// The function types, by type index. A struct or array type has an
    /// empty signature here that nothing reads: validation ensures every
    /// use of a function type (functions, calls, tags, blocks) names a
    /// function type. [`ModuleInfo::type_defs`] says what each type is.
    pub types: Vec<FuncType>,
    /// Every type definition, by type index.
    pub type_defs: Vec<TypeDef>,
    /// The validator's view of the module (`None` when it defines no
    /// function).
    pub validation: Option<FuncValidation>,
    /// The identity of each type across modules (see
    /// [`crate::type_keys`]), by type index.
    pub type_keys: Vec<String>,
    pub imports: Vec<Import>,
    pub exports: Vec<Export>,
    pub funcs: Vec<FuncDecl>,
    pub tables: Vec<TableType>,
    /// The initialiser of each defined table (`(table 10 (ref $t)
    /// (ref.func $f))`, typed function references) by table index; `None`
    /// for imported tables and for tables that start null.
    pub table_inits: Vec<Option<ConstExpr>>,
    pub memories: Vec<MemoryType>,
    pub globals: Vec<GlobalDecl>,
    pub num_imported_funcs: u32,
    pub num_imported_tables: u32,
    pub num_imported_memories: u32,
    pub num_imported_globals: u32,
    /// The tag index space: the type index of each tag (imports first).
    pub tags: Vec<u32>,
    pub num_imported_tags: u32,
    /// Tag names from the `name` custom section, by tag index.
    pub tag_names: Vec<(u32, String)>,
    pub start: Option<u32>,
    pub elements: Vec<ElementSegment>,
    pub data: Vec<DataSegment>,
    /// Bodies of the defined functions, in order (`bodies[i]` is function
    /// `num_imported_funcs + i`).
    pub bodies: Vec<FuncBody>,
    /// Function names from the `name` custom section, by function index.
    pub func_names: Vec<(u32, String)>,
}

impl ModuleInfo {
    /// The body of defined function `func_index` (not an import), to read
    /// with wasmparser.
    pub fn body(&self, func_index: u32) -> FunctionBody<'_> {
        let range = &self.bodies[(func_index - self.num_imported_funcs) as usize].range;
        FunctionBody::new(BinaryReader::new(
            &self.bytes[range.clone()],
            range.start as u64,
        ))
    }

    /// Call `visit` with every operator of defined function `func_index`,
    /// in order; false when the body cannot be read to its end (which
    /// validation rules out for a loaded module). A function without a
    /// recorded body (an import, or a module put together by hand without
    /// code) has no operators.
    /// Whether the module defines a struct or array type (a program with
    /// it has a GC heap).
    pub fn defines_gc_types(&self) -> bool {
        self.type_defs
            .iter()
            .any(|d| !matches!(d.kind, TypeKind::Func))
    }

    /// A validator for defined function `func_index`, to run over its body
    /// again: after each operator it knows the type of every operand.
    pub fn func_validator(
        &self,
        func_index: u32,
    ) -> Option<wasmparser::FuncValidator<wasmparser::ValidatorResources>> {
        let v = self.validation.as_ref()?;
        let ty = self.funcs.get(func_index as usize)?.type_index;
        let func = wasmparser::FuncToValidate {
            resources: v.resources.clone(),
            index: func_index,
            ty,
            features: v.features,
        };
        Some(func.into_validator(Default::default()))
    }

    pub fn visit_operators(&self, func_index: u32, mut visit: impl FnMut(Operator)) -> bool {
        let has_body = func_index
            .checked_sub(self.num_imported_funcs)
            .is_some_and(|k| (k as usize) < self.bodies.len());
        if !has_body {
            return true;
        }
        let Ok(mut ops) = self.body(func_index).get_operators_reader() else {
            return false;
        };
        while !ops.eof() {
            match ops.read() {
                Ok(op) => visit(op),
                Err(_) => return false,
            }
        }
        true
    }

    pub fn func_type(&self, func_index: u32) -> &FuncType {
        &self.types[self.funcs[func_index as usize].type_index as usize]
    }

    pub fn export(&self, name: &str) -> Option<&Export> {
        self.exports.iter().find(|e| e.name == name)
    }

    /// The type of an item of this module's index spaces, as an importer
    /// would see it.
    pub fn extern_type(&self, kind: ExternKind, index: u32) -> ExternType {
        match kind {
            ExternKind::Func => ExternType::Func(self.func_type(index).clone()),
            ExternKind::Table => ExternType::Table(self.tables[index as usize]),
            ExternKind::Memory => ExternType::Memory(self.memories[index as usize]),
            ExternKind::Global => ExternType::Global(self.globals[index as usize].ty),
            ExternKind::Tag => ExternType::Tag(self.tag_type(index).clone()),
        }
    }

    pub fn is_imported(&self, kind: ExternKind, index: u32) -> bool {
        let n = match kind {
            ExternKind::Func => self.num_imported_funcs,
            ExternKind::Table => self.num_imported_tables,
            ExternKind::Memory => self.num_imported_memories,
            ExternKind::Global => self.num_imported_globals,
            ExternKind::Tag => self.num_imported_tags,
        };
        index < n
    }

    /// The signature of tag `index` (its params are the payload).
    pub fn tag_type(&self, index: u32) -> &FuncType {
        &self.types[self.tags[index as usize] as usize]
    }

    /// A readable name for a tag: its `name`-section name, else its first
    /// export name, else `tag[N]`.
    pub fn tag_display_name(&self, index: u32) -> String {
        if let Some(e) = self
            .exports
            .iter()
            .find(|e| e.kind == ExternKind::Tag && e.index == index)
        {
            return e.name.clone();
        }
        if let Some((_, n)) = self.tag_names.iter().find(|(i, _)| *i == index) {
            return n.clone();
        }
        format!("tag[{index}]")
    }

    /// The type key of a function or tag of the index spaces (`None` for
    /// the other kinds).
    pub fn item_key(&self, kind: ExternKind, index: u32) -> Option<&str> {
        let ty = match kind {
            ExternKind::Func => self.funcs.get(index as usize)?.type_index,
            ExternKind::Tag => *self.tags.get(index as usize)?,
            _ => return None,
        };
        self.type_keys.get(ty as usize).map(String::as_str)
    }

    /// The type keys a definition of `kind` at `index` matches as an
    /// import: its own type's key, then (for a function) those of the
    /// type's declared supertypes, nearest first (Wasm GC subtyping).
    pub fn item_keys(&self, kind: ExternKind, index: u32) -> Vec<&str> {
        let mut keys = Vec::new();
        let mut ty = match kind {
            ExternKind::Func => self.funcs.get(index as usize).map(|f| f.type_index),
            ExternKind::Tag => self.tags.get(index as usize).copied(),
            _ => None,
        };
        while let Some(t) = ty {
            let Some(key) = self.type_keys.get(t as usize) else {
                break;
            };
            keys.push(key.as_str());
            // Validation orders supertypes first: the walk ends.
            ty = match kind {
                ExternKind::Func => self
                    .type_defs
                    .get(t as usize)
                    .and_then(|d| d.supertype)
                    .filter(|&s| s < t),
                _ => None,
            };
        }
        keys
    }

    /// The type key an import expects (functions and tags).
    pub fn import_key(&self, import: &Import) -> Option<&str> {
        self.item_key(import.ty.kind(), import.index)
    }

    /// The import that occupies `index` of the `kind` index space.
    pub fn import_at(&self, kind: ExternKind, index: u32) -> Option<&Import> {
        self.imports
            .iter()
            .find(|i| i.ty.kind() == kind && i.index == index)
    }

    /// A readable name for a function: its `name`-section name, else its
    /// first export name, else `func[N]`.
    pub fn func_display_name(&self, index: u32) -> String {
        if let Some((_, n)) = self.func_names.iter().find(|(i, _)| *i == index) {
            return n.clone();
        }
        if let Some(e) = self
            .exports
            .iter()
            .find(|e| e.kind == ExternKind::Func && e.index == index)
        {
            return e.name.clone();
        }
        format!("func[{index}]")
    }

    /// The memory a WASI call made by this module reads and writes: the
    /// memory exported as `memory`, else memory 0, else none.
    pub fn wasi_memory(&self) -> Option<u32> {
        match self.export("memory") {
            Some(e) if e.kind == ExternKind::Memory => Some(e.index),
            _ if !self.memories.is_empty() => Some(0),
            _ => None,
        }
    }
}

/// Canonical signature text used in messages, e.g. `(i32, i32) -> (i64)`.
pub fn describe_func_type(ty: &FuncType) -> String {
    let list = |v: &[ValType]| {
        v.iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("({}) -> ({})", list(ty.params()), list(ty.results()))
}

/// Text for any extern type, for messages.
pub fn describe_extern_type(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(f) => format!("func {}", describe_func_type(f)),
        ExternType::Table(t) => match t.maximum {
            Some(max) => format!("table {} {}..{}", t.element_type, t.initial, max),
            None => format!("table {} {}..", t.element_type, t.initial),
        },
        ExternType::Memory(m) => {
            let idx = if m.memory64 { "i64 " } else { "" };
            match m.maximum {
                Some(max) => format!("memory {idx}{}..{} pages", m.initial, max),
                None => format!("memory {idx}{}.. pages", m.initial),
            }
        }
        ExternType::Global(g) => {
            if g.mutable {
                format!("global (mut {})", g.content_type)
            } else {
                format!("global {}", g.content_type)
            }
        }
        ExternType::Tag(f) => format!("tag {}", describe_func_type(f)),
    }
}
