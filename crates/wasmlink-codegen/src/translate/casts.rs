//! Wasm GC casts: `ref.test`, `ref.cast`, `br_on_cast` and
//! `br_on_cast_fail`.
//!
//! A test looks at the reference's representation (`wasmlink_abi::gc`):
//! null is 0, an `i31` has bit 0 set, a host reference low bits `10`, and
//! anything else is a heap object whose header names its canonical type.
//! A concrete struct or array type `T` matches an object whose type has
//! `T` in its supertype display at `T`'s depth (one compare when `T` is
//! final). Function references are tested by their canonical signature
//! id (function types have no declared subtypes in wasmlink).

use super::control::block_args;
use super::Translator;
use crate::traps::clif_trap;
use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder, MemFlagsData, Value};
use wasmlink_abi::gc::{gc_field, GC_KIND_ARRAY, GC_KIND_STRUCT, HOST_TAG, HOST_TAG_MASK};
use wasmlink_abi::{field, Trap};
use wasmlink_module::wasmparser::{AbstractHeapType as A, HeapType, Operator, RefType};
use wasmlink_module::TypeKind;

/// What a non-null reference must be to pass a test.
enum Target {
    /// Anything (`any`, `extern`, `func`, `exn`).
    Any,
    /// Nothing (`none`, `noextern`, `nofunc`, `noexn`).
    Nothing,
    /// An `i31` or a heap object (`eq`).
    Eq,
    I31,
    /// A heap object of this kind (`struct`, `array`).
    Kind(u32),
    /// A heap object of this canonical type.
    Type(usize),
    /// A function of this type (by type index) or a subtype.
    Func(u32),
}

