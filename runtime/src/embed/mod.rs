//! Embedded files: host files packed into the executable at build time,
//! shown to the program as read-only preopened directories
//! (`wasmlink_abi::embed`).
//!
//! The blob is the assets object's section, which the loader mapped from
//! the executable file like the rest of its read-only data: reading an
//! embedded file copies from those pages straight into guest memory, so
//! nothing is copied at start-up and a page is read from the page cache
//! only when the program reads it. The blob is checked once, on first use
//! ([`program_blob`]); an open embedded file or directory is an
//! [`EmbeddedNode`], the checked blob and a node.
//!
//! [`resolve`] walks paths inside a tree with the rules of the host
//! sandbox (`crate::wasi::path`): `..` never climbs above the directory
//! a path starts from, absolute links are refused, links are expanded at
//! most 40 times. [`ops`] are the file system operations both WASI
//! versions share; everything that would change the tree fails as on a
//! read-only file system (`ROFS`), after the errors a lookup gives
//! (`NOENT`, `NOTDIR`, `EXIST`, …).

use alloc::string::String;

pub mod ops;
pub mod resolve;

pub use wasmlink_abi::embed::Blob;

/// An open embedded file or directory.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedNode {
    pub blob: Blob<'static>,
    pub node: u32,
}

impl EmbeddedNode {
    /// Tree `k`'s root: the preopened directory.
    pub fn root(blob: Blob<'static>, k: u32) -> Option<EmbeddedNode> {
        (k < blob.tree_count()).then(|| EmbeddedNode {
            blob,
            node: blob.root(k),
        })
    }

    /// Another node of the same blob.
    pub fn at(&self, node: u32) -> EmbeddedNode {
        EmbeddedNode {
            blob: self.blob,
            node,
        }
    }

    pub fn info(&self) -> wasmlink_abi::embed::Node {
        self.blob.node(self.node)
    }

    pub fn is_dir(&self) -> bool {
        self.info().is_dir()
    }

    /// Its inode number.
    pub fn ino(&self) -> u64 {
        Blob::inode(self.node)
    }

    /// A file's contents (empty for anything else).
    pub fn contents(&self) -> &'static [u8] {
        self.blob.contents(&self.info())
    }
}

/// The program's embedded files, from the object's `wasmlink_embedded`:
/// `None` when it embeds nothing; an error when the blob is malformed.
#[cfg(not(test))]
pub fn program_blob() -> Result<Option<Blob<'static>>, String> {
    use crate::contract::object::wasmlink_embedded;
    // SAFETY: the object defines `wasmlink_embedded` (codegen `statics`):
    // null and 0, or the start and length of the assets object's
    // section, read-only data that lives as long as the process.
    let bytes: &'static [u8] = unsafe {
        let e = &*core::ptr::addr_of!(wasmlink_embedded);
        if e.data.is_null() {
            return Ok(None);
        }
        core::slice::from_raw_parts(e.data, e.len as usize)
    };
    Blob::new(bytes)
        .map(Some)
        .map_err(|e| alloc::format!("{e}"))
}

/// Unit tests link without an object: no embedded files.
#[cfg(test)]
pub fn program_blob() -> Result<Option<Blob<'static>>, String> {
    Ok(None)
}

#[cfg(test)]
pub mod testutil {
    //! A blob made in memory for tests, as the builder lays it out.

    use super::*;
    use wasmlink_abi::embed::{layout, TreeKind, TreeNode};

    pub type Tree = TreeKind<&'static [u8]>;

    pub fn file(name: &str, contents: &'static [u8]) -> TreeNode<&'static [u8]> {
        TreeNode {
            name: name.as_bytes().to_vec(),
            kind: TreeKind::File {
                size: contents.len() as u64,
                source: contents,
            },
        }
    }

    pub fn dir(name: &str, children: Vec<TreeNode<&'static [u8]>>) -> TreeNode<&'static [u8]> {
        TreeNode {
            name: name.as_bytes().to_vec(),
            kind: TreeKind::Dir(children),
        }
    }

    pub fn link(name: &str, target: &str) -> TreeNode<&'static [u8]> {
        TreeNode {
            name: name.as_bytes().to_vec(),
            kind: TreeKind::Symlink(target.as_bytes().to_vec()),
        }
    }

    /// The checked blob of `trees`, leaked (tests only).
    pub fn blob(trees: &[Tree]) -> Blob<'static> {
        let refs: Vec<&Tree> = trees.iter().collect();
        let l = layout(&refs).unwrap();
        let mut bytes = l.index.clone();
        for (contents, at, _) in &l.files {
            bytes.resize(*at as usize, 0);
            bytes.extend_from_slice(contents);
        }
        Blob::new(Vec::leak(bytes)).unwrap()
    }

    /// `/`: `a.txt` ("alpha"), `dir/b.txt` ("bravo!"), `dir/up -> ../a.txt`,
    /// `dir/self -> .`, `loop -> loop`, `out -> ..`,
    /// `empty/`, `deep/x/y` ("why").
    pub fn sample() -> Blob<'static> {
        blob(&[TreeKind::Dir(vec![
            file("a.txt", b"alpha"),
            dir(
                "dir",
                vec![
                    file("b.txt", b"bravo!"),
                    link("up", "../a.txt"),
                    link("self", "."),
                ],
            ),
            link("loop", "loop"),
            link("out", ".."),
            dir("empty", vec![]),
            dir("deep", vec![dir("x", vec![file("y", b"why")])]),
        ])])
    }
}
