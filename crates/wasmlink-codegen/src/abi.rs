//! The contract between generated code and `runtime/`.
//!
//! Everything here is mirrored, field for field, by `runtime/src/abi.rs`.
//! Generated wasm functions use Cranelift's `tail` calling convention with
//! the callee's vmctx as the first parameter; everything that crosses into
//! the runtime (or out of it) uses the platform C convention.
//!
//! Structures (all little-endian, 8-byte aligned):
//!
//! * `VMMemory { base: *mut u8, length: u64 /* bytes */, max_pages: u64, flags: u64 }`
//!   (32 bytes). `flags` bit 0: 64-bit index type. The runtime fills it in
//!   `wasmlink_memory_new`; `base` never moves afterwards, the region past
//!   `length` is inaccessible (reserved), so 32-bit accesses need no check.
//! * `VMTable { base: *mut u64, length: u64 /* elements */, max: u64, capacity: u64 }`
//!   (32 bytes). Elements are 8 bytes: a funcref is a `*const VMFuncRef`
//!   (null = 0), an externref is an opaque non-zero word (null = 0).
//! * `VMFuncRef { code: *const u8, vmctx: *mut u8, type_id: u64 }` (24 bytes).
//!   `type_id` is the graph-wide canonical signature number; two functions
//!   have equal ids exactly when their signatures are equal.
//! * `Segment { ptr: *const u8, len: u64 }` (16 bytes): a data segment (len
//!   in bytes) or an element segment (ptr to `u64` items, len in items);
//!   dropping sets `len` to 0.
//! * A global is 16 bytes of storage (an `i32` in the low 4 bytes, …).
//! * `TrapSite { offset: u32, code: u32 }` and
//!   `FuncInfo { start: *const u8, len: u64, name: *const u8, name_len: u64,
//!   traps: *const TrapSite, trap_count: u64 }` (48 bytes) make up the trap
//!   table the runtime consults on a fault.
//!
//! Symbols the object defines for the runtime: see [`symbols`].

/// Byte sizes and field offsets of the runtime structures.
pub mod size {
    pub const VM_MEMORY: u32 = 32;
    pub const VM_TABLE: u32 = 32;
    pub const VM_FUNC_REF: u32 = 24;
    pub const SEGMENT: u32 = 16;
    pub const GLOBAL: u32 = 16;
    pub const POINTER: u32 = 8;
    pub const FUNC_INFO: u32 = 48;
    pub const TRAP_SITE: u32 = 8;
}

/// Field offsets.
pub mod field {
    pub const MEMORY_BASE: i32 = 0;
    pub const MEMORY_LENGTH: i32 = 8;
    pub const TABLE_BASE: i32 = 0;
    pub const TABLE_LENGTH: i32 = 8;
    pub const FUNC_REF_CODE: i32 = 0;
    pub const FUNC_REF_VMCTX: i32 = 8;
    pub const FUNC_REF_TYPE_ID: i32 = 16;
    pub const SEGMENT_PTR: i32 = 0;
    pub const SEGMENT_LEN: i32 = 8;
}

/// Flag bits of `VMMemory::flags` / `wasmlink_memory_new`.
pub const MEMORY_FLAG_64: u32 = 1;

/// WebAssembly page size.
pub const PAGE_SIZE: u64 = 65536;

/// Names of symbols shared with the runtime.
pub mod symbols {
    /// `extern "C" fn(values: *mut [u8; 16])`: instantiate every instance in
    /// order, then call the entry with arguments from `values` and store its
    /// results there (one 16-byte slot per value).
    pub const PROGRAM_START: &str = "wasmlink_program_start";
    /// `[u8; 8 + P + R]`: the entry's parameter count P and result count R
    /// (`u32` each), then a type code per parameter and result (0 i32,
    /// 1 i64, 2 f32, 3 f64, 4 v128, 5 funcref, 6 externref, 7 other reference).
    pub const ENTRY_SIGNATURE: &str = "wasmlink_entry_signature";
    /// `usize`, writable: generated code traps with `call stack exhausted`
    /// when the stack pointer would go below it. The runtime sets it.
    pub const STACK_LIMIT: &str = "wasmlink_stack_limit";
    /// `[FuncInfo; N]` and `u64 N`: every generated function, for traps.
    pub const FUNC_TABLE: &str = "wasmlink_func_table";
    pub const FUNC_COUNT: &str = "wasmlink_func_count";
    /// `[u8; N]` and `u64 N`: the WASI configuration (see `wasi_config`).
    pub const WASI_CONFIG: &str = "wasmlink_wasi_config";
    pub const WASI_CONFIG_LEN: &str = "wasmlink_wasi_config_len";
}

/// Trap reasons. The runtime prints `wasm trap: <message> in <function>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Trap {
    StackOverflow = 1,
    MemoryOutOfBounds = 2,
    IntegerDivideByZero = 3,
    IntegerOverflow = 4,
    BadConversionToInteger = 5,
    Unreachable = 6,
    TableOutOfBounds = 7,
    UndefinedElement = 8,
    UninitializedElement = 9,
    IndirectCallTypeMismatch = 10,
    NullReference = 11,
    /// An imported memory or table is smaller than the import requires
    /// (checked when instantiating, since memories and tables can grow
    /// before a later instance links to them).
    IncompatibleImport = 12,
}

impl Trap {
    pub const ALL: [Trap; 12] = [
        Trap::StackOverflow,
        Trap::MemoryOutOfBounds,
        Trap::IntegerDivideByZero,
        Trap::IntegerOverflow,
        Trap::BadConversionToInteger,
        Trap::Unreachable,
        Trap::TableOutOfBounds,
        Trap::UndefinedElement,
        Trap::UninitializedElement,
        Trap::IndirectCallTypeMismatch,
        Trap::NullReference,
        Trap::IncompatibleImport,
    ];

