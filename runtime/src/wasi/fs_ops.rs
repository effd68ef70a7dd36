//! The file system operations of both WASI versions, on host descriptors
//! and host byte paths: preview 1's `path_*` calls (`path_ops.rs`) and
//! WASI 0.2's `descriptor` methods (`crate::wasi2::filesystem`) are thin
//! layers over these, so the sandbox is one piece of code.
//!
//! Each operation resolves its path(s) beneath a directory descriptor with
//! [`resolve`] (nothing outside the directory is ever reached) and applies
//! one `*at` call that does not follow a final symlink. Errors are preview
//! 1 [`Errno`]s; WASI 0.2 maps them to its `error-code`s.
//!
//! Symlinks: any relative target may be created, wherever it points (as in
//! the reference runtime); absolute targets are refused (`PERM`). Creating
//! a link that points outside gives nothing away, because resolution
//! never follows one out of the directory, however the link got where it
//! is. [`readlink_at`] shows relative targets as they are and refuses
//! absolute ones (`PERM`), so host paths are never revealed.

use super::errno::{check, check_retry, Errno, WasiResult};
use super::path::{readlink_at as host_readlink, resolve, Resolved};
use super::types;
use crate::platform::fd::{FromRawFd, OwnedFd, RawFd};
use alloc::ffi::CString;
use alloc::vec::Vec;

/// The `posix_fadvise` advice of preview 1's `advice` and WASI 0.2's
/// `advice` (the same numbering), or `None` for a value out of range.
pub fn posix_advice(advice: u32) -> Option<libc::c_int> {
    Some(match advice {
        0 => libc::POSIX_FADV_NORMAL,
        1 => libc::POSIX_FADV_SEQUENTIAL,
        2 => libc::POSIX_FADV_RANDOM,
        3 => libc::POSIX_FADV_WILLNEED,
        4 => libc::POSIX_FADV_DONTNEED,
        5 => libc::POSIX_FADV_NOREUSE,
        _ => return None,
    })
}

pub fn is_dir(st: &libc::stat) -> bool {
    st.st_mode & libc::S_IFMT == libc::S_IFDIR
}

/// A new name written with a trailing slash ("x/") can only name a
/// directory, which link and symlink never create: report it like Linux.
fn refuse_new_dir_name(r: &Resolved) -> WasiResult<()> {
    if r.dir_required {
        return Err(if r.lstat().is_ok() {
            Errno::EXIST
        } else {
            Errno::NOENT
        });
    }
    Ok(())
}

/// Open `path` beneath `dir` with host `flags` (access mode, `O_CREAT`,
/// `O_EXCL`, `O_TRUNC`, `O_DIRECTORY`, `O_APPEND`, …); a final symlink is
/// followed only with `follow`. Returns the descriptor and its `stat`.
pub fn open_at(
    dir: RawFd,
    path: &[u8],
    follow: bool,
    flags: libc::c_int,
) -> WasiResult<(OwnedFd, libc::stat)> {
    let r = resolve(dir, path, follow)?;
    let mut flags = flags;
    if r.dir_required {
        flags |= libc::O_DIRECTORY;
    }
    // O_NOFOLLOW: resolution already expanded a final symlink when asked
    // to; one appearing now is refused (LOOP), never followed.
    flags |= libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NOCTTY;
    let at = r.dir();
    // SAFETY: the resolved name is NUL-terminated and borrowed for the
    // call; its directory is held open by the resolution.
    let raw =
        check_retry(|| unsafe { libc::openat(at, r.name.as_ptr(), flags, 0o666 as libc::c_uint) })?;
    // SAFETY: `openat` just returned `raw`: open, and owned by nothing
    // else.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    let st = types::fstat(raw)?;
    Ok((fd, st))
}

pub fn create_directory_at(dir: RawFd, path: &[u8]) -> WasiResult<()> {
    let r = resolve(dir, path, false)?;
    // SAFETY: the resolved name is NUL-terminated and borrowed for the
    // call; its directory is held open by the resolution.
    check(unsafe { libc::mkdirat(r.dir(), r.name.as_ptr(), 0o777) })?;
    Ok(())
}

/// `stat` of `path` (of the link itself unless `follow`).
pub fn stat_at(dir: RawFd, path: &[u8], follow: bool) -> WasiResult<libc::stat> {
    let r = resolve(dir, path, follow)?;
    let st = r.lstat()?;
    if r.dir_required && !is_dir(&st) {
        return Err(Errno::NOTDIR);
    }
    Ok(st)
}

