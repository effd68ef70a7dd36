//! Linear memories: reservation, growth and the bulk-memory helpers.
//!
//! 32-bit memories reserve 8 GiB + 64 KiB of address space: every address
//! generated code can form (a 32-bit index plus a 32-bit static offset plus
//! the access size) lands inside the reservation, so generated code needs
//! no bounds checks; an access past `length` hits a `PROT_NONE` page and
//! the SIGSEGV handler turns it into `out of bounds memory access`.
//!
//! 64-bit memories are bounds-checked by generated code, so they only
//! reserve what they may grow into.
//!
//! Memories of both index types hold at most [`MAX_MEMORY_PAGES`] (4 GiB
//! less one page): growth past it fails like growth past the declared
//! maximum. Generated code relies on that limit (see its definition).

use crate::platform::lock::Mutex;
use crate::sys;
use core::ptr;
use core::sync::atomic::{AtomicU64, Ordering};
use wasmlink_abi::{
    Segment, VMMemory, FIXED_MEMORY_BASE, MAX_MEMORY_PAGES, MEMORY_FLAG_64, MEMORY_FLAG_FIXED,
    PAGE_SIZE,
};

/// Address space reserved for every 32-bit memory.
pub const MEMORY32_RESERVATION: u64 = 8 * (1 << 30) + PAGE_SIZE;

/// `wasmlink_memory_new(mem, min_pages, max_pages, flags) -> u32`: reserve
/// and commit a memory. `max_pages` is the declared maximum (any value
/// above the implementation limit, e.g. `u64::MAX`, means "none").
/// Non-zero means failure; outside a protected call the runtime reports
/// the reason and exits.
///
/// # Safety
/// `mem` must point to a writable `VMMemory`.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_memory_new(
    mem: *mut VMMemory,
    min_pages: u64,
    max_pages: u64,
    flags: u32,
) -> u32 {
    let (limit, reservation) = if flags & MEMORY_FLAG_64 != 0 {
        let limit = max_pages.min(MAX_MEMORY_PAGES);
        // Reserve at least one page so `base` is never null.
        (limit, limit.max(1) * PAGE_SIZE)
    } else {
        (max_pages.min(MAX_MEMORY_PAGES), MEMORY32_RESERVATION)
    };
    if min_pages > limit {
        return crate::trap::setup_failure(&[
            // The figure is `MAX_MEMORY_PAGES`, and 0x60000000 below is
            // `FIXED_MEMORY_BASE` (a test keeps them so).
            b"cannot create memory: its minimum size exceeds the implementation limit of 65535 pages",
        ]);
    }
    let fixed = flags & MEMORY_FLAG_FIXED != 0 && flags & MEMORY_FLAG_64 == 0;
    let (hint, placement) = if fixed {
        (
            FIXED_MEMORY_BASE as *mut libc::c_void,
            libc::MAP_FIXED_NOREPLACE,
        )
    } else {
        (ptr::null_mut(), 0)
    };
    // SAFETY: a new anonymous mapping, at an address the kernel picks or at
    // the fixed one with MAP_FIXED_NOREPLACE (which fails rather than
    // replace anything mapped there), cannot overlap any existing object.
    // PROT_NONE + MAP_NORESERVE costs address space only, not memory or
    // commit charge.
    let base = unsafe {
        libc::mmap(
            hint,
            reservation as usize,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | placement,
            -1,
            0,
        )
    };
    if base == libc::MAP_FAILED {
        let errno = sys::errno();
        let why = sys::strerror(errno);
        if !fixed {
            return crate::trap::setup_failure(&[
                b"cannot reserve address space for a memory: ",
                why.as_bytes(),
            ]);
        }
        let hint: &[u8] = if errno == libc::EEXIST {
            b" (something else is mapped there; a build whose --wpo list leaves out fixed-state places the memory anywhere)"
        } else {
            b""
        };
        return crate::trap::setup_failure(&[
            b"cannot reserve address space for the memory at its fixed address 0x60000000: ",
            why.as_bytes(),
            hint,
        ]);
    }
    if fixed && base != hint {
        // A kernel older than 4.17 takes MAP_FIXED_NOREPLACE for a hint.
        // SAFETY: unmaps exactly the mapping just made, still unused.
        unsafe { libc::munmap(base, reservation as usize) };
        return crate::trap::setup_failure(&[
            b"cannot reserve address space for the memory at its fixed address 0x60000000: the kernel placed it elsewhere (Linux 4.17 or later is needed)",
        ]);
    }
    // `min_pages <= limit`, and `limit` pages fit the reservation.
    let length = min_pages * PAGE_SIZE;
    // SAFETY: `[base, base + length)` lies inside the mapping just made,
    // which nothing else refers to yet.
    let committed = length == 0
        || unsafe { libc::mprotect(base, length as usize, libc::PROT_READ | libc::PROT_WRITE) }
            == 0;
    if !committed {
        let why = sys::strerror(sys::errno());
        // SAFETY: unmaps exactly the mapping made above, still unused.
        unsafe { libc::munmap(base, reservation as usize) };
        return crate::trap::setup_failure(&[b"cannot commit a memory: ", why.as_bytes()]);
    }
    // Faults inside the reservation are out-of-bounds accesses (trap.rs).
    crate::reservations::register(base as usize, reservation as usize);
    // SAFETY: the caller passes a writable `VMMemory` (this function's
    // contract; generated code passes the memory's slot in its vmctx).
    unsafe {
        mem.write(VMMemory {
            base: base.cast(),
            length,
            max_pages: limit,
            flags: u64::from(flags),
        })
    };
    0
}

