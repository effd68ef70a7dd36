//! `wasi:filesystem` on embedded files and directories (`crate::embed`):
//! the descriptor methods of `filesystem.rs` and `fs_open.rs` hand an
//! embedded descriptor ([`Backing::Embedded`]) to the functions here.
//!
//! The answers are those of a read-only file system, as preview 1's
//! (`crate::wasi::embedded`): a file is open for reading only (writing
//! `bad-descriptor`, resizing `invalid`), anything that would change the
//! tree `read-only`, after the errors a lookup gives. A preopened
//! embedded directory reports the flags `read` only. Status: inode from
//! the node, one link, every timestamp 0.

use super::filesystem::Need;
use super::fs_types::{
    code, dflags, dtype, fs, metadata_hash_of, store_err, store_handle, store_result,
    store_timestamp, store_unit, FsResult, STAT_SIZE,
};
use super::resources::{Backing, Descriptor, DirectoryEntries, InputStream, Resource};
use super::{Call, Lowered};
use crate::embed::ops::{self, OpenRequest};
use crate::embed::EmbeddedNode;
use crate::wasi::errno::WasiResult;
use alloc::vec::Vec;

/// The most one `read` returns (as for host files).
const READ_LIMIT: u64 = 4 << 20;

/// The `descriptor-type` of a node.
pub fn node_type(n: &EmbeddedNode) -> u8 {
    let info = n.info();
    if info.is_dir() {
        dtype::DIRECTORY
    } else if info.is_symlink() {
        dtype::SYMBOLIC_LINK
    } else {
        dtype::REGULAR_FILE
    }
}

/// `need` of `n`, or the error code a host descriptor would give.
pub fn check(n: &EmbeddedNode, need: Need) -> FsResult<()> {
    match need {
        Need::File if n.is_dir() => Err(code::BAD_DESCRIPTOR),
        Need::Dir if !n.is_dir() => Err(code::NOT_DIRECTORY),
        _ => Ok(()),
    }
}

/// Store the `descriptor-stat` of `n` at `at`.
fn store_stat(c: &mut Call, at: u32, n: &EmbeddedNode) -> Lowered<()> {
    c.store(at, &[0u8; STAT_SIZE as usize])?;
    c.store_u8(at, node_type(n))?;
    c.store_u64(at + 8, 1)?;
    c.store_u64(at + 16, n.info().size())?;
    for t in [24, 48, 72] {
        store_timestamp(c, at + t, 0, 0)?;
    }
    Ok(())
}

pub fn read_via_stream(c: &mut Call, n: EmbeddedNode, offset: u64, ret: i32) -> Lowered<()> {
    let h = c.own(Resource::InputStream(InputStream::Embedded {
        file: n,
        offset,
    }))?;
    store_handle(c, ret, Ok(h))
}

/// `write-via-stream`, `append-via-stream`: open for reading only.
pub fn write_stream(c: &mut Call, n: EmbeddedNode, ret: i32) -> Lowered<()> {
    let code = check(&n, Need::File).err().unwrap_or(code::BAD_DESCRIPTOR);
    store_handle(c, ret, Err(code))
}

/// `advise`, `sync`, `sync-data`: nothing to do once the kind is right.
pub fn nothing(c: &mut Call, n: EmbeddedNode, need: Need, ret: i32) -> Lowered<()> {
    store_unit(c, ret, check(&n, need))
}

pub fn get_type(c: &mut Call, n: EmbeddedNode, ret: i32) -> Lowered<()> {
    store_result(c, ret, 1, Ok(node_type(&n)), |c, at, t| c.store_u8(at, t))
}

/// `set-size`: the host's `invalid` for a file open for reading only.
pub fn set_size(c: &mut Call, n: EmbeddedNode, ret: i32) -> Lowered<()> {
    let code = check(&n, Need::File).err().unwrap_or(code::INVALID);
    store_unit(c, ret, Err(code))
}

/// `set-times`, and every method that changes the tree once its path is
/// checked: `read-only`.
pub fn change(
    c: &mut Call,
    n: EmbeddedNode,
    need: Need,
    ret: i32,
    op: impl FnOnce(&EmbeddedNode) -> WasiResult<()>,
) -> Lowered<()> {
    let r = check(&n, need).and_then(|()| fs(op(&n)));
    store_unit(c, ret, r.and(Err(code::READ_ONLY)))
}

pub fn read(c: &mut Call, n: EmbeddedNode, length: i64, offset: i64, ret: i32) -> Lowered<()> {
    if let Err(code) = check(&n, Need::File) {
        return store_err(c, ret, 4, code);
    }
    if offset < 0 {
        // An offset past `off_t`: the host's `EINVAL`.
        return store_err(c, ret, 4, code::INVALID);
    }
    let want = (length as u64).min(READ_LIMIT);
    let mut data = Vec::new();
    let got = ops::read_at(
        &n,
        offset as u64,
        |d| {
            data.extend_from_slice(d);
            Ok(())
        },
        want,
    );
    let Ok(got) = got else {
        return store_err(c, ret, 4, code::IO);
    };
    // As for host files: the end is reported once a read returns nothing.
    let end = got == 0;
    store_result(c, ret, 4, Ok((data, end)), |c, at, (data, end)| {
        let (p, len) = c.store_list_u8(&data)?;
        c.store_u32(at, p)?;
        c.store_u32(at + 4, len)?;
        c.store_u8(at + 8, u8::from(end))
    })
}

