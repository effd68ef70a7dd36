//! Address induction variables kept in 64 bits.
//!
//! A loop that walks memory with a 32-bit index `p` (`p += 4` on every
//! iteration) widens it again before every access: `uextend(p)` costs a
//! `mov` on x64, because nothing says a block parameter's upper half is
//! zero, and `uextend(p + 4)` cannot become an address-mode offset,
//! because the 32-bit add may wrap. Native code keeps such an index in a
//! 64-bit register. This pass replaces the loop header's parameter `p`
//! by a 64-bit `P` that always equals `uextend(p)`: the widenings read
//! `P` (or `P + k`), everything else reads `p` as `ireduce(P)`, free on
//! x64. When every widening only forms addresses off one constant base
//! (the memory `fixed-state` places at a fixed address), `P` carries the
//! native address `base + uextend(p)` instead: a pointer, as native code
//! walks arrays.
//!
//! Why it is exact: a back edge that passes `p + c` passes `P + c` for
//! `P`, which equals `uextend(p + c)` only if the 32-bit add does not
//! wrap. No memory is ever larger than [`MAX_MEMORY_PAGES`] pages, one
//! short of 4 GiB, so once an access at `p` has succeeded,
//! `p < 2^32 - PAGE_SIZE`, and adding at most [`PAGE_SIZE`] cannot wrap.
//! The pass therefore requires such an access to dominate each back edge
//! that adds a step, and each widening of `p + k` it rewrites. An access at
//! `p - j` proves the other side: a wrapped `p - j` would be beyond every
//! memory, so `p >= j`, and later widenings of `p - i` (`i <= j`, the
//! negative offsets clang gives fields before a pointer) become `P - i`.
//! Loops where none of that holds are left as they are.
//!
//! [`MAX_MEMORY_PAGES`]: wasmlink_abi::MAX_MEMORY_PAGES

mod derived;
mod exit_test;
mod merge;

use super::iconst_of;
use crate::traps::clif_trap;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, Block, BlockArg, BlockCall, Function, Inst, InstBuilder, InstructionData, Opcode, Value,
    ValueDef, ValueListPool,
};
use std::collections::HashMap;
use wasmlink_abi::{Trap, PAGE_SIZE};

/// The largest step, and the largest constant added before a widening,
/// that an access at `p` proves cannot wrap.
const MAX_STEP: i64 = PAGE_SIZE as i64;

/// Widen the address induction variables of `func` (see the module
/// comment). Runs on a translated function, before Cranelift's passes.
pub(super) fn widen_address_inductions(func: &mut Function) {
    if !branches_backwards(func) {
        return;
    }
    // Operands name values directly from here on, so a value compares
    // equal to `p` exactly when it is `p`. (The rewrites below make new
    // aliases; nothing compares those.)
    func.dfg.resolve_all_aliases();
    let accessed = accessed_indices(func);
    if accessed.is_empty() {
        return;
    }
    let mut cfg = ControlFlowGraph::with_function(func);
    let mut domtree = DominatorTree::with_function(func, &cfg);
    let mut users = users(func);
    let (derived, changed) = derived::derive_pointers(func, &cfg, &domtree, &users, &accessed);
    let mut accessed = accessed;
    if changed {
        // New parameters and aliases: look again.
        func.dfg.resolve_all_aliases();
        accessed = accessed_indices(func);
        cfg = ControlFlowGraph::with_function(func);
        domtree = DominatorTree::with_function(func, &cfg);
        users = self::users(func);
    }
    let facts = Facts {
        func,
        domtree: &domtree,
        accessed: &accessed,
        derived: &derived,
    };
    let mut plans = Vec::new();
    let entry = func.layout.entry_block();
    for header in func.layout.blocks() {
        if Some(header) == entry {
            continue;
        }
        for &p in func.dfg.block_params(header) {
            if func.dfg.value_type(p) == types::I32 {
                plans.extend(facts.plan(&cfg, &users, header, p));
            }
        }
    }
    // At most one exit test moves per loop.
    let mut tested = Vec::new();
    let tests: Vec<Option<exit_test::ExitTest>> = plans
        .iter()
        .map(|plan| {
            if tested.contains(&plan.header) {
                return None;
            }
            let test = facts.exit_test(&cfg, &users, plan);
            if test.is_some() {
                tested.push(plan.header);
            }
            test
        })
        .collect();
    let mut widened = Vec::new();
    let mut moved = Vec::new();
    for (plan, test) in plans.iter().zip(tests) {
        let Some(wide) = apply(func, plan) else {
            continue;
        };
        widened.push(merge::Widened {
            header: plan.header,
            wide,
            edges: plan.edges.clone(),
            // `base + P + D` would not fit one address mode; a pointer
            // plus `D` does.
            mergeable: plan.addresses_only && plan.pointer.is_some(),
        });
        if let Some(test) = test {
            moved.push((test, wide, plan.pointer));
        }
    }
    merge::merge_equal_steps(func, &widened);
    for (test, wide, pointer) in &moved {
        exit_test::apply(func, test, *wide, *pointer);
    }
}

