//! The runtime side of the blob: [`Blob::new`] checks every rule of the
//! format once; afterwards every accessor works on data known to be
//! well formed (and still never indexes out of bounds: a check it cannot
//! repeat cheaply gives an empty answer rather than a panic).

use super::{
    kind, valid_name, valid_target, DATA_ALIGN, FILE_ALIGN, HEADER_SIZE, MAGIC, MAX_BLOB,
    MAX_NODES, NODE_SIZE,
};
use core::cmp::Ordering;
use core::fmt;
use core::ops::Range;

/// Why a blob was refused: the rule it breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobError(pub &'static str);

impl fmt::Display for BlobError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "malformed embedded files: {}", self.0)
    }
}

/// A checked blob.
#[derive(Clone, Copy, Debug)]
pub struct Blob<'a> {
    bytes: &'a [u8],
    trees: u32,
    nodes: u32,
    nodes_at: usize,
    /// Start and end of the names.
    names: (usize, usize),
    /// Start and end of the data.
    data: (usize, usize),
}

/// One node, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: u8,
    pub parent: u32,
    name_at: u32,
    name_len: u32,
    pub a: u64,
    pub b: u64,
}

impl Node {
    pub fn is_dir(&self) -> bool {
        self.kind == kind::DIR
    }
    pub fn is_file(&self) -> bool {
        self.kind == kind::FILE
    }
    pub fn is_symlink(&self) -> bool {
        self.kind == kind::SYMLINK
    }
    /// A directory's children, a range of node numbers (empty otherwise).
    pub fn children(&self) -> Range<u32> {
        if self.is_dir() {
            self.a as u32..(self.a + self.b) as u32
        } else {
            0..0
        }
    }
    /// A file's size (0 for a directory), a symlink's target length.
    pub fn size(&self) -> u64 {
        if self.is_dir() {
            0
        } else {
            self.b
        }
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        w.copy_from_slice(s);
    }
    u32::from_le_bytes(w)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(s) = b.get(at..at + 8) {
        w.copy_from_slice(s);
    }
    u64::from_le_bytes(w)
}

/// `start..start + len` as a range of `usize` inside `limit`, if it is.
fn within(start: u64, len: u64, limit: usize) -> Option<Range<usize>> {
    let end = start.checked_add(len)?;
    if end > limit as u64 {
        return None;
    }
    Some(start as usize..end as usize)
}

