//! `wasi:filesystem/types` values: error codes (from the shared
//! sandbox's preview 1 errnos), descriptor types and flags, and the
//! canonical ABI layout of `descriptor-stat` and the results the
//! descriptor methods return.

use super::{Call, Lowered};
use crate::wasi::errno::Errno;

/// `error-code` numbers.
pub mod code {
    pub const ACCESS: u8 = 0;
    pub const WOULD_BLOCK: u8 = 1;
    pub const ALREADY: u8 = 2;
    pub const BAD_DESCRIPTOR: u8 = 3;
    pub const BUSY: u8 = 4;
    pub const DEADLOCK: u8 = 5;
    pub const QUOTA: u8 = 6;
    pub const EXIST: u8 = 7;
    pub const FILE_TOO_LARGE: u8 = 8;
    pub const ILLEGAL_BYTE_SEQUENCE: u8 = 9;
    pub const IN_PROGRESS: u8 = 10;
    pub const INTERRUPTED: u8 = 11;
    pub const INVALID: u8 = 12;
    pub const IO: u8 = 13;
    pub const IS_DIRECTORY: u8 = 14;
    pub const LOOP: u8 = 15;
    pub const TOO_MANY_LINKS: u8 = 16;
    pub const MESSAGE_SIZE: u8 = 17;
    pub const NAME_TOO_LONG: u8 = 18;
    pub const NO_DEVICE: u8 = 19;
    pub const NO_ENTRY: u8 = 20;
    pub const NO_LOCK: u8 = 21;
    pub const INSUFFICIENT_MEMORY: u8 = 22;
    pub const INSUFFICIENT_SPACE: u8 = 23;
    pub const NOT_DIRECTORY: u8 = 24;
    pub const NOT_EMPTY: u8 = 25;
    pub const NOT_RECOVERABLE: u8 = 26;
    pub const UNSUPPORTED: u8 = 27;
    pub const NO_TTY: u8 = 28;
    pub const NO_SUCH_DEVICE: u8 = 29;
    pub const OVERFLOW: u8 = 30;
    pub const NOT_PERMITTED: u8 = 31;
    pub const PIPE: u8 = 32;
    pub const READ_ONLY: u8 = 33;
    pub const INVALID_SEEK: u8 = 34;
    pub const TEXT_FILE_BUSY: u8 = 35;
    pub const CROSS_DEVICE: u8 = 36;
}

/// The `error-code` of a preview 1 errno (what the shared sandbox code
/// returns). Escapes from the sandbox are `PERM` there and
/// `not-permitted` here.
pub fn fs_error_code(e: Errno) -> u8 {
    use code::*;
    match e {
        Errno::ACCES => ACCESS,
        Errno::AGAIN => WOULD_BLOCK,
        Errno::ALREADY => ALREADY,
        Errno::BADF => BAD_DESCRIPTOR,
        Errno::BUSY => BUSY,
        Errno::DEADLK => DEADLOCK,
        Errno::DQUOT => QUOTA,
        Errno::EXIST => EXIST,
        Errno::FBIG => FILE_TOO_LARGE,
        Errno::ILSEQ => ILLEGAL_BYTE_SEQUENCE,
        Errno::INPROGRESS => IN_PROGRESS,
        Errno::INTR => INTERRUPTED,
        Errno::INVAL => INVALID,
        Errno::ISDIR => IS_DIRECTORY,
        Errno::LOOP => LOOP,
        Errno::MLINK => TOO_MANY_LINKS,
        Errno::MSGSIZE => MESSAGE_SIZE,
        Errno::NAMETOOLONG => NAME_TOO_LONG,
        Errno::NODEV => NO_DEVICE,
        Errno::NOENT => NO_ENTRY,
        Errno::NOLCK => NO_LOCK,
        Errno::NOMEM => INSUFFICIENT_MEMORY,
        Errno::NOSPC => INSUFFICIENT_SPACE,
        Errno::NOTDIR => NOT_DIRECTORY,
        Errno::NOTEMPTY => NOT_EMPTY,
        Errno::NOTRECOVERABLE => NOT_RECOVERABLE,
        Errno::NOTSUP => UNSUPPORTED,
        Errno::NOTTY => NO_TTY,
        Errno::NXIO => NO_SUCH_DEVICE,
        Errno::OVERFLOW => OVERFLOW,
        Errno::PERM | Errno::NOTCAPABLE => NOT_PERMITTED,
        Errno::PIPE => PIPE,
        Errno::ROFS => READ_ONLY,
        Errno::SPIPE => INVALID_SEEK,
        Errno::TXTBSY => TEXT_FILE_BUSY,
        Errno::XDEV => CROSS_DEVICE,
        _ => IO,
    }
}

