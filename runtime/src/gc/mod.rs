//! The garbage collector of Wasm GC objects (structs and arrays): a
//! precise, non-moving mark-sweep collector.
//!
//! * [`heap`]: size-class chunks and large mappings outside linear
//!   memory; sweeping rebuilds free lists and returns what died.
//! * [`mark`]: marking with an explicit work list.
//! * [`roots`]: stack maps over the frame-pointer chain, and the
//!   object's global and table roots.
//! * [`stats`]: the trigger policy and the counters.
//!
//! Why this design. Generated code keeps raw object addresses in
//! registers and stack slots; Cranelift's user stack maps say which
//! slots hold them at each call, but nothing records the registers, so a
//! collector that moved objects could not fix every copy. A non-moving
//! collector needs only to *find* references, which the stack maps allow
//! precisely: no conservative scan, no false retention. Mark-sweep over
//! segregated free lists allocates in a few instructions from a list
//! head, and sweeping gives empty chunks and dead large objects back, so
//! memory follows the live size.
//!
//! Generated code allocates with [`wasmlink_gc_alloc`], an assembly entry
//! that picks up its caller's return address and frame pointer (as
//! `wasmlink_throw` does) and hands them to the allocator, which may
//! collect first with the stack from that frame outwards as roots.
//!
//! The heap serves one thread: a program with GC types does not spawn
//! wasi-threads (the compiler refuses it). The heap is still guarded by
//! a flag that ends the program if two callers ever meet in it, rather
//! than letting them corrupt it.

pub mod heap;
pub mod mark;
pub mod roots;
pub mod stats;
#[cfg(test)]
mod tests;

use crate::sys::fatal;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use heap::Heap;
use stats::GcStats;
use wasmlink_abi::gc::{GcHeader, GcTypeInfo};

core::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl wasmlink_gc_alloc",
    ".hidden wasmlink_gc_alloc",
    ".type wasmlink_gc_alloc,@function",
    "wasmlink_gc_alloc:",
    // rdi = type info, esi = length. The caller is generated code, which
    // keeps frame pointers: [rsp] is the return address into it, rbp its
    // frame pointer. The allocator returns straight to the caller.
    "mov rdx, [rsp]",
    "mov rcx, rbp",
    "jmp {alloc}",
    ".size wasmlink_gc_alloc, . - wasmlink_gc_alloc",
    alloc = sym alloc_for_generated_code,
);

extern "C" {
    /// `struct.new`/`array.new` (see `wasmlink_abi::gc`): a zeroed
    /// object, or null.
    pub fn wasmlink_gc_alloc(type_info: *const GcTypeInfo, length: u32) -> *mut GcHeader;
}

/// The process's heap, with the flag that makes its use exclusive. The
/// heap comes first: its first field is the `GcAllocState` generated code
/// allocates from inline, at the address of `wasmlink_gc_heap`.
#[repr(C)]
pub struct HeapCell {
    heap: UnsafeCell<Heap>,
    busy: AtomicBool,
}

const _: () = assert!(core::mem::offset_of!(HeapCell, heap) == 0);

// SAFETY: the heap is only reached through `with_heap`, which lets one
// caller in at a time (`busy`), with Acquire/Release ordering between
// callers.
unsafe impl Sync for HeapCell {}

// Generated code reads and writes the heap's `GcAllocState` (free lists
// and budget) directly between runtime calls: the program runs on one
// thread, and never while the runtime holds the heap (`with_heap`).
// The name is `wasmlink_abi::symbols::GC_HEAP` (an attribute takes only
// a literal; the test `heap_symbol_is_the_contracts` keeps them equal).
#[export_name = "wasmlink_gc_heap"]
static HEAP: HeapCell = HeapCell {
    heap: UnsafeCell::new(Heap::new()),
    busy: AtomicBool::new(false),
};

/// Runtime calls into generated code in progress that forbid collecting
/// (see [`NoCollect`]).
static NO_COLLECT: AtomicU32 = AtomicU32::new(0);

