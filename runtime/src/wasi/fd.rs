//! `fd_*` calls other than `fd_readdir`: I/O, seeking, status, preopens.

use super::errno::{check, check_retry, Errno, WasiResult};
use super::guest::GuestMem;
use super::types::{self, fdflags, filetype, rights};
use super::{wasi_exports, WasiCtx};
use std::os::fd::RawFd;

/// Size of a `prestat`: tag u8 (0 = directory), name length u32 at 4.
const PRESTAT_SIZE: u64 = 8;
/// Size of an `fdstat`: filetype u8, flags u16 at 2, rights u64 at 8 and 16.
const FDSTAT_SIZE: u64 = 24;

/// Whether offset-based access makes sense for `fd`: not for ttys, pipes
/// and sockets. wasi-libc's `isatty` is "a character device without the
/// SEEK/TELL rights", so a terminal must not report them.
fn seekable(fd: RawFd, ty: u8, st: &libc::stat) -> bool {
    if st.st_mode & libc::S_IFMT == libc::S_IFIFO {
        return false;
    }
    match ty {
        filetype::SOCKET_STREAM | filetype::SOCKET_DGRAM => false,
        // SAFETY: isatty only inspects the descriptor.
        filetype::CHARACTER_DEVICE => unsafe { libc::isatty(fd) == 0 },
        _ => true,
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
        let host = self.fds.host(fd)?;
        let advice = match advice {
            0 => libc::POSIX_FADV_NORMAL,
            1 => libc::POSIX_FADV_SEQUENTIAL,
            2 => libc::POSIX_FADV_RANDOM,
            3 => libc::POSIX_FADV_WILLNEED,
            4 => libc::POSIX_FADV_DONTNEED,
            5 => libc::POSIX_FADV_NOREUSE,
            _ => return Err(Errno::INVAL),
        };
        // posix_fadvise returns the error number instead of setting errno.
        // SAFETY: plain syscall on a descriptor.
        match unsafe { libc::posix_fadvise(host, offset(off)?, offset(len)?, advice) } {
            0 => Ok(()),
            e => Err(Errno::from_host(e)),
        }
    }

    pub fn fd_allocate(&mut self, _mem: &GuestMem, fd: u32, off: u64, len: u64) -> WasiResult<()> {
        let host = self.fds.host(fd)?;
        // SAFETY: plain syscall; returns the error number.
        match unsafe { libc::posix_fallocate(host, offset(off)?, offset(len)?) } {
            0 => Ok(()),
            e => Err(Errno::from_host(e)),
        }
    }

    pub fn fd_close(&mut self, _mem: &GuestMem, fd: u32) -> WasiResult<()> {
        // Dropping the entry closes an owned host descriptor.
        self.fds.remove(fd).map(drop)
    }

    pub fn fd_datasync(&mut self, _mem: &GuestMem, fd: u32) -> WasiResult<()> {
        let host = self.fds.host(fd)?;
        // SAFETY: plain syscall.
        check_retry(|| unsafe { libc::fdatasync(host) }).map(drop)
    }

    pub fn fd_sync(&mut self, _mem: &GuestMem, fd: u32) -> WasiResult<()> {
        let host = self.fds.host(fd)?;
        // SAFETY: plain syscall.
        check_retry(|| unsafe { libc::fsync(host) }).map(drop)
    }

    pub fn fd_fdstat_get(&mut self, mem: &GuestMem, fd: u32, buf: u32) -> WasiResult<()> {
        mem.check_out(buf, FDSTAT_SIZE)?;
        let e = self.fds.get(fd)?;
        let host = e.raw();
        let st = types::fstat(host)?;
        let ty = types::fd_filetype(host, &st);
        // SAFETY: plain fcntl query.
        let fl = check(unsafe { libc::fcntl(host, libc::F_GETFL) })?;
        let mut base = e.rights_base;
        if !seekable(host, ty, &st) {
            base &= !(rights::FD_SEEK | rights::FD_TELL);
        }
        let mut b = [0u8; FDSTAT_SIZE as usize];
        b[0] = ty;
        b[2..4].copy_from_slice(&types::fdflags_of_open_flags(fl).to_le_bytes());
        b[8..16].copy_from_slice(&base.to_le_bytes());
        b[16..24].copy_from_slice(&e.rights_inheriting.to_le_bytes());
        mem.write(buf, &b)
    }

    pub fn fd_fdstat_set_flags(&mut self, _mem: &GuestMem, fd: u32, flags: u32) -> WasiResult<()> {
        let host = self.fds.host(fd)?;
        let flags = u16::try_from(flags).map_err(|_| Errno::INVAL)?;
        if flags & !fdflags::ALL != 0 {
            return Err(Errno::INVAL);
        }
        // Linux cannot change the sync modes of an open descriptor
        // (F_SETFL ignores them), so asking for them is unsupported.
        if flags & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC) != 0 {
            return Err(Errno::NOTSUP);
        }
        // SAFETY: plain fcntl calls.
        unsafe {
            let old = check(libc::fcntl(host, libc::F_GETFL))?;
            let new =
                (old & !(libc::O_APPEND | libc::O_NONBLOCK)) | types::open_flags_of_fdflags(flags);
            check(libc::fcntl(host, libc::F_SETFL, new))?;
        }
        Ok(())
    }

    /// Rights can only be dropped, never gained.
    pub fn fd_fdstat_set_rights(
        &mut self,
        _mem: &GuestMem,
        fd: u32,
        base: u64,
        inheriting: u64,
    ) -> WasiResult<()> {
        let e = self.fds.get_mut(fd)?;
        if base & !e.rights_base != 0 || inheriting & !e.rights_inheriting != 0 {
            return Err(Errno::NOTCAPABLE);
        }
        e.rights_base = base;
        e.rights_inheriting = inheriting;
        Ok(())
    }

    pub fn fd_filestat_get(&mut self, mem: &GuestMem, fd: u32, buf: u32) -> WasiResult<()> {
        mem.check_out(buf, types::FILESTAT_SIZE)?;
        let host = self.fds.host(fd)?;
        let st = types::fstat(host)?;
        types::write_filestat(mem, buf, &st, types::fd_filetype(host, &st))
    }

    pub fn fd_filestat_set_size(&mut self, _mem: &GuestMem, fd: u32, size: u64) -> WasiResult<()> {
        let host = self.fds.host(fd)?;
        let size = offset(size)?;
        // SAFETY: plain syscall.
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
        let host = self.fds.host(fd)?;
        let ts = types::timespecs(atim, mtim, fst)?;
        // SAFETY: two valid timespecs.
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
        let host = self.fds.stream(fd)?;
        let v = mem.iovecs(iovs, iovs_len)?;
        // SAFETY: every iovec was bounds-checked against guest memory.
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
        let host = self.fds.stream(fd)?;
        let off = offset(off)?;
        let v = mem.iovecs(iovs, iovs_len)?;
        // SAFETY: as fd_read.
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
        let host = self.fds.stream(fd)?;
        let v = mem.iovecs(iovs, iovs_len)?;
        // Straight to the descriptor: the runtime never buffers, so output
        // is complete even when the program ends with proc_exit or a trap.
        // SAFETY: as fd_read.
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
        let host = self.fds.stream(fd)?;
        let off = offset(off)?;
        let v = mem.iovecs(iovs, iovs_len)?;
        // SAFETY: as fd_read.
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

    pub fn fd_prestat_dir_name(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        path: u32,
        len: u32,
    ) -> WasiResult<()> {
        let name = self.fds.get(fd)?.preopen.as_ref().ok_or(Errno::BADF)?;
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
        mem.check_out(newoffset, 8)?;
        let host = self.fds.host(fd)?;
        let whence = match whence {
            0 => libc::SEEK_SET,
            1 => libc::SEEK_CUR,
            2 => libc::SEEK_END,
            _ => return Err(Errno::INVAL),
        };
        // SAFETY: plain syscall.
        let pos = check(unsafe { libc::lseek(host, off, whence) })?;
        mem.write_u64(newoffset, pos as u64)
    }

    pub fn fd_tell(&mut self, mem: &GuestMem, fd: u32, out: u32) -> WasiResult<()> {
        mem.check_out(out, 8)?;
        let host = self.fds.host(fd)?;
        // SAFETY: plain syscall.
        let pos = check(unsafe { libc::lseek(host, 0, libc::SEEK_CUR) })?;
        mem.write_u64(out, pos as u64)
    }
}

