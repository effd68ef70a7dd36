//! Calls that exceptions can unwind into: while exception handlers are
//! active (inside a `try_table` or a legacy `try`), every call that may
//! throw is a Cranelift `try_call` whose exception table lists them.
//!
//! The table starts with the caller's vmctx as the *context* (the runtime
//! reads tag slots from it: see `wasmlink_runtime::exceptions`), then one
//! entry per handler, innermost first: a tag is named by the vmctx offset
//! of its slot (the `ExceptionTag` number), a catch-all is Cranelift's
//! default entry. Each handler block takes one parameter, the exception
//! (Cranelift's first payload register). Without handlers a call is a
//! plain `call`, so code that throws nothing pays nothing.

use crate::env::{Callee, PTR};
use cranelift_codegen::ir::{
    Block, BlockArg, ExceptionTableData, ExceptionTableItem, ExceptionTag, InstBuilder, Value,
};
use cranelift_frontend::FunctionBuilder;

/// One active exception handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handler {
    /// Exceptions of the tag whose slot is at vmctx offset `slot`.
    Tag { slot: u32, block: Block },
    /// Every exception.
    All { block: Block },
}

impl Handler {
    pub fn block(self) -> Block {
        match self {
            Handler::Tag { block, .. } | Handler::All { block } => block,
        }
    }
}

/// The handlers a call is made under, innermost first, with the vmctx
/// their tag slots are read from.
#[derive(Clone, Copy, Debug)]
pub struct Catch<'h> {
    pub vmctx: Value,
    pub handlers: &'h [Handler],
}

/// A new handler block: one parameter, the exception.
pub fn handler_block(builder: &mut FunctionBuilder) -> Block {
    let b = builder.create_block();
    builder.append_block_param(b, PTR);
    b
}

/// Emit a call of `target` and return its results. Under `catch` (with
/// handlers) it is a `try_call`; the code after it continues in a new
/// block, whose parameters are the results.
pub fn emit_call(
    builder: &mut FunctionBuilder,
    target: Callee,
    args: &[Value],
    catch: Option<Catch>,
) -> Vec<Value> {
    let catch = match catch {
        Some(c) if !c.handlers.is_empty() => c,
        _ => {
            let call = match target {
                Callee::Direct(f) => builder.ins().call(f, args),
                Callee::Indirect { sig, code } => builder.ins().call_indirect(sig, code, args),
            };
            return builder.inst_results(call).to_vec();
        }
    };
    let sig = match target {
        Callee::Direct(f) => builder.func.dfg.ext_funcs[f].signature,
        Callee::Indirect { sig, .. } => sig,
    };
    let returns: Vec<_> = builder.func.dfg.signatures[sig]
        .returns
        .iter()
        .map(|p| p.value_type)
        .collect();
    let next = builder.create_block();
    for ty in &returns {
        builder.append_block_param(next, *ty);
    }
    let results: Vec<BlockArg> = (0..returns.len() as u32)
        .map(BlockArg::TryCallRet)
        .collect();
    let normal = builder.func.dfg.block_call(next, &results);
    let mut items = vec![ExceptionTableItem::Context(catch.vmctx)];
    for h in catch.handlers {
        let to = builder
            .func
            .dfg
            .block_call(h.block(), &[BlockArg::TryCallExn(0)]);
        items.push(match *h {
            Handler::Tag { slot, .. } => ExceptionTableItem::Tag(ExceptionTag::from_u32(slot), to),
            Handler::All { .. } => ExceptionTableItem::Default(to),
        });
    }
    let table = builder
        .func
        .dfg
        .exception_tables
        .push(ExceptionTableData::new(sig, normal, items));
    match target {
        Callee::Direct(f) => builder.ins().try_call(f, args, table),
        Callee::Indirect { code, .. } => builder.ins().try_call_indirect(code, args, table),
    };
    builder.seal_block(next);
    builder.switch_to_block(next);
    builder.block_params(next).to_vec()
}
