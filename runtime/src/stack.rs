//! The stack wasm runs on.
//!
//! The program runs with a [`WASM_STACK_SIZE`] stack: on the main thread,
//! whose stack the kernel grows on demand up to `RLIMIT_STACK` (raised for
//! it, [`main_stack_limit`]), or, when the hard limit does not allow that,
//! on a dedicated thread with a stack of that size. The main thread saves
//! creating, joining and unmapping a thread and the malloc arena glibc
//! gives a new one: about a tenth of a millisecond of every start-up.
//! Generated functions compare their stack pointer with the object's
//! `wasmlink_stack_limit` on entry and trap with `call stack exhausted`
//! below it; the runtime sets the limit [`STACK_LIMIT_MARGIN`] above the
//! low end of that stack, which leaves room for runtime calls (WASI, the
//! bulk-memory helpers) made from the deepest wasm frame, and for the
//! signal handler should anything still overflow.
//!
//! Each thread that runs wasm also gets an alternate signal stack, so the
//! fault handler can run even when the thread's own stack is exhausted.
//! The first thread to ask (the main thread, in an executable) gets one
//! that is static data; the others map theirs.

use crate::platform::thread_local::thread_local_cells;
use core::cell::Cell;
use core::ptr;
use core::sync::atomic::{AtomicBool, Ordering};

/// Stack size of the thread that runs the program.
pub const WASM_STACK_SIZE: usize = 64 << 20;
/// Distance between the stack's low end and `wasmlink_stack_limit`.
pub const STACK_LIMIT_MARGIN: usize = 256 << 10;
/// Size of the alternate signal stack (plus one guard page below it when
/// it is mapped).
const ALTSTACK_SIZE: usize = 64 << 10;
/// The page size of x86-64 Linux: the guard below a mapped alternate stack.
const GUARD_SIZE: usize = 4096;

// The alternate signal stack of the first thread that asks for one (the
// main thread, in an executable): zero-initialised data, so no system call
// maps it and no page of it is touched until a signal arrives. It is in a
// `.lbss` section, which linkers place after all of `.bss`: in `.bss` its
// 64 KiB would push the runtime's other variables onto pages of their own,
// each a fault at start-up. It has no guard page (a guard would cost an
// `mprotect` and a split mapping at every start-up); the fault handler's
// frames are a small fixed depth, far below its size. Rust code never
// reads or writes it: its address goes to the kernel once
// (`STATIC_ALTSTACK_TAKEN` hands it out at most once).
core::arch::global_asm!(
    ".pushsection .lbss.wasmlink_static_altstack,\"aw\",@nobits",
    ".p2align 4",
    ".globl wasmlink_static_altstack",
    ".hidden wasmlink_static_altstack",
    ".type wasmlink_static_altstack, @object",
    ".size wasmlink_static_altstack, {size}",
    "wasmlink_static_altstack:",
    ".zero {size}",
    ".popsection",
    size = const ALTSTACK_SIZE,
);

unsafe extern "C" {
    /// [`ALTSTACK_SIZE`] bytes, defined above.
    static mut wasmlink_static_altstack: u8;
}

/// Whether `wasmlink_static_altstack` is some thread's alternate stack.
static STATIC_ALTSTACK_TAKEN: AtomicBool = AtomicBool::new(false);

/// Lowest address of the calling thread's stack, if the host can tell.
pub fn current_stack_low() -> Option<usize> {
    // SAFETY: a zeroed `pthread_attr_t` is a valid argument for
    // pthread_getattr_np, which initialises it for the calling thread; it
    // is destroyed exactly once, only after it was initialised. The out-
    // pointers are live locals.
    unsafe {
        let mut attr: libc::pthread_attr_t = core::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = ptr::null_mut();
        let mut size = 0usize;
        let r = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        (r == 0 && !addr.is_null()).then_some(addr as usize)
    }
}

/// The stack limit for a thread whose stack is `size` bytes: from the
/// host's description of the stack, or else estimated from the address
/// of a local (which is near the top of a fresh thread's stack).
pub fn stack_limit_for_current_thread(size: usize) -> usize {
    let low = current_stack_low().unwrap_or_else(|| {
        let local = 0u8;
        (&local as *const u8 as usize).saturating_sub(size)
    });
    low + STACK_LIMIT_MARGIN
}

thread_local_cells! {
    /// Whether the calling thread has an alternate signal stack.
    static ALTSTACK_SET: Cell<bool>;
}