/// Whether some branch goes to a block laid out before its own: the
/// translator lays a Wasm loop's header before its body, so a function
/// without one has no loop, and the pass spares it the dominator tree.
fn branches_backwards(func: &Function) -> bool {
    let mut seen = cranelift_codegen::entity::EntitySet::<Block>::new();
    let dfg = &func.dfg;
    for block in func.layout.blocks() {
        seen.insert(block);
        let Some(last) = func.layout.last_inst(block) else {
            continue;
        };
        let calls = dfg.insts[last].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
        if calls
            .iter()
            .any(|c| seen.contains(c.block(&dfg.value_lists)))
        {
            return true;
        }
    }
    false
}

/// How one header parameter `p` is widened.
struct Plan {
    header: Block,
    p: Value,
    /// Each predecessor branch into the header: the step it adds to `p`
    /// (`Some(0)`: passes `p` itself) on a back edge, `None` on an edge
    /// from outside the loop.
    edges: Vec<(Inst, Option<i64>)>,
    /// `uextend` instructions of `p + k` to replace with `P + k`.
    widenings: Vec<(Inst, i64)>,
    /// Addresses `base + uextend(p + k)` that only loads and stores use:
    /// they become `base + P`, and `k` moves into the accesses' offsets,
    /// where x64 address modes take it for free and the address is
    /// shared with the access at `p`.
    folds: Vec<Fold>,
    /// The constant base every fold adds, when the new parameter carries
    /// `base + uextend(p)` (a native address) rather than `uextend(p)`.
    pointer: Option<i64>,
    /// `p` only forms addresses (its other uses are its own steps into
    /// the header): the new parameter is then only used in addresses.
    addresses_only: bool,
    /// The other instructions that read `p`: they read `ireduce(P)`
    /// instead, so `p` is not carried at all (`ireduce` costs nothing).
    others: Vec<Inst>,
}

/// One address `base + w` (`add`), `w` a widening of `p + k`, and the
/// accesses that use it.
struct Fold {
    add: Inst,
    /// The other operand of `add`: the memory's base.
    base: Value,
    widened: Value,
    k: i64,
    accesses: Vec<Inst>,
}

/// What the function's accesses prove, and where.
struct Facts<'f> {
    func: &'f Function,
    domtree: &'f DominatorTree,
    /// For a 32-bit value `p`, the memory accesses whose index widens
    /// `p + j`, with `j` (`-MAX_STEP..=0`).
    accessed: &'f HashMap<Value, Vec<(Inst, i64)>>,
    /// Derived pointers and counted indices (`derived`), and how far above
    /// any value they take an add cannot wrap.
    derived: &'f HashMap<Value, i64>,
}