/// `write`: open for reading only, as a host file opened so.
pub fn write(c: &mut Call, n: EmbeddedNode, ret: i32) -> Lowered<()> {
    let code = check(&n, Need::File).err().unwrap_or(code::BAD_DESCRIPTOR);
    store_err(c, ret, 8, code)
}

pub fn read_directory(c: &mut Call, n: EmbeddedNode, ret: i32) -> Lowered<()> {
    if let Err(code) = check(&n, Need::Dir) {
        return store_handle(c, ret, Err(code));
    }
    let mut out = DirectoryEntries::default();
    for (name, child) in ops::entries(&n).skip(2) {
        out.entries.push_back((node_type(&child), name.to_vec()));
    }
    let h = c.own(Resource::DirectoryEntries(out))?;
    store_handle(c, ret, Ok(h))
}

pub fn stat(c: &mut Call, n: EmbeddedNode, ret: i32) -> Lowered<()> {
    store_result(c, ret, 8, Ok(n), |c, at, n| store_stat(c, at, &n))
}

pub fn stat_at(c: &mut Call, n: EmbeddedNode, follow: bool, p: &[u8], ret: i32) -> Lowered<()> {
    let r = check(&n, Need::Dir).and_then(|()| fs(ops::stat(&n, p, follow)));
    store_result(c, ret, 8, r, |c, at, n| store_stat(c, at, &n))
}

fn store_hash(c: &mut Call, ret: i32, r: FsResult<EmbeddedNode>) -> Lowered<()> {
    store_result(c, ret, 8, r, |c, at, n| {
        let (lower, upper) = metadata_hash_of(wasmlink_abi::embed::DEVICE, n.ino());
        c.store_u64(at, lower)?;
        c.store_u64(at + 8, upper)
    })
}

pub fn metadata_hash(c: &mut Call, n: EmbeddedNode, ret: i32) -> Lowered<()> {
    store_hash(c, ret, Ok(n))
}

pub fn metadata_hash_at(
    c: &mut Call,
    n: EmbeddedNode,
    follow: bool,
    p: &[u8],
    ret: i32,
) -> Lowered<()> {
    let r = check(&n, Need::Dir).and_then(|()| fs(ops::stat(&n, p, follow)));
    store_hash(c, ret, r)
}

pub fn readlink_at(c: &mut Call, n: EmbeddedNode, p: &[u8], ret: i32) -> Lowered<()> {
    let r = check(&n, Need::Dir).and_then(|()| fs(ops::readlink(&n, p)));
    store_result(c, ret, 4, r, |c, at, target| {
        let (ptr, len) = c.store_string_bytes(target)?;
        c.store_u32(at, ptr)?;
        c.store_u32(at + 4, len)
    })
}

/// `open-at` beneath embedded directory `n`: `open` and `flags` were
/// decoded; a file or directory opened for reading.
pub fn open_at(
    c: &mut Call,
    n: EmbeddedNode,
    follow: bool,
    p: &[u8],
    open: u8,
    flags: u8,
    ret: i32,
) -> Lowered<()> {
    use super::fs_types::oflags;
    let create = open & oflags::CREATE != 0;
    let truncate = open & oflags::TRUNCATE != 0;
    let directory = open & oflags::DIRECTORY != 0;
    let sync =
        dflags::FILE_INTEGRITY_SYNC | dflags::DATA_INTEGRITY_SYNC | dflags::REQUESTED_WRITE_SYNC;
    let r = if flags & sync != 0 {
        Err(code::UNSUPPORTED)
    } else if directory && open & (oflags::CREATE | oflags::EXCLUSIVE | oflags::TRUNCATE) != 0 {
        Err(code::INVALID)
    } else {
        check(&n, Need::Dir).and_then(|()| {
            let req = OpenRequest {
                write: flags & dflags::WRITE != 0 || create || truncate,
                create,
                exclusive: open & oflags::EXCLUSIVE != 0,
                truncate,
                directory,
            };
            fs(ops::open(&n, p, follow, req))
        })
    };
    let r = match r {
        Ok(node) => Ok(c.own(Resource::Descriptor(descriptor(node)))?),
        Err(code) => Err(code),
    };
    store_handle(c, ret, r)
}

/// A descriptor of `node`, opened for reading, that changes nothing.
pub fn descriptor(node: EmbeddedNode) -> Descriptor {
    Descriptor {
        fd: Backing::Embedded(node),
        dir: node.is_dir(),
        mode: dflags::READ,
        writable: false,
    }
}
