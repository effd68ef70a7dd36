//! Generating an adapter module: deciding its imports from the function
//! type and options ([`ModuleCtx::plan`]), generating the adapter function
//! (`adapter.rs`) and the helpers it calls (string transcoders,
//! `transcode.rs`), and assembling and validating the module.

mod adapter;
mod func;
mod string;
mod transcode;
mod translate;

use crate::contract::{self, AdapterImport, ImportKind, ImportRole};
use crate::flatten::{flatten_func, Context, CoreSignature, CoreType};
use crate::options::{AdapterError, AdapterSpec, StringEncoding};
use crate::types::{check_types, ValType};
use func::{FuncBuilder, GuardTypes};
use std::collections::{BTreeMap, HashMap};
use wasm_encoder::{
    CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection, GlobalType,
    ImportSection, MemoryType, Module, NameMap, NameSection, TypeSection,
};

pub(crate) use transcode::Transcode;

/// A generated adapter module.
#[derive(Clone, Debug)]
pub struct Adapter {
    /// The core module (binary).
    pub bytes: Vec<u8>,
    /// Its imports, in order, with what each stands for.
    pub imports: Vec<AdapterImport>,
    /// The signature of the exported function ([`contract::EXPORT`]): the
    /// caller's lowered signature.
    pub caller_signature: CoreSignature,
    /// The signature of the imported callee function: the lifted one.
    pub callee_signature: CoreSignature,
}

/// Which component of the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    Caller,
    Callee,
}

/// Which way values flow: parameters from caller to callee, results back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Dir {
    pub src: Side,
    pub dst: Side,
}

pub(crate) const PARAMS: Dir = Dir {
    src: Side::Caller,
    dst: Side::Callee,
};
pub(crate) const RESULTS: Dir = Dir {
    src: Side::Callee,
    dst: Side::Caller,
};

/// One side's items in the adapter module's index spaces.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SideInfo {
    pub memory: Option<u32>,
    pub realloc: Option<u32>,
    pub encoding: StringEncoding,
    pub instance: Option<u32>,
}

/// A function defined after the adapter itself.
struct HelperFunc {
    name: String,
    ty: u32,
    body: Function,
}

/// The module being generated: its index spaces and defined functions.
pub(crate) struct ModuleCtx {
    types: Vec<(Vec<CoreType>, Vec<CoreType>)>,
    imports: Vec<AdapterImport>,
    func_imports: u32,
    pub caller: SideInfo,
    pub callee: SideInfo,
    pub trap: u32,
    pub callee_func: u32,
    pub post_return: Option<u32>,
    pub transfer_own: Option<u32>,
    pub transfer_borrow: Option<u32>,
    pub enter_call: Option<u32>,
    pub exit_call: Option<u32>,
    /// Instance number → global index of its flags.
    pub flags: BTreeMap<u32, u32>,
    helpers: Vec<HelperFunc>,
    transcoders: HashMap<(Transcode, Dir), u32>,
}

