//! Static contents of the data objects: each instance's vmctx (pointers to
//! imported state and funcref slots, all resolved by the linker), the bytes
//! of data segments, element arrays, the stack limit cell and the WASI
//! configuration record.

use crate::config_records::wasi_config;
use crate::initial::Preinit;
use crate::layout::VmLayout;
use crate::program::{DataObject, DataReloc, SymbolRef};
use crate::reach::{Reachable, Segment};
use crate::symbols::realloc_function;
use crate::symbols::{source_is_instantiated, SymbolPlan, TypeIds};
use wasmlink_abi::{field, lower_field, size, LOWER_CONTEXT_SIZE};
use wasmlink_graph::{shown_name, Binding, FuncTarget, InstanceGraph};
use wasmlink_module::{ConstOp, DataMode, ElementMode, ExternKind};

/// The contents of one data object being built: bytes, and the addresses
/// the linker writes into them.
pub(crate) struct Builder {
    pub bytes: Vec<u8>,
    pub relocs: Vec<DataReloc>,
}

impl Builder {
    pub fn zeroed(len: usize) -> Self {
        Builder {
            bytes: vec![0; len.max(8)],
            relocs: Vec::new(),
        }
    }

    pub fn addr(&mut self, offset: u32, target: SymbolRef, addend: i64) {
        self.relocs.push(DataReloc {
            offset,
            target,
            addend,
        });
    }

    pub fn u64(&mut self, offset: u32, value: u64) {
        let at = offset as usize;
        self.bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
    }

