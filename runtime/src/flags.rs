//! `WASMLINK_FLAGS`: run-time configuration of a produced executable.
//!
//! The variable holds shell-style words: plain text, `'…'` (taken
//! literally), `"…"` (where `\` escapes `"`, `\`, `$` and `` ` ``), and `\`
//! outside quotes escaping any character (`\` + newline joins lines).
//! The words are flags, each taking a value as the next word or after `=`:
//!
//! | flag                | effect                                              |
//! |---------------------|-----------------------------------------------------|
//! | `--dir HOST[::GUEST]` | preopen HOST as GUEST (default: HOST), after the manifest's preopens |
//! | `--env NAME=VALUE`  | set NAME, replacing any value the manifest or the inherited environment gave it |
//! | `--env NAME`        | the same with the executable's own value of NAME (nothing when it has none, as `wasmtime --env NAME`) |
//! | `--argv0 NAME`      | argv\[0\] as the program sees it                      |
//! | `--inherit-network[=y\|n]` | let sockets bind, connect and accept (wasmtime's `-S inherit-network`) |
//! | `--allow-ip-name-lookup[=y\|n]` | let `ip-name-lookup` resolve names (wasmtime's `-S allow-ip-name-lookup`) |
//!
//! The last two are switches: alone they turn the permission on, with
//! `=y`/`=yes`/`=true` or `=n`/`=no`/`=false` on or off, whatever the
//! manifest said.
//! They apply over the manifest's `wasi` settings before the program
//! starts; the variable itself is taken out of an inherited environment.
//! The program's own command line is never read for flags. A manifest can
//! turn all this off (`"wasi": {"runtime_flags": false}`): the variable is
//! then an ordinary one.

use crate::wasi::HostBytes;
use alloc::string::String;
use alloc::vec::Vec;

/// The variable's name.
pub const VAR: &[u8] = b"WASMLINK_FLAGS";

/// A `--dir` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirFlag {
    pub host: Vec<u8>,
    pub guest: Vec<u8>,
}

/// An `--env` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvFlag {
    /// `--env NAME=VALUE`.
    Set { name: Vec<u8>, value: Vec<u8> },
    /// `--env NAME`: the executable's own value, if it has one.
    FromHost(Vec<u8>),
}

/// Everything `WASMLINK_FLAGS` asked for, in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuntimeFlags {
    pub dirs: Vec<DirFlag>,
    pub env: Vec<EnvFlag>,
    /// The last `--argv0`.
    pub argv0: Option<Vec<u8>>,
    /// The last `--inherit-network`, if any.
    pub inherit_network: Option<bool>,
    /// The last `--allow-ip-name-lookup`, if any.
    pub allow_ip_name_lookup: Option<bool>,
    /// `--gc-stats`: write the GC heap's statistics to stderr at exit.
    pub gc_stats: bool,
    /// `--gc-stress`: collect before every GC allocation (a test mode).
    pub gc_stress: bool,
}

/// The value of `WASMLINK_FLAGS` in `env` (`NAME=VALUE` entries), if set.
/// The first entry counts, as for `getenv`.
pub fn lookup<'a>(env: &'a [HostBytes], name: &[u8]) -> Option<&'a [u8]> {
    env.iter().find_map(|e| {
        e.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(b"="))
    })
}

/// Whether the entry `NAME=VALUE` is for `name`.
fn entry_is(entry: &[u8], name: &[u8]) -> bool {
    entry
        .strip_prefix(name)
        .is_some_and(|r| r.first() == Some(&b'='))
}

/// Remove every `name=…` entry.
pub fn remove_var(env: &mut Vec<HostBytes>, name: &[u8]) {
    env.retain(|e| !entry_is(e, name));
}

