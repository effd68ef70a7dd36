//! Wasm GC types in the compile stage: the program's canonical struct and
//! array types, how their objects are laid out, and the static
//! `GcTypeInfo` each one gets (the contract is `wasmlink_abi::gc`).
//!
//! Types equal under the spec's iso-recursive equivalence have the same
//! key (`wasmlink_module::type_keys`), so they share one canonical type
//! and one `GcTypeInfo`, whatever module and index define them: a cast
//! compares `GcTypeInfo` addresses. A struct's fields are laid out in
//! order, each at the next multiple of its size (packed `i8`/`i16` fields
//! take one and two bytes); an array's elements follow one another.

use crate::program::SymbolRef;
use crate::statics::Builder;
use crate::symbols::DataDecl;
use std::collections::HashMap;
use std::mem::{offset_of, size_of};
use wasmlink_abi::gc::{GcRoots, GcTypeInfo, GC_KIND_ARRAY, GC_KIND_STRUCT};
use wasmlink_graph::InstanceGraph;
use wasmlink_module::wasmparser::{FieldType, HeapType, StorageType, ValType};
use wasmlink_module::{ModuleInfo, TypeKind};

/// How a field or array element is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    I8,
    I16,
    /// A value type other than a GC reference.
    Val(ValType),
    /// A reference the collector traces (`any` and `extern` hierarchies).
    GcRef,
}

impl Storage {
    fn of(module: &ModuleInfo, f: &FieldType) -> Storage {
        match f.element_type {
            StorageType::I8 => Storage::I8,
            StorageType::I16 => Storage::I16,
            StorageType::Val(v) if is_gc_ref(module, v) => Storage::GcRef,
            StorageType::Val(v) => Storage::Val(v),
        }
    }

    /// Bytes it takes (also its alignment inside a struct).
    pub fn size(self) -> u32 {
        match self {
            Storage::I8 => 1,
            Storage::I16 => 2,
            Storage::GcRef => 8,
            Storage::Val(ValType::I32 | ValType::F32) => 4,
            Storage::Val(ValType::V128) => 16,
            Storage::Val(_) => 8,
        }
    }
}

/// Whether values of `ty` (a type of `module`) are references the
/// collector must see: the `any` and `extern` hierarchies, whose values
/// may be heap objects. Function and exception references are not.
pub fn is_gc_ref(module: &ModuleInfo, ty: ValType) -> bool {
    let ValType::Ref(r) = ty else {
        return false;
    };
    match r.heap_type() {
        HeapType::Abstract { ty, .. } => {
            use wasmlink_module::wasmparser::AbstractHeapType as A;
            matches!(
                ty,
                A::Any | A::Eq | A::Struct | A::Array | A::I31 | A::None | A::Extern | A::NoExtern
            )
        }
        HeapType::Concrete(i) | HeapType::Exact(i) => i
            .as_module_index()
            .and_then(|i| module.type_defs.get(i as usize))
            .is_some_and(|d| !matches!(d.kind, TypeKind::Func)),
    }
}

/// The payload values of a tag of type `type_index` that are GC
/// references, as a bit mask (`TagInfo::gc_ref_mask`): only the first 64
/// count ([`tag_gc_refs_fit`] says whether that is all of them).
pub fn tag_gc_ref_mask(module: &ModuleInfo, type_index: u32) -> u64 {
    let params = module.types[type_index as usize].params();
    params
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, t)| is_gc_ref(module, **t))
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// Whether every GC reference of a tag's payload is among its first 64
/// values, where the collector finds it.
pub fn tag_gc_refs_fit(module: &ModuleInfo, type_index: u32) -> bool {
    let params = module.types[type_index as usize].params();
    !params.iter().skip(64).any(|t| is_gc_ref(module, *t))
}

/// One field of a struct, or the element of an array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Byte offset in the payload (0 for an array's element).
    pub offset: u32,
    pub storage: Storage,
}

/// One canonical struct or array type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonType {
    pub key: String,
    /// A struct's fields, or an array's one element.
    pub fields: Vec<Field>,
    pub is_array: bool,
    /// A struct's payload size.
    pub size: u32,
    pub supertype: Option<usize>,
    pub depth: u32,
    /// Declared final: no value of another type is of this one.
    pub is_final: bool,
}

/// The program's canonical struct and array types.
#[derive(Clone, Debug, Default)]
pub struct GcTypes {
    pub types: Vec<CanonType>,
    /// By source, then type index: the canonical type (`None` for a
    /// function type).
    by_source: Vec<Vec<Option<usize>>>,
}

