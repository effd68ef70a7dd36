//! Loads moved next to the store that writes their result back.
//!
//! `c[j] += a * b[j]` is, in Wasm's operand order: load `c[j]`, load
//! `b[j]`, multiply, add, store to `c[j]`. x64 adds a register into memory
//! in one instruction (`addl %r, (c)`), and Cranelift's lowering uses it
//! when a store's value is `iadd(load, x)` of the store's own address --
//! but it merges a load into a later instruction only when no other side
//! effect lies between them, and every load counts as one. The load of
//! `b[j]` in between costs two instructions and a register in the hot
//! loop of every such update. This pass moves the load of `c[j]`, and the
//! operation that uses it, down to just before the store.
//!
//! Why it is exact: only loads and pure, non-trapping operations lie
//! between the old and the new place (no store, call, atomic, fence or
//! other trap), so memory holds the same bytes at both places, and Wasm
//! lets non-atomic loads be reordered even on shared memory. The loads
//! passed over may trap only with the moved load's trap code (out of
//! bounds), so whichever of them faults first, the program stops with the
//! same trap.
//!
//! Operations handled are those x64 has a memory-destination form for:
//! `iadd`, `isub` (the load on the left), `band`, `bor`, `bxor`, on 32- and
//! 64-bit values.

use cranelift_codegen::ir::{
    types, Function, Inst, InstructionData, MemFlags, Opcode, TrapCode, Value, ValueDef,
};
use std::collections::HashMap;

/// How deep [`same_value`] follows two address computations (`iadd` of a
/// base and a widened index is two levels).
const ADDRESS_DEPTH: u32 = 3;

/// Move the loads of read-modify-write updates next to their stores (see
/// the module comment). Runs on a translated function, before Cranelift's
/// passes, whose alias analysis and egraph keep the order of loads.
pub(super) fn place_update_loads(func: &mut Function) {
    let mut uses: Option<HashMap<Value, u32>> = None;
    let blocks: Vec<_> = func.layout.blocks().collect();
    for block in blocks {
        let mut next = func.layout.first_inst(block);
        while let Some(store) = next {
            next = func.layout.next_inst(store);
            if func.dfg.insts[store].opcode() != Opcode::Store {
                continue;
            }
            let uses = uses.get_or_insert_with(|| count_uses(func));
            if let Some((load, update)) = update_of(func, uses, store) {
                func.layout.remove_inst(load);
                func.layout.insert_inst(load, store);
                func.layout.remove_inst(update);
                func.layout.insert_inst(update, store);
            }
        }
    }
}

/// The load and the operation of a movable update that `store` ends:
/// `store (op (load A) x), A`, both in `store`'s block, each result used
/// once, with nothing between the load and the store that the move could
/// reorder visibly.
fn update_of(func: &Function, uses: &HashMap<Value, u32>, store: Inst) -> Option<(Inst, Inst)> {
    let dfg = &func.dfg;
    let InstructionData::Store {
        flags,
        args: [stored, address],
        offset,
        ..
    } = dfg.insts[store]
    else {
        return None;
    };
    let ty = dfg.value_type(stored);
    if ty != types::I32 && ty != types::I64 {
        return None;
    }
    let update = single_use_result(func, uses, stored)?;
    let InstructionData::Binary { opcode, args } = dfg.insts[update] else {
        return None;
    };
    // The operand that may be the load: `isub` only has a memory form with
    // the load on the left.
    let candidates: &[Value] = match opcode {
        Opcode::Iadd | Opcode::Band | Opcode::Bor | Opcode::Bxor => &args,
        Opcode::Isub => &args[..1],
        _ => return None,
    };
    let block = func.layout.inst_block(store)?;
    let load = candidates.iter().find_map(|&operand| {
        let load = single_use_result(func, uses, operand)?;
        match dfg.insts[load] {
            InstructionData::Load {
                opcode: Opcode::Load,
                flags: load_flags,
                arg,
                offset: load_offset,
            } if dfg.mem_flags[load_flags] == dfg.mem_flags[flags]
                && load_offset == offset
                && func.layout.inst_block(load) == Some(block)
                && same_value(func, arg, address, ADDRESS_DEPTH) =>
            {
                Some(load)
            }
            _ => None,
        }
    })?;
    let trap = trap_code(func, flags);
    let mut between = func.layout.next_inst(load);
    while let Some(inst) = between {
        if inst == store {
            return Some((load, update));
        }
        if inst != update && !passable(func, inst, trap) {
            return None;
        }
        between = func.layout.next_inst(inst);
    }
    None
}