/// `wasmlink_memory_grow(mem, delta_pages) -> u64`: the old size in pages,
/// or `u64::MAX` when the memory cannot grow that much.
///
/// # Safety
/// `mem` must point to a memory created by [`wasmlink_memory_new`].
#[no_mangle]
pub unsafe extern "C" fn wasmlink_memory_grow(mem: *mut VMMemory, delta: u64) -> u64 {
    // One growth at a time: a shared memory may be grown by several
    // threads (wasi-threads) at once, and each must see the length the
    // previous one left.
    static GROWING: Mutex<()> = Mutex::new(());
    let _one = GROWING.lock();
    // SAFETY: the caller passes a memory made by `wasmlink_memory_new`.
    // Its `base` and `max_pages` never change; `length` is only written
    // here, under the lock, and read by other threads (generated code, the
    // bulk helpers) with plain aligned loads: it is accessed as an atomic.
    let (base, max_pages, length) = unsafe {
        (
            (*mem).base,
            (*mem).max_pages,
            AtomicU64::from_ptr(ptr::addr_of_mut!((*mem).length)),
        )
    };
    let old_length = length.load(Ordering::Acquire);
    let old_pages = old_length / PAGE_SIZE;
    let new_pages = match old_pages.checked_add(delta) {
        Some(n) if n <= max_pages => n,
        _ => return u64::MAX,
    };
    if delta == 0 {
        return old_pages;
    }
    let new_length = new_pages * PAGE_SIZE;
    // SAFETY: the pages past `length` are inside the reservation
    // (`max_pages` never exceeds it), so neither the address computation
    // nor making them accessible can reach another mapping.
    let made_accessible = unsafe {
        let start = base.add(old_length as usize);
        libc::mprotect(
            start.cast(),
            (new_length - old_length) as usize,
            libc::PROT_READ | libc::PROT_WRITE,
        ) == 0
    };
    if !made_accessible {
        return u64::MAX;
    }
    // The pages are accessible before any thread can see the new length.
    length.store(new_length, Ordering::Release);
    old_pages
}

/// Whether `[start, start + len)` lies within `size` (overflow-safe).
pub fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

/// `memory.fill`: 0 ok, 1 out of bounds (nothing written).
///
/// # Safety
/// `mem` must point to a valid memory.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_memory_fill(
    mem: *mut VMMemory,
    dst: u64,
    val: u32,
    len: u64,
) -> u32 {
    // SAFETY: the caller passes a live memory (this function's contract).
    let m = unsafe { &*mem };
    if !in_bounds(dst, len, m.length) {
        return 1;
    }
    // SAFETY: `[dst, dst + len)` was just checked to lie within the
    // accessible `length` bytes at `base`; guest memory is plain bytes
    // that no Rust reference points into.
    unsafe { ptr::write_bytes(m.base.add(dst as usize), val as u8, len as usize) };
    0
}

/// `memory.copy` (memmove semantics; the memories may be the same).
///
/// # Safety
/// Both pointers must point to valid memories.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_memory_copy(
    dst_mem: *mut VMMemory,
    src_mem: *mut VMMemory,
    dst: u64,
    src: u64,
    len: u64,
) -> u32 {
    // SAFETY: the caller passes two live memories (possibly the same);
    // they are only read here.
    let (d, s) = unsafe { (&*dst_mem, &*src_mem) };
    if !in_bounds(dst, len, d.length) || !in_bounds(src, len, s.length) {
        return 1;
    }
    // SAFETY: both ranges were just checked against their memory's
    // accessible length; `copy` allows them to overlap.
    unsafe {
        ptr::copy(
            s.base.add(src as usize),
            d.base.add(dst as usize),
            len as usize,
        )
    };
    0
}

