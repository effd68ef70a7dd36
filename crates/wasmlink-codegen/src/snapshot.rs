//! A snapshot of a pre-initialised program (the file format is
//! `wasmlink_abi::preinit`'s), read and checked against the graph it was
//! taken of. It is the program's own runtime that wrote it, but it is
//! still input: every record is checked (indices, lengths, limits,
//! function references) so a damaged file is an error, never a panic or a
//! wrong executable.

use std::collections::BTreeMap;
use wasmlink_abi::preinit::{decode_funcref, record, PayloadReader, Record, SnapshotReader};
use wasmlink_abi::{MAX_MEMORY_PAGES, PAGE_SIZE};
use wasmlink_graph::InstanceGraph;
use wasmlink_module::{ElementMode, ExternKind, ModuleInfo};

/// A reference value of a table, an element segment or a global.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefValue {
    Null,
    /// Function `index` of `instance`'s function index space (the
    /// instance's funcref slot for it).
    Func {
        instance: usize,
        index: u32,
    },
}

/// A defined memory: its length and its non-zero bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryState {
    /// Current length in bytes (a whole number of pages).
    pub length: u64,
    /// Runs of bytes at their offsets, sorted and disjoint; everything
    /// else is zero.
    pub runs: Vec<(u64, Vec<u8>)>,
}

/// The value of a defined global.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalValue {
    /// A number or a vector: the 16 bytes of its `VMGlobal`.
    Bytes([u8; 16]),
    Ref(RefValue),
}

/// One instance's state, by index in its own index spaces (defined items
/// only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstanceState {
    pub memories: BTreeMap<u32, MemoryState>,
    pub tables: BTreeMap<u32, Vec<RefValue>>,
    pub globals: BTreeMap<u32, GlobalValue>,
    /// Each data segment's current length (0: dropped).
    pub data: BTreeMap<u32, u64>,
    /// Each element segment's current items (none: dropped).
    pub elems: BTreeMap<u32, Vec<RefValue>>,
}

/// The state of every instance after its initialisation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// By instance id.
    pub instances: Vec<InstanceState>,
}

fn is_ref(ty: wasmlink_module::wasmparser::ValType) -> bool {
    matches!(ty, wasmlink_module::wasmparser::ValType::Ref(_))
}

impl Snapshot {
    /// Read `bytes`, a snapshot of `graph`.
    pub fn parse(bytes: &[u8], graph: &InstanceGraph) -> Result<Snapshot, String> {
        let mut reader = SnapshotReader::new(bytes).map_err(str::to_string)?;
        let mut snap = Snapshot {
            instances: vec![InstanceState::default(); graph.instances.len()],
        };
        while let Some(rec) = reader.next_record().map_err(str::to_string)? {
            snap.add(graph, rec).map_err(|e| {
                format!(
                    "snapshot record {} of instance {} item {}: {e}",
                    rec.tag, rec.instance, rec.index
                )
            })?;
        }
        snap.check_complete(graph)?;
        Ok(snap)
    }

    fn add(&mut self, graph: &InstanceGraph, rec: Record) -> Result<(), String> {
        let i = rec.instance as usize;
        if i >= graph.instances.len() {
            return Err("no such instance".into());
        }
        let m = graph.module(i);
        let x = rec.index;
        let mut p = PayloadReader::new(rec.payload);
        let state = &mut self.instances[i];
        let fresh = match rec.tag {
            record::MEMORY => {
                defined(m, ExternKind::Memory, x)?;
                let mem = read_memory(m, x, &mut p)?;
                state.memories.insert(x, mem).is_none()
            }
            record::TABLE => {
                defined(m, ExternKind::Table, x)?;
                let ty = m.tables[x as usize];
                let refs = read_refs(graph, &mut p)?;
                let len = refs.len() as u64;
                if len < ty.initial || ty.maximum.is_some_and(|max| len > max) {
                    return Err(format!("a table of {len} elements does not fit its type"));
                }
                state.tables.insert(x, refs).is_none()
            }
            record::GLOBAL => {
                defined(m, ExternKind::Global, x)?;
                let bytes: [u8; 16] = p
                    .bytes(16)?
                    .try_into()
                    .map_err(|_| "a global is 16 bytes")?;
                let value = if is_ref(m.globals[x as usize].ty.content_type) {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(&bytes[..8]);
                    GlobalValue::Ref(reference(graph, u64::from_le_bytes(word))?)
                } else {
                    GlobalValue::Bytes(bytes)
                };
                state.globals.insert(x, value).is_none()
            }
            record::DATA => {
                let seg = m.data.get(x as usize).ok_or("no such data segment")?;
                let len = p.u64()?;
                if len != 0 && len != seg.range.len() as u64 {
                    return Err(format!("a data segment cannot have length {len}"));
                }
                state.data.insert(x, len).is_none()
            }
            record::ELEM => {
                let seg = m
                    .elements
                    .get(x as usize)
                    .ok_or("no such element segment")?;
                let refs = read_refs(graph, &mut p)?;
                let full = match seg.mode {
                    ElementMode::Declared => 0,
                    _ => seg.items.len(),
                };
                if !refs.is_empty() && refs.len() != full {
                    return Err(format!(
                        "an element segment cannot have {} items",
                        refs.len()
                    ));
                }
                state.elems.insert(x, refs).is_none()
            }
            other => return Err(format!("unknown record {other}")),
        };
        if !p.is_empty() {
            return Err("the record is longer than its contents".into());
        }
        if !fresh {
            return Err("the item is recorded twice".into());
        }
        Ok(())
    }

