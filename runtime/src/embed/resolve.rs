//! Path resolution inside an embedded tree, with the host sandbox's rules
//! (`crate::wasi::path`): the path is checked the same way (length,
//! absolute, NUL), `..` goes back along the directories walked and is
//! `PERM` above the directory the path starts from, a symlink's target is
//! spliced into the path (absolute: `PERM`; more than
//! [`MAX_SYMLINK_EXPANSIONS`]: `LOOP`), a component that is a file is
//! `NOTDIR`, a missing one `NOENT`. There is nothing outside the tree to
//! reach, and nothing is ever looked up outside it.

use super::EmbeddedNode;
use crate::wasi::errno::{Errno, WasiResult};
use crate::wasi::path::{check_path, Pending, MAX_SYMLINK_EXPANSIONS};
use alloc::vec;
use alloc::vec::Vec;
use wasmlink_abi::embed::MAX_NAME;

/// The outcome of a resolution: directory `dir` holds entry `name`,
/// which is `node` (`None`: there is no such entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub dir: u32,
    pub node: Option<u32>,
    /// The final component: a plain name, or `.` for `dir` itself.
    pub name: Vec<u8>,
    /// The path (or the last symlink target followed) ended with `/`:
    /// the final entry must be a directory.
    pub dir_required: bool,
}

/// Resolve `path` beneath directory `start`. With `follow_final`, a
/// symlink in the final position is followed too (intermediate ones
/// always are).
pub fn resolve(start: &EmbeddedNode, path: &[u8], follow_final: bool) -> WasiResult<Resolved> {
    check_path(path)?;
    let blob = start.blob;
    let mut pending = Pending {
        buf: path.to_vec(),
        pos: 0,
    };
    // The directories walked into, `start` first: `..` pops.
    let mut walk: Vec<u32> = vec![start.node];
    let mut dir_required = path.ends_with(b"/");
    let mut expansions = 0;
    while let Some((s, e)) = pending.next() {
        let last = pending.at_end();
        let current = *walk.last().unwrap_or(&start.node);
        let name = pending.buf[s..e].to_vec();
        match &name[..] {
            b"." => {}
            b".." => {
                if walk.len() == 1 {
                    // Above the directory the path starts from.
                    return Err(Errno::PERM);
                }
                walk.pop();
            }
            _ => {
                if name.len() > MAX_NAME {
                    return Err(Errno::NAMETOOLONG);
                }
                let child = blob.lookup(current, &name);
                let info = child.map(|c| blob.node(c));
                let is_link = info.is_some_and(|n| n.is_symlink());
                if last && !(is_link && (follow_final || dir_required)) {
                    return Ok(Resolved {
                        dir: current,
                        node: child,
                        name,
                        dir_required,
                    });
                }
                match (child, info) {
                    (None, _) | (_, None) => return Err(Errno::NOENT),
                    (Some(c), Some(n)) if n.is_dir() => {
                        walk.push(c);
                        continue;
                    }
                    (Some(_), Some(n)) if n.is_symlink() => {
                        expansions += 1;
                        if expansions > MAX_SYMLINK_EXPANSIONS {
                            return Err(Errno::LOOP);
                        }
                        let target = blob.target(&n);
                        if target.is_empty() {
                            return Err(Errno::NOENT);
                        }
                        if target[0] == b'/' {
                            return Err(Errno::PERM);
                        }
                        if last && target.ends_with(b"/") {
                            dir_required = true;
                        }
                        pending.splice(target);
                        continue;
                    }
                    _ => return Err(Errno::NOTDIR),
                }
            }
        }
        if last {
            break;
        }
    }
    let current = *walk.last().unwrap_or(&start.node);
    Ok(Resolved {
        dir: current,
        node: Some(current),
        name: b".".to_vec(),
        dir_required,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::testutil::sample;

    fn at(path: &str, follow: bool) -> WasiResult<(Option<String>, bool)> {
        let blob = sample();
        let root = EmbeddedNode::root(blob, 0).unwrap();
        let r = resolve(&root, path.as_bytes(), follow)?;
        let node = r.node.map(|n| {
            let mut names = Vec::new();
            let mut i = n;
            while blob.node(i).parent != i {
                names.push(String::from_utf8_lossy(blob.name(&blob.node(i))).into_owned());
                i = blob.node(i).parent;
            }
            names.reverse();
            format!("/{}", names.join("/"))
        });
        Ok((node, r.dir_required))
    }

    fn p(path: &str, follow: bool) -> WasiResult<Option<String>> {
        at(path, follow).map(|r| r.0)
    }

    #[test]
    fn paths_resolve_inside_the_tree() {
        assert_eq!(p("a.txt", false), Ok(Some("/a.txt".into())));
        assert_eq!(p("dir/b.txt", false), Ok(Some("/dir/b.txt".into())));
        assert_eq!(p("./dir//b.txt", false), Ok(Some("/dir/b.txt".into())));
        assert_eq!(p("dir/../a.txt", false), Ok(Some("/a.txt".into())));
        assert_eq!(p(".", false), Ok(Some("/".into())));
        assert_eq!(p("dir/..", false), Ok(Some("/".into())));
        // A link in the middle is followed; a final one only when asked.
        assert_eq!(p("dir/up", false), Ok(Some("/dir/up".into())));
        assert_eq!(p("dir/up", true), Ok(Some("/a.txt".into())));
        assert_eq!(
            p("dir/self/self/b.txt", false),
            Ok(Some("/dir/b.txt".into()))
        );
        assert_eq!(p("deep/x/y", true), Ok(Some("/deep/x/y".into())));
        // Missing entries: the final one is reported absent, an
        // intermediate one is NOENT, a file in the middle NOTDIR.
        assert_eq!(p("missing", false), Ok(None));
        assert_eq!(p("dir/missing", true), Ok(None));
        assert_eq!(p("missing/x", false), Err(Errno::NOENT));
        assert_eq!(p("a.txt/x", false), Err(Errno::NOTDIR));
        assert_eq!(at("a.txt/", false), Ok((Some("/a.txt".into()), true)));
    }

    #[test]
    fn nothing_leads_out() {
        assert_eq!(p("..", false), Err(Errno::PERM));
        assert_eq!(p("dir/../..", false), Err(Errno::PERM));
        assert_eq!(p("/a.txt", false), Err(Errno::PERM));
        assert_eq!(p("out", false), Ok(Some("/out".into())));
        assert_eq!(p("out/a.txt", false), Err(Errno::PERM));
        assert_eq!(p("out", true), Err(Errno::PERM));
        assert_eq!(p("loop", true), Err(Errno::LOOP));
        assert_eq!(p("loop/x", false), Err(Errno::LOOP));
        assert_eq!(p("", false), Err(Errno::NOENT));
        assert_eq!(p("a\0b", false), Err(Errno::INVAL));
        assert_eq!(p(&"x/".repeat(2048), false), Err(Errno::NAMETOOLONG));
        assert_eq!(p(&"n".repeat(256), false), Err(Errno::NAMETOOLONG));
    }

    #[test]
    fn dot_dot_stops_at_the_starting_directory() {
        let blob = sample();
        let root = EmbeddedNode::root(blob, 0).unwrap();
        let dir = root.at(blob.lookup(root.node, b"dir").unwrap());
        assert_eq!(resolve(&dir, b"..", false), Err(Errno::PERM));
        // `up` is `../a.txt`: leaving `dir`, where this path started.
        assert_eq!(resolve(&dir, b"up", true), Err(Errno::PERM));
        assert!(resolve(&dir, b"b.txt", false).unwrap().node.is_some());
    }
}
