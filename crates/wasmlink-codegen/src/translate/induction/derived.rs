//! Pointers derived from a loop's index.
//!
//! clang indexes an array on the shadow stack as `w + i` in 32 bits
//! (SHA-256's message schedule reads `w + i + 4`, `w + i + 36`, ... for
//! `i` from 0 to 188 by 4). No access at `w + i` itself comes first, so
//! the parent module cannot prove that `w + i + 4` does not wrap, and each
//! access computes its 32-bit address and widens it again. Two facts
//! prove it instead:
//!
//! - the loop is counted: `i` starts at a constant and steps by a constant
//!   until it equals a constant limit, so it stays within `[i0, i_max]`
//!   (the test may close the loop, or open it: `while (i != limit)`);
//! - `w` is loop-invariant and an access at `w + j` (`j <= 0`) runs before
//!   the loop, so `w < 2^32 - PAGE_SIZE - j` (no memory is larger).
//!
//! Then `w + i + k` cannot wrap for `0 <= k <= PAGE_SIZE + j - i_max`: the
//! allowance. This pass gives `q = w + i` a header parameter of its own
//! (`w + i0` on entry, `q + step` on the back edge) and reports its
//! allowance, which the parent module's proofs accept, so `q` is widened
//! to a pointer like any other address induction variable, and the index,
//! left with only its exit test, goes too (`exit_test`).
//!
//! Any index, counted or not, that steps by a constant (in 32 bits, or
//! in 64 bits and narrowed by `ireduce`): `q = w + i` with `w`
//! loop-invariant gets a header parameter of its own too when an
//! access at `q` itself runs on every iteration (it dominates the back
//! edge). That access is the parent module's usual proof, so `q` needs
//! no allowance: the sieve's `composite[i]`, for `i` up to a limit read at
//! run time, becomes a pointer that steps with `i`. The new parameter is
//! `w + i` by construction (`w + i0` on entry, `q + step` where `i`
//! gets `i + step`), whatever the 32-bit adds wrap to.
//!
//! A counted index also gets an allowance of its own, `2^32 - 1 - i_max`:
//! `i + k` for a table read at a constant distance (SHA-256's `K[i]`)
//! cannot wrap either.

use super::{args_to, edit_calls_into, invariant, loop_test, one, param_index, step_of, MAX_STEP};
use crate::translate::iconst_of;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{
    types, Block, Function, Inst, InstBuilder, InstructionData, Opcode, Value,
};
use std::collections::HashMap;

