//! `path_*` calls: the guest's paths and flags read and checked, then the
//! shared operations of [`super::fs_ops`] (which WASI 0.2 uses too) do the
//! sandboxed work — or, beneath an embedded directory, those of
//! [`crate::embed::ops`].

use super::embedded::Dir;
use super::errno::{Errno, WasiResult};
use super::fdtable::{FdEntry, FdKind, HostFd};
use super::fs_ops;
use super::guest::GuestMem;
use super::path::PATH_MAX;
use super::types::{self, fdflags, lookupflags, oflags};
use super::{rights, WasiCtx};
use crate::embed::ops::{self as embedded, OpenRequest, Side};
use alloc::vec::Vec;

fn follow(flags: u32) -> WasiResult<bool> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::INVAL);
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

/// Copy a guest path (or symlink target) out of guest memory, refusing
/// one of [`PATH_MAX`] bytes or more before copying anything.
fn read_path(mem: &GuestMem, ptr: u32, len: u32) -> WasiResult<Vec<u8>> {
    if len as usize >= PATH_MAX {
        return Err(Errno::NAMETOOLONG);
    }
    mem.read(ptr, len)
}

impl WasiCtx {
    /// The directory of `fd` and the guest path `(ptr, len)`.
    fn dir_and_path(
        &self,
        mem: &GuestMem,
        fd: u32,
        ptr: u32,
        len: u32,
    ) -> WasiResult<(Dir, Vec<u8>)> {
        let dir = self.path_dir(fd)?;
        Ok((dir, read_path(mem, ptr, len)?))
    }