/// Whether a load with trap code `trap` may move from before `inst` to
/// after it: `inst` is pure and cannot trap, or it is a plain load that
/// traps, if at all, the same way.
fn passable(func: &Function, inst: Inst, trap: Option<TrapCode>) -> bool {
    let data = &func.dfg.insts[inst];
    let op = data.opcode();
    let plain_load = matches!(
        op,
        Opcode::Load
            | Opcode::Uload8
            | Opcode::Sload8
            | Opcode::Uload16
            | Opcode::Sload16
            | Opcode::Uload32
            | Opcode::Sload32
    );
    if plain_load {
        let other = data.memflags().and_then(|f| trap_code(func, f));
        return other.is_none() || trap.is_none() || other == trap;
    }
    !(op.can_load()
        || op.can_store()
        || op.can_trap()
        || op.is_call()
        || op.is_branch()
        || op.is_terminator()
        || op.other_side_effects())
}

fn trap_code(func: &Function, flags: MemFlags) -> Option<TrapCode> {
    func.dfg.mem_flags[flags].trap_code()
}

/// The instruction defining `value` as its only result, if `value` has
/// exactly one use.
fn single_use_result(func: &Function, uses: &HashMap<Value, u32>, value: Value) -> Option<Inst> {
    match func.dfg.value_def(value) {
        ValueDef::Result(inst, 0)
            if func.dfg.inst_results(inst).len() == 1 && uses.get(&value) == Some(&1) =>
        {
            Some(inst)
        }
        _ => None,
    }
}

/// How many times each value is an operand (branch arguments included),
/// aliases resolved.
fn count_uses(func: &Function) -> HashMap<Value, u32> {
    let mut uses = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for value in func.dfg.inst_values(inst) {
                *uses.entry(func.dfg.resolve_aliases(value)).or_insert(0) += 1;
            }
        }
    }
    uses
}

/// Whether `a` and `b` are the same value or the same computation of
/// equal operands, followed `depth` definitions deep: the translator forms
/// the load's and the store's address separately, and only Cranelift's
/// value numbering later makes them one value.
fn same_value(func: &Function, a: Value, b: Value, depth: u32) -> bool {
    let dfg = &func.dfg;
    let (a, b) = (dfg.resolve_aliases(a), dfg.resolve_aliases(b));
    if a == b {
        return true;
    }
    if depth == 0 || dfg.value_type(a) != dfg.value_type(b) {
        return false;
    }
    let (ValueDef::Result(ia, 0), ValueDef::Result(ib, 0)) = (dfg.value_def(a), dfg.value_def(b))
    else {
        return false;
    };
    let same = |x: Value, y: Value| same_value(func, x, y, depth - 1);
    match (dfg.insts[ia], dfg.insts[ib]) {
        (
            InstructionData::Unary { opcode, arg },
            InstructionData::Unary {
                opcode: opcode_b,
                arg: arg_b,
            },
        ) => opcode == opcode_b && same(arg, arg_b),
        (
            InstructionData::Binary { opcode, args },
            InstructionData::Binary {
                opcode: opcode_b,
                args: args_b,
            },
        ) => opcode == opcode_b && same(args[0], args_b[0]) && same(args[1], args_b[1]),
        (
            InstructionData::UnaryImm { opcode, imm },
            InstructionData::UnaryImm {
                opcode: opcode_b,
                imm: imm_b,
            },
        ) => opcode == opcode_b && imm == imm_b,
        // A memory's base, read from the instance state once per access:
        // a `readonly` load gives the same value wherever it runs.
        (
            InstructionData::Load {
                opcode,
                flags,
                arg,
                offset,
            },
            InstructionData::Load {
                opcode: opcode_b,
                flags: flags_b,
                arg: arg_b,
                offset: offset_b,
            },
        ) => {
            let data = dfg.mem_flags[flags];
            opcode == opcode_b
                && data.readonly()
                && data == dfg.mem_flags[flags_b]
                && offset == offset_b
                && same(arg, arg_b)
        }
        _ => false,
    }
}
