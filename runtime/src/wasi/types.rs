//! WASI preview 1 constants and the serialisation of its structures.

use super::errno::{check, Errno, WasiResult};
use super::guest::GuestMem;
use crate::platform::fd::RawFd;

pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_DGRAM: u8 = 5;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

pub mod fdflags {
    pub const APPEND: u16 = 1;
    pub const DSYNC: u16 = 2;
    pub const NONBLOCK: u16 = 4;
    pub const RSYNC: u16 = 8;
    pub const SYNC: u16 = 16;
    pub const ALL: u16 = 31;
}

pub mod oflags {
    pub const CREAT: u16 = 1;
    pub const DIRECTORY: u16 = 2;
    pub const EXCL: u16 = 4;
    pub const TRUNC: u16 = 8;
}

pub mod lookupflags {
    pub const SYMLINK_FOLLOW: u32 = 1;
}

pub mod fstflags {
    pub const ATIM: u16 = 1;
    pub const ATIM_NOW: u16 = 2;
    pub const MTIM: u16 = 4;
    pub const MTIM_NOW: u16 = 8;
}

pub mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// Size of a `filestat` in guest memory.
pub const FILESTAT_SIZE: u64 = 64;

/// The WASI file type of a host `st_mode` (sockets reported as streams;
/// [`fd_filetype`] refines that for open descriptors).
pub fn filetype_of_mode(mode: libc::mode_t) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFBLK => filetype::BLOCK_DEVICE,
        libc::S_IFCHR => filetype::CHARACTER_DEVICE,
        libc::S_IFDIR => filetype::DIRECTORY,
        libc::S_IFREG => filetype::REGULAR_FILE,
        libc::S_IFSOCK => filetype::SOCKET_STREAM,
        libc::S_IFLNK => filetype::SYMBOLIC_LINK,
        // FIFOs have no WASI file type.
        _ => filetype::UNKNOWN,
    }
}

/// `fstat` of a host descriptor.
pub fn fstat(fd: RawFd) -> WasiResult<libc::stat> {
    // SAFETY: a zeroed `stat` is a valid value of the plain C struct and
    // the only memory fstat writes; the caller's `fd` is open (a
    // descriptor of the fd table, see the module docs of `wasi`).
    unsafe {
        let mut st: libc::stat = core::mem::zeroed();
        check(libc::fstat(fd, &mut st))?;
        Ok(st)
    }
}

