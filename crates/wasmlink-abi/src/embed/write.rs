//! The build side of the blob: [`layout`] numbers the nodes of a set of
//! trees and writes the blob's index (header, roots, nodes, names); the
//! caller appends the file contents at the offsets it returns, without
//! ever holding them all in memory.

use super::{
    kind, valid_name, valid_target, DATA_ALIGN, FILE_ALIGN, HEADER_SIZE, MAGIC, MAX_BLOB,
    MAX_NODES, NODE_SIZE,
};
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

/// An entry of a tree to embed; `F` says where a file's contents come
/// from (the builder's host path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeNode<F> {
    pub name: Vec<u8>,
    pub kind: TreeKind<F>,
}

/// What an entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeKind<F> {
    /// A directory and its entries, in any order.
    Dir(Vec<TreeNode<F>>),
    /// A regular file of `size` bytes.
    File { size: u64, source: F },
    /// A symbolic link and its target.
    Symlink(Vec<u8>),
}

/// Why a set of trees cannot be laid out. The builder checks each of
/// these itself first, so its messages can name host paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayoutError {
    /// A tree's root is not a directory.
    RootNotDir,
    /// An entry's name is not a valid name ([`super::valid_name`]).
    BadName(Vec<u8>),
    /// Two entries of one directory have the same name.
    Duplicate(Vec<u8>),
    /// A symlink target is not valid ([`super::valid_target`]).
    BadTarget(Vec<u8>),
    /// More than [`MAX_NODES`] entries.
    TooManyNodes,
    /// More than [`MAX_BLOB`] bytes.
    TooLarge,
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let text = |b: &[u8]| alloc::string::String::from_utf8_lossy(b).into_owned();
        match self {
            LayoutError::RootNotDir => f.write_str("an embedded tree's root is not a directory"),
            LayoutError::BadName(n) => write!(f, "\"{}\" cannot be an entry's name", text(n)),
            LayoutError::Duplicate(n) => write!(f, "two entries are called \"{}\"", text(n)),
            LayoutError::BadTarget(t) => {
                write!(f, "\"{}\" cannot be a symlink's target", text(t))
            }
            LayoutError::TooManyNodes => write!(f, "more than {MAX_NODES} entries"),
            LayoutError::TooLarge => write!(f, "more than {MAX_BLOB} bytes"),
        }
    }
}

/// The blob of a set of trees, but for the file contents.
#[derive(Debug)]
pub struct Layout<'t, F> {
    /// The blob's first bytes: header, roots, nodes, names, padded to the
    /// start of the data.
    pub index: Vec<u8>,
    /// Every file, in data order: its source, its offset in the blob
    /// (after `index`, increasing, each a multiple of [`FILE_ALIGN`]) and
    /// its size. The bytes between two files are zero.
    pub files: Vec<(&'t F, u64, u64)>,
    /// The blob's whole length (the last file's end, or the index's).
    pub len: u64,
}

fn align(n: u64, to: u64) -> u64 {
    n.div_ceil(to) * to
}

