//! Marking: from the root words to every object they reach.
//!
//! The mark is a bit in each object's `gc_bits`. Roots and traced fields
//! go through [`Marker::mark_word`], which skips what is not a heap
//! reference (null, i31, host references), sets the mark of an unmarked
//! object and pushes it on an explicit work list; [`Marker::drain`] then
//! pops objects and marks what their reference fields (struct
//! `ref_offsets`) or elements (arrays of references) point at. The work
//! list lives on the C heap, so a linked list of millions of objects is
//! marked in constant native stack: no recursion anywhere.

use super::heap::{FREE, MARK};
use alloc::vec::Vec;
use wasmlink_abi::gc::{GcHeader, GcTypeInfo, GC_KIND_ARRAY, GC_KIND_STRUCT};

/// Whether `word` is a reference to a heap object: non-zero with the low
/// three bits clear (i31s have bit 0 set, host references bit 1).
pub fn is_heap_ref(word: u64) -> bool {
    word != 0 && word & (wasmlink_abi::gc::GC_ALIGN - 1) == 0
}

/// The payload size in bytes `ti` gives an object of `length` elements
/// (`None`: an unknown kind or a size that does not fit).
pub fn payload_bytes(ti: &GcTypeInfo, length: u32) -> Option<u64> {
    match ti.kind {
        GC_KIND_STRUCT => Some(u64::from(ti.size)),
        GC_KIND_ARRAY => u64::from(ti.size).checked_mul(u64::from(length)),
        _ => None,
    }
}

/// The gray objects of a collection in progress.
pub struct Marker {
    work: Vec<*mut GcHeader>,
}

impl Default for Marker {
    fn default() -> Self {
        Self::new()
    }
}

impl Marker {
    pub const fn new() -> Marker {
        Marker { work: Vec::new() }
    }

    /// Mark what `word` refers to, if it is a heap reference.
    ///
    /// Every heap reference given to it must be the address of a live
    /// object of the heap being collected: the roots are precise and
    /// objects only hold references to live objects.
    pub fn mark_word(&mut self, word: u64) {
        if !is_heap_ref(word) {
            return;
        }
        let h = word as *mut GcHeader;
        // SAFETY: a heap reference from a precise root or a traced field
        // is the address of an object of this heap (the contract above),
        // whose header is ours to read and write while the collector
        // runs (the heap is single-threaded and the mutator is stopped).
        unsafe {
            let bits = (*h).gc_bits;
            // A free cell is never a reference; ignoring one keeps a
            // stray word from putting a free cell back in use.
            if bits & (MARK | FREE) != 0 {
                return;
            }
            (*h).gc_bits = bits | MARK;
        }
        self.work.push(h);
    }

    /// Mark what the word at `slot` refers to.
    ///
    /// # Safety
    /// `slot` is readable and 8-byte aligned, and holds a reference (or
    /// anything that is not a heap address) as [`Self::mark_word`] needs.
    pub unsafe fn mark_slot(&mut self, slot: *const u64) {
        // SAFETY: the caller's contract.
        self.mark_word(unsafe { slot.read() });
    }

    /// Mark everything reachable from the objects marked so far.
    pub fn drain(&mut self) {
        while let Some(h) = self.work.pop() {
            // SAFETY: only marked live objects are pushed.
            unsafe { self.scan(h) };
        }
    }

    /// Mark what the reference fields or elements of `h` point at.
    ///
    /// # Safety
    /// `h` is a live object of the heap, with a valid type info.
    unsafe fn scan(&mut self, h: *mut GcHeader) {
        // SAFETY: the caller's contract: a live object whose type info is
        // static data the compiler emitted.
        let (ti, length) = unsafe { (&*(*h).type_info, (*h).length) };
        let payload = h.cast::<u8>().wrapping_add(size_of::<GcHeader>());
        match ti.kind {
            GC_KIND_STRUCT if ti.ref_count > 0 && !ti.ref_offsets.is_null() => {
                // SAFETY: a struct type lists `ref_count` field offsets.
                let offsets =
                    unsafe { core::slice::from_raw_parts(ti.ref_offsets, ti.ref_count as usize) };
                for &off in offsets {
                    // SAFETY: each offset is an 8-byte aligned reference
                    // field inside the payload.
                    unsafe { self.mark_slot(payload.add(off as usize).cast::<u64>()) };
                }
            }
            GC_KIND_ARRAY if ti.ref_count == 1 => {
                for i in 0..length as usize {
                    // SAFETY: an array of references has `length`
                    // 8-byte elements in its payload.
                    unsafe { self.mark_slot(payload.add(8 * i).cast::<u64>()) };
                }
            }
            _ => {}
        }
    }
}
