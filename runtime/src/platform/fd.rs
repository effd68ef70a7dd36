//! Owned host descriptors: the part of `std::os::fd` the runtime uses,
//! with the same names, so code reads as it did with `std`.

use core::ffi::c_int;
use core::fmt;

/// A host file descriptor number.
pub type RawFd = c_int;

/// A descriptor this value owns: closed when it is dropped.
#[repr(transparent)]
pub struct OwnedFd {
    fd: RawFd,
}

/// Access to the descriptor number of an open descriptor.
pub trait AsRawFd {
    fn as_raw_fd(&self) -> RawFd;
}

/// Taking ownership of a descriptor number.
pub trait FromRawFd {
    /// # Safety
    /// `fd` is open and owned by nothing else: the new value closes it.
    unsafe fn from_raw_fd(fd: RawFd) -> Self;
}

impl AsRawFd for OwnedFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl FromRawFd for OwnedFd {
    unsafe fn from_raw_fd(fd: RawFd) -> OwnedFd {
        debug_assert!(fd >= 0);
        OwnedFd { fd }
    }
}

impl Drop for OwnedFd {
    fn drop(&mut self) {
        // Errors are ignored, as std does: the descriptor is released
        // either way (Linux closes it even when close reports EINTR).
        // SAFETY: this value owns `fd` (`from_raw_fd`'s contract) and
        // nothing uses it after the drop.
        unsafe { libc::close(self.fd) };
    }
}

impl fmt::Debug for OwnedFd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedFd").field("fd", &self.fd).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_closes() {
        let mut p = [0; 2];
        // SAFETY: pipe fills `p`, a live local, with two new descriptors.
        assert_eq!(unsafe { libc::pipe(p.as_mut_ptr()) }, 0);
        // SAFETY: both are open and owned by nothing else.
        let (r, w) = unsafe { (OwnedFd::from_raw_fd(p[0]), OwnedFd::from_raw_fd(p[1])) };
        assert_eq!(r.as_raw_fd(), p[0]);
        assert_eq!(format!("{w:?}"), format!("OwnedFd {{ fd: {} }}", p[1]));
        drop(w);
        // SAFETY: F_GETFD only queries the (now closed) number.
        assert_eq!(unsafe { libc::fcntl(p[1], libc::F_GETFD) }, -1);
        drop(r);
    }
}
