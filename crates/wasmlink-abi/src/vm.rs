//! The `repr(C)` structures generated code and the runtime share, and the
//! sizes and field offsets generated code uses to reach them, computed
//! from the definitions here.

use core::mem::{align_of, offset_of, size_of};

/// WebAssembly page size in bytes.
pub const PAGE_SIZE: u64 = 65536;

/// Implementation limit on the pages of any memory, 32- or 64-bit: one
/// page short of 4 GiB. `memory.grow` past it fails (returns -1, as the
/// spec lets any growth fail) and a memory whose minimum exceeds it cannot
/// be created.
///
/// Generated code relies on it: a 32-bit address that was just accessed
/// is below `2^32 - PAGE_SIZE`, so adding a step of at most one page to it
/// cannot wrap, and an address induction variable can live in a 64-bit
/// register (`wasmlink-codegen`'s `translate/induction.rs`).
pub const MAX_MEMORY_PAGES: u64 = 65535;

/// `VMMemory::flags` bit (and `flags` argument of `wasmlink_memory_new`):
/// the memory has a 64-bit index type.
pub const MEMORY_FLAG_64: u32 = 1;

/// `flags` bit of `wasmlink_memory_new`: reserve the (32-bit) memory at
/// [`FIXED_MEMORY_BASE`], where generated code addresses it as a constant.
pub const MEMORY_FLAG_FIXED: u32 = 2;

/// The address of the program's one memory at a fixed place (the
/// `fixed-state` optimisation, `wasmlink-codegen`'s `fixed_state.rs`).
///
/// Below 2 GiB, so the base plus a static offset under 512 MiB is an
/// x86-64 32-bit displacement: an access is `disp32(%index)`, with no
/// register holding the base. At 1.5 GiB, clear of the heap (`brk`) of a
/// non-PIE executable, such as a fully static one (`musl-gcc -static`):
/// Linux 6.x starts that heap anywhere in the 1 GiB above the
/// executable's data (with the memory at 1 GiB, the heap took the address
/// in about one run of 300), so an executable whose data ends below
/// 512 MiB never meets it. The reservation
/// (8 GiB + 64 KiB, like every 32-bit memory's) then ends near 9.5 GiB:
/// far below where Linux maps a PIE executable, libraries, thread stacks
/// and anonymous mappings.
pub const FIXED_MEMORY_BASE: u64 = 0x6000_0000;

/// The first bytes of every instance's vmctx. The rest of the vmctx is laid
/// out by the compiler (`wasmlink-codegen`'s `layout`) and only ever read
/// by generated code; the runtime receives pointers into it.
#[repr(C)]
#[derive(Debug)]
pub struct VMContextHeader {
    /// Address of the program's stack-limit cell (`wasmlink_stack_limit`).
    /// Cranelift's stack check reads the limit through the vmctx.
    pub stack_limit: *const usize,
}

/// A linear memory. `base` never moves once created; bytes past `length`
/// are reserved but inaccessible, so a 32-bit access needs no bounds check.
#[repr(C)]
#[derive(Debug)]
pub struct VMMemory {
    pub base: *mut u8,
    /// Accessible size in bytes.
    pub length: u64,
    /// Growth limit in pages (the declared maximum clamped to what the
    /// reservation can hold).
    pub max_pages: u64,
    /// [`MEMORY_FLAG_64`] or 0.
    pub flags: u64,
}

/// One table element: a funcref is a `*const VMFuncRef`, an externref an
/// opaque non-zero word; 0 is null in both.
pub type TableElement = u64;

/// A table. `base` may move when the table grows: generated code reloads
/// it on every access.
#[repr(C)]
#[derive(Debug)]
pub struct VMTable {
    pub base: *mut TableElement,
    /// Number of elements.
    pub length: u64,
    /// Growth limit in elements (`u64::MAX`: none declared).
    pub max: u64,
    /// Allocated elements (`capacity >= length`).
    pub capacity: u64,
}

/// What a funcref points at.
#[repr(C)]
#[derive(Debug)]
pub struct VMFuncRef {
    pub code: *const u8,
    pub vmctx: *mut u8,
    /// The graph-wide canonical signature number: two functions have equal
    /// ids exactly when their signatures are equal.
    pub type_id: u64,
}

