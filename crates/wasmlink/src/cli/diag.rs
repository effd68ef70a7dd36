//! How `wasmlink` reports: errors, warnings and notes, and the summary
//! line of a build, on stderr.
//!
//! `--message-format human` (the default) writes `error: MESSAGE` as
//! before, with `error`, `warning` and `note` in colour when
//! `--color` says so (`auto`: stderr is a terminal and `NO_COLOR` is unset
//! or empty). `--message-format json` writes one JSON object per line
//! instead, as cargo's `--message-format json` does, with the structured
//! parts the error types expose ([`GraphError::file`], `node`, `import`,
//! `line_column`, `offset`; the output path of a link error), never read
//! back from the message text. The lines go to stderr rather than stdout
//! because stdout belongs to the program under `wasmlink run` and to the
//! printed result under `graph`, `disas` and `completions`.
//!
//! The settings are process-wide (set once in `main`, before any
//! subcommand runs), so any code that reports goes through here and gets
//! them without passing them down.

use serde_json::{json, Value};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;
use wasmlink::BuildError;
use wasmlink_graph::GraphError;
use wasmlink_link::LinkError;

/// `--message-format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// Text for people: `error: MESSAGE`.
    #[default]
    Human,
    /// One JSON object per line on stderr.
    Json,
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stderr is a terminal and NO_COLOR is unset or empty.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether stderr gets colour.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }

    /// The same choice for clap's own help and errors.
    pub fn clap(self) -> clap::ColorChoice {
        match self {
            ColorChoice::Auto => clap::ColorChoice::Auto,
            ColorChoice::Always => clap::ColorChoice::Always,
            ColorChoice::Never => clap::ColorChoice::Never,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Settings {
    format: MessageFormat,
    color: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Set how this process reports (once; later calls change nothing).
pub fn init(format: MessageFormat, color: ColorChoice) {
    let color = format == MessageFormat::Human && color.enabled();
    let _ = SETTINGS.set(Settings { format, color });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings {
        format: MessageFormat::Human,
        color: false,
    })
}

/// Whether reports are JSON lines (then nothing else of wasmlink's own
/// belongs on stderr: no progress bar).
pub fn json() -> bool {
    settings().format == MessageFormat::Json
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    /// Bold and a colour, as cargo shows them.
    fn style(self) -> &'static str {
        match self {
            Severity::Error => "\x1b[1;31m",
            Severity::Warning => "\x1b[1;33m",
            Severity::Note => "\x1b[1;36m",
        }
    }
}

const BOLD: &str = "\x1b[1m";
const BOLD_GREEN: &str = "\x1b[1;32m";
const RESET: &str = "\x1b[0m";

/// A diagnostic: what is printed, and what JSON says beside the message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub offset: Option<usize>,
    pub node: Option<String>,
    pub import: Option<(String, String)>,
}

impl Diagnostic {
    /// A diagnostic with only a message.
    pub fn plain(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            ..Diagnostic::default()
        }
    }

    /// The diagnostic of `error`: its whole chain as the message (as
    /// `{:#}` shows it), the structured parts from the first error in the
    /// chain whose type has them.
    pub fn of(error: &anyhow::Error) -> Diagnostic {
        let mut d = Diagnostic::plain(format!("{error:#}"));
        for cause in error.chain() {
            if let Some(e) = cause.downcast_ref::<GraphError>() {
                d.file = e.file().map(|p| shown_path(&p));
                d.line_column(e.line_column());
                d.offset = e.offset();
                d.node = e.node().map(String::from);
                d.import = e.import().map(|(m, n)| (m.to_string(), n.to_string()));
                break;
            }
            let link = match cause.downcast_ref::<BuildError>() {
                Some(BuildError::Link(e)) => Some(e),
                _ => cause.downcast_ref::<LinkError>(),
            };
            if let Some(e) = link {
                d.file = e.path().map(shown_path);
                break;
            }
        }
        d
    }

    fn line_column(&mut self, at: Option<(usize, usize)>) {
        if let Some((line, column)) = at {
            self.line = Some(line);
            self.column = Some(column);
        }
    }

    fn to_json(&self, severity: Severity) -> Value {
        json!({
            "type": "diagnostic",
            "severity": severity.word(),
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "offset": self.offset,
            "node": self.node,
            "import": self.import.as_ref().map(|(module, name)| json!({
                "module": module,
                "name": name,
            })),
        })
    }
}

