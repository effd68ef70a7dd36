//! `fd_*` calls other than `fd_readdir`: I/O, seeking, status, preopens.
//!
//! Which descriptors each call accepts, and the errno for the others,
//! follow the reference runtime (see [`super::rights`]): byte I/O on files
//! and on the stdio stream of the right direction, positions and
//! synchronisation on files only, timestamps on files and directories.
//! Arguments that do not decode (an unknown `whence`, `advice` or flag bit)
//! are `INVAL` before the descriptor is looked at, as in a runtime that
//! decodes them at the ABI boundary.

use super::errno::{check, check_retry, Errno, WasiResult};
use super::fdtable::FdKind;
use super::guest::GuestMem;
use super::types::{self, fdflags, filetype};
use super::WasiCtx;
use crate::platform::fd::RawFd;

/// Size of a `prestat`: tag u8 (0 = directory), name length u32 at 4.
const PRESTAT_SIZE: u64 = 8;
/// Size of an `fdstat`: filetype u8, flags u16 at 2, rights u64 at 8 and 16.
const FDSTAT_SIZE: u64 = 24;

/// The file type of a stream: a terminal is a character device (so
/// wasi-libc's `isatty` holds), a socket a socket; anything else (a pipe,
/// a file or `/dev/null` behind stdio) is reported as unknown, as the
/// reference runtime does for stdio it does not own.
fn stream_filetype(fd: RawFd) -> u8 {
    // A terminal is a character device: only one of those needs the
    // second system call (`isatty`), which a pipe or a file is spared.
    let Ok(st) = types::fstat(fd) else {
        return filetype::UNKNOWN;
    };
    match types::fd_filetype(fd, &st) {
        // SAFETY: no pointers; `fd` comes from the fd table, open for the
        // call (module docs of `wasi`: descriptors).
        filetype::CHARACTER_DEVICE if unsafe { libc::isatty(fd) } == 1 => {
            filetype::CHARACTER_DEVICE
        }
        t @ (filetype::SOCKET_STREAM | filetype::SOCKET_DGRAM) => t,
        _ => filetype::UNKNOWN,
    }
}

fn offset(off: u64) -> WasiResult<i64> {
    i64::try_from(off).map_err(|_| Errno::INVAL)
}

impl WasiCtx {
    pub fn fd_advise(
        &mut self,
        _mem: &GuestMem,
        fd: u32,
        off: u64,
        len: u64,
        advice: u32,
    ) -> WasiResult<()> {
        let advice = super::fs_ops::posix_advice(advice).ok_or(Errno::INVAL)?;
        let host = self.fds.file(fd)?;
        if self.fds.embedded(fd).is_some() {
            // Advice changes nothing on pages the executable maps.
            return Ok(());
        }
        // posix_fadvise returns the error number instead of setting errno.
        // SAFETY: no pointers; `host` is held open by the fd table for the
        // call (module docs of `wasi`: descriptors).
        match unsafe { libc::posix_fadvise(host, offset(off)?, offset(len)?, advice) } {
            0 => Ok(()),
            e => Err(Errno::from_host(e)),
        }
    }

    /// Not supported on any descriptor, as in the reference runtime (its
    /// file-system layer has no `posix_fallocate`); `BADF` for non-files.
    pub fn fd_allocate(
        &mut self,
        _mem: &GuestMem,
        fd: u32,
        _off: u64,
        _len: u64,
    ) -> WasiResult<()> {
        self.fds.file(fd)?;
        Err(Errno::NOTSUP)
    }

    pub fn fd_close(&mut self, _mem: &GuestMem, fd: u32) -> WasiResult<()> {
        // Dropping the entry closes an owned host descriptor.
        self.fds.remove(fd).map(drop)
    }

    pub fn fd_datasync(&mut self, _mem: &GuestMem, fd: u32) -> WasiResult<()> {
        let host = self.fds.file(fd)?;
        if self.fds.embedded(fd).is_some() {
            return Ok(());
        }
        // SAFETY: no pointers; `host` is held open by the fd table for the
        // call (module docs of `wasi`: descriptors).
        check_retry(|| unsafe { libc::fdatasync(host) }).map(drop)
    }