impl GcTypes {
    pub fn new(graph: &InstanceGraph) -> GcTypes {
        let mut t = GcTypes::default();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for source in &graph.sources {
            let m = &source.module;
            let mut here: Vec<Option<usize>> = Vec::with_capacity(m.type_defs.len());
            for (i, def) in m.type_defs.iter().enumerate() {
                let (fields, is_array): (Vec<&FieldType>, bool) = match &def.kind {
                    TypeKind::Func => {
                        here.push(None);
                        continue;
                    }
                    TypeKind::Struct(fields) => (fields.iter().collect(), false),
                    TypeKind::Array(f) => (vec![f], true),
                };
                let key = &m.type_keys[i];
                if let Some(&k) = by_key.get(key) {
                    here.push(Some(k));
                    continue;
                }
                // Validation puts a supertype before its subtypes.
                let supertype = def
                    .supertype
                    .and_then(|s| here.get(s as usize).copied().flatten());
                let depth = supertype.map_or(0, |s| t.types[s].depth + 1);
                let mut size: u32 = 0;
                let fields = fields
                    .into_iter()
                    .map(|f| {
                        let storage = Storage::of(m, f);
                        let offset = if is_array {
                            0
                        } else {
                            size.next_multiple_of(storage.size())
                        };
                        size = offset + storage.size();
                        Field { offset, storage }
                    })
                    .collect();
                let k = t.types.len();
                t.types.push(CanonType {
                    key: key.clone(),
                    fields,
                    is_array,
                    size: if is_array { 0 } else { size },
                    supertype,
                    depth,
                    is_final: def.is_final,
                });
                by_key.insert(key.clone(), k);
                here.push(Some(k));
            }
            t.by_source.push(here);
        }
        t
    }

    /// The canonical type of struct or array type `type_index` of `source`.
    pub fn canonical(&self, source: usize, type_index: u32) -> Option<usize> {
        self.by_source
            .get(source)?
            .get(type_index as usize)
            .copied()?
    }

    /// The data objects' declarations, one per canonical type.
    pub fn decls(&self) -> impl Iterator<Item = DataDecl> + '_ {
        (0..self.types.len()).map(|k| DataDecl {
            name: format!("__wl_gctype{k}"),
            linkage: crate::symbols::Linkage::Local,
            writable: false,
            section: None,
        })
    }

    /// The contents of canonical type `k`'s object, whose symbols are
    /// `symbols` (by canonical type): its `GcTypeInfo`, then its
    /// supertype display, then its reference offsets.
    pub(crate) fn object(&self, k: usize, symbols: &[usize]) -> Builder {
        let t = &self.types[k];
        let display_at = size_of::<GcTypeInfo>() as u32;
        let offsets_at = display_at + 8 * (t.depth + 1);
        let refs: Vec<u32> = t
            .fields
            .iter()
            .filter(|f| f.storage == Storage::GcRef)
            .map(|f| f.offset)
            .collect();
        let mut o = Builder::zeroed((offsets_at + 4 * refs.len() as u32) as usize);
        let (kind, size) = if t.is_array {
            (GC_KIND_ARRAY, t.fields[0].storage.size())
        } else {
            (GC_KIND_STRUCT, t.size)
        };
        let at = |field: usize| field as u32;
        o.u32(at(offset_of!(GcTypeInfo, kind)), kind);
        o.u32(at(offset_of!(GcTypeInfo, depth)), t.depth);
        o.u32(at(offset_of!(GcTypeInfo, size)), size);
        o.u32(at(offset_of!(GcTypeInfo, ref_count)), refs.len() as u32);
        let me = SymbolRef::Data(symbols[k]);
        o.addr(
            at(offset_of!(GcTypeInfo, supertypes)),
            me,
            display_at.into(),
        );
        if !refs.is_empty() {
            o.addr(
                at(offset_of!(GcTypeInfo, ref_offsets)),
                me,
                offsets_at.into(),
            );
        }
        // The display: the ancestors from the root down, then the type.
        let mut chain = vec![k];
        while let Some(s) = self.types[*chain.last().unwrap_or(&k)].supertype {
            chain.push(s);
        }
        for (d, &ancestor) in chain.iter().rev().enumerate() {
            o.addr(
                display_at + 8 * d as u32,
                SymbolRef::Data(symbols[ancestor]),
                0,
            );
        }
        for (j, &off) in refs.iter().enumerate() {
            o.u32(offsets_at + 4 * j as u32, off);
        }
        o
    }
}

