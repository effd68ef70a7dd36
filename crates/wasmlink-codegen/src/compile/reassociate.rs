//! Sums of several terms regrouped so the terms computed last are added
//! last, between Cranelift's mid-end and its lowering.
//!
//! A Wasm producer writes a long sum in one fixed order, and Cranelift
//! adds in that order. clang writes SHA-256's `t1 = h + Σ1(e) + Ch(e, f,
//! g) + K[i] + W[i]` as a chain that adds `Σ1(e)` first and the other
//! terms after it one by one, so each round waits for six adds after
//! `Σ1(e)` (five for `t1`, one for `e' = d + t1`), although `h`, `K[i]`
//! and `W[i]` are known long before `Σ1(e)`. Native compilers regroup such
//! sums for the processor (LLVM's machine combiner on x64); the Wasm
//! backend has no reason to. This pass
//! does it on the optimised function: for each tree of 32-bit `iadd`s in
//! one block whose inner nodes have no other use, it takes the leaves and
//! adds the two that are ready first, again and again (a leaf's readiness
//! is the length of the chain of instructions in the block it waits for),
//! which gives a tree whose result is ready as early as any grouping can
//! make it. Addition modulo 2^32 is associative and commutative, so the
//! sum is the same value. Only trees of four terms or more are regrouped,
//! and only when that makes them shallower; 64-bit sums are left alone,
//! since they are mostly addresses, whose shape the address modes fold.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{
    types, Function, Inst, InstBuilder, InstructionData, Opcode, Value, ValueDef,
};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// The fewest terms a sum needs to be regrouped.
const MIN_TERMS: usize = 4;

/// Regroup the long 32-bit sums of `func` (see the module comment).
/// Returns how many sums were regrouped.
pub(crate) fn regroup_sums(func: &mut Function) -> usize {
    let uses = use_counts(func);
    let mut regrouped = 0;
    let mut block_cursor = func.layout.entry_block();
    while let Some(block) = block_cursor {
        // How long a chain of this block's instructions each value waits
        // for (values from elsewhere are ready at once).
        let mut ready: HashMap<Value, u32> = HashMap::new();
        let mut inst_cursor = func.layout.first_inst(block);
        while let Some(inst) = inst_cursor {
            inst_cursor = func.layout.next_inst(inst);
            if is_root(func, &uses, inst) {
                let mut inner = Vec::new();
                let mut terms = Vec::new();
                collect_terms(func, &uses, inst, &mut inner, &mut terms);
                if terms.len() >= MIN_TERMS {
                    let at = |v: &Value| ready.get(v).copied().unwrap_or(0);
                    let before = ready_after(func, &ready, inst);
                    let mut heap: BinaryHeap<Reverse<(u32, u32, Value)>> = terms
                        .iter()
                        .enumerate()
                        .map(|(n, v)| Reverse((at(v), n as u32, *v)))
                        .collect();
                    if best_depth(&heap) < before {
                        regroup(func, inst, &inner, &mut heap, &mut ready);
                        regrouped += 1;
                    }
                }
            }
            if func.layout.inst_block(inst) == Some(block) {
                let r = ready_after(func, &ready, inst);
                for &result in func.dfg.inst_results(inst) {
                    ready.insert(result, r);
                }
            }
        }
        block_cursor = func.layout.next_block(block);
    }
    regrouped
}

/// Rebuild the sum at `root` from the terms in `heap`: add the two
/// earliest, repeatedly, in new instructions before `root`; `root` adds
/// the last two. The old inner additions go.
fn regroup(
    func: &mut Function,
    root: Inst,
    inner: &[Inst],
    heap: &mut BinaryHeap<Reverse<(u32, u32, Value)>>,
    ready: &mut HashMap<Value, u32>,
) {
    for &i in inner {
        func.layout.remove_inst(i);
    }
    let mut order = heap.len() as u32;
    while heap.len() > 2 {
        let (Some(Reverse((ra, _, a))), Some(Reverse((rb, _, b)))) = (heap.pop(), heap.pop())
        else {
            break;
        };
        let sum = FuncCursor::new(func).at_inst(root).ins().iadd(a, b);
        let r = ra.max(rb) + 1;
        ready.insert(sum, r);
        heap.push(Reverse((r, order, sum)));
        order += 1;
    }
    if let (Some(Reverse((_, _, a))), Some(Reverse((_, _, b)))) = (heap.pop(), heap.pop()) {
        func.dfg.insts[root] = InstructionData::Binary {
            opcode: Opcode::Iadd,
            args: [a, b],
        };
    }
}

