//! `wasi:filesystem`: descriptors (files and directories), directory
//! entry streams, and the preopened directories.
//!
//! Paths go through the sandbox shared with preview 1
//! (`crate::wasi::fs_ops`, over `crate::wasi::path`): nothing outside a
//! preopened directory is ever reached, and escapes are `not-permitted`.
//!
//! As in wasmtime, what may be done through a descriptor is decided by
//! the capability of its preopen (`Descriptor::writable`, inherited by
//! everything opened beneath it: changing anything without it is
//! `not-permitted`), not by the `descriptor-flags` it was opened with.
//! Those only choose how the host opens it and are what `get-flags`
//! reports; a read or write the host descriptor was not opened for is the
//! host's answer (`bad-descriptor`). A file method on a directory is
//! `bad-descriptor` (`is-directory` for `read-via-stream`), a directory
//! method on a file `not-directory`.
//!
//! A descriptor of embedded files (`crate::embed`) is served by
//! `fs_embed`, which each method asks first ([`embedded`]).

use super::fs_embed;
use super::fs_types::{code, descriptor_type, dtype};
use super::fs_types::{
    fs, fs_error_code, metadata_hash, new_timestamp, store_err, store_handle, store_result,
    store_stat, store_unit, FsResult, SYMLINK_FOLLOW,
};
use super::resources::{Backing, DirectoryEntries, InputStream, OutputStream, Resource, SharedFd};
use super::{Call, Lowered};
use crate::embed::ops as embedded_ops;
use crate::embed::EmbeddedNode;
use crate::platform::fd::{AsRawFd, RawFd};
use crate::wasi::dir::for_each_entry;
use crate::wasi::errno::{check, check_retry, Errno};
use crate::wasi::fs_ops;
use crate::wasi::path::{lstat_at, PATH_MAX};
use crate::wasi::types::fstat;
use alloc::sync::Arc;
use alloc::vec::Vec;
use wasmlink_abi::Trap;

/// The most one `read` returns.
const READ_LIMIT: u64 = 4 << 20;

/// What a method needs of a descriptor.
#[derive(Clone, Copy)]
pub(super) enum Need {
    /// Any descriptor.
    Any,
    File,
    Dir,
}

/// The host descriptor of descriptor `this` and whether it is writable,
/// if it is what `need` says, else the error code wasmtime gives.
pub(super) fn host_any(c: &mut Call, this: i32, need: Need) -> Lowered<FsResult<(RawFd, bool)>> {
    let d = c.table().descriptor(this as u32)?;
    let r = match need {
        Need::File if d.dir => Err(code::BAD_DESCRIPTOR),
        Need::Dir if !d.dir => Err(code::NOT_DIRECTORY),
        _ => Ok((d.fd.raw(), d.writable)),
    };
    Ok(r)
}

/// The embedded file or directory descriptor `this` is, if it is one.
pub(super) fn embedded(c: &mut Call, this: i32) -> Lowered<Option<EmbeddedNode>> {
    Ok(match &c.table().descriptor(this as u32)?.fd {
        Backing::Embedded(n) => Some(*n),
        Backing::Host(_) => None,
    })
}

/// The host descriptor of descriptor `this` if it is what `need` says.
fn host(c: &mut Call, this: i32, need: Need) -> Lowered<FsResult<RawFd>> {
    Ok(host_any(c, this, need)?.map(|(fd, _)| fd))
}

/// The host descriptor of descriptor `this` if it is what `need` says
/// and things may be changed through it (`not-permitted` otherwise).
fn host_mut(c: &mut Call, this: i32, need: Need) -> Lowered<FsResult<RawFd>> {
    Ok(match host_any(c, this, need)? {
        Ok((fd, true)) => Ok(fd),
        Ok((_, false)) => Err(code::NOT_PERMITTED),
        Err(code) => Err(code),
    })
}

/// The host descriptor of `this` (a host file: embedded ones were served
/// before any caller gets here).
fn shared(c: &mut Call, this: i32) -> Lowered<SharedFd> {
    match &c.table().descriptor(this as u32)?.fd {
        Backing::Host(fd) => Ok(Arc::clone(fd)),
        Backing::Embedded(_) => Err(Trap::InvalidResourceHandle),
    }
}