/// Give the calling thread an alternate signal stack unless it has one.
pub fn ensure_altstack() {
    if ALTSTACK_SET.with(Cell::get) {
        return;
    }
    // SAFETY: sigaltstack only writes `old`, a live local.
    unsafe {
        let mut old: libc::stack_t = core::mem::zeroed();
        if libc::sigaltstack(ptr::null(), &mut old) == 0 && old.ss_flags & libc::SS_DISABLE == 0 {
            ALTSTACK_SET.with(|d| d.set(true)); // keep the existing one (std's, say)
            return;
        }
    }
    let Some(sp) = static_altstack().or_else(mapped_altstack) else {
        return; // the handler will run on the thread's stack
    };
    let ss = libc::stack_t {
        ss_sp: sp.cast(),
        ss_flags: 0,
        ss_size: ALTSTACK_SIZE,
    };
    // SAFETY: `sp` is `ALTSTACK_SIZE` writable bytes that no other thread
    // uses and that are never freed, so the kernel never uses a freed
    // stack (a thread that ran wasm may still take a signal while
    // exiting).
    if unsafe { libc::sigaltstack(&ss, ptr::null_mut()) } == 0 {
        ALTSTACK_SET.with(|d| d.set(true));
    }
}

/// `wasmlink_static_altstack`, unless another thread has it.
fn static_altstack() -> Option<*mut u8> {
    let taken = STATIC_ALTSTACK_TAKEN.swap(true, Ordering::Relaxed);
    (!taken).then_some(ptr::addr_of_mut!(wasmlink_static_altstack))
}

/// A new alternate stack mapped for the calling thread, with a guard page
/// below it; never unmapped.
fn mapped_altstack() -> Option<*mut u8> {
    // SAFETY: the mapping is new and private to this thread's alternate
    // stack: its first page becomes the guard, the rest the stack.
    unsafe {
        let p = libc::mmap(
            ptr::null_mut(),
            ALTSTACK_SIZE + GUARD_SIZE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            return None;
        }
        libc::mprotect(p, GUARD_SIZE, libc::PROT_NONE);
        Some(p.cast::<u8>().add(GUARD_SIZE))
    }
}

/// Set the object's `wasmlink_stack_limit`.
#[cfg(not(test))]
pub fn set_stack_limit(limit: usize) {
    use crate::contract::object::wasmlink_stack_limit;
    // SAFETY: the object defines `wasmlink_stack_limit` as a writable,
    // aligned `usize`. Only generated code reads it, and only on this
    // thread, after this write: no other access can race with it.
    unsafe { ptr::addr_of_mut!(wasmlink_stack_limit).write_volatile(limit) }
}

/// Room left above the frame that starts the program on the main thread,
/// for what is already on its stack (the environment, the arguments, the
/// frames of `main`), when sizing `RLIMIT_STACK`.
const MAIN_STACK_SLACK: usize = 8 << 20;

/// Make the calling thread's stack able to hold [`WASM_STACK_SIZE`] more
/// bytes below the caller's frame and return the stack limit for that;
/// `None` when `RLIMIT_STACK` cannot be raised that far.
///
/// Only for the main thread: the kernel grows its stack mapping on a fault
/// below it up to the *current* `RLIMIT_STACK`, and with the usual memory
/// layout keeps at least 128 MiB free below the stack for that (mappings
/// are placed below `mmap_base`, which is at least that far down). A
/// thread's stack is fixed when the thread is made.
#[cfg_attr(test, allow(dead_code))]
fn main_stack_limit() -> Option<usize> {
    let need = (WASM_STACK_SIZE + MAIN_STACK_SLACK) as libc::rlim_t;
    // SAFETY: getrlimit/setrlimit read and write `lim`, a live local.
    unsafe {
        let mut lim: libc::rlimit = core::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_STACK, &mut lim) != 0 {
            return None;
        }
        if lim.rlim_cur != libc::RLIM_INFINITY && lim.rlim_cur < need {
            if lim.rlim_max != libc::RLIM_INFINITY && lim.rlim_max < need {
                return None;
            }
            lim.rlim_cur = need;
            if libc::setrlimit(libc::RLIMIT_STACK, &lim) != 0 {
                return None;
            }
        }
    }
    let local = 0u8;
    let here = core::hint::black_box(&local) as *const u8 as usize;
    Some(here.checked_sub(WASM_STACK_SIZE)? + STACK_LIMIT_MARGIN)
}