    /// The spec's wording (what `assert_trap` expects).
    pub fn message(self) -> &'static str {
        match self {
            Trap::StackOverflow => "call stack exhausted",
            Trap::MemoryOutOfBounds => "out of bounds memory access",
            Trap::IntegerDivideByZero => "integer divide by zero",
            Trap::IntegerOverflow => "integer overflow",
            Trap::BadConversionToInteger => "invalid conversion to integer",
            Trap::Unreachable => "unreachable",
            Trap::TableOutOfBounds => "out of bounds table access",
            Trap::UndefinedElement => "undefined element",
            Trap::UninitializedElement => "uninitialized element",
            Trap::IndirectCallTypeMismatch => "indirect call type mismatch",
            Trap::NullReference => "null reference",
            Trap::IncompatibleImport => "incompatible import type",
        }
    }

    /// The Cranelift trap code generated code uses for this trap.
    pub fn code(self) -> cranelift_codegen::ir::TrapCode {
        use cranelift_codegen::ir::TrapCode;
        match self {
            Trap::StackOverflow => TrapCode::STACK_OVERFLOW,
            Trap::MemoryOutOfBounds => TrapCode::HEAP_OUT_OF_BOUNDS,
            Trap::IntegerDivideByZero => TrapCode::INTEGER_DIVISION_BY_ZERO,
            Trap::IntegerOverflow => TrapCode::INTEGER_OVERFLOW,
            Trap::BadConversionToInteger => TrapCode::BAD_CONVERSION_TO_INTEGER,
            other => TrapCode::unwrap_user(other as u8),
        }
    }

    pub fn from_code(code: cranelift_codegen::ir::TrapCode) -> Option<Trap> {
        Trap::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Runtime functions generated code calls (C convention). Arguments and
/// results are listed as Cranelift types; pointers are `i64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeFn {
    /// `(mem: *mut VMMemory, min_pages: u64, max_pages: u64, flags: u32) -> u32`
    /// reserve and commit a memory; non-zero means it could not be created
    /// (the runtime has already reported why and exits).
    MemoryNew,
    /// `(mem, delta_pages: u64) -> u64` old size in pages, or `u64::MAX`.
    MemoryGrow,
    /// `(mem, dst: u64, val: u32, len: u64) -> u32` 0 ok, 1 out of bounds.
    MemoryFill,
    /// `(dst_mem, src_mem, dst: u64, src: u64, len: u64) -> u32`.
    MemoryCopy,
    /// `(mem, dst: u64, seg: *mut Segment, src: u32, len: u32) -> u32`.
    MemoryInit,
    /// `(table: *mut VMTable, min: u64, max: u64) -> u32` (max = u64::MAX: none).
    TableNew,
    /// `(table, delta: u64, init: u64) -> u64` old size, or `u64::MAX`.
    TableGrow,
    /// `(table, dst: u64, val: u64, len: u64) -> u32`.
    TableFill,
    /// `(dst_table, src_table, dst: u64, src: u64, len: u64) -> u32`.
    TableCopy,
    /// `(table, dst: u64, seg: *mut Segment, src: u32, len: u32) -> u32`.
    TableInit,
}

impl RuntimeFn {
    pub const ALL: [RuntimeFn; 10] = [
        RuntimeFn::MemoryNew,
        RuntimeFn::MemoryGrow,
        RuntimeFn::MemoryFill,
        RuntimeFn::MemoryCopy,
        RuntimeFn::MemoryInit,
        RuntimeFn::TableNew,
        RuntimeFn::TableGrow,
        RuntimeFn::TableFill,
        RuntimeFn::TableCopy,
        RuntimeFn::TableInit,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            RuntimeFn::MemoryNew => "wasmlink_memory_new",
            RuntimeFn::MemoryGrow => "wasmlink_memory_grow",
            RuntimeFn::MemoryFill => "wasmlink_memory_fill",
            RuntimeFn::MemoryCopy => "wasmlink_memory_copy",
            RuntimeFn::MemoryInit => "wasmlink_memory_init",
            RuntimeFn::TableNew => "wasmlink_table_new",
            RuntimeFn::TableGrow => "wasmlink_table_grow",
            RuntimeFn::TableFill => "wasmlink_table_fill",
            RuntimeFn::TableCopy => "wasmlink_table_copy",
            RuntimeFn::TableInit => "wasmlink_table_init",
        }
    }

    /// (parameter types, result types)
    pub fn signature(
        self,
    ) -> (
        &'static [cranelift_codegen::ir::Type],
        &'static [cranelift_codegen::ir::Type],
    ) {
        use cranelift_codegen::ir::types::{I32, I64};
        match self {
            RuntimeFn::MemoryNew => (&[I64, I64, I64, I32], &[I32]),
            RuntimeFn::MemoryGrow => (&[I64, I64], &[I64]),
            RuntimeFn::MemoryFill => (&[I64, I64, I32, I64], &[I32]),
            RuntimeFn::MemoryCopy => (&[I64, I64, I64, I64, I64], &[I32]),
            RuntimeFn::MemoryInit => (&[I64, I64, I64, I32, I32], &[I32]),
            RuntimeFn::TableNew => (&[I64, I64, I64], &[I32]),
            RuntimeFn::TableGrow => (&[I64, I64, I64], &[I64]),
            RuntimeFn::TableFill => (&[I64, I64, I64, I64], &[I32]),
            RuntimeFn::TableCopy => (&[I64, I64, I64, I64, I64], &[I32]),
            RuntimeFn::TableInit => (&[I64, I64, I64, I32, I32], &[I32]),
        }
    }
}
