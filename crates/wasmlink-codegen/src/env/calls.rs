//! The calls a translated function makes: to functions of its own
//! instance and of others (direct, through a table or a funcref), to the
//! builtins a graph links in, and into the runtime.

use super::{
    emit_wasm_call, pointer_first_signature, scalar_type, vmctx_free_signature, wasm_signature,
    Callee, FuncEnv, ImportCall, PTR,
};
use crate::traps::clif_trap;
use crate::unwind::emit_call;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Signature, Value};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;
use wasmlink_abi::{field, RuntimeFn, Trap};
use wasmlink_graph::Builtin;

impl FuncEnv<'_> {
    /// Call function `index` of this module with wasm arguments `args`;
    /// returns the wasm results. With `tail` set the call is a `return_call`
    /// and the returned vector is empty.
    pub fn call(
        &mut self,
        builder: &mut FunctionBuilder,
        index: u32,
        args: &[Value],
        tail: bool,
    ) -> Vec<Value> {
        let m = self.module();
        let type_index = m.funcs[index as usize].type_index;
        let ty = &m.types[type_index as usize];
        let vmctx = self.vmctx();
        let (func, callee_vmctx) = if index >= m.num_imported_funcs {
            let f = self
                .src
                .plan
                .defined_func(self.src.graph, self.src.source, index);
            (f, (!self.src.is_vmctx_free(index)).then_some(vmctx))
        } else {
            match self.src.import_calls[index as usize] {
                ImportCall::Direct { func, vmctx } => {
                    let callee_vmctx = self.data_addr(builder, vmctx);
                    (func, Some(callee_vmctx))
                }
                ImportCall::Lowered(b) => {
                    let cx = self.lower_context(builder, index);
                    let results = self.call_lowered(builder, b, cx, args);
                    if tail {
                        self.emit_return(builder, &results);
                        return Vec::new();
                    }
                    return results;
                }
                ImportCall::Builtin(b) => {
                    let results = if b.is_thread_spawn() {
                        self.call_thread_spawn(builder, b, index, args)
                    } else {
                        self.call_builtin(builder, b, args)
                    };
                    if tail {
                        self.emit_return(builder, &results);
                        return Vec::new();
                    }
                    return results;
                }
                ImportCall::Indirect => {
                    let slot = self.funcref(builder, index);
                    return self.call_funcref(builder, slot, type_index, args, tail);
                }
            }
        };
        let sig = if callee_vmctx.is_some() {
            wasm_signature(ty)
        } else {
            vmctx_free_signature(ty)
        };
        let fref = self.func_ref(builder, func, sig, true, type_index);
        let kind = self.call_kind(tail);
        emit_wasm_call(builder, ty, Callee::Direct(fref), callee_vmctx, args, kind)
    }

    /// Call through a non-null `VMFuncRef` pointer whose signature is known
    /// to be type `type_index`.
    pub fn call_funcref(
        &mut self,
        builder: &mut FunctionBuilder,
        funcref: Value,
        type_index: u32,
        args: &[Value],
        tail: bool,
    ) -> Vec<Value> {
        let flags = MemFlagsData::trusted();
        let code = builder
            .ins()
            .load(PTR, flags, funcref, field::FUNC_REF_CODE);
        let callee_vmctx = builder
            .ins()
            .load(PTR, flags, funcref, field::FUNC_REF_VMCTX);
        let sig = self.sig_ref(builder, type_index);
        let ty = &self.module().types[type_index as usize];
        let kind = self.call_kind(tail);
        emit_wasm_call(
            builder,
            ty,
            Callee::Indirect { sig, code },
            Some(callee_vmctx),
            args,
            kind,
        )
    }

    /// `call_indirect (type type_index) table`: bounds, null and signature
    /// checks, then the call.
    pub fn call_indirect(
        &mut self,
        builder: &mut FunctionBuilder,
        table: u32,
        type_index: u32,
        callee: Value,
        args: &[Value],
        tail: bool,
    ) -> Vec<Value> {
        if let Some(e) = self.static_entry(builder, table, type_index, callee) {
            return self.call_static_entry(builder, e, type_index, args, tail);
        }
        if let Some(targets) = self.dispatch_targets(table, type_index) {
            return self.call_dispatched(builder, &targets, table, type_index, callee, args, tail);
        }
        self.checked_call_indirect(builder, table, type_index, callee, args, tail)
    }

    /// A direct call of a table entry known at build time.
    pub(crate) fn call_static_entry(
        &mut self,
        builder: &mut FunctionBuilder,
        e: crate::devirt::StaticEntry,
        type_index: u32,
        args: &[Value],
        tail: bool,
    ) -> Vec<Value> {
        let ty = &self.module().types[type_index as usize];
        let fref = self.func_ref(builder, e.func, wasm_signature(ty), true, type_index);
        let callee_vmctx = self.data_addr(builder, e.vmctx);
        let kind = self.call_kind(tail);
        emit_wasm_call(
            builder,
            ty,
            Callee::Direct(fref),
            Some(callee_vmctx),
            args,
            kind,
        )
    }

    /// `call_indirect` as the spec says it: bounds, null and signature
    /// checks, then a call through the entry.
    pub(crate) fn checked_call_indirect(
        &mut self,
        builder: &mut FunctionBuilder,
        table: u32,
        type_index: u32,
        callee: Value,
        args: &[Value],
        tail: bool,
    ) -> Vec<Value> {
        let addr = self.table_elem_addr(builder, table, callee, Trap::UndefinedElement);
        let funcref = builder.ins().load(PTR, MemFlagsData::trusted(), addr, 0);
        builder
            .ins()
            .trapz(funcref, clif_trap(Trap::UninitializedElement));
        let actual = builder.ins().load(
            types::I64,
            MemFlagsData::trusted(),
            funcref,
            field::FUNC_REF_TYPE_ID,
        );
        let matches = self.type_matches(builder, actual, type_index);
        builder
            .ins()
            .trapz(matches, clif_trap(Trap::IndirectCallTypeMismatch));
        self.call_funcref(builder, funcref, type_index, args, tail)
    }

    /// Call a runtime builtin (WASI) with the caller's WASI memory.
    pub fn call_builtin(
        &mut self,
        builder: &mut FunctionBuilder,
        b: &'static Builtin,
        args: &[Value],
    ) -> Vec<Value> {
        let sig = pointer_first_signature(self.src.isa, b.params, b.results);
        let func = self.src.plan.builtin(b);
        let fref = self.func_ref(builder, func, sig, false, u32::MAX);
        let mem = self.wasi_memory(builder);
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(mem);
        all.extend_from_slice(args);
        let call = builder.ins().call(fref, &all);
        let results = builder.inst_results(call).to_vec();
        if b.never_returns() {
            // proc_exit does not come back; keep the CFG honest.
            builder.ins().trap(clif_trap(Trap::Unreachable));
            let dead = builder.create_block();
            builder.switch_to_block(dead);
            builder.seal_block(dead);
        }
        results
    }

    /// Call a runtime helper (C convention).
    pub fn call_runtime(
        &mut self,
        builder: &mut FunctionBuilder,
        f: RuntimeFn,
        args: &[Value],
    ) -> Vec<Value> {
        // `wasmlink_throw` is called with the tail convention: under it
        // Cranelift treats every register as clobbered on the exceptional
        // edge (as for calls of wasm functions), so the unwinder restores
        // none. Its one argument and result use the same registers as in
        // the C convention.
        let conv = if f == RuntimeFn::Throw {
            CallConv::Tail
        } else {
            self.src.isa.default_call_conv()
        };
        let mut sig = Signature::new(conv);
        sig.params
            .extend(f.params().iter().map(|s| AbiParam::new(scalar_type(*s))));
        sig.returns.push(AbiParam::new(scalar_type(f.result())));
        let func = self.src.plan.runtime(f);
        let fref = self.func_ref(builder, func, sig, false, u32::MAX - 1);
        // Only `wasmlink_throw` unwinds; the handlers of the position
        // apply to it like to any call.
        let catch = if f == RuntimeFn::Throw {
            self.catch()
        } else {
            None
        };
        emit_call(builder, Callee::Direct(fref), args, catch)
    }

    /// Call a runtime helper returning a status word and trap with `trap`
    /// when it is non-zero.
    pub fn call_runtime_checked(
        &mut self,
        builder: &mut FunctionBuilder,
        f: RuntimeFn,
        args: &[Value],
        trap: Trap,
    ) {
        let status = self.call_runtime(builder, f, args)[0];
        builder.ins().trapnz(status, clif_trap(trap));
    }
}
