//! Wasm operators → Cranelift IR for one function body.
//!
//! The translator keeps the Wasm operand stack as a stack of SSA values and
//! the Wasm control stack as a stack of [`control::Frame`]s; locals are
//! Cranelift `Variable`s, so the frontend builds SSA form for us. Each
//! operator group lives in its own file and is tried in turn by
//! [`Translator::translate_operator`]:
//!
//! * [`control`] — blocks, branches, calls, `drop`/`select`;
//! * [`variables`] — locals and globals;
//! * [`memory`] — loads, stores and the bulk memory operators;
//! * [`numeric`] — constants, integer and float arithmetic and comparisons;
//! * [`conversions`] — conversions between value types;
//! * [`references`] — `ref.*`;
//! * [`tables`] — `table.*` and `elem.drop`;
//! * [`simd`] — the `v128` operators;
//! * [`exceptions`] — `try_table`, `throw`, `throw_ref` and the legacy
//!   `try`/`catch`/`delegate`/`rethrow`.
//!
//! Value representation: every Wasm value has exactly one Cranelift type
//! ([`crate::env::clif_type`]); in particular a `v128` is always an `I8X16`
//! on the operand stack, in locals and at block boundaries, and SIMD
//! operators bitcast to the lane type they need.

mod atomics;
mod bulk;
mod control;
mod conversions;
mod exceptions;
mod memory;
mod numeric;
mod references;
mod relaxed_simd;
mod simd;
mod tables;
#[cfg(test)]
mod tests;
mod variables;

use crate::env::{clif_type, FuncEnv};
use cranelift_codegen::ir::{types, Function, InstBuilder, Type, Value};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use wasmlink_module::wasmparser::{FunctionBody, Operator, ValType};

/// Translate `body` (a defined function of `env`'s module, whose signature
/// `func` already carries) into `func`.
pub fn translate_function(
    env: &mut FuncEnv,
    func: &mut Function,
    func_index: u32,
    body: FunctionBody<'_>,
) -> Result<(), String> {
    let module = env.module();
    let ty = module
        .funcs
        .get(func_index as usize)
        .and_then(|f| module.types.get(f.type_index as usize))
        .ok_or_else(|| format!("function {func_index} has no type"))?
        .clone();
    let frontend_config = env.src.isa.frontend_config();

    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(func, &mut ctx);
    let entry = builder.create_block();
    builder.append_block_params_for_function_params(entry);
    builder.switch_to_block(entry);
    builder.seal_block(entry);
    let params = builder.block_params(entry).to_vec();
    let wasm_params = env.enter(&mut builder, &ty, &params);

    let mut t = Translator {
        env,
        builder,
        stack: Vec::new(),
        frames: Vec::new(),
        locals: Vec::new(),
        reachable: true,
        unreachable_depth: 0,
        scopes: Vec::new(),
        exnrefs_escape: exceptions::exnrefs_escape(module, &ty, &body)?,
    };
    t.declare_locals(ty.params(), &wasm_params, &body)?;
    let results: Vec<Type> = ty.results().iter().map(|t| clif_type(*t)).collect();
    t.push_function_frame(results);

    let mut reader = body
        .get_operators_reader()
        .map_err(|e| format!("reading the function body: {e}"))?;
    while !reader.eof() {
        let op = reader
            .read()
            .map_err(|e| format!("reading the function body: {e}"))?;
        t.translate_operator(&op)?;
    }
    if !t.frames.is_empty() {
        return Err("function body ends inside a block".into());
    }
    t.builder.finalize(frontend_config);
    Ok(())
}

/// The state of one function's translation.
pub(crate) struct Translator<'t, 'a> {
    env: &'t mut FuncEnv<'a>,
    builder: FunctionBuilder<'t>,
    /// The Wasm operand stack.
    stack: Vec<Value>,
    /// The Wasm control stack; `frames[0]` is the function body itself.
    frames: Vec<control::Frame>,
    /// Variable and Wasm type of each local (params first).
    locals: Vec<(Variable, ValType)>,
    /// Whether the current position can be reached. After `br`, `return`,
    /// `unreachable` and friends it cannot, and operators are skipped until
    /// the `else`/`end` of the innermost frame.
    reachable: bool,
    /// While unreachable: how many blocks opened in the dead code are still
    /// open (their `end`s must be skipped as well).
    unreachable_depth: u32,
    /// The exception handler scopes of the enclosing `try_table`s and
    /// legacy `try`s, outermost first.
    scopes: Vec<exceptions::Scope>,
    /// Whether an `exnref` may leave this function's frame (see
    /// `exceptions::exnrefs_escape`).
    exnrefs_escape: bool,
}