impl<'a> Blob<'a> {
    /// Check `bytes` against every rule of the format.
    pub fn new(bytes: &'a [u8]) -> Result<Blob<'a>, BlobError> {
        let bad = |why| Err(BlobError(why));
        if bytes.len() < HEADER_SIZE || &bytes[..8] != MAGIC {
            return bad("no header");
        }
        let trees = u32_at(bytes, 8);
        let nodes = u32_at(bytes, 12);
        let nodes_at = u64_at(bytes, 16);
        let (names_at, names_len) = (u64_at(bytes, 24), u64_at(bytes, 32));
        let (data_at, data_len) = (u64_at(bytes, 40), u64_at(bytes, 48));
        let len = u64_at(bytes, 56);
        if len != bytes.len() as u64 || len > MAX_BLOB {
            return bad("the length does not match");
        }
        if nodes > MAX_NODES || trees > nodes {
            return bad("too many nodes");
        }
        let roots_end = HEADER_SIZE as u64 + 4 * u64::from(trees);
        if !nodes_at.is_multiple_of(8) || nodes_at < roots_end {
            return bad("the nodes are misplaced");
        }
        let node_bytes = u64::from(nodes) * NODE_SIZE as u64;
        let Some(node_range) = within(nodes_at, node_bytes, bytes.len()) else {
            return bad("the nodes do not fit");
        };
        let Some(names) = within(names_at, names_len, bytes.len()) else {
            return bad("the names do not fit");
        };
        let Some(data) = within(data_at, data_len, bytes.len()) else {
            return bad("the data does not fit");
        };
        if names.start < node_range.end
            || data.start < names.end
            || !data_at.is_multiple_of(DATA_ALIGN)
        {
            return bad("the regions overlap");
        }
        let blob = Blob {
            bytes,
            trees,
            nodes,
            nodes_at: nodes_at as usize,
            names: (names.start, names.end),
            data: (data.start, data.end),
        };
        blob.check_nodes()?;
        Ok(blob)
    }

    /// The rules of the nodes: roots, children, names, contents.
    fn check_nodes(&self) -> Result<(), BlobError> {
        let bad = |why| Err(BlobError(why));
        for k in 0..self.trees {
            let r = self.root(k);
            let n = self.raw(r);
            if r != k || !n.is_dir() || n.parent != r || n.name_len != 0 {
                return bad("a root is not a directory of its own");
            }
        }
        let mut claimed: u64 = 0;
        for i in 0..self.nodes {
            let n = self.raw(i);
            if !matches!(n.kind, kind::DIR | kind::FILE | kind::SYMLINK)
                || self.bytes[self.nodes_at + i as usize * NODE_SIZE + 1..][..3] != [0, 0, 0]
            {
                return bad("a node has an unknown kind");
            }
            if i >= self.trees {
                let name = self
                    .name_range(&n)
                    .ok_or(BlobError("a name does not fit"))?;
                if !valid_name(&self.bytes[name]) || n.parent >= i {
                    return bad("a node has a bad name or parent");
                }
            }
            match n.kind {
                kind::DIR => {
                    let first = n.a;
                    let end = first
                        .checked_add(n.b)
                        .filter(|&e| e <= u64::from(self.nodes));
                    if first <= u64::from(i) || end.is_none() {
                        return bad("a directory's children are misplaced");
                    }
                    let mut previous: Option<&[u8]> = None;
                    for c in n.children() {
                        let child = self.raw(c);
                        if child.parent != i {
                            return bad("a child names another parent");
                        }
                        let name = self.name(&child);
                        if previous.is_some_and(|p| p.cmp(name) != Ordering::Less) {
                            return bad("a directory's children are not sorted");
                        }
                        previous = Some(name);
                    }
                    claimed += n.b;
                }
                kind::FILE => {
                    if !n.a.is_multiple_of(FILE_ALIGN)
                        || within(n.a, n.b, self.data.1 - self.data.0).is_none()
                    {
                        return bad("a file's contents do not fit");
                    }
                }
                _ => {
                    let t = within(n.a, n.b, self.names.1 - self.names.0)
                        .ok_or(BlobError("a symlink's target does not fit"))?;
                    if !valid_target(&self.bytes[self.names.0..][t]) {
                        return bad("a symlink has a bad target");
                    }
                }
            }
        }
        // Every node but the roots is exactly one directory's child (a
        // child names its one parent, and children come after parents).
        if claimed != u64::from(self.nodes - self.trees) {
            return bad("a node belongs to no directory");
        }
        Ok(())
    }

    /// How many trees the blob holds.
    pub fn tree_count(&self) -> u32 {
        self.trees
    }

    /// How many nodes the blob holds.
    pub fn node_count(&self) -> u32 {
        self.nodes
    }

    /// The root node of tree `k` (`k` below [`Blob::tree_count`]).
    pub fn root(&self, k: u32) -> u32 {
        u32_at(self.bytes, HEADER_SIZE + 4 * k as usize)
    }

    fn raw(&self, i: u32) -> Node {
        let at = self.nodes_at + i as usize * NODE_SIZE;
        Node {
            kind: self.bytes.get(at).copied().unwrap_or(0),
            parent: u32_at(self.bytes, at + 4),
            name_at: u32_at(self.bytes, at + 8),
            name_len: u32_at(self.bytes, at + 12),
            a: u64_at(self.bytes, at + 16),
            b: u64_at(self.bytes, at + 24),
        }
    }

    /// Node `i` (below [`Blob::node_count`]).
    pub fn node(&self, i: u32) -> Node {
        self.raw(i)
    }

    fn name_range(&self, n: &Node) -> Option<Range<usize>> {
        let r = within(
            u64::from(n.name_at),
            u64::from(n.name_len),
            self.names.1 - self.names.0,
        )?;
        Some(self.names.0 + r.start..self.names.0 + r.end)
    }

    /// A node's name (empty for a root).
    pub fn name(&self, n: &Node) -> &'a [u8] {
        self.name_range(n).map_or(&[], |r| &self.bytes[r])
    }

    /// A symlink's target (empty for anything else).
    pub fn target(&self, n: &Node) -> &'a [u8] {
        if !n.is_symlink() {
            return &[];
        }
        within(n.a, n.b, self.names.1 - self.names.0).map_or(&[], |r| {
            &self.bytes[self.names.0 + r.start..self.names.0 + r.end]
        })
    }

    /// A file's contents (empty for anything else).
    pub fn contents(&self, n: &Node) -> &'a [u8] {
        if !n.is_file() {
            return &[];
        }
        within(n.a, n.b, self.data.1 - self.data.0).map_or(&[], |r| {
            &self.bytes[self.data.0 + r.start..self.data.0 + r.end]
        })
    }

    /// The child of directory `dir` called `name`.
    pub fn lookup(&self, dir: u32, name: &[u8]) -> Option<u32> {
        let range = self.node(dir).children();
        let (mut lo, mut hi) = (range.start, range.end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.name(&self.node(mid)).cmp(name) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The inode number the program sees for node `i`.
    pub fn inode(i: u32) -> u64 {
        u64::from(i) + 1
    }
}
