//! Small host helpers shared by the rest of the runtime: errno access,
//! allocation-free writing to stderr (usable from signal handlers), the
//! standard descriptors at start-up, and ending the process with a message
//! (once, whichever thread ends it: [`claim_exit`]).

use alloc::string::String;
use core::ffi::c_int;
use core::sync::atomic::{AtomicI32, Ordering};

/// The calling thread's `errno`.
pub fn errno() -> c_int {
    // SAFETY: `__errno_location` always returns the thread's errno slot.
    unsafe { *libc::__errno_location() }
}

/// Turn a `-1`-style libc result into `Err(errno)`.
pub fn cvt<T: Copy + PartialEq + From<i8>>(ret: T) -> Result<T, c_int> {
    if ret == T::from(-1) {
        Err(errno())
    } else {
        Ok(ret)
    }
}

/// Like [`cvt`], retrying while the call is interrupted by a signal.
pub fn cvt_retry<T: Copy + PartialEq + From<i8>>(mut f: impl FnMut() -> T) -> Result<T, c_int> {
    loop {
        match cvt(f()) {
            Err(libc::EINTR) => continue,
            other => return other,
        }
    }
}

/// Write every part to stderr with `write(2)` only: no allocation, no
/// locks, so it is async-signal-safe. The parts are gathered in a stack
/// buffer first, so a message of up to 1 KiB is a single write and cannot
/// be interleaved with other output. Errors are ignored (there is nowhere
/// left to report them).
pub fn write_stderr(parts: &[&[u8]]) {
    let mut buf = [0u8; 1024];
    let mut used = 0;
    for part in parts {
        if used + part.len() > buf.len() {
            write_all_stderr(&buf[..used]);
            used = 0;
        }
        if part.len() > buf.len() {
            write_all_stderr(part);
        } else {
            buf[used..used + part.len()].copy_from_slice(part);
            used += part.len();
        }
    }
    write_all_stderr(&buf[..used]);
}

/// `write(2)` all of `bytes` to fd 2, retrying after interruptions.
fn write_all_stderr(mut rest: &[u8]) {
    while !rest.is_empty() {
        // SAFETY: write reads `rest.len()` bytes at `rest`, a live slice.
        let n = unsafe { libc::write(2, rest.as_ptr().cast(), rest.len()) };
        if n < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return;
        }
        if n == 0 {
            return;
        }
        rest = &rest[n as usize..];
    }
}

/// Write `text` to stderr with control characters escaped and at most
/// `limit` bytes of it (see [`escape_name`]). Allocation-free, for names in
/// trap reports: the compiler already escapes and shortens them, this
/// guards against a name that did not come from it.
pub fn write_stderr_escaped(text: &[u8], limit: usize) {
    let mut buf = [0u8; 256];
    let mut used = 0;
    escape_name(text, limit, &mut |piece| {
        if used + piece.len() > buf.len() {
            write_stderr(&[&buf[..used]]);
            used = 0;
        }
        if piece.len() > buf.len() {
            write_stderr(&[piece]);
        } else {
            buf[used..used + piece.len()].copy_from_slice(piece);
            used += piece.len();
        }
    });
    write_stderr(&[&buf[..used]]);
}

/// Pass `text` to `out` piece by piece with control characters escaped
/// (`\0`, `\t`, `\n`, `\r`, `\xHH`; UTF-8 C1 controls as `\u{HH}`), as
/// the compiler shows names; past `limit` bytes (backed off to a character
/// boundary) the rest is replaced by `…`. No allocation.
pub fn escape_name(text: &[u8], limit: usize, out: &mut dyn FnMut(&[u8])) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut end = text.len().min(limit);
    while end > 0 && end < text.len() && text[end] & 0xc0 == 0x80 {
        end -= 1;
    }
    let mut start = 0; // first byte not yet passed on
    let mut i = 0;
    while i < end {
        let b = text[i];
        let c1 = b == 0xc2 && i + 1 < end && matches!(text[i + 1], 0x80..=0x9f);
        if !(b < 0x20 || b == 0x7f || c1) {
            i += 1;
            continue;
        }
        out(&text[start..i]);
        match b {
            0 => out(b"\\0"),
            b'\t' => out(b"\\t"),
            b'\n' => out(b"\\n"),
            b'\r' => out(b"\\r"),
            0xc2 => {
                let c = text[i + 1];
                out(&[
                    b'\\',
                    b'u',
                    b'{',
                    HEX[usize::from(c >> 4)],
                    HEX[usize::from(c & 15)],
                    b'}',
                ]);
                i += 1;
            }
            _ => out(&[
                b'\\',
                b'x',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]),
        }
        i += 1;
        start = i;
    }
    out(&text[start..end]);
    if end < text.len() {
        out("…".as_bytes());
    }
}

