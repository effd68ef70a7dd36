//! Unit tests. The components of `tests/flatten/` (text, or binaries such
//! as a preview 1 program made a component by `wasm-tools component new`)
//! are flattened and compared, as [`FlatComponent::summary`] text or as
//! the error message, with the `.expected` file beside each
//! (`BLESS=1` rewrites them).

use super::*;
use std::path::{Path, PathBuf};

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/flatten")
}

fn flatten_bytes(bytes: &[u8]) -> Result<FlatComponent, ComponentError> {
    load_component(&parse_text_or_binary(bytes)?)
}

fn outcome(bytes: &[u8]) -> String {
    match flatten_bytes(bytes) {
        Ok(c) => c.summary(),
        Err(e) => format!("error: {e}\n"),
    }
}

#[test]
fn flatten_cases() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(cases())
        .expect("tests/flatten")
        .map(|e| e.expect("entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wat" | "wasm")))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "cases are missing: {inputs:?}");
    let mut failures = Vec::new();
    for input in &inputs {
        let bytes = std::fs::read(input).expect("read case");
        let got = outcome(&bytes);
        let expected_path = input.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            if bless {
                std::fs::write(&expected_path, &got).expect("bless");
            } else {
                failures.push(format!(
                    "{}:\n--- expected\n{expected}--- got\n{got}",
                    input.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A real command component: `tests/wasi/args.wasm` made a component by
/// `tests/wasi/build-components.sh`.
#[test]
fn preview1_command_component() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bytes =
        std::fs::read(root.join("tests/wasi/components/args.component.wasm")).expect("component");
    let got = outcome(&bytes);
    let expected_path = cases().join("preview1_args.expected");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected_path, &got).expect("bless");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).expect("expected");
    assert_eq!(got, expected);
    let c = flatten_bytes(&bytes).expect("flattens");
    let modules: Vec<&str> = c
        .instances
        .iter()
        .map(|i| c.modules[i.module].name.as_str())
        .collect();
    assert_eq!(
        modules,
        [
            "wit-component-shim-module",
            "main",
            "wit-component:adapter:wasi_snapshot_preview1",
            "wit-component-fixup"
        ]
    );
    assert!(matches!(
        c.export_at(&["wasi:cli/run@0.2.12", "run"]),
        Some(ExportItem::Lifted(_))
    ));
}

#[test]
fn flattened_components_can_be_shared_between_threads() {
    fn check<T: Send + Sync>() {}
    check::<FlatComponent>();
    check::<ComponentError>();
}

#[test]
fn core_modules_are_not_components() {
    let e = flatten_bytes(b"(module)").unwrap_err();
    assert!(matches!(e, ComponentError::NotAComponent), "{e}");
    assert!(!is_component_binary(b"\0asm\x01\0\0\0"));
    assert!(is_component_binary(b"\0asm\x0d\0\x01\0"));
}

/// Unsigned LEB128.
fn leb(mut v: usize, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[test]
fn nesting_is_bounded() {
    // The text parser has a nesting limit of its own: build the binary.
    let header = b"\0asm\x0d\0\x01\0";
    let mut component = header.to_vec();
    for _ in 0..parse::MAX_NESTING + 5 {
        let mut outer = header.to_vec();
        outer.push(4); // component section
        leb(component.len(), &mut outer);
        outer.extend_from_slice(&component);
        component = outer;
    }
    let e = load_component(&component).unwrap_err();
    assert!(matches!(e, ComponentError::Limit(_)), "{e}");
}

#[test]
fn instantiations_are_bounded() {
    // Each level instantiates the one below twice: 2^20 leaves.
    let mut text = String::from("(component (core module $m)");
    text.push_str("(component $c0 (core module $m) (core instance (instantiate $m)))");
    for i in 1..20 {
        text.push_str(&format!(
            "(component $c{i} (alias outer 1 $c{} (component $c)) (instance (instantiate $c)) (instance (instantiate $c)))",
            i - 1
        ));
    }
    text.push_str("(instance (instantiate $c19)))");
    let e = flatten_bytes(text.as_bytes()).unwrap_err();
    assert!(matches!(e, ComponentError::Limit(_)), "{e}");
}

#[test]
fn export_paths() {
    let bytes = std::fs::read(cases().join("aliases.wat")).expect("case");
    let c = flatten_bytes(&bytes).expect("flattens");
    assert!(matches!(
        c.export_at(&["api", "greet"]),
        Some(ExportItem::Lifted(_))
    ));
    assert!(matches!(c.export_at(&["log"]), Some(ExportItem::Import(_))));
    assert!(c.export_at(&["api", "missing"]).is_none());
    assert!(c.export_at(&["log", "x"]).is_none());
}

/// Mutated components (bytes flipped, truncated) give errors, never a
/// panic: the flattener trusts only what the validator accepted.
#[test]
fn mutated_components_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs = vec![
        std::fs::read(root.join("tests/wasi/components/args.component.wasm")).expect("component"),
    ];
    for case in ["nested.wat", "aliases.wat", "resources.wat"] {
        let text = std::fs::read(cases().join(case)).expect("case");
        inputs.push(parse_text_or_binary(&text).expect("binary"));
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut loaded = 0;
    for input in &inputs {
        for _ in 0..300 {
            let mut bytes = input.clone();
            match next() % 3 {
                0 => {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] ^= 1 << (next() % 8);
                }
                1 => {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] = next() as u8;
                }
                _ => bytes.truncate((next() as usize) % bytes.len()),
            }
            if load_component(&bytes).is_ok() {
                loaded += 1;
            }
        }
    }
    // Some mutations hit names or custom sections and still load.
    assert!(loaded < 1200, "{loaded}");
}
