//! Locals and globals.

use super::Translator;
use crate::env::clif_type;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData};
use cranelift_frontend::Variable;
use wasmlink_module::wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_variable(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        match op {
            Operator::LocalGet { local_index } => {
                let var = self.local(*local_index)?;
                let v = self.builder.use_var(var);
                self.push(v);
            }
            Operator::LocalSet { local_index } => {
                let var = self.local(*local_index)?;
                let v = self.pop()?;
                self.builder.def_var(var, v);
            }
            Operator::LocalTee { local_index } => {
                let var = self.local(*local_index)?;
                let v = *self.peekn(1)?.first().ok_or("operand stack underflow")?;
                self.builder.def_var(var, v);
            }
            Operator::GlobalGet { global_index } => {
                let (ty, flags) = self.global(*global_index)?;
                if let Some(v) = self.env.constant_global(&mut self.builder, *global_index) {
                    self.push(v);
                    return Ok(true);
                }
                let addr = self.env.global_addr(&mut self.builder, *global_index);
                let v = self.builder.ins().load(ty, flags, addr, 0);
                self.push(v);
            }
            Operator::GlobalSet { global_index } => {
                let (_, flags) = self.global(*global_index)?;
                let v = self.pop()?;
                let addr = self.env.global_addr(&mut self.builder, *global_index);
                self.builder.ins().store(flags, v, addr, 0);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn local(&self, index: u32) -> Result<Variable, String> {
        self.locals
            .get(index as usize)
            .map(|(var, _)| *var)
            .ok_or_else(|| format!("local {index} does not exist"))
    }

    /// The Cranelift type of global `index` and the flags to access its
    /// storage with (16-byte aligned, never faulting).
    fn global(&self, index: u32) -> Result<(cranelift_codegen::ir::Type, MemFlagsData), String> {
        let g = self
            .env
            .module()
            .globals
            .get(index as usize)
            .ok_or_else(|| format!("global {index} does not exist"))?;
        let mut flags = MemFlagsData::trusted();
        if !g.ty.mutable {
            // Set once before any code of the instance runs (globals are
            // strong dependencies, instantiated first), so Cranelift may
            // reuse a load and hoist it out of loops.
            flags = flags.with_readonly().with_can_move();
        }
        Ok((clif_type(g.ty.content_type), flags))
    }
}
