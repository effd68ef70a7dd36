//! `fd_readdir`.
//!
//! Entries are read with `getdents64(2)`; each host entry's `d_off` is the
//! position just after it, which `lseek` on the directory accepts, so it is
//! used directly as the WASI cookie (`d_next`). Every call seeks to the
//! cookie it is given, which keeps no per-descriptor state and makes
//! resuming after a truncated buffer exact.
//!
//! Serialisation: per entry a 24-byte `dirent` (`d_next` u64, `d_ino` u64,
//! `d_namlen` u32, `d_type` u8, 3 bytes padding) followed by the name
//! without a NUL. The buffer is filled completely: the last entry may be
//! cut short, and `bufused == buf_len` tells the caller there may be more.

use super::errno::{check, Errno, WasiResult};
use super::guest::GuestMem;
use super::path::lstat_at;
use super::types::{filetype, filetype_of_mode};
use super::WasiCtx;
use crate::platform::fd::RawFd;
use alloc::vec::Vec;
use core::ffi::CStr;

/// Size of the fixed part of a WASI `dirent`.
pub const DIRENT_SIZE: usize = 24;

/// One directory entry as WASI describes it.
#[derive(Debug, PartialEq, Eq)]
pub struct DirEntry<'a> {
    pub next: u64,
    pub ino: u64,
    pub kind: u8,
    pub name: &'a [u8],
}

/// Append `e` in WASI layout.
pub fn push_dirent(out: &mut Vec<u8>, e: &DirEntry) {
    out.extend_from_slice(&e.next.to_le_bytes());
    out.extend_from_slice(&e.ino.to_le_bytes());
    out.extend_from_slice(&(e.name.len() as u32).to_le_bytes());
    out.extend_from_slice(&[e.kind, 0, 0, 0]);
    out.extend_from_slice(e.name);
}

/// The WASI file type of a `d_type`, asking `fstatat` when the file system
/// does not say.
fn entry_kind(dir: RawFd, d_type: u8, name: &CStr) -> u8 {
    match d_type {
        libc::DT_BLK => filetype::BLOCK_DEVICE,
        libc::DT_CHR => filetype::CHARACTER_DEVICE,
        libc::DT_DIR => filetype::DIRECTORY,
        libc::DT_REG => filetype::REGULAR_FILE,
        libc::DT_SOCK => filetype::SOCKET_STREAM,
        libc::DT_LNK => filetype::SYMBOLIC_LINK,
        libc::DT_UNKNOWN => {
            lstat_at(dir, name).map_or(filetype::UNKNOWN, |st| filetype_of_mode(st.st_mode))
        }
        _ => filetype::UNKNOWN,
    }
}

/// One host directory entry as getdents64 gives it.
pub struct HostEntry<'a> {
    pub ino: u64,
    /// Position after this entry (a cookie `lseek` accepts).
    pub next: u64,
    /// The `d_type` (`DT_UNKNOWN` when the file system does not say).
    pub d_type: u8,
    pub name: &'a CStr,
}