/// The WASI file type of an open host descriptor.
pub fn fd_filetype(fd: RawFd, st: &libc::stat) -> u8 {
    let ty = filetype_of_mode(st.st_mode);
    if ty != filetype::SOCKET_STREAM {
        return ty;
    }
    let mut sock_type: libc::c_int = 0;
    let mut len = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` (the size of `sock_type`)
    // bytes to `sock_type` and updates `len`, both live locals.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_TYPE,
            (&mut sock_type as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    match (r, sock_type) {
        (0, libc::SOCK_DGRAM) => filetype::SOCKET_DGRAM,
        (0, libc::SOCK_STREAM) => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

/// Nanoseconds since the epoch of a host timestamp (clamped at 0).
fn nanos(sec: i64, nsec: i64) -> u64 {
    (sec.max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(nsec.max(0) as u64)
}

/// Serialise a `filestat`: dev, ino, filetype, nlink, size, atim, mtim, ctim.
pub fn write_filestat(mem: &GuestMem, at: u32, st: &libc::stat, filetype: u8) -> WasiResult<()> {
    let mut b = [0u8; FILESTAT_SIZE as usize];
    b[0..8].copy_from_slice(&st.st_dev.to_le_bytes());
    b[8..16].copy_from_slice(&st.st_ino.to_le_bytes());
    b[16] = filetype;
    b[24..32].copy_from_slice(&st.st_nlink.to_le_bytes());
    b[32..40].copy_from_slice(&(st.st_size.max(0) as u64).to_le_bytes());
    b[40..48].copy_from_slice(&nanos(st.st_atime, st.st_atime_nsec).to_le_bytes());
    b[48..56].copy_from_slice(&nanos(st.st_mtime, st.st_mtime_nsec).to_le_bytes());
    b[56..64].copy_from_slice(&nanos(st.st_ctime, st.st_ctime_nsec).to_le_bytes());
    mem.write(at, &b)
}

/// The two `timespec`s of `futimens`/`utimensat` for a WASI
/// `(atim, mtim, fst_flags)` triple.
pub fn timespecs(atim: u64, mtim: u64, fst: u32) -> WasiResult<[libc::timespec; 2]> {
    use fstflags::*;
    let fst = u16::try_from(fst).map_err(|_| Errno::INVAL)?;
    if fst & !(ATIM | ATIM_NOW | MTIM | MTIM_NOW) != 0
        || fst & (ATIM | ATIM_NOW) == ATIM | ATIM_NOW
        || fst & (MTIM | MTIM_NOW) == MTIM | MTIM_NOW
    {
        return Err(Errno::INVAL);
    }
    let one = |t: u64, set: u16, now: u16| libc::timespec {
        tv_sec: if fst & set != 0 {
            (t / 1_000_000_000) as i64
        } else {
            0
        },
        tv_nsec: if fst & now != 0 {
            libc::UTIME_NOW
        } else if fst & set != 0 {
            (t % 1_000_000_000) as i64
        } else {
            libc::UTIME_OMIT
        },
    };
    Ok([one(atim, ATIM, ATIM_NOW), one(mtim, MTIM, MTIM_NOW)])
}

/// Host `O_*` flags of WASI fdflags.
pub fn open_flags_of_fdflags(flags: u16) -> libc::c_int {
    let mut o = 0;
    if flags & fdflags::APPEND != 0 {
        o |= libc::O_APPEND;
    }
    if flags & fdflags::DSYNC != 0 {
        o |= libc::O_DSYNC;
    }
    if flags & fdflags::NONBLOCK != 0 {
        o |= libc::O_NONBLOCK;
    }
    if flags & fdflags::RSYNC != 0 {
        o |= libc::O_RSYNC;
    }
    if flags & fdflags::SYNC != 0 {
        o |= libc::O_SYNC;
    }
    o
}

/// WASI fdflags of host `O_*` status flags.
pub fn fdflags_of_open_flags(o: libc::c_int) -> u16 {
    let mut f = 0;
    if o & libc::O_APPEND != 0 {
        f |= fdflags::APPEND;
    }
    if o & libc::O_DSYNC != 0 {
        f |= fdflags::DSYNC;
    }
    if o & libc::O_NONBLOCK != 0 {
        f |= fdflags::NONBLOCK;
    }
    // O_SYNC includes the O_DSYNC bit on Linux, and O_RSYNC == O_SYNC.
    if o & libc::O_SYNC == libc::O_SYNC {
        f |= fdflags::SYNC | fdflags::RSYNC;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_flags() {
        use fstflags::*;
        assert_eq!(
            timespecs(0, 0, u32::from(ATIM | ATIM_NOW)).unwrap_err(),
            Errno::INVAL
        );
        assert_eq!(
            timespecs(0, 0, u32::from(MTIM | MTIM_NOW)).unwrap_err(),
            Errno::INVAL
        );
        assert_eq!(timespecs(0, 0, 16).unwrap_err(), Errno::INVAL);
        let [a, m] = timespecs(1_500_000_000, 0, u32::from(ATIM | MTIM_NOW)).unwrap();
        assert_eq!((a.tv_sec, a.tv_nsec), (1, 500_000_000));
        assert_eq!(m.tv_nsec, libc::UTIME_NOW);
        let [a, _] = timespecs(0, 0, 0).unwrap();
        assert_eq!(a.tv_nsec, libc::UTIME_OMIT);
    }

    #[test]
    fn flag_round_trip() {
        for f in [
            0,
            fdflags::APPEND,
            fdflags::NONBLOCK,
            fdflags::APPEND | fdflags::DSYNC,
        ] {
            assert_eq!(fdflags_of_open_flags(open_flags_of_fdflags(f)), f);
        }
        assert_eq!(filetype_of_mode(libc::S_IFDIR | 0o755), filetype::DIRECTORY);
        assert_eq!(filetype_of_mode(libc::S_IFIFO), filetype::UNKNOWN);
    }
}