impl Facts<'_> {
    /// Whether `p + k` cannot wrap whenever `at` runs: an access at
    /// `p + j` (`j <= 0`) that dominates `at` has succeeded, so
    /// `|j| <= p < 2^32 - PAGE_SIZE + |j|` (a wrapped `p + j` would be at
    /// least `2^32 - PAGE_SIZE`, beyond every memory). That covers a
    /// positive `k` up to `PAGE_SIZE - |j|` and a negative one down to `j`.
    fn bounded(&self, p: Value, k: i64, at: Inst) -> bool {
        if self.derived.get(&p).is_some_and(|&a| (0..=a).contains(&k)) {
            return true;
        }
        self.accessed.get(&p).is_some_and(|list| {
            list.iter().any(|&(a, j)| {
                let covered = if k >= 0 { k - j <= MAX_STEP } else { j <= k };
                covered && a != at && self.domtree.dominates(a, at, &self.func.layout)
            })
        })
    }

    fn plan(
        &self,
        cfg: &ControlFlowGraph,
        users: &HashMap<Value, Vec<Inst>>,
        header: Block,
        p: Value,
    ) -> Option<Plan> {
        let func = self.func;
        let index = param_index(func, header, p)?;
        let mut edges: Vec<(Inst, Option<i64>)> = Vec::new();
        for pred in cfg.pred_iter(header) {
            if edges.iter().any(|(b, _)| *b == pred.inst) {
                continue;
            }
            let back = self.domtree.is_reachable(pred.block)
                && self.domtree.block_dominates(header, pred.block);
            let mut step = None;
            for arg in args_to(func, pred.inst, header, index)? {
                if !back {
                    continue;
                }
                let c = step_of(func, p, arg)?;
                if c != 0 && !self.bounded(p, c, pred.inst) {
                    return None;
                }
                // Two calls of one branch into the header (a `brif` with
                // both targets) must add the same step.
                if step.is_some_and(|s| s != c) {
                    return None;
                }
                step = Some(c);
            }
            edges.push((pred.inst, step));
        }
        let mut widenings = Vec::new();
        for &user in users.get(&p).into_iter().flatten() {
            if is_widening(func, user) {
                widenings.push((user, 0));
            } else if let Some(k) = add_of(func, user, p) {
                let sum = func.dfg.first_result(user);
                for &u in users.get(&sum).into_iter().flatten() {
                    if is_widening(func, u)
                        && (-MAX_STEP..=MAX_STEP).contains(&k)
                        && self.bounded(p, k, u)
                    {
                        widenings.push((u, k));
                    }
                }
            }
        }
        // Only a loop that steps `p` gains: elsewhere `uextend(p)` is
        // computed once anyway.
        let steps = edges.iter().any(|(_, step)| step.is_some_and(|c| c != 0));
        if !steps || widenings.is_empty() {
            return None;
        }
        let others: Vec<Inst> = users
            .get(&p)
            .into_iter()
            .flatten()
            .copied()
            .filter(|u| !widenings.iter().any(|(w, _)| w == u))
            .collect();
        let addresses_only = others.iter().all(|&u| {
            let steps_itself = add_of(func, u, p).is_some_and(|_| {
                let sum = func.dfg.first_result(u);
                users.get(&sum).into_iter().flatten().all(|&b| {
                    widenings.iter().any(|(w, _)| *w == b)
                        || only_as_header_arg(func, b, sum, header, index)
                })
            });
            steps_itself || only_as_header_arg(func, u, p, header, index)
        });
        let folds: Vec<Fold> = widenings
            .iter()
            .flat_map(|&(w, k)| {
                let widened = func.dfg.first_result(w);
                users
                    .get(&widened)
                    .into_iter()
                    .flatten()
                    .filter_map(move |&add| fold(func, users, add, widened, k))
            })
            .collect();
        // When every widening only forms addresses off one constant base
        // (the memory at the fixed address), carry the address itself:
        // the accesses then need neither the base nor a displacement
        // holding it, as native code walks a pointer.
        let base = folds.first().and_then(|f| iconst_of(func, f.base));
        let pointer = base.filter(|&b| {
            folds.iter().all(|f| iconst_of(func, f.base) == Some(b))
                && widenings.iter().all(|&(w, _)| {
                    let widened = func.dfg.first_result(w);
                    users
                        .get(&widened)
                        .into_iter()
                        .flatten()
                        .all(|u| folds.iter().any(|f| f.add == *u))
                })
        });
        Some(Plan {
            header,
            p,
            edges,
            widenings,
            folds,
            pointer,
            addresses_only,
            others,
        })
    }
}

