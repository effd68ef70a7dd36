//! Structured control flow, calls, `drop` and `select`.
//!
//! Every Wasm block gets a Cranelift "end" block whose parameters are the
//! Wasm block's results; a loop additionally gets a header block whose
//! parameters are the loop's params (a branch to a loop carries those). An
//! `if` branches to two parameterless blocks: the Wasm block params are
//! values defined before the `if`, so they dominate both arms and the else
//! arm can simply reuse them.

use super::Translator;
use crate::env::clif_type;
use crate::traps::clif_trap;
use cranelift_codegen::ir::{
    condcodes::IntCC, Block, BlockArg, InstBuilder, JumpTableData, Type, Value,
};
use wasmlink_abi::Trap;
use wasmlink_module::wasmparser::{BlockType, Operator};

pub(super) struct Frame {
    pub(super) kind: FrameKind,
    /// Height of the operand stack below this frame's params.
    pub(super) height: usize,
    pub(super) num_params: usize,
    pub(super) results: Vec<Type>,
    /// Where control continues after the frame's `end`; its params are the
    /// frame's results.
    pub(super) end_block: Block,
    /// Whether anything jumps to `end_block`, i.e. whether code after the
    /// `end` is reachable.
    pub(super) end_reachable: bool,
    /// How many of the translator's handler scopes apply to code directly
    /// inside this frame (what a legacy `delegate` to it continues with).
    pub(super) handler_depth: usize,
}

pub(super) enum FrameKind {
    Block,
    Loop {
        header: Block,
    },
    If {
        else_block: Block,
        /// The block params as they were at the `if`, for the else arm.
        params: Vec<Value>,
        has_else: bool,
    },
    /// `try_table`: its catch clauses, emitted at its `end`.
    TryTable(super::exceptions::TryTableCatches),
    /// Legacy `try`.
    LegacyTry(super::exceptions::LegacyTry),
}

pub(super) fn block_args(values: &[Value]) -> Vec<BlockArg> {
    values.iter().map(|v| BlockArg::Value(*v)).collect()
}

impl Translator<'_, '_> {
    /// The implicit block around the whole body: branching to it returns.
    pub(super) fn push_function_frame(&mut self, results: Vec<Type>) {
        let end_block = self.builder.create_block();
        for ty in &results {
            self.builder.append_block_param(end_block, *ty);
        }
        self.push_frame(FrameKind::Block, 0, 0, results, end_block);
    }

    /// Open a frame whose code sees the handler scopes open now.
    pub(super) fn push_frame(
        &mut self,
        kind: FrameKind,
        height: usize,
        num_params: usize,
        results: Vec<Type>,
        end_block: Block,
    ) {
        self.frames.push(Frame {
            kind,
            height,
            num_params,
            results,
            end_block,
            end_reachable: false,
            handler_depth: self.scopes.len(),
        });
    }

