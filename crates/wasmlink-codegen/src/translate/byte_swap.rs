//! Byte swaps written with shifts, masks and ors, recognised as `bswap`.
//!
//! Wasm has no byte-swap instruction, so `__builtin_bswap32`, `ntohl` and
//! the big-endian reads of hashes and file formats arrive as a tree of
//! `shl`, `shr_u`, `and` with byte masks and `or` -- thirteen x64
//! instructions for a 32-bit swap, where one `bswap` does it. Cranelift's
//! optimiser does not recognise the tree, so this pass does.
//!
//! How: every integer operation of the tree moves whole bytes, so the pass
//! follows each `or` (or `and`, `xor`, `add`) down to its leaves and
//! computes, for every byte of the result, which byte of which value it
//! comes from, or that it is zero. A tree whose result is the bytes of one
//! value `x` in reverse order becomes `bswap x`; one whose result is that
//! reversal shifted right by whole bytes (`ntohs`, a 16-bit swap in a
//! 32-bit value) becomes `ushr (bswap x), k`. Both are exact: the byte map
//! describes every bit of the result, whatever `x` holds.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{types, Function, InstBuilder, InstructionData, Opcode, Value};

/// How many operations one tree may have. A 64-bit swap as compilers write
/// it has about thirty; the bound keeps the pass linear on any body.
const MAX_NODES: u32 = 48;

/// Where one byte of a value comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Byte {
    Zero,
    /// Byte `n` (0 = least significant) of the tree's source.
    Of(u8),
    /// Bits of several bytes merged (`(x << 8) | (x >> 8)` before its
    /// mask): fine as long as a mask clears it.
    Mixed,
}

/// Every byte of a value of `len` bytes, and the one value they are taken
/// from (`None` while every byte is zero).
#[derive(Clone, Copy, Debug)]
struct ByteMap {
    bytes: [Byte; 8],
    len: usize,
    source: Option<Value>,
}

/// Replace each tree of `or`, `and`, `xor` and `add` that swaps the bytes
/// of one value by `bswap` (see the module comment). Runs on a translated function, before
/// Cranelift's passes, which remove the tree's now unused operations.
pub(super) fn recognise_byte_swaps(func: &mut Function) {
    let mut roots = Vec::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            // `and` ends a 16-bit swap: `((x << 8) | (x >> 8)) & 0xffff`;
            // `xor` and `add` join disjoint bytes as `or` does.
            if let InstructionData::Binary {
                opcode: Opcode::Bor | Opcode::Band | Opcode::Bxor | Opcode::Iadd,
                ..
            } = func.dfg.insts[inst]
            {
                roots.push(inst);
            }
        }
    }
    // Outermost first: an inner node of a swap already replaced is unused,
    // and rewriting it as well is harmless.
    for inst in roots.into_iter().rev() {
        let result = func.dfg.first_result(inst);
        let ty = func.dfg.value_type(result);
        if ty != types::I32 && ty != types::I64 {
            continue;
        }
        let mut budget = MAX_NODES;
        let Some(map) = byte_map(func, result, &mut budget) else {
            continue;
        };
        let (Some(source), Some(shift)) = (map.source, swap_shift(&map)) else {
            continue;
        };
        if shift == 0 {
            func.replace(inst).bswap(source);
        } else {
            let mut cursor = FuncCursor::new(func).at_inst(inst);
            let swapped = cursor.ins().bswap(source);
            let amount = cursor.ins().iconst(ty, i64::from(shift) * 8);
            func.replace(inst).ushr(swapped, amount);
        }
    }
}

/// `Some(k)` when `map` is its source's bytes reversed and shifted right
/// by `k` bytes (`k = 0`: a plain swap).
fn swap_shift(map: &ByteMap) -> Option<u32> {
    let len = map.len;
    // At least two bytes must move: `k = len - 1` keeps one byte in place.
    (0..len - 1).find_map(|k| {
        let fits = (0..len).all(|i| {
            let expected = if i + k < len {
                Byte::Of((len - 1 - i - k) as u8)
            } else {
                Byte::Zero
            };
            map.bytes[i] == expected
        });
        fits.then_some(k as u32)
    })
}

