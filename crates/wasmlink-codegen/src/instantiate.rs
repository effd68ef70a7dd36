//! Generated instantiation code: one function per instance that creates its
//! memories and tables, evaluates global initialisers, applies active element
//! and data segments and runs its start function (and `_initialize`), plus
//! `wasmlink_program_start`, which instantiates everything in graph order
//! and calls the entry with the arguments the runtime parsed, plus the
//! entry's signature table the runtime parses them by.

use crate::traps::clif_trap;
use cranelift_codegen::ir::condcodes::IntCC;
use wasmlink_abi::{
    field, size, RuntimeFn, Trap, ValueType, MEMORY_FLAG_64, MEMORY_FLAG_FIXED, PAGE_SIZE,
};

use crate::env::{clif_type, data_addr, declare_func, entry_block, FuncEnv, SourceEnv, PTR};
use crate::reach::Segment;
use crate::symbols::SymbolPlan;
use cranelift_codegen::ir::{
    immediates::{Ieee32, Ieee64},
    types, AbiParam, ArgumentPurpose, Function, InstBuilder, MemFlagsData, Signature, UserFuncName,
    Value,
};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use wasmlink_graph::InstanceGraph;
use wasmlink_module::wasmparser::ValType;
use wasmlink_module::{ConstExpr, ConstOp, DataMode, ElementMode, ExternKind};

/// Evaluate a constant expression in generated code.
pub fn eval_const_expr(
    env: &mut FuncEnv,
    builder: &mut FunctionBuilder,
    expr: &ConstExpr,
) -> Value {
    let mut stack: Vec<Value> = Vec::new();
    for op in &expr.0 {
        let value = match *op {
            ConstOp::I32Const(v) => builder.ins().iconst(types::I32, v as i64),
            ConstOp::I64Const(v) => builder.ins().iconst(types::I64, v),
            ConstOp::F32Const(bits) => builder.ins().f32const(Ieee32::with_bits(bits)),
            ConstOp::F64Const(bits) => builder.ins().f64const(Ieee64::with_bits(bits)),
            ConstOp::V128Const(bytes) => {
                let c = builder.func.dfg.constants.insert(bytes.to_vec().into());
                builder.ins().vconst(types::I8X16, c)
            }
            ConstOp::GlobalGet(g) => {
                let ty = clif_type(env.module().globals[g as usize].ty.content_type);
                let addr = env.global_addr(builder, g);
                builder.ins().load(ty, MemFlagsData::trusted(), addr, 0)
            }
            ConstOp::RefNull(_) => builder.ins().iconst(PTR, 0),
            ConstOp::RefFunc(f) => env.funcref(builder, f),
            ConstOp::I32Add | ConstOp::I64Add => {
                binary(builder, &mut stack, |b, x, y| b.ins().iadd(x, y))
            }
            ConstOp::I32Sub | ConstOp::I64Sub => {
                binary(builder, &mut stack, |b, x, y| b.ins().isub(x, y))
            }
            ConstOp::I32Mul | ConstOp::I64Mul => {
                binary(builder, &mut stack, |b, x, y| b.ins().imul(x, y))
            }
            ConstOp::RefI31 => {
                let x = stack.pop().expect("validated");
                let shifted = builder.ins().ishl_imm_u(x, 1);
                let tagged = builder.ins().bor_imm_u(shifted, 1);
                builder.ins().uextend(types::I64, tagged)
            }
            ConstOp::AnyConvertExtern | ConstOp::ExternConvertAny => {
                stack.pop().expect("validated")
            }
            ConstOp::StructNew(_)
            | ConstOp::StructNewDefault(_)
            | ConstOp::ArrayNew(_)
            | ConstOp::ArrayNewDefault(_)
            | ConstOp::ArrayNewFixed(..) => const_object(env, builder, &mut stack, op.clone()),
        };
        stack.push(value);
    }
    stack
        .pop()
        .expect("validated constant expressions produce one value")
}