/// `descriptor-type` numbers.
pub mod dtype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const FIFO: u8 = 4;
    pub const SYMBOLIC_LINK: u8 = 5;
    pub const REGULAR_FILE: u8 = 6;
    pub const SOCKET: u8 = 7;
}

/// The `descriptor-type` of a host `st_mode`.
pub fn descriptor_type(mode: libc::mode_t) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFBLK => dtype::BLOCK_DEVICE,
        libc::S_IFCHR => dtype::CHARACTER_DEVICE,
        libc::S_IFDIR => dtype::DIRECTORY,
        libc::S_IFIFO => dtype::FIFO,
        libc::S_IFLNK => dtype::SYMBOLIC_LINK,
        libc::S_IFREG => dtype::REGULAR_FILE,
        libc::S_IFSOCK => dtype::SOCKET,
        _ => dtype::UNKNOWN,
    }
}

/// `descriptor-flags` bits.
pub mod dflags {
    pub const READ: u8 = 1;
    pub const WRITE: u8 = 2;
    pub const FILE_INTEGRITY_SYNC: u8 = 4;
    pub const DATA_INTEGRITY_SYNC: u8 = 8;
    pub const REQUESTED_WRITE_SYNC: u8 = 16;
    pub const MUTATE_DIRECTORY: u8 = 32;
    pub const ALL: u8 = 63;
}

/// `open-flags` bits.
pub mod oflags {
    pub const CREATE: u8 = 1;
    pub const DIRECTORY: u8 = 2;
    pub const EXCLUSIVE: u8 = 4;
    pub const TRUNCATE: u8 = 8;
    pub const ALL: u8 = 15;
}

/// `path-flags`: `symlink-follow`.
pub const SYMLINK_FOLLOW: u8 = 1;

/// A file system result: the value, or an `error-code`.
pub type FsResult<T> = Result<T, u8>;

/// Map the shared sandbox's errors.
pub fn fs<T>(r: Result<T, Errno>) -> FsResult<T> {
    r.map_err(fs_error_code)
}

/// Store `result<T, error-code>` at `ret`, `T` aligned to `align` and
/// written by `ok`.
pub fn store_result<T>(
    c: &mut Call,
    ret: i32,
    align: u32,
    r: FsResult<T>,
    ok: impl FnOnce(&mut Call, u32, T) -> Lowered<()>,
) -> Lowered<()> {
    let ret = ret as u32;
    match r {
        Ok(v) => {
            c.store_u8(ret, 0)?;
            ok(c, ret + align, v)
        }
        Err(code) => {
            c.store_u8(ret, 1)?;
            c.store_u8(ret + align, code)
        }
    }
}

/// `result<T, error-code>` at `ret` holding error `code`, where `T` is
/// aligned to `align` (the error code is stored at that offset).
pub fn store_err(c: &mut Call, ret: i32, align: u32, code: u8) -> Lowered<()> {
    store_result::<()>(c, ret, align, Err(code), |_, _, ()| Ok(()))
}

/// `result<_, error-code>` at `ret`.
pub fn store_unit(c: &mut Call, ret: i32, r: FsResult<()>) -> Lowered<()> {
    store_result(c, ret, 1, r, |_, _, ()| Ok(()))
}

/// `result<own<T>, error-code>` at `ret`, the handle already made.
pub fn store_handle(c: &mut Call, ret: i32, r: FsResult<u32>) -> Lowered<()> {
    store_result(c, ret, 4, r, |c, at, h| c.store_u32(at, h))
}

