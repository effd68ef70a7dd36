//! The emit stage. It owns the relocatable object file: it declares every
//! symbol of a compiled [`Program`] in the program's order (so symbol
//! numbers in the generated code are the object's own), writes the code and
//! the data objects with their relocations, and adds the function and trap
//! tables the runtime consults when a fault happens (`wasmlink_func_table`,
//! `wasmlink_func_count`). The result is an ELF object for the system linker.
//! A program that embeds files gets a second object, written by
//! [`write_assets`] straight to a file: the blob of its embedded files.

mod assets;
mod func_table;

pub use assets::write_assets;

use cranelift_codegen::ir::Signature;
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_module::{default_libcall_names, DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use std::mem::align_of;
use wasmlink_abi::symbols;
use wasmlink_codegen::symbols::Linkage as SymLinkage;
use wasmlink_codegen::{Program, SymbolRef};

/// Why the object could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("could not write the object file: {0}")]
    Module(String),
    /// A file to embed could not be copied into the assets object.
    #[error("cannot embed {}: {problem}", path.display())]
    Embed {
        path: std::path::PathBuf,
        problem: String,
    },
    /// The assets object could not be written.
    #[error("could not write the embedded files to {}: {error}", path.display())]
    AssetsIo {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
}

fn module_err(e: impl std::fmt::Display) -> EmitError {
    EmitError::Module(e.to_string())
}

fn linkage(l: SymLinkage) -> Linkage {
    match l {
        SymLinkage::Import => Linkage::Import,
        SymLinkage::Local => Linkage::Local,
        SymLinkage::Export => Linkage::Export,
    }
}

/// What the object calls the symbols of generated functions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SymbolNames {
    /// wasmlink's internal names (`__wl_s0_f3`): unique, and all the
    /// linker needs. The default, since a stripped executable drops them.
    #[default]
    Internal,
    /// Each function's Wasm name (`lib::div`, the name a trap shows), for
    /// an executable that keeps its symbol table (`-g`), so `perf`, `gdb`
    /// and `nm` show Wasm names. These are local symbols, which may repeat
    /// (two functions a name section calls alike); exported symbols the
    /// runtime looks up keep their names.
    Wasm,
}

/// Write `program` as an ELF relocatable object.
pub fn emit_object(
    program: &Program,
    isa: OwnedTargetIsa,
    names: SymbolNames,
) -> Result<Vec<u8>, EmitError> {
    let builder =
        ObjectBuilder::new(isa, "wasmlink", default_libcall_names()).map_err(module_err)?;
    let mut module = ObjectModule::new(builder);
    let any_sig = Signature::new(CallConv::SystemV);
    for (i, f) in program.functions.iter().enumerate() {
        let id = module
            .declare_function(&f.name, linkage(f.linkage), &any_sig)
            .map_err(module_err)?;
        if id.as_u32() as usize != i {
            return Err(EmitError::Module(format!(
                "symbol {} declared out of order",
                f.name
            )));
        }
    }
    for (i, d) in program.data.iter().enumerate() {
        let id = module
            .declare_data(
                &d.decl.name,
                linkage(d.decl.linkage),
                d.decl.writable,
                false,
            )
            .map_err(module_err)?;
        if id.as_u32() as usize != i {
            return Err(EmitError::Module(format!(
                "symbol {} declared out of order",
                d.decl.name
            )));
        }
    }

    for c in &program.code {
        module
            .define_function_bytes(
                FuncId::from_u32(c.func as u32),
                c.alignment,
                &c.bytes,
                &c.relocs,
            )
            .map_err(module_err)?;
    }
    for (i, d) in program.data.iter().enumerate() {
        if d.decl.linkage == SymLinkage::Import {
            // Defined by another object of the link (the assets object).
            continue;
        }
        let mut desc = DataDescription::new();
        desc.define(d.bytes.clone().into_boxed_slice());
        desc.set_align(d.align);
        if let Some(section) = d.decl.section {
            desc.set_custom_section(section);
        }
        for r in &d.relocs {
            match r.target {
                SymbolRef::Func(f) => {
                    let fr = module.declare_func_in_data(FuncId::from_u32(f as u32), &mut desc);
                    desc.write_function_addr(r.offset, fr);
                }
                SymbolRef::Data(t) => {
                    let gv = module.declare_data_in_data(DataId::from_u32(t as u32), &mut desc);
                    desc.write_data_addr(r.offset, gv, r.addend);
                }
            }
        }
        module
            .define_data(DataId::from_u32(i as u32), &desc)
            .map_err(module_err)?;
    }
    let func_table = func_table::define_trap_arrays(&mut module, program)?;
    emit_empty_gc_roots(&mut module, program)?;
    let mut product = module.finish();
    func_table.write(&mut product)?;
    if names == SymbolNames::Wasm {
        // Relocations refer to symbols by id, so renaming a local symbol
        // after the fact changes only what the symbol table shows.
        for c in &program.code {
            if program.functions[c.func].linkage == SymLinkage::Local {
                let id = product.function_symbol(FuncId::from_u32(c.func as u32));
                product.object.symbol_mut(id).name = c.display_name.clone().into_bytes();
            }
        }
    }
    product.emit().map_err(module_err)
}

