//! The command-line conventions of the `wasmlink` binary, end to end: the
//! default output name, `-o -`, `--version` and `--help`, `--message-format
//! json`, `--color`, "did you mean", `CC` and `--linker`, `-s` and `-g`,
//! completions and the manual page, and the summary line of a build. The
//! inputs are the small files of this folder.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli")
        .join(name)
}

/// `wasmlink ARGS` in `dir`, with `CC` and `NO_COLOR` removed so the
/// machine's settings do not leak in (tests that want them set them).
fn wasmlink_in(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wasmlink"));
    c.args(args)
        .current_dir(dir)
        .env_remove("CC")
        .env_remove("NO_COLOR");
    c
}

fn run(mut command: Command) -> Output {
    command.output().expect("wasmlink runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_fails(out: &Output) {
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(out));
}

fn assert_succeeds(out: &Output) {
    assert!(out.status.success(), "stderr: {}", stderr(out));
}

/// A temporary directory holding a copy of the given files of this folder.
fn workdir(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in files {
        std::fs::copy(case(f), dir.path().join(f)).expect("copy input");
    }
    dir
}

/// What a built program prints.
fn run_program(exe: &Path) -> String {
    let out = Command::new(exe).output().expect("the program runs");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

// ---------------------------------------------------------------------------
// Output names

#[test]
fn without_o_a_module_builds_its_name_without_the_extension() {
    let dir = workdir(&["hello.wat"]);
    assert_succeeds(&run(wasmlink_in(dir.path(), &["build", "-q", "hello.wat"])));
    assert_eq!(run_program(&dir.path().join("hello")), "hello\n");
}

#[test]
fn without_o_a_manifest_builds_its_name_in_the_working_directory() {
    let dir = workdir(&["hello.wat", "app.json"]);
    let sub = dir.path().join("elsewhere");
    std::fs::create_dir(&sub).expect("mkdir");
    let out = run(wasmlink_in(&sub, &["build", "-q", "../app.json"]));
    assert_succeeds(&out);
    assert_eq!(run_program(&sub.join("app")), "hello\n");
    assert!(!dir.path().join("app").exists(), "written beside the input");
}

#[test]
fn a_default_name_that_is_the_input_is_refused() {
    let dir = workdir(&["hello.wat"]);
    let input = dir.path().join("x");
    std::fs::rename(dir.path().join("hello.wat"), &input).expect("rename");
    let before = std::fs::read(&input).expect("read");
    let out = run(wasmlink_in(dir.path(), &["build", "x"]));
    assert_fails(&out);
    assert!(
        stderr(&out).contains("the default output name `x`")
            && stderr(&out).contains("is the input itself; give -o PATH"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(&input).expect("read"),
        before,
        "input changed"
    );
}

#[test]
fn output_to_stdout_is_refused() {
    let dir = workdir(&["hello.wat"]);
    let out = run(wasmlink_in(dir.path(), &["build", "hello.wat", "-o", "-"]));
    assert_fails(&out);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out)
            .starts_with("error: -o -: wasmlink cannot write an executable to standard output"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("-").exists());
}

// ---------------------------------------------------------------------------
// --version and --help

/// The commit `git` says this checkout is at, if it is one.
fn git_head() -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn version_names_the_release_and_the_commit() {
    for flag in ["--version", "-V"] {
        let out = run(wasmlink_in(Path::new("."), &[flag]));
        assert_succeeds(&out);
        let text = stdout(&out);
        let prefix = format!("wasmlink {} (", env!("CARGO_PKG_VERSION"));
        let inner = text
            .strip_prefix(&prefix)
            .and_then(|t| t.strip_suffix(")\n"))
            .unwrap_or_else(|| panic!("`{text}` is not `{prefix}…)`"));
        // Built from this checkout (cargo test rebuilds when HEAD moves):
        // its commit and date; from a tarball: `unknown`.
        match git_head() {
            Some(head) => {
                let (hash, date) = inner.split_once(' ').expect("hash and date");
                assert_eq!(hash.len(), 12, "{inner}");
                assert!(head.starts_with(hash), "{hash} is not HEAD {head}");
                let parts: Vec<&str> = date.split('-').collect();
                assert!(
                    parts.len() == 3 && parts.iter().all(|p| p.parse::<u32>().is_ok()),
                    "{date} is not YYYY-MM-DD"
                );
            }
            None => assert_eq!(inner, "unknown"),
        }
    }
}

#[test]
fn help_shows_examples() {
    let out = run(wasmlink_in(Path::new("."), &["--help"]));
    assert_succeeds(&out);
    let text = stdout(&out);
    for line in [
        "Examples:",
        "wasmlink build app.json ",
        "wasmlink completions bash",
        "--message-format <FORMAT>",
        "--color <WHEN>",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
}

// ---------------------------------------------------------------------------
// --message-format json

/// Every stderr line, parsed; panics unless each is one JSON object.
fn json_lines(out: &Output) -> Vec<Value> {
    stderr(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn the_error(out: &Output) -> Value {
    assert_fails(out);
    let lines = json_lines(out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let e = lines.into_iter().next().expect("one line");
    assert_eq!(e["type"], "diagnostic");
    assert_eq!(e["severity"], "error");
    e
}

#[test]
fn json_diagnostics_of_an_unresolved_import() {
    let dir = case("typo");
    let out = run(wasmlink_in(
        &dir,
        &["--message-format", "json", "build", "main.wat", "-o", "out"],
    ));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    let e = the_error(&out);
    assert_eq!(e["node"], "main");
    assert_eq!(e["import"]["module"], "./lib.wat");
    assert_eq!(e["import"]["name"], "is_evn");
    assert!(
        e["file"].as_str().is_some_and(|f| f.ends_with("main.wat")),
        "{e}"
    );
    assert_eq!(e["line"], Value::Null);
    let message = e["message"].as_str().expect("a message");
    assert!(message.contains("did you mean \"is_even\"?"), "{message}");
}

#[test]
fn json_diagnostics_of_manifest_errors() {
    let dir = case("manifest");
    // A manifest naming a source that does not exist: the node.
    let out = run(wasmlink_in(
        &dir,
        &["build", "--message-format=json", "unknown_source.json"],
    ));
    let e = the_error(&out);
    assert_eq!(e["file"], "unknown_source.json");
    assert_eq!(e["node"], "app");
    assert_eq!(e["import"], Value::Null);
    // A manifest that is not JSON: the line and column.
    let out = run(wasmlink_in(
        &dir,
        &["build", "--message-format", "json", "syntax.json"],
    ));
    let e = the_error(&out);
    assert_eq!(e["file"], "syntax.json");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(4), Some(3))
    );
}

#[test]
fn json_diagnostics_of_a_module_give_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("bad.wat"), "(module\n  (func (oops)))\n").expect("write");
    std::fs::write(dir.path().join("bad.wasm"), b"\0asm\x01\0\0\0\x01\x05").expect("write");
    let json = ["--message-format", "json", "build"];
    let e = the_error(&run(wasmlink_in(
        dir.path(),
        &[&json[..], &["bad.wat"]].concat(),
    )));
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(2), Some(10)),
        "{e}"
    );
    assert_eq!(e["node"], "bad");
    let e = the_error(&run(wasmlink_in(
        dir.path(),
        &[&json[..], &["bad.wasm"]].concat(),
    )));
    assert!(e["offset"].as_u64().is_some(), "{e}");
    assert_eq!(e["file"], "bad.wasm");
}