    /// Open a file or directory. As in the reference runtime, the base
    /// rights asked for only choose the access mode, and the inheriting
    /// rights are ignored: the new descriptor reports the rights of its
    /// kind and mode (see [`super::rights`]). Writing is asked for by
    /// `FD_WRITE`, `CREAT` or `TRUNC`; reading by `FD_READ`, or by not
    /// writing (an open needs some access mode).
    #[allow(clippy::too_many_arguments)]
    pub fn path_open(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        dirflags: u32,
        path: u32,
        path_len: u32,
        oflags: u32,
        rights_base: u64,
        _rights_inheriting: u64,
        fdflags: u32,
        opened: u32,
    ) -> WasiResult<()> {
        mem.check_out(opened, 4)?;
        let oflags = u16::try_from(oflags).map_err(|_| Errno::INVAL)?;
        let fdflags = u16::try_from(fdflags).map_err(|_| Errno::INVAL)?;
        if oflags & !(oflags::CREAT | oflags::DIRECTORY | oflags::EXCL | oflags::TRUNC) != 0
            || fdflags & !fdflags::ALL != 0
        {
            return Err(Errno::INVAL);
        }
        let follow = follow(dirflags)?;
        let dir = self.fds.dir_to_open_in(fd)?;
        let embedded_dir = self.fds.embedded(fd).map(|e| e.node);
        let path = read_path(mem, path, path_len)?;
        // Sync modes cannot be asked for (the reference runtime refuses
        // them the same way).
        if fdflags & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC) != 0 {
            return Err(Errno::NOTSUP);
        }
        if oflags & oflags::DIRECTORY != 0
            && oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
        {
            return Err(Errno::INVAL);
        }
        let write =
            rights_base & rights::FD_WRITE != 0 || oflags & (oflags::CREAT | oflags::TRUNC) != 0;
        let read = rights_base & rights::FD_READ != 0 || rights_base & rights::FD_WRITE == 0;
        if let Some(dir) = embedded_dir {
            let req = OpenRequest {
                write,
                create: oflags & oflags::CREAT != 0,
                exclusive: oflags & oflags::EXCL != 0,
                truncate: oflags & oflags::TRUNC != 0,
                directory: oflags & oflags::DIRECTORY != 0,
            };
            let new_fd = self.embedded_open(&dir, &path, follow, req, fdflags)?;
            return mem.write_u32(opened, new_fd);
        }
        // A directory opened for writing is ISDIR from the host.
        let mut flags = match (read, write) {
            (true, true) => libc::O_RDWR,
            (false, true) => libc::O_WRONLY,
            _ => libc::O_RDONLY,
        };
        if oflags & oflags::DIRECTORY != 0 {
            flags |= libc::O_DIRECTORY;
        }
        if oflags & oflags::CREAT != 0 {
            flags |= libc::O_CREAT;
        }
        if oflags & oflags::EXCL != 0 {
            flags |= libc::O_EXCL;
        }
        if oflags & oflags::TRUNC != 0 {
            flags |= libc::O_TRUNC;
        }
        flags |= types::open_flags_of_fdflags(fdflags);
        let (host, st) = fs_ops::open_at(dir, &path, follow, flags)?;
        let kind = if fs_ops::is_dir(&st) {
            FdKind::Directory
        } else {
            FdKind::File {
                readable: read,
                writable: write,
            }
        };
        let new_fd = self.fds.insert(FdEntry::new(HostFd::Owned(host), kind))?;
        mem.write_u32(opened, new_fd)
    }

    pub fn path_create_directory(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        path: u32,
        len: u32,
    ) -> WasiResult<()> {
        match self.dir_and_path(mem, fd, path, len)? {
            (Dir::Host(dir), path) => fs_ops::create_directory_at(dir, &path),
            (Dir::Embedded(dir), path) => embedded::create_directory(&dir, &path),
        }
    }

    pub fn path_filestat_get(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        flags: u32,
        path: u32,
        len: u32,
        buf: u32,
    ) -> WasiResult<()> {
        mem.check_out(buf, types::FILESTAT_SIZE)?;
        let follow = follow(flags)?;
        match self.dir_and_path(mem, fd, path, len)? {
            (Dir::Host(dir), path) => {
                let st = fs_ops::stat_at(dir, &path, follow)?;
                types::write_filestat(mem, buf, &st, types::filetype_of_mode(st.st_mode))
            }
            (Dir::Embedded(dir), path) => {
                let n = embedded::stat(&dir, &path, follow)?;
                super::embedded::write_filestat(mem, buf, &n)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn path_filestat_set_times(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        flags: u32,
        path: u32,
        len: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u32,
    ) -> WasiResult<()> {
        let ts = types::timespecs(atim, mtim, fst_flags)?;
        let follow = follow(flags)?;
        match self.dir_and_path(mem, fd, path, len)? {
            (Dir::Host(dir), path) => fs_ops::set_times_at(dir, &path, follow, &ts),
            (Dir::Embedded(dir), path) => embedded::set_times(&dir, &path, follow),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn path_link(
        &mut self,
        mem: &GuestMem,
        old_fd: u32,
        old_flags: u32,
        old_path: u32,
        old_len: u32,
        new_fd: u32,
        new_path: u32,
        new_len: u32,
    ) -> WasiResult<()> {
        let follow_old = follow(old_flags)?;
        self.fds.dir(old_fd)?;
        self.fds.dir(new_fd)?;
        if follow_old {
            // The reference runtime links the name itself only.
            return Err(Errno::INVAL);
        }
        let (old_dir, old) = self.dir_and_path(mem, old_fd, old_path, old_len)?;
        let (new_dir, new) = self.dir_and_path(mem, new_fd, new_path, new_len)?;
        match (old_dir, new_dir) {
            (Dir::Host(o), Dir::Host(n)) => fs_ops::link_at(o, &old, n, &new),
            (o, n) => embedded::rename_or_link(side(&o, &old), side(&n, &new), true),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn path_readlink(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        path: u32,
        len: u32,
        buf: u32,
        buf_len: u32,
        bufused: u32,
    ) -> WasiResult<()> {
        mem.check_out(bufused, 4)?;
        mem.check_out(buf, u64::from(buf_len))?;
        let target = match self.dir_and_path(mem, fd, path, len)? {
            (Dir::Host(dir), path) => fs_ops::readlink_at(dir, &path)?,
            (Dir::Embedded(dir), path) => embedded::readlink(&dir, &path)?.to_vec(),
        };
        // The contents are truncated to the buffer, as readlink(2) does.
        let n = target.len().min(buf_len as usize);
        mem.write(buf, &target[..n])?;
        mem.write_u32(bufused, n as u32)
    }

    pub fn path_remove_directory(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        path: u32,
        len: u32,
    ) -> WasiResult<()> {
        match self.dir_and_path(mem, fd, path, len)? {
            (Dir::Host(dir), path) => fs_ops::remove_directory_at(dir, &path),
            (Dir::Embedded(dir), path) => embedded::remove_directory(&dir, &path),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn path_rename(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        old_path: u32,
        old_len: u32,
        new_fd: u32,
        new_path: u32,
        new_len: u32,
    ) -> WasiResult<()> {
        let (old_dir, old) = self.dir_and_path(mem, fd, old_path, old_len)?;
        let (new_dir, new) = self.dir_and_path(mem, new_fd, new_path, new_len)?;
        match (old_dir, new_dir) {
            (Dir::Host(o), Dir::Host(n)) => fs_ops::rename_at(o, &old, n, &new),
            (o, n) => embedded::rename_or_link(side(&o, &old), side(&n, &new), false),
        }
    }

    pub fn path_symlink(
        &mut self,
        mem: &GuestMem,
        old_path: u32,
        old_len: u32,
        fd: u32,
        new_path: u32,
        new_len: u32,
    ) -> WasiResult<()> {
        let dir = self.path_dir(fd)?;
        let target = read_path(mem, old_path, old_len)?;
        let new = read_path(mem, new_path, new_len)?;
        match dir {
            Dir::Host(dir) => fs_ops::symlink_at(&target, dir, &new),
            Dir::Embedded(dir) => embedded::symlink(&target, &dir, &new),
        }
    }

    pub fn path_unlink_file(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        path: u32,
        len: u32,
    ) -> WasiResult<()> {
        match self.dir_and_path(mem, fd, path, len)? {
            (Dir::Host(dir), path) => fs_ops::unlink_file_at(dir, &path),
            (Dir::Embedded(dir), path) => embedded::unlink_file(&dir, &path),
        }
    }
}

/// One side of a rename or link for [`embedded::rename_or_link`].
fn side<'a>(dir: &'a Dir, path: &'a [u8]) -> Side<'a> {
    match dir {
        Dir::Host(_) => Side::Host,
        Dir::Embedded(d) => Side::Embedded(d, path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::Env;
    use std::fs;

    const RD: u64 = 1 << 1;
    const WR: u64 = 1 << 6;

    /// path_open on fd 3 with the path stored at guest address 1000.
    fn open(
        env: &mut Env,
        path: &str,
        dirflags: u32,
        of: u16,
        rights: u64,
        fdflags: u16,
    ) -> WasiResult<u32> {
        let (p, l) = env.put(1000, path.as_bytes());
        env.with(|c, m| {
            c.path_open(
                m,
                3,
                dirflags,
                p,
                l,
                of.into(),
                rights,
                0,
                fdflags.into(),
                0,
            )
        })?;
        Ok(env.u32_at(0))
    }

    #[test]
    fn open_create_read_write() {
        let mut env = Env::new();
        let fd = open(&mut env, "new.txt", 0, oflags::CREAT, RD | WR, 0).unwrap();
        assert_eq!(fd, 4);
        let (b, n) = env.put(2000, b"hello");
        env.put(3000, &b.to_le_bytes());
        env.put(3004, &n.to_le_bytes());
        env.with(|c, m| c.fd_write(m, fd, 3000, 1, 3008)).unwrap();
        assert_eq!(env.u32_at(3008), 5);
        assert_eq!(fs::read(env.host("new.txt")).unwrap(), b"hello");
        // EXCL on an existing file.
        assert_eq!(
            open(&mut env, "new.txt", 0, oflags::CREAT | oflags::EXCL, RD, 0),
            Err(Errno::EXIST)
        );
        // Read-only descriptors cannot write.
        let ro = open(&mut env, "new.txt", 0, 0, RD, 0).unwrap();
        assert_eq!(
            env.with(|c, m| c.fd_write(m, ro, 3000, 1, 3008)),
            Err(Errno::BADF)
        );
        // TRUNC empties it.
        open(&mut env, "new.txt", 0, oflags::TRUNC, WR, 0).unwrap();
        assert_eq!(fs::read(env.host("new.txt")).unwrap(), b"");
        // Missing file without CREAT.
        assert_eq!(open(&mut env, "missing", 0, 0, RD, 0), Err(Errno::NOENT));
        // DIRECTORY on a file, and a trailing slash on a file.
        assert_eq!(
            open(&mut env, "new.txt", 0, oflags::DIRECTORY, RD, 0),
            Err(Errno::NOTDIR)
        );
        assert_eq!(open(&mut env, "new.txt/", 0, 0, RD, 0), Err(Errno::NOTDIR));
        // Bad flags.
        assert_eq!(open(&mut env, "new.txt", 0, 0x10, RD, 0), Err(Errno::INVAL));
        assert_eq!(open(&mut env, "new.txt", 2, 0, RD, 0), Err(Errno::INVAL));
        // Not a directory descriptor.
        let (p, l) = env.put(1000, b"x");
        assert_eq!(
            env.with(|c, m| c.path_open(m, fd, 0, p, l, 0, RD, 0, 0, 0)),
            Err(Errno::NOTDIR)
        );
        assert_eq!(
            env.with(|c, m| c.path_open(m, 99, 0, p, l, 0, RD, 0, 0, 0)),
            Err(Errno::BADF)
        );
    }

    /// The kind and access mode `path_open` gives, as the reference
    /// runtime chooses them from the rights and oflags asked for.
    #[test]
    fn open_modes_and_kinds() {
        let mut env = Env::new();
        fs::write(env.host("f"), b"abc").unwrap();
        fs::create_dir(env.host("d")).unwrap();
        let kind = |env: &Env, fd: u32| env.ctx.fds.get(fd).unwrap().kind;
        let file = |readable, writable| FdKind::File { readable, writable };
        for (of, rights, want) in [
            (0, RD, file(true, false)),
            (0, WR, file(false, true)),
            (0, RD | WR, file(true, true)),
            (0, 0, file(true, false)),
            (oflags::TRUNC, RD, file(true, true)),
            (oflags::CREAT, 0, file(true, true)),
            (oflags::CREAT, WR, file(false, true)),
        ] {
            let fd = open(&mut env, "f", 0, of, rights, 0).unwrap();
            assert_eq!(kind(&env, fd), want, "oflags {of} rights {rights:#x}");
            env.with(|c, m| c.fd_close(m, fd)).unwrap();
        }
        let d = open(&mut env, "d", 0, 0, 0, 0).unwrap();
        assert_eq!(kind(&env, d), FdKind::Directory);
        assert_eq!(
            open(&mut env, "d", 0, oflags::DIRECTORY, WR, 0),
            Err(Errno::ISDIR)
        );
        assert_eq!(
            open(&mut env, "d", 0, oflags::DIRECTORY | oflags::CREAT, RD, 0),
            Err(Errno::INVAL)
        );
        for sync in [
            types::fdflags::SYNC,
            types::fdflags::DSYNC,
            types::fdflags::RSYNC,
        ] {
            assert_eq!(open(&mut env, "f", 0, 0, RD, sync), Err(Errno::NOTSUP));
        }
        // Beneath a file: NOTDIR; beneath stdio: BADF.
        let f = open(&mut env, "f", 0, 0, RD, 0).unwrap();
        let (p, l) = env.put(1000, b"x");
        for (dir, want) in [(f, Errno::NOTDIR), (1, Errno::BADF)] {
            assert_eq!(
                env.with(|c, m| c.path_open(m, dir, 0, p, l, 0, RD, 0, 0, 0)),
                Err(want)
            );
            assert_eq!(
                env.with(|c, m| c.path_create_directory(m, dir, p, l)),
                Err(Errno::BADF)
            );
        }
        // Hard links never follow the source (INVAL when asked to).
        let (q, ql) = env.put(1100, b"g");
        assert_eq!(
            env.with(|c, m| c.path_link(m, 3, 1, p, l, 3, q, ql)),
            Err(Errno::INVAL)
        );
    }

    #[test]
    fn open_append() {
        let mut env = Env::new();
        fs::write(env.host("log"), b"ab").unwrap();
        let fd = open(&mut env, "log", 0, 0, WR, types::fdflags::APPEND).unwrap();
        let (b, n) = env.put(2000, b"cd");
        env.put(3000, &b.to_le_bytes());
        env.put(3004, &n.to_le_bytes());
        env.with(|c, m| c.fd_write(m, fd, 3000, 1, 3008)).unwrap();
        assert_eq!(fs::read(env.host("log")).unwrap(), b"abcd");
        env.with(|c, m| c.fd_fdstat_get(m, fd, 100)).unwrap();
        assert_eq!(env.buf[100], types::filetype::REGULAR_FILE);
        assert_eq!(env.buf[102], types::fdflags::APPEND as u8);
    }

    #[test]
    fn open_escapes_and_symlinks() {
        let mut env = Env::new();
        fs::create_dir(env.host("d")).unwrap();
        fs::write(env.host("d/f"), b"f").unwrap();
        std::os::unix::fs::symlink("d/f", env.host("lf")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", env.host("etc")).unwrap();
        assert_eq!(
            open(&mut env, "../x", 0, oflags::CREAT, WR, 0),
            Err(Errno::PERM)
        );
        assert_eq!(open(&mut env, "/etc/passwd", 0, 0, RD, 0), Err(Errno::PERM));
        assert_eq!(open(&mut env, "etc", 1, 0, RD, 0), Err(Errno::PERM));
        assert_eq!(open(&mut env, "etc", 0, 0, RD, 0), Err(Errno::LOOP));
        // Following a symlink inside works; not following it is LOOP.
        assert!(open(&mut env, "lf", 1, 0, RD, 0).is_ok());
        assert_eq!(open(&mut env, "lf", 0, 0, RD, 0), Err(Errno::LOOP));
        // A directory descriptor is a new root: `..` cannot leave it.
        let d = open(&mut env, "d", 0, oflags::DIRECTORY, RD, 0).unwrap();
        let (p, l) = env.put(1000, b"../lf");
        assert_eq!(
            env.with(|c, m| c.path_open(m, d, 1, p, l, 0, RD, 0, 0, 0)),
            Err(Errno::PERM)
        );
        let (p, l) = env.put(1000, b"f");
        env.with(|c, m| c.path_open(m, d, 1, p, l, 0, RD, 0, 0, 0))
            .unwrap();
    }

    #[test]
    fn directories_and_files() {
        let mut env = Env::new();
        let (p, l) = env.put(1000, b"sub");
        env.with(|c, m| c.path_create_directory(m, 3, p, l))
            .unwrap();
        assert!(env.host("sub").is_dir());
        assert_eq!(
            env.with(|c, m| c.path_create_directory(m, 3, p, l)),
            Err(Errno::EXIST)
        );
        fs::write(env.host("sub/f"), b"123").unwrap();
        assert_eq!(
            env.with(|c, m| c.path_remove_directory(m, 3, p, l)),
            Err(Errno::NOTEMPTY)
        );
        assert_eq!(
            env.with(|c, m| c.path_unlink_file(m, 3, p, l)),
            Err(Errno::ISDIR)
        );

        let (p, l) = env.put(1000, b"sub/f");
        env.with(|c, m| c.path_filestat_get(m, 3, 0, p, l, 100))
            .unwrap();
        assert_eq!(env.buf[116], types::filetype::REGULAR_FILE);
        assert_eq!(env.u64_at(132), 3);
        let (p2, l2) = env.put(1100, b"g");
        env.with(|c, m| c.path_rename(m, 3, p, l, 3, p2, l2))
            .unwrap();
        assert_eq!(fs::read(env.host("g")).unwrap(), b"123");
        env.with(|c, m| c.path_link(m, 3, 0, p2, l2, 3, p, l))
            .unwrap();
        assert_eq!(fs::read(env.host("sub/f")).unwrap(), b"123");
        env.with(|c, m| c.path_unlink_file(m, 3, p, l)).unwrap();
        assert!(!env.host("sub/f").exists());
        let (p, l) = env.put(1000, b"sub/");
        env.with(|c, m| c.path_remove_directory(m, 3, p, l))
            .unwrap();
        assert!(!env.host("sub").exists());
        let (p, l) = env.put(1000, b"g/");
        assert_eq!(
            env.with(|c, m| c.path_unlink_file(m, 3, p, l)),
            Err(Errno::NOTDIR)
        );
        assert_eq!(
            env.with(|c, m| c.path_filestat_get(m, 3, 0, p, l, 100)),
            Err(Errno::NOTDIR)
        );
        // Renaming out of the sandbox is refused.
        let (p, l) = env.put(1000, b"g");
        let (p2, l2) = env.put(1100, b"../g");
        assert_eq!(
            env.with(|c, m| c.path_rename(m, 3, p, l, 3, p2, l2)),
            Err(Errno::PERM)
        );
    }

    #[test]
    fn symlink_and_readlink() {
        let mut env = Env::new();
        fs::write(env.host("t"), b"x").unwrap();
        let (t, tl) = env.put(1000, b"t");
        let (n, nl) = env.put(1100, b"link");
        env.with(|c, m| c.path_symlink(m, t, tl, 3, n, nl)).unwrap();
        env.with(|c, m| c.path_readlink(m, 3, n, nl, 2000, 64, 0))
            .unwrap();
        assert_eq!(env.u32_at(0), 1);
        assert_eq!(env.buf[2000], b't');
        // Truncation to the buffer size.
        let (t2, tl2) = env.put(1200, b"a/long/target");
        let (n2, nl2) = env.put(1300, b"l2");
        env.with(|c, m| c.path_symlink(m, t2, tl2, 3, n2, nl2))
            .unwrap();
        env.with(|c, m| c.path_readlink(m, 3, n2, nl2, 2000, 4, 0))
            .unwrap();
        assert_eq!(env.u32_at(0), 4);
        assert_eq!(&env.buf[2000..2004], b"a/lo");
        // Not a symlink.
        assert_eq!(
            env.with(|c, m| c.path_readlink(m, 3, t, tl, 2000, 4, 0)),
            Err(Errno::INVAL)
        );
        // Absolute targets are refused; relative ones pointing outside are
        // created (resolution never follows them out) and read back.
        let (a, al) = env.put(1200, b"/etc/passwd");
        let (n3, nl3) = env.put(1300, b"abs");
        assert_eq!(
            env.with(|c, m| c.path_symlink(m, a, al, 3, n3, nl3)),
            Err(Errno::PERM)
        );
        fs::create_dir(env.host("a")).unwrap();
        for (i, out) in [&b"../x"[..], b"a/../../x"].into_iter().enumerate() {
            let (t, tl) = env.put(1200, out);
            let (n, nl) = env.put(1300, format!("out{i}").as_bytes());
            env.with(|c, m| c.path_symlink(m, t, tl, 3, n, nl)).unwrap();
            env.with(|c, m| c.path_readlink(m, 3, n, nl, 2000, 64, 0))
                .unwrap();
            assert_eq!(&env.buf[2000..2000 + out.len()], out);
            assert_eq!(
                env.with(|c, m| c.path_filestat_get(m, 3, 1, n, nl, 100)),
                Err(Errno::PERM)
            );
        }
        // A host link with an absolute target: its target is not shown.
        std::os::unix::fs::symlink("/etc/passwd", env.host("host-abs")).unwrap();
        let (h, hl) = env.put(1300, b"host-abs");
        assert_eq!(
            env.with(|c, m| c.path_readlink(m, 3, h, hl, 2000, 64, 0)),
            Err(Errno::PERM)
        );
        // Too long a target is refused before it is copied.
        assert_eq!(
            env.with(|c, m| c.path_symlink(m, 0, 5000, 3, n3, nl3)),
            Err(Errno::NAMETOOLONG)
        );
        // Existing name.
        assert_eq!(
            env.with(|c, m| c.path_symlink(m, t, tl, 3, n, nl)),
            Err(Errno::EXIST)
        );
        // filestat without follow sees the link, with follow the file.
        env.with(|c, m| c.path_filestat_get(m, 3, 0, n, nl, 100))
            .unwrap();
        assert_eq!(env.buf[116], types::filetype::SYMBOLIC_LINK);
        env.with(|c, m| c.path_filestat_get(m, 3, 1, n, nl, 100))
            .unwrap();
        assert_eq!(env.buf[116], types::filetype::REGULAR_FILE);
    }

    #[test]
    fn set_times() {
        let mut env = Env::new();
        fs::write(env.host("t"), b"x").unwrap();
        let (p, l) = env.put(1000, b"t");
        let fst = u32::from(types::fstflags::MTIM | types::fstflags::ATIM);
        env.with(|c, m| {
            c.path_filestat_set_times(m, 3, 0, p, l, 5_000_000_000, 7_000_000_001, fst)
        })
        .unwrap();
        env.with(|c, m| c.path_filestat_get(m, 3, 0, p, l, 100))
            .unwrap();
        assert_eq!(env.u64_at(140), 5_000_000_000);
        assert_eq!(env.u64_at(148), 7_000_000_001);
    }
}