/// `wasmlink_gc_roots` (a `GcRoots`, symbol `me`): the cells of every
/// defined global, every defined table and the slot of every element
/// segment whose values are references the collector must see. `vmctx`
/// is the vmctx object of each instance and `layouts` each source's vmctx
/// layout.
pub(crate) fn roots_object(
    graph: &InstanceGraph,
    me: usize,
    vmctx: &[usize],
    layouts: &[crate::layout::VmLayout],
) -> Builder {
    let mut globals = Vec::new();
    let mut tables = Vec::new();
    let mut segments = Vec::new();
    for (i, inst) in graph.instances.iter().enumerate() {
        let m = &graph.sources[inst.source].module;
        let layout = &layouts[inst.source];
        for g in m.num_imported_globals..m.globals.len() as u32 {
            if is_gc_ref(m, m.globals[g as usize].ty.content_type) {
                globals.push((vmctx[i], layout.globals[g as usize]));
            }
        }
        for t in m.num_imported_tables..m.tables.len() as u32 {
            let element = ValType::Ref(m.tables[t as usize].element_type);
            if is_gc_ref(m, element) {
                tables.push((vmctx[i], layout.tables[t as usize]));
            }
        }
        for (e, seg) in m.elements.iter().enumerate() {
            if is_gc_ref(m, ValType::Ref(seg.ty)) {
                segments.push((vmctx[i], layout.elem_segments[e]));
            }
        }
    }
    let globals_at = size_of::<GcRoots>() as u32;
    let tables_at = globals_at + 8 * globals.len() as u32;
    let segments_at = tables_at + 8 * tables.len() as u32;
    let mut o = Builder::zeroed((segments_at + 8 * segments.len() as u32) as usize);
    for (k, &(v, off)) in globals.iter().chain(&tables).chain(&segments).enumerate() {
        o.addr(globals_at + 8 * k as u32, SymbolRef::Data(v), off.into());
    }
    let lists = [
        (
            offset_of!(GcRoots, globals),
            offset_of!(GcRoots, global_count),
            globals_at,
            globals.len(),
        ),
        (
            offset_of!(GcRoots, tables),
            offset_of!(GcRoots, table_count),
            tables_at,
            tables.len(),
        ),
        (
            offset_of!(GcRoots, segments),
            offset_of!(GcRoots, segment_count),
            segments_at,
            segments.len(),
        ),
    ];
    for (list, count, at, n) in lists {
        o.addr(list as u32, SymbolRef::Data(me), at.into());
        o.u64(count as u32, n as u64);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::initial_tests::graph;

    #[test]
    fn equal_types_of_two_modules_are_one_and_fields_are_laid_out_in_order() {
        let a = r#"(module
          (type $p (sub (struct (field i8) (field i32) (field (ref null any)))))
          (type $c (sub final $p (struct (field i8) (field i32) (field (ref null any)) (field i16))))
          (type $a (array (mut f64)))
          (import "b" "f" (func))
          (func (export "_start")))"#;
        let b = r#"(module
          (type $a (array (mut f64)))
          (type $p (sub (struct (field i8) (field i32) (field (ref null any)))))
          (func (export "f")))"#;
        let g = graph(&[("main", a), ("b", b)]);
        let t = GcTypes::new(&g);
        assert_eq!(t.types.len(), 3);
        let main = g.instances.iter().position(|i| i.name == "main").unwrap();
        let (sa, sb) = (g.instances[main].source, g.instances[1 - main].source);
        assert_eq!(t.canonical(sa, 0), t.canonical(sb, 1));
        assert_eq!(t.canonical(sa, 2), t.canonical(sb, 0));
        let p = &t.types[t.canonical(sa, 0).unwrap()];
        let offsets: Vec<u32> = p.fields.iter().map(|f| f.offset).collect();
        assert_eq!(offsets, [0, 4, 8]);
        assert_eq!(p.size, 16);
        let c = &t.types[t.canonical(sa, 1).unwrap()];
        assert_eq!((c.depth, c.supertype, c.size), (1, t.canonical(sa, 0), 18));
        assert_eq!(c.fields[2].storage, Storage::GcRef);
        let arr = &t.types[t.canonical(sa, 2).unwrap()];
        assert!(arr.is_array);
        assert_eq!(arr.fields[0].storage.size(), 8);
    }
}