/// A GC object a constant expression allocates (`op` is one of the
/// `struct.new`/`array.new` forms), from the operands on `stack`. The
/// allocation is a safepoint: the result, like every object made here,
/// lives in a stack-map slot.
fn const_object(
    env: &mut FuncEnv,
    b: &mut FunctionBuilder,
    stack: &mut Vec<Value>,
    op: ConstOp,
) -> Value {
    use crate::translate::gc::{alloc_object, fill_elements, store_field};
    let gc = std::sync::Arc::clone(&env.src.plan.gc_types);
    let (ConstOp::StructNew(t)
    | ConstOp::StructNewDefault(t)
    | ConstOp::ArrayNew(t)
    | ConstOp::ArrayNewDefault(t)
    | ConstOp::ArrayNewFixed(t, _)) = op
    else {
        unreachable!("only object-making operators come here")
    };
    let k = gc
        .canonical(env.src.source, t)
        .expect("validated: a struct or array type");
    let fields = &gc.types[k].fields;
    let zero = b.ins().iconst(types::I32, 0);
    let obj = match op {
        ConstOp::StructNew(_) => {
            let values = stack.split_off(stack.len() - fields.len());
            let obj = alloc_object(env, b, k, zero, Some(0));
            for (f, v) in fields.iter().zip(values) {
                store_field(b, obj, None, *f, v);
            }
            obj
        }
        ConstOp::ArrayNew(_) => {
            let len = stack.pop().expect("validated");
            let init = stack.pop().expect("validated");
            let obj = alloc_object(env, b, k, len, None);
            fill_elements(b, obj, fields[0], zero, len, init);
            obj
        }
        ConstOp::ArrayNewDefault(_) => {
            let len = stack.pop().expect("validated");
            alloc_object(env, b, k, len, None)
        }
        ConstOp::ArrayNewFixed(_, n) => {
            let values = stack.split_off(stack.len() - n as usize);
            let len = b.ins().iconst(types::I32, i64::from(n));
            let obj = alloc_object(env, b, k, len, Some(n));
            for (i, v) in values.into_iter().enumerate() {
                let index = b.ins().iconst(types::I32, i as i64);
                store_field(b, obj, Some(index), fields[0], v);
            }
            obj
        }
        _ => alloc_object(env, b, k, zero, Some(0)),
    };
    b.declare_value_needs_stack_map(obj);
    obj
}

fn binary(
    builder: &mut FunctionBuilder,
    stack: &mut Vec<Value>,
    op: impl Fn(&mut FunctionBuilder, Value, Value) -> Value,
) -> Value {
    let y = stack.pop().expect("validated operand");
    let x = stack.pop().expect("validated operand");
    op(builder, x, y)
}

/// Offset of item `k` of an element segment's array.
fn elem_offset(k: usize) -> i32 {
    i32::try_from(k * size::TABLE_ELEMENT as usize)
        .expect("element segments are far smaller than 2 GiB")
}

/// A segment offset as the i64 the runtime helpers take.
fn offset_i64(builder: &mut FunctionBuilder, v: Value) -> Value {
    if builder.func.dfg.value_type(v) == types::I64 {
        v
    } else {
        builder.ins().uextend(types::I64, v)
    }
}

/// `__wl_iN_instantiate(vmctx)` for `instance`, of `env`'s source.
pub fn instantiate_function(env: &SourceEnv, instance: usize, sym: usize) -> Function {
    let mut func = crate::env::vmctx_function(sym);
    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut ctx);
    let vmctx = entry_block(&mut builder)[0];
    let mut fenv = FuncEnv::new(env);
    fenv.set_vmctx(&mut builder, vmctx);
    emit_instantiation(&mut fenv, &mut builder, true, instance, false);
    builder.ins().return_(&[]);
    builder.finalize(env.isa.frontend_config());
    func
}

