//! Unit tests of [`super::resolve`]: plain paths, `..`, absolute paths,
//! symlinks in and out, loops, long paths and deep trees.

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
fn long_paths_are_refused_before_walking() {
    let f = fixture();
    let ok = "a/".repeat(PATH_MAX / 2 - 1) + "x"; // 4095 bytes
    assert_eq!(ok.len(), PATH_MAX - 1);
    assert_eq!(resolve_ino(&f, &ok, false), Err(Errno::NOENT));
    let long = "a/".repeat(PATH_MAX / 2); // 4096 bytes
    assert_eq!(resolve_ino(&f, &long, false), Err(Errno::NAMETOOLONG));
    assert_eq!(
        resolve_ino(&f, &"x".repeat(1 << 20), false),
        Err(Errno::NAMETOOLONG)
    );
}

/// Make `depth` nested directories `d/d/…` under `root`, with a file `f`
/// at the bottom; returns the path of the bottom directory.
fn nest(root: &std::path::Path, depth: usize) -> String {
    let rel = vec!["d"; depth].join("/");
    fs::create_dir_all(root.join(&rel)).unwrap();
    fs::write(root.join(&rel).join("f"), b"bottom").unwrap();
    rel
}

#[test]
fn deep_trees_and_dotdot_beyond_the_open_ancestors() {
    let f = fixture();
    let depth = 3 * OPEN_ANCESTORS + 5;
    let rel = nest(&f.root, depth);
    let bottom = ino(&f.root.join(&rel).join("f"));
    assert_eq!(resolve_ino(&f, &format!("{rel}/f"), false), Ok(bottom));
    // All the way up and back to the root's own entries: `..` past the
    // ancestors still open re-walks from the root.
    let up = "../".repeat(depth);
    assert_eq!(
        resolve_ino(&f, &format!("{rel}/{up}top"), false),
        Ok(ino(&f.root.join("top")))
    );
    assert_eq!(
        resolve_ino(&f, &format!("{rel}/{up}"), false),
        Ok(ino(&f.root))
    );
    // One more is an escape.
    assert_eq!(
        resolve_ino(&f, &format!("{rel}/{up}../x"), false),
        Err(Errno::PERM)
    );
    // Down, far up, down again, up and down in small steps.
    let half = "../".repeat(depth / 2);
    let back = vec!["d"; depth / 2].join("/");
    assert_eq!(
        resolve_ino(&f, &format!("{rel}/{half}{back}/f"), false),
        Ok(bottom)
    );
    // Each `d/../d/d/../` goes one level down in small steps.
    let zigzag = "d/../d/d/../".repeat(depth - 1) + "d/f";
    assert_eq!(resolve_ino(&f, &zigzag, false), Ok(bottom));
}

#[test]
fn dotdot_after_symlinks_in_deep_trees() {
    let f = fixture();
    let depth = 2 * OPEN_ANCESTORS + 3;
    let rel = nest(&f.root, depth);
    // A link from the root to the bottom: `..` after it is physical, so it
    // climbs the real tree (through re-walks of the real names).
    symlink(&rel, f.root.join("bottom")).unwrap();
    let up = "../".repeat(depth);
    assert_eq!(
        resolve_ino(&f, &format!("bottom/{up}top"), false),
        Ok(ino(&f.root.join("top")))
    );
    assert_eq!(
        resolve_ino(&f, &format!("bottom/{up}../top"), false),
        Err(Errno::PERM)
    );
    // A link at the bottom pointing all the way up and out.
    let out = "../".repeat(depth + 1) + "outside";
    symlink(&out, f.root.join(&rel).join("out")).unwrap();
    assert_eq!(
        resolve_ino(&f, &format!("{rel}/out/secret"), false),
        Err(Errno::PERM)
    );
    // …and one pointing exactly to the root.
    let to_root = "../".repeat(depth);
    symlink(&to_root, f.root.join(&rel).join("root")).unwrap();
    assert_eq!(
        resolve_ino(&f, &format!("{rel}/root/top"), false),
        Ok(ino(&f.root.join("top")))
    );
}