#[test]
fn json_usage_errors_are_json_too() {
    let out = run(wasmlink_in(
        Path::new("."),
        &["--message-format", "json", "build", "--no-such-flag"],
    ));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let message = lines[0]["message"].as_str().expect("a message");
    assert!(message.contains("--no-such-flag"), "{message}");
}

#[test]
fn a_json_build_ends_with_a_json_summary() {
    let dir = workdir(&["hello.wat"]);
    let out = run(wasmlink_in(
        dir.path(),
        &["build", "--message-format", "json", "hello.wat"],
    ));
    assert_succeeds(&out);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let done = &lines[0];
    assert_eq!(done["type"], "build-finished");
    assert_eq!(done["output"], "hello");
    assert_eq!(done["functions"], 2);
    let size = std::fs::metadata(dir.path().join("hello"))
        .expect("built")
        .len();
    assert_eq!(done["bytes"].as_u64(), Some(size));
    assert!(done["seconds"].as_f64().is_some_and(|s| s > 0.0), "{done}");
}

// ---------------------------------------------------------------------------
// Colour

#[test]
fn color_always_and_never() {
    let dir = case("typo");
    let build = |extra: &[&str], no_color: bool| {
        let mut c = wasmlink_in(&dir, &[&["build", "main.wat", "-o", "out"], extra].concat());
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = run(c);
        assert_fails(&out);
        stderr(&out)
    };
    let coloured = build(&["--color", "always"], false);
    assert!(
        coloured.starts_with("\x1b[1;31merror\x1b[0m\x1b[1m:\x1b[0m instance \"main\""),
        "{coloured:?}"
    );
    // `always` is a request: NO_COLOR only changes `auto`.
    assert!(build(&["--color=always"], true).contains('\x1b'));
    for plain in [
        build(&["--color", "never"], false),
        // auto, with stderr a pipe
        build(&[], false),
    ] {
        assert!(!plain.contains('\x1b'), "{plain:?}");
        assert!(plain.starts_with("error: instance \"main\""), "{plain}");
    }
}

