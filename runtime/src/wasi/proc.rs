//! `proc_exit`, `proc_raise` and `sched_yield`.

use super::errno::{Errno, WasiResult};
use super::guest::GuestMem;
use super::WasiCtx;
use crate::sys::{exit_with_message, fmt_u64};

/// The exit status for `proc_exit(code)`: the code itself when the host
/// can report it (0..=255), else `None`. The host keeps only the low 8
/// bits of a status, so passing 256 on would turn it into 0 — success.
pub fn exit_status(code: u32) -> Option<i32> {
    u8::try_from(code).ok().map(i32::from)
}

/// `proc_exit(code)`: end the process with `code` as its exit status.
/// A code above 255 cannot be represented and must not become a success
/// (nor any other status it would wrap to): it is reported on stderr and
/// the process exits with 1. Nothing is buffered by the runtime, so
/// nothing needs flushing.
pub fn proc_exit(code: u32) -> ! {
    match exit_status(code) {
        // Once, whichever thread calls it (wasi-threads: `proc_exit` ends
        // every thread).
        Some(status) => crate::sys::exit_now(status),
        None => {
            // C programs pass an `int`: show negative codes as such.
            let signed = code as i32;
            let mut num = [0u8; 20];
            let digits = fmt_u64(u64::from(signed.unsigned_abs()), &mut num);
            let sign: &[u8] = if signed < 0 { b"-" } else { b"" };
            exit_with_message(
                1,
                &[
                    b"exit code ",
                    sign,
                    digits,
                    b" cannot be represented; exiting with 1",
                ],
            )
        }
    }
}

impl WasiCtx {
    /// Raising signals is not supported (wasmtime does the same).
    pub fn proc_raise(&mut self, _mem: &GuestMem, _sig: u32) -> WasiResult<()> {
        Err(Errno::NOSYS)
    }

    pub fn sched_yield(&mut self, _mem: &GuestMem) -> WasiResult<()> {
        // SAFETY: no arguments, no memory touched: it only gives up the
        // processor.
        unsafe { libc::sched_yield() };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn representable_codes_only() {
        assert_eq!(exit_status(0), Some(0));
        assert_eq!(exit_status(7), Some(7));
        assert_eq!(exit_status(255), Some(255));
        for code in [256, 512, 65539, u32::MAX, 1 << 31] {
            assert_eq!(exit_status(code), None, "{code}");
        }
    }

    /// What `proc_exit(code)` does to a process: its status and stderr.
    fn exit_in_child(code: u32) -> (i32, String) {
        let mut pipe = [0; 2];
        // SAFETY: pipe/read/waitpid get valid buffers and their own fds.
        // After fork in this multithreaded test process the child only
        // makes async-signal-safe calls (dup2, write, _exit): proc_exit
        // writes its message unbuffered without allocating.
        unsafe {
            assert_eq!(libc::pipe(pipe.as_mut_ptr()), 0);
            let pid = libc::fork();
            assert!(pid >= 0);
            if pid == 0 {
                libc::dup2(pipe[1], 2);
                proc_exit(code);
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
            assert!(libc::WIFEXITED(status));
            let text = String::from_utf8_lossy(&out).into_owned();
            (libc::WEXITSTATUS(status), text)
        }
    }

    #[test]
    fn unrepresentable_codes_never_succeed() {
        assert_eq!(exit_in_child(3), (3, String::new()));
        assert_eq!(exit_in_child(255), (255, String::new()));
        assert_eq!(
            exit_in_child(256),
            (
                1,
                "wasmlink runtime: exit code 256 cannot be represented; exiting with 1\n".into()
            )
        );
        assert_eq!(
            exit_in_child(u32::MAX),
            (
                1,
                "wasmlink runtime: exit code -1 cannot be represented; exiting with 1\n".into()
            )
        );
        assert_eq!(exit_in_child(65536 + 3).0, 1);
    }
}
