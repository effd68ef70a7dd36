//! Small host helpers shared by the rest of the runtime: errno access and
//! allocation-free writing to stderr (usable from signal handlers).

use std::os::raw::c_int;

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
/// locks, so it is async-signal-safe. Errors are ignored (there is nowhere
/// left to report them).
pub fn write_stderr(parts: &[&[u8]]) {
    for part in parts {
        let mut rest = *part;
        while !rest.is_empty() {
            // SAFETY: `rest` is a valid byte slice.
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

/// Report a runtime error that the program cannot continue after and exit
/// with status 1 (the status a native program uses for setup failures).
#[cfg_attr(test, allow(dead_code))] // only `main` uses it
pub fn fatal(parts: &[&[u8]]) -> ! {
    write_stderr(&[b"wasmlink runtime: "]);
    write_stderr(parts);
    write_stderr(&[b"\n"]);
    // SAFETY: `_exit` is always safe to call; nothing is left to flush
    // because the runtime never buffers output.
    unsafe { libc::_exit(1) }
}

/// The host's description of an errno value (for fatal messages).
pub fn strerror(e: c_int) -> String {
    std::io::Error::from_raw_os_error(e).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_formatting() {
        let mut b = [0; 20];
        assert_eq!(fmt_u64(0, &mut b), b"0");
        assert_eq!(fmt_u64(11, &mut b), b"11");
        assert_eq!(fmt_u64(u64::MAX, &mut b), b"18446744073709551615");
    }
}