/// Give `w + i` its own header parameter where `i` is counted, or where
/// an access at `w + i` runs on every iteration (see the module comment).
/// Returns the allowances of the new parameters (of counted indices only)
/// and of the counted indices, and whether any parameter was added.
pub(super) fn derive_pointers(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    users: &HashMap<Value, Vec<Inst>>,
    accessed: &HashMap<Value, Vec<(Inst, i64)>>,
) -> (HashMap<Value, i64>, bool) {
    // Found on the function as it is, then applied.
    let mut found: Vec<Derived> = Vec::new();
    let mut indices: Vec<(Value, i64)> = Vec::new();
    let entry_block = func.layout.entry_block();
    for header in func.layout.blocks() {
        if Some(header) == entry_block {
            continue;
        }
        for &i in func.dfg.block_params(header) {
            let wide = match func.dfg.value_type(i) {
                types::I32 => false,
                types::I64 => true,
                _ => continue,
            };
            let Some(stepped) = stepped(func, cfg, domtree, header, i) else {
                continue;
            };
            // For a counted (32-bit) index, the largest value it takes.
            let max = if wide {
                None
            } else {
                counted(func, cfg, domtree, header, i, &stepped)
            };
            if let Some(max) = max {
                indices.push((i, i64::from(u32::MAX) - max));
            }
            // `i` in 32 bits: itself, or for a 64-bit index (clang's
            // `long` counters), each `ireduce` of it, which steps with it.
            let narrow: Vec<Value> = if wide {
                users
                    .get(&i)
                    .into_iter()
                    .flatten()
                    .filter_map(|&user| {
                        let data = &func.dfg.insts[user];
                        let ireduce = data.opcode() == Opcode::Ireduce
                            && func.dfg.ctrl_typevar(user) == types::I32;
                        ireduce.then(|| func.dfg.first_result(user))
                    })
                    .collect()
            } else {
                vec![i]
            };
            // Each `w + i`, grouped by `w`.
            let mut sums: Vec<(Value, Vec<Inst>)> = Vec::new();
            let adds = narrow.iter().flat_map(|&n| {
                users
                    .get(&n)
                    .into_iter()
                    .flatten()
                    .map(move |&user| (n, user))
            });
            for (n, user) in adds {
                let InstructionData::Binary {
                    opcode: Opcode::Iadd,
                    args: [a, b],
                } = func.dfg.insts[user]
                else {
                    continue;
                };
                let w = if b == n { a } else { b };
                if w == n || !invariant(func, domtree, w, header) {
                    continue;
                }
                match sums.iter_mut().find(|(v, _)| *v == w) {
                    Some((_, adds)) => adds.push(user),
                    None => sums.push((w, vec![user])),
                }
            }
            for (w, adds) in sums {
                let allowance = max.and_then(|max| {
                    // The access before the loop nearest to `w`: at
                    // `w + j`, the largest `j <= 0`.
                    let j = accessed
                        .get(&w)
                        .into_iter()
                        .flatten()
                        .filter(|&&(a, _)| domtree.dominates(a, header, &func.layout))
                        .map(|&(_, j)| j)
                        .max()?;
                    let allowance = MAX_STEP + j - max;
                    (allowance >= stepped.step).then_some(allowance)
                });
                // Without an allowance, an access at `w + i` on every
                // iteration is the proof.
                let accessed_each_iteration = || {
                    adds.iter().any(|&add| {
                        let sum = func.dfg.first_result(add);
                        accessed.get(&sum).into_iter().flatten().any(|&(a, j)| {
                            j == 0
                                && domtree.dominates(header, a, &func.layout)
                                && domtree.dominates(a, stepped.back, &func.layout)
                        })
                    })
                };
                if allowance.is_some() || accessed_each_iteration() {
                    found.push(Derived {
                        header,
                        stepped,
                        w,
                        adds,
                        allowance,
                    });
                }
            }
        }
    }
    let mut derived: HashMap<Value, i64> = indices.into_iter().collect();
    let changed = !found.is_empty();
    for found in found {
        let (header, stepped) = (found.header, found.stepped);
        let q = func.dfg.append_block_param(header, types::I32);
        let mut pos = FuncCursor::new(func).at_inst(stepped.entry);
        let q0 = match iconst_of(pos.func, stepped.start) {
            Some(start) => pos.ins().iadd_imm_s(found.w, i64::from(start as u32)),
            None if pos.func.dfg.value_type(stepped.start) == types::I64 => {
                let start = pos.ins().ireduce(types::I32, stepped.start);
                pos.ins().iadd(found.w, start)
            }
            None => pos.ins().iadd(found.w, stepped.start),
        };
        append_arg(func, stepped.entry, header, q0);
        let mut pos = FuncCursor::new(func).at_inst(stepped.back);
        let next = pos.ins().iadd_imm_s(q, stepped.step);
        append_arg(func, stepped.back, header, next);
        for add in found.adds {
            let sum = func.dfg.first_result(add);
            func.layout.remove_inst(add);
            func.dfg.clear_results(add);
            func.dfg.change_to_alias(sum, q);
        }
        if let Some(allowance) = found.allowance {
            derived.insert(q, allowance);
        }
    }
    (derived, changed)
}

