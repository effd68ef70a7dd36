//! Preview 1 on embedded files and directories (`crate::embed`): the
//! calls of `fd.rs`, `dir.rs` and `path_ops.rs` hand a descriptor to the
//! functions here when [`super::fdtable::FdTable::embedded`] says it is
//! one, after the same checks of its kind (so a call on the wrong kind
//! fails exactly as on a host descriptor).
//!
//! Files read from the executable's pages; they are open for reading
//! only, so writing is `BADF` (as for a host file opened read-only) and
//! resizing `INVAL`; everything that would change the tree is `ROFS`
//! (`crate::embed::ops`). Status: device `wasmlink_abi::embed::DEVICE`,
//! the node's inode number, one link, every time 0.

use super::dir::{push_dirent, DirEntry};
use super::errno::{Errno, WasiResult};
use super::fdtable::{FdEntry, FdKind};
use super::guest::GuestMem;
use super::types::{filetype, FILESTAT_SIZE};
use super::WasiCtx;
use crate::embed::ops::{self, OpenRequest};
use crate::embed::EmbeddedNode;
use crate::platform::fd::RawFd;
use alloc::vec::Vec;

/// The directory a path call works beneath.
#[derive(Clone, Copy, Debug)]
pub enum Dir {
    Host(RawFd),
    Embedded(EmbeddedNode),
}

/// The preview 1 file type of an embedded node.
pub fn node_filetype(n: &EmbeddedNode) -> u8 {
    let info = n.info();
    if info.is_dir() {
        filetype::DIRECTORY
    } else if info.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else {
        filetype::REGULAR_FILE
    }
}

/// Write the `filestat` of `n` at `buf`.
pub fn write_filestat(mem: &GuestMem, buf: u32, n: &EmbeddedNode) -> WasiResult<()> {
    let mut b = [0u8; FILESTAT_SIZE as usize];
    b[0..8].copy_from_slice(&wasmlink_abi::embed::DEVICE.to_le_bytes());
    b[8..16].copy_from_slice(&n.ino().to_le_bytes());
    b[16] = node_filetype(n);
    b[24..32].copy_from_slice(&1u64.to_le_bytes());
    b[32..40].copy_from_slice(&n.info().size().to_le_bytes());
    // Access, modification and change times: 0, the epoch.
    mem.write(buf, &b)
}

/// Copy `data` into the (checked) host iovecs `v`, in order; the number
/// of bytes copied.
fn copy_to_iovecs(data: &[u8], v: &[libc::iovec]) -> usize {
    let mut done = 0;
    for iov in v {
        if done == data.len() {
            break;
        }
        let n = iov.iov_len.min(data.len() - done);
        // SAFETY: `GuestMem::iovecs` checked every buffer against the
        // guest memory, which stays valid for the call (module docs of
        // `wasi`: guest memory); the source is the executable's read-only
        // data, which no guest memory overlaps.
        unsafe {
            core::ptr::copy_nonoverlapping(data.as_ptr().add(done), iov.iov_base.cast::<u8>(), n)
        };
        done += n;
    }
    done
}

/// The entries of embedded directory `dir` from `cookie` on, serialised
/// as `fd_readdir` returns them and cut to `limit` bytes. A cookie is the
/// number of entries before (`.` and `..` are the first two).
pub fn read_entries(dir: &EmbeddedNode, cookie: u64, limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, (name, n)) in ops::entries(dir)
        .enumerate()
        .skip(cookie.min(usize::MAX as u64) as usize)
    {
        if out.len() >= limit {
            break;
        }
        push_dirent(
            &mut out,
            &DirEntry {
                next: k as u64 + 1,
                ino: n.ino(),
                kind: node_filetype(&n),
                name,
            },
        );
    }
    out.truncate(limit);
    out
}

impl WasiCtx {
    /// The directory of `fd` for a path call (`BADF` unless a directory).
    pub(super) fn path_dir(&self, fd: u32) -> WasiResult<Dir> {
        let host = self.fds.dir(fd)?;
        Ok(match self.fds.embedded(fd) {
            Some(e) => Dir::Embedded(e.node),
            None => Dir::Host(host),
        })
    }

