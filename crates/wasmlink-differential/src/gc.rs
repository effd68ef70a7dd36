//! Typed function references without Wasm GC: [`erase_gc`] turns a module
//! generated with wasm-smith's `gc_enabled` (the only switch that gives
//! `call_ref`, `return_call_ref`, `br_on_null`, non-nullable and concrete
//! function reference types) into one wasmlink can run, which has function
//! types only and no GC operators.
//!
//! Filtering instead would keep almost nothing: with `gc_enabled` two
//! thirds of the generated types are structs or arrays, and a module
//! whose types are all function types is nearly always one with one or
//! no type at all. So the module is rewritten, keeping everything that is
//! not GC:
//!
//! - struct and array type definitions are removed (the function types are
//!   renumbered); a reference to one, `(ref null $s)`, becomes a reference
//!   to the bottom type of its hierarchy, `(ref null none)`. Values of
//!   those types can only ever be null once nothing creates structs, so
//!   the substitution keeps every subtyping the validator relies on
//!   (`none` is below `$s` and everything above it).
//! - GC operators in function bodies (`struct.*`, `array.*`, `ref.i31`,
//!   `ref.eq`, `ref.test`, `ref.cast`, `br_on_cast*`, the conversions;
//!   the same list wasmlink refuses) become `unreachable`: valid wherever
//!   the operator was, since it makes the rest of its block unreachable,
//!   and it traps if reached. wasm-smith's `Aggregate` instructions are
//!   also turned off in the configuration, so these are rare.
//! - a constant expression that builds a GC value (a global, table or
//!   element initialiser) becomes `ref.null` of its type when that type is
//!   nullable.
//!
//! The result is a different module from the generated one (a trap where a
//! cast was, `call_indirect` types that became equal), but both engines run
//! the same result, so the comparison stays exact. A module that cannot be
//! erased — a function type with a declared supertype (wasmlink refuses
//! declared subtypes), or a non-nullable GC value in a constant expression
//! — is given up ([`erase_gc`] returns `None`).

use wasm_encoder::reencode::{utils, Error, Reencode};
use wasm_encoder::{
    AbstractHeapType, ConstExpr, Elements, GlobalSection, HeapType, Instruction, Module,
    TableSection, TypeSection,
};
use wasmlink_module::wasmparser::{
    self, CompositeInnerType, ConstExpr as ParsedConstExpr, Operator, Parser, Payload, Validator,
    WasmFeatures,
};

pub use wasmlink_module::is_gc_operator;