/// A `w + i` to give its own header parameter.
struct Derived {
    header: Block,
    stepped: Stepped,
    w: Value,
    /// The `iadd`s of `w` and `i` in the loop.
    adds: Vec<Inst>,
    /// For a counted `i`, how far past `q` accesses cannot wrap.
    allowance: Option<i64>,
}

/// An index that steps by a constant: its one branch into the header from
/// outside the loop and what that passes, and its one back edge and what
/// that passes (`i + step`).
#[derive(Clone, Copy)]
struct Stepped {
    entry: Inst,
    start: Value,
    back: Inst,
    next: Value,
    step: i64,
}

/// `i` as an index of `header` that steps by a constant (see [`Stepped`]).
fn stepped(
    func: &Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    header: Block,
    i: Value,
) -> Option<Stepped> {
    let index = param_index(func, header, i)?;
    let (mut entry, mut back) = (None, None);
    for pred in cfg.pred_iter(header) {
        let inside = domtree.block_dominates(header, pred.block);
        let slot = if inside { &mut back } else { &mut entry };
        if slot.replace(pred.inst).is_some() {
            return None;
        }
    }
    let (entry, back) = (entry?, back?);
    let start = one(args_to(func, entry, header, index)?)?;
    let next = one(args_to(func, back, header, index)?)?;
    let step = step_of(func, i, next).filter(|&s| s > 0)?;
    Some(Stepped {
        entry,
        start,
        back,
        next,
        step,
    })
}

/// The largest value `i` takes when it is a counted index of `header`: it
/// steps (`stepped`) from a constant, the back edge passes `i + step`
/// when `i + step` (or `i`) is not a constant limit, and the limit is
/// reached exactly.
fn counted(
    func: &Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    header: Block,
    i: Value,
    stepped: &Stepped,
) -> Option<i64> {
    let (back, next, step) = (stepped.back, stepped.next, stepped.step);
    let start = iconst_of(func, stepped.start).map(|c| i64::from(c as u32))?;
    // What keeps the loop going: the back edge itself, `brif (icmp ne x,
    // limit), header, exit` (or `eq` with the targets swapped), or the
    // header's own `brif` of that shape into a block that alone leads to
    // the back edge (a loop tested at the top).
    let back_block = func.layout.inst_block(back)?;
    let (tested, limit) = guard(func, back, header).or_else(|| {
        let last = func.layout.last_inst(header)?;
        let (stay, tested, limit) = guard_into(func, last)?;
        let single = cfg.pred_iter(stay).count() == 1;
        (stay != header && single && domtree.block_dominates(stay, back_block))
            .then_some((tested, limit))
    })?;
    // The last value `i` takes in the loop.
    let max = if tested == next {
        limit - step
    } else if tested == i {
        limit
    } else {
        return None;
    };
    (start <= max && (max - start) % step == 0).then_some(max)
}

/// `(x, limit)` when `branch` stays in the loop of `header` (goes to it)
/// only while `x != limit` (see [`guard_into`]).
fn guard(func: &Function, branch: Inst, header: Block) -> Option<(Value, i64)> {
    let (stay, tested, limit) = guard_into(func, branch)?;
    (stay == header).then_some((tested, limit))
}

/// For a [`LoopTest`] of `x` against a constant `limit`: `(stay, x,
/// limit)`; `stay` is entered only while `x != limit`.
fn guard_into(func: &Function, branch: Inst) -> Option<(Block, Value, i64)> {
    let test = loop_test(func, branch)?;
    let args = test.args;
    let (tested, limit) = match args.map(|a| iconst_of(func, a)) {
        [None, Some(l)] => (args[0], l),
        [Some(l), None] => (args[1], l),
        _ => return None,
    };
    Some((test.stay, tested, i64::from(limit as u32)))
}

/// Append `v` to the arguments `branch` passes `header` (it calls it once).
fn append_arg(func: &mut Function, branch: Inst, header: Block, v: Value) {
    edit_calls_into(func, branch, header, |call, pool| {
        call.append_argument(v, pool)
    });
}
