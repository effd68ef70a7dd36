//! Build-time pre-initialisation and initial memory images.
//!
//! # Memory images
//!
//! A defined memory whose first contents are known when the program is
//! built (active data segments at constant offsets, or a snapshot, below)
//! starts from an *image*: page-aligned runs of bytes the object holds in
//! its own section ([`IMAGE_SECTION`], [`IMAGE_PAGE`]-aligned, every run a
//! whole number of pages). The instantiation code creates the memory, then
//! calls `wasmlink_memory_image(mem, images, count)` with a list of
//! [`MemoryImage`]s; the runtime maps each run from the executable file
//! over the start of the memory's reservation (private, copy-on-write), or
//! copies it when it cannot map it.
//!
//! # Pre-initialisation
//!
//! A build with pre-initialisation first builds the program in *snapshot
//! mode*: its WASI configuration holds a `preinit` record
//! ([`crate::config`]), and its `wasmlink_program_start` instantiates
//! every instance (start functions and `_initialize` included), calls the
//! init export if there is one, and then calls
//! `wasmlink_preinit_snapshot(items, count)`, which writes the state the
//! [`SnapshotItem`]s describe to the file named by the program's first
//! argument and ends the process. Before each step it calls
//! `wasmlink_preinit_enter(what, len)`, so a refusal can say which step
//! made the call. The builder runs that program at build time, reads the
//! snapshot ([`SnapshotReader`]) and builds the real executable, whose
//! instances start in the snapshot's state.
//!
//! # The snapshot file
//!
//! [`SNAPSHOT_MAGIC`], then records: a tag byte, the instance (`u32`), the
//! item's index in that instance's index space (`u32`), the payload length
//! (`u64`) and the payload; all numbers little-endian. The last record is
//! [`record::END`] with instance, index and length 0: a file without it is
//! incomplete.
//!
//! | tag | record   | payload |
//! |-----|----------|---------|
//! | 1   | memory   | `u64` current length in bytes, then runs: `u64` offset, `u64` length, the bytes (every byte outside a run is zero) |
//! | 2   | table    | `u64` length, then that many references |
//! | 3   | global   | 16 bytes, the `VMGlobal`'s; a reference global holds an encoded reference in its first 8 |
//! | 4   | data     | `u64` current length of the data segment (0: dropped) |
//! | 5   | elem     | `u64` current length of the element segment, then that many references |
//!
//! A reference is encoded as a `u64` ([`encode_funcref`]): 0 is null,
//! anything else a function, `(instance + 1) << 32 | index` with `index`
//! in that instance's function index space. Only null references of other
//! kinds (externref, exnref, …) can be captured.

use core::mem::size_of;

/// Section of the object that holds memory images.
pub const IMAGE_SECTION: &str = ".wasmlink_image";
/// Alignment of an image run, in memory and in the file: the page size of
/// every host the runtime supports.
pub const IMAGE_PAGE: u64 = 4096;

/// One run of a memory image: `len` bytes (a multiple of [`IMAGE_PAGE`])
/// at `data`, in the object's image section, to appear at byte `offset`
/// (a multiple of [`IMAGE_PAGE`]) of the memory.
#[repr(C)]
#[derive(Debug)]
pub struct MemoryImage {
    pub offset: u64,
    pub data: *const u8,
    pub len: u64,
}

/// Byte size of a [`MemoryImage`].
pub const MEMORY_IMAGE_SIZE: u32 = size_of::<MemoryImage>() as u32;

/// One piece of instance state `wasmlink_preinit_snapshot` reads.
#[repr(C)]
#[derive(Debug)]
pub struct SnapshotItem {
    /// One of the [`item`] kinds.
    pub kind: u32,
    /// [`item::TABLE`], [`item::ELEM`]: a [`ref_kind`]. [`item::GLOBAL`]:
    /// a [`ref_kind`] for a reference, 0 for a number or a vector.
    /// Otherwise 0.
    pub code: u32,
    pub instance: u32,
    /// The item's index in the instance's index space.
    pub index: u32,
    /// [`item::FUNCREFS`]: the instance's first `VMFuncRef` slot;
    /// [`item::MEMORY`]: its `VMMemory`; [`item::TABLE`]: its `VMTable`;
    /// [`item::GLOBAL`]: its `VMGlobal`; [`item::DATA`], [`item::ELEM`]:
    /// the segment's `Segment`.
    pub ptr: *const u8,
    /// [`item::FUNCREFS`]: how many slots; otherwise 0.
    pub count: u64,
    /// [`item::FUNCREFS`]: the instance's name (`name_len` bytes of
    /// UTF-8), for messages; otherwise null.
    pub name: *const u8,
    pub name_len: u64,
}

