//! The file system operations on embedded files that preview 1's calls
//! (`crate::wasi`) and WASI 0.2's descriptor methods (`crate::wasi2`)
//! share, the counterparts of `crate::wasi::fs_ops` for the host.
//!
//! The tree is read-only, as a file system mounted read-only is: an
//! operation first resolves its path and reports what a lookup reports
//! (`NOENT`, `NOTDIR`, `EXIST` for a name that is taken, `ISDIR`, …),
//! and then, instead of changing anything, fails with `ROFS`. Opening
//! for writing is `ROFS` too; a file is always open for reading only.

use super::resolve::{resolve, Resolved};
use super::EmbeddedNode;
use crate::wasi::errno::{Errno, WasiResult};

/// What `open` is asked to do, in either WASI version's terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenRequest {
    /// Open for writing (`FD_WRITE`, `write`), or create or truncate.
    pub write: bool,
    pub create: bool,
    pub exclusive: bool,
    pub truncate: bool,
    /// It must be a directory.
    pub directory: bool,
}

/// Open `path` beneath `dir`; a final symlink is followed only with
/// `follow`.
pub fn open(
    dir: &EmbeddedNode,
    path: &[u8],
    follow: bool,
    req: OpenRequest,
) -> WasiResult<EmbeddedNode> {
    let r = resolve(dir, path, follow)?;
    let Some(n) = r.node else {
        return Err(match (req.create, r.dir_required) {
            (true, true) => Errno::ISDIR,
            (true, false) => Errno::ROFS,
            (false, _) => Errno::NOENT,
        });
    };
    let node = dir.at(n);
    let info = node.info();
    if req.create && req.exclusive {
        return Err(Errno::EXIST);
    }
    if info.is_symlink() {
        // A final link not followed: the host's O_NOFOLLOW answer.
        return Err(Errno::LOOP);
    }
    if (req.directory || r.dir_required) && !info.is_dir() {
        return Err(Errno::NOTDIR);
    }
    if info.is_dir() && req.write {
        return Err(Errno::ISDIR);
    }
    if req.write || req.truncate || req.create {
        return Err(Errno::ROFS);
    }
    Ok(node)
}

/// The entry `path` names beneath `dir` (the link itself unless
/// `follow`).
pub fn stat(dir: &EmbeddedNode, path: &[u8], follow: bool) -> WasiResult<EmbeddedNode> {
    let r = resolve(dir, path, follow)?;
    let n = dir.at(r.node.ok_or(Errno::NOENT)?);
    if r.dir_required && !n.is_dir() {
        return Err(Errno::NOTDIR);
    }
    Ok(n)
}

/// The target of symlink `path` (`INVAL` for anything else). Targets are
/// relative: the builder refuses absolute ones.
pub fn readlink(dir: &EmbeddedNode, path: &[u8]) -> WasiResult<&'static [u8]> {
    let r = resolve(dir, path, false)?;
    let n = dir.at(r.node.ok_or(Errno::NOENT)?);
    let info = n.info();
    if !info.is_symlink() {
        return Err(Errno::INVAL);
    }
    Ok(n.blob.target(&info))
}

/// The existing entry of a resolution, or `NOENT`.
fn existing(dir: &EmbeddedNode, r: &Resolved) -> WasiResult<EmbeddedNode> {
    Ok(dir.at(r.node.ok_or(Errno::NOENT)?))
}

/// Making a new name (a directory, a link): `EXIST` when it is taken,
/// else `ROFS`.
pub fn create_directory(dir: &EmbeddedNode, path: &[u8]) -> WasiResult<()> {
    let r = resolve(dir, path, false)?;
    Err(if r.node.is_some() {
        Errno::EXIST
    } else {
        Errno::ROFS
    })
}

/// A symlink `path` to `target`: the host's checks of the target, then as
/// [`create_directory`].
pub fn symlink(target: &[u8], dir: &EmbeddedNode, path: &[u8]) -> WasiResult<()> {
    let r = resolve(dir, path, false)?;
    if target.is_empty() {
        return Err(Errno::NOENT);
    }
    if target[0] == b'/' {
        return Err(Errno::PERM);
    }
    Err(match (r.node.is_some(), r.dir_required) {
        (true, _) => Errno::EXIST,
        (false, true) => Errno::NOENT,
        (false, false) => Errno::ROFS,
    })
}

