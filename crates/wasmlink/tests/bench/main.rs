//! `wasmlink bench` end to end, on the tiny programs of this folder: the
//! JSON document and the SVG chart it writes, and the errors it must give
//! (a missing wasmtime, a C source that does not compile, a program that
//! fails, variants that print different things). One run per variant
//! keeps each test to a few builds.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bench")
        .join(name)
}

fn bench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmlink"))
        .arg("bench")
        .args(args)
        .output()
        .expect("wasmlink runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether `name` is an executable file on PATH.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(name).is_file()))
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "wasmlink bench failed: {}",
        stderr(out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn names(doc: &Value) -> Vec<String> {
    doc["variants"]
        .as_array()
        .expect("a list of variants")
        .iter()
        .map(|v| v["name"].as_str().expect("a name").to_string())
        .collect()
}

/// Every number a variant reports is a positive number.
fn assert_positive(doc: &Value) {
    for v in doc["variants"].as_array().expect("variants") {
        for key in [
            "cpu_min",
            "cpu_median",
            "wall_min",
            "wall_median",
            "ratio_cpu_min",
            "ratio_cpu_median",
            "ratio_wall_median",
            "build_wall",
            "build_cpu",
            "size_bytes",
        ] {
            let n = v[key].as_f64().unwrap_or(-1.0);
            assert!(n > 0.0, "{} {key} = {}", v["name"], v[key]);
        }
    }
}

#[test]
fn json_reports_every_variant_with_positive_numbers() {
    let input = case("tiny.wat");
    let out = bench(&[input.to_str().expect("utf-8 path"), "--runs", "1", "--json"]);
    let doc = json_of(&out);
    let mut expected = vec!["static", "static-no-wpo", "dynamic"];
    // wasmtime joins whenever it is on PATH, as it is where wasmlink is
    // developed; without it the document must not claim it.
    if on_path("wasmtime") {
        expected.push("wasmtime");
    }
    assert_eq!(names(&doc), expected, "{doc:#}");
    assert_eq!(doc["baseline"], "static");
    assert_eq!(doc["runs"], 1);
    assert_positive(&doc);
    let threads = &doc["static_build_threads"];
    for key in ["j1", "j2"] {
        for what in ["wall", "cpu"] {
            let n = threads[key][what].as_f64().unwrap_or(-1.0);
            assert!(n > 0.0, "{key} {what} = {}", threads[key][what]);
        }
    }
    assert!(threads["ratio_wall"].as_f64().unwrap_or(-1.0) > 0.0);
}

#[test]
fn plot_draws_one_bar_per_variant() {
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = dir.path().join("chart.svg");
    let input = case("tiny.wat");
    let out = bench(&[
        input.to_str().expect("utf-8 path"),
        "--runs",
        "1",
        "--variants",
        "static,dynamic",
        "--plot",
        svg.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&svg).expect("the chart is written");
    assert!(text.starts_with("<svg"), "{text}");
    assert!(text.trim_end().ends_with("</svg>"), "{text}");
    assert_eq!(text.matches("<rect").count(), 2, "{text}");
    assert!(
        text.contains(">static<") && text.contains(">dynamic<"),
        "{text}"
    );
    // The table goes to stdout as usual.
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("median CPU s"), "{table}");
}

#[test]
fn native_variants_run_the_c_source() {
    let input = case("tiny.wat");
    let src = case("tiny.c");
    let mut args = vec![
        input.to_str().expect("utf-8 path"),
        "--native",
        src.to_str().expect("utf-8 path"),
        "--runs",
        "1",
        "--json",
        "--variants",
    ];
    let have_clang = on_path("clang-14") || on_path("clang");
    args.push(if have_clang {
        "static,clang,cc"
    } else {
        "static,cc"
    });
    let doc = json_of(&bench(&args));
    let expected: &[&str] = match have_clang {
        true => &["static", "clang", "cc"],
        false => &["static", "cc"],
    };
    assert_eq!(names(&doc), expected, "{doc:#}");
    assert_positive(&doc);
    if !have_clang {
        // Asked for by name without a clang, it is an error, not a gap.
        let out = bench(&[
            input.to_str().expect("utf-8 path"),
            "--native",
            src.to_str().expect("utf-8 path"),
            "--variants",
            "clang",
        ]);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("clang-14 or clang"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_missing_wasmtime_is_named() {
    let input = case("tiny.wat");
    let out = bench(&[
        input.to_str().expect("utf-8 path"),
        "--runs",
        "1",
        "--wasmtime",
        "/nonexistent/wasmtime",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--wasmtime /nonexistent/wasmtime: no such file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_c_source_that_does_not_compile_names_the_compiler() {
    let input = case("tiny.wat");
    let src = case("broken.c");
    let out = bench(&[
        input.to_str().expect("utf-8 path"),
        "--runs",
        "1",
        "--native",
        src.to_str().expect("utf-8 path"),
        "--variants",
        "static,cc",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("cc -O2 could not compile"), "{err}");
    assert!(err.contains("broken.c"), "{err}");
    // The compiler's own message follows.
    assert!(err.contains("missing"), "{err}");
}

#[test]
fn a_failing_program_names_the_variant() {
    let input = case("exit3.wat");
    let out = bench(&[input.to_str().expect("utf-8 path"), "--runs", "1"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("the static variant failed (exit status 3)"),
        "{err}"
    );
    assert!(err.contains("something went wrong"), "{err}");
}

#[test]
fn different_outputs_name_the_variants() {
    let input = case("tiny.wat");
    let src = case("other.c");
    let out = bench(&[
        input.to_str().expect("utf-8 path"),
        "--runs",
        "1",
        "--native",
        src.to_str().expect("utf-8 path"),
        "--variants",
        "static,dynamic,cc",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("the variants do not print the same output: static, dynamic print 8 bytes; cc print 8 bytes, with line 1 \"tiny 43\" where static, dynamic print \"tiny 42\""),
        "{err}"
    );
}

/// The graphs `bench/wpo.sh` measures build and run in every variant and
/// print the same (`wasmlink bench` checks that before timing), and
/// wasmtime can run each of them but the facade.
#[test]
fn wpo_graphs_agree_in_every_variant() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/wpo");
    for graph in ["call", "facade", "table", "alloc", "local"] {
        let input = root.join(format!("{graph}.json"));
        let out = bench(&[
            input.to_str().expect("utf-8 path"),
            "--runs",
            "1",
            "--json",
            "--",
            "1000",
        ]);
        let doc = json_of(&out);
        let mut expected = vec!["static", "static-no-wpo", "dynamic"];
        if on_path("wasmtime") && graph != "facade" {
            expected.push("wasmtime");
        }
        assert_eq!(names(&doc), expected, "{graph}: {doc:#}");
        if graph == "facade" && on_path("wasmtime") {
            assert_eq!(doc["skipped"][0]["variant"], "wasmtime", "{doc:#}");
        }
    }
}