/// A passive data segment (`len` in bytes) or element segment (`ptr` to
/// [`TableElement`] items, `len` in items). Dropping a segment sets `len`
/// to 0.
#[repr(C)]
#[derive(Debug)]
pub struct Segment {
    pub ptr: *const u8,
    pub len: u64,
}

/// The storage of one global: an `i32`/`f32` in the low 4 bytes, an
/// `i64`/`f64`/reference in the low 8, a `v128` in all 16 (little-endian).
#[repr(C, align(16))]
#[derive(Clone, Copy, Debug)]
pub struct VMGlobal {
    pub bytes: [u8; 16],
}

/// One instruction of a generated function that may trap, and why.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TrapSite {
    /// Byte offset from the start of the function.
    pub offset: u32,
    /// A [`crate::Trap`] code.
    pub code: u32,
    /// The function the trapping instruction comes from when it was
    /// inlined (an index into `wasmlink_func_table`, so the trap names
    /// the Wasm function that trapped), or [`TRAP_ORIGIN_SELF`].
    pub origin: u32,
}

/// [`TrapSite::origin`] of an instruction of the function itself.
pub const TRAP_ORIGIN_SELF: u32 = u32::MAX;

/// A call of a generated function that has exception handlers: when an
/// exception unwinds to this frame through this call, the runtime tries
/// the function's `CatchHandler`s `first_handler..first_handler +
/// handler_count`, in order. Cranelift treats every register as clobbered
/// on that edge, so resuming a handler only needs the frame's stack and
/// frame pointers (`sp = fp - frame_offset`), the handler's address and
/// the exception in the first payload register.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallSite {
    /// Byte offset of the call's return address from the function start.
    pub ret_offset: u32,
    /// Frame pointer minus stack pointer at the call.
    pub frame_offset: u32,
    /// Index of the first handler in the function's handler list.
    pub first_handler: u32,
    pub handler_count: u32,
}

/// One entry of a call site's handler list (see [`CallSite`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatchHandler {
    /// One of the `HANDLER_*` kinds.
    pub kind: u32,
    /// `HANDLER_CONTEXT`: where the frame keeps the vmctx the following
    /// tags are read from, as an offset from the call's stack pointer.
    /// `HANDLER_TAG`: the vmctx offset of the tag's slot (a pointer to
    /// the tag's [`TagInfo`]).
    pub arg: u32,
    /// Code offset of the handler from the function start (tags and
    /// catch-alls).
    pub target: u32,
    pub reserved: u32,
}

/// [`CatchHandler::kind`]: the vmctx for the tags that follow.
pub const HANDLER_CONTEXT: u32 = 0;
/// [`CatchHandler::kind`]: catch exceptions of one tag.
pub const HANDLER_TAG: u32 = 1;
/// [`CatchHandler::kind`]: catch every exception.
pub const HANDLER_ALL: u32 = 2;

/// A defined exception tag. Its address is the tag's identity: two tags
/// are the same exactly when their `TagInfo`s are (a module instantiated
/// twice defines two distinct tags). Every vmctx tag slot points at one.
#[repr(C)]
#[derive(Debug)]
pub struct TagInfo {
    /// `source::tag`, for the report of an uncaught exception.
    pub name: *const u8,
    pub name_len: u64,
    /// Bit `i` set: payload value `i` is a reference the GC collector
    /// must see (Wasm GC; see `crate::gc`). Only the first 64 values can
    /// be such references (the compiler refuses a throw of more).
    pub gc_ref_mask: u64,
}

