//! Linking a script's component instances and their drivers as one
//! manifest, building the harness executable once and checking the
//! replies to the script's steps.

use super::driver::{Driver, Reply};
use crate::wast::exec::{build, export_index, run_lines};
use crate::wast::value::trap_matches;
use crate::wast::ScriptReport;
use std::path::Path;
use std::sync::Arc;
use wasmlink_component::FlatComponent;
use wasmlink_graph::{parse_manifest_str, resolve_manifest, LoadOptions, ResolvedGraph};
use wasmlink_module::ExternKind;

/// One component instance of the script (its binary is `c{N}.wasm`).
pub struct Inst {
    pub flat: Arc<FlatComponent>,
    pub driver: Driver,
}

/// What the executable is asked to do, in script order.
pub enum Step {
    /// Instantiate instance `inst`; with `trap`, it must trap so.
    Instantiate {
        line: usize,
        inst: usize,
        trap: Option<String>,
    },
    /// Run command function `export` of `inst`'s driver.
    Call {
        line: usize,
        inst: usize,
        export: String,
        trap: Option<String>,
    },
}

impl Step {
    fn line(&self) -> usize {
        match self {
            Step::Instantiate { line, .. } | Step::Call { line, .. } => *line,
        }
    }

    fn inst(&self) -> usize {
        match self {
            Step::Instantiate { inst, .. } | Step::Call { inst, .. } => *inst,
        }
    }
}

/// Why an instance is left out.
enum Skip {
    Unsupported(String),
    Failed(String),
}

/// The resolver's messages for what wasmlink does not do yet, and for
/// imports only a test host would provide.
fn classify(message: String) -> Skip {
    if message.contains("not supported") || message.contains("nothing provides") {
        Skip::Unsupported(message)
    } else {
        Skip::Failed(message)
    }
}

/// Resolve instances `ids` (each component `c{N}` with driver `d{N}`).
fn resolve(dir: &Path, ids: &[usize]) -> Result<ResolvedGraph, String> {
    let mut sources = serde_json::Map::new();
    let mut instances = serde_json::Map::new();
    for &i in ids {
        sources.insert(format!("s{i}"), format!("c{i}.wasm").into());
        sources.insert(format!("t{i}"), format!("d{i}.wat").into());
        instances.insert(
            format!("c{i}"),
            serde_json::json!({ "source": format!("s{i}") }),
        );
        instances.insert(
            format!("d{i}"),
            serde_json::json!({ "source": format!("t{i}") }),
        );
    }
    let entry = ids.first().map(|i| format!("d{i}")).unwrap_or_default();
    let manifest =
        serde_json::json!({ "sources": sources, "instances": instances, "entry": entry });
    let path = dir.join("app.json");
    let m = parse_manifest_str(&manifest.to_string(), &path).map_err(|e| e.to_string())?;
    let options = LoadOptions {
        lifted_core_imports: true,
        ..Default::default()
    };
    resolve_manifest(&m, &options).map_err(|e| e.to_string())
}

/// Whether component `bytes` links on its own (for `assert_unlinkable`);
/// `n` is a number no instance of the script uses yet.
pub fn link_alone(dir: &Path, n: usize, bytes: &[u8]) -> Result<(), String> {
    let n = n + 1_000_000;
    std::fs::write(dir.join(format!("c{n}.wasm")), bytes).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join(format!("d{n}.wat")),
        Driver::new(&format!("c{n}")).finish(),
    )
    .map_err(|e| e.to_string())?;
    resolve(dir, &[n]).map(|_| ())
}

