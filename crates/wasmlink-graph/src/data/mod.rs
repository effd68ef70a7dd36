//! Data sources: `{"bytes": FILE}`, `{"json": FILE}` and inline
//! `{"json": VALUE}`. Each becomes a small core module generated when the
//! graph is loaded and compiled with everything else:
//!
//! - `memory`: the content at offset 0 (the fewest 64 KiB pages that hold
//!   it). Every instance has its own, so writes through one instance's
//!   memory are not seen by another;
//! - `len`: an immutable `i32` global, the content's length in bytes;
//! - `read(dst: i32, offset: i32, len: i32)`: copies bytes
//!   `offset..offset+len` of the content into the memory of the instance
//!   that calls it (its `memory` export, else its memory 0, as for WASI
//!   calls), and traps with an out-of-bounds access when that range is not
//!   within the content or the destination not within the caller's memory.
//!
//! The caller's memory is bound when the graph is resolved: an import of
//! `read` is bound not to the data module's own `read` (which copies
//! within the data memory; only a spec-test harness, which calls exports
//! directly, reaches it) but to a *reader*, a generated instance that imports the data memory,
//! the caller's memory and `len` and copies between the two memories
//! (`resolve/data_read.rs`).

pub mod canonical_json;

use crate::error::GraphError;
use crate::input_file;
use crate::manifest::json_error_parts;
use crate::sources::{absolute, locate, Code, LoadedSource};
use canonical_json::CanonicalJson;
use std::path::Path;
use wasm_encoder::{
    CodeSection, ConstExpr, DataSection, EntityType, ExportKind, ExportSection, Function,
    FunctionSection, GlobalSection, GlobalType, ImportSection, Instruction, MemArg, MemArgTarget,
    MemorySection, MemoryType, Module, NameMap, NameSection, TypeSection, ValType,
};
use wasmlink_module::{parse_module, wasmparser};

/// The largest data source ([`input_file::MAX_DATA_BYTES`], 256 MiB): its
/// bytes are held several times while the graph is built (file, module,
/// compiled image), so the limit is lower than a module's; larger files
/// belong in embedded assets.
use input_file::MAX_DATA_BYTES;

/// The exports of a data module.
pub const LEN_EXPORT: &str = "len";
pub const READ_EXPORT: &str = "read";
pub const MEMORY_EXPORT: &str = "memory";

/// What a data source holds, as the manifest says it.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSpec {
    /// `{"bytes": FILE}`: the file's bytes as they are.
    Bytes(String),
    /// `{"json": FILE}`: a JSON file, stored canonicalised.
    JsonFile(String),
    /// `{"json": VALUE}` with any value but a string: stored canonicalised.
    JsonInline(CanonicalJson),
}

impl DataSpec {
    /// The manifest key of the form (`bytes` or `json`).
    pub fn kind(&self) -> &'static str {
        match self {
            DataSpec::Bytes(_) => "bytes",
            DataSpec::JsonFile(_) | DataSpec::JsonInline(_) => "json",
        }
    }
}

