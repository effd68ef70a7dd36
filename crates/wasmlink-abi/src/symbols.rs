//! The symbols the generated object defines for the runtime, as one list
//! of rows: the compiler takes their names from [`symbols`](self), the
//! runtime declares them (`extern "C"`) from the same rows, with the Rust
//! types it reads them as.

/// Expand `$mac!` with the object's symbols in three groups:
///
/// ```text
/// functions { $(#[doc])* CONST = symbol(param: RustType, …); … }
/// data      { $(#[doc])* CONST = symbol: RustType; … }   // read-only
/// writable  { $(#[doc])* CONST = symbol: RustType; … }   // the runtime writes it
/// ```
///
/// Tables of variable length are declared as zero-length arrays; the
/// count that goes with each says how many elements follow.
#[macro_export]
macro_rules! foreach_object_symbol {
    ($mac:ident) => {
        $mac! {
            functions {
                /// C convention: instantiate every instance in graph order,
                /// then call the entry with the arguments in `values` and
                /// store its results there (one slot per value; as many
                /// slots as the larger of the two counts, at least one).
                PROGRAM_START = wasmlink_program_start(values: *mut $crate::ValueSlot);
            }
            data {
                /// The entry's signature: `u32` parameter count P, `u32`
                /// result count R (little-endian), then P + R
                /// `wasmlink_abi::ValueType` codes, one byte each.
                /// Declared as its 8-byte header; the codes follow it.
                ENTRY_SIGNATURE = wasmlink_entry_signature: [u8; 8];
                /// One `wasmlink_abi::FuncInfo` per generated function
                /// (`FUNC_COUNT` of them), for trap reports.
                FUNC_TABLE = wasmlink_func_table: [$crate::FuncInfo; 0];
                FUNC_COUNT = wasmlink_func_count: u64;
                /// The WASI configuration records (see `wasmlink_abi::config`),
                /// `WASI_CONFIG_LEN` bytes.
                WASI_CONFIG = wasmlink_wasi_config: [u8; 0];
                WASI_CONFIG_LEN = wasmlink_wasi_config_len: u64;
                /// The embedded files (`wasmlink_abi::embed`): the blob in
                /// the assets object, or null and 0 when there is none.
                EMBEDDED = wasmlink_embedded: $crate::embed::EmbeddedBlob;
                /// 1 in an executable built for the spec-test harness
                /// (`wasmlink wast`), which serves commands instead of
                /// running an entry; 0 otherwise. The harness tables below
                /// are empty when it is 0.
                HARNESS_MODE = wasmlink_harness_mode: u64;
                /// Per instance (`HARNESS_INSTANCE_COUNT`), C convention: run
                /// its instantiation.
                HARNESS_INSTANTIATE = wasmlink_harness_instantiate: [unsafe extern "C" fn(); 0];
                HARNESS_INSTANCE_COUNT = wasmlink_harness_instance_count: u64;
                /// Per exported function (`HARNESS_INVOKE_COUNT`), C
                /// convention: call it with arguments from the value slots
                /// and store its results there (with, for a result that
                /// refers to a heap object, the object's kind at
                /// `gc::HARNESS_RESULT_KIND_OFFSET` of its slot).
                HARNESS_INVOKE = wasmlink_harness_invoke: [unsafe extern "C" fn(*mut $crate::ValueSlot); 0];
                /// Per exported function: `[parameter count, result count]`.
                HARNESS_INVOKE_ARITY = wasmlink_harness_invoke_arity: [[u32; 2]; 0];
                HARNESS_INVOKE_COUNT = wasmlink_harness_invoke_count: u64;
                /// Per exported global (`HARNESS_GLOBAL_COUNT`): its storage.
                HARNESS_GLOBALS = wasmlink_harness_globals: [*const $crate::VMGlobal; 0];
                /// Per exported global: its `wasmlink_abi::ValueType` code.
                HARNESS_GLOBAL_TYPES = wasmlink_harness_global_types: [u32; 0];
                HARNESS_GLOBAL_COUNT = wasmlink_harness_global_count: u64;
                /// The globals and tables the collector scans for roots
                /// (`wasmlink_abi::gc::GcRoots`); empty lists in a program
                /// without GC references.
                GC_ROOTS = wasmlink_gc_roots: $crate::gc::GcRoots;
            }
            writable {
                /// Generated code traps with `call stack exhausted` when the
                /// stack pointer would go below it (every vmctx points here);
                /// the runtime sets it for the thread that runs wasm.
                STACK_LIMIT = wasmlink_stack_limit: usize;
            }
        }
    };
}

/// Define the name constants from the rows.
macro_rules! define_symbol_names {
    (
        functions { $( $(#[$fdoc:meta])* $fconst:ident = $fsym:ident ( $($p:ident : $pt:ty),* ); )* }
        data { $( $(#[$ddoc:meta])* $dconst:ident = $dsym:ident : $dt:ty; )* }
        writable { $( $(#[$wdoc:meta])* $wconst:ident = $wsym:ident : $wt:ty; )* }
    ) => {
        $( $(#[$fdoc])* pub const $fconst: &str = stringify!($fsym); )*
        $( $(#[$ddoc])* pub const $dconst: &str = stringify!($dsym); )*
        $( $(#[$wdoc])* pub const $wconst: &str = stringify!($wsym); )*
    };
}

foreach_object_symbol!(define_symbol_names);

/// The runtime's GC heap, which generated code allocates from inline: a
/// `wasmlink_abi::gc::GcAllocState` at its start (defined by the runtime,
/// not by the object).
pub const GC_HEAP: &str = "wasmlink_gc_heap";

/// The harness tables, in the order the compiler lays them out.
pub const HARNESS_TABLES: [&str; 9] = [
    HARNESS_MODE,
    HARNESS_INSTANTIATE,
    HARNESS_INSTANCE_COUNT,
    HARNESS_INVOKE,
    HARNESS_INVOKE_ARITY,
    HARNESS_INVOKE_COUNT,
    HARNESS_GLOBALS,
    HARNESS_GLOBAL_TYPES,
    HARNESS_GLOBAL_COUNT,
];
