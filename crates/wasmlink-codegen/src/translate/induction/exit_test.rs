//! A loop's exit test moved from its counter to its pointer.
//!
//! clang's wasm32 loops often step a counter next to the pointers they
//! walk: `j += 2; if (j != limit) continue;` beside `p += 8`. Once the
//! parent module carries `p` as a 64-bit `P`, the counter is only there
//! for the test, and costs an add per iteration and a register (plus, for
//! a limit such as `n & -2`, the two instructions Cranelift spends
//! re-computing it inside the loop). This pass tests `P` instead, against
//! an end computed once before the loop, `P_end = P0 + r * (limit - j0)`,
//! with `r = step(P) / step(j)`, and drops the counter.
//!
//! Why it is exact. After `k + 1` steps the counter is `j0 + (k+1)*s`
//! modulo 2^32 and the pointer `P0 + (k+1)*r*s`, so `P_next == P_end`
//! exactly when `(k+1)*s == (limit - j0) mod 2^32` as integers, while the
//! counter test asks for that modulo 2^32. The two agree while
//! `(k+1)*s < 2^32`, and that always holds at the test: either an access
//! at `p` (at most a step below it) dominates the test, and no memory
//! reaches 2^32 - PAGE_SIZE, so `(k+1)*r*s`, the distance the pointer will
//! have travelled, is below 2^32 (a loop whose counter should wrap traps
//! on that access first, as it does without this pass); or `p` is counted
//! or derived from a counted index (`derived`), and its allowance bounds
//! that distance.
//!
//! Uses of the counter's last value after the loop read the limit: the
//! loop only leaves when they are equal.

use super::{
    args_to, invariant, loop_test, one, param_index, remove_header_arg, step_of, Facts, Plan,
    MAX_STEP,
};
use crate::translate::iconst_of;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{
    types, Block, BlockArg, Function, Inst, InstBuilder, InstructionData, Value, ValueDef,
};
use std::collections::HashMap;

/// A counter whose test can move to a widened parameter.
pub(super) struct ExitTest {
    header: Block,
    /// The counter `j` and the constant it adds per iteration.
    counter: Value,
    counter_step: i64,
    /// `j + step`, which the back edge passes and the test reads.
    next: Value,
    next_inst: Inst,
    /// The branch that stays in the loop or leaves it.
    back: Inst,
    /// The `icmp` (`ne` to stay, `eq` to leave) of `next` and `limit`.
    compare: Inst,
    limit: Value,
    /// The one branch from outside the loop into the header, and the
    /// initial values it passes for `p` and `j`.
    entry: Inst,
    p0: Value,
    j0: Value,
    /// The pointer's step on the back edge.
    step: i64,
    /// Instructions after the loop that read `next`: they read `limit`.
    after: Vec<Inst>,
}

impl Facts<'_> {
    /// The exit test of `plan`'s loop, when it can move to `plan`'s new
    /// parameter (see the module comment).
    pub(super) fn exit_test(
        &self,
        cfg: &ControlFlowGraph,
        users: &HashMap<Value, Vec<Inst>>,
        plan: &Plan,
    ) -> Option<ExitTest> {
        let func = self.func;
        let header = plan.header;
        let (mut entry, mut back) = (None, None);
        for &(inst, step) in &plan.edges {
            match step {
                None if entry.is_none() => entry = Some(inst),
                Some(c) if c > 0 && back.is_none() => back = Some((inst, c)),
                _ => return None,
            }
        }
        let (entry, (back, step)) = (entry?, back?);
        // `brif c, header(..), exit(..)` (or the other way round), the
        // comparison read nowhere else.
        let test = loop_test(func, back)?;
        let (compare, args) = (test.compare, test.args);
        let exit = test.leave;
        let single_use = |v: Value| users.get(&v).map(Vec::len) == Some(1);
        if test.stay != header
            || exit == header
            || !single_use(test.condition)
            || !single_use(func.dfg.first_result(compare))
        {
            return None;
        }
        // One operand is `j + s` for a counter `j` of the header.
        let (next, limit, counter, counter_step) =
            args.iter().enumerate().find_map(|(i, &next)| {
                let ValueDef::Result(add, 0) = func.dfg.value_def(next) else {
                    return None;
                };
                let counter = func.dfg.inst_args(add).iter().copied().find(|&j| {
                    j != plan.p
                        && param_index(func, header, j).is_some()
                        && func.dfg.value_type(j) == types::I32
                })?;
                let s = step_of(func, counter, next)?;
                Some((next, args[1 - i], counter, s))
            })?;
        if step % counter_step != 0 || step > MAX_STEP {
            return None;
        }
        // The counter is read only to step it, and its next value only by
        // the test, the back edge (as the counter) and code after the loop.
        let next_inst = func.dfg.value_def(next).inst()?;
        if users.get(&counter)? != &[next_inst] {
            return None;
        }
        let index = param_index(func, header, counter)?;
        if args_to(func, back, header, index)? != [next]
            || passes_elsewhere(func, back, header, index, next)
        {
            return None;
        }
        let single_exit = cfg.pred_iter(exit).count() == 1;
        let mut after = Vec::new();
        for &user in users.get(&next)? {
            if user == compare || user == back {
                continue;
            }
            let block = func.layout.inst_block(user)?;
            if !single_exit || !self.domtree.block_dominates(exit, block) {
                return None;
            }
            after.push(user);
        }
        // The limit is a constant or defined before the loop.
        if iconst_of(func, limit).is_none() && !invariant(func, self.domtree, limit, header) {
            return None;
        }
        // The pointer has moved past an access at `p` by the time of the
        // test (see the module comment).
        if !self.bounded(plan.p, step, compare) {
            return None;
        }
        let p0 = one(args_to(
            func,
            entry,
            header,
            param_index(func, header, plan.p)?,
        )?)?;
        let j0 = one(args_to(func, entry, header, index)?)?;
        Some(ExitTest {
            header,
            counter,
            counter_step,
            next,
            next_inst,
            back,
            compare,
            limit,
            entry,
            p0,
            j0,
            step,
            after,
        })
    }
}

