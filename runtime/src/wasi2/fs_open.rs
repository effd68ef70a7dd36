//! `wasi:filesystem` descriptors coming to be: `open-at` and the
//! preopened directories.
//!
//! As in wasmtime, a descriptor records what it was opened for
//! (`Descriptor::mode`, reported by `get-flags`) apart from what may be
//! done through it (`Descriptor::writable`), which comes from the preopen
//! and passes unchanged to everything opened beneath it: a directory
//! opened for reading only still lets the guest create, rename and remove
//! beneath it when its preopen does.

use super::filesystem::{embedded, follow, host_any, path, Need};
use super::fs_embed;
use super::fs_types::FsResult;
use super::fs_types::{code, dflags, fs, fs_error_code, oflags, store_handle, store_result};
use super::resources::{Backing, Descriptor, Resource};
use super::{Call, Lowered};
use crate::platform::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use crate::wasi::errno::{check, Errno};
use crate::wasi::fdtable::HostFd;
use crate::wasi::fs_ops;
use alloc::sync::Arc;
use alloc::vec::Vec;
use wasmlink_abi::Trap;

/// The synchronized-I/O `descriptor-flags`, which wasmtime does not open
/// with (`unsupported`).
const SYNC_FLAGS: u8 =
    dflags::FILE_INTEGRITY_SYNC | dflags::DATA_INTEGRITY_SYNC | dflags::REQUESTED_WRITE_SYNC;

/// An `open-at` request as the host sees it.
#[derive(Debug, PartialEq, Eq)]
struct OpenRequest {
    /// Host `open` flags: access mode, `O_CREAT`, `O_EXCL`, `O_TRUNC`,
    /// `O_DIRECTORY`.
    host: libc::c_int,
    read: bool,
    write: bool,
}

/// The `open-at` request of `open` flags and descriptor `flags` beneath a
/// directory (`writable` if things may be changed through it), or the
/// error wasmtime gives before asking the host.
fn open_request(writable: bool, open: u8, flags: u8) -> FsResult<OpenRequest> {
    let create = open & oflags::CREATE != 0;
    let truncate = open & oflags::TRUNCATE != 0;
    let directory = open & oflags::DIRECTORY != 0;
    // Creating and truncating need the file open for writing. A file
    // asked to be opened for neither reading nor writing is opened for
    // reading: the host has no such mode.
    let write = flags & dflags::WRITE != 0 || create || truncate;
    let read = flags & dflags::READ != 0 || flags & dflags::WRITE == 0;
    if flags & SYNC_FLAGS != 0 {
        return Err(code::UNSUPPORTED);
    }
    if directory && open & (oflags::CREATE | oflags::EXCLUSIVE | oflags::TRUNCATE) != 0 {
        return Err(code::INVALID);
    }
    if write && !writable {
        return Err(code::NOT_PERMITTED);
    }
    let mut host = match (read, write) {
        (_, false) => libc::O_RDONLY,
        (false, true) => libc::O_WRONLY,
        (true, true) => libc::O_RDWR,
    };
    // wasmtime opens whatever is there and then refuses a non-directory
    // (`not-directory`); the host refusing it gives the same answer
    // without opening, say, a FIFO that would block.
    if directory {
        host |= libc::O_DIRECTORY;
    }
    if create {
        host |= libc::O_CREAT;
        // `exclusive` means nothing without `create`.
        if open & oflags::EXCLUSIVE != 0 {
            host |= libc::O_EXCL;
        }
    }
    if truncate {
        host |= libc::O_TRUNC;
    }
    Ok(OpenRequest { host, read, write })
}

