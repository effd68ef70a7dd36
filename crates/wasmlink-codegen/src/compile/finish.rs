//! Running Cranelift on one function and packaging what it produced: the
//! code, its relocations, trap sites (with the function each was inlined
//! from), the call sites that have exception handlers, and the stack maps
//! of its safepoints.

use crate::program::{CompiledFunction, TrapRecord};
use crate::traps::trap_of;
use crate::CodegenError;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::Function;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::CompiledCode;
use cranelift_codegen::Context;
use cranelift_module::{FuncId, ModuleReloc};
use wasmlink_abi::gc::StackMap;
use wasmlink_abi::{CallSite, CatchHandler, HANDLER_ALL, HANDLER_CONTEXT, HANDLER_TAG};

/// Compile one function and package its code, relocations and trap sites.
pub(super) fn finish(
    isa: &dyn TargetIsa,
    func: Function,
    sym: usize,
    display_name: String,
) -> Result<CompiledFunction, CodegenError> {
    let mut ctx = Context::for_function(func);
    let (bytes, alignment, traps, relocs, (call_sites, handlers), (stack_maps, stack_slots)) = {
        let code = compile_context(isa, &mut ctx, &display_name)?;
        let srclocs = code.buffer.get_srclocs_sorted();
        let traps = code
            .buffer
            .traps()
            .iter()
            .filter_map(|t| {
                trap_of(t.code).map(|trap| TrapRecord {
                    offset: t.offset,
                    trap,
                    origin: inlined_origin(srclocs, t.offset).filter(|&f| f != sym),
                })
            })
            .collect::<Vec<_>>();
        let sites = exception_sites(&code.buffer).map_err(|message| CodegenError::Compile {
            function: display_name.clone(),
            message,
        })?;
        let maps = stack_maps(&code.buffer);
        (
            code.code_buffer().to_vec(),
            // Cranelift's preferred function alignment (32 bytes on x64),
            // not just what the code's constants need: a function's loops
            // then sit at the same offsets from a 32-byte boundary whatever
            // precedes the function, and the front end fetches them in the
            // fewest blocks.
            (code.buffer.alignment).max(isa.function_alignment().preferred) as u64,
            traps,
            code.buffer.relocs().to_vec(),
            sites,
            maps,
        )
    };
    let func_id = FuncId::from_u32(sym as u32);
    let relocs = relocs
        .iter()
        .map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, func_id))
        .collect();
    Ok(CompiledFunction {
        func: sym,
        display_name,
        bytes,
        alignment,
        relocs,
        traps,
        call_sites,
        handlers,
        stack_maps,
        stack_slots,
    })
}

/// The safepoints of compiled code with live GC references, in the
/// runtime's form (see `wasmlink_abi::gc`), and the slot offsets they
/// index. Cranelift lists them in code order.
fn stack_maps(
    buffer: &cranelift_codegen::MachBufferFinalized<cranelift_codegen::Final>,
) -> (Vec<StackMap>, Vec<u32>) {
    let (mut maps, mut slots) = (Vec::new(), Vec::new());
    for (ret_offset, span, map) in buffer.user_stack_maps() {
        let first_slot = slots.len() as u32;
        slots.extend(map.entries().map(|(_, offset)| offset));
        maps.push(StackMap {
            ret_offset: *ret_offset,
            span: *span,
            first_slot,
            slot_count: slots.len() as u32 - first_slot,
        });
    }
    (maps, slots)
}

/// The function the instruction at `offset` was inlined from, from the
/// source locations of the compiled code (sorted by start).
fn inlined_origin(
    srclocs: &[cranelift_codegen::MachSrcLoc<cranelift_codegen::Final>],
    offset: u32,
) -> Option<usize> {
    let k = srclocs.partition_point(|l| l.start <= offset);
    let l = srclocs.get(k.checked_sub(1)?)?;
    (offset < l.end).then(|| crate::inline::origin_of(l.loc))?
}