    pub(super) fn translate_control(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        match op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.builder.ins().trap(clif_trap(Trap::Unreachable));
                self.reachable = false;
            }
            Operator::Block { blockty } => {
                let (params, results) = self.block_signature(*blockty)?;
                let end_block = self.new_block_with_params(&results);
                let height = self.height_below(params.len())?;
                self.push_frame(FrameKind::Block, height, params.len(), results, end_block);
            }
            Operator::Loop { blockty } => {
                let (params, results) = self.block_signature(*blockty)?;
                let header = self.new_block_with_params(&params);
                let end_block = self.new_block_with_params(&results);
                let args = self.popn(params.len())?;
                let height = self.stack.len();
                self.builder.ins().jump(header, &block_args(&args));
                // The header is sealed at the loop's `end`, once every
                // back edge is known.
                self.builder.switch_to_block(header);
                self.stack
                    .extend_from_slice(self.builder.block_params(header));
                self.push_frame(
                    FrameKind::Loop { header },
                    height,
                    params.len(),
                    results,
                    end_block,
                );
            }
            Operator::If { blockty } => {
                let (params, results) = self.block_signature(*blockty)?;
                let cond = self.pop()?;
                let then_block = self.builder.create_block();
                let else_block = self.builder.create_block();
                let end_block = self.new_block_with_params(&results);
                self.builder
                    .ins()
                    .brif(cond, then_block, &[], else_block, &[]);
                self.builder.seal_block(then_block);
                self.builder.seal_block(else_block);
                self.builder.switch_to_block(then_block);
                let height = self.height_below(params.len())?;
                self.push_frame(
                    FrameKind::If {
                        else_block,
                        params: self.stack[height..].to_vec(),
                        has_else: false,
                    },
                    height,
                    params.len(),
                    results,
                    end_block,
                );
            }
            Operator::Else => self.translate_else()?,
            Operator::End => self.translate_end()?,
            Operator::Br { relative_depth } => {
                let (target, arity) = self.branch_target(*relative_depth)?;
                let args = block_args(self.peekn(arity)?);
                self.builder.ins().jump(target, &args);
                self.reachable = false;
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop()?;
                let (target, arity) = self.branch_target(*relative_depth)?;
                let args = block_args(self.peekn(arity)?);
                let next = self.builder.create_block();
                self.builder.ins().brif(cond, target, &args, next, &[]);
                self.builder.seal_block(next);
                self.builder.switch_to_block(next);
            }
            Operator::BrTable { targets } => {
                let mut depths = Vec::with_capacity(targets.len() as usize);
                for t in targets.targets() {
                    depths.push(t.map_err(|e| format!("reading br_table: {e}"))?);
                }
                self.translate_br_table(&depths, targets.default())?;
            }
            Operator::Return => {
                let n = self
                    .frames
                    .first()
                    .ok_or("no function frame")?
                    .results
                    .len();
                let results = self.peekn(n)?.to_vec();
                self.env.emit_return(&mut self.builder, &results);
                self.reachable = false;
            }
            Operator::Call { function_index } => {
                self.translate_call(*function_index, false)?;
            }
            Operator::ReturnCall { function_index } => {
                self.translate_call(*function_index, true)?;
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => self.translate_call_indirect(*type_index, *table_index, false)?,
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => self.translate_call_indirect(*type_index, *table_index, true)?,
            Operator::CallRef { type_index } => self.translate_call_ref(*type_index, false)?,
            Operator::ReturnCallRef { type_index } => self.translate_call_ref(*type_index, true)?,
            // A branch on a reference leaves the other case's operands:
            // `br_on_null` branches without the reference (and keeps it
            // when it is not null), `br_on_non_null` branches with it (and
            // drops it when it is null).
            Operator::BrOnNull { relative_depth } => {
                let r = self.pop()?;
                let (target, arity) = self.branch_target(*relative_depth)?;
                let args = block_args(self.peekn(arity)?);
                let next = self.builder.create_block();
                let is_null = self.builder.ins().icmp_imm_u(IntCC::Equal, r, 0);
                self.builder.ins().brif(is_null, target, &args, next, &[]);
                self.builder.seal_block(next);
                self.builder.switch_to_block(next);
                self.push(r);
            }
            Operator::BrOnNonNull { relative_depth } => {
                let (target, arity) = self.branch_target(*relative_depth)?;
                let args = block_args(self.peekn(arity)?);
                let r = *self.stack.last().ok_or("operand stack underflow")?;
                let next = self.builder.create_block();
                self.builder.ins().brif(r, target, &args, next, &[]);
                self.builder.seal_block(next);
                self.builder.switch_to_block(next);
                self.pop()?;
            }
            Operator::Drop => {
                self.pop()?;
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                let (a, b, cond) = self.pop3()?;
                let r = self.builder.ins().select(cond, a, b);
                self.push(r);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// In unreachable code only the structure matters: count the blocks
    /// opened in it, and resume at the `else`/`end` of the frame that was
    /// open when control became unreachable.
    pub(super) fn skip_unreachable(&mut self, op: &Operator<'_>) -> Result<(), String> {
        match op {
            Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. }
            | Operator::Try { .. } => {
                self.unreachable_depth += 1;
            }
            Operator::Else if self.unreachable_depth == 0 => self.translate_else()?,
            Operator::End if self.unreachable_depth == 0 => self.translate_end()?,
            Operator::Catch { tag_index } if self.unreachable_depth == 0 => {
                self.translate_catch(Some(*tag_index))?
            }
            Operator::CatchAll if self.unreachable_depth == 0 => self.translate_catch(None)?,
            Operator::Delegate { relative_depth } if self.unreachable_depth == 0 => {
                self.translate_delegate(*relative_depth)?
            }
            Operator::End | Operator::Delegate { .. } => self.unreachable_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    /// (param types, result types) of a block type.
    pub(super) fn block_signature(&self, ty: BlockType) -> Result<(Vec<Type>, Vec<Type>), String> {
        Ok(match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), vec![clif_type(t)]),
            BlockType::FuncType(index) => {
                let f = self
                    .env
                    .module()
                    .types
                    .get(index as usize)
                    .ok_or_else(|| format!("block type {index} does not exist"))?;
                (
                    f.params().iter().map(|t| clif_type(*t)).collect(),
                    f.results().iter().map(|t| clif_type(*t)).collect(),
                )
            }
        })
    }

