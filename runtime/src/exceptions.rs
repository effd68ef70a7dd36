//! Exception handling: allocating exceptions and unwinding to handlers.
//!
//! Generated code throws by calling `wasmlink_throw(exn)`. The non-throwing
//! path costs nothing: calls inside a `try_table` (or a legacy `try`) are
//! Cranelift `try_call`s, whose handlers Cranelift records per call site;
//! the compiler writes them into each function's [`FuncInfo`]
//! (`call_sites`, `handlers`). Throwing walks the frame-pointer chain of
//! generated code (every generated function keeps frame pointers) from the
//! thrower outwards. At each frame it looks the return address up among the
//! function's call sites and tries that site's handlers in order: a
//! `HANDLER_CONTEXT` entry says where the frame keeps its vmctx, a
//! `HANDLER_TAG` entry matches when the vmctx's tag slot points at the
//! exception's [`TagInfo`], a `HANDLER_ALL` entry matches anything. The
//! first match resumes: stack pointer `fp - frame_offset`, frame pointer
//! `fp`, the exception in `rax` (Cranelift's first payload register), jump
//! to the handler. Cranelift treats every register as clobbered across a
//! `try_call`'s exceptional edge, so nothing else needs restoring.
//!
//! The walk stops at the first return address outside generated code (the
//! runtime called the generated code there: the program's start, a
//! harness trampoline, a resource destructor): exceptions never unwind
//! through runtime frames. Such an exception is uncaught: outside a
//! protected call the program ends with `wasm trap: uncaught exception
//! (tag T) in F` and status 134; inside one (the spec harness)
//! `wasmlink_throw` returns and the thrower traps with `uncaught
//! exception`, which the landing records.
//!
//! Exceptions live on the C heap. A `catch`/`catch_all` clause that copies
//! the payload out frees the exception (`wasmlink_exception_done`) unless
//! it escaped (the program may have stored its `exnref` anywhere: never
//! freed, there is no collector) or a live frame holds it in its locals
//! (see `wasmlink_abi::ExceptionHeader`). The unwinder drops each frame it
//! leaves behind from the holders, so the usual pattern of compiled C++ —
//! a cleanup catches with `catch_all_ref`, runs destructors, `throw_ref`s,
//! and a `catch` further up ends it — frees every exception.

use crate::platform::lock::{Mutex, OnceLock};
use crate::sys::write_stderr;
use crate::trap::{func_name, NAME_PRINT_LIMIT, TRAP_EXIT_STATUS};
use alloc::vec::Vec;
use wasmlink_abi::{
    size, CallSite, CatchHandler, ExceptionHeader, FuncInfo, TagInfo, EXCEPTION_HOLDERS,
    HANDLER_ALL, HANDLER_CONTEXT, HANDLER_TAG,
};

core::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl wasmlink_throw",
    ".hidden wasmlink_throw",
    ".type wasmlink_throw,@function",
    "wasmlink_throw:",
    // rdi = exn. The caller is generated code, which keeps frame pointers:
    // [rsp] is the return address into the thrower, rbp the thrower's
    // frame pointer. Hand both to the walk, which returns straight to the
    // thrower when nothing catches.
    "mov rsi, [rsp]",
    "mov rdx, rbp",
    "jmp {unwind}",
    ".size wasmlink_throw, . - wasmlink_throw",
    "",
    ".p2align 4",
    ".globl __wasmlink_resume_handler",
    ".hidden __wasmlink_resume_handler",
    ".type __wasmlink_resume_handler,@function",
    "__wasmlink_resume_handler:",
    // rdi = handler address, rsi = stack pointer, rdx = frame pointer,
    // rcx = exception.
    "mov rsp, rsi",
    "mov rbp, rdx",
    "mov rax, rcx",
    "xor edx, edx",
    "jmp rdi",
    ".size __wasmlink_resume_handler, . - __wasmlink_resume_handler",
    unwind = sym unwind,
);

extern "C" {
    /// `throw`/`throw_ref` (see the module documentation).
    pub fn wasmlink_throw(exn: *mut ExceptionHeader) -> u32;
    fn __wasmlink_resume_handler(pc: usize, sp: usize, fp: usize, exn: usize) -> !;
}

