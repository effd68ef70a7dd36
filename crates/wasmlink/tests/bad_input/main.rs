//! "No panic on bad input", in the normal test suite: a few thousand
//! mutated and random modules (binary and text) through the load stage,
//! generated or mutated manifests through the manifest parser and the
//! resolver, and mutated, generated and real components through the
//! component loader, the resolver and (when they resolve) the compiler,
//! with component-shaped manifests beside them. Every input comes from a
//! fixed seed, so a failure reproduces; the `load`, `manifest` and
//! `component` fuzz targets (`fuzz/`) run the same checks (`gen.rs`,
//! `component.rs`) on inputs libFuzzer chooses, for as long as one likes.
//!
//! A failure names the seed and writes the input to
//! `$CARGO_TARGET_TMPDIR/bad-input/`. A hang fails the test after
//! [`DEADLINE`] instead of blocking the suite.

mod component;
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
/// Mutants of the seed components' text.
const COMPONENT_TEXT_MUTANTS: u64 = 1000;
/// Mutants of real binary components (C programs, the preview1 adapter).
const COMPONENT_BINARY_MUTANTS: u64 = 600;
/// Components from wasm-smith.
const GENERATED_COMPONENTS: u64 = 400;
/// Generated component-shaped manifests.
const COMPONENT_MANIFESTS: u64 = 1500;
/// The whole run takes about ten seconds; this only catches a hang.
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

/// The real components mutated: C components (wit-bindgen) and a
/// preview1 program wrapped with the official adapter. The seed
/// components' text, as binaries, is mutated too.
fn component_seeds() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut seeds: Vec<Vec<u8>> = component::SEED_COMPONENTS
        .iter()
        .map(|w| wasmlink_component::parse_text_or_binary(w.as_bytes()).expect("seeds are valid"))
        .collect();
    for file in [
        "components/compose/lib.component.wasm",
        "components/resources/lib.component.wasm",
        "components/compose/app.component.wasm",
        "wasi/components/random.component.wasm",
    ] {
        let path = root.join(file);
        seeds.push(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
    seeds
}

/// Where component cases are written for the manifest-less resolver.
fn component_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-input-components");
    std::fs::create_dir_all(&dir).expect("target tmpdir is writable");
    dir
}

/// One input and what to do with it.
enum Case {
    Load(Vec<u8>),
    Manifest(String),
    /// A component, in `file` (`.wat` or `.wasm`).
    Component {
        bytes: Vec<u8>,
        file: &'static str,
    },
    ComponentManifest(String),
}

impl Case {
    fn bytes(&self) -> &[u8] {
        match self {
            Case::Load(b) | Case::Component { bytes: b, .. } => b,
            Case::Manifest(t) | Case::ComponentManifest(t) => t.as_bytes(),
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
            Case::Component { bytes, file } => {
                let dir = component_dir();
                Ok(match component::check_component(bytes, &dir, file)? {
                    component::ComponentStage::Rejected => Reached::Nothing,
                    component::ComponentStage::Loaded => Reached::ComponentLoaded,
                    component::ComponentStage::Resolved => Reached::ComponentResolved,
                    component::ComponentStage::Compiled => Reached::Compiled,
                })
            }
            Case::ComponentManifest(t) => Ok(match component::check_component_manifest(t)? {
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
    ComponentLoaded,
    ComponentResolved,
    Compiled,
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
        .chain(component_cases())
}

/// The component cases, after the module and manifest ones.
fn component_cases() -> impl Iterator<Item = (String, Case)> {
    let seeds = component_seeds();
    let texts = component::SEED_COMPONENTS.len();
    let text = (0..COMPONENT_TEXT_MUTANTS).map(move |seed| {
        let data = entropy(seed ^ 0xc0_3e47, 256);
        let mut u = Unstructured::new(&data);
        let wat = component::SEED_COMPONENTS[seed as usize % texts];
        let text = component::mutate_text(&mut u, wat).expect("entropy is long enough");
        let case = Case::Component {
            bytes: text.into_bytes(),
            file: "input.wat",
        };
        (format!("component text mutant {seed}"), case)
    });
    let binary = (0..COMPONENT_BINARY_MUTANTS).map(move |seed| {
        let data = entropy(seed ^ 0xc0_b1a7, 256);
        let mut u = Unstructured::new(&data);
        let bytes = gen::mutate(&mut u, &seeds[seed as usize % seeds.len()])
            .expect("entropy is long enough");
        let case = Case::Component {
            bytes,
            file: "input.wasm",
        };
        (format!("component binary mutant {seed}"), case)
    });
    let generated = (0..GENERATED_COMPONENTS).filter_map(|seed| {
        let data = entropy(seed ^ 0xc0_5317, 8192);
        let bytes = component::smith_component(&mut Unstructured::new(&data)).ok()?;
        let case = Case::Component {
            bytes,
            file: "input.wasm",
        };
        Some((format!("wasm-smith component {seed}"), case))
    });
    let manifests = (0..COMPONENT_MANIFESTS).map(|seed| {
        let data = entropy(seed ^ 0xc0_3a41, 512);
        let text = component::component_manifest(&mut Unstructured::new(&data))
            .expect("entropy is long enough");
        (
            format!("component manifest {seed}"),
            Case::ComponentManifest(text),
        )
    });
    text.chain(binary).chain(generated).chain(manifests)
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
        let n = |r| *reached.get(&r).unwrap_or(&0);
        let stats = format!(
            "{count} inputs: {} modules loaded, {} manifests parsed, {} resolved; \
             {} components loaded, {} resolved, {} compiled",
            n(Reached::Loaded),
            n(Reached::Parsed),
            n(Reached::Resolved),
            n(Reached::ComponentLoaded),
            n(Reached::ComponentResolved),
            n(Reached::Compiled),
        );
        // A generator that stopped producing components that load (a
        // changed seed, a wasm-smith update) would leave the later stages
        // untested while the test still passes.
        if n(Reached::ComponentLoaded) == 0 || n(Reached::Compiled) == 0 {
            failures.push(format!("no component got through to the compiler: {stats}"));
        }
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
