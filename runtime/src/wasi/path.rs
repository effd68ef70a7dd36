//! Sandboxed path resolution.
//!
//! Every WASI path is relative to a directory descriptor, and nothing it
//! names may lie outside that directory. The kernel is never given a path
//! with more than one component: the resolver walks the path itself,
//! opening each directory with `openat(dir, component, O_PATH |
//! O_NOFOLLOW | O_DIRECTORY)` and expanding symbolic links by hand, so that
//!
//! * absolute paths (and absolute symlink targets) are refused (`PERM`),
//! * `..` goes back to the directory walked through before and is refused
//!   at the root (`PERM`), whether it comes from the path or from a
//!   symlink target,
//! * symlink expansions are bounded ([`MAX_SYMLINK_EXPANSIONS`], `LOOP`),
//! * paths and symlink targets of [`PATH_MAX`] bytes or more are
//!   `NAMETOOLONG` (callers check the length before copying a guest path).
//!
//! Cost is per path, not per component: the remaining path lives in one
//! buffer (a symlink target is spliced into it in place), the names of the
//! directories walked so far in another, and at most
//! [`OPEN_ANCESTORS`]` + 2` directory descriptors are open at any time
//! (the current directory, its nearest ancestors and the one being
//! opened). A `..` beyond the ancestors still open re-walks from the root
//! along the remembered names; like every step it only ever descends with
//! `O_NOFOLLOW`, so it can never leave the root.
//!
//! The result is the directory that holds the final component plus that
//! component's name; callers apply one `*at` call to it with
//! `AT_SYMLINK_NOFOLLOW`/`O_NOFOLLOW`, so a symlink swapped in concurrently
//! is never followed by the kernel either.

use super::errno::{Errno, WasiResult};
use crate::platform::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use crate::sys;
use alloc::borrow::ToOwned;
use alloc::collections::VecDeque;
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;

/// Symlinks one resolution may expand (Linux's own limit).
pub const MAX_SYMLINK_EXPANSIONS: u32 = 40;

/// Linux's `PATH_MAX`, which counts the terminating NUL: a path or symlink
/// target of this many bytes or more is `NAMETOOLONG`.
pub const PATH_MAX: usize = 4096;

/// Ancestors of the current directory kept open, so that `..` right after
/// descending (`a/../b`, `x/y/../../z`) needs no re-walk.
pub const OPEN_ANCESTORS: usize = 8;

/// The outcome of a resolution: directory `dir()` holds entry `name`.
#[derive(Debug)]
pub struct Resolved {
    root: RawFd,
    /// The directory holding `name` when it is below `root`.
    dir: Option<OwnedFd>,
    /// The final component: a plain name, or `.` for the directory itself.
    pub name: CString,
    /// The path (or the last symlink target followed) ended with `/`: the
    /// final object must be a directory.
    pub dir_required: bool,
}

impl Resolved {
    /// The directory holding [`Resolved::name`].
    pub fn dir(&self) -> RawFd {
        self.dir.as_ref().map_or(self.root, AsRawFd::as_raw_fd)
    }

    /// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`.
    pub fn lstat(&self) -> WasiResult<libc::stat> {
        lstat_at(self.dir(), &self.name)
    }
}

/// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`.
pub fn lstat_at(dir: RawFd, name: &CStr) -> WasiResult<libc::stat> {
    // SAFETY: a zeroed `stat` is a valid value of the plain C struct and
    // the only memory written; `name` is NUL-terminated and borrowed for
    // the call; `dir` is a directory descriptor the caller holds open.
    unsafe {
        let mut st: libc::stat = core::mem::zeroed();
        super::errno::check(libc::fstatat(
            dir,
            name.as_ptr(),
            &mut st,
            libc::AT_SYMLINK_NOFOLLOW,
        ))?;
        Ok(st)
    }
}

