//! The adapter function itself: the caller's lowered signature in, a call
//! to the callee's lifted function in the middle, following `canon lower`
//! and `canon lift` for a synchronous call:
//!
//! 1. the caller may leave (not inside its `realloc` or `post-return`);
//! 2. every instance the call enters may be entered; mark them entered;
//! 3. (borrows) tell the handle tables a call that lends handles begins;
//! 4. copy the parameters into the callee's memory (the callee's
//!    `may_leave` cleared while its `realloc` runs);
//! 5. call the callee;
//! 6. (borrows) the call has returned: lent handles come back;
//! 7. copy the results into the caller's memory (the caller's `may_leave`
//!    cleared while its `realloc` runs);
//! 8. call the callee's `post-return` (its `may_leave` cleared);
//! 9. mark the entered instances enterable again and return.

use super::func::{FuncBuilder, Local, Operand};
use super::translate::{Dst, MemRef, Slot, Src, Translator};
use super::{ModuleCtx, Side, PARAMS, RESULTS};
use crate::contract::{AdapterTrap, FLAG_MAY_ENTER, FLAG_MAY_LEAVE};
use crate::flatten::{flatten_types, CoreSignature, CoreType};
use crate::layout::tuple_layout;
use crate::options::AdapterSpec;
use crate::types::ValType;
use wasm_encoder::{Function, Instruction as I};

pub(super) fn generate(
    ctx: &mut ModuleCtx,
    spec: &AdapterSpec,
    lowered: &CoreSignature,
    lifted: &CoreSignature,
) -> Function {
    // Exceptions never cross the boundary: every call of the other side's
    // code (callee, realloc, post-return) traps on one.
    let mut f = ctx.func_builder(&lowered.params);

    // 1. canon lower: the caller may not call out from realloc/post-return.
    if let Some(caller) = spec.caller.instance {
        f.push(I::GlobalGet(ctx.flags[&caller]));
        f.extend([I::I32Const(FLAG_MAY_LEAVE), I::I32And, I::I32Eqz]);
        f.trap_if(AdapterTrap::CannotLeaveComponent);
    }
    // 2. entering_set: test and clear may_enter.
    let mut entering: Vec<u32> = Vec::new();
    for &instance in &spec.entering {
        if !entering.contains(&instance) {
            entering.push(instance);
        }
    }
    for instance in &entering {
        let global = ctx.flags[instance];
        f.push(I::GlobalGet(global));
        f.extend([I::I32Const(FLAG_MAY_ENTER), I::I32And, I::I32Eqz]);
        f.trap_if(AdapterTrap::CannotEnterComponent);
        f.extend([
            I::GlobalGet(global),
            I::I32Const(!FLAG_MAY_ENTER),
            I::I32And,
            I::GlobalSet(global),
        ]);
    }
    // 3.
    if let Some(enter) = ctx.enter_call {
        f.push(I::Call(enter));
    }

    // 4. Parameters.
    let params = spec.ty.param_types();
    let callee_flags = ctx.flags[&spec.callee.instance];
    let saved = ctx
        .callee
        .realloc
        .map(|_| clear_may_leave(&mut f, callee_flags));
    let caller_params: Vec<Slot> = lowered
        .params
        .iter()
        .enumerate()
        .map(|(i, &ty)| f.param(i as u32, ty).into())
        .collect();
    let src = if lowered.params_in_memory {
        let ptr = f.param(0, CoreType::I32);
        Src::Mem(checked_tuple(
            &mut f,
            ctx.memory(Side::Caller),
            ptr,
            &params,
        ))
    } else {
        Src::Flat(&caller_params)
    };
    let callee_args: Vec<Slot>;
    let dst = if lifted.params_in_memory {
        let (size, align) = tuple_layout(&params);
        let ptr = f.local(CoreType::I32);
        f.realloc(
            ctx.realloc(Side::Callee),
            ctx.memory(Side::Callee),
            ptr,
            Operand::I32(0),
            Operand::I32(0),
            align,
            Operand::I32(size as i32),
        );
        callee_args = vec![ptr.into()];
        Dst::Mem(MemRef {
            mem: ctx.memory(Side::Callee),
            addr: ptr.idx,
            offset: 0,
        })
    } else {
        callee_args = new_slots(&mut f, &lifted.params);
        Dst::Flat(&callee_args)
    };
    let refs: Vec<&ValType> = params.iter().collect();
    Translator {
        ctx: &mut *ctx,
        f: &mut f,
        dir: PARAMS,
    }
    .fields(&refs, src, dst);
    if let Some(saved) = saved {
        restore(&mut f, callee_flags, saved);
    }

    // 5. The call.
    for slot in &callee_args {
        f.push(I::LocalGet(slot.local));
    }
    let guard = ctx.guard_types(&lifted.params, &lifted.results);
    f.call_guarded(ctx.callee_func, guard);
    let callee_results: Vec<Slot> = new_slots(&mut f, &lifted.results);
    for slot in callee_results.iter().rev() {
        f.push(I::LocalSet(slot.local));
    }

    // 6.
    if let Some(exit) = ctx.exit_call {
        f.push(I::Call(exit));
    }

    // 7. Results.
    let results = spec.ty.result_types();
    let mut caller_results: Vec<Slot> = Vec::new();
    if !results.is_empty() {
        let caller_flags = spec.caller.instance.map(|c| ctx.flags[&c]);
        let saved = match (ctx.caller.realloc, caller_flags) {
            (Some(_), Some(global)) => Some((global, clear_may_leave(&mut f, global))),
            _ => None,
        };
        let src = if lifted.results_in_memory {
            let ptr = Local {
                idx: callee_results[0].local,
                ty: CoreType::I32,
            };
            Src::Mem(checked_tuple(
                &mut f,
                ctx.memory(Side::Callee),
                ptr,
                &results,
            ))
        } else {
            Src::Flat(&callee_results)
        };
        let dst = if lowered.results_in_memory {
            let ptr = f.param(lowered.params.len() as u32 - 1, CoreType::I32);
            Dst::Mem(checked_tuple(
                &mut f,
                ctx.memory(Side::Caller),
                ptr,
                &results,
            ))
        } else {
            caller_results = new_slots(&mut f, &flatten_types(&results));
            Dst::Flat(&caller_results)
        };
        let refs: Vec<&ValType> = results.iter().collect();
        Translator {
            ctx: &mut *ctx,
            f: &mut f,
            dir: RESULTS,
        }
        .fields(&refs, src, dst);
        if let Some((global, saved)) = saved {
            restore(&mut f, global, saved);
        }
    }

    // 8. post-return, with the callee's results.
    if let Some(post_return) = ctx.post_return {
        let saved = clear_may_leave(&mut f, callee_flags);
        for slot in &callee_results {
            f.push(I::LocalGet(slot.local));
        }
        let results = lifted.results.clone();
        let guard = ctx.guard_types(&results, &[]);
        f.call_guarded(post_return, guard);
        restore(&mut f, callee_flags, saved);
    }

    // 9. leave_to: the entered instances may be entered again.
    for instance in &entering {
        let global = ctx.flags[instance];
        f.extend([
            I::GlobalGet(global),
            I::I32Const(FLAG_MAY_ENTER),
            I::I32Or,
            I::GlobalSet(global),
        ]);
    }
    for slot in &caller_results {
        f.push(I::LocalGet(slot.local));
    }
    f.finish()
}