    /// `fd_read` (`at: None`, from the position, which moves) and
    /// `fd_pread` (`at: Some(offset)`) of embedded file `fd`.
    pub(super) fn embedded_read(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        at: Option<u64>,
        nread: u32,
    ) -> WasiResult<()> {
        let v = mem.iovecs(iovs, iovs_len)?;
        let e = self.fds.embedded_mut(fd).ok_or(Errno::BADF)?;
        let offset = at.unwrap_or(e.pos);
        let want: u64 = v.iter().map(|i| i.iov_len as u64).sum();
        let copy = |d: &[u8]| {
            copy_to_iovecs(d, &v);
            Ok(())
        };
        let n = ops::read_at(&e.node, offset, copy, want)?;
        if at.is_none() {
            e.pos = offset.saturating_add(n as u64);
        }
        mem.write_u32(nread, n as u32)
    }

    /// `fd_seek` of embedded file `fd` (`whence` already decoded).
    pub(super) fn embedded_seek(&mut self, fd: u32, off: i64, whence: i32) -> WasiResult<u64> {
        let e = self.fds.embedded_mut(fd).ok_or(Errno::BADF)?;
        let base = match whence {
            libc::SEEK_SET => 0,
            libc::SEEK_CUR => e.pos,
            _ => e.node.info().size(),
        };
        // As lseek: a position before the start is `INVAL`, past the end
        // is allowed (reads there return nothing).
        let pos = i64::try_from(base)
            .ok()
            .and_then(|b| b.checked_add(off))
            .filter(|&p| p >= 0)
            .ok_or(Errno::INVAL)?;
        e.pos = pos as u64;
        Ok(e.pos)
    }

    /// `fd_fdstat_get`'s file type and flags of embedded `fd`.
    pub(super) fn embedded_fdstat(&self, fd: u32) -> WasiResult<(u8, u16)> {
        let e = self.fds.embedded(fd).ok_or(Errno::BADF)?;
        Ok(match self.fds.get(fd)?.kind {
            FdKind::Directory => (filetype::DIRECTORY, 0),
            _ => (node_filetype(&e.node), e.flags),
        })
    }

    /// `path_open` beneath embedded directory `dir`: a new descriptor of
    /// the file or directory, open for reading.
    pub(super) fn embedded_open(
        &mut self,
        dir: &EmbeddedNode,
        path: &[u8],
        follow: bool,
        req: OpenRequest,
        fdflags: u16,
    ) -> WasiResult<u32> {
        let node = ops::open(dir, path, follow, req)?;
        let mut entry = FdEntry::embedded(node);
        if let super::fdtable::HostFd::Embedded(e) = &mut entry.host {
            e.flags = fdflags & (super::types::fdflags::APPEND | super::types::fdflags::NONBLOCK);
        }
        self.fds.insert(entry)
    }
}

#[cfg(test)]
mod tests {
    use crate::embed::testutil::sample;
    use crate::embed::EmbeddedNode;
    use crate::wasi::errno::Errno;
    use crate::wasi::guest::GuestMem;
    use crate::wasi::rights;
    use crate::wasi::types::filetype;
    use crate::wasi::{Preopen, WasiCtx};

    /// A context whose fd 3 is the sample tree, as "/data".
    struct Env {
        ctx: WasiCtx,
        buf: Vec<u8>,
    }

    impl Env {
        fn new() -> Env {
            let root = EmbeddedNode::root(sample(), 0).unwrap();
            Env {
                ctx: WasiCtx::with_preopens(
                    Vec::new(),
                    Vec::new(),
                    vec![(b"/data".to_vec(), Preopen::Embedded(root))],
                ),
                buf: vec![0; 65536],
            }
        }
        fn with<R>(&mut self, f: impl FnOnce(&mut WasiCtx, &GuestMem) -> R) -> R {
            let mem = GuestMem::from_slice(&mut self.buf);
            f(&mut self.ctx, &mem)
        }
        fn put(&mut self, at: u32, s: &[u8]) -> (u32, u32) {
            self.buf[at as usize..at as usize + s.len()].copy_from_slice(s);
            (at, s.len() as u32)
        }
        fn u32_at(&self, at: u32) -> u32 {
            u32::from_le_bytes(self.buf[at as usize..at as usize + 4].try_into().unwrap())
        }
        fn u64_at(&self, at: u32) -> u64 {
            u64::from_le_bytes(self.buf[at as usize..at as usize + 8].try_into().unwrap())
        }
        /// path_open beneath `dir`; the new fd.
        fn open(&mut self, dir: u32, path: &str, oflags: u32, rights: u64) -> Result<u32, Errno> {
            let (p, l) = self.put(1000, path.as_bytes());
            self.with(|c, m| c.path_open(m, dir, 1, p, l, oflags, rights, 0, 0, 0))?;
            Ok(self.u32_at(0))
        }
        /// One iovec at 3000 for (2000, len).
        fn iov(&mut self, len: u32) {
            self.put(3000, &2000u32.to_le_bytes());
            self.put(3004, &len.to_le_bytes());
        }
    }

