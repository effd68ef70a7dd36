use super::*;
use std::os::unix::fs::symlink;

fn src(guest: &str, host: &Path) -> EmbedSource {
    EmbedSource {
        guest: guest.into(),
        host: host.to_path_buf(),
    }
}

fn names(tree: &TreeKind<HostFile>) -> Vec<String> {
    match tree {
        TreeKind::Dir(children) => children
            .iter()
            .map(|c| String::from_utf8_lossy(&c.name).into_owned())
            .collect(),
        _ => panic!("not a directory"),
    }
}

fn child<'t>(tree: &'t TreeKind<HostFile>, name: &str) -> &'t TreeKind<HostFile> {
    let TreeKind::Dir(children) = tree else {
        panic!("not a directory")
    };
    &children
        .iter()
        .find(|c| c.name == name.as_bytes())
        .expect("child")
        .kind
}

/// assets/{b.txt, a/{x, link -> ../b.txt}, empty/}
fn assets(root: &Path) -> PathBuf {
    let a = root.join("assets");
    fs::create_dir_all(a.join("a")).unwrap();
    fs::create_dir(a.join("empty")).unwrap();
    fs::write(a.join("b.txt"), b"bee").unwrap();
    fs::write(a.join("a/x"), b"xx").unwrap();
    symlink("../b.txt", a.join("a/link")).unwrap();
    a
}

fn problem(e: GraphError) -> String {
    match e {
        GraphError::Embed { problem, .. } => problem,
        other => panic!("not an embed error: {other}"),
    }
}

#[test]
fn a_directory_is_read_sorted_with_links_kept() {
    let t = tempfile::tempdir().unwrap();
    let a = assets(t.path());
    let e = read_embeds(&[src("/data", &a)], &[]).unwrap();
    assert_eq!(e.dirs.len(), 1);
    let d = &e.dirs[0];
    assert_eq!(d.guest, "/data");
    assert_eq!(names(&d.tree), ["a", "b.txt", "empty"]);
    assert_eq!(names(child(&d.tree, "a")), ["link", "x"]);
    assert_eq!(
        child(child(&d.tree, "a"), "link"),
        &TreeKind::Symlink(b"../b.txt".to_vec())
    );
    let TreeKind::File { size, source } = child(&d.tree, "b.txt") else {
        panic!("a file")
    };
    assert_eq!((*size, source.follow), (3, false));
    assert_eq!(source.path, a.join("b.txt"));
    assert_eq!((d.files, d.dirs, d.links, d.bytes), (2, 3, 1, 5));
    // Everything read is an input of the build.
    assert_eq!(e.read.len(), 5);
    assert!(e.read.contains(&a) && e.read.contains(&a.join("a/x")));
    assert!(!e.read.contains(&a.join("a/link")));
}

#[test]
fn files_share_the_directory_of_their_guest_path() {
    let t = tempfile::tempdir().unwrap();
    let a = assets(t.path());
    let e = read_embeds(
        &[
            src("/etc/app.conf", &a.join("b.txt")),
            src("/data", &a),
            src("/etc/other", &a.join("a/x")),
            src("top", &a.join("a/x")),
            src("/root-file", &a.join("a/x")),
        ],
        &[],
    )
    .unwrap();
    let guests: Vec<&str> = e.dirs.iter().map(|d| d.guest.as_str()).collect();
    assert_eq!(guests, ["/etc", "/data", ".", "/"]);
    assert_eq!(names(&e.dirs[0].tree), ["app.conf", "other"]);
    assert_eq!(e.dirs[0].from.len(), 2);
    let TreeKind::File { source, .. } = child(&e.dirs[0].tree, "app.conf") else {
        panic!("a file")
    };
    assert!(source.follow, "a file embedded by itself may be a link");
    assert_eq!(names(&e.dirs[2].tree), ["top"]);
    assert_eq!(names(&e.dirs[3].tree), ["root-file"]);
    // A file whose path is a link is followed.
    symlink(a.join("b.txt"), t.path().join("via-link")).unwrap();
    let e = read_embeds(&[src("/x/f", &t.path().join("via-link"))], &[]).unwrap();
    assert!(matches!(
        child(&e.dirs[0].tree, "f"),
        TreeKind::File { size: 3, .. }
    ));
}

