//! The spec-test harness loop. An executable built by `wasmlink wast` sets
//! `wasmlink_harness_mode`; instead of running an entry it reads commands on
//! stdin and answers each on stdout, recovering from traps so one script runs
//! in one process. See `crates/wasmlink-codegen/src/harness.rs` for the
//! tables it reads.
//!
//! Commands: `i N` (instantiate instance N), `c K HEX…` (invoke export K
//! with 128-bit argument slots), `g K` (read global K). Replies: `ok HEX…`
//! or `trap MESSAGE`.

use crate::landing::{wasmlink_call_protected, wasmlink_trap_message};
#[cfg(not(test))]
use std::io::{BufRead, Write};

type Invoke = unsafe extern "C" fn(*mut u8);

#[cfg(not(test))]
mod tables {
    extern "C" {
        pub static wasmlink_harness_mode: u64;
        pub static wasmlink_harness_instantiate: [usize; 0];
        pub static wasmlink_harness_instance_count: u64;
        pub static wasmlink_harness_invoke: [usize; 0];
        pub static wasmlink_harness_invoke_arity: [u32; 0];
        pub static wasmlink_harness_invoke_count: u64;
        pub static wasmlink_harness_globals: [usize; 0];
        pub static wasmlink_harness_global_types: [u32; 0];
        pub static wasmlink_harness_global_count: u64;
    }
}

/// The generated tables, as slices.
struct Tables {
    instantiate: &'static [usize],
    invoke: &'static [usize],
    arity: &'static [u32],
    globals: &'static [usize],
    global_types: &'static [u32],
}

/// Whether this executable was built for the harness.
#[cfg(not(test))]
pub fn enabled() -> bool {
    unsafe { tables::wasmlink_harness_mode == 1 }
}

#[cfg(not(test))]
fn tables() -> Tables {
    use std::ptr::addr_of;
    use std::slice::from_raw_parts;
    use tables::*;
    unsafe {
        let n = wasmlink_harness_instance_count as usize;
        let m = wasmlink_harness_invoke_count as usize;
        let k = wasmlink_harness_global_count as usize;
        Tables {
            instantiate: from_raw_parts(addr_of!(wasmlink_harness_instantiate).cast(), n),
            invoke: from_raw_parts(addr_of!(wasmlink_harness_invoke).cast(), m),
            arity: from_raw_parts(addr_of!(wasmlink_harness_invoke_arity).cast(), 2 * m),
            globals: from_raw_parts(addr_of!(wasmlink_harness_globals).cast(), k),
            global_types: from_raw_parts(addr_of!(wasmlink_harness_global_types).cast(), k),
        }
    }
}

/// Serve commands until stdin closes.
#[cfg(not(test))]
pub fn serve() {
    let t = tables();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let reply = answer(&t, &line);
        if writeln!(out, "{reply}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}

fn trap_reply(code: u32) -> String {
    let mut len = 0u64;
    let msg = unsafe { wasmlink_trap_message(code, &mut len) };
    if msg.is_null() {
        return format!("trap unknown trap {code}");
    }
    let text = unsafe { std::slice::from_raw_parts(msg, len as usize) };
    format!("trap {}", String::from_utf8_lossy(text))
}

fn answer(t: &Tables, line: &str) -> String {
    let mut words = line.split_whitespace();
    let cmd = words.next().unwrap_or_default();
    let index = words.next().and_then(|w| w.parse::<usize>().ok());
    match (cmd, index) {
        ("i", Some(n)) if n < t.instantiate.len() => {
            let f: Invoke = unsafe { std::mem::transmute(t.instantiate[n]) };
            match unsafe { wasmlink_call_protected(f, std::ptr::null_mut()) } {
                0 => "ok".into(),
                code => trap_reply(code),
            }
        }
        ("c", Some(k)) if k < t.invoke.len() => {
            let (params, results) = (t.arity[2 * k] as usize, t.arity[2 * k + 1] as usize);
            let mut slots = vec![[0u8; 16]; params.max(results).max(1)];
            for (slot, word) in slots.iter_mut().zip(words.by_ref()) {
                match u128::from_str_radix(word, 16) {
                    Ok(v) => *slot = v.to_le_bytes(),
                    Err(_) => return format!("error bad argument {word}"),
                }
            }
            let f: Invoke = unsafe { std::mem::transmute(t.invoke[k]) };
            match unsafe { wasmlink_call_protected(f, slots.as_mut_ptr().cast()) } {
                0 => {
                    let mut reply = String::from("ok");
                    for s in &slots[..results] {
                        reply.push_str(&format!(" {:032x}", u128::from_le_bytes(*s)));
                    }
                    reply
                }
                code => trap_reply(code),
            }
        }
        ("g", Some(k)) if k < t.globals.len() => {
            let size = match t.global_types[k] {
                0 | 2 => 4,
                4 => 16,
                _ => 8,
            };
            let mut bytes = [0u8; 16];
            let src = t.globals[k] as *const u8;
            unsafe { std::ptr::copy_nonoverlapping(src, bytes.as_mut_ptr(), size) };
            format!("ok {:032x}", u128::from_le_bytes(bytes))
        }
        _ => format!("error bad command {line:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globals_are_read_by_type_width() {
        let storage: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        let globals = [storage.as_ptr() as usize; 3];
        let t = Tables {
            instantiate: &[],
            invoke: &[],
            arity: &[],
            globals: Box::leak(Box::new(globals)),
            global_types: &[0, 1, 4],
        };
        assert_eq!(answer(&t, "g 0"), format!("ok {:032x}", 0x04030201u128));
        assert_eq!(
            answer(&t, "g 1"),
            format!("ok {:032x}", 0x0807060504030201u128)
        );
        assert_eq!(
            answer(&t, "g 2"),
            format!("ok {:032x}", u128::from_le_bytes(storage))
        );
        assert!(answer(&t, "g 3").starts_with("error"));
        assert!(answer(&t, "x").starts_with("error"));
    }
}