    #[test]
    fn files_are_read_seeked_and_stated() {
        let mut env = Env::new();
        let fd = env.open(3, "dir/b.txt", 0, rights::FD_READ).unwrap();
        env.iov(4);
        env.with(|c, m| c.fd_read(m, fd, 3000, 1, 10)).unwrap();
        assert_eq!((env.u32_at(10), &env.buf[2000..2004]), (4, &b"brav"[..]));
        env.with(|c, m| c.fd_read(m, fd, 3000, 1, 10)).unwrap();
        assert_eq!((env.u32_at(10), &env.buf[2000..2002]), (2, &b"o!"[..]));
        env.with(|c, m| c.fd_read(m, fd, 3000, 1, 10)).unwrap();
        assert_eq!(env.u32_at(10), 0);
        env.with(|c, m| c.fd_pread(m, fd, 3000, 1, 1, 10)).unwrap();
        assert_eq!(&env.buf[2000..2004], b"ravo");
        env.with(|c, m| c.fd_seek(m, fd, -2, 2, 16)).unwrap();
        assert_eq!(env.u64_at(16), 4);
        env.with(|c, m| c.fd_tell(m, fd, 16)).unwrap();
        assert_eq!(env.u64_at(16), 4);
        assert_eq!(
            env.with(|c, m| c.fd_seek(m, fd, -5, 1, 16)),
            Err(Errno::INVAL)
        );
        env.with(|c, m| c.fd_filestat_get(m, fd, 100)).unwrap();
        assert_eq!(env.buf[116], filetype::REGULAR_FILE);
        assert_eq!(env.u64_at(100), wasmlink_abi::embed::DEVICE);
        assert_eq!(
            (env.u64_at(124), env.u64_at(132), env.u64_at(148)),
            (1, 6, 0)
        );
        env.with(|c, m| c.fd_fdstat_get(m, fd, 200)).unwrap();
        assert_eq!(env.buf[200], filetype::REGULAR_FILE);
        assert_eq!(env.u64_at(208) & rights::FD_WRITE, 0);
        // Read-only: writing is BADF, resizing INVAL, times ROFS.
        assert_eq!(
            env.with(|c, m| c.fd_write(m, fd, 3000, 1, 10)),
            Err(Errno::BADF)
        );
        assert_eq!(
            env.with(|c, m| c.fd_pwrite(m, fd, 3000, 1, 0, 10)),
            Err(Errno::BADF)
        );
        assert_eq!(
            env.with(|c, m| c.fd_filestat_set_size(m, fd, 0)),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.fd_filestat_set_times(m, fd, 0, 0, 2)),
            Err(Errno::ROFS)
        );
        env.with(|c, m| c.fd_sync(m, fd)).unwrap();
        env.with(|c, m| c.fd_advise(m, fd, 0, 0, 1)).unwrap();
        env.with(|c, m| c.fd_fdstat_set_flags(m, fd, 4)).unwrap();
        env.with(|c, m| c.fd_fdstat_get(m, fd, 200)).unwrap();
        assert_eq!(env.buf[202], 4);
        env.with(|c, m| c.fd_close(m, fd)).unwrap();
    }

    #[test]
    fn directories_are_listed_and_walked() {
        let mut env = Env::new();
        env.with(|c, m| c.fd_readdir(m, 3, 100, 4096, 0, 0))
            .unwrap();
        let used = env.u32_at(0) as usize;
        let mut names = Vec::new();
        let mut at = 100;
        while at < 100 + used {
            let len = env.u32_at(at as u32 + 16) as usize;
            names.push(String::from_utf8_lossy(&env.buf[at + 24..at + 24 + len]).into_owned());
            at += 24 + len;
        }
        assert_eq!(
            names,
            [".", "..", "a.txt", "deep", "dir", "empty", "loop", "out"]
        );
        // Resuming from a cookie.
        env.with(|c, m| c.fd_readdir(m, 3, 100, 4096, 7, 0))
            .unwrap();
        assert_eq!(&env.buf[124..127], b"out");
        env.with(|c, m| c.fd_readdir(m, 3, 100, 4096, 8, 0))
            .unwrap();
        assert_eq!(env.u32_at(0), 0);
        // A directory opened beneath, then a file beneath that.
        let d = env.open(3, "deep/x", 2, rights::FD_READ).unwrap();
        let f = env.open(d, "y", 0, rights::FD_READ).unwrap();
        env.iov(10);
        env.with(|c, m| c.fd_read(m, f, 3000, 1, 10)).unwrap();
        assert_eq!(&env.buf[2000..2003], b"why");
        assert_eq!(
            env.open(d, "../../a.txt", 0, rights::FD_READ),
            Err(Errno::PERM)
        );
        assert_eq!(
            env.with(|c, m| c.fd_read(m, d, 3000, 1, 10)),
            Err(Errno::BADF)
        );
        // path_filestat_get, readlink.
        let (p, l) = env.put(1000, b"dir/up");
        env.with(|c, m| c.path_filestat_get(m, 3, 0, p, l, 100))
            .unwrap();
        assert_eq!(env.buf[116], filetype::SYMBOLIC_LINK);
        env.with(|c, m| c.path_filestat_get(m, 3, 1, p, l, 100))
            .unwrap();
        assert_eq!((env.buf[116], env.u64_at(132)), (filetype::REGULAR_FILE, 5));
        env.with(|c, m| c.path_readlink(m, 3, p, l, 500, 100, 0))
            .unwrap();
        assert_eq!(&env.buf[500..508], b"../a.txt");
        // The preopen is a directory with a preopen's rights.
        env.with(|c, m| c.fd_fdstat_get(m, 3, 200)).unwrap();
        assert_eq!(env.buf[200], filetype::DIRECTORY);
        assert_eq!(env.u64_at(208), rights::PREOPEN_BASE);
        env.with(|c, m| c.fd_prestat_dir_name(m, 3, 300, 5))
            .unwrap();
        assert_eq!(&env.buf[300..305], b"/data");
    }

    #[test]
    fn nothing_can_be_changed() {
        let mut env = Env::new();
        assert_eq!(env.open(3, "new", 1, rights::FD_WRITE), Err(Errno::ROFS));
        assert_eq!(env.open(3, "a.txt", 0, rights::FD_WRITE), Err(Errno::ROFS));
        assert_eq!(env.open(3, "a.txt", 8, rights::FD_READ), Err(Errno::ROFS));
        assert_eq!(env.open(3, "a.txt", 5, rights::FD_READ), Err(Errno::EXIST));
        assert_eq!(env.open(3, "dir", 0, rights::FD_WRITE), Err(Errno::ISDIR));
        let (p, l) = env.put(1000, b"a.txt");
        let (q, k) = env.put(1100, b"z");
        assert_eq!(
            env.with(|c, m| c.path_unlink_file(m, 3, p, l)),
            Err(Errno::ROFS)
        );
        assert_eq!(
            env.with(|c, m| c.path_create_directory(m, 3, q, k)),
            Err(Errno::ROFS)
        );
        assert_eq!(
            env.with(|c, m| c.path_create_directory(m, 3, p, l)),
            Err(Errno::EXIST)
        );
        assert_eq!(
            env.with(|c, m| c.path_rename(m, 3, p, l, 3, q, k)),
            Err(Errno::ROFS)
        );
        assert_eq!(
            env.with(|c, m| c.path_link(m, 3, 0, p, l, 3, q, k)),
            Err(Errno::ROFS)
        );
        assert_eq!(
            env.with(|c, m| c.path_symlink(m, p, l, 3, q, k)),
            Err(Errno::ROFS)
        );
        let (e, n) = env.put(1200, b"empty");
        assert_eq!(
            env.with(|c, m| c.path_remove_directory(m, 3, e, n)),
            Err(Errno::ROFS)
        );
        assert_eq!(
            env.with(|c, m| c.path_filestat_set_times(m, 3, 0, p, l, 0, 0, 2)),
            Err(Errno::ROFS)
        );
        assert_eq!(
            env.with(|c, m| c.fd_filestat_set_times(m, 3, 0, 0, 2)),
            Err(Errno::ROFS)
        );
    }

    #[test]
    fn embedded_files_are_always_ready() {
        let mut env = Env::new();
        let fd = env.open(3, "a.txt", 0, rights::FD_READ).unwrap();
        // One fd_read subscription (48 bytes at 4000).
        env.buf[4000..4048].fill(0);
        env.put(4000, &7u64.to_le_bytes());
        env.buf[4008] = 1;
        env.put(4016, &fd.to_le_bytes());
        env.with(|c, m| c.poll_oneoff(m, 4000, 5000, 1, 5100))
            .unwrap();
        assert_eq!(env.u32_at(5100), 1);
        assert_eq!((env.u64_at(5000), env.u64_at(5016)), (7, 5));
    }
}
