//! The trap landing: running code so that a trap returns to the caller
//! instead of ending the process (for test harnesses).
//!
//! Rust has no setjmp, so the pair is hand-written:
//!
//! * `__wasmlink_protected_call(slot, f, arg)` saves the callee-saved
//!   registers on the stack, stores the stack pointer in `*slot`, calls
//!   `f(arg)` and returns 0.
//! * When a trap hits, the signal handler (see [`crate::trap`]) rewrites
//!   the interrupted context so that returning from the handler enters
//!   `__wasmlink_trap_resume` with `rdi = slot, rsi = code`; the stub
//!   reloads the saved stack pointer and leaves through the same epilogue,
//!   so `__wasmlink_protected_call` returns the trap code with every
//!   callee-saved register restored. Returning through `sigreturn` (rather
//!   than jumping out of the handler) also restores the signal mask.
//!
//! The frames skipped over are those of generated code, which own nothing
//! that needs dropping. `f` itself must not be a Rust function holding
//! values with destructors across a trap.

use crate::platform::thread_local::thread_local_cells;
use core::cell::Cell;
use core::ptr;
use wasmlink_abi::{FuncInfo, Trap};

core::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl __wasmlink_protected_call",
    ".hidden __wasmlink_protected_call",
    ".type __wasmlink_protected_call,@function",
    "__wasmlink_protected_call:",
    // rdi = slot for the saved rsp, rsi = f, rdx = arg
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    // Entry rsp is 8 mod 16; six pushes keep it so; realign for the call.
    "sub rsp, 8",
    "mov [rdi], rsp",
    "mov rdi, rdx",
    "call rsi",
    "xor eax, eax",
    "2:",
    "add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size __wasmlink_protected_call, . - __wasmlink_protected_call",
    "",
    ".p2align 4",
    ".globl __wasmlink_trap_resume",
    ".hidden __wasmlink_trap_resume",
    ".type __wasmlink_trap_resume,@function",
    "__wasmlink_trap_resume:",
    // Entered from the signal handler's sigreturn: rdi = slot, esi = code.
    "mov rsp, [rdi]",
    "mov eax, esi",
    "jmp 2b",
    ".size __wasmlink_trap_resume, . - __wasmlink_trap_resume",
);

extern "C" {
    fn __wasmlink_protected_call(
        slot: *mut usize,
        f: unsafe extern "C" fn(*mut u8),
        arg: *mut u8,
    ) -> u32;
    fn __wasmlink_trap_resume();
}

thread_local_cells! {
    /// The innermost active landing of this thread (its saved-rsp slot),
    /// null when none. Plain TLS without a destructor: safe to read in a
    /// signal handler.
    static LANDING: Cell<*mut usize>;
    /// The last trap caught on this thread: (code, function); (0, null)
    /// before the first.
    static LAST_TRAP: Cell<(u32, *const FuncInfo)>;
}

/// Whether this thread is inside [`wasmlink_call_protected`].
pub fn protected() -> bool {
    !LANDING.with(Cell::get).is_null()
}

/// Called by the signal handler: when a landing is active, record the trap
/// and point the interrupted context at the resume stub.
///
/// # Safety
/// `uc` is the handler's `ucontext_t`, and the signal interrupted this
/// thread inside the protected call whose landing is active (a trap in
/// generated code it called).
pub unsafe fn redirect_to_landing(
    uc: *mut libc::ucontext_t,
    code: u32,
    f: *const FuncInfo,
) -> bool {
    let slot = LANDING.with(Cell::get);
    if slot.is_null() {
        return false;
    }
    LAST_TRAP.with(|t| t.set((code, f)));
    // SAFETY: the kernel passes the handler a valid, exclusively owned
    // `ucontext_t` (this function's contract); it is written back to the
    // registers when the handler returns.
    let gregs = unsafe { &mut (*uc).uc_mcontext.gregs };
    gregs[libc::REG_RIP as usize] = __wasmlink_trap_resume as *const () as usize as i64;
    gregs[libc::REG_RDI as usize] = slot as i64;
    gregs[libc::REG_RSI as usize] = i64::from(code);
    true
}