/// A new exception of tag `tag` with `payload_slots` value slots.
///
/// # Safety
/// `tag` points at a live `TagInfo` (generated code passes a vmctx tag
/// slot's value).
#[no_mangle]
pub unsafe extern "C" fn wasmlink_exception_new(
    tag: *const TagInfo,
    payload_slots: u64,
) -> *mut ExceptionHeader {
    let bytes = (payload_slots as usize)
        .checked_mul(size::VALUE_SLOT as usize)
        .and_then(|n| n.checked_add(size::EXCEPTION_HEADER as usize));
    // SAFETY: the caller passes its tag's `TagInfo` (the contract).
    let gc_refs = unsafe { (*tag).gc_ref_mask } != 0;
    // SAFETY: malloc/calloc with any size is sound; glibc's blocks are
    // 16-byte aligned, as value slots (v128 payloads) require. A payload
    // with GC references starts zeroed: the collector may read it before
    // the thrower has written every value.
    let p = bytes
        .map_or(core::ptr::null_mut(), |n| unsafe {
            if gc_refs {
                libc::calloc(1, n)
            } else {
                libc::malloc(n)
            }
        })
        .cast::<ExceptionHeader>();
    if p.is_null() {
        write_stderr(&[b"wasmlink runtime: out of memory allocating an exception\n"]);
        // SAFETY: `_exit` runs no code of this process.
        unsafe { libc::_exit(1) };
    }
    // SAFETY: `p` is a fresh block of at least a header's size.
    unsafe {
        p.write(ExceptionHeader {
            tag,
            escaped: 0,
            holder_count: 0,
            holders: [0; EXCEPTION_HOLDERS],
        })
    };
    if gc_refs {
        WITH_GC_REFS.lock().push(p as usize);
    }
    p
}

/// Live exceptions whose payload holds GC references: roots of the
/// collector (`crate::gc`) until they are freed. Escaped ones stay.
static WITH_GC_REFS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// Visit the payload values of every live exception that are GC
/// references (`TagInfo::gc_ref_mask`).
///
/// # Safety
/// Every registered exception is live (they leave the list when freed).
pub unsafe fn visit_gc_payloads(visit: &mut dyn FnMut(u64)) {
    for &exn in WITH_GC_REFS.lock().iter() {
        let exn = exn as *const ExceptionHeader;
        // SAFETY: a live exception (this function's contract) made by
        // `wasmlink_exception_new` for its tag, with a slot per payload
        // value after the header; the mask names slots of that payload.
        unsafe {
            let mask = (*(*exn).tag).gc_ref_mask;
            let payload = exn.cast::<u8>().add(size::EXCEPTION_HEADER as usize);
            for i in (0..64).filter(|i| mask & (1 << i) != 0) {
                let slot = payload.add(i * size::VALUE_SLOT as usize).cast::<u64>();
                visit(slot.read());
            }
        }
    }
}

/// Free `exn` when nothing may reach it any more.
///
/// # Safety
/// `exn` is a live exception that no one but its holders and the caller
/// can reach.
unsafe fn free_if_unreachable(exn: *mut ExceptionHeader) {
    // SAFETY: the caller's contract: a live exception.
    let (escaped, held) = unsafe { ((*exn).escaped, (*exn).holder_count) };
    if escaped == 0 && held == 0 {
        let mut registered = WITH_GC_REFS.lock();
        if let Some(k) = registered.iter().position(|&e| e == exn as usize) {
            registered.swap_remove(k);
        }
        drop(registered);
        // SAFETY: allocated by `malloc`/`calloc` above; it never escaped
        // and no frame holds it, so nothing refers to it after this call.
        unsafe { libc::free(exn.cast()) };
    }
}

/// A `catch`/`catch_all` clause copied the payload out of `exn`.
///
/// # Safety
/// `exn` came from [`wasmlink_exception_new`] and is live.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_exception_done(exn: *mut ExceptionHeader) -> u32 {
    // SAFETY: as promised by the caller.
    unsafe { free_if_unreachable(exn) };
    0
}

/// The frame `fp` caught `exn` and keeps it.
///
/// # Safety
/// `exn` is a live exception.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_exception_hold(exn: *mut ExceptionHeader, fp: u64) -> u32 {
    // SAFETY: a live exception, only touched by this thread (an exception
    // never leaves the thread that threw it: exnrefs are not shareable).
    let e = unsafe { &mut *exn };
    match e.holders.get_mut(e.holder_count as usize) {
        Some(slot) => {
            *slot = fp as usize;
            e.holder_count += 1;
        }
        None => e.escaped = 1,
    }
    0
}