/// A path argument: a string in the caller's encoding, as bytes. A path
/// too long for the host is `name-too-long` (checked by the sandbox).
pub(super) fn path(c: &Call, ptr: i32, len: i32) -> Lowered<Vec<u8>> {
    if len as u32 as usize >= 4 * PATH_MAX {
        // Longer than any path the sandbox accepts in any encoding:
        // refuse before copying (the sandbox says name-too-long).
        return Ok(vec![b'x'; PATH_MAX]);
    }
    Ok(c.load_string(ptr, len)?.into_bytes())
}

pub(super) fn follow(flags: i32) -> Lowered<bool> {
    if flags as u32 & !u32::from(SYMLINK_FOLLOW) != 0 {
        return Err(Trap::InvalidArgument);
    }
    Ok(flags as u8 & SYMLINK_FOLLOW != 0)
}

/// The value of `$e`, or return its error code as the method's result
/// (`result<_, error-code>`, or with `$align` the alignment of the
/// method's `ok` payload, after which the error code is stored).
macro_rules! try_fs {
    ($c:ident, $ret:ident, $e:expr) => {
        try_fs!($c, $ret, 1, $e)
    };
    ($c:ident, $ret:ident, $align:literal, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(code) => return store_err($c, $ret, $align, code),
        }
    };
}

pub fn filesystem_types_descriptor_read_via_stream(
    c: &mut Call,
    this: i32,
    offset: i64,
    ret: i32,
) -> Lowered<()> {
    // Reading a directory is `is-directory` here (POSIX `EISDIR`), unlike
    // the other file methods; a file not opened for reading fails when
    // read, not now.
    if c.table().descriptor(this as u32)?.dir {
        return store_handle(c, ret, Err(code::IS_DIRECTORY));
    }
    if let Some(n) = embedded(c, this)? {
        return fs_embed::read_via_stream(c, n, offset as u64, ret);
    }
    let fd = shared(c, this)?;
    let h = c.own(Resource::InputStream(InputStream::File {
        fd,
        offset: offset as u64,
    }))?;
    store_handle(c, ret, Ok(h))
}

fn write_stream(c: &mut Call, this: i32, offset: u64, append: bool, ret: i32) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::write_stream(c, n, ret);
    }
    // A file not opened for writing fails when written to, not now.
    try_fs!(c, ret, 4, host_mut(c, this, Need::File)?);
    let fd = shared(c, this)?;
    let h = c.own(Resource::OutputStream(OutputStream::File {
        fd,
        offset,
        append,
    }))?;
    store_handle(c, ret, Ok(h))
}

pub fn filesystem_types_descriptor_write_via_stream(
    c: &mut Call,
    this: i32,
    offset: i64,
    ret: i32,
) -> Lowered<()> {
    write_stream(c, this, offset as u64, false, ret)
}

pub fn filesystem_types_descriptor_append_via_stream(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    write_stream(c, this, 0, true, ret)
}

pub fn filesystem_types_descriptor_advise(
    c: &mut Call,
    this: i32,
    offset: i64,
    length: i64,
    advice: i32,
    ret: i32,
) -> Lowered<()> {
    let advice = fs_ops::posix_advice(advice as u32).ok_or(Trap::InvalidArgument)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::nothing(c, n, Need::File, ret);
    }
    let fd = try_fs!(c, ret, host(c, this, Need::File)?);
    // SAFETY: no pointers; `fd` is held open by the descriptor resource
    // for the call.
    let e = unsafe { libc::posix_fadvise(fd, offset, length, advice) };
    store_unit(
        c,
        ret,
        if e == 0 {
            Ok(())
        } else {
            Err(fs_error_code(Errno::from_host(e)))
        },
    )
}

fn sync(c: &mut Call, this: i32, data_only: bool, ret: i32) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::nothing(c, n, Need::Any, ret);
    }
    let fd = try_fs!(c, ret, host(c, this, Need::Any)?);
    // SAFETY: no pointers; `fd` is held open by the descriptor resource.
    let r = check(unsafe {
        if data_only {
            libc::fdatasync(fd)
        } else {
            libc::fsync(fd)
        }
    });
    store_unit(c, ret, fs(r.map(drop)))
}

pub fn filesystem_types_descriptor_sync_data(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    sync(c, this, true, ret)
}

pub fn filesystem_types_descriptor_sync(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    sync(c, this, false, ret)
}

pub fn filesystem_types_descriptor_get_type(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::get_type(c, n, ret);
    }
    let fd = try_fs!(c, ret, 1, host(c, this, Need::Any)?);
    let r = fs(fstat(fd)).map(|st| descriptor_type(st.st_mode));
    store_result(c, ret, 1, r, |c, at, t| c.store_u8(at, t))
}