/// The body of an instantiation of `instance` into `fenv`'s vmctx:
/// memories and tables, global initialisers, element and data segments,
/// the start function and (with `initialize`) `_initialize`. It reaches
/// every piece of instance state through the vmctx (element arrays
/// through their segment slots), so it also instantiates a copy of the
/// instance's vmctx image made at run time (`crate::threads`, `copy`).
///
/// For the static instance (not `copy`) it uses what is known at build
/// time (`crate::initial`): memory images in place of the data segments
/// they hold and, in a build from a snapshot, the snapshot's state in
/// place of every initialiser (which then all stay unrun). With the
/// dead-code analysis it leaves out what the program never uses: dead
/// tables are not created, dead globals not initialised, unused element
/// segments neither computed nor applied (`crate::reach`).
pub(crate) fn emit_instantiation(
    fenv: &mut FuncEnv,
    b: &mut FunctionBuilder,
    initialize: bool,
    instance: usize,
    copy: bool,
) {
    let m = fenv.module();
    let plan = fenv.src.plan;
    let graph = fenv.src.graph;
    let live = fenv.src.live;
    let table_is_live = |t: u32| live.is_none_or(|l| l.table_is_live(graph, instance, t));
    let global_is_live = |g: u32| live.is_none_or(|l| l.global_is_live(graph, instance, g));
    let uses_elem = |e: u32| live.is_none_or(|l| l.uses_segment(instance, Segment::Elem(e)));
    let instance = (!copy).then_some(instance);
    // A build from a snapshot: its static state is the snapshot's.
    let restore = instance.and_then(|i| plan.preinit.snapshot().map(|s| (i, &s.instances[i])));

    // Imported memories and tables may have grown since the graph was
    // checked; the import's minimum applies to their current size.
    for j in 0..m.num_imported_memories {
        let min = m.memories[j as usize].initial.saturating_mul(PAGE_SIZE);
        let len = fenv.memory_length(b, j);
        let small = b.ins().icmp_imm_u(IntCC::UnsignedLessThan, len, min as i64);
        b.ins().trapnz(small, clif_trap(Trap::IncompatibleImport));
    }
    for t in 0..m.num_imported_tables {
        if !table_is_live(t) {
            // Never created: nothing to check.
            continue;
        }
        let min = m.tables[t as usize].initial;
        let table = fenv.table_struct(b, t);
        let len = b.ins().load(
            types::I64,
            MemFlagsData::trusted(),
            table,
            field::TABLE_LENGTH,
        );
        let small = b.ins().icmp_imm_u(IntCC::UnsignedLessThan, len, min as i64);
        b.ins().trapnz(small, clif_trap(Trap::IncompatibleImport));
    }
    for j in m.num_imported_memories..m.memories.len() as u32 {
        let ty = m.memories[j as usize];
        let max = ty
            .maximum
            .unwrap_or(if ty.memory64 { u64::MAX } else { 65536 });
        let flags = if ty.memory64 {
            MEMORY_FLAG_64
        } else if instance.is_some_and(|i| fenv.src.fixed_memory == Some((i, j))) {
            MEMORY_FLAG_FIXED
        } else {
            0
        };
        let init = instance.and_then(|i| plan.initial.memories.get(&(i, j)));
        let pages = init.map_or(ty.initial, |init| init.pages);
        let mem = fenv.memory_struct(b, j);
        let min = b.ins().iconst(types::I64, pages as i64);
        let max = b.ins().iconst(types::I64, max as i64);
        let flags = b.ins().iconst(types::I32, flags as i64);
        fenv.call_runtime_checked(
            b,
            RuntimeFn::MemoryNew,
            &[mem, min, max, flags],
            Trap::MemoryOutOfBounds,
        );
        if let (Some(i), Some(init)) = (instance, init) {
            if let Some((_, list)) = plan.memory_image(i, j) {
                let mem = fenv.memory_struct(b, j);
                let list = fenv.data_addr(b, list);
                let count = b.ins().iconst(types::I64, init.runs.len() as i64);
                fenv.call_runtime_checked(
                    b,
                    RuntimeFn::MemoryMapImage,
                    &[mem, list, count],
                    Trap::MemoryOutOfBounds,
                );
            }
        }
    }
    for t in m.num_imported_tables..m.tables.len() as u32 {
        let ty = m.tables[t as usize];
        if !table_is_live(t) {
            continue;
        }
        if let Some((i, state)) = restore {
            restore_table(fenv, b, i, t, &state.tables[&t]);
            continue;
        }
        new_table(fenv, b, t, ty.initial);
        // A table with an initialiser starts with every element set to it.
        if let Some(Some(init)) = m.table_inits.get(t as usize) {
            let value = eval_const_expr(fenv, b, init);
            let table = fenv.table_struct(b, t);
            let zero = b.ins().iconst(types::I64, 0);
            let len = b.ins().iconst(types::I64, ty.initial as i64);
            fenv.call_runtime_checked(
                b,
                RuntimeFn::TableFill,
                &[table, zero, value, len],
                Trap::TableOutOfBounds,
            );
        }
    }
    if restore.is_some() {
        // Globals and segments are the vmctx's static contents (the
        // snapshot's), and every initialiser has run.
        return;
    }
    for g in m.num_imported_globals..m.globals.len() as u32 {
        if !global_is_live(g) {
            continue;
        }
        let init = m.globals[g as usize]
            .init
            .as_ref()
            .expect("defined globals have an initialiser");
        let value = eval_const_expr(fenv, b, init);
        let addr = fenv.global_addr(b, g);
        b.ins().store(MemFlagsData::trusted(), value, addr, 0);
    }
    for (e, seg) in m.elements.iter().enumerate() {
        if matches!(seg.mode, ElementMode::Declared) || !uses_elem(e as u32) {
            // Its static array is empty (`crate::statics`).
            continue;
        }
        // Items that are not plain ref.func / ref.null were left zero in the
        // static array; compute them now.
        let mut array = None;
        for (k, item) in seg.items.iter().enumerate() {
            if !matches!(
                item.0.as_slice(),
                [ConstOp::RefFunc(_)] | [ConstOp::RefNull(_)]
            ) {
                let value = eval_const_expr(fenv, b, item);
                let base = *array.get_or_insert_with(|| {
                    let slot = fenv.elem_segment(b, e as u32);
                    b.ins()
                        .load(PTR, MemFlagsData::trusted(), slot, field::SEGMENT_PTR)
                });
                b.ins()
                    .store(MemFlagsData::trusted(), value, base, elem_offset(k));
            }
        }
        if let ElementMode::Active { table, offset } = &seg.mode {
            let dst = eval_const_expr(fenv, b, offset);
            let dst = offset_i64(b, dst);
            let table = fenv.table_struct(b, *table);
            let slot = fenv.elem_segment(b, e as u32);
            let src = b.ins().iconst(types::I32, 0);
            let len = b.ins().iconst(types::I32, seg.items.len() as i64);
            fenv.call_runtime_checked(
                b,
                RuntimeFn::TableInit,
                &[table, dst, slot, src, len],
                Trap::TableOutOfBounds,
            );
            let zero = b.ins().iconst(types::I64, 0);
            b.ins()
                .store(MemFlagsData::trusted(), zero, slot, field::SEGMENT_LEN);
        }
    }
    for (d, seg) in m.data.iter().enumerate() {
        if instance.is_some_and(|i| plan.initial.segment_in_image(graph, i, d as u32)) {
            // Applied by the memory's image, dropped statically.
            continue;
        }
        if let DataMode::Active { memory, offset } = &seg.mode {
            let dst = eval_const_expr(fenv, b, offset);
            let dst = offset_i64(b, dst);
            let mem = fenv.memory_struct(b, *memory);
            let slot = fenv.data_segment(b, d as u32);
            let src = b.ins().iconst(types::I32, 0);
            let len = b.ins().iconst(types::I32, seg.range.len() as i64);
            fenv.call_runtime_checked(
                b,
                RuntimeFn::MemoryInit,
                &[mem, dst, slot, src, len],
                Trap::MemoryOutOfBounds,
            );
            let zero = b.ins().iconst(types::I64, 0);
            b.ins()
                .store(MemFlagsData::trusted(), zero, slot, field::SEGMENT_LEN);
        }
    }
    if let Some(start) = m.start {
        fenv.call(b, start, &[], false);
    }
    if let Some(init) = m.export("_initialize").filter(|_| initialize) {
        if init.kind == ExternKind::Func && m.func_type(init.index).params().is_empty() {
            fenv.call(b, init.index, &[], false);
        }
    }
}

