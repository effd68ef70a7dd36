//! The WASI preview 1 functions the runtime provides, as one list of rows
//! that both sides expand: the resolver's builtin table (which imports
//! bind to the runtime, with which wasm signature) and the runtime's
//! exported `wasmlink_wasi_*` functions.

/// The module name of WASI preview 1 imports.
pub const WASI_MODULE: &str = "wasi_snapshot_preview1";

/// Expand `$mac!` with one row per WASI preview 1 function:
///
/// ```text
/// name [symbol] (param: RustType, …) -> errno;   // returns an errno (wasm i32)
/// name [symbol] (param: RustType, …) -> never;   // no result, never returns
/// ```
///
/// `symbol` is an expression naming the runtime's export,
/// `concat!("wasmlink_wasi_", name)`. Parameter types are `u32`/`i32`
/// (wasm `i32`) or `u64`/`i64` (wasm `i64`), exactly the runtime's types.
/// The C function takes the calling instance's WASI memory
/// (`*mut VMMemory`, null when it has none) before the listed parameters:
/// `wasmlink_wasi_fd_write(mem, fd, iovs, iovs_len, nwritten) -> i32`.
#[macro_export]
macro_rules! foreach_wasi_fn {
    ($mac:ident) => {
        $crate::__wasi_rows! { $mac
            args_get(argv: u32, argv_buf: u32) -> errno;
            args_sizes_get(argc: u32, buf_size: u32) -> errno;
            environ_get(environ: u32, environ_buf: u32) -> errno;
            environ_sizes_get(count: u32, buf_size: u32) -> errno;
            clock_res_get(id: u32, res: u32) -> errno;
            clock_time_get(id: u32, precision: u64, time: u32) -> errno;
            fd_advise(fd: u32, off: u64, len: u64, advice: u32) -> errno;
            fd_allocate(fd: u32, off: u64, len: u64) -> errno;
            fd_close(fd: u32) -> errno;
            fd_datasync(fd: u32) -> errno;
            fd_fdstat_get(fd: u32, buf: u32) -> errno;
            fd_fdstat_set_flags(fd: u32, flags: u32) -> errno;
            fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) -> errno;
            fd_filestat_get(fd: u32, buf: u32) -> errno;
            fd_filestat_set_size(fd: u32, size: u64) -> errno;
            fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst: u32) -> errno;
            fd_pread(fd: u32, iovs: u32, iovs_len: u32, off: u64, nread: u32) -> errno;
            fd_prestat_get(fd: u32, buf: u32) -> errno;
            fd_prestat_dir_name(fd: u32, path: u32, len: u32) -> errno;
            fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, off: u64, nwritten: u32) -> errno;
            fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32) -> errno;
            fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused: u32) -> errno;
            fd_renumber(fd: u32, to: u32) -> errno;
            fd_seek(fd: u32, off: i64, whence: u32, newoffset: u32) -> errno;
            fd_sync(fd: u32) -> errno;
            fd_tell(fd: u32, out: u32) -> errno;
            fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32) -> errno;
            path_create_directory(fd: u32, path: u32, len: u32) -> errno;
            path_filestat_get(fd: u32, flags: u32, path: u32, len: u32, buf: u32) -> errno;
            path_filestat_set_times(
                fd: u32,
                flags: u32,
                path: u32,
                len: u32,
                atim: u64,
                mtim: u64,
                fst_flags: u32
            ) -> errno;
            path_link(
                old_fd: u32,
                old_flags: u32,
                old_path: u32,
                old_len: u32,
                new_fd: u32,
                new_path: u32,
                new_len: u32
            ) -> errno;
            path_open(
                fd: u32,
                dirflags: u32,
                path: u32,
                path_len: u32,
                oflags: u32,
                rights_base: u64,
                rights_inheriting: u64,
                fdflags: u32,
                opened: u32
            ) -> errno;
            path_readlink(fd: u32, path: u32, len: u32, buf: u32, buf_len: u32, bufused: u32) -> errno;
            path_remove_directory(fd: u32, path: u32, len: u32) -> errno;
            path_rename(
                fd: u32,
                old_path: u32,
                old_len: u32,
                new_fd: u32,
                new_path: u32,
                new_len: u32
            ) -> errno;
            path_symlink(old_path: u32, old_len: u32, fd: u32, new_path: u32, new_len: u32) -> errno;
            path_unlink_file(fd: u32, path: u32, len: u32) -> errno;
            poll_oneoff(subs: u32, out: u32, nsubs: u32, nevents: u32) -> errno;
            proc_exit(code: u32) -> never;
            proc_raise(sig: u32) -> errno;
            random_get(buf: u32, len: u32) -> errno;
            sched_yield() -> errno;
            sock_accept(fd: u32, flags: u32, result: u32) -> errno;
            sock_recv(
                fd: u32,
                iovs: u32,
                iovs_len: u32,
                ri_flags: u32,
                ro_datalen: u32,
                ro_flags: u32
            ) -> errno;
            sock_send(fd: u32, iovs: u32, iovs_len: u32, si_flags: u32, so_datalen: u32) -> errno;
            sock_shutdown(fd: u32, how: u32) -> errno;
        }
    };
}

/// Adds each row's symbol (`foreach_wasi_fn!` is the list to read).
#[doc(hidden)]
#[macro_export]
macro_rules! __wasi_rows {
    ($mac:ident $(
        $name:ident ( $($param:ident : $ty:ty),* $(,)? ) -> $result:ident;
    )*) => {
        $mac! {
            $(
                $name [concat!("wasmlink_wasi_", stringify!($name))]
                    ($($param : $ty),*) -> $result;
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{AbiScalar, Scalar};

    struct Row {
        name: &'static str,
        symbol: &'static str,
        params: &'static [Scalar],
        never_returns: bool,
    }

    macro_rules! rows {
        ($($name:ident [$symbol:expr] ($($param:ident : $ty:ty),*) -> $result:ident;)*) => {
            &[$(Row {
                name: stringify!($name),
                symbol: $symbol,
                params: &[$(<$ty as AbiScalar>::SCALAR),*],
                never_returns: rows!(@never $result),
            }),*]
        };
        (@never errno) => { false };
        (@never never) => { true };
    }

    const ROWS: &[Row] = foreach_wasi_fn!(rows);

    #[test]
    fn every_row_has_its_symbol_and_wasm_scalars_only() {
        assert_eq!(ROWS.len(), 46);
        for (i, r) in ROWS.iter().enumerate() {
            assert_eq!(r.symbol.strip_prefix("wasmlink_wasi_"), Some(r.name));
            assert!(r.params.iter().all(|p| *p != Scalar::Pointer));
            assert!(ROWS[..i].iter().all(|o| o.name != r.name), "{}", r.name);
        }
        let never: Vec<&str> = ROWS
            .iter()
            .filter(|r| r.never_returns)
            .map(|r| r.name)
            .collect();
        assert_eq!(never, ["proc_exit"]);
        let fd_write = ROWS.iter().find(|r| r.name == "fd_write").unwrap();
        assert_eq!(fd_write.params, &[Scalar::I32; 4]);
    }
}
