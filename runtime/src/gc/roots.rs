//! Roots: where the collector starts.
//!
//! * The stack. The allocating call's return address and frame pointer
//!   start a walk of the frame-pointer chain of generated code, as the
//!   exception unwinder walks it, stopping at the first return address
//!   outside generated code. At each frame the function's stack maps are
//!   searched (binary search, sorted by return offset) for the return
//!   address; each slot offset of the map found names the root word at
//!   `fp - span + offset` ([`slot_address`], see `wasmlink_abi::gc`).
//! * The object's [`GcRoots`]: global cells and tables of reference type.
//!
//! Lookups are passed in, so the unit tests walk fake frames with fake
//! function tables.

use wasmlink_abi::gc::{GcRoots, StackMap};
use wasmlink_abi::FuncInfo;

/// `n` entries at `p` of the object's read-only tables (none when null).
///
/// # Safety
/// A non-null `p` points at `n` initialised entries that live as long as
/// the returned slice.
unsafe fn entries<'a, T>(p: *const T, n: u64) -> &'a [T] {
    if n == 0 || p.is_null() {
        &[]
    } else {
        // SAFETY: the caller's contract.
        unsafe { core::slice::from_raw_parts(p, n as usize) }
    }
}

/// The stack map of `f` for the safepoint whose return address is
/// `offset` bytes into it, with its slot offsets.
pub fn stack_map_at(f: &FuncInfo, offset: u32) -> Option<(&StackMap, &[u32])> {
    // SAFETY: a `FuncInfo` (the object's, or a test's) points at
    // `stack_map_count` maps of data that lives as long as it does.
    let maps = unsafe { f.stack_maps.as_slice(f.stack_map_count) };
    let map = &maps[maps.binary_search_by_key(&offset, |m| m.ret_offset).ok()?];
    if map.slot_count == 0 || f.stack_slots.get().is_null() {
        return Some((map, &[]));
    }
    // SAFETY: a map's slots are `stack_slots[first_slot..][..slot_count]`
    // of the same function's data.
    let slots = unsafe {
        core::slice::from_raw_parts(
            f.stack_slots.get().add(map.first_slot as usize),
            map.slot_count as usize,
        )
    };
    Some((map, slots))
}

/// Where the slot at `offset` of a frame whose frame pointer is `fp` is,
/// at a safepoint whose frame spans `span` bytes below `fp`.
pub fn slot_address(fp: usize, span: u32, offset: u32) -> usize {
    fp.wrapping_sub(span as usize).wrapping_add(offset as usize)
}

/// Visit the root slots of the frames of generated code from the one
/// whose frame pointer is `fp`, stopped at return address `pc`, outwards.
///
/// # Safety
/// `pc` and `fp` are a return address and the frame pointer of the frame
/// it returns into; every frame `lookup` knows keeps its frame pointer
/// (saved caller frame pointer at `fp`, return address at `fp + 8`), and
/// the slots its stack maps name are readable words.
pub unsafe fn walk_stack<'t>(
    mut pc: usize,
    mut fp: usize,
    lookup: &dyn Fn(usize) -> Option<&'t FuncInfo>,
    visit: &mut dyn FnMut(*const u64),
) {
    while let Some(f) = lookup(pc) {
        let offset = (pc - f.start.get() as usize) as u32;
        if let Some((map, slots)) = stack_map_at(f, offset) {
            for &slot in slots {
                visit(slot_address(fp, map.span, slot) as *const u64);
            }
        }
        if fp == 0 || !fp.is_multiple_of(8) {
            break;
        }
        // SAFETY: `fp` is the frame pointer of a frame of generated code
        // (the contract): the caller's frame pointer and the return
        // address into it sit right above it.
        unsafe {
            pc = *((fp + 8) as *const usize);
            fp = *(fp as *const usize);
        }
    }
}

/// Visit the words of the global cells and table elements `roots` lists.
///
/// # Safety
/// `roots` lists live global cells and live tables (each `length`
/// readable elements at `base`), as the object's `wasmlink_gc_roots`.
pub unsafe fn visit_gc_roots(roots: &GcRoots, visit: &mut dyn FnMut(u64)) {
    // SAFETY: the caller's contract.
    let globals = unsafe { entries(roots.globals, roots.global_count) };
    for &cell in globals {
        // SAFETY: a live 8-byte global cell of reference type.
        visit(unsafe { cell.read() });
    }
    // SAFETY: the caller's contract.
    let tables = unsafe { entries(roots.tables, roots.table_count) };
    for &table in tables {
        // SAFETY: a live table; its `length` elements at `base` are
        // initialised (grown tables are filled before `length` moves).
        let elements = unsafe { entries((*table).base.cast_const(), (*table).length) };
        for &e in elements {
            visit(e);
        }
    }
    // SAFETY: the caller's contract.
    let segments = unsafe { entries(roots.segments, roots.segment_count) };
    for &segment in segments {
        // SAFETY: a live element segment slot: `len` 8-byte items at
        // `ptr` (0 once dropped).
        let items = unsafe { entries((*segment).ptr.cast::<u64>(), (*segment).len) };
        for &e in items {
            visit(e);
        }
    }
}

/// The object's roots list.
#[cfg(not(test))]
pub fn object_roots() -> &'static GcRoots {
    // SAFETY: the object defines `wasmlink_gc_roots` (the emitter does
    // when the program does not), read-only data that lives as long as
    // the process.
    unsafe { &*core::ptr::addr_of!(crate::contract::object::wasmlink_gc_roots) }
}

/// Unit tests link without an object: no global or table roots.
#[cfg(test)]
pub fn object_roots() -> &'static GcRoots {
    static EMPTY: GcRootsCell = GcRootsCell(GcRoots {
        globals: core::ptr::null(),
        global_count: 0,
        tables: core::ptr::null(),
        table_count: 0,
        segments: core::ptr::null(),
        segment_count: 0,
    });
    &EMPTY.0
}

/// An empty roots list that may be shared between test threads.
#[cfg(test)]
struct GcRootsCell(GcRoots);
// SAFETY: the list is empty and never written: its null pointers are
// never dereferenced.
#[cfg(test)]
unsafe impl Sync for GcRootsCell {}