impl Translator<'_, '_> {
    pub(super) fn translate_cast(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        match *op {
            Operator::RefTestNonNull { hty } | Operator::RefTestNullable { hty } => {
                let nullable = matches!(op, Operator::RefTestNullable { .. });
                let r = self.pop()?;
                let ok = self.ref_test(r, hty, nullable)?;
                let ok = self.builder.ins().uextend(types::I32, ok);
                self.push(ok);
            }
            Operator::RefCastNonNull { hty } | Operator::RefCastNullable { hty } => {
                let nullable = matches!(op, Operator::RefCastNullable { .. });
                let r = self.pop()?;
                let ok = self.ref_test(r, hty, nullable)?;
                self.builder.ins().trapz(ok, clif_trap(Trap::CastFailure));
                self.push(r);
            }
            Operator::BrOnCast {
                relative_depth,
                to_ref_type,
                ..
            } => self.br_on_cast(relative_depth, to_ref_type, true)?,
            Operator::BrOnCastFail {
                relative_depth,
                to_ref_type,
                ..
            } => self.br_on_cast(relative_depth, to_ref_type, false)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Branch with the reference on top of the stack when it is (`on`) or
    /// is not of type `to`; otherwise leave it there.
    fn br_on_cast(&mut self, relative_depth: u32, to: RefType, on: bool) -> Result<(), String> {
        let r = *self.stack.last().ok_or("operand stack underflow")?;
        let ok = self.ref_test(r, to.heap_type(), to.is_nullable())?;
        let (target, arity) = self.branch_target(relative_depth)?;
        let args = block_args(self.peekn(arity)?);
        let next = self.builder.create_block();
        if on {
            self.builder.ins().brif(ok, target, &args, next, &[]);
        } else {
            self.builder.ins().brif(ok, next, &[], target, &args);
        }
        self.builder.seal_block(next);
        self.builder.switch_to_block(next);
        Ok(())
    }

    /// Whether `r` is of heap type `hty` (null counts when `nullable`), as
    /// an `i8` truth value.
    fn ref_test(&mut self, r: Value, hty: HeapType, nullable: bool) -> Result<Value, String> {
        let target = self.cast_target(hty)?;
        let b = &mut self.builder;
        let is_null = b.ins().icmp_imm_u(IntCC::Equal, r, 0);
        let null_result = b.ins().iconst(types::I8, i64::from(nullable));
        // Tests that need no load are straight-line code.
        let non_null = match target {
            Target::Any => Some(b.ins().iconst(types::I8, 1)),
            Target::Nothing => Some(b.ins().iconst(types::I8, 0)),
            Target::I31 => {
                let bit = b.ins().band_imm_u(r, 1);
                Some(b.ins().icmp_imm_u(IntCC::NotEqual, bit, 0))
            }
            Target::Eq => {
                let tag = b.ins().band_imm_u(r, HOST_TAG_MASK as i64);
                Some(b.ins().icmp_imm_u(IntCC::NotEqual, tag, HOST_TAG as i64))
            }
            _ => None,
        };
        if let Some(v) = non_null {
            return Ok(b.ins().select(is_null, null_result, v));
        }
        // Otherwise: a diamond that loads only from what may be loaded.
        let load_block = b.create_block();
        let done = b.create_block();
        let result = b.append_block_param(done, types::I8);
        let no = b.ins().iconst(types::I8, 0);
        match target {
            Target::Func(_) => {
                b.ins()
                    .brif(is_null, done, &[null_result.into()], load_block, &[]);
            }
            _ => {
                // Heap objects have the low three bits clear; null is
                // handled by the same branch.
                let low = b.ins().band_imm_u(r, 7);
                let not_object = b.ins().icmp_imm_u(IntCC::NotEqual, low, 0);
                let early = b.ins().select(is_null, null_result, no);
                let leave = b.ins().bor(is_null, not_object);
                b.ins().brif(leave, done, &[early.into()], load_block, &[]);
            }
        }
        b.seal_block(load_block);
        b.switch_to_block(load_block);
        let flags = MemFlagsData::trusted();
        let ok = match target {
            Target::Func(type_index) => {
                let actual = b.ins().load(types::I64, flags, r, field::FUNC_REF_TYPE_ID);
                self.env.type_matches(b, actual, type_index)
            }
            Target::Kind(kind) => {
                let info = b
                    .ins()
                    .load(types::I64, flags, r, gc_field::HEADER_TYPE_INFO);
                let k = b.ins().load(types::I32, flags, info, gc_field::TYPE_KIND);
                b.ins().icmp_imm_u(IntCC::Equal, k, i64::from(kind))
            }
            Target::Type(k) => {
                let t = &self.env.src.plan.gc_types.types[k];
                let (depth, is_final) = (t.depth, t.is_final);
                let sym = self.env.src.plan.gc_type_infos[k];
                let expected = self.env.data_addr(&mut self.builder, sym);
                let b = &mut self.builder;
                let info = b
                    .ins()
                    .load(types::I64, flags, r, gc_field::HEADER_TYPE_INFO);
                if is_final {
                    b.ins().icmp(IntCC::Equal, info, expected)
                } else {
                    // Deep enough, then the display entry at T's depth.
                    let deep = b.create_block();
                    let d = b.ins().load(types::I32, flags, info, gc_field::TYPE_DEPTH);
                    let enough =
                        b.ins()
                            .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, d, i64::from(depth));
                    b.ins().brif(enough, deep, &[], done, &[no.into()]);
                    b.seal_block(deep);
                    b.switch_to_block(deep);
                    let display = b
                        .ins()
                        .load(types::I64, flags, info, gc_field::TYPE_SUPERTYPES);
                    let entry = b.ins().load(types::I64, flags, display, 8 * depth as i32);
                    b.ins().icmp(IntCC::Equal, entry, expected)
                }
            }
            Target::Any | Target::Nothing | Target::Eq | Target::I31 => {
                unreachable!("handled without loads above")
            }
        };
        let b = &mut self.builder;
        b.ins().jump(done, &[ok.into()]);
        b.seal_block(done);
        b.switch_to_block(done);
        Ok(result)
    }

    fn cast_target(&self, hty: HeapType) -> Result<Target, String> {
        Ok(match hty {
            HeapType::Abstract { ty, .. } => match ty {
                A::Any | A::Extern | A::Func | A::Exn | A::Cont => Target::Any,
                A::None | A::NoExtern | A::NoFunc | A::NoExn | A::NoCont => Target::Nothing,
                A::Eq => Target::Eq,
                A::I31 => Target::I31,
                A::Struct => Target::Kind(GC_KIND_STRUCT),
                A::Array => Target::Kind(GC_KIND_ARRAY),
            },
            HeapType::Concrete(i) | HeapType::Exact(i) => {
                let i = i
                    .as_module_index()
                    .ok_or("a cast to a type outside the module")?;
                let m = self.env.module();
                match m.type_defs.get(i as usize).map(|d| &d.kind) {
                    Some(TypeKind::Func) => Target::Func(i),
                    Some(_) => Target::Type(self.gc_type(i)?.0),
                    None => return Err(format!("cast to unknown type {i}")),
                }
            }
        })
    }
}