fn builds_gc_value(expr: &ParsedConstExpr<'_>) -> Result<bool, String> {
    let mut ops = expr.get_operators_reader();
    while !ops.eof() {
        if is_gc_operator(&ops.read().map_err(|e| e.to_string())?) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `wasm` (valid with `features`) with its GC parts erased (see the module
/// documentation), or `None` when it cannot be. `Err` means the rewritten
/// module does not validate: a bug here, not in the module.
pub fn erase_gc(wasm: &[u8], features: WasmFeatures) -> Result<Option<Vec<u8>>, String> {
    let mut eraser = match Eraser::new(wasm)? {
        Some(e) => e,
        None => return Ok(None),
    };
    let mut module = Module::new();
    match eraser.parse_core_module(&mut module, Parser::new(0), wasm) {
        Ok(()) => {}
        Err(Error::UserError(GiveUp(_))) => return Ok(None),
        Err(e) => return Err(format!("erasing GC: {e}")),
    }
    let out = module.finish();
    Validator::new_with_features(features)
        .validate_all(&out)
        .map_err(|e| format!("erasing GC made an invalid module: {e}"))?;
    Ok(Some(out))
}

/// The module cannot be erased, and why.
#[derive(Debug)]
struct GiveUp(&'static str);

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the module cannot be erased: {}", self.0)
    }
}

struct Eraser {
    /// Old type index → new index; `None` for a struct or array type.
    types: Vec<Option<u32>>,
}

impl Eraser {
    /// Number the function types; `None` when one has a declared
    /// supertype.
    fn new(wasm: &[u8]) -> Result<Option<Eraser>, String> {
        let mut types = Vec::new();
        let mut kept = 0;
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::TypeSection(reader) = payload.map_err(|e| e.to_string())? {
                for group in reader {
                    for sub in group.map_err(|e| e.to_string())?.into_types() {
                        if let CompositeInnerType::Func(_) = sub.composite_type.inner {
                            if !sub.supertype_idxs.is_empty() {
                                return Ok(None);
                            }
                            types.push(Some(kept));
                            kept += 1;
                        } else {
                            types.push(None);
                        }
                    }
                }
            }
        }
        Ok(Some(Eraser { types }))
    }

    /// `ref.null` of `ty` in place of a constant expression that builds a
    /// GC value; give up when `ty` is not nullable.
    fn null_of(&mut self, ty: wasmparser::RefType) -> Result<ConstExpr, Error<GiveUp>> {
        if !ty.is_nullable() {
            return Err(Error::UserError(GiveUp("a non-nullable GC value")));
        }
        Ok(ConstExpr::ref_null(self.heap_type(ty.heap_type())?))
    }

    /// The constant expression `expr` of reference type `ty`.
    fn init(
        &mut self,
        expr: ParsedConstExpr<'_>,
        ty: Option<wasmparser::RefType>,
    ) -> Result<ConstExpr, Error<GiveUp>> {
        match ty {
            Some(ty) if gc_value(&expr)? => self.null_of(ty),
            _ => self.const_expr(expr),
        }
    }
}

fn gc_value(expr: &ParsedConstExpr<'_>) -> Result<bool, Error<GiveUp>> {
    // A parse error here cannot happen in a module that validated; report
    // it as one of the reencoder's own.
    builds_gc_value(expr).map_err(|_| Error::InvalidConstExpr)
}

impl Reencode for Eraser {
    type Error = GiveUp;

    fn type_index(&mut self, ty: u32) -> Result<u32, Error<GiveUp>> {
        // Only function types are referred to by index outside heap types
        // (function declarations, `call_indirect`, block types, tags).
        self.types
            .get(ty as usize)
            .copied()
            .flatten()
            .ok_or(Error::UserError(GiveUp(
                "a struct or array type used as a function type",
            )))
    }

    fn heap_type(&mut self, ht: wasmparser::HeapType) -> Result<HeapType, Error<GiveUp>> {
        if let wasmparser::HeapType::Concrete(i) | wasmparser::HeapType::Exact(i) = ht {
            let i = i
                .as_module_index()
                .ok_or(Error::CanonicalizedHeapTypeReference)?;
            if self.types.get(i as usize) == Some(&None) {
                return Ok(HeapType::Abstract {
                    shared: false,
                    ty: AbstractHeapType::None,
                });
            }
        }
        utils::heap_type(self, ht)
    }

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), Error<GiveUp>> {
        for group in section {
            let group = group?;
            let explicit = group.is_explicit_rec_group();
            let mut kept = Vec::new();
            for sub in group.into_types() {
                if let CompositeInnerType::Func(_) = sub.composite_type.inner {
                    kept.push(self.sub_type(sub)?);
                }
            }
            // A group left empty has no types to number: drop it.
            match kept.len() {
                0 => {}
                1 if !explicit => types.ty().subtype(&kept[0]),
                _ => types.ty().rec(kept),
            }
        }
        Ok(())
    }

    /// Custom sections are dropped: they mean nothing to either engine, and
    /// the name section would name the removed types.
    fn parse_custom_section(
        &mut self,
        _module: &mut Module,
        _section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), Error<GiveUp>> {
        Ok(())
    }

    fn instruction<'a>(&mut self, op: Operator<'a>) -> Result<Instruction<'a>, Error<GiveUp>> {
        if is_gc_operator(&op) {
            return Ok(Instruction::Unreachable);
        }
        utils::instruction(self, op)
    }

    /// Constant expressions whose type is not known here (offsets) must not
    /// build GC values; the typed ones go through [`Eraser::init`] first.
    fn const_expr(&mut self, expr: ParsedConstExpr<'_>) -> Result<ConstExpr, Error<GiveUp>> {
        if gc_value(&expr)? {
            return Err(Error::UserError(GiveUp("a GC operator in an offset")));
        }
        utils::const_expr(self, expr)
    }

    fn parse_global(
        &mut self,
        globals: &mut GlobalSection,
        global: wasmparser::Global<'_>,
    ) -> Result<(), Error<GiveUp>> {
        let ty = match global.ty.content_type {
            wasmparser::ValType::Ref(r) => Some(r),
            _ => None,
        };
        let init = self.init(global.init_expr, ty)?;
        globals.global(self.global_type(global.ty)?, &init);
        Ok(())
    }

    fn parse_table(
        &mut self,
        tables: &mut TableSection,
        table: wasmparser::Table<'_>,
    ) -> Result<(), Error<GiveUp>> {
        let ty = self.table_type(table.ty)?;
        match table.init {
            wasmparser::TableInit::RefNull => tables.table(ty),
            wasmparser::TableInit::Expr(e) => {
                let init = self.init(e, Some(table.ty.element_type))?;
                tables.table_with_init(ty, &init)
            }
        };
        Ok(())
    }

    fn element_items<'a>(
        &mut self,
        items: wasmparser::ElementItems<'a>,
    ) -> Result<Elements<'a>, Error<GiveUp>> {
        match items {
            wasmparser::ElementItems::Expressions(ty, exprs) => {
                let mut out = Vec::new();
                for e in exprs {
                    out.push(self.init(e?, Some(ty))?);
                }
                Ok(Elements::Expressions(self.ref_type(ty)?, out.into()))
            }
            items => utils::element_items(self, items),
        }
    }
}

#[cfg(test)]
#[path = "gc_tests.rs"]
mod tests;
