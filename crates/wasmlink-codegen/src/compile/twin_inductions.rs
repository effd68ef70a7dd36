//! Induction variables that step together share one register, between
//! Cranelift's mid-end and its lowering.
//!
//! clang strength-reduces a loop's arithmetic before it writes Wasm: the
//! sieve of `examples/bench` keeps `i` as an `i64`, a copy of it as an
//! `i32`, and `i * i` twice (once as an offset into the array, once as a
//! number), each a loop-header parameter stepped on every back edge. Two
//! such parameters (twins) that every back edge steps by the same amount
//! (the same constant, or the same value) differ by the same amount on
//! every iteration: the one the loop reads only on some of its paths can
//! be computed from the other where it is read, and needs neither a
//! register across the loop nor a step on the paths that never read it.
//! A skipped number in the sieve then steps three variables, not six.
//!
//! Why it is exact: `q = p + (q₀ - p₀)` holds on entry and is kept by
//! `p + s`, `q + s`, in wrapping arithmetic; a narrower twin is the low
//! bits of the wider one plus the difference, since the low bits of a sum
//! are the sum of the low bits.
//!
//! An exit test on the twin that goes, `q == n` or `q + c == n` (or `!=`)
//! with `n` unchanged by the loop, becomes `p == n - c - (q₀ - p₀)`, with
//! the bound moved before the loop: exact in wrapping arithmetic (an
//! ordered comparison would not be). A counter the loop reads only to
//! know when to stop then disappears into its twin: the sieve's `i`, read
//! by its primes only, is computed from the pointer into the array.
//!
//! Only a loop with one entry edge is considered, only a twin whose steps
//! nothing but the back edges and such exit tests read is removed, and
//! only when every other read of it lies off the header's own path (below
//! a branch of the loop, in a deeper loop's preheader, or after the loop):
//! a twin read on every iteration would trade its step for an addition
//! there.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    Block, BlockArg, Function, Inst, InstBuilder, InstructionData, Opcode, Type, Value, ValueDef,
};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};
use std::collections::{HashMap, HashSet};

/// How a header parameter is stepped on every back edge.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Step {
    /// By this constant (as a signed number, whatever the type).
    Const(i64),
    /// By this value.
    Value(Value),
}

/// A header parameter stepped the same way on every back edge.
struct Induction {
    param: Value,
    /// Its position among the header's parameters.
    index: usize,
    step: Step,
    /// Its value on entry.
    init: Value,
    /// The `iadd`s that step it, one per back edge.
    steps: Vec<Inst>,
    /// Whether its steps can go with it: the back edges read them, and
    /// otherwise only [`ExitTest`]s, which can be rewritten.
    removable: bool,
    /// The exit tests on its steps, to compare the twin that stays.
    exit_tests: Vec<ExitTest>,
    /// What reads it, besides its steps.
    reads: Vec<Inst>,
    /// Where it would be computed from a twin, when no iteration must
    /// (see [`sites`]); an empty one when only exit tests read it.
    sites: Option<Sites>,
}

/// `icmp eq|ne q, bound` or `icmp eq|ne (q + c), bound` (either operand
/// order, `c` the constant step) with a bound the loop does not change:
/// the exit test of a counted loop. With `q = p + d` it is `icmp eq|ne p,
/// bound - d` or `bound - c - d`, exactly, in wrapping arithmetic; an
/// ordered comparison would not be.
struct ExitTest {
    compare: Inst,
    /// Which operand is the twin or its step (0 or 1).
    operand: usize,
    bound: Value,
    /// Whether it tests the step (`q + c`) rather than the twin.
    stepped: bool,
}

/// The exit test `read` makes of `result` (a twin, or its step when
/// `stepped`), if it is one (see [`ExitTest`]).
fn exit_test(
    func: &Function,
    loops: &LoopAnalysis,
    lp: Loop,
    read: Inst,
    result: Value,
    stepped: bool,
) -> Option<ExitTest> {
    let InstructionData::IntCompare {
        opcode: Opcode::Icmp,
        cond,
        args,
    } = func.dfg.insts[read]
    else {
        return None;
    };
    if !matches!(cond, IntCC::Equal | IntCC::NotEqual) {
        return None;
    }
    // In the loop: a bound defined outside it then dominates the entry
    // branch, where the moved bound is computed. (A test after the loop
    // may compare with a value defined after it.)
    if !func
        .layout
        .inst_block(read)
        .is_some_and(|b| loops.is_in_loop(b, lp))
    {
        return None;
    }
    let operand = args.iter().position(|&a| a == result)?;
    let bound = args[1 - operand];
    if bound == result {
        return None;
    }
    // Loop-invariant: a constant, or defined outside the loop (it then
    // dominates the header, where the loop is entered).
    let invariant = constant(func, bound).is_some()
        || match func.dfg.value_def(bound) {
            ValueDef::Result(i, _) => func
                .layout
                .inst_block(i)
                .is_some_and(|b| !loops.is_in_loop(b, lp)),
            ValueDef::Param(b, _) => !loops.is_in_loop(b, lp),
            _ => false,
        };
    invariant.then_some(ExitTest {
        compare: read,
        operand,
        bound,
        stepped,
    })
}