/// `wasmlink_gc_roots` with no globals and no tables, unless the program
/// defines it: the runtime's collector reads it (`wasmlink_abi::gc`).
fn emit_empty_gc_roots(module: &mut ObjectModule, program: &Program) -> Result<(), EmitError> {
    if program
        .data
        .iter()
        .any(|d| d.decl.name == symbols::GC_ROOTS)
    {
        return Ok(());
    }
    let id = module
        .declare_data(symbols::GC_ROOTS, Linkage::Export, false, false)
        .map_err(module_err)?;
    let mut desc = DataDescription::new();
    let size = size_of::<wasmlink_abi::gc::GcRoots>();
    desc.define(vec![0u8; size].into_boxed_slice());
    desc.set_align(align_of::<wasmlink_abi::gc::GcRoots>() as u64);
    module.define_data(id, &desc).map_err(module_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use object::{Object, ObjectSymbol};
    use wasmlink_codegen::{compile_graph, target_isa, CompileOptions};

    fn object_for(wat: &str) -> Vec<u8> {
        object_named(wat, SymbolNames::Internal)
    }

    fn object_named(wat: &str, names: SymbolNames) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("main.wat");
        std::fs::write(&path, wat).expect("write module");
        let resolved = wasmlink_graph::load_graph(&path, &Default::default()).expect("graph");
        let isa = target_isa().expect("isa");
        let program =
            compile_graph(&resolved.graph, &*isa, &CompileOptions::default()).expect("compile");
        emit_object(&program, isa, names).expect("emit")
    }

    const MODULE: &str = r#"(module
        (memory (export "memory") 1)
        (func $f (result i32) (i32.div_u (i32.const 1) (i32.const 0)))
        (func (export "_start") (drop (call $f))))"#;

    #[test]
    fn object_defines_what_the_runtime_needs() {
        let bytes = object_for(MODULE);
        let obj = object::File::parse(&*bytes).expect("an ELF object");
        let defined: Vec<String> = obj
            .symbols()
            .filter(|s| s.is_definition() && s.is_global())
            .filter_map(|s| s.name().ok().map(String::from))
            .collect();
        for name in [
            symbols::PROGRAM_START,
            symbols::STACK_LIMIT,
            symbols::FUNC_TABLE,
            symbols::FUNC_COUNT,
            symbols::WASI_CONFIG,
            symbols::WASI_CONFIG_LEN,
            symbols::HARNESS_MODE,
            symbols::GC_ROOTS,
        ] {
            assert!(
                defined.iter().any(|d| d == name),
                "{name} missing from {defined:?}"
            );
        }
        let undefined: Vec<String> = obj
            .symbols()
            .filter(|s| s.is_undefined())
            .filter_map(|s| s.name().ok().map(String::from))
            .filter(|n| !n.is_empty())
            .collect();
        assert!(
            undefined.iter().all(|n| n.starts_with("wasmlink_")),
            "only runtime symbols are imported: {undefined:?}"
        );
    }

    /// The symbol `name` the object defines, and its section.
    fn defined<'a>(
        obj: &'a object::File<'a>,
        name: &str,
    ) -> (object::Symbol<'a, 'a>, object::Section<'a, 'a>) {
        use object::ObjectSymbol;
        let symbol = obj
            .symbols()
            .find(|s| s.name() == Ok(name))
            .unwrap_or_else(|| panic!("{name} is defined"));
        let section = obj
            .section_by_index(symbol.section_index().expect("defined"))
            .expect("its section");
        (symbol, section)
    }

    #[test]
    fn the_function_table_is_read_only_and_needs_no_dynamic_relocation() {
        use object::{ObjectSection, RelocationFlags, SectionKind};
        let bytes = object_for(MODULE);
        let obj = object::File::parse(&*bytes).expect("an ELF object");
        let (_, section) = defined(&obj, symbols::FUNC_TABLE);
        assert_eq!(section.kind(), SectionKind::ReadOnlyData);
        let relocs: Vec<_> = section.relocations().collect();
        // Seven pointers per function: the code, the name and five lists,
        // each a distance that the static link fixes.
        let (count, count_section) = defined(&obj, symbols::FUNC_COUNT);
        let data = count_section.data().expect("its data");
        let at = count.address() as usize;
        let functions = u64::from_le_bytes(data[at..at + 8].try_into().unwrap());
        assert!(functions >= 2, "{functions}");
        assert_eq!(relocs.len() as u64, 7 * functions);
        for (_, r) in relocs {
            assert_eq!(
                r.flags(),
                RelocationFlags::Elf {
                    r_type: object::elf::R_X86_64_PC64
                }
            );
        }
    }

    #[test]
    fn emission_is_deterministic() {
        assert_eq!(object_for(MODULE), object_for(MODULE));
        let wasm = |_| object_named(MODULE, SymbolNames::Wasm);
        assert_eq!(wasm(()), wasm(()));
    }

    fn function_symbols(bytes: &[u8]) -> Vec<String> {
        let obj = object::File::parse(bytes).expect("an ELF object");
        obj.symbols()
            .filter(|s| s.kind() == object::SymbolKind::Text && s.is_definition())
            .filter_map(|s| s.name().ok().map(String::from))
            .collect()
    }

    #[test]
    fn wasm_names_replace_internal_ones_only_when_asked() {
        let internal = function_symbols(&object_for(MODULE));
        assert!(
            internal.iter().any(|n| n.starts_with("__wl_s0_f")),
            "{internal:?}"
        );
        assert!(!internal.iter().any(|n| n.contains("::")), "{internal:?}");
        let wasm = function_symbols(&object_named(MODULE, SymbolNames::Wasm));
        assert!(wasm.iter().any(|n| n == "main::f"), "{wasm:?}");
        assert!(!wasm.iter().any(|n| n.starts_with("__wl_s0_f")), "{wasm:?}");
        // What the runtime looks up by name is still there.
        assert!(wasm.iter().any(|n| n == symbols::PROGRAM_START), "{wasm:?}");
    }

    /// Functions start at Cranelift's preferred alignment (32 bytes on
    /// x64), so a function's loops keep their offsets from a fetch
    /// boundary whatever code precedes it.
    #[test]
    fn functions_start_on_32_byte_boundaries() {
        // Three functions of odd sizes, so packed code would misalign one.
        let wat = r#"(module
            (memory (export "memory") 1)
            (func $a (param i32) (result i32) (i32.add (local.get 0) (i32.const 3)))
            (func $b (param i32) (result i32) (i32.mul (call $a (local.get 0)) (i32.const 7)))
            (func (export "_start") (drop (call $b (i32.const 1)))))"#;
        let bytes = object_named(wat, SymbolNames::Wasm);
        let obj = object::File::parse(&*bytes).expect("an ELF object");
        let functions: Vec<(String, u64)> = obj
            .symbols()
            .filter(|s| s.kind() == object::SymbolKind::Text && s.is_definition())
            .filter_map(|s| Some((s.name().ok()?.to_string(), s.address())))
            .filter(|(name, _)| name.starts_with("main::"))
            .collect();
        assert!(functions.len() >= 3, "{functions:?}");
        for (name, address) in functions {
            assert_eq!(address % 32, 0, "{name} starts at {address:#x}");
        }
    }
}
