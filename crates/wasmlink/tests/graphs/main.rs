//! End-to-end tests of the `wasmlink` binary, driven by data.
//!
//! Every folder `tests/graphs/<case>/` (at the repository root) is one case:
//! its inputs (`.wat`, `.wasm`, `.json`, an optional `fs/` folder), a `cmd`
//! file saying what to run, and the expected `expected.stdout`,
//! `expected.stderr` and `expected.status` (a missing file means empty
//! output / status 0). Every `examples/<name>/` folder is checked the same
//! way by its own test (`example_<name>`).
//!
//! # The `cmd` format
//!
//! Steps, separated by newlines or `;`. Lines starting with `#` are
//! comments. Words are split on whitespace; `"…"` quotes a word (`\"` and
//! `\\` inside), so `""` is an empty argument. A step is:
//!
//! * `build ARGS…` — `wasmlink build ARGS… -q -o {tmp}/app`, run with the
//!   case folder as working directory (so messages name paths relative to
//!   it; `-q`, as the summary line's time varies);
//! * `run ARGS…` — runs the built `{tmp}/app ARGS…` in a fresh working
//!   directory holding a copy of the case's `fs/` folder (for an example:
//!   a copy of the whole example folder), with an EMPTY environment;
//! * `wasmlink ARGS…` — runs `wasmlink ARGS…` in the case folder, e.g.
//!   `wasmlink run app.json -- a b` or `wasmlink graph app.json`, with
//!   `XDG_CACHE_HOME` set to a directory of the case's own (so `wasmlink
//!   run` caches into it);
//! * `sh SCRIPT` — runs `/bin/sh -c SCRIPT` in a fresh working directory
//!   prepared as for `run`, with an environment holding only `PATH`,
//!   `APP` (the built executable), `WASMLINK` (the wasmlink binary),
//!   `CASE` (the case folder) and `XDG_CACHE_HOME`, for what the other verbs cannot say:
//!   resource limits (`ulimit -n 64; exec "$APP"`), closed descriptors
//!   (`exec "$APP" <&-`), signals sent from outside.
//!
//! Before the verb, `NAME=VALUE` words set environment variables for that
//! step (added to the empty environment of a `run`); after it, `< FILE`
//! feeds FILE (relative to the case folder) to stdin (default: empty).
//!
//! What is compared: the stdout and stderr of every `run` and `wasmlink`
//! step, concatenated, plus those of the last step whatever it is; the
//! status is the last step's. A `build` that is not the last step must
//! succeed, otherwise the case stops there and its output is what gets
//! compared (so a link error shows up in the diff). A status is the exit
//! code, or 128 + N for a process killed by signal N. In all output the
//! temporary directory reads `{tmp}` and the case folder `{dir}`.
//!
//! # Knobs
//!
//! Every case is its own test, named after its folder (`example_<name>` for
//! an example), so `cargo test -p wasmlink --test graphs -- wasi_` runs the
//! cases whose name contains `wasi_` and a failure names its case.
//!
//! * `BLESS=1` rewrites the expected files of every selected case that
//!   differs;
//! * `--test-threads N` runs N cases at once (default: the number of CPUs);
//! * `WASMLINK_TEST_TIMEOUT=S` kills any step after S seconds (default 300).
//!
//! Every case whose manifests use a preview1 test program of `tests/wasi`
//! also runs as its component twin (`component_<case>`, see `twins.rs`):
//! the same program as a WASI 0.2 command component must give the same
//! output.
//!
//! `tests/tools/check_reference.py` checks the expected files against a
//! reference engine (wasmtime, or V8 through `tests/tools/refrun.mjs`).

mod cmd;
mod compare;
mod run;
mod twins;

use cmd::{parse_cmd, Verb};
use compare::check_case;
use libtest_mimic::{Arguments, Failed, Trial};
use run::{execute, RunFiles};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

// ---------------------------------------------------------------------------
// Locations and knobs

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

pub fn wasmlink() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_wasmlink"))
}

pub fn timeout() -> Duration {
    let secs = std::env::var("WASMLINK_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    Duration::from_secs(secs)
}

pub fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("cmd").is_file())
        .collect();
    v.sort();
    v
}