pub fn execute(name: &str, dir: &Path, insts: &[Inst], steps: &[Step], report: &mut ScriptReport) {
    let mut skip: Vec<Option<Skip>> = Vec::new();
    for (i, inst) in insts.iter().enumerate() {
        let written = std::fs::write(dir.join(format!("d{i}.wat")), inst.driver.finish());
        skip.push(match written {
            Err(e) => Some(Skip::Failed(format!("could not write the driver: {e}"))),
            Ok(()) => resolve(dir, &[i]).err().map(classify),
        });
    }
    let linked: Vec<usize> = (0..insts.len()).filter(|&i| skip[i].is_none()).collect();
    let fail_all = |report: &mut ScriptReport, why: &str| {
        for s in steps {
            if skip[s.inst()].is_none() {
                report.failures.push(format!("{name}:{}: {why}", s.line()));
            }
        }
    };
    // Steps of instances left out are reported with the reason.
    for s in steps {
        match &skip[s.inst()] {
            Some(Skip::Unsupported(why)) => report
                .unsupported
                .push(format!("{name}:{}: unsupported: {why}", s.line())),
            Some(Skip::Failed(why)) => report
                .failures
                .push(format!("{name}:{}: failed to link: {why}", s.line())),
            None => {}
        }
    }
    if linked.is_empty() {
        return;
    }
    let started = std::time::Instant::now();
    let resolved = match resolve(dir, &linked) {
        Ok(r) => r,
        Err(e) => return fail_all(report, &format!("failed to link: {e}")),
    };
    report.timings.compile += started.elapsed();
    let graph = &resolved.graph;
    let built = match build(graph) {
        Ok(b) => b,
        Err(e) => return fail_all(report, &e),
    };
    report.timings.compile += built.compile;
    report.timings.link += built.link;

    // The graph instances of each component instance, in instantiation order.
    let members = |i: usize, with_driver: bool| -> Vec<usize> {
        let prefix = format!("c{i}/");
        let driver = format!("d{i}");
        graph
            .order
            .iter()
            .copied()
            .filter(|&g| {
                let n = &graph.instances[g].name;
                n.starts_with(&prefix) || (with_driver && *n == driver)
            })
            .collect()
    };
    let funcs = export_index(graph, ExternKind::Func);
    let mut lines = Vec::new();
    // For each step sent: its first line and how many lines it has.
    let mut sent = Vec::new();
    for s in steps {
        if skip[s.inst()].is_some() {
            continue;
        }
        let first = lines.len();
        match s {
            Step::Instantiate { inst, trap, .. } => {
                // An instance that must trap is never called, so its
                // driver is not instantiated.
                for g in members(*inst, trap.is_none()) {
                    lines.push(format!("i {g}"));
                }
            }
            Step::Call { inst, export, .. } => {
                let driver = graph
                    .instances
                    .iter()
                    .position(|g| g.name == format!("d{inst}"));
                match driver.and_then(|d| funcs.get(&(d, export.clone()))) {
                    Some(k) => lines.push(format!("c {k}")),
                    None => {
                        report.failures.push(format!(
                            "{name}:{}: internal error: no driver function",
                            s.line()
                        ));
                        continue;
                    }
                }
            }
        }
        sent.push((s, first, lines.len() - first));
    }
    let started = std::time::Instant::now();
    let (replies, exit) = match run_lines(&built.exe, lines) {
        Ok(r) => r,
        Err(e) => return fail_all(report, &e),
    };
    report.timings.run += started.elapsed();
    for (s, first, count) in sent {
        let line = s.line();
        let got = replies[first..first + count]
            .iter()
            .try_fold(Got::Ok(0, 0), |_, r| match r {
                None => Err(Got::Stopped),
                Some(r) => match parse_reply(r) {
                    Got::Ok(a, b) => Ok(Got::Ok(a, b)),
                    other => Err(other),
                },
            });
        let got = got.unwrap_or_else(|g| g);
        let (expected_trap, inst) = match s {
            Step::Instantiate { trap, inst, .. } | Step::Call { trap, inst, .. } => (trap, *inst),
        };
        let replies_of = &insts[inst].driver.replies;
        let outcome = match got {
            Got::Ok(0, _) => Ok(()),
            Got::Ok(id, value) => match replies_of.get(id as usize - 1) {
                Some(Reply::Mismatch(m)) => Err(format!("{m}, got {value:#x}")),
                Some(Reply::Trap(m)) => Err(format!("trap: {m}")),
                None => Err(format!("bad driver reply {id}")),
            },
            Got::Trap(m) => Err(format!("trap: {m}")),
            Got::Stopped => Err("harness stopped before answering".to_string()),
            Got::Bad(r) => Err(format!("bad harness reply {r:?}")),
        };
        let verdict = match (expected_trap, outcome) {
            (None, Ok(())) => Ok(()),
            (None, Err(e)) => Err(e),
            (Some(t), Ok(())) => Err(format!("expected trap {t:?}, got success")),
            (Some(t), Err(e)) => match e.strip_prefix("trap: ") {
                Some(actual) if trap_matches(t, actual) => Ok(()),
                Some(actual) => Err(format!("expected trap {t:?}, got trap {actual:?}")),
                None => Err(format!("expected trap {t:?}, got {e}")),
            },
        };
        match verdict {
            Ok(()) => report.passed += 1,
            Err(e) => report.failures.push(format!("{name}:{line}: {e}")),
        }
    }
    if let Some(exit) = exit {
        report.failures.push(format!("{name}: {exit}"));
    }
}

enum Got {
    Ok(u32, u64),
    Trap(String),
    Stopped,
    Bad(String),
}

fn parse_reply(r: &str) -> Got {
    let (status, rest) = r.split_once(' ').unwrap_or((r, ""));
    match status {
        "trap" => Got::Trap(rest.to_string()),
        "ok" => {
            let mut v = rest.split_whitespace().map(|h| u128::from_str_radix(h, 16));
            match (v.next(), v.next()) {
                (None, _) => Got::Ok(0, 0),
                (Some(Ok(a)), Some(Ok(b))) => Got::Ok(a as u32, b as u64),
                _ => Got::Bad(r.to_string()),
            }
        }
        _ => Got::Bad(r.to_string()),
    }
}
