//! wasi-threads in the compile stage: everything the runtime needs to make
//! a new instance of an instance that binds `wasi.thread-spawn`, on a new
//! thread, while the program runs (the contract is `wasmlink_abi`'s
//! `ThreadSpawnContext`).
//!
//! Instances are static objects whose pointers the linker fills in, and
//! the code of a source takes its instance's vmctx as a parameter. So a
//! new instance is a copy of the vmctx as the executable starts with it,
//! made at run time, instantiated by the same kind of generated code that
//! instantiates the static one. For each such instance `N` the plan has:
//!
//! * `__wl_iN_image`: the static contents of the vmctx, then each element
//!   segment's array and the `LowerContext` of each lowered WASI 0.2
//!   import (8-byte aligned; a context holds a trap cell the runtime
//!   writes and may name the instance's own memory and `realloc`, so each
//!   instance needs its own), with the linker's relocations for
//!   every pointer to something all instances share (other instances'
//!   state and functions, code, data segments, the spawn context);
//! * `__wl_iN_image_relocs`: one `ImageReloc` per word that points into
//!   the instance itself (the funcref slots of its own functions and of
//!   WASI wrappers, `ref.func` items of its element arrays, the segment
//!   slots' pointers to those arrays, the lowered imports' contexts and
//!   what they name of the instance), as an offset into the copy;
//! * `__wl_iN_thread_start(vmctx, tid, arg)` (C convention): the
//!   instantiation ([`emit_instantiation`] without `_initialize`, as
//!   wasi-threads asks) into the copy, then `wasi_thread_start(tid, arg)`;
//!   followed by the vmctx offsets of the tables the instance defines
//!   (their storage is freed with a reclaimed instance);
//! * `__wl_iN_spawn`: the `ThreadSpawnContext` pointing at the three, and
//!   whether a new instance can be freed when its thread ends
//!   ([`reclaimable`]).
//!
//! The context is the vmctx of the `thread-spawn` import's funcref slot
//! (as a `LowerContext` is for a lowered import): a direct call loads it
//! from the caller's own slot and calls `wasmlink_thread_spawn(cx, arg)`;
//! a call through a funcref reaches the import's wrapper with the context
//! as its vmctx. A copy keeps the slot as it is, so a spawned thread that
//! spawns makes another instance of the same module with the same imports.

use crate::env::{declare_func, entry_block, wasm_signature, FuncEnv, SourceEnv, PTR};
use crate::instantiate::emit_instantiation;
use crate::layout::VmLayout;
use crate::program::{DataObject, DataReloc, SymbolRef};
use crate::symbols::SymbolPlan;
use cranelift_codegen::ir::{
    types, AbiParam, ArgumentPurpose, Function, InstBuilder, Signature, UserFuncName, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use wasmlink_abi::{
    thread_field, ImageReloc, IMAGE_ALIGN, IMAGE_RELOC_SIZE, THREAD_SPAWN_CONTEXT_SIZE,
    THREAD_START_EXPORT,
};
use wasmlink_graph::{Builtin, InstanceGraph};
use wasmlink_module::wasmparser::ValType;
use wasmlink_module::{ExternKind, ExternType, ModuleInfo};

/// The symbols of one instance that binds `thread-spawn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadSymbols {
    /// `__wl_iN_thread_start` (function).
    pub start: usize,
    /// `__wl_iN_spawn`, `__wl_iN_image`, `__wl_iN_image_relocs` (data).
    pub context: usize,
    pub image: usize,
    pub relocs: usize,
}

/// The signature of `wasmlink_thread_spawn(cx, start_arg) -> tid`.
fn spawn_signature(env: &SourceEnv) -> Signature {
    let mut sig = Signature::new(env.isa.default_call_conv());
    sig.params.push(AbiParam::new(PTR));
    sig.params.push(AbiParam::new(types::I32));
    sig.returns.push(AbiParam::new(types::I32));
    sig
}

/// Call `wasmlink_thread_spawn(cx, args[0])` and return its result.
fn call_spawn(
    env: &SourceEnv,
    builder: &mut FunctionBuilder,
    b: &'static Builtin,
    cx: Value,
    args: &[Value],
) -> Vec<Value> {
    let f = declare_func(builder, env.plan.builtin(b), spawn_signature(env), false);
    let call = builder.ins().call(f, &[cx, args[0]]);
    builder.inst_results(call).to_vec()
}