/// A list of problems as a test result.
fn outcome(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn case_trial(name: String, dir: PathBuf, files: RunFiles) -> Trial {
    Trial::test(name, move || match check_case(&dir, files) {
        None => Ok(()),
        Some(report) => Err(Failed::from(format!(
            "{report}(BLESS=1 rewrites the expected files of the selected cases)"
        ))),
    })
}

fn main() {
    let args = Arguments::from_args();
    let root = repo_root();
    let mut trials = Vec::new();
    for dir in case_dirs(&root.join("tests/graphs")) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        trials.push(case_trial(name.clone(), dir.clone(), RunFiles::FsSubfolder));
        let wasi_dir = root.join("tests/wasi");
        if !twins::programs(&dir, &wasi_dir).is_empty() {
            trials.push(Trial::test(
                format!("component_{name}"),
                move || match twins::check_twin(&dir, &wasi_dir) {
                    None => Ok(()),
                    Some(report) => Err(Failed::from(format!(
                        "{report}(BLESS=1 writes expected.component.* where the twin differs)"
                    ))),
                },
            ));
        }
    }
    for dir in case_dirs(&root.join("examples")) {
        let name = format!("example_{}", dir.file_name().unwrap().to_string_lossy());
        trials.push(case_trial(name, dir, RunFiles::WholeFolder));
    }
    trials.push(Trial::test("determinism", || Ok(determinism()?)));
    trials.push(Trial::test("determinism_embedded_files", || {
        Ok(determinism_embedded_files()?)
    }));
    trials.push(Trial::test("cases_are_well_formed", || {
        Ok(cases_are_well_formed()?)
    }));
    trials.push(Trial::test("cmd_format", || Ok(cmd::cmd_format()?)));
    libtest_mimic::run(&args, trials).exit();
}

// ---------------------------------------------------------------------------
// Whole-suite checks

/// The same graph built with 1, 2 and 8 compiler threads gives a
/// byte-identical executable (thread count through `RAYON_NUM_THREADS`,
/// and through `--jobs`). Every build writes to the same path so that
/// nothing but the thread count differs.
fn determinism() -> Result<(), String> {
    let root = repo_root();
    let graphs: [(PathBuf, &[&str]); 10] = [
        (root.join("examples/graph"), &[]),
        (root.join("examples/graph"), &["--link", "dynamic"]),
        (root.join("examples/facade"), &[]),
        (root.join("tests/graphs/wasi_files"), &[]),
        (root.join("examples/bench"), &[]),
        // Instance images and thread start functions (wasi-threads).
        (root.join("tests/graphs/threads_counter"), &[]),
        // Memory images, and a build from a snapshot taken by running the
        // program at build time (pre-initialisation).
        (root.join("tests/graphs/memory_images"), &[]),
        (
            root.join("tests/graphs/preinit_state"),
            &["--preinit-export", "wizer.initialize"],
        ),
        // Data sources (canonical JSON, generated readers).
        (root.join("tests/graphs/data_sources"), &[]),
        // Embedded files: the assets object next to the program's.
        (root.join("tests/graphs/wasi_embed"), &[]),
    ];
    let configs: [(&str, Option<&str>, &[&str]); 3] = [
        ("RAYON_NUM_THREADS=1", Some("1"), &[]),
        ("RAYON_NUM_THREADS=2", Some("2"), &[]),
        ("--jobs 8", None, &["--jobs", "8"]),
    ];
    let tmp = tempfile::Builder::new()
        .prefix("wasmlink-determinism-")
        .tempdir()
        .unwrap();
    let out = tmp.path().join("app");
    let mut problems = Vec::new();
    for (dir, extra) in &graphs {
        let what = format!("{} {}", dir.display(), extra.join(" "));
        let mut builds: Vec<(&str, Vec<u8>)> = Vec::new();
        for (label, rayon_threads, args) in configs {
            let _ = fs::remove_file(&out);
            let mut c = Command::new(wasmlink());
            c.args(["build", "app.json"])
                .args(*extra)
                .args(args)
                .arg("-o")
                .arg(&out)
                .current_dir(dir)
                .env_remove("RAYON_NUM_THREADS");
            if let Some(n) = rayon_threads {
                c.env("RAYON_NUM_THREADS", n);
            }
            let o = execute(c, None, "wasmlink build");
            if o.status != 0 {
                problems.push(format!(
                    "{what}: build with {label} failed (status {}):\n{}",
                    o.status, o.stderr
                ));
                break;
            }
            match fs::read(&out) {
                Ok(bytes) => builds.push((label, bytes)),
                Err(e) => {
                    problems.push(format!("{what}: no output: {e}"));
                    break;
                }
            }
        }
        for (label, bytes) in builds.iter().skip(1) {
            let (l0, b0) = &builds[0];
            if bytes != b0 {
                let first = b0
                    .iter()
                    .zip(bytes.iter())
                    .position(|(x, y)| x != y)
                    .unwrap_or(b0.len().min(bytes.len()));
                problems.push(format!(
                    "{what}: {l0} and {label} give different executables \
                     ({} vs {} bytes, first difference at offset {first:#x})",
                    b0.len(),
                    bytes.len()
                ));
            }
        }
    }
    outcome(problems)
}

