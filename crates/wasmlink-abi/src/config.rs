//! The WASI configuration the object embeds (`wasmlink_wasi_config`,
//! `wasmlink_wasi_config_len`): written by the compiler from the manifest,
//! read by the runtime at start-up.
//!
//! It starts with [`MAGIC`] (a name and a format version), then holds
//! records: a tag byte, the payload length as a little-endian `u32`, the
//! payload. Values are length-prefixed rather than terminated, so no byte
//! of a value can be taken for the start of another record.
//!
//! | tag | record          | payload                                         |
//! |-----|-----------------|-------------------------------------------------|
//! | 1   | `args-inherit`  | none: the program sees the executable's argv    |
//! | 2   | `arg`           | one fixed argument (repeated, in order)         |
//! | 3   | `env-inherit`   | none: the program sees the executable's env     |
//! | 4   | `env-none`      | none: an empty environment                      |
//! | 5   | `env`           | `KEY=VALUE`, one fixed variable (repeated)      |
//! | 6   | `preopen`       | `u32` guest length, guest path, host path       |
//! | 7   | `runtime-flags` | one byte: 1 to apply `WASMLINK_FLAGS`, 0 not    |
//! | 8   | `inherit-network` | none: sockets may bind and connect (at most once) |
//! | 9   | `allow-ip-name-lookup` | none: names may be looked up (at most once) |
//! | 10  | `max-threads`   | `u32`: the program may spawn threads (wasi-threads), at most this many running at once (at most once) |
//! | 11  | `preinit`       | the name the program sees as its only argument: the executable takes a snapshot of its initialised state instead of running its entry (see [`crate::preinit`]; at most once; only `preopen`, `embed` and `runtime-flags` records go with it, and its preopens' host paths are not opened) |
//! | 12  | `embed`         | `u32` tree number, guest path: tree `k` of the embedded files ([`crate::embed`]) is a read-only preopened directory |
//!
//! The preopens become fds 3, 4, … in record order: the `preopen`
//! records, then the `embed` records. Without records 8 and
//! 9 the network is denied, as it is to executables written before they
//! existed. Record 10 is written only for a program that binds
//! `wasi.thread-spawn`; without it the program runs on one thread.

/// First bytes of the configuration.
pub const MAGIC: &[u8; 8] = b"wlcfg\0\0\x01";

/// Record tags.
pub mod tag {
    pub const ARGS_INHERIT: u8 = 1;
    pub const ARG: u8 = 2;
    pub const ENV_INHERIT: u8 = 3;
    pub const ENV_NONE: u8 = 4;
    pub const ENV: u8 = 5;
    pub const PREOPEN: u8 = 6;
    pub const RUNTIME_FLAGS: u8 = 7;
    pub const INHERIT_NETWORK: u8 = 8;
    pub const ALLOW_IP_NAME_LOOKUP: u8 = 9;
    pub const MAX_THREADS: u8 = 10;
    pub const PREINIT: u8 = 11;
    pub const EMBED: u8 = 12;
}
