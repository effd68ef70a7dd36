//! `memory.atomic.wait32/wait64` and `memory.atomic.notify` on shared
//! memories, with Linux futexes on the cell's native address: a shared
//! memory is one mapping whatever thread touches it, so a futex on the
//! address is exactly "the waiters of this cell". The generated code has
//! checked bounds and alignment (and that the memory is shared) before it
//! calls.
//!
//! A 64-bit cell is waited on through its low 32 bits (futexes are 32-bit):
//! the value is compared in full first, and a wake-up is re-checked by the
//! caller's program as the spec's waiters must anyway.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// `timeout` nanoseconds as a `timespec` (`None` for a negative timeout:
/// wait for ever).
fn timespec(timeout: i64) -> Option<libc::timespec> {
    (timeout >= 0).then_some(libc::timespec {
        tv_sec: (timeout / 1_000_000_000) as libc::time_t,
        tv_nsec: (timeout % 1_000_000_000) as libc::c_long,
    })
}

/// Wait on the futex at `addr` while it holds `low`: 0 woken, 2 timed out.
///
/// # Safety
/// `addr` is a live, 4-byte aligned address inside a shared memory.
unsafe fn futex_wait(addr: *mut u32, low: u32, timeout: i64) -> u32 {
    let ts = timespec(timeout);
    let tsp = ts
        .as_ref()
        .map_or(core::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `addr` is valid (this function's contract); FUTEX_WAIT only
    // reads it, and `tsp` is null or points to `ts`, alive for the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            addr,
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            low,
            tsp,
        )
    };
    if r == -1 && crate::sys::errno() == libc::ETIMEDOUT {
        2
    } else {
        // Woken, or the value had already changed (EAGAIN), or a signal
        // (EINTR): the spec's "ok" — waiters re-check their condition.
        0
    }
}

/// `memory.atomic.wait32`.
///
/// # Safety
/// `addr` is a live, 4-byte aligned address inside a shared memory.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_atomic_wait32(
    addr: *mut u32,
    expected: u32,
    timeout: i64,
) -> u32 {
    // SAFETY: `addr` is valid and aligned (this function's contract).
    let cell = unsafe { AtomicU32::from_ptr(addr) };
    if cell.load(Ordering::SeqCst) != expected {
        return 1;
    }
    // SAFETY: as above.
    unsafe { futex_wait(addr, expected, timeout) }
}

/// `memory.atomic.wait64`.
///
/// # Safety
/// `addr` is a live, 8-byte aligned address inside a shared memory.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_atomic_wait64(
    addr: *mut u64,
    expected: u64,
    timeout: i64,
) -> u32 {
    // SAFETY: `addr` is valid and aligned (this function's contract).
    let cell = unsafe { AtomicU64::from_ptr(addr) };
    if cell.load(Ordering::SeqCst) != expected {
        return 1;
    }
    // Little-endian: the low half is the first 4 bytes.
    // SAFETY: the low half of an aligned u64 is an aligned u32.
    unsafe { futex_wait(addr.cast::<u32>(), expected as u32, timeout) }
}

/// `memory.atomic.notify`.
///
/// # Safety
/// `addr` is a live, 4-byte aligned address inside a memory.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_atomic_notify(addr: *mut u32, count: u32) -> u32 {
    if count == 0 {
        return 0;
    }
    let n = i32::try_from(count).unwrap_or(i32::MAX);
    // SAFETY: FUTEX_WAKE does not access the memory at `addr`; it names
    // the futex. Waiters on 64-bit cells wait on their low half, which is
    // the same address.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            addr,
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            n,
        )
    };
    u32::try_from(r).unwrap_or(0)
}