    pub(super) fn new_block_with_params(&mut self, types: &[Type]) -> Block {
        let block = self.builder.create_block();
        for ty in types {
            self.builder.append_block_param(block, *ty);
        }
        block
    }

    /// Operand stack height below the top `n` values.
    pub(super) fn height_below(&self, n: usize) -> Result<usize, String> {
        self.stack
            .len()
            .checked_sub(n)
            .ok_or_else(|| "operand stack underflow at block entry".to_string())
    }

    /// The block a branch to `relative_depth` jumps to and how many values
    /// it carries. Marks the frame's end as reachable when that is the target.
    pub(super) fn branch_target(&mut self, relative_depth: u32) -> Result<(Block, usize), String> {
        let i = self
            .frames
            .len()
            .checked_sub(1 + relative_depth as usize)
            .ok_or_else(|| format!("branch depth {relative_depth} is out of range"))?;
        let frame = &mut self.frames[i];
        Ok(match frame.kind {
            FrameKind::Loop { header } => (header, frame.num_params),
            _ => {
                frame.end_reachable = true;
                (frame.end_block, frame.results.len())
            }
        })
    }

    fn translate_br_table(&mut self, depths: &[u32], default: u32) -> Result<(), String> {
        let index = self.pop()?;
        let (_, arity) = self.branch_target(default)?;
        let args = block_args(self.peekn(arity)?);
        // Every distinct depth becomes one destination. With values to
        // pass, each goes through a small block that jumps with them, which
        // keeps `br_table` itself free of block arguments.
        let mut dests: Vec<(u32, Block)> = Vec::new();
        let mut dest_for = |t: &mut Self, depth: u32| -> Result<Block, String> {
            if let Some((_, b)) = dests.iter().find(|(d, _)| *d == depth) {
                return Ok(*b);
            }
            let (target, _) = t.branch_target(depth)?;
            let block = if arity == 0 {
                target
            } else {
                t.builder.create_block()
            };
            dests.push((depth, block));
            Ok(block)
        };
        let mut table = Vec::with_capacity(depths.len());
        for &d in depths {
            let block = dest_for(self, d)?;
            table.push(self.builder.func.dfg.block_call(block, &[]));
        }
        let default_block = dest_for(self, default)?;
        let default_call = self.builder.func.dfg.block_call(default_block, &[]);
        let jt = self
            .builder
            .create_jump_table(JumpTableData::new(default_call, &table));
        self.builder.ins().br_table(index, jt);
        if arity > 0 {
            for (depth, block) in dests {
                let (target, _) = self.branch_target(depth)?;
                self.builder.seal_block(block);
                self.builder.switch_to_block(block);
                self.builder.ins().jump(target, &args);
            }
        }
        self.reachable = false;
        Ok(())
    }

