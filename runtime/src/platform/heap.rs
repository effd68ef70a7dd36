//! The global allocator: libc's `malloc`, `calloc`, `realloc` and `free`,
//! with `posix_memalign` for alignments `malloc` does not guarantee —
//! what the standard library's `System` allocator does on Linux, so the
//! runtime allocates exactly as it did with `std`. (The unit tests run on
//! `std`, whose allocator is the same.)

use core::alloc::{GlobalAlloc, Layout};
use core::ptr;

/// The alignment glibc's `malloc` guarantees on x86-64 (`2 * size_t`).
const MALLOC_ALIGN: usize = 16;

/// The allocator that serves `alloc`'s `Box`, `Vec`, `String`, ….
pub struct Malloc;

#[cfg(not(test))]
#[global_allocator]
static GLOBAL: Malloc = Malloc;

/// Whether plain `malloc` returns memory aligned for `layout`. As in
/// `std`: glibc aligns every block to [`MALLOC_ALIGN`], and a block
/// smaller than the alignment asked for is only trusted when the
/// alignment is at most its size (small blocks of other allocators may be
/// aligned to their size only).
fn malloc_aligns(layout: &Layout) -> bool {
    layout.align() <= MALLOC_ALIGN && layout.align() <= layout.size()
}

/// A block of `layout` from `posix_memalign`, or null.
///
/// # Safety
/// `layout` has a non-zero size.
unsafe fn aligned_alloc(layout: &Layout) -> *mut u8 {
    let mut out = ptr::null_mut();
    // posix_memalign wants a power of two that is a multiple of the
    // pointer size; a layout's alignment is a power of two.
    let align = layout.align().max(core::mem::size_of::<usize>());
    // SAFETY: `out` is a live local the call writes; `align` meets
    // posix_memalign's requirements (above).
    let r = unsafe { libc::posix_memalign(&mut out, align, layout.size()) };
    if r == 0 {
        out.cast()
    } else {
        ptr::null_mut()
    }
}

// SAFETY: every block comes from malloc/calloc/realloc/posix_memalign,
// aligned for its layout (malloc only when `malloc_aligns` says it is),
// at least `layout.size()` bytes long, and is given back with `free`,
// which accepts blocks from all four. libc's allocator is thread-safe.
unsafe impl GlobalAlloc for Malloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if malloc_aligns(&layout) {
            // SAFETY: malloc may be called with any size.
            unsafe { libc::malloc(layout.size()).cast() }
        } else {
            // SAFETY: GlobalAlloc's callers never pass a zero size.
            unsafe { aligned_alloc(&layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if malloc_aligns(&layout) {
            // SAFETY: calloc may be called with any size.
            unsafe { libc::calloc(layout.size(), 1).cast() }
        } else {
            // SAFETY: GlobalAlloc's callers never pass a zero size.
            let p = unsafe { aligned_alloc(&layout) };
            if !p.is_null() {
                // SAFETY: `p` is a fresh block of `layout.size()` bytes.
                unsafe { ptr::write_bytes(p, 0, layout.size()) };
            }
            p
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, _layout: Layout) {
        // SAFETY: `p` came from this allocator (GlobalAlloc's contract),
        // so from one of the functions `free` accepts.
        unsafe { libc::free(p.cast()) }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `new_size` with the old alignment is a valid layout
        // (GlobalAlloc::realloc's contract).
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if malloc_aligns(&new) {
            // SAFETY: `p` came from this allocator; realloc keeps
            // malloc's alignment, which suffices for `new`.
            return unsafe { libc::realloc(p.cast(), new_size).cast() };
        }
        // realloc cannot keep a larger alignment: move the block by hand.
        // SAFETY: `new` has a non-zero size (the contract again).
        let q = unsafe { aligned_alloc(&new) };
        if !q.is_null() {
            // SAFETY: both blocks are live, distinct and at least this
            // long; the old one is freed only after the copy.
            unsafe {
                ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
                libc::free(p.cast());
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_zeroed_and_moved_intact() {
        for (size, align) in [(1, 1), (3, 8), (24, 16), (64, 32), (100, 4096), (8, 64)] {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: non-zero sizes; every block is freed once, with the
            // layout it was made (or last resized) with.
            unsafe {
                let p = Malloc.alloc_zeroed(layout);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0, "{size} {align}");
                assert!((0..size).all(|i| *p.add(i) == 0));
                for i in 0..size {
                    *p.add(i) = i as u8;
                }
                let q = Malloc.realloc(p, layout, size * 3);
                assert_eq!(q as usize % align, 0, "{size} {align}");
                assert!((0..size).all(|i| *q.add(i) == i as u8));
                Malloc.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
            }
        }
    }
}
