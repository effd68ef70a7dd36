//! Functions the runtime provides: WASI preview 1.
//!
//! Each builtin `wasi_snapshot_preview1.NAME` is implemented in `runtime/` as
//! `extern "C" fn wasmlink_wasi_NAME(mem: *mut VMMemory, params…) -> i32`,
//! where `mem` is the calling instance's WASI memory (null when it has none).

use wasmlink_module::wasmparser;
use wasmparser::{FuncType, ValType};

/// The module name of WASI preview 1 imports.
pub const WASI_MODULE: &str = "wasi_snapshot_preview1";

/// One runtime-provided function.
#[derive(Debug, PartialEq, Eq)]
pub struct Builtin {
    pub module: &'static str,
    pub name: &'static str,
    pub params: &'static [ValType],
    pub results: &'static [ValType],
}

impl Builtin {
    /// The symbol of the runtime function that implements it.
    pub fn symbol(&self) -> String {
        format!("wasmlink_wasi_{}", self.name)
    }

    pub fn func_type(&self) -> FuncType {
        FuncType::new(self.params.iter().copied(), self.results.iter().copied())
    }

    /// Whether the call never returns (`proc_exit`).
    pub fn never_returns(&self) -> bool {
        self.name == "proc_exit"
    }
}

const I: ValType = ValType::I32;
const L: ValType = ValType::I64;
const ERRNO: &[ValType] = &[I];

macro_rules! wasi {
    ($($name:ident ( $($p:expr),* ) $( -> $r:expr )? ;)*) => {
        &[$(Builtin {
            module: WASI_MODULE,
            name: stringify!($name),
            params: &[$($p),*],
            results: wasi!(@ret $($r)?),
        }),*]
    };
    (@ret) => { ERRNO };
    (@ret $r:expr) => { $r };
}

static WASI_PREVIEW1: &[Builtin] = wasi! {
    args_get(I, I);
    args_sizes_get(I, I);
    environ_get(I, I);
    environ_sizes_get(I, I);
    clock_res_get(I, I);
    clock_time_get(I, L, I);
    fd_advise(I, L, L, I);
    fd_allocate(I, L, L);
    fd_close(I);
    fd_datasync(I);
    fd_fdstat_get(I, I);
    fd_fdstat_set_flags(I, I);
    fd_fdstat_set_rights(I, L, L);
    fd_filestat_get(I, I);
    fd_filestat_set_size(I, L);
    fd_filestat_set_times(I, L, L, I);
    fd_pread(I, I, I, L, I);
    fd_prestat_get(I, I);
    fd_prestat_dir_name(I, I, I);
    fd_pwrite(I, I, I, L, I);
    fd_read(I, I, I, I);
    fd_readdir(I, I, I, L, I);
    fd_renumber(I, I);
    fd_seek(I, L, I, I);
    fd_sync(I);
    fd_tell(I, I);
    fd_write(I, I, I, I);
    path_create_directory(I, I, I);
    path_filestat_get(I, I, I, I, I);
    path_filestat_set_times(I, I, I, I, L, L, I);
    path_link(I, I, I, I, I, I, I);
    path_open(I, I, I, I, I, L, L, I, I);
    path_readlink(I, I, I, I, I, I);
    path_remove_directory(I, I, I);
    path_rename(I, I, I, I, I, I);
    path_symlink(I, I, I, I, I);
    path_unlink_file(I, I, I);
    poll_oneoff(I, I, I, I);
    proc_exit(I) -> &[];
    proc_raise(I);
    random_get(I, I);
    sched_yield();
    sock_accept(I, I, I);
    sock_recv(I, I, I, I, I, I);
    sock_send(I, I, I, I, I);
    sock_shutdown(I, I);
};

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

    #[test]
    fn fd_write_signature() {
        let b = builtin(WASI_MODULE, "fd_write").unwrap();
        assert_eq!(b.params, &[I, I, I, I]);
        assert_eq!(b.results, &[I]);
        assert_eq!(b.symbol(), "wasmlink_wasi_fd_write");
        assert!(builtin(WASI_MODULE, "no_such_call").is_none());
        assert!(builtin(WASI_MODULE, "proc_exit").unwrap().never_returns());
    }
}