pub fn filesystem_types_descriptor_set_size(
    c: &mut Call,
    this: i32,
    size: i64,
    ret: i32,
) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::set_size(c, n, ret);
    }
    let fd = try_fs!(c, ret, host_mut(c, this, Need::File)?);
    if size < 0 {
        // A size past `off_t` (wasmtime: Rust's `set_len` refuses it).
        return store_unit(c, ret, Err(code::INVALID));
    }
    // A file not opened for writing: the host's `EINVAL`.
    // SAFETY: no pointers; `fd` is held open by the descriptor resource.
    let r = check_retry(|| unsafe { libc::ftruncate(fd, size) });
    store_unit(c, ret, fs(r.map(drop)))
}

#[allow(clippy::too_many_arguments)]
pub fn filesystem_types_descriptor_set_times(
    c: &mut Call,
    this: i32,
    data_access_timestamp_0: i32,
    data_access_timestamp_1: i64,
    data_access_timestamp_2: i32,
    data_modification_timestamp_0: i32,
    data_modification_timestamp_1: i64,
    data_modification_timestamp_2: i32,
    ret: i32,
) -> Lowered<()> {
    let times = [
        new_timestamp(
            data_access_timestamp_0,
            data_access_timestamp_1,
            data_access_timestamp_2,
        )?,
        new_timestamp(
            data_modification_timestamp_0,
            data_modification_timestamp_1,
            data_modification_timestamp_2,
        )?,
    ];
    if let Some(n) = embedded(c, this)? {
        return fs_embed::change(c, n, Need::Any, ret, |_| Ok(()));
    }
    let fd = try_fs!(c, ret, host_mut(c, this, Need::Any)?);
    if times.iter().any(|t| t.tv_nsec == -1) {
        return store_unit(c, ret, Err(code::INVALID));
    }
    // SAFETY: `times` is the array of two timespecs futimens reads,
    // alive for the call; `fd` is held open by the descriptor resource.
    let r = check(unsafe { libc::futimens(fd, times.as_ptr()) });
    store_unit(c, ret, fs(r.map(drop)))
}

pub fn filesystem_types_descriptor_read(
    c: &mut Call,
    this: i32,
    length: i64,
    offset: i64,
    ret: i32,
) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::read(c, n, length, offset, ret);
    }
    let fd = try_fs!(c, ret, 4, host(c, this, Need::File)?);
    // An offset past `off_t` and a file not opened for reading are left
    // to the host (`EINVAL`, `EBADF`), as in wasmtime.
    let want = (length as u64).min(READ_LIMIT) as usize;
    let mut buf = vec![0u8; want];
    // SAFETY: `buf` is a live host buffer of `want` bytes, the only
    // memory written; `fd` is held open by the descriptor resource.
    let r = check_retry(|| unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), want, offset) });
    let n = match r {
        Ok(n) => n as usize,
        Err(e) => return store_err(c, ret, 4, fs_error_code(e)),
    };
    buf.truncate(n);
    // As wasmtime: the end is reported once a read returns nothing.
    let end = n == 0;
    store_result(c, ret, 4, Ok((buf, end)), |c, at, (data, end)| {
        let (p, len) = c.store_list_u8(&data)?;
        c.store_u32(at, p)?;
        c.store_u32(at + 4, len)?;
        c.store_u8(at + 8, u8::from(end))
    })
}

pub fn filesystem_types_descriptor_write(
    c: &mut Call,
    this: i32,
    buffer_0: i32,
    buffer_1: i32,
    offset: i64,
    ret: i32,
) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::write(c, n, ret);
    }
    let fd = try_fs!(c, ret, 8, host_mut(c, this, Need::File)?);
    let data = c.load_bytes(buffer_0, buffer_1)?;
    // An offset past `off_t` and a file not opened for writing are left
    // to the host (`EINVAL`, `EBADF`), as in wasmtime.
    // SAFETY: `data` is a live host buffer, only read; `fd` is held open
    // by the descriptor resource.
    let r = check_retry(|| unsafe { libc::pwrite(fd, data.as_ptr().cast(), data.len(), offset) });
    store_result(c, ret, 8, fs(r), |c, at, n| c.store_u64(at, n as u64))
}