// ---------------------------------------------------------------------------
// Did you mean

fn error_of(dir: &Path, args: &[&str]) -> String {
    let out = run(wasmlink_in(dir, args));
    assert_fails(&out);
    stderr(&out)
}

#[test]
fn unresolved_names_suggest_the_closest() {
    let typo = case("typo");
    let manifest = case("manifest");
    let cases = [
        (
            error_of(&typo, &["build", "main.wat", "-o", "out"]),
            "it exports: is_even, is_odd; did you mean \"is_even\"?\n",
        ),
        (
            error_of(&manifest, &["build", "unknown_source.json", "-o", "out"]),
            "which is not in \"sources\" (available: main); did you mean \"main\"?\n",
        ),
        (
            error_of(&manifest, &["build", "unknown_entry_export.json", "-o", "out"]),
            "has no export \"_strat\"; it exports: memory, _start; did you mean \"_start\"?\n",
        ),
        (
            error_of(&manifest, &["build", "unknown_node.json", "-o", "out"]),
            "no instance, source or builtin is named \"libary\" (available: main, library, wasi_snapshot_preview1); did you mean \"library\"?\n",
        ),
        (
            error_of(
                &case("."),
                &["run", "--no-cache", "--invoke", "_strt", "hello.wat"],
            ),
            "did you mean \"_start\"?\n",
        ),
    ];
    for (text, wanted) in cases {
        assert!(
            text.ends_with(wanted),
            "`{text}` does not end with `{wanted}`"
        );
    }
}

// ---------------------------------------------------------------------------
// The linker: CC and --linker

/// `linker.sh` copied to a path with a space in it (so the test also shows
/// that quoting in `CC` works), and the file it records its argv in.
fn wrapper(dir: &Path) -> (PathBuf, PathBuf) {
    let bin = dir.join("my tools");
    std::fs::create_dir(&bin).expect("mkdir");
    let script = bin.join("linker.sh");
    std::fs::copy(case("linker.sh"), &script).expect("copy");
    (script, dir.join("linker.log"))
}

