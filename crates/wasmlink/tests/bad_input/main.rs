//! "No panic on bad input", in the normal test suite: a few thousand
//! mutated and random modules (binary and text) through the load stage and
//! generated or mutated manifests through the manifest parser and the
//! resolver. Every input comes from a fixed seed, so a failure reproduces;
//! the `load` and `manifest` fuzz targets (`fuzz/`) run the same checks
//! (`gen.rs`) on inputs libFuzzer chooses, for as long as one likes.
//!
//! A failure names the seed and writes the input to
//! `$CARGO_TARGET_TMPDIR/bad-input/`. A hang fails the test after
//! [`DEADLINE`] instead of blocking the suite.

mod gen;

use arbitrary::Unstructured;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Mutants of valid binary modules.
const BINARY_MUTANTS: u64 = 3000;
/// Valid modules from wasm-smith with a random configuration (proposals
/// wasmlink does not support included, to reach every rejection path).
const GENERATED_MODULES: u64 = 300;
/// Random byte strings, half of them behind a valid header.
const RANDOM_BYTES: u64 = 500;
/// Mutants of module text.
const TEXT_MUTANTS: u64 = 500;
/// Generated manifests.
const MANIFESTS: u64 = 2000;
/// Mutants of the examples' manifests.
const MANIFEST_MUTANTS: u64 = 500;
/// The whole run takes about a second; this only catches a hang.
const DEADLINE: Duration = Duration::from_secs(120);

