//! Embedded directory trees: host files packed into the executable at
//! build time (the manifest's `wasi.embed`) and shown to the program as
//! read-only preopened directories.
//!
//! # Where the trees are
//!
//! All trees of a program live in one *blob*, the contents of the
//! assets object's [`SECTION`] (read-only, [`BLOB_ALIGN`]-aligned), whose
//! first byte is the symbol [`ASSETS_SYMBOL`]. The generated object
//! always defines [`EMBEDDED_SYMBOL`](crate::symbols::EMBEDDED), an
//! [`EmbeddedBlob`] pointing at the blob (or null and 0 when the program
//! embeds nothing). The section holds no relocations, so the loader maps
//! it from the executable file as it is: file contents are read from the
//! page cache when the program reads them, never copied at start-up.
//!
//! Each tree is one preopened directory; the WASI configuration's
//! `embed` records ([`crate::config`]) name them (guest path, tree
//! number).
//!
//! # The blob
//!
//! Everything is little-endian; offsets count from the blob's first byte.
//!
//! | at | field | |
//! |----|-------|-|
//! | 0  | magic | [`MAGIC`], 8 bytes (a name and a format version) |
//! | 8  | `u32` tree count T | |
//! | 12 | `u32` node count N | at most [`MAX_NODES`] |
//! | 16 | `u64` nodes offset | a multiple of 8 |
//! | 24 | `u64` names offset | |
//! | 32 | `u64` names length | |
//! | 40 | `u64` data offset | a multiple of [`DATA_ALIGN`] |
//! | 48 | `u64` data length | |
//! | 56 | `u64` blob length | data offset + data length, at most [`MAX_BLOB`] |
//! | 64 | T × `u32` | the root node of each tree |
//!
//! Then N nodes of [`NODE_SIZE`] bytes at the nodes offset, then the
//! names (entry names and symlink targets, not terminated), then the file
//! contents, each starting at a multiple of [`FILE_ALIGN`] of the data.
//!
//! A node:
//!
//! | at | field | |
//! |----|-------|-|
//! | 0  | `u8` kind | [`kind::DIR`], [`kind::FILE`] or [`kind::SYMLINK`] |
//! | 1  | 3 bytes | zero |
//! | 4  | `u32` parent | a root is its own parent |
//! | 8  | `u32` name offset | into the names |
//! | 12 | `u32` name length | 0 for a root, else 1 to [`MAX_NAME`] bytes |
//! | 16 | `u64` a | directory: first child; file: offset of its contents in the data; symlink: offset of its target in the names |
//! | 24 | `u64` b | directory: child count; file: size; symlink: target length |
//!
//! Nodes are in breadth-first order: the roots first (tree `k` is node
//! `k`), and each directory's children are consecutive nodes after it,
//! sorted by name (bytewise, no two equal). A name is not empty, not `.`
//! or `..` and holds no `/` or NUL; a symlink target is 1 to
//! [`MAX_TARGET`] bytes without NUL, relative (it is resolved inside its
//! tree, never outside it).
//!
//! # What the program sees
//!
//! Everything is fixed at build time, so the same inputs give the same
//! bytes (see the README, "Embedded files"): the inode number of node `i`
//! is `i + 1`, the device is [`DEVICE`], every timestamp is 0 (the Unix
//! epoch), the link count is 1, a directory's size is 0 and a symlink's
//! the length of its target.
//!
//! [`layout`] (used at build time) writes everything but the file
//! contents, which the builder streams in at the offsets it returns;
//! [`Blob::new`] (used by the runtime) checks a blob once, after which
//! reading it cannot fail on malformed data.

mod read;
mod write;

pub use read::{Blob, BlobError, Node};
pub use write::{layout, Layout, LayoutError, TreeKind, TreeNode};

use core::mem::{offset_of, size_of};

/// First bytes of the blob.
pub const MAGIC: &[u8; 8] = b"wlembed\x01";
/// The section of the assets object that holds the blob.
pub const SECTION: &str = ".wasmlink_assets";
/// The symbol at the blob's first byte, defined by the assets object.
pub const ASSETS_SYMBOL: &str = "wasmlink_assets";
/// Alignment of the blob in the executable: a page, so the blob starts a
/// page of the file and of memory.
pub const BLOB_ALIGN: u64 = crate::preinit::IMAGE_PAGE;
/// Size of the header, before the roots.
pub const HEADER_SIZE: usize = 64;
/// Size of a node.
pub const NODE_SIZE: usize = 32;
/// Alignment of the data region in the blob (a page).
pub const DATA_ALIGN: u64 = crate::preinit::IMAGE_PAGE;
/// Alignment of each file's contents within the data.
pub const FILE_ALIGN: u64 = 8;
/// The longest name of an entry (Linux's `NAME_MAX`).
pub const MAX_NAME: usize = 255;
/// The longest symlink target (below Linux's `PATH_MAX`).
pub const MAX_TARGET: usize = 4095;
/// The most nodes a blob holds (all trees together).
pub const MAX_NODES: u32 = 1 << 20;
/// The largest blob (all trees, index and contents): 1 GiB. The blob
/// lies between the code and the data of the executable, which the code
/// reaches with 32-bit offsets, so it must stay well below 2 GiB.
pub const MAX_BLOB: u64 = 1 << 30;
/// The device number every embedded entry reports ("wlembed" read as a
/// little-endian number).
pub const DEVICE: u64 = u64::from_le_bytes(*b"wlembed\0");

/// Node kinds.
pub mod kind {
    pub const DIR: u8 = 1;
    pub const FILE: u8 = 2;
    pub const SYMLINK: u8 = 3;
}

/// What the generated object's [`EMBEDDED_SYMBOL`] holds: the blob, or
/// null and 0 when the program embeds nothing.
#[repr(C)]
#[derive(Debug)]
pub struct EmbeddedBlob {
    pub data: *const u8,
    pub len: u64,
}

/// Byte size of an [`EmbeddedBlob`].
pub const EMBEDDED_BLOB_SIZE: u32 = size_of::<EmbeddedBlob>() as u32;
/// Offset of [`EmbeddedBlob::data`].
pub const EMBEDDED_BLOB_DATA: u32 = offset_of!(EmbeddedBlob, data) as u32;
/// Offset of [`EmbeddedBlob::len`].
pub const EMBEDDED_BLOB_LEN: u32 = offset_of!(EmbeddedBlob, len) as u32;

/// The symbol name of the generated object's [`EmbeddedBlob`].
pub const EMBEDDED_SYMBOL: &str = crate::symbols::EMBEDDED;

/// Whether `name` may name an entry: not empty, at most [`MAX_NAME`]
/// bytes, not `.` or `..`, no `/` or NUL.
pub fn valid_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name != b"."
        && name != b".."
        && !name.iter().any(|&b| b == b'/' || b == 0)
}

/// Whether `target` may be a symlink's target: 1 to [`MAX_TARGET`]
/// bytes, relative, no NUL.
pub fn valid_target(target: &[u8]) -> bool {
    !target.is_empty() && target.len() <= MAX_TARGET && target[0] != b'/' && !target.contains(&0)
}

#[cfg(test)]
mod tests;
