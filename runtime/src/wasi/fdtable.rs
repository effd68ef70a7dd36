//! The table of WASI descriptors: guest fd number → host descriptor.
//!
//! fds 0, 1 and 2 are the host's stdio, borrowed rather than owned: closing
//! them from the guest only removes the entry, so host fds 0..=2 stay
//! reserved for stdio (the runtime's own trap messages go to fd 2).
//! Preopened directories follow at 3, 4, … in configuration order.

use super::errno::{Errno, WasiResult};
use super::types::rights;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

/// A host descriptor, owned unless it is one of the host's stdio fds.
#[derive(Debug)]
pub enum HostFd {
    Borrowed(RawFd),
    Owned(OwnedFd),
}

impl HostFd {
    pub fn raw(&self) -> RawFd {
        match self {
            HostFd::Borrowed(fd) => *fd,
            HostFd::Owned(fd) => fd.as_raw_fd(),
        }
    }
}

#[derive(Debug)]
pub struct FdEntry {
    pub host: HostFd,
    /// Whether the descriptor is a directory (paths resolve beneath it).
    pub is_dir: bool,
    /// The guest name of a preopened directory.
    pub preopen: Option<Vec<u8>>,
    /// Rights as reported by `fd_fdstat_get`. They are not enforced (the
    /// host enforces access modes); `fd_fdstat_set_rights` may only drop.
    pub rights_base: u64,
    pub rights_inheriting: u64,
}

impl FdEntry {
    pub fn new(host: HostFd, is_dir: bool) -> FdEntry {
        FdEntry {
            host,
            is_dir,
            preopen: None,
            rights_base: rights::ALL,
            rights_inheriting: rights::ALL,
        }
    }

    pub fn raw(&self) -> RawFd {
        self.host.raw()
    }
}

#[derive(Debug, Default)]
pub struct FdTable {
    slots: Vec<Option<FdEntry>>,
}

impl FdTable {
    pub fn get(&self, fd: u32) -> WasiResult<&FdEntry> {
        self.slots
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::BADF)
    }

    pub fn get_mut(&mut self, fd: u32) -> WasiResult<&mut FdEntry> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::BADF)
    }

    /// The host descriptor of `fd`.
    pub fn host(&self, fd: u32) -> WasiResult<RawFd> {
        self.get(fd).map(FdEntry::raw)
    }

    /// The host descriptor of `fd` for reading or writing bytes. Directory
    /// descriptors carry no read/write rights in preview 1, so they answer
    /// `BADF` (as other WASI runtimes do), not the host's `EISDIR`.
    pub fn stream(&self, fd: u32) -> WasiResult<RawFd> {
        let e = self.get(fd)?;
        if e.is_dir {
            Err(Errno::BADF)
        } else {
            Ok(e.raw())
        }
    }

    /// The host descriptor of directory `fd` (`NOTDIR` for other kinds).
    pub fn dir(&self, fd: u32) -> WasiResult<RawFd> {
        let e = self.get(fd)?;
        if e.is_dir {
            Ok(e.raw())
        } else {
            Err(Errno::NOTDIR)
        }
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

    /// Move `from` to `to`, closing what `to` held. Both must be open.
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
        FdEntry::new(HostFd::Borrowed(n), false)
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
        assert_eq!(t.dir(3).unwrap_err(), Errno::NOTDIR);
        assert_eq!(t.get(u32::MAX).unwrap_err(), Errno::BADF);
    }
}