impl Translator<'_, '_> {
    /// Declare the locals: params get their incoming values, the others
    /// start at zero as the spec demands.
    fn declare_locals(
        &mut self,
        params: &[ValType],
        param_values: &[Value],
        body: &FunctionBody<'_>,
    ) -> Result<(), String> {
        if params.len() != param_values.len() {
            return Err("function signature does not match its type".into());
        }
        for (&ty, &val) in params.iter().zip(param_values) {
            let var = self.builder.declare_var(clif_type(ty));
            self.builder.def_var(var, val);
            self.locals.push((var, ty));
        }
        let reader = body
            .get_locals_reader()
            .map_err(|e| format!("reading locals: {e}"))?;
        for group in reader {
            let (count, ty) = group.map_err(|e| format!("reading locals: {e}"))?;
            // One zero per type is enough; every local of the group shares it.
            let zero = self.zero(ty);
            for _ in 0..count {
                let var = self.builder.declare_var(clif_type(ty));
                self.builder.def_var(var, zero);
                self.locals.push((var, ty));
            }
        }
        Ok(())
    }

    /// The zero (or null) value of a Wasm type.
    fn zero(&mut self, ty: ValType) -> Value {
        match ty {
            ValType::I32 => self.builder.ins().iconst(types::I32, 0),
            ValType::I64 | ValType::Ref(_) => self.builder.ins().iconst(types::I64, 0),
            ValType::F32 => self.builder.ins().f32const(0.0f32),
            ValType::F64 => self.builder.ins().f64const(0.0f64),
            ValType::V128 => simd::v128_const(&mut self.builder, [0; 16]),
        }
    }

    /// Translate one operator, or skip it when the current position is
    /// unreachable.
    fn translate_operator(&mut self, op: &Operator<'_>) -> Result<(), String> {
        if !self.reachable {
            return self.skip_unreachable(op);
        }
        let handled = self.translate_control(op)?
            || self.translate_variable(op)?
            || self.translate_memory(op)?
            || self.translate_numeric(op)?
            || self.translate_conversion(op)?
            || self.translate_reference(op)?
            || self.translate_table(op)?
            || self.translate_simd(op)?
            || self.translate_atomic(op)?
            || self.translate_exception(op)?;
        if handled {
            Ok(())
        } else if wasmlink_module::is_gc_operator(op) {
            Err(format!(
                "unsupported operator {op:?}: Wasm GC operators are not implemented"
            ))
        } else {
            Err(format!("unsupported operator {op:?}"))
        }
    }

    // ---- operand stack ----

    fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    fn pop(&mut self) -> Result<Value, String> {
        self.stack
            .pop()
            .ok_or_else(|| "operand stack underflow".to_string())
    }

    fn pop2(&mut self) -> Result<(Value, Value), String> {
        let b = self.pop()?;
        let a = self.pop()?;
        Ok((a, b))
    }

    fn pop3(&mut self) -> Result<(Value, Value, Value), String> {
        let c = self.pop()?;
        let (a, b) = self.pop2()?;
        Ok((a, b, c))
    }

    /// Pop the top `n` values, in stack order (deepest first).
    fn popn(&mut self, n: usize) -> Result<Vec<Value>, String> {
        let at = self
            .stack
            .len()
            .checked_sub(n)
            .ok_or("operand stack underflow")?;
        Ok(self.stack.split_off(at))
    }

    /// The top `n` values, in stack order, left on the stack.
    fn peekn(&self, n: usize) -> Result<&[Value], String> {
        let at = self
            .stack
            .len()
            .checked_sub(n)
            .ok_or("operand stack underflow")?;
        Ok(&self.stack[at..])
    }

    /// Apply a unary operation to the top of the stack.
    fn unary(
        &mut self,
        f: impl FnOnce(&mut FunctionBuilder, Value) -> Value,
    ) -> Result<(), String> {
        let a = self.pop()?;
        let r = f(&mut self.builder, a);
        self.push(r);
        Ok(())
    }

    /// Apply a binary operation to the top two values of the stack.
    fn binary(
        &mut self,
        f: impl FnOnce(&mut FunctionBuilder, Value, Value) -> Value,
    ) -> Result<(), String> {
        let (a, b) = self.pop2()?;
        let r = f(&mut self.builder, a, b);
        self.push(r);
        Ok(())
    }
}

/// Zero-extend a Wasm index (`i32` for 32-bit memories and tables) to the
/// `u64` the runtime helpers take.
fn to_u64(builder: &mut FunctionBuilder, v: Value) -> Value {
    if builder.func.dfg.value_type(v) == types::I64 {
        v
    } else {
        builder.ins().uextend(types::I64, v)
    }
}