/// Rewrite `func` as `plan` says; the new 64-bit parameter (`None` if
/// `p` is no longer the header's, which no plan leads to).
fn apply(func: &mut Function, plan: &Plan) -> Option<Value> {
    let index = param_index(func, plan.header, plan.p)?;
    let wide = func.dfg.append_block_param(plan.header, types::I64);
    for &(branch, step) in &plan.edges {
        let incoming = args_to(func, branch, plan.header, index).unwrap_or_default();
        let mut pos = FuncCursor::new(func).at_inst(branch);
        let passed: Vec<Value> = incoming
            .into_iter()
            .map(|arg| match step {
                Some(0) => wide,
                Some(c) => pos.ins().iadd_imm_s(wide, c),
                None => {
                    let offset = pos.ins().uextend(types::I64, arg);
                    match plan.pointer {
                        Some(base) => pos.ins().iadd_imm_s(offset, base),
                        None => offset,
                    }
                }
            })
            .collect();
        let mut passed = passed.into_iter();
        let dfg = &mut func.dfg;
        for call in dfg.insts[branch]
            .branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
        {
            if call.block(&dfg.value_lists) == plan.header {
                if let Some(v) = passed.next() {
                    call.append_argument(v, &mut dfg.value_lists);
                }
            }
        }
    }
    if plan.pointer.is_some() {
        // Each address `base + uextend(p + k)` is the pointer, `k` going
        // into the accesses' offsets; the widenings only fed them.
        for f in &plan.folds {
            let address = func.dfg.first_result(f.add);
            func.layout.remove_inst(f.add);
            func.dfg.clear_results(f.add);
            func.dfg.change_to_alias(address, wide);
            add_to_offsets(func, &f.accesses, f.k);
        }
        for &(inst, _) in &plan.widenings {
            func.layout.remove_inst(inst);
        }
    } else {
        for &(inst, k) in &plan.widenings {
            if k == 0 {
                let result = func.dfg.first_result(inst);
                func.layout.remove_inst(inst);
                func.dfg.clear_results(inst);
                func.dfg.change_to_alias(result, wide);
            } else {
                func.replace(inst).iadd_imm_s(wide, k);
            }
        }
        for f in &plan.folds {
            for arg in func.dfg.inst_args_mut(f.add) {
                if *arg == f.widened {
                    *arg = wide;
                }
            }
            add_to_offsets(func, &f.accesses, f.k);
        }
    }
    // Everything else reads `p` as the low half of `P`; then only the
    // branches into the header pass `p`, and it goes.
    let mut pos = FuncCursor::new(func);
    pos.goto_first_insertion_point(plan.header);
    let offset_of_p = match plan.pointer {
        Some(base) => pos.ins().iadd_imm_s(wide, base.wrapping_neg()),
        None => wide,
    };
    let narrow = pos.ins().ireduce(types::I32, offset_of_p);
    for &user in &plan.others {
        if func.layout.inst_block(user).is_none() {
            continue;
        }
        let dfg = &mut func.dfg;
        for arg in dfg.inst_args_mut(user) {
            if *arg == plan.p {
                *arg = narrow;
            }
        }
        for call in
            dfg.insts[user].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
        {
            let into_header = call.block(&dfg.value_lists) == plan.header;
            let mut i = 0;
            call.update_args(&mut dfg.value_lists, |arg| {
                let keep = into_header && i == index;
                i += 1;
                match arg {
                    BlockArg::Value(v) if v == plan.p && !keep => BlockArg::Value(narrow),
                    other => other,
                }
            });
        }
    }
    // Every branch into the header is among `edges`, once each.
    for &(branch, _) in &plan.edges {
        remove_header_arg(func, branch, plan.header, index);
    }
    func.dfg.remove_block_param(plan.p);
    Some(wide)
}

