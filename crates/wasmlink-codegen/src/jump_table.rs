//! Range-checked devirtualisation (part of the `devirtualize`
//! whole-program optimisation): a `call_indirect` whose index is not a
//! constant, through a table whose final contents are known at build time
//! (`crate::devirt`), dispatches on the index to direct calls of the
//! entries of the expected type — no null or signature check, and each
//! callee can be inlined.
//!
//! Two shapes, by table length:
//!
//! - a table of at most [`MAX_JUMP_TABLE`] entries: the index is checked
//!   against the length (the trap an out-of-range `call_indirect` gives),
//!   then a `br_table` jumps to one block per distinct callee;
//! - a longer table with at most [`MAX_COMPARES`] entries of the expected
//!   type: a compare per such entry, then the checked call.
//!
//! Entries that are not known Wasm functions of the expected type (null,
//! another type, a runtime function) go to the checked `call_indirect`, so
//! every trap stays what the spec says. A site dispatching to more than
//! [`MAX_TARGETS`] distinct callees keeps the checked call: each callee is
//! a call (or an inlined body) in the caller's code.

use crate::devirt::StaticEntry;
use crate::env::{clif_type, FuncEnv};
use crate::traps::clif_trap;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{Block, InstBuilder, JumpTableData, Value};
use cranelift_frontend::FunctionBuilder;
use wasmlink_abi::Trap;

/// The longest table dispatched through a `br_table`.
pub const MAX_JUMP_TABLE: usize = 64;
/// The most distinct callees one site calls directly.
pub const MAX_TARGETS: usize = 8;
/// The most entries of the expected type a longer table may hold for a
/// compare chain.
pub const MAX_COMPARES: usize = 4;

/// How one `call_indirect` site dispatches.
pub(crate) struct Dispatch {
    /// The table's length.
    len: usize,
    /// Each distinct callee and the indices that hold it.
    targets: Vec<(StaticEntry, Vec<u32>)>,
}

impl FuncEnv<'_> {
    /// The direct callees of a `call_indirect` of type `type_index`
    /// through `table`, when its contents are known and small enough.
    pub(crate) fn dispatch_targets(&self, table: u32, type_index: u32) -> Option<Dispatch> {
        let (tables, instance) = (self.src.static_tables?, self.src.only_instance?);
        let contents = tables.contents(self.src.graph, instance, table)?;
        let expected = self.type_id(type_index);
        // A short table is scanned; a long one through its index by type,
        // which holds one entry more than a compare chain may have.
        let indices: Vec<u32> = if contents.len() <= MAX_JUMP_TABLE {
            (0..contents.len() as u32).collect()
        } else {
            tables
                .long_table_indices(self.src.graph, instance, table, expected)?
                .to_vec()
        };
        let mut targets: Vec<(StaticEntry, Vec<u32>)> = Vec::new();
        let mut matching = 0;
        for k in indices {
            let entry = contents.get(k as usize).copied().flatten();
            let Some(e) = entry.filter(|e| e.type_id == expected) else {
                continue;
            };
            matching += 1;
            match targets
                .iter_mut()
                .find(|(t, _)| t.func == e.func && t.vmctx == e.vmctx)
            {
                Some((_, indices)) => indices.push(k),
                None => targets.push((e, vec![k])),
            }
        }
        let fits = if contents.len() <= MAX_JUMP_TABLE {
            targets.len() <= MAX_TARGETS
        } else {
            matching <= MAX_COMPARES
        };
        (!targets.is_empty() && fits).then_some(Dispatch {
            len: contents.len(),
            targets,
        })
    }

    /// Emit the dispatch of `d` on index `callee` and return the call's
    /// results (nothing for a tail call).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn call_dispatched(
        &mut self,
        builder: &mut FunctionBuilder,
        d: &Dispatch,
        table: u32,
        type_index: u32,
        callee: Value,
        args: &[Value],
        tail: bool,
    ) -> Vec<Value> {
        let cases: Vec<Block> = d.targets.iter().map(|_| builder.create_block()).collect();
        // When every entry of a short table is a direct callee, the range
        // check is all that can fail: no checked call is emitted.
        let covered: usize = d.targets.iter().map(|(_, indices)| indices.len()).sum();
        let complete = d.len <= MAX_JUMP_TABLE && covered == d.len;
        let checked = if complete {
            cases[0]
        } else {
            builder.create_block()
        };
        if d.len <= MAX_JUMP_TABLE {
            // An index whose range is known to fit (`i & 3` into four
            // entries) needs no check.
            let fits =
                crate::translate::max_u32(builder.func, callee).is_some_and(|m| m < d.len as u64);
            if !fits {
                let out_of_range = builder.ins().icmp_imm_u(
                    IntCC::UnsignedGreaterThanOrEqual,
                    callee,
                    d.len as i64,
                );
                builder
                    .ins()
                    .trapnz(out_of_range, clif_trap(Trap::UndefinedElement));
            }
            let mut entries = vec![checked; d.len];
            for ((_, indices), &case) in d.targets.iter().zip(&cases) {
                for &k in indices {
                    entries[k as usize] = case;
                }
            }
            let dfg = &mut builder.func.dfg;
            let entries: Vec<_> = entries.iter().map(|&b| dfg.block_call(b, &[])).collect();
            let default = dfg.block_call(checked, &[]);
            let jt = builder.create_jump_table(JumpTableData::new(default, &entries));
            builder.ins().br_table(callee, jt);
        } else {
            for ((_, indices), &case) in d.targets.iter().zip(&cases) {
                for &k in indices {
                    let next = builder.create_block();
                    let hit = builder.ins().icmp_imm_u(IntCC::Equal, callee, i64::from(k));
                    builder.ins().brif(hit, case, &[], next, &[]);
                    builder.switch_to_block(next);
                    builder.seal_block(next);
                }
            }
            builder.ins().jump(checked, &[]);
        }

        let ty = &self.module().types[type_index as usize];
        let merge = (!tail).then(|| {
            let merge = builder.create_block();
            for t in ty.results() {
                builder.append_block_param(merge, clif_type(*t));
            }
            merge
        });
        let mut arms: Vec<(Block, Option<StaticEntry>)> = cases
            .iter()
            .zip(&d.targets)
            .map(|(&b, (e, _))| (b, Some(*e)))
            .collect();
        if !complete {
            arms.push((checked, None));
        }
        for (block, entry) in arms {
            builder.switch_to_block(block);
            builder.seal_block(block);
            let results = match entry {
                Some(e) => self.call_static_entry(builder, e, type_index, args, tail),
                None => self.checked_call_indirect(builder, table, type_index, callee, args, tail),
            };
            if let Some(merge) = merge {
                let results: Vec<_> = results.into_iter().map(Into::into).collect();
                builder.ins().jump(merge, &results);
            }
        }
        match merge {
            Some(merge) => {
                builder.switch_to_block(merge);
                builder.seal_block(merge);
                builder.block_params(merge).to_vec()
            }
            None => Vec::new(),
        }
    }
}
