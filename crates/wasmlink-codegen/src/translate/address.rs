//! Widening a 32-bit Wasm address to the 64-bit index added to a memory's
//! base, in a shape Cranelift's x64 address modes can absorb.
//!
//! A Wasm address is an `i32` computed with wrapping arithmetic, so the
//! index is `uextend(addr)` and `(i32.shl x 2)` must be shifted in 32 bits
//! before widening: Cranelift cannot fold that shift into a scaled address
//! mode. When the operand's range proves that the 32-bit shift cannot lose
//! bits (`arr[i & mask]`, a byte loaded and scaled), widening first and
//! shifting in 64 bits gives the same index and lets the load use
//! `(base, x, 4)` addressing: one instruction fewer on every such access.

use cranelift_codegen::ir::{
    types, Function, InstBuilder, InstructionData, Opcode, Value, ValueDef,
};
use cranelift_frontend::FunctionBuilder;

/// How deep [`max_u32`] follows operands; enough for `(x & m) << k` and
/// masks of loaded bytes, cheap on any body.
const MAX_DEPTH: u32 = 4;

/// The index `uextend(addr)` of a 32-bit memory access.
pub(super) fn wasm32_index(builder: &mut FunctionBuilder, addr: Value) -> Value {
    if let Some((x, k)) = shift_left_by_const(builder.func, addr) {
        // Scaled address modes shift by 0..=3; a bigger scale gains nothing.
        let fits = max_u32(builder.func, x).is_some_and(|m| (m << k) <= u64::from(u32::MAX));
        if (1..=3).contains(&k) && fits {
            let wide = builder.ins().uextend(types::I64, x);
            return builder.ins().ishl_imm_u(wide, i64::from(k));
        }
    }
    builder.ins().uextend(types::I64, addr)
}

/// `(x, k)` when `v` is `ishl x, k` with a constant `k` (taken mod 32, as
/// Wasm and Cranelift take it).
pub(super) fn shift_left_by_const(func: &Function, v: Value) -> Option<(Value, u32)> {
    let inst = defining_inst(func, v)?;
    match func.dfg.insts[inst] {
        InstructionData::Binary {
            opcode: Opcode::Ishl,
            args: [x, k],
        } => Some((x, (super::iconst_of(func, k)? & 31) as u32)),
        _ => None,
    }
}

/// An upper bound of the `i32` value `v` read as unsigned, when its
/// definition gives one (constants, masks, narrow loads, right shifts).
pub(crate) fn max_u32(func: &Function, v: Value) -> Option<u64> {
    bound(func, v, 0)
}

fn bound(func: &Function, v: Value, depth: u32) -> Option<u64> {
    if func.dfg.value_type(v) != types::I32 || depth > MAX_DEPTH {
        return None;
    }
    let inst = defining_inst(func, v)?;
    let bound_of = |x| bound(func, x, depth + 1);
    match func.dfg.insts[inst] {
        InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            imm,
        } => Some(u64::from(imm.bits() as u32)),
        InstructionData::Binary {
            opcode: Opcode::Band,
            args: [x, y],
        } => match (bound_of(x), bound_of(y)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        InstructionData::Binary {
            opcode: Opcode::Ushr,
            args: [_, k],
        } => Some(u64::from(u32::MAX >> (super::iconst_of(func, k)? & 31))),
        InstructionData::Load {
            opcode: Opcode::Uload8,
            ..
        } => Some(0xff),
        InstructionData::Load {
            opcode: Opcode::Uload16,
            ..
        } => Some(0xffff),
        _ => None,
    }
}

pub(super) fn defining_inst(func: &Function, v: Value) -> Option<cranelift_codegen::ir::Inst> {
    match func.dfg.value_def(v) {
        ValueDef::Result(inst, 0) => Some(inst),
        _ => None,
    }
}
