//! The WASI configuration records embedded in every executable
//! (`wasmlink_wasi_config`): what the program sees of the host (arguments,
//! environment, preopened directories, whether the network may be used)
//! and whether `WASMLINK_FLAGS` is applied at start-up. The runtime's `config` module reads them.

use wasmlink_abi::config::{self, tag};
use wasmlink_graph::{InstanceGraph, WasiArgs, WasiEnv};

/// The WASI configuration as the runtime reads it from
/// `wasmlink_wasi_config`, in the format `wasmlink_abi::config` defines.
pub fn wasi_config(graph: &InstanceGraph) -> Vec<u8> {
    let mut out = config::MAGIC.to_vec();
    let mut record = |tag: u8, parts: &[&[u8]]| {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        out.push(tag);
        out.extend_from_slice(&config_len(len).to_le_bytes());
        for p in parts {
            out.extend_from_slice(p);
        }
    };
    match &graph.wasi.args {
        WasiArgs::Inherit => record(tag::ARGS_INHERIT, &[]),
        WasiArgs::Fixed(args) => {
            for a in args {
                record(tag::ARG, &[a.as_bytes()]);
            }
        }
    }
    match &graph.wasi.env {
        WasiEnv::Inherit => record(tag::ENV_INHERIT, &[]),
        WasiEnv::None => record(tag::ENV_NONE, &[]),
        WasiEnv::Fixed(vars) => {
            for (k, v) in vars {
                record(tag::ENV, &[k.as_bytes(), b"=", v.as_bytes()]);
            }
        }
    }
    for (guest, host) in &graph.wasi.preopens {
        let guest_len = config_len(guest.len()).to_le_bytes();
        record(
            tag::PREOPEN,
            &[&guest_len, guest.as_bytes(), host.as_bytes()],
        );
    }
    embed_records(graph, &mut record);
    record(tag::RUNTIME_FLAGS, &[&[u8::from(graph.wasi.runtime_flags)]]);
    // Written only when allowed, so the default configuration is the one
    // older runtimes read: the network denied.
    if graph.wasi.inherit_network {
        record(tag::INHERIT_NETWORK, &[]);
    }
    if graph.wasi.allow_ip_name_lookup {
        record(tag::ALLOW_IP_NAME_LOOKUP, &[]);
    }
    // Only a program that can spawn threads gets the limit, so every
    // other program's configuration stays what it was.
    if graph.spawns_threads() {
        record(tag::MAX_THREADS, &[&graph.wasi.max_threads.to_le_bytes()]);
    }
    out
}

/// The `embed` records of `graph`: each tree of its embedded files with
/// the guest path of its preopened directory, in tree order (the fds
/// after the `preopen` records').
pub(crate) fn embed_records(graph: &InstanceGraph, record: &mut impl FnMut(u8, &[&[u8]])) {
    for (k, d) in graph.embedded.dirs.iter().enumerate() {
        let tree = u32::try_from(k).expect("fewer than 2^32 embedded trees");
        record(tag::EMBED, &[&tree.to_le_bytes(), d.guest.as_bytes()]);
    }
}

/// A length as the configuration stores it. Manifest strings are far below
/// 4 GiB; a longer one is a bug upstream, not something to truncate.
fn config_len(len: usize) -> u32 {
    u32::try_from(len).expect("a WASI configuration string is shorter than 4 GiB")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmlink_graph::{Entry, WasiConfig};

    fn graph(wasi: WasiConfig) -> InstanceGraph {
        InstanceGraph {
            sources: Vec::new(),
            instances: Vec::new(),
            order: Vec::new(),
            entry: Entry {
                instance: 0,
                func: 0,
            },
            wasi,
            embedded: Default::default(),
        }
    }

    /// The exact bytes: `runtime/src/config.rs` reads this same vector in
    /// its `reads_the_writers_format` test, which keeps the two in step.
    #[test]
    fn writes_the_documented_format() {
        let g = graph(WasiConfig {
            args: WasiArgs::Fixed(vec!["prog".into(), "".into()]),
            env: WasiEnv::Fixed(vec![("A".into(), "1=2".into())]),
            preopens: vec![("/d".into(), "./x".into())],
            embed: Vec::new(),
            runtime_flags: false,
            inherit_network: true,
            allow_ip_name_lookup: true,
            max_threads: 3,
        });
        let expected: &[u8] = b"wlcfg\0\0\x01\
            \x02\x04\0\0\0prog\
            \x02\0\0\0\0\
            \x05\x05\0\0\0A=1=2\
            \x06\x09\0\0\0\x02\0\0\0/d./x\
            \x07\x01\0\0\0\0\
            \x08\0\0\0\0\
            \x09\0\0\0\0";
        assert_eq!(wasi_config(&g), expected);

        let g = graph(WasiConfig::default());
        assert_eq!(
            wasi_config(&g),
            b"wlcfg\0\0\x01\x01\0\0\0\0\x03\0\0\0\0\x07\x01\0\0\0\x01"
        );
        let g = graph(WasiConfig {
            env: WasiEnv::None,
            ..WasiConfig::default()
        });
        assert!(wasi_config(&g).windows(5).any(|w| w == b"\x04\0\0\0\0"));
    }

    /// A value made to look like records under the old NUL-separated
    /// format stays one value: its bytes appear once, behind its length.
    #[test]
    fn hostile_values_stay_inside_their_record() {
        let hostile = "x\0preopen\0/host-root\0/";
        let g = graph(WasiConfig {
            args: WasiArgs::Fixed(vec![hostile.into()]),
            ..WasiConfig::default()
        });
        let bytes = wasi_config(&g);
        let mut expected = config::MAGIC.to_vec();
        expected.push(tag::ARG);
        expected.extend_from_slice(&(hostile.len() as u32).to_le_bytes());
        expected.extend_from_slice(hostile.as_bytes());
        expected.extend_from_slice(b"\x03\0\0\0\0\x07\x01\0\0\0\x01");
        assert_eq!(bytes, expected);
    }
}