/// The entries of directory `fd` (without `.` and `..`), with their type.
fn list_directory(fd: RawFd) -> Result<DirectoryEntries, Errno> {
    // Read through a descriptor of its own, so the position of `fd` is
    // left alone.
    let (dir, _) = fs_ops::open_at(fd, b".", false, libc::O_RDONLY | libc::O_DIRECTORY)?;
    let mut out = DirectoryEntries::default();
    let raw = dir.as_raw_fd();
    for_each_entry(raw, 0, |e| {
        let name = e.name.to_bytes();
        if name != b"." && name != b".." {
            let t = match e.d_type {
                libc::DT_BLK => dtype::BLOCK_DEVICE,
                libc::DT_CHR => dtype::CHARACTER_DEVICE,
                libc::DT_DIR => dtype::DIRECTORY,
                libc::DT_FIFO => dtype::FIFO,
                libc::DT_LNK => dtype::SYMBOLIC_LINK,
                libc::DT_REG => dtype::REGULAR_FILE,
                libc::DT_SOCK => dtype::SOCKET,
                _ => lstat_at(raw, e.name).map_or(dtype::UNKNOWN, |st| descriptor_type(st.st_mode)),
            };
            out.entries.push_back((t, name.to_vec()));
        }
        true
    })?;
    Ok(out)
}

pub fn filesystem_types_descriptor_read_directory(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::read_directory(c, n, ret);
    }
    let fd = try_fs!(c, ret, 4, host(c, this, Need::Dir)?);
    let r = match list_directory(fd) {
        Ok(entries) => Ok(c.own(Resource::DirectoryEntries(entries))?),
        Err(e) => Err(fs_error_code(e)),
    };
    store_handle(c, ret, r)
}

pub fn filesystem_types_directory_entry_stream_read_directory_entry(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    let next = c.table().dir_entries_mut(this as u32)?.entries.pop_front();
    store_result(c, ret, 4, Ok(next), |c, at, entry| match entry {
        None => c.store_u8(at, 0),
        Some((t, name)) => {
            let (p, n) = c.store_string_bytes(&name)?;
            c.store_u8(at, 1)?;
            c.store_u8(at + 4, t)?;
            c.store_u32(at + 8, p)?;
            c.store_u32(at + 12, n)
        }
    })
}

pub fn filesystem_types_descriptor_create_directory_at(
    c: &mut Call,
    this: i32,
    path_0: i32,
    path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let p = path(c, path_0, path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::change(c, n, Need::Dir, ret, |n| {
            embedded_ops::create_directory(n, &p)
        });
    }
    let dir = try_fs!(c, ret, host_mut(c, this, Need::Dir)?);
    store_unit(c, ret, fs(fs_ops::create_directory_at(dir, &p)))
}

pub fn filesystem_types_descriptor_stat(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::stat(c, n, ret);
    }
    let fd = try_fs!(c, ret, 8, host(c, this, Need::Any)?);
    let r = fs(fstat(fd));
    store_result(c, ret, 8, r, |c, at, st| store_stat(c, at, &st))
}

pub fn filesystem_types_descriptor_stat_at(
    c: &mut Call,
    this: i32,
    path_flags: i32,
    path_0: i32,
    path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let follow = follow(path_flags)?;
    let p = path(c, path_0, path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::stat_at(c, n, follow, &p, ret);
    }
    let dir = try_fs!(c, ret, 8, host(c, this, Need::Dir)?);
    let r = fs(fs_ops::stat_at(dir, &p, follow));
    store_result(c, ret, 8, r, |c, at, st| store_stat(c, at, &st))
}

#[allow(clippy::too_many_arguments)]
pub fn filesystem_types_descriptor_set_times_at(
    c: &mut Call,
    this: i32,
    path_flags: i32,
    path_0: i32,
    path_1: i32,
    data_access_timestamp_0: i32,
    data_access_timestamp_1: i64,
    data_access_timestamp_2: i32,
    data_modification_timestamp_0: i32,
    data_modification_timestamp_1: i64,
    data_modification_timestamp_2: i32,
    ret: i32,
) -> Lowered<()> {
    let follow = follow(path_flags)?;
    let p = path(c, path_0, path_1)?;
    let times = [
        new_timestamp(
            data_access_timestamp_0,
            data_access_timestamp_1,
            data_access_timestamp_2,
        )?,
        new_timestamp(
            data_modification_timestamp_0,
            data_modification_timestamp_1,
            data_modification_timestamp_2,
        )?,
    ];
    if let Some(n) = embedded(c, this)? {
        return fs_embed::change(c, n, Need::Dir, ret, |n| {
            embedded_ops::set_times(n, &p, follow)
        });
    }
    let dir = try_fs!(c, ret, host_mut(c, this, Need::Dir)?);
    if times.iter().any(|t| t.tv_nsec == -1) {
        return store_unit(c, ret, Err(code::INVALID));
    }
    store_unit(c, ret, fs(fs_ops::set_times_at(dir, &p, follow, &times)))
}

