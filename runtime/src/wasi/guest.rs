//! Bounds-checked access to the calling instance's linear memory.
//!
//! Guest pointers are never trusted: every access is checked against the
//! memory's current length and fails with `FAULT`. No Rust references into
//! guest memory are created (a guest may pass overlapping buffers); data is
//! copied with raw pointer operations or handed to the kernel as iovecs.

use super::errno::{Errno, WasiResult};
use alloc::vec::Vec;
use wasmlink_abi::VMMemory;

/// Maximum iovecs handed to one host call (`IOV_MAX` on Linux). Longer
/// lists are served partially, which the read/write contracts allow.
const IOV_MAX: usize = 1024;

/// A view of a linear memory (`len` 0 when the instance has none, so every
/// access faults).
pub struct GuestMem {
    base: *mut u8,
    len: u64,
}

impl GuestMem {
    /// # Safety
    /// `mem` is null or points to a live `VMMemory`.
    pub unsafe fn from_vm(mem: *const VMMemory) -> GuestMem {
        if mem.is_null() {
            GuestMem {
                base: core::ptr::null_mut(),
                len: 0,
            }
        } else {
            // SAFETY: a non-null `mem` is a live `VMMemory` (the contract).
            let m = unsafe { &*mem };
            GuestMem {
                base: m.base,
                len: m.length,
            }
        }
    }

    /// A view of a host buffer (tests). The buffer must outlive the view.
    #[cfg(test)]
    pub fn from_slice(buf: &mut [u8]) -> GuestMem {
        GuestMem {
            base: buf.as_mut_ptr(),
            len: buf.len() as u64,
        }
    }

    /// The host address of `[at, at + len)`, or `FAULT`.
    ///
    /// Regions must also end within the 32-bit address space (WASI preview
    /// 1 pointers are 32-bit even in a 64-bit memory). Callers rely on
    /// that: `u32` offsets computed inside a checked region cannot
    /// overflow.
    pub fn ptr(&self, at: u32, len: u64) -> WasiResult<*mut u8> {
        if crate::memory::in_bounds(u64::from(at), len, self.len.min(1 << 32)) {
            // In bounds of the accessible region. wrapping_add keeps even
            // a memory-less view's null base free of UB.
            Ok(self.base.wrapping_add(at as usize))
        } else {
            Err(Errno::FAULT)
        }
    }

    /// Copy `data` to guest address `at`.
    pub fn write(&self, at: u32, data: &[u8]) -> WasiResult<()> {
        let p = self.ptr(at, data.len() as u64)?;
        // SAFETY: `ptr` checked `[p, p + len)` against the memory (module
        // docs of `wasi`: guest memory); `data` is host memory, so the two
        // cannot overlap.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), p, data.len()) };
        Ok(())
    }

    /// Copy `len` guest bytes at `at` out.
    pub fn read(&self, at: u32, len: u32) -> WasiResult<Vec<u8>> {
        let p = self.ptr(at, u64::from(len))?;
        let mut v = vec![0u8; len as usize];
        // SAFETY: `ptr` checked the guest region; `v` is a fresh host
        // buffer of the same length.
        unsafe { core::ptr::copy_nonoverlapping(p, v.as_mut_ptr(), v.len()) };
        Ok(v)
    }

    pub fn write_u8(&self, at: u32, v: u8) -> WasiResult<()> {
        self.write(at, &[v])
    }
    pub fn write_u16(&self, at: u32, v: u16) -> WasiResult<()> {
        self.write(at, &v.to_le_bytes())
    }
    pub fn write_u32(&self, at: u32, v: u32) -> WasiResult<()> {
        self.write(at, &v.to_le_bytes())
    }
    pub fn write_u64(&self, at: u32, v: u64) -> WasiResult<()> {
        self.write(at, &v.to_le_bytes())
    }