/// Give each loop's twin inductions one register (see the module
/// comment). `cfg`, `domtree` and `loops` are those of `func` as it is;
/// the pass changes no control flow, so they stay right. Returns how many
/// parameters were removed.
pub(crate) fn merge_twin_inductions(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    loops: &LoopAnalysis,
) -> usize {
    let mut merged = 0;
    let all: Vec<Loop> = loops.loops().collect();
    // Taken when a loop first has twins (most loops have none).
    let mut reads = None;
    // A merge adds reads only of the values it names (the twin that
    // stays, the two values on entry); the reads it removes are of the
    // twin that goes, or leave instructions that no longer read anything
    // a later loop could merge. A loop one of whose parameters gained
    // reads looks at the function as it is.
    let mut gained: HashSet<Value> = HashSet::new();
    for lp in all {
        let header = loops.loop_header(lp);
        if func
            .dfg
            .block_params(header)
            .iter()
            .any(|p| gained.contains(p))
        {
            reads = None;
            gained.clear();
        }
        let n = merge_in_loop(func, cfg, domtree, loops, &mut reads, lp, &mut gained);
        merged += n;
    }
    if merged > 0 {
        func.dfg.resolve_all_aliases();
    }
    merged
}

/// The instructions that read each value (once per operand).
fn uses(func: &Function) -> HashMap<Value, Vec<Inst>> {
    let mut uses: HashMap<Value, Vec<Inst>> = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for v in func.dfg.inst_values(inst) {
                uses.entry(v).or_default().push(inst);
            }
        }
    }
    uses
}

/// The branch of `pred` that enters `header`, when exactly one of its
/// destinations does and that branch is a `jump` or a `brif`.
fn edge_into(func: &Function, pred: Inst, header: Block) -> Option<usize> {
    let calls = match &func.dfg.insts[pred] {
        InstructionData::Jump { destination, .. } => std::slice::from_ref(destination),
        InstructionData::Brif { blocks, .. } => blocks.as_slice(),
        _ => return None,
    };
    let mut found = calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.block(&func.dfg.value_lists) == header)
        .map(|(k, _)| k);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The arguments `pred`'s `call`-th destination passes.
fn edge_args(func: &Function, pred: Inst, call: usize) -> Vec<Option<Value>> {
    let calls =
        func.dfg.insts[pred].branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables);
    calls[call]
        .args(&func.dfg.value_lists)
        .map(|a| match a {
            BlockArg::Value(v) => Some(v),
            _ => None,
        })
        .collect()
}

/// The constant `v` is, as a signed number.
fn constant(func: &Function, v: Value) -> Option<i64> {
    let raw = crate::translate::iconst_of(func, v)?;
    let bits = func.dfg.value_type(v).bits();
    // Sign-extend from the type's width, so an i32 -1 and an i64 -1 are
    // the same step.
    Some(if bits >= 64 {
        raw
    } else {
        (raw << (64 - bits)) >> (64 - bits)
    })
}

/// How `arg` steps `param`: `arg = iadd param, s` (either operand order).
fn step_of(func: &Function, param: Value, arg: Value) -> Option<(Step, Inst)> {
    let ValueDef::Result(inst, 0) = func.dfg.value_def(arg) else {
        return None;
    };
    let InstructionData::Binary {
        opcode: Opcode::Iadd,
        args: [a, b],
    } = func.dfg.insts[inst]
    else {
        return None;
    };
    let s = match (a == param, b == param) {
        (true, false) => b,
        (false, true) => a,
        _ => return None,
    };
    let step = match constant(func, s) {
        Some(c) => Step::Const(c),
        None => Step::Value(s),
    };
    Some((step, inst))
}