    /// Every defined item of every instance is recorded.
    fn check_complete(&self, graph: &InstanceGraph) -> Result<(), String> {
        for (i, state) in self.instances.iter().enumerate() {
            let m = graph.module(i);
            let counts = [
                (
                    "memories",
                    m.num_imported_memories,
                    m.memories.len(),
                    state.memories.len(),
                ),
                (
                    "tables",
                    m.num_imported_tables,
                    m.tables.len(),
                    state.tables.len(),
                ),
                (
                    "globals",
                    m.num_imported_globals,
                    m.globals.len(),
                    state.globals.len(),
                ),
                ("data segments", 0, m.data.len(), state.data.len()),
                ("element segments", 0, m.elements.len(), state.elems.len()),
            ];
            for (what, imported, all, recorded) in counts {
                if all - imported as usize != recorded {
                    return Err(format!(
                        "the snapshot lacks some {what} of instance {i} ({})",
                        graph.instances[i].name
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `index` must be a defined item of kind `kind`.
fn defined(m: &ModuleInfo, kind: ExternKind, index: u32) -> Result<(), String> {
    let (imported, all) = match kind {
        ExternKind::Memory => (m.num_imported_memories, m.memories.len()),
        ExternKind::Table => (m.num_imported_tables, m.tables.len()),
        _ => (m.num_imported_globals, m.globals.len()),
    };
    if index < imported || index as usize >= all {
        return Err("no such defined item".into());
    }
    Ok(())
}

fn read_memory(m: &ModuleInfo, index: u32, p: &mut PayloadReader) -> Result<MemoryState, String> {
    let ty = m.memories[index as usize];
    let length = p.u64()?;
    let pages = length / PAGE_SIZE;
    let limit = MAX_MEMORY_PAGES;
    let max = ty.maximum.unwrap_or(limit).min(limit);
    if length % PAGE_SIZE != 0 || pages < ty.initial || pages > max {
        return Err(format!("a memory of {length} bytes does not fit its type"));
    }
    let mut runs: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut end = 0;
    while !p.is_empty() {
        let (at, len) = (p.u64()?, p.u64()?);
        let bytes = p.bytes(len)?;
        if at < end || at.checked_add(len).is_none_or(|e| e > length) {
            return Err("memory runs overlap or leave the memory".into());
        }
        end = at + len;
        runs.push((at, bytes.to_vec()));
    }
    Ok(MemoryState { length, runs })
}

fn read_refs(graph: &InstanceGraph, p: &mut PayloadReader) -> Result<Vec<RefValue>, String> {
    let count = p.u64()?;
    // Every item takes 8 bytes of the payload: a count beyond that is a
    // damaged record, not an allocation to attempt.
    let mut out = Vec::with_capacity(count.min(1 << 20) as usize);
    for _ in 0..count {
        out.push(reference(graph, p.u64()?)?);
    }
    Ok(out)
}

fn reference(graph: &InstanceGraph, encoded: u64) -> Result<RefValue, String> {
    match decode_funcref(encoded) {
        None => Ok(RefValue::Null),
        Some((instance, index)) => {
            let i = instance as usize;
            if i >= graph.instances.len() || index as usize >= graph.module(i).funcs.len() {
                return Err(format!(
                    "a reference to function {index} of instance {instance}, which does not exist"
                ));
            }
            Ok(RefValue::Func { instance: i, index })
        }
    }
}
