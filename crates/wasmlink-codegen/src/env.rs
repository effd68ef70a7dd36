//! What translated code needs to know about its surroundings: where the
//! instance state is, how to reach memories, tables and globals, and how each
//! call is made. The translator (`translate.rs`) asks; this module answers
//! from the vmctx layout, the symbol plan and the resolved graph. The calls
//! themselves are in `env/calls.rs`.

mod calls;

use crate::layout::VmLayout;
use crate::symbols::{SymbolPlan, TypeIds};
use crate::traps::clif_trap;
use crate::unwind::{emit_call, Catch, Handler};
use cranelift_codegen::ir::{
    condcodes::IntCC, types, AbiParam, ArgumentPurpose, ExtFuncData, ExternalName, FuncRef,
    Function, GlobalValue, GlobalValueData, InstBuilder, MemFlagsData, SigRef, Signature,
    StackSlotData, StackSlotKind, Type, UserExternalName, UserFuncName, Value,
};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_frontend::FunctionBuilder;
use std::collections::HashMap;
use wasmlink_abi::{field, size, Scalar, Trap};
use wasmlink_graph::{Builtin, InstanceGraph, LoweredBuiltin, SourceId};
use wasmlink_module::wasmparser::{FuncType, ValType};
use wasmlink_module::{ExternKind, ModuleInfo};

/// Pointer type of generated code (the contract's pointers are 8 bytes).
pub const PTR: Type = types::I64;

/// The Cranelift type a C-convention value of the runtime contract is
/// passed as.
pub fn scalar_type(s: Scalar) -> Type {
    match s {
        Scalar::I32 => types::I32,
        Scalar::I64 => types::I64,
        Scalar::Pointer => PTR,
    }
}

/// How a call to an imported function is made from one source's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportCall {
    /// Every instance of the source binds it to the same definition: a
    /// direct call to `func` (a function symbol) with `vmctx` (a data symbol)
    /// as the callee's vmctx.
    Direct { func: usize, vmctx: usize },
    /// A runtime builtin, called directly with the caller's WASI memory.
    Builtin(&'static Builtin),
    /// A lowered WASI 0.2 function, called directly with the caller's
    /// `LowerContext` (see `lowered.rs`).
    Lowered(&'static LoweredBuiltin),
    /// Through the `VMFuncRef` slot in the caller's vmctx (instances of the
    /// source disagree, or the graph is linked dynamically).
    Indirect,
}

/// The Cranelift type of a Wasm value type.
pub fn clif_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => types::I32,
        ValType::I64 => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
        ValType::Ref(_) => PTR,
    }
}

/// The most results a wasm function returns in registers. Cranelift's x64
/// tail-call convention has no more return registers than this; functions
/// with more results (multi-value allows any number) return them through an
/// area the caller provides, one value slot (`size::VALUE_SLOT` bytes) per
/// result, whose address is passed right after the vmctx.
pub const MAX_REGISTER_RESULTS: usize = 8;

/// Offset of value slot `i` of a return area or an array of value slots.
/// Validation limits a function to 1000 parameters and results, far below
/// what would overflow.
pub fn slot_offset(i: usize) -> i32 {
    i32::try_from(i * size::VALUE_SLOT as usize).expect("validated value counts are small")
}

/// Whether functions of type `ty` return through a caller-provided area.
pub fn uses_return_area(ty: &FuncType) -> bool {
    ty.results().len() > MAX_REGISTER_RESULTS
}

/// The signature of a wasm function: callee vmctx first, then the return
/// area if [`uses_return_area`], then the params.
pub fn wasm_signature(ty: &FuncType) -> Signature {
    let mut sig = vmctx_free_signature(ty);
    sig.params
        .insert(0, AbiParam::special(PTR, ArgumentPurpose::VMContext));
    sig
}

