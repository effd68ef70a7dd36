//! `wasmlink_func_table`: one [`FuncInfo`] per generated function, in code
//! order, with its code range, name, trap sites, exception call sites and
//! stack maps, and the arrays those point into.
//!
//! The table's pointers are [`wasmlink_abi::RelPtr`]s: distances from the
//! field to its target, which PC-relative relocations fix when the
//! executable is linked. Cranelift's data descriptions only write absolute
//! addresses, each a dynamic relocation in a position-independent
//! executable (seven per function), so the table is added to the object
//! after the module is finished, with the `object` crate's own relocations.

use crate::{module_err, EmitError};
use cranelift_module::FuncId;
use cranelift_module::{DataDescription, DataId, Linkage, Module};
use cranelift_object::object::write::{Relocation, StandardSection, Symbol, SymbolSection};
use cranelift_object::object::{elf, RelocationFlags, SymbolFlags, SymbolKind, SymbolScope};
use cranelift_object::{ObjectModule, ObjectProduct};
use std::collections::HashMap;
use std::mem::align_of;
use wasmlink_abi::gc::StackMap;
use wasmlink_abi::{
    field, size, symbols, CallSite, CatchHandler, FuncInfo, TrapSite, TRAP_ORIGIN_SELF,
};
use wasmlink_codegen::Program;

/// The function table to write: one entry per generated function, and the
/// arrays (in [`FuncTable::POINTERS`] order) its entries point into.
pub(crate) struct FuncTable<'p> {
    entries: Vec<Entry<'p>>,
    arrays: [DataId; 6],
}

impl FuncTable<'_> {
    /// The pointer fields after `start`, in the order of `arrays`.
    const POINTERS: [i32; 6] = [
        field::FUNC_INFO_NAME,
        field::FUNC_INFO_TRAPS,
        field::FUNC_INFO_CALL_SITES,
        field::FUNC_INFO_HANDLERS,
        field::FUNC_INFO_STACK_MAPS,
        field::FUNC_INFO_STACK_SLOTS,
    ];

    /// Add `wasmlink_func_table` to the finished object: read-only data
    /// whose pointer fields are PC-relative relocations.
    pub(crate) fn write(self, product: &mut ObjectProduct) -> Result<(), EmitError> {
        let info_size = size::FUNC_INFO as usize;
        let mut table = vec![0u8; self.entries.len().max(1) * info_size];
        for (k, e) in self.entries.iter().enumerate() {
            let info = &mut table[k * info_size..(k + 1) * info_size];
            let c = e.code;
            let counts = [
                (field::FUNC_INFO_LEN, c.bytes.len()),
                (field::FUNC_INFO_NAME_LEN, c.display_name.len()),
                (field::FUNC_INFO_TRAP_COUNT, c.traps.len()),
                (field::FUNC_INFO_CALL_SITE_COUNT, c.call_sites.len()),
                (field::FUNC_INFO_HANDLER_COUNT, c.handlers.len()),
                (field::FUNC_INFO_STACK_MAP_COUNT, c.stack_maps.len()),
            ];
            for (f, n) in counts {
                put(info, f, &(n as u64).to_le_bytes());
            }
        }
        let arrays = self.arrays.map(|id| product.data_symbol(id));
        let funcs: Vec<_> = (self.entries.iter())
            .map(|e| product.function_symbol(FuncId::from_u32(e.code.func as u32)))
            .collect();
        let object = &mut product.object;
        let section = object.add_subsection(
            StandardSection::ReadOnlyData,
            symbols::FUNC_TABLE.as_bytes(),
        );
        let at = object.append_section_data(section, &table, align_of::<FuncInfo>() as u64);
        object.add_symbol(Symbol {
            name: symbols::FUNC_TABLE.as_bytes().to_vec(),
            value: at,
            size: table.len() as u64,
            kind: SymbolKind::Data,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Section(section),
            flags: SymbolFlags::None,
        });
        // A field holds `target + addend - field`: a 64-bit PC-relative
        // relocation (R_X86_64_PC64), which the static linker resolves.
        let flags = RelocationFlags::Elf {
            r_type: elf::R_X86_64_PC64,
        };
        for ((k, e), &func) in self.entries.iter().enumerate().zip(&funcs) {
            let entry = at + (k * info_size) as u64;
            let offsets = [
                e.name_at,
                e.sites_at,
                e.calls_at,
                e.handlers_at,
                e.maps_at,
                e.slots_at,
            ];
            let targets = std::iter::once((field::FUNC_INFO_START, func, 0)).chain(
                (Self::POINTERS.into_iter().zip(arrays).zip(offsets)).map(|((f, s), o)| (f, s, o)),
            );
            for (f, symbol, offset) in targets {
                object
                    .add_relocation(
                        section,
                        Relocation {
                            offset: entry + f as u64,
                            symbol,
                            addend: offset as i64,
                            flags,
                        },
                    )
                    .map_err(module_err)?;
            }
        }
        Ok(())
    }
}