impl ModuleCtx {
    /// Decide every import from the function type and options.
    fn plan(spec: &AdapterSpec, lowered: &CoreSignature, lifted: &CoreSignature) -> ModuleCtx {
        let params = spec.ty.param_types();
        let results = spec.ty.result_types();
        let params_pointers = params.iter().any(ValType::contains_pointers);
        let results_pointers = results.iter().any(ValType::contains_pointers);
        let any_pointers = params_pointers || results_pointers;
        let caller_memory = any_pointers || lowered.params_in_memory || lowered.results_in_memory;
        let callee_memory = any_pointers || lifted.params_in_memory || lifted.results_in_memory;
        let callee_realloc = params_pointers || lifted.params_in_memory;
        let caller_realloc = results_pointers;
        let all = params.iter().chain(&results);
        let own = all.clone().any(ValType::contains_own);
        let borrow = params.iter().any(ValType::contains_borrow);

        let mut ctx = ModuleCtx {
            types: Vec::new(),
            imports: Vec::new(),
            func_imports: 0,
            caller: SideInfo {
                memory: None,
                realloc: None,
                encoding: spec.caller.string_encoding,
                instance: spec.caller.instance,
            },
            callee: SideInfo {
                memory: None,
                realloc: None,
                encoding: spec.callee.string_encoding,
                instance: Some(spec.callee.instance),
            },
            trap: 0,
            callee_func: 0,
            post_return: None,
            transfer_own: None,
            transfer_borrow: None,
            enter_call: None,
            exit_call: None,
            flags: BTreeMap::new(),
            helpers: Vec::new(),
            transcoders: HashMap::new(),
        };
        use CoreType::I32;
        let realloc_sig = || ImportKind::Func {
            params: vec![I32; 4],
            results: vec![I32],
        };
        let mut memories = 0;
        let mut globals = 0;
        let mut import = |ctx: &mut ModuleCtx, module: &str, name: &str, kind, role| -> u32 {
            let index = match &kind {
                ImportKind::Func { .. } => {
                    ctx.func_imports += 1;
                    ctx.func_imports - 1
                }
                ImportKind::Memory => {
                    memories += 1;
                    memories - 1
                }
                ImportKind::MutableI32Global => {
                    globals += 1;
                    globals - 1
                }
            };
            ctx.imports.push(AdapterImport {
                module: module.to_string(),
                name: name.to_string(),
                kind,
                role,
            });
            index
        };
        if caller_memory {
            ctx.caller.memory = Some(import(
                &mut ctx,
                contract::CALLER,
                contract::MEMORY,
                ImportKind::Memory,
                ImportRole::CallerMemory,
            ));
        }
        if callee_memory {
            ctx.callee.memory = Some(import(
                &mut ctx,
                contract::CALLEE,
                contract::MEMORY,
                ImportKind::Memory,
                ImportRole::CalleeMemory,
            ));
        }
        if caller_realloc {
            ctx.caller.realloc = Some(import(
                &mut ctx,
                contract::CALLER,
                contract::REALLOC,
                realloc_sig(),
                ImportRole::CallerRealloc,
            ));
        }
        if callee_realloc {
            ctx.callee.realloc = Some(import(
                &mut ctx,
                contract::CALLEE,
                contract::REALLOC,
                realloc_sig(),
                ImportRole::CalleeRealloc,
            ));
        }
        ctx.callee_func = import(
            &mut ctx,
            contract::CALLEE,
            contract::FUNCTION,
            ImportKind::Func {
                params: lifted.params.clone(),
                results: lifted.results.clone(),
            },
            ImportRole::CalleeFunction,
        );
        if spec.callee.post_return {
            ctx.post_return = Some(import(
                &mut ctx,
                contract::CALLEE,
                contract::POST_RETURN,
                ImportKind::Func {
                    params: lifted.results.clone(),
                    results: vec![],
                },
                ImportRole::CalleePostReturn,
            ));
        }
        let instances = spec
            .caller
            .instance
            .into_iter()
            .chain([spec.callee.instance])
            .chain(spec.entering.iter().copied());
        for instance in instances {
            if !ctx.flags.contains_key(&instance) {
                let global = import(
                    &mut ctx,
                    contract::FLAGS,
                    &instance.to_string(),
                    ImportKind::MutableI32Global,
                    ImportRole::Flags(instance),
                );
                ctx.flags.insert(instance, global);
            }
        }
        ctx.trap = import(
            &mut ctx,
            contract::INTRINSICS,
            contract::TRAP,
            ImportKind::Func {
                params: vec![I32],
                results: vec![],
            },
            ImportRole::Trap,
        );
        let transfer = || ImportKind::Func {
            params: vec![I32; 4],
            results: vec![I32],
        };
        if own {
            ctx.transfer_own = Some(import(
                &mut ctx,
                contract::INTRINSICS,
                contract::RESOURCE_TRANSFER_OWN,
                transfer(),
                ImportRole::ResourceTransferOwn,
            ));
        }
        if borrow {
            ctx.transfer_borrow = Some(import(
                &mut ctx,
                contract::INTRINSICS,
                contract::RESOURCE_TRANSFER_BORROW,
                transfer(),
                ImportRole::ResourceTransferBorrow,
            ));
            let nothing = || ImportKind::Func {
                params: vec![],
                results: vec![],
            };
            ctx.enter_call = Some(import(
                &mut ctx,
                contract::INTRINSICS,
                contract::RESOURCE_ENTER_CALL,
                nothing(),
                ImportRole::ResourceEnterCall,
            ));
            ctx.exit_call = Some(import(
                &mut ctx,
                contract::INTRINSICS,
                contract::RESOURCE_EXIT_CALL,
                nothing(),
                ImportRole::ResourceExitCall,
            ));
        }
        ctx
    }