    /// `else`: close the then arm and start the else arm with the params
    /// the `if` saw.
    fn translate_else(&mut self) -> Result<(), String> {
        let reachable = self.reachable;
        let frame = self.frames.last_mut().ok_or("else outside a block")?;
        let FrameKind::If {
            else_block,
            params,
            has_else,
        } = &mut frame.kind
        else {
            return Err("else outside an if".into());
        };
        *has_else = true;
        let else_block = *else_block;
        let params = params.clone();
        let end_block = frame.end_block;
        let (height, n) = (frame.height, frame.results.len());
        if reachable {
            frame.end_reachable = true;
            let args = block_args(self.peekn(n)?);
            self.builder.ins().jump(end_block, &args);
        }
        self.stack.truncate(height);
        self.stack.extend(params);
        self.builder.switch_to_block(else_block);
        self.reachable = true;
        Ok(())
    }

    /// `end`: fall through to the frame's end block and continue there.
    pub(super) fn translate_end(&mut self) -> Result<(), String> {
        let mut frame = self.frames.pop().ok_or("end outside a block")?;
        self.before_end(&frame);
        if self.reachable {
            frame.end_reachable = true;
            let args = block_args(self.peekn(frame.results.len())?);
            self.builder.ins().jump(frame.end_block, &args);
        }
        match &frame.kind {
            FrameKind::Block => {}
            FrameKind::Loop { header } => self.builder.seal_block(*header),
            FrameKind::If {
                else_block,
                params,
                has_else: false,
            } => {
                // No else arm: the params flow straight to the end (the
                // validator made sure they have the result types).
                frame.end_reachable = true;
                self.builder.switch_to_block(*else_block);
                self.builder
                    .ins()
                    .jump(frame.end_block, &block_args(params));
            }
            FrameKind::If { .. } => {}
            FrameKind::TryTable(catches) => self.end_try_table(catches)?,
            FrameKind::LegacyTry(t) => self.end_legacy_try(t)?,
        }
        self.stack.truncate(frame.height);
        self.builder.seal_block(frame.end_block);
        if frame.end_reachable {
            self.builder.switch_to_block(frame.end_block);
            self.stack
                .extend_from_slice(self.builder.block_params(frame.end_block));
            self.reachable = true;
            if self.frames.is_empty() {
                let results = self.popn(frame.results.len())?;
                self.env.emit_return(&mut self.builder, &results);
                self.reachable = false;
            }
        } else {
            self.reachable = false;
        }
        Ok(())
    }

    fn translate_call(&mut self, index: u32, tail: bool) -> Result<(), String> {
        let ty = self
            .env
            .module()
            .funcs
            .get(index as usize)
            .and_then(|f| self.env.module().types.get(f.type_index as usize))
            .ok_or_else(|| format!("function {index} does not exist"))?;
        let args = self.popn(ty.params().len())?;
        let results = self.env.call(&mut self.builder, index, &args, tail);
        self.finish_call(results, tail);
        Ok(())
    }

    fn translate_call_indirect(
        &mut self,
        type_index: u32,
        table: u32,
        tail: bool,
    ) -> Result<(), String> {
        let ty = self
            .env
            .module()
            .types
            .get(type_index as usize)
            .ok_or_else(|| format!("type {type_index} does not exist"))?;
        let callee = self.pop()?;
        let args = self.popn(ty.params().len())?;
        let results =
            self.env
                .call_indirect(&mut self.builder, table, type_index, callee, &args, tail);
        self.finish_call(results, tail);
        Ok(())
    }

    /// `call_ref`/`return_call_ref`: the reference is typed, so only null
    /// needs checking.
    fn translate_call_ref(&mut self, type_index: u32, tail: bool) -> Result<(), String> {
        let ty = self
            .env
            .module()
            .types
            .get(type_index as usize)
            .ok_or_else(|| format!("type {type_index} does not exist"))?;
        let n = ty.params().len();
        let callee = self.pop()?;
        let args = self.popn(n)?;
        self.builder
            .ins()
            .trapz(callee, clif_trap(Trap::NullFunctionReference));
        let results = self
            .env
            .call_funcref(&mut self.builder, callee, type_index, &args, tail);
        self.finish_call(results, tail);
        Ok(())
    }

    fn finish_call(&mut self, results: Vec<Value>, tail: bool) {
        if tail {
            // A tail call ends the block, like `return`.
            self.reachable = false;
        } else {
            self.stack.extend(results);
        }
    }
}