/// [`wasm_signature`] without the vmctx: the signature of a function
/// only direct calls reach and that finds its state at link-time
/// addresses (see `crate::fixed_state::vmctx_free_functions`).
pub fn vmctx_free_signature(ty: &FuncType) -> Signature {
    let mut sig = Signature::new(CallConv::Tail);
    if uses_return_area(ty) {
        sig.params.push(AbiParam::new(PTR));
    } else {
        sig.returns
            .extend(ty.results().iter().map(|t| AbiParam::new(clif_type(*t))));
    }
    sig.params
        .extend(ty.params().iter().map(|t| AbiParam::new(clif_type(*t))));
    sig
}

/// The signature of a function of the platform's convention that takes a
/// pointer first (a WASI memory, a lowering context, a vmctx), then Wasm
/// values `params`, and returns Wasm values `results`: the runtime's
/// builtins and the wrappers the host calls Wasm functions through.
pub fn pointer_first_signature(
    isa: &dyn TargetIsa,
    params: &[ValType],
    results: &[ValType],
) -> Signature {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(PTR));
    sig.params
        .extend(params.iter().map(|t| AbiParam::new(clif_type(*t))));
    sig.returns
        .extend(results.iter().map(|t| AbiParam::new(clif_type(*t))));
    sig
}

/// An empty function `sym` of the Wasm calling convention whose one
/// parameter is a vmctx (instantiation functions, the dead-code trap).
pub(crate) fn vmctx_function(sym: usize) -> Function {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params
        .push(AbiParam::special(PTR, ArgumentPurpose::VMContext));
    Function::with_name_signature(UserFuncName::user(0, sym as u32), sig)
}

/// How a wasm call reaches its callee.
#[derive(Clone, Copy)]
pub enum Callee {
    Direct(FuncRef),
    Indirect { sig: SigRef, code: Value },
}

/// What happens after a wasm call.
#[derive(Clone, Copy)]
pub enum CallKind<'h> {
    /// The caller continues, under `catch`'s exception handlers (if any);
    /// a callee that uses a return area writes its results in `area`, or
    /// (`None`) in one this frame allocates.
    Continue {
        area: Option<Value>,
        catch: Option<Catch<'h>>,
    },
    /// A tail call: the callee returns straight to the caller's caller,
    /// so it must get the caller's own return area (if it has one), and
    /// the caller's handlers no longer apply (as the spec says).
    Tail(Option<Value>),
}

/// Emit a call of a wasm function of type `ty` and return its results
/// (nothing for a tail call).
pub fn emit_wasm_call(
    builder: &mut FunctionBuilder,
    ty: &FuncType,
    callee: Callee,
    vmctx: Option<Value>,
    args: &[Value],
    kind: CallKind,
) -> Vec<Value> {
    let mut all = Vec::with_capacity(args.len() + 2);
    all.extend(vmctx);
    let (tail, area, catch) = match kind {
        CallKind::Continue { area, catch } => (false, area, catch),
        CallKind::Tail(area) => (true, area, None),
    };
    let area = uses_return_area(ty).then(|| {
        area.unwrap_or_else(|| {
            let size = size::VALUE_SLOT * ty.results().len() as u32;
            let slot = builder.create_sized_stack_slot(StackSlotData::new(
                StackSlotKind::ExplicitSlot,
                size,
                4,
            ));
            builder.ins().stack_addr(PTR, slot, 0)
        })
    });
    all.extend(area);
    all.extend_from_slice(args);
    match (callee, tail) {
        (Callee::Direct(f), true) => {
            builder.ins().return_call(f, &all);
            return Vec::new();
        }
        (Callee::Indirect { sig, code }, true) => {
            builder.ins().return_call_indirect(sig, code, &all);
            return Vec::new();
        }
        (_, false) => {}
    }
    let results = emit_call(builder, callee, &all, catch);
    match area {
        Some(area) => ty
            .results()
            .iter()
            .enumerate()
            .map(|(i, t)| {
                builder
                    .ins()
                    .load(clif_type(*t), MemFlagsData::trusted(), area, slot_offset(i))
            })
            .collect(),
        None => results,
    }
}

