//! Traps: turning hardware faults in generated code into wasm traps.
//!
//! Generated code traps by faulting: `ud2` for explicit traps (SIGILL),
//! loads/stores into the guard region of a 32-bit memory (SIGSEGV/SIGBUS),
//! `div`/`idiv` (SIGFPE). The handler decides what a signal is
//! ([`classify`]): a wasm trap only when
//!
//! * the kernel raised it for a fault (`si_code > 0`: SEGV_MAPERR,
//!   ILL_ILLOPN, FPE_INTDIV, …) — a signal sent by a process (`kill`,
//!   `tgkill`, `sigqueue`: `si_code <= 0`) is never a trap, whatever the
//!   program was executing when it arrived;
//! * the faulting PC is a trap site in the object's function table
//!   (`wasmlink_func_table`, one [`FuncInfo`] per generated function with
//!   its trap sites);
//! * for SIGSEGV/SIGBUS, the site is a memory access and the faulting
//!   address lies in a linear memory's reservation
//!   ([`crate::reservations`]).
//!
//! A trap then either
//!
//! * inside [`crate::landing::wasmlink_call_protected`]: records the trap
//!   and resumes at the landing (the harness prints and carries on), or
//! * otherwise: prints `wasm trap: <message> in <function>` and exits with
//!   status [`TRAP_EXIT_STATUS`].
//!
//! A SIGSEGV in generated code in the guard below a wasm stack is a stack
//! overflow too ([`stack_guard_fault`]). Whatever ends the process, only
//! one thread reports and exits ([`crate::sys::claim_exit`]).
//!
//! Anything else — a signal sent from outside, or a fault that is not a
//! trap (a bug in the runtime or the compiler) — is reported as
//! `wasmlink runtime: fatal signal N (NAME)…` and the process then dies of
//! that very signal (default action), so its parent sees what happened, as
//! for a native program. The handler runs on an alternate signal stack
//! (see [`crate::stack`]) so it works after a stack overflow too, and only
//! uses async-signal-safe calls: no allocation, no locks, `write(2)`,
//! `sigaction`, `raise`, `_exit`.

use crate::platform::lock::Once;
use crate::sys::{fmt_u64, write_stderr, write_stderr_escaped};
use core::ffi::{c_int, c_void};
use wasmlink_abi::{FuncInfo, Trap, TRAP_ORIGIN_SELF};

/// Exit status of a program that trapped (128 + SIGABRT, as for abort()).
pub const TRAP_EXIT_STATUS: c_int = 134;

/// The generated function table the object defines.
#[cfg(not(test))]
pub(crate) fn func_table() -> &'static [FuncInfo] {
    use crate::contract::object::{wasmlink_func_count, wasmlink_func_table};
    // SAFETY: the object defines `wasmlink_func_count` initialised entries
    // at `wasmlink_func_table` (emit's `emit_trap_tables`), in read-only
    // data that lives as long as the process.
    unsafe {
        core::slice::from_raw_parts(
            core::ptr::addr_of!(wasmlink_func_table).cast::<FuncInfo>(),
            wasmlink_func_count as usize,
        )
    }
}

/// Tests have no generated object: they register a table of their own.
#[cfg(test)]
pub(crate) fn func_table() -> &'static [FuncInfo] {
    tests::table()
}

/// Longest function name a trap report prints (the compiler already cuts
/// names to about half of this).
pub const NAME_PRINT_LIMIT: usize = 512;

/// The display name of a generated function.
pub fn func_name(f: &FuncInfo) -> &[u8] {
    if f.name.get().is_null() {
        return b"<unknown function>";
    }
    // SAFETY: every `FuncInfo` the runtime sees comes from the object's
    // table (or a test's leaked one), whose non-null `name` points at
    // `name_len` bytes of read-only data that live as long as the process.
    unsafe { f.name.as_slice(f.name_len) }
}