#[allow(clippy::too_many_arguments)]
pub fn filesystem_types_descriptor_open_at(
    c: &mut Call,
    this: i32,
    path_flags: i32,
    path_0: i32,
    path_1: i32,
    open_flags: i32,
    flags: i32,
    ret: i32,
) -> Lowered<()> {
    let follow = follow(path_flags)?;
    let open = u8::try_from(open_flags)
        .ok()
        .filter(|o| o & !oflags::ALL == 0)
        .ok_or(Trap::InvalidArgument)?;
    let flags = u8::try_from(flags)
        .ok()
        .filter(|f| f & !dflags::ALL == 0)
        .ok_or(Trap::InvalidArgument)?;
    let p = path(c, path_0, path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::open_at(c, n, follow, &p, open, flags, ret);
    }
    let (dir, writable) = match host_any(c, this, Need::Dir)? {
        Ok(x) => x,
        Err(code) => return store_handle(c, ret, Err(code)),
    };
    let req = match open_request(writable, open, flags) {
        Ok(r) => r,
        Err(code) => return store_handle(c, ret, Err(code)),
    };
    let r = match fs_ops::open_at(dir, &p, follow, req.host) {
        Ok((fd, st)) => {
            let is_dir = fs_ops::is_dir(&st);
            // A directory opened for writing would have been refused by
            // the host (`EISDIR`); `mutate-directory` stays a preopen's.
            let wrote = if is_dir {
                dflags::MUTATE_DIRECTORY
            } else {
                dflags::WRITE
            };
            let mode = if req.read { dflags::READ } else { 0 } | if req.write { wrote } else { 0 };
            Ok(c.own(Resource::Descriptor(Descriptor {
                fd: Backing::Host(Arc::new(fd)),
                dir: is_dir,
                mode,
                writable,
            }))?)
        }
        Err(e) => Err(fs_error_code(e)),
    };
    store_handle(c, ret, r)
}

/// The synchronized-I/O `descriptor-flags` of host descriptor `fd`, from
/// its status flags, mapped as wasmtime maps them (`O_DSYNC` is
/// `requested-write-sync`, `O_RSYNC` `data-integrity-sync`).
fn host_sync_flags(fd: RawFd) -> Result<u8, Errno> {
    // SAFETY: no pointers; `fd` is held open by its descriptor resource.
    let status = check(unsafe { libc::fcntl(fd, libc::F_GETFL) })?;
    let has = |bits: libc::c_int| status & bits == bits;
    let mut out = 0;
    if has(libc::O_DSYNC) {
        out |= dflags::REQUESTED_WRITE_SYNC;
    }
    if has(libc::O_SYNC) {
        out |= dflags::FILE_INTEGRITY_SYNC;
    }
    if has(libc::O_RSYNC) {
        out |= dflags::DATA_INTEGRITY_SYNC;
    }
    Ok(out)
}

/// `get-flags`: what the descriptor was opened for, and the host's
/// synchronized-I/O flags.
pub fn filesystem_types_descriptor_get_flags(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let d = c.table().descriptor(this as u32)?;
    let mode = d.mode;
    let r = match &d.fd {
        Backing::Host(fd) => fs(host_sync_flags(fd.as_raw_fd())).map(|sync| sync | mode),
        Backing::Embedded(_) => Ok(mode),
    };
    store_result(c, ret, 1, r, |c, at, f| c.store_u8(at, f))
}

/// The preopened directories: those of the preview 1 table, each host
/// directory duplicated once for 0.2 (so either side may close its own).
fn preopens(c: &mut Call) -> Vec<(Vec<u8>, Backing)> {
    if c.ctx.p2.preopens.is_none() {
        let mut list = Vec::new();
        for (name, host) in c.ctx.fds.preopens() {
            if let HostFd::Embedded(e) = host {
                list.push((name.to_vec(), Backing::Embedded(e.node)));
                continue;
            }
            // SAFETY: no pointers; `host` is a preopen the fd table holds
            // open for the call.
            let dup = unsafe { libc::fcntl(host.raw(), libc::F_DUPFD_CLOEXEC, 3) };
            if dup >= 0 {
                // SAFETY: `fcntl` just returned `dup`: open, and owned
                // by nothing else.
                let fd = unsafe { OwnedFd::from_raw_fd(dup) };
                list.push((name.to_vec(), Backing::Host(Arc::new(fd))));
            }
        }
        c.ctx.p2.preopens = Some(list);
    }
    c.ctx.p2.preopens.clone().unwrap_or_default()
}

