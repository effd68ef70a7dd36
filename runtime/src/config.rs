//! Reading the WASI configuration embedded in the object
//! (`wasmlink_wasi_config`, `wasmlink_wasi_config_len`), written by
//! `crates/wasmlink-codegen/src/config_records.rs` in the format of
//! `wasmlink_abi::config`.
//!
//! The configuration is explicit: without `args-inherit` the arguments are
//! the `arg` records (possibly none), without `env-inherit` the environment
//! is the `env` records (possibly none). Without `runtime-flags` the flags
//! are applied (the manifest's default). Reading is strict: a truncated
//! record, bytes after the last record, an unknown tag, a NUL inside a
//! string or contradictory records are errors, never guesses.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
pub use wasmlink_abi::config::{tag, MAGIC};

/// Where the program's arguments come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    Inherit,
    Fixed(Vec<Vec<u8>>),
}

/// Where the program's environment comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Env {
    Inherit,
    Fixed(Vec<Vec<u8>>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub args: Args,
    pub env: Env,
    /// (guest path, host path), in fd order.
    pub preopens: Vec<(Vec<u8>, Vec<u8>)>,
    /// (guest path, tree of the embedded files), in fd order, after the
    /// preopens.
    pub embeds: Vec<(Vec<u8>, u32)>,
    /// Whether `WASMLINK_FLAGS` is applied (see [`crate::flags`]).
    pub runtime_flags: bool,
    /// Whether sockets may bind, connect and accept (`inherit-network`).
    pub inherit_network: bool,
    /// Whether names may be looked up (`allow-ip-name-lookup`).
    pub allow_ip_name_lookup: bool,
    /// For a program that may spawn threads (wasi-threads): how many may
    /// run at once (`max-threads`). `None`: the program has one thread.
    pub max_threads: Option<u32>,
    /// Snapshot mode (`preinit`): the name the program sees as its only
    /// argument while it is pre-initialised (see [`crate::preinit`]).
    pub preinit: Option<Vec<u8>>,
}

/// Set a flag record's `seen` once; a second record of it is an error.
fn once(seen: &mut bool, payload: &[u8], name: &str) -> Result<(), String> {
    no_payload(payload, name)?;
    if core::mem::replace(seen, true) {
        return Err(format!("WASI configuration has two `{name}` records"));
    }
    Ok(())
}

/// Split `data` into (tag, payload) records after the header.
fn records(data: &[u8]) -> Result<Vec<(u8, &[u8])>, String> {
    let mut rest = data
        .strip_prefix(MAGIC.as_slice())
        .ok_or("the WASI configuration does not start with its header")?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if rest.len() < 5 {
            return Err(format!(
                "the WASI configuration ends inside a record header ({} stray bytes)",
                rest.len()
            ));
        }
        let tag = rest[0];
        let len = u32::from_le_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
        let body = &rest[5..];
        if body.len() < len {
            return Err(format!(
                "WASI configuration record {tag} is truncated ({len} bytes announced, {} left)",
                body.len()
            ));
        }
        out.push((tag, &body[..len]));
        rest = &body[len..];
    }
    Ok(out)
}

/// `value` as a string the program can be given: no NUL inside.
fn c_string(value: &[u8], what: &str) -> Result<Vec<u8>, String> {
    if value.contains(&0) {
        return Err(format!("WASI configuration: {what} holds a NUL byte"));
    }
    Ok(value.to_vec())
}

fn no_payload(payload: &[u8], name: &str) -> Result<(), String> {
    if payload.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "WASI configuration record `{name}` has a payload ({} bytes)",
            payload.len()
        ))
    }
}

