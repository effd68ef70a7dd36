//! The heap: where objects live, how they are handed out and taken back.
//!
//! Objects never live in linear memory and never move: generated code
//! keeps raw object addresses in registers and stack slots, and a
//! non-moving collector never has to find and rewrite them.
//!
//! * Small objects (up to [`LARGE_OBJECT`] bytes with their header) get
//!   a cell of one of [`CLASS_SIZES`], carved from 256 KiB chunks mapped
//!   from the system; each chunk holds cells of one size, and each size
//!   class has a free list threaded through the free cells' headers (a
//!   free cell has [`FREE`] in `gc_bits` and the next free cell in
//!   `type_info`).
//! * Large objects are mapped one by one, and unmapped when they die.
//!
//! Sweeping visits every cell: a marked one survives (its mark is
//! cleared), an unmarked one becomes free. The free lists are rebuilt
//! from scratch, and a chunk left without a live object goes to a pool
//! of spare chunks (reused for any size class before the system is asked
//! for more) or back to the system. The pool holds as many chunks as the
//! allocation budget until the next collection needs, at least
//! [`SPARE_CHUNKS`]: the memory is needed again before the next
//! collection, and giving it back only to fault it in again cost binary
//! trees of depth 20 a quarter of their time in the kernel. So a program
//! that allocates far more than it keeps runs in memory bounded by its
//! live size plus the allocation budget of one cycle.
//! Payloads are zeroed when handed out (a large object's pages come
//! zeroed from the system).

use super::mark::{payload_bytes, Marker};
use super::stats::{next_threshold, GcStats, MIN_THRESHOLD};
use crate::platform::time::Instant;
use alloc::vec::Vec;
use core::ptr;
use wasmlink_abi::gc::{GcAllocState, GcHeader, GcTypeInfo, GC_KIND_ARRAY, GC_MAX_OBJECT_BYTES};

/// `gc_bits`: reached in the collection in progress.
pub const MARK: u32 = 1;
/// `gc_bits`: a free cell, not an object.
pub const FREE: u32 = 2;

const HEADER: usize = size_of::<GcHeader>();
/// Bytes of one chunk of small cells.
pub const CHUNK_BYTES: usize = 256 << 10;
/// Objects larger than this (header included) are mapped on their own.
pub const LARGE_OBJECT: usize = 32 << 10;
/// The fewest empty chunks kept mapped for reuse after a sweep (4 MiB);
/// more when the allocation budget is larger.
pub const SPARE_CHUNKS: usize = MIN_THRESHOLD / CHUNK_BYTES;
/// The system's page size (the runtime runs on x86-64 Linux).
const PAGE: usize = 4096;

/// Cell sizes: 16-byte steps up to 128, then four steps per doubling up
/// to [`LARGE_OBJECT`] (at most a quarter of a cell is wasted).
pub const CLASS_SIZES: [u32; 40] = wasmlink_abi::gc::GC_CLASS_SIZES;
const CLASSES: usize = CLASS_SIZES.len();
const _: () = assert!(CLASS_SIZES[CLASSES - 1] as usize == LARGE_OBJECT);

/// Objects up to this size (header included) find their class in
/// [`SMALL_CLASS`], one load instead of a search on every allocation.
const SMALL: usize = 1024;

/// The class of each size up to [`SMALL`] in steps of 16 bytes: entry
/// `(bytes + 15) / 16`.
const SMALL_CLASS: [u8; SMALL / 16 + 1] = {
    let mut table = [0u8; SMALL / 16 + 1];
    let mut i = 0;
    while i < table.len() {
        let bytes = i * 16;
        let mut c = 0;
        while (CLASS_SIZES[c] as usize) < bytes {
            c += 1;
        }
        table[i] = c as u8;
        i += 1;
    }
    table
};

/// The size class of a small object of `bytes` (header included).
pub fn class_of(bytes: usize) -> Option<usize> {
    if bytes <= SMALL {
        return Some(SMALL_CLASS[bytes.div_ceil(16)] as usize);
    }
    let c = CLASS_SIZES.partition_point(|&s| (s as usize) < bytes);
    (c < CLASSES).then_some(c)
}