/// The call sites of compiled code that have exception handlers, in the
/// runtime's form (see `wasmlink_abi::CallSite`). Cranelift lists call
/// sites in code order.
fn exception_sites(
    buffer: &cranelift_codegen::MachBufferFinalized<cranelift_codegen::Final>,
) -> Result<(Vec<CallSite>, Vec<CatchHandler>), String> {
    use cranelift_codegen::{ExceptionContextLoc, FinalizedMachExceptionHandler as H};
    let (mut sites, mut handlers) = (Vec::new(), Vec::new());
    for site in buffer.call_sites() {
        if site.exception_handlers.is_empty() {
            continue;
        }
        let frame_offset = site
            .frame_offset
            .ok_or("a call with exception handlers has no frame offset")?;
        let first_handler = handlers.len() as u32;
        for h in site.exception_handlers {
            let (kind, arg, target) = match *h {
                H::Context(ExceptionContextLoc::SPOffset(off)) => (HANDLER_CONTEXT, off, 0),
                H::Context(ExceptionContextLoc::GPR(_)) => {
                    return Err("an exception handler's vmctx was left in a register".into())
                }
                H::Tag(tag, target) => (HANDLER_TAG, tag.as_u32(), target),
                H::Default(target) => (HANDLER_ALL, 0, target),
            };
            handlers.push(CatchHandler {
                kind,
                arg,
                target,
                reserved: 0,
            });
        }
        sites.push(CallSite {
            ret_offset: site.ret_addr,
            frame_offset,
            first_handler,
            handler_count: handlers.len() as u32 - first_handler,
        });
    }
    Ok((sites, handlers))
}

/// Run Cranelift on `ctx.func`. Every compiled function, whether for an
/// executable or for a listing (`crate::disas`), goes through here, so
/// both see the same passes with the same settings: Cranelift's mid-end,
/// then [`super::twin_inductions`] (induction variables that step
/// together share one register), [`super::continue_edge`] (a loop's
/// `continue` edge gets its own
/// latch; the dominator tree is recomputed when it changed anything),
/// [`super::remat`] (constants copied into the blocks that use them) and
/// [`super::reassociate`] (long sums regrouped), which both leave the
/// control flow as it is, then lowering, register allocation and
/// emission.
pub(crate) fn compile_context(
    isa: &dyn TargetIsa,
    ctx: &mut Context,
    display_name: &str,
) -> Result<CompiledCode, CodegenError> {
    let failed = |e: cranelift_codegen::CodegenError| CodegenError::Compile {
        function: display_name.to_string(),
        message: format!("{e:?}"),
    };
    let mut ctrl_plane = ControlPlane::default();
    ctx.optimize(isa, &mut ctrl_plane).map_err(failed)?;
    // The mid-end leaves `ctx.cfg` and `ctx.domtree` computed for the
    // optimised function, but not its loop analysis (its branch
    // simplifications may change the loops). Merging twins changes no
    // control flow, so the latch pass sees the same loops.
    ctx.compute_loop_analysis();
    super::twin_inductions::merge_twin_inductions(
        &mut ctx.func,
        &ctx.cfg,
        &ctx.domtree,
        &ctx.loop_analysis,
    );
    if super::continue_edge::copy_continue_latches(
        &mut ctx.func,
        &ctx.cfg,
        &ctx.domtree,
        &ctx.loop_analysis,
    ) > 0
    {
        ctx.compute_cfg();
        ctx.compute_domtree();
    }
    super::remat::rematerialize_constants(&mut ctx.func);
    super::reassociate::regroup_sums(&mut ctx.func);
    // Cranelift verifies what its own passes produce; these four run
    // after them (debug builds and tests verify).
    if isa.flags().enable_verifier() {
        cranelift_codegen::verify_function(&ctx.func, isa).map_err(|e| CodegenError::Compile {
            function: display_name.to_string(),
            message: format!("after wasmlink's passes: {e}"),
        })?;
    }
    let stencil = isa
        .compile_function(
            &ctx.func,
            &ctx.domtree,
            &mut regalloc2::Ctx::default(),
            ctx.want_disasm,
            &mut ctrl_plane,
        )
        .map_err(failed)?;
    Ok(stencil.apply_params(&ctx.func.params))
}
