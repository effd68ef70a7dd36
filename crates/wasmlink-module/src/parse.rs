//! Validation and parsing of one module into a [`ModuleInfo`].

use crate::info::*;
use crate::type_keys::{type_keys, RecGroup};
use std::sync::Arc;
use wasmparser::{
    BinaryReaderError, CompositeInnerType, ElementItems, ElementKind, FuncType,
    FuncValidatorAllocations, KnownCustom, Name, Operator, Parser, Payload, TypeRef, ValidPayload,
    Validator, WasmFeatures,
};

/// Why a module could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The text format did not parse.
    #[error("invalid WebAssembly text: {0}")]
    Wat(String),
    /// The binary is malformed or fails validation.
    #[error("invalid WebAssembly module: {message} (at byte offset {offset:#x})")]
    Invalid { message: String, offset: usize },
    /// The input is a component, which this entry point does not load.
    #[error("this is a WebAssembly component, not a core module")]
    Component,
    /// Validation passed but the module uses something wasmlink cannot
    /// compile (for example GC types).
    #[error("unsupported WebAssembly feature: {0}")]
    Unsupported(String),
}

impl LoadError {
    /// The same error without the quoted source line of a text-format
    /// error: for inputs that were not meant to be text, whose content
    /// should not be printed.
    pub fn without_excerpt(self) -> LoadError {
        match self {
            LoadError::Wat(text) => LoadError::Wat(crate::text_error::without_excerpt(&text)),
            other => other,
        }
    }

    /// Line and column (from 1) of a text-format error.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        match self {
            LoadError::Wat(text) => crate::text_error::place(text),
            _ => None,
        }
    }

    /// Byte offset of a binary error.
    pub fn offset(&self) -> Option<usize> {
        match self {
            LoadError::Invalid { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

impl From<BinaryReaderError> for LoadError {
    fn from(e: BinaryReaderError) -> Self {
        LoadError::Invalid {
            message: e.message().to_string(),
            offset: e.offset() as usize,
        }
    }
}

/// The WebAssembly features wasmlink accepts: Wasm 2.0 (which includes
/// SIMD, bulk memory, reference types, multi-value, sign extension and
/// non-trapping conversions) plus multi-memory, extended-const, tail calls,
/// memory64, relaxed SIMD (each operator lowered to one fixed choice:
/// `wasmlink-codegen`'s `translate/relaxed_simd.rs`), typed function
/// references, threads (atomics and shared memories) and exception
/// handling in both encodings (`try_table`/`exnref` and the legacy
/// `try`/`catch`/`delegate`/`rethrow`).
pub fn supported_features() -> WasmFeatures {
    WasmFeatures::WASM2
        | WasmFeatures::MULTI_MEMORY
        | WasmFeatures::EXTENDED_CONST
        | WasmFeatures::TAIL_CALL
        | WasmFeatures::MEMORY64
        | WasmFeatures::RELAXED_SIMD
        | WasmFeatures::FUNCTION_REFERENCES
        | WasmFeatures::THREADS
        | WasmFeatures::EXCEPTIONS
        | WasmFeatures::LEGACY_EXCEPTIONS
        // Validation as Wasm 3.0 does it (recursion groups of function
        // types, `global.get` of defined globals in constant expressions);
        // what needs a collector is refused when the module is described
        // (struct and array types, declared subtypes) or translated (the
        // GC operators).
        | WasmFeatures::GC
}

/// Accept either the text format or a binary and return the binary. A
/// text-format error quotes the offending line, with control characters
/// escaped and at most [`MAX_LINE`](crate::text_error::MAX_LINE)
/// characters of it.
pub fn parse_wat_or_wasm(bytes: &[u8]) -> Result<Vec<u8>, LoadError> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes.to_vec());
    }
    wat::parse_bytes(bytes)
        .map(|b| b.into_owned())
        .map_err(|e| LoadError::Wat(crate::text_error::sanitize(&e.to_string())))
}

/// Validate `bytes` (a binary core module) with [`supported_features`] and
/// describe it.
pub fn parse_module(bytes: Vec<u8>) -> Result<ModuleInfo, LoadError> {
    parse_module_with(bytes, supported_features())
}

