//! Traps: turning hardware faults in generated code into wasm traps.
//!
//! Generated code traps by faulting: `ud2` for explicit traps (SIGILL),
//! loads/stores into the guard region of a 32-bit memory (SIGSEGV/SIGBUS),
//! `div`/`idiv` (SIGFPE). The handler looks the faulting PC up in the
//! object's function table (`wasmlink_func_table`, one [`FuncInfo`] per
//! generated function with its trap sites) and then either
//!
//! * inside [`crate::landing::wasmlink_call_protected`]: records the trap
//!   and resumes at the landing (the harness prints and carries on), or
//! * otherwise: prints `wasm trap: <message> in <function>` and exits with
//!   status [`TRAP_EXIT_STATUS`].
//!
//! A fault anywhere else is a bug (in the runtime or the compiler): it is
//! reported as `wasmlink runtime: fatal signal N` with the same status
//! rather than left to crash. The handler runs on an alternate signal
//! stack (see [`crate::stack`]) so it works after a stack overflow too, and
//! only uses async-signal-safe calls: no allocation, `write(2)`, `_exit`.

use crate::abi::{trap_message, FuncInfo};
use crate::sys::{fmt_u64, write_stderr};
use std::os::raw::{c_int, c_void};
use std::sync::Once;

/// Exit status of a program that trapped (128 + SIGABRT, as for abort()).
pub const TRAP_EXIT_STATUS: c_int = 134;

/// The generated function table the object defines.
#[cfg(not(test))]
fn func_table() -> &'static [FuncInfo] {
    extern "C" {
        static wasmlink_func_table: [FuncInfo; 0];
        static wasmlink_func_count: u64;
    }
    // SAFETY: the object defines `wasmlink_func_count` entries, immutable
    // for the life of the process.
    unsafe {
        std::slice::from_raw_parts(
            std::ptr::addr_of!(wasmlink_func_table).cast::<FuncInfo>(),
            wasmlink_func_count as usize,
        )
    }
}

/// Tests have no generated object: they register a table of their own.
#[cfg(test)]
fn func_table() -> &'static [FuncInfo] {
    tests::table()
}

/// The display name of a generated function.
pub fn func_name(f: &FuncInfo) -> &[u8] {
    if f.name.is_null() {
        return b"<unknown function>";
    }
    // SAFETY: the object stores `name_len` bytes at `name`.
    unsafe { std::slice::from_raw_parts(f.name, f.name_len as usize) }
}

/// The function containing `pc` and, when `pc` is one of its trap sites,
/// the trap code. A linear scan: the table need not be sorted, and this
/// only runs once per trap.
pub fn lookup(table: &[FuncInfo], pc: usize) -> Option<(&FuncInfo, Option<u32>)> {
    let f = table.iter().find(|f| {
        let start = f.start as usize;
        pc >= start && pc - start < f.len as usize
    })?;
    let offset = pc - f.start as usize;
    let sites = if f.traps.is_null() {
        &[][..]
    } else {
        // SAFETY: the object stores `trap_count` sites at `traps`.
        unsafe { std::slice::from_raw_parts(f.traps, f.trap_count as usize) }
    };
    let code = sites
        .iter()
        .find(|s| s.offset as usize == offset)
        .map(|s| s.code);
    Some((f, code))
}

/// Install the fault handlers (idempotent).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for sig in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
            // SAFETY: a zeroed sigaction is valid; the handler has the
            // SA_SIGINFO signature.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_fault as *const () as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
    });
}

unsafe extern "C" fn on_fault(sig: c_int, _info: *mut libc::siginfo_t, ctx: *mut c_void) {
    let uc = ctx.cast::<libc::ucontext_t>();
    let pc = (*uc).uc_mcontext.gregs[libc::REG_RIP as usize] as usize;
    let mut num = [0u8; 20];
    match lookup(func_table(), pc) {
        Some((f, Some(code))) => {
            if crate::landing::redirect_to_landing(uc, code, f) {
                return; // resumes in wasmlink_call_protected
            }
            let msg = trap_message(code).unwrap_or("unknown trap");
            write_stderr(&[b"wasm trap: ", msg.as_bytes(), b" in ", func_name(f), b"\n"]);
        }
        Some((f, None)) => write_stderr(&[
            b"wasmlink runtime: fatal signal ",
            fmt_u64(sig as u64, &mut num),
            b" in ",
            func_name(f),
            b" (not a trap site)\n",
        ]),
        None => write_stderr(&[
            b"wasmlink runtime: fatal signal ",
            fmt_u64(sig as u64, &mut num),
            b"\n",
        ]),
    }
    libc::_exit(TRAP_EXIT_STATUS);
}

/// A memory or table could not be created. Report why; outside a
/// protected call the program cannot go on and exits with status 1, inside
/// one the caller gets 1 back (generated code then traps).
pub fn setup_failure(parts: &[&[u8]]) -> u32 {
    write_stderr(&[b"wasmlink runtime: "]);
    write_stderr(parts);
    write_stderr(&[b"\n"]);
    if !crate::landing::protected() {
        // SAFETY: always safe.
        unsafe { libc::_exit(1) }
    }
    1
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::abi::TrapSite;
    use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

    static TABLE: AtomicPtr<FuncInfo> = AtomicPtr::new(std::ptr::null_mut());
    static LEN: AtomicUsize = AtomicUsize::new(0);

    pub fn table() -> &'static [FuncInfo] {
        let p = TABLE.load(Ordering::Acquire);
        if p.is_null() {
            return &[];
        }
        // SAFETY: set once from a leaked boxed slice.
        unsafe { std::slice::from_raw_parts(p, LEN.load(Ordering::Acquire)) }
    }

    /// Make `t` the table the handler consults (leaked; set once).
    pub fn set_table(t: Vec<FuncInfo>) {
        let t = Box::leak(t.into_boxed_slice());
        LEN.store(t.len(), Ordering::Release);
        TABLE.store(t.as_mut_ptr(), Ordering::Release);
    }

    pub fn info(
        start: usize,
        len: u64,
        name: &'static str,
        traps: &'static [TrapSite],
    ) -> FuncInfo {
        FuncInfo {
            start: start as *const u8,
            len,
            name: name.as_ptr(),
            name_len: name.len() as u64,
            traps: traps.as_ptr(),
            trap_count: traps.len() as u64,
        }
    }

    #[test]
    fn lookup_finds_function_and_site() {
        static SITES: [TrapSite; 2] = [
            TrapSite { offset: 4, code: 6 },
            TrapSite { offset: 9, code: 2 },
        ];
        let t = [
            info(0x1000, 16, "m::f", &SITES),
            info(0x2000, 8, "m::g", &[]),
        ];
        let (f, code) = lookup(&t, 0x1004).unwrap();
        assert_eq!(func_name(f), b"m::f");
        assert_eq!(code, Some(6));
        assert_eq!(lookup(&t, 0x1009).unwrap().1, Some(2));
        assert_eq!(lookup(&t, 0x1005).unwrap().1, None);
        assert_eq!(func_name(lookup(&t, 0x2007).unwrap().0), b"m::g");
        assert!(lookup(&t, 0x2008).is_none());
        assert!(lookup(&t, 0x0fff).is_none());
        assert!(lookup(&t, 0x1010).is_none());
    }
}
