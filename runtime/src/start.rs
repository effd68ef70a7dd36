//! Program startup: the executable's C `main`.
//!
//! `main` reads the embedded WASI configuration, opens the preopened
//! directories, installs the fault handlers and runs the object's
//! `wasmlink_program_start` on the big-stack thread. The program ends by
//! returning from its entry (status 0), `proc_exit(n)` (status n), a trap
//! (status 134) or a setup failure (status 1).

use crate::config::{self, Args, Config, Env};
use crate::sys;
use crate::wasi::WasiCtx;
use std::ffi::{CStr, CString};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::raw::c_char;

/// Build the program's WASI state from the configuration and the
/// executable's own arguments and environment.
pub fn build_ctx(
    cfg: Config,
    host_args: Vec<Vec<u8>>,
    host_env: Vec<Vec<u8>>,
) -> Result<WasiCtx, String> {
    let args = match cfg.args {
        Args::Inherit => host_args,
        Args::Fixed(a) => a,
    };
    let env = match cfg.env {
        Env::Inherit => host_env,
        Env::Fixed(e) => e,
    };
    let mut preopens = Vec::with_capacity(cfg.preopens.len());
    for (guest, host) in cfg.preopens {
        let shown = String::from_utf8_lossy(&host).into_owned();
        let c = CString::new(host).map_err(|_| format!("bad preopened directory `{shown}`"))?;
        // Relative host paths resolve against the working directory the
        // program was started in: nothing has changed it yet.
        // SAFETY: valid C string.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            let why = sys::strerror(sys::errno());
            return Err(format!("cannot open preopened directory `{shown}`: {why}"));
        }
        // SAFETY: a fresh descriptor we own.
        preopens.push((guest, unsafe { OwnedFd::from_raw_fd(fd) }));
    }
    Ok(WasiCtx::new(args, env, preopens))
}

/// Copy a NULL-terminated (or `count`-long) C string array.
///
/// # Safety
/// `list` is null or points to valid C strings as described.
pub unsafe fn c_strings(list: *const *const c_char, count: Option<usize>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if list.is_null() {
        return out;
    }
    let mut i = 0;
    while count.is_none_or(|n| i < n) {
        let p = *list.add(i);
        if p.is_null() {
            break;
        }
        out.push(CStr::from_ptr(p).to_bytes().to_vec());
        i += 1;
    }
    out
}

/// The embedded configuration bytes.
#[cfg(not(test))]
fn embedded_config() -> &'static [u8] {
    extern "C" {
        static wasmlink_wasi_config: [u8; 0];
        static wasmlink_wasi_config_len: u64;
    }
    // SAFETY: the object defines `wasmlink_wasi_config_len` bytes there.
    unsafe {
        std::slice::from_raw_parts(
            std::ptr::addr_of!(wasmlink_wasi_config).cast::<u8>(),
            wasmlink_wasi_config_len as usize,
        )
    }
}

/// Everything `main` does, with failures as messages.
#[cfg(not(test))]
unsafe fn run(
    argc: i32,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> Result<(), String> {
    extern "C" {
        fn wasmlink_program_start(values: *mut [u8; 16]);
    }
    let cfg = config::parse(embedded_config())?;
    let args = c_strings(argv, Some(argc.max(0) as usize));
    let env = c_strings(envp, None);
    let harness = crate::harness::enabled();
    // The entry's arguments come from the command line and are checked
    // before any guest code runs (instantiation included).
    let entry = if harness {
        None
    } else {
        let sig = crate::entry::embedded_signature()?;
        match crate::entry::parse_args(&sig, args.get(1..).unwrap_or_default()) {
            Ok(slots) => Some((sig, slots)),
            Err(msg) => {
                sys::write_stderr(&[b"wasmlink runtime: ", msg.as_bytes(), b"\n"]);
                // SAFETY: `_exit` is always safe to call.
                unsafe { libc::_exit(crate::entry::USAGE_EXIT_STATUS) }
            }
        }
    };
    crate::wasi::install(build_ctx(cfg, args, env)?);
    crate::trap::install();
    let body = move || match entry {
        None => crate::harness::serve(),
        Some((sig, mut slots)) => {
            // SAFETY: the object's entry takes a pointer to
            // `sig.slot_count()` writable 16-byte slots, which `slots` is.
            unsafe { wasmlink_program_start(slots.as_mut_ptr()) };
            let text = crate::entry::format_results(&sig, &slots);
            if !text.is_empty() {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                // A closed or full stdout is the caller's business, as
                // for any program printing its result.
                let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            }
        }
    };
    if !crate::stack::run_on_wasm_stack(body) {
        return Err("cannot start the program thread".into());
    }
    Ok(())
}

/// The executable's entry point.
///
/// # Safety
/// Called by the C runtime with valid `argv`/`envp`.
#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn main(
    argc: i32,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> i32 {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(argc, argv, envp))) {
        Ok(Ok(())) => 0,
        Ok(Err(msg)) => sys::fatal(&[msg.as_bytes()]),
        Err(_) => sys::fatal(&[b"internal error during startup"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::TempDir;

    #[test]
    fn ctx_from_config() {
        let d = TempDir::new();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        let cfg = config::parse(
            format!(
                "args-inherit\0env\0A=1\0preopen\0/x\0{}\0",
                d.path().join("sub").display()
            )
            .as_bytes(),
        )
        .unwrap();
        let ctx = build_ctx(cfg, vec![b"me".to_vec()], vec![b"HOME=/".to_vec()]).unwrap();
        assert_eq!(ctx.args, vec![b"me".to_vec()]);
        assert_eq!(ctx.env, vec![b"A=1".to_vec()]);
        assert_eq!(ctx.fds.get(3).unwrap().preopen.as_deref(), Some(&b"/x"[..]));
        assert!(ctx.fds.get(4).is_err());

        let cfg = config::parse(b"preopen\0/x\0/definitely/not/here\0").unwrap();
        let err = build_ctx(cfg, vec![], vec![]).unwrap_err();
        assert!(err.contains("/definitely/not/here"), "{err}");
    }

    #[test]
    fn c_string_lists() {
        let a = CString::new("a").unwrap();
        let b = CString::new("bc").unwrap();
        let list = [a.as_ptr(), b.as_ptr(), std::ptr::null()];
        unsafe {
            assert_eq!(
                c_strings(list.as_ptr(), None),
                vec![b"a".to_vec(), b"bc".to_vec()]
            );
            assert_eq!(c_strings(list.as_ptr(), Some(1)), vec![b"a".to_vec()]);
            assert!(c_strings(std::ptr::null(), None).is_empty());
        }
    }
}