/// Zero `len` bytes at `p` (8-aligned, `len` a multiple of 8). Most
/// objects are a few words: those are stored inline rather than through
/// a call of `memset`.
///
/// # Safety
/// `p..p + len` is writable memory of the caller's.
unsafe fn zero_payload(p: *mut u8, len: usize) {
    if len <= 64 {
        let words = p.cast::<u64>();
        for i in 0..len / 8 {
            // SAFETY: inside `p..p + len` (the caller's contract), aligned.
            unsafe { words.add(i).write(0) };
        }
    } else {
        // SAFETY: as above.
        unsafe { ptr::write_bytes(p, 0, len) };
    }
}

/// An object's size with its header, rounded to 8 bytes, if within
/// [`GC_MAX_OBJECT_BYTES`].
pub fn object_bytes(ti: &GcTypeInfo, length: u32) -> Option<usize> {
    let total = payload_bytes(ti, length)?.checked_add(HEADER as u64 + 7)? & !7;
    if total > GC_MAX_OBJECT_BYTES {
        return None;
    }
    usize::try_from(total).ok()
}

/// `bytes` of fresh zeroed memory from the system, or null.
fn os_map(bytes: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping at an address of the kernel's
    // choosing touches no existing memory.
    let p = unsafe {
        libc::mmap(
            ptr::null_mut(),
            bytes,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        ptr::null_mut()
    } else {
        p.cast()
    }
}

/// Give back a mapping made by [`os_map`].
///
/// # Safety
/// `p` and `bytes` are one whole mapping of `os_map` that nothing uses
/// any more.
unsafe fn os_unmap(p: *mut u8, bytes: usize) {
    // SAFETY: the caller's contract; munmap cannot fail on such a range.
    unsafe { libc::munmap(p.cast(), bytes) };
}

/// A chunk of small cells of one size class.
struct Chunk {
    base: *mut u8,
    class: usize,
}

/// A large object and the bytes mapped for it.
struct Large {
    obj: *mut GcHeader,
    bytes: usize,
}

/// The next free cell after free cell `h`.
///
/// # Safety
/// `h` is a free cell of a chunk.
unsafe fn next_free(h: *mut GcHeader) -> *mut GcHeader {
    // SAFETY: the caller's contract: a free cell's `type_info` links on.
    unsafe { (*h).type_info as *mut GcHeader }
}

/// Make cell `h` free, linked to `next`.
///
/// # Safety
/// `h` is a cell of a chunk that holds no live object.
unsafe fn make_free(h: *mut GcHeader, next: *mut GcHeader) {
    // SAFETY: the caller's contract: the cell is the heap's to reuse.
    unsafe {
        h.write(GcHeader {
            type_info: next as *const GcTypeInfo,
            gc_bits: FREE,
            length: 0,
        })
    };
}

/// A garbage-collected heap (see the module documentation).
#[repr(C)]
pub struct Heap {
    /// The free lists and the allocation budget, first: generated code
    /// allocates from them inline (`wasmlink_abi::gc::GcAllocState`).
    /// `state.budget` is `threshold` minus what was allocated since the
    /// last collection.
    state: GcAllocState,
    chunks: Vec<Chunk>,
    spare: Vec<*mut u8>,
    large: Vec<Large>,
    marker: Marker,
    threshold: usize,
    pub stats: GcStats,
}

// Generated code finds the `GcAllocState` at the heap's address.
const _: () = assert!(core::mem::offset_of!(Heap, state) == 0);

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

impl Heap {
    pub const fn new() -> Heap {
        Heap {
            state: GcAllocState {
                free: [ptr::null_mut(); CLASSES],
                budget: MIN_THRESHOLD as i64,
            },
            chunks: Vec::new(),
            spare: Vec::new(),
            large: Vec::new(),
            marker: Marker::new(),
            threshold: MIN_THRESHOLD,
            stats: GcStats::new(),
        }
    }

    /// A zeroed object of type `ti` (`length` elements for an array),
    /// or null when memory cannot be had or the object is too large.
    /// When the allocation budget is spent and `may_collect` holds, it
    /// first collects, with the roots `roots` marks.
    ///
    /// # Safety
    /// `ti` points at a valid type info that outlives every object of
    /// it; when a collection runs, `roots` marks every reference to an
    /// object of this heap the caller may still use.
    pub unsafe fn alloc(
        &mut self,
        ti: *const GcTypeInfo,
        length: u32,
        may_collect: bool,
        roots: &mut dyn FnMut(&mut Marker),
    ) -> *mut GcHeader {
        // SAFETY: the caller's contract: a valid type info.
        let info = unsafe { &*ti };
        let Some(bytes) = object_bytes(info, length) else {
            return ptr::null_mut();
        };
        let class = class_of(bytes);
        let cost = class.map_or(bytes, |c| CLASS_SIZES[c] as usize);
        if may_collect && self.state.budget < cost as i64 {
            // SAFETY: the caller's contract on `roots`.
            unsafe { self.collect(roots) };
        }
        let mut h = self.take(bytes, class);
        if h.is_null() && may_collect {
            // SAFETY: as above.
            unsafe { self.collect(roots) };
            h = self.take(bytes, class);
        }
        if h.is_null() {
            return h;
        }
        self.state.budget -= cost as i64;
        let length = if info.kind == GC_KIND_ARRAY {
            length
        } else {
            0
        };
        // SAFETY: `take` returned a cell (or mapping) of at least `bytes`
        // bytes that nothing else uses.
        unsafe {
            h.write(GcHeader {
                type_info: ti,
                gc_bits: 0,
                length,
            })
        };
        h
    }

    /// A cell (of size class `class`, `class_of(bytes)`) or mapping of
    /// at least `bytes`, payload zeroed, or null.
    fn take(&mut self, bytes: usize, class: Option<usize>) -> *mut GcHeader {
        let Some(class) = class else {
            return self.take_large(bytes);
        };
        if self.state.free[class].is_null() && !self.add_chunk(class) {
            return ptr::null_mut();
        }
        let h = self.state.free[class];
        // SAFETY: `h` heads the free list of its class: a free cell of at
        // least `bytes` bytes; taking it off the list makes it ours.
        self.state.free[class] = unsafe { next_free(h) };
        // SAFETY: `h` is a cell of at least `bytes` bytes that nothing else
        // uses (taken off the free list).
        unsafe { zero_payload(h.cast::<u8>().add(HEADER), bytes - HEADER) };
        h
    }

    /// A mapping of its own for an object of `bytes`, or null.
    fn take_large(&mut self, bytes: usize) -> *mut GcHeader {
        let Some(mapped) = bytes.checked_add(PAGE - 1).map(|n| n & !(PAGE - 1)) else {
            return ptr::null_mut();
        };
        if self.large.try_reserve(1).is_err() {
            return ptr::null_mut();
        }
        let p = os_map(mapped);
        if p.is_null() {
            return ptr::null_mut();
        }
        self.stats.mapped_more(mapped);
        let obj = p.cast::<GcHeader>();
        self.large.push(Large { obj, bytes: mapped });
        obj
    }

    /// Give size class `class` a chunk of free cells: a spare one or a
    /// new mapping. False when the system has no memory.
    fn add_chunk(&mut self, class: usize) -> bool {
        if self.chunks.try_reserve(1).is_err() {
            return false;
        }
        let base = match self.spare.pop() {
            Some(base) => base,
            None => {
                let p = os_map(CHUNK_BYTES);
                if p.is_null() {
                    return false;
                }
                self.stats.mapped_more(CHUNK_BYTES);
                p
            }
        };
        // All its cells go on the free list at once: generated code
        // allocates inline from free lists only, so a cell handed out any
        // other way would cost a runtime call per object.
        let cell = CLASS_SIZES[class] as usize;
        let mut head = self.state.free[class];
        for k in (0..CHUNK_BYTES / cell).rev() {
            let h = base.wrapping_add(k * cell).cast::<GcHeader>();
            // SAFETY: the chunk is a fresh or spare mapping of
            // CHUNK_BYTES: every cell in it is unused.
            unsafe { make_free(h, head) };
            head = h;
        }
        self.state.free[class] = head;
        self.chunks.push(Chunk { base, class });
        true
    }

    /// Collect: mark from `roots`, then sweep.
    ///
    /// # Safety
    /// `roots` marks every reference to an object of this heap that may
    /// still be used (each a live object of it).
    pub unsafe fn collect(&mut self, roots: &mut dyn FnMut(&mut Marker)) {
        let start = Instant::now();
        roots(&mut self.marker);
        self.marker.drain();
        // What was allocated since the last collection, inline or not.
        self.stats.bytes_allocated += self.allocated_since_gc() as u64;
        let live = self.sweep();
        self.threshold = next_threshold(live);
        // A smaller budget than before needs fewer spares.
        let keep = SPARE_CHUNKS.max(self.threshold / CHUNK_BYTES);
        while self.spare.len() > keep {
            if let Some(base) = self.spare.pop() {
                // SAFETY: a spare chunk: mapped by this heap, no cell in use.
                unsafe { os_unmap(base, CHUNK_BYTES) };
                self.stats.mapped_less(CHUNK_BYTES);
            }
        }
        self.state.budget = self.threshold as i64;
        self.stats.collections += 1;
        self.stats.live_after_last = live as u64;
        self.stats.pause += Instant::now() - start;
    }

    /// Free every unmarked object, clear the marks, rebuild the free
    /// lists, return empty chunks and dead large objects. The live bytes.
    fn sweep(&mut self) -> usize {
        self.state.free = [ptr::null_mut(); CLASSES];
        let mut live = 0;
        let mut i = 0;
        while i < self.chunks.len() {
            let Chunk { base, class } = self.chunks[i];
            let cell = CLASS_SIZES[class] as usize;
            let mut head = ptr::null_mut();
            let mut tail = ptr::null_mut::<GcHeader>();
            let mut kept = 0;
            for k in (0..CHUNK_BYTES / cell).rev() {
                let h = base.wrapping_add(k * cell).cast::<GcHeader>();
                // SAFETY: `h` is a cell of a chunk of this heap: a free
                // cell or an object, its header readable and ours.
                unsafe {
                    let bits = (*h).gc_bits;
                    if bits & MARK != 0 {
                        (*h).gc_bits = bits & !MARK;
                        kept += 1;
                        continue;
                    }
                    // Free already, or dead: nothing reached it.
                    make_free(h, head);
                }
                if tail.is_null() {
                    tail = h;
                }
                head = h;
            }
            if kept == 0 {
                self.chunks.swap_remove(i);
                self.retire_chunk(base);
                continue;
            }
            if !tail.is_null() {
                // SAFETY: `tail` is the last free cell just linked.
                unsafe { make_free(tail, self.state.free[class]) };
                self.state.free[class] = head;
            }
            live += kept * cell;
            i += 1;
        }
        let stats = &mut self.stats;
        self.large.retain(|l| {
            // SAFETY: `l.obj` is a large object of this heap.
            let bits = unsafe { (*l.obj).gc_bits };
            if bits & MARK != 0 {
                // SAFETY: as above.
                unsafe { (*l.obj).gc_bits = bits & !MARK };
                live += l.bytes;
                true
            } else {
                // SAFETY: dead: nothing reached it, so nothing uses it.
                unsafe { os_unmap(l.obj.cast(), l.bytes) };
                stats.mapped_less(l.bytes);
                false
            }
        });
        live
    }

    /// Leave no budget, so generated code calls the runtime for every
    /// object (`--gc-stress`).
    pub fn exhaust_budget(&mut self) {
        self.state.budget = 0;
    }

    /// Bytes allocated since the last collection (by the runtime and by
    /// generated code inline).
    fn allocated_since_gc(&self) -> usize {
        (self.threshold as i64 - self.state.budget).max(0) as usize
    }

    /// The statistics so far, counting what was allocated since the last
    /// collection.
    pub fn current_stats(&self) -> GcStats {
        let mut stats = self.stats;
        stats.bytes_allocated += self.allocated_since_gc() as u64;
        stats
    }

    /// A chunk without live objects: keep it as a spare or unmap it.
    fn retire_chunk(&mut self, base: *mut u8) {
        let keep = SPARE_CHUNKS.max(self.threshold / CHUNK_BYTES);
        if self.spare.len() < keep && self.spare.try_reserve(1).is_ok() {
            self.spare.push(base);
        } else {
            // SAFETY: a whole chunk mapping; no cell of it is live.
            unsafe { os_unmap(base, CHUNK_BYTES) };
            self.stats.mapped_less(CHUNK_BYTES);
        }
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        let chunks = self
            .chunks
            .iter()
            .map(|c| c.base)
            .chain(self.spare.iter().copied());
        for base in chunks {
            // SAFETY: dropping the heap ends every object in it.
            unsafe { os_unmap(base, CHUNK_BYTES) };
        }
        for l in &self.large {
            // SAFETY: as above.
            unsafe { os_unmap(l.obj.cast(), l.bytes) };
        }
    }
}