/// Give `func` Cranelift's stack check: its limit as a chain of loads
/// from the vmctx parameter (vmctx slot `slot` → the program's limit cell
/// → the limit), compared with the frame's bottom in the prologue.
pub fn install_stack_limit(func: &mut Function, slot: u32) {
    let flags = func.dfg.mem_flags.insert_unchecked(MemFlagsData::trusted());
    let vmctx = func.create_global_value(GlobalValueData::VMContext);
    let cell = func.create_global_value(GlobalValueData::Load {
        base: vmctx,
        offset: (slot as i32).into(),
        global_type: PTR,
        flags,
    });
    func.stack_limit = Some(func.create_global_value(GlobalValueData::Load {
        base: cell,
        offset: 0.into(),
        global_type: PTR,
        flags,
    }));
}

/// A global value for the address of data object `data` of the program.
pub fn data_symbol(builder: &mut FunctionBuilder, data: usize) -> GlobalValue {
    let name = builder
        .func
        .declare_imported_user_function(UserExternalName::new(1, data as u32));
    builder.func.create_global_value(GlobalValueData::Symbol {
        name: ExternalName::user(name),
        offset: 0.into(),
        colocated: true,
        tls: false,
    })
}

/// The address of data object `data`, as a value.
pub fn data_addr(builder: &mut FunctionBuilder, data: usize) -> Value {
    let gv = data_symbol(builder, data);
    builder.ins().symbol_value(PTR, gv)
}

/// A callable reference to function symbol `func` with signature `sig`;
/// `colocated` for functions of the same object (a direct PC-relative call),
/// not for the runtime's.
pub fn declare_func(
    builder: &mut FunctionBuilder,
    func: usize,
    sig: Signature,
    colocated: bool,
) -> FuncRef {
    let name = builder
        .func
        .declare_imported_user_function(UserExternalName::new(0, func as u32));
    let signature = builder.import_signature(sig);
    builder.import_function(ExtFuncData {
        name: ExternalName::user(name),
        signature,
        colocated,
        patchable: false,
    })
}

/// Create the entry block with the function's parameters, switch to it and
/// return the parameter values.
pub fn entry_block(builder: &mut FunctionBuilder) -> Vec<Value> {
    let block = builder.create_block();
    builder.append_block_params_for_function_params(block);
    builder.switch_to_block(block);
    builder.seal_block(block);
    builder.block_params(block).to_vec()
}

/// Everything shared by all functions of one source.
pub struct SourceEnv<'a> {
    pub graph: &'a InstanceGraph,
    pub source: SourceId,
    pub module: &'a ModuleInfo,
    pub layout: &'a VmLayout,
    pub plan: &'a SymbolPlan,
    pub type_ids: &'a TypeIds,
    pub isa: &'a dyn TargetIsa,
    /// `import_calls[i]` for imported function index `i`.
    pub import_calls: Vec<ImportCall>,
    /// With the `fixed-state` optimisation, the vmctx data object of the
    /// source's only instance: its functions reach their state at that
    /// link-time address instead of through the vmctx parameter.
    pub fixed_vmctx: Option<usize>,
    /// The vmctx layout of every source (where `fixed-state` finds an
    /// imported item in its definer's vmctx).
    pub layouts: &'a [VmLayout],
    /// With the `devirtualize` optimisation, for a source with one
    /// instance (`only_instance`): the tables whose contents are known at
    /// build time.
    pub static_tables: Option<&'a crate::devirt::StaticTables>,
    /// The source's instance when it has only one and it spawns no
    /// threads (its code then runs for that instance only).
    pub only_instance: Option<usize>,
    /// For a source whose code never runs in an instance made at run time:
    /// its stack checks may read the program's limit cell at its link-time
    /// address (see `crate::stack_checks`).
    pub fixed_stack_limit: bool,
    /// With the `dead-code` optimisation: what the program can use
    /// (instantiation leaves dead globals, tables and segments alone).
    pub live: Option<&'a crate::reach::Reachable>,
    /// With `fixed-state`, indexed by function index: the defined
    /// functions that take no vmctx parameter (empty without it).
    pub vmctx_free: Vec<bool>,
    /// With `fixed-state`: the program's memory at the fixed address, as
    /// (defining instance, memory index) (`crate::fixed_state::fixed_memory`).
    pub fixed_memory: Option<(usize, u32)>,
}