    pub fn side(&self, side: Side) -> &SideInfo {
        match side {
            Side::Caller => &self.caller,
            Side::Callee => &self.callee,
        }
    }

    /// The memory of `side`; the plan imported one whenever a value needs it.
    pub fn memory(&self, side: Side) -> u32 {
        self.side(side)
            .memory
            .expect("the plan imports a memory for every side that needs one")
    }

    /// The `realloc` of `side`.
    pub fn realloc(&self, side: Side) -> u32 {
        self.side(side)
            .realloc
            .expect("the plan imports realloc for every side that receives strings or lists")
    }

    /// The block types of a guarded call (`FuncBuilder::call_guarded`) of
    /// a function `params -> results`.
    pub fn guard_types(&mut self, params: &[CoreType], results: &[CoreType]) -> GuardTypes {
        GuardTypes {
            through: self.func_type(params, results),
            consume: self.func_type(params, &[]),
        }
    }

    /// A new function builder whose `realloc` calls are guarded: an
    /// exception from the other component's `realloc` traps.
    pub fn func_builder(&mut self, params: &[CoreType]) -> FuncBuilder {
        let mut f = FuncBuilder::new(params, self.trap);
        let i32s = [CoreType::I32; 4];
        let guard = self.guard_types(&i32s, &i32s[..1]);
        f.guard_realloc(guard);
        f
    }

    /// The index of the function type `(params) -> (results)`.
    pub fn func_type(&mut self, params: &[CoreType], results: &[CoreType]) -> u32 {
        let key = (params.to_vec(), results.to_vec());
        if let Some(i) = self.types.iter().position(|t| *t == key) {
            return i as u32;
        }
        self.types.push(key);
        self.types.len() as u32 - 1
    }

    /// The function index the next helper will get (the adapter itself
    /// comes right after the imports).
    fn next_helper_index(&self) -> u32 {
        self.func_imports + 1 + self.helpers.len() as u32
    }

    /// The string transcoder for `transcode` in direction `dir`, generated
    /// on first use.
    pub fn transcoder(&mut self, transcode: Transcode, dir: Dir) -> u32 {
        if let Some(&index) = self.transcoders.get(&(transcode, dir)) {
            return index;
        }
        let index = self.next_helper_index();
        // Reserve the index before generating, so the body may not refer
        // to a half-made helper list.
        self.transcoders.insert((transcode, dir), index);
        let body = transcode::generate(self, transcode, dir);
        let ty = self.func_type(&[CoreType::I32; 2], &[CoreType::I32; 2]);
        let name = format!("{}-{}", transcode.name(), dir_name(dir));
        self.helpers.push(HelperFunc { name, ty, body });
        index
    }
}

fn dir_name(dir: Dir) -> &'static str {
    if dir == PARAMS {
        "params"
    } else {
        "results"
    }
}