/// Load data source `name` (file paths relative to `base`).
pub(crate) fn load_data(
    name: &str,
    spec: &DataSpec,
    base: &Path,
) -> Result<LoadedSource, GraphError> {
    let referrer = format!("source \"{name}\"");
    let (content, label, path, canonical) = match spec {
        DataSpec::Bytes(file) | DataSpec::JsonFile(file) => {
            let found = locate(&referrer, file, base)?;
            let bytes = input_file::read(&found.canonical, input_file::InputKind::Data).map_err(
                |error| GraphError::MissingFile {
                    referrer: referrer.clone(),
                    written: file.clone(),
                    resolved: absolute(&found.path),
                    error,
                },
            )?;
            let content = match spec {
                DataSpec::JsonFile(_) => CanonicalJson::parse(&bytes)
                    .map_err(|e| {
                        let (line, column, message) = json_error_parts(&e);
                        GraphError::InvalidJson {
                            source_name: name.to_string(),
                            file: absolute(&found.path),
                            line,
                            column,
                            message,
                        }
                    })?
                    .text()
                    .into_bytes(),
                _ => bytes,
            };
            let label = format!("{} {file}, {} bytes", spec.kind(), content.len());
            (content, label, Some(found.path), Some(found.canonical))
        }
        DataSpec::JsonInline(value) => {
            let content = value.text().into_bytes();
            let label = format!("inline json, {} bytes", content.len());
            (content, label, None, None)
        }
    };
    // Canonical JSON can be a little longer than its text (`-0` is
    // `-0.0`), so the limit is checked again on what is stored.
    if content.len() as u64 > MAX_DATA_BYTES {
        return Err(GraphError::InvalidData {
            source_name: name.to_string(),
            file: label,
            message: format!(
                "its content is {} bytes, more than the {MAX_DATA_BYTES} bytes a data source may hold",
                content.len()
            ),
        });
    }
    let module = parse_module(data_module(name, &content))
        .map_err(|e| internal(name, &label, e.to_string()))?;
    let dir = path
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(base)
        .to_path_buf();
    let mut source = LoadedSource::new(
        name,
        label,
        path,
        dir,
        canonical,
        Code::Module(Box::new(module)),
    );
    source.data = true;
    Ok(source)
}

fn internal(name: &str, label: &str, message: String) -> GraphError {
    GraphError::InvalidData {
        source_name: name.to_string(),
        file: label.to_string(),
        message: format!("internal error: its generated module is invalid: {message}"),
    }
}

const PAGE: u64 = 65536;

/// The type of `read`.
fn read_type(types: &mut TypeSection) {
    types.ty().function([ValType::I32; 3], []);
}

/// The body of `read`: check the range against the `len` global, then
/// copy from memory `data` to memory `caller`.
fn read_body(data: u32, caller: u32, len_global: u32) -> Function {
    let mut f = Function::new([]);
    let (dst, offset, len) = (0, 1, 2);
    f.instruction(&Instruction::LocalGet(offset))
        .instruction(&Instruction::I64ExtendI32U)
        .instruction(&Instruction::LocalGet(len))
        .instruction(&Instruction::I64ExtendI32U)
        .instruction(&Instruction::I64Add)
        .instruction(&Instruction::GlobalGet(len_global))
        .instruction(&Instruction::I64ExtendI32U)
        .instruction(&Instruction::I64GtU)
        .instruction(&Instruction::If(wasm_encoder::BlockType::Empty))
        // Past the content (even within its last page): the out-of-bounds
        // trap an access past a memory gives. No memory reaches 8 GiB, so
        // this load always traps.
        .instruction(&Instruction::I32Const(-1))
        .instruction(&Instruction::I32Load(MemArg {
            offset: u64::from(u32::MAX),
            align: 0,
            target: MemArgTarget::Memory(data),
            ordering: None,
        }))
        .instruction(&Instruction::Drop)
        .instruction(&Instruction::End)
        .instruction(&Instruction::LocalGet(dst))
        .instruction(&Instruction::LocalGet(offset))
        .instruction(&Instruction::LocalGet(len))
        .instruction(&Instruction::MemoryCopy {
            src_mem: data,
            dst_mem: caller,
        })
        .instruction(&Instruction::End);
    f
}

fn names(module: &mut Module, module_name: &str) {
    let mut names = NameSection::new();
    names.module(module_name);
    let mut funcs = NameMap::new();
    funcs.append(0, READ_EXPORT);
    names.functions(&funcs);
    module.section(&names);
}

