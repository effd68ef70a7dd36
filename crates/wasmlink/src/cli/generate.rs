//! What is generated from the clap definitions themselves, so it can never
//! disagree with the flags: shell completion scripts (`wasmlink
//! completions SHELL`, clap_complete) and the manual page (`wasmlink man
//! [SUBCOMMAND]`, clap_mangen, roff on stdout). Also the look-ahead for
//! `--color` and `--message-format`, which must be known before clap
//! parses, to style clap's own errors.

use super::diag::{ColorChoice, MessageFormat};
use anyhow::{Context, Result};
use clap::ValueEnum;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

/// `--message-format` and `--color` as the raw arguments give them (the
/// last one wins, as with clap; invalid values are left to clap to
/// refuse). Only looked at until a `--`.
pub fn early_settings(args: &[OsString]) -> (MessageFormat, ColorChoice) {
    let mut format = MessageFormat::default();
    let mut color = ColorChoice::default();
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let (flag, value) = match word.split_once('=') {
            Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
            None => (word.to_string(), None),
        };
        if flag != "--message-format" && flag != "--color" {
            continue;
        }
        let Some(value) = value.or_else(|| words.next().map(|w| w.to_string())) else {
            break;
        };
        if flag == "--color" {
            color = ColorChoice::from_str(&value, false).unwrap_or(color);
        } else {
            format = MessageFormat::from_str(&value, false).unwrap_or(format);
        }
    }
    (format, color)
}

/// Print the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, mut cmd: clap::Command) -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "wasmlink", &mut out);
    write_stdout(&out)
}

/// Print the manual page of wasmlink, or of `subcommand`.
pub fn man(cmd: clap::Command, subcommand: Option<&str>) -> Result<ExitCode> {
    let mut cmd = cmd.disable_help_subcommand(true);
    // Built, subcommands know their full names (`wasmlink-build`) and
    // inherit the global flags, as their pages should show.
    cmd.build();
    let page = match subcommand {
        None => cmd,
        Some(name) => cmd.find_subcommand(name).cloned().with_context(|| {
            let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            format!(
                "no subcommand is named \"{name}\" (available: {})",
                names.join(", ")
            )
        })?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .context("could not render the manual page")?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .context("could not write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> (MessageFormat, ColorChoice) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        early_settings(&args)
    }

    #[test]
    fn settings_are_found_in_both_spellings() {
        assert_eq!(
            settings(&["wasmlink", "build"]),
            (MessageFormat::Human, ColorChoice::Auto)
        );
        assert_eq!(
            settings(&[
                "wasmlink",
                "--message-format",
                "json",
                "build",
                "--color=never"
            ]),
            (MessageFormat::Json, ColorChoice::Never)
        );
        assert_eq!(
            settings(&["wasmlink", "--color", "bogus", "x"]),
            (MessageFormat::Human, ColorChoice::Auto)
        );
        assert_eq!(
            settings(&["wasmlink", "run", "--", "--color", "always"]),
            (MessageFormat::Human, ColorChoice::Auto)
        );
    }
}