/// Byte size of a [`SnapshotItem`].
pub const SNAPSHOT_ITEM_SIZE: u32 = size_of::<SnapshotItem>() as u32;

/// Field offsets of [`SnapshotItem`] and [`MemoryImage`].
pub mod preinit_field {
    use super::*;
    use core::mem::offset_of;

    pub const ITEM_KIND: u32 = offset_of!(SnapshotItem, kind) as u32;
    pub const ITEM_CODE: u32 = offset_of!(SnapshotItem, code) as u32;
    pub const ITEM_INSTANCE: u32 = offset_of!(SnapshotItem, instance) as u32;
    pub const ITEM_INDEX: u32 = offset_of!(SnapshotItem, index) as u32;
    pub const ITEM_PTR: u32 = offset_of!(SnapshotItem, ptr) as u32;
    pub const ITEM_COUNT: u32 = offset_of!(SnapshotItem, count) as u32;
    pub const ITEM_NAME: u32 = offset_of!(SnapshotItem, name) as u32;
    pub const ITEM_NAME_LEN: u32 = offset_of!(SnapshotItem, name_len) as u32;
    pub const IMAGE_OFFSET: u32 = offset_of!(MemoryImage, offset) as u32;
    pub const IMAGE_DATA: u32 = offset_of!(MemoryImage, data) as u32;
    pub const IMAGE_LEN: u32 = offset_of!(MemoryImage, len) as u32;
}

/// [`SnapshotItem::kind`]s.
pub mod item {
    /// The instance's funcref slots: where a function reference may point.
    pub const FUNCREFS: u32 = 0;
    pub const MEMORY: u32 = 1;
    pub const TABLE: u32 = 2;
    pub const GLOBAL: u32 = 3;
    pub const DATA: u32 = 4;
    pub const ELEM: u32 = 5;
}

/// What a reference of a table, element segment or global may be.
pub mod ref_kind {
    /// A function reference: a `*const VMFuncRef` or null.
    pub const FUNC: u32 = 1;
    /// Anything else (externref, exnref, …): only null can be captured.
    pub const OPAQUE: u32 = 2;
}

/// First bytes of a snapshot file (a name and a format version).
pub const SNAPSHOT_MAGIC: &[u8; 8] = b"wlsnap\0\x01";

/// Snapshot record tags.
pub mod record {
    pub const END: u8 = 0;
    pub const MEMORY: u8 = 1;
    pub const TABLE: u8 = 2;
    pub const GLOBAL: u8 = 3;
    pub const DATA: u8 = 4;
    pub const ELEM: u8 = 5;
}

/// Bytes before a record's payload: tag, instance, index, length.
pub const RECORD_HEADER: usize = 1 + 4 + 4 + 8;

/// Append one record (header, then `payload`) to a snapshot file being
/// written.
pub fn push_record(
    out: &mut alloc::vec::Vec<u8>,
    tag: u8,
    instance: u32,
    index: u32,
    payload: &[u8],
) {
    out.push(tag);
    out.extend_from_slice(&instance.to_le_bytes());
    out.extend_from_slice(&index.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
}

/// The encoded reference to function `index` of `instance` (see the
/// module documentation); never 0.
pub const fn encode_funcref(instance: u32, index: u32) -> u64 {
    ((instance as u64 + 1) << 32) | index as u64
}

/// `(instance, index)` of an encoded function reference; `None` for null.
pub const fn decode_funcref(encoded: u64) -> Option<(u32, u32)> {
    if encoded == 0 {
        return None;
    }
    Some((((encoded >> 32) - 1) as u32, encoded as u32))
}

/// One record of a snapshot file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    pub tag: u8,
    pub instance: u32,
    pub index: u32,
    pub payload: &'a [u8],
}

/// Reads the records of a snapshot file, [`record::END`] excluded. Every
/// length is checked against the bytes there are, so a damaged file gives
/// an error, never a read out of bounds.
#[derive(Clone, Debug)]
pub struct SnapshotReader<'a> {
    rest: &'a [u8],
    ended: bool,
}

impl<'a> SnapshotReader<'a> {
    /// A reader of `bytes`, or an error when they do not start with
    /// [`SNAPSHOT_MAGIC`].
    pub fn new(bytes: &'a [u8]) -> Result<SnapshotReader<'a>, &'static str> {
        match bytes.strip_prefix(SNAPSHOT_MAGIC.as_slice()) {
            Some(rest) => Ok(SnapshotReader { rest, ended: false }),
            None => Err("the snapshot does not start with its header"),
        }
    }

