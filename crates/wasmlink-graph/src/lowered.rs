//! WASI 0.2 functions the runtime provides in lowered form (the canonical
//! ABI's flattened core signatures), for core modules that import them
//! directly (`wasi:io/streams@0.2.3` `[method]output-stream.write`, as
//! wit-bindgen emits) and for components' `canon lower` of WASI imports.
//!
//! The table is expanded from `wasmlink_abi::foreach_wasi2_fn!`, the list
//! the runtime's exports are generated from too (and which a test checks
//! against the WASI WIT). A lowered import is bound to a
//! [`LoweredImport`](crate::LoweredImport): the function and the caller's
//! options (memory, realloc, string encoding, handle table).
//!
//! Version matching follows wasmtime: `wasi:PKG/IFACE@0.2.N` resolves for
//! any patch `N` (0.x versions with the same minor are compatible), since
//! the runtime implements the newest 0.2 interfaces and 0.2 only ever adds
//! functions.

use wasmlink_module::wasmparser::{FuncType, ValType};

pub use wasmlink_abi::StringEncoding;

/// One lowered WASI 0.2 function.
#[derive(Debug, PartialEq, Eq)]
pub struct LoweredBuiltin {
    /// `wasi:io/streams` (no version).
    pub interface: &'static str,
    /// The name in a core import: `[method]output-stream.write`.
    pub name: &'static str,
    pub params: &'static [ValType],
    pub results: &'static [ValType],
    symbol: &'static str,
}

impl LoweredBuiltin {
    /// The runtime's C function: `symbol(cx, params…) -> result`.
    pub fn symbol(&self) -> &'static str {
        self.symbol
    }

    pub fn func_type(&self) -> FuncType {
        FuncType::new(self.params.iter().copied(), self.results.iter().copied())
    }
}

const fn core_type(name: &str) -> ValType {
    match name.as_bytes() {
        b"i32" => ValType::I32,
        b"i64" => ValType::I64,
        b"f32" => ValType::F32,
        b"f64" => ValType::F64,
        _ => panic!("a flattened core type"),
    }
}

macro_rules! lowered_table {
    ($( $iface:literal $func:literal $name:ident [$symbol:expr] ( $($p:ident : $t:ident),* ) -> $r:tt; )*) => {
        &[$(LoweredBuiltin {
            interface: $iface,
            name: $func,
            params: &[$(core_type(stringify!($t))),*],
            results: lowered_table!(@result $r),
            symbol: $symbol,
        }),*]
    };
    (@result ()) => { &[] };
    (@result $t:ident) => { &[core_type(stringify!($t))] };
}

static WASI2: &[LoweredBuiltin] = wasmlink_abi::foreach_wasi2_fn!(lowered_table);

/// The runtime's own lowered functions, bound only to generated modules.
static CANON: &[LoweredBuiltin] = wasmlink_abi::foreach_canon_fn!(lowered_table);

/// The runtime's own lowered function `name` (`wasmlink:canon`).
pub fn canon_builtin(name: &str) -> Option<&'static LoweredBuiltin> {
    CANON.iter().find(|b| b.name == name)
}

/// Every lowered builtin, in a fixed order.
pub fn lowered_builtins() -> &'static [LoweredBuiltin] {
    WASI2
}

/// The interfaces the runtime provides, in table order.
pub fn wasi2_interfaces() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for b in WASI2 {
        if !out.contains(&b.interface) {
            out.push(b.interface);
        }
    }
    out
}

/// The functions of `interface` (without version).
pub fn interface_functions(interface: &str) -> impl Iterator<Item = &'static LoweredBuiltin> + '_ {
    WASI2.iter().filter(move |b| b.interface == interface)
}

/// Function `name` of `interface` (without version).
pub fn lowered_builtin(interface: &str, name: &str) -> Option<&'static LoweredBuiltin> {
    interface_functions(interface).find(|b| b.name == name)
}

/// A module name that stands for a WASI interface: `wasi:PKG/IFACE@VER`
/// split into `wasi:PKG/IFACE` and the version (`None` when it has none).
/// Other names (`wasi_snapshot_preview1`, `env`) are `None`.
pub fn split_wasi_interface(module: &str) -> Option<(&str, Option<&str>)> {
    let rest = module.strip_prefix("wasi:")?;
    let (path, version) = match rest.split_once('@') {
        Some((p, v)) => (p, Some(v)),
        None => (rest, None),
    };
    let (pkg, iface) = path.split_once('/')?;
    if pkg.is_empty() || iface.is_empty() {
        return None;
    }
    Some((&module[..5 + path.len()], version))
}

/// Whether the runtime provides interfaces of `version`: `0.2.N` for any
/// patch N, as a semver version (`0.2.3`, `0.2.10`; pre-releases such as
/// `0.2.0-rc-2023-11-10` had other signatures and do not match).
pub fn wasi2_version_supported(version: &str) -> bool {
    let Some(patch) = version.strip_prefix(wasmlink_abi::WASI2_VERSION_PREFIX) else {
        return false;
    };
    let (patch, build) = match patch.split_once('+') {
        Some((p, b)) => (p, Some(b)),
        None => (patch, None),
    };
    let number = !patch.is_empty()
        && patch.bytes().all(|b| b.is_ascii_digit())
        && (patch == "0" || !patch.starts_with('0'));
    number && build.is_none_or(|b| !b.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_comes_from_the_contract() {
        let b = lowered_builtin(
            "wasi:io/streams",
            "[method]output-stream.blocking-write-and-flush",
        )
        .unwrap();
        assert_eq!(b.params, &[ValType::I32; 4]);
        assert_eq!(b.results, &[]);
        assert_eq!(
            b.symbol(),
            "wasmlink_wasi2_io_streams_output_stream_blocking_write_and_flush"
        );
        let now = lowered_builtin("wasi:clocks/monotonic-clock", "now").unwrap();
        assert_eq!((now.params, now.results), (&[][..], &[ValType::I64][..]));
        assert!(lowered_builtin("wasi:io/streams", "nope").is_none());
        assert!(wasi2_interfaces().contains(&"wasi:filesystem/preopens"));
        assert!(!wasi2_interfaces().contains(&"wasi:cli/run"));
        assert_eq!(lowered_builtins().len(), 137);
    }

    #[test]
    fn interface_names_and_versions() {
        assert_eq!(
            split_wasi_interface("wasi:cli/stdout@0.2.0"),
            Some(("wasi:cli/stdout", Some("0.2.0")))
        );
        assert_eq!(
            split_wasi_interface("wasi:cli/stdout"),
            Some(("wasi:cli/stdout", None))
        );
        for bad in ["wasi_snapshot_preview1", "wasi:cli", "wasi:/x@0.2.0", "env"] {
            assert_eq!(split_wasi_interface(bad), None, "{bad}");
        }
        for ok in [
            "0.2.0",
            "0.2.6",
            "0.2.10",
            "0.2.12",
            "0.2.99",
            "0.2.3+build",
        ] {
            assert!(wasi2_version_supported(ok), "{ok}");
        }
        for bad in [
            "0.3.0",
            "1.0.0",
            "0.2",
            "0.2.",
            "0.2.01",
            "0.2.x",
            "0.2.0-rc-2023-11-10",
            "0.20.0",
            "0.2.0+",
        ] {
            assert!(!wasi2_version_supported(bad), "{bad}");
        }
    }
}