    pub fn u32(&mut self, offset: u32, value: u32) {
        let at = offset as usize;
        self.bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
}

/// Contents of every data object of `plan`, in plan order.
/// With the dead-code analysis (`live`), segments the program does not
/// use (passive ones no live code reads, active element segments of dead
/// tables) are emitted empty and start dropped.
pub fn static_data(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    type_ids: &TypeIds,
    layouts: &[VmLayout],
    live: Option<&Reachable>,
) -> Vec<DataObject> {
    // A segment of an instance that the program never uses.
    let unused = |instance: usize, segment: Segment| {
        live.is_some_and(|l| !l.uses_segment(instance, segment))
    };
    let mut out: Vec<Option<DataObject>> = vec![None; plan.data.len()];
    let mut put = |index: usize, align: u64, b: Builder| {
        out[index] = Some(DataObject {
            decl: plan.data[index].clone(),
            align,
            bytes: b.bytes,
            relocs: b.relocs,
        });
    };

    let mut tag_names = Vec::new();
    for (i, inst) in graph.instances.iter().enumerate() {
        let m = &graph.sources[inst.source].module;
        let layout = &layouts[inst.source];
        let mut v = Builder::zeroed(layout.size as usize);
        v.addr(layout.stack_limit, SymbolRef::Data(plan.stack_limit), 0);
        tag_slots(graph, plan, layouts, i, &mut v, &mut tag_names);
        let imported = [
            (
                ExternKind::Memory,
                m.num_imported_memories,
                &layout.memories,
            ),
            (ExternKind::Table, m.num_imported_tables, &layout.tables),
            (ExternKind::Global, m.num_imported_globals, &layout.globals),
        ];
        for (kind, count, offsets) in imported {
            for j in 0..count {
                let target = graph.resolve_item(i, kind, j);
                let target_layout = &layouts[graph.instances[target.instance].source];
                let target_offset = match kind {
                    ExternKind::Memory => target_layout.memories[target.index as usize],
                    ExternKind::Table => target_layout.tables[target.index as usize],
                    _ => target_layout.globals[target.index as usize],
                };
                v.addr(
                    offsets[j as usize],
                    SymbolRef::Data(plan.vmctx(target.instance)),
                    target_offset as i64,
                );
            }
        }
        for f in 0..m.funcs.len() as u32 {
            let slot = layout.funcref(f);
            let (code, vmctx) = match graph.resolve_func(i, f) {
                FuncTarget::Defined(r) => {
                    let source = graph.instances[r.instance].source;
                    (
                        plan.defined_func(graph, source, r.index),
                        plan.vmctx(r.instance),
                    )
                }
                // thread-spawn's wrapper gets the spawn context instead.
                FuncTarget::Builtin(b) if b.is_thread_spawn() => {
                    (plan.builtin_wrapper(inst.source, f), plan.spawn_context(i))
                }
                FuncTarget::Builtin(_) => (plan.builtin_wrapper(inst.source, f), plan.vmctx(i)),
                // The wrapper's vmctx is the import's context (lowered.rs).
                FuncTarget::Lowered(_) => (
                    plan.lowered_wrapper(inst.source, f),
                    plan.lower_context(i, f),
                ),
            };
            v.addr(slot + field::FUNC_REF_CODE as u32, SymbolRef::Func(code), 0);
            v.addr(
                slot + field::FUNC_REF_VMCTX as u32,
                SymbolRef::Data(vmctx),
                0,
            );
            v.u64(
                slot + field::FUNC_REF_TYPE_ID as u32,
                type_ids.id(m, m.funcs[f as usize].type_index),
            );
        }
        for (d, seg) in m.data.iter().enumerate() {
            let slot = layout.data_segments[d];
            v.addr(
                slot,
                SymbolRef::Data(plan.data_segment(inst.source, d as u32)),
                0,
            );
            // A segment a memory image holds is dropped from the start, and
            // so is a passive one nothing reads.
            let dropped = match seg.mode {
                DataMode::Passive => unused(i, Segment::Data(d as u32)),
                DataMode::Active { .. } => plan.initial.segment_in_image(graph, i, d as u32),
            };
            let len = if dropped { 0 } else { seg.range.len() as u64 };
            v.u64(slot + field::SEGMENT_LEN as u32, len);
        }
        let restored = plan.preinit.snapshot().map(|s| &s.instances[i]);
        for (e, seg) in m.elements.iter().enumerate() {
            let slot = layout.elem_segments[e];
            v.addr(slot, SymbolRef::Data(plan.elem_segment(i, e as u32)), 0);
            let unused =
                matches!(seg.mode, ElementMode::Declared) || unused(i, Segment::Elem(e as u32));
            let len = if unused { 0 } else { seg.items.len() as u64 };
            v.u64(slot + field::SEGMENT_LEN as u32, len);

            let elem = size::TABLE_ELEMENT as usize;
            let count = if unused { 0 } else { seg.items.len() };
            let mut items = Builder::zeroed(count * elem);
            if unused {
                // Nothing reads it: no items (the instantiation computes
                // none either, `crate::instantiate`).
            } else if let Some(state) = restored {
                // The items as the snapshot found them (all computed).
                let refs = &state.elems[&(e as u32)];
                crate::images::put_refs(graph, plan, layouts, refs, 0, &mut items.relocs);
            } else {
                for (k, item) in seg.items.iter().enumerate() {
                    if let [ConstOp::RefFunc(f)] = item.0.as_slice() {
                        items.addr(
                            (k * elem) as u32,
                            SymbolRef::Data(plan.vmctx(i)),
                            layout.funcref(*f) as i64,
                        );
                    }
                }
            }
            put(
                plan.elem_segment(i, e as u32),
                u64::from(size::TABLE_ELEMENT),
                items,
            );
        }
        if let Some(state) = restored {
            crate::images::restore_vmctx(
                graph,
                plan,
                layouts,
                layout,
                state,
                &mut v.bytes,
                &mut v.relocs,
            );
        }
        // Globals inside are aligned relative to the vmctx's start.
        put(plan.vmctx(i), u64::from(size::GLOBAL_ALIGN), v);
    }

    for ((instance, index), data) in plan.lower_contexts() {
        put(
            data,
            8,
            lower_context(graph, plan, layouts, instance, index),
        );
    }

    for (s, source) in graph.sources.iter().enumerate() {
        if !source_is_instantiated(graph, s) {
            continue;
        }
        let m = &source.module;
        for (d, seg) in m.data.iter().enumerate() {
            // Bytes are shared by the source's instances: kept if any
            // instance reads them.
            let passive_unread = matches!(seg.mode, DataMode::Passive)
                && (0..graph.instances.len())
                    .filter(|&i| graph.instances[i].source == s)
                    .all(|i| unused(i, Segment::Data(d as u32)));
            let mut bytes = if !passive_unread && data_needed(graph, plan, s, d as u32) {
                m.bytes[seg.range.clone()].to_vec()
            } else {
                Vec::new()
            };
            if bytes.is_empty() {
                // Keep every object non-empty so each has a distinct address.
                bytes.push(0);
            }
            put(
                plan.data_segment(s, d as u32),
                1,
                Builder {
                    bytes,
                    relocs: Vec::new(),
                },
            );
        }
    }

    for (k, &sym) in plan.gc_type_infos.iter().enumerate() {
        put(sym, 8, plan.gc_types.object(k, &plan.gc_type_infos));
    }
    let roots = crate::gc_types::roots_object(graph, plan.gc_roots, &plan.vmctx_symbols(), layouts);
    put(plan.gc_roots, 8, roots);
    if let Some(heap) = plan.gc_heap {
        // An import: the runtime defines it.
        put(
            heap,
            8,
            Builder {
                bytes: Vec::new(),
                relocs: Vec::new(),
            },
        );
    }
    put(plan.stack_limit, 8, Builder::zeroed(8));
    tag_names.push(0);
    put(
        plan.tag_names,
        1,
        Builder {
            bytes: tag_names,
            relocs: Vec::new(),
        },
    );
    let config = match &plan.preinit {
        Preinit::Snapshot { argv0, .. } => crate::preinit::snapshot_config(argv0, graph),
        _ => wasi_config(graph),
    };
    let mut len = Builder::zeroed(8);
    len.u64(0, config.len() as u64);
    put(plan.wasi_config_len, 8, len);
    put(
        plan.wasi_config,
        1,
        Builder {
            bytes: config,
            relocs: Vec::new(),
        },
    );

    // The embedded files: the assets object's blob, or nothing.
    let mut embedded = Builder::zeroed(wasmlink_abi::embed::EMBEDDED_BLOB_SIZE as usize);
    if let Some(assets) = plan.assets {
        let len = graph.embedded.blob_len;
        embedded.addr(
            wasmlink_abi::embed::EMBEDDED_BLOB_DATA,
            SymbolRef::Data(assets),
            0,
        );
        embedded.u64(wasmlink_abi::embed::EMBEDDED_BLOB_LEN, len);
        // An import: no contents (the emit stage does not define it).
        put(
            assets,
            1,
            Builder {
                bytes: Vec::new(),
                relocs: Vec::new(),
            },
        );
    }
    put(plan.embedded, 8, embedded);

    put(
        plan.entry_signature,
        4,
        Builder {
            bytes: crate::instantiate::entry_signature(graph, plan),
            relocs: Vec::new(),
        },
    );

    for ((_, index), table) in plan
        .harness
        .tables
        .iter()
        .zip(crate::harness::tables(graph, plan, layouts))
    {
        put(
            *index,
            8,
            Builder {
                bytes: table.bytes,
                relocs: table.relocs,
            },
        );
    }

    if let (Some(items), Some(steps)) = (plan.snapshot_items, plan.snapshot_steps) {
        let (bytes, relocs) = crate::preinit::items(graph, plan, layouts);
        put(items, 8, Builder { bytes, relocs });
        put(
            steps,
            1,
            Builder {
                bytes: crate::preinit::texts(graph, plan).bytes,
                relocs: Vec::new(),
            },
        );
    }
    for (index, object) in crate::images::image_objects(graph, plan, layouts) {
        out[index] = Some(object);
    }
    for (index, object) in crate::threads::thread_objects(graph, plan, layouts, &out) {
        out[index] = Some(object);
    }
    out.into_iter()
        .enumerate()
        .map(|(i, d)| d.unwrap_or_else(|| panic!("data object {} has contents", plan.data[i].name)))
        .collect()
}

/// Whether some instance of `source` may still read data segment
/// `segment`'s bytes: one that is neither held by a memory image nor (in
/// a build from a snapshot) dropped.
fn data_needed(graph: &InstanceGraph, plan: &SymbolPlan, source: usize, segment: u32) -> bool {
    (0..graph.instances.len())
        .filter(|&i| graph.instances[i].source == source)
        .any(|i| match plan.preinit.snapshot() {
            Some(s) => s.instances[i].data[&segment] != 0,
            None => !plan.initial.segment_in_image(graph, i, segment),
        })
}

/// The `LowerContext` of lowered import `index` (a function index) of
/// `instance`: the stack-limit cell, the options' memory (the defining
/// instance's `VMMemory`), the `realloc` trampoline and the vmctx of the
/// instance defining that function, the string encoding and the
/// component instance. The trap cell starts at 0.
fn lower_context(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
    instance: usize,
    index: u32,
) -> Builder {
    let mut cx = Builder::zeroed(LOWER_CONTEXT_SIZE as usize);
    let slot = graph.import_slot(instance, ExternKind::Func, index);
    let binding = graph.instances[instance].imports[slot];
    let Binding::Lowered(l) = binding else {
        unreachable!("a context is planned only for lowered imports");
    };
    let at = |offset: i32| offset as u32;
    cx.addr(
        at(lower_field::STACK_LIMIT),
        SymbolRef::Data(plan.stack_limit),
        0,
    );
    if let Some(m) = l.options.memory {
        let def = graph.resolve_item(m.instance, ExternKind::Memory, m.index);
        let def_layout = &layouts[graph.instances[def.instance].source];
        cx.addr(
            at(lower_field::MEMORY),
            SymbolRef::Data(plan.vmctx(def.instance)),
            i64::from(def_layout.memories[def.index as usize]),
        );
    }
    if let (Some((source, func)), Some(r)) = (realloc_function(graph, &binding), l.options.realloc)
    {
        if let (Some(trampoline), FuncTarget::Defined(def)) = (
            plan.realloc_trampoline(source, func),
            graph.resolve_func(r.instance, r.index),
        ) {
            cx.addr(at(lower_field::REALLOC), SymbolRef::Func(trampoline), 0);
            cx.addr(
                at(lower_field::REALLOC_VMCTX),
                SymbolRef::Data(plan.vmctx(def.instance)),
                0,
            );
        }
    }
    if let Some(g) = l.options.flags {
        let def = graph.resolve_item(g.instance, ExternKind::Global, g.index);
        let def_layout = &layouts[graph.instances[def.instance].source];
        cx.addr(
            at(lower_field::FLAGS),
            SymbolRef::Data(plan.vmctx(def.instance)),
            i64::from(def_layout.globals[def.index as usize]),
        );
    }
    let put_u32 = |cx: &mut Builder, offset: i32, value: u32| {
        let o = offset as usize;
        cx.bytes[o..o + 4].copy_from_slice(&value.to_le_bytes());
    };
    put_u32(
        &mut cx,
        lower_field::STRING_ENCODING,
        l.options.string_encoding as u32,
    );
    put_u32(
        &mut cx,
        lower_field::COMPONENT_INSTANCE,
        l.options.component_instance,
    );
    cx
}

/// Instance `i`'s tag slots, each pointing at the defining instance's
/// inline `TagInfo`, and the `TagInfo`s of the tags it defines (named
/// `source::tag`, appended to `names`).
fn tag_slots(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
    i: usize,
    v: &mut Builder,
    names: &mut Vec<u8>,
) {
    let source = &graph.sources[graph.instances[i].source];
    let m = &source.module;
    let layout = &layouts[graph.instances[i].source];
    for t in 0..m.tags.len() as u32 {
        let def = graph.resolve_item(i, ExternKind::Tag, t);
        let def_layout = &layouts[graph.instances[def.instance].source];
        v.addr(
            layout.tags[t as usize],
            SymbolRef::Data(plan.vmctx(def.instance)),
            def_layout.tag_info(def.index) as i64,
        );
        if let Some(info) = layout.tag_infos[t as usize] {
            let name = format!(
                "{}::{}",
                shown_name(&source.name),
                shown_name(&m.tag_display_name(t))
            );
            v.addr(
                info + field::TAG_INFO_NAME as u32,
                SymbolRef::Data(plan.tag_names),
                names.len() as i64,
            );
            v.u64(info + field::TAG_INFO_NAME_LEN as u32, name.len() as u64);
            names.extend_from_slice(name.as_bytes());
            v.u64(
                info + field::TAG_INFO_GC_REF_MASK as u32,
                crate::gc_types::tag_gc_ref_mask(m, m.tags[t as usize]),
            );
        }
    }
}