/// A legacy `catch` clause of the frame `fp` ended.
///
/// # Safety
/// `exn` is a live exception.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_exception_release(exn: *mut ExceptionHeader, fp: u64) -> u32 {
    // SAFETY: as for `wasmlink_exception_hold`.
    let e = unsafe { &mut *exn };
    let n = e.holder_count as usize;
    if let Some(i) = e.holders[..n].iter().position(|&h| h == fp as usize) {
        e.holders.copy_within(i + 1..n, i);
        e.holder_count -= 1;
    }
    // SAFETY: live, and the clause that held it is done with it.
    unsafe { free_if_unreachable(exn) };
    0
}

/// The unwinder leaves the frame `fp` behind: it holds nothing any more.
fn forget_frame(e: &mut ExceptionHeader, fp: usize) {
    let n = e.holder_count as usize;
    let mut kept = 0;
    for i in 0..n {
        if e.holders[i] != fp {
            e.holders[kept] = e.holders[i];
            kept += 1;
        }
    }
    e.holder_count = kept as u32;
}

/// Indices of the function table's entries sorted by start address,
/// built at the first throw.
fn by_address() -> &'static [u32] {
    static SORTED: OnceLock<Vec<u32>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let table = crate::trap::func_table();
        let mut v: Vec<u32> = (0..table.len() as u32).collect();
        v.sort_by_key(|&i| table[i as usize].start.get() as usize);
        v
    })
}

/// The generated function containing `pc`.
pub(crate) fn function_at(pc: usize) -> Option<&'static FuncInfo> {
    let table = crate::trap::func_table();
    let order = by_address();
    let i = order.partition_point(|&k| table[k as usize].start.get() as usize <= pc);
    let f = &table[*order.get(i.checked_sub(1)?)? as usize];
    let offset = pc - f.start.get() as usize;
    (offset < f.len as usize).then_some(f)
}

/// The call sites and handlers of `f`.
fn sites(f: &FuncInfo) -> (&[CallSite], &[CatchHandler]) {
    // SAFETY: the object's function table points at `call_site_count` and
    // `handler_count` entries of read-only data that live as long as the
    // process.
    unsafe {
        (
            f.call_sites.as_slice(f.call_site_count),
            f.handlers.as_slice(f.handler_count),
        )
    }
}

/// Where to resume: handler address and stack pointer.
fn find_handler(
    f: &FuncInfo,
    offset: u32,
    fp: usize,
    tag: *const TagInfo,
) -> Option<(usize, usize)> {
    let (call_sites, handlers) = sites(f);
    let i = call_sites
        .binary_search_by_key(&offset, |s| s.ret_offset)
        .ok()?;
    let site = call_sites[i];
    let sp = fp - site.frame_offset as usize;
    let first = site.first_handler as usize;
    let mut vmctx = 0usize;
    for h in handlers.get(first..first + site.handler_count as usize)? {
        let catches = match h.kind {
            HANDLER_CONTEXT => {
                // SAFETY: the compiler recorded that this frame keeps its
                // vmctx in this stack slot at this call site.
                vmctx = unsafe { *((sp + h.arg as usize) as *const usize) };
                false
            }
            // SAFETY: `vmctx` is the frame's vmctx (a context entry comes
            // first) and `arg` the offset of one of its tag slots.
            HANDLER_TAG => unsafe { *((vmctx + h.arg as usize) as *const *const TagInfo) == tag },
            HANDLER_ALL => true,
            _ => false,
        };
        if catches {
            return Some((f.start.get() as usize + h.target as usize, sp));
        }
    }
    None
}

