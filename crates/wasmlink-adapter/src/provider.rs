//! Core modules that provide what adapters import besides the two
//! components' own items: the component instances' flags globals, and a
//! `trap` intrinsic written in Wasm for graphs whose runtime does not
//! implement it. Both are ordinary modules to put in a graph next to the
//! adapters.

use crate::contract::{AdapterTrap, FLAGS_INITIAL, TRAP};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, ExportKind, ExportSection, Function, FunctionSection,
    GlobalSection, GlobalType, Instruction as I, Module, NameMap, NameSection, TypeSection,
    ValType,
};

/// A module that defines one flags global per component instance, exported
/// as `"0"`, `"1"`, … (`instances` of them), each a mutable `i32` starting
/// at [`FLAGS_INITIAL`]: the `flags` import module of every adapter.
pub fn flags_module(instances: u32) -> Vec<u8> {
    let mut globals = GlobalSection::new();
    let mut exports = ExportSection::new();
    for i in 0..instances {
        globals.global(
            GlobalType {
                val_type: ValType::I32,
                mutable: true,
                shared: false,
            },
            &ConstExpr::i32_const(FLAGS_INITIAL),
        );
        exports.export(&i.to_string(), ExportKind::Global, i);
    }
    let mut module = Module::new();
    module.section(&globals);
    module.section(&exports);
    module.finish()
}

/// A module that exports `trap(code: i32)`: it calls the function named
/// after the [`AdapterTrap`] with that code (`invalid-utf8`, …; `unknown`
/// for any other code), which executes `unreachable`, so the trap report
/// names the reason.
pub fn trap_module() -> Vec<u8> {
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], []);
    types.ty().function([], []);
    let mut functions = FunctionSection::new();
    let mut code = CodeSection::new();
    let mut names = NameMap::new();
    functions.function(0);
    names.append(0, TRAP);
    // trap: if code == N then call $N; …; call $unknown
    let mut dispatch = Function::new([]);
    for (i, t) in AdapterTrap::ALL.iter().enumerate() {
        dispatch
            .instruction(&I::LocalGet(0))
            .instruction(&I::I32Const(t.code() as i32))
            .instruction(&I::I32Eq)
            .instruction(&I::If(BlockType::Empty))
            .instruction(&I::Call(1 + i as u32))
            .instruction(&I::End);
    }
    dispatch
        .instruction(&I::Call(1 + AdapterTrap::ALL.len() as u32))
        .instruction(&I::End);
    code.function(&dispatch);
    let reasons = AdapterTrap::ALL.iter().map(|t| t.name()).chain(["unknown"]);
    for (i, name) in reasons.enumerate() {
        functions.function(1);
        let mut f = Function::new([]);
        f.instruction(&I::Unreachable).instruction(&I::End);
        code.function(&f);
        names.append(1 + i as u32, name);
    }
    let mut exports = ExportSection::new();
    exports.export(TRAP, ExportKind::Func, 0);
    let mut name_section = NameSection::new();
    name_section.functions(&names);
    let mut module = Module::new();
    module.section(&types);
    module.section(&functions);
    module.section(&exports);
    module.section(&code);
    module.section(&name_section);
    module.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_modules_validate() {
        crate::validate(&flags_module(3)).expect("flags module validates");
        crate::validate(&flags_module(0)).expect("an empty flags module validates");
        crate::validate(&trap_module()).expect("trap module validates");
    }
}