    /// The next record; `Ok(None)` after the end record, which must be the
    /// last bytes.
    pub fn next_record(&mut self) -> Result<Option<Record<'a>>, &'static str> {
        if self.ended {
            return Ok(None);
        }
        if self.rest.len() < RECORD_HEADER {
            return Err("the snapshot ends before its end record");
        }
        let (head, body) = self.rest.split_at(RECORD_HEADER);
        let tag = head[0];
        let instance = u32::from_le_bytes([head[1], head[2], head[3], head[4]]);
        let index = u32::from_le_bytes([head[5], head[6], head[7], head[8]]);
        let mut len = [0u8; 8];
        len.copy_from_slice(&head[9..17]);
        let len = u64::from_le_bytes(len);
        if len > body.len() as u64 {
            return Err("a snapshot record is longer than the file");
        }
        let (payload, rest) = body.split_at(len as usize);
        self.rest = rest;
        if tag == record::END {
            self.ended = true;
            if len != 0 || !rest.is_empty() {
                return Err("the snapshot has bytes after its end record");
            }
            return Ok(None);
        }
        Ok(Some(Record {
            tag,
            instance,
            index,
            payload,
        }))
    }
}

/// Splits a payload into little-endian numbers and byte runs, checking
/// every length.
#[derive(Clone, Debug)]
pub struct PayloadReader<'a> {
    rest: &'a [u8],
}

impl<'a> PayloadReader<'a> {
    pub fn new(payload: &'a [u8]) -> PayloadReader<'a> {
        PayloadReader { rest: payload }
    }

    pub fn u64(&mut self) -> Result<u64, &'static str> {
        let bytes = self.bytes(8)?;
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(word))
    }

    pub fn bytes(&mut self, len: u64) -> Result<&'a [u8], &'static str> {
        if len > self.rest.len() as u64 {
            return Err("a snapshot record is shorter than its contents");
        }
        let (bytes, rest) = self.rest.split_at(len as usize);
        self.rest = rest;
        Ok(bytes)
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// The exit status of a snapshot program that refused to take a snapshot
/// (a call outside the pre-initialisation set, state it cannot capture);
/// its message is on stderr.
pub const SNAPSHOT_REFUSED: i32 = 3;

const _: () = {
    assert!(MEMORY_IMAGE_SIZE == 24);
    assert!(SNAPSHOT_ITEM_SIZE == 48);
    assert!(IMAGE_PAGE.is_power_of_two() && crate::PAGE_SIZE.is_multiple_of(IMAGE_PAGE));
};

#[cfg(test)]
mod tests {
    use super::*;

    fn file(records: &[(u8, u32, u32, &[u8])]) -> Vec<u8> {
        let mut out = SNAPSHOT_MAGIC.to_vec();
        for (tag, instance, index, payload) in records {
            push_record(&mut out, *tag, *instance, *index, payload);
        }
        out
    }

    #[test]
    fn funcrefs_round_trip_and_null_is_zero() {
        assert_eq!(decode_funcref(0), None);
        for (i, f) in [(0, 0), (3, 7), (u32::MAX - 1, u32::MAX)] {
            let e = encode_funcref(i, f);
            assert_ne!(e, 0);
            assert_eq!(decode_funcref(e), Some((i, f)));
        }
    }

    #[test]
    fn reads_records_up_to_the_end_record() {
        let bytes = file(&[
            (record::DATA, 1, 2, &5u64.to_le_bytes()),
            (record::END, 0, 0, &[]),
        ]);
        let mut r = SnapshotReader::new(&bytes).unwrap();
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!((rec.tag, rec.instance, rec.index), (record::DATA, 1, 2));
        let mut p = PayloadReader::new(rec.payload);
        assert_eq!(p.u64(), Ok(5));
        assert!(p.is_empty());
        assert_eq!(
            p.u64(),
            Err("a snapshot record is shorter than its contents")
        );
        assert_eq!(r.next_record(), Ok(None));
        assert_eq!(r.next_record(), Ok(None));
    }

    #[test]
    fn damaged_files_are_errors() {
        assert!(SnapshotReader::new(b"wlsnap\0\x02").is_err());
        // No end record.
        let bytes = file(&[(record::DATA, 0, 0, &[0; 8])]);
        let mut r = SnapshotReader::new(&bytes).unwrap();
        assert!(r.next_record().unwrap().is_some());
        assert!(r.next_record().is_err());
        // A length past the end.
        let mut bytes = file(&[(record::DATA, 0, 0, &[0; 8])]);
        bytes.truncate(bytes.len() - 1);
        assert!(SnapshotReader::new(&bytes).unwrap().next_record().is_err());
        // Bytes after the end record.
        let mut bytes = file(&[(record::END, 0, 0, &[])]);
        bytes.push(0);
        assert!(SnapshotReader::new(&bytes).unwrap().next_record().is_err());
    }
}