/// Whether `branch` passes `v` into `header` other than as argument
/// `index` (passing it to the exit is fine: it equals the limit there).
fn passes_elsewhere(func: &Function, branch: Inst, header: Block, index: usize, v: Value) -> bool {
    let dfg = &func.dfg;
    dfg.insts[branch]
        .branch_destination(&dfg.jump_tables, &dfg.exception_tables)
        .iter()
        .filter(|call| call.block(&dfg.value_lists) == header)
        .any(|call| {
            call.args(&dfg.value_lists)
                .enumerate()
                .any(|(i, arg)| arg == BlockArg::Value(v) && i != index)
        })
}

/// Test `wide` (the parameter that replaced `p`; `pointer`: the constant
/// it adds to `uextend(p)`) instead of the counter, and drop the counter.
pub(super) fn apply(func: &mut Function, test: &ExitTest, wide: Value, pointer: Option<i64>) {
    let Some(index) = param_index(func, test.header, test.counter) else {
        return;
    };
    // Before the loop: the limit (a constant is made again there) and
    // `P_end = P0 + r * uextend(limit - j0)`.
    let mut pos = FuncCursor::new(func).at_inst(test.entry);
    let limit = match iconst_of(pos.func, test.limit) {
        Some(c) => pos.ins().iconst(types::I32, c),
        None => test.limit,
    };
    let start = pos.ins().uextend(types::I64, test.p0);
    let start = match pointer {
        Some(base) => pos.ins().iadd_imm_s(start, base),
        None => start,
    };
    let distance = pos.ins().isub(limit, test.j0);
    let distance = pos.ins().uextend(types::I64, distance);
    let distance = pos
        .ins()
        .imul_imm_s(distance, test.step / test.counter_step);
    let end = pos.ins().iadd(start, distance);
    // The test: the pointer's next value against the end.
    let cond = match func.dfg.insts[test.compare] {
        InstructionData::IntCompare { cond, .. } => cond,
        _ => return,
    };
    let mut pos = FuncCursor::new(func).at_inst(test.compare);
    let next = pos.ins().iadd_imm_s(wide, test.step);
    func.replace(test.compare).icmp(cond, next, end);
    // The counter goes: every branch into the header passes it once (the
    // back edge as `next`, which the exit reads as the limit).
    for &user in test.after.iter().chain([&test.back]) {
        replace_value(func, user, test.next, limit);
    }
    for branch in [test.entry, test.back] {
        remove_header_arg(func, branch, test.header, index);
    }
    func.layout.remove_inst(test.next_inst);
    func.dfg.remove_block_param(test.counter);
}

/// Make `user` read `to` wherever it reads `from`, branch arguments
/// included.
fn replace_value(func: &mut Function, user: Inst, from: Value, to: Value) {
    let dfg = &mut func.dfg;
    for arg in dfg.inst_args_mut(user) {
        if *arg == from {
            *arg = to;
        }
    }
    for call in
        dfg.insts[user].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
    {
        call.update_args(&mut dfg.value_lists, |arg| match arg {
            BlockArg::Value(v) if v == from => BlockArg::Value(to),
            other => other,
        });
    }
}