wasi_exports! {
    wasmlink_wasi_fd_advise => fd_advise(fd: u32, off: u64, len: u64, advice: u32);
    wasmlink_wasi_fd_allocate => fd_allocate(fd: u32, off: u64, len: u64);
    wasmlink_wasi_fd_close => fd_close(fd: u32);
    wasmlink_wasi_fd_datasync => fd_datasync(fd: u32);
    wasmlink_wasi_fd_fdstat_get => fd_fdstat_get(fd: u32, buf: u32);
    wasmlink_wasi_fd_fdstat_set_flags => fd_fdstat_set_flags(fd: u32, flags: u32);
    wasmlink_wasi_fd_fdstat_set_rights => fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64);
    wasmlink_wasi_fd_filestat_get => fd_filestat_get(fd: u32, buf: u32);
    wasmlink_wasi_fd_filestat_set_size => fd_filestat_set_size(fd: u32, size: u64);
    wasmlink_wasi_fd_filestat_set_times => fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst: u32);
    wasmlink_wasi_fd_pread => fd_pread(fd: u32, iovs: u32, iovs_len: u32, off: u64, nread: u32);
    wasmlink_wasi_fd_prestat_get => fd_prestat_get(fd: u32, buf: u32);
    wasmlink_wasi_fd_prestat_dir_name => fd_prestat_dir_name(fd: u32, path: u32, len: u32);
    wasmlink_wasi_fd_pwrite => fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, off: u64, nwritten: u32);
    wasmlink_wasi_fd_read => fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32);
    wasmlink_wasi_fd_renumber => fd_renumber(fd: u32, to: u32);
    wasmlink_wasi_fd_seek => fd_seek(fd: u32, off: i64, whence: u32, newoffset: u32);
    wasmlink_wasi_fd_sync => fd_sync(fd: u32);
    wasmlink_wasi_fd_tell => fd_tell(fd: u32, out: u32);
    wasmlink_wasi_fd_write => fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32);
}