/// Whether `block` lies in a loop nested inside `lp` (not `lp` itself).
fn deeper(loops: &LoopAnalysis, lp: Loop, block: Block) -> bool {
    loops
        .innermost_loop(block)
        .is_some_and(|inner| inner != lp && loops.is_child_loop(inner, lp))
}

/// Where a twin is computed from the one that stays.
struct Sites {
    /// For the reads in the loop: the nearest block that dominates them
    /// all, out of the loops nested in this one.
    inside: Option<Block>,
    /// For the reads after the loop: each one's block.
    outside: Vec<Block>,
}

/// Where a twin read by `reads` would be computed (see [`Sites`]; none
/// when nothing reads it but its exit tests). `None` when every iteration
/// runs the block inside the loop (it dominates every block that branches
/// back to the header): computing the twin there would trade its step for
/// an addition on the same path.
fn sites(
    func: &Function,
    domtree: &DominatorTree,
    loops: &LoopAnalysis,
    lp: Loop,
    latches: &[Block],
    reads: &[Inst],
) -> Option<Sites> {
    let mut inside: Option<Block> = None;
    let mut outside = Vec::new();
    for &read in reads {
        let b = func.layout.inst_block(read)?;
        if !loops.is_in_loop(b, lp) {
            if !outside.contains(&b) {
                outside.push(b);
            }
            continue;
        }
        let mut at = inside.unwrap_or(b);
        while !domtree.block_dominates(at, b) {
            at = domtree.idom(at)?;
        }
        inside = Some(at);
    }
    if let Some(mut at) = inside {
        while deeper(loops, lp, at) {
            at = domtree.idom(at)?;
        }
        if latches.iter().all(|&l| domtree.block_dominates(at, l)) {
            return None;
        }
        inside = Some(at);
    }
    Some(Sites { inside, outside })
}

/// Merge the twins of loop `lp`; returns how many parameters went.
fn merge_in_loop(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    loops: &LoopAnalysis,
    reads: &mut Option<HashMap<Value, Vec<Inst>>>,
    lp: Loop,
    gained: &mut HashSet<Value>,
) -> usize {
    let header = loops.loop_header(lp);
    let mut entry = None;
    let mut back = Vec::new();
    for pred in cfg.pred_iter(header) {
        let Some(call) = edge_into(func, pred.inst, header) else {
            return 0;
        };
        if domtree.block_dominates(header, pred.block) {
            back.push((pred.inst, call));
        } else if entry.replace((pred.inst, call)).is_some() {
            return 0;
        }
    }
    let Some(entry) = entry else {
        return 0;
    };
    if back.is_empty() {
        return 0;
    }
    let latches: Vec<Block> = (back.iter())
        .filter_map(|&(inst, _)| func.layout.inst_block(inst))
        .collect();
    let params: Vec<Value> = func.dfg.block_params(header).to_vec();
    let entry_args = edge_args(func, entry.0, entry.1);
    let back_args: Vec<Vec<Option<Value>>> =
        back.iter().map(|&(i, c)| edge_args(func, i, c)).collect();
    let mut stepped = Vec::new();
    'params: for (index, &param) in params.iter().enumerate() {
        let ty = func.dfg.value_type(param);
        if !ty.is_int() || ty.bits() > 64 {
            continue;
        }
        let Some(init) = entry_args.get(index).copied().flatten() else {
            continue;
        };
        let mut step = None;
        let mut steps = Vec::new();
        for args in &back_args {
            let Some(arg) = args.get(index).copied().flatten() else {
                continue 'params;
            };
            let Some((s, inst)) = step_of(func, param, arg) else {
                continue 'params;
            };
            if step.is_some_and(|prev| prev != s) {
                continue 'params;
            }
            step = Some(s);
            steps.push(inst);
        }
        let Some(step) = step else {
            continue;
        };
        stepped.push((param, index, step, init, steps));
    }
    // Twins step the same way: by the same constant (whatever their
    // widths), or by the same value.
    let twins = |a: &Step, b: &Step| a == b;
    let any_twins = (0..stepped.len())
        .any(|i| (i + 1..stepped.len()).any(|j| twins(&stepped[i].2, &stepped[j].2)));
    if !any_twins {
        return 0;
    }
    let uses = reads.get_or_insert_with(|| {
        func.dfg.resolve_all_aliases();
        uses(func)
    });
    let mut inductions = Vec::new();
    let back_branches: Vec<Inst> = back.iter().map(|&(i, _)| i).collect();
    for (param, index, step, init, steps) in stepped {
        // Each step is read once by its back edge and otherwise only by
        // exit tests (with a constant step), for it to go when the twin
        // does.
        let mut exit_tests = Vec::new();
        let removable = steps.iter().all(|&i| {
            let result = func.dfg.first_result(i);
            let Some(reads) = uses.get(&result) else {
                return false;
            };
            let by_branch = reads.iter().filter(|r| back_branches.contains(r)).count();
            by_branch == 1
                && reads
                    .iter()
                    .filter(|r| !back_branches.contains(r))
                    .all(|&r| {
                        matches!(step, Step::Const(_))
                            && exit_test(func, loops, lp, r, result, true)
                                .map(|t| exit_tests.push(t))
                                .is_some()
                    })
        });
        // The twin's own exit tests are rewritten too if it goes, so they
        // do not make it read on every iteration.
        let mut reads = Vec::new();
        for &r in uses.get(&param).map(Vec::as_slice).unwrap_or_default() {
            if steps.contains(&r) {
                continue;
            }
            match exit_test(func, loops, lp, r, param, false) {
                Some(t) => exit_tests.push(t),
                None => reads.push(r),
            }
        }
        let sites = sites(func, domtree, loops, lp, &latches, &reads);
        inductions.push(Induction {
            param,
            index,
            step,
            init,
            steps,
            removable,
            exit_tests,
            reads,
            sites,
        });
    }
    plan_and_apply(func, entry, &back, inductions, gained)
}