/// Create defined table `t` with `length` elements (its declared maximum
/// stays the limit).
fn new_table(fenv: &mut FuncEnv, b: &mut FunctionBuilder, t: u32, length: u64) {
    let maximum = fenv.module().tables[t as usize].maximum;
    let table = fenv.table_struct(b, t);
    let min = b.ins().iconst(types::I64, length as i64);
    let max = b
        .ins()
        .iconst(types::I64, maximum.unwrap_or(u64::MAX) as i64);
    fenv.call_runtime_checked(
        b,
        RuntimeFn::TableNew,
        &[table, min, max],
        Trap::TableOutOfBounds,
    );
}

/// A defined table of a build from a snapshot: created with the
/// snapshot's length, its elements copied from its static image (a
/// `Segment` followed by the elements, `crate::statics`).
fn restore_table(
    fenv: &mut FuncEnv,
    b: &mut FunctionBuilder,
    instance: usize,
    t: u32,
    elems: &[crate::snapshot::RefValue],
) {
    new_table(fenv, b, t, elems.len() as u64);
    if let Some(image) = fenv.src.plan.table_image(instance, t) {
        let seg = fenv.data_addr(b, image);
        let table = fenv.table_struct(b, t);
        let dst = b.ins().iconst(types::I64, 0);
        let src = b.ins().iconst(types::I32, 0);
        let len = b.ins().iconst(types::I32, elems.len() as i64);
        fenv.call_runtime_checked(
            b,
            RuntimeFn::TableInit,
            &[table, dst, seg, src, len],
            Trap::TableOutOfBounds,
        );
    }
}