impl FuncEnv<'_> {
    /// A direct call of imported function `index`, bound to `thread-spawn`:
    /// the context is the vmctx of the caller's own funcref slot of it.
    pub fn call_thread_spawn(
        &mut self,
        builder: &mut FunctionBuilder,
        b: &'static Builtin,
        index: u32,
        args: &[Value],
    ) -> Vec<Value> {
        // The spawn context sits where a lowered import keeps its own.
        let cx = self.lower_context(builder, index);
        call_spawn(self.src, builder, b, cx, args)
    }
}

/// The wrapper of imported function `import_index` bound to
/// `thread-spawn`: a wasm-convention function whose vmctx is the spawn
/// context. Like a lowered import's wrapper it has no stack check: it only
/// calls the runtime, and its vmctx is not an instance's.
pub(crate) fn spawn_wrapper(
    env: &SourceEnv,
    sym: usize,
    import_index: u32,
    b: &'static Builtin,
) -> Function {
    let ty = env.module.func_type(import_index);
    let mut func =
        Function::with_name_signature(UserFuncName::user(0, sym as u32), wasm_signature(ty));
    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut ctx);
    let params = entry_block(&mut builder);
    let results = call_spawn(env, &mut builder, b, params[0], &params[1..]);
    builder.ins().return_(&results);
    builder.finalize(env.isa.frontend_config());
    func
}

/// `__wl_iN_thread_start(vmctx, tid, start_arg)` for `instance` (of
/// `env`'s source): instantiate into `vmctx`, then call the module's
/// `wasi_thread_start(tid, start_arg)`.
pub(crate) fn thread_start_function(env: &SourceEnv, instance: usize, sym: usize) -> Function {
    let mut sig = Signature::new(env.isa.default_call_conv());
    sig.params
        .push(AbiParam::special(PTR, ArgumentPurpose::VMContext));
    sig.params.push(AbiParam::new(types::I32));
    sig.params.push(AbiParam::new(types::I32));
    let mut func = Function::with_name_signature(UserFuncName::user(0, sym as u32), sig);
    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut ctx);
    let params = entry_block(&mut builder);
    let mut fenv = FuncEnv::new(env);
    fenv.set_vmctx(&mut builder, params[0]);
    emit_instantiation(&mut fenv, &mut builder, false, instance, true);
    let start = env
        .module
        .export(THREAD_START_EXPORT)
        .filter(|e| e.kind == ExternKind::Func)
        .expect("the resolver checked that a module binding thread-spawn exports its start");
    fenv.call(&mut builder, start.index, &params[1..3], false);
    builder.ins().return_(&[]);
    builder.finalize(env.isa.frontend_config());
    func
}

/// Whether a new instance of `m` can be freed when its thread has ended:
/// nothing outside it can have kept one of its functions (and so its
/// vmctx). It would have to pass one out: store it in an imported table
/// or a mutable imported global of a reference type, or give it to an
/// imported function taking a reference (the instance's own exports are
/// out of everyone else's reach). A module that defines a memory is kept
/// too: memories are not freed.
pub(crate) fn reclaimable(m: &ModuleInfo) -> bool {
    let is_ref = |t: &ValType| matches!(t, ValType::Ref(_));
    let passes_out = |ty: &ExternType| match ty {
        ExternType::Table(_) => true,
        ExternType::Global(g) => g.mutable && is_ref(&g.content_type),
        ExternType::Func(f) => f.params().iter().any(is_ref),
        _ => false,
    };
    !m.imports.iter().any(|i| passes_out(&i.ty))
        && m.memories.len() as u32 == m.num_imported_memories
}

/// An offset or address inside an image, as the `u32` the contract stores.
fn image_u32(value: i64) -> u32 {
    u32::try_from(value).expect("an instance image is smaller than 4 GiB")
}

