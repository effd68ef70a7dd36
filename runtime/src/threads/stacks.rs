//! The stacks of a program that spawns threads, and starting a thread on
//! one of them.
//!
//! Generated code checks its stack pointer against the limit its vmctx
//! points at. A spawned thread's own instance points at a limit cell of
//! its own, but code of instances the threads share (a library instance, a
//! wrapper whose vmctx is a static context) points at the main thread's
//! `wasmlink_stack_limit`. That check must never fire on a spawned
//! thread's healthy stack, so every wasm stack lies in one reservation
//! with the main thread's at the bottom: no spawned thread's stack pointer
//! is ever below the main thread's limit. Should shared code overflow a
//! spawned thread's stack regardless, it runs into the guard below that
//! stack, which is wider than any frame can be, and the fault handler
//! reports it as `call stack exhausted` ([`in_stack_guard`]).
//!
//! The reservation is slot [`MAIN_SLOT`] for the main thread and one slot per
//! thread that may run at once. A slot is, from its low end: a guard page
//! run, the thread's alternate signal stack, the stack guard, the stack.
//! Slots are committed when first used and reused once their thread has
//! been joined.

use crate::stack::{STACK_LIMIT_MARGIN, WASM_STACK_SIZE};
use alloc::boxed::Box;
use alloc::string::String;
use core::ffi::{c_int, c_void};
use core::ptr;
use core::sync::atomic::{AtomicUsize, Ordering};

/// Stack size of each spawned thread.
pub const THREAD_STACK_SIZE: usize = 8 << 20;
/// Alternate signal stack of each thread, and the guard below it.
const ALT_SIZE: usize = 64 << 10;
const ALT_GUARD: usize = 64 << 10;
/// Inaccessible space below each stack: larger than any wasm frame
/// (validation allows 50 000 locals), so an overflow cannot step over it.
const STACK_GUARD: usize = 2 << 20;

/// Bytes of a slot whose stack is `stack` bytes.
const fn slot_len(stack: usize) -> usize {
    ALT_GUARD + ALT_SIZE + STACK_GUARD + stack
}

/// Where one slot's parts are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Low end of the alternate signal stack.
    pub alt: usize,
    /// Low end of the stack.
    pub stack_low: usize,
    pub stack_size: usize,
}

impl Slot {
    /// The stack limit generated code running on this stack checks.
    pub fn limit(&self) -> usize {
        self.stack_low + STACK_LIMIT_MARGIN
    }
}

/// The main thread's slot.
pub const MAIN_SLOT: usize = 0;

/// The reservation: the main thread's slot, then `threads` slots.
#[derive(Debug)]
pub struct Region {
    base: usize,
    len: usize,
    threads: usize,
}

/// The reservation as the fault handler sees it (0, 0 until there is one).
static GUARD_BASE: AtomicUsize = AtomicUsize::new(0);
static GUARD_LEN: AtomicUsize = AtomicUsize::new(0);

impl Region {
    /// Reserve address space for the main thread and `threads` more.
    pub fn reserve(threads: usize) -> Result<Region, String> {
        let len = slot_len(THREAD_STACK_SIZE)
            .checked_mul(threads)
            .and_then(|n| n.checked_add(slot_len(WASM_STACK_SIZE)))
            .ok_or("too many threads")?;
        // SAFETY: a new anonymous mapping at an address the kernel picks
        // overlaps nothing. PROT_NONE + MAP_NORESERVE costs address space
        // only; slots are made accessible when used.
        let base = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(crate::sys::strerror(crate::sys::errno()));
        }
        Ok(Region {
            base: base as usize,
            len,
            threads,
        })
    }

    /// Make this the reservation [`in_stack_guard`] knows (once: the
    /// program's).
    pub fn publish(&self) {
        GUARD_LEN.store(self.len, Ordering::Relaxed);
        GUARD_BASE.store(self.base, Ordering::Release);
    }

    /// Whether `addr` lies in the guard below one of this region's stacks.
    pub fn guard_contains(&self, addr: usize) -> bool {
        guard_contains(self.base, self.len, addr)
    }

    /// How many threads besides the main one it has room for.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Slot `k`: [`MAIN_SLOT`] (the main thread) or 1..=threads.
    pub fn slot(&self, k: usize) -> Slot {
        assert!(k <= self.threads, "slot {k} of {}", self.threads);
        let (start, stack_size) = if k == MAIN_SLOT {
            (self.base, WASM_STACK_SIZE)
        } else {
            let start =
                self.base + slot_len(WASM_STACK_SIZE) + (k - 1) * slot_len(THREAD_STACK_SIZE);
            (start, THREAD_STACK_SIZE)
        };
        Slot {
            alt: start + ALT_GUARD,
            stack_low: start + ALT_GUARD + ALT_SIZE + STACK_GUARD,
            stack_size,
        }
    }

    /// Make slot `k`'s alternate stack and stack accessible (again).
    pub fn commit(&self, k: usize) -> Result<(), c_int> {
        let s = self.slot(k);
        for (start, len) in [(s.alt, ALT_SIZE), (s.stack_low, s.stack_size)] {
            // SAFETY: the range is one part of slot `k`, inside the
            // reservation this region owns; nothing else maps it.
            let r = unsafe {
                libc::mprotect(
                    start as *mut c_void,
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                )
            };
            if r != 0 {
                return Err(crate::sys::errno());
            }
        }
        Ok(())
    }
}