    pub fn fd_sync(&mut self, _mem: &GuestMem, fd: u32) -> WasiResult<()> {
        let host = self.fds.file(fd)?;
        if self.fds.embedded(fd).is_some() {
            return Ok(());
        }
        // SAFETY: no pointers; `host` is held open by the fd table for the
        // call (module docs of `wasi`: descriptors).
        check_retry(|| unsafe { libc::fsync(host) }).map(drop)
    }

    pub fn fd_fdstat_get(&mut self, mem: &GuestMem, fd: u32, buf: u32) -> WasiResult<()> {
        mem.check_out(buf, FDSTAT_SIZE)?;
        let e = self.fds.get(fd)?;
        let host = e.raw();
        let (base, inheriting) = e.rights();
        let (ty, flags) = match e.kind {
            _ if self.fds.embedded(fd).is_some() => self.embedded_fdstat(fd)?,
            // Streams and directories report no flags.
            FdKind::Stream { .. } => (stream_filetype(host), 0),
            FdKind::Directory => (filetype::DIRECTORY, 0),
            FdKind::File { .. } => {
                let st = types::fstat(host)?;
                // SAFETY: a query taking no pointers on a descriptor the
                // fd table holds open (module docs of `wasi`).
                let fl = check(unsafe { libc::fcntl(host, libc::F_GETFL) })?;
                (
                    types::fd_filetype(host, &st),
                    types::fdflags_of_open_flags(fl),
                )
            }
        };
        let mut b = [0u8; FDSTAT_SIZE as usize];
        b[0] = ty;
        b[2..4].copy_from_slice(&flags.to_le_bytes());
        b[8..16].copy_from_slice(&base.to_le_bytes());
        b[16..24].copy_from_slice(&inheriting.to_le_bytes());
        mem.write(buf, &b)
    }