/// A thrown exception (what an `exnref` points at): the header below,
/// then one [`crate::ValueSlot`] per payload value, in order.
///
/// When it may be freed: a `catch`/`catch_all` clause that takes it
/// without an `exnref` frees it (`wasmlink_exception_done`) unless it
/// `escaped` or a live frame still *holds* it. A function whose `exnref`s
/// never leave its frame (no call, return, global, table or payload takes
/// one) holds what its `catch_ref`/`catch_all_ref` clauses and legacy
/// `catch` clauses catch: the frame pointer goes into `holders`, and
/// comes out when the unwinder leaves that frame behind (or the legacy
/// clause ends). Anything else marks the exception `escaped`: it may be
/// stored anywhere, and is never freed (there is no collector).
#[repr(C)]
#[derive(Debug)]
pub struct ExceptionHeader {
    pub tag: *const TagInfo,
    /// Non-zero: never freed.
    pub escaped: u32,
    pub holder_count: u32,
    /// Frame pointers of the frames holding it (`holder_count` of them).
    pub holders: [usize; EXCEPTION_HOLDERS],
}

/// How many frames an exception records as holders; one more marks it
/// escaped.
pub const EXCEPTION_HOLDERS: usize = 4;

/// A pointer held as the distance from its own address to its target (0
/// for none), as position-independent data holds it.
///
/// The object's trap tables are read-only data full of pointers (to each
/// function's code, name and sites). Absolute pointers would each need a
/// dynamic relocation in a position-independent executable: the loader
/// would write every one at start-up, and every page of the tables would
/// be copied on write, which for CPython is 9 MB and 620 000 relocations
/// (BENCHMARKS.md, section 10). A distance is fixed when the executable is
/// linked (a PC-relative relocation), so the tables stay shared, read-only
/// pages that the program reads only when it traps or throws.
#[repr(transparent)]
pub struct RelPtr<T> {
    distance: i64,
    target: core::marker::PhantomData<*const T>,
}

impl<T> RelPtr<T> {
    /// No target.
    pub const NULL: RelPtr<T> = RelPtr {
        distance: 0,
        target: core::marker::PhantomData,
    };

    /// The target, or null.
    pub fn get(&self) -> *const T {
        if self.distance == 0 {
            return core::ptr::null();
        }
        // Address arithmetic only: the result is the target the compiler
        // (or `set`) recorded, reached from where this value lies.
        (self as *const Self)
            .cast::<u8>()
            .wrapping_offset(self.distance as isize)
            .cast()
    }

    /// The `len` values at the target: none when it is null.
    ///
    /// # Safety
    /// A non-null target holds `len` initialised values that live as long
    /// as `self` (the object's read-only tables live as long as the
    /// process).
    pub unsafe fn as_slice(&self, len: u64) -> &[T] {
        let p = self.get();
        if p.is_null() || len == 0 {
            return &[];
        }
        // SAFETY: the caller's contract.
        unsafe { core::slice::from_raw_parts(p, len as usize) }
    }

    /// Point at `target` (null for none) from where `self` lies now: the
    /// value is only right in place, and moving it breaks it.
    pub fn set(&mut self, target: *const T) {
        self.distance = if target.is_null() {
            0
        } else {
            (target as isize).wrapping_sub(self as *const Self as isize) as i64
        };
    }
}

impl<T> core::fmt::Debug for RelPtr<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:p}", self.get())
    }
}

/// One generated function: its code range, display name, trap sites and
/// exception call sites (the entries of `wasmlink_func_table`). Every
/// pointer is a [`RelPtr`]: the table has no dynamic relocations.
#[repr(C)]
#[derive(Debug)]
pub struct FuncInfo {
    pub start: RelPtr<u8>,
    pub len: u64,
    pub name: RelPtr<u8>,
    pub name_len: u64,
    pub traps: RelPtr<TrapSite>,
    pub trap_count: u64,
    /// Sorted by `ret_offset`.
    pub call_sites: RelPtr<CallSite>,
    pub call_site_count: u64,
    pub handlers: RelPtr<CatchHandler>,
    pub handler_count: u64,
    /// The safepoints with live GC references, sorted by `ret_offset`
    /// (see [`crate::gc`]).
    pub stack_maps: RelPtr<crate::gc::StackMap>,
    pub stack_map_count: u64,
    /// The frame-slot offsets `stack_maps` index.
    pub stack_slots: RelPtr<u32>,
}