#[test]
fn clashing_guest_paths_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let a = assets(t.path());
    let f = a.join("b.txt");
    let p = problem(read_embeds(&[src("/e/x", &f), src("/e/x", &f)], &[]).unwrap_err());
    assert_eq!(p, "\"x\" is embedded twice in \"/e\"");
    let p = problem(read_embeds(&[src("/e", &a), src("/e/x", &f)], &[]).unwrap_err());
    assert_eq!(
        p,
        "the preopened directory \"/e\" is also made by embedding \"/e\""
    );
    let p = problem(read_embeds(&[src("/e/x", &f), src("/e", &a)], &[]).unwrap_err());
    assert!(p.contains("also made by embedding \"/e/x\""), "{p}");
    let p = problem(read_embeds(&[src("/d", &a)], &["/d".into()]).unwrap_err());
    assert!(p.contains("already a host directory"), "{p}");
    for guest in ["/e/", "/e/..", ""] {
        assert!(read_embeds(&[src(guest, &f)], &[]).is_err(), "{guest:?}");
    }
}

#[test]
fn links_leading_out_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let a = assets(t.path());
    // Inside: from a/, "../b.txt" stays; "x/../../b.txt" too.
    symlink("sub/../b.txt", a.join("ok")).unwrap();
    read_embeds(&[src("/d", &a)], &[]).unwrap();
    for (at, target) in [
        ("out", "../outside"),
        ("a/out", "../../etc/passwd"),
        ("a/out", "x/../../../y"),
        ("abs", "/etc/passwd"),
    ] {
        let link = a.join(at);
        symlink(target, &link).unwrap();
        let e = read_embeds(&[src("/d", &a)], &[]).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains(&*link.to_string_lossy()), "{shown}");
        assert!(shown.contains(target), "{shown}");
        assert!(
            shown.contains("outside the embedded directory")
                || shown.contains("absolute target cannot be embedded"),
            "{shown}"
        );
        fs::remove_file(&link).unwrap();
    }
    assert!(leaves_root(b"..", 0));
    assert!(!leaves_root(b"..", 1));
    assert!(!leaves_root(b"a/../../..", 2));
    assert!(leaves_root(b"a/../../../..", 2));
    assert!(!leaves_root(b"./a//b/../..", 0));
}

#[test]
fn special_files_are_refused_by_name() {
    let t = tempfile::tempdir().unwrap();
    let a = assets(t.path());
    let sock = a.join("a/control.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let e = read_embeds(&[src("/d", &a)], &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "wasi.embed \"/d\": {}: it is a socket; only regular files, directories and symbolic links can be embedded",
            sock.display()
        )
    );
    fs::remove_file(&sock).unwrap();
    let fifo = a.join("fifo");
    let c = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: a NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    assert!(problem(read_embeds(&[src("/d", &a)], &[]).unwrap_err()).contains("a FIFO"));
    // The top-level path too.
    assert!(problem(read_embeds(&[src("/d/f", &fifo)], &[]).unwrap_err()).contains("a FIFO"));
    fs::remove_file(&fifo).unwrap();
    let missing = problem(read_embeds(&[src("/d", &a.join("nope"))], &[]).unwrap_err());
    assert!(missing.starts_with("cannot read it: "), "{missing}");
}

#[test]
fn names_wasi_cannot_show_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let a = assets(t.path());
    let bad = a.join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    fs::write(&bad, b"").unwrap();
    let p = problem(read_embeds(&[src("/d", &a)], &[]).unwrap_err());
    assert_eq!(p, "its name is not UTF-8, which WASI cannot show");
}

#[test]
fn limits_are_checked_while_reading() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("big");
    fs::create_dir(&a).unwrap();
    // A sparse file larger than the blob may be: nothing is read.
    let f = fs::File::create(a.join("huge")).unwrap();
    f.set_len(MAX_BLOB + 1).unwrap();
    let e = read_embeds(&[src("/d", &a)], &[]).unwrap_err();
    assert!(
        e.to_string().contains("would exceed 1024 MiB in all"),
        "{e}"
    );
    assert!(e.to_string().contains("huge"), "{e}");
}