/// Fresh locals for core values of `types`.
fn new_slots(f: &mut FuncBuilder, types: &[CoreType]) -> Vec<Slot> {
    types.iter().map(|&t| f.local(t).into()).collect()
}

/// Save an instance's flags and clear its `may_leave` bit.
fn clear_may_leave(f: &mut FuncBuilder, global: u32) -> Local {
    let saved = f.local(CoreType::I32);
    f.push(I::GlobalGet(global));
    f.tee(saved);
    f.extend([
        I::I32Const(!FLAG_MAY_LEAVE),
        I::I32And,
        I::GlobalSet(global),
    ]);
    saved
}

fn restore(f: &mut FuncBuilder, global: u32, saved: Local) {
    f.get(saved);
    f.push(I::GlobalSet(global));
    f.free(saved);
}

/// A pointer to a tuple of `types` that the other side handed over (spilled
/// parameters, returned results, a return area): check alignment and
/// bounds, then address it.
fn checked_tuple(f: &mut FuncBuilder, mem: u32, ptr: Local, types: &[ValType]) -> MemRef {
    let (size, align) = tuple_layout(types);
    f.check_aligned(ptr, align);
    f.check_in_bounds_const(mem, ptr, size, AdapterTrap::PointerOutOfBounds);
    MemRef {
        mem,
        addr: ptr.idx,
        offset: 0,
    }
}
