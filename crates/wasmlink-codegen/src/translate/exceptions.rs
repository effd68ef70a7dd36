//! Exception handling: `try_table`, `throw`, `throw_ref`, and the legacy
//! `try`/`catch`/`catch_all`/`delegate`/`rethrow`.
//!
//! Handlers are lexical: the translator keeps a stack of handler scopes
//! ([`Scope`]); whenever it changes, the flattened list of active handlers
//! (innermost first, cut after the first catch-all) goes to the function
//! environment, and every call that may throw is then a `try_call` listing
//! them (`crate::unwind`). An exception is a runtime object (see
//! `wasmlink_abi::ExceptionHeader`): its tag's identity, then the payload
//! in value slots; an `exnref` is its address.
//!
//! * `try_table`: one handler block per catch clause; the runtime matches
//!   tags, so each block only copies the payload out and branches to the
//!   clause's label. The blocks are emitted at the `end`, when every call
//!   that can reach them is known.
//! * Legacy `try`: its catch clauses come after the body, so the body's
//!   calls all land in one catch-all *landing* block, which compares the
//!   exception's tag with each `catch` in turn as the clauses are
//!   translated; an exception no clause takes is thrown on from there. A
//!   `delegate` throws it on with the handlers of its target label.
//!   The exception of a catch clause is kept in a variable for `rethrow`.