impl FuncInfo {
    /// An entry with no code, name or sites, to fill in place (its
    /// pointers are only right where they lie).
    pub const EMPTY: FuncInfo = FuncInfo {
        start: RelPtr::NULL,
        len: 0,
        name: RelPtr::NULL,
        name_len: 0,
        traps: RelPtr::NULL,
        trap_count: 0,
        call_sites: RelPtr::NULL,
        call_site_count: 0,
        handlers: RelPtr::NULL,
        handler_count: 0,
        stack_maps: RelPtr::NULL,
        stack_map_count: 0,
        stack_slots: RelPtr::NULL,
    };
}

/// Byte sizes (and alignments) of the shared structures.
pub mod size {
    use super::*;

    /// A pointer (generated code's pointer type has this width).
    pub const POINTER: u32 = size_of::<usize>() as u32;
    pub const VMCTX_HEADER: u32 = size_of::<VMContextHeader>() as u32;
    pub const VM_MEMORY: u32 = size_of::<VMMemory>() as u32;
    pub const VM_TABLE: u32 = size_of::<VMTable>() as u32;
    pub const TABLE_ELEMENT: u32 = size_of::<TableElement>() as u32;
    pub const VM_FUNC_REF: u32 = size_of::<VMFuncRef>() as u32;
    pub const SEGMENT: u32 = size_of::<Segment>() as u32;
    pub const GLOBAL: u32 = size_of::<VMGlobal>() as u32;
    /// Globals are stored at multiples of this (a `v128` is loaded aligned).
    pub const GLOBAL_ALIGN: u32 = align_of::<VMGlobal>() as u32;
    pub const TRAP_SITE: u32 = size_of::<TrapSite>() as u32;
    pub const FUNC_INFO: u32 = size_of::<FuncInfo>() as u32;
    pub const CALL_SITE: u32 = size_of::<CallSite>() as u32;
    pub const CATCH_HANDLER: u32 = size_of::<CatchHandler>() as u32;
    pub const STACK_MAP: u32 = size_of::<crate::gc::StackMap>() as u32;
    pub const TAG_INFO: u32 = size_of::<TagInfo>() as u32;
    pub const EXCEPTION_HEADER: u32 = size_of::<ExceptionHeader>() as u32;
    /// One value slot of `wasmlink_program_start` and the harness's invoke
    /// trampolines (also the stride of a return area).
    pub const VALUE_SLOT: u32 = size_of::<crate::ValueSlot>() as u32;
}

/// Field offsets, as the `i32` a load or store instruction takes.
pub mod field {
    use super::*;