/// Call `f(arg)`; return 0 when it returns, or the trap code when
/// generated code traps inside it (the trap is then available from
/// [`wasmlink_last_trap`]). Calls may nest.
///
/// # Safety
/// `f` must be safe to call with `arg`, and the frames a trap unwinds
/// must be generated code (see the module documentation).
#[no_mangle]
pub unsafe extern "C" fn wasmlink_call_protected(
    f: unsafe extern "C" fn(*mut u8),
    arg: *mut u8,
) -> u32 {
    crate::trap::install();
    crate::stack::ensure_altstack();
    let mut slot: usize = 0;
    let prev = LANDING.with(|l| l.replace(&mut slot));
    // SAFETY: `slot` lives until the stub returns, which is when the
    // landing is removed again; a trap resumes in the stub's frame, still
    // below this one. Calling `f(arg)` is the caller's guarantee.
    let code = unsafe { __wasmlink_protected_call(&mut slot, f, arg) };
    LANDING.with(|l| l.set(prev));
    code
}

/// The last trap caught by [`wasmlink_call_protected`] on this thread: its
/// code (0 if none) and, through the optional out-pointers, the name of the
/// function it happened in.
///
/// # Safety
/// Non-null out-pointers must be writable.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_last_trap(name: *mut *const u8, name_len: *mut u64) -> u32 {
    let (code, f) = LAST_TRAP.with(Cell::get);
    let n: &[u8] = if f.is_null() {
        b""
    } else {
        // SAFETY: a recorded function is an entry of the object's
        // function table, which lives as long as the process.
        crate::trap::func_name(unsafe { &*f })
    };
    if !name.is_null() {
        // SAFETY: non-null out-pointers are writable (the contract).
        unsafe { *name = n.as_ptr() };
    }
    if !name_len.is_null() {
        // SAFETY: as above.
        unsafe { *name_len = n.len() as u64 };
    }
    code
}

