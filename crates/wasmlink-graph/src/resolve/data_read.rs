//! Binding a data source's `read` to the memory of the instance that
//! calls it (see [`crate::data`]).
//!
//! An import resolved to the `read` of a data instance D is bound instead
//! to a *reader*: a generated instance (one per pair of D and caller
//! memory) importing D's memory and `len` and the caller's memory, whose
//! `read` copies between the two. Facades and re-exports in between do not
//! matter: the rewrite looks at the final definition. The caller's memory
//! is its `memory` export, else its memory 0 (as for WASI calls), followed
//! to its definition when the caller imports it.

use super::context::Ctx;
use super::nodes::{Def, NodeId, NodeKind, Resolved, SourceRef};
use super::resolver::Resolver;
use crate::data::{reader_module, LEN_EXPORT, MEMORY_EXPORT, READ_EXPORT};
use crate::error::GraphError;
use crate::sources::{Code, LoadedSource};
use indexmap::IndexMap;
use wasmlink_module::{parse_module, ExternKind, ExternType};

/// The function index of `read` in a data module (it has no imports).
const READ_FUNC: u32 = 0;

impl Resolver {
    /// `r` as importer `caller` must see it: a data instance's `read`
    /// becomes the reader for the caller's memory; anything else is `r`.
    pub(super) fn bind_data_read(
        &mut self,
        caller: NodeId,
        r: Resolved,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        let Def::Item {
            node: data,
            kind: ExternKind::Func,
            index: READ_FUNC,
        } = r.def
        else {
            return Ok(r);
        };
        let NodeKind::Real { source, .. } = self.nodes[data].kind else {
            return Ok(r);
        };
        // A data module imports nothing, so its caller is never itself.
        if !self.sources[source].data {
            return Ok(r);
        }
        let (mem_node, mem_index, ty) = self.caller_memory(caller, ctx)?;
        let reader = match self.data_readers.get(&(data, mem_node, mem_index)) {
            Some(&n) => n,
            None => {
                let n = self.add_reader(data, caller, &ty, ctx)?;
                self.fixed_imports.insert(
                    n,
                    vec![
                        fixed(data, ExternKind::Memory, MEMORY_EXPORT),
                        Resolved {
                            def: Def::Item {
                                node: mem_node,
                                kind: ExternKind::Memory,
                                index: mem_index,
                            },
                            via: Vec::new(),
                            export: MEMORY_EXPORT.into(),
                        },
                        fixed(data, ExternKind::Global, LEN_EXPORT),
                    ],
                );
                self.data_readers.insert((data, mem_node, mem_index), n);
                n
            }
        };
        Ok(Resolved {
            def: Def::Item {
                node: reader,
                kind: ExternKind::Func,
                index: 0,
            },
            via: r.via,
            export: r.export,
        })
    }

    /// The memory `read` copies into for `caller`: its definition (node
    /// and index) and the caller's type of it.
    fn caller_memory(
        &mut self,
        caller: NodeId,
        ctx: &Ctx,
    ) -> Result<(NodeId, u32, wasmlink_module::wasmparser::MemoryType), GraphError> {
        let NodeKind::Real { source, .. } = self.nodes[caller].kind else {
            return Err(
                ctx.err("internal error: a data read imported by a node without code".into())
            );
        };
        let m = self.sources[source].module.clone();
        let Some(mem) = m.wasi_memory() else {
            return Err(ctx.err(format!(
                "\"{READ_EXPORT}\" of a data source copies into the memory of its caller, but {} has no memory (import the data source's \"{LEN_EXPORT}\" and \"{MEMORY_EXPORT}\" instead)",
                self.describe(caller)
            )));
        };
        let ty = m.memories[mem as usize];
        if ty.memory64 {
            return Err(ctx.err(format!(
                "\"{READ_EXPORT}\" of a data source takes 32-bit addresses, but the memory of {} it would copy into is a 64-bit memory (import the data source's \"{MEMORY_EXPORT}\" and copy with memory.copy instead)",
                self.describe(caller)
            )));
        }
        if mem >= m.num_imported_memories {
            return Ok((caller, mem, ty));
        }
        // An imported memory: the import slot of memory `mem`.
        let slot = m
            .imports
            .iter()
            .position(|i| matches!(i.ty, ExternType::Memory(_)) && i.index == mem)
            .ok_or_else(|| {
                ctx.err("internal error: an imported memory without its import".into())
            })?;
        match self.resolve_import(caller, slot)?.def {
            Def::Item {
                node,
                kind: ExternKind::Memory,
                index,
            } => Ok((node, index, ty)),
            _ => Err(ctx.err("internal error: a memory import bound to something else".into())),
        }
    }

    /// A new reader instance for data instance `data`, copying into a
    /// memory of type `ty`. Readers of one data source and memory type
    /// share their source, named after the data source (`words/read`), so
    /// that a trap in one names what the program called.
    fn add_reader(
        &mut self,
        data: NodeId,
        caller: NodeId,
        ty: &wasmlink_module::wasmparser::MemoryType,
        ctx: &Ctx,
    ) -> Result<NodeId, GraphError> {
        let NodeKind::Real {
            source: data_source,
            ..
        } = self.nodes[data].kind
        else {
            return Err(ctx.err("internal error: a data instance without code".into()));
        };
        let key = (data_source, ty.shared, ty.maximum, ty.page_size_log2);
        let source = match self.reader_sources.get(&key) {
            Some(&s) => s,
            None => {
                let base = format!("{}/{READ_EXPORT}", self.sources[data_source].name);
                let name = self.unique_name(&base);
                let module = parse_module(reader_module(ty)).map_err(|e| {
                    ctx.err(format!("internal error: the generated data reader: {e}"))
                })?;
                let s = self.sources.len();
                self.sources.push(LoadedSource::new(
                    &name,
                    "generated reader".into(),
                    None,
                    self.base_dir.clone(),
                    None,
                    Code::Module(Box::new(module)),
                ));
                self.used_names.insert(name);
                self.reader_sources.insert(key, s);
                s
            }
        };
        let source_name = self.sources[source].name.clone();
        let name = self.unique_name(&format!(
            "{}/{READ_EXPORT}/{}",
            self.nodes[data].name, self.nodes[caller].name
        ));
        Ok(self.add_node(
            &name,
            &source_name,
            &SourceRef::Real(source),
            IndexMap::new(),
            true,
        ))
    }
}

/// Item `kind` 0 of data instance `data`, exported as `export`.
fn fixed(data: NodeId, kind: ExternKind, export: &str) -> Resolved {
    Resolved {
        def: Def::Item {
            node: data,
            kind,
            index: 0,
        },
        via: Vec::new(),
        export: export.into(),
    }
}