/// Split the variable's text into words (see the module documentation).
pub fn split_words(text: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if text.contains(&0) {
        return Err("holds a NUL byte".into());
    }
    let mut words = Vec::new();
    let mut word: Option<Vec<u8>> = None;
    let mut bytes = text.iter().copied();
    while let Some(b) = bytes.next() {
        match b {
            b' ' | b'\t' | b'\n' => words.extend(word.take()),
            b'\'' => {
                let w = word.get_or_insert_with(Vec::new);
                loop {
                    match bytes.next() {
                        Some(b'\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("unterminated ' quote".into()),
                    }
                }
            }
            b'"' => {
                let w = word.get_or_insert_with(Vec::new);
                loop {
                    match bytes.next() {
                        Some(b'"') => break,
                        Some(b'\\') => match bytes.next() {
                            Some(c @ (b'"' | b'\\' | b'$' | b'`')) => w.push(c),
                            Some(b'\n') => {}
                            Some(c) => w.extend_from_slice(&[b'\\', c]),
                            None => return Err("unterminated \" quote".into()),
                        },
                        Some(c) => w.push(c),
                        None => return Err("unterminated \" quote".into()),
                    }
                }
            }
            b'\\' => match bytes.next() {
                Some(b'\n') => {}
                Some(c) => word.get_or_insert_with(Vec::new).push(c),
                None => return Err("ends with a lone backslash".into()),
            },
            c => word.get_or_insert_with(Vec::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

const USAGE: &str = "expected --dir HOST[::GUEST], --env NAME[=VALUE], --argv0 NAME, --inherit-network[=y|n], --allow-ip-name-lookup[=y|n], --gc-stats[=y|n] or --gc-stress[=y|n]";

/// The value of a switch: none (on) or wasmtime's spellings of a boolean.
fn switch(flag: &str, value: Option<&[u8]>) -> Result<bool, String> {
    match value {
        None | Some(b"y" | b"yes" | b"true") => Ok(true),
        Some(b"n" | b"no" | b"false") => Ok(false),
        Some(v) => Err(format!(
            "{flag}: `{}` is not a switch value (y, yes, true, n, no or false)",
            String::from_utf8_lossy(v)
        )),
    }
}

/// Parse the variable's text.
pub fn parse(text: &[u8]) -> Result<RuntimeFlags, String> {
    let mut flags = RuntimeFlags::default();
    let mut words = split_words(text)?.into_iter();
    while let Some(word) = words.next() {
        let (flag, inline) = match word.iter().position(|&b| b == b'=') {
            Some(eq) if word.starts_with(b"--") => (&word[..eq], Some(word[eq + 1..].to_vec())),
            _ => (&word[..], None),
        };
        let flag_name = String::from_utf8_lossy(flag).into_owned();
        match flag {
            b"--inherit-network" => {
                flags.inherit_network = Some(switch(&flag_name, inline.as_deref())?);
                continue;
            }
            b"--allow-ip-name-lookup" => {
                flags.allow_ip_name_lookup = Some(switch(&flag_name, inline.as_deref())?);
                continue;
            }
            b"--gc-stats" => {
                flags.gc_stats = switch(&flag_name, inline.as_deref())?;
                continue;
            }
            b"--gc-stress" => {
                flags.gc_stress = switch(&flag_name, inline.as_deref())?;
                continue;
            }
            _ => {}
        }
        if !matches!(flag, b"--dir" | b"--env" | b"--argv0") {
            return Err(format!("unknown flag `{flag_name}` ({USAGE})"));
        }
        let value = match inline {
            Some(v) => v,
            None => match words.next() {
                Some(v) if v.starts_with(b"--") => {
                    return Err(format!(
                        "{flag_name} needs a value, not the flag `{}` (write {flag_name}=VALUE for a value starting with --)",
                        String::from_utf8_lossy(&v)
                    ))
                }
                Some(v) => v,
                None => return Err(format!("{flag_name} needs a value ({USAGE})")),
            },
        };
        match flag {
            b"--dir" => flags.dirs.push(dir_flag(value)?),
            b"--env" => flags.env.push(env_flag(value)?),
            _ => flags.argv0 = Some(value),
        }
    }
    Ok(flags)
}

/// `HOST[::GUEST]`.
fn dir_flag(value: Vec<u8>) -> Result<DirFlag, String> {
    let (host, guest) = match value.windows(2).position(|w| w == b"::") {
        Some(i) => (value[..i].to_vec(), value[i + 2..].to_vec()),
        None => (value.clone(), value),
    };
    if host.is_empty() || guest.is_empty() {
        return Err(format!(
            "--dir `{}`: neither the host nor the guest path may be empty",
            String::from_utf8_lossy(&[&host[..], b"::", &guest[..]].concat())
        ));
    }
    Ok(DirFlag { host, guest })
}

/// `NAME[=VALUE]`.
fn env_flag(value: Vec<u8>) -> Result<EnvFlag, String> {
    let flag = match value.iter().position(|&b| b == b'=') {
        Some(eq) => EnvFlag::Set {
            name: value[..eq].to_vec(),
            value: value[eq + 1..].to_vec(),
        },
        None => EnvFlag::FromHost(value),
    };
    let name = match &flag {
        EnvFlag::Set { name, .. } | EnvFlag::FromHost(name) => name,
    };
    if name.is_empty() {
        return Err("--env needs a variable name (NAME or NAME=VALUE)".into());
    }
    Ok(flag)
}

impl RuntimeFlags {
    /// Apply `--argv0` to the program's arguments.
    pub fn apply_to_args(&self, args: &mut Vec<HostBytes>) {
        if let Some(name) = &self.argv0 {
            match args.first_mut() {
                Some(first) => *first = name.clone().into(),
                None => args.push(name.clone().into()),
            }
        }
    }

    /// Apply the `--env` flags to the program's environment, in order;
    /// `host_env` is the executable's own environment (for `--env NAME`).
    /// A variable set here replaces the first entry of that name in place
    /// and drops any others, or is appended.
    pub fn apply_to_env(&self, env: &mut Vec<HostBytes>, host_env: &[HostBytes]) {
        for flag in &self.env {
            let (name, value) = match flag {
                EnvFlag::Set { name, value } => (name, value.as_slice()),
                EnvFlag::FromHost(name) => match lookup(host_env, name) {
                    Some(v) => (name, v),
                    None => continue,
                },
            };
            let entry = [&name[..], b"=", value].concat();
            match env.iter().position(|e| entry_is(e, name)) {
                Some(i) => {
                    env[i] = entry.into();
                    let mut seen = 0usize;
                    env.retain(|e| {
                        let same = entry_is(e, name);
                        seen += usize::from(same);
                        !same || seen == 1
                    });
                }
                None => env.push(entry.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Result<Vec<String>, String> {
        split_words(s.as_bytes()).map(|w| {
            w.into_iter()
                .map(|w| String::from_utf8(w).unwrap())
                .collect()
        })
    }

    fn v(s: &[&str]) -> Vec<HostBytes> {
        s.iter().map(|s| s.as_bytes().to_vec().into()).collect()
    }

    #[test]
    fn shell_words() {
        assert_eq!(words("").unwrap(), Vec::<String>::new());
        assert_eq!(words(" \t\n ").unwrap(), Vec::<String>::new());
        assert_eq!(words("a  b\tc\nd").unwrap(), ["a", "b", "c", "d"]);
        assert_eq!(words("'a b' \"c d\"").unwrap(), ["a b", "c d"]);
        assert_eq!(words("x'y z'\"w\"v").unwrap(), ["xy zwv"]);
        assert_eq!(words("'' \"\"").unwrap(), ["", ""]);
        assert_eq!(
            words(r#"'a\b' "a\"b\\c\$d\`e\n""#).unwrap(),
            [r"a\b", r#"a"b\c$d`e\n"#]
        );
        assert_eq!(words(r"a\ b \' \\").unwrap(), ["a b", "'", "\\"]);
        assert_eq!(words("a\\\nb \"c\\\nd\"").unwrap(), ["ab", "cd"]);
        assert_eq!(words("'\"' \"'\"").unwrap(), ["\"", "'"]);
    }

    #[test]
    fn shell_word_errors() {
        assert_eq!(words("'abc").unwrap_err(), "unterminated ' quote");
        assert_eq!(words("a \"b").unwrap_err(), "unterminated \" quote");
        assert_eq!(words("\"b\\").unwrap_err(), "unterminated \" quote");
        assert_eq!(words("abc\\").unwrap_err(), "ends with a lone backslash");
        assert_eq!(split_words(b"a\0b").unwrap_err(), "holds a NUL byte");
    }

    #[test]
    fn flags() {
        let f = parse(b"--dir a --dir=b::/x --env A=1 --env=B --argv0 p --argv0=q").unwrap();
        assert_eq!(
            f.dirs,
            vec![
                DirFlag {
                    host: b"a".to_vec(),
                    guest: b"a".to_vec()
                },
                DirFlag {
                    host: b"b".to_vec(),
                    guest: b"/x".to_vec()
                }
            ]
        );
        assert_eq!(
            f.env,
            vec![
                EnvFlag::Set {
                    name: b"A".to_vec(),
                    value: b"1".to_vec()
                },
                EnvFlag::FromHost(b"B".to_vec())
            ]
        );
        assert_eq!(f.argv0, Some(b"q".to_vec()));
        // Only the first `::` splits; values keep their `=`.
        let f = parse(b"--dir 'a b::/c::d' --env 'X=y=z'").unwrap();
        assert_eq!(f.dirs[0].host, b"a b");
        assert_eq!(f.dirs[0].guest, b"/c::d");
        assert_eq!(
            f.env[0],
            EnvFlag::Set {
                name: b"X".to_vec(),
                value: b"y=z".to_vec()
            }
        );
        assert_eq!(
            parse(b"--env E=").unwrap().env[0],
            EnvFlag::Set {
                name: b"E".to_vec(),
                value: vec![]
            }
        );
        assert_eq!(parse(b"").unwrap(), RuntimeFlags::default());
        assert_eq!(parse(b"--dir=--odd").unwrap().dirs[0].host, b"--odd");
    }

    #[test]
    fn network_switches() {
        let f = parse(b"--inherit-network --allow-ip-name-lookup").unwrap();
        assert_eq!(f.inherit_network, Some(true));
        assert_eq!(f.allow_ip_name_lookup, Some(true));
        let f = parse(b"--inherit-network --inherit-network=n --allow-ip-name-lookup=yes").unwrap();
        assert_eq!(f.inherit_network, Some(false), "the last one wins");
        assert_eq!(f.allow_ip_name_lookup, Some(true));
        // A switch takes no following word: the next flag stays a flag.
        let f = parse(b"--inherit-network --env A=1").unwrap();
        assert_eq!(f.inherit_network, Some(true));
        assert_eq!(f.env.len(), 1);
        assert_eq!(parse(b"").unwrap().inherit_network, None);
    }

    #[test]
    fn flag_errors() {
        let err = |s: &str| parse(s.as_bytes()).unwrap_err();
        assert_eq!(
            err("--mapdir a"),
            format!("unknown flag `--mapdir` ({USAGE})")
        );
        assert_eq!(
            err("--inherit-network=maybe"),
            "--inherit-network: `maybe` is not a switch value (y, yes, true, n, no or false)"
        );
        assert!(err("--allow-ip-name-lookup=").contains("is not a switch value"));
        assert!(err("--inherit-network yes").starts_with("unknown flag `yes`"));
        assert!(err("dir").starts_with("unknown flag `dir`"));
        assert!(err("--dir").starts_with("--dir needs a value"));
        assert!(err("--env A=1 --env").starts_with("--env needs a value"));
        assert!(err("--argv0 --env A=1").starts_with("--argv0 needs a value, not the flag `--env`"));
        assert!(err("--dir ::/x").contains("may be empty"));
        assert!(err("--dir a::").contains("may be empty"));
        assert!(err("--dir ''").contains("may be empty"));
        assert!(err("--env =1").starts_with("--env needs a variable name"));
        assert!(err("--env ''").starts_with("--env needs a variable name"));
        assert_eq!(err("--env 'A=1"), "unterminated ' quote");
    }

    #[test]
    fn applying_flags() {
        let f = parse(b"--argv0 me").unwrap();
        let mut args = v(&["prog", "x"]);
        f.apply_to_args(&mut args);
        assert_eq!(args, v(&["me", "x"]));
        let mut none = Vec::new();
        f.apply_to_args(&mut none);
        assert_eq!(none, v(&["me"]));

        let host = v(&["HOME=/root", "B=host", "WASMLINK_FLAGS=x"]);
        let f = parse(b"--env A=1 --env B --env C --env D=4 --env A=2").unwrap();
        let mut env = v(&["D=old", "X=1", "D=dup"]);
        f.apply_to_env(&mut env, &host);
        assert_eq!(env, v(&["D=4", "X=1", "A=2", "B=host"]));

        assert_eq!(lookup(&host, b"WASMLINK_FLAGS"), Some(&b"x"[..]));
        assert_eq!(lookup(&host, b"WASMLINK"), None);
        let mut e = v(&["WASMLINK_FLAGS=a", "WASMLINK_FLAGSX=b", "WASMLINK_FLAGS=c"]);
        remove_var(&mut e, VAR);
        assert_eq!(e, v(&["WASMLINK_FLAGSX=b"]));
    }
}