/// Run `f` with the process's heap to itself.
fn with_heap<R>(f: impl FnOnce(&mut Heap) -> R) -> R {
    // A load and a store, not an atomic swap: programs with GC types run
    // on one thread (the compiler refuses wasi-threads with them), so
    // this only has to catch re-entry, and allocation stays cheap.
    if HEAP.busy.load(Ordering::Acquire) {
        fatal(&[b"the GC heap was used by two threads at once, or re-entered"]);
    }
    HEAP.busy.store(true, Ordering::Relaxed);
    // SAFETY: `busy` was clear and is now ours: no other reference to
    // the heap exists until it is cleared below.
    let r = f(unsafe { &mut *HEAP.heap.get() });
    HEAP.busy.store(false, Ordering::Release);
    r
}

/// While one lives, allocation never collects (it only grows the heap).
/// The runtime holds one around each call into generated code made while
/// generated frames are below it on the stack (a lowered call's
/// `realloc`): the collector's stack walk stops at the runtime's frames
/// and would miss the references of the frames below them.
pub struct NoCollect(());

impl NoCollect {
    pub fn enter() -> NoCollect {
        NO_COLLECT.fetch_add(1, Ordering::Relaxed);
        NoCollect(())
    }
}

impl Drop for NoCollect {
    fn drop(&mut self) {
        NO_COLLECT.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The allocator behind [`wasmlink_gc_alloc`]: `pc` and `fp` are the
/// allocating call's return address and frame pointer.
///
/// # Safety
/// Called by `wasmlink_gc_alloc` from generated code (or with a `pc`
/// outside generated code, which ends the stack walk at once), with a
/// valid `type_info`, at a safepoint whose stack maps list every live
/// reference of the generated frames.
unsafe extern "C" fn alloc_for_generated_code(
    type_info: *const GcTypeInfo,
    length: u32,
    pc: usize,
    fp: usize,
) -> *mut GcHeader {
    let may_collect = NO_COLLECT.load(Ordering::Relaxed) == 0;
    with_heap(|heap| {
        let mut roots = |m: &mut mark::Marker| {
            // SAFETY: `pc` and `fp` are the allocating call's return
            // address and its caller's frame pointer (the contract);
            // generated frames keep frame pointers, and their stack maps
            // name readable slots.
            unsafe {
                roots::walk_stack(pc, fp, &crate::exceptions::function_at, &mut |slot| {
                    // SAFETY: a stack-map slot: an aligned, readable word
                    // holding a reference.
                    m.mark_slot(slot)
                })
            };
            // SAFETY: the object's roots list names live globals and
            // tables.
            unsafe { roots::visit_gc_roots(roots::object_roots(), &mut |w| m.mark_word(w)) };
            // SAFETY: the registered exceptions are live.
            unsafe { crate::exceptions::visit_gc_payloads(&mut |w| m.mark_word(w)) };
        };
        let stress = STRESS.load(Ordering::Relaxed);
        if may_collect && stress {
            // SAFETY: as below.
            unsafe { heap.collect(&mut roots) };
        }
        // SAFETY: a valid type info (the contract), and `roots` marks the
        // stack, globals and tables: every place generated code keeps
        // references (objects hold the rest, which marking follows).
        let obj = unsafe { heap.alloc(type_info, length, may_collect, &mut roots) };
        if stress {
            // No budget left: generated code calls here for every object.
            heap.exhaust_budget();
        }
        obj
    })
}

/// The heap's statistics so far.
pub fn stats() -> GcStats {
    with_heap(|heap| heap.current_stats())
}

/// Write the heap's statistics to stderr.
pub fn print_stats() {
    stats().print();
}

/// `WASMLINK_FLAGS=--gc-stress`: collect before every allocation, so a
/// reference missing from a stack map or a root list shows at once (a
/// test of the compiler and the collector, far too slow for anything
/// else).
static STRESS: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Collect before every allocation from now on (`--gc-stress`).
pub fn stress() {
    STRESS.store(true, Ordering::Relaxed);
}

/// Whether the statistics are written when the program ends
/// (`WASMLINK_FLAGS=--gc-stats`).
static REPORT_AT_EXIT: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Write the statistics when the program ends normally (its entry returns
/// or it calls `proc_exit`).
pub fn report_at_exit() {
    REPORT_AT_EXIT.store(true, core::sync::atomic::Ordering::Relaxed);
}

/// The program is ending: write the statistics if asked to.
pub fn report_if_asked() {
    if REPORT_AT_EXIT.load(core::sync::atomic::Ordering::Relaxed) {
        print_stats();
    }
}