/// The one value of `values` (the arguments a branch passes a parameter,
/// when it calls the header once).
fn one(values: Vec<Value>) -> Option<Value> {
    match values[..] {
        [v] => Some(v),
        _ => None,
    }
}

/// Whether `v` is defined before the loop of `header` (its definition
/// strictly dominates the header).
fn invariant(func: &Function, domtree: &DominatorTree, v: Value, header: Block) -> bool {
    let block = match func.dfg.value_def(v) {
        ValueDef::Result(inst, _) => func.layout.inst_block(inst),
        ValueDef::Param(block, _) => Some(block),
        _ => None,
    };
    block.is_some_and(|b| b != header && domtree.block_dominates(b, header))
}

/// Remove argument `index` from each call of `branch` into `header`.
fn remove_header_arg(func: &mut Function, branch: Inst, header: Block, index: usize) {
    edit_calls_into(func, branch, header, |call, pool| call.remove(index, pool));
}

/// Apply `edit` to each call of `branch` into `header`.
fn edit_calls_into(
    func: &mut Function,
    branch: Inst,
    header: Block,
    mut edit: impl FnMut(&mut BlockCall, &mut ValueListPool),
) {
    let dfg = &mut func.dfg;
    for call in
        dfg.insts[branch].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
    {
        if call.block(&dfg.value_lists) == header {
            edit(call, &mut dfg.value_lists);
        }
    }
}

/// A loop's test: `brif c, ..` where `c` is `icmp ne x, y` or `icmp eq x,
/// y`, possibly widened to an `i32` (Wasm's `i32.ne`).
struct LoopTest {
    /// The target entered only while `x != y`, and the other.
    stay: Block,
    leave: Block,
    /// The branch's condition and the `icmp` (the same when not widened).
    condition: Value,
    compare: Inst,
    /// `x` and `y`.
    args: [Value; 2],
}

fn loop_test(func: &Function, branch: Inst) -> Option<LoopTest> {
    let InstructionData::Brif {
        arg: condition,
        blocks: [then_call, else_call],
        ..
    } = func.dfg.insts[branch]
    else {
        return None;
    };
    let mut compare = func.dfg.value_def(condition).inst()?;
    if let InstructionData::Unary {
        opcode: Opcode::Uextend,
        arg,
    } = func.dfg.insts[compare]
    {
        compare = func.dfg.value_def(arg).inst()?;
    }
    let InstructionData::IntCompare { cond, args, .. } = func.dfg.insts[compare] else {
        return None;
    };
    let pool = &func.dfg.value_lists;
    let (then_block, else_block) = (then_call.block(pool), else_call.block(pool));
    let (stay, leave) = match cond {
        IntCC::NotEqual => (then_block, else_block),
        IntCC::Equal => (else_block, then_block),
        _ => return None,
    };
    Some(LoopTest {
        stay,
        leave,
        condition,
        compare,
        args,
    })
}

/// Add `k` to the constant offsets of `accesses` ([`fold`] checked that
/// each sum is an `i32`).
fn add_to_offsets(func: &mut Function, accesses: &[Inst], k: i64) {
    for &access in accesses {
        if let InstructionData::Load { offset, .. } | InstructionData::Store { offset, .. } =
            &mut func.dfg.insts[access]
        {
            if let Ok(sum) = i32::try_from(i64::from(*offset) + k) {
                *offset = sum.into();
            }
        }
    }
}

