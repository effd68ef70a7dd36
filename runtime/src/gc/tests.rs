//! Unit tests of the collector: allocation, marking from explicit roots,
//! a fake stack of frames with stack maps, global and table roots,
//! freeing and reuse, and memory that stays bounded.

use super::heap::{class_of, Heap, CHUNK_BYTES, FREE, LARGE_OBJECT, SPARE_CHUNKS};
use super::mark::{is_heap_ref, Marker};
use super::roots::{slot_address, stack_map_at, visit_gc_roots, walk_stack};
use super::stats::MIN_THRESHOLD;
use std::ptr;
use wasmlink_abi::gc::{
    GcHeader, GcRoots, GcTypeInfo, StackMap, GC_KIND_ARRAY, GC_KIND_STRUCT, GC_MAX_OBJECT_BYTES,
};
use wasmlink_abi::{FuncInfo, VMTable};

const HEADER: usize = 16;

/// A struct type of `size` payload bytes with reference fields at `refs`
/// (leaked: type infos are static data).
fn struct_type(size: u32, refs: &[u32]) -> &'static GcTypeInfo {
    let offsets: &'static [u32] = Box::leak(refs.to_vec().into_boxed_slice());
    Box::leak(Box::new(GcTypeInfo {
        kind: GC_KIND_STRUCT,
        depth: 0,
        supertypes: ptr::null(),
        size,
        ref_count: refs.len() as u32,
        ref_offsets: offsets.as_ptr(),
    }))
}

/// An array type of `elem`-byte elements (references when `refs`).
fn array_type(elem: u32, refs: bool) -> &'static GcTypeInfo {
    Box::leak(Box::new(GcTypeInfo {
        kind: GC_KIND_ARRAY,
        depth: 0,
        supertypes: ptr::null(),
        size: elem,
        ref_count: u32::from(refs),
        ref_offsets: ptr::null(),
    }))
}

/// Allocate without collecting.
fn alloc(heap: &mut Heap, ti: &'static GcTypeInfo, length: u32) -> *mut GcHeader {
    // SAFETY: a leaked type info; no collection runs.
    unsafe { heap.alloc(ti, length, false, &mut |_| {}) }
}

/// Allocate, collecting with `roots` as the only roots when due.
fn alloc_rooted(
    heap: &mut Heap,
    ti: &'static GcTypeInfo,
    length: u32,
    roots: &[u64],
) -> *mut GcHeader {
    let mut mark = |m: &mut Marker| roots.iter().for_each(|&r| m.mark_word(r));
    // SAFETY: a leaked type info; the tests use only objects in `roots`
    // (or reachable from them) after a collection.
    unsafe { heap.alloc(ti, length, true, &mut mark) }
}

/// Collect with exactly `roots`.
fn collect(heap: &mut Heap, roots: &[u64]) {
    // SAFETY: the tests use only objects reachable from `roots` after it.
    unsafe { heap.collect(&mut |m| roots.iter().for_each(|&r| m.mark_word(r))) };
}

fn word(h: *mut GcHeader) -> u64 {
    h as u64
}

/// The payload word at byte `off` of live object `h`.
fn get(h: *mut GcHeader, off: usize) -> u64 {
    // SAFETY: the tests read words inside live objects' payloads.
    unsafe { h.cast::<u8>().add(HEADER + off).cast::<u64>().read() }
}

fn set(h: *mut GcHeader, off: usize, v: u64) {
    // SAFETY: the tests write words inside live objects' payloads.
    unsafe { h.cast::<u8>().add(HEADER + off).cast::<u64>().write(v) }
}

fn header(h: *mut GcHeader) -> GcHeader {
    // SAFETY: `h` is a live object.
    unsafe { h.read() }
}

#[test]
fn references_are_told_apart_by_their_low_bits() {
    assert!(!is_heap_ref(0));
    assert!(!is_heap_ref((7 << 1) | 1)); // i31
    assert!(!is_heap_ref((5 << 2) | 2)); // host
    assert!(is_heap_ref(0x7000_1230));
}

