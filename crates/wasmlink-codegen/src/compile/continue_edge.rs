//! A loop's `continue` edge given its own copy of the latch, between
//! Cranelift's mid-end and its lowering.
//!
//! clang writes `for (...) { if (skip) continue; body }` as a loop header
//! that ends in a branch either to the latch (the block that steps the
//! loop and branches back) or into the body, whose paths join the latch
//! too. Cranelift lays blocks out in reverse postorder, so the latch comes
//! after the body, and every skipped iteration takes two taken branches:
//! header to latch, latch back to header. The sieve of `examples/bench`
//! skips 47 of its 50 million numbers that way. Native compilers lay such
//! a loop out with the latch falling through into the header, one taken
//! branch per skip.
//!
//! This pass gives the header's edge a copy of a small latch region of
//! its own (the latch and the blocks only it reaches, up to
//! [`MAX_INSTS`] instructions, branching back to the header) and makes
//! the copy the header's second successor, which reverse postorder places
//! right after the header: a skipped iteration falls from the header
//! into the copy and takes one branch, back to the header. The body is
//! entered by a taken branch instead; a path through the body is long, so
//! one more jump weighs less on it than it saves the short path.
//!
//! Why it is exact: every path runs one copy of the same instructions.
//! Values defined in the region must be used only inside it (they are
//! then renamed in the copy, and nothing outside needs to choose between
//! the two); calls are not copied, since their stack maps and exception
//! tables live beside the instruction.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::{
    types, Block, BlockArg, Function, Inst, InstBuilder, InstructionData, Opcode, Value, ValueDef,
};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};
use std::collections::{HashMap, HashSet};

/// The most instructions a latch region may have to be copied.
const MAX_INSTS: usize = 16;

/// The most blocks a latch region may have.
const MAX_BLOCKS: usize = 4;

/// One header whose `continue` edge gets its latch region.
struct Plan {
    header: Block,
    /// The header's `brif`.
    branch: Inst,
    /// Which of the `brif`'s targets (0: taken when non-zero) leads to
    /// the latch.
    side: usize,
    /// The branch that enters the latch on that way: the header's `brif`,
    /// or the `jump` at the end of the blocks between.
    into_latch: Inst,
    /// The latch first, then the blocks only the region reaches.
    region: Vec<Block>,
    /// Whether the region must be copied: the latch has other
    /// predecessors. Otherwise only the branch is reordered.
    copy: bool,
    /// Values of the region used beyond its exits.
    exits: Vec<ExitUse>,
}

/// A value the region defines that blocks below one of its exits read:
/// the exit gets a parameter for it, which the region and its copy pass.
struct ExitUse {
    value: Value,
    /// A successor of the region whose predecessors are all in it.
    exit: Block,
    /// The blocks below `exit` that read `value`.
    uses: Vec<Block>,
}

/// Give each loop's `continue` edge its own latch region (see the module
/// comment). `cfg`, `domtree` and `loops` are those of `func` as it is.
/// Returns how many edges were changed; the caller recomputes the
/// control-flow graph and the dominator tree when it is not zero.
pub(crate) fn copy_continue_latches(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    loops: &LoopAnalysis,
) -> usize {
    let candidates: Vec<Plan> = loops
        .loops()
        .filter_map(|lp| plan(func, cfg, loops, lp))
        .collect();
    if candidates.is_empty() {
        return 0;
    }
    // Operands name values directly from here on, so the copy renames
    // every use of a region value.
    func.dfg.resolve_all_aliases();
    let uses = uses(func);
    let mut claimed: HashSet<Block> = HashSet::new();
    let mut plans = Vec::new();
    for mut plan in candidates {
        let Some(exits) = exit_uses(func, cfg, domtree, &uses, &plan.region) else {
            continue;
        };
        // The blocks this plan edits; plans that share none cannot undo
        // each other's premises.
        let mut touched: Vec<Block> = plan.region.clone();
        touched.push(plan.header);
        touched.extend(func.layout.inst_block(plan.into_latch));
        for e in &exits {
            touched.push(e.exit);
            touched.extend(&e.uses);
        }
        if touched.iter().any(|b| claimed.contains(b)) {
            continue;
        }
        claimed.extend(touched);
        plan.exits = exits;
        plans.push(plan);
    }
    for plan in &plans {
        apply(func, &uses, plan);
    }
    plans.len()
}

