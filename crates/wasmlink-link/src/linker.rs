//! Which command links, and what it keeps.
//!
//! The linker is a C compiler driver: `--linker CMD` if given, else `$CC`,
//! else `cc`. Like `make` and cargo's `cc` crate, `CC` may hold a command
//! with flags (`CC="clang -fuse-ld=lld"`, `CC="ccache gcc"`), so the text is
//! split into words as a POSIX shell would split it (quotes and
//! backslashes, no expansion): the first word is the program, the others
//! come before wasmlink's own arguments. Messages show the command as
//! written and say where it came from.

use crate::LinkError;
use std::fmt;
use std::process::Command;

/// Where the linker command came from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkerOrigin {
    /// `--linker CMD` on the command line.
    Option,
    /// The `CC` environment variable.
    Env,
    /// Neither was given: `cc`.
    Default,
}

impl fmt::Display for LinkerOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkerOrigin::Option => "--linker",
            LinkerOrigin::Env => "CC",
            LinkerOrigin::Default => "the default",
        })
    }
}

/// A linker command: a program and the arguments that precede wasmlink's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linker {
    /// The command as written (`clang -fuse-ld=lld`).
    text: String,
    /// `text` split into words; never empty.
    words: Vec<String>,
    origin: LinkerOrigin,
}

impl Linker {
    /// Split `text` (from `origin`) into a command.
    pub fn parse(text: &str, origin: LinkerOrigin) -> Result<Linker, LinkError> {
        let bad = |problem: &str| LinkError::BadLinker {
            origin,
            command: text.to_string(),
            problem: problem.to_string(),
        };
        let words = shlex::split(text).ok_or_else(|| {
            bad("it does not split into words (an unterminated quote or a trailing backslash)")
        })?;
        if words.is_empty() {
            return Err(bad("it names no program"));
        }
        Ok(Linker {
            text: text.to_string(),
            words,
            origin,
        })
    }

    /// `--linker CMD` when given, else [`Linker::from_env`].
    pub fn choose(option: Option<&str>) -> Result<Linker, LinkError> {
        match option {
            Some(text) => Linker::parse(text, LinkerOrigin::Option),
            None => Linker::from_env(),
        }
    }

    /// `$CC` when it is set to something other than blanks (an empty `CC`
    /// is taken as unset, as `CC= make` means), else `cc`.
    pub fn from_env() -> Result<Linker, LinkError> {
        match std::env::var_os("CC") {
            Some(value) if !value.to_string_lossy().trim().is_empty() => {
                let text = value.into_string().map_err(|value| LinkError::BadLinker {
                    origin: LinkerOrigin::Env,
                    command: value.to_string_lossy().into_owned(),
                    problem: "it is not valid UTF-8".into(),
                })?;
                Linker::parse(&text, LinkerOrigin::Env)
            }
            _ => Ok(Linker::default()),
        }
    }

    /// The command as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where it came from.
    pub fn origin(&self) -> LinkerOrigin {
        self.origin
    }

    /// The program and its leading arguments, ready for more.
    pub(crate) fn command(&self) -> Command {
        let mut command = Command::new(&self.words[0]);
        command.args(&self.words[1..]);
        command
    }

    /// How messages name it: `` `clang -fuse-ld=lld` (from CC) ``.
    pub(crate) fn shown(&self) -> String {
        match self.origin {
            LinkerOrigin::Default => format!("`{}`", self.text),
            origin => format!("`{}` (from {origin})", self.text),
        }
    }
}

impl Default for Linker {
    fn default() -> Linker {
        Linker {
            text: "cc".into(),
            words: vec!["cc".into()],
            origin: LinkerOrigin::Default,
        }
    }
}

impl fmt::Display for Linker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What the executable keeps of its symbol table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Symbols {
    /// No symbol table (`-s`): the smallest file. The default: a trap
    /// names its function from wasmlink's own table, which is always
    /// there, so nothing a user sees at run time needs the symbols.
    #[default]
    Strip,
    /// The symbol table, with every Wasm function under its name
    /// (`lib::div`; `-g`), for `perf`, `gdb` and `nm`.
    Keep,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_like_a_shell() {
        let l = Linker::parse("clang -fuse-ld=lld", LinkerOrigin::Env).expect("splits");
        assert_eq!(l.words, ["clang", "-fuse-ld=lld"]);
        let l = Linker::parse(
            "'/opt/my cc/bin/gcc' -O0 \"-Wl,-z,now\"",
            LinkerOrigin::Option,
        )
        .expect("splits");
        assert_eq!(l.words, ["/opt/my cc/bin/gcc", "-O0", "-Wl,-z,now"]);
        assert_eq!(
            l.shown(),
            "`'/opt/my cc/bin/gcc' -O0 \"-Wl,-z,now\"` (from --linker)"
        );
    }

    #[test]
    fn unusable_commands_are_refused_by_name() {
        for (text, problem) in [("clang '-x", "split"), ("  ", "no program")] {
            let e = Linker::parse(text, LinkerOrigin::Env).expect_err(text);
            let shown = e.to_string();
            assert!(shown.contains(problem), "{shown}");
            assert!(shown.starts_with("CC="), "{shown}");
        }
    }
}