/// The image, its relocations and the spawn context of every instance that
/// binds `thread-spawn`, as (data object index, contents). `data` holds
/// every other data object of the program already (the vmctx, element
/// arrays and lower contexts the images copy).
pub(crate) fn thread_objects(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
    data: &[Option<DataObject>],
) -> Vec<(usize, DataObject)> {
    let object = |index: usize| -> &DataObject {
        data[index]
            .as_ref()
            .expect("vmctx and element arrays are laid out before the images")
    };
    let mut out = Vec::new();
    for (instance, syms) in plan.thread_instances() {
        // The vmctx first, then each element array.
        let mut parts = vec![(plan.vmctx(instance), 0u32)];
        let mut bytes = object(plan.vmctx(instance)).bytes.clone();
        let elems = (0..graph.module(instance).elements.len() as u32)
            .map(|e| plan.elem_segment(instance, e));
        let contexts = (plan.lower_contexts())
            .filter(|((i, _), _)| *i == instance)
            .map(|(_, d)| d);
        for d in elems.chain(contexts) {
            let at = bytes.len().next_multiple_of(8);
            bytes.resize(at, 0);
            bytes.extend_from_slice(&object(d).bytes);
            parts.push((d, image_u32(at as i64)));
        }
        let mut relocs = Vec::new();
        let mut own = Vec::new();
        for &(d, at) in &parts {
            for r in &object(d).relocs {
                let offset = at + r.offset;
                let inside = parts
                    .iter()
                    .find(|(p, _)| r.target == SymbolRef::Data(*p))
                    .map(|&(_, base)| base);
                match inside {
                    // The linker leaves the word zero; the runtime fills it.
                    Some(base) => own.push(ImageReloc {
                        offset,
                        target: image_u32(i64::from(base) + r.addend),
                    }),
                    None => relocs.push(DataReloc {
                        offset,
                        target: r.target,
                        addend: r.addend,
                    }),
                }
            }
        }
        let image_len = bytes.len() as u64;
        let decl = |index: usize| plan.data[index].clone();
        out.push((
            syms.image,
            DataObject {
                decl: decl(syms.image),
                align: u64::from(IMAGE_ALIGN),
                bytes,
                relocs,
            },
        ));
        let m = graph.module(instance);
        let layout = &layouts[graph.instances[instance].source];
        let tables: Vec<u32> = (m.num_imported_tables..m.tables.len() as u32)
            .map(|t| layout.tables[t as usize])
            .collect();
        let mut table = Vec::with_capacity(own.len() * IMAGE_RELOC_SIZE as usize);
        for r in &own {
            table.extend_from_slice(&r.offset.to_le_bytes());
            table.extend_from_slice(&r.target.to_le_bytes());
        }
        let tables_at = table.len() as i64;
        for t in &tables {
            table.extend_from_slice(&t.to_le_bytes());
        }
        if table.is_empty() {
            // Keep every object non-empty so each has a distinct address.
            table.resize(IMAGE_RELOC_SIZE as usize, 0);
        }
        out.push((
            syms.relocs,
            DataObject {
                decl: decl(syms.relocs),
                align: 4,
                bytes: table,
                relocs: Vec::new(),
            },
        ));
        let mut cx = vec![0u8; THREAD_SPAWN_CONTEXT_SIZE as usize];
        let mut put_u64 = |at: u32, v: u64| {
            cx[at as usize..at as usize + 8].copy_from_slice(&v.to_le_bytes());
        };
        put_u64(thread_field::IMAGE_LEN, image_len);
        put_u64(thread_field::RELOC_COUNT, own.len() as u64);
        put_u64(thread_field::RECLAIM, u64::from(reclaimable(m)));
        put_u64(thread_field::TABLE_COUNT, tables.len() as u64);
        let reloc = |offset: u32, target: SymbolRef| DataReloc {
            offset,
            target,
            addend: 0,
        };
        out.push((
            syms.context,
            DataObject {
                decl: decl(syms.context),
                align: 8,
                bytes: cx,
                relocs: vec![
                    reloc(thread_field::IMAGE, SymbolRef::Data(syms.image)),
                    reloc(thread_field::RELOCS, SymbolRef::Data(syms.relocs)),
                    reloc(thread_field::START, SymbolRef::Func(syms.start)),
                    DataReloc {
                        offset: thread_field::TABLES,
                        target: SymbolRef::Data(syms.relocs),
                        addend: tables_at,
                    },
                ],
            },
        ));
    }
    out
}