    /// Only `APPEND` and `NONBLOCK` can change, on files only; asking for a
    /// sync mode is `INVAL` (Linux cannot change them on an open
    /// descriptor; the reference runtime refuses them the same way).
    pub fn fd_fdstat_set_flags(&mut self, _mem: &GuestMem, fd: u32, flags: u32) -> WasiResult<()> {
        let flags = u16::try_from(flags).map_err(|_| Errno::INVAL)?;
        if flags & !fdflags::ALL != 0 {
            return Err(Errno::INVAL);
        }
        let host = self.fds.file(fd)?;
        if flags & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC) != 0 {
            return Err(Errno::INVAL);
        }
        if let Some(e) = self.fds.embedded_mut(fd) {
            e.flags = flags;
            return Ok(());
        }
        // SAFETY: F_GETFL/F_SETFL take no pointers; `host` is held open
        // by the fd table for the call (module docs of `wasi`).
        unsafe {
            let old = check(libc::fcntl(host, libc::F_GETFL))?;
            let new =
                (old & !(libc::O_APPEND | libc::O_NONBLOCK)) | types::open_flags_of_fdflags(flags);
            check(libc::fcntl(host, libc::F_SETFL, new))?;
        }
        Ok(())
    }

    /// Rights never change (see [`super::rights`]): `NOTSUP` for files and
    /// directories, `BADF` for streams and unused numbers, whatever is
    /// asked — narrowing included, as in the reference runtime.
    pub fn fd_fdstat_set_rights(
        &mut self,
        _mem: &GuestMem,
        fd: u32,
        _base: u64,
        _inheriting: u64,
    ) -> WasiResult<()> {
        self.fds.file_or_dir(fd)?;
        Err(Errno::NOTSUP)
    }

    pub fn fd_filestat_get(&mut self, mem: &GuestMem, fd: u32, buf: u32) -> WasiResult<()> {
        mem.check_out(buf, types::FILESTAT_SIZE)?;
        let e = self.fds.get(fd)?;
        let host = e.raw();
        if let Some(e) = self.fds.embedded(fd) {
            return super::embedded::write_filestat(mem, buf, &e.node);
        }
        if let FdKind::Stream { .. } = e.kind {
            // A stream has no metadata to show: everything zero but the
            // type, as `fd_fdstat_get` reports it.
            let mut b = [0u8; types::FILESTAT_SIZE as usize];
            b[16] = stream_filetype(host);
            return mem.write(buf, &b);
        }
        let st = types::fstat(host)?;
        types::write_filestat(mem, buf, &st, types::fd_filetype(host, &st))
    }

    pub fn fd_filestat_set_size(&mut self, _mem: &GuestMem, fd: u32, size: u64) -> WasiResult<()> {
        let host = self.fds.file(fd)?;
        let size = offset(size)?;
        if self.fds.embedded(fd).is_some() {
            // Open for reading only: the host's answer to ftruncate.
            return Err(Errno::INVAL);
        }
        // SAFETY: no pointers; `host` is held open by the fd table for the
        // call (module docs of `wasi`: descriptors).
        check_retry(|| unsafe { libc::ftruncate(host, size) }).map(drop)
    }

    pub fn fd_filestat_set_times(
        &mut self,
        _mem: &GuestMem,
        fd: u32,
        atim: u64,
        mtim: u64,
        fst: u32,
    ) -> WasiResult<()> {
        let ts = types::timespecs(atim, mtim, fst)?;
        let host = self.fds.file_or_dir(fd)?;
        if self.fds.embedded(fd).is_some() {
            return Err(Errno::ROFS);
        }
        // SAFETY: `ts` is the array of two timespecs futimens reads, alive
        // for the call; `host` is held open by the fd table (module docs).
        check(unsafe { libc::futimens(host, ts.as_ptr()) }).map(drop)
    }

    pub fn fd_read(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nread: u32,
    ) -> WasiResult<()> {
        mem.check_out(nread, 4)?;
        let host = self.fds.readable(fd)?;
        if self.fds.embedded(fd).is_some() {
            return self.embedded_read(mem, fd, iovs, iovs_len, None, nread);
        }
        let v = mem.iovecs(iovs, iovs_len)?;
        // SAFETY: `iovecs` checked every buffer against guest memory, which
        // stays valid for the call; `v` outlives it and its length is at
        // most IOV_MAX; `host` is held open by the fd table (module docs).
        let n = check_retry(|| unsafe { libc::readv(host, v.as_ptr(), v.len() as i32) })?;
        mem.write_u32(nread, n as u32)
    }

    pub fn fd_pread(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        off: u64,
        nread: u32,
    ) -> WasiResult<()> {
        mem.check_out(nread, 4)?;
        let host = self.fds.readable_at(fd)?;
        let off = offset(off)?;
        if self.fds.embedded(fd).is_some() {
            return self.embedded_read(mem, fd, iovs, iovs_len, Some(off as u64), nread);
        }
        let v = mem.iovecs(iovs, iovs_len)?;
        // SAFETY: as in fd_read: checked iovecs, a descriptor the table
        // holds open.
        let n = check_retry(|| unsafe { libc::preadv(host, v.as_ptr(), v.len() as i32, off) })?;
        mem.write_u32(nread, n as u32)
    }

    pub fn fd_write(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nwritten: u32,
    ) -> WasiResult<()> {
        mem.check_out(nwritten, 4)?;
        let host = self.fds.writable(fd)?;
        let v = mem.iovecs(iovs, iovs_len)?;
        if self.fds.embedded(fd).is_some() {
            // Open for reading only: the host's answer to write.
            return Err(Errno::BADF);
        }
        // Straight to the descriptor: the runtime never buffers, so output
        // is complete even when the program ends with proc_exit or a trap.
        // SAFETY: as in fd_read: checked iovecs, a descriptor the table
        // holds open.
        let n = check_retry(|| unsafe { libc::writev(host, v.as_ptr(), v.len() as i32) })?;
        mem.write_u32(nwritten, n as u32)
    }

    pub fn fd_pwrite(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        off: u64,
        nwritten: u32,
    ) -> WasiResult<()> {
        mem.check_out(nwritten, 4)?;
        let host = self.fds.writable_at(fd)?;
        let off = offset(off)?;
        let v = mem.iovecs(iovs, iovs_len)?;
        if self.fds.embedded(fd).is_some() {
            return Err(Errno::BADF);
        }
        // SAFETY: as in fd_read: checked iovecs, a descriptor the table
        // holds open.
        let n = check_retry(|| unsafe { libc::pwritev(host, v.as_ptr(), v.len() as i32, off) })?;
        mem.write_u32(nwritten, n as u32)
    }

    pub fn fd_prestat_get(&mut self, mem: &GuestMem, fd: u32, buf: u32) -> WasiResult<()> {
        // wasi-libc scans fds 3, 4, … until BADF; an open descriptor that
        // is not a preopen ends the scan the same way.
        let name = self.fds.get(fd)?.preopen.as_ref().ok_or(Errno::BADF)?;
        let len = u32::try_from(name.len()).map_err(|_| Errno::NAMETOOLONG)?;
        mem.check_out(buf, PRESTAT_SIZE)?;
        mem.write(buf, &[0; PRESTAT_SIZE as usize])?;
        mem.write_u32(buf + 4, len)
    }

    /// The name of a preopen; `NOTDIR` for an open descriptor that is not
    /// one (the reference runtime's answer).
    pub fn fd_prestat_dir_name(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        path: u32,
        len: u32,
    ) -> WasiResult<()> {
        let name = self.fds.get(fd)?.preopen.as_ref().ok_or(Errno::NOTDIR)?;
        if (len as usize) < name.len() {
            return Err(Errno::NAMETOOLONG);
        }
        mem.write(path, name)
    }

    pub fn fd_renumber(&mut self, _mem: &GuestMem, fd: u32, to: u32) -> WasiResult<()> {
        self.fds.renumber(fd, to)
    }

    pub fn fd_seek(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        off: i64,
        whence: u32,
        newoffset: u32,
    ) -> WasiResult<()> {
        let whence = match whence {
            0 => libc::SEEK_SET,
            1 => libc::SEEK_CUR,
            2 => libc::SEEK_END,
            _ => return Err(Errno::INVAL),
        };
        mem.check_out(newoffset, 8)?;
        let host = self.fds.positioned(fd)?;
        if self.fds.embedded(fd).is_some() {
            let pos = self.embedded_seek(fd, off, whence)?;
            return mem.write_u64(newoffset, pos);
        }
        // SAFETY: no pointers; `host` is held open by the fd table for the
        // call (module docs of `wasi`: descriptors).
        let pos = check(unsafe { libc::lseek(host, off, whence) })?;
        mem.write_u64(newoffset, pos as u64)
    }

    pub fn fd_tell(&mut self, mem: &GuestMem, fd: u32, out: u32) -> WasiResult<()> {
        mem.check_out(out, 8)?;
        let host = self.fds.positioned(fd)?;
        if let Some(e) = self.fds.embedded(fd) {
            return mem.write_u64(out, e.pos);
        }
        // SAFETY: no pointers; `host` is held open by the fd table for the
        // call (module docs of `wasi`: descriptors).
        let pos = check(unsafe { libc::lseek(host, 0, libc::SEEK_CUR) })?;
        mem.write_u64(out, pos as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::rights;
    use crate::wasi::testutil::Env;
    use std::fs;

    /// Open `name` (created) in the sandbox for read+write; returns the fd.
    fn open_rw(env: &mut Env, name: &str) -> u32 {
        let (p, l) = env.put(1000, name.as_bytes());
        env.with(|c, m| c.path_open(m, 3, 0, p, l, 1, (1 << 1) | (1 << 6), 0, 0, 0))
            .unwrap();
        env.u32_at(0)
    }

    /// Store a two-entry iovec list at 3000 for buffers (2000, a) and (2100, b).
    fn iovs(env: &mut Env, a: u32, b: u32) {
        for (i, (ptr, len)) in [(2000u32, a), (2100, b)].into_iter().enumerate() {
            env.put(3000 + 8 * i as u32, &ptr.to_le_bytes());
            env.put(3004 + 8 * i as u32, &len.to_le_bytes());
        }
    }

    #[test]
    fn directories_are_not_byte_streams() {
        let mut env = Env::new();
        iovs(&mut env, 4, 4);
        // fd 3 is the preopened directory.
        assert_eq!(
            env.with(|c, m| c.fd_read(m, 3, 3000, 2, 10)),
            Err(Errno::BADF)
        );
        assert_eq!(
            env.with(|c, m| c.fd_write(m, 3, 3000, 2, 10)),
            Err(Errno::BADF)
        );
        assert_eq!(
            env.with(|c, m| c.fd_pread(m, 3, 3000, 2, 0, 10)),
            Err(Errno::BADF)
        );
    }

    #[test]
    fn read_write_seek_tell() {
        let mut env = Env::new();
        let fd = open_rw(&mut env, "f");
        env.put(2000, b"abc");
        env.put(2100, b"defg");
        iovs(&mut env, 3, 4);
        env.with(|c, m| c.fd_write(m, fd, 3000, 2, 10)).unwrap();
        assert_eq!(env.u32_at(10), 7);
        env.with(|c, m| c.fd_tell(m, fd, 16)).unwrap();
        assert_eq!(env.u64_at(16), 7);
        env.with(|c, m| c.fd_seek(m, fd, -5, 1, 16)).unwrap();
        assert_eq!(env.u64_at(16), 2);
        env.buf[2000..2200].fill(0);
        iovs(&mut env, 2, 10);
        env.with(|c, m| c.fd_read(m, fd, 3000, 2, 10)).unwrap();
        assert_eq!(env.u32_at(10), 5);
        assert_eq!(&env.buf[2000..2002], b"cd");
        assert_eq!(&env.buf[2100..2103], b"efg");
        // pread/pwrite do not move the offset.
        env.put(2000, b"XY");
        iovs(&mut env, 2, 0);
        env.with(|c, m| c.fd_pwrite(m, fd, 3000, 2, 1, 10)).unwrap();
        env.with(|c, m| c.fd_pread(m, fd, 3000, 1, 0, 10)).unwrap();
        assert_eq!(&env.buf[2000..2002], b"aX");
        env.with(|c, m| c.fd_tell(m, fd, 16)).unwrap();
        assert_eq!(env.u64_at(16), 7);
        assert_eq!(fs::read(env.host("f")).unwrap(), b"aXYdefg");
        assert_eq!(
            env.with(|c, m| c.fd_seek(m, fd, 0, 3, 16)),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.fd_seek(m, fd, -100, 0, 16)),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.fd_pread(m, fd, 3000, 1, u64::MAX, 10)),
            Err(Errno::INVAL)
        );
        // A bad iovec faults before anything is written.
        env.put(3004, &u32::MAX.to_le_bytes());
        assert_eq!(
            env.with(|c, m| c.fd_write(m, fd, 3000, 1, 10)),
            Err(Errno::FAULT)
        );
        assert_eq!(
            env.with(|c, m| c.fd_write(m, 42, 3000, 1, 10)),
            Err(Errno::BADF)
        );
        // Sync, size, advise, allocate.
        env.with(|c, m| c.fd_sync(m, fd)).unwrap();
        env.with(|c, m| c.fd_datasync(m, fd)).unwrap();
        env.with(|c, m| c.fd_filestat_set_size(m, fd, 3)).unwrap();
        env.with(|c, m| c.fd_advise(m, fd, 0, 0, 1)).unwrap();
        assert_eq!(
            env.with(|c, m| c.fd_advise(m, fd, 0, 0, 6)),
            Err(Errno::INVAL)
        );
        // fd_allocate is unsupported (as in the reference runtime).
        assert_eq!(
            env.with(|c, m| c.fd_allocate(m, fd, 0, 10)),
            Err(Errno::NOTSUP)
        );
        assert_eq!(
            env.with(|c, m| c.fd_allocate(m, 3, 0, 10)),
            Err(Errno::BADF)
        );
        env.with(|c, m| c.fd_filestat_get(m, fd, 100)).unwrap();
        assert_eq!(env.buf[116], filetype::REGULAR_FILE);
        assert_eq!(env.u64_at(132), 3);
        env.with(|c, m| c.fd_filestat_set_times(m, fd, 0, 9_000_000_000, 4))
            .unwrap();
        env.with(|c, m| c.fd_filestat_get(m, fd, 100)).unwrap();
        assert_eq!(env.u64_at(148), 9_000_000_000);
        env.with(|c, m| c.fd_close(m, fd)).unwrap();
        assert_eq!(env.with(|c, m| c.fd_close(m, fd)), Err(Errno::BADF));
    }

    #[test]
    fn prestat() {
        let mut env = Env::new();
        env.with(|c, m| c.fd_prestat_get(m, 3, 0)).unwrap();
        assert_eq!(env.buf[0], 0);
        assert_eq!(env.u32_at(4), 8);
        env.with(|c, m| c.fd_prestat_dir_name(m, 3, 100, 8))
            .unwrap();
        assert_eq!(&env.buf[100..108], b"/sandbox");
        assert_eq!(
            env.with(|c, m| c.fd_prestat_dir_name(m, 3, 100, 7)),
            Err(Errno::NAMETOOLONG)
        );
        assert_eq!(env.with(|c, m| c.fd_prestat_get(m, 4, 0)), Err(Errno::BADF));
        assert_eq!(env.with(|c, m| c.fd_prestat_get(m, 1, 0)), Err(Errno::BADF));
        env.with(|c, m| c.fd_fdstat_get(m, 3, 0)).unwrap();
        assert_eq!(env.buf[0], filetype::DIRECTORY);
        assert_eq!(env.u64_at(8), rights::PREOPEN_BASE);
        assert_eq!(env.u64_at(16), rights::PREOPEN_INHERITING);
        // Open descriptors that are not preopens: BADF ends wasi-libc's
        // scan; the name of one is NOTDIR.
        assert_eq!(
            env.with(|c, m| c.fd_prestat_dir_name(m, 1, 100, 8)),
            Err(Errno::NOTDIR)
        );
        assert_eq!(
            env.with(|c, m| c.fd_prestat_dir_name(m, 9, 100, 8)),
            Err(Errno::BADF)
        );
    }

    /// A pipe installed the way stdio is: a stream in one direction.
    fn pipe_streams(env: &mut Env) -> (u32, u32) {
        use crate::platform::fd::{FromRawFd, OwnedFd};
        use crate::wasi::fdtable::{FdEntry, HostFd};
        let mut p = [0; 2];
        // SAFETY: `p` has room for the two descriptors pipe2 writes.
        assert_eq!(unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
        // SAFETY: pipe2 just opened both; nothing else owns them.
        let (r, w) = unsafe { (OwnedFd::from_raw_fd(p[0]), OwnedFd::from_raw_fd(p[1])) };
        let stream = |readable| FdKind::Stream {
            readable,
            writable: !readable,
        };
        let rfd = env
            .ctx
            .fds
            .insert(FdEntry::new(HostFd::Owned(r), stream(true)))
            .unwrap();
        let wfd = env
            .ctx
            .fds
            .insert(FdEntry::new(HostFd::Owned(w), stream(false)))
            .unwrap();
        (rfd, wfd)
    }

    #[test]
    fn streams_read_or_write_and_have_no_position() {
        let mut env = Env::new();
        let (rfd, wfd) = pipe_streams(&mut env);
        env.with(|c, m| c.fd_fdstat_get(m, rfd, 0)).unwrap();
        assert_eq!(env.buf[0], filetype::UNKNOWN);
        assert_eq!(
            (env.u64_at(8), env.u64_at(16)),
            (rights::FD_READ, rights::FD_READ)
        );
        env.with(|c, m| c.fd_fdstat_get(m, wfd, 0)).unwrap();
        assert_eq!(env.u64_at(8), rights::FD_WRITE);
        for fd in [rfd, wfd] {
            assert_eq!(
                env.with(|c, m| c.fd_seek(m, fd, 0, 1, 16)),
                Err(Errno::SPIPE)
            );
            assert_eq!(env.with(|c, m| c.fd_tell(m, fd, 16)), Err(Errno::SPIPE));
            assert_eq!(env.with(|c, m| c.fd_sync(m, fd)), Err(Errno::BADF));
            assert_eq!(
                env.with(|c, m| c.fd_fdstat_set_flags(m, fd, 0)),
                Err(Errno::BADF)
            );
            assert_eq!(
                env.with(|c, m| c.fd_fdstat_set_rights(m, fd, 0, 0)),
                Err(Errno::BADF)
            );
            // Metadata of a stream: zeros and its type.
            env.buf[100..164].fill(0xff);
            env.with(|c, m| c.fd_filestat_get(m, fd, 100)).unwrap();
            assert!(env.buf[100..164].iter().all(|&b| b == 0));
        }
        env.put(2000, b"ab");
        iovs(&mut env, 2, 0);
        env.with(|c, m| c.fd_write(m, wfd, 3000, 1, 10)).unwrap();
        assert_eq!(
            env.with(|c, m| c.fd_write(m, rfd, 3000, 1, 10)),
            Err(Errno::BADF)
        );
        assert_eq!(
            env.with(|c, m| c.fd_read(m, wfd, 3000, 1, 10)),
            Err(Errno::BADF)
        );
        assert_eq!(
            env.with(|c, m| c.fd_pwrite(m, wfd, 3000, 1, 0, 10)),
            Err(Errno::SPIPE)
        );
        assert_eq!(
            env.with(|c, m| c.fd_pread(m, rfd, 3000, 1, 0, 10)),
            Err(Errno::SPIPE)
        );
        assert_eq!(
            env.with(|c, m| c.fd_pread(m, wfd, 3000, 1, 0, 10)),
            Err(Errno::BADF)
        );
        env.with(|c, m| c.fd_read(m, rfd, 3000, 1, 10)).unwrap();
        assert_eq!(env.u32_at(10), 2);
        // Renumbering moves the whole entry: the write end, renumbered
        // over the read end, still only writes.
        env.with(|c, m| c.fd_renumber(m, wfd, rfd)).unwrap();
        assert_eq!(env.with(|c, m| c.fd_close(m, wfd)), Err(Errno::BADF));
        env.with(|c, m| c.fd_fdstat_get(m, rfd, 0)).unwrap();
        assert_eq!(env.u64_at(8), rights::FD_WRITE);
        // (Its read end is closed now.)
        assert_eq!(
            env.with(|c, m| c.fd_write(m, rfd, 3000, 1, 10)),
            Err(Errno::PIPE)
        );
    }

    #[test]
    fn rights_never_change() {
        let mut env = Env::new();
        let fd = open_rw(&mut env, "f");
        env.with(|c, m| c.fd_fdstat_get(m, fd, 0)).unwrap();
        assert_eq!(env.u64_at(8), rights::ALL);
        for (base, inheriting) in [(0, 0), (rights::FD_READ, 0), (rights::ALL, rights::ALL)] {
            assert_eq!(
                env.with(|c, m| c.fd_fdstat_set_rights(m, fd, base, inheriting)),
                Err(Errno::NOTSUP)
            );
            assert_eq!(
                env.with(|c, m| c.fd_fdstat_set_rights(m, 3, base, inheriting)),
                Err(Errno::NOTSUP)
            );
        }
        env.with(|c, m| c.fd_fdstat_get(m, fd, 0)).unwrap();
        assert_eq!(env.u64_at(8), rights::ALL);
        assert_eq!(
            env.with(|c, m| c.fd_fdstat_set_rights(m, 50, 0, 0)),
            Err(Errno::BADF)
        );
        // Flags: append and nonblock change, sync modes are INVAL.
        env.with(|c, m| c.fd_fdstat_set_flags(m, fd, u32::from(fdflags::NONBLOCK)))
            .unwrap();
        env.with(|c, m| c.fd_fdstat_get(m, fd, 0)).unwrap();
        assert_eq!(env.buf[2], fdflags::NONBLOCK as u8);
        assert_eq!(
            env.with(|c, m| c.fd_fdstat_set_flags(m, fd, u32::from(fdflags::SYNC))),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.fd_fdstat_set_flags(m, 3, 0)),
            Err(Errno::BADF)
        );
        // Undecodable arguments are INVAL before the descriptor is checked.
        assert_eq!(
            env.with(|c, m| c.fd_seek(m, 50, 0, 7, 16)),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.fd_advise(m, 50, 0, 0, 9)),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.fd_filestat_set_times(m, 50, 0, 0, 3)),
            Err(Errno::INVAL)
        );
    }
}
