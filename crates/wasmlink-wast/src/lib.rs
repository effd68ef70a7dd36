//! The spec-test harness. It owns running WebAssembly script files
//! (`.wast`) through the real pipeline: every `module` of a script becomes an
//! instance of one [`InstanceGraph`](wasmlink_graph::InstanceGraph), imports
//! are resolved statically against `register`ed instances (and the
//! `spectest` module), the graph is compiled and linked once as a harness
//! executable, and the script's actions are then sent to that executable as
//! commands (instantiate, invoke, read a global). Traps are recovered by the
//! runtime, so one trap does not end the script. Validation failures are
//! checked at load time and link failures at resolution, where they belong.

mod exec;
mod plan;
mod summary;
mod value;

pub use summary::{format_table, run_scripts, FolderSummary};

use std::time::Duration;

/// The outcome of one script.
#[derive(Clone, Debug, Default)]
pub struct ScriptReport {
    /// The script's name (its path as given).
    pub name: String,
    /// Checks that passed: assertions, module definitions and actions.
    pub passed: usize,
    /// One line per failed check: `name:line: what went wrong`.
    pub failures: Vec<String>,
    pub timings: Timings,
}

/// Where the time of a script went.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Parsing, validation, resolution and Cranelift compilation.
    pub compile: Duration,
    /// Object emission and the system linker.
    pub link: Duration,
    /// Running the harness executable.
    pub run: Duration,
}

impl std::ops::AddAssign for Timings {
    fn add_assign(&mut self, o: Timings) {
        self.compile += o.compile;
        self.link += o.link;
        self.run += o.run;
    }
}

/// Run one script given its text.
pub fn run_script(name: &str, text: &str) -> ScriptReport {
    let mut report = ScriptReport {
        name: name.to_string(),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let plan = match plan::plan_script(name, text) {
        Ok(plan) => plan,
        Err(message) => {
            report.failures.push(format!("{name}: {message}"));
            return report;
        }
    };
    report.passed += plan.static_passed;
    report.failures.extend(plan.static_failures.iter().cloned());
    report.timings.compile = started.elapsed();
    exec::execute(name, &plan, &mut report);
    report
}
