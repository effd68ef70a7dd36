//! The runtime functions generated code calls, as one list of rows that
//! both sides expand: the compiler builds its call signatures from them
//! ([`RuntimeFn`]), the runtime checks its definitions against them at
//! compile time.

/// How a parameter or result of a C-convention call is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    I32,
    I64,
    /// An address ([`crate::size::POINTER`] bytes).
    Pointer,
}

/// The [`Scalar`] a Rust type of a contract row is passed as. Only the
/// types the contract uses implement it, so a row with any other type
/// does not compile.
pub trait AbiScalar {
    const SCALAR: Scalar;
}

impl AbiScalar for u32 {
    const SCALAR: Scalar = Scalar::I32;
}

impl AbiScalar for i32 {
    const SCALAR: Scalar = Scalar::I32;
}

impl AbiScalar for u64 {
    const SCALAR: Scalar = Scalar::I64;
}

impl AbiScalar for i64 {
    const SCALAR: Scalar = Scalar::I64;
}

impl<T> AbiScalar for *mut T {
    const SCALAR: Scalar = Scalar::Pointer;
}

impl<T> AbiScalar for *const T {
    const SCALAR: Scalar = Scalar::Pointer;
}

/// Expand `$mac!` with one row per runtime function generated code calls
/// (C convention):
///
/// ```text
/// $(#[doc])* Variant = wasmlink_symbol(param: RustType, …) -> RustType;
/// ```
///
/// The symbol is the runtime's `#[no_mangle]` function; the Rust types are
/// the runtime's parameter types exactly. Functions returning a status
/// return 0 for success; a non-zero status makes generated code trap.
#[macro_export]
macro_rules! foreach_runtime_fn {
    ($mac:ident) => {
        $mac! {
            /// Reserve and commit a memory of `min_pages` (`max_pages`: the
            /// declared maximum, any value above the implementation limit
            /// meaning none; `flags`: `MEMORY_FLAG_64`, `MEMORY_FLAG_FIXED`
            /// or 0). Non-zero: it could not be created (outside a
            /// protected call the runtime has reported why and exited).
            MemoryNew = wasmlink_memory_new(
                mem: *mut $crate::VMMemory,
                min_pages: u64,
                max_pages: u64,
                flags: u32
            ) -> u32;
            /// Give a memory just made by `MemoryNew` its image: map (or
            /// copy) each of the `count` runs at `images` over its first
            /// pages (see `wasmlink_abi::MemoryImage`). Non-zero: a run
            /// does not fit the memory (nothing is changed).
            MemoryMapImage = wasmlink_memory_image(
                mem: *mut $crate::VMMemory,
                images: *const $crate::MemoryImage,
                count: u64
            ) -> u32;
            /// `memory.grow`: the old size in pages, or `u64::MAX`.
            MemoryGrow = wasmlink_memory_grow(mem: *mut $crate::VMMemory, delta_pages: u64) -> u64;
            /// `memory.fill`: 0, or 1 when out of bounds (nothing written).
            MemoryFill = wasmlink_memory_fill(
                mem: *mut $crate::VMMemory,
                dst: u64,
                val: u32,
                len: u64
            ) -> u32;
            /// `memory.copy` (the memories may be the same): 0 or 1 as above.
            MemoryCopy = wasmlink_memory_copy(
                dst_mem: *mut $crate::VMMemory,
                src_mem: *mut $crate::VMMemory,
                dst: u64,
                src: u64,
                len: u64
            ) -> u32;
            /// `memory.init` from a data segment: 0 or 1 as above.
            MemoryInit = wasmlink_memory_init(
                mem: *mut $crate::VMMemory,
                dst: u64,
                seg: *mut $crate::Segment,
                src: u32,
                len: u32
            ) -> u32;
            /// Allocate a table of `min` null elements (`max`: `u64::MAX`
            /// when none is declared). Non-zero as for `MemoryNew`.
            TableNew = wasmlink_table_new(table: *mut $crate::VMTable, min: u64, max: u64) -> u32;
            /// `table.grow`: the old length, or `u64::MAX`.
            TableGrow = wasmlink_table_grow(
                table: *mut $crate::VMTable,
                delta: u64,
                init: $crate::TableElement
            ) -> u64;
            /// `table.fill`: 0, or 1 when out of bounds (nothing written).
            TableFill = wasmlink_table_fill(
                table: *mut $crate::VMTable,
                dst: u64,
                val: $crate::TableElement,
                len: u64
            ) -> u32;
            /// `table.copy` (the tables may be the same): 0 or 1 as above.
            TableCopy = wasmlink_table_copy(
                dst_table: *mut $crate::VMTable,
                src_table: *mut $crate::VMTable,
                dst: u64,
                src: u64,
                len: u64
            ) -> u32;
            /// `table.init` from an element segment: 0 or 1 as above.
            TableInit = wasmlink_table_init(
                table: *mut $crate::VMTable,
                dst: u64,
                seg: *mut $crate::Segment,
                src: u32,
                len: u32
            ) -> u32;
            /// `memory.atomic.wait32` on a shared memory, at the checked
            /// native address of the (aligned) 32-bit cell: 0 woken, 1 the
            /// cell did not hold `expected`, 2 timed out (`timeout` in
            /// nanoseconds; negative: none).
            AtomicWait32 = wasmlink_atomic_wait32(addr: *mut u32, expected: u32, timeout: i64) -> u32;
            /// `memory.atomic.wait64`, as above for a 64-bit cell.
            AtomicWait64 = wasmlink_atomic_wait64(addr: *mut u64, expected: u64, timeout: i64) -> u32;
            /// `memory.atomic.notify`: wake at most `count` waiters of the
            /// cell; the number woken.
            AtomicNotify = wasmlink_atomic_notify(addr: *mut u32, count: u32) -> u32;
            /// A new exception of tag `tag` with room for `payload_slots`
            /// payload values after its header (never null: the runtime
            /// exits when out of memory).
            ExceptionNew = wasmlink_exception_new(
                tag: *const $crate::TagInfo,
                payload_slots: u64
            ) -> *mut $crate::ExceptionHeader;
            /// A `catch`/`catch_all` clause copied the payload out of `exn`:
            /// free it unless it escaped or a frame holds it. Returns 0.
            ExceptionDone = wasmlink_exception_done(exn: *mut $crate::ExceptionHeader) -> u32;
            /// The frame whose frame pointer is `fp` caught `exn` and keeps
            /// it in its locals (see `ExceptionHeader`). Returns 0.
            ExceptionHold = wasmlink_exception_hold(
                exn: *mut $crate::ExceptionHeader,
                fp: u64
            ) -> u32;
            /// A legacy `catch` clause of the frame `fp` ended: it no longer
            /// holds `exn`, which is freed when no one else does. Returns 0.
            ExceptionRelease = wasmlink_exception_release(
                exn: *mut $crate::ExceptionHeader,
                fp: u64
            ) -> u32;
            /// `throw`/`throw_ref`: unwind to the innermost handler that
            /// catches `exn` and resume there (with `exn` in the first
            /// exception payload register). It returns (1) only when no
            /// generated frame up to the nearest runtime frame catches it;
            /// generated code then traps with `uncaught exception`.
            Throw = wasmlink_throw(exn: *mut $crate::ExceptionHeader) -> u32;
            /// Snapshot mode (see `wasmlink_abi::preinit`): the program now
            /// runs the step `what` names (`len` bytes of UTF-8), for the
            /// messages of refused calls. Returns 0.
            PreinitEnter = wasmlink_preinit_enter(what: *const u8, len: u64) -> u32;
            /// Snapshot mode: write the state the `count` items at `items`
            /// describe to the snapshot file and end the process. It does
            /// not return.
            PreinitSnapshot = wasmlink_preinit_snapshot(
                items: *const $crate::SnapshotItem,
                count: u64
            ) -> u32;
            /// `struct.new`/`array.new` and their kin: a zeroed object of
            /// type `type_info` (a struct: `length` 0; an array: `length`
            /// elements), header filled in. It may collect first, so the
            /// call is a safepoint whose stack map must list every live
            /// reference of the caller (see `wasmlink_abi::gc`). Null
            /// when no memory can be had or the object exceeds
            /// `GC_MAX_OBJECT_BYTES`: generated code then traps with
            /// `allocation failure`.
            GcAlloc = wasmlink_gc_alloc(
                type_info: *const $crate::gc::GcTypeInfo,
                length: u32
            ) -> *mut $crate::gc::GcHeader;
        }
    };
}

