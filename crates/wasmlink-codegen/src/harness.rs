//! The spec-test harness interface. A harness build (`wasmlink wast`) does
//! not run an entry: the runtime serves commands (instantiate instance N,
//! invoke export K with these arguments, read global G) so one executable
//! can run a whole script and keep going after a trap. For that the object
//! carries C-convention trampolines and the `wasmlink_harness_*` tables
//! listing them (their layout is in `wasmlink_abi::foreach_object_symbol!`);
//! they are empty in other builds.
//!
//! Exports are listed in [`crate::symbols::harness_exports`] order.

use crate::env::{
    clif_type, data_addr, declare_func, emit_wasm_call, entry_block, slot_offset, uses_return_area,
    wasm_signature, CallKind, Callee, PTR,
};
use crate::gc_types::is_gc_ref;
use crate::instantiate::value_type;
use crate::layout::VmLayout;
use crate::program::{DataReloc, SymbolRef};
use crate::symbols::{harness_exports, SymbolPlan};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, ArgumentPurpose, Function, InstBuilder, MemFlagsData, Signature, UserFuncName,
    Value,
};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use wasmlink_abi::gc::{gc_field, GC_ALIGN, HARNESS_RESULT_KIND_OFFSET};
use wasmlink_abi::size;
use wasmlink_graph::{FuncTarget, InstanceGraph};
use wasmlink_module::ExternKind;

/// Bytes and relocations of one harness table.
pub struct Table {
    pub bytes: Vec<u8>,
    pub relocs: Vec<DataReloc>,
}

/// `fn()` running the instantiation of `instance`.
pub fn host_instantiate(plan: &SymbolPlan, instance: usize, isa: &dyn TargetIsa) -> Function {
    let sym = plan.harness.instantiate[instance];
    let mut func = Function::with_name_signature(
        UserFuncName::user(0, sym as u32),
        Signature::new(isa.default_call_conv()),
    );
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    entry_block(&mut b);
    let mut sig = Signature::new(CallConv::Tail);
    sig.params
        .push(AbiParam::special(PTR, ArgumentPurpose::VMContext));
    let vmctx = data_addr(&mut b, plan.vmctx(instance));
    let f = declare_func(&mut b, plan.instantiate(instance), sig, true);
    b.ins().call(f, &[vmctx]);
    b.ins().return_(&[]);
    b.finalize(isa.frontend_config());
    func
}

/// `fn(values)` calling the `k`th exported function.
pub fn invoke_trampoline(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    k: usize,
    instance: usize,
    index: u32,
    isa: &dyn TargetIsa,
) -> Function {
    let sym = plan.harness.invoke[k];
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(PTR));
    let mut func = Function::with_name_signature(UserFuncName::user(0, sym as u32), sig);
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let params = entry_block(&mut b);
    let values = params[0];
    call_with_slots(&mut b, graph, plan, instance, index, values);
    record_object_kinds(&mut b, graph, instance, index, values);
    b.ins().return_(&[]);
    b.finalize(isa.frontend_config());
    func
}

/// For each result of function `index` of `instance` that refers to a heap
/// object, store the object's kind (`GC_KIND_STRUCT` or `GC_KIND_ARRAY`)
/// in the second word of its slot: the reply carries only the reference,
/// and `assert_return` with `ref.struct` or `ref.array` asks which it is.
/// Null, `i31` and host references (tagged, see `wasmlink_abi::gc`) leave
/// the slot as it is.
fn record_object_kinds(
    b: &mut FunctionBuilder,
    graph: &InstanceGraph,
    instance: usize,
    index: u32,
    values: Value,
) {
    let module = graph.module(instance);
    let ty = module.func_type(index).clone();
    let flags = MemFlagsData::trusted();
    for (i, result) in ty.results().iter().enumerate() {
        if !is_gc_ref(module, *result) {
            continue;
        }
        let word = b.ins().load(types::I64, flags, values, slot_offset(i));
        let tag = b.ins().band_imm_u(word, (GC_ALIGN - 1) as i64);
        let untagged = b.ins().icmp_imm_u(IntCC::Equal, tag, 0);
        let not_null = b.ins().icmp_imm_u(IntCC::NotEqual, word, 0);
        let object = b.ins().band(untagged, not_null);
        let (read, next) = (b.create_block(), b.create_block());
        b.ins().brif(object, read, &[], next, &[]);
        b.switch_to_block(read);
        b.seal_block(read);
        let info = b
            .ins()
            .load(types::I64, flags, word, gc_field::HEADER_TYPE_INFO);
        let kind = b.ins().load(types::I32, flags, info, gc_field::TYPE_KIND);
        let at = slot_offset(i) + HARNESS_RESULT_KIND_OFFSET as i32;
        b.ins().store(flags, kind, values, at);
        b.ins().jump(next, &[]);
        b.switch_to_block(next);
        b.seal_block(next);
    }
}

