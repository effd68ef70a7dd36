//! The emit stage. It owns the relocatable object file: it declares every
//! symbol of a compiled [`Program`] in the program's order (so symbol
//! numbers in the generated code are the object's own), writes the code and
//! the data objects with their relocations, and adds the function and trap
//! tables the runtime consults when a fault happens (`wasmlink_func_table`,
//! `wasmlink_func_count`). The result is an ELF object for the system linker.

use cranelift_codegen::ir::Signature;
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_module::{default_libcall_names, DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use wasmlink_codegen::abi::symbols;
use wasmlink_codegen::symbols::Linkage as SymLinkage;
use wasmlink_codegen::{Program, SymbolRef};

/// Why the object could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("could not write the object file: {0}")]
    Module(String),
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

/// Write `program` as an ELF relocatable object.
pub fn emit_object(program: &Program, isa: OwnedTargetIsa) -> Result<Vec<u8>, EmitError> {
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
        let mut desc = DataDescription::new();
        desc.define(d.bytes.clone().into_boxed_slice());
        desc.set_align(d.align);
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
    emit_trap_tables(&mut module, program)?;
    module.finish().emit().map_err(module_err)
}

/// `wasmlink_func_table`: one `FuncInfo` per generated function, in code
/// order, pointing at its name and its trap sites.
fn emit_trap_tables(module: &mut ObjectModule, program: &Program) -> Result<(), EmitError> {
    let mut names = Vec::new();
    let mut sites = Vec::new();
    let mut entries = Vec::new();
    for c in &program.code {
        let name_at = names.len();
        names.extend_from_slice(c.display_name.as_bytes());
        let sites_at = sites.len();
        for (offset, trap) in &c.traps {
            sites.extend_from_slice(&offset.to_le_bytes());
            sites.extend_from_slice(&(*trap as u32).to_le_bytes());
        }
        entries.push((c, name_at, c.display_name.len(), sites_at, c.traps.len()));
    }
    let names_id = define_bytes(module, "__wl_func_names", names, 1)?;
    let sites_id = define_bytes(module, "__wl_trap_sites", sites, 4)?;

    let table_id = module
        .declare_data(symbols::FUNC_TABLE, Linkage::Export, false, false)
        .map_err(module_err)?;
    let mut desc = DataDescription::new();
    let mut table = vec![0u8; entries.len().max(1) * 48];
    let names_gv = module.declare_data_in_data(names_id, &mut desc);
    let sites_gv = module.declare_data_in_data(sites_id, &mut desc);
    let mut fixups = Vec::new();
    for (k, (c, name_at, name_len, sites_at, count)) in entries.iter().enumerate() {
        let at = k * 48;
        table[at + 8..at + 16].copy_from_slice(&(c.bytes.len() as u64).to_le_bytes());
        table[at + 24..at + 32].copy_from_slice(&(*name_len as u64).to_le_bytes());
        table[at + 40..at + 48].copy_from_slice(&(*count as u64).to_le_bytes());
        fixups.push((at as u32, c.func, *name_at as i64, *sites_at as i64));
    }
    desc.define(table.into_boxed_slice());
    desc.set_align(8);
    for (at, func, name_at, sites_at) in fixups {
        let fr = module.declare_func_in_data(FuncId::from_u32(func as u32), &mut desc);
        desc.write_function_addr(at, fr);
        desc.write_data_addr(at + 16, names_gv, name_at);
        desc.write_data_addr(at + 32, sites_gv, sites_at);
    }
    module.define_data(table_id, &desc).map_err(module_err)?;

    let count_id = module
        .declare_data(symbols::FUNC_COUNT, Linkage::Export, false, false)
        .map_err(module_err)?;
    let mut desc = DataDescription::new();
    desc.define(
        (program.code.len() as u64)
            .to_le_bytes()
            .to_vec()
            .into_boxed_slice(),
    );
    desc.set_align(8);
    module.define_data(count_id, &desc).map_err(module_err)
}

fn define_bytes(
    module: &mut ObjectModule,
    name: &str,
    mut bytes: Vec<u8>,
    align: u64,
) -> Result<DataId, EmitError> {
    if bytes.is_empty() {
        bytes.push(0);
    }
    let id = module
        .declare_data(name, Linkage::Local, false, false)
        .map_err(module_err)?;
    let mut desc = DataDescription::new();
    desc.define(bytes.into_boxed_slice());
    desc.set_align(align);
    module.define_data(id, &desc).map_err(module_err)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use object::{Object, ObjectSymbol};
    use wasmlink_codegen::{compile_graph, target_isa, CompileOptions};

    fn object_for(wat: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("main.wat");
        std::fs::write(&path, wat).expect("write module");
        let resolved = wasmlink_graph::load_graph(&path, &Default::default()).expect("graph");
        let isa = target_isa().expect("isa");
        let program =
            compile_graph(&resolved.graph, &*isa, &CompileOptions::default()).expect("compile");
        emit_object(&program, isa).expect("emit")
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
            "wasmlink_harness_mode",
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

    #[test]
    fn emission_is_deterministic() {
        assert_eq!(object_for(MODULE), object_for(MODULE));
    }
}