#[test]
fn structs_and_arrays_get_headers_and_zeroed_payloads() {
    let mut heap = Heap::new();
    let point = struct_type(24, &[0, 16]);
    let s = alloc(&mut heap, point, 7);
    assert!(!s.is_null());
    assert_eq!(s as usize % 8, 0);
    let h = header(s);
    assert_eq!(h.type_info, point as *const GcTypeInfo);
    assert_eq!(h.length, 0, "a struct's length is 0 whatever is passed");
    assert_eq!(h.gc_bits, 0);
    assert!((0..24).step_by(8).all(|o| get(s, o) == 0));

    let bytes = array_type(4, false);
    let a = alloc(&mut heap, bytes, 10);
    assert_eq!(header(a).length, 10);
    assert_eq!(header(a).type_info, bytes as *const GcTypeInfo);
    // SAFETY: 10 four-byte elements follow the header.
    let payload = unsafe { std::slice::from_raw_parts(a.cast::<u8>().add(HEADER), 40) };
    assert!(payload.iter().all(|&b| b == 0));

    let empty = alloc(&mut heap, array_type(8, true), 0);
    assert!(!empty.is_null());
    assert_eq!(header(empty).length, 0);
}

#[test]
fn too_large_arrays_and_unknown_kinds_are_refused() {
    let mut heap = Heap::new();
    assert!(alloc(&mut heap, array_type(16, false), u32::MAX).is_null());
    // Just over the limit with its header.
    let over = (GC_MAX_OBJECT_BYTES / 8) as u32;
    assert!(alloc(&mut heap, array_type(8, false), over).is_null());
    let bogus = Box::leak(Box::new(GcTypeInfo {
        kind: 9,
        ..*array_type(8, false)
    }));
    assert!(alloc(&mut heap, bogus, 1).is_null());
    assert_eq!(heap.stats.mapped, 0, "nothing was mapped for them");
}

#[test]
fn size_classes_cover_every_small_size() {
    assert_eq!(class_of(16), Some(0));
    assert_eq!(class_of(17), Some(1));
    assert_eq!(class_of(LARGE_OBJECT), Some(39));
    assert_eq!(class_of(LARGE_OBJECT + 8), None);
}

#[test]
fn reachable_objects_survive_and_the_rest_is_reused_zeroed() {
    let mut heap = Heap::new();
    let node = struct_type(16, &[0]);
    let a = alloc(&mut heap, node, 0);
    let b = alloc(&mut heap, node, 0);
    set(a, 0, word(b));
    set(b, 8, 0xdead_beef);
    let garbage: Vec<_> = (0..1000).map(|_| alloc(&mut heap, node, 0)).collect();
    for &g in &garbage {
        set(g, 8, u64::MAX);
    }
    let mapped = heap.stats.mapped;
    collect(&mut heap, &[word(a)]);
    assert_eq!(heap.stats.collections, 1);
    assert_eq!(heap.stats.live_after_last, 2 * 32);
    assert_eq!(get(a, 0), word(b));
    assert_eq!(get(b, 8), 0xdead_beef);
    assert_eq!(header(b).gc_bits & FREE, 0);
    for &g in &garbage {
        assert_ne!(header(g).gc_bits & FREE, 0, "unreachable objects are freed");
    }
    // The freed cells come back, zeroed, without new memory.
    let again: Vec<_> = (0..1000).map(|_| alloc(&mut heap, node, 0)).collect();
    assert_eq!(heap.stats.mapped, mapped);
    for &g in &again {
        assert!(garbage.contains(&g));
        assert_eq!((get(g, 0), get(g, 8)), (0, 0));
    }
}

#[test]
fn cycles_are_freed_once_unreachable() {
    let mut heap = Heap::new();
    let node = struct_type(8, &[0]);
    let a = alloc(&mut heap, node, 0);
    let b = alloc(&mut heap, node, 0);
    set(a, 0, word(b));
    set(b, 0, word(a));
    collect(&mut heap, &[word(a)]);
    assert_eq!(heap.stats.live_after_last, 2 * 32);
    collect(&mut heap, &[]);
    assert_eq!(heap.stats.live_after_last, 0);
    // Non-heap roots (null, i31, host) are skipped.
    collect(&mut heap, &[0, 3, 6]);
    assert_eq!(heap.stats.live_after_last, 0);
}