/// `get-directories() -> list<tuple<own<descriptor>, string>>`: a new
/// descriptor for each preopen on every call, as wasmtime. Host preopens
/// are opened for reading and changing, and may be changed (wasmtime's
/// default for `--dir`); embedded ones for reading only.
pub fn filesystem_preopens_get_directories(c: &mut Call, ret: i32) -> Lowered<()> {
    let dirs = preopens(c);
    let (p, n) = c.store_list(dirs.len(), 12, 4, |c, at, i| {
        let (name, fd) = &dirs[i];
        let d = match fd {
            Backing::Embedded(n) => fs_embed::descriptor(*n),
            Backing::Host(_) => Descriptor {
                fd: fd.clone(),
                dir: true,
                mode: dflags::READ | dflags::MUTATE_DIRECTORY,
                writable: true,
            },
        };
        let h = c.own(Resource::Descriptor(d))?;
        let (sp, sn) = c.store_string_bytes(name)?;
        c.store_u32(at, h)?;
        c.store_u32(at + 4, sp)?;
        c.store_u32(at + 8, sn)
    })?;
    c.store_u32(ret as u32, p)?;
    c.store_u32(ret as u32 + 4, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(writable: bool, open: u8, flags: u8) -> FsResult<(libc::c_int, bool, bool)> {
        open_request(writable, open, flags).map(|r| (r.host, r.read, r.write))
    }

    #[test]
    fn open_modes_as_wasmtime() {
        use dflags::{READ, WRITE};
        use oflags::{CREATE, DIRECTORY, EXCLUSIVE, TRUNCATE};
        // Neither read nor write: read.
        assert_eq!(req(true, 0, 0), Ok((libc::O_RDONLY, true, false)));
        assert_eq!(req(true, 0, WRITE), Ok((libc::O_WRONLY, false, true)));
        assert_eq!(req(true, 0, READ | WRITE), Ok((libc::O_RDWR, true, true)));
        // Creating or truncating opens for writing too.
        assert_eq!(
            req(true, CREATE, 0),
            Ok((libc::O_RDWR | libc::O_CREAT, true, true))
        );
        assert_eq!(
            req(true, TRUNCATE, READ),
            Ok((libc::O_RDWR | libc::O_TRUNC, true, true))
        );
        assert_eq!(
            req(true, CREATE | EXCLUSIVE, WRITE),
            Ok((libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL, false, true))
        );
        assert_eq!(
            req(true, EXCLUSIVE, READ),
            Ok((libc::O_RDONLY, true, false))
        );
        assert_eq!(
            req(true, DIRECTORY, READ | dflags::MUTATE_DIRECTORY),
            Ok((libc::O_RDONLY | libc::O_DIRECTORY, true, false))
        );
    }

    #[test]
    fn open_refusals_in_wasmtime_order() {
        use dflags::{DATA_INTEGRITY_SYNC, READ, WRITE};
        use oflags::{CREATE, DIRECTORY, TRUNCATE};
        assert_eq!(
            req(true, 0, READ | DATA_INTEGRITY_SYNC),
            Err(code::UNSUPPORTED)
        );
        assert_eq!(
            req(false, DIRECTORY | CREATE, dflags::REQUESTED_WRITE_SYNC),
            Err(code::UNSUPPORTED)
        );
        assert_eq!(req(false, DIRECTORY | TRUNCATE, 0), Err(code::INVALID));
        assert_eq!(req(false, CREATE, READ), Err(code::NOT_PERMITTED));
        assert_eq!(req(false, 0, WRITE), Err(code::NOT_PERMITTED));
        assert_eq!(req(false, 0, READ), Ok((libc::O_RDONLY, true, false)));
    }
}