/// Deterministic bytes for `Unstructured`: splitmix64 from `seed`.
fn entropy(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The binary mutation seeds: the built-in modules and the examples' C
/// programs compiled to Wasm.
fn binary_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = gen::SEED_MODULES
        .iter()
        .map(|w| {
            wasmlink_module::parse_wat_or_wasm(w.as_bytes()).expect("seed modules are valid text")
        })
        .collect();
    for file in ["wc/wc.wasm", "bench/bench.wasm"] {
        let path = examples().join(file);
        seeds.push(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
    seeds
}

fn manifest_seeds() -> Vec<String> {
    ["hello", "graph", "facade", "wc", "bench"]
        .iter()
        .map(|d| {
            let path = examples().join(d).join("app.json");
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect()
}

/// One input and what to do with it.
enum Case {
    Load(Vec<u8>),
    Manifest(String),
}

impl Case {
    fn bytes(&self) -> &[u8] {
        match self {
            Case::Load(b) => b,
            Case::Manifest(t) => t.as_bytes(),
        }
    }

    /// `Err` for a broken invariant; a panic is caught by the caller.
    /// `Ok` says how far the input got: a module loaded, a manifest parsed
    /// or resolved.
    fn check(&self) -> Result<Reached, String> {
        match self {
            Case::Load(b) => Ok(if gen::check_load(b)? {
                Reached::Loaded
            } else {
                Reached::Nothing
            }),
            Case::Manifest(t) => Ok(match gen::check_manifest(t) {
                gen::ManifestStage::Rejected => Reached::Nothing,
                gen::ManifestStage::Parsed => Reached::Parsed,
                gen::ManifestStage::Resolved => Reached::Resolved,
            }),
        }
    }
}

/// How far an input got, for the statistics line.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reached {
    Nothing,
    Loaded,
    Parsed,
    Resolved,
}

/// Every case, as (label, case), generated lazily from its seed.
fn cases() -> impl Iterator<Item = (String, Case)> {
    let binaries = binary_seeds();
    let manifests = manifest_seeds();
    let binary = (0..BINARY_MUTANTS).map(move |seed| {
        let data = entropy(seed, 256);
        let mut u = Unstructured::new(&data);
        // The big example modules are slow to validate: every tenth case.
        let pick = if seed % 10 == 0 {
            binaries.len() - 1 - (seed / 10) as usize % 2
        } else {
            seed as usize % (binaries.len() - 2)
        };
        let bytes = gen::mutate(&mut u, &binaries[pick]).expect("entropy is long enough");
        (format!("binary mutant {seed}"), Case::Load(bytes))
    });
    let generated_modules = (0..GENERATED_MODULES).filter_map(|seed| {
        let data = entropy(seed ^ 0x0005_3174, 4096);
        let mut u = Unstructured::new(&data);
        let config: wasm_smith::Config = u.arbitrary().ok()?;
        let module = wasm_smith::Module::new(config, &mut u).ok()?;
        Some((
            format!("wasm-smith module {seed}"),
            Case::Load(module.to_bytes()),
        ))
    });
    let random = (0..RANDOM_BYTES).map(|seed| {
        let data = entropy(seed ^ 0xb17e5, 72);
        let len = data[0] as usize % 64;
        let mut bytes = if seed % 2 == 0 {
            b"\0asm\x01\0\0\0".to_vec()
        } else {
            Vec::new()
        };
        bytes.extend_from_slice(&data[8..8 + len]);
        (format!("random bytes {seed}"), Case::Load(bytes))
    });
    let text = (0..TEXT_MUTANTS).map(|seed| {
        let data = entropy(seed ^ 0x7e47, 256);
        let mut u = Unstructured::new(&data);
        let wat = gen::SEED_MODULES[seed as usize % gen::SEED_MODULES.len()];
        let bytes = gen::mutate(&mut u, wat.as_bytes()).expect("entropy is long enough");
        (format!("text mutant {seed}"), Case::Load(bytes))
    });
    let generated = (0..MANIFESTS).map(|seed| {
        let data = entropy(seed ^ 0x3a41_f357, 512);
        let text = gen::manifest(&mut Unstructured::new(&data)).expect("entropy is long enough");
        (format!("manifest {seed}"), Case::Manifest(text))
    });
    let mutated = (0..MANIFEST_MUTANTS).map(move |seed| {
        let data = entropy(seed ^ 0x3a41_f358, 256);
        let mut u = Unstructured::new(&data);
        let base = &manifests[seed as usize % manifests.len()];
        let bytes = gen::mutate(&mut u, base.as_bytes()).expect("entropy is long enough");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        (format!("manifest mutant {seed}"), Case::Manifest(text))
    });
    binary
        .chain(generated_modules)
        .chain(random)
        .chain(text)
        .chain(generated)
        .chain(mutated)
}

fn save(label: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-input");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(label.replace(' ', "-"));
    let _ = std::fs::write(&path, bytes);
    path
}

#[test]
fn loader_and_manifest_parser_survive_bad_input() {
    // The case being checked, for the message if it never returns.
    let current: Arc<Mutex<(String, Vec<u8>)>> = Arc::default();
    let (done_tx, done_rx) = mpsc::channel();
    let worker_current = current.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        let mut failures = Vec::new();
        let mut count = 0;
        let mut reached = std::collections::BTreeMap::new();
        for (label, case) in cases() {
            *worker_current.lock().expect("not poisoned") = (label.clone(), case.bytes().to_vec());
            count += 1;
            match catch_unwind(AssertUnwindSafe(|| case.check())) {
                Ok(Ok(r)) => *reached.entry(r).or_insert(0usize) += 1,
                Ok(Err(e)) => failures.push(format!(
                    "{label}: {e} (input: {})",
                    save(&label, case.bytes()).display()
                )),
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    failures.push(format!(
                        "{label}: panicked: {message} (input: {})",
                        save(&label, case.bytes()).display()
                    ));
                }
            }
        }
        let stats = format!(
            "{count} inputs: {} modules loaded, {} manifests parsed, {} resolved",
            reached.get(&Reached::Loaded).unwrap_or(&0),
            reached.get(&Reached::Parsed).unwrap_or(&0),
            reached.get(&Reached::Resolved).unwrap_or(&0),
        );
        let _ = done_tx.send((count, stats, failures));
    });
    match done_rx.recv_timeout(DEADLINE) {
        Ok((count, stats, failures)) => {
            println!("{stats} in {:.1?}", started.elapsed());
            assert!(
                failures.is_empty(),
                "{} of {count} inputs broke the loader or the manifest parser:\n  {}",
                failures.len(),
                failures.join("\n  ")
            );
        }
        Err(_) => {
            let (label, bytes) = current.lock().map(|c| c.clone()).unwrap_or_default();
            panic!(
                "still running after {DEADLINE:?}; stuck on {label} (input: {})",
                save(&label, &bytes).display()
            );
        }
    }
}