/// Format `n` in decimal into `buf` without allocating.
pub fn fmt_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// Become the thread that ends the process, or never return.
///
/// With wasi-threads several threads may end the process at once (a trap
/// in one, `proc_exit` in another, the entry returning): the first to get
/// here reports and exits; any other thread waits here for that exit, so
/// the process ends with one message and one status. The thread that won
/// may come back (a fault while it reports). Async-signal-safe: an atomic
/// swap, `gettid`, `pause`.
pub fn claim_exit() {
    static ENDING: AtomicI32 = AtomicI32::new(0);
    // SAFETY: gettid takes no arguments and cannot fail.
    let me = unsafe { libc::gettid() };
    let winner = match ENDING.compare_exchange(0, me, Ordering::SeqCst, Ordering::SeqCst) {
        Ok(_) => me,
        Err(w) => w,
    };
    if winner == me {
        return;
    }
    loop {
        // SAFETY: pause only suspends the thread until a signal arrives;
        // the winner's `_exit` ends it.
        unsafe { libc::pause() };
    }
}

/// End the process now with `status`, once ([`claim_exit`]); nothing is
/// left to flush (the runtime never buffers output).
pub fn exit_now(status: c_int) -> ! {
    claim_exit();
    crate::gc::report_if_asked();
    // SAFETY: `_exit` runs no code of this process.
    unsafe { libc::_exit(status) }
}

/// Report a runtime error that the program cannot continue after and exit
/// with status 1 (the status a native program uses for setup failures).
#[cfg_attr(test, allow(dead_code))] // only `main` uses it
pub fn fatal(parts: &[&[u8]]) -> ! {
    exit_with_message(1, parts)
}

/// Write `wasmlink runtime: PARTS` as one line on stderr and exit with
/// `status`.
pub fn exit_with_message(status: c_int, parts: &[&[u8]]) -> ! {
    claim_exit();
    // One write when it fits (see `write_stderr`): prefix, parts, newline.
    let mut line: [&[u8]; 8] = [b""; 8];
    line[0] = b"wasmlink runtime: ";
    if parts.len() <= line.len() - 2 {
        line[1..=parts.len()].copy_from_slice(parts);
        line[parts.len() + 1] = b"\n";
        write_stderr(&line[..parts.len() + 2]);
    } else {
        write_stderr(&line[..1]);
        write_stderr(parts);
        write_stderr(&[b"\n"]);
    }
    // SAFETY: `_exit` is always safe to call; nothing is left to flush
    // because the runtime never buffers output.
    unsafe { libc::_exit(status) }
}

/// Make sure descriptors 0, 1 and 2 are open, opening `/dev/null` (read
/// and write) on each closed one. Must run before anything else opens a
/// file: open(2) returns the lowest free number, so with stdin closed the
/// first preopened directory would become the program's stdin, and with
/// stderr closed a file the program opens could receive trap reports.
/// (Rust's own start-up does the same, but the runtime's `main` is the C
/// entry point and bypasses it.) Fails only when `/dev/null` cannot be
/// opened; the error names the descriptor.
pub fn reopen_closed_stdio() -> Result<(), String> {
    for fd in 0..3 {
        // SAFETY: F_GETFD takes no pointers and only queries: on a number
        // that is not open it fails with EBADF.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1 || errno() != libc::EBADF {
            continue;
        }
        // SAFETY: a constant C string; the lower descriptors are open, so
        // the lowest free number is `fd` itself.
        let opened = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        if opened != fd {
            let why = strerror(errno());
            if opened >= 0 {
                // SAFETY: `opened` was just returned by `open` and is owned
                // by nothing else.
                unsafe { libc::close(opened) };
            }
            return Err(format!(
                "descriptor {fd} is closed and cannot be reopened on /dev/null: {why}"
            ));
        }
    }
    Ok(())
}