/// The module of a data source holding `content`.
pub(crate) fn data_module(name: &str, content: &[u8]) -> Vec<u8> {
    let mut types = TypeSection::new();
    read_type(&mut types);
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: (content.len() as u64).div_ceil(PAGE),
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut globals = GlobalSection::new();
    globals.global(
        GlobalType {
            val_type: ValType::I32,
            mutable: false,
            shared: false,
        },
        // At most MAX_DATA_BYTES: fits an i32.
        &ConstExpr::i32_const(content.len() as i32),
    );
    let mut exports = ExportSection::new();
    exports.export(MEMORY_EXPORT, ExportKind::Memory, 0);
    exports.export(LEN_EXPORT, ExportKind::Global, 0);
    exports.export(READ_EXPORT, ExportKind::Func, 0);
    let mut code = CodeSection::new();
    code.function(&read_body(0, 0, 0));
    let mut data = DataSection::new();
    if !content.is_empty() {
        data.active(0, &ConstExpr::i32_const(0), content.iter().copied());
    }
    let mut module = Module::new();
    module
        .section(&types)
        .section(&funcs)
        .section(&memories)
        .section(&globals)
        .section(&exports)
        .section(&code)
        .section(&data);
    names(&mut module, name);
    module.finish()
}

/// The import module names of a reader.
pub(crate) const READER_DATA: &str = "data";
pub(crate) const READER_CALLER: &str = "caller";

/// A reader: `read` copying from an imported data memory (import 0) into
/// an imported caller memory of type `caller` (import 1), bounded by an
/// imported `len` (import 2). Only the caller memory's type varies.
pub(crate) fn reader_module(caller: &wasmparser::MemoryType) -> Vec<u8> {
    let mut types = TypeSection::new();
    read_type(&mut types);
    let mut imports = ImportSection::new();
    imports.import(
        READER_DATA,
        MEMORY_EXPORT,
        EntityType::Memory(MemoryType {
            minimum: 0,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        }),
    );
    imports.import(
        READER_CALLER,
        MEMORY_EXPORT,
        EntityType::Memory(MemoryType {
            minimum: 0,
            maximum: caller.maximum,
            memory64: caller.memory64,
            shared: caller.shared,
            page_size_log2: caller.page_size_log2,
        }),
    );
    imports.import(
        READER_DATA,
        LEN_EXPORT,
        EntityType::Global(GlobalType {
            val_type: ValType::I32,
            mutable: false,
            shared: false,
        }),
    );
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    let mut exports = ExportSection::new();
    exports.export(READ_EXPORT, ExportKind::Func, 0);
    let mut code = CodeSection::new();
    code.function(&read_body(0, 1, 0));
    let mut module = Module::new();
    module
        .section(&types)
        .section(&imports)
        .section(&funcs)
        .section(&exports)
        .section(&code);
    names(&mut module, "reader");
    module.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmlink_module::ExternKind;

    #[test]
    fn a_data_module_exports_memory_len_and_read() {
        let m = parse_module(data_module("d", b"hello")).unwrap();
        let kinds: Vec<(&str, ExternKind)> = m
            .exports
            .iter()
            .map(|e| (e.name.as_str(), e.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("memory", ExternKind::Memory),
                ("len", ExternKind::Global),
                ("read", ExternKind::Func)
            ]
        );
        assert_eq!(m.memories[0].initial, 1);
        let m = parse_module(data_module("d", &vec![7; 65537])).unwrap();
        assert_eq!(m.memories[0].initial, 2);
        let m = parse_module(data_module("d", b"")).unwrap();
        assert_eq!(m.memories[0].initial, 0);
    }

    #[test]
    fn a_reader_validates_for_plain_and_shared_callers() {
        for caller in [
            wasmparser::MemoryType {
                memory64: false,
                shared: false,
                initial: 1,
                maximum: None,
                page_size_log2: None,
            },
            wasmparser::MemoryType {
                memory64: false,
                shared: true,
                initial: 1,
                maximum: Some(10),
                page_size_log2: None,
            },
        ] {
            let m = parse_module(reader_module(&caller)).unwrap();
            assert_eq!(m.num_imported_memories, 2);
        }
    }
}