use super::control::{block_args, FrameKind};
use super::Translator;
use crate::env::{clif_type, trusted_readonly, PTR};
use crate::traps::clif_trap;
use crate::unwind::{handler_block, Handler};
use cranelift_codegen::ir::{condcodes::IntCC, Block, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::Variable;
use wasmlink_abi::{field, size, RuntimeFn, Trap};
use wasmlink_module::wasmparser::{Catch, Operator, TryTable};

/// One level of the handler stack: handlers tried in order.
pub(super) struct Scope(Vec<Handler>);

/// What a `try_table` clause does with a caught exception.
pub(super) struct TryTableCatch {
    /// The payload's tag, if the clause names one.
    tag: Option<u32>,
    /// Whether the `exnref` goes to the label too.
    with_ref: bool,
    block: Block,
    target: Block,
}

pub(super) struct TryTableCatches(Vec<TryTableCatch>);

/// A legacy `try` frame.
pub(super) struct LegacyTry {
    /// Catch-all block of the body's calls.
    landing: Block,
    /// The exception, as the landing block's parameter.
    exn: Value,
    /// Where the next clause's tag test goes; `None` after `catch_all`.
    pending: Option<Block>,
    /// Set once the first clause has started (the body's scope is gone).
    in_catch: bool,
    /// The caught exception, for `rethrow`.
    caught: Variable,
}

/// Byte offset of payload value `i` in an exception.
fn payload_offset(i: usize) -> i32 {
    (size::EXCEPTION_HEADER + size::VALUE_SLOT * i as u32) as i32
}

impl Translator<'_, '_> {
    pub(super) fn translate_exception(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        match op {
            Operator::TryTable { try_table } => self.translate_try_table(try_table)?,
            Operator::Throw { tag_index } => self.translate_throw(*tag_index)?,
            Operator::ThrowRef => {
                let exn = self.pop()?;
                self.builder
                    .ins()
                    .trapz(exn, clif_trap(Trap::NullExceptionReference));
                self.emit_throw(exn);
            }
            Operator::Try { blockty } => self.translate_try(*blockty)?,
            Operator::Catch { tag_index } => self.translate_catch(Some(*tag_index))?,
            Operator::CatchAll => self.translate_catch(None)?,
            Operator::Delegate { relative_depth } => self.translate_delegate(*relative_depth)?,
            Operator::Rethrow { relative_depth } => {
                let i = self
                    .frames
                    .len()
                    .checked_sub(1 + *relative_depth as usize)
                    .ok_or("rethrow depth out of range")?;
                let FrameKind::LegacyTry(t) = &self.frames[i].kind else {
                    return Err("rethrow does not name a catch clause".into());
                };
                let exn = self.builder.use_var(t.caught);
                self.emit_throw(exn);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Flatten the scopes into the environment's active handlers.
    fn refresh_handlers(&mut self) {
        self.env.handlers = self.handlers_of(self.scopes.len());
    }

    /// The handlers of the first `depth` scopes, innermost first.
    fn handlers_of(&self, depth: usize) -> Vec<Handler> {
        let mut out = Vec::new();
        for scope in self.scopes[..depth].iter().rev() {
            for h in &scope.0 {
                out.push(*h);
                if matches!(h, Handler::All { .. }) {
                    // Nothing gets past a catch-all.
                    return out;
                }
            }
        }
        out
    }

    fn push_scope(&mut self, scope: Scope) {
        self.scopes.push(scope);
        self.refresh_handlers();
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
        self.refresh_handlers();
    }

    /// The vmctx offset of tag `tag`'s slot.
    fn tag_slot(&self, tag: u32) -> Result<u32, String> {
        self.env
            .src
            .layout
            .tags
            .get(tag as usize)
            .copied()
            .ok_or_else(|| format!("tag {tag} does not exist"))
    }

    /// The identity (`TagInfo` address) of tag `tag` of this instance.
    fn tag_identity(&mut self, tag: u32) -> Result<Value, String> {
        let slot = self.tag_slot(tag)?;
        let vmctx = self.env.vmctx();
        Ok(self
            .builder
            .ins()
            .load(PTR, trusted_readonly(), vmctx, slot as i32))
    }

    /// The payload types of tag `tag`.
    fn tag_params(&self, tag: u32) -> Result<Vec<cranelift_codegen::ir::Type>, String> {
        let m = self.env.module();
        let ty = m
            .tags
            .get(tag as usize)
            .and_then(|t| m.types.get(*t as usize))
            .ok_or_else(|| format!("tag {tag} does not exist"))?;
        Ok(ty.params().iter().map(|t| clif_type(*t)).collect())
    }

    /// Load the payload of exception `exn`, of tag `tag`.
    fn load_payload(&mut self, exn: Value, tag: u32) -> Result<Vec<Value>, String> {
        let types = self.tag_params(tag)?;
        Ok(types
            .iter()
            .enumerate()
            .map(|(i, ty)| {
                self.builder
                    .ins()
                    .load(*ty, MemFlagsData::trusted(), exn, payload_offset(i))
            })
            .collect())
    }

    /// The program now has `exn` as an `exnref`: if this function's
    /// `exnref`s never leave its frame, the frame holds it (it is freed
    /// once that frame is gone and a `catch` takes it); else it may be
    /// kept anywhere and is never freed (see `wasmlink_abi::ExceptionHeader`).
    fn expose(&mut self, exn: Value) {
        if self.exnrefs_escape {
            let one = self
                .builder
                .ins()
                .iconst(cranelift_codegen::ir::types::I32, 1);
            self.builder
                .ins()
                .store(MemFlagsData::trusted(), one, exn, field::EXCEPTION_ESCAPED);
        } else {
            self.hold(exn, RuntimeFn::ExceptionHold);
        }
    }

    /// Called at the `end` of `frame` before it falls through: the last
    /// clause of a legacy `try` is done with its exception.
    pub(super) fn before_end(&mut self, frame: &super::control::Frame) {
        if let FrameKind::LegacyTry(t) = &frame.kind {
            if t.in_catch && self.reachable {
                self.hold(t.exn, RuntimeFn::ExceptionRelease);
            }
        }
    }

    /// `wasmlink_exception_hold`/`release` of `exn` by this frame.
    fn hold(&mut self, exn: Value, f: RuntimeFn) {
        let fp = self.builder.ins().get_frame_pointer(PTR);
        self.env.call_runtime(&mut self.builder, f, &[exn, fp]);
    }

    /// Throw `exn` (non-null) under the active handlers. The call only
    /// returns when nothing catches it, inside a protected call: trap.
    fn emit_throw(&mut self, exn: Value) {
        self.env
            .call_runtime(&mut self.builder, RuntimeFn::Throw, &[exn]);
        self.builder.ins().trap(clif_trap(Trap::UncaughtException));
        self.reachable = false;
    }

    fn translate_throw(&mut self, tag: u32) -> Result<(), String> {
        let m = self.env.module();
        if let Some(&ty) = m.tags.get(tag as usize) {
            if !crate::gc_types::tag_gc_refs_fit(m, ty) {
                return Err(format!(
                    "tag {tag} carries a GC reference after its 64th payload value, where the collector cannot find it (an implementation limit)"
                ));
            }
        }
        let types = self.tag_params(tag)?;
        let args = self.popn(types.len())?;
        let identity = self.tag_identity(tag)?;
        let slots = self
            .builder
            .ins()
            .iconst(cranelift_codegen::ir::types::I64, types.len() as i64);
        let exn = self.env.call_runtime(
            &mut self.builder,
            RuntimeFn::ExceptionNew,
            &[identity, slots],
        )[0];
        for (i, v) in args.iter().enumerate() {
            self.builder
                .ins()
                .store(MemFlagsData::trusted(), *v, exn, payload_offset(i));
        }
        self.emit_throw(exn);
        Ok(())
    }

    fn translate_try_table(&mut self, t: &TryTable) -> Result<(), String> {
        let (params, results) = self.block_signature(t.ty)?;
        let height = self.height_below(params.len())?;
        let mut catches = Vec::with_capacity(t.catches.len());
        let mut handlers = Vec::with_capacity(t.catches.len());
        for c in &t.catches {
            // Clause labels count from outside the try_table.
            let (tag, with_ref, label) = match *c {
                Catch::One { tag, label } => (Some(tag), false, label),
                Catch::OneRef { tag, label } => (Some(tag), true, label),
                Catch::All { label } => (None, false, label),
                Catch::AllRef { label } => (None, true, label),
            };
            let (target, _) = self.branch_target(label)?;
            let block = handler_block(&mut self.builder);
            handlers.push(match tag {
                Some(tag) => Handler::Tag {
                    slot: self.tag_slot(tag)?,
                    block,
                },
                None => Handler::All { block },
            });
            catches.push(TryTableCatch {
                tag,
                with_ref,
                block,
                target,
            });
        }
        let end_block = self.new_block_with_params(&results);
        self.push_scope(Scope(handlers));
        self.push_frame(
            FrameKind::TryTable(TryTableCatches(catches)),
            height,
            params.len(),
            results,
            end_block,
        );
        Ok(())
    }

    /// The `end` of a `try_table` (its body has been closed): drop its
    /// scope and emit the clauses' handler blocks.
    pub(super) fn end_try_table(&mut self, catches: &TryTableCatches) -> Result<(), String> {
        self.pop_scope();
        for c in &catches.0 {
            self.builder.seal_block(c.block);
            self.builder.switch_to_block(c.block);
            let exn = self.builder.block_params(c.block)[0];
            let mut args = match c.tag {
                Some(tag) => self.load_payload(exn, tag)?,
                None => Vec::new(),
            };
            if c.with_ref {
                self.expose(exn);
                args.push(exn);
            } else {
                self.env
                    .call_runtime(&mut self.builder, RuntimeFn::ExceptionDone, &[exn]);
            }
            self.builder.ins().jump(c.target, &block_args(&args));
        }
        Ok(())
    }

    fn translate_try(
        &mut self,
        blockty: wasmlink_module::wasmparser::BlockType,
    ) -> Result<(), String> {
        let (params, results) = self.block_signature(blockty)?;
        let height = self.height_below(params.len())?;
        let end_block = self.new_block_with_params(&results);
        let landing = handler_block(&mut self.builder);
        let exn = self.builder.block_params(landing)[0];
        let caught = self.builder.declare_var(PTR);
        self.push_scope(Scope(vec![Handler::All { block: landing }]));
        self.push_frame(
            FrameKind::LegacyTry(LegacyTry {
                landing,
                exn,
                pending: Some(landing),
                in_catch: false,
                caught,
            }),
            height,
            params.len(),
            results,
            end_block,
        );
        Ok(())
    }

    /// Close the region (body or clause) of the innermost legacy `try`
    /// that is ending: fall through to its end, and when it is the body,
    /// drop the body's scope. Returns the frame's index.
    fn close_try_region(&mut self) -> Result<usize, String> {
        let i = self
            .frames
            .len()
            .checked_sub(1)
            .ok_or("catch outside a try")?;
        let reachable = self.reachable;
        let frame = &mut self.frames[i];
        let FrameKind::LegacyTry(t) = &mut frame.kind else {
            return Err("catch outside a try".into());
        };
        let (landing, was_in_catch, exn) = (t.landing, t.in_catch, t.exn);
        t.in_catch = true;
        let end_block = frame.end_block;
        let n = frame.results.len();
        if reachable {
            if was_in_catch {
                // A clause that ends normally is done with its exception.
                self.hold(exn, RuntimeFn::ExceptionRelease);
            }
            let frame = &mut self.frames[i];
            frame.end_reachable = true;
            let args = block_args(self.peekn(n)?);
            self.builder.ins().jump(end_block, &args);
        }
        if !was_in_catch {
            self.pop_scope();
            self.frames[i].handler_depth = self.scopes.len();
            self.builder.seal_block(landing);
        }
        Ok(i)
    }

    /// `catch tag` (`Some`) or `catch_all` (`None`) of a legacy `try`.
    pub(super) fn translate_catch(&mut self, tag: Option<u32>) -> Result<(), String> {
        let i = self.close_try_region()?;
        let FrameKind::LegacyTry(t) = &self.frames[i].kind else {
            return Err("catch outside a try".into());
        };
        let (exn, caught) = (t.exn, t.caught);
        let Some(test) = t.pending else {
            return Err("catch after catch_all".into());
        };
        self.builder.switch_to_block(test);
        let body = self.builder.create_block();
        let next = match tag {
            Some(tag) => {
                let expected = self.tag_identity(tag)?;
                let actual = self.builder.ins().load(
                    PTR,
                    MemFlagsData::trusted(),
                    exn,
                    field::EXCEPTION_TAG,
                );
                let same = self.builder.ins().icmp(IntCC::Equal, actual, expected);
                let next = self.builder.create_block();
                self.builder.ins().brif(same, body, &[], next, &[]);
                self.builder.seal_block(next);
                Some(next)
            }
            None => {
                self.builder.ins().jump(body, &[]);
                None
            }
        };
        self.builder.seal_block(body);
        if let FrameKind::LegacyTry(t) = &mut self.frames[i].kind {
            t.pending = next;
        }
        self.builder.switch_to_block(body);
        self.stack.truncate(self.frames[i].height);
        // A legacy clause never shows the exception to the program (only
        // `rethrow` uses it): this frame holds it until the clause ends.
        self.hold(exn, RuntimeFn::ExceptionHold);
        self.builder.def_var(caught, exn);
        if let Some(tag) = tag {
            let payload = self.load_payload(exn, tag)?;
            self.stack.extend(payload);
        }
        self.reachable = true;
        Ok(())
    }

    /// The `end` of a legacy `try` (the region has been closed by the
    /// caller): an exception no clause took is thrown on.
    pub(super) fn end_legacy_try(&mut self, t: &LegacyTry) -> Result<(), String> {
        let mut pending = t.pending;
        if !t.in_catch {
            // `try … end` without clauses: the body's scope is still there.
            self.pop_scope();
            self.builder.seal_block(t.landing);
            pending = Some(t.landing);
        }
        if let Some(block) = pending {
            self.builder.switch_to_block(block);
            self.emit_throw(t.exn);
        }
        Ok(())
    }

    /// `delegate`: end the legacy `try` and throw whatever reaches its
    /// landing on with the handlers of label `relative_depth` (counted
    /// from outside the `try`).
    pub(super) fn translate_delegate(&mut self, relative_depth: u32) -> Result<(), String> {
        let i = self.close_try_region()?;
        let target = i
            .checked_sub(1 + relative_depth as usize)
            .ok_or("delegate depth out of range")?;
        let depth = self.frames[target].handler_depth;
        let (landing, exn) = match &self.frames[i].kind {
            FrameKind::LegacyTry(t) => (t.landing, t.exn),
            _ => return Err("delegate outside a try".into()),
        };
        // The landing's code runs under the target's handlers.
        let delegated = self.handlers_of(depth);
        let saved = std::mem::replace(&mut self.env.handlers, delegated);
        let reachable = self.reachable;
        self.builder.switch_to_block(landing);
        self.emit_throw(exn);
        self.env.handlers = saved;
        self.reachable = reachable;
        // Now the frame ends like a block.
        let frame = self.frames.last_mut().ok_or("delegate outside a try")?;
        if let FrameKind::LegacyTry(t) = &mut frame.kind {
            t.pending = None;
        }
        self.reachable = false;
        self.translate_end()
    }
}

/// Whether an `exnref` may leave the frame of the function whose type is
/// `ty` and whose body is `body`: as an argument or result of a call, the
/// function's result, a global, a table element or an exception payload.
/// Only then must a caught exception shown to the program be kept for
/// ever; otherwise the frame holding it is known (see `Translator::expose`).
pub(super) fn exnrefs_escape(
    m: &wasmlink_module::ModuleInfo,
    ty: &wasmlink_module::wasmparser::FuncType,
    body: &wasmlink_module::wasmparser::FunctionBody<'_>,
) -> Result<bool, String> {
    use wasmlink_module::wasmparser::{AbstractHeapType, FuncType, HeapType, ValType};
    let is_exn = |v: &ValType| {
        matches!(v, ValType::Ref(r) if matches!(
            r.heap_type(),
            HeapType::Abstract { ty: AbstractHeapType::Exn | AbstractHeapType::NoExn, .. }
        ))
    };
    let takes = |f: Option<&FuncType>| f.is_some_and(|f| f.params().iter().any(is_exn));
    let gives = |f: Option<&FuncType>| f.is_some_and(|f| f.results().iter().any(is_exn));
    if ty.results().iter().any(is_exn) {
        return Ok(true);
    }
    let func_ty = |f: u32| {
        m.funcs
            .get(f as usize)
            .and_then(|d| m.types.get(d.type_index as usize))
    };
    let table_of_exn = |t: u32| {
        m.tables
            .get(t as usize)
            .is_some_and(|t| is_exn(&ValType::Ref(t.element_type)))
    };
    let mut reader = body
        .get_operators_reader()
        .map_err(|e| format!("reading the function body: {e}"))?;
    while !reader.eof() {
        let op = reader
            .read()
            .map_err(|e| format!("reading the function body: {e}"))?;
        let escapes = match op {
            Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                let f = func_ty(function_index);
                takes(f) || gives(f)
            }
            Operator::CallIndirect { type_index, .. }
            | Operator::ReturnCallIndirect { type_index, .. }
            | Operator::CallRef { type_index }
            | Operator::ReturnCallRef { type_index } => {
                let f = m.types.get(type_index as usize);
                takes(f) || gives(f)
            }
            Operator::GlobalSet { global_index } => m
                .globals
                .get(global_index as usize)
                .is_some_and(|g| is_exn(&g.ty.content_type)),
            Operator::TableSet { table }
            | Operator::TableFill { table }
            | Operator::TableGrow { table } => table_of_exn(table),
            Operator::Throw { tag_index } => takes(
                m.tags
                    .get(tag_index as usize)
                    .and_then(|t| m.types.get(*t as usize)),
            ),
            _ => false,
        };
        if escapes {
            return Ok(true);
        }
    }
    Ok(false)
}
