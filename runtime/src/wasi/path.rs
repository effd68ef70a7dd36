//! Sandboxed path resolution.
//!
//! Every WASI path is relative to a directory descriptor, and nothing it
//! names may lie outside that directory. The kernel is never given a path
//! with more than one component: the resolver walks the path itself,
//! opening each directory with `openat(dir, component, O_NOFOLLOW |
//! O_DIRECTORY)` and expanding symbolic links by hand, so that
//!
//! * absolute paths (and absolute symlink targets) are refused (`PERM`),
//! * `..` pops the stack of directories walked so far and is refused when
//!   the stack is empty, i.e. at the root (`PERM`), whether it comes from
//!   the path or from a symlink target,
//! * symlink expansions are bounded ([`MAX_SYMLINK_EXPANSIONS`], `LOOP`).
//!
//! The result is the directory that holds the final component plus that
//! component's name; callers apply one `*at` call to it with
//! `AT_SYMLINK_NOFOLLOW`/`O_NOFOLLOW`, so a symlink swapped in concurrently
//! is never followed by the kernel either.

use super::errno::{Errno, WasiResult};
use crate::sys;
use std::ffi::{CStr, CString};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// Symlinks one resolution may expand (Linux's own limit).
pub const MAX_SYMLINK_EXPANSIONS: u32 = 40;

/// The outcome of a resolution: directory `dir()` holds entry `name`.
#[derive(Debug)]
pub struct Resolved {
    root: RawFd,
    /// Directories walked into below `root`, innermost last.
    stack: Vec<OwnedFd>,
    /// The final component: a plain name, or `.` for the directory itself.
    pub name: CString,
    /// The path (or the last symlink target followed) ended with `/`: the
    /// final object must be a directory.
    pub dir_required: bool,
}

impl Resolved {
    /// The directory holding [`Resolved::name`].
    pub fn dir(&self) -> RawFd {
        self.stack.last().map_or(self.root, AsRawFd::as_raw_fd)
    }

    /// How many directories below the root `dir()` is.
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`.
    pub fn lstat(&self) -> WasiResult<libc::stat> {
        lstat_at(self.dir(), &self.name)
    }
}

/// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`.
pub fn lstat_at(dir: RawFd, name: &CStr) -> WasiResult<libc::stat> {
    // SAFETY: valid C string and out-buffer.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        super::errno::check(libc::fstatat(
            dir,
            name.as_ptr(),
            &mut st,
            libc::AT_SYMLINK_NOFOLLOW,
        ))?;
        Ok(st)
    }
}

/// The target of symlink `name` in `dir` (`Err(host errno)`; `EINVAL`
/// means "not a symlink").
pub fn readlink_at(dir: RawFd, name: &CStr) -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::readlinkat(dir, name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(sys::errno());
        }
        if (n as usize) < buf.len() {
            buf.truncate(n as usize);
            return Ok(buf);
        }
        // Possibly truncated: retry with more room.
        if buf.len() >= 1 << 16 {
            return Err(libc::ENAMETOOLONG);
        }
        buf.resize(buf.len() * 4, 0);
    }
}

/// Open directory `name` in `dir` for walking through (`O_PATH`: needs
/// only search permission), never following a symlink.
fn open_walk_dir(dir: RawFd, name: &CStr) -> Result<OwnedFd, i32> {
    let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    loop {
        // SAFETY: valid C string.
        let fd = unsafe { libc::openat(dir, name.as_ptr(), flags) };
        if fd >= 0 {
            // SAFETY: a fresh descriptor we own.
            return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
        }
        match sys::errno() {
            libc::EINTR => continue,
            e => return Err(e),
        }
    }
}

/// Split a path into its non-empty components.
fn components(path: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    path.split(|&b| b == b'/').filter(|c| !c.is_empty())
}