#[cfg(test)]
mod tests {
    use super::*;
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
        env.with(|c, m| c.fd_allocate(m, fd, 0, 10)).unwrap();
        env.with(|c, m| c.fd_filestat_get(m, fd, 100)).unwrap();
        assert_eq!(env.buf[116], filetype::REGULAR_FILE);
        assert_eq!(env.u64_at(132), 10);
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
        assert_eq!(env.u64_at(8), rights::ALL);
    }

    #[test]
    fn pipes_are_not_seekable_and_flags_change() {
        let mut env = Env::new();
        let mut p = [0; 2];
        assert_eq!(unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
        use std::os::fd::{FromRawFd, OwnedFd};
        let (r, w) = unsafe { (OwnedFd::from_raw_fd(p[0]), OwnedFd::from_raw_fd(p[1])) };
        use crate::wasi::fdtable::{FdEntry, HostFd};
        let rfd = env
            .ctx
            .fds
            .insert(FdEntry::new(HostFd::Owned(r), false))
            .unwrap();
        let wfd = env
            .ctx
            .fds
            .insert(FdEntry::new(HostFd::Owned(w), false))
            .unwrap();
        env.with(|c, m| c.fd_fdstat_get(m, rfd, 0)).unwrap();
        assert_eq!(env.buf[0], filetype::UNKNOWN);
        assert_eq!(env.u64_at(8) & (rights::FD_SEEK | rights::FD_TELL), 0);
        assert_eq!(
            env.with(|c, m| c.fd_seek(m, rfd, 0, 1, 16)),
            Err(Errno::SPIPE)
        );
        env.with(|c, m| c.fd_fdstat_set_flags(m, rfd, u32::from(fdflags::NONBLOCK)))
            .unwrap();
        env.with(|c, m| c.fd_fdstat_get(m, rfd, 0)).unwrap();
        assert_eq!(env.buf[2], fdflags::NONBLOCK as u8);
        iovs(&mut env, 4, 0);
        assert_eq!(
            env.with(|c, m| c.fd_read(m, rfd, 3000, 1, 10)),
            Err(Errno::AGAIN)
        );
        assert_eq!(
            env.with(|c, m| c.fd_fdstat_set_flags(m, rfd, u32::from(fdflags::SYNC))),
            Err(Errno::NOTSUP)
        );
        // Renumber the write end over the read end.
        env.with(|c, m| c.fd_renumber(m, wfd, rfd)).unwrap();
        assert_eq!(env.with(|c, m| c.fd_close(m, wfd)), Err(Errno::BADF));
        // Rights only shrink.
        env.with(|c, m| c.fd_fdstat_set_rights(m, rfd, 1, 0))
            .unwrap();
        assert_eq!(
            env.with(|c, m| c.fd_fdstat_set_rights(m, rfd, 3, 0)),
            Err(Errno::NOTCAPABLE)
        );
    }
}