    fn read_array<const N: usize>(&self, at: u32) -> WasiResult<[u8; N]> {
        let p = self.ptr(at, N as u64)?;
        let mut b = [0u8; N];
        // SAFETY: `ptr` checked the N-byte guest region; `b` is a local.
        unsafe { core::ptr::copy_nonoverlapping(p, b.as_mut_ptr(), N) };
        Ok(b)
    }
    pub fn read_u8(&self, at: u32) -> WasiResult<u8> {
        Ok(self.read_array::<1>(at)?[0])
    }
    pub fn read_u16(&self, at: u32) -> WasiResult<u16> {
        self.read_array(at).map(u16::from_le_bytes)
    }
    pub fn read_u32(&self, at: u32) -> WasiResult<u32> {
        self.read_array(at).map(u32::from_le_bytes)
    }
    pub fn read_u64(&self, at: u32) -> WasiResult<u64> {
        self.read_array(at).map(u64::from_le_bytes)
    }

    /// Check that `size` bytes at `at` may be written later (so an output
    /// pointer is validated before a call with side effects).
    pub fn check_out(&self, at: u32, size: u64) -> WasiResult<()> {
        self.ptr(at, size).map(|_| ())
    }

    /// Translate a guest `iovec`/`ciovec` array (`{ buf: u32, buf_len: u32 }`
    /// each) into host iovecs, checking every buffer. At most `IOV_MAX`
    /// entries are returned.
    pub fn iovecs(&self, iovs: u32, count: u32) -> WasiResult<Vec<libc::iovec>> {
        self.ptr(iovs, u64::from(count) * 8)?;
        let mut out = Vec::with_capacity((count as usize).min(IOV_MAX));
        for i in 0..count.min(IOV_MAX as u32) {
            let at = iovs + i * 8; // cannot overflow: the array is in bounds
            let buf = self.read_u32(at)?;
            let len = self.read_u32(at + 4)?;
            let p = self.ptr(buf, u64::from(len))?;
            out.push(libc::iovec {
                iov_base: p.cast(),
                iov_len: len as usize,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked() {
        let mut buf = vec![0u8; 16];
        let m = GuestMem::from_slice(&mut buf);
        assert!(m.write_u64(8, 1).is_ok());
        assert_eq!(m.write_u64(9, 1), Err(Errno::FAULT));
        assert_eq!(m.write_u32(u32::MAX, 1), Err(Errno::FAULT));
        assert_eq!(m.read(16, 0).unwrap(), Vec::<u8>::new());
        assert_eq!(m.read(17, 0), Err(Errno::FAULT));
        assert_eq!(m.read_u64(8).unwrap(), 1);
        // SAFETY: null is allowed: a view of no memory.
        let none = unsafe { GuestMem::from_vm(std::ptr::null()) };
        assert_eq!(none.read_u8(0), Err(Errno::FAULT));
    }

    #[test]
    fn regions_end_below_4_gib() {
        // A 64-bit memory larger than 4 GiB still only serves 32-bit
        // pointers, so offsets inside a checked region never wrap.
        let m = GuestMem {
            base: std::ptr::null_mut(),
            len: 1 << 33,
        };
        assert!(m.ptr(u32::MAX - 3, 4).is_ok());
        assert_eq!(m.ptr(u32::MAX - 3, 5).unwrap_err(), Errno::FAULT);
        assert_eq!(m.ptr(u32::MAX, 2).unwrap_err(), Errno::FAULT);
    }

    #[test]
    fn iovec_translation() {
        let mut buf = vec![0u8; 64];
        let m = GuestMem::from_slice(&mut buf);
        m.write_u32(0, 32).unwrap();
        m.write_u32(4, 8).unwrap();
        m.write_u32(8, 60).unwrap();
        m.write_u32(12, 4).unwrap();
        let v = m.iovecs(0, 2).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].iov_len, 4);
        m.write_u32(12, 5).unwrap();
        assert_eq!(m.iovecs(0, 2).unwrap_err(), Errno::FAULT);
        assert_eq!(m.iovecs(60, 1).unwrap_err(), Errno::FAULT);
        assert_eq!(m.iovecs(0, u32::MAX).unwrap_err(), Errno::FAULT);
    }
}
