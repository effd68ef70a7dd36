//! Running many scripts and the conformance table.

use super::{run_script, ScriptReport, Timings};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Totals for one folder (spec version or proposal).
#[derive(Clone, Debug, Default)]
pub struct FolderSummary {
    pub scripts: usize,
    pub passed: usize,
    pub failed: usize,
    pub timings: Timings,
}

/// Run `(folder, name, text)` scripts in parallel; reports come back in input order.
pub fn run_scripts(scripts: &[(String, String, String)]) -> Vec<(String, ScriptReport)> {
    scripts
        .par_iter()
        .map(|(folder, name, text)| {
            if super::component::is_component_script(text) {
                let report = super::component::run_component_script(name, text);
                return (folder.clone(), report);
            }
            let features = super::features_for_folder(folder);
            (folder.clone(), run_script(name, text, features))
        })
        .collect()
}

/// The conformance table: one row per folder, then `N passed, N failed`.
pub fn format_table(reports: &[(String, ScriptReport)]) -> String {
    let mut folders: BTreeMap<&str, FolderSummary> = BTreeMap::new();
    for (folder, r) in reports {
        let s = folders.entry(folder).or_default();
        s.scripts += 1;
        s.passed += r.passed;
        s.failed += r.failures.len();
        s.timings += r.timings;
    }
    let mut out = format!(
        "{:<40} {:>7} {:>8} {:>7} {:>9}\n",
        "folder", "scripts", "passed", "failed", "pass rate"
    );
    let (mut passed, mut failed) = (0, 0);
    for (folder, s) in &folders {
        let total = s.passed + s.failed;
        let rate = if total == 0 {
            100.0
        } else {
            100.0 * s.passed as f64 / total as f64
        };
        out.push_str(&format!(
            "{:<40} {:>7} {:>8} {:>7} {:>8.2}%\n",
            folder, s.scripts, s.passed, s.failed, rate
        ));
        passed += s.passed;
        failed += s.failed;
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    out
}

/// The per-script table of component-model scripts: passed, failed and
/// unsupported checks, then the totals.
pub fn format_script_table(reports: &[(String, ScriptReport)]) -> String {
    let mut out = format!(
        "{:<58} {:>7} {:>7} {:>12}\n",
        "script", "passed", "failed", "unsupported"
    );
    let (mut p, mut f, mut u) = (0, 0, 0);
    for (folder, r) in reports {
        out.push_str(&format!(
            "{:<58} {:>7} {:>7} {:>12}\n",
            format!("{folder}/{}", r.name),
            r.passed,
            r.failures.len(),
            r.unsupported.len()
        ));
        p += r.passed;
        f += r.failures.len();
        u += r.unsupported.len();
    }
    out.push_str(&format!(
        "{} scripts: {p} passed, {f} failed, {u} unsupported\n",
        reports.len()
    ));
    out
}