/// `memory.init` from a data segment (a dropped segment has `len` 0).
///
/// # Safety
/// `mem` must point to a valid memory and `seg` to a valid segment.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_memory_init(
    mem: *mut VMMemory,
    dst: u64,
    seg: *mut Segment,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: the caller passes a live memory and the segment slot of a
    // vmctx (this function's contract); both are only read here.
    let (m, s) = unsafe { (&*mem, &*seg) };
    let (src, len) = (u64::from(src), u64::from(len));
    if !in_bounds(src, len, s.len) || !in_bounds(dst, len, m.length) {
        return 1;
    }
    // SAFETY: both ranges were just checked: a segment holds `len` bytes
    // at `ptr` (a dropped one has `len` 0), the memory `length` bytes at
    // `base`. They cannot overlap: segments live in the object's read-only
    // data, memories in their own mappings.
    unsafe {
        ptr::copy_nonoverlapping(
            s.ptr.add(src as usize),
            m.base.add(dst as usize),
            len as usize,
        )
    };
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_memory(min: u64, max: u64, flags: u32) -> VMMemory {
        let mut m = VMMemory {
            base: ptr::null_mut(),
            length: 0,
            max_pages: 0,
            flags: 0,
        };
        // SAFETY: `m` is a writable `VMMemory`.
        assert_eq!(unsafe { wasmlink_memory_new(&mut m, min, max, flags) }, 0);
        m
    }

    /// The accessible bytes (an unbounded lifetime: tests alias freely).
    fn bytes<'a>(m: &VMMemory) -> &'a mut [u8] {
        // SAFETY: a memory made by `new_memory` has `length` accessible
        // bytes at `base`, never unmapped; each test uses one view at a
        // time and does not keep it across a call that writes the memory.
        unsafe { std::slice::from_raw_parts_mut(m.base, m.length as usize) }
    }

    #[test]
    fn messages_name_the_limit_and_the_fixed_address() {
        assert_eq!(
            MAX_MEMORY_PAGES, 65535,
            "update wasmlink_memory_new's message"
        );
        assert_eq!(
            FIXED_MEMORY_BASE, 0x6000_0000,
            "update wasmlink_memory_new's fixed-address messages"
        );
    }

    #[test]
    fn new_and_grow_32() {
        let mut m = new_memory(1, u64::MAX, 0);
        assert_eq!(m.length, PAGE_SIZE);
        assert_eq!(m.max_pages, MAX_MEMORY_PAGES);
        bytes(&m)[65535] = 7;
        // SAFETY: `m` was made by `wasmlink_memory_new`, as the runtime
        // functions require.
        unsafe {
            assert_eq!(wasmlink_memory_grow(&mut m, 0), 1);
            assert_eq!(wasmlink_memory_grow(&mut m, 2), 1);
            assert_eq!(m.length, 3 * PAGE_SIZE);
            bytes(&m)[3 * 65536 - 1] = 9;
            assert_eq!(bytes(&m)[65535], 7);
            // Up to the limit, 4 GiB less one page; the last page is refused.
            assert_eq!(wasmlink_memory_grow(&mut m, 65533), u64::MAX);
            assert_eq!(wasmlink_memory_grow(&mut m, MAX_MEMORY_PAGES - 3), 3);
            assert_eq!(m.length, (1 << 32) - PAGE_SIZE);
            bytes(&m)[(1usize << 32) - PAGE_SIZE as usize - 1] = 1;
            assert_eq!(wasmlink_memory_grow(&mut m, 1), u64::MAX);
            assert_eq!(wasmlink_memory_grow(&mut m, u64::MAX), u64::MAX);
            assert_eq!(wasmlink_memory_grow(&mut m, 1 << 40), u64::MAX);
        }
    }

    /// Whether writing `base + offset` kills a forked child with SIGSEGV.
    fn write_faults(m: &VMMemory, offset: u64) -> bool {
        // SAFETY: after fork in a multithreaded process the child may only
        // make async-signal-safe calls: it sets a signal disposition,
        // writes memory and calls `_exit`. The write is inside `m`'s
        // reservation, so it either succeeds or faults, nothing else.
        unsafe {
            let pid = libc::fork();
            assert!(pid >= 0);
            if pid == 0 {
                libc::signal(libc::SIGSEGV, libc::SIG_DFL);
                m.base.add(offset as usize).write_volatile(1);
                libc::_exit(0);
            }
            let mut status = 0;
            assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
            libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGSEGV
        }
    }

    #[test]
    fn pages_past_length_are_inaccessible() {
        let mut m = new_memory(1, u64::MAX, 0);
        assert!(!write_faults(&m, PAGE_SIZE - 1));
        assert!(write_faults(&m, PAGE_SIZE));
        // The far end of the reservation (index + offset near 8 GiB).
        assert!(write_faults(&m, MEMORY32_RESERVATION - 1));
        // SAFETY: `m` was made by `wasmlink_memory_new`.
        unsafe { wasmlink_memory_grow(&mut m, 1) };
        assert!(!write_faults(&m, 2 * PAGE_SIZE - 1));
        assert!(write_faults(&m, 2 * PAGE_SIZE));
    }

    #[test]
    fn grow_respects_declared_max() {
        let mut m = new_memory(0, 2, 0);
        assert_eq!(m.length, 0);
        // SAFETY: `m` was made by `wasmlink_memory_new`, as the runtime
        // functions require.
        unsafe {
            assert_eq!(wasmlink_memory_grow(&mut m, 3), u64::MAX);
            assert_eq!(wasmlink_memory_grow(&mut m, 2), 0);
            assert_eq!(wasmlink_memory_grow(&mut m, 1), u64::MAX);
            assert_eq!(wasmlink_memory_grow(&mut m, 0), 2);
        }
    }

    #[test]
    fn memory64_reservation_is_capped() {
        let mut m = new_memory(1, u64::MAX, 1);
        assert_eq!(m.flags, 1);
        assert_eq!(m.max_pages, MAX_MEMORY_PAGES);
        // SAFETY: `m` was made by `wasmlink_memory_new`, as the runtime
        // functions require.
        unsafe {
            assert_eq!(wasmlink_memory_grow(&mut m, MAX_MEMORY_PAGES), u64::MAX);
            assert_eq!(wasmlink_memory_grow(&mut m, 3), 1);
        }
        let m0 = new_memory(0, 0, 1);
        assert!(!m0.base.is_null());
    }

    #[test]
    fn fill_copy_bounds() {
        let mut m = new_memory(1, 1, 0);
        let len = m.length;
        // SAFETY: `m` was made by `wasmlink_memory_new`, as the runtime
        // functions require.
        unsafe {
            assert_eq!(wasmlink_memory_fill(&mut m, 10, 0x1ab, 5), 0);
            assert_eq!(&bytes(&m)[9..16], &[0, 0xab, 0xab, 0xab, 0xab, 0xab, 0]);
            // Length 0 at exactly the end is fine, one past is not.
            assert_eq!(wasmlink_memory_fill(&mut m, len, 0, 0), 0);
            assert_eq!(wasmlink_memory_fill(&mut m, len + 1, 0, 0), 1);
            // Out of bounds writes nothing.
            assert_eq!(wasmlink_memory_fill(&mut m, len - 2, 1, 3), 1);
            assert_eq!(bytes(&m)[len as usize - 1], 0);
            assert_eq!(wasmlink_memory_fill(&mut m, u64::MAX, 1, 2), 1);

            // Overlapping copy forwards and backwards.
            for (i, b) in bytes(&m)[..8].iter_mut().enumerate() {
                *b = i as u8;
            }
            let p: *mut VMMemory = &mut m;
            assert_eq!(wasmlink_memory_copy(p, p, 2, 0, 6), 0);
            assert_eq!(&bytes(&m)[..8], &[0, 1, 0, 1, 2, 3, 4, 5]);
            assert_eq!(wasmlink_memory_copy(p, p, 0, 2, 6), 0);
            assert_eq!(&bytes(&m)[..8], &[0, 1, 2, 3, 4, 5, 4, 5]);
            assert_eq!(wasmlink_memory_copy(p, p, len, 0, 0), 0);
            assert_eq!(wasmlink_memory_copy(p, p, 0, len, 0), 0);
            assert_eq!(wasmlink_memory_copy(p, p, 0, len - 1, 2), 1);
            assert_eq!(wasmlink_memory_copy(p, p, u64::MAX, 0, 1), 1);
        }
    }

    #[test]
    fn copy_between_memories() {
        let mut a = new_memory(1, 1, 0);
        let mut b = new_memory(1, 1, 0);
        bytes(&a)[..3].copy_from_slice(b"abc");
        // SAFETY: both were made by `wasmlink_memory_new`.
        unsafe {
            assert_eq!(wasmlink_memory_copy(&mut b, &mut a, 100, 0, 3), 0);
        }
        assert_eq!(&bytes(&b)[100..103], b"abc");
    }

    #[test]
    fn init_from_segment() {
        let mut m = new_memory(1, 1, 0);
        let data = b"hello";
        let mut seg = Segment {
            ptr: data.as_ptr(),
            len: 5,
        };
        let len = m.length;
        // SAFETY: `m` was made by `wasmlink_memory_new`; `seg` describes
        // `data`, which outlives the calls.
        unsafe {
            assert_eq!(wasmlink_memory_init(&mut m, 1, &mut seg, 1, 4), 0);
            assert_eq!(&bytes(&m)[..6], b"\0ello\0");
            assert_eq!(wasmlink_memory_init(&mut m, 0, &mut seg, 5, 0), 0);
            assert_eq!(wasmlink_memory_init(&mut m, 0, &mut seg, 6, 0), 1);
            assert_eq!(wasmlink_memory_init(&mut m, 0, &mut seg, 2, 4), 1);
            assert_eq!(wasmlink_memory_init(&mut m, len - 1, &mut seg, 0, 2), 1);
            assert_eq!(wasmlink_memory_init(&mut m, len, &mut seg, 0, 0), 0);
            // A dropped segment only allows empty inits at offset 0.
            seg.len = 0;
            assert_eq!(wasmlink_memory_init(&mut m, 0, &mut seg, 0, 0), 0);
            assert_eq!(wasmlink_memory_init(&mut m, 0, &mut seg, 0, 1), 1);
            assert_eq!(wasmlink_memory_init(&mut m, 0, &mut seg, 1, 0), 1);
        }
    }

    /// Create a memory of `min_pages` with `flags` into a scratch
    /// `VMMemory`, writing the status to `out` (a `u32`).
    ///
    /// # Safety
    /// `out` must point at a writable `u32`.
    unsafe fn create_into(out: *mut u8, min_pages: u64, flags: u32) {
        let mut m = VMMemory {
            base: ptr::null_mut(),
            length: 0,
            max_pages: 0,
            flags: 0,
        };
        // SAFETY: `m` is a writable `VMMemory`; the caller passes `out`
        // pointing at a writable `u32`.
        unsafe { *out.cast::<u32>() = wasmlink_memory_new(&mut m, min_pages, u64::MAX, flags) };
    }

    /// Run through `wasmlink_call_protected` with `out` pointing at a `u32`.
    unsafe extern "C" fn create_too_big(out: *mut u8) {
        // SAFETY: as this function's caller promises.
        unsafe { create_into(out, MAX_MEMORY_PAGES + 1, 0) }
    }

    /// Run through `wasmlink_call_protected`: a second memory at the fixed
    /// address, `out` pointing at a `u32` for the status.
    unsafe extern "C" fn create_fixed_again(out: *mut u8) {
        // SAFETY: as this function's caller promises.
        unsafe { create_into(out, 1, MEMORY_FLAG_FIXED) }
    }

    /// The only test that places a memory at the fixed address (a process
    /// has one such memory, never unmapped).
    #[test]
    fn fixed_memory_is_at_its_address_and_only_once() {
        let mut m = new_memory(2, u64::MAX, MEMORY_FLAG_FIXED);
        assert_eq!(m.base as u64, FIXED_MEMORY_BASE);
        assert_eq!(m.length, 2 * PAGE_SIZE);
        bytes(&m)[2 * PAGE_SIZE as usize - 1] = 9;
        // SAFETY: `m` was made by `wasmlink_memory_new`.
        assert_eq!(unsafe { wasmlink_memory_grow(&mut m, 1) }, 2);
        assert_eq!(bytes(&m)[2 * PAGE_SIZE as usize - 1], 9);
        // Something is mapped there now: a second one fails, cleanly.
        assert_eq!(protected_status(create_fixed_again), (0, 1));
    }

    /// Run `create` (one of the `create_*` functions above) in a protected
    /// call: (the call's code, the status it wrote).
    fn protected_status(create: unsafe extern "C" fn(*mut u8)) -> (u32, u32) {
        let mut status = 0u32;
        // SAFETY: every `create_*` function takes a pointer to a writable
        // `u32`, as given, and holds nothing that needs dropping.
        let code = unsafe {
            crate::landing::wasmlink_call_protected(create, (&mut status as *mut u32).cast())
        };
        (code, status)
    }

    #[test]
    fn creation_failure_returns_inside_a_protected_call() {
        // Outside a protected call the process would report and exit.
        assert_eq!(protected_status(create_too_big), (0, 1));
    }

    #[test]
    fn bounds_helper_is_overflow_safe() {
        assert!(!in_bounds(u64::MAX, 1, u64::MAX));
        assert!(in_bounds(u64::MAX, 0, u64::MAX));
        assert!(in_bounds(0, 0, 0));
    }
}