/// The byte map of `value`: operations that move whole bytes are followed,
/// anything else is a source taken as it is.
fn byte_map(func: &Function, value: Value, budget: &mut u32) -> Option<ByteMap> {
    let len = func.dfg.value_type(value).bytes() as usize;
    let source = ByteMap {
        bytes: std::array::from_fn(|i| Byte::Of(i as u8)),
        len,
        source: Some(value),
    };
    if *budget == 0 {
        return None;
    }
    *budget -= 1;
    let Some(inst) = super::address::defining_inst(func, value) else {
        return Some(source);
    };
    let InstructionData::Binary {
        opcode,
        args: [x, y],
    } = func.dfg.insts[inst]
    else {
        return Some(known_zero_bytes(func, value, source));
    };
    let bits = (len * 8) as i64;
    let whole_bytes = |v: Value| {
        super::iconst_of(func, v)
            .map(|c| c.rem_euclid(bits))
            .filter(|c| c % 8 == 0)
            .map(|c| (c / 8) as usize)
    };
    match opcode {
        Opcode::Bor | Opcode::Bxor | Opcode::Iadd => {
            let a = byte_map(func, x, budget)?;
            let b = byte_map(func, y, budget)?;
            combine(a, b, opcode)
        }
        Opcode::Band => {
            let (inner, mask) = match (super::iconst_of(func, y), super::iconst_of(func, x)) {
                (Some(mask), _) => (x, mask),
                (None, Some(mask)) => (y, mask),
                (None, None) => return Some(source),
            };
            let mut map = byte_map(func, inner, budget)?;
            for (i, byte) in map.bytes[..len].iter_mut().enumerate() {
                match (mask >> (8 * i)) & 0xff {
                    0 => *byte = Byte::Zero,
                    0xff => {}
                    _ if *byte == Byte::Zero => {}
                    _ => *byte = Byte::Mixed,
                }
            }
            Some(settle(map))
        }
        Opcode::Ishl | Opcode::Ushr | Opcode::Rotl | Opcode::Rotr => {
            let Some(by) = whole_bytes(y) else {
                return Some(source);
            };
            let from = byte_map(func, x, budget)?;
            let mut map = from;
            for i in 0..len {
                map.bytes[i] = match opcode {
                    Opcode::Ishl if i >= by => from.bytes[i - by],
                    Opcode::Ushr if i + by < len => from.bytes[i + by],
                    Opcode::Ishl | Opcode::Ushr => Byte::Zero,
                    Opcode::Rotl => from.bytes[(i + len - by) % len],
                    _ => from.bytes[(i + by) % len],
                };
            }
            Some(settle(map))
        }
        _ => Some(known_zero_bytes(func, value, source)),
    }
}

/// `map`, the source `value` taken as it is, with the high bytes its
/// definition proves zero (a narrow load, a widened `i32`, a mask) marked
/// so: `((x << 8) | (x >> 8)) & 0xffff` swaps two bytes only when `x` has
/// no third one.
fn known_zero_bytes(func: &Function, value: Value, mut map: ByteMap) -> ByteMap {
    let Some(inst) = super::address::defining_inst(func, value) else {
        return map;
    };
    let significant = match func.dfg.insts[inst] {
        InstructionData::Load { opcode, .. } => match opcode {
            Opcode::Uload8 => 1,
            Opcode::Uload16 => 2,
            Opcode::Uload32 => 4,
            _ => map.len,
        },
        InstructionData::Unary {
            opcode: Opcode::Uextend,
            arg,
        } => func.dfg.value_type(arg).bytes() as usize,
        _ => match super::address::max_u32(func, value) {
            Some(max) => (8 - max.leading_zeros() as usize / 8).max(1),
            None => map.len,
        },
    };
    for byte in &mut map.bytes[significant.min(map.len)..map.len] {
        *byte = Byte::Zero;
    }
    map
}

/// The bytes of `op(a, b)` for `op` one of `or`, `xor` and `add`. Where
/// both sides have a non-zero byte the result is `Mixed`, except `x | x`;
/// `add` must have no such byte, as its carry would reach the next one.
fn combine(a: ByteMap, b: ByteMap, op: Opcode) -> Option<ByteMap> {
    let source = match (a.source, b.source) {
        (Some(p), Some(q)) if p != q => return None,
        (p, q) => p.or(q),
    };
    let mut map = ByteMap { source, ..a };
    for i in 0..a.len {
        map.bytes[i] = match (a.bytes[i], b.bytes[i]) {
            (Byte::Zero, other) | (other, Byte::Zero) => other,
            (p, q) if p == q && op == Opcode::Bor => p,
            _ if op == Opcode::Iadd => return None,
            _ => Byte::Mixed,
        };
    }
    Some(settle(map))
}

/// Forget the source once no byte comes from it, so an all-zero part does
/// not keep a tree from combining with another source.
fn settle(mut map: ByteMap) -> ByteMap {
    if map.bytes[..map.len].iter().all(|b| *b == Byte::Zero) {
        map.source = None;
    }
    map
}
