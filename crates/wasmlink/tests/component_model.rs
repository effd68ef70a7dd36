//! The component-model conformance gate: every vendored script under
//! `tests/component-model/` (the component-model spec's `test/` and
//! Wasmtime's `misc_testsuite/component-model/`) through the real
//! pipeline. The per-script table is printed; the test fails when any
//! script's counts (passed, failed, unsupported) differ from
//! `tests/component-model-expectations.txt`, better or worse, so the file
//! stays exact. `BLESS=1` rewrites it; `WASMLINK_CM_FILTER=substring`
//! runs only matching scripts (and checks only their lines).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wasmlink::wast::{format_script_table, run_scripts, set_optimizations};
use wasmlink::Optimizations;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "wast") {
            out.push(p);
        }
    }
}

#[test]
fn component_model_conformance() {
    let base = root().join("component-model");
    let mut files = Vec::new();
    collect(&base, &mut files);
    let filter = std::env::var("WASMLINK_CM_FILTER").ok();
    let mut scripts = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&base).unwrap_or(f);
        let folder = rel
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if filter
            .as_ref()
            .is_some_and(|flt| !rel.display().to_string().contains(flt.as_str()))
        {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("read script");
        scripts.push((folder, name, text));
    }
    // Two scripts build at a time: each build compiles in the same pool.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    // Every script runs with all whole-program optimisations (the gate)
    // and with none, which must give the same counts.
    let outcome = |wpo: Optimizations| {
        set_optimizations(wpo);
        let reports = pool.install(|| run_scripts(&scripts));
        println!(
            "whole-program optimisations: {wpo}\n{}",
            format_script_table(&reports)
        );
        for (folder, r) in &reports {
            for f in &r.failures {
                println!("FAIL ({wpo}) {folder}/{f}");
            }
            for u in &r.unsupported {
                println!("UNSUPPORTED ({wpo}) {folder}/{u}");
            }
        }
        reports
            .iter()
            .map(|(folder, r)| {
                (
                    format!("{folder}/{}", r.name),
                    format!(
                        "passed {} failed {} unsupported {}",
                        r.passed,
                        r.failures.len(),
                        r.unsupported.len()
                    ),
                )
            })
            .collect::<BTreeMap<String, String>>()
    };
    let actual = outcome(Optimizations::ALL);
    let without = outcome(Optimizations::NONE);
    let differ: Vec<String> = actual
        .iter()
        .filter(|(k, v)| without.get(*k) != Some(v))
        .map(|(k, v)| {
            format!(
                "{k}: `{v}` with all, `{}` with none",
                without.get(k).map_or("not run", |s| s)
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "whole-program optimisations change the outcome:\n  {}",
        differ.join("\n  ")
    );
    let path = root().join("component-model-expectations.txt");
    if std::env::var_os("BLESS").is_some() && filter.is_none() {
        let mut text = String::from(
            "# Component-model scripts: checks passed, failed and unsupported, one script per line.\n\
             # Rewritten by `BLESS=1 cargo test -p wasmlink --test component_model`.\n",
        );
        for (k, v) in &actual {
            text.push_str(&format!("{k}: {v}\n"));
        }
        std::fs::write(&path, text).expect("write expectations");
        return;
    }
    let known_text = std::fs::read_to_string(&path).unwrap_or_default();
    let known: BTreeMap<String, String> = known_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once(": ")
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .filter(|(k, _)| filter.as_ref().is_none_or(|f| k.contains(f.as_str())))
        .collect();
    let mut changed = Vec::new();
    for (k, v) in &actual {
        match known.get(k) {
            Some(e) if e == v => {}
            Some(e) => changed.push(format!("{k}: listed `{e}`, now `{v}`")),
            None => changed.push(format!("{k}: not listed, now `{v}`")),
        }
    }
    for k in known.keys().filter(|k| !actual.contains_key(*k)) {
        changed.push(format!("{k}: listed but not run"));
    }
    assert!(
        changed.is_empty(),
        "component-model conformance changed (update tests/component-model-expectations.txt with BLESS=1):\n  {}",
        changed.join("\n  ")
    );
}
