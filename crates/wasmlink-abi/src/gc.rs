//! Wasm GC in the contract: how a GC reference looks, how heap objects are
//! laid out, and what the compiler tells the collector about roots.
//!
//! # References
//!
//! Every reference of the `any` hierarchy (`anyref`, `eqref`,
//! `structref`, `arrayref`, `i31ref`, `nullref` and the concrete struct
//! and array types) and of the `extern` hierarchy is one 64-bit word.
//! The two hierarchies share the representation, so `any.convert_extern`
//! and `extern.convert_any` are free:
//!
//! * [`REF_NULL`] (0) is null;
//! * bit 0 set: an `i31`, its 31 bits in bits 1..=31 ([`I31_TAG`]);
//! * low two bits `10`: a host reference (an `externref` the program got
//!   from outside), its value in the bits above ([`HOST_TAG`]);
//! * otherwise (non-zero, low three bits clear): the address of a
//!   [`GcHeader`] in the collector's heap.
//!
//! # Objects
//!
//! A heap object is a [`GcHeader`] followed by its payload, 8-byte
//! aligned: a struct's fields at the offsets its [`GcTypeInfo`] was laid
//! out with, an array's elements one after another (`length` of them,
//! `size` bytes each). Payloads start zeroed.
//!
//! # Types
//!
//! Each canonical struct or array type of the program (types equal under
//! the spec's iso-recursive equivalence share one) has one static
//! [`GcTypeInfo`], whose address is the type's identity: a cast compares
//! addresses. Subtyping uses a display: `supertypes[0..=depth]` lists the
//! type's ancestors from the root down to the type itself, so `T <: S`
//! exactly when `T.depth >= S.depth && T.supertypes[S.depth] == S`.
//!
//! # Allocation
//!
//! Generated code allocates with `wasmlink_gc_alloc(type_info, length)`
//! ([`RuntimeFn::GcAlloc`](crate::RuntimeFn::GcAlloc)): a struct passes
//! `length` 0 and gets `size` payload bytes, an array `length` elements
//! of `size` bytes. The object comes back zeroed with its header filled
//! in, or null when the heap cannot supply it (the system refused memory,
//! or the object would exceed [`GC_MAX_OBJECT_BYTES`]); generated code
//! then traps with [`Trap::AllocationFailure`](crate::Trap). The
//! allocator may collect before it allocates, so every call of it is a
//! safepoint like any other call.
//!
//! # Roots
//!
//! The collector is precise and non-moving: it reads references where
//! the compiler says they are and never rewrites them. It finds them
//!
//! * on the stack, through stack maps: every call in generated code is a
//!   safepoint, and [`FuncInfo`](crate::FuncInfo)'s `stack_maps` list,
//!   per return address, the slots of the caller's frame that hold live
//!   references (Cranelift's user stack maps, declared with
//!   `FunctionBuilder::declare_value_needs_stack_map` on every value of
//!   a reference type that may hold a heap object); the slot of `offset`
//!   is at `fp - span + offset` for the frame pointer `fp` of that frame.
//!   `span` is the frame's `FrameLayout::active_size()` (frame pointer
//!   minus stack pointer while the body runs) and Cranelift's slot
//!   offsets are relative to that stack pointer: wasmtime finds the same
//!   words the same way (`StackMap::sp(fp) = fp - frame_size`, then
//!   `sp + offset`). The collector walks the frame-pointer chain from the
//!   allocating call outwards and stops at the first return address
//!   outside generated code, as the exception unwinder does;
//! * in globals and tables of reference type, listed by the object's
//!   [`GcRoots`] (`wasmlink_gc_roots`, always defined: empty lists in a
//!   program without GC references);
//! * inside objects, through their types' `ref_offsets` (struct fields)
//!   and `ref_count` (arrays of references).
//!
//! Only words that are heap addresses (non-zero, low three bits clear)
//! are followed; null, i31 and host references are skipped, so a stack
//! map, global or table may list any `anyref`/`externref` slot. A stack
//! map must not list a word that is not a reference of these hierarchies
//! (an `exnref` or `funcref` is not a heap object).
//!
//! References inside exception payloads are not roots yet: a program
//! that keeps an exception carrying a GC reference across an allocation
//! needs the tags' payload layouts in the contract first.
//!
//! When the runtime calls generated code while generated frames are
//! below it on the stack (a lowered call's `realloc`), the walk cannot
//! see past the runtime frames in between: the runtime then forbids
//! collection until the call returns, and allocation only grows the heap.
//!
//! # Threads
//!
//! The heap belongs to one thread: a program that uses GC types must not
//! spawn wasi-threads (the compiler refuses the combination). The
//! runtime detects a second concurrent user and ends the program rather
//! than corrupting the heap.
//!
//! # Changes to this contract
//!
//! * [`GcHeader::gc_bits`] is the collector's: it keeps its mark there.
//! * [`GC_MAX_OBJECT_BYTES`] bounds one object.
//! * `wasmlink_gc_alloc` ([`RuntimeFn::GcAlloc`](crate::RuntimeFn)) and
//!   [`Trap::AllocationFailure`](crate::Trap) are new.
//! * `wasmlink_gc_roots` ([`crate::symbols::GC_ROOTS`]) is in the object's
//!   symbol list; the emitter defines an empty one unless the program
//!   data defines it.

