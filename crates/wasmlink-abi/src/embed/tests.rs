use super::*;
use alloc::vec;
use alloc::vec::Vec;

fn file(name: &str, contents: &'static [u8]) -> TreeNode<&'static [u8]> {
    TreeNode {
        name: name.as_bytes().to_vec(),
        kind: TreeKind::File {
            size: contents.len() as u64,
            source: contents,
        },
    }
}

fn dir(name: &str, children: Vec<TreeNode<&'static [u8]>>) -> TreeNode<&'static [u8]> {
    TreeNode {
        name: name.as_bytes().to_vec(),
        kind: TreeKind::Dir(children),
    }
}

fn link(name: &str, target: &str) -> TreeNode<&'static [u8]> {
    TreeNode {
        name: name.as_bytes().to_vec(),
        kind: TreeKind::Symlink(target.as_bytes().to_vec()),
    }
}

/// The whole blob: the index, then each file at its offset.
fn build(trees: &[TreeKind<&'static [u8]>]) -> Vec<u8> {
    let refs: Vec<&TreeKind<&'static [u8]>> = trees.iter().collect();
    let l = layout(&refs).unwrap();
    let mut blob = l.index.clone();
    for (contents, at, size) in &l.files {
        assert_eq!(*size, contents.len() as u64);
        blob.resize(*at as usize, 0);
        blob.extend_from_slice(contents);
    }
    assert_eq!(blob.len() as u64, l.len);
    blob
}

fn sample() -> Vec<TreeKind<&'static [u8]>> {
    vec![
        TreeKind::Dir(vec![
            file("zeta.txt", b"last"),
            dir(
                "sub",
                vec![file("inner", b"deep contents"), link("up", "../zeta.txt")],
            ),
            file("alpha", b""),
            dir("empty", vec![]),
        ]),
        TreeKind::Dir(vec![file("only", b"second tree")]),
    ]
}

#[test]
fn a_blob_reads_back_what_was_laid_out() {
    let bytes = build(&sample());
    let b = Blob::new(&bytes).unwrap();
    assert_eq!(b.tree_count(), 2);
    assert_eq!((b.root(0), b.root(1)), (0, 1));
    // Breadth-first, children sorted: 0, 1 roots; 2..6 the first root's
    // children; 6 the second's; then sub's.
    assert_eq!(b.node_count(), 9);
    let root = b.node(0);
    let names: Vec<&[u8]> = root.children().map(|c| b.name(&b.node(c))).collect();
    assert_eq!(names, [&b"alpha"[..], b"empty", b"sub", b"zeta.txt"]);
    let sub = b.lookup(0, b"sub").unwrap();
    assert!(b.node(sub).is_dir());
    let inner = b.lookup(sub, b"inner").unwrap();
    assert_eq!(b.contents(&b.node(inner)), b"deep contents");
    assert_eq!(b.node(inner).parent, sub);
    let up = b.node(b.lookup(sub, b"up").unwrap());
    assert!(up.is_symlink());
    assert_eq!(b.target(&up), b"../zeta.txt");
    assert_eq!(up.size(), 11);
    assert_eq!(
        b.contents(&b.node(b.lookup(0, b"zeta.txt").unwrap())),
        b"last"
    );
    assert_eq!(b.contents(&b.node(b.lookup(0, b"alpha").unwrap())), b"");
    assert!(b.node(b.lookup(0, b"empty").unwrap()).children().is_empty());
    assert_eq!(b.lookup(0, b"missing"), None);
    assert_eq!(b.lookup(0, b"only"), None);
    assert_eq!(
        b.contents(&b.node(b.lookup(1, b"only").unwrap())),
        b"second tree"
    );
    // Contents start at aligned offsets in a page-aligned data region.
    let trees = sample();
    let l = layout(&trees.iter().collect::<Vec<_>>()).unwrap();
    assert_eq!(l.index.len() as u64 % DATA_ALIGN, 0);
    assert!(l.files.iter().all(|f| f.1 % FILE_ALIGN == 0));
    assert_eq!(Blob::inode(0), 1);
}

#[test]
fn the_layout_does_not_depend_on_the_order_given() {
    let mut reordered = sample();
    if let TreeKind::Dir(children) = &mut reordered[0] {
        children.reverse();
    }
    assert_eq!(build(&sample()), build(&reordered));
}

#[test]
fn bad_trees_are_refused() {
    let e = |t: Vec<TreeKind<&'static [u8]>>| layout(&t.iter().collect::<Vec<_>>()).unwrap_err();
    assert_eq!(
        e(vec![TreeKind::Dir(vec![file("a", b""), file("a", b"x")])]),
        LayoutError::Duplicate(b"a".to_vec())
    );
    for name in ["", ".", "..", "a/b", "a\0b"] {
        assert_eq!(
            e(vec![TreeKind::Dir(vec![file(name, b"")])]),
            LayoutError::BadName(name.as_bytes().to_vec())
        );
    }
    let long = "n".repeat(MAX_NAME + 1);
    assert!(matches!(
        e(vec![TreeKind::Dir(vec![file(&long, b"")])]),
        LayoutError::BadName(_)
    ));
    for target in ["", "/etc/passwd", "a\0"] {
        assert_eq!(
            e(vec![TreeKind::Dir(vec![link("l", target)])]),
            LayoutError::BadTarget(target.as_bytes().to_vec())
        );
    }
    assert_eq!(
        e(vec![TreeKind::File {
            size: 0,
            source: &b""[..]
        }]),
        LayoutError::RootNotDir
    );
    let huge = TreeKind::Dir(vec![TreeNode {
        name: b"big".to_vec(),
        kind: TreeKind::File {
            size: MAX_BLOB,
            source: &b""[..],
        },
    }]);
    assert_eq!(layout(&[&huge]).unwrap_err(), LayoutError::TooLarge);
}

#[test]
fn an_empty_set_of_trees_is_a_valid_blob() {
    let bytes = build(&[]);
    let b = Blob::new(&bytes).unwrap();
    assert_eq!((b.tree_count(), b.node_count()), (0, 0));
}

/// Every single-byte change of a valid blob is either refused or still
/// reads without panicking; truncations are refused.
#[test]
fn damaged_blobs_are_refused_or_harmless() {
    let bytes = build(&sample());
    let trees = sample();
    let index_len = layout(&trees.iter().collect::<Vec<_>>())
        .unwrap()
        .index
        .len();
    for at in 0..index_len {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut d = bytes.clone();
            d[at] ^= flip;
            if let Ok(b) = Blob::new(&d) {
                // Walk everything: nothing may panic.
                for i in 0..b.node_count() {
                    let n = b.node(i);
                    let _ = (b.name(&n), b.target(&n), b.contents(&n), n.children());
                    for c in n.children() {
                        let _ = b.lookup(i, b.name(&b.node(c)));
                    }
                }
            }
        }
    }
    for cut in [0, 8, HEADER_SIZE, index_len / 2, bytes.len() - 1] {
        assert!(Blob::new(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(Blob::new(&longer).is_err());
}

#[test]
fn names_and_targets() {
    assert!(valid_name(b"a.b"));
    assert!(!valid_name(b"."));
    assert!(valid_name(b"..."));
    assert!(valid_target(b"../x"));
    assert!(!valid_target(b"/x"));
    assert!(!valid_target(&[b'x'; MAX_TARGET + 1]));
}