/// The function containing `pc` and, when `pc` is one of its trap sites,
/// the trap code. When the trapping instruction was inlined from another
/// function, that function is returned instead: it is the one a trap
/// message names. A linear scan: the table need not be sorted, and this
/// only runs once per trap.
pub fn lookup(table: &[FuncInfo], pc: usize) -> Option<(&FuncInfo, Option<u32>)> {
    let f = table.iter().find(|f| {
        let start = f.start.get() as usize;
        pc >= start && pc - start < f.len as usize
    })?;
    let offset = pc - f.start.get() as usize;
    // SAFETY: as for names in `func_name`: a non-null `traps` points at
    // `trap_count` sites of read-only data that never goes away.
    let sites = unsafe { f.traps.as_slice(f.trap_count) };
    let Some(site) = sites.iter().find(|s| s.offset as usize == offset) else {
        return Some((f, None));
    };
    let named = match site.origin {
        TRAP_ORIGIN_SELF => f,
        origin => table.get(origin as usize).unwrap_or(f),
    };
    Some((named, Some(site.code)))
}

/// Install the fault handlers (idempotent).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for sig in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
            // SAFETY: a zeroed `sigaction` is a valid value of that plain C
            // struct; `on_fault` has the three-argument signature
            // SA_SIGINFO promises the kernel, and is async-signal-safe.
            unsafe {
                let mut sa: libc::sigaction = core::mem::zeroed();
                sa.sa_sigaction = on_fault as *const () as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, core::ptr::null_mut());
            }
        }
    });
}

/// What a fault signal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A wasm trap with this code.
    Trap(u32),
    /// Sent by a process (`si_code <= 0`), not raised by a fault.
    Sent,
    /// A real fault, but not a trap: outside any trap site, or a memory
    /// access faulting outside every linear memory.
    NotATrap,
}

/// Classify signal `sig` with `si_code`, raised at a PC whose trap site
/// code is `site` (`None`: not a trap site). `in_memory` tells whether the
/// faulting address lies in a linear memory's reservation; it is only
/// asked for SIGSEGV/SIGBUS (`si_addr` means nothing for the others).
pub fn classify(
    sig: c_int,
    si_code: c_int,
    site: Option<u32>,
    in_memory: impl FnOnce() -> bool,
) -> Fault {
    if si_code <= 0 {
        return Fault::Sent;
    }
    let Some(code) = site else {
        return Fault::NotATrap;
    };
    match sig {
        libc::SIGSEGV | libc::SIGBUS => {
            if code == Trap::MemoryOutOfBounds.code() && in_memory() {
                Fault::Trap(code)
            } else {
                Fault::NotATrap
            }
        }
        _ => Fault::Trap(code),
    }
}

/// A fault [`classify`] found no trap, reconsidered: a SIGSEGV the kernel
/// raised in generated code (`in_code`) at an address in the guard below a
/// wasm stack (`in_guard`, asked only then) is that stack overflowing.
/// Generated code checks its stack against its own instance's limit, so
/// code of an instance that threads share (a library instance, running on
/// a spawned thread's stack, whose vmctx points at the main thread's
/// limit) can only find out there. See [`crate::threads`].
pub fn stack_guard_fault(
    fault: Fault,
    sig: c_int,
    si_code: c_int,
    in_code: bool,
    in_guard: impl FnOnce() -> bool,
) -> Fault {
    if fault == Fault::NotATrap && sig == libc::SIGSEGV && si_code > 0 && in_code && in_guard() {
        Fault::Trap(Trap::StackOverflow.code())
    } else {
        fault
    }
}

/// The name of one of the handled signals.
fn signal_name(sig: c_int) -> &'static [u8] {
    match sig {
        libc::SIGSEGV => b"SIGSEGV",
        libc::SIGBUS => b"SIGBUS",
        libc::SIGILL => b"SIGILL",
        libc::SIGFPE => b"SIGFPE",
        _ => b"signal",
    }
}