/// Run `f` with a [`WASM_STACK_SIZE`] stack, the stack limit set for it
/// and an alternate signal stack: on the calling thread, which must be the
/// main thread, when its stack can grow that far, else on a new thread
/// (waiting for it to finish). Returns false when the thread could not be
/// created or `f` panicked there.
pub fn run_on_wasm_stack(f: impl FnOnce() + Send + 'static) -> bool {
    // Unit tests run on the test harness's threads, never the main one.
    #[cfg(not(test))]
    if let Some(limit) = main_stack_limit() {
        set_stack_limit(limit);
        ensure_altstack();
        f();
        return true;
    }
    run_on_wasm_thread(f)
}

/// Run `f` on a new thread with a [`WASM_STACK_SIZE`] stack, the stack
/// limit set for it and an alternate signal stack; wait for it to finish.
/// Returns false when the thread could not be created or `f` panicked.
pub fn run_on_wasm_thread(f: impl FnOnce() + Send + 'static) -> bool {
    crate::platform::thread::run_and_join(c"wasm", WASM_STACK_SIZE, move || {
        #[cfg(not(test))]
        set_stack_limit(stack_limit_for_current_thread(WASM_STACK_SIZE));
        ensure_altstack();
        f();
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_inside_the_big_stack() {
        let ok = run_on_wasm_thread(|| {
            let local = 0u8;
            let here = &local as *const u8 as usize;
            let low = current_stack_low().unwrap();
            let limit = stack_limit_for_current_thread(WASM_STACK_SIZE);
            assert_eq!(limit, low + STACK_LIMIT_MARGIN);
            // A fresh thread is near the top of its stack.
            assert!(here > limit);
            assert!(here - low > WASM_STACK_SIZE - (1 << 20));
            assert!(here - low <= WASM_STACK_SIZE + (1 << 20));
            // The alternate stack is installed.
            // SAFETY: a zeroed `stack_t` is a valid value of the plain C
            // struct; sigaltstack only fills it in (no new stack is set).
            let mut ss: libc::stack_t = unsafe { std::mem::zeroed() };
            // SAFETY: as above.
            assert_eq!(unsafe { libc::sigaltstack(ptr::null(), &mut ss) }, 0);
            assert_eq!(ss.ss_flags & libc::SS_DISABLE, 0);
        });
        assert!(ok);
    }

    /// The alternate stack `sigaltstack` reports on a new thread after
    /// `ensure_altstack`: its address, flags and size.
    fn altstack_of_new_thread() -> (usize, i32, usize) {
        std::thread::spawn(|| {
            // The test harness's threads come with the standard library's
            // alternate stack, which `ensure_altstack` would keep.
            let off = libc::stack_t {
                ss_sp: ptr::null_mut(),
                ss_flags: libc::SS_DISABLE,
                ss_size: 0,
            };
            // SAFETY: SS_DISABLE only removes the thread's alternate
            // stack, which no signal is using; `off` is a live local.
            assert_eq!(unsafe { libc::sigaltstack(&off, ptr::null_mut()) }, 0);
            ensure_altstack();
            // SAFETY: as in the test above.
            let mut ss: libc::stack_t = unsafe { std::mem::zeroed() };
            // SAFETY: as above.
            assert_eq!(unsafe { libc::sigaltstack(ptr::null(), &mut ss) }, 0);
            (ss.ss_sp as usize, ss.ss_flags, ss.ss_size)
        })
        .join()
        .unwrap()
    }

    #[test]
    fn the_static_altstack_goes_to_one_thread_only() {
        let static_sp = ptr::addr_of_mut!(wasmlink_static_altstack) as usize;
        let stacks = [altstack_of_new_thread(), altstack_of_new_thread()];
        // The static one has been handed out (to one of these threads, or
        // to a thread of another test), and no two threads share it.
        assert!(STATIC_ALTSTACK_TAKEN.load(Ordering::Relaxed));
        assert!(stacks.iter().filter(|ss| ss.0 == static_sp).count() <= 1);
        for &(_, flags, size) in &stacks {
            assert_eq!(flags & libc::SS_DISABLE, 0);
            assert_eq!(size, ALTSTACK_SIZE);
        }
        assert_ne!(stacks[0].0, stacks[1].0);
        // A mapped one has its guard page below it.
        for &(sp, _, _) in stacks.iter().filter(|ss| ss.0 != static_sp) {
            let guard = (sp - GUARD_SIZE) as *mut libc::c_void;
            let mut vec = 0u8;
            // SAFETY: mincore only reports on the page (resident or not)
            // into `vec`; it fails with ENOMEM on an unmapped page, and the
            // guard is mapped (PROT_NONE).
            assert_eq!(unsafe { libc::mincore(guard, GUARD_SIZE, &mut vec) }, 0);
        }
    }
}