/// A [`Fold`] of `add` when it is `base + widened` and every user is a
/// load or store with a constant offset that stays an `i32` once `k` is
/// added, addressing through it (a store of the address itself is not).
fn fold(
    func: &Function,
    users: &HashMap<Value, Vec<Inst>>,
    add: Inst,
    widened: Value,
    k: i64,
) -> Option<Fold> {
    let dfg = &func.dfg;
    let InstructionData::Binary {
        opcode: Opcode::Iadd,
        args,
    } = dfg.insts[add]
    else {
        return None;
    };
    let base = match args {
        [b, w] | [w, b] if w == widened && b != widened => b,
        _ => return None,
    };
    let address = dfg.first_result(add);
    let accesses = users.get(&address)?.clone();
    let addresses_only = accesses.iter().all(|&a| {
        let (addr, offset) = match dfg.insts[a] {
            InstructionData::Load { arg, offset, .. } => (arg, offset),
            InstructionData::Store {
                args: [value, arg],
                offset,
                ..
            } if value != address => (arg, offset),
            _ => return false,
        };
        addr == address && i32::try_from(i64::from(offset) + k).is_ok()
    });
    addresses_only.then_some(Fold {
        add,
        base,
        widened,
        k,
        accesses,
    })
}

/// Position of parameter `p` in `block`'s parameters.
fn param_index(func: &Function, block: Block, p: Value) -> Option<usize> {
    func.dfg.block_params(block).iter().position(|&v| v == p)
}

/// The values `branch` passes for parameter `index` of `header`, one per
/// call into it; `None` when it is not a plain branch or passes something
/// other than a value (a `try_call` result or exception payload).
fn args_to(func: &Function, branch: Inst, header: Block, index: usize) -> Option<Vec<Value>> {
    let data = &func.dfg.insts[branch];
    if !matches!(data.opcode(), Opcode::Jump | Opcode::Brif | Opcode::BrTable) {
        return None;
    }
    let pool = &func.dfg.value_lists;
    let mut out = Vec::new();
    for call in data.branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables) {
        if call.block(pool) != header {
            continue;
        }
        match call.args(pool).nth(index)? {
            BlockArg::Value(v) => out.push(v),
            _ => return None,
        }
    }
    Some(out)
}

/// The constant `c` when `v` is `p` (0) or `p + c` with `0 < c <=
/// MAX_STEP`.
fn step_of(func: &Function, p: Value, v: Value) -> Option<i64> {
    if v == p {
        return Some(0);
    }
    let ValueDef::Result(inst, 0) = func.dfg.value_def(v) else {
        return None;
    };
    add_of(func, inst, p).filter(|c| (1..=MAX_STEP).contains(c))
}

/// `k` when `inst` is the 32-bit `p + k` for a constant `k`.
fn add_of(func: &Function, inst: Inst, p: Value) -> Option<i64> {
    let InstructionData::Binary {
        opcode: Opcode::Iadd,
        args,
    } = func.dfg.insts[inst]
    else {
        return None;
    };
    let [a, b] = args;
    let k = if a == p {
        b
    } else if b == p {
        a
    } else {
        return None;
    };
    // An `i32` constant, read as signed whatever its stored upper bits.
    iconst_of(func, k).map(|k| i64::from(k as i32))
}

/// Whether `inst` is `uextend.i64` of a 32-bit value.
fn is_widening(func: &Function, inst: Inst) -> bool {
    matches!(
        func.dfg.insts[inst],
        InstructionData::Unary {
            opcode: Opcode::Uextend,
            ..
        }
    ) && func.dfg.value_type(func.dfg.first_result(inst)) == types::I64
}