/// The SA_SIGINFO handler for the fault signals. Everything it calls is
/// async-signal-safe.
///
/// # Safety
/// Only the kernel calls it, with `info` and `ctx` pointing to the
/// signal's valid `siginfo_t` and `ucontext_t`.
unsafe extern "C" fn on_fault(sig: c_int, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    let uc = ctx.cast::<libc::ucontext_t>();
    // SAFETY: `ctx` is the signal's `ucontext_t` (the contract above).
    let pc = unsafe { (*uc).uc_mcontext.gregs[libc::REG_RIP as usize] } as usize;
    let found = lookup(func_table(), pc);
    // SAFETY: `info` is the signal's `siginfo_t` (the contract above).
    let si_code = unsafe { (*info).si_code };
    let fault = classify(sig, si_code, found.and_then(|(_, c)| c), || {
        // SAFETY: as above; `classify` asks only for SIGSEGV/SIGBUS, whose
        // `si_addr` the kernel fills in.
        crate::reservations::contains(unsafe { (*info).si_addr() } as usize)
    });
    let fault = stack_guard_fault(fault, sig, si_code, found.is_some(), || {
        // SAFETY: as above; asked only for SIGSEGV, whose `si_addr` the
        // kernel fills in.
        crate::threads::in_stack_guard(unsafe { (*info).si_addr() } as usize)
    });
    let mut num = [0u8; 20];
    let head: [&[u8]; 5] = [
        b"wasmlink runtime: fatal signal ",
        fmt_u64(sig as u64, &mut num),
        b" (",
        signal_name(sig),
        b")",
    ];
    match (fault, found) {
        (Fault::Trap(code), Some((f, _))) => {
            // SAFETY: `uc` is the signal's context, and a trap fault was
            // raised by generated code on this thread (si_code > 0 at a
            // trap site): if a landing is active, that code runs inside
            // its protected call.
            if unsafe { crate::landing::redirect_to_landing(uc, code, f) } {
                return; // resumes in wasmlink_call_protected
            }
            let msg = Trap::from_code(code).map_or("unknown trap", Trap::message);
            crate::sys::claim_exit();
            write_stderr(&[b"wasm trap: ", msg.as_bytes(), b" in "]);
            write_stderr_escaped(func_name(f), NAME_PRINT_LIMIT);
            write_stderr(&[b"\n"]);
            // SAFETY: `_exit` ends the process without running any code
            // of this one (no destructors, no atexit), which is what a
            // handler interrupting arbitrary code may do.
            unsafe { libc::_exit(TRAP_EXIT_STATUS) };
        }
        (Fault::Sent, _) => {
            crate::sys::claim_exit();
            write_stderr(&head);
            write_stderr(&[b" sent by a process, not a fault\n"]);
        }
        (_, Some((f, _))) => {
            crate::sys::claim_exit();
            write_stderr(&head);
            write_stderr(&[b" in "]);
            write_stderr_escaped(func_name(f), NAME_PRINT_LIMIT);
            write_stderr(&[b", not a wasm trap\n"]);
        }
        (_, None) => {
            crate::sys::claim_exit();
            write_stderr(&head);
            write_stderr(&[b"\n"]);
        }
    }
    die_of(sig);
}

/// End the process by `sig` itself: default action, unblocked, raised.
/// The signal is blocked while its handler runs, so it is delivered (and
/// kills) as soon as it is unblocked. Should the default action somehow
/// not end the process, exit with the status a shell would show for it.
fn die_of(sig: c_int) -> ! {
    // SAFETY: zeroed `sigaction` and `sigset_t` are valid values of these
    // plain C structs, filled in before use; sigaction, raise,
    // pthread_sigmask and _exit are async-signal-safe, and ending the
    // process by its own signal (or `_exit`) runs no code of it.
    unsafe {
        let mut sa: libc::sigaction = core::mem::zeroed();
        sa.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, core::ptr::null_mut());
        let mut set: libc::sigset_t = core::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::raise(sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, core::ptr::null_mut());
        libc::_exit(128 + sig)
    }
}

