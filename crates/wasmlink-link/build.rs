//! Builds `runtime/` as a static library and leaves it in OUT_DIR, so the
//! link stage can embed it and `wasmlink` stays one self-contained file.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let runtime_dir = manifest_dir.join("../../runtime");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    let target_dir = out_dir.join("runtime-target");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());

    println!(
        "cargo:rerun-if-changed={}",
        runtime_dir.join("src").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        runtime_dir.join("Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        manifest_dir.join("../wasmlink-abi/src").display()
    );

    // A separate target directory avoids waiting on the outer build's lock.
    // The runtime is part of every program, so it is always built
    // optimised, and for size where that costs no speed
    // (`bench/runtime-build.sh`; BENCHMARKS.md, section 3):
    // - one fat-LTO unit with `core` and `alloc` (the runtime is `no_std`),
    //   so only what the runtime reaches is compiled in, and every
    //   function keeps its own section for the final link's --gc-sections
    //   (Rust's default);
    // - `panic = "abort"`: no unwinding code in the runtime itself, and
    //   what a `no_std` static library needs (rustc refuses one that
    //   unwinds);
    // - opt-level 3: "s" saves 6 % of hello world but makes a loop of WASI
    //   calls 3-4 % slower, "z" 11-13 %; 2 is no faster and barely
    //   smaller.
    // `cargo rustc --crate-type staticlib`: runtime/Cargo.toml declares
    // only the rlib its unit tests use (rustc does no LTO for a library
    // that is also built as an rlib, and the rlib may unwind).
    let status = Command::new(cargo)
        .arg("rustc")
        .arg("--release")
        .arg("--lib")
        .arg("--crate-type")
        .arg("staticlib")
        .arg("--manifest-path")
        .arg(runtime_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_LTO", "fat")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .status()
        .expect("cargo can be run from a build script");
    assert!(status.success(), "building runtime/ failed");
    let lib = target_dir.join("release/libwasmlink_runtime.a");
    std::fs::copy(&lib, out_dir.join("libwasmlink_runtime.a")).expect("runtime library was built");
}
