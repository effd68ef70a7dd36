//! The runtime's own input and output, in place of `std::io` and
//! `std::fs`: the entry's results and the harness's replies on stdout,
//! the harness's commands from stdin, the snapshot file, and errno
//! descriptions worded as `std::io::Error` words them (messages keep
//! their text).
//!
//! Nothing is buffered across calls: each write is complete when it
//! returns, so there is nothing to flush at exit.

use crate::sys;
use alloc::ffi::CString;
use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::{c_int, CStr};

/// `write(2)` all of `bytes` to `fd`, retrying after interruptions and
/// partial writes.
pub fn write_all(fd: c_int, mut bytes: &[u8]) -> Result<(), c_int> {
    while !bytes.is_empty() {
        // SAFETY: write reads `bytes.len()` bytes at `bytes`, a live slice.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n < 0 {
            match sys::errno() {
                libc::EINTR => continue,
                e => return Err(e),
            }
        }
        if n == 0 {
            return Err(libc::EIO); // std's "failed to write whole buffer"
        }
        bytes = &bytes[n as usize..];
    }
    Ok(())
}

/// Write `bytes` to stdout. As with `std::io::stdout`, a closed stdout
/// (EBADF) swallows the output without an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), c_int> {
    match write_all(1, bytes) {
        Err(libc::EBADF) => Ok(()),
        r => r,
    }
}

/// Lines read from a descriptor (stdin), as `std::io::stdin().lines()`
/// yields them: without their `\n` (or `\r\n`), the last one even without
/// a newline; they end at end of file, at a read error, or at a line that
/// is not UTF-8 (which `lines()` reports as an error).
pub struct Lines {
    fd: c_int,
    buf: Vec<u8>,
    /// Start of the bytes not yet returned.
    start: usize,
    eof: bool,
}

impl Lines {
    /// The lines of stdin.
    pub fn stdin() -> Lines {
        Lines::of(0)
    }

    fn of(fd: c_int) -> Lines {
        Lines {
            fd,
            buf: Vec::new(),
            start: 0,
            eof: false,
        }
    }

    /// Read more of stdin into the buffer; false at its end or an error.
    fn fill(&mut self) -> bool {
        self.buf.drain(..self.start);
        self.start = 0;
        let old = self.buf.len();
        self.buf.resize(old + 8192, 0);
        let n = loop {
            // SAFETY: read writes at most 8192 bytes into the buffer's
            // spare room, just made.
            let n = unsafe { libc::read(self.fd, self.buf[old..].as_mut_ptr().cast(), 8192) };
            if n >= 0 || sys::errno() != libc::EINTR {
                break n;
            }
        };
        self.buf.truncate(old + n.max(0) as usize);
        n > 0
    }
}

impl Iterator for Lines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        // No newline before `searched` (an offset into `buf`).
        let mut searched = self.start;
        let line = loop {
            if let Some(k) = self.buf[searched..].iter().position(|&b| b == b'\n') {
                let (from, end) = (self.start, searched + k);
                self.start = end + 1;
                // `\r\n` ends a line too (a lone `\r` at the end of the
                // input stays, as with std).
                let line = &self.buf[from..end];
                break line.strip_suffix(b"\r").unwrap_or(line);
            }
            searched = self.buf.len();
            if self.eof {
                if self.start == self.buf.len() {
                    return None;
                }
                let line = &self.buf[self.start..];
                self.start = self.buf.len();
                break line;
            }
            // `fill` moves the unread bytes to the front of the buffer.
            searched -= self.start;
            if !self.fill() {
                self.eof = true;
            }
        };
        match core::str::from_utf8(line) {
            Ok(text) => Some(String::from(text)),
            Err(_) => {
                self.eof = true;
                self.start = self.buf.len();
                None
            }
        }
    }
}

/// Create (or truncate) the file at `path` and write `bytes` to it, as
/// `std::fs::File::create` and `write_all` do; the error as
/// [`error_message`] words it.
pub fn write_file(path: &[u8], bytes: &[u8]) -> Result<(), String> {
    let Ok(path) = CString::new(path) else {
        return Err(String::from("file name contained an unexpected NUL byte"));
    };
    // SAFETY: `path` is NUL-terminated and outlives the call.
    let fd = sys::cvt_retry(|| unsafe {
        libc::open(
            path.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
            0o666 as libc::c_uint,
        )
    })
    .map_err(error_message)?;
    let written = write_all(fd, bytes);
    // SAFETY: `fd` was just opened here and is closed once.
    unsafe { libc::close(fd) };
    written.map_err(error_message)
}

/// The description of errno value `e` as `std::io::Error` displays it:
/// the C library's text, then ` (os error E)`.
pub fn error_message(e: c_int) -> String {
    let mut buf = [0u8; 128];
    // SAFETY: the XSI strerror_r (the libc crate links glibc's
    // `__xpg_strerror_r`, as std calls it) writes at most `buf.len()`
    // bytes, NUL-terminated, into `buf`, a live local. Its result is not
    // looked at, as by std: for an unknown number it fails but still
    // writes "Unknown error N".
    unsafe { libc::strerror_r(e, buf.as_mut_ptr().cast(), buf.len()) };
    let text = CStr::from_bytes_until_nul(&buf).map_or(&[][..], CStr::to_bytes);
    let mut out = String::from_utf8_lossy(text).into_owned();
    out.push_str(&format!(" (os error {e})"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_worded_as_std_words_them() {
        for e in [libc::ENOENT, libc::EACCES, libc::EBADF, 0, 4000] {
            let std = std::io::Error::from_raw_os_error(e).to_string();
            assert_eq!(error_message(e), std);
        }
    }

    #[test]
    fn lines_end_as_std_ends_them() {
        let lines = |input: &[u8]| -> Vec<String> {
            let mut p = [0; 2];
            // SAFETY: pipe fills `p`, a live local; the write end gets the
            // input (small enough for the pipe's buffer) and is closed, the
            // read end is closed after reading.
            unsafe {
                assert_eq!(libc::pipe(p.as_mut_ptr()), 0);
                write_all(p[1], input).unwrap();
                libc::close(p[1]);
                let out = Lines::of(p[0]).collect();
                libc::close(p[0]);
                out
            }
        };
        assert_eq!(lines(b"a\r\nb\n\nc\r"), ["a", "b", "", "c\r"]);
        assert_eq!(lines(b"x\n"), ["x"]);
        assert_eq!(lines(b""), Vec::<String>::new());
        assert_eq!(lines(b"ok\n\xff\nlater\n"), ["ok"]);
        let long = "y".repeat(20_000);
        assert_eq!(lines(format!("{long}\nz").as_bytes()), [long.as_str(), "z"]);
    }

    #[test]
    fn files_are_created_and_truncated() {
        let dir = crate::wasi::testutil::TempDir::new();
        let path = dir.path().join("f");
        let bytes = path.as_os_str().as_encoded_bytes();
        write_file(bytes, b"first, longer").unwrap();
        write_file(bytes, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let missing = dir.path().join("no/f");
        let e = write_file(missing.as_os_str().as_encoded_bytes(), b"").unwrap_err();
        assert_eq!(
            e,
            std::io::Error::from_raw_os_error(libc::ENOENT).to_string()
        );
        assert_eq!(
            write_file(b"a\0b", b"").unwrap_err(),
            "file name contained an unexpected NUL byte"
        );
    }
}