/// The host's description of an errno value (for fatal messages).
pub fn strerror(e: c_int) -> String {
    crate::platform::io::error_message(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In a child process: close `fds`, reopen, and report through the exit
    /// status (a bitmask of descriptors that are not /dev/null afterwards,
    /// 64 on failure).
    fn reopen_in_child(fds: &[c_int]) -> c_int {
        // SAFETY: the child closes its own copies of the descriptors (the
        // parent's are untouched), fills zeroed plain C `stat` structs and
        // `_exit`s; the parent only waits for it.
        unsafe {
            let pid = libc::fork();
            assert!(pid >= 0);
            if pid == 0 {
                for &fd in fds {
                    libc::close(fd);
                }
                if reopen_closed_stdio().is_err() {
                    libc::_exit(64);
                }
                let mut null: libc::stat = std::mem::zeroed();
                libc::stat(c"/dev/null".as_ptr(), &mut null);
                let mut bad = 0;
                for fd in 0..3 {
                    let mut st: libc::stat = std::mem::zeroed();
                    let ok = libc::fstat(fd, &mut st) == 0
                        && st.st_rdev == null.st_rdev
                        && libc::fcntl(fd, libc::F_GETFL) & libc::O_ACCMODE == libc::O_RDWR;
                    if !ok && fds.contains(&fd) {
                        bad |= 1 << fd;
                    }
                }
                // The next descriptor opened is past the standard ones.
                let next = libc::open(c"/".as_ptr(), libc::O_RDONLY);
                if next < 3 {
                    bad |= 8;
                }
                libc::_exit(bad);
            }
            let mut status = 0;
            assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
            assert!(libc::WIFEXITED(status));
            libc::WEXITSTATUS(status)
        }
    }

    #[test]
    fn closed_standard_descriptors_are_reopened() {
        assert_eq!(reopen_in_child(&[0]), 0);
        assert_eq!(reopen_in_child(&[1, 2]), 0);
        assert_eq!(reopen_in_child(&[0, 1, 2]), 0);
        assert_eq!(reopen_in_child(&[2]), 0);
        assert_eq!(reopen_in_child(&[]), 0);
    }

    fn escaped(text: &[u8], limit: usize) -> String {
        let mut out = Vec::new();
        escape_name(text, limit, &mut |p| out.extend_from_slice(p));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn names_are_escaped_and_cut() {
        assert_eq!(escaped(b"m::f", 512), "m::f");
        assert_eq!(escaped(b"m::\x1b[2K\r!", 512), "m::\\x1b[2K\\r!");
        assert_eq!(escaped(b"\0\t\n\x7f", 512), "\\0\\t\\n\\x7f");
        assert_eq!(escaped("a\u{9b}b\u{e9}".as_bytes(), 512), "a\\u{9b}b\u{e9}");
        assert_eq!(escaped(&[b'a'; 600], 512), format!("{}…", "a".repeat(512)));
        // Never half a character.
        assert_eq!(escaped("aé".as_bytes(), 2), "a…");
        assert_eq!(escaped("aé".as_bytes(), 3), "aé");
        // Already-escaped names (what the compiler emits) pass unchanged.
        assert_eq!(escaped(b"m::a\\x1bb", 512), "m::a\\x1bb");
    }

    #[test]
    fn decimal_formatting() {
        let mut b = [0; 20];
        assert_eq!(fmt_u64(0, &mut b), b"0");
        assert_eq!(fmt_u64(11, &mut b), b"11");
        assert_eq!(fmt_u64(u64::MAX, &mut b), b"18446744073709551615");
    }
}
