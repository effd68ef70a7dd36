//! Integer constants materialised in every block that uses them, between
//! Cranelift's mid-end and its lowering.
//!
//! Cranelift's mid-end means to do this itself: its `remat` rule marks
//! each `iconst` to be re-created in each block where it is used, so a
//! constant never occupies a register across blocks. But elaboration
//! loses the mark when it places a constant a second time in a block
//! that the first placement does not dominate: the copy is a new value,
//! not marked, and every block below it then shares that copy. A zero
//! shared that way by a call argument in one block and a jump argument
//! in another holds a callee-saved register for the whole function (the
//! sieve kernel of `examples/bench` lost `%r12` to one), and the loops in
//! between spill. This pass runs on the optimised function and gives each
//! block its own copy of every integer constant it uses from another
//! block, which is what the mid-end meant; lowering then folds copies
//! into immediates or materialises them where they are needed. Only
//! `iconst` is copied: a float constant is a load from the constant pool,
//! which a register held across blocks can be cheaper than.

use cranelift_codegen::ir::{Block, Function, Inst, InstructionData, Opcode, Value, ValueDef};
use std::collections::HashMap;

/// Give every block its own copy of each `iconst` it uses from another
/// block. Returns how many copies were made.
pub(crate) fn rematerialize_constants(func: &mut Function) -> usize {
    let mut copies = 0;
    // The copy made in the current block for each constant of another
    // block, and the current instruction's values (both reused).
    let mut local: HashMap<Value, Value> = HashMap::new();
    let mut values: Vec<Value> = Vec::new();
    let mut block_cursor = func.layout.entry_block();
    while let Some(block) = block_cursor {
        local.clear();
        let mut inst_cursor = func.layout.first_inst(block);
        while let Some(inst) = inst_cursor {
            values.clear();
            values.extend(func.dfg.inst_values(inst));
            let mut changed = false;
            for v in values.iter_mut() {
                let resolved = func.dfg.resolve_aliases(*v);
                if let Some(&copy) = local.get(&resolved) {
                    *v = copy;
                    changed = true;
                } else if let Some(def) = foreign_constant(func, resolved, block) {
                    let copy = func.dfg.clone_inst(def);
                    func.layout.insert_inst(copy, inst);
                    let result = func.dfg.first_result(copy);
                    local.insert(resolved, result);
                    *v = result;
                    copies += 1;
                    changed = true;
                }
            }
            if changed {
                func.dfg.overwrite_inst_values(inst, values.iter().copied());
            }
            inst_cursor = func.layout.next_inst(inst);
        }
        block_cursor = func.layout.next_block(block);
    }
    copies
}

/// The `iconst` instruction defining `v`, when it lies outside `block`.
fn foreign_constant(func: &Function, v: Value, block: Block) -> Option<Inst> {
    let ValueDef::Result(def, _) = func.dfg.value_def(v) else {
        return None;
    };
    let is_iconst = matches!(
        func.dfg.insts[def],
        InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            ..
        }
    );
    (is_iconst && func.layout.inst_block(def) != Some(block)).then_some(def)
}
