//! The panic handler. A panic in the runtime is a bug in it: the process
//! ends with one line, `wasmlink runtime: internal error: MESSAGE at
//! FILE:LINE:COLUMN`, and `abort()` (SIGABRT, status 134 in a shell), as a
//! panic did under `panic = "abort"` with `std`, minus std's hook and its
//! backtrace. Nothing unwinds (the runtime is built with `panic = "abort"`;
//! the unit tests, which use `std`, keep std's handler).
//!
//! It also defines `rust_eh_personality`, which `std` would: the
//! precompiled `core` and `alloc` are built for unwinding, and their
//! unwind tables name Rust's personality routine even in a
//! `panic = "abort"` program, so the link needs the symbol
//! (rust-lang/rust#106864; stable Rust has no other way out). It is never
//! called: no Rust panic unwinds, the runtime raises no foreign exception
//! (wasm exceptions have their own unwinder, `crate::exceptions`) and
//! never calls `pthread_exit` or `pthread_cancel`, whose forced unwinding
//! would. Should that change, it aborts rather than run Rust cleanups
//! with a personality that cannot find them.

use crate::sys;
use core::fmt::{self, Write};
use core::sync::atomic::{AtomicBool, Ordering};

/// A fixed buffer the message is formatted into, without allocating (the
/// panic may come from the allocator, or a signal handler); what does not
/// fit is dropped.
struct Line {
    buf: [u8; 512],
    used: usize,
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(self.buf.len() - self.used);
        self.buf[self.used..self.used + n].copy_from_slice(&s.as_bytes()[..n]);
        self.used += n;
        Ok(())
    }
}

#[panic_handler]
fn on_panic(info: &core::panic::PanicInfo<'_>) -> ! {
    // One thread reports, as for every way the process ends: a panic on
    // another thread meanwhile waits in `claim_exit` for the abort.
    sys::claim_exit();
    // A panic while formatting this one (a `Display` that panics) aborts
    // at once instead of recursing.
    static REPORTING: AtomicBool = AtomicBool::new(false);
    if !REPORTING.swap(true, Ordering::SeqCst) {
        let mut line = Line {
            buf: [0; 512],
            used: 0,
        };
        let _ = write!(line, "{}", info.message());
        if let Some(at) = info.location() {
            let _ = write!(line, " at {}:{}:{}", at.file(), at.line(), at.column());
        }
        sys::write_stderr(&[
            b"wasmlink runtime: internal error: ",
            &line.buf[..line.used],
            b"\n",
        ]);
    }
    // SAFETY: abort may be called at any time; it ends the process.
    unsafe { libc::abort() }
}

/// The personality routine the unwind tables of `core` and `alloc` name
/// (see the module documentation): never called; aborts if it ever is.
#[no_mangle]
extern "C" fn rust_eh_personality() -> ! {
    unexpected_unwinding()
}

/// Where the cleanup landing pads of `core` and `alloc` resume unwinding:
/// like the personality routine, reached only while unwinding, which
/// never happens. It is the one symbol of libgcc's unwinder the runtime
/// names; defined here, no unwinder is linked at all (hello world: 246 →
/// 217 KB), and nothing asks the C library for `_dl_find_object`, which
/// that unwinder calls and musl does not have.
#[no_mangle]
extern "C" fn _Unwind_Resume() -> ! {
    unexpected_unwinding()
}

fn unexpected_unwinding() -> ! {
    sys::write_stderr(&[b"wasmlink runtime: internal error: unexpected unwinding\n"]);
    // SAFETY: abort may be called at any time; it ends the process.
    unsafe { libc::abort() }
}