fn logged(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_else(|e| panic!("the wrapper did not run ({e})"))
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn cc_may_hold_a_command_with_flags() {
    let dir = workdir(&["hello.wat"]);
    let (script, log) = wrapper(dir.path());
    let cc = format!("'{}' --test-marker", script.display());
    let mut c = wasmlink_in(dir.path(), &["build", "-q", "hello.wat", "-o", "app"]);
    c.env("CC", &cc).env("LINKER_LOG", &log);
    assert_succeeds(&run(c));
    let argv = logged(&log);
    assert_eq!(
        argv.first().map(String::as_str),
        Some("--test-marker"),
        "{argv:?}"
    );
    assert!(argv.iter().any(|a| a == "-o"), "{argv:?}");
    assert_eq!(run_program(&dir.path().join("app")), "hello\n");
}

#[test]
fn linker_overrides_cc() {
    let dir = workdir(&["hello.wat"]);
    let (script, log) = wrapper(dir.path());
    let linker = format!("\"{}\" --test-marker", script.display());
    let mut c = wasmlink_in(
        dir.path(),
        &["build", "-q", "hello.wat", "-o", "app", "--linker", &linker],
    );
    c.env("CC", "/nonexistent/cc").env("LINKER_LOG", &log);
    assert_succeeds(&run(c));
    assert_eq!(logged(&log)[0], "--test-marker");
    assert_eq!(run_program(&dir.path().join("app")), "hello\n");
}

#[test]
fn linker_errors_name_the_command() {
    let dir = workdir(&["hello.wat"]);
    let build = ["build", "hello.wat", "-o", "app"];
    let text = error_of(
        dir.path(),
        &[&build[..], &["--linker", "/nonexistent/cc -fuse-ld=lld"]].concat(),
    );
    assert!(
        text.contains(
            "could not run the C compiler `/nonexistent/cc -fuse-ld=lld` (from --linker) to link"
        ),
        "{text}"
    );
    let mut c = wasmlink_in(dir.path(), &build);
    c.env("CC", "cc '-O2");
    let out = run(c);
    assert_fails(&out);
    assert!(
        stderr(&out).starts_with("error: CC=\"cc '-O2\" is not a usable linker command:"),
        "{}",
        stderr(&out)
    );
    let mut c = wasmlink_in(dir.path(), &build);
    c.env("CC", "false");
    let out = run(c);
    assert_fails(&out);
    assert!(
        stderr(&out).contains("the linker `false` (from CC) failed"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("app").exists());
}

// ---------------------------------------------------------------------------
// -s and -g

/// What `nm` lists of `exe` (its error, for a stripped file, is empty
/// output and a message on stderr).
fn nm(exe: &Path) -> String {
    let out = Command::new("nm").arg(exe).output().expect("nm runs");
    stdout(&out)
}

#[test]
fn strip_by_default_and_names_with_g() {
    let dir = workdir(&["hello.wat"]);
    let build = |args: &[&str], out: &str| {
        let o = run(wasmlink_in(
            dir.path(),
            &[&["build", "-q", "hello.wat", "-o", out], args].concat(),
        ));
        assert_succeeds(&o);
        dir.path().join(out)
    };
    let default = build(&[], "default");
    let stripped = build(&["-s"], "stripped");
    let named = build(&["-g"], "named");
    let named_again = build(&["-g"], "named-again");
    assert!(nm(&default).is_empty(), "{}", nm(&default));
    assert_eq!(
        std::fs::read(&default).expect("read"),
        std::fs::read(&stripped).expect("read"),
        "-s is the default"
    );
    let symbols = nm(&named);
    assert!(
        symbols.lines().any(|l| l.ends_with(" t hello::greet")),
        "{symbols}"
    );
    assert!(!symbols.contains("__wl_s0_f"), "{symbols}");
    assert_eq!(
        std::fs::read(&named).expect("read"),
        std::fs::read(&named_again).expect("read"),
        "-g builds are deterministic"
    );
    assert_eq!(run_program(&named), "hello\n");
    let out = run(wasmlink_in(dir.path(), &["build", "-s", "-g", "hello.wat"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------
// Completions and the manual page

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef wasmlink"),
        ("fish", "complete -c wasmlink"),
    ] {
        let out = run(wasmlink_in(Path::new("."), &["completions", shell]));
        assert_succeeds(&out);
        let text = stdout(&out);
        assert!(text.contains(marker), "{shell}: no `{marker}`");
        assert!(text.contains("message-format"), "{shell}: flags missing");
    }
}

#[test]
fn man_pages() {
    let out = run(wasmlink_in(Path::new("."), &["man"]));
    assert_succeeds(&out);
    let page = stdout(&out);
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH wasmlink 1"), "{page}");
    assert!(
        page.contains("wasmlink\\-build"),
        "no subcommand list in {page}"
    );
    let out = run(wasmlink_in(Path::new("."), &["man", "build"]));
    assert_succeeds(&out);
    let page = stdout(&out);
    assert!(page.contains(".TH wasmlink-build 1"), "{page}");
    assert!(
        page.contains(env!("CARGO_PKG_VERSION")),
        "no version in {page}"
    );
    assert!(page.contains("\\-\\-linker"), "{page}");
    let text = error_of(Path::new("."), &["man", "biuld"]);
    assert!(text.contains("no subcommand is named \"biuld\""), "{text}");
}

// ---------------------------------------------------------------------------
// The summary line

#[test]
fn a_build_ends_with_a_summary_line() {
    let dir = workdir(&["hello.wat"]);
    let out = run(wasmlink_in(
        dir.path(),
        &["build", "hello.wat", "-o", "app"],
    ));
    assert_succeeds(&out);
    let text = stderr(&out);
    let size = std::fs::metadata(dir.path().join("app"))
        .expect("built")
        .len();
    let kb = format!("{:.1} kB", size as f64 / 1000.0);
    let wanted = format!("Built app (2 functions, {kb}) in ");
    let rest = text
        .strip_prefix(&wanted)
        .unwrap_or_else(|| panic!("`{text}` does not start with `{wanted}`"));
    let seconds = rest.strip_suffix(" s\n").expect("seconds, then the end");
    let (whole, cents) = seconds.split_once('.').expect("a decimal");
    assert!(
        whole.parse::<u32>().is_ok() && cents.len() == 2,
        "{seconds}"
    );
    // --quiet: nothing at all.
    let out = run(wasmlink_in(
        dir.path(),
        &["build", "--quiet", "hello.wat", "-o", "app"],
    ));
    assert_succeeds(&out);
    assert_eq!(stderr(&out), "");
}