/// The depth the earliest-first grouping of `heap`'s terms reaches.
fn best_depth(heap: &BinaryHeap<Reverse<(u32, u32, Value)>>) -> u32 {
    let mut times: BinaryHeap<Reverse<u32>> =
        heap.iter().map(|Reverse((r, ..))| Reverse(*r)).collect();
    while times.len() > 1 {
        let (Some(Reverse(a)), Some(Reverse(b))) = (times.pop(), times.pop()) else {
            break;
        };
        times.push(Reverse(a.max(b) + 1));
    }
    times.pop().map_or(0, |Reverse(t)| t)
}

/// When `inst`'s result is ready: one step after its latest operand.
fn ready_after(func: &Function, ready: &HashMap<Value, u32>, inst: Inst) -> u32 {
    func.dfg
        .inst_args(inst)
        .iter()
        .map(|&v| {
            ready
                .get(&func.dfg.resolve_aliases(v))
                .copied()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
        + 1
}

/// Whether `inst` is a 32-bit `iadd` whose result is not itself an inner
/// term of a larger sum (see [`collect_terms`]).
fn is_root(func: &Function, uses: &HashMap<Value, Use>, inst: Inst) -> bool {
    is_add(func, inst) && {
        let result = func.dfg.first_result(inst);
        !uses.get(&result).is_some_and(|u| {
            u.count == 1
                && is_add(func, u.user)
                && func.layout.inst_block(u.user) == func.layout.inst_block(inst)
        })
    }
}

/// The terms of the sum at `inst`: operands that are not inner additions
/// (a 32-bit `iadd` in the same block whose only use is the sum), with
/// the inner additions.
fn collect_terms(
    func: &Function,
    uses: &HashMap<Value, Use>,
    inst: Inst,
    inner: &mut Vec<Inst>,
    terms: &mut Vec<Value>,
) {
    let block = func.layout.inst_block(inst);
    for &arg in func.dfg.inst_args(inst) {
        let arg = func.dfg.resolve_aliases(arg);
        let inner_add = match func.dfg.value_def(arg) {
            ValueDef::Result(def, 0)
                if is_add(func, def)
                    && func.layout.inst_block(def) == block
                    && uses.get(&arg).is_some_and(|u| u.count == 1) =>
            {
                Some(def)
            }
            _ => None,
        };
        match inner_add {
            Some(def) => {
                inner.push(def);
                collect_terms(func, uses, def, inner, terms);
            }
            None => terms.push(arg),
        }
    }
}

/// Whether `inst` is a 32-bit `iadd`.
fn is_add(func: &Function, inst: Inst) -> bool {
    matches!(
        func.dfg.insts[inst],
        InstructionData::Binary {
            opcode: Opcode::Iadd,
            ..
        }
    ) && func.dfg.ctrl_typevar(inst) == types::I32
}

/// How many times a value is read (block arguments included), and the
/// last instruction that reads it.
struct Use {
    count: u32,
    user: Inst,
}

fn use_counts(func: &Function) -> HashMap<Value, Use> {
    let mut uses: HashMap<Value, Use> = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for v in func.dfg.inst_values(inst) {
                let v = func.dfg.resolve_aliases(v);
                let u = uses.entry(v).or_insert(Use {
                    count: 0,
                    user: inst,
                });
                u.count += 1;
                u.user = inst;
            }
        }
    }
    uses
}
