//! Program start-up: the executable's C `main`.
//!
//! In order, `main`:
//!
//! 1. reopens closed standard descriptors on `/dev/null`
//!    ([`sys::reopen_closed_stdio`]) before anything else opens a file;
//! 2. reads the embedded configuration ([`config`]) and, unless it turns
//!    them off, the `WASMLINK_FLAGS` variable ([`flags`]);
//! 3. builds what the program sees ([`build_ctx`]): its arguments,
//!    environment and preopened directories;
//! 4. parses the entry's arguments from the command line ([`crate::entry`]);
//! 5. installs the fault handlers and runs the object's
//!    `wasmlink_program_start` on the big-stack thread (for a program
//!    that may spawn threads, on the main slot of [`crate::threads`]),
//!    then prints the entry's results.
//!
//! A configuration in snapshot mode ([`crate::preinit`]) replaces steps 2
//! to 5: `main` runs the start code with the pre-initialisation context,
//! which takes a snapshot of the initialised program and ends the process.
//!
//! The program ends by returning from its entry (status 0), `proc_exit(n)`
//! (status n, see [`crate::wasi::proc`]), a trap (status 134) or a start-up
//! failure: [`StartError`] says which status each kind exits with.

use crate::config::{self, Args, Config, Env};
use crate::embed::EmbeddedNode;
use crate::flags::{self, RuntimeFlags};
use crate::platform::fd::{FromRawFd, OwnedFd};
use crate::sys;
use crate::wasi::{HostBytes, Preopen, WasiCtx};
use alloc::ffi::CString;
use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::{c_char, CStr};

/// Why the program could not start.
#[derive(Debug, PartialEq, Eq)]
pub enum StartError {
    /// The executable or the host is not usable: a bad configuration, a
    /// manifest preopen that cannot be opened, no thread. Status 1.
    Setup(String),
    /// `WASMLINK_FLAGS` is wrong or asks for a directory that cannot be
    /// opened. Status 2, the status of a usage error.
    Flags(String),
    /// The command line does not give the entry's parameters (see
    /// [`crate::entry`]). Status 2.
    Arguments(String),
}

impl StartError {
    /// The exit status and the message (without the `wasmlink runtime: `
    /// prefix every runtime message has).
    pub fn status_and_message(&self) -> (i32, String) {
        match self {
            StartError::Setup(m) => (1, m.clone()),
            StartError::Flags(m) => (2, format!("{}: {m}", String::from_utf8_lossy(flags::VAR))),
            StartError::Arguments(m) => (crate::entry::USAGE_EXIT_STATUS, m.clone()),
        }
    }
}

/// What the executable was started with.
#[derive(Clone, Debug, Default)]
pub struct HostProcess {
    /// Its argv, argv\[0\] included.
    pub args: Vec<HostBytes>,
    /// Its environment, `NAME=VALUE` entries.
    pub env: Vec<HostBytes>,
}

/// The flags to apply: parsed from `WASMLINK_FLAGS` when the configuration
/// reads it, none otherwise.
pub fn runtime_flags(cfg: &Config, host: &HostProcess) -> Result<RuntimeFlags, StartError> {
    if !cfg.runtime_flags {
        return Ok(RuntimeFlags::default());
    }
    match flags::lookup(&host.env, flags::VAR) {
        Some(text) => flags::parse(text).map_err(StartError::Flags),
        None => Ok(RuntimeFlags::default()),
    }
}