/// The message of trap `code` (not NUL-terminated; its length is stored in
/// `*len`), or null for an unknown code.
///
/// # Safety
/// `len` must be writable.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_trap_message(code: u32, len: *mut u64) -> *const u8 {
    match Trap::from_code(code).map(Trap::message) {
        Some(m) => {
            // SAFETY: the caller passes a writable `len` (the contract).
            unsafe { *len = m.len() as u64 };
            m.as_ptr()
        }
        None => ptr::null(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trap::tests::{info, set_table};
    use wasmlink_abi::{TrapSite, TRAP_ORIGIN_SELF};

    // Stand-ins for generated code: each faults at a labelled site.
    std::arch::global_asm!(
        ".text",
        ".globl __wl_test_ud2",
        ".hidden __wl_test_ud2",
        "__wl_test_ud2:",
        "ud2",
        ".globl __wl_test_segv",
        ".hidden __wl_test_segv",
        "__wl_test_segv:",
        "mov rax, rdi",
        ".globl __wl_test_segv_site",
        ".hidden __wl_test_segv_site",
        "__wl_test_segv_site:",
        "mov rax, qword ptr [rax]",
        "ret",
        ".globl __wl_test_div",
        ".hidden __wl_test_div",
        "__wl_test_div:",
        "push rbx",
        "xor ecx, ecx",
        "xor edx, edx",
        "mov eax, 1",
        ".globl __wl_test_div_site",
        ".hidden __wl_test_div_site",
        "__wl_test_div_site:",
        "div ecx",
        "pop rbx",
        "ret",
        ".globl __wl_test_end",
        ".hidden __wl_test_end",
        "__wl_test_end:",
        "nop",
    );
    extern "C" {
        fn __wl_test_ud2(arg: *mut u8);
        fn __wl_test_segv(arg: *mut u8);
        fn __wl_test_segv_site();
        fn __wl_test_div(arg: *mut u8);
        fn __wl_test_div_site();
        fn __wl_test_end();
    }

    fn addr(f: unsafe extern "C" fn()) -> usize {
        f as *const () as usize
    }
    fn addr1(f: unsafe extern "C" fn(*mut u8)) -> usize {
        f as *const () as usize
    }

    unsafe extern "C" fn returns_normally(arg: *mut u8) {
        // SAFETY: the test passes a writable byte.
        unsafe { *arg = 42 };
    }

    unsafe extern "C" fn nested(arg: *mut u8) {
        // An inner trap is caught by the inner landing; the outer call
        // then returns normally.
        // SAFETY: `__wl_test_ud2` ignores its argument, holds nothing, and
        // its one instruction is registered as a trap site.
        let code = unsafe { wasmlink_call_protected(__wl_test_ud2, ptr::null_mut()) };
        // SAFETY: the test passes a writable byte.
        unsafe { *arg = code as u8 };
    }

    #[test]
    fn protected_calls_recover_from_traps() {
        let ud2 = addr1(__wl_test_ud2);
        let segv = addr1(__wl_test_segv);
        let div = addr1(__wl_test_div);
        let segv_site = (addr(__wl_test_segv_site) - segv) as u32;
        let div_site = (addr(__wl_test_div_site) - div) as u32;
        let sites: &'static [TrapSite] = Box::leak(Box::new([
            TrapSite {
                offset: 0,
                code: Trap::Unreachable.code(),
                origin: TRAP_ORIGIN_SELF,
            },
            TrapSite {
                offset: segv_site,
                code: Trap::MemoryOutOfBounds.code(),
                origin: TRAP_ORIGIN_SELF,
            },
            TrapSite {
                offset: div_site,
                code: Trap::IntegerDivideByZero.code(),
                origin: TRAP_ORIGIN_SELF,
            },
        ]));
        set_table(vec![
            info(ud2, (segv - ud2) as u64, "test::ud2", &sites[0..1]),
            info(segv, (div - segv) as u64, "test::segv", &sites[1..2]),
            info(
                div,
                (addr(__wl_test_end) - div) as u64,
                "test::div",
                &sites[2..3],
            ),
        ]);

        // SAFETY: each protected call runs a stub that only faults at a
        // registered site, or a Rust function that owns nothing and gets
        // the pointer it expects (`out`, a guard page address); out-pointers
        // and the message pointer are used as the landing functions promise.
        unsafe {
            assert!(!protected());
            assert_eq!(
                wasmlink_call_protected(__wl_test_ud2, ptr::null_mut()),
                Trap::Unreachable.code()
            );
            let (mut name, mut len) = (ptr::null(), 0);
            assert_eq!(
                wasmlink_last_trap(&mut name, &mut len),
                Trap::Unreachable.code()
            );
            assert_eq!(std::slice::from_raw_parts(name, len as usize), b"test::ud2");

            // A load from the guard page of a real memory is a trap.
            let mut mem = wasmlink_abi::VMMemory {
                base: ptr::null_mut(),
                length: 0,
                max_pages: 0,
                flags: 0,
            };
            assert_eq!(crate::memory::wasmlink_memory_new(&mut mem, 1, 1, 0), 0);
            let guard = mem.base.add(mem.length as usize);
            assert_eq!(
                wasmlink_call_protected(__wl_test_segv, guard),
                Trap::MemoryOutOfBounds.code()
            );
            assert_eq!(
                wasmlink_call_protected(__wl_test_div, ptr::null_mut()),
                Trap::IntegerDivideByZero.code()
            );
            wasmlink_last_trap(&mut name, &mut len);
            assert_eq!(std::slice::from_raw_parts(name, len as usize), b"test::div");

            // Repeated traps keep working (the signal mask is restored).
            for _ in 0..100 {
                assert_eq!(
                    wasmlink_call_protected(__wl_test_ud2, ptr::null_mut()),
                    Trap::Unreachable.code()
                );
            }

            let mut out = 0u8;
            assert_eq!(wasmlink_call_protected(returns_normally, &mut out), 0);
            assert_eq!(out, 42);
            assert_eq!(wasmlink_call_protected(nested, &mut out), 0);
            assert_eq!(out, Trap::Unreachable.code() as u8);
            assert!(!protected());

            let mut len = 0;
            let m = wasmlink_trap_message(Trap::StackOverflow.code(), &mut len);
            assert_eq!(
                std::slice::from_raw_parts(m, len as usize),
                b"call stack exhausted"
            );
            assert!(wasmlink_trap_message(99, &mut len).is_null());
        }
    }
}