/// Validate `bytes` with exactly `features` (a subset of
/// [`supported_features`]; the spec harness uses this to check that a
/// proposal's features are rejected where they are not enabled).
pub fn parse_module_with(bytes: Vec<u8>, features: WasmFeatures) -> Result<ModuleInfo, LoadError> {
    if bytes.len() >= 8 && bytes.starts_with(b"\0asm") && bytes[4..8] != [1, 0, 0, 0] {
        // Components carry layer 1 in the header; say so plainly instead of
        // letting the core validator report a version mismatch.
        if bytes[6..8] == [1, 0] {
            return Err(LoadError::Component);
        }
    }
    let validation = validate(&bytes, features & supported_features())?;

    let bytes: Arc<[u8]> = bytes.into();
    let mut m = ModuleInfo {
        bytes: bytes.clone(),
        validation,
        ..Default::default()
    };
    let mut groups = Vec::new();
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    let group = group?;
                    let start = m.types.len() as u32;
                    for sub in group.into_types() {
                        let supertype =
                            sub.supertype_idxs.first().and_then(|i| i.as_module_index());
                        let kind = match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                m.types.push(f);
                                TypeKind::Func
                            }
                            CompositeInnerType::Struct(st) => {
                                m.types.push(FuncType::new([], []));
                                TypeKind::Struct(st.fields.into_vec())
                            }
                            CompositeInnerType::Array(a) => {
                                m.types.push(FuncType::new([], []));
                                TypeKind::Array(a.0)
                            }
                            CompositeInnerType::Cont(_) => {
                                return Err(LoadError::Unsupported(
                                    "continuation types (stack switching)".into(),
                                ))
                            }
                        };
                        m.type_defs.push(TypeDef {
                            kind,
                            supertype,
                            is_final: sub.is_final,
                        });
                    }
                    groups.push(RecGroup {
                        start,
                        len: m.types.len() as u32 - start,
                    });
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import?;
                    let (ty, index) = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            m.funcs.push(FuncDecl { type_index: t });
                            m.num_imported_funcs += 1;
                            (
                                ExternType::Func(m.types[t as usize].clone()),
                                m.funcs.len() - 1,
                            )
                        }
                        TypeRef::Table(t) => {
                            m.tables.push(t);
                            m.num_imported_tables += 1;
                            (ExternType::Table(t), m.tables.len() - 1)
                        }
                        TypeRef::Memory(t) => {
                            m.memories.push(t);
                            m.num_imported_memories += 1;
                            (ExternType::Memory(t), m.memories.len() - 1)
                        }
                        TypeRef::Global(t) => {
                            m.globals.push(GlobalDecl { ty: t, init: None });
                            m.num_imported_globals += 1;
                            (ExternType::Global(t), m.globals.len() - 1)
                        }
                        TypeRef::Tag(t) => {
                            m.tags.push(t.func_type_idx);
                            m.num_imported_tags += 1;
                            (
                                ExternType::Tag(m.types[t.func_type_idx as usize].clone()),
                                m.tags.len() - 1,
                            )
                        }
                    };
                    m.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        ty,
                        index: index as u32,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    m.funcs.push(FuncDecl { type_index: t? });
                }
            }
            Payload::TableSection(reader) => {
                for t in reader {
                    let t = t?;
                    let init = match &t.init {
                        wasmparser::TableInit::RefNull => None,
                        wasmparser::TableInit::Expr(e) => Some(const_expr(e)?),
                    };
                    m.table_inits.resize(m.tables.len(), None);
                    m.table_inits.push(init);
                    m.tables.push(t.ty);
                }
            }
            Payload::MemorySection(reader) => {
                for t in reader {
                    m.memories.push(t?);
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g?;
                    m.globals.push(GlobalDecl {
                        ty: g.ty,
                        init: Some(const_expr(&g.init_expr)?),
                    });
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e?;
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                            ExternKind::Func
                        }
                        wasmparser::ExternalKind::Table => ExternKind::Table,
                        wasmparser::ExternalKind::Memory => ExternKind::Memory,
                        wasmparser::ExternalKind::Global => ExternKind::Global,
                        wasmparser::ExternalKind::Tag => ExternKind::Tag,
                    };
                    m.exports.push(Export {
                        name: e.name.to_string(),
                        kind,
                        index: e.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(reader) => {
                for e in reader {
                    m.elements.push(element(e?)?);
                }
            }
            Payload::DataSection(reader) => {
                for d in reader {
                    let d = d?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => DataMode::Active {
                            memory: memory_index,
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    let end = d.range.end as usize;
                    let start = end - d.data.len();
                    m.data.push(DataSegment {
                        mode,
                        range: start..end,
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                m.bodies.push(FuncBody {
                    range: body.range().start as usize..body.range().end as usize,
                });
            }
            Payload::CustomSection(c) => {
                if let KnownCustom::Name(reader) = c.as_known() {
                    // A malformed name section is not an error (the spec
                    // says custom sections never affect validity).
                    for name in reader.into_iter().flatten() {
                        match name {
                            Name::Function(map) => {
                                for n in map.into_iter().flatten() {
                                    m.func_names.push((n.index, n.name.to_string()));
                                }
                            }
                            Name::Tag(map) => {
                                for n in map.into_iter().flatten() {
                                    m.tag_names.push((n.index, n.name.to_string()));
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => {
                return Err(LoadError::Component)
            }
            Payload::TagSection(reader) => {
                for t in reader {
                    m.tags.push(t?.func_type_idx);
                }
            }
            _ => {}
        }
    }
    m.type_keys = type_keys(&m.types, &m.type_defs, &groups);
    Ok(m)
}

/// Validate `bytes` as `Validator::validate_all` does, keeping what a
/// function's validator needs (the translator of a program with GC types
/// runs one in lockstep to learn the type of every operand).
fn validate(bytes: &[u8], features: WasmFeatures) -> Result<Option<FuncValidation>, LoadError> {
    let mut validator = Validator::new_with_features(features);
    let mut parser = Parser::new(0);
    parser.set_features(features);
    // Bodies are validated after the whole module, so an error in a later
    // section is reported first (as `Validator::validate_all` does).
    let mut functions = Vec::new();
    for payload in parser.parse_all(bytes) {
        if let ValidPayload::Func(func, body) = validator.payload(&payload?)? {
            functions.push((func, body));
        }
    }
    let kept = functions.first().map(|(func, _)| FuncValidation {
        resources: func.resources.clone(),
        features: func.features,
    });
    let mut allocs = FuncValidatorAllocations::default();
    for (func, body) in functions {
        let mut v = func.into_validator(allocs);
        v.validate(&body)?;
        allocs = v.into_allocations();
    }
    Ok(kept)
}

fn element(e: wasmparser::Element<'_>) -> Result<ElementSegment, LoadError> {
    let mode = match e.kind {
        ElementKind::Passive => ElementMode::Passive,
        ElementKind::Declared => ElementMode::Declared,
        ElementKind::Active {
            table_index,
            offset_expr,
        } => ElementMode::Active {
            table: table_index.unwrap_or(0),
            offset: const_expr(&offset_expr)?,
        },
    };
    let (ty, items) = match e.items {
        ElementItems::Functions(r) => {
            let mut items = Vec::new();
            for f in r {
                items.push(ConstExpr(vec![ConstOp::RefFunc(f?)]));
            }
            (wasmparser::RefType::FUNCREF, items)
        }
        ElementItems::Expressions(ty, r) => {
            let mut items = Vec::new();
            for expr in r {
                items.push(const_expr(&expr?)?);
            }
            (ty, items)
        }
    };
    Ok(ElementSegment { mode, ty, items })
}

fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, LoadError> {
    let mut ops = Vec::new();
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        let op = match reader.read()? {
            Operator::I32Const { value } => ConstOp::I32Const(value),
            Operator::I64Const { value } => ConstOp::I64Const(value),
            Operator::F32Const { value } => ConstOp::F32Const(value.bits()),
            Operator::F64Const { value } => ConstOp::F64Const(value.bits()),
            Operator::V128Const { value } => ConstOp::V128Const(*value.bytes()),
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::RefNull { hty } => ConstOp::RefNull(
                wasmparser::RefType::new(true, hty)
                    .ok_or_else(|| LoadError::Unsupported("reference type".into()))?,
            ),
            Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            Operator::RefI31 => ConstOp::RefI31,
            Operator::StructNew { struct_type_index } => ConstOp::StructNew(struct_type_index),
            Operator::StructNewDefault { struct_type_index } => {
                ConstOp::StructNewDefault(struct_type_index)
            }
            Operator::ArrayNew { array_type_index } => ConstOp::ArrayNew(array_type_index),
            Operator::ArrayNewDefault { array_type_index } => {
                ConstOp::ArrayNewDefault(array_type_index)
            }
            Operator::ArrayNewFixed {
                array_type_index,
                array_size,
            } => ConstOp::ArrayNewFixed(array_type_index, array_size),
            Operator::AnyConvertExtern => ConstOp::AnyConvertExtern,
            Operator::ExternConvertAny => ConstOp::ExternConvertAny,
            Operator::End => continue,
            other => {
                return Err(LoadError::Unsupported(format!(
                    "constant expression operator {other:?}"
                )))
            }
        };
        ops.push(op);
    }
    Ok(ConstExpr(ops))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(wat: &str) -> Result<ModuleInfo, LoadError> {
        parse_module(parse_wat_or_wasm(wat.as_bytes())?)
    }

    #[test]
    fn index_spaces_put_imports_first() {
        let m = load(
            r#"(module
                (import "env" "f" (func (param i32)))
                (import "env" "mem" (memory 1))
                (func (export "g") (result i32) i32.const 7)
                (global (mut i64) (i64.const 3))
                (data (i32.const 8) "hi")
                (func $init)
                (start $init))"#,
        )
        .unwrap();
        assert_eq!(m.num_imported_funcs, 1);
        assert_eq!(m.funcs.len(), 3);
        assert_eq!(m.bodies.len(), 2);
        assert_eq!(m.num_imported_memories, 1);
        assert_eq!(m.export("g").unwrap().index, 1);
        assert_eq!(m.start, Some(2));
        assert_eq!(&m.bytes[m.data[0].range.clone()], b"hi");
        assert_eq!(
            m.globals[0].init,
            Some(ConstExpr(vec![ConstOp::I64Const(3)]))
        );
        assert_eq!(m.wasi_memory(), Some(0));
        assert_eq!(m.func_display_name(1), "g");
    }

    #[test]
    fn invalid_module_reports_offset() {
        let err = load("(module (func (result i32)))").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("type mismatch"), "{text}");
        assert!(text.contains("byte offset"), "{text}");
    }

    #[test]
    fn garbage_is_rejected_not_panicking() {
        let err = parse_module(b"\0asm\x01\0\0\0\x01\xff".to_vec()).unwrap_err();
        assert!(matches!(err, LoadError::Invalid { .. }));
    }
}