/// How a merged twin is computed from the one that stays.
struct Merge {
    /// The twin that goes.
    gone: Induction,
    /// The twin it is computed from, and its value on entry.
    kept: Value,
    kept_init: Value,
}

/// Pick, in each group of twins, the one that stays, and compute the
/// others from it; returns how many went.
fn plan_and_apply(
    func: &mut Function,
    entry: (Inst, usize),
    back: &[(Inst, usize)],
    inductions: Vec<Induction>,
    gained: &mut HashSet<Value>,
) -> usize {
    // Twins step the same way: by the same constant (whatever their
    // widths), or by the same value (then of one type).
    let mut groups: Vec<Vec<Induction>> = Vec::new();
    for ind in inductions {
        let ty = func.dfg.value_type(ind.param);
        let same = |g: &Vec<Induction>| {
            let other = &g[0];
            other.step == ind.step
                && (matches!(ind.step, Step::Const(_)) || func.dfg.value_type(other.param) == ty)
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(ind),
            None => groups.push(vec![ind]),
        }
    }
    let mut merges = Vec::new();
    for mut group in groups {
        if group.len() < 2 {
            continue;
        }
        // The one that stays: one read on every iteration if there is
        // one, the widest first (a narrower twin is computed from the
        // wider one's low bits, never the other way).
        let bits = |func: &Function, i: &Induction| func.dfg.value_type(i.param).bits();
        let keep = (0..group.len())
            .max_by_key(|&k| {
                (
                    group[k].sites.is_none(),
                    bits(func, &group[k]),
                    usize::MAX - k,
                )
            })
            .unwrap_or(0);
        let kept = group.remove(keep);
        let kept_bits = bits(func, &kept);
        for gone in group {
            if gone.sites.is_none() || !gone.removable || bits(func, &gone) > kept_bits {
                continue;
            }
            merges.push(Merge {
                gone,
                kept: kept.param,
                kept_init: kept.init,
            });
        }
    }
    if merges.is_empty() {
        return 0;
    }
    for m in &merges {
        apply(func, entry, m);
        gained.extend([m.kept, m.kept_init, m.gone.init]);
        gained.extend(m.gone.exit_tests.iter().map(|t| t.bound));
    }
    // Drop the merged parameters and their arguments, highest position
    // first so the others keep theirs.
    let mut gone: Vec<&Merge> = merges.iter().collect();
    gone.sort_by_key(|m| std::cmp::Reverse(m.gone.index));
    for m in gone {
        for &(pred, call) in back.iter().chain(std::iter::once(&entry)) {
            let dfg = &mut func.dfg;
            let destination = match &mut dfg.insts[pred] {
                InstructionData::Jump { destination, .. } => destination,
                InstructionData::Brif { blocks, .. } => &mut blocks[call],
                _ => unreachable!("`edge_into` takes only jumps and brifs"),
            };
            destination.remove(m.gone.index, &mut dfg.value_lists);
        }
        for &step in &m.gone.steps {
            func.layout.remove_inst(step);
        }
    }
    merges.len()
}

