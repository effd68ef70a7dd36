//! wasi-threads: `wasi.thread-spawn` and the instances it creates at run
//! time, the ABI of the `wasm32-wasip1-threads` target.
//!
//! A module that imports `(import "wasi" "thread-spawn" (func (param i32)
//! (result i32)))` exports `wasi_thread_start (param i32 i32)` and imports
//! a shared memory. Each call of `thread-spawn(arg)` starts an OS thread
//! that runs a **new instance** of the calling instance's module — its own
//! vmctx (globals, tables, funcref slots, segments), instantiated afresh
//! (start function included, `_initialize` not) — and then calls its
//! `wasi_thread_start(tid, arg)`. Everything the instance imports (the
//! shared memory, other instances' functions, tables and globals) is the
//! calling instance's: only the instance itself is new.
//!
//! # How an instance is made at run time
//!
//! Instances are static objects of the executable whose pointers the
//! linker fills in, so the compiler emits, for every instance that binds
//! `thread-spawn`, what the runtime needs to make another one:
//!
//! * an **image**: the bytes of the instance's vmctx as the executable
//!   starts with them, followed by its element segment arrays, with the
//!   linker's relocations for every pointer to something shared (other
//!   instances, code, data segments);
//! * its **image relocations** ([`ImageReloc`]): the words of the image
//!   that point into the new instance itself (funcref slots of its own
//!   functions, element items `ref.func`, the element arrays), as offsets
//!   from the new image's start;
//! * a **thread start function** ([`ThreadStartFn`]): the instance's
//!   instantiation code (which only uses the vmctx it is given) followed by
//!   the call of `wasi_thread_start`.
//!
//! They are gathered in the instance's [`ThreadSpawnContext`], a static
//! object that is the vmctx of the import's funcref slot (so a direct
//! call, a call through a table and a new instance's own calls all find
//! it). `wasmlink_thread_spawn(cx, arg)` ([`ThreadSpawnFn`]) copies the
//! image into fresh memory, applies the relocations, points the new
//! vmctx's stack-limit word ([`crate::VMContextHeader`]) at the new
//! thread's own limit cell and calls the start function on the new thread.
//! When the thread ends, the copy (and the tables the instance made) is
//! freed if nothing outside the instance can still reach it
//! ([`ThreadSpawnContext::reclaim`]), and kept otherwise.

use core::mem::{offset_of, size_of};

/// Module name of the wasi-threads import.
pub const WASI_THREADS_MODULE: &str = "wasi";
/// Name of the wasi-threads import.
pub const THREAD_SPAWN: &str = "thread-spawn";
/// The export a module that spawns threads must have, `(param i32 i32)`:
/// the new thread's id and the spawn argument.
pub const THREAD_START_EXPORT: &str = "wasi_thread_start";
/// The runtime function `thread-spawn` calls ([`ThreadSpawnFn`]).
pub const THREAD_SPAWN_SYMBOL: &str = "wasmlink_thread_spawn";

/// The largest thread id (wasi-threads: ids are 1..=0x1FFFFFFF, so they
/// fit the bits a futex-based mutex leaves).
pub const MAX_TID: u32 = 0x1FFF_FFFF;
/// Threads a program may have running at once when the manifest or the
/// build command does not say (`max_threads`).
pub const DEFAULT_MAX_THREADS: u32 = 64;
/// The largest `max_threads` a build accepts.
pub const MAX_THREADS_LIMIT: u32 = 4096;

/// Alignment of an image (and of the memory the runtime copies it to): a
/// vmctx's globals are aligned relative to its start.
pub const IMAGE_ALIGN: u32 = crate::size::GLOBAL_ALIGN;

/// `wasmlink_thread_spawn(cx, start_arg) -> tid`: a positive thread id, or
/// a negative number when no thread could be started (the limit reached,
/// ids exhausted, the host refused).
pub type ThreadSpawnFn = unsafe extern "C" fn(cx: *const ThreadSpawnContext, start_arg: i32) -> i32;

/// The generated start of a new thread: instantiate into `vmctx` (a copy
/// of the image), then call `wasi_thread_start(tid, start_arg)`.
pub type ThreadStartFn = unsafe extern "C" fn(vmctx: *mut u8, tid: i32, start_arg: i32);

/// A word of a new image that points into the image itself: after the
/// copy, the 8 bytes at `offset` become `image start + target`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageReloc {
    pub offset: u32,
    pub target: u32,
}

/// What the runtime needs to make a new instance of one instance (static,
/// read-only, one per instance that binds `thread-spawn`).
#[repr(C)]
#[derive(Debug)]
pub struct ThreadSpawnContext {
    /// The image: the vmctx (at offset 0) and the element arrays.
    pub image: *const u8,
    pub image_len: u64,
    /// `reloc_count` words of the copy to point into the copy.
    pub relocs: *const ImageReloc,
    pub reloc_count: u64,
    /// Instantiate and run `wasi_thread_start`.
    pub start: ThreadStartFn,
    /// 1 when the new instance's state may be freed once its thread has
    /// ended: nothing outside the instance can have kept one of its
    /// functions (it imports no table, no mutable reference global and no
    /// function taking a reference) and it defines no memory. 0: it is
    /// kept for the life of the process.
    pub reclaim: u64,
    /// `table_count` offsets into the vmctx of the `VMTable`s the instance
    /// defines, whose storage is freed with it.
    pub tables: *const u32,
    pub table_count: u64,
}

/// Byte size of a [`ThreadSpawnContext`].
pub const THREAD_SPAWN_CONTEXT_SIZE: u32 = size_of::<ThreadSpawnContext>() as u32;
/// Byte size of an [`ImageReloc`].
pub const IMAGE_RELOC_SIZE: u32 = size_of::<ImageReloc>() as u32;

/// Field offsets of [`ThreadSpawnContext`] and [`ImageReloc`].
pub mod thread_field {
    use super::*;

    pub const IMAGE: u32 = offset_of!(ThreadSpawnContext, image) as u32;
    pub const IMAGE_LEN: u32 = offset_of!(ThreadSpawnContext, image_len) as u32;
    pub const RELOCS: u32 = offset_of!(ThreadSpawnContext, relocs) as u32;
    pub const RELOC_COUNT: u32 = offset_of!(ThreadSpawnContext, reloc_count) as u32;
    pub const START: u32 = offset_of!(ThreadSpawnContext, start) as u32;
    pub const RECLAIM: u32 = offset_of!(ThreadSpawnContext, reclaim) as u32;
    pub const TABLES: u32 = offset_of!(ThreadSpawnContext, tables) as u32;
    pub const TABLE_COUNT: u32 = offset_of!(ThreadSpawnContext, table_count) as u32;
    pub const RELOC_OFFSET: u32 = offset_of!(ImageReloc, offset) as u32;
    pub const RELOC_TARGET: u32 = offset_of!(ImageReloc, target) as u32;
}

const _: () = {
    assert!(THREAD_SPAWN_CONTEXT_SIZE == 64);
    assert!(IMAGE_RELOC_SIZE == 8);
    assert!(MAX_THREADS_LIMIT >= DEFAULT_MAX_THREADS);
};