/// Remove file `path`: `ISDIR` for a directory, else `ROFS`.
pub fn unlink_file(dir: &EmbeddedNode, path: &[u8]) -> WasiResult<()> {
    let r = resolve(dir, path, false)?;
    let n = existing(dir, &r)?;
    if n.is_dir() {
        return Err(Errno::ISDIR);
    }
    if r.dir_required {
        return Err(Errno::NOTDIR);
    }
    Err(Errno::ROFS)
}

/// Remove directory `path`: `NOTDIR` for anything else, `INVAL` for `.`,
/// else `ROFS`.
pub fn remove_directory(dir: &EmbeddedNode, path: &[u8]) -> WasiResult<()> {
    let r = resolve(dir, path, false)?;
    let n = existing(dir, &r)?;
    if !n.is_dir() {
        return Err(Errno::NOTDIR);
    }
    if r.name == b"." {
        return Err(Errno::INVAL);
    }
    Err(Errno::ROFS)
}

/// Change the times of `path`: `ROFS` once it is found.
pub fn set_times(dir: &EmbeddedNode, path: &[u8], follow: bool) -> WasiResult<()> {
    stat(dir, path, follow)?;
    Err(Errno::ROFS)
}

/// One side of a rename or a link: an embedded directory and path, or a
/// host one (which the host checks).
pub enum Side<'a> {
    Embedded(&'a EmbeddedNode, &'a [u8]),
    Host,
}

/// Rename (`link`: hard-link) `old` to `new`, at least one of them
/// embedded: the embedded sides' lookups, then `XDEV` between an
/// embedded tree and the host, or `ROFS`.
pub fn rename_or_link(old: Side, new: Side, link: bool) -> WasiResult<()> {
    let mut cross = false;
    if let Side::Embedded(dir, path) = old {
        let r = resolve(dir, path, false)?;
        let n = existing(dir, &r)?;
        if link && r.dir_required {
            return Err(if n.is_dir() {
                Errno::PERM
            } else {
                Errno::NOTDIR
            });
        }
        if !link && r.dir_required && !n.is_dir() {
            return Err(Errno::NOTDIR);
        }
    } else {
        cross = true;
    }
    if let Side::Embedded(dir, path) = new {
        let r = resolve(dir, path, false)?;
        if link && r.node.is_some() {
            return Err(Errno::EXIST);
        }
    } else {
        cross = true;
    }
    Err(if cross { Errno::XDEV } else { Errno::ROFS })
}

/// Read up to `want` bytes of a file from `offset` (nothing at or past
/// its end): `write` gets them, straight from the executable's pages;
/// the number of bytes read.
pub fn read_at(
    file: &EmbeddedNode,
    offset: u64,
    mut write: impl FnMut(&[u8]) -> WasiResult<()>,
    want: u64,
) -> WasiResult<usize> {
    let contents = file.contents();
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(contents.len());
    let end = start.saturating_add(usize::try_from(want).unwrap_or(usize::MAX));
    let data = &contents[start..end.min(contents.len())];
    write(data)?;
    Ok(data.len())
}