/// Compute `m.gone` from `m.kept` where it is read, and read that
/// instead (its parameter and arguments are dropped by the caller).
fn apply(func: &mut Function, entry: (Inst, usize), m: &Merge) {
    let gone = &m.gone;
    let Some(sites) = &gone.sites else {
        return;
    };
    let ty = func.dfg.value_type(gone.param);
    let kept_ty = func.dfg.value_type(m.kept);
    // The difference, from the two values on entry: a constant when both
    // are, computed before the entry branch otherwise.
    let difference = match (constant(func, gone.init), constant(func, m.kept_init)) {
        (Some(a), Some(b)) => Difference::Const(a.wrapping_sub(b)),
        (None, Some(0)) => Difference::Value(gone.init),
        _ => {
            let mut pos = FuncCursor::new(func).at_inst(entry.0);
            let base = if kept_ty == ty {
                m.kept_init
            } else {
                pos.ins().ireduce(ty, m.kept_init)
            };
            Difference::Value(pos.ins().isub(gone.init, base))
        }
    };
    let mut computed: Vec<(Block, Value)> = Vec::new();
    for &site in sites.inside.iter().chain(&sites.outside) {
        let mut pos = FuncCursor::new(func).at_first_insertion_point(site);
        let base = if kept_ty == ty {
            m.kept
        } else {
            pos.ins().ireduce(ty, m.kept)
        };
        let value = match difference {
            Difference::Const(0) => base,
            Difference::Const(c) => {
                let c = pos.ins().iconst(ty, mask(ty, c));
                pos.ins().iadd(base, c)
            }
            Difference::Value(d) => pos.ins().iadd(base, d),
        };
        computed.push((site, value));
    }
    // Exit tests compare the twin that stays with a bound moved by the
    // step and the difference, computed before the loop.
    let step = match gone.step {
        Step::Const(c) => c,
        Step::Value(_) => 0,
    };
    for t in &gone.exit_tests {
        let step = if t.stepped { step } else { 0 };
        let mut pos = FuncCursor::new(func).at_inst(entry.0);
        let moved = match (constant(pos.func, t.bound), difference) {
            (Some(b), Difference::Const(d)) => pos
                .ins()
                .iconst(ty, mask(ty, b.wrapping_sub(step).wrapping_sub(d))),
            (b, d) => {
                let bound = match b {
                    Some(b) => pos.ins().iconst(ty, mask(ty, b)),
                    None => t.bound,
                };
                let c = pos.ins().iconst(ty, mask(ty, step));
                let bound = pos.ins().isub(bound, c);
                let d = match d {
                    Difference::Const(d) => pos.ins().iconst(ty, mask(ty, d)),
                    Difference::Value(d) => d,
                };
                pos.ins().isub(bound, d)
            }
        };
        let mut pos = FuncCursor::new(pos.func).at_inst(t.compare);
        let kept = if kept_ty == ty {
            m.kept
        } else {
            pos.ins().ireduce(ty, m.kept)
        };
        if let InstructionData::IntCompare { args, .. } = &mut func.dfg.insts[t.compare] {
            args[t.operand] = kept;
            args[1 - t.operand] = moved;
        }
    }
    // Each read takes the value of the site that dominates it: its own
    // block after the loop, the one inside the loop otherwise.
    for &read in &gone.reads {
        let Some(block) = func.layout.inst_block(read) else {
            continue;
        };
        let value = computed
            .iter()
            .find(|(site, _)| *site == block)
            .or_else(|| computed.first().filter(|_| sites.inside.is_some()))
            .map(|&(_, v)| v)
            .expect("every read has a site");
        let param = gone.param;
        func.dfg
            .map_inst_values(read, |v| if v == param { value } else { v });
    }
    func.dfg.remove_block_param(gone.param);
}

/// `c` as an `iconst` of type `ty` holds it: the type's bits,
/// zero-extended.
fn mask(ty: Type, c: i64) -> i64 {
    if ty.bits() < 64 {
        c & ((1i64 << ty.bits()) - 1)
    } else {
        c
    }
}

/// `gone - kept` on entry.
#[derive(Clone, Copy)]
enum Difference {
    Const(i64),
    Value(Value),
}