/// Open `host` as a preopened directory.
fn open_dir(host: &[u8]) -> Result<OwnedFd, String> {
    let shown = String::from_utf8_lossy(host).into_owned();
    let c = CString::new(host).map_err(|_| format!("bad preopened directory `{shown}`"))?;
    // Relative host paths resolve against the working directory the
    // program was started in: nothing has changed it yet.
    // SAFETY: `c` is a NUL-terminated string that outlives the call.
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
    // SAFETY: `open` just returned `fd`: it is open and nothing else
    // owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The preopened directories of embedded files `embeds` names (guest
/// path, tree), from the program's blob.
fn embedded_preopens(embeds: Vec<(Vec<u8>, u32)>) -> Result<Vec<(Vec<u8>, Preopen)>, String> {
    if embeds.is_empty() {
        return Ok(Vec::new());
    }
    let blob = crate::embed::program_blob()?
        .ok_or("the WASI configuration names embedded files the program does not have")?;
    embeds
        .into_iter()
        .map(|(guest, tree)| {
            let root = EmbeddedNode::root(blob, tree)
                .ok_or_else(|| format!("the embedded files have no tree {tree}"))?;
            Ok((guest, Preopen::Embedded(root)))
        })
        .collect()
}

/// Build the program's WASI state: the configuration's settings, with the
/// runtime flags applied over them, from what the executable was started
/// with.
pub fn build_ctx(
    cfg: Config,
    flags: &RuntimeFlags,
    host: HostProcess,
) -> Result<WasiCtx, StartError> {
    let mut args = match cfg.args {
        Args::Inherit => host.args,
        Args::Fixed(a) => a.into_iter().map(HostBytes::Owned).collect(),
    };
    flags.apply_to_args(&mut args);
    // The host environment is needed again only by flags that copy a
    // variable from it; otherwise it becomes the program's, uncopied.
    let host_env = if flags.env.is_empty() {
        Vec::new()
    } else {
        host.env.clone()
    };
    let mut env = match cfg.env {
        Env::Inherit => {
            let mut env = host.env;
            if cfg.runtime_flags {
                // The flags are for the runtime, not the program.
                flags::remove_var(&mut env, flags::VAR);
            }
            env
        }
        Env::Fixed(e) => e.into_iter().map(HostBytes::Owned).collect(),
    };
    flags.apply_to_env(&mut env, &host_env);
    let mut preopens = Vec::with_capacity(cfg.preopens.len() + flags.dirs.len());
    for (guest, host) in cfg.preopens {
        let dir = open_dir(&host).map_err(StartError::Setup)?;
        preopens.push((guest, Preopen::Host(dir)));
    }
    preopens.extend(embedded_preopens(cfg.embeds).map_err(StartError::Setup)?);
    for dir in &flags.dirs {
        let fd = open_dir(&dir.host).map_err(|e| StartError::Flags(format!("--dir: {e}")))?;
        preopens.push((dir.guest.clone(), Preopen::Host(fd)));
    }
    let mut ctx = WasiCtx::with_preopens(args, env, preopens);
    ctx.p2.network = flags.inherit_network.unwrap_or(cfg.inherit_network);
    ctx.p2.ip_name_lookup = flags
        .allow_ip_name_lookup
        .unwrap_or(cfg.allow_ip_name_lookup);
    Ok(ctx)
}

/// The strings of a NULL-terminated (or `count`-long) C string array,
/// borrowed, not copied: about 4 µs of start-up with a usual environment.
///
/// # Safety
/// `list` is null or points to valid C strings as described, which stay
/// allocated and unchanged for the rest of the process: the C runtime's
/// `argv` and `envp` (the runtime never calls `setenv` or `putenv`).
pub unsafe fn c_strings(list: *const *const c_char, count: Option<usize>) -> Vec<HostBytes> {
    if list.is_null() {
        return Vec::new();
    }
    // SAFETY: the list has `count` entries, or entries up to a null one
    // (the caller's guarantee), and `i` never passes either end.
    let entry = |i: usize| unsafe { *list.add(i) };
    let len = (0..)
        .take_while(|&i| count.is_none_or(|n| i < n) && !entry(i).is_null())
        .count();
    (0..len)
        // SAFETY: a non-null entry is a valid C string that lives, unchanged,
        // as long as the process (the caller's guarantee).
        .map(|i| HostBytes::Borrowed(unsafe { CStr::from_ptr(entry(i)) }.to_bytes()))
        .collect()
}

/// The embedded configuration bytes.
#[cfg(not(test))]
fn embedded_config() -> &'static [u8] {
    use crate::contract::object::{wasmlink_wasi_config, wasmlink_wasi_config_len};
    // SAFETY: the object defines `wasmlink_wasi_config_len` initialised
    // bytes at `wasmlink_wasi_config` (codegen `statics`), in read-only
    // data that lives as long as the process.
    unsafe {
        core::slice::from_raw_parts(
            core::ptr::addr_of!(wasmlink_wasi_config).cast::<u8>(),
            wasmlink_wasi_config_len as usize,
        )
    }
}