use crate::vm::VMTable;

/// The null reference.
pub const REF_NULL: u64 = 0;
/// Bit 0 set: an `i31ref`; its value is the word shifted right by one.
pub const I31_TAG: u64 = 1;
/// Mask of the two low bits that tell a host reference.
pub const HOST_TAG_MASK: u64 = 3;
/// Low bits of a host reference: `(value << 2) | HOST_TAG`.
pub const HOST_TAG: u64 = 2;
/// Heap objects are aligned to this: the low bits of their address are
/// clear.
pub const GC_ALIGN: u64 = 8;
/// The largest object (header and payload) the collector allocates, an
/// implementation limit: larger arrays fail with `allocation failure`.
/// 1 GiB, as engines bound one array (V8 refuses arrays of more than
/// 2^26 elements); a program that needs more is better served by linear
/// memory.
pub const GC_MAX_OBJECT_BYTES: u64 = 1 << 30;

/// Cell sizes of the collector's size classes (header included): 16-byte
/// steps up to 128, then four steps per doubling up to 32 KiB (at most a
/// quarter of a cell is wasted). Larger objects are mapped on their own.
pub const GC_CLASS_SIZES: [u32; 40] = [
    16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
    1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336,
    16384, 20480, 24576, 28672, 32768,
];

/// What generated code allocates from without calling the runtime: the
/// first field of the runtime's heap, whose symbol is
/// `wasmlink_gc_heap`. A free cell's header holds the next free cell of
/// its class in `type_info` (and the collector's free mark in
/// `gc_bits`); taking the head of `free[c]` and writing a header makes an
/// object of a class-`c` size. `budget` is what may still be allocated
/// before the next collection: generated code takes a cell inline only
/// when its size fits in it (and subtracts it); otherwise, and when the
/// list is empty, it calls `wasmlink_gc_alloc`.
#[repr(C)]
#[derive(Debug)]
pub struct GcAllocState {
    pub free: [*mut GcHeader; 40],
    pub budget: i64,
}

/// [`GcTypeInfo::kind`] of a struct type.
pub const GC_KIND_STRUCT: u32 = 1;
/// [`GcTypeInfo::kind`] of an array type.
pub const GC_KIND_ARRAY: u32 = 2;
/// Byte offset, in a harness invoke trampoline's result slot
/// (`HARNESS_INVOKE`), of the `u32` kind ([`GC_KIND_STRUCT`],
/// [`GC_KIND_ARRAY`]) of the heap object a reference result refers to: the
/// reference itself fills the first 8 bytes, and `assert_return` with
/// `ref.struct` or `ref.array` reads the kind.
pub const HARNESS_RESULT_KIND_OFFSET: u32 = 8;