/// Generate the fused adapter for `spec`.
pub fn generate(spec: &AdapterSpec) -> Result<Adapter, AdapterError> {
    let all: Vec<&ValType> = spec
        .ty
        .params
        .iter()
        .map(|(_, t)| t)
        .chain(spec.ty.result.iter())
        .collect();
    check_types(all.iter().copied()).map_err(|error| AdapterError::Type {
        ty: spec.ty.to_string(),
        error,
    })?;
    let handles = all.iter().any(|t| t.contains_own() || t.contains_borrow());
    if handles && spec.caller.instance.is_none() {
        return Err(AdapterError::HostHandles {
            ty: spec.ty.to_string(),
        });
    }
    let lowered = flatten_func(&spec.ty, Context::Lower);
    let lifted = flatten_func(&spec.ty, Context::Lift);
    let mut ctx = ModuleCtx::plan(spec, &lowered, &lifted);
    let body = adapter::generate(&mut ctx, spec, &lowered, &lifted);
    let bytes = assemble(&mut ctx, &lowered, body);
    validate(&bytes).map_err(|message| AdapterError::Invalid {
        ty: spec.ty.to_string(),
        message,
    })?;
    Ok(Adapter {
        bytes,
        imports: ctx.imports,
        caller_signature: lowered,
        callee_signature: lifted,
    })
}

fn assemble(ctx: &mut ModuleCtx, lowered: &CoreSignature, adapter: Function) -> Vec<u8> {
    let adapter_ty = ctx.func_type(&lowered.params, &lowered.results);
    // Import entity types (function types are interned first).
    let mut entities = Vec::new();
    for import in ctx.imports.clone() {
        entities.push(match &import.kind {
            ImportKind::Func { params, results } => {
                EntityType::Function(ctx.func_type(params, results))
            }
            ImportKind::Memory => EntityType::Memory(MemoryType {
                minimum: 0,
                maximum: None,
                memory64: false,
                shared: false,
                page_size_log2: None,
            }),
            ImportKind::MutableI32Global => EntityType::Global(GlobalType {
                val_type: wasm_encoder::ValType::I32,
                mutable: true,
                shared: false,
            }),
        });
    }
    let mut types = TypeSection::new();
    for (params, results) in &ctx.types {
        types.ty().function(
            params.iter().map(|t| func::val_type(*t)),
            results.iter().map(|t| func::val_type(*t)),
        );
    }
    let mut imports = ImportSection::new();
    for (import, entity) in ctx.imports.iter().zip(entities) {
        imports.import(&import.module, &import.name, entity);
    }
    let mut functions = FunctionSection::new();
    functions.function(adapter_ty);
    for h in &ctx.helpers {
        functions.function(h.ty);
    }
    let mut exports = ExportSection::new();
    exports.export(contract::EXPORT, ExportKind::Func, ctx.func_imports);
    let mut code = CodeSection::new();
    code.function(&adapter);
    for h in &ctx.helpers {
        code.function(&h.body);
    }
    let mut names = NameSection::new();
    names.module("adapter");
    let mut func_names = NameMap::new();
    for (i, import) in ctx.imports.iter().enumerate() {
        if matches!(import.kind, ImportKind::Func { .. }) {
            let index = ctx.imports[..i]
                .iter()
                .filter(|x| matches!(x.kind, ImportKind::Func { .. }))
                .count() as u32;
            func_names.append(index, &format!("{}.{}", import.module, import.name));
        }
    }
    func_names.append(ctx.func_imports, contract::EXPORT);
    for (i, h) in ctx.helpers.iter().enumerate() {
        func_names.append(ctx.func_imports + 1 + i as u32, &h.name);
    }
    names.functions(&func_names);

    let mut module = Module::new();
    module.section(&types);
    module.section(&imports);
    module.section(&functions);
    module.section(&exports);
    module.section(&code);
    module.section(&names);
    module.finish()
}

/// Validate with the features adapters use: multi-memory, multi-value,
/// bulk memory, sign extension (all in Wasm 2.0 or later).
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    let features = wasmparser::WasmFeatures::WASM2
        | wasmparser::WasmFeatures::MULTI_MEMORY
        | wasmparser::WasmFeatures::EXCEPTIONS;
    wasmparser::Validator::new_with_features(features)
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