/// Check the shape of a guest path: non-empty, relative, no NUL.
fn check_path(path: &[u8]) -> WasiResult<()> {
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

/// Resolve `path` beneath directory `root`. With `follow_final`, a symlink
/// in the final position is followed too (intermediate ones always are).
pub fn resolve(root: RawFd, path: &[u8], follow_final: bool) -> WasiResult<Resolved> {
    check_path(path)?;
    // Components still to walk, the next one last.
    let mut pending: Vec<Vec<u8>> = components(path).rev().map(<[u8]>::to_vec).collect();
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut dir_required = path.ends_with(b"/");
    let mut expansions = 0;
    let dot = || CString::from(c".");

    while let Some(comp) = pending.pop() {
        let last = pending.is_empty();
        match &comp[..] {
            b"." => {
                if last {
                    return Ok(Resolved {
                        root,
                        stack,
                        name: dot(),
                        dir_required,
                    });
                }
                continue;
            }
            b".." => {
                // Climbing above the root is the escape the sandbox exists
                // to prevent.
                if stack.pop().is_none() {
                    return Err(Errno::PERM);
                }
                if last {
                    return Ok(Resolved {
                        root,
                        stack,
                        name: dot(),
                        dir_required,
                    });
                }
                continue;
            }
            _ => {}
        }
        let name = CString::new(comp).map_err(|_| Errno::INVAL)?;
        let cur = stack.last().map_or(root, AsRawFd::as_raw_fd);
        let target = if last {
            // A trailing slash forces a final symlink to be followed, as in
            // POSIX path resolution.
            if !(follow_final || dir_required) {
                return Ok(Resolved {
                    root,
                    stack,
                    name,
                    dir_required,
                });
            }
            match readlink_at(cur, &name) {
                Ok(target) => target,
                // Not a symlink (EINVAL) or absent: the name itself is final.
                Err(_) => {
                    return Ok(Resolved {
                        root,
                        stack,
                        name,
                        dir_required,
                    })
                }
            }
        } else {
            match open_walk_dir(cur, &name) {
                Ok(fd) => {
                    stack.push(fd);
                    continue;
                }
                // A symlink refuses O_NOFOLLOW|O_DIRECTORY with ELOOP or
                // ENOTDIR; anything else that is not a directory too.
                Err(e @ (libc::ELOOP | libc::ENOTDIR)) => match readlink_at(cur, &name) {
                    Ok(target) => target,
                    Err(_) => return Err(Errno::from_host(e)),
                },
                Err(e) => return Err(Errno::from_host(e)),
            }
        };
        expansions += 1;
        if expansions > MAX_SYMLINK_EXPANSIONS {
            return Err(Errno::LOOP);
        }
        if target.is_empty() {
            return Err(Errno::NOENT);
        }
        if target[0] == b'/' {
            return Err(Errno::PERM);
        }
        if last && target.ends_with(b"/") {
            dir_required = true;
        }
        pending.extend(components(&target).rev().map(<[u8]>::to_vec));
        if pending.is_empty() {
            // A target made only of slashes is absolute; unreachable, but
            // keep the loop's invariant explicit.
            return Err(Errno::PERM);
        }
    }
    Ok(Resolved {
        root,
        stack,
        name: dot(),
        dir_required,
    })
}

/// Whether a symlink target written at `depth` directories below the root
/// stays beneath the root when read lexically. Creating links that point
/// outside would not let the guest escape (resolution refuses to follow
/// them), but they would be traps for host programs that follow them.
pub fn symlink_target_stays_inside(target: &[u8], depth: usize) -> bool {
    if target.first() == Some(&b'/') {
        return false;
    }
    let mut d = depth as isize;
    for c in components(target) {
        match c {
            b"." => {}
            b".." => {
                d -= 1;
                if d < 0 {
                    return false;
                }
            }
            _ => d += 1,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::TempDir;
    use std::fs;
    use std::os::unix::fs::symlink;

    /// A sandbox `root/` with `a/b/file`, `top`, and a sibling `outside/`
    /// directory next to it (the thing escapes would reach).
    struct Fixture {
        _tmp: TempDir,
        root: std::path::PathBuf,
        fd: OwnedFd,
    }

    fn fixture() -> Fixture {
        let tmp = TempDir::new();
        let root = tmp.path().join("root");
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join("a/b/file"), b"x").unwrap();
        fs::write(root.join("top"), b"t").unwrap();
        fs::create_dir(tmp.path().join("outside")).unwrap();
        fs::write(tmp.path().join("outside/secret"), b"s").unwrap();
        let fd = crate::wasi::testutil::open_dir(&root);
        Fixture {
            _tmp: tmp,
            root,
            fd,
        }
    }

    fn ino(p: &std::path::Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(p).unwrap().ino()
    }

    /// Resolve and stat the result, returning its inode.
    fn resolve_ino(f: &Fixture, path: &str, follow: bool) -> WasiResult<u64> {
        let r = resolve(f.fd.as_raw_fd(), path.as_bytes(), follow)?;
        Ok(r.lstat()?.st_ino)
    }

    #[test]
    fn plain_paths() {
        let f = fixture();
        assert_eq!(
            resolve_ino(&f, "a/b/file", false),
            Ok(ino(&f.root.join("a/b/file")))
        );
        assert_eq!(
            resolve_ino(&f, "./a//b/./file", false),
            Ok(ino(&f.root.join("a/b/file")))
        );
        assert_eq!(resolve_ino(&f, ".", false), Ok(ino(&f.root)));
        assert_eq!(resolve_ino(&f, "a/b/", false), Ok(ino(&f.root.join("a/b"))));
        let r = resolve(f.fd.as_raw_fd(), b"a/b/", false).unwrap();
        assert!(r.dir_required);
        assert_eq!(r.name.as_bytes(), b"b");
        assert_eq!(r.depth(), 1);
        // A missing final component resolves (for creation); a missing
        // intermediate one does not.
        let r = resolve(f.fd.as_raw_fd(), b"a/new", false).unwrap();
        assert_eq!(r.name.as_bytes(), b"new");
        assert_eq!(resolve_ino(&f, "nope/x", false), Err(Errno::NOENT));
        assert_eq!(resolve_ino(&f, "top/x", false), Err(Errno::NOTDIR));
        assert_eq!(resolve_ino(&f, "", false).unwrap_err(), Errno::NOENT);
        assert_eq!(resolve_ino(&f, "a\0b", false).unwrap_err(), Errno::INVAL);
    }

    #[test]
    fn dotdot_stays_inside() {
        let f = fixture();
        assert_eq!(
            resolve_ino(&f, "a/../top", false),
            Ok(ino(&f.root.join("top")))
        );
        assert_eq!(
            resolve_ino(&f, "a/b/../../a/b/file", false),
            Ok(ino(&f.root.join("a/b/file")))
        );
        assert_eq!(resolve_ino(&f, "a/..", false), Ok(ino(&f.root)));
        assert_eq!(resolve_ino(&f, "..", false), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "../x", false), Err(Errno::PERM));
        assert_eq!(
            resolve_ino(&f, "a/../../outside/secret", false),
            Err(Errno::PERM)
        );
        assert_eq!(resolve_ino(&f, "a/b/../../..", false), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "./../root/top", false), Err(Errno::PERM));
    }

    #[test]
    fn absolute_paths_are_refused() {
        let f = fixture();
        assert_eq!(resolve_ino(&f, "/etc/passwd", true), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "/", true), Err(Errno::PERM));
    }

    #[test]
    fn symlinks_inside_are_followed() {
        let f = fixture();
        symlink("a/b", f.root.join("lb")).unwrap();
        symlink("../top", f.root.join("a/up")).unwrap();
        symlink("b/file", f.root.join("a/lf")).unwrap();
        let file = ino(&f.root.join("a/b/file"));
        assert_eq!(resolve_ino(&f, "lb/file", false), Ok(file));
        assert_eq!(resolve_ino(&f, "a/up", true), Ok(ino(&f.root.join("top"))));
        assert_eq!(resolve_ino(&f, "a/lf", true), Ok(file));
        // Without follow the link itself is the result.
        assert_eq!(
            resolve_ino(&f, "a/lf", false),
            Ok(ino(&f.root.join("a/lf")))
        );
        // `..` after a symlink is physical: lb/.. is a, not the root.
        assert_eq!(resolve_ino(&f, "lb/../b/file", false), Ok(file));
        // A trailing slash follows a final symlink.
        assert_eq!(resolve_ino(&f, "lb/", false), Ok(ino(&f.root.join("a/b"))));
    }

    #[test]
    fn symlinks_out_are_refused() {
        let f = fixture();
        symlink("/etc", f.root.join("etc")).unwrap();
        symlink("/etc/passwd", f.root.join("passwd")).unwrap();
        symlink("../outside", f.root.join("out")).unwrap();
        symlink("../../outside/secret", f.root.join("a/deep")).unwrap();
        symlink("b/../../..", f.root.join("a/sneaky")).unwrap();
        symlink("/", f.root.join("slash")).unwrap();
        assert_eq!(resolve_ino(&f, "etc/passwd", false), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "etc", true), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "passwd", true), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "out/secret", false), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "out", true), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "a/deep", true), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "a/sneaky/outside", false), Err(Errno::PERM));
        assert_eq!(resolve_ino(&f, "slash/", false), Err(Errno::PERM));
        // Not following the final link is fine: it names the link itself.
        assert_eq!(resolve_ino(&f, "out", false), Ok(ino(&f.root.join("out"))));
    }

    #[test]
    fn symlink_loops_are_bounded() {
        let f = fixture();
        symlink("loop", f.root.join("loop")).unwrap();
        symlink("p2", f.root.join("p1")).unwrap();
        symlink("p1", f.root.join("p2")).unwrap();
        symlink("self/self", f.root.join("self")).unwrap();
        assert_eq!(resolve_ino(&f, "loop", true), Err(Errno::LOOP));
        assert_eq!(resolve_ino(&f, "loop/x", false), Err(Errno::LOOP));
        assert_eq!(resolve_ino(&f, "p1/x", false), Err(Errno::LOOP));
        assert_eq!(resolve_ino(&f, "self", true), Err(Errno::LOOP));
        // A long but finite chain within the limit works.
        let mut prev = "top".to_string();
        for i in 0..30 {
            let name = format!("c{i}");
            symlink(&prev, f.root.join(&name)).unwrap();
            prev = name;
        }
        assert_eq!(resolve_ino(&f, &prev, true), Ok(ino(&f.root.join("top"))));
    }

    #[test]
    fn dangling_and_empty_targets() {
        let f = fixture();
        symlink("missing", f.root.join("dangling")).unwrap();
        let r = resolve(f.fd.as_raw_fd(), b"dangling", true).unwrap();
        assert_eq!(r.name.as_bytes(), b"missing");
    }

    #[test]
    fn lexical_symlink_target_check() {
        assert!(symlink_target_stays_inside(b"a/b", 0));
        assert!(symlink_target_stays_inside(b"a/../b", 0));
        assert!(symlink_target_stays_inside(b"../x", 1));
        assert!(!symlink_target_stays_inside(b"../x", 0));
        assert!(!symlink_target_stays_inside(b"a/../../x", 0));
        assert!(!symlink_target_stays_inside(b"/etc", 3));
    }
}