impl SourceEnv<'_> {
    /// Whether function `index` of this source takes no vmctx parameter.
    pub fn is_vmctx_free(&self, index: u32) -> bool {
        self.vmctx_free
            .get(index as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The signature of defined function `index` of this source.
    pub fn func_signature(&self, index: u32) -> Signature {
        let ty = self.module.func_type(index);
        if self.is_vmctx_free(index) {
            vmctx_free_signature(ty)
        } else {
            wasm_signature(ty)
        }
    }
}

/// The environment of the one function being translated.
pub struct FuncEnv<'a> {
    pub src: &'a SourceEnv<'a>,
    /// The function's vmctx parameter; set by [`FuncEnv::set_vmctx`].
    vmctx: Option<Value>,
    /// Where this function writes its results, if its type
    /// [`uses_return_area`]; set by [`FuncEnv::enter`].
    return_area: Option<Value>,
    func_refs: HashMap<(u32, usize), FuncRef>,
    sig_refs: HashMap<u32, SigRef>,
    data_gvs: HashMap<usize, GlobalValue>,
    /// The exception handlers active at the current position, innermost
    /// first (kept by the translator; empty outside `try` blocks).
    pub handlers: Vec<Handler>,
}

/// Flags for loads of values that never change once the program runs:
/// memory bases (memories are reserved in place and never move) and the
/// linker-filled pointers to imported memories, tables and globals. Marking
/// them movable lets Cranelift hoist them out of loops and drop unused ones.
pub(crate) fn trusted_readonly() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

impl<'a> FuncEnv<'a> {
    pub fn new(src: &'a SourceEnv<'a>) -> Self {
        FuncEnv {
            src,
            vmctx: None,
            return_area: None,
            func_refs: HashMap::new(),
            sig_refs: HashMap::new(),
            data_gvs: HashMap::new(),
            handlers: Vec::new(),
        }
    }

