//! Functions the runtime provides: WASI preview 1 and wasi-threads.
//!
//! The table is expanded from `wasmlink_abi::foreach_wasi_fn!`, the list
//! the runtime's exports are generated from too, so a builtin's signature
//! here is the runtime function's. Each builtin `wasi_snapshot_preview1.NAME`
//! is the runtime's C function `wasmlink_wasi_NAME(mem, params…)`, where
//! `mem` is the calling instance's WASI memory (null when it has none).
//! The one wasi-threads function, `wasi.thread-spawn`, is
//! `wasmlink_thread_spawn(cx, start_arg)`, where `cx` is the calling
//! instance's `ThreadSpawnContext` (see `wasmlink_abi`'s `threads`).

use wasmlink_abi::{AbiScalar, Scalar};
use wasmlink_module::wasmparser;
use wasmparser::{FuncType, ValType};

pub use wasmlink_abi::{WASI_MODULE, WASI_THREADS_MODULE};

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

    /// Whether this is `wasi.thread-spawn`, whose runtime function takes
    /// the caller's `ThreadSpawnContext` instead of its memory.
    pub fn is_thread_spawn(&self) -> bool {
        self.module == WASI_THREADS_MODULE && self.name == wasmlink_abi::THREAD_SPAWN
    }
}

/// `wasi.thread-spawn (param i32) (result i32)`.
const THREAD_SPAWN: Builtin = Builtin {
    module: WASI_THREADS_MODULE,
    name: wasmlink_abi::THREAD_SPAWN,
    params: &[ValType::I32],
    results: &[ValType::I32],
    symbol: wasmlink_abi::THREAD_SPAWN_SYMBOL,
    never_returns: false,
};

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
        },)* THREAD_SPAWN]
    };
    (@results errno) => { &[ValType::I32] };
    (@results never) => { &[] };
    (@never errno) => { false };
    (@never never) => { true };
}

/// WASI preview 1, then `wasi.thread-spawn`.
static BUILTINS: &[Builtin] = wasmlink_abi::foreach_wasi_fn!(builtin_table);

/// Every builtin, in a fixed order.
pub fn builtins() -> &'static [Builtin] {
    BUILTINS
}

/// The builtin `module.name`, if the runtime provides one.
pub fn builtin(module: &str, name: &str) -> Option<&'static Builtin> {
    BUILTINS
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
        assert_eq!(builtins().len(), 47);
        let spawn = builtin(WASI_THREADS_MODULE, "thread-spawn").unwrap();
        assert!(spawn.is_thread_spawn() && !exit.is_thread_spawn());
        assert_eq!((spawn.params, spawn.results), (&[I][..], &[I][..]));
        assert_eq!(spawn.symbol(), "wasmlink_thread_spawn");
        assert!(builtin(WASI_MODULE, "thread-spawn").is_none());
    }
}
