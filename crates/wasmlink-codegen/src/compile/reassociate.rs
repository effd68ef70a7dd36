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
//! sum is the same value. Only trees of four to 64 terms are regrouped,
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

/// The most terms a sum may have to be regrouped. Sums in real code have
/// a handful (CPython 3.12's longest: 50); a regrouped sum of thousands keeps thousands of partial
/// sums live at once, which the register allocator takes minutes over,
/// where the chain as written needs one register.
const MAX_TERMS: usize = 64;

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
            if is_add(func, inst) && !is_inner(func, &uses, inst) {
                let (inner, terms) = collect_terms(func, &uses, inst);
                if (MIN_TERMS..=MAX_TERMS).contains(&terms.len()) {
                    let times: Vec<u32> = terms
                        .iter()
                        .map(|v| ready.get(v).copied().unwrap_or(0))
                        .collect();
                    let (pairs, depth) = earliest_first(&times);
                    if depth < ready_after(func, &ready, inst) {
                        regroup(func, inst, &inner, &terms, &pairs, &mut ready);
                        regrouped += 1;
                    }
                }
            }
            let r = ready_after(func, &ready, inst);
            for &result in func.dfg.inst_results(inst) {
                ready.insert(result, r);
            }
        }
        block_cursor = func.layout.next_block(block);
    }
    regrouped
}

/// The grouping that adds the two operands ready first, again and again,
/// for terms ready at `times`: the pairs it adds, as indices into the
/// terms followed by the sums made so far, and when the last sum is ready.
fn earliest_first(times: &[u32]) -> (Vec<(usize, usize)>, u32) {
    // (ready, index): ties go to the earlier operand, so the result does
    // not depend on anything but the order of the terms.
    let mut heap: BinaryHeap<Reverse<(u32, usize)>> = times
        .iter()
        .enumerate()
        .map(|(n, &t)| Reverse((t, n)))
        .collect();
    let mut pairs = Vec::new();
    let mut next = times.len();
    while heap.len() > 1 {
        let (Some(Reverse((ta, a))), Some(Reverse((tb, b)))) = (heap.pop(), heap.pop()) else {
            break;
        };
        pairs.push((a, b));
        heap.push(Reverse((ta.max(tb) + 1, next)));
        next += 1;
    }
    let depth = heap.pop().map_or(0, |Reverse((t, _))| t);
    (pairs, depth)
}

/// Rebuild the sum at `root` from `terms` as `pairs` says
/// ([`earliest_first`]): every pair but the last is a new `iadd` before
/// `root`, and `root` adds the last. The old inner additions go.
fn regroup(
    func: &mut Function,
    root: Inst,
    inner: &[Inst],
    terms: &[Value],
    pairs: &[(usize, usize)],
    ready: &mut HashMap<Value, u32>,
) {
    for &i in inner {
        func.layout.remove_inst(i);
    }
    let mut operands = terms.to_vec();
    let Some((&(a, b), firsts)) = pairs.split_last() else {
        return;
    };
    for &(x, y) in firsts {
        let (x, y) = (operands[x], operands[y]);
        let sum = FuncCursor::new(func).at_inst(root).ins().iadd(x, y);
        let r = ready_after(func, ready, func.dfg.value_def(sum).unwrap_inst());
        ready.insert(sum, r);
        operands.push(sum);
    }
    func.dfg.insts[root] = InstructionData::Binary {
        opcode: Opcode::Iadd,
        args: [operands[a], operands[b]],
    };
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

/// Whether `inst` is an inner addition of a longer sum: a 32-bit `iadd`
/// whose result has one use, by a 32-bit `iadd` in the same block.
fn is_inner(func: &Function, uses: &HashMap<Value, Use>, inst: Inst) -> bool {
    is_add(func, inst)
        && uses.get(&func.dfg.first_result(inst)).is_some_and(|u| {
            u.count == 1
                && is_add(func, u.user)
                && func.layout.inst_block(u.user) == func.layout.inst_block(inst)
        })
}

/// The inner additions ([`is_inner`]) of the sum at `root`, and its
/// terms (the other operands) from left to right. The walk keeps its own
/// stack: a generated function may chain any number of additions.
fn collect_terms(
    func: &Function,
    uses: &HashMap<Value, Use>,
    root: Inst,
) -> (Vec<Inst>, Vec<Value>) {
    let (mut inner, mut terms) = (Vec::new(), Vec::new());
    let mut pending: Vec<Value> = func.dfg.inst_args(root).iter().rev().copied().collect();
    while let Some(v) = pending.pop() {
        let v = func.dfg.resolve_aliases(v);
        match func.dfg.value_def(v) {
            ValueDef::Result(def, 0) if is_inner(func, uses, def) => {
                inner.push(def);
                pending.extend(func.dfg.inst_args(def).iter().rev());
            }
            _ => terms.push(v),
        }
    }
    (inner, terms)
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

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::{AbiParam, Signature, UserFuncName};
    use cranelift_codegen::isa::CallConv;
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    /// `x0 + x1 + ... ` over the function's parameters, added left to
    /// right `terms - 1` times (parameters are reused round-robin).
    fn chain(params: usize, terms: usize) -> Function {
        let mut sig = Signature::new(CallConv::SystemV);
        sig.params
            .extend((0..params).map(|_| AbiParam::new(types::I32)));
        sig.returns.push(AbiParam::new(types::I32));
        let mut func = Function::with_name_signature(UserFuncName::default(), sig);
        let mut ctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut ctx);
        let block = b.create_block();
        b.append_block_params_for_function_params(block);
        b.switch_to_block(block);
        let xs = b.block_params(block).to_vec();
        let mut sum = xs[0];
        for n in 1..terms {
            sum = b.ins().iadd(sum, xs[n % params]);
        }
        b.ins().return_(&[sum]);
        b.seal_all_blocks();
        b.finalize(crate::target_isa().expect("the target").frontend_config());
        func
    }

    fn adds(func: &Function) -> usize {
        let block = func.layout.entry_block().expect("a block");
        func.layout
            .block_insts(block)
            .filter(|&i| is_add(func, i))
            .count()
    }

    #[test]
    fn a_sum_of_terms_ready_at_once_becomes_a_balanced_tree() {
        let mut func = chain(8, 8);
        assert_eq!(regroup_sums(&mut func), 1);
        assert_eq!(adds(&func), 7);
        // Eight terms ready at once: three levels of adds, not seven.
        let root = func
            .layout
            .last_inst(func.layout.entry_block().unwrap())
            .unwrap();
        let ret = func.dfg.inst_args(root)[0];
        let mut ready = HashMap::new();
        for inst in func.layout.block_insts(func.layout.entry_block().unwrap()) {
            let r = ready_after(&func, &ready, inst);
            for &v in func.dfg.inst_results(inst) {
                ready.insert(v, r);
            }
        }
        assert_eq!(ready[&ret], 3);
    }

    #[test]
    fn a_short_or_very_long_sum_is_left_as_written() {
        let mut func = chain(3, 3);
        assert_eq!(regroup_sums(&mut func), 0);
        // A chain of 200 000 additions: no deep recursion, no balanced
        // tree of 100 000 live partial sums.
        let mut func = chain(2, 200_000);
        assert_eq!(regroup_sums(&mut func), 0);
        assert_eq!(adds(&func), 199_999);
    }
}