/// Call function `index` of `instance` — through its import to the final
/// definition, or the wrapper of a builtin — with arguments read from the
/// 16-byte slots at `values`, and store its results back into those slots.
/// The harness's invoke trampolines and the program's entry
/// (`wasmlink_program_start`) both call this way.
pub(crate) fn call_with_slots(
    b: &mut FunctionBuilder,
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    instance: usize,
    index: u32,
    values: cranelift_codegen::ir::Value,
) {
    let ty = graph.module(instance).func_type(index).clone();
    let (callee, vmctx_instance) = match graph.resolve_func(instance, index) {
        FuncTarget::Defined(r) => {
            let source = graph.instances[r.instance].source;
            (plan.defined_func(graph, source, r.index), r.instance)
        }
        FuncTarget::Builtin(builtin) if !builtin.is_thread_spawn() => {
            let source = graph.instances[instance].source;
            (plan.builtin_wrapper(source, index), instance)
        }
        target @ (FuncTarget::Lowered(_) | FuncTarget::Builtin(_)) => {
            // The wrapper's vmctx is the import's context (a lowered
            // import's, or thread-spawn's).
            let source = graph.instances[instance].source;
            let (wrapper, context) = match target {
                FuncTarget::Lowered(_) => (
                    plan.lowered_wrapper(source, index),
                    plan.lower_context(instance, index),
                ),
                _ => (
                    plan.builtin_wrapper(source, index),
                    plan.spawn_context(instance),
                ),
            };
            let f = declare_func(b, wrapper, wasm_signature(&ty), true);
            let cx = data_addr(b, context);
            let flags = MemFlagsData::trusted();
            let mut args = vec![cx];
            for (i, p) in ty.params().iter().enumerate() {
                args.push(b.ins().load(clif_type(*p), flags, values, slot_offset(i)));
            }
            let call = b.ins().call(f, &args);
            let results = b.inst_results(call).to_vec();
            for (i, r) in results.into_iter().enumerate() {
                b.ins().store(flags, r, values, slot_offset(i));
            }
            return;
        }
    };
    let flags = MemFlagsData::trusted();
    let vmctx = data_addr(b, plan.vmctx(vmctx_instance));
    let args: Vec<_> = (ty.params().iter().enumerate())
        .map(|(i, p)| b.ins().load(clif_type(*p), flags, values, slot_offset(i)))
        .collect();
    let f = declare_func(b, callee, wasm_signature(&ty), true);
    // The slots double as the return area of callees that use one: the
    // arguments are loaded before the call writes its results there.
    let area = uses_return_area(&ty).then_some(values);
    let results = emit_wasm_call(
        b,
        &ty,
        Callee::Direct(f),
        Some(vmctx),
        &args,
        CallKind::Continue { area, catch: None },
    );
    if area.is_none() {
        for (i, r) in results.into_iter().enumerate() {
            b.ins().store(flags, r, values, slot_offset(i));
        }
    }
}

/// Contents of the harness tables, in `wasmlink_abi::symbols::HARNESS_TABLES`
/// order.
pub fn tables(graph: &InstanceGraph, plan: &SymbolPlan, layouts: &[VmLayout]) -> Vec<Table> {
    let u64_table = |v: u64| Table {
        bytes: v.to_le_bytes().to_vec(),
        relocs: Vec::new(),
    };
    let pointers = |targets: Vec<(SymbolRef, i64)>| {
        let ptr = size::POINTER as usize;
        let bytes = vec![0u8; targets.len().max(1) * ptr];
        let relocs = targets
            .into_iter()
            .enumerate()
            .map(|(i, (target, addend))| DataReloc {
                offset: (i * ptr) as u32,
                target,
                addend,
            })
            .collect();
        Table { bytes, relocs }
    };
    let u32s = |values: Vec<u32>| {
        let mut bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        bytes.resize(bytes.len().max(8), 0);
        Table {
            bytes,
            relocs: Vec::new(),
        }
    };
    if !plan.harness.enabled {
        return vec![
            u64_table(0),
            pointers(vec![]),
            u64_table(0),
            pointers(vec![]),
            u32s(vec![]),
            u64_table(0),
            pointers(vec![]),
            u32s(vec![]),
            u64_table(0),
        ];
    }
    let funcs = harness_exports(graph, ExternKind::Func);
    let arity = funcs
        .iter()
        .flat_map(|(i, f, _)| {
            let ty = graph.module(*i).func_type(*f);
            [ty.params().len() as u32, ty.results().len() as u32]
        })
        .collect();
    let globals = harness_exports(graph, ExternKind::Global);
    let global_addrs = globals
        .iter()
        .map(|(i, g, _)| {
            let r = graph.resolve_item(*i, ExternKind::Global, *g);
            let layout = &layouts[graph.instances[r.instance].source];
            (
                SymbolRef::Data(plan.vmctx(r.instance)),
                layout.globals[r.index as usize] as i64,
            )
        })
        .collect();
    let global_types = globals
        .iter()
        .map(|(i, g, _)| {
            let ty = graph.module(*i).globals[*g as usize].ty.content_type;
            u32::from(value_type(ty).code())
        })
        .collect();
    vec![
        u64_table(1),
        pointers(
            plan.harness
                .instantiate
                .iter()
                .map(|f| (SymbolRef::Func(*f), 0))
                .collect(),
        ),
        u64_table(graph.instances.len() as u64),
        pointers(
            plan.harness
                .invoke
                .iter()
                .map(|f| (SymbolRef::Func(*f), 0))
                .collect(),
        ),
        u32s(arity),
        u64_table(funcs.len() as u64),
        pointers(global_addrs),
        u32s(global_types),
        u64_table(globals.len() as u64),
    ]
}