#[allow(clippy::too_many_arguments)]
pub fn filesystem_types_descriptor_link_at(
    c: &mut Call,
    this: i32,
    old_path_flags: i32,
    old_path_0: i32,
    old_path_1: i32,
    new_descriptor: i32,
    new_path_0: i32,
    new_path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let follow_old = follow(old_path_flags)?;
    let old = path(c, old_path_0, old_path_1)?;
    let new = path(c, new_path_0, new_path_1)?;
    if let Some(r) = embedded_pair(c, this, &old, new_descriptor, &new, Some(follow_old))? {
        return store_unit(c, ret, r);
    }
    let old_dir = try_fs!(c, ret, host_mut(c, this, Need::Dir)?);
    let new_dir = try_fs!(c, ret, host_mut(c, new_descriptor, Need::Dir)?);
    if follow_old {
        // Only the name itself is linked, as in preview 1.
        return store_unit(c, ret, Err(code::INVALID));
    }
    store_unit(c, ret, fs(fs_ops::link_at(old_dir, &old, new_dir, &new)))
}

pub fn filesystem_types_descriptor_readlink_at(
    c: &mut Call,
    this: i32,
    path_0: i32,
    path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let p = path(c, path_0, path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::readlink_at(c, n, &p, ret);
    }
    let dir = try_fs!(c, ret, 4, host(c, this, Need::Dir)?);
    let r = fs(fs_ops::readlink_at(dir, &p));
    store_result(c, ret, 4, r, |c, at, target| {
        let (ptr, n) = c.store_string_bytes(&target)?;
        c.store_u32(at, ptr)?;
        c.store_u32(at + 4, n)
    })
}

pub fn filesystem_types_descriptor_remove_directory_at(
    c: &mut Call,
    this: i32,
    path_0: i32,
    path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let p = path(c, path_0, path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::change(c, n, Need::Dir, ret, |n| {
            embedded_ops::remove_directory(n, &p)
        });
    }
    let dir = try_fs!(c, ret, host_mut(c, this, Need::Dir)?);
    store_unit(c, ret, fs(fs_ops::remove_directory_at(dir, &p)))
}

#[allow(clippy::too_many_arguments)]
pub fn filesystem_types_descriptor_rename_at(
    c: &mut Call,
    this: i32,
    old_path_0: i32,
    old_path_1: i32,
    new_descriptor: i32,
    new_path_0: i32,
    new_path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let old = path(c, old_path_0, old_path_1)?;
    let new = path(c, new_path_0, new_path_1)?;
    if let Some(r) = embedded_pair(c, this, &old, new_descriptor, &new, None)? {
        return store_unit(c, ret, r);
    }
    let old_dir = try_fs!(c, ret, host_mut(c, this, Need::Dir)?);
    let new_dir = try_fs!(c, ret, host_mut(c, new_descriptor, Need::Dir)?);
    store_unit(c, ret, fs(fs_ops::rename_at(old_dir, &old, new_dir, &new)))
}

pub fn filesystem_types_descriptor_symlink_at(
    c: &mut Call,
    this: i32,
    old_path_0: i32,
    old_path_1: i32,
    new_path_0: i32,
    new_path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let target = path(c, old_path_0, old_path_1)?;
    let new = path(c, new_path_0, new_path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::change(c, n, Need::Dir, ret, |n| {
            embedded_ops::symlink(&target, n, &new)
        });
    }
    let dir = try_fs!(c, ret, host_mut(c, this, Need::Dir)?);
    store_unit(c, ret, fs(fs_ops::symlink_at(&target, dir, &new)))
}

pub fn filesystem_types_descriptor_unlink_file_at(
    c: &mut Call,
    this: i32,
    path_0: i32,
    path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let p = path(c, path_0, path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::change(c, n, Need::Dir, ret, |n| embedded_ops::unlink_file(n, &p));
    }
    let dir = try_fs!(c, ret, host_mut(c, this, Need::Dir)?);
    store_unit(c, ret, fs(fs_ops::unlink_file_at(dir, &p)))
}

