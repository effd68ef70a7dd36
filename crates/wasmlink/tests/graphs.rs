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
//! * `build ARGS…` — `wasmlink build ARGS… -o {tmp}/app`, run with the case
//!   folder as working directory (so messages name paths relative to it);
//! * `run ARGS…` — runs the built `{tmp}/app ARGS…` in a fresh working
//!   directory holding a copy of the case's `fs/` folder (for an example:
//!   a copy of the whole example folder), with an EMPTY environment;
//! * `wasmlink ARGS…` — runs `wasmlink ARGS…` in the case folder, e.g.
//!   `wasmlink run app.json -- a b` or `wasmlink graph app.json`;
//! * `sh SCRIPT` — runs `/bin/sh -c SCRIPT` in a fresh working directory
//!   prepared as for `run`, with an environment holding only `PATH`,
//!   `APP` (the built executable), `WASMLINK` (the wasmlink binary) and
//!   `CASE` (the case folder), for what the other verbs cannot say:
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
//! * `BLESS=1` rewrites the expected files of every case that differs;
//! * `GRAPHS_FILTER=a,b` runs only the cases whose name contains `a` or `b`
//!   (applies to `BLESS` too);
//! * `GRAPHS_JOBS=N` runs N cases at once (default: the number of CPUs);
//! * `WASMLINK_TEST_TIMEOUT=S` kills any step after S seconds (default 300).
//!
//! `tests/tools/check_reference.py` checks the expected files against a
//! reference engine (wasmtime, or V8 through `tests/tools/refrun.mjs`).

use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Locations

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

fn wasmlink() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_wasmlink"))
}

fn timeout() -> Duration {
    let secs = std::env::var("WASMLINK_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    Duration::from_secs(secs)
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

fn selected(name: &str) -> bool {
    match std::env::var("GRAPHS_FILTER") {
        Ok(f) if !f.trim().is_empty() => f
            .split(',')
            .map(str::trim)
            .any(|p| !p.is_empty() && name.contains(p)),
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// The `cmd` format

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verb {
    Build,
    Run,
    Wasmlink,
    Sh,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Step {
    env: Vec<(String, String)>,
    verb: Verb,
    args: Vec<String>,
    stdin: Option<String>,
}

/// Split one step's text into words; `"…"` groups, `\"` and `\\` escape
/// inside quotes. A `;` outside quotes ends the step: returns the words and
/// the rest of the text.
fn split_words(text: &str) -> Result<(Vec<String>, &str), String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ';' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                }
                return Ok((words, &text[i + 1..]));
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        None => return Err(format!("unterminated quote in `{text}`")),
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, e @ ('"' | '\\'))) => cur.push(e),
                            Some((_, e)) => {
                                cur.push('\\');
                                cur.push(e);
                            }
                            None => return Err(format!("unterminated quote in `{text}`")),
                        },
                        Some((_, ch)) => cur.push(ch),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok((words, ""))
}

fn parse_step(words: Vec<String>) -> Result<Step, String> {
    let mut env = Vec::new();
    let mut it = words.into_iter().peekable();
    while let Some(w) = it.peek() {
        match w.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                env.push((k.to_string(), v.to_string()));
                it.next();
            }
            _ => break,
        }
    }
    let verb = match it.next().as_deref() {
        Some("build") => Verb::Build,
        Some("run") => Verb::Run,
        Some("wasmlink") => Verb::Wasmlink,
        Some("sh") => Verb::Sh,
        Some(other) => {
            return Err(format!(
                "unknown step `{other}` (expected build, run, wasmlink or sh)"
            ))
        }
        None => return Err("a step has environment assignments but no verb".into()),
    };
    let mut args = Vec::new();
    let mut stdin = None;
    while let Some(w) = it.next() {
        if w == "<" {
            stdin = Some(it.next().ok_or("`<` without a file name")?);
        } else {
            args.push(w);
        }
    }
    if verb == Verb::Sh && args.len() != 1 {
        return Err("`sh` takes one (quoted) script".into());
    }
    Ok(Step {
        env,
        verb,
        args,
        stdin,
    })
}

fn parse_cmd(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut rest = line;
        loop {
            let (words, tail) = split_words(rest)?;
            if !words.is_empty() {
                steps.push(parse_step(words)?);
            }
            if tail.is_empty() {
                break;
            }
            rest = tail;
        }
    }
    if steps.is_empty() {
        return Err("no steps".into());
    }
    Ok(steps)
}

// ---------------------------------------------------------------------------
// Running

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Outcome {
    stdout: String,
    stderr: String,
    status: i32,
}

fn status_code(s: ExitStatus) -> i32 {
    if let Some(c) = s.code() {
        return c;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            return 128 + sig;
        }
    }
    -1
}