/// Everything `main` does after the standard descriptors are safe.
///
/// # Safety
/// `argv` holds `argc` valid C strings and `envp` is a NULL-terminated
/// list of valid C strings (what the C runtime passes to `main`).
#[cfg(not(test))]
unsafe fn run(
    argc: i32,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> Result<core::convert::Infallible, StartError> {
    use crate::contract::object::wasmlink_program_start;
    let cfg = config::parse(embedded_config()).map_err(StartError::Setup)?;
    // SAFETY: the C runtime's `argv`/`envp` (this function's contract).
    let host = unsafe {
        HostProcess {
            args: c_strings(argv, Some(argc.max(0) as usize)),
            env: c_strings(envp, None),
        }
    };
    if cfg.preinit.is_some() {
        // SAFETY: the object's own `wasmlink_program_start` (as below).
        return unsafe { take_snapshot(cfg, &host) };
    }
    let flags = runtime_flags(&cfg, &host)?;
    if flags.gc_stats {
        crate::gc::report_at_exit();
    }
    if flags.gc_stress {
        crate::gc::stress();
    }
    let harness = crate::harness::enabled();
    // The entry's arguments come from the command line and are checked
    // before any guest code runs (instantiation included).
    let entry = if harness {
        None
    } else {
        let sig = crate::entry::embedded_signature().map_err(StartError::Setup)?;
        let slots = crate::entry::parse_args(&sig, host.args.get(1..).unwrap_or_default())
            .map_err(StartError::Arguments)?;
        Some((sig, slots))
    };
    let max_threads = cfg.max_threads;
    crate::wasi::install(build_ctx(cfg, &flags, host)?);
    crate::trap::install();
    let body = move || match entry {
        None => crate::harness::serve(),
        Some((sig, mut slots)) => {
            // SAFETY: the object's `wasmlink_program_start` was generated
            // for the entry `wasmlink_entry_signature` describes: it reads
            // that many parameters from the slots and writes that many
            // results, and `slots` has room for both (`slot_count`). It
            // runs on the thread whose stack the stack limit was set for.
            unsafe { wasmlink_program_start(slots.as_mut_ptr()) };
            let text = crate::entry::format_results(&sig, &slots);
            if !text.is_empty() {
                // A closed or full stdout is the caller's business, as
                // for any program printing its result.
                let _ = crate::platform::io::write_stdout(text.as_bytes());
            }
        }
    };
    let Some(max) = max_threads else {
        if !crate::stack::run_on_wasm_stack(body) {
            return Err(StartError::Setup("cannot start the program thread".into()));
        }
        // Nothing is left to flush (the runtime never buffers output), so
        // the C library's `exit`, which would touch pages of its own to
        // run its handlers and flush its streams, is skipped.
        crate::sys::exit_now(0)
    };
    // A program that may spawn threads (wasi-threads): its stacks live in
    // one reservation (`crate::threads`), and it ends when the entry
    // returns, whatever its other threads are doing.
    crate::threads::setup(max).map_err(StartError::Setup)?;
    if !crate::threads::run_main(body) {
        return Err(StartError::Setup("cannot start the program thread".into()));
    }
    crate::sys::exit_now(0)
}

/// Snapshot mode (see [`crate::preinit`]): instantiate with the
/// pre-initialisation WASI context and let the generated start code take
/// the snapshot, which ends the process.
///
/// # Safety
/// The object's `wasmlink_program_start` was generated in snapshot mode.
#[cfg(not(test))]
unsafe fn take_snapshot(
    cfg: Config,
    host: &HostProcess,
) -> Result<core::convert::Infallible, StartError> {
    use crate::contract::object::wasmlink_program_start;
    let file = host.args.get(1).cloned().ok_or_else(|| {
        StartError::Setup("a snapshot program takes the snapshot file as its argument".into())
    })?;
    crate::preinit::activate(file.into_owned());
    // The preopens, and the embedded directories, are seen by name only
    // (every call that would use one is refused): the working directory,
    // the builder's private one, stands in for each.
    let mut preopens = Vec::with_capacity(cfg.preopens.len() + cfg.embeds.len());
    let names = cfg.preopens.into_iter().map(|(guest, _)| guest);
    for guest in names.chain(cfg.embeds.into_iter().map(|(guest, _)| guest)) {
        preopens.push((guest, open_dir(b".").map_err(StartError::Setup)?));
    }
    let name = cfg.preinit.unwrap_or_default();
    crate::wasi::install(WasiCtx::new(vec![name.into()], Vec::new(), preopens));
    crate::trap::install();
    let body = || {
        let mut slot = [wasmlink_abi::ValueSlot::default(); 1];
        // SAFETY: in snapshot mode the start code calls no entry (it reads
        // and writes no value slot beyond the one given) and ends the
        // process once the snapshot is written. It runs on the thread the
        // stack limit was set for.
        unsafe { wasmlink_program_start(slot.as_mut_ptr()) };
    };
    if !crate::stack::run_on_wasm_stack(body) {
        return Err(StartError::Setup("cannot start the program thread".into()));
    }
    Err(StartError::Setup(
        "the snapshot program ended without taking its snapshot".into(),
    ))
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
    if let Err(msg) = sys::reopen_closed_stdio() {
        sys::fatal(&[msg.as_bytes()]);
    }
    // A panic does not come back here: the runtime's panic handler
    // reports it and aborts (`crate::platform`).
    // `run` returns only when the program could not start: it ends the
    // process itself otherwise.
    // SAFETY: the C runtime's `argv`/`envp` (this function's contract).
    let Err(e) = unsafe { run(argc, argv, envp) };
    let (status, msg) = e.status_and_message();
    sys::exit_with_message(status, &[msg.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tag;
    use crate::config::tests::{encode, preopen};
    use crate::wasi::testutil::TempDir;

    fn v(s: &[&str]) -> Vec<HostBytes> {
        s.iter().map(|s| s.as_bytes().to_vec().into()).collect()
    }

    fn host(args: &[&str], env: &[&str]) -> HostProcess {
        HostProcess {
            args: v(args),
            env: v(env),
        }
    }

    /// Build a context from configuration records and a host process,
    /// reading `WASMLINK_FLAGS` as `main` does.
    fn start(records: &[(u8, &[u8])], host: HostProcess) -> Result<WasiCtx, StartError> {
        let cfg = config::parse(&encode(records)).unwrap();
        let flags = runtime_flags(&cfg, &host)?;
        build_ctx(cfg, &flags, host)
    }

    fn preopen_name(ctx: &WasiCtx, fd: u32) -> Option<Vec<u8>> {
        ctx.fds.get(fd).ok().and_then(|e| e.preopen.clone())
    }

    #[test]
    fn ctx_from_config() {
        let d = TempDir::new();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        let sub = d.path().join("sub").display().to_string();
        let p = preopen(b"/x", sub.as_bytes());
        let ctx = start(
            &[
                (tag::ARGS_INHERIT, b""),
                (tag::ENV, b"A=1"),
                (tag::PREOPEN, &p),
            ],
            host(&["me"], &["HOME=/"]),
        )
        .unwrap();
        assert_eq!(ctx.args, v(&["me"]));
        assert_eq!(ctx.env, v(&["A=1"]));
        assert_eq!(preopen_name(&ctx, 3).as_deref(), Some(&b"/x"[..]));
        assert!(ctx.fds.get(4).is_err());

        let p = preopen(b"/x", b"/definitely/not/here");
        let err = start(&[(tag::PREOPEN, &p)], host(&[], &[])).unwrap_err();
        match err {
            StartError::Setup(m) => assert!(m.contains("/definitely/not/here"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn flags_apply_over_the_configuration() {
        let d = TempDir::new();
        std::fs::create_dir(d.path().join("a")).unwrap();
        std::fs::create_dir(d.path().join("b c")).unwrap();
        let a = d.path().join("a").display().to_string();
        let bc = d.path().join("b c").display().to_string();
        let flags = format!(
            "WASMLINK_FLAGS=--dir {a} --dir '{bc}::/bc' --env B=flag --env HOME --argv0 shown"
        );
        let p = preopen(b"/m", a.as_bytes());
        let ctx = start(
            &[
                (tag::ARG, b"prog"),
                (tag::ARG, b"x"),
                (tag::ENV, b"A=manifest"),
                (tag::ENV, b"B=manifest"),
                (tag::PREOPEN, &p),
            ],
            host(&["exe", "host-arg"], &["HOME=/home/u", &flags]),
        )
        .unwrap();
        assert_eq!(
            ctx.args,
            v(&["shown", "x"]),
            "the manifest's args, argv[0] replaced"
        );
        assert_eq!(ctx.env, v(&["A=manifest", "B=flag", "HOME=/home/u"]));
        assert_eq!(
            preopen_name(&ctx, 3).as_deref(),
            Some(&b"/m"[..]),
            "manifest first"
        );
        assert_eq!(
            preopen_name(&ctx, 4),
            Some(a.into_bytes()),
            "guest path defaults to host"
        );
        assert_eq!(preopen_name(&ctx, 5).as_deref(), Some(&b"/bc"[..]));
    }

    #[test]
    fn inherited_environment_loses_the_variable() {
        let h = host(&["exe"], &["A=1", "WASMLINK_FLAGS=--env A=2", "Z=3"]);
        let ctx = start(
            &[(tag::ARGS_INHERIT, b""), (tag::ENV_INHERIT, b"")],
            h.clone(),
        )
        .unwrap();
        assert_eq!(ctx.env, v(&["A=2", "Z=3"]));
        assert_eq!(ctx.args, v(&["exe"]));
        // With the flags off it is an ordinary variable, and not applied.
        let ctx = start(
            &[(tag::ENV_INHERIT, b""), (tag::RUNTIME_FLAGS, b"\0")],
            h.clone(),
        )
        .unwrap();
        assert_eq!(ctx.env, v(&["A=1", "WASMLINK_FLAGS=--env A=2", "Z=3"]));
        // `env-none`: only what the flags set.
        let ctx = start(&[(tag::ENV_NONE, b"")], h).unwrap();
        assert_eq!(ctx.env, v(&["A=2"]));
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        let run = |flags: &str| {
            start(
                &[(tag::ENV_INHERIT, b"")],
                host(&["exe"], &[&format!("WASMLINK_FLAGS={flags}")]),
            )
            .map(|_| ())
            .unwrap_err()
            .status_and_message()
        };
        assert_eq!(
            run("--bogus"),
            (
                2,
                "WASMLINK_FLAGS: unknown flag `--bogus` (expected --dir HOST[::GUEST], --env NAME[=VALUE], --argv0 NAME, --inherit-network[=y|n], --allow-ip-name-lookup[=y|n], --gc-stats[=y|n] or --gc-stress[=y|n])".into()
            )
        );
        assert_eq!(
            run("--env 'x"),
            (2, "WASMLINK_FLAGS: unterminated ' quote".into())
        );
        let (status, msg) = run("--dir /definitely/not/here::/x");
        assert_eq!(status, 2);
        assert!(
            msg.starts_with(
                "WASMLINK_FLAGS: --dir: cannot open preopened directory `/definitely/not/here`"
            ),
            "{msg}"
        );
        // Ignored entirely when the configuration turns the flags off.
        let h = host(&[], &["WASMLINK_FLAGS=--bogus"]);
        assert!(start(&[(tag::RUNTIME_FLAGS, b"\0")], h).is_ok());
    }

    #[test]
    fn network_permissions() {
        let ctx = start(&[], host(&[], &[])).unwrap();
        assert!(
            !ctx.p2.network && !ctx.p2.ip_name_lookup,
            "denied by default"
        );
        let ctx = start(&[(tag::INHERIT_NETWORK, b"")], host(&[], &[])).unwrap();
        assert!(ctx.p2.network && !ctx.p2.ip_name_lookup);
        let h = host(
            &[],
            &["WASMLINK_FLAGS=--allow-ip-name-lookup --inherit-network=no"],
        );
        let ctx = start(&[(tag::INHERIT_NETWORK, b"")], h.clone()).unwrap();
        assert!(!ctx.p2.network && ctx.p2.ip_name_lookup, "the flags win");
        // With the flags off the manifest's settings stand.
        let records = [
            (tag::INHERIT_NETWORK, &b""[..]),
            (tag::RUNTIME_FLAGS, b"\0"),
        ];
        let ctx = start(&records, h).unwrap();
        assert!(ctx.p2.network && !ctx.p2.ip_name_lookup);
    }

    #[test]
    fn c_string_lists() {
        let a = CString::new("a").unwrap();
        let b = CString::new("bc").unwrap();
        let list = [a.as_ptr(), b.as_ptr(), std::ptr::null()];
        // SAFETY: `list` is NULL-terminated and its strings outlive the
        // calls.
        unsafe {
            assert_eq!(c_strings(list.as_ptr(), None), vec![&b"a"[..], &b"bc"[..]]);
            assert_eq!(c_strings(list.as_ptr(), Some(1)), vec![&b"a"[..]]);
            assert!(c_strings(std::ptr::null(), None).is_empty());
            // Borrowed where they lie, not copied.
            let got = c_strings(list.as_ptr(), None);
            assert!(matches!(got[1], HostBytes::Borrowed(_)));
            assert_eq!(got[1].as_ptr(), b.as_ptr().cast::<u8>());
        }
    }
}