/// The plan for loop `lp` when its header ends in a `brif` one of whose
/// targets starts a small region of the loop that branches back to it.
fn plan(func: &Function, cfg: &ControlFlowGraph, loops: &LoopAnalysis, lp: Loop) -> Option<Plan> {
    let header = loops.loop_header(lp);
    let branch = func.layout.last_inst(header)?;
    let InstructionData::Brif { arg, blocks, .. } = &func.dfg.insts[branch] else {
        return None;
    };
    // Inverting a 128-bit condition would need a 128-bit constant.
    if func.dfg.value_type(*arg) == types::I128 {
        return None;
    }
    let targets = blocks.map(|c| c.block(&func.dfg.value_lists));
    if targets[0] == targets[1] || targets.contains(&header) {
        return None;
    }
    // The side whose way back to the header is shorter; none when both
    // are as short (an `if`/`else` in the loop, not a `continue`).
    let sides: Vec<(usize, Plan)> = (0..2)
        .filter_map(|side| side_plan(func, cfg, loops, lp, branch, side, targets[side]))
        .collect();
    match &sides[..] {
        [(a, _), (b, _)] if a == b => None,
        _ => sides
            .into_iter()
            .min_by_key(|(len, _)| *len)
            .map(|(_, p)| p),
    }
}

/// The plan for one side of the header's `brif`, and how many
/// instructions its way back to the header has before the latch. The
/// way may first pass blocks that only it enters and that end in a
/// `jump` (`continue` after some work of its own); the block it then
/// reaches is the latch.
fn side_plan(
    func: &Function,
    cfg: &ControlFlowGraph,
    loops: &LoopAnalysis,
    lp: Loop,
    branch: Inst,
    side: usize,
    target: Block,
) -> Option<(usize, Plan)> {
    let header = loops.loop_header(lp);
    let (mut latch, mut into_latch, mut before) = (target, branch, 0);
    let mut way = vec![header];
    for _ in 0..MAX_BLOCKS {
        let jump = func.layout.last_inst(latch)?;
        let single_entry = cfg.pred_iter(latch).count() == 1;
        let InstructionData::Jump { destination, .. } = func.dfg.insts[jump] else {
            break;
        };
        if !single_entry || !loops.is_in_loop(latch, lp) {
            break;
        }
        before += func.layout.block_insts(latch).count();
        way.push(latch);
        (latch, into_latch) = (destination.block(&func.dfg.value_lists), jump);
    }
    if latch == header || before > MAX_INSTS {
        return None;
    }
    let region = latch_region(func, cfg, loops, lp, latch)?;
    way.extend(&region);
    if !heavy_elsewhere(func, loops, lp, &way) {
        return None;
    }
    let copy = cfg.pred_iter(latch).any(|p| p.inst != into_latch);
    // Already in place: the way is the header's second target and the
    // only way into the latch.
    if !copy && side == 1 {
        return None;
    }
    Some((
        before,
        Plan {
            header,
            branch,
            side,
            into_latch,
            region,
            copy,
            exits: Vec::new(),
        },
    ))
}

/// Whether the rest of loop `lp`, off the way back to its header, makes
/// a call or runs a loop of its own. The layout trades one taken branch
/// on the way for one more on the rest; a path that calls or loops costs
/// tens of cycles, so the branch it gains weighs little against the one
/// the short way saves. Between two short paths the trade is a guess
/// (which one runs more often), and the loop is left as it is.
fn heavy_elsewhere(func: &Function, loops: &LoopAnalysis, lp: Loop, way: &[Block]) -> bool {
    func.layout.blocks().any(|block| {
        loops.is_in_loop(block, lp)
            && !way.contains(&block)
            && (loops.innermost_loop(block) != Some(lp)
                || func
                    .layout
                    .block_insts(block)
                    .any(|inst| func.dfg.insts[inst].opcode().is_call()))
    })
}

/// The region that starts at `latch`: it and every block of loop `lp`
/// all of whose predecessors are in the region, when it is small, has no
/// calls, ends its blocks in `jump` or `brif`, and branches back to the
/// loop's header.
fn latch_region(
    func: &Function,
    cfg: &ControlFlowGraph,
    loops: &LoopAnalysis,
    lp: Loop,
    latch: Block,
) -> Option<Vec<Block>> {
    let header = loops.loop_header(lp);
    if !loops.is_in_loop(latch, lp) {
        return None;
    }
    let mut region = vec![latch];
    let mut insts = 0;
    let mut back = false;
    let mut next = 0;
    while let Some(&block) = region.get(next) {
        next += 1;
        for inst in func.layout.block_insts(block) {
            let opcode = func.dfg.insts[inst].opcode();
            insts += 1;
            if insts > MAX_INSTS || opcode.is_call() {
                return None;
            }
            if opcode.is_terminator() && !matches!(opcode, Opcode::Jump | Opcode::Brif) {
                return None;
            }
        }
        for succ in func.block_successors(block) {
            if succ == header {
                back = true;
            } else if !region.contains(&succ)
                && loops.is_in_loop(succ, lp)
                && cfg.pred_iter(succ).all(|p| region.contains(&p.block))
            {
                if region.len() == MAX_BLOCKS {
                    return None;
                }
                region.push(succ);
            }
        }
    }
    back.then_some(region)
}