/// Run `cmd` to completion (or kill it after the timeout).
fn execute(mut cmd: Command, stdin: Option<&Path>, what: &str) -> Outcome {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    match stdin {
        Some(p) => match fs::File::open(p) {
            Ok(f) => {
                cmd.stdin(Stdio::from(f));
            }
            Err(e) => {
                return Outcome {
                    stderr: format!("[harness] cannot open stdin file {}: {e}\n", p.display()),
                    status: -1,
                    ..Outcome::default()
                }
            }
        },
        None => {
            cmd.stdin(Stdio::null());
        }
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                stderr: format!("[harness] cannot start {what}: {e}\n"),
                status: -1,
                ..Outcome::default()
            }
        }
    };
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + timeout();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break status_code(s),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                timed_out = true;
                break child.wait().map(status_code).unwrap_or(-1);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for {what}: {e}"),
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let mut stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    if timed_out {
        let _ = writeln!(
            stderr,
            "[harness] {what} timed out after {:?} and was killed",
            timeout()
        );
    }
    Outcome {
        stdout,
        stderr,
        status,
    }
}

/// Copy a directory tree, keeping symlinks as symlinks.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let dst = to.join(entry.file_name());
        if ty.is_symlink() {
            let target = fs::read_link(entry.path())?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &dst)?;
            #[cfg(not(unix))]
            fs::copy(entry.path(), &dst).map(|_| ())?;
        } else if ty.is_dir() {
            copy_tree(&entry.path(), &dst)?;
        } else {
            fs::copy(entry.path(), &dst)?;
        }
    }
    Ok(())
}

/// What a `run` step's working directory starts with.
#[derive(Clone, Copy)]
enum RunFiles {
    /// The case's `fs/` subfolder, if any (tests/graphs).
    FsSubfolder,
    /// The whole case folder (examples).
    WholeFolder,
}

/// Replace machine-specific paths in output.
fn normalise(text: &str, tmp: &Path, case_dir: &Path) -> String {
    let mut s = text.to_string();
    let mut tmps = vec![tmp.to_path_buf()];
    if let Ok(c) = tmp.canonicalize() {
        tmps.push(c);
    }
    for t in tmps {
        s = s.replace(&*t.to_string_lossy(), "{tmp}");
    }
    s.replace(&*case_dir.to_string_lossy(), "{dir}")
}

/// A fresh working directory for step `i` holding what `files` says.
fn run_dir(tmp: &Path, i: usize, case_dir: &Path, files: RunFiles) -> Result<PathBuf, String> {
    let dir = tmp.join(format!("run{i}"));
    let src = match files {
        RunFiles::FsSubfolder => case_dir.join("fs"),
        RunFiles::WholeFolder => case_dir.to_path_buf(),
    };
    fs::create_dir_all(&dir).map_err(|e| format!("mkdir: {e}"))?;
    if src.is_dir() {
        copy_tree(&src, &dir).map_err(|e| format!("copying {}: {e}", src.display()))?;
    }
    Ok(dir)
}

fn run_case(case_dir: &Path, files: RunFiles) -> Result<Outcome, String> {
    let cmd_text = fs::read_to_string(case_dir.join("cmd"))
        .map_err(|e| format!("cannot read {}/cmd: {e}", case_dir.display()))?;
    let steps = parse_cmd(&cmd_text).map_err(|e| format!("bad cmd: {e}"))?;
    let tmp = tempfile::Builder::new()
        .prefix("wasmlink-case-")
        .tempdir()
        .map_err(|e| format!("tempdir: {e}"))?;
    let exe = tmp.path().join("app");
    let mut total = Outcome::default();
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let stdin = step.stdin.as_ref().map(|f| case_dir.join(f));
        let outcome = match step.verb {
            Verb::Build => {
                let mut c = Command::new(wasmlink());
                c.arg("build").args(&step.args).arg("-o").arg(&exe);
                c.current_dir(case_dir).envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "wasmlink build")
            }
            Verb::Wasmlink => {
                let mut c = Command::new(wasmlink());
                c.args(&step.args);
                c.current_dir(case_dir).envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "wasmlink")
            }
            Verb::Run => {
                let dir = run_dir(tmp.path(), i, case_dir, files)?;
                let mut c = Command::new(&exe);
                c.args(&step.args)
                    .current_dir(&dir)
                    .env_clear()
                    .envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "the built executable")
            }
            Verb::Sh => {
                let dir = run_dir(tmp.path(), i, case_dir, files)?;
                let mut c = Command::new("/bin/sh");
                c.arg("-c")
                    .arg(&step.args[0])
                    .current_dir(&dir)
                    .env_clear()
                    .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                    .env("APP", &exe)
                    .env("WASMLINK", wasmlink())
                    .env("CASE", case_dir)
                    .envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "the sh step")
            }
        };
        let failed_build = step.verb == Verb::Build && outcome.status != 0;
        if step.verb != Verb::Build || last || failed_build {
            total.stdout.push_str(&outcome.stdout);
            total.stderr.push_str(&outcome.stderr);
        }
        total.status = outcome.status;
        if failed_build && !last {
            break;
        }
    }
    total.stdout = normalise(&total.stdout, tmp.path(), case_dir);
    total.stderr = normalise(&total.stderr, tmp.path(), case_dir);
    Ok(total)
}