/// Define the arrays the function table points into (names, trap sites,
/// call sites, catch handlers, stack maps and their slots) and
/// `wasmlink_func_count`; the table itself is written into the finished
/// object by [`FuncTable::write`].
pub(crate) fn define_trap_arrays<'p>(
    module: &mut ObjectModule,
    program: &'p Program,
) -> Result<FuncTable<'p>, EmitError> {
    let mut names = Vec::new();
    let mut sites = Vec::new();
    let mut calls = Vec::new();
    let mut handlers = Vec::new();
    let mut maps = Vec::new();
    let mut slots = Vec::new();
    let mut entries = Vec::new();
    // A trap site inlined from another function names it by its position
    // in the table, which is the order of `program.code`.
    let position: HashMap<usize, u32> = program
        .code
        .iter()
        .enumerate()
        .map(|(k, c)| (c.func, k as u32))
        .collect();
    for c in &program.code {
        let name_at = names.len();
        names.extend_from_slice(c.display_name.as_bytes());
        let sites_at = sites.len();
        for t in &c.traps {
            let origin = t
                .origin
                .and_then(|f| position.get(&f).copied())
                .unwrap_or(TRAP_ORIGIN_SELF);
            let mut site = [0u8; size::TRAP_SITE as usize];
            put(&mut site, field::TRAP_SITE_OFFSET, &t.offset.to_le_bytes());
            put(
                &mut site,
                field::TRAP_SITE_CODE,
                &t.trap.code().to_le_bytes(),
            );
            put(&mut site, field::TRAP_SITE_ORIGIN, &origin.to_le_bytes());
            sites.extend_from_slice(&site);
        }
        let calls_at = calls.len();
        let mut call_sites = c.call_sites.clone();
        call_sites.sort_by_key(|s| s.ret_offset);
        for s in &call_sites {
            let mut site = [0u8; size::CALL_SITE as usize];
            put(
                &mut site,
                field::CALL_SITE_RET_OFFSET,
                &s.ret_offset.to_le_bytes(),
            );
            put(
                &mut site,
                field::CALL_SITE_FRAME_OFFSET,
                &s.frame_offset.to_le_bytes(),
            );
            put(
                &mut site,
                field::CALL_SITE_FIRST_HANDLER,
                &s.first_handler.to_le_bytes(),
            );
            put(
                &mut site,
                field::CALL_SITE_HANDLER_COUNT,
                &s.handler_count.to_le_bytes(),
            );
            calls.extend_from_slice(&site);
        }
        let handlers_at = handlers.len();
        for h in &c.handlers {
            let mut entry = [0u8; size::CATCH_HANDLER as usize];
            put(&mut entry, field::CATCH_HANDLER_KIND, &h.kind.to_le_bytes());
            put(&mut entry, field::CATCH_HANDLER_ARG, &h.arg.to_le_bytes());
            put(
                &mut entry,
                field::CATCH_HANDLER_TARGET,
                &h.target.to_le_bytes(),
            );
            handlers.extend_from_slice(&entry);
        }
        let maps_at = maps.len();
        let slots_at = slots.len();
        for m in &c.stack_maps {
            let mut entry = [0u8; size::STACK_MAP as usize];
            put(
                &mut entry,
                field::STACK_MAP_RET_OFFSET,
                &m.ret_offset.to_le_bytes(),
            );
            put(&mut entry, field::STACK_MAP_SPAN, &m.span.to_le_bytes());
            put(
                &mut entry,
                field::STACK_MAP_FIRST_SLOT,
                &m.first_slot.to_le_bytes(),
            );
            put(
                &mut entry,
                field::STACK_MAP_SLOT_COUNT,
                &m.slot_count.to_le_bytes(),
            );
            maps.extend_from_slice(&entry);
        }
        for s in &c.stack_slots {
            slots.extend_from_slice(&s.to_le_bytes());
        }
        entries.push(Entry {
            code: c,
            name_at,
            sites_at,
            calls_at,
            handlers_at,
            maps_at,
            slots_at,
        });
    }
    let names_id = define_bytes(module, "__wl_func_names", names, 1)?;
    let sites_id = define_bytes(module, "__wl_trap_sites", sites, align_of::<TrapSite>())?;
    let calls_id = define_bytes(module, "__wl_call_sites", calls, align_of::<CallSite>())?;
    let handlers_id = define_bytes(
        module,
        "__wl_catch_handlers",
        handlers,
        align_of::<CatchHandler>(),
    )?;
    let maps_id = define_bytes(module, "__wl_stack_maps", maps, align_of::<StackMap>())?;
    let slots_id = define_bytes(module, "__wl_stack_slots", slots, align_of::<u32>())?;

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
    desc.set_align(align_of::<u64>() as u64);
    module.define_data(count_id, &desc).map_err(module_err)?;
    Ok(FuncTable {
        entries,
        arrays: [names_id, sites_id, calls_id, handlers_id, maps_id, slots_id],
    })
}

/// Where one function's entries start in the trap-table arrays.
pub(crate) struct Entry<'p> {
    code: &'p wasmlink_codegen::CompiledFunction,
    name_at: usize,
    sites_at: usize,
    calls_at: usize,
    handlers_at: usize,
    maps_at: usize,
    slots_at: usize,
}

/// Write `bytes` at field offset `field` of a structure's bytes.
fn put(structure: &mut [u8], field: i32, bytes: &[u8]) {
    let at = field as usize;
    structure[at..at + bytes.len()].copy_from_slice(bytes);
}

fn define_bytes(
    module: &mut ObjectModule,
    name: &str,
    mut bytes: Vec<u8>,
    align: usize,
) -> Result<DataId, EmitError> {
    if bytes.is_empty() {
        bytes.push(0);
    }
    let id = module
        .declare_data(name, Linkage::Local, false, false)
        .map_err(module_err)?;
    let mut desc = DataDescription::new();
    desc.define(bytes.into_boxed_slice());
    desc.set_align(align as u64);
    module.define_data(id, &desc).map_err(module_err)?;
    Ok(id)
}