/// The walk behind `wasmlink_throw`: `pc` and `fp` are the thrower's
/// return address and frame pointer.
unsafe extern "C" fn unwind(exn: *mut ExceptionHeader, pc: usize, fp: usize) -> u32 {
    let thrower = pc;
    // SAFETY: generated code only throws exceptions it got from
    // `wasmlink_exception_new` (or a non-null exnref, which is one).
    let tag = unsafe { (*exn).tag };
    let (mut pc, mut fp) = (pc, fp);
    while let Some(f) = function_at(pc) {
        if let Some((handler, sp)) = find_handler(f, (pc - f.start.get() as usize) as u32, fp, tag)
        {
            // SAFETY: `handler` is a catch block of the function whose
            // frame `fp` is, entered as Cranelift expects (its stack and
            // frame pointers, the exception in the first payload
            // register); the frames above it belong to generated code,
            // which owns nothing that needs dropping.
            unsafe { __wasmlink_resume_handler(handler, sp, fp, exn as usize) };
        }
        if fp == 0 || !fp.is_multiple_of(8) {
            break;
        }
        // SAFETY: `exn` is live (see above); this frame is being left.
        forget_frame(unsafe { &mut *exn }, fp);
        // SAFETY: `fp` is the frame pointer of a generated function's
        // frame: the saved caller frame pointer and the return address sit
        // right above it.
        unsafe {
            pc = *((fp + 8) as *const usize);
            fp = *(fp as *const usize);
        }
    }
    uncaught(tag, thrower)
}

/// No handler: end the program, or (inside a protected call) return so the
/// thrower traps.
fn uncaught(tag: *const TagInfo, thrower: usize) -> u32 {
    if crate::landing::protected() {
        return 1;
    }
    // One thread reports and ends the process (wasi-threads).
    crate::sys::claim_exit();
    // SAFETY: every tag slot points at a `TagInfo` of the object, whose
    // name is `name_len` bytes of read-only data.
    let name = unsafe {
        if tag.is_null() || (*tag).name.is_null() {
            &b"?"[..]
        } else {
            core::slice::from_raw_parts((*tag).name, (*tag).name_len as usize)
        }
    };
    write_stderr(&[b"wasm trap: uncaught exception (tag "]);
    crate::sys::write_stderr_escaped(name, NAME_PRINT_LIMIT);
    write_stderr(&[b") in "]);
    let func = function_at(thrower).map_or(&b"<unknown function>"[..], func_name);
    crate::sys::write_stderr_escaped(func, NAME_PRINT_LIMIT);
    write_stderr(&[b"\n"]);
    // SAFETY: `_exit` ends the process without running any of its code;
    // the runtime's own output is unbuffered.
    unsafe { libc::_exit(TRAP_EXIT_STATUS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_exception() -> *mut ExceptionHeader {
        // A tag whose payload holds no GC reference; its name is never
        // read by the functions under test.
        let tag = Box::leak(Box::new(TagInfo {
            name: std::ptr::null(),
            name_len: 0,
            gc_ref_mask: 0,
        }));
        // SAFETY: a valid tag, alive for the rest of the process.
        unsafe { wasmlink_exception_new(tag, 1) }
    }

    #[test]
    fn holders_keep_an_exception_and_leaving_their_frames_lets_go() {
        let e = new_exception();
        // SAFETY: `e` is live until freed below; each call keeps the
        // contracts (a live exception, this thread only).
        unsafe {
            wasmlink_exception_hold(e, 0x1000);
            wasmlink_exception_hold(e, 0x2000);
            wasmlink_exception_hold(e, 0x1000);
            assert_eq!((*e).holder_count, 3);
            forget_frame(&mut *e, 0x1000);
            assert_eq!((*e).holder_count, 1);
            assert_eq!((*e).holders[0], 0x2000);
            assert_eq!((*e).escaped, 0);
            // Releasing the last holder frees it (not touched afterwards).
            wasmlink_exception_release(e, 0x2000);
        }
    }

    #[test]
    fn more_holders_than_recorded_mark_it_escaped() {
        let e = new_exception();
        // SAFETY: as above; an escaped exception is never freed, so `e`
        // stays valid (it is leaked on purpose).
        unsafe {
            for fp in 0..=EXCEPTION_HOLDERS as u64 {
                wasmlink_exception_hold(e, 0x1000 + 16 * fp);
            }
            assert_eq!((*e).escaped, 1);
            assert_eq!((*e).holder_count as usize, EXCEPTION_HOLDERS);
            wasmlink_exception_done(e);
            for fp in 0..EXCEPTION_HOLDERS as u64 {
                wasmlink_exception_release(e, 0x1000 + 16 * fp);
            }
            assert_eq!((*e).holder_count, 0);
            assert_eq!((*e).escaped, 1);
        }
    }
}