/// For each value, how many operands name it and the blocks they are in.
/// Copying a region adds uses only of values no header's branch reads
/// alone, so the counts stay right for [`invert`].
type Uses = HashMap<Value, (usize, Vec<Block>)>;

fn uses(func: &Function) -> Uses {
    let mut uses = Uses::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for v in func.dfg.inst_values(inst) {
                let (count, at) = uses.entry(v).or_default();
                *count += 1;
                if at.last() != Some(&block) {
                    at.push(block);
                }
            }
        }
    }
    uses
}

/// Where the values the region defines are used outside it: `None` when
/// some use is not below an exit all of whose predecessors are in the
/// region (the copy would leave it with two definitions to choose from).
fn exit_uses(
    func: &Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    uses: &Uses,
    region: &[Block],
) -> Option<Vec<ExitUse>> {
    let mut exits: Vec<Block> = Vec::new();
    for &block in region {
        for succ in func.block_successors(block) {
            if !region.contains(&succ)
                && !exits.contains(&succ)
                && cfg.pred_iter(succ).all(|p| region.contains(&p.block))
            {
                exits.push(succ);
            }
        }
    }
    let defined = region.iter().flat_map(|&block| {
        let params = func.dfg.block_params(block).iter().copied();
        let results = func
            .layout
            .block_insts(block)
            .flat_map(|inst| func.dfg.inst_results(inst).iter().copied());
        params.chain(results)
    });
    let mut found: Vec<ExitUse> = Vec::new();
    for value in defined {
        let outside = uses
            .get(&value)
            .into_iter()
            .flat_map(|(_, at)| at)
            .filter(|b| !region.contains(b));
        for &block in outside {
            // Exits do not dominate one another (each is entered only
            // from the region), so at most one is above `block`.
            let exit = *exits.iter().find(|&&x| domtree.block_dominates(x, block))?;
            match found
                .iter_mut()
                .find(|e| e.value == value && e.exit == exit)
            {
                Some(e) => e.uses.push(block),
                None => found.push(ExitUse {
                    value,
                    exit,
                    uses: vec![block],
                }),
            }
        }
    }
    Some(found)
}

/// Give `e.exit` a parameter for `e.value`, passed by every branch into
/// it (all in the region), and make the blocks below read it.
fn add_exit_param(func: &mut Function, region: &[Block], e: &ExitUse) {
    let ty = func.dfg.value_type(e.value);
    let param = func.dfg.append_block_param(e.exit, ty);
    for &block in region {
        let Some(term) = func.layout.last_inst(block) else {
            continue;
        };
        let dfg = &mut func.dfg;
        for call in
            dfg.insts[term].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
        {
            if call.block(&dfg.value_lists) == e.exit {
                call.append_argument(e.value, &mut dfg.value_lists);
            }
        }
    }
    for &block in &e.uses {
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        for inst in insts {
            func.dfg
                .map_inst_values(inst, |v| if v == e.value { param } else { v });
        }
    }
}

/// Copy the region for the header's edge (when it has other
/// predecessors) and make it the header's second target.
fn apply(func: &mut Function, uses: &Uses, plan: &Plan) {
    // Before the copy, which then passes its own values.
    for e in &plan.exits {
        add_exit_param(func, &plan.region, e);
    }
    let latch = if plan.copy {
        copy_region(func, plan.header, &plan.region)
    } else {
        plan.region[0]
    };
    let dfg = &mut func.dfg;
    match &mut dfg.insts[plan.into_latch] {
        InstructionData::Brif { blocks, .. } => {
            blocks[plan.side].set_block(latch, &mut dfg.value_lists);
        }
        InstructionData::Jump { destination, .. } => {
            destination.set_block(latch, &mut dfg.value_lists);
        }
        _ => {}
    }
    if plan.side == 0 {
        invert(func, uses, plan.branch);
    }
}