/// An executable with embedded files depends on their names, kinds and
/// contents only: the same tree copied to another place, with other
/// modification times and created in another order, builds to the same
/// bytes.
fn determinism_embedded_files() -> Result<(), String> {
    let root = repo_root();
    let case = root.join("tests/graphs/wasi_embed");
    let tmp = tempfile::Builder::new()
        .prefix("wasmlink-determinism-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let out = tmp.path().join("app");
    let mut builds = Vec::new();
    for (k, name) in ["one", "another-place"].into_iter().enumerate() {
        let dir = tmp.path().join(name);
        let io = |e: std::io::Error| format!("{}: {e}", dir.display());
        run::copy_tree(&case.join("assets"), &dir.join("assets")).map_err(io)?;
        run::copy_tree(&case.join("etc"), &dir.join("etc")).map_err(io)?;
        if k == 1 {
            // Other times, and entries added and removed, so the
            // directories list their entries in another order.
            let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
            for f in ["assets/README.txt", "assets/data/big.bin", "etc/tool.conf"] {
                let f = fs::File::options()
                    .append(true)
                    .open(dir.join(f))
                    .map_err(io)?;
                f.set_modified(old).map_err(io)?;
            }
            for i in 0..50 {
                let p = dir.join(format!("assets/many/zz-{i}"));
                fs::write(&p, b"")
                    .and_then(|()| fs::remove_file(&p))
                    .map_err(io)?;
            }
        }
        let manifest = format!(
            r#"{{"sources": {{"embed": {:?}}}, "entry": "embed",
                "wasi": {{"embed": {{"/data": "assets", "/etc/tool.conf": "etc/tool.conf"}}}}}}"#,
            root.join("tests/wasi/embed.wasm")
        );
        fs::write(dir.join("app.json"), manifest).map_err(io)?;
        let _ = fs::remove_file(&out);
        let mut c = Command::new(wasmlink());
        c.args(["build", "app.json", "-o"])
            .arg(&out)
            .current_dir(&dir);
        let o = execute(c, None, "wasmlink build");
        if o.status != 0 {
            return Err(format!("build in {name} failed:\n{}", o.stderr));
        }
        builds.push(fs::read(&out).map_err(|e| e.to_string())?);
    }
    if builds[0] != builds[1] {
        return Err(
            "the same embedded files at another place, with other times, give another executable"
                .into(),
        );
    }
    Ok(())
}

/// Every case folder is well formed: a parseable `cmd`, an integer
/// `expected.status` if present, stdin files that exist. (Runs without
/// wasmlink, so it guards the data even while the pipeline is broken.)
fn cases_are_well_formed() -> Result<(), String> {
    let root = repo_root();
    let mut problems = Vec::new();
    let mut dirs = case_dirs(&root.join("tests/graphs"));
    dirs.extend(case_dirs(&root.join("examples")));
    for base in ["tests/graphs", "examples"] {
        for dir in fs::read_dir(root.join(base)).map_err(|e| format!("{base}: {e}"))? {
            let dir = dir.map_err(|e| e.to_string())?.path();
            if dir.is_dir() && !dir.join("cmd").is_file() {
                problems.push(format!("{}: no cmd file", dir.display()));
            }
        }
    }
    for dir in dirs {
        let text = fs::read_to_string(dir.join("cmd"))
            .map_err(|e| format!("{}/cmd: {e}", dir.display()))?;
        match parse_cmd(&text) {
            Err(e) => problems.push(format!("{}/cmd: {e}", dir.display())),
            Ok(steps) => {
                if steps.iter().any(|s| s.verb == Verb::Run)
                    && !steps.iter().any(|s| s.verb == Verb::Build)
                {
                    problems.push(format!("{}/cmd: `run` without `build`", dir.display()));
                }
                for s in &steps {
                    if let Some(f) = &s.stdin {
                        if !dir.join(f).is_file() {
                            problems.push(format!("{}/cmd: no stdin file {f}", dir.display()));
                        }
                    }
                }
            }
        }
        if let Ok(s) = fs::read_to_string(dir.join("expected.status")) {
            if s.trim().parse::<i32>().is_err() {
                problems.push(format!("{}/expected.status: not a number", dir.display()));
            }
        }
        if !dir.join("expected.stdout").is_file() {
            problems.push(format!("{}: no expected.stdout", dir.display()));
        }
    }
    outcome(problems)
}