/// Whether every use of `v` by `user` is as argument `index` of a call
/// into `header`.
fn only_as_header_arg(func: &Function, user: Inst, v: Value, header: Block, index: usize) -> bool {
    let dfg = &func.dfg;
    if dfg.inst_args(user).contains(&v) {
        return false;
    }
    dfg.insts[user]
        .branch_destination(&dfg.jump_tables, &dfg.exception_tables)
        .iter()
        .all(|call| {
            call.args(&dfg.value_lists)
                .enumerate()
                .all(|(i, arg)| match arg {
                    BlockArg::Value(a) if a == v => {
                        call.block(&dfg.value_lists) == header && i == index
                    }
                    _ => true,
                })
        })
}

/// Every instruction that reads each value, including as a branch
/// argument.
fn users(func: &Function) -> HashMap<Value, Vec<Inst>> {
    let dfg = &func.dfg;
    let mut users: HashMap<Value, Vec<Inst>> = HashMap::new();
    let mut add = |v: Value, inst: Inst| {
        let list = users.entry(v).or_default();
        if list.last() != Some(&inst) {
            list.push(inst);
        }
    };
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for &v in dfg.inst_args(inst) {
                add(v, inst);
            }
            let data = &dfg.insts[inst];
            for call in data.branch_destination(&dfg.jump_tables, &dfg.exception_tables) {
                for arg in call.args(&dfg.value_lists) {
                    if let BlockArg::Value(v) = arg {
                        add(v, inst);
                    }
                }
            }
        }
    }
    users
}

/// For each 32-bit value `p`, the memory accesses at `base + uextend(p + j)`
/// (or that index scaled), `j` a constant in `-MAX_STEP..=0`: an access at
/// `p` itself, and at `p + j` when `p + j` is a 32-bit add. See
/// [`Facts::bounded`] for what a successful one proves.
fn accessed_indices(func: &Function) -> HashMap<Value, Vec<(Inst, i64)>> {
    let oob = Some(clif_trap(Trap::MemoryOutOfBounds));
    let mut accessed: HashMap<Value, Vec<(Inst, i64)>> = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let data = &func.dfg.insts[inst];
            if data.memflags_trap_code(&func.dfg) != oob {
                continue;
            }
            let address = match *data {
                InstructionData::Load { arg, .. } | InstructionData::LoadNoOffset { arg, .. } => {
                    arg
                }
                InstructionData::Store { args: [_, a], .. }
                | InstructionData::StoreNoOffset { args: [_, a], .. } => a,
                _ => continue,
            };
            for q in widened_operands(func, address) {
                accessed.entry(q).or_default().push((inst, 0));
                let ValueDef::Result(add, 0) = func.dfg.value_def(q) else {
                    continue;
                };
                for &p in func.dfg.inst_args(add) {
                    match add_of(func, add, p) {
                        Some(j) if (-MAX_STEP..0).contains(&j) => {
                            accessed.entry(p).or_default().push((inst, j));
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    accessed
}

/// The 32-bit `p` of each operand `uextend(p)` or `uextend(p) << k` of
/// `address` when it is an `iadd`.
fn widened_operands(func: &Function, address: Value) -> Vec<Value> {
    use super::address::{defining_inst, shift_left_by_const};
    let dfg = &func.dfg;
    let narrow = |v: Value| -> Option<Value> {
        match dfg.insts[defining_inst(func, v)?] {
            InstructionData::Unary {
                opcode: Opcode::Uextend,
                arg,
            } if dfg.value_type(arg) == types::I32 => Some(arg),
            _ => None,
        }
    };
    let Some(add) = defining_inst(func, address) else {
        return Vec::new();
    };
    let InstructionData::Binary {
        opcode: Opcode::Iadd,
        args,
    } = dfg.insts[add]
    else {
        return Vec::new();
    };
    args.iter()
        .filter_map(|&v| {
            narrow(v).or_else(|| {
                // A scaled index `uextend(p) << k`, k <= 3, is at least
                // `uextend(p)`.
                let (x, k) = shift_left_by_const(func, v)?;
                if k <= 3 {
                    narrow(x)
                } else {
                    None
                }
            })
        })
        .collect()
}
