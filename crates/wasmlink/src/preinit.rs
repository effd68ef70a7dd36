//! Build-time pre-initialisation (the README's "Pre-initialisation"):
//! the graph is first built as a snapshot program
//! (`wasmlink_codegen::Preinit::Snapshot`), which is run here, in a
//! private temporary directory, with nothing of the build machine (no
//! environment, no files, stdin and stdout on `/dev/null`); it
//! instantiates everything, calls the init export and writes a snapshot
//! of every instance's state. The snapshot is read back and checked
//! against the graph (`wasmlink_codegen::Snapshot`), and the real
//! executable is built from it.

use crate::pipeline::{compile_object, BuildError, BuildOptions, Phase};
use std::time::Instant;
use wasmlink_abi::preinit::SNAPSHOT_REFUSED;
use wasmlink_codegen::{Preinit, Snapshot};
use wasmlink_graph::{shown_name, InstanceGraph, PreinitRequest};

/// What the snapshot program's runtime writes before a message of its own.
const RUNTIME_PREFIX: &str = "wasmlink runtime: ";
/// And before a refusal (`wasmlink_runtime::preinit`).
const REFUSAL_PREFIX: &str = "pre-initialisation: ";

fn error(message: String) -> BuildError {
    BuildError::Preinit { message }
}

/// Why `graph` cannot be pre-initialised before anything runs, if it
/// cannot: an instance that may spawn threads (each thread is a new
/// instance, which a snapshot cannot hold).
fn static_refusal(graph: &InstanceGraph) -> Option<String> {
    let i = (0..graph.instances.len()).find(|&i| graph.instance_spawns_threads(i))?;
    Some(format!(
        "instance \"{}\" binds wasi.thread-spawn: a snapshot cannot hold threads, so a program that may spawn them cannot be pre-initialised",
        shown_name(&graph.instances[i].name)
    ))
}

/// Build and run the snapshot program of `graph` and read its snapshot.
/// Adds the time it took to `timings.preinit`.
pub(crate) fn take_snapshot(
    graph: &InstanceGraph,
    options: &BuildOptions,
    request: &PreinitRequest,
    spent: &mut std::time::Duration,
) -> Result<Snapshot, BuildError> {
    if let Some(why) = static_refusal(graph) {
        return Err(error(why));
    }
    let started = Instant::now();
    let argv0 = graph.instances[graph.entry.instance].name.clone();
    let init = request.init.as_ref().map(|(at, _)| (at.instance, at.index));
    let (object, _) = compile_object(graph, options, &Preinit::Snapshot { init, argv0 })?;
    let dir = wasmlink_link::ScratchDir::new_in(&std::env::temp_dir(), ".wasmlink-preinit-")
        .map_err(|e| error(format!("cannot create a temporary directory: {e}")))?;
    let program = dir.path().join("snapshot-program");
    let destination = wasmlink_link::Destination::check(&program, &[])?;
    options.report(Phase::Link);
    // The snapshot program is only run, never kept: no symbols needed.
    let symbols = wasmlink_link::Symbols::Strip;
    wasmlink_link::link_to(&options.linker()?, &object, &destination, symbols)?;
    options.report(Phase::RunSnapshot);
    let file = dir.path().join("snapshot");
    let (status, stderr) =
        wasmlink_link::run_build_program(&program, &[file.as_os_str()], dir.path())
            .map_err(|e| error(format!("cannot run the program to pre-initialise it: {e}")))?;
    let stderr = String::from_utf8_lossy(&stderr);
    let said = stderr.trim_end();
    if !status.success() {
        let message = match status.code() {
            Some(SNAPSHOT_REFUSED) => {
                let text = said.strip_prefix(RUNTIME_PREFIX).unwrap_or(said);
                text.strip_prefix(REFUSAL_PREFIX)
                    .unwrap_or(text)
                    .to_string()
            }
            Some(134) if said.starts_with("wasm trap: ") => {
                format!("the program trapped while it was pre-initialised: {said}")
            }
            _ => format!(
                "the program failed while it was pre-initialised ({}):\n{said}",
                describe_status(status)
            ),
        };
        return Err(error(message));
    }
    let bytes =
        std::fs::read(&file).map_err(|e| error(format!("the program wrote no snapshot: {e}")))?;
    let snapshot = Snapshot::parse(&bytes, graph).map_err(|e| {
        error(format!(
            "the snapshot is damaged ({e}); this is a wasmlink bug"
        ))
    })?;
    *spent += started.elapsed();
    Ok(snapshot)
}

fn describe_status(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("status {code}"),
        (None, Some(sig)) => format!("killed by signal {sig}"),
        (None, None) => "no status".into(),
    }
}