fn shown_path(path: &Path) -> String {
    path.display().to_string()
}

/// Write one line (a report) to stderr, ignoring a closed stderr: there
/// is nowhere left to say so.
fn write_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Report `diagnostic` with `severity`.
pub fn emit(severity: Severity, diagnostic: &Diagnostic) {
    let s = settings();
    match s.format {
        MessageFormat::Json => write_line(&diagnostic.to_json(severity).to_string()),
        MessageFormat::Human if s.color => write_line(&format!(
            "{}{}{RESET}{BOLD}:{RESET} {}",
            severity.style(),
            severity.word(),
            diagnostic.message
        )),
        MessageFormat::Human => write_line(&format!("{}: {}", severity.word(), diagnostic.message)),
    }
}

/// Report `error`.
pub fn error(error: &anyhow::Error) {
    emit(Severity::Error, &Diagnostic::of(error));
}

/// Report an error that is only a message.
pub fn error_message(message: &str) {
    emit(Severity::Error, &Diagnostic::plain(message));
}

/// Report a warning.
pub fn warning(message: &str) {
    emit(Severity::Warning, &Diagnostic::plain(message));
}

/// Report a note.
pub fn note(message: &str) {
    emit(Severity::Note, &Diagnostic::plain(message));
}

/// What a finished build made: the summary line's facts.
pub struct Summary<'a> {
    /// The executable as the command line named it.
    pub output: &'a Path,
    /// Wasm functions compiled.
    pub functions: usize,
    /// Size of the executable (`None` for a device or FIFO output).
    pub bytes: Option<u64>,
    pub elapsed: Duration,
}

/// `Built app (1 203 functions, 3.1 MB) in 1.84 s`, like cargo's
/// `Finished` line (or its JSON form).
pub fn finished(summary: &Summary) {
    let s = settings();
    if s.format == MessageFormat::Json {
        write_line(
            &json!({
                "type": "build-finished",
                "output": shown_path(summary.output),
                "functions": summary.functions,
                "bytes": summary.bytes,
                "seconds": summary.elapsed.as_secs_f64(),
            })
            .to_string(),
        );
        return;
    }
    let mut facts = vec![format!(
        "{} function{}",
        grouped(summary.functions as u64),
        if summary.functions == 1 { "" } else { "s" }
    )];
    facts.extend(summary.bytes.map(size));
    let word = if s.color {
        format!("{BOLD_GREEN}Built{RESET}")
    } else {
        "Built".to_string()
    };
    write_line(&format!(
        "{word} {} ({}) in {:.2} s",
        escaped(&shown_path(summary.output)),
        facts.join(", "),
        summary.elapsed.as_secs_f64()
    ));
}

/// A path as shown in the summary: the user typed it, but it may hold
/// control characters all the same.
fn escaped(text: &str) -> String {
    wasmlink_graph::shown_message(text)
}

/// `1 203 456`: digits in groups of three, as the summary shows counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `512 B`, `48.2 kB`, `3.1 MB`, `1.2 GB` (powers of 1000).
fn size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["kB", "MB", "GB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_three() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1203), "1 203");
        assert_eq!(grouped(1_203_456), "1 203 456");
    }

    #[test]
    fn sizes_use_decimal_units() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(48_200), "48.2 kB");
        assert_eq!(size(3_100_000), "3.1 MB");
        assert_eq!(size(999_999), "1.0 MB");
        assert_eq!(size(1_200_000_000), "1.2 GB");
    }

    #[test]
    fn graph_errors_give_their_parts() {
        let e = anyhow::Error::new(GraphError::Link {
            instance: "main".into(),
            file: Some("app.wat".into()),
            module: "env".into(),
            name: "is_evn".into(),
            message: "instance \"main\" (app.wat) imports \"env\" \"is_evn\": no".into(),
        })
        .context("loading");
        let d = Diagnostic::of(&e);
        assert!(d.message.starts_with("loading: instance"), "{}", d.message);
        assert_eq!(d.file.as_deref(), Some("app.wat"));
        assert_eq!(d.node.as_deref(), Some("main"));
        assert_eq!(d.import, Some(("env".into(), "is_evn".into())));
        let v = d.to_json(Severity::Error);
        assert_eq!(v["severity"], "error");
        assert_eq!(v["import"]["name"], "is_evn");
        assert_eq!(v["line"], Value::Null);
    }
}