/// Define [`RuntimeFn`] from the rows.
macro_rules! define_runtime_fn {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $symbol:ident ( $($param:ident : $ty:ty),* $(,)? ) -> $result:ty;
    )*) => {
        /// A runtime function generated code calls (see
        /// [`foreach_runtime_fn!`](crate::foreach_runtime_fn)).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RuntimeFn {
            $( $(#[$doc])* $variant, )*
        }

        impl RuntimeFn {
            /// Every runtime function, in row order.
            pub const ALL: &'static [RuntimeFn] = &[$(RuntimeFn::$variant),*];

            /// The runtime's symbol for it.
            pub const fn symbol(self) -> &'static str {
                match self {
                    $(RuntimeFn::$variant => stringify!($symbol),)*
                }
            }

            /// How its parameters are passed, in order.
            pub const fn params(self) -> &'static [Scalar] {
                match self {
                    $(RuntimeFn::$variant => &[$(<$ty as AbiScalar>::SCALAR),*],)*
                }
            }

            /// How its result is returned.
            pub const fn result(self) -> Scalar {
                match self {
                    $(RuntimeFn::$variant => <$result as AbiScalar>::SCALAR,)*
                }
            }
        }
    };
}

foreach_runtime_fn!(define_runtime_fn);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_signatures() {
        use Scalar::{Pointer, I32, I64};
        assert_eq!(RuntimeFn::MemoryNew.symbol(), "wasmlink_memory_new");
        assert_eq!(RuntimeFn::MemoryNew.params(), &[Pointer, I64, I64, I32]);
        assert_eq!(RuntimeFn::MemoryNew.result(), I32);
        assert_eq!(RuntimeFn::TableGrow.params(), &[Pointer, I64, I64]);
        assert_eq!(RuntimeFn::TableGrow.result(), I64);
        assert_eq!(RuntimeFn::ALL.len(), 22);
        assert_eq!(RuntimeFn::GcAlloc.params(), &[Pointer, I32]);
        assert_eq!(RuntimeFn::GcAlloc.result(), Pointer);
        for (i, f) in RuntimeFn::ALL.iter().enumerate() {
            assert!(f.symbol().starts_with("wasmlink_"));
            assert!(RuntimeFn::ALL[..i].iter().all(|g| g.symbol() != f.symbol()));
        }
    }
}