/// One canonical struct or array type (static data the compiler emits).
#[repr(C)]
#[derive(Debug)]
pub struct GcTypeInfo {
    /// [`GC_KIND_STRUCT`] or [`GC_KIND_ARRAY`].
    pub kind: u32,
    /// How many declared supertypes are above it (0 for a root type).
    pub depth: u32,
    /// `depth + 1` entries: the ancestors from the root, then the type.
    pub supertypes: *const *const GcTypeInfo,
    /// A struct's payload size in bytes; an array's element size (1, 2,
    /// 4, 8 or 16).
    pub size: u32,
    /// A struct: how many entries `ref_offsets` has. An array: 1 when its
    /// elements are references, else 0.
    pub ref_count: u32,
    /// A struct: the payload offsets of its reference fields (8-byte
    /// aligned, `ref_count` of them). Unused for an array, whose
    /// reference elements are 8 bytes each (`size` 8).
    pub ref_offsets: *const u32,
}

/// The header of every heap object.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct GcHeader {
    pub type_info: *const GcTypeInfo,
    /// The collector's own bits (its mark); generated code never reads
    /// or writes them.
    pub gc_bits: u32,
    /// An array's element count; 0 for a struct.
    pub length: u32,
}

/// One safepoint of a function with live references: where they are.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackMap {
    /// Byte offset of the call's return address from the function start.
    pub ret_offset: u32,
    /// Frame pointer minus stack pointer at the call.
    pub span: u32,
    /// Index of the first slot offset in the function's `stack_slots`.
    pub first_slot: u32,
    pub slot_count: u32,
}

/// The globals and tables that may hold references
/// (`wasmlink_gc_roots`).
#[repr(C)]
#[derive(Debug)]
pub struct GcRoots {
    /// Addresses of 8-byte global cells of reference type.
    pub globals: *const *mut u64,
    pub global_count: u64,
    /// Tables whose elements are references of the `any` or `extern`
    /// hierarchies.
    pub tables: *const *mut VMTable,
    pub table_count: u64,
    /// Element segments of such references (their items were computed
    /// when the instance started, and may be objects until the segment
    /// is dropped): each slot's `len` 8-byte items at `ptr`.
    pub segments: *const *mut crate::vm::Segment,
    pub segment_count: u64,
}

/// Byte offsets inside the structures above, for generated code.
pub mod gc_field {
    use super::*;
    use core::mem::offset_of;

    pub const HEADER_TYPE_INFO: i32 = offset_of!(GcHeader, type_info) as i32;
    pub const HEADER_LENGTH: i32 = offset_of!(GcHeader, length) as i32;
    /// Where a payload starts.
    pub const PAYLOAD: i32 = core::mem::size_of::<GcHeader>() as i32;
    pub const TYPE_KIND: i32 = offset_of!(GcTypeInfo, kind) as i32;
    pub const TYPE_DEPTH: i32 = offset_of!(GcTypeInfo, depth) as i32;
    pub const TYPE_SUPERTYPES: i32 = offset_of!(GcTypeInfo, supertypes) as i32;
    pub const HEADER_GC_BITS: i32 = offset_of!(GcHeader, gc_bits) as i32;
    pub const ALLOC_FREE: i32 = offset_of!(GcAllocState, free) as i32;
    pub const ALLOC_BUDGET: i32 = offset_of!(GcAllocState, budget) as i32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_what_generated_code_assumes() {
        assert_eq!(core::mem::size_of::<GcHeader>(), 16);
        assert_eq!(gc_field::PAYLOAD, 16);
        assert_eq!(gc_field::HEADER_LENGTH, 12);
        assert_eq!(core::mem::size_of::<StackMap>(), 16);
        assert_eq!(core::mem::size_of::<GcRoots>(), 48);
        // The three kinds of non-null reference are told apart by their
        // low bits.
        assert_eq!(I31_TAG & HOST_TAG, 0);
        assert_eq!(GC_ALIGN - 1, 7);
    }
}