/// The entries of directory `dir` as preview 1 lists them: `.` and `..`
/// first, then the entries in name order; each (name, inode, node).
pub fn entries(dir: &EmbeddedNode) -> impl Iterator<Item = (&'static [u8], EmbeddedNode)> + '_ {
    let info = dir.info();
    let parent = if info.parent == dir.node {
        dir.node
    } else {
        info.parent
    };
    [(&b"."[..], dir.node), (&b".."[..], parent)]
        .into_iter()
        .chain(
            info.children()
                .map(|c| (dir.blob.name(&dir.blob.node(c)), c)),
        )
        .map(|(name, n)| (name, dir.at(n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::testutil::sample;

    fn root() -> EmbeddedNode {
        EmbeddedNode::root(sample(), 0).unwrap()
    }

    #[test]
    fn opening_reads_only() {
        let r = root();
        let read = OpenRequest::default();
        let f = open(&r, b"dir/up", true, read).unwrap();
        assert_eq!(f.contents(), b"alpha");
        assert!(open(&r, b"dir", false, read).unwrap().is_dir());
        let write = OpenRequest {
            write: true,
            ..read
        };
        let create = OpenRequest {
            create: true,
            write: true,
            ..read
        };
        let e = |path: &str, follow, req| open(&r, path.as_bytes(), follow, req).unwrap_err();
        assert_eq!(e("a.txt", false, write), Errno::ROFS);
        assert_eq!(e("new", false, create), Errno::ROFS);
        assert_eq!(e("new/", false, create), Errno::ISDIR);
        assert_eq!(
            e(
                "a.txt",
                false,
                OpenRequest {
                    exclusive: true,
                    ..create
                }
            ),
            Errno::EXIST
        );
        assert_eq!(e("dir", false, write), Errno::ISDIR);
        assert_eq!(e("missing", false, read), Errno::NOENT);
        assert_eq!(e("dir/up", false, read), Errno::LOOP);
        assert_eq!(
            e(
                "a.txt",
                false,
                OpenRequest {
                    directory: true,
                    ..read
                }
            ),
            Errno::NOTDIR
        );
        assert_eq!(e("a.txt/", false, read), Errno::NOTDIR);
        assert_eq!(
            e(
                "a.txt",
                false,
                OpenRequest {
                    truncate: true,
                    ..read
                }
            ),
            Errno::ROFS
        );
    }

    #[test]
    fn changes_fail_as_on_a_read_only_file_system() {
        let r = root();
        assert_eq!(create_directory(&r, b"new"), Err(Errno::ROFS));
        assert_eq!(create_directory(&r, b"dir"), Err(Errno::EXIST));
        assert_eq!(create_directory(&r, b"no/new"), Err(Errno::NOENT));
        assert_eq!(symlink(b"a.txt", &r, b"l"), Err(Errno::ROFS));
        assert_eq!(symlink(b"/etc", &r, b"l"), Err(Errno::PERM));
        assert_eq!(symlink(b"x", &r, b"a.txt"), Err(Errno::EXIST));
        assert_eq!(unlink_file(&r, b"a.txt"), Err(Errno::ROFS));
        assert_eq!(unlink_file(&r, b"dir"), Err(Errno::ISDIR));
        assert_eq!(unlink_file(&r, b"nope"), Err(Errno::NOENT));
        assert_eq!(remove_directory(&r, b"empty"), Err(Errno::ROFS));
        assert_eq!(remove_directory(&r, b"a.txt"), Err(Errno::NOTDIR));
        assert_eq!(remove_directory(&r, b"."), Err(Errno::INVAL));
        assert_eq!(set_times(&r, b"a.txt", false), Err(Errno::ROFS));
        assert_eq!(set_times(&r, b"nope", false), Err(Errno::NOENT));
        let side = |p: &'static [u8]| Side::Embedded(Box::leak(Box::new(root())), p);
        assert_eq!(
            rename_or_link(side(b"a.txt"), side(b"z"), false),
            Err(Errno::ROFS)
        );
        assert_eq!(
            rename_or_link(side(b"nope"), side(b"z"), false),
            Err(Errno::NOENT)
        );
        assert_eq!(
            rename_or_link(side(b"a.txt"), Side::Host, false),
            Err(Errno::XDEV)
        );
        assert_eq!(
            rename_or_link(side(b"a.txt"), side(b"dir"), true),
            Err(Errno::EXIST)
        );
        assert_eq!(
            rename_or_link(Side::Host, side(b"z"), true),
            Err(Errno::XDEV)
        );
    }

    #[test]
    fn reading_and_listing() {
        let r = root();
        let f = open(&r, b"dir/b.txt", false, OpenRequest::default()).unwrap();
        let mut got = Vec::new();
        let keep = |d: &[u8]| {
            got.extend_from_slice(d);
            Ok(())
        };
        let n = read_at(&f, 2, keep, 100).unwrap();
        assert_eq!((n, &got[..]), (4, &b"avo!"[..]));
        assert_eq!(read_at(&f, 6, |_| Ok(()), 10), Ok(0));
        assert_eq!(read_at(&f, u64::MAX, |_| Ok(()), 10), Ok(0));
        let names: Vec<&[u8]> = entries(&r).map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                &b"."[..],
                b"..",
                b"a.txt",
                b"deep",
                b"dir",
                b"empty",
                b"loop",
                b"out"
            ]
        );
        assert_eq!(
            stat(&r, b"dir/self", true).unwrap().node,
            stat(&r, b"dir", false).unwrap().node
        );
        assert_eq!(readlink(&r, b"dir/up"), Ok(&b"../a.txt"[..]));
        assert_eq!(readlink(&r, b"a.txt"), Err(Errno::INVAL));
    }
}
