//! The progress bar of a build, on stderr when it is a terminal: a bar
//! while functions compile, then a spinner naming the phase (writing the
//! object, linking, running the snapshot program of pre-initialisation),
//! so a long link does not look like a hang. Nothing is drawn under
//! `--message-format json` or `--quiet`, or when stderr is not a
//! terminal; the bar is cleared when the build ends, before the summary
//! line or an error is printed.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;
use wasmlink::Phase;

/// The bar, if one is drawn.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// The linker command, for the link phase's message.
    linker: String,
}

impl Progress {
    /// A bar on stderr when it is a terminal, unless `quiet` or JSON
    /// reports.
    pub fn new(quiet: bool, linker: &str) -> Progress {
        let shown = !quiet && !super::diag::json() && std::io::stderr().is_terminal();
        Progress {
            bar: shown.then(|| ProgressBar::new(0).with_style(compile_style())),
            // From the environment or the command line: shown escaped.
            linker: wasmlink_graph::shown_message(linker),
        }
    }

    /// One more function compiled, of `total`.
    pub fn tick(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.inc(1);
        }
    }

    /// A phase starts.
    pub fn phase(&self, phase: Phase) {
        let Some(bar) = &self.bar else { return };
        match phase {
            Phase::Compile => {
                // Compilation runs twice under pre-initialisation: count
                // each pass from zero.
                bar.disable_steady_tick();
                bar.set_position(0);
                bar.set_style(compile_style());
            }
            Phase::Emit => spin(bar, "writing the object file".into()),
            Phase::Link => spin(bar, format!("linking with {}", self.linker)),
            Phase::RunSnapshot => spin(bar, "pre-initialising: running the program".into()),
        }
    }

    /// Clear the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn compile_style() -> ProgressStyle {
    ProgressStyle::with_template("compiling {bar:40} {pos}/{len} functions")
        .expect("the template is valid")
}

fn spin(bar: &ProgressBar, message: String) {
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("the template is valid"),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(100));
}