/// Whether `addr` lies in the guard below one of the program's wasm
/// stacks. Async-signal-safe (two atomic loads).
pub fn in_stack_guard(addr: usize) -> bool {
    let base = GUARD_BASE.load(Ordering::Acquire);
    let len = GUARD_LEN.load(Ordering::Relaxed);
    guard_contains(base, len, addr)
}

fn guard_contains(base: usize, len: usize, addr: usize) -> bool {
    if base == 0 || addr < base || addr - base >= len {
        return false;
    }
    let off = addr - base;
    let main = slot_len(WASM_STACK_SIZE);
    let in_slot = if off < main {
        off
    } else {
        (off - main) % slot_len(THREAD_STACK_SIZE)
    };
    let guard = ALT_GUARD + ALT_SIZE;
    (guard..guard + STACK_GUARD).contains(&in_slot)
}

/// Make slot `s`'s alternate stack the calling thread's.
pub fn use_altstack(s: &Slot) {
    let ss = libc::stack_t {
        ss_sp: s.alt as *mut c_void,
        ss_flags: 0,
        ss_size: ALT_SIZE,
    };
    // SAFETY: the slot's alternate stack is committed and used by no
    // other thread (one thread per slot at a time); sigaltstack only
    // reads `ss`.
    unsafe { libc::sigaltstack(&ss, ptr::null_mut()) };
}

/// What a new thread runs.
type Body = Box<dyn FnOnce() + Send>;

extern "C" fn thread_body(arg: *mut c_void) -> *mut c_void {
    // SAFETY: `start_on` passes a `Box<Body>` it leaked for this thread,
    // which takes it back exactly once.
    let body = unsafe { Box::from_raw(arg.cast::<Body>()) };
    body();
    ptr::null_mut()
}

/// Start a thread running `body` on slot `s`'s stack (committed). The
/// thread must be joined before the slot is used again.
pub fn start_on(s: &Slot, body: Body) -> Result<libc::pthread_t, c_int> {
    let arg = Box::into_raw(Box::new(body));
    // SAFETY: a zeroed `pthread_attr_t` is initialised by
    // pthread_attr_init before use and destroyed once. The stack is the
    // slot's, committed, and used by nothing else until this thread is
    // joined. `arg` is a leaked box `thread_body` takes back; if no
    // thread starts it is taken back here.
    unsafe {
        let mut attr: libc::pthread_attr_t = core::mem::zeroed();
        let mut r = libc::pthread_attr_init(&mut attr);
        if r == 0 {
            r = libc::pthread_attr_setstack(&mut attr, s.stack_low as *mut c_void, s.stack_size);
            let mut thread: libc::pthread_t = 0;
            if r == 0 {
                r = libc::pthread_create(&mut thread, &attr, thread_body, arg.cast());
            }
            libc::pthread_attr_destroy(&mut attr);
            if r == 0 {
                return Ok(thread);
            }
        }
        drop(Box::from_raw(arg));
        Err(r)
    }
}

/// Wait for `thread` (started by [`start_on`]) to end.
pub fn join(thread: libc::pthread_t) {
    // SAFETY: `thread` was created joinable by `start_on` and is joined
    // once (its slot forgets it).
    unsafe { libc::pthread_join(thread, ptr::null_mut()) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    #[test]
    fn slots_lie_above_the_main_stack_with_guards_between() {
        let r = Region::reserve(3).unwrap();
        let main = r.slot(MAIN_SLOT);
        assert_eq!(main.stack_size, WASM_STACK_SIZE);
        let mut below = main.stack_low + main.stack_size;
        for k in 1..=3 {
            let s = r.slot(k);
            assert_eq!(s.stack_size, THREAD_STACK_SIZE);
            assert!(
                s.alt >= below + ALT_GUARD,
                "slot {k} overlaps the one below"
            );
            assert!(s.limit() > main.limit(), "slot {k} is above the main limit");
            assert!(r.guard_contains(s.stack_low - 1));
            assert!(r.guard_contains(s.stack_low - STACK_GUARD));
            assert!(!r.guard_contains(s.stack_low));
            assert!(!r.guard_contains(s.alt));
            below = s.stack_low + s.stack_size;
        }
        assert!(r.guard_contains(main.stack_low - 1));
        assert!(!r.guard_contains(main.stack_low + 100));
        assert!(!r.guard_contains(below), "past the region");
    }

    #[test]
    fn a_thread_runs_on_its_slot() {
        let r = Region::reserve(1).unwrap();
        r.commit(1).unwrap();
        let s = r.slot(1);
        let ok = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&ok);
        let t = start_on(
            &s,
            Box::new(move || {
                let local = 0u8;
                let here = &local as *const u8 as usize;
                use_altstack(&s);
                let inside = here > s.limit() && here < s.stack_low + s.stack_size;
                seen.store(inside, Ordering::SeqCst);
            }),
        )
        .unwrap();
        join(t);
        assert!(ok.load(Ordering::SeqCst));
    }
}
