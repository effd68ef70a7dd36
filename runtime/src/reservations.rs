//! The address ranges reserved for linear memories, readable from the
//! fault handler.
//!
//! A SIGSEGV or SIGBUS at a memory access of generated code is a wasm trap
//! only when the faulting address lies in one of these ranges (the guard
//! pages past a memory's length are inside its reservation); see
//! [`crate::trap`]. The handler may not lock or allocate, so the registry
//! is an append-only list of fixed-size chunks: writers (memory creation)
//! take a lock, fill a slot and then publish it by bumping the chunk's
//! count with release ordering; readers walk the chunks with acquire loads
//! and see only published slots. Chunks are never freed, and neither are
//! ranges: memories live as long as the process.

use crate::platform::lock::Mutex;
use alloc::boxed::Box;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

const CHUNK_SLOTS: usize = 64;

struct Chunk {
    /// `[start, end)` of each published slot.
    ranges: [(AtomicUsize, AtomicUsize); CHUNK_SLOTS],
    /// Published slots.
    len: AtomicUsize,
    next: AtomicPtr<Chunk>,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            ranges: core::array::from_fn(|_| (AtomicUsize::new(0), AtomicUsize::new(0))),
            len: AtomicUsize::new(0),
            next: AtomicPtr::new(ptr::null_mut()),
        }
    }
}

/// The first chunk (null until the first registration).
static HEAD: AtomicPtr<Chunk> = AtomicPtr::new(ptr::null_mut());
/// Serialises writers; holds the last chunk.
static TAIL: Mutex<usize> = Mutex::new(0);

/// Record `[start, start + len)` as reserved for a linear memory.
pub fn register(start: usize, len: usize) {
    let end = start.saturating_add(len);
    let mut tail = TAIL.lock();
    let mut chunk = *tail as *const Chunk;
    // SAFETY: `*tail` is 0 or the last chunk, leaked from a box and never
    // freed or moved, so it may be dereferenced for as long as we like.
    // Chunks are only written through atomics, and only here under the
    // lock, so the shared references cannot race with another writer.
    unsafe {
        if chunk.is_null() || (*chunk).len.load(Ordering::Relaxed) == CHUNK_SLOTS {
            let fresh: *mut Chunk = Box::leak(Box::new(Chunk::new()));
            if chunk.is_null() {
                HEAD.store(fresh, Ordering::Release);
            } else {
                (*chunk).next.store(fresh, Ordering::Release);
            }
            chunk = fresh;
            *tail = fresh as usize;
        }
        let c = &*chunk;
        let i = c.len.load(Ordering::Relaxed);
        c.ranges[i].0.store(start, Ordering::Relaxed);
        c.ranges[i].1.store(end, Ordering::Relaxed);
        c.len.store(i + 1, Ordering::Release);
    }
}

/// Whether `addr` lies in a registered range. Lock- and allocation-free:
/// safe to call from a signal handler.
pub fn contains(addr: usize) -> bool {
    let mut chunk = HEAD.load(Ordering::Acquire);
    while !chunk.is_null() {
        // SAFETY: a chunk reached from `HEAD` or a `next` link (acquire
        // loads, pairing with the release stores that published it) is a
        // leaked box, fully initialised and never freed or moved.
        let c = unsafe { &*chunk };
        let n = c.len.load(Ordering::Acquire);
        for (start, end) in &c.ranges[..n] {
            if addr >= start.load(Ordering::Relaxed) && addr < end.load(Ordering::Relaxed) {
                return true;
            }
        }
        chunk = c.next.load(Ordering::Acquire);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_across_chunks() {
        // Addresses no real mapping uses, well apart from one another
        // (other tests register real memories in the same registry).
        let base = 0x7e00_0000_0000usize;
        for i in 0..(3 * CHUNK_SLOTS) {
            register(base + i * 0x10_0000, 0x1000);
        }
        assert!(contains(base));
        assert!(contains(base + 0xfff));
        assert!(!contains(base + 0x1000));
        assert!(!contains(base - 1));
        let last = base + (3 * CHUNK_SLOTS - 1) * 0x10_0000;
        assert!(contains(last + 0x800));
        assert!(!contains(last + 0x10_0000));
        // Empty ranges contain nothing; ranges at the top do not overflow.
        register(0x10, 0);
        assert!(!contains(0x10));
        register(usize::MAX - 4, 100);
        assert!(contains(usize::MAX - 1));
    }

    #[test]
    fn concurrent_registration() {
        let base = 0x7d00_0000_0000usize;
        let threads: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    for i in 0..100 {
                        register(base + (t * 100 + i) * 0x2000, 0x1000);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        for i in 0..400 {
            assert!(contains(base + i * 0x2000 + 8), "{i}");
            assert!(!contains(base + i * 0x2000 + 0x1008), "{i}");
        }
    }
}