/// Read the target of symlink `name` in `dir` into `buf` (replacing its
/// contents; `Err(host errno)`, `EINVAL` meaning "not a symlink"). Linux
/// keeps targets below [`PATH_MAX`], so one buffer of that size suffices.
pub fn readlink_into(dir: RawFd, name: &CStr, buf: &mut Vec<u8>) -> Result<(), i32> {
    buf.clear();
    buf.resize(PATH_MAX, 0);
    // SAFETY: readlinkat writes at most `buf.len()` bytes into `buf`, a
    // live host buffer; `name` is NUL-terminated and borrowed for the call.
    let n = unsafe { libc::readlinkat(dir, name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        buf.clear();
        return Err(sys::errno());
    }
    if n as usize >= PATH_MAX {
        buf.clear();
        return Err(libc::ENAMETOOLONG);
    }
    buf.truncate(n as usize);
    Ok(())
}

/// The target of symlink `name` in `dir` (see [`readlink_into`]).
pub fn readlink_at(dir: RawFd, name: &CStr) -> Result<Vec<u8>, i32> {
    let mut buf = Vec::new();
    readlink_into(dir, name, &mut buf)?;
    Ok(buf)
}

/// Open directory `name` in `dir` for walking through (`O_PATH`: needs
/// only search permission), never following a symlink.
fn open_walk_dir(dir: RawFd, name: &CStr) -> Result<OwnedFd, i32> {
    let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    loop {
        // SAFETY: `name` is NUL-terminated and borrowed for the call;
        // nothing else is read or written.
        let fd = unsafe { libc::openat(dir, name.as_ptr(), flags) };
        if fd >= 0 {
            // SAFETY: `openat` just returned `fd`: open, and owned by
            // nothing else.
            return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
        }
        match sys::errno() {
            libc::EINTR => continue,
            e => return Err(e),
        }
    }
}

/// Check the shape of a guest path: shorter than [`PATH_MAX`], non-empty,
/// relative, no NUL.
pub fn check_path(path: &[u8]) -> WasiResult<()> {
    if path.len() >= PATH_MAX {
        return Err(Errno::NAMETOOLONG);
    }
    if path.is_empty() {
        return Err(Errno::NOENT);
    }
    if path[0] == b'/' {
        return Err(Errno::PERM);
    }
    if path.contains(&0) {
        return Err(Errno::INVAL);
    }
    Ok(())
}

/// The directories walked into below the root.
struct Walk {
    root: RawFd,
    /// Names of the directories walked into, outermost first, each
    /// followed by a NUL (so each is a C string in place).
    names: Vec<u8>,
    /// Where each name of `names` ends (after its NUL).
    ends: Vec<usize>,
    /// Descriptors of the innermost `open.len()` directories walked into,
    /// the current one last. Never empty while `ends` is not.
    open: VecDeque<OwnedFd>,
}

impl Walk {
    fn new(root: RawFd) -> Walk {
        Walk {
            root,
            names: Vec::new(),
            ends: Vec::new(),
            open: VecDeque::new(),
        }
    }

    fn current(&self) -> RawFd {
        self.open.back().map_or(self.root, AsRawFd::as_raw_fd)
    }

    /// Stage `name` as the next candidate (NUL-terminated at the end of
    /// `names`, not yet walked into) and return it as a C string.
    fn stage(&mut self, name: &[u8]) -> WasiResult<&CStr> {
        let start = self.names.len();
        self.names.extend_from_slice(name);
        self.names.push(0);
        CStr::from_bytes_with_nul(&self.names[start..]).map_err(|_| Errno::INVAL)
    }

    /// Forget the staged candidate.
    fn unstage(&mut self) {
        self.names.truncate(self.ends.last().copied().unwrap_or(0));
    }

    /// Make the staged candidate, opened as `fd`, the current directory.
    fn enter(&mut self, fd: OwnedFd) {
        self.ends.push(self.names.len());
        self.push_open(fd);
    }

    /// Keep `fd` as the current directory, closing the oldest ancestor
    /// beyond [`OPEN_ANCESTORS`] (a `..` that needs it re-walks).
    fn push_open(&mut self, fd: OwnedFd) {
        self.open.push_back(fd);
        if self.open.len() > OPEN_ANCESTORS + 1 {
            self.open.pop_front();
        }
    }

    /// `..`: back to the parent, which must be below or at the root.
    fn leave(&mut self) -> WasiResult<()> {
        if self.ends.pop().is_none() {
            // Climbing above the root is the escape the sandbox exists to
            // prevent.
            return Err(Errno::PERM);
        }
        // Drop the name just left.
        self.names.truncate(self.ends.last().copied().unwrap_or(0));
        self.open.pop_back();
        if self.open.is_empty() && !self.ends.is_empty() {
            self.rewalk()?;
        }
        Ok(())
    }

    /// Re-open the directories named in `names` from the root down,
    /// keeping the innermost ones open.
    fn rewalk(&mut self) -> WasiResult<()> {
        let mut start = 0;
        for i in 0..self.ends.len() {
            let end = self.ends[i];
            let name =
                CStr::from_bytes_with_nul(&self.names[start..end]).map_err(|_| Errno::INVAL)?;
            let fd = open_walk_dir(self.current(), name).map_err(Errno::from_host)?;
            self.push_open(fd);
            start = end;
        }
        Ok(())
    }

    /// The result: the current directory holds `name`.
    fn finish(mut self, name: CString, dir_required: bool) -> Resolved {
        Resolved {
            root: self.root,
            dir: self.open.pop_back(),
            name,
            dir_required,
        }
    }
}

/// The path still to resolve: one buffer consumed from the front, into
/// which symlink targets are spliced (also used by the resolver of
/// embedded files, `crate::embed`).
pub(crate) struct Pending {
    pub(crate) buf: Vec<u8>,
    pub(crate) pos: usize,
}

impl Pending {
    /// The next component's range (`None` when only slashes are left).
    pub(crate) fn next(&mut self) -> Option<(usize, usize)> {
        let rest = &self.buf[self.pos..];
        let skip = rest.iter().position(|&b| b != b'/')?;
        let start = self.pos + skip;
        let len = self.buf[start..]
            .iter()
            .position(|&b| b == b'/')
            .unwrap_or(self.buf.len() - start);
        self.pos = start + len;
        Some((start, start + len))
    }

    /// Whether no component follows.
    pub(crate) fn at_end(&self) -> bool {
        self.buf[self.pos..].iter().all(|&b| b == b'/')
    }

    /// Replace what was consumed by `target` and a separator, so `target`
    /// is resolved next and the rest after it.
    pub(crate) fn splice(&mut self, target: &[u8]) {
        self.buf.splice(
            ..self.pos,
            target.iter().copied().chain(core::iter::once(b'/')),
        );
        self.pos = 0;
    }
}

/// Resolve `path` beneath directory `root`. With `follow_final`, a symlink
/// in the final position is followed too (intermediate ones always are).
pub fn resolve(root: RawFd, path: &[u8], follow_final: bool) -> WasiResult<Resolved> {
    check_path(path)?;
    let mut pending = Pending {
        buf: path.to_vec(),
        pos: 0,
    };
    let mut walk = Walk::new(root);
    let mut link = Vec::new();
    let mut dir_required = path.ends_with(b"/");
    let mut expansions = 0;

    while let Some((start, end)) = pending.next() {
        let last = pending.at_end();
        match &pending.buf[start..end] {
            b"." => {}
            b".." => walk.leave()?,
            comp => {
                let cur = walk.current();
                let name = walk.stage(comp)?;
                if last {
                    // A trailing slash forces a final symlink to be
                    // followed, as in POSIX path resolution.
                    if !(follow_final || dir_required)
                        || readlink_into(cur, name, &mut link).is_err()
                    {
                        // Not followed, not a symlink, or absent: the name
                        // itself is final.
                        let name = name.to_owned();
                        walk.unstage();
                        return Ok(walk.finish(name, dir_required));
                    }
                } else {
                    match open_walk_dir(cur, name) {
                        Ok(fd) => {
                            walk.enter(fd);
                            continue;
                        }
                        // A symlink refuses O_NOFOLLOW|O_DIRECTORY with
                        // ELOOP or ENOTDIR; so does anything else that is
                        // not a directory.
                        Err(e @ (libc::ELOOP | libc::ENOTDIR)) => {
                            if readlink_into(cur, name, &mut link).is_err() {
                                return Err(Errno::from_host(e));
                            }
                        }
                        Err(e) => return Err(Errno::from_host(e)),
                    }
                }
                walk.unstage();
                expansions += 1;
                if expansions > MAX_SYMLINK_EXPANSIONS {
                    return Err(Errno::LOOP);
                }
                if link.is_empty() {
                    return Err(Errno::NOENT);
                }
                if link[0] == b'/' {
                    return Err(Errno::PERM);
                }
                if last && link.ends_with(b"/") {
                    dir_required = true;
                }
                pending.splice(&link);
                continue;
            }
        }
        if last {
            break;
        }
    }
    Ok(walk.finish(CString::from(c"."), dir_required))
}

#[cfg(test)]
#[path = "path_tests.rs"]
mod tests;