/// Set the access and modification times of `path` (`utimensat`'s pair,
/// `UTIME_NOW`/`UTIME_OMIT` included).
pub fn set_times_at(
    dir: RawFd,
    path: &[u8],
    follow: bool,
    times: &[libc::timespec; 2],
) -> WasiResult<()> {
    let r = resolve(dir, path, follow)?;
    // SAFETY: the resolved name is NUL-terminated and borrowed for the
    // call, its directory held open; `times` is the array of two
    // timespecs utimensat reads, alive for the call.
    check(unsafe {
        libc::utimensat(
            r.dir(),
            r.name.as_ptr(),
            times.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    })?;
    Ok(())
}

/// Hard-link `old_path` (never followed) as `new_path`.
pub fn link_at(old_dir: RawFd, old_path: &[u8], new_dir: RawFd, new_path: &[u8]) -> WasiResult<()> {
    let old = resolve(old_dir, old_path, false)?;
    let new = resolve(new_dir, new_path, false)?;
    if old.dir_required {
        // Directories cannot be hard-linked.
        let st = old.lstat()?;
        return Err(if is_dir(&st) {
            Errno::PERM
        } else {
            Errno::NOTDIR
        });
    }
    refuse_new_dir_name(&new)?;
    // SAFETY: both resolved names are NUL-terminated and borrowed for the
    // call, their directories held open. Flags 0: never follow `old`.
    check(unsafe {
        libc::linkat(
            old.dir(),
            old.name.as_ptr(),
            new.dir(),
            new.name.as_ptr(),
            0,
        )
    })?;
    Ok(())
}

/// The target of symlink `path`; an absolute target is a host path, not
/// for the guest to see (`PERM`).
pub fn readlink_at(dir: RawFd, path: &[u8]) -> WasiResult<Vec<u8>> {
    let r = resolve(dir, path, false)?;
    let target = host_readlink(r.dir(), &r.name).map_err(Errno::from_host)?;
    if target.first() == Some(&b'/') {
        return Err(Errno::PERM);
    }
    Ok(target)
}

pub fn remove_directory_at(dir: RawFd, path: &[u8]) -> WasiResult<()> {
    let r = resolve(dir, path, false)?;
    // SAFETY: the resolved name is NUL-terminated and borrowed for the
    // call; its directory is held open by the resolution.
    check(unsafe { libc::unlinkat(r.dir(), r.name.as_ptr(), libc::AT_REMOVEDIR) })?;
    Ok(())
}

pub fn rename_at(
    old_dir: RawFd,
    old_path: &[u8],
    new_dir: RawFd,
    new_path: &[u8],
) -> WasiResult<()> {
    let old = resolve(old_dir, old_path, false)?;
    let new = resolve(new_dir, new_path, false)?;
    if (old.dir_required || new.dir_required) && !is_dir(&old.lstat()?) {
        // A trailing slash on either side means the source must be a
        // directory (the slashes themselves are not passed on).
        return Err(Errno::NOTDIR);
    }
    // SAFETY: both resolved names are NUL-terminated and borrowed for the
    // call, their directories held open.
    check(unsafe { libc::renameat(old.dir(), old.name.as_ptr(), new.dir(), new.name.as_ptr()) })?;
    Ok(())
}

/// Create symlink `new_path` pointing at `target` (relative targets only).
pub fn symlink_at(target: &[u8], dir: RawFd, new_path: &[u8]) -> WasiResult<()> {
    let new = resolve(dir, new_path, false)?;
    if target.is_empty() {
        return Err(Errno::NOENT);
    }
    // Relative targets are created as they are, even pointing outside
    // (see the module documentation); absolute ones are refused.
    if target[0] == b'/' {
        return Err(Errno::PERM);
    }
    refuse_new_dir_name(&new)?;
    let target = CString::new(target).map_err(|_| Errno::INVAL)?;
    // SAFETY: `target` and the resolved name are NUL-terminated and
    // borrowed for the call; the directory is held open.
    check(unsafe { libc::symlinkat(target.as_ptr(), new.dir(), new.name.as_ptr()) })?;
    Ok(())
}

pub fn unlink_file_at(dir: RawFd, path: &[u8]) -> WasiResult<()> {
    let r = resolve(dir, path, false)?;
    if r.dir_required {
        // "x/" names a directory, which this call never removes.
        let st = r.lstat()?;
        return Err(if is_dir(&st) {
            Errno::ISDIR
        } else {
            Errno::NOTDIR
        });
    }
    // SAFETY: the resolved name is NUL-terminated and borrowed for the
    // call; its directory is held open by the resolution.
    check(unsafe { libc::unlinkat(r.dir(), r.name.as_ptr(), 0) })?;
    Ok(())
}