/// Parse the configuration; the error describes the first problem.
pub fn parse(data: &[u8]) -> Result<Config, String> {
    let mut args_inherit = false;
    let mut args = Vec::new();
    let mut env_inherit = false;
    let mut env_none = false;
    let mut env = Vec::new();
    let mut preopens = Vec::new();
    let mut embeds = Vec::new();
    let mut runtime_flags = None;
    let mut inherit_network = false;
    let mut allow_ip_name_lookup = false;
    let mut max_threads = None;
    let mut preinit = None;
    for (t, payload) in records(data)? {
        match t {
            tag::ARGS_INHERIT => {
                no_payload(payload, "args-inherit")?;
                args_inherit = true;
            }
            tag::ARG => args.push(c_string(payload, &format!("argument {}", args.len()))?),
            tag::ENV_INHERIT => {
                no_payload(payload, "env-inherit")?;
                env_inherit = true;
            }
            tag::ENV_NONE => {
                no_payload(payload, "env-none")?;
                env_none = true;
            }
            tag::ENV => {
                let var = c_string(payload, "an environment variable")?;
                match var.iter().position(|&b| b == b'=') {
                    Some(eq) if eq > 0 => env.push(var),
                    _ => {
                        return Err(format!(
                            "WASI configuration: environment entry `{}` is not NAME=VALUE",
                            String::from_utf8_lossy(&var)
                        ))
                    }
                }
            }
            tag::PREOPEN => {
                let bad = || "WASI configuration: malformed preopen record".to_string();
                let len_bytes: [u8; 4] = payload
                    .get(..4)
                    .ok_or_else(bad)?
                    .try_into()
                    .map_err(|_| bad())?;
                let guest_len = u32::from_le_bytes(len_bytes) as usize;
                let paths = &payload[4..];
                if guest_len > paths.len() {
                    return Err(bad());
                }
                let (guest, host) = paths.split_at(guest_len);
                if guest.is_empty() || host.is_empty() {
                    return Err("WASI configuration: a preopen path is empty".into());
                }
                preopens.push((
                    c_string(guest, "a preopen's guest path")?,
                    c_string(host, "a preopen's host path")?,
                ));
            }
            tag::EMBED => {
                let (tree, guest) = payload
                    .split_first_chunk::<4>()
                    .map(|(t, g)| (u32::from_le_bytes(*t), g))
                    .filter(|(_, g)| !g.is_empty())
                    .ok_or("WASI configuration: malformed embed record")?;
                embeds.push((c_string(guest, "an embedded directory's guest path")?, tree));
            }
            tag::RUNTIME_FLAGS => {
                let on = match payload {
                    [0] => false,
                    [1] => true,
                    _ => return Err("WASI configuration: malformed runtime-flags record".into()),
                };
                if runtime_flags.replace(on).is_some() {
                    return Err("WASI configuration has two runtime-flags records".into());
                }
            }
            tag::INHERIT_NETWORK => once(&mut inherit_network, payload, "inherit-network")?,
            tag::ALLOW_IP_NAME_LOOKUP => {
                once(&mut allow_ip_name_lookup, payload, "allow-ip-name-lookup")?
            }
            tag::MAX_THREADS => {
                let n = <[u8; 4]>::try_from(payload)
                    .map(u32::from_le_bytes)
                    .ok()
                    .filter(|&n| n <= wasmlink_abi::MAX_THREADS_LIMIT)
                    .ok_or("WASI configuration: malformed max-threads record")?;
                if max_threads.replace(n).is_some() {
                    return Err("WASI configuration has two max-threads records".into());
                }
            }
            tag::PREINIT => {
                let name = c_string(payload, "the pre-initialisation name")?;
                if preinit.replace(name).is_some() {
                    return Err("WASI configuration has two preinit records".into());
                }
            }
            other => return Err(format!("unknown WASI configuration record {other}")),
        }
    }
    if args_inherit && !args.is_empty() {
        return Err("WASI configuration has both `args-inherit` and `arg`".into());
    }
    if usize::from(env_inherit) + usize::from(env_none) + usize::from(!env.is_empty()) > 1 {
        return Err("WASI configuration mixes `env-inherit`, `env-none` and `env`".into());
    }
    Ok(Config {
        args: if args_inherit {
            Args::Inherit
        } else {
            Args::Fixed(args)
        },
        env: if env_inherit {
            Env::Inherit
        } else {
            Env::Fixed(env)
        },
        preopens,
        embeds,
        runtime_flags: runtime_flags.unwrap_or(true),
        inherit_network,
        allow_ip_name_lookup,
        max_threads,
        preinit,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A configuration from (tag, payload) records, as the writer lays
    /// them out.
    pub fn encode(records: &[(u8, &[u8])]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        for (t, payload) in records {
            out.push(*t);
            out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            out.extend_from_slice(payload);
        }
        out
    }

    /// A `preopen` payload.
    pub fn preopen(guest: &[u8], host: &[u8]) -> Vec<u8> {
        let mut p = (guest.len() as u32).to_le_bytes().to_vec();
        p.extend_from_slice(guest);
        p.extend_from_slice(host);
        p
    }

    fn v(s: &[&str]) -> Vec<Vec<u8>> {
        s.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    /// The vector `crates/wasmlink-codegen/src/config_records.rs` checks its
    /// writer against (`writes_the_documented_format`).
    #[test]
    fn reads_the_writers_format() {
        let bytes: &[u8] = b"wlcfg\0\0\x01\
            \x02\x04\0\0\0prog\
            \x02\0\0\0\0\
            \x05\x05\0\0\0A=1=2\
            \x06\x09\0\0\0\x02\0\0\0/d./x\
            \x07\x01\0\0\0\0\
            \x08\0\0\0\0\
            \x09\0\0\0\0";
        let c = parse(bytes).unwrap();
        assert!(c.inherit_network && c.allow_ip_name_lookup);
        assert_eq!(c.args, Args::Fixed(v(&["prog", ""])));
        assert_eq!(c.env, Env::Fixed(v(&["A=1=2"])));
        assert_eq!(c.preopens, vec![(b"/d".to_vec(), b"./x".to_vec())]);
        assert!(!c.runtime_flags);
        let c = parse(b"wlcfg\0\0\x01\x01\0\0\0\0\x03\0\0\0\0\x07\x01\0\0\0\x01").unwrap();
        assert_eq!((c.args, c.env), (Args::Inherit, Env::Inherit));
        assert!(c.runtime_flags);
        assert!(
            !c.inherit_network && !c.allow_ip_name_lookup,
            "denied by default"
        );
        assert_eq!(c.max_threads, None, "one thread unless told");
    }

    #[test]
    fn thread_limit() {
        let c = parse(&encode(&[(tag::MAX_THREADS, b"\x08\0\0\0")])).unwrap();
        assert_eq!(c.max_threads, Some(8));
        let c = parse(&encode(&[(tag::MAX_THREADS, b"\0\0\0\0")])).unwrap();
        assert_eq!(c.max_threads, Some(0));
        for bad in [&b"\x08\0\0"[..], b"\x08\0\0\0\0", b"\x01\x10\0\0"] {
            assert!(
                parse(&encode(&[(tag::MAX_THREADS, bad)])).is_err(),
                "{bad:?}"
            );
        }
        let two = [(tag::MAX_THREADS, &b"\x01\0\0\0"[..]); 2];
        assert!(parse(&encode(&two)).is_err());
    }

    #[test]
    fn preinit_record() {
        assert_eq!(parse(&encode(&[])).unwrap().preinit, None);
        let c = parse(&encode(&[(tag::PREINIT, b"app")])).unwrap();
        assert_eq!(c.preinit.as_deref(), Some(&b"app"[..]));
        assert!(parse(&encode(&[(tag::PREINIT, b"a"), (tag::PREINIT, b"b")])).is_err());
        assert!(parse(&encode(&[(tag::PREINIT, b"a\0b")])).is_err());
    }

    #[test]
    fn round_trips_records() {
        let p1 = preopen(b"/data", b"./d");
        let p2 = preopen(b".", b"/tmp");
        let data = encode(&[
            (tag::ARG, b"prog"),
            (tag::ARG, b""),
            (tag::ARG, b"x y"),
            (tag::ENV, b"A=1"),
            (tag::PREOPEN, &p1),
            (tag::PREOPEN, &p2),
        ]);
        let c = parse(&data).unwrap();
        assert_eq!(c.args, Args::Fixed(v(&["prog", "", "x y"])));
        assert_eq!(c.env, Env::Fixed(v(&["A=1"])));
        assert_eq!(
            c.preopens,
            vec![
                (b"/data".to_vec(), b"./d".to_vec()),
                (b".".to_vec(), b"/tmp".to_vec())
            ]
        );
        assert!(c.runtime_flags, "applied unless a record says otherwise");
        let c = parse(&encode(&[(tag::ENV_NONE, b"")])).unwrap();
        assert_eq!((c.args, c.env), (Args::Fixed(vec![]), Env::Fixed(vec![])));
        let c = parse(MAGIC).unwrap();
        assert_eq!(c.preopens, vec![]);
    }

    /// Values that spelled extra records under the old NUL-separated
    /// format are refused outright, not split.
    #[test]
    fn hostile_values_are_refused() {
        let hostile = b"x\0preopen\0/host-root\0/";
        for data in [
            encode(&[(tag::ARG, hostile)]),
            encode(&[(tag::ENV, b"A=x\0preopen\0/host-root\0/")]),
            encode(&[(tag::PREOPEN, &preopen(b"/d", hostile))]),
            encode(&[(tag::PREOPEN, &preopen(hostile, b"/tmp"))]),
        ] {
            let e = parse(&data).unwrap_err();
            assert!(e.contains("NUL"), "{e}");
        }
        // A value holding a whole record's bytes cannot pose as one: the
        // lengths inside it hold NULs, so it is refused; without them it is
        // just an argument.
        let fake = encode(&[(tag::PREOPEN, &preopen(b"/r", b"/"))]);
        assert!(parse(&encode(&[(tag::ARG, &fake[MAGIC.len()..])])).is_err());
        let c = parse(&encode(&[(tag::ARG, b"\x06preopen/r/")])).unwrap();
        assert_eq!(c.preopens, vec![]);
        assert_eq!(c.args, Args::Fixed(vec![b"\x06preopen/r/".to_vec()]));
    }

    #[test]
    fn rejects_malformed() {
        let good = encode(&[(tag::ARG, b"abc")]);
        // Truncated anywhere: inside the header, a record header, a payload.
        for cut in 0..good.len() {
            if cut == MAGIC.len() {
                continue; // a configuration with no records is fine
            }
            assert!(parse(&good[..cut]).is_err(), "cut at {cut}");
        }
        // Trailing garbage.
        let mut g = good.clone();
        g.push(0);
        assert!(parse(&g).is_err());
        g.extend_from_slice(&[0, 0, 0, 0]);
        assert!(parse(&g).is_err(), "an unknown tag 0");
        // A length that runs past the end, even by far.
        let mut g = MAGIC.to_vec();
        g.extend_from_slice(&[tag::ARG, 0xff, 0xff, 0xff, 0xff, b'a']);
        assert!(parse(&g).is_err());
        assert!(parse(b"").is_err());
        assert!(parse(b"arg\0x\0").is_err(), "the old format");
        assert!(parse(&encode(&[(99, b"")])).is_err());
        assert!(parse(&encode(&[(tag::ARGS_INHERIT, b"x")])).is_err());
        assert!(parse(&encode(&[(tag::ARGS_INHERIT, b""), (tag::ARG, b"x")])).is_err());
        assert!(parse(&encode(&[(tag::ENV_INHERIT, b""), (tag::ENV_NONE, b"")])).is_err());
        assert!(parse(&encode(&[(tag::ENV_NONE, b""), (tag::ENV, b"A=1")])).is_err());
        assert!(parse(&encode(&[(tag::ENV, b"NOEQUALS")])).is_err());
        assert!(parse(&encode(&[(tag::ENV, b"=x")])).is_err());
        assert!(parse(&encode(&[(tag::PREOPEN, b"\x01\0\0")])).is_err());
        assert!(parse(&encode(&[(tag::PREOPEN, b"\x09\0\0\0/d")])).is_err());
        assert!(parse(&encode(&[(tag::PREOPEN, &preopen(b"", b"/"))])).is_err());
        assert!(parse(&encode(&[(tag::PREOPEN, &preopen(b"/", b""))])).is_err());
        assert!(parse(&encode(&[(tag::RUNTIME_FLAGS, b"\x02")])).is_err());
        assert!(parse(&encode(&[(tag::RUNTIME_FLAGS, b"")])).is_err());
        assert!(parse(&encode(&[(tag::INHERIT_NETWORK, b"\x01")])).is_err());
        assert!(parse(&encode(&[
            (tag::ALLOW_IP_NAME_LOOKUP, b""),
            (tag::ALLOW_IP_NAME_LOOKUP, b"")
        ]))
        .is_err());
        assert!(parse(&encode(&[
            (tag::RUNTIME_FLAGS, b"\x01"),
            (tag::RUNTIME_FLAGS, b"\x00")
        ]))
        .is_err());
    }
}
