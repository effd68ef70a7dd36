//! Preview 1 rights, as the reference runtime (wasmtime 49) has them.
//!
//! In wasmtime 49 rights are a *report*, not a store: `fd_fdstat_get`
//! derives them from what a descriptor is (stdio stream, preopened
//! directory, other directory, file) and the access mode it was opened
//! with; `fd_fdstat_set_rights` never changes them (`NOTSUP` on files and
//! directories, `BADF` on stdio); `path_open` uses the requested base
//! rights only to choose the access mode (`FD_READ`, `FD_WRITE`) and
//! ignores the requested inheriting rights. What a call may do is decided
//! by the kind of descriptor, and a call on the wrong kind fails with the
//! errno wasmtime gives (`BADF`, `SPIPE` or `NOTDIR`), never `NOTCAPABLE`.
//! [`super::fdtable::FdTable`] has one accessor per such rule; this module
//! holds the reported sets.
//!
//! Programs built against wasi-libc, Rust std or AssemblyScript read these
//! rights (wasi-libc's `isatty` is "a character device without
//! `FD_SEEK`/`FD_TELL`", `open` copies a directory's inheriting rights), so
//! they are reproduced bit for bit.

use super::fdtable::FdKind;

pub const FD_DATASYNC: u64 = 1 << 0;
pub const FD_READ: u64 = 1 << 1;
pub const FD_SEEK: u64 = 1 << 2;
pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
pub const FD_SYNC: u64 = 1 << 4;
pub const FD_TELL: u64 = 1 << 5;
pub const FD_WRITE: u64 = 1 << 6;
pub const FD_ADVISE: u64 = 1 << 7;
pub const FD_ALLOCATE: u64 = 1 << 8;
pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
pub const PATH_CREATE_FILE: u64 = 1 << 10;
pub const PATH_LINK_SOURCE: u64 = 1 << 11;
pub const PATH_LINK_TARGET: u64 = 1 << 12;
pub const PATH_OPEN: u64 = 1 << 13;
pub const FD_READDIR: u64 = 1 << 14;
pub const PATH_READLINK: u64 = 1 << 15;
pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
pub const PATH_RENAME_TARGET: u64 = 1 << 17;
pub const PATH_FILESTAT_GET: u64 = 1 << 18;
pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
pub const FD_FILESTAT_GET: u64 = 1 << 21;
pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
pub const PATH_SYMLINK: u64 = 1 << 24;
pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
pub const PATH_UNLINK_FILE: u64 = 1 << 26;
pub const POLL_FD_READWRITE: u64 = 1 << 27;
pub const SOCK_SHUTDOWN: u64 = 1 << 28;
pub const SOCK_ACCEPT: u64 = 1 << 29;

/// Every right preview 1 defines (bits 0..=29).
pub const ALL: u64 = (1 << 30) - 1;

/// Base rights of a preopened directory: the fixed set wasmtime reports
/// ("expected by many userlands").
pub const PREOPEN_BASE: u64 = PATH_CREATE_DIRECTORY
    | PATH_CREATE_FILE
    | PATH_LINK_SOURCE
    | PATH_LINK_TARGET
    | PATH_OPEN
    | FD_READDIR
    | PATH_READLINK
    | PATH_RENAME_SOURCE
    | PATH_RENAME_TARGET
    | PATH_SYMLINK
    | PATH_REMOVE_DIRECTORY
    | PATH_UNLINK_FILE
    | PATH_FILESTAT_GET
    | PATH_FILESTAT_SET_TIMES
    | FD_FILESTAT_GET
    | FD_FILESTAT_SET_TIMES;

/// Inheriting rights of a preopened directory: its base rights plus what
/// files opened beneath it may do.
pub const PREOPEN_INHERITING: u64 = PREOPEN_BASE
    | FD_DATASYNC
    | FD_READ
    | FD_SEEK
    | FD_FDSTAT_SET_FLAGS
    | FD_SYNC
    | FD_TELL
    | FD_WRITE
    | FD_ADVISE
    | FD_ALLOCATE
    | FD_FILESTAT_GET
    | FD_FILESTAT_SET_SIZE
    | FD_FILESTAT_SET_TIMES
    | POLL_FD_READWRITE;

/// Rights a directory not opened as a preopen lacks: it has no position
/// and no size, and is never written as bytes.
const NOT_ON_DIRECTORIES: u64 = FD_SEEK | FD_WRITE | FD_FILESTAT_SET_SIZE | PATH_FILESTAT_SET_SIZE;

/// `(base, inheriting)` as `fd_fdstat_get` reports them for a descriptor
/// of `kind`; `preopen` tells whether a directory is a preopen.
pub fn reported(kind: &FdKind, preopen: bool) -> (u64, u64) {
    let base = match *kind {
        FdKind::Stream { readable, writable } => {
            // stdin can only be read, stdout and stderr only written: no
            // position, no metadata rights (so wasi-libc's isatty works).
            let mut r = 0;
            if readable {
                r |= FD_READ;
            }
            if writable {
                r |= FD_WRITE;
            }
            r
        }
        FdKind::Directory if preopen => return (PREOPEN_BASE, PREOPEN_INHERITING),
        // A directory is always opened for reading (opening one for
        // writing fails with ISDIR), so it keeps FD_READ and FD_READDIR.
        FdKind::Directory => ALL & !NOT_ON_DIRECTORIES,
        FdKind::File { readable, writable } => {
            let mut r = ALL;
            if !readable {
                r &= !(FD_READ | FD_READDIR);
            }
            if !writable {
                r &= !FD_WRITE;
            }
            r
        }
    };
    (base, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_sets_are_wasmtimes() {
        let stdin = FdKind::Stream {
            readable: true,
            writable: false,
        };
        let stdout = FdKind::Stream {
            readable: false,
            writable: true,
        };
        assert_eq!(reported(&stdin, false), (FD_READ, FD_READ));
        assert_eq!(reported(&stdout, false), (FD_WRITE, FD_WRITE));
        // The preopen sets as wasmtime 49 prints them: "all except …".
        assert_eq!(
            reported(&FdKind::Directory, true),
            (
                ALL & !(0x1ff | PATH_FILESTAT_SET_SIZE | FD_FILESTAT_SET_SIZE | 0b111 << 27),
                ALL & !(PATH_FILESTAT_SET_SIZE | SOCK_SHUTDOWN | SOCK_ACCEPT)
            )
        );
        let dir = reported(&FdKind::Directory, false).0;
        assert_eq!(dir & (FD_SEEK | FD_WRITE | FD_FILESTAT_SET_SIZE), 0);
        assert_ne!(dir & (FD_READ | FD_READDIR | FD_TELL), 0);
        let ro = FdKind::File {
            readable: true,
            writable: false,
        };
        let wo = FdKind::File {
            readable: false,
            writable: true,
        };
        assert_eq!(reported(&ro, false), (ALL & !FD_WRITE, ALL & !FD_WRITE));
        assert_eq!(reported(&wo, false).0, ALL & !(FD_READ | FD_READDIR));
    }
}