/// Lay out `trees` (each a [`TreeKind::Dir`]; tree `k` becomes root node
/// `k`) as the module documentation describes.
pub fn layout<'t, F>(trees: &[&'t TreeKind<F>]) -> Result<Layout<'t, F>, LayoutError> {
    struct Placed<'t, F> {
        kind: &'t TreeKind<F>,
        parent: u32,
        name: &'t [u8],
    }
    // Breadth-first: a directory's children get consecutive numbers.
    let mut nodes: Vec<Placed<F>> = Vec::new();
    for (k, &t) in trees.iter().enumerate() {
        if !matches!(t, TreeKind::Dir(_)) {
            return Err(LayoutError::RootNotDir);
        }
        nodes.push(Placed {
            kind: t,
            parent: k as u32,
            name: &[],
        });
    }
    let mut first_child: Vec<u64> = Vec::new();
    let mut queue: VecDeque<u32> = (0..nodes.len() as u32).collect();
    while let Some(i) = queue.pop_front() {
        let TreeKind::Dir(children) = nodes[i as usize].kind else {
            first_child.push(0);
            continue;
        };
        let mut sorted: Vec<&TreeNode<F>> = children.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for pair in sorted.windows(2) {
            if pair[0].name == pair[1].name {
                return Err(LayoutError::Duplicate(pair[0].name.clone()));
            }
        }
        first_child.push(nodes.len() as u64);
        for c in sorted {
            if !valid_name(&c.name) {
                return Err(LayoutError::BadName(c.name.clone()));
            }
            if nodes.len() >= MAX_NODES as usize {
                return Err(LayoutError::TooManyNodes);
            }
            queue.push_back(nodes.len() as u32);
            nodes.push(Placed {
                kind: &c.kind,
                parent: i,
                name: &c.name,
            });
        }
    }
    // Children were numbered in queue order, which is node order, so
    // `first_child[i]` belongs to node `i`.

    let nodes_at = align((HEADER_SIZE + 4 * trees.len()) as u64, 8);
    let names_at = nodes_at + (nodes.len() * NODE_SIZE) as u64;
    let mut names: Vec<u8> = Vec::new();
    let mut records: Vec<[u8; NODE_SIZE]> = Vec::with_capacity(nodes.len());
    let mut files: Vec<(&F, u64, u64)> = Vec::new();
    let mut data_len: u64 = 0;
    for (i, n) in nodes.iter().enumerate() {
        let mut r = [0u8; NODE_SIZE];
        let name_at = names.len() as u32;
        names.extend_from_slice(n.name);
        let (k, a, b) = match n.kind {
            TreeKind::Dir(children) => (kind::DIR, first_child[i], children.len() as u64),
            TreeKind::File { size, source } => {
                let at = align(data_len, FILE_ALIGN);
                data_len = at.checked_add(*size).ok_or(LayoutError::TooLarge)?;
                if data_len > MAX_BLOB {
                    return Err(LayoutError::TooLarge);
                }
                files.push((source, at, *size));
                (kind::FILE, at, *size)
            }
            TreeKind::Symlink(target) => {
                if !valid_target(target) {
                    return Err(LayoutError::BadTarget(target.clone()));
                }
                let at = names.len() as u64;
                names.extend_from_slice(target);
                (kind::SYMLINK, at, target.len() as u64)
            }
        };
        r[0] = k;
        r[4..8].copy_from_slice(&n.parent.to_le_bytes());
        r[8..12].copy_from_slice(&name_at.to_le_bytes());
        r[12..16].copy_from_slice(&(n.name.len() as u32).to_le_bytes());
        r[16..24].copy_from_slice(&a.to_le_bytes());
        r[24..32].copy_from_slice(&b.to_le_bytes());
        records.push(r);
        if names.len() as u64 > MAX_BLOB {
            return Err(LayoutError::TooLarge);
        }
    }
    let data_at = align(names_at + names.len() as u64, DATA_ALIGN);
    let len = data_at
        .checked_add(data_len)
        .filter(|&l| l <= MAX_BLOB)
        .ok_or(LayoutError::TooLarge)?;

    let mut index = Vec::with_capacity(data_at as usize);
    index.extend_from_slice(MAGIC);
    index.extend_from_slice(&(trees.len() as u32).to_le_bytes());
    index.extend_from_slice(&(nodes.len() as u32).to_le_bytes());
    for v in [
        nodes_at,
        names_at,
        names.len() as u64,
        data_at,
        data_len,
        len,
    ] {
        index.extend_from_slice(&v.to_le_bytes());
    }
    for k in 0..trees.len() as u32 {
        index.extend_from_slice(&k.to_le_bytes());
    }
    index.resize(nodes_at as usize, 0);
    for r in &records {
        index.extend_from_slice(r);
    }
    index.extend_from_slice(&names);
    index.resize(data_at as usize, 0);
    for f in &mut files {
        f.1 += data_at;
    }
    Ok(Layout { index, files, len })
}
