//! The component model's canonical ABI, and the fused adapters built on it.
//!
//! This crate owns the canonical ABI for wasmlink: the value types it
//! works on ([`ValType`], [`FuncType`]), where values live in memory
//! ([`layout`]: `alignment`, `elem_size`, field and payload offsets) and
//! how they become core values ([`flatten`]: `flatten_type`,
//! `flatten_func`, [`MAX_FLAT_PARAMS`], [`MAX_FLAT_RESULTS`], the `join`
//! of variant payloads), exactly as the component model's
//! `CanonicalABI.md` defines them for 32-bit memories and synchronous
//! functions. On top of it, [`generate`] produces a **fused adapter**: a
//! core Wasm module (multi-memory) holding one function that a caller
//! component imports in place of another component's export. It reads the
//! arguments from the caller's core parameters or memory, copies them into
//! the callee's memory (allocating with the callee's `realloc`,
//! transcoding strings), calls the callee, copies the results back
//! (allocating with the caller's `realloc`, or into the caller's return
//! area), and calls the callee's `post-return`. It is an ordinary module:
//! the pipeline compiles it with everything else, so a call between two
//! components is one direct call to straight-line code specialised for
//! the function type, with no type descriptors interpreted at run time.
//!
//! # Types
//!
//! [`ValType`] is this crate's own small enum rather than wasmparser's
//! types, so the ABI code does not depend on a parser's type arena; the
//! flattener converts with [`from_wasmparser::convert_func`] (and
//! [`from_wasmparser::convert_val`]), mapping each resource type to a
//! [`ResourceId`]. `map<K, V>` becomes `list<tuple<K, V>>`, as the spec's
//! despecialisation says. Flags with more than 32 labels (the component
//! model forbids them now; wasmparser rejects them) are laid out as the
//! earlier definition did, one `i32` per 32 labels, which agrees with the
//! current one up to 32.
//!
//! # The adapter module's interface
//!
//! The module exports one function, [`contract::EXPORT`] (`"adapter"`),
//! with the caller's lowered signature ([`Adapter::caller_signature`]).
//! It imports only what the function type needs; [`Adapter::imports`]
//! lists each import with its [`ImportRole`], so the flattener knows what
//! to bind it to:
//!
//! | module | name | type | when |
//! | --- | --- | --- | --- |
//! | `caller` | `memory` | memory (32-bit, any size) | strings or lists cross, or parameters or results go through memory |
//! | `callee` | `memory` | memory | the same |
//! | `caller` | `realloc` | `(i32 old, i32 old_size, i32 align, i32 new_size) -> i32` | results hold strings or lists |
//! | `callee` | `realloc` | the same | parameters hold strings or lists, or more than 16 flat parameters |
//! | `callee` | `function` | the callee's lifted signature ([`Adapter::callee_signature`]) | always |
//! | `callee` | `post-return` | the lifted results `-> ()` | `canon lift` names one |
//! | `flags` | `N` (instance number, decimal) | `(mut i32)` global | the caller's, the callee's, and every entered instance's |
//! | `wasmlink:adapter` | `trap` | `(i32 code) -> ()` | always |
//! | `wasmlink:adapter` | `resource-transfer-own` | `(i32 handle, i32 resource, i32 from, i32 to) -> i32` | `own` handles cross |
//! | `wasmlink:adapter` | `resource-transfer-borrow` | the same | parameters hold `borrow` handles |
//! | `wasmlink:adapter` | `resource-enter-call` | `() -> ()` | the same |
//! | `wasmlink:adapter` | `resource-exit-call` | `() -> ()` | the same |
//!
//! ## Flags
//!
//! Each component instance has one mutable `i32` global of flags:
//! [`FLAG_MAY_LEAVE`] (bit 0) and [`FLAG_MAY_ENTER`] (bit 1), both set
//! when the instance is created ([`FLAGS_INITIAL`]).
//! [`provider::flags_module`] generates a module that defines them. An
//! adapter traps with [`AdapterTrap::CannotLeaveComponent`] when the
//! caller's `may_leave` is clear, and with
//! [`AdapterTrap::CannotEnterComponent`] when an instance it enters
//! ([`AdapterSpec::entering`]) has `may_enter` clear; it clears those
//! `may_enter` bits for the duration of the call, and clears `may_leave` of
//! an instance while its `realloc` or `post-return` runs. An entry point
//! the host calls should go through an adapter too (caller instance
//! `None`), so that the entry component counts as entered.
//!
//! ## Traps
//!
//! An adapter traps by calling `trap(code)` with an [`AdapterTrap`] code
//! (and executes `unreachable` should it return). The runtime should report
//! `wasm trap: <AdapterTrap::message> in <function>` and exit with status
//! 134, like every other trap. Until it does, [`provider::trap_module`]
//! implements `trap` in Wasm: one function per trap, named after it, that
//! executes `unreachable` (`wasm trap: unreachable in <source>::invalid-utf8`).
//!
//! ## Handle tables
//!
//! Resource handles are indices into per-component-instance handle tables
//! the runtime keeps. An adapter moves handles with two intrinsics, passing
//! the handle, the [`ResourceId`] from the function type, and the source
//! and destination instance numbers:
//!
//! * `resource-transfer-own(handle, resource, from, to) -> handle'`: remove
//!   `handle` from `from`'s table (trap [`AdapterTrap::InvalidHandle`] if
//!   it is not there, not of `resource`, or not owned;
//!   [`AdapterTrap::HandleStillBorrowed`] if it is lent out), add an owned
//!   handle with the same representation to `to`'s table, return its index.
//! * `resource-transfer-borrow(handle, resource, from, to) -> handle'`: look
//!   `handle` up in `from`'s table (owned or borrowed; trap
//!   [`AdapterTrap::InvalidHandle`] otherwise), count it as lent for the
//!   current call. If `to` is the instance that implements `resource`,
//!   return the representation itself; otherwise add a borrowed handle to
//!   `to`'s table, scoped to the current call, and return its index.
//! * `resource-enter-call()` begins the call's scope (before the parameters
//!   are copied); `resource-exit-call()` ends it after the callee returns:
//!   trap [`AdapterTrap::HandleStillBorrowed`] if the callee did not drop
//!   every borrowed handle it received, then end the lends.
//!
//! Only functions whose parameters hold `borrow` handles call the scope
//! intrinsics. `resource.new`, `resource.rep` and `resource.drop` are the
//! runtime's own builtins (not imported by adapters); dropping a borrowed
//! handle ends its part of the current call's scope.
//!
//! # Limits
//!
//! Memories are 32-bit; functions are synchronous (no `async` option,
//! streams, futures or error contexts: nothing here rules them out later).
//! Floats cross bit for bit (NaNs are not canonicalised, which the spec
//! allows). A list of integers, floats or records of them is copied with
//! one `memory.copy`, padding bytes included.

pub mod contract;
pub mod flatten;
pub mod from_wasmparser;
mod gen;
pub mod layout;
mod options;
pub mod provider;
mod types;

pub use contract::{
    AdapterImport, AdapterTrap, ImportKind, ImportRole, FLAGS_INITIAL, FLAG_MAY_ENTER,
    FLAG_MAY_LEAVE,
};
pub use flatten::{
    flatten_func, flatten_type, flatten_types, CoreSignature, CoreType, MAX_FLAT_PARAMS,
    MAX_FLAT_RESULTS,
};
pub use gen::{generate, validate, Adapter};
pub use layout::{alignment, elem_size};
pub use options::{AdapterError, AdapterSpec, CalleeOptions, CallerOptions, StringEncoding};
pub use types::{
    check_type, check_types, Case, Field, FuncType, ResourceId, TypeError, ValType, MAX_TYPE_DEPTH,
    MAX_TYPE_NODES,
};