/// `wasmlink_program_start(values)` (contract: `wasmlink_abi::symbols`):
/// instantiate in order, then call the entry with the arguments in the
/// value slots and store its results there.
pub fn program_start_function(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    isa: &dyn TargetIsa,
) -> Function {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(PTR));
    let mut func =
        Function::with_name_signature(UserFuncName::user(0, plan.program_start as u32), sig);
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let values = entry_block(&mut b)[0];
    if plan.harness.enabled {
        // The harness runtime instantiates on command and has no entry.
        b.ins().return_(&[]);
        b.finalize(isa.frontend_config());
        return func;
    }

    if plan.preinit.is_snapshot() {
        crate::preinit::snapshot_start(&mut b, graph, plan, isa.default_call_conv(), values);
        b.ins().return_(&[]);
        b.finalize(isa.frontend_config());
        return func;
    }
    for &i in &graph.order {
        call_instantiate(&mut b, plan, i);
    }
    let entry = graph.entry;
    crate::harness::call_with_slots(&mut b, graph, plan, entry.instance, entry.func, values);
    b.ins().return_(&[]);
    b.finalize(isa.frontend_config());
    func
}

/// Call instance `i`'s instantiation function.
pub(crate) fn call_instantiate(b: &mut FunctionBuilder, plan: &SymbolPlan, i: usize) {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params
        .push(AbiParam::special(PTR, ArgumentPurpose::VMContext));
    let vmctx = data_addr(b, plan.vmctx(i));
    let f = declare_func(b, plan.instantiate(i), sig, true);
    b.ins().call(f, &[vmctx]);
}

/// How the runtime sees a wasm value type (the entry signature table and
/// the harness's global types): the contract's type code.
pub fn value_type(t: ValType) -> ValueType {
    match t {
        ValType::I32 => ValueType::I32,
        ValType::I64 => ValueType::I64,
        ValType::F32 => ValueType::F32,
        ValType::F64 => ValueType::F64,
        ValType::V128 => ValueType::V128,
        ValType::Ref(r) if r.is_func_ref() => ValueType::FuncRef,
        ValType::Ref(r) if r.is_extern_ref() => ValueType::ExternRef,
        ValType::Ref(_) => ValueType::OtherRef,
    }
}

/// The contents of `wasmlink_entry_signature` (format:
/// `wasmlink_abi::symbols::ENTRY_SIGNATURE`), all zero counts when there is
/// no entry to describe.
pub fn entry_signature(graph: &InstanceGraph, plan: &SymbolPlan) -> Vec<u8> {
    let mut out = Vec::new();
    if plan.harness.enabled || plan.preinit.is_snapshot() || graph.instances.is_empty() {
        // The harness calls exports on command, and a snapshot program
        // stops before the entry: neither has an entry to describe.
        out.resize(8, 0);
        return out;
    }
    let ty = graph
        .module(graph.entry.instance)
        .func_type(graph.entry.func);
    out.extend_from_slice(&(ty.params().len() as u32).to_le_bytes());
    out.extend_from_slice(&(ty.results().len() as u32).to_le_bytes());
    out.extend(ty.params().iter().map(|t| value_type(*t).code()));
    out.extend(ty.results().iter().map(|t| value_type(*t).code()));
    out
}