#[test]
fn arrays_of_references_keep_their_elements() {
    let mut heap = Heap::new();
    let refs = array_type(8, true);
    let leaf = struct_type(8, &[]);
    let arr = alloc(&mut heap, refs, 4);
    let leaves: Vec<_> = (0..3).map(|_| alloc(&mut heap, leaf, 0)).collect();
    set(arr, 0, word(leaves[0]));
    set(arr, 8, (41 << 1) | 1); // an i31 element
    set(arr, 16, word(leaves[2]));
    collect(&mut heap, &[word(arr)]);
    // The array (16 + 32 = 48) and two leaves (24 → 32 each).
    assert_eq!(heap.stats.live_after_last, 48 + 2 * 32);
    assert_ne!(header(leaves[1]).gc_bits & FREE, 0);
    // Byte arrays are not traced: a word that looks like a reference is
    // only data.
    let data = alloc(&mut heap, array_type(8, false), 1);
    set(data, 0, word(leaves[0]));
    collect(&mut heap, &[word(data)]);
    assert_eq!(heap.stats.live_after_last, 32);
}

#[test]
fn a_million_node_list_is_marked_without_recursion() {
    let mut heap = Heap::new();
    let node = struct_type(8, &[0]);
    let mut head = 0u64;
    for _ in 0..1_000_000 {
        let n = alloc(&mut heap, node, 0);
        set(n, 0, head);
        head = word(n);
    }
    collect(&mut heap, &[head]);
    assert_eq!(heap.stats.live_after_last, 1_000_000 * 32);
    collect(&mut heap, &[]);
    assert_eq!(heap.stats.live_after_last, 0);
    assert!(heap.stats.mapped <= (SPARE_CHUNKS * CHUNK_BYTES) as u64);
}

#[test]
fn dead_large_objects_go_back_to_the_system() {
    let mut heap = Heap::new();
    let bytes = array_type(1, false);
    let big: Vec<_> = (0..8).map(|_| alloc(&mut heap, bytes, 1 << 20)).collect();
    assert!(big.iter().all(|b| !b.is_null()));
    assert!(heap.stats.mapped >= 8 << 20);
    assert_eq!(header(big[3]).length, 1 << 20);
    set(big[3], (1 << 20) - 8, 77);
    collect(&mut heap, &[word(big[3])]);
    assert!(heap.stats.mapped < 2 << 20, "{}", heap.stats.mapped);
    assert_eq!(get(big[3], (1 << 20) - 8), 77);
    collect(&mut heap, &[]);
    assert_eq!(heap.stats.mapped, 0);
}

#[test]
fn memory_stays_bounded_when_allocating_far_more_than_is_kept() {
    const TOTAL: u64 = 2 << 30;
    const BOUND: u64 = 16 << 20;
    let mut heap = Heap::new();
    let small = array_type(8, false); // 120 elements: a 1 KiB cell
    let large = array_type(8, false); // 8192 elements: 64 KiB, mapped
    let node = struct_type(16, &[0]);
    // A few objects stay alive throughout: a ring of recent ones, and a
    // list that grows slowly.
    let mut ring = [0u64; 8];
    let mut list = 0u64;
    let mut i = 0usize;
    while heap.stats.bytes_allocated < TOTAL {
        let mut roots = ring.to_vec();
        roots.push(list);
        let obj = if i.is_multiple_of(64) {
            alloc_rooted(&mut heap, large, 8192, &roots)
        } else if i % 4096 == 1 {
            let n = alloc_rooted(&mut heap, node, 0, &roots);
            set(n, 0, list);
            set(n, 8, i as u64);
            list = word(n);
            n
        } else {
            alloc_rooted(&mut heap, small, 120, &roots)
        };
        assert!(!obj.is_null());
        set(obj, 8, i as u64);
        ring[i % ring.len()] = word(obj);
        i += 1;
    }
    assert!(heap.stats.peak_mapped < BOUND, "{:?}", heap.stats);
    assert!(heap.stats.collections > TOTAL / MIN_THRESHOLD as u64 / 2);
    // What was kept is intact.
    for (k, &r) in ring.iter().enumerate() {
        let h = r as *mut GcHeader;
        assert_eq!(get(h, 8) as usize % ring.len(), k);
    }
    let (mut n, mut seen) = (list as *mut GcHeader, 0);
    while !n.is_null() {
        assert_eq!(get(n, 8) % 4096, 1);
        n = get(n, 0) as *mut GcHeader;
        seen += 1;
    }
    assert!(seen > 10);
}