/// Copy `region` after `header` with fresh values; branches between its
/// blocks go to the copies, and edges that leave it from a `brif` (for
/// the header) get blocks of their own. Returns the copy of its first
/// block.
fn copy_region(func: &mut Function, header: Block, region: &[Block]) -> Block {
    let mut blocks: HashMap<Block, Block> = HashMap::new();
    let mut values: HashMap<Value, Value> = HashMap::new();
    let mut at = header;
    for &block in region {
        let copy = func.dfg.make_block();
        func.layout.insert_block_after(copy, at);
        at = copy;
        for &p in func.dfg.block_params(block).to_vec().iter() {
            let ty = func.dfg.value_type(p);
            values.insert(p, func.dfg.append_block_param(copy, ty));
        }
        blocks.insert(block, copy);
    }
    let mut copies = Vec::new();
    for &block in region {
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        for inst in insts {
            let copy = func.dfg.clone_inst(inst);
            func.layout.append_inst(copy, blocks[&block]);
            let srcloc = func.srcloc(inst);
            func.set_srcloc(copy, srcloc);
            let old = func.dfg.inst_results(inst).iter();
            values.extend(
                old.copied()
                    .zip(func.dfg.inst_results(copy).iter().copied()),
            );
            copies.push(copy);
        }
    }
    for copy in copies {
        func.dfg
            .map_inst_values(copy, |v| values.get(&v).copied().unwrap_or(v));
        let two_way = func.dfg.insts[copy].opcode() == Opcode::Brif;
        let mut exits = Vec::new();
        let dfg = &mut func.dfg;
        for (side, call) in dfg.insts[copy]
            .branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
            .iter_mut()
            .enumerate()
        {
            let target = call.block(&dfg.value_lists);
            if let Some(&to) = blocks.get(&target) {
                call.set_block(to, &mut dfg.value_lists);
            } else if two_way && target != header {
                exits.push(side);
            }
        }
        for side in exits {
            split_exit(func, copy, side);
        }
    }
    blocks[&region[0]]
}

/// Route the `side` edge of the copied `brif` through a block of its own
/// that jumps on. The edge's target now has two predecessors more, so
/// lowering would split the edge itself and lay the split block out
/// right after the branch, in the way of the loop's path; a block of
/// our own goes where reverse postorder puts it, after that path.
fn split_exit(func: &mut Function, branch: Inst, side: usize) {
    let stub = func.dfg.make_block();
    let block = func.layout.inst_block(branch).expect("a copied branch");
    func.layout.insert_block_after(stub, block);
    let dfg = &mut func.dfg;
    let InstructionData::Brif { blocks, .. } = dfg.insts[branch] else {
        return;
    };
    let target = blocks[side].block(&dfg.value_lists);
    let args: Vec<BlockArg> = blocks[side].args(&dfg.value_lists).collect();
    let to_stub = dfg.block_call(stub, &[]);
    if let InstructionData::Brif { blocks, .. } = &mut dfg.insts[branch] {
        blocks[side] = to_stub;
    }
    let mut pos = FuncCursor::new(func).at_bottom(stub);
    pos.ins().jump(target, &args);
}

/// Swap the targets of `brif c, a, b` into `brif !c, b, a`. A comparison
/// only the branch reads is complemented in place (the lowering fuses it
/// with the branch); any other condition is compared with zero.
fn invert(func: &mut Function, uses: &Uses, branch: Inst) {
    let InstructionData::Brif { arg, .. } = func.dfg.insts[branch] else {
        return;
    };
    let only_use = match func.dfg.value_def(arg) {
        ValueDef::Result(def, _) if uses.get(&arg).is_some_and(|(n, _)| *n == 1) => Some(def),
        _ => None,
    };
    let complemented = match only_use.map(|def| &mut func.dfg.insts[def]) {
        Some(InstructionData::IntCompare { cond, .. }) => {
            *cond = cond.complement();
            true
        }
        _ => false,
    };
    let cond = if complemented {
        arg
    } else {
        let mut pos = FuncCursor::new(func).at_inst(branch);
        let ty = pos.func.dfg.value_type(arg);
        let zero = pos.ins().iconst(ty, 0);
        pos.ins().icmp(IntCC::Equal, arg, zero)
    };
    if let InstructionData::Brif { arg, blocks, .. } = &mut func.dfg.insts[branch] {
        *arg = cond;
        blocks.swap(0, 1);
    }
}
