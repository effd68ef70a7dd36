//! The output of the compile stage: everything the object file will hold.

use crate::symbols::{DataDecl, FunctionDecl};
use cranelift_module::ModuleReloc;
use wasmlink_abi::gc::StackMap;
use wasmlink_abi::{CallSite, CatchHandler, Trap};

/// A reference to a symbol of the program, by its index in
/// [`Program::functions`] or [`Program::data`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolRef {
    Func(usize),
    Data(usize),
}

/// An absolute 64-bit address written into a data object at load time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataReloc {
    pub offset: u32,
    pub target: SymbolRef,
    pub addend: i64,
}

/// Contents of one data object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataObject {
    pub decl: DataDecl,
    pub align: u64,
    pub bytes: Vec<u8>,
    pub relocs: Vec<DataReloc>,
}

/// Machine code of one function.
#[derive(Clone)]
pub struct CompiledFunction {
    /// Index into [`Program::functions`].
    pub func: usize,
    /// `source::function`, for trap messages.
    pub display_name: String,
    pub bytes: Vec<u8>,
    pub alignment: u64,
    pub relocs: Vec<ModuleReloc>,
    /// Every instruction that can trap.
    pub traps: Vec<TrapRecord>,
    /// The calls with exception handlers, by return offset, and their
    /// handlers (`CallSite::first_handler` indexes `handlers`).
    pub call_sites: Vec<CallSite>,
    pub handlers: Vec<CatchHandler>,
    /// The safepoints with live GC references, by return offset, and
    /// the frame-slot offsets they index (`StackMap::first_slot`).
    pub stack_maps: Vec<StackMap>,
    pub stack_slots: Vec<u32>,
}

/// An instruction of a compiled function that can trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrapRecord {
    /// Code offset from the start of the function.
    pub offset: u32,
    pub trap: Trap,
    /// The function symbol the instruction was inlined from (the function
    /// a trap message names), or `None` for the function's own code.
    pub origin: Option<usize>,
}

/// A whole compiled program, in a fixed order (independent of how many
/// threads compiled it).
#[derive(Clone)]
pub struct Program {
    /// Every function symbol; imports are implemented by the runtime.
    pub functions: Vec<FunctionDecl>,
    /// Every data object, with contents.
    pub data: Vec<DataObject>,
    /// Code of every defined function, ordered by `func`.
    pub code: Vec<CompiledFunction>,
}