/// A `FuncInfo` at fake address `start` with `maps` (and their slots),
/// boxed: its pointers are distances from where it lies.
fn func(start: usize, maps: &[(u32, u32, &[u32])]) -> Box<FuncInfo> {
    let mut slots = Vec::new();
    let mut list = Vec::new();
    for &(ret_offset, span, s) in maps {
        list.push(StackMap {
            ret_offset,
            span,
            first_slot: slots.len() as u32,
            slot_count: s.len() as u32,
        });
        slots.extend_from_slice(s);
    }
    let list: &'static [StackMap] = Box::leak(list.into_boxed_slice());
    let slots: &'static [u32] = Box::leak(slots.into_boxed_slice());
    let mut f = Box::new(FuncInfo::EMPTY);
    f.start.set(start as *const u8);
    f.len = 0x100;
    f.stack_maps.set(list.as_ptr());
    f.stack_map_count = list.len() as u64;
    f.stack_slots.set(slots.as_ptr());
    f
}

#[test]
fn stack_maps_are_found_by_return_offset() {
    let f = func(
        0x1000,
        &[(0x10, 32, &[0, 8]), (0x40, 48, &[]), (0x80, 16, &[8])],
    );
    let (m, s) = stack_map_at(&f, 0x10).expect("a map");
    assert_eq!((m.span, s), (32, &[0, 8][..]));
    let (m, s) = stack_map_at(&f, 0x40).expect("a map");
    assert_eq!((m.span, s.len()), (48, 0));
    assert_eq!(stack_map_at(&f, 0x80).expect("a map").1, &[8]);
    assert!(stack_map_at(&f, 0x41).is_none());
    assert!(stack_map_at(&f, 0).is_none());
    assert!(stack_map_at(&func(0x1000, &[]), 0x10).is_none());
    assert_eq!(slot_address(0x7000, 0x30, 8), 0x7000 - 0x30 + 8);
}

#[test]
fn the_stack_walk_visits_the_mapped_slots_of_each_frame() {
    let mut heap = Heap::new();
    let leaf = struct_type(8, &[]);
    let objs: Vec<_> = (0..4).map(|_| alloc(&mut heap, leaf, 0)).collect();
    // Two generated functions, F called by G called by the runtime.
    let (f_start, g_start) = (0x10_000usize, 0x20_000usize);
    let table = [
        func(f_start, &[(0x10, 32, &[0, 8])]),
        func(g_start, &[(0x08, 8, &[]), (0x24, 16, &[8])]),
    ];
    let lookup = |pc: usize| {
        table.iter().map(|f| &**f).find(|f| {
            pc >= f.start.get() as usize && pc - (f.start.get() as usize) < f.len as usize
        })
    };
    let mut stack = vec![0u64; 64];
    let at = |stack: &mut Vec<u64>, i: usize| &mut stack[i] as *mut u64 as usize;
    let fp_f = at(&mut stack, 20);
    let fp_g = at(&mut stack, 40);
    // F's frame: slots fp - 32 + 0 and + 8 are words 16 and 17.
    stack[16] = word(objs[0]);
    stack[17] = (9 << 1) | 1; // an i31
    stack[18] = word(objs[3]); // not in a stack map: not a root
    stack[20] = fp_g as u64;
    stack[21] = (g_start + 0x24) as u64;
    // G's frame: slot fp - 16 + 8 is word 39.
    stack[39] = word(objs[1]);
    stack[40] = 0xdead_0000; // the runtime's frame pointer
    stack[41] = 0x5555; // a return address into the runtime: the end
    let pc = f_start + 0x10;
    let mut visited = Vec::new();
    // SAFETY: the fake frames keep the frame-pointer layout, and every
    // slot their maps name is a word of `stack`.
    unsafe { walk_stack(pc, fp_f, &lookup, &mut |s| visited.push(s as usize)) };
    assert_eq!(
        visited,
        [at(&mut stack, 16), at(&mut stack, 17), at(&mut stack, 39)]
    );

    // The same walk as a collection's roots.
    // SAFETY: as above; the slots hold references or i31s.
    unsafe {
        heap.collect(&mut |m| {
            walk_stack(pc, fp_f, &lookup, &mut |s| m.mark_slot(s));
        })
    };
    assert_eq!(heap.stats.live_after_last, 2 * 32);
    assert_eq!(header(objs[0]).gc_bits & FREE, 0);
    assert_eq!(header(objs[1]).gc_bits & FREE, 0);
    assert_ne!(header(objs[2]).gc_bits & FREE, 0);
    assert_ne!(header(objs[3]).gc_bits & FREE, 0);
}