pub fn filesystem_types_descriptor_is_same_object(
    c: &mut Call,
    this: i32,
    other: i32,
) -> Lowered<i32> {
    let a = c.table().descriptor(this as u32)?.fd.clone();
    let b = c.table().descriptor(other as u32)?.fd.clone();
    let same = match (a, b) {
        (Backing::Host(a), Backing::Host(b)) => {
            match (fstat(a.as_raw_fd()), fstat(b.as_raw_fd())) {
                (Ok(x), Ok(y)) => x.st_dev == y.st_dev && x.st_ino == y.st_ino,
                _ => false,
            }
        }
        // One program has one blob: a node is a file.
        (Backing::Embedded(x), Backing::Embedded(y)) => x.node == y.node,
        _ => false,
    };
    Ok(i32::from(same))
}

fn store_hash(c: &mut Call, ret: i32, r: FsResult<libc::stat>) -> Lowered<()> {
    store_result(c, ret, 8, r, |c, at, st| {
        let (lower, upper) = metadata_hash(&st);
        c.store_u64(at, lower)?;
        c.store_u64(at + 8, upper)
    })
}

pub fn filesystem_types_descriptor_metadata_hash(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    if let Some(n) = embedded(c, this)? {
        return fs_embed::metadata_hash(c, n, ret);
    }
    let fd = try_fs!(c, ret, 8, host(c, this, Need::Any)?);
    let r = fs(fstat(fd));
    store_hash(c, ret, r)
}

pub fn filesystem_types_descriptor_metadata_hash_at(
    c: &mut Call,
    this: i32,
    path_flags: i32,
    path_0: i32,
    path_1: i32,
    ret: i32,
) -> Lowered<()> {
    let follow = follow(path_flags)?;
    let p = path(c, path_0, path_1)?;
    if let Some(n) = embedded(c, this)? {
        return fs_embed::metadata_hash_at(c, n, follow, &p, ret);
    }
    let dir = try_fs!(c, ret, 8, host(c, this, Need::Dir)?);
    let r = fs(fs_ops::stat_at(dir, &p, follow));
    store_hash(c, ret, r)
}

/// A rename from `old` beneath `this` to `new` beneath `other` (with
/// `link = Some(follow_old)`, a hard link) when either is embedded: `None`
/// when both are host directories, else the result (`read-only`, or
/// `cross-device` between an embedded tree and the host, after the
/// lookups' errors).
fn embedded_pair(
    c: &mut Call,
    this: i32,
    old: &[u8],
    other: i32,
    new: &[u8],
    link: Option<bool>,
) -> Lowered<Option<FsResult<()>>> {
    use crate::embed::ops::Side;
    let (a, b) = (embedded(c, this)?, embedded(c, other)?);
    if a.is_none() && b.is_none() {
        return Ok(None);
    }
    for (d, e) in [(this, a), (other, b)] {
        let need = match e {
            Some(n) => fs_embed::check(&n, Need::Dir),
            None => host_any(c, d, Need::Dir)?.map(drop),
        };
        if let Err(code) = need {
            return Ok(Some(Err(code)));
        }
    }
    if link == Some(true) {
        // Only the name itself is linked, as in preview 1.
        return Ok(Some(Err(code::INVALID)));
    }
    let link = link.is_some();
    let r = match (&a, &b) {
        (Some(x), Some(y)) => {
            embedded_ops::rename_or_link(Side::Embedded(x, old), Side::Embedded(y, new), link)
        }
        (Some(x), None) => embedded_ops::rename_or_link(Side::Embedded(x, old), Side::Host, link),
        (None, Some(y)) => embedded_ops::rename_or_link(Side::Host, Side::Embedded(y, new), link),
        (None, None) => return Ok(None),
    };
    Ok(Some(fs(r)))
}

/// `filesystem-error-code(borrow<error>) -> option<error-code>`.
pub fn filesystem_types_filesystem_error_code(c: &mut Call, err: i32, ret: i32) -> Lowered<()> {
    let code = c.table().error(err as u32)?.fs_code;
    match code {
        Some(code) => {
            c.store_u8(ret as u32, 1)?;
            c.store_u8(ret as u32 + 1, code)
        }
        None => c.store_u8(ret as u32, 0),
    }
}

pub fn filesystem_types_descriptor_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_descriptor(handle as u32).map(drop)
}

pub fn filesystem_types_directory_entry_stream_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_dir_entries(handle as u32).map(drop)
}
