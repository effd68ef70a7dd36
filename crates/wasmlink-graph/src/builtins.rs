//! Functions the runtime provides: WASI preview 1.
//!
//! The table is expanded from `wasmlink_abi::foreach_wasi_fn!`, the list
//! the runtime's exports are generated from too, so a builtin's signature
//! here is the runtime function's. Each builtin `wasi_snapshot_preview1.NAME`
//! is the runtime's C function `wasmlink_wasi_NAME(mem, params…)`, where
//! `mem` is the calling instance's WASI memory (null when it has none).

use wasmlink_abi::{AbiScalar, Scalar};
use wasmlink_module::wasmparser;
use wasmparser::{FuncType, ValType};

pub use wasmlink_abi::WASI_MODULE;

/// One runtime-provided function.
#[derive(Debug, PartialEq, Eq)]
pub struct Builtin {
    pub module: &'static str,
    pub name: &'static str,
    pub params: &'static [ValType],
    pub results: &'static [ValType],
    symbol: &'static str,
    never_returns: bool,
}

impl Builtin {
    /// The symbol of the runtime function that implements it.
    pub fn symbol(&self) -> &'static str {
        self.symbol
    }

    pub fn func_type(&self) -> FuncType {
        FuncType::new(self.params.iter().copied(), self.results.iter().copied())
    }

    /// Whether the call never returns (`proc_exit`).
    pub fn never_returns(&self) -> bool {
        self.never_returns
    }
}

/// The wasm type of a WASI parameter. WASI functions take integers only;
/// a row with a pointer type fails to compile here.
const fn wasm_type(s: Scalar) -> ValType {
    match s {
        Scalar::I32 => ValType::I32,
        Scalar::I64 => ValType::I64,
        Scalar::Pointer => panic!("WASI parameters are wasm integers"),
    }
}

macro_rules! builtin_table {
    ($( $name:ident [$symbol:expr] ( $($param:ident : $ty:ty),* ) -> $result:ident; )*) => {
        &[$(Builtin {
            module: WASI_MODULE,
            name: stringify!($name),
            params: &[$(wasm_type(<$ty as AbiScalar>::SCALAR)),*],
            results: builtin_table!(@results $result),
            symbol: $symbol,
            never_returns: builtin_table!(@never $result),
        }),*]
    };
    (@results errno) => { &[ValType::I32] };
    (@results never) => { &[] };
    (@never errno) => { false };
    (@never never) => { true };
}

static WASI_PREVIEW1: &[Builtin] = wasmlink_abi::foreach_wasi_fn!(builtin_table);

/// Every builtin, in a fixed order.
pub fn builtins() -> &'static [Builtin] {
    WASI_PREVIEW1
}

/// The builtin `module.name`, if the runtime provides one.
pub fn builtin(module: &str, name: &str) -> Option<&'static Builtin> {
    WASI_PREVIEW1
        .iter()
        .find(|b| b.module == module && b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: ValType = ValType::I32;
    const L: ValType = ValType::I64;

    #[test]
    fn signatures_come_from_the_contract() {
        let b = builtin(WASI_MODULE, "fd_write").unwrap();
        assert_eq!(b.params, &[I, I, I, I]);
        assert_eq!(b.results, &[I]);
        assert_eq!(b.symbol(), "wasmlink_wasi_fd_write");
        assert!(!b.never_returns());
        let seek = builtin(WASI_MODULE, "fd_seek").unwrap();
        assert_eq!(seek.params, &[I, L, I, I]);
        assert!(builtin(WASI_MODULE, "no_such_call").is_none());
        let exit = builtin(WASI_MODULE, "proc_exit").unwrap();
        assert!(exit.never_returns());
        assert_eq!((exit.params, exit.results), (&[I][..], &[][..]));
        assert_eq!(builtins().len(), 46);
    }
}
