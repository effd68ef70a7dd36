//! Where each piece of an instance's state lives inside its vmctx.
//!
//! Every instance has one static, writable vmctx object in the executable.
//! All instances of a source share one layout (the code is shared), so the
//! layout depends only on the [`ModuleInfo`]. Defined memories, tables and
//! globals are stored inline; imported ones are a pointer to the defining
//! instance's inline storage, filled in by the linker through relocations.
//! Each function of the index space has a `VMFuncRef` slot (imports hold a
//! copy of the callee's), which is what `ref.func`, tables and dynamic
//! linking use.

use wasmlink_abi::{field, size};
use wasmlink_module::{ExternKind, ModuleInfo};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmLayout {
    /// Offset of the pointer to the program's stack-limit cell (Cranelift
    /// reads stack limits through the vmctx).
    pub stack_limit: u32,
    /// Offset of each memory: inline `VMMemory` if defined, pointer if imported.
    pub memories: Vec<u32>,
    pub tables: Vec<u32>,
    pub globals: Vec<u32>,
    /// Offset of `VMFuncRef` slot 0; slot i is at
    /// `funcrefs + size::VM_FUNC_REF * i`.
    pub funcrefs: u32,
    /// Offset of the `Segment` of each data segment.
    pub data_segments: Vec<u32>,
    pub elem_segments: Vec<u32>,
    /// Offset of each tag's slot: a pointer to the defining instance's
    /// `TagInfo` (whose address is the tag's identity).
    pub tags: Vec<u32>,
    /// Offset of the inline `TagInfo` of each defined tag (by tag index;
    /// `None` for imported tags).
    pub tag_infos: Vec<Option<u32>>,
    pub num_imported_memories: u32,
    pub num_imported_tables: u32,
    pub num_imported_globals: u32,
    pub size: u32,
}

impl VmLayout {
    pub fn new(m: &ModuleInfo) -> VmLayout {
        let stack_limit = field::VMCTX_STACK_LIMIT as u32;
        let mut size = size::VMCTX_HEADER;
        let mut place = |imported: bool, inline: u32| {
            let at = size;
            size += if imported { size::POINTER } else { inline };
            at
        };
        let memories = (0..m.memories.len() as u32)
            .map(|i| place(m.is_imported(ExternKind::Memory, i), size::VM_MEMORY))
            .collect();
        let tables = (0..m.tables.len() as u32)
            .map(|i| place(m.is_imported(ExternKind::Table, i), size::VM_TABLE))
            .collect();
        // A global may hold a v128: keep globals aligned.
        size = size.next_multiple_of(size::GLOBAL_ALIGN);
        let mut place = |imported: bool, inline: u32| {
            let at = size;
            size += if imported { size::POINTER } else { inline };
            at
        };
        let globals = (0..m.globals.len() as u32)
            .map(|i| place(m.is_imported(ExternKind::Global, i), size::GLOBAL))
            .collect();
        size = size.next_multiple_of(size::POINTER);
        let funcrefs = size;
        size += size::VM_FUNC_REF * m.funcs.len() as u32;
        let data_segments = (0..m.data.len() as u32)
            .map(|i| size + i * size::SEGMENT)
            .collect();
        size += size::SEGMENT * m.data.len() as u32;
        let elem_segments = (0..m.elements.len() as u32)
            .map(|i| size + i * size::SEGMENT)
            .collect();
        size += size::SEGMENT * m.elements.len() as u32;
        let mut tags = Vec::with_capacity(m.tags.len());
        let mut tag_infos = Vec::with_capacity(m.tags.len());
        for i in 0..m.tags.len() as u32 {
            tags.push(size);
            size += size::POINTER;
            if m.is_imported(ExternKind::Tag, i) {
                tag_infos.push(None);
            } else {
                tag_infos.push(Some(size));
                size += size::TAG_INFO;
            }
        }
        VmLayout {
            stack_limit,
            memories,
            tables,
            globals,
            funcrefs,
            data_segments,
            elem_segments,
            tags,
            tag_infos,
            num_imported_memories: m.num_imported_memories,
            num_imported_tables: m.num_imported_tables,
            num_imported_globals: m.num_imported_globals,
            size: size.max(16),
        }
    }

    pub fn funcref(&self, func_index: u32) -> u32 {
        self.funcrefs + size::VM_FUNC_REF * func_index
    }

    /// Offset of the inline `TagInfo` of the defined tag `index`.
    pub fn tag_info(&self, index: u32) -> u32 {
        self.tag_infos[index as usize].expect("only defined tags have a TagInfo")
    }

    pub fn memory_is_imported(&self, index: u32) -> bool {
        index < self.num_imported_memories
    }

    pub fn table_is_imported(&self, index: u32) -> bool {
        index < self.num_imported_tables
    }

    pub fn global_is_imported(&self, index: u32) -> bool {
        index < self.num_imported_globals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmlink_module::{parse_module, parse_wat_or_wasm};

    #[test]
    fn imported_items_take_a_pointer_defined_take_inline_storage() {
        let m = parse_module(
            parse_wat_or_wasm(
                br#"(module
                (import "a" "m" (memory 1))
                (import "a" "g" (global i32))
                (memory 1)
                (global (mut i64) (i64.const 0))
                (func) (func)
                (data "x"))"#,
            )
            .unwrap(),
        )
        .unwrap();
        let l = VmLayout::new(&m);
        assert_eq!(l.stack_limit, 0);
        assert_eq!(l.memories, vec![8, 16]);
        assert_eq!(l.globals, vec![48, 56]);
        assert_eq!(l.funcrefs, 72);
        assert_eq!(l.funcref(1), 96);
        assert_eq!(l.data_segments, vec![120]);
        assert_eq!(l.size, 136);
    }
}
