//! Induction variables that step together, carried as one.
//!
//! clang's wasm32 output walks each array of a loop with its own pointer
//! (`c[j] += a * b[j]` steps `&c[j]` and `&b[j]` by 4 each), where x86
//! code keeps one index for both. Once both pointers are 64-bit (the
//! parent module), the second is the first plus a loop-invariant
//! difference: carrying that difference instead saves an add on every
//! iteration, and `first + difference + offset` is still one x64 address
//! mode (`off(%first, %difference)`).
//!
//! Only pointers (into the memory at the fixed address) whose every use is
//! an address are merged: any other use would have to compute the sum,
//! and an index next to a base register would need a third register in
//! the address.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{types, Block, BlockArg, Function, Inst, InstBuilder, Value};

/// A 64-bit induction parameter the parent module made.
pub(super) struct Widened {
    pub header: Block,
    pub wide: Value,
    /// As `Plan::edges`: each branch into the header and its step.
    pub edges: Vec<(Inst, Option<i64>)>,
    /// It carries a native pointer (the memory at the fixed address) and
    /// only forms addresses.
    pub mergeable: bool,
}

/// Merge each group of [`Widened`] pointers of one header that only form
/// addresses and take the same step on every back edge into the first of
/// the group.
pub(super) fn merge_equal_steps(func: &mut Function, widened: &[Widened]) {
    let candidates: Vec<&Widened> = widened.iter().filter(|w| w.mergeable).collect();
    for (n, follower) in candidates.iter().enumerate() {
        let leader = candidates[..n]
            .iter()
            .find(|l| l.header == follower.header && l.edges == follower.edges);
        if let Some(leader) = leader {
            merge(func, leader, follower);
        }
    }
}

/// Carry `follower` as `leader + D`, `D` a new parameter that entry edges
/// set to the difference of the two values they pass and back edges pass
/// on unchanged.
fn merge(func: &mut Function, leader: &Widened, follower: &Widened) {
    let header = leader.header;
    let (Some(lead_at), Some(follow_at)) = (
        super::param_index(func, header, leader.wide),
        super::param_index(func, header, follower.wide),
    ) else {
        return;
    };
    let difference = func.dfg.append_block_param(header, types::I64);
    for &(branch, step) in &follower.edges {
        let passed = passed_values(func, branch, header, lead_at, follow_at);
        let mut pos = FuncCursor::new(func).at_inst(branch);
        let new_args: Vec<Value> = passed
            .into_iter()
            .map(|(lead, follow)| match step {
                // A back edge: both stepped alike, the difference holds.
                Some(_) => difference,
                None => pos.ins().isub(follow, lead),
            })
            .collect();
        let dfg = &mut func.dfg;
        let mut new_args = new_args.into_iter();
        for call in dfg.insts[branch]
            .branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
        {
            if call.block(&dfg.value_lists) == header {
                if let Some(v) = new_args.next() {
                    call.append_argument(v, &mut dfg.value_lists);
                }
                call.remove(follow_at, &mut dfg.value_lists);
            }
        }
    }
    let mut pos = FuncCursor::new(func);
    pos.goto_first_insertion_point(header);
    let sum = pos.ins().iadd(leader.wide, difference);
    func.dfg.remove_block_param(follower.wide);
    func.dfg.change_to_alias(follower.wide, sum);
}

/// For each call of `branch` into `header`: the values it passes at
/// positions `lead_at` and `follow_at`.
fn passed_values(
    func: &Function,
    branch: Inst,
    header: Block,
    lead_at: usize,
    follow_at: usize,
) -> Vec<(Value, Value)> {
    let dfg = &func.dfg;
    let value = |arg: Option<BlockArg>| match arg {
        Some(BlockArg::Value(v)) => Some(v),
        _ => None,
    };
    dfg.insts[branch]
        .branch_destination(&dfg.jump_tables, &dfg.exception_tables)
        .iter()
        .filter(|call| call.block(&dfg.value_lists) == header)
        .filter_map(|call| {
            let lead = value(call.args(&dfg.value_lists).nth(lead_at))?;
            let follow = value(call.args(&dfg.value_lists).nth(follow_at))?;
            Some((lead, follow))
        })
        .collect()
}
