//! The contract between the code wasmlink generates and its runtime
//! (`runtime/`), defined once: the compiler (`wasmlink-codegen`,
//! `wasmlink-emit`, the resolver's WASI table in `wasmlink-graph`) and the
//! runtime both depend on this crate, so a structure, a symbol or a
//! signature cannot differ between them.
//!
//! # Target
//!
//! Generated code runs on the machine that compiled it (x86-64 Linux, the
//! runtime's only target): sizes and offsets computed here on the compiler's
//! host are the runtime's. Everything is little-endian; pointers are 8 bytes.
//!
//! # Calling conventions
//!
//! * Wasm functions use Cranelift's `tail` convention. Parameters: the
//!   callee's vmctx, then, for a function with more results than fit in
//!   registers, the address of a return area (one [`ValueSlot`]-sized
//!   stride per result, provided by the caller), then the wasm parameters.
//! * Everything that crosses into or out of the runtime uses the platform's
//!   C convention: the runtime functions ([`foreach_runtime_fn!`]), the
//!   WASI functions ([`foreach_wasi_fn!`], [`foreach_wasi2_fn!`]), the
//!   functions the object defines for the runtime
//!   ([`foreach_object_symbol!`]) and the `realloc` trampolines a
//!   [`LowerContext`] points at ([`ReallocFn`]).
//!
//! # WASI 0.2 in lowered form
//!
//! A core module's import of a WASI 0.2 function (module
//! `wasi:io/streams@0.2.N`, name `[method]output-stream.write`) is a
//! runtime function of [`foreach_wasi2_fn!`] with the flattened core
//! signature of the canonical ABI, called with a [`LowerContext`] first:
//! the caller's memory, `realloc` and string encoding, the component
//! instance whose handle table its resources live in, and a cell where
//! the runtime leaves a [`Trap`] code when the call must trap (a bad
//! handle, an out-of-bounds list), which the caller checks after the
//! call.
//!
//! # The vmctx
//!
//! Every instance has one static, writable vmctx object (16-byte aligned).
//! It starts with a [`VMContextHeader`]; the compiler lays out the rest
//! (inline [`VMMemory`], [`VMTable`] and [`VMGlobal`] storage for what the
//! instance defines, pointers to the defining instance's storage for what
//! it imports, a [`VMFuncRef`] per function, a [`Segment`] per data and
//! element segment). The runtime never reads a vmctx: generated code hands
//! it pointers to the structures inside.
//!
//! # Structures
//!
//! [`VMMemory`], [`VMTable`] (elements are [`TableElement`]s),
//! [`VMFuncRef`], [`Segment`], [`VMGlobal`], and the trap tables'
//! [`FuncInfo`] and [`TrapSite`]. Generated code reaches their fields at
//! the offsets in [`field`] and lays them out with the sizes in [`size`],
//! both computed from the definitions.
//!
//! # wasi-threads
//!
//! `wasi.thread-spawn` makes a new instance of its caller at run time
//! from an image the compiler emits; see [`ThreadSpawnContext`].
//!
//! # Memory images and pre-initialisation
//!
//! A defined memory whose first contents are known at build time starts
//! from an image mapped from the executable; a program may be run at
//! build time up to the end of its initialisation and start from a
//! snapshot of that state; see [`preinit`].
//!
//! # Embedded files
//!
//! Host files packed into the executable at build time are read-only
//! preopened directories; their format and its writer and reader are in
//! [`embed`].
//!
//! # Traps
//!
//! Generated code traps by faulting at a known instruction. The object
//! lists every generated function with its trap sites
//! (`wasmlink_func_table`); each site names a [`Trap`], whose
//! [`message`](Trap::message) the runtime prints.
//!
//! # Symbols
//!
//! * The runtime defines the functions of [`foreach_runtime_fn!`]
//!   (memories and tables), the `wasmlink_wasi_*` functions of
//!   [`foreach_wasi_fn!`] and `wasmlink_thread_spawn` ([`ThreadSpawnFn`]);
//!   generated code imports them.
//! * The object defines the symbols of [`foreach_object_symbol!`] (names in
//!   [`symbols`]): `wasmlink_program_start`, the entry's signature, the
//!   trap tables, the WASI configuration ([`config`]), the embedded
//!   files ([`embed`]), the spec-test harness tables and the stack-limit
//!   cell.
//!
//! Each list is a macro that expands a caller's macro with one row per
//! item, so the compiler and the runtime are generated from the same rows:
//! the runtime's definitions are checked against them at compile time.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod config;
pub mod embed;
pub mod gc;
mod lower;
pub mod preinit;
mod runtime_fns;
pub mod symbols;
mod threads;
mod trap;
mod values;
mod vm;
mod wasi;
mod wasi2;

pub use lower::{
    lower_field, LowerContext, ReallocFn, StringEncoding, FLAG_MAY_LEAVE, LOWER_CONTEXT_SIZE,
};
pub use preinit::{MemoryImage, SnapshotItem};
pub use runtime_fns::{AbiScalar, RuntimeFn, Scalar};
pub use threads::{
    thread_field, ImageReloc, ThreadSpawnContext, ThreadSpawnFn, ThreadStartFn,
    DEFAULT_MAX_THREADS, IMAGE_ALIGN, IMAGE_RELOC_SIZE, MAX_THREADS_LIMIT, MAX_TID, THREAD_SPAWN,
    THREAD_SPAWN_CONTEXT_SIZE, THREAD_SPAWN_SYMBOL, THREAD_START_EXPORT, WASI_THREADS_MODULE,
};
pub use trap::Trap;
pub use values::{ValueSlot, ValueType};
pub use vm::{
    field, size, CallSite, CatchHandler, ExceptionHeader, FuncInfo, RelPtr, Segment, TableElement,
    TagInfo, TrapSite, VMContextHeader, VMFuncRef, VMGlobal, VMMemory, VMTable, EXCEPTION_HOLDERS,
    FIXED_MEMORY_BASE, HANDLER_ALL, HANDLER_CONTEXT, HANDLER_TAG, MAX_MEMORY_PAGES, MEMORY_FLAG_64,
    MEMORY_FLAG_FIXED, PAGE_SIZE, TRAP_ORIGIN_SELF,
};
pub use wasi::WASI_MODULE;
pub use wasi2::{WASI2_RESOURCES, WASI2_RESOURCE_OWNER, WASI2_VERSION_PREFIX};