/// Size of `descriptor-stat`.
pub const STAT_SIZE: u32 = 96;

/// Store an `option<datetime>` (always `some` on Linux) at `at`.
pub fn store_timestamp(c: &mut Call, at: u32, sec: i64, nsec: i64) -> Lowered<()> {
    c.store_u8(at, 1)?;
    c.store_u64(at + 8, sec as u64)?;
    c.store_u32(at + 16, nsec.clamp(0, 999_999_999) as u32)
}

/// Store a `descriptor-stat` for `st` at `at`.
pub fn store_stat(c: &mut Call, at: u32, st: &libc::stat) -> Lowered<()> {
    c.store(at, &[0u8; STAT_SIZE as usize])?;
    c.store_u8(at, descriptor_type(st.st_mode))?;
    c.store_u64(at + 8, st.st_nlink)?;
    c.store_u64(at + 16, st.st_size.max(0) as u64)?;
    store_timestamp(c, at + 24, st.st_atime, st.st_atime_nsec)?;
    store_timestamp(c, at + 48, st.st_mtime, st.st_mtime_nsec)?;
    store_timestamp(c, at + 72, st.st_ctime, st.st_ctime_nsec)
}

/// A `new-timestamp` (`no-change`, `now`, `timestamp(datetime)`) as the
/// `timespec` utimensat takes.
pub fn new_timestamp(disc: i32, sec: i64, nsec: i32) -> Lowered<libc::timespec> {
    let (tv_sec, tv_nsec) = match disc {
        0 => (0, libc::UTIME_OMIT),
        1 => (0, libc::UTIME_NOW),
        2 if (0..1_000_000_000).contains(&nsec) => (sec, i64::from(nsec)),
        2 => {
            return Ok(libc::timespec {
                tv_sec: 0,
                tv_nsec: -1,
            })
        }
        _ => return Err(wasmlink_abi::Trap::InvalidArgument),
    };
    Ok(libc::timespec { tv_sec, tv_nsec })
}

/// A 128-bit hash of the identity of a file (device and inode), the same
/// for every descriptor of one file within one run.
pub fn metadata_hash(st: &libc::stat) -> (u64, u64) {
    metadata_hash_of(st.st_dev, st.st_ino)
}

/// [`metadata_hash`] of device `dev` and inode `ino` (an embedded file's
/// are `wasmlink_abi::embed::DEVICE` and its node's inode number).
pub fn metadata_hash_of(dev: u64, ino: u64) -> (u64, u64) {
    // FNV-1a over the identity, two lanes with different offsets.
    let mut lanes = [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142u64];
    for lane in &mut lanes {
        for b in dev.to_le_bytes().iter().chain(&ino.to_le_bytes()) {
            *lane ^= u64::from(*b);
            *lane = lane.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    (lanes[0], lanes[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_and_types() {
        assert_eq!(fs_error_code(Errno::NOENT), code::NO_ENTRY);
        assert_eq!(fs_error_code(Errno::PERM), code::NOT_PERMITTED);
        assert_eq!(fs_error_code(Errno::NOTCAPABLE), code::NOT_PERMITTED);
        assert_eq!(fs_error_code(Errno::XDEV), code::CROSS_DEVICE);
        assert_eq!(fs_error_code(Errno::NOSYS), code::IO);
        assert_eq!(descriptor_type(libc::S_IFDIR | 0o755), dtype::DIRECTORY);
        assert_eq!(descriptor_type(libc::S_IFREG), dtype::REGULAR_FILE);
        assert_eq!(descriptor_type(libc::S_IFLNK), dtype::SYMBOLIC_LINK);
        assert_eq!(new_timestamp(0, 5, 5).unwrap().tv_nsec, libc::UTIME_OMIT);
        assert_eq!(new_timestamp(1, 5, 5).unwrap().tv_nsec, libc::UTIME_NOW);
        assert_eq!(new_timestamp(2, 5, 6).unwrap().tv_sec, 5);
        assert!(new_timestamp(3, 0, 0).is_err());
    }
}
