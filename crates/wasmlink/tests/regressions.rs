//! Regression scripts: every `tests/wast/*.wast` is a minimized module for a
//! bug found by differential testing or fuzzing, run through the real
//! pipeline like a spec script (every feature wasmlink supports, since a bug
//! may sit in any of them). Bugs that are not fixed
//! yet are listed in `tests/wast/known-failures.txt`, so the suite stays
//! green while the script documents the bug; the test fails when an
//! unlisted script fails or a listed one starts passing.

use std::collections::BTreeSet;
use std::path::PathBuf;
use wasmlink::wast::{features_for_folder, run_script};

#[test]
fn regression_scripts() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wast");
    let known: BTreeSet<String> = std::fs::read_to_string(dir.join("known-failures.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/wast")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "wast"))
        .collect();
    scripts.sort();
    let mut problems = Vec::new();
    for path in &scripts {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).expect("read script");
        let report = run_script(&name, &text, features_for_folder("tests/wast"));
        let failed = !report.failures.is_empty();
        for f in &report.failures {
            println!(
                "{}FAIL {f}",
                if known.contains(&name) { "known " } else { "" }
            );
        }
        match (failed, known.contains(&name)) {
            (true, false) => problems.push(format!(
                "{name} fails:\n    {}",
                report.failures.join("\n    ")
            )),
            (false, true) => problems.push(format!(
                "{name} passes now: remove it from tests/wast/known-failures.txt"
            )),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
