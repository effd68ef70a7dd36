//! The table of WASI descriptors: guest fd number → host descriptor and
//! the kind of object behind it.
//!
//! fds 0, 1 and 2 are the host's stdio, borrowed rather than owned: closing
//! them from the guest only removes the entry, so host fds 0..=2 stay
//! reserved for stdio (the runtime's own trap messages go to fd 2).
//! Preopened directories follow at 3, 4, … in configuration order.
//!
//! The kind decides which calls a descriptor accepts, with the errno the
//! reference runtime gives otherwise (see [`super::rights`]); the
//! accessors below are those rules, one per family of calls.
//!
//! An embedded file or directory (`crate::embed`) has no host descriptor:
//! its entry is a [`HostFd::Embedded`] of the usual kind (a directory, or
//! a file open for reading), and every call that would hand the host a
//! descriptor asks [`FdTable::embedded`] first and serves it from the
//! executable instead.

use super::errno::{Errno, WasiResult};
use super::rights;
use crate::embed::EmbeddedNode;
use crate::platform::fd::{AsRawFd, OwnedFd, RawFd};
use alloc::vec::Vec;

/// A host descriptor, owned unless it is one of the host's stdio fds, or
/// an embedded file or directory.
#[derive(Debug)]
pub enum HostFd {
    Borrowed(RawFd),
    Owned(OwnedFd),
    Embedded(EmbeddedFd),
}

/// An open embedded file or directory.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedFd {
    pub node: EmbeddedNode,
    /// A file's position.
    pub pos: u64,
    /// The flags `fd_fdstat_set_flags` set (`APPEND`, `NONBLOCK`), which
    /// change nothing on a file that cannot be written or block.
    pub flags: u16,
}

impl HostFd {
    /// The host descriptor; -1 for an embedded one, which every call
    /// serves before it would reach the host (and which the kernel would
    /// refuse with `EBADF`, never taking it for another descriptor).
    pub fn raw(&self) -> RawFd {
        match self {
            HostFd::Borrowed(fd) => *fd,
            HostFd::Owned(fd) => fd.as_raw_fd(),
            HostFd::Embedded(_) => -1,
        }
    }
}

/// What a descriptor is, as far as preview 1 calls care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdKind {
    /// A byte stream without a position: the host's stdio (fd 0 reads, 1
    /// and 2 write, whatever the host descriptor is) or an accepted
    /// socket (both).
    Stream { readable: bool, writable: bool },
    /// A directory: paths resolve beneath it.
    Directory,
    /// Anything `path_open` opened that is not a directory, with the access
    /// mode it was opened with.
    File { readable: bool, writable: bool },
}

#[derive(Debug)]
pub struct FdEntry {
    pub host: HostFd,
    pub kind: FdKind,
    /// The guest name of a preopened directory.
    pub preopen: Option<Vec<u8>>,
}

impl FdEntry {
    pub fn new(host: HostFd, kind: FdKind) -> FdEntry {
        FdEntry {
            host,
            kind,
            preopen: None,
        }
    }

    /// Host stdio descriptor `fd` (0, 1 or 2).
    pub fn stdio(fd: RawFd) -> FdEntry {
        FdEntry::new(
            HostFd::Borrowed(fd),
            FdKind::Stream {
                readable: fd == 0,
                writable: fd != 0,
            },
        )
    }

    /// A preopened directory called `name` in the guest.
    pub fn preopen(dir: OwnedFd, name: Vec<u8>) -> FdEntry {
        FdEntry {
            host: HostFd::Owned(dir),
            kind: FdKind::Directory,
            preopen: Some(name),
        }
    }

    /// An embedded file or directory; a file is open for reading only.
    pub fn embedded(node: EmbeddedNode) -> FdEntry {
        let kind = if node.is_dir() {
            FdKind::Directory
        } else {
            FdKind::File {
                readable: true,
                writable: false,
            }
        };
        FdEntry::new(
            HostFd::Embedded(EmbeddedFd {
                node,
                pos: 0,
                flags: 0,
            }),
            kind,
        )
    }

    pub fn raw(&self) -> RawFd {
        self.host.raw()
    }

    /// `(base, inheriting)` rights as `fd_fdstat_get` reports them.
    pub fn rights(&self) -> (u64, u64) {
        rights::reported(&self.kind, self.preopen.is_some())
    }
}

#[derive(Debug, Default)]
pub struct FdTable {
    slots: Vec<Option<FdEntry>>,
}

