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
//!   `try`/`catch`/`delegate`/`rethrow`;
//! * [`gc`] and [`casts`] — Wasm GC objects, `i31`, and casts.
//!
//! After a body is translated, three passes reshape its CLIF for x64
//! before Cranelift's own: [`induction`] keeps address induction variables
//! in 64 bits (pointers into the fixed-address memory where it can),
//! [`read_modify_write`] moves the load of `c[j] += x` next to its store,
//! and [`byte_swap`] turns byte swaps written with shifts into `bswap`.
//!
//! Value representation: every Wasm value has exactly one Cranelift type
//! ([`crate::env::clif_type`]); in particular a `v128` is always an `I8X16`
//! on the operand stack, in locals and at block boundaries, and SIMD
//! operators bitcast to the lane type they need.

mod address;
pub(crate) use address::max_u32;
mod atomics;
mod bulk;
mod byte_swap;
mod casts;
mod control;
mod conversions;
mod exceptions;
pub(crate) mod gc;
mod induction;
mod memory;
mod numeric;
mod read_modify_write;
mod references;
mod relaxed_simd;
mod simd;
mod tables;
#[cfg(test)]
mod tests;
mod variables;

use crate::env::{clif_type, FuncEnv};
use crate::gc_types::is_gc_ref;
use cranelift_codegen::entity::EntitySet;
use cranelift_codegen::ir::{types, Function, InstBuilder, Type, Value};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use wasmlink_module::wasmparser::{
    FuncValidator, FunctionBody, Operator, ValType, ValidatorResources,
};

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
        operand_types: None,
        declared: EntitySet::new(),
    };
    // A program with GC types may hold heap references in any value of
    // the `any` and `extern` hierarchies: each is declared to need a stack
    // map, so it is in a slot the collector reads at every safepoint. A
    // validator run alongside says which operands are such references.
    if !t.env.src.plan.gc_types.types.is_empty() {
        let mut v = module
            .func_validator(func_index)
            .ok_or("no validator for a function of the module")?;
        v.read_locals(&mut body.get_binary_reader())
            .map_err(|e| format!("reading locals: {e}"))?;
        t.operand_types = Some(v);
    }
    t.declare_locals(ty.params(), &wasm_params, &body)?;
    let results: Vec<Type> = ty.results().iter().map(|t| clif_type(*t)).collect();
    t.push_function_frame(results);

    let mut reader = body
        .get_operators_reader()
        .map_err(|e| format!("reading the function body: {e}"))?;
    while !reader.eof() {
        let offset = reader.original_position();
        let op = reader
            .read()
            .map_err(|e| format!("reading the function body: {e}"))?;
        t.translate_operator(&op)?;
        t.declare_gc_operands(offset, &op)?;
    }
    if !t.frames.is_empty() {
        return Err("function body ends inside a block".into());
    }
    t.builder.finalize(frontend_config);
    induction::widen_address_inductions(func);
    read_modify_write::place_update_loads(func);
    byte_swap::recognise_byte_swaps(func);
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
    /// In a program with GC types: the function's validator, run in
    /// lockstep to know each operand's type.
    operand_types: Option<FuncValidator<ValidatorResources>>,
    /// The operands already declared to need a stack map.
    declared: EntitySet<Value>,
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
            let var = self.declare_local(ty);
            self.builder.def_var(var, val);
        }
        let reader = body
            .get_locals_reader()
            .map_err(|e| format!("reading locals: {e}"))?;
        for group in reader {
            let (count, ty) = group.map_err(|e| format!("reading locals: {e}"))?;
            // One zero per type is enough; every local of the group shares it.
            let zero = self.zero(ty);
            for _ in 0..count {
                let var = self.declare_local(ty);
                self.builder.def_var(var, zero);
            }
        }
        Ok(())
    }

    /// A new local of type `ty`; one that may hold a heap reference lives
    /// in a stack-map slot across calls.
    fn declare_local(&mut self, ty: ValType) -> Variable {
        let var = self.builder.declare_var(clif_type(ty));
        if self.operand_types.is_some() && is_gc_ref(self.env.module(), ty) {
            self.builder.declare_var_needs_stack_map(var);
        }
        self.locals.push((var, ty));
        var
    }

    /// After operator `op` (at `offset`): step the validator and declare
    /// every operand of a GC reference type to need a stack map.
    fn declare_gc_operands(&mut self, offset: u64, op: &Operator<'_>) -> Result<(), String> {
        let Some(v) = self.operand_types.as_mut() else {
            return Ok(());
        };
        v.op(offset, op)
            .map_err(|e| format!("validating the function again: {e}"))?;
        // In unreachable code the two stacks need not agree, and nothing
        // runs there.
        if !self.reachable || v.operand_stack_height() as usize != self.stack.len() {
            return Ok(());
        }
        let module = self.env.module();
        let n = self.stack.len();
        for (i, &value) in self.stack.iter().enumerate() {
            if self.declared.contains(value) {
                continue;
            }
            if let Some(Some(ty)) = v.get_operand_type(n - 1 - i) {
                if operand_is_gc_ref(v, module, ty) {
                    self.builder.declare_value_needs_stack_map(value);
                    self.declared.insert(value);
                }
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
            || self.translate_exception(op)?
            || self.translate_gc(op)?
            || self.translate_cast(op)?;
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

/// Whether an operand of type `ty`, as the validator reports it, may hold
/// a heap reference. The validator names concrete types by their
/// canonical id rather than by module index; its resources say what kind
/// of type that is.
fn operand_is_gc_ref(
    v: &FuncValidator<ValidatorResources>,
    module: &wasmlink_module::ModuleInfo,
    ty: ValType,
) -> bool {
    use wasmlink_module::wasmparser::{
        CompositeInnerType, HeapType, UnpackedIndex, WasmModuleResources,
    };
    if let ValType::Ref(r) = ty {
        if let HeapType::Concrete(UnpackedIndex::Id(id)) | HeapType::Exact(UnpackedIndex::Id(id)) =
            r.heap_type()
        {
            let sub = v.resources().sub_type_at_id(id);
            return !matches!(sub.composite_type.inner, CompositeInnerType::Func(_));
        }
    }
    is_gc_ref(module, ty)
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

/// The constant `v` is, when an `iconst` defines it.
pub(crate) fn iconst_of(func: &Function, v: Value) -> Option<i64> {
    use cranelift_codegen::ir::{InstructionData, Opcode, ValueDef};
    let ValueDef::Result(inst, 0) = func.dfg.value_def(v) else {
        return None;
    };
    match func.dfg.insts[inst] {
        InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            imm,
        } => Some(imm.bits()),
        _ => None,
    }
}