    pub const VMCTX_STACK_LIMIT: i32 = offset_of!(VMContextHeader, stack_limit) as i32;
    pub const MEMORY_BASE: i32 = offset_of!(VMMemory, base) as i32;
    pub const MEMORY_LENGTH: i32 = offset_of!(VMMemory, length) as i32;
    pub const TABLE_BASE: i32 = offset_of!(VMTable, base) as i32;
    pub const TABLE_LENGTH: i32 = offset_of!(VMTable, length) as i32;
    pub const FUNC_REF_CODE: i32 = offset_of!(VMFuncRef, code) as i32;
    pub const FUNC_REF_VMCTX: i32 = offset_of!(VMFuncRef, vmctx) as i32;
    pub const FUNC_REF_TYPE_ID: i32 = offset_of!(VMFuncRef, type_id) as i32;
    pub const SEGMENT_PTR: i32 = offset_of!(Segment, ptr) as i32;
    pub const SEGMENT_LEN: i32 = offset_of!(Segment, len) as i32;
    pub const TRAP_SITE_OFFSET: i32 = offset_of!(TrapSite, offset) as i32;
    pub const TRAP_SITE_CODE: i32 = offset_of!(TrapSite, code) as i32;
    pub const TRAP_SITE_ORIGIN: i32 = offset_of!(TrapSite, origin) as i32;
    pub const FUNC_INFO_START: i32 = offset_of!(FuncInfo, start) as i32;
    pub const FUNC_INFO_LEN: i32 = offset_of!(FuncInfo, len) as i32;
    pub const FUNC_INFO_NAME: i32 = offset_of!(FuncInfo, name) as i32;
    pub const FUNC_INFO_NAME_LEN: i32 = offset_of!(FuncInfo, name_len) as i32;
    pub const FUNC_INFO_TRAPS: i32 = offset_of!(FuncInfo, traps) as i32;
    pub const FUNC_INFO_TRAP_COUNT: i32 = offset_of!(FuncInfo, trap_count) as i32;
    pub const FUNC_INFO_CALL_SITES: i32 = offset_of!(FuncInfo, call_sites) as i32;
    pub const FUNC_INFO_CALL_SITE_COUNT: i32 = offset_of!(FuncInfo, call_site_count) as i32;
    pub const FUNC_INFO_HANDLERS: i32 = offset_of!(FuncInfo, handlers) as i32;
    pub const FUNC_INFO_HANDLER_COUNT: i32 = offset_of!(FuncInfo, handler_count) as i32;
    pub const FUNC_INFO_STACK_MAPS: i32 = offset_of!(FuncInfo, stack_maps) as i32;
    pub const FUNC_INFO_STACK_MAP_COUNT: i32 = offset_of!(FuncInfo, stack_map_count) as i32;
    pub const FUNC_INFO_STACK_SLOTS: i32 = offset_of!(FuncInfo, stack_slots) as i32;
    pub const STACK_MAP_RET_OFFSET: i32 = offset_of!(crate::gc::StackMap, ret_offset) as i32;
    pub const STACK_MAP_SPAN: i32 = offset_of!(crate::gc::StackMap, span) as i32;
    pub const STACK_MAP_FIRST_SLOT: i32 = offset_of!(crate::gc::StackMap, first_slot) as i32;
    pub const STACK_MAP_SLOT_COUNT: i32 = offset_of!(crate::gc::StackMap, slot_count) as i32;
    pub const CALL_SITE_RET_OFFSET: i32 = offset_of!(CallSite, ret_offset) as i32;
    pub const CALL_SITE_FRAME_OFFSET: i32 = offset_of!(CallSite, frame_offset) as i32;
    pub const CALL_SITE_FIRST_HANDLER: i32 = offset_of!(CallSite, first_handler) as i32;
    pub const CALL_SITE_HANDLER_COUNT: i32 = offset_of!(CallSite, handler_count) as i32;
    pub const CATCH_HANDLER_KIND: i32 = offset_of!(CatchHandler, kind) as i32;
    pub const CATCH_HANDLER_ARG: i32 = offset_of!(CatchHandler, arg) as i32;
    pub const CATCH_HANDLER_TARGET: i32 = offset_of!(CatchHandler, target) as i32;
    pub const TAG_INFO_NAME: i32 = offset_of!(TagInfo, name) as i32;
    pub const TAG_INFO_NAME_LEN: i32 = offset_of!(TagInfo, name_len) as i32;
    pub const TAG_INFO_GC_REF_MASK: i32 = offset_of!(TagInfo, gc_ref_mask) as i32;
    pub const EXCEPTION_TAG: i32 = offset_of!(ExceptionHeader, tag) as i32;
    pub const EXCEPTION_ESCAPED: i32 = offset_of!(ExceptionHeader, escaped) as i32;
}

// Generated code stores 64-bit words and pointers with 8-byte aligned
// accesses at these offsets, and lays structures out back to back: every
// structure must be a whole number of 8-byte words.
const _: () = {
    assert!(size::POINTER == 8);
    let word = size::POINTER;
    assert!(size::VMCTX_HEADER.is_multiple_of(word));
    assert!(size::VM_MEMORY.is_multiple_of(word) && size::VM_TABLE.is_multiple_of(word));
    assert!(size::VM_FUNC_REF.is_multiple_of(word) && size::SEGMENT.is_multiple_of(word));
    assert!(size::FUNC_INFO.is_multiple_of(word));
    assert!(size::TAG_INFO.is_multiple_of(word));
    // Payload values follow the header in value slots.
    assert!(size::EXCEPTION_HEADER.is_multiple_of(size::VALUE_SLOT));
    assert!(size::GLOBAL == size::GLOBAL_ALIGN);
    assert!(size::VALUE_SLOT == size::GLOBAL);
};
