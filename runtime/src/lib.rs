//! The runtime linked into every executable wasmlink produces.
//!
//! Generated code calls into it through the C ABI defined, once for the
//! compiler and the runtime, in the `wasmlink_abi` crate ([`contract`]
//! expands its lists on this side):
//!
//! * [`memory`] and [`table`]: creation, growth and bulk operations;
//!   [`reservations`] remembers the address ranges memories reserve;
//!   [`image`] maps a memory's initial contents from the executable;
//! * [`wasi`]: WASI preview 1, sandboxed to the preopened directories;
//! * [`embed`]: files embedded at build time, read-only preopened
//!   directories served from the executable's own pages;
//! * [`wasi2`]: WASI 0.2 in lowered form (the canonical ABI's core
//!   signatures), with per-component-instance handle tables, sharing
//!   preview 1's state and sandbox;
//! * [`trap`], [`landing`] and [`stack`]: faults become wasm traps, the
//!   stack limit generated code checks, and recovery for test harnesses;
//! * [`exceptions`]: exception objects and the unwinder behind `throw`;
//! * [`gc`]: the heap of Wasm GC structs and arrays, and its precise
//!   mark-sweep collector;
//! * [`threads`]: wasi-threads' `thread-spawn`, each thread a new
//!   instance on a stack of its own, and [`atomics`]: wait and notify;
//! * [`preinit`]: snapshot mode, the program a build with
//!   pre-initialisation runs to capture its initialised state;
//! * [`start`]: the executable's `main`, which reads the embedded WASI
//!   configuration ([`config`]), the `WASMLINK_FLAGS` variable ([`flags`])
//!   and the entry's arguments ([`entry`]) and runs the program.
//!
//! Only the startup and fault paths reference symbols of the generated
//! object (`wasmlink_program_start`, `wasmlink_func_table`, …); under
//! `cfg(test)` those paths are replaced so the unit tests link without one.
//!
//! The runtime is `no_std` (with `alloc` and `libc`), except in its unit
//! tests: [`platform`] has what it took from the standard library (the
//! allocator, the panic handler, locks, threads, descriptors, stdio), so
//! executables carry no part of `std` (BENCHMARKS.md, section 3).

#![cfg_attr(not(test), no_std)]

// `format!` and `vec!` come from `alloc` (`std`'s are the same macros).
#[macro_use]
extern crate alloc;

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
compile_error!("wasmlink-runtime supports x86_64 Linux only");

pub mod atomics;
pub mod config;
pub mod contract;
pub mod embed;
pub mod entry;
pub mod exceptions;
pub mod flags;
pub mod gc;
pub mod harness;
pub mod image;
pub mod landing;
pub mod memory;
pub mod platform;
pub mod preinit;
pub mod reservations;
pub mod stack;
pub mod start;
mod sys;
pub mod table;
pub mod threads;
pub mod trap;
pub mod wasi;
pub mod wasi2;
