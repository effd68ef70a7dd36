//! `wasmlink wast`: collect scripts and print their results.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn collect(path: &Path, root: &Path, out: &mut Vec<(String, String, PathBuf)>) -> Result<()> {
    if path.is_dir() {
        let mut entries = std::fs::read_dir(path)
            .with_context(|| format!("reading {}", path.display()))?
            .collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            collect(&e.path(), root, out)?;
        }
    } else if path == root || path.extension().is_some_and(|e| e == "wast") {
        let folder = path
            .parent()
            .and_then(|p| p.strip_prefix(root).ok())
            .map(|p| p.display().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| root.display().to_string());
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((folder, name, path.to_path_buf()));
    }
    Ok(())
}

pub fn run(paths: &[PathBuf], summary: bool) -> Result<ExitCode> {
    let mut found = Vec::new();
    for p in paths {
        if !p.exists() {
            anyhow::bail!("{}: no such file or directory", p.display());
        }
        collect(p, p, &mut found)?;
    }
    let mut scripts = Vec::new();
    for (folder, name, path) in found {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        scripts.push((folder, name, text));
    }
    let reports = wasmlink::wast::run_scripts(&scripts);
    let scripts: Vec<(String, bool)> = scripts
        .iter()
        .map(|(_, n, t)| (n.clone(), wasmlink::wast::component::is_component_script(t)))
        .collect();
    let mut failed = 0;
    for (folder, r) in &reports {
        failed += r.failures.len();
        if !summary {
            for f in &r.failures {
                println!("FAIL {folder}/{f}");
            }
            for u in &r.unsupported {
                println!("UNSUPPORTED {folder}/{u}");
            }
        }
    }
    if summary {
        // Component-model scripts get one row each (with the unsupported
        // checks); core scripts one row per folder.
        let (component, core): (Vec<_>, Vec<_>) = reports
            .iter()
            .cloned()
            .partition(|(_, r)| !r.unsupported.is_empty() || is_component(&scripts, &r.name));
        if !core.is_empty() {
            print!("{}", wasmlink::wast::format_table(&core));
        }
        if !component.is_empty() {
            print!("{}", wasmlink::wast::format_script_table(&component));
        }
    } else {
        let passed: usize = reports.iter().map(|(_, r)| r.passed).sum();
        println!("{passed} passed, {failed} failed");
    }
    let total = reports
        .iter()
        .fold(wasmlink::wast::Timings::default(), |mut t, (_, r)| {
            t += r.timings;
            t
        });
    eprintln!(
        "time (summed over scripts): compile {:.1}s, link {:.1}s, run {:.1}s",
        total.compile.as_secs_f64(),
        total.link.as_secs_f64(),
        total.run.as_secs_f64()
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn is_component(scripts: &[(String, bool)], name: &str) -> bool {
    scripts.iter().any(|(n, c)| n == name && *c)
}
