//! Cheaper stack checks (the `stack-checks` whole-program optimisation).
//!
//! Every Wasm function normally checks on entry that its frame stays above
//! the stack limit, with Cranelift's own check: the limit is reached from
//! the vmctx parameter through the vmctx's pointer to the limit cell (two
//! dependent loads), because code shared with instances made at run time
//! (wasi-threads) must find its own thread's cell. Two things are cheaper
//! when the whole program is known:
//!
//! - A **leaf** (it calls nothing) whose frame is surely small needs no
//!   check at all. The runtime keeps a margin (256 KiB, `runtime/src/stack.rs`)
//!   between the limit and the end of every Wasm stack; the caller was
//!   checked, so a leaf frame of at most [`FRAME_ESTIMATE_LIMIT`] — with a C
//!   routine Cranelift may call for an instruction (`fma`) below it — stays
//!   inside the margin.
//! - Code of a source that never runs in an instance made at run time reads
//!   the program's limit cell **at its link-time address**: one load. The
//!   check then runs after the prologue (`sp < limit` traps), which is
//!   sound for frames within the same estimate: the prologue's stores land
//!   in the margin. Larger frames keep Cranelift's check.

use crate::env::PTR;
use crate::traps::clif_trap;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    ExternalName, Function, GlobalValueData, InstBuilder, MemFlagsData, Opcode, UserExternalName,
};
use wasmlink_abi::Trap;

/// Frames estimated at most this big count as small.
pub const FRAME_ESTIMATE_LIMIT: usize = 32 << 10;

/// Apply the optimisation to `func`, a translated Wasm function whose
/// `stack_limit` is Cranelift's check. `cell` is the data symbol of the
/// program's limit cell when the function's source may read it at a fixed
/// address.
pub fn cheapen(func: &mut Function, cell: Option<usize>) {
    let Some(estimate) = small_frame(func) else {
        return;
    };
    if !estimate.calls {
        func.stack_limit = None;
        return;
    }
    let Some(cell) = cell else {
        return;
    };
    insert_fixed_check(func, cell);
}

/// The stack check of a function without a vmctx parameter (which
/// Cranelift's own check needs): `sp < limit` after the prologue, reading
/// the limit cell (data symbol `cell`) at its link-time address; none for
/// a small leaf when `skip_small_leaves`. It is sound for a frame of any
/// size: the prologue writes only at the top of the new frame (return
/// address, frame pointer, callee-saved registers: a few words, inside the
/// runtime's margin), and the spill and stack slots below are first
/// written by the body, after the check. Cranelift probes no stack pages.
pub fn fixed_check(func: &mut Function, cell: usize, skip_small_leaves: bool) {
    func.stack_limit = None;
    let small_leaf = small_frame(func).is_some_and(|e| !e.calls);
    if !(skip_small_leaves && small_leaf) {
        insert_fixed_check(func, cell);
    }
}

/// [`frame_estimate`] when the frame counts as small.
fn small_frame(func: &Function) -> Option<Estimate> {
    frame_estimate(func).filter(|e| e.bytes <= FRAME_ESTIMATE_LIMIT)
}

/// Replace `func`'s Cranelift check with `sp < [cell]` after the prologue.
fn insert_fixed_check(func: &mut Function, cell: usize) {
    let Some(entry) = func.layout.entry_block() else {
        return;
    };
    func.stack_limit = None;
    let name = func.declare_imported_user_function(UserExternalName::new(1, cell as u32));
    let gv = func.create_global_value(GlobalValueData::Symbol {
        name: ExternalName::user(name),
        offset: 0.into(),
        colocated: true,
        tls: false,
    });
    let mut pos = FuncCursor::new(func);
    pos.goto_first_insertion_point(entry);
    let sp = pos.ins().get_stack_pointer(PTR);
    let cell_addr = pos.ins().symbol_value(PTR, gv);
    let limit = pos.ins().load(PTR, MemFlagsData::trusted(), cell_addr, 0);
    let below = pos.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
    pos.ins().trapnz(below, clif_trap(Trap::StackOverflow));
}

/// What [`frame_estimate`] finds.
struct Estimate {
    /// An upper bound of the frame size in bytes.
    bytes: usize,
    /// Whether the function calls anything.
    calls: bool,
}

/// Estimate `func`'s frame before register allocation: every value, and
/// a few temporaries per instruction, spilled to a 16-byte slot, plus its
/// stack slots. `None` for a function that switches stacks.
fn frame_estimate(func: &Function) -> Option<Estimate> {
    let mut insts = 0;
    let mut calls = false;
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let op = func.dfg.insts[inst].opcode();
            if op == Opcode::StackSwitch {
                return None;
            }
            calls |= op.is_call();
            insts += 1;
        }
    }
    let slots: usize = func
        .sized_stack_slots
        .values()
        .map(|s| s.size as usize + (1 << s.align_shift))
        .sum();
    Some(Estimate {
        bytes: 16 * (func.dfg.num_values() + 4 * insts) + slots,
        calls,
    })
}