#[test]
fn globals_tables_and_element_segments_are_roots() {
    let mut heap = Heap::new();
    let leaf = struct_type(8, &[]);
    let objs: Vec<_> = (0..7).map(|_| alloc(&mut heap, leaf, 0)).collect();
    let mut g0 = word(objs[0]);
    let mut g1 = (3 << 2) | 2; // a host reference
    let globals = [&mut g0 as *mut u64, &mut g1 as *mut u64];
    let mut elements = [0, word(objs[1]), word(objs[2]), word(objs[4])];
    let mut table = VMTable {
        base: elements.as_mut_ptr(),
        length: 3, // the fourth element is past the end
        max: u64::MAX,
        capacity: 4,
    };
    let tables = [&mut table as *mut VMTable];
    // An element segment with one item left (the second is past `len`).
    let items = [word(objs[5]), word(objs[6])];
    let mut segment = wasmlink_abi::Segment {
        ptr: items.as_ptr().cast(),
        len: 1,
    };
    let segments = [&mut segment as *mut wasmlink_abi::Segment];
    let roots = GcRoots {
        globals: globals.as_ptr(),
        global_count: 2,
        tables: tables.as_ptr(),
        table_count: 1,
        segments: segments.as_ptr(),
        segment_count: 1,
    };
    let mut words = Vec::new();
    // SAFETY: the lists name live locals.
    unsafe { visit_gc_roots(&roots, &mut |w| words.push(w)) };
    assert_eq!(
        words,
        [g0, g1, 0, word(objs[1]), word(objs[2]), word(objs[5])]
    );
    // SAFETY: as above.
    unsafe { heap.collect(&mut |m| visit_gc_roots(&roots, &mut |w| m.mark_word(w))) };
    assert_eq!(heap.stats.live_after_last, 4 * 32);
    assert_ne!(header(objs[3]).gc_bits & FREE, 0);
    assert_ne!(header(objs[4]).gc_bits & FREE, 0);
    assert_ne!(header(objs[6]).gc_bits & FREE, 0);
}

#[test]
fn allocation_without_collection_only_grows_the_heap() {
    let mut heap = Heap::new();
    let chunk_of_bytes = array_type(1, false);
    // Twice the budget, nothing rooted: a collection would free it all.
    let mut roots_asked = false;
    for _ in 0..(2 * MIN_THRESHOLD / (16 << 10)) {
        // SAFETY: a leaked type info; no collection may run.
        let h = unsafe {
            heap.alloc(chunk_of_bytes, (16 << 10) - 16, false, &mut |_| {
                roots_asked = true
            })
        };
        assert!(!h.is_null());
    }
    assert!(!roots_asked);
    assert_eq!(heap.stats.collections, 0);
    assert!(heap.stats.mapped >= 2 * MIN_THRESHOLD as u64);
}

#[test]
fn the_entry_point_allocates_and_no_collect_guards_count() {
    let leaf = struct_type(8, &[]);
    let guard = super::NoCollect::enter();
    // Other tests' lowered calls may hold guards too.
    assert!(super::NO_COLLECT.load(std::sync::atomic::Ordering::Relaxed) >= 1);
    drop(guard);
    // The entry generated code calls: from here the stack walk ends at
    // once (this test is not generated code) and the roots list is empty.
    // SAFETY: a leaked type info.
    let h = unsafe { super::wasmlink_gc_alloc(leaf, 0) };
    assert!(!h.is_null());
    assert_eq!(header(h).type_info, leaf as *const GcTypeInfo);
    // SAFETY: as above.
    let a = unsafe { super::wasmlink_gc_alloc(array_type(2, false), 5) };
    assert_eq!(header(a).length, 5);
    // SAFETY: as above.
    let none = unsafe { super::wasmlink_gc_alloc(array_type(16, false), u32::MAX) };
    assert!(none.is_null());
    assert!(super::stats().bytes_allocated >= 64);
}

#[test]
fn heap_symbol_is_the_contracts() {
    // `runtime/src/gc/mod.rs` exports the heap under this literal name.
    assert_eq!(wasmlink_abi::symbols::GC_HEAP, "wasmlink_gc_heap");
}
