//! The data objects of state known at build time (`crate::initial`):
//! memory images (their page runs, in the image section, and the
//! `MemoryImage` list instantiation hands the runtime) and, in a build
//! from a snapshot, table images and the snapshot's values of globals and
//! segments in each vmctx.

use crate::layout::VmLayout;
use crate::program::{DataObject, DataReloc, SymbolRef};
use crate::snapshot::{GlobalValue, InstanceState, RefValue};
use crate::symbols::SymbolPlan;
use wasmlink_abi::preinit::{preinit_field, IMAGE_PAGE, MEMORY_IMAGE_SIZE};
use wasmlink_abi::{field, size};
use wasmlink_graph::InstanceGraph;

/// Where a function reference points: the funcref slot of `index` in
/// `instance`'s vmctx.
pub(crate) fn funcref_target(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
    instance: usize,
    index: u32,
) -> (SymbolRef, i64) {
    let layout = &layouts[graph.instances[instance].source];
    (
        SymbolRef::Data(plan.vmctx(instance)),
        i64::from(layout.funcref(index)),
    )
}

/// References as table elements: 8 bytes each, function references as
/// relocations to their slots (starting at byte `at` of the object).
pub(crate) fn put_refs(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
    refs: &[RefValue],
    at: u32,
    relocs: &mut Vec<DataReloc>,
) {
    for (k, r) in refs.iter().enumerate() {
        if let RefValue::Func { instance, index } = *r {
            let (target, addend) = funcref_target(graph, plan, layouts, instance, index);
            relocs.push(DataReloc {
                offset: at + (k as u32) * size::TABLE_ELEMENT,
                target,
                addend,
            });
        }
    }
}

/// The objects of every memory image and, from a snapshot, every table
/// image, as (data object index, object) pairs.
pub(crate) fn image_objects(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
) -> Vec<(usize, DataObject)> {
    let mut out = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    for ((i, j), (runs, list)) in plan.memory_images() {
        if !done.insert(runs) {
            // Shared with a memory of the same image.
            continue;
        }
        let init = &plan.initial.memories[&(i, j)];
        let mut bytes = Vec::new();
        let mut entries = vec![0u8; init.runs.len() * MEMORY_IMAGE_SIZE as usize];
        let mut relocs = Vec::new();
        for (k, run) in init.runs.iter().enumerate() {
            let entry = k * MEMORY_IMAGE_SIZE as usize;
            let put = |entries: &mut Vec<u8>, f: u32, v: u64| {
                let o = entry + f as usize;
                entries[o..o + 8].copy_from_slice(&v.to_le_bytes());
            };
            put(&mut entries, preinit_field::IMAGE_OFFSET, run.offset);
            put(
                &mut entries,
                preinit_field::IMAGE_LEN,
                run.bytes.len() as u64,
            );
            relocs.push(DataReloc {
                offset: (entry as u32) + preinit_field::IMAGE_DATA,
                target: SymbolRef::Data(runs),
                addend: bytes.len() as i64,
            });
            bytes.extend_from_slice(&run.bytes);
        }
        debug_assert!((bytes.len() as u64).is_multiple_of(IMAGE_PAGE));
        out.push((
            runs,
            DataObject {
                decl: plan.data[runs].clone(),
                align: IMAGE_PAGE,
                bytes,
                relocs: Vec::new(),
            },
        ));
        out.push((
            list,
            DataObject {
                decl: plan.data[list].clone(),
                align: 8,
                bytes: entries,
                relocs,
            },
        ));
    }
    if let Some(snapshot) = plan.preinit.snapshot() {
        for (i, state) in snapshot.instances.iter().enumerate() {
            for (&t, elems) in &state.tables {
                let Some(d) = plan.table_image(i, t) else {
                    continue;
                };
                // A `Segment` (pointing just past itself), then the
                // elements: what `table.init` copies from.
                let head = size::SEGMENT;
                let mut bytes =
                    vec![0u8; (head + size::TABLE_ELEMENT * elems.len() as u32) as usize];
                let len_at = field::SEGMENT_LEN as usize;
                bytes[len_at..len_at + 8].copy_from_slice(&(elems.len() as u64).to_le_bytes());
                let mut relocs = vec![DataReloc {
                    offset: field::SEGMENT_PTR as u32,
                    target: SymbolRef::Data(d),
                    addend: i64::from(head),
                }];
                put_refs(graph, plan, layouts, elems, head, &mut relocs);
                out.push((
                    d,
                    DataObject {
                        decl: plan.data[d].clone(),
                        align: 8,
                        bytes,
                        relocs,
                    },
                ));
            }
        }
    }
    out
}

/// Write a snapshot's globals and segment lengths into the static vmctx
/// `bytes` of an instance (`crate::statics` writes its element arrays).
pub(crate) fn restore_vmctx(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    layouts: &[VmLayout],
    layout: &VmLayout,
    state: &InstanceState,
    bytes: &mut [u8],
    relocs: &mut Vec<DataReloc>,
) {
    for (&g, value) in &state.globals {
        let at = layout.globals[g as usize];
        match *value {
            GlobalValue::Bytes(b) => {
                bytes[at as usize..at as usize + 16].copy_from_slice(&b);
            }
            GlobalValue::Ref(RefValue::Null) => {}
            GlobalValue::Ref(RefValue::Func { instance, index }) => {
                let (target, addend) = funcref_target(graph, plan, layouts, instance, index);
                relocs.push(DataReloc {
                    offset: at,
                    target,
                    addend,
                });
            }
        }
    }
    for (&d, &len) in &state.data {
        let at = (layout.data_segments[d as usize] + field::SEGMENT_LEN as u32) as usize;
        bytes[at..at + 8].copy_from_slice(&len.to_le_bytes());
    }
    for (&e, items) in &state.elems {
        let at = (layout.elem_segments[e as usize] + field::SEGMENT_LEN as u32) as usize;
        bytes[at..at + 8].copy_from_slice(&(items.len() as u64).to_le_bytes());
    }
}