// ---------------------------------------------------------------------------
// Comparing

fn read_expected(case_dir: &Path) -> Outcome {
    let read = |n: &str| fs::read_to_string(case_dir.join(n)).unwrap_or_default();
    let status = read("expected.status");
    Outcome {
        stdout: read("expected.stdout"),
        stderr: read("expected.stderr"),
        status: status
            .trim()
            .parse()
            .unwrap_or(if status.trim().is_empty() { 0 } else { -999 }),
    }
}

fn write_expected(case_dir: &Path, o: &Outcome) -> std::io::Result<()> {
    fs::write(case_dir.join("expected.stdout"), &o.stdout)?;
    fs::write(case_dir.join("expected.stderr"), &o.stderr)?;
    fs::write(case_dir.join("expected.status"), format!("{}\n", o.status))
}

/// A line diff (longest common subsequence), `-` expected, `+` actual.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    let show = |l: &str| {
        if l.ends_with('\n') {
            l.to_string()
        } else {
            format!("{l}⏎ (no newline at end)\n")
        }
    };
    let mut out = String::new();
    if a.len() * b.len() > 4_000_000 {
        out.push_str("(outputs too long to diff line by line)\n--- expected\n");
        a.iter().take(50).for_each(|l| out.push_str(&show(l)));
        out.push_str("--- actual\n");
        b.iter().take(50).for_each(|l| out.push_str(&show(l)));
        return out;
    }
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut lines) = (0, 0, 0);
    while (i < n || j < m) && lines < 400 {
        if i < n && j < m && a[i] == b[j] {
            out.push_str("  ");
            out.push_str(&show(a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str("- ");
            out.push_str(&show(a[i]));
            i += 1;
        } else {
            out.push_str("+ ");
            out.push_str(&show(b[j]));
            j += 1;
        }
        lines += 1;
    }
    if i < n || j < m {
        out.push_str("  …\n");
    }
    out
}

/// Compare a case's outcome with its expected files (or bless them).
/// Returns a report of the differences, or None when it matches.
fn check_case(case_dir: &Path, files: RunFiles) -> Option<String> {
    let name = case_dir.file_name().unwrap().to_string_lossy().into_owned();
    let actual = match run_case(case_dir, files) {
        Ok(o) => o,
        Err(e) => return Some(format!("=== {name}: {e}\n")),
    };
    let expected = read_expected(case_dir);
    if actual == expected {
        return None;
    }
    if blessing() {
        return match write_expected(case_dir, &actual) {
            Ok(()) => {
                eprintln!("blessed {name}");
                None
            }
            Err(e) => Some(format!("=== {name}: cannot bless: {e}\n")),
        };
    }
    let mut r = format!("=== {name} ({})\n", case_dir.display());
    if actual.status != expected.status {
        let _ = writeln!(
            r,
            "status: expected {}, got {}",
            expected.status, actual.status
        );
    }
    if actual.stdout != expected.stdout {
        let _ = write!(
            r,
            "stdout (- expected, + actual):\n{}",
            diff(&expected.stdout, &actual.stdout)
        );
    }
    if actual.stderr != expected.stderr {
        let _ = write!(
            r,
            "stderr (- expected, + actual):\n{}",
            diff(&expected.stderr, &actual.stderr)
        );
    }
    Some(r)
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

fn jobs() -> usize {
    std::env::var("GRAPHS_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(4, |n| n.get()))
        .max(1)
}

// ---------------------------------------------------------------------------
// Tests

/// Every case under tests/graphs, in parallel; all failures are reported.
#[test]
fn graphs() {
    let cases: Vec<PathBuf> = case_dirs(&repo_root().join("tests/graphs"))
        .into_iter()
        .filter(|p| selected(&p.file_name().unwrap().to_string_lossy()))
        .collect();
    let queue = Mutex::new(cases.clone());
    let failures = Mutex::new(Vec::<(PathBuf, String)>::new());
    std::thread::scope(|s| {
        for _ in 0..jobs().min(cases.len().max(1)) {
            s.spawn(|| loop {
                let Some(case) = queue.lock().unwrap().pop() else {
                    break;
                };
                if let Some(report) = check_case(&case, RunFiles::FsSubfolder) {
                    failures.lock().unwrap().push((case, report));
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    for (_, report) in &failures {
        eprintln!("{report}");
    }
    if !failures.is_empty() {
        let names: Vec<String> = failures
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        panic!(
            "{} of {} cases failed: {}\n(rerun some with GRAPHS_FILTER=name,…; BLESS=1 rewrites the expected files)",
            failures.len(),
            cases.len(),
            names.join(" ")
        );
    }
}

fn example(name: &str) {
    let dir = repo_root().join("examples").join(name);
    if let Some(report) = check_case(&dir, RunFiles::WholeFolder) {
        panic!("{report}");
    }
}

#[test]
fn example_hello() {
    example("hello");
}

#[test]
fn example_graph() {
    example("graph");
}

#[test]
fn example_facade() {
    example("facade");
}

#[test]
fn example_wc() {
    example("wc");
}

#[test]
fn example_bench() {
    example("bench");
}

/// Every example folder has a test above.
#[test]
fn every_example_is_tested() {
    let tested = ["hello", "graph", "facade", "wc", "bench"];
    for dir in case_dirs(&repo_root().join("examples")) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            tested.contains(&name.as_str()),
            "examples/{name} has a cmd but no #[test] in crates/wasmlink/tests/graphs.rs"
        );
    }
}

/// The same graph built with 1, 2 and 8 compiler threads gives a
/// byte-identical executable (thread count through `RAYON_NUM_THREADS`,
/// and through `--jobs`). Every build writes to the same path so that
/// nothing but the thread count differs.
#[test]
fn determinism() {
    let root = repo_root();
    let graphs: [(PathBuf, &[&str]); 5] = [
        (root.join("examples/graph"), &[]),
        (root.join("examples/graph"), &["--link", "dynamic"]),
        (root.join("examples/facade"), &[]),
        (root.join("tests/graphs/wasi_files"), &[]),
        (root.join("examples/bench"), &[]),
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
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every case folder is well formed: a parseable `cmd`, an integer
/// `expected.status` if present, stdin files that exist. (Runs without
/// wasmlink, so it guards the data even while the pipeline is broken.)
#[test]
fn cases_are_well_formed() {
    let root = repo_root();
    let mut problems = Vec::new();
    let mut dirs = case_dirs(&root.join("tests/graphs"));
    dirs.extend(case_dirs(&root.join("examples")));
    for dir in fs::read_dir(root.join("tests/graphs")).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() && !dir.join("cmd").is_file() {
            problems.push(format!("{}: no cmd file", dir.display()));
        }
    }
    for dir in dirs {
        let text = fs::read_to_string(dir.join("cmd")).unwrap();
        match parse_cmd(&text) {
            Err(e) => problems.push(format!("{}/cmd: {e}", dir.display())),
            Ok(steps) => {
                if steps.iter().any(|s| matches!(s.verb, Verb::Run | Verb::Sh))
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
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn cmd_format() {
    let steps = parse_cmd(
        "# comment\nbuild app.json ; run a \"b c\" \"\" x=1\nK=V L= wasmlink run x.wat -- \"q\\\"uote\" < in.txt\n",
    )
    .unwrap();
    assert_eq!(
        steps,
        vec![
            Step {
                env: vec![],
                verb: Verb::Build,
                args: vec!["app.json".into()],
                stdin: None
            },
            Step {
                env: vec![],
                verb: Verb::Run,
                args: vec!["a".into(), "b c".into(), "".into(), "x=1".into()],
                stdin: None
            },
            Step {
                env: vec![("K".into(), "V".into()), ("L".into(), "".into())],
                verb: Verb::Wasmlink,
                args: vec!["run".into(), "x.wat".into(), "--".into(), "q\"uote".into()],
                stdin: Some("in.txt".into())
            },
        ]
    );
    assert_eq!(parse_cmd("run a;run b").unwrap().len(), 2);
    assert_eq!(parse_cmd("run \"a;b\"").unwrap()[0].args, vec!["a;b"]);
    assert!(parse_cmd("frobnicate").is_err());
    assert_eq!(
        parse_cmd("sh \"ulimit -n 64; exec $APP\"").unwrap()[0].verb,
        Verb::Sh
    );
    assert!(parse_cmd("sh a b").is_err());
    assert!(parse_cmd("run \"open").is_err());
    assert!(parse_cmd("# only a comment\n").is_err());
    assert_eq!(diff("a\nb\n", "a\nc\n"), "  a\n- b\n+ c\n");
}