/// Call `f` with each entry of directory `dir` from position `cookie`
/// on, until it returns `false` or the entries end. Preview 1's
/// `fd_readdir` and WASI 0.2's directory streams both read this way.
pub fn for_each_entry(
    dir: RawFd,
    cookie: u64,
    mut f: impl FnMut(&HostEntry) -> bool,
) -> WasiResult<()> {
    let pos = i64::try_from(cookie).map_err(|_| Errno::INVAL)?;
    // SAFETY: no pointers; the caller passes a directory it holds open
    // for the call (module docs of `wasi`: descriptors).
    check(unsafe { libc::lseek(dir, pos, libc::SEEK_SET) })?;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`,
        // a live host buffer; `dir` is held open as above.
        let n = unsafe { libc::syscall(libc::SYS_getdents64, dir, buf.as_mut_ptr(), buf.len()) };
        if n < 0 {
            match crate::sys::errno() {
                libc::EINTR => continue,
                e => return Err(Errno::from_host(e)),
            }
        }
        if n == 0 {
            return Ok(());
        }
        let mut at = 0usize;
        while at < n as usize {
            // linux_dirent64: d_ino u64, d_off i64, d_reclen u16, d_type u8,
            // d_name NUL-terminated, padded to d_reclen.
            let rec = &buf[at..n as usize];
            let ino = u64::from_ne_bytes(rec[0..8].try_into().unwrap_or_default());
            let next = u64::from_ne_bytes(rec[8..16].try_into().unwrap_or_default());
            let reclen = u16::from_ne_bytes([rec[16], rec[17]]) as usize;
            if reclen < 20 || reclen > rec.len() {
                return Err(Errno::IO);
            }
            let name = CStr::from_bytes_until_nul(&rec[19..reclen]).map_err(|_| Errno::IO)?;
            let e = HostEntry {
                ino,
                next,
                d_type: rec[18],
                name,
            };
            if !f(&e) {
                return Ok(());
            }
            at += reclen;
        }
    }
}

/// Serialise the entries of directory `dir` from `cookie` on, stopping
/// once `limit` bytes are produced (the result is cut to `limit`).
pub fn read_entries(dir: RawFd, cookie: u64, limit: usize) -> WasiResult<Vec<u8>> {
    let mut out = Vec::new();
    if limit > 0 {
        for_each_entry(dir, cookie, |e| {
            let kind = entry_kind(dir, e.d_type, e.name);
            push_dirent(
                &mut out,
                &DirEntry {
                    next: e.next,
                    ino: e.ino,
                    kind,
                    name: e.name.to_bytes(),
                },
            );
            out.len() < limit
        })?;
    } else {
        // Still check the cookie and the descriptor, as before.
        for_each_entry(dir, cookie, |_| false)?;
    }
    out.truncate(limit);
    Ok(out)
}

impl WasiCtx {
    pub fn fd_readdir(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        buf: u32,
        buf_len: u32,
        cookie: u64,
        bufused: u32,
    ) -> WasiResult<()> {
        mem.check_out(bufused, 4)?;
        mem.check_out(buf, u64::from(buf_len))?;
        let dir = self.fds.dir(fd)?;
        let data = match self.fds.embedded(fd) {
            Some(e) => super::embedded::read_entries(&e.node, cookie, buf_len as usize),
            None => read_entries(dir, cookie, buf_len as usize)?,
        };
        mem.write(buf, &data)?;
        mem.write_u32(bufused, data.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::Env;
    use std::collections::BTreeMap;
    use std::fs;

    /// name → (d_next, d_type)
    type Entries = BTreeMap<Vec<u8>, (u64, u8)>;

    /// Parse the complete entries out of a readdir buffer, and the cookie
    /// of the last one.
    fn parse(buf: &[u8]) -> (Entries, Option<u64>) {
        let mut m = BTreeMap::new();
        let mut at = 0;
        let mut last_next = None;
        while at + DIRENT_SIZE <= buf.len() {
            let next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
            let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
            let kind = buf[at + 20];
            if at + DIRENT_SIZE + namlen > buf.len() {
                break;
            }
            let name = buf[at + DIRENT_SIZE..at + DIRENT_SIZE + namlen].to_vec();
            m.insert(name, (next, kind));
            last_next = Some(next);
            at += DIRENT_SIZE + namlen;
        }
        (m, last_next)
    }

    #[test]
    fn serialisation_layout() {
        let mut v = Vec::new();
        push_dirent(
            &mut v,
            &DirEntry {
                next: 0x0102,
                ino: 7,
                kind: filetype::DIRECTORY,
                name: b"ab",
            },
        );
        assert_eq!(v.len(), 26);
        assert_eq!(&v[0..8], &0x0102u64.to_le_bytes());
        assert_eq!(&v[8..16], &7u64.to_le_bytes());
        assert_eq!(&v[16..20], &2u32.to_le_bytes());
        assert_eq!(&v[20..24], &[3, 0, 0, 0]);
        assert_eq!(&v[24..], b"ab");
    }

    #[test]
    fn lists_everything_with_types() {
        let mut env = Env::new();
        fs::write(env.host("file"), b"").unwrap();
        fs::create_dir(env.host("dir")).unwrap();
        std::os::unix::fs::symlink("file", env.host("link")).unwrap();
        env.with(|c, m| c.fd_readdir(m, 3, 100, 4096, 0, 0))
            .unwrap();
        let used = env.u32_at(0) as usize;
        assert!(used < 4096);
        let (m, _) = parse(&env.buf[100..100 + used]);
        let names: Vec<&[u8]> = m.keys().map(|k| &k[..]).collect();
        assert_eq!(names, [&b"."[..], b"..", b"dir", b"file", b"link"]);
        assert_eq!(m[&b"dir"[..]].1, filetype::DIRECTORY);
        assert_eq!(m[&b"file"[..]].1, filetype::REGULAR_FILE);
        assert_eq!(m[&b"link"[..]].1, filetype::SYMBOLIC_LINK);
        // Resuming from the final entry's cookie yields nothing more.
        let (_, last) = parse(&env.buf[100..100 + used]);
        env.with(|c, m| c.fd_readdir(m, 3, 100, 4096, last.unwrap(), 0))
            .unwrap();
        assert_eq!(env.u32_at(0), 0);
        assert_eq!(
            env.with(|c, m| c.fd_readdir(m, 1, 100, 4096, 0, 0)),
            Err(Errno::BADF)
        );
    }

    #[test]
    fn truncation_and_cookies() {
        let mut env = Env::new();
        let want: Vec<String> = (0..50)
            .map(|i| format!("entry-with-a-long-name-{i:03}"))
            .collect();
        for n in &want {
            fs::write(env.host(n), b"").unwrap();
        }
        // Read with a small buffer, resuming from the last complete entry's
        // cookie each time, as wasi-libc does.
        let mut seen = BTreeMap::new();
        let mut cookie = 0;
        let mut rounds = 0;
        loop {
            rounds += 1;
            assert!(rounds < 1000);
            env.with(|c, m| c.fd_readdir(m, 3, 100, 200, cookie, 0))
                .unwrap();
            let used = env.u32_at(0) as usize;
            let (m, last) = parse(&env.buf[100..100 + used]);
            seen.extend(m);
            if used < 200 {
                break;
            }
            // A full buffer ends with a cut entry (200 is not a multiple of
            // the entry size) and more may follow.
            cookie = last.expect("a 200-byte buffer holds a complete entry");
        }
        for n in &want {
            assert!(seen.contains_key(n.as_bytes()), "{n} missing");
        }
        assert_eq!(seen.len(), want.len() + 2);
        // A buffer smaller than one header is filled completely.
        env.with(|c, m| c.fd_readdir(m, 3, 100, 10, 0, 0)).unwrap();
        assert_eq!(env.u32_at(0), 10);
        env.with(|c, m| c.fd_readdir(m, 3, 100, 0, 0, 0)).unwrap();
        assert_eq!(env.u32_at(0), 0);
        assert_eq!(
            env.with(|c, m| c.fd_readdir(m, 3, 65500, 100, 0, 0)),
            Err(Errno::FAULT)
        );
    }
}