impl FdTable {
    /// The preopened directories still in the table, in descriptor order:
    /// (guest name, host descriptor or embedded directory).
    pub fn preopens(&self) -> Vec<(&[u8], &HostFd)> {
        self.slots
            .iter()
            .flatten()
            .filter_map(|e| e.preopen.as_deref().map(|name| (name, &e.host)))
            .collect()
    }

    /// The embedded file or directory `fd` is, if it is one.
    pub fn embedded(&self, fd: u32) -> Option<&EmbeddedFd> {
        match &self.get(fd).ok()?.host {
            HostFd::Embedded(e) => Some(e),
            _ => None,
        }
    }

    /// [`FdTable::embedded`], to change its position or flags.
    pub fn embedded_mut(&mut self, fd: u32) -> Option<&mut EmbeddedFd> {
        match self
            .slots
            .get_mut(fd as usize)?
            .as_mut()
            .map(|e| &mut e.host)
        {
            Some(HostFd::Embedded(e)) => Some(e),
            _ => None,
        }
    }

    pub fn get(&self, fd: u32) -> WasiResult<&FdEntry> {
        self.slots
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::BADF)
    }

    /// The host descriptor of `fd`, whatever it is (`sock_*`, which the
    /// host answers `NOTSOCK` for non-sockets).
    pub fn host(&self, fd: u32) -> WasiResult<RawFd> {
        self.get(fd).map(FdEntry::raw)
    }

    /// `fd` when `accept` says its kind may make the call, else the errno
    /// `accept` gives.
    fn checked(&self, fd: u32, accept: impl Fn(&FdKind) -> Result<(), Errno>) -> WasiResult<RawFd> {
        let e = self.get(fd)?;
        accept(&e.kind)?;
        Ok(e.raw())
    }

    /// A file: `fd_advise`, `fd_allocate`, `fd_sync`, `fd_datasync`,
    /// `fd_fdstat_set_flags`, `fd_filestat_set_size` (`BADF` otherwise).
    pub fn file(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::File { .. } => Ok(()),
            _ => Err(Errno::BADF),
        })
    }

    /// A file or a directory: `fd_filestat_set_times`,
    /// `fd_fdstat_set_rights` (`BADF` for streams).
    pub fn file_or_dir(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::Stream { .. } => Err(Errno::BADF),
            _ => Ok(()),
        })
    }

    /// A directory: `fd_readdir` and every `path_*` call but `path_open`
    /// (`BADF` otherwise).
    pub fn dir(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::Directory => Ok(()),
            _ => Err(Errno::BADF),
        })
    }

    /// The directory `path_open` opens beneath: `NOTDIR` for a file,
    /// `BADF` for a stream.
    pub fn dir_to_open_in(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::Directory => Ok(()),
            FdKind::File { .. } => Err(Errno::NOTDIR),
            FdKind::Stream { .. } => Err(Errno::BADF),
        })
    }

    /// Something to `fd_read` from or to poll for reading: a file (the
    /// host refuses one not opened for reading) or a readable stream.
    pub fn readable(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::File { .. } | FdKind::Stream { readable: true, .. } => Ok(()),
            _ => Err(Errno::BADF),
        })
    }

    /// Something to `fd_write` to or to poll for writing.
    pub fn writable(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::File { .. } | FdKind::Stream { writable: true, .. } => Ok(()),
            _ => Err(Errno::BADF),
        })
    }

    /// A descriptor with a position (`fd_seek`, `fd_tell`): a file;
    /// streams answer `SPIPE`, directories `BADF`.
    pub fn positioned(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::File { .. } => Ok(()),
            FdKind::Stream { .. } => Err(Errno::SPIPE),
            FdKind::Directory => Err(Errno::BADF),
        })
    }

    /// `fd_pread`: a file; a readable stream answers `SPIPE`.
    pub fn readable_at(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::File { .. } => Ok(()),
            FdKind::Stream { readable: true, .. } => Err(Errno::SPIPE),
            _ => Err(Errno::BADF),
        })
    }

    /// `fd_pwrite`: a file; a writable stream answers `SPIPE`.
    pub fn writable_at(&self, fd: u32) -> WasiResult<RawFd> {
        self.checked(fd, |k| match k {
            FdKind::File { .. } => Ok(()),
            FdKind::Stream { writable: true, .. } => Err(Errno::SPIPE),
            _ => Err(Errno::BADF),
        })
    }

    /// Add `entry` at the lowest free number.
    pub fn insert(&mut self, entry: FdEntry) -> WasiResult<u32> {
        let i = match self.slots.iter().position(Option::is_none) {
            Some(i) => i,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        let fd = u32::try_from(i).map_err(|_| Errno::MFILE)?;
        self.slots[i] = Some(entry);
        Ok(fd)
    }

    /// Put `entry` at exactly `fd` (startup: stdio and preopens).
    pub fn insert_at(&mut self, fd: u32, entry: FdEntry) {
        let i = fd as usize;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots[i] = Some(entry);
    }

    pub fn remove(&mut self, fd: u32) -> WasiResult<FdEntry> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::BADF)
    }

    /// Move `from` to `to`, closing what `to` held. Both must be open. The
    /// entry moves whole: kind, rights and preopen name go with it.
    pub fn renumber(&mut self, from: u32, to: u32) -> WasiResult<()> {
        self.get(from)?;
        self.get(to)?;
        if from != to {
            let e = self.remove(from)?;
            // Dropping the old entry closes its host descriptor.
            self.slots[to as usize] = Some(e);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: RawFd) -> FdEntry {
        FdEntry::new(
            HostFd::Borrowed(n),
            FdKind::File {
                readable: true,
                writable: false,
            },
        )
    }

    #[test]
    fn lowest_free_and_renumber() {
        let mut t = FdTable::default();
        for i in 0..3 {
            t.insert_at(i, entry(i as RawFd));
        }
        assert_eq!(t.insert(entry(10)).unwrap(), 3);
        assert_eq!(t.insert(entry(11)).unwrap(), 4);
        t.remove(3).unwrap();
        assert_eq!(t.remove(3).unwrap_err(), Errno::BADF);
        assert_eq!(t.insert(entry(12)).unwrap(), 3);
        t.renumber(4, 3).unwrap();
        assert_eq!(t.host(3).unwrap(), 11);
        assert_eq!(t.host(4).unwrap_err(), Errno::BADF);
        assert_eq!(t.renumber(3, 9).unwrap_err(), Errno::BADF);
        assert_eq!(t.renumber(9, 3).unwrap_err(), Errno::BADF);
        t.renumber(3, 3).unwrap();
        assert_eq!(t.dir(3).unwrap_err(), Errno::BADF);
        assert_eq!(t.dir_to_open_in(3).unwrap_err(), Errno::NOTDIR);
        assert_eq!(t.get(u32::MAX).unwrap_err(), Errno::BADF);
    }

    /// Which calls each kind accepts, and the errno otherwise: the table
    /// the reference runtime's behaviour gives (see `tests/wasi/rights_fd.c`).
    #[test]
    fn accessors_by_kind() {
        use FdKind::*;
        let mut t = FdTable::default();
        let kinds = [
            Stream {
                readable: true,
                writable: false,
            },
            Stream {
                readable: false,
                writable: true,
            },
            Directory,
            File {
                readable: true,
                writable: false,
            },
        ];
        for (i, k) in kinds.into_iter().enumerate() {
            t.insert_at(i as u32, FdEntry::new(HostFd::Borrowed(40 + i as RawFd), k));
        }
        type Accessor = fn(&FdTable, u32) -> WasiResult<RawFd>;
        type PerKind = [Result<(), Errno>; 4];
        let ok = Ok(());
        let badf = Err(Errno::BADF);
        let spipe = Err(Errno::SPIPE);
        let notdir = Err(Errno::NOTDIR);
        // (accessor, [stdin-like, stdout-like, directory, file])
        let table: [(&str, Accessor, PerKind); 9] = [
            ("file", FdTable::file, [badf, badf, badf, ok]),
            ("file_or_dir", FdTable::file_or_dir, [badf, badf, ok, ok]),
            ("dir", FdTable::dir, [badf, badf, ok, badf]),
            (
                "dir_to_open_in",
                FdTable::dir_to_open_in,
                [badf, badf, ok, notdir],
            ),
            ("readable", FdTable::readable, [ok, badf, badf, ok]),
            ("writable", FdTable::writable, [badf, ok, badf, ok]),
            ("positioned", FdTable::positioned, [spipe, spipe, badf, ok]),
            ("readable_at", FdTable::readable_at, [spipe, badf, badf, ok]),
            ("writable_at", FdTable::writable_at, [badf, spipe, badf, ok]),
        ];
        for (name, accessor, expected) in table {
            for (fd, want) in expected.into_iter().enumerate() {
                let got = accessor(&t, fd as u32);
                assert_eq!(got.map(drop), want, "{name} on fd {fd}");
                if want.is_ok() {
                    assert_eq!(got, Ok(40 + fd as RawFd));
                }
            }
            assert_eq!(accessor(&t, 9), Err(Errno::BADF), "{name} on a free number");
        }
    }
}