    pub fn module(&self) -> &'a ModuleInfo {
        self.src.module
    }

    /// Record the entry block's vmctx parameter and install the stack limit
    /// check (the function traps with `call stack exhausted` on entry when
    /// its frame would cross `wasmlink_stack_limit`).
    pub fn set_vmctx(&mut self, builder: &mut FunctionBuilder, vmctx: Value) {
        self.vmctx = Some(vmctx);
        install_stack_limit(builder.func, self.src.layout.stack_limit);
    }

    /// Take the entry block's parameters of a function of type `ty`: record
    /// the vmctx (a function without the parameter has a fixed-state
    /// source's link-time one) and the return area, and return the wasm
    /// parameters. The stack check is the compile driver's to add, after
    /// inlining (`compile::WholeProgram::wasm_function`): an inlined body
    /// must bring none along.
    pub fn enter(
        &mut self,
        builder: &mut FunctionBuilder,
        ty: &FuncType,
        params: &[Value],
    ) -> Vec<Value> {
        let takes_vmctx = builder.func.signature.params.first().map(|p| p.purpose)
            == Some(ArgumentPurpose::VMContext);
        let mut skip = 0;
        if takes_vmctx {
            self.vmctx = Some(params[0]);
            skip = 1;
        }
        if let Some(data) = self.src.fixed_vmctx {
            // A parameter that is passed (the function is reachable
            // through a funcref) is never read.
            self.vmctx = Some(data_addr(builder, data));
        }
        if uses_return_area(ty) {
            self.return_area = Some(params[skip]);
            skip += 1;
        }
        params[skip..].to_vec()
    }

    /// Return `results` from the function being translated.
    pub fn emit_return(&mut self, builder: &mut FunctionBuilder, results: &[Value]) {
        match self.return_area {
            Some(area) => {
                for (i, r) in results.iter().enumerate() {
                    builder
                        .ins()
                        .store(MemFlagsData::trusted(), *r, area, slot_offset(i));
                }
                builder.ins().return_(&[]);
            }
            None => {
                builder.ins().return_(results);
            }
        }
    }

    /// How a call from the function being translated ends.
    fn call_kind(&self, tail: bool) -> CallKind<'_> {
        if tail {
            CallKind::Tail(self.return_area)
        } else {
            CallKind::Continue {
                area: None,
                catch: self.catch(),
            }
        }
    }

    /// The active handlers, for a call that may throw.
    pub fn catch(&self) -> Option<Catch<'_>> {
        (!self.handlers.is_empty()).then(|| Catch {
            vmctx: self.vmctx(),
            handlers: &self.handlers,
        })
    }

    pub fn vmctx(&self) -> Value {
        self.vmctx.expect("set_vmctx is called at function entry")
    }

    /// A global value for the address of data object `data`.
    pub fn data_symbol(&mut self, builder: &mut FunctionBuilder, data: usize) -> GlobalValue {
        *self
            .data_gvs
            .entry(data)
            .or_insert_with(|| data_symbol(builder, data))
    }

    /// The address of data object `data`.
    pub fn data_addr(&mut self, builder: &mut FunctionBuilder, data: usize) -> Value {
        let gv = self.data_symbol(builder, data);
        builder.ins().symbol_value(PTR, gv)
    }

    /// A reference to function symbol `func` with signature `sig`.
    fn func_ref(
        &mut self,
        builder: &mut FunctionBuilder,
        func: usize,
        sig: Signature,
        colocated: bool,
        sig_key: u32,
    ) -> FuncRef {
        *self
            .func_refs
            .entry((sig_key, func))
            .or_insert_with(|| declare_func(builder, func, sig, colocated))
    }

    /// The imported signature for wasm type index `type_index`.
    pub fn sig_ref(&mut self, builder: &mut FunctionBuilder, type_index: u32) -> SigRef {
        if let Some(s) = self.sig_refs.get(&type_index) {
            return *s;
        }
        let s = builder.import_signature(wasm_signature(&self.module().types[type_index as usize]));
        self.sig_refs.insert(type_index, s);
        s
    }

    // ---- memories ----

    /// Pointer to the `VMMemory` of memory `index`.
    pub fn memory_struct(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        if let Some(addr) = self.fixed_import(builder, ExternKind::Memory, index) {
            return addr;
        }
        let off = self.src.layout.memories[index as usize];
        let vmctx = self.vmctx();
        if self.src.layout.memory_is_imported(index) {
            builder
                .ins()
                .load(PTR, trusted_readonly(), vmctx, off as i32)
        } else {
            builder.ins().iadd_imm_s(vmctx, off as i64)
        }
    }

    /// The base address of memory `index`. It never changes after
    /// instantiation, so the load is marked read-only (Cranelift may reuse it).
    pub fn memory_base(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        if let Some(base) = self.fixed_memory_base(index) {
            return builder.ins().iconst(PTR, base as i64);
        }
        if let Some(mem) = self.fixed_import(builder, ExternKind::Memory, index) {
            return builder
                .ins()
                .load(PTR, trusted_readonly(), mem, field::MEMORY_BASE);
        }
        let vmctx = self.vmctx();
        let off = self.src.layout.memories[index as usize] as i32;
        if self.src.layout.memory_is_imported(index) {
            let mem = builder.ins().load(PTR, trusted_readonly(), vmctx, off);
            builder
                .ins()
                .load(PTR, trusted_readonly(), mem, field::MEMORY_BASE)
        } else {
            builder
                .ins()
                .load(PTR, trusted_readonly(), vmctx, off + field::MEMORY_BASE)
        }
    }

    /// Current length of memory `index` in bytes (i64).
    pub fn memory_length(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        let mem = self.memory_struct(builder, index);
        builder.ins().load(
            types::I64,
            MemFlagsData::trusted(),
            mem,
            field::MEMORY_LENGTH,
        )
    }

    pub fn memory_is_64(&self, index: u32) -> bool {
        self.module().memories[index as usize].memory64
    }

    pub fn memory_is_shared(&self, index: u32) -> bool {
        self.module().memories[index as usize].shared
    }

    /// Pointer to the caller's WASI memory, or null.
    pub fn wasi_memory(&mut self, builder: &mut FunctionBuilder) -> Value {
        match self.module().wasi_memory() {
            Some(m) => self.memory_struct(builder, m),
            None => builder.ins().iconst(PTR, 0),
        }
    }

    // ---- tables ----

    /// Pointer to the `VMTable` of table `index`.
    pub fn table_struct(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        if let Some(addr) = self.fixed_import(builder, ExternKind::Table, index) {
            return addr;
        }
        let off = self.src.layout.tables[index as usize];
        let vmctx = self.vmctx();
        if self.src.layout.table_is_imported(index) {
            builder
                .ins()
                .load(PTR, trusted_readonly(), vmctx, off as i32)
        } else {
            builder.ins().iadd_imm_s(vmctx, off as i64)
        }
    }

    pub fn table_is_64(&self, index: u32) -> bool {
        self.module().tables[index as usize].table64
    }

    /// Address of element `index_val` of table `table` (an i32, or i64 for
    /// 64-bit tables), trapping with `trap` when it is out of bounds.
    pub fn table_elem_addr(
        &mut self,
        builder: &mut FunctionBuilder,
        table: u32,
        index_val: Value,
        trap: Trap,
    ) -> Value {
        let t = self.table_struct(builder, table);
        let len = builder
            .ins()
            .load(types::I64, MemFlagsData::trusted(), t, field::TABLE_LENGTH);
        let idx = if builder.func.dfg.value_type(index_val) == types::I64 {
            index_val
        } else {
            builder.ins().uextend(types::I64, index_val)
        };
        let oob = builder
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, idx, len);
        builder.ins().trapnz(oob, clif_trap(trap));
        let base = builder
            .ins()
            .load(PTR, MemFlagsData::trusted(), t, field::TABLE_BASE);
        let off = builder.ins().ishl_imm_u(idx, 3);
        builder.ins().iadd(base, off)
    }

    // ---- globals ----

    /// Address of the storage of global `index`.
    pub fn global_addr(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        if let Some(addr) = self.fixed_import(builder, ExternKind::Global, index) {
            return addr;
        }
        let off = self.src.layout.globals[index as usize];
        let vmctx = self.vmctx();
        if self.src.layout.global_is_imported(index) {
            builder
                .ins()
                .load(PTR, trusted_readonly(), vmctx, off as i32)
        } else {
            builder.ins().iadd_imm_s(vmctx, off as i64)
        }
    }

    // ---- functions and references ----

    /// `ref.func index`: the address of this instance's `VMFuncRef` slot.
    pub fn funcref(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        let vmctx = self.vmctx();
        builder
            .ins()
            .iadd_imm_s(vmctx, self.src.layout.funcref(index) as i64)
    }

    /// Pointer to the `Segment` slot of data segment `index`.
    pub fn data_segment(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        let vmctx = self.vmctx();
        builder
            .ins()
            .iadd_imm_s(vmctx, self.src.layout.data_segments[index as usize] as i64)
    }

    /// Pointer to the `Segment` slot of element segment `index`.
    pub fn elem_segment(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        let vmctx = self.vmctx();
        builder
            .ins()
            .iadd_imm_s(vmctx, self.src.layout.elem_segments[index as usize] as i64)
    }

    /// Whether signature id `actual` is that of type `type_index` or of one
    /// of its subtypes (an `i8` truth value).
    pub fn type_matches(
        &self,
        builder: &mut FunctionBuilder,
        actual: Value,
        type_index: u32,
    ) -> Value {
        let ids = self.src.type_ids.matching(self.module(), type_index);
        let mut ok = builder
            .ins()
            .icmp_imm_u(IntCC::Equal, actual, ids[0] as i64);
        for &id in &ids[1..] {
            let this = builder.ins().icmp_imm_u(IntCC::Equal, actual, id as i64);
            ok = builder.ins().bor(ok, this);
        }
        ok
    }

    /// The canonical signature id of type index `type_index`.
    pub fn type_id(&self, type_index: u32) -> u64 {
        self.src.type_ids.id(self.module(), type_index)
    }
}

/// Size in bytes of one vmctx funcref slot (for translators that index them).
pub const FUNC_REF_SIZE: u32 = size::VM_FUNC_REF;
