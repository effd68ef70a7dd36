//! Calls of lowered WASI 0.2 functions (`Binding::Lowered`).
//!
//! Every lowered import of every instance has a static `LowerContext`
//! (`statics.rs` fills it: the stack-limit cell, the options' memory, the
//! `realloc` trampoline and its vmctx, the string encoding, the component
//! instance). The import's funcref slot in the instance's vmctx holds the
//! import's wrapper with that context as its vmctx, so
//!
//! * a direct call loads the context from the caller's own funcref slot
//!   and calls the runtime function `(cx, params…)`;
//! * a call through a funcref (tables, dynamic linking, an exported
//!   import) reaches the wrapper, a wasm-convention function whose vmctx
//!   is the context, which does the same.
//!
//! After the call, the runtime's verdict is in the context's `trap` cell:
//! non-zero is a [`Trap`] code, and the caller traps with it at a trap
//! site of its own, so the report names the calling function.
//!
//! A `realloc` trampoline is the C-convention function the runtime calls
//! to allocate in the caller's memory: `(vmctx, old_ptr, old_size, align,
//! new_size) -> ptr`, a call of the wasm function with that vmctx.

use crate::env::{
    declare_func, entry_block, pointer_first_signature, trusted_readonly, wasm_signature, FuncEnv,
    SourceEnv, PTR,
};
use crate::symbols::SymbolPlan;
use crate::traps::clif_trap;
use cranelift_codegen::ir::{
    condcodes::IntCC, types, Function, InstBuilder, MemFlagsData, UserFuncName, Value,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use wasmlink_abi::{field, lower_field, Trap};
use wasmlink_graph::{Binding, InstanceGraph, LoweredBuiltin, SourceId};
use wasmlink_module::ExternKind;

/// The traps a lowered call can report through its context.
const LOWERED_TRAPS: [Trap; 7] = [
    Trap::InvalidResourceHandle,
    Trap::HandleStillBorrowed,
    Trap::ResourceHasChildren,
    Trap::InvalidString,
    Trap::InvalidArgument,
    Trap::CannotLeaveInstance,
    Trap::MemoryOutOfBounds,
];

/// What the runtime's own `wasmlink:canon` `trap` may leave: the traps
/// of fused adapters.
const CANON_TRAPS: [Trap; 13] = [
    Trap::InvalidUtf8,
    Trap::InvalidUtf16,
    Trap::StringOutOfBounds,
    Trap::ListOutOfBounds,
    Trap::UnalignedPointer,
    Trap::PointerOutOfBounds,
    Trap::InvalidChar,
    Trap::InvalidDiscriminant,
    Trap::CannotEnterInstance,
    Trap::CannotLeaveInstance,
    Trap::UnknownHandle,
    Trap::HandleStillBorrowed,
    Trap::ExceptionLeftComponent,
];

impl FuncEnv<'_> {
    /// The `LowerContext` of lowered import `index` of the calling
    /// instance: the vmctx of its funcref slot.
    pub fn lower_context(&mut self, builder: &mut FunctionBuilder, index: u32) -> Value {
        let slot = self.funcref(builder, index);
        builder
            .ins()
            .load(PTR, trusted_readonly(), slot, field::FUNC_REF_VMCTX)
    }

    /// Call lowered builtin `b` with context `cx`, then trap with the code
    /// the runtime left in the context, if any.
    pub fn call_lowered(
        &mut self,
        builder: &mut FunctionBuilder,
        b: &'static LoweredBuiltin,
        cx: Value,
        args: &[Value],
    ) -> Vec<Value> {
        let sig = pointer_first_signature(self.src.isa, b.params, b.results);
        let func = self.src.plan.lowered(b);
        let fref = declare_func(builder, func, sig, false);
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(cx);
        all.extend_from_slice(args);
        let call = builder.ins().call(fref, &all);
        let results = builder.inst_results(call).to_vec();
        let traps: &[Trap] = if b.interface == "wasmlink:canon" {
            &CANON_TRAPS
        } else {
            &LOWERED_TRAPS
        };
        check_trap_cell(builder, cx, traps);
        results
    }
}

/// Trap with the code in `cx`'s trap cell when it is not zero.
fn check_trap_cell(builder: &mut FunctionBuilder, cx: Value, traps: &[Trap]) {
    let code = builder
        .ins()
        .load(types::I32, MemFlagsData::trusted(), cx, lower_field::TRAP);
    let trap_block = builder.create_block();
    let done = builder.create_block();
    builder.ins().brif(code, trap_block, &[], done, &[]);
    builder.seal_block(trap_block);
    builder.switch_to_block(trap_block);
    builder.set_cold_block(trap_block);
    for &t in traps {
        let is = builder
            .ins()
            .icmp_imm_u(IntCC::Equal, code, i64::from(t.code()));
        builder.ins().trapnz(is, clif_trap(t));
    }
    // A code the caller does not know: a runtime bug, still a trap.
    builder.ins().trap(clif_trap(Trap::Unreachable));
    builder.seal_block(done);
    builder.switch_to_block(done);
}

/// The wrapper of lowered import `import_index` of `env`'s source: the
/// wasm-convention function a funcref of the import calls, whose vmctx is
/// the import's `LowerContext`.
pub(crate) fn lowered_wrapper(env: &SourceEnv, sym: usize, import_index: u32) -> Function {
    let m = env.module;
    let slot = m
        .imports
        .iter()
        .position(|i| i.ty.kind() == ExternKind::Func && i.index == import_index)
        .expect("a wrapper is planned for an imported function");
    let b = env
        .graph
        .instances
        .iter()
        .filter(|i| i.source == env.source)
        .find_map(|i| match i.imports[slot] {
            Binding::Lowered(l) => Some(l.func),
            _ => None,
        })
        .expect("a wrapper is planned only for lowered imports");
    let ty = m.func_type(import_index);
    let mut func =
        Function::with_name_signature(UserFuncName::user(0, sym as u32), wasm_signature(ty));
    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut ctx);
    let params = entry_block(&mut builder);
    let mut fenv = FuncEnv::new(env);
    // No stack check: the wrapper only calls the runtime, and its vmctx
    // is a context, whose stack-limit pointer is the program's anyway.
    let cx = params[0];
    let results = fenv.call_lowered(&mut builder, b, cx, &params[1..]);
    builder.ins().return_(&results);
    builder.finalize(env.isa.frontend_config());
    func
}

/// The C-convention trampoline of defined function `index` of `source`,
/// used as `realloc`: `(vmctx, old_ptr, old_size, align, new_size) ->
/// ptr`.
pub(crate) fn realloc_trampoline(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    isa: &dyn TargetIsa,
    sym: usize,
    source: SourceId,
    index: u32,
) -> Function {
    let ty = graph.sources[source].module.func_type(index);
    let sig = pointer_first_signature(isa, ty.params(), ty.results());
    let mut func = Function::with_name_signature(UserFuncName::user(0, sym as u32), sig);
    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut ctx);
    let params = entry_block(&mut builder);
    let callee = declare_func(
        &mut builder,
        plan.defined_func(graph, source, index),
        wasm_signature(ty),
        true,
    );
    let call = builder.ins().call(callee, &params);
    let results = builder.inst_results(call).to_vec();
    builder.ins().return_(&results);
    builder.finalize(isa.frontend_config());
    func
}