/// A memory or table could not be created. Report why; outside a
/// protected call the program cannot go on and exits with status 1, inside
/// one the caller gets 1 back (generated code then traps).
pub fn setup_failure(parts: &[&[u8]]) -> u32 {
    write_stderr(&[b"wasmlink runtime: "]);
    write_stderr(parts);
    write_stderr(&[b"\n"]);
    if !crate::landing::protected() {
        // SAFETY: `_exit` runs no code of this process. Nothing is left
        // to flush: the runtime writes its messages unbuffered.
        unsafe { libc::_exit(1) }
    }
    1
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicPtr, Ordering};
    use wasmlink_abi::TrapSite;

    /// Null, or a leaked (never freed) reference to a leaked table. One
    /// pointer, so the handler never sees a table with another's length.
    static TABLE: AtomicPtr<&'static [FuncInfo]> = AtomicPtr::new(std::ptr::null_mut());

    pub fn table() -> &'static [FuncInfo] {
        let p = TABLE.load(Ordering::Acquire);
        if p.is_null() {
            return &[];
        }
        // SAFETY: a non-null `TABLE` was stored by `set_table` (Release,
        // paired with the Acquire above) from a leaked box: it stays valid
        // and is never written again.
        unsafe { *p }
    }

    /// Make the table of `specs` the one the handler consults (leaked).
    pub fn set_table(specs: Vec<FuncSpec>) {
        let t: &'static [FuncInfo] = Box::leak(table_of(&specs));
        TABLE.store(Box::leak(Box::new(t)), Ordering::Release);
    }

    /// What a test's function table entry describes, with plain pointers.
    pub struct FuncSpec {
        start: usize,
        len: u64,
        name: &'static str,
        traps: &'static [TrapSite],
    }

    pub fn info(
        start: usize,
        len: u64,
        name: &'static str,
        traps: &'static [TrapSite],
    ) -> FuncSpec {
        FuncSpec {
            start,
            len,
            name,
            traps,
        }
    }

    /// The function table of `specs`, filled in place (its pointers are
    /// distances from where each entry lies).
    pub fn table_of(specs: &[FuncSpec]) -> Box<[FuncInfo]> {
        let mut t: Box<[FuncInfo]> = specs.iter().map(|_| FuncInfo::EMPTY).collect();
        for (f, s) in t.iter_mut().zip(specs) {
            f.start.set(s.start as *const u8);
            f.len = s.len;
            f.name.set(s.name.as_ptr());
            f.name_len = s.name.len() as u64;
            f.traps.set(s.traps.as_ptr());
            f.trap_count = s.traps.len() as u64;
        }
        t
    }

    #[test]
    fn lookup_finds_function_and_site() {
        static SITES: [TrapSite; 3] = [
            TrapSite {
                offset: 4,
                code: 6,
                origin: TRAP_ORIGIN_SELF,
            },
            TrapSite {
                offset: 9,
                code: 2,
                origin: TRAP_ORIGIN_SELF,
            },
            // Inlined from m::g (table index 1): the trap names m::g.
            TrapSite {
                offset: 12,
                code: 3,
                origin: 1,
            },
        ];
        let t = table_of(&[
            info(0x1000, 16, "m::f", &SITES),
            info(0x2000, 8, "m::g", &[]),
        ]);
        let (f, code) = lookup(&t, 0x1004).unwrap();
        assert_eq!(func_name(f), b"m::f");
        assert_eq!(code, Some(6));
        assert_eq!(lookup(&t, 0x1009).unwrap().1, Some(2));
        let (named, code) = lookup(&t, 0x100c).unwrap();
        assert_eq!((func_name(named), code), (&b"m::g"[..], Some(3)));
        assert_eq!(lookup(&t, 0x1005).unwrap().1, None);
        assert_eq!(func_name(lookup(&t, 0x2007).unwrap().0), b"m::g");
        assert!(lookup(&t, 0x2008).is_none());
        assert!(lookup(&t, 0x0fff).is_none());
        assert!(lookup(&t, 0x1010).is_none());
    }

    #[test]
    fn only_kernel_faults_at_matching_sites_are_traps() {
        use libc::{SIGBUS, SIGFPE, SIGILL, SIGSEGV};
        const SEGV_MAPERR: c_int = 1;
        const SEGV_ACCERR: c_int = 2;
        const BUS_ADRERR: c_int = 2;
        const ILL_ILLOPN: c_int = 2;
        const FPE_INTDIV: c_int = 1;
        const SI_KERNEL: c_int = 0x80;
        const SI_USER: c_int = 0;
        const SI_QUEUE: c_int = -1;
        const SI_TKILL: c_int = -6;
        let oob = Some(Trap::MemoryOutOfBounds.code());
        let yes = || true;
        let no = || false;

        assert_eq!(classify(SIGSEGV, SEGV_ACCERR, oob, yes), Fault::Trap(2));
        assert_eq!(classify(SIGSEGV, SEGV_MAPERR, oob, yes), Fault::Trap(2));
        assert_eq!(classify(SIGBUS, BUS_ADRERR, oob, yes), Fault::Trap(2));
        assert_eq!(
            classify(SIGILL, ILL_ILLOPN, Some(Trap::Unreachable.code()), no),
            Fault::Trap(6)
        );
        assert_eq!(
            classify(
                SIGFPE,
                FPE_INTDIV,
                Some(Trap::IntegerDivideByZero.code()),
                no
            ),
            Fault::Trap(3)
        );
        // Sent signals are never traps, even at a trap site in a memory.
        for code in [SI_USER, SI_QUEUE, SI_TKILL] {
            for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE] {
                assert_eq!(classify(sig, code, oob, yes), Fault::Sent);
                assert_eq!(
                    classify(sig, code, Some(Trap::Unreachable.code()), yes),
                    Fault::Sent
                );
            }
        }
        // A memory fault outside every memory, or at a site that is not a
        // memory access, is not a trap.
        assert_eq!(classify(SIGSEGV, SEGV_MAPERR, oob, no), Fault::NotATrap);
        assert_eq!(classify(SIGSEGV, SI_KERNEL, oob, no), Fault::NotATrap);
        assert_eq!(
            classify(SIGSEGV, SEGV_MAPERR, Some(Trap::Unreachable.code()), yes),
            Fault::NotATrap
        );
        assert_eq!(classify(SIGSEGV, SEGV_MAPERR, None, yes), Fault::NotATrap);
        assert_eq!(classify(SIGILL, ILL_ILLOPN, None, yes), Fault::NotATrap);
    }

    #[test]
    fn faults_in_a_stack_guard_are_stack_overflows() {
        use libc::{SIGILL, SIGSEGV};
        const SEGV_ACCERR: c_int = 2;
        const SI_TKILL: c_int = -6;
        let overflow = Fault::Trap(Trap::StackOverflow.code());
        let guard = || true;
        let elsewhere = || false;
        assert_eq!(
            stack_guard_fault(Fault::NotATrap, SIGSEGV, SEGV_ACCERR, true, guard),
            overflow
        );
        // Not in generated code, not in a guard, sent, another signal, or
        // already a trap: unchanged.
        for (fault, sig, code, in_code) in [
            (Fault::NotATrap, SIGSEGV, SEGV_ACCERR, false),
            (Fault::Sent, SIGSEGV, SI_TKILL, true),
            (Fault::NotATrap, SIGILL, 2, true),
            (Fault::Trap(2), SIGSEGV, SEGV_ACCERR, true),
        ] {
            assert_eq!(stack_guard_fault(fault, sig, code, in_code, guard), fault);
        }
        assert_eq!(
            stack_guard_fault(Fault::NotATrap, SIGSEGV, SEGV_ACCERR, true, elsewhere),
            Fault::NotATrap
        );
    }

    // A loop made only of trap sites: a load through rdi and the jump back.
    std::arch::global_asm!(
        ".text",
        ".globl __wl_test_spin",
        ".hidden __wl_test_spin",
        "__wl_test_spin:",
        "2:",
        "mov rax, qword ptr [rdi]",
        ".globl __wl_test_spin_jump",
        ".hidden __wl_test_spin_jump",
        "__wl_test_spin_jump:",
        "jmp 2b",
        ".globl __wl_test_spin_end",
        ".hidden __wl_test_spin_end",
        "__wl_test_spin_end:",
        "nop",
    );
    extern "C" {
        fn __wl_test_spin(addr: *const u8) -> !;
        fn __wl_test_spin_jump();
        fn __wl_test_spin_end();
    }

    /// Fork; in the child, spin in `__wl_test_spin` on a thread (reading
    /// the first byte of a real memory, so every instruction is a memory
    /// trap site inside a memory; or, without `in_memory`, address 0 which
    /// faults at once) while `act(tid)` runs on the main thread. Returns
    /// the child's wait status and what it wrote to stderr.
    fn spin_in_child(in_memory: bool, act: fn(libc::pid_t)) -> (c_int, String) {
        use std::sync::atomic::AtomicI32;
        let mut pipe = [0; 2];
        // SAFETY: pipe/fork/read/waitpid get valid buffers and the fds
        // they made. The child of this multithreaded test process only
        // allocates (glibc's fork handlers leave malloc usable in it),
        // installs the handler, starts the spinning thread, signals and
        // `_exit`s. The spin stub reads the first byte of a live memory
        // (or faults on address 0 at a registered trap site).
        unsafe {
            assert_eq!(libc::pipe(pipe.as_mut_ptr()), 0);
            let pid = libc::fork();
            assert!(pid >= 0);
            if pid == 0 {
                // Dying of SIGSEGV is the point: no core files.
                let no_core = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::setrlimit(libc::RLIMIT_CORE, &no_core);
                libc::dup2(pipe[1], 2);
                let start = __wl_test_spin as *const () as usize;
                let jump = (__wl_test_spin_jump as *const () as usize - start) as u32;
                let len = (__wl_test_spin_end as *const () as usize - start) as u64;
                let sites: &'static [TrapSite] = Box::leak(Box::new([
                    TrapSite {
                        offset: 0,
                        code: Trap::MemoryOutOfBounds.code(),
                        origin: TRAP_ORIGIN_SELF,
                    },
                    TrapSite {
                        offset: jump,
                        code: Trap::MemoryOutOfBounds.code(),
                        origin: TRAP_ORIGIN_SELF,
                    },
                ]));
                set_table(vec![info(start, len, "test::spin", sites)]);
                install();
                let mut mem = wasmlink_abi::VMMemory {
                    base: std::ptr::null_mut(),
                    length: 0,
                    max_pages: 0,
                    flags: 0,
                };
                assert_eq!(crate::memory::wasmlink_memory_new(&mut mem, 1, 1, 0), 0);
                let addr = if in_memory { mem.base as usize } else { 0 };
                static TID: AtomicI32 = AtomicI32::new(0);
                std::thread::spawn(move || {
                    crate::stack::ensure_altstack();
                    TID.store(libc::gettid(), Ordering::Release);
                    __wl_test_spin(addr as *const u8)
                });
                while TID.load(Ordering::Acquire) == 0 {
                    std::hint::spin_loop();
                }
                libc::usleep(20_000);
                act(TID.load(Ordering::Acquire));
                libc::usleep(2_000_000);
                libc::_exit(0); // the signal did not end the process
            }
            libc::close(pipe[1]);
            let mut out = Vec::new();
            let mut buf = [0u8; 256];
            loop {
                let n = libc::read(pipe[0], buf.as_mut_ptr().cast(), buf.len());
                if n <= 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n as usize]);
            }
            libc::close(pipe[0]);
            let mut status = 0;
            assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
            (status, String::from_utf8_lossy(&out).into_owned())
        }
    }

    #[test]
    fn signals_sent_at_trap_sites_kill_with_that_signal() {
        fn tgkill_segv(tid: libc::pid_t) {
            // SAFETY: `tid` is the spinning thread of this process (set by
            // `spin_in_child`); a signal has no memory-safety effect here
            // beyond running the installed handler.
            unsafe { libc::syscall(libc::SYS_tgkill, libc::getpid(), tid, libc::SIGSEGV) };
        }
        fn kill_bus(_tid: libc::pid_t) {
            // SAFETY: signals this process, whose handler is installed; no
            // pointers are involved.
            unsafe { libc::kill(libc::getpid(), libc::SIGBUS) };
        }
        for _ in 0..5 {
            let (status, err) = spin_in_child(true, tgkill_segv);
            assert!(
                libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGSEGV,
                "status {status:#x}, stderr {err:?}"
            );
            assert_eq!(
                err,
                "wasmlink runtime: fatal signal 11 (SIGSEGV) sent by a process, not a fault\n"
            );
        }
        let (status, err) = spin_in_child(true, kill_bus);
        assert!(
            libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGBUS,
            "{status:#x}"
        );
        assert_eq!(
            err,
            "wasmlink runtime: fatal signal 7 (SIGBUS) sent by a process, not a fault\n"
        );
    }

    #[test]
    fn faults_outside_memories_are_not_traps() {
        let (status, err) = spin_in_child(false, |_| {});
        assert!(
            libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGSEGV,
            "status {status:#x}, stderr {err:?}"
        );
        assert_eq!(
            err,
            "wasmlink runtime: fatal signal 11 (SIGSEGV) in test::spin, not a wasm trap\n"
        );
    }
}
