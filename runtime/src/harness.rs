//! The spec-test harness loop. An executable built by `wasmlink wast` sets
//! `wasmlink_harness_mode`; instead of running an entry it reads commands on
//! stdin and answers each on stdout, recovering from traps so one script runs
//! in one process. The tables it reads (`wasmlink_harness_*`) are rows of
//! `wasmlink_abi::foreach_object_symbol!`.
//!
//! Commands: `i N` (instantiate instance N), `c K HEX…` (invoke export K
//! with 128-bit argument slots), `g K` (read global K). Replies: `ok HEX…`
//! or `trap MESSAGE`.

use crate::landing::{wasmlink_call_protected, wasmlink_trap_message};
use alloc::string::String;
use wasmlink_abi::{VMGlobal, ValueSlot, ValueType};

/// A generated instantiation function (`wasmlink_harness_instantiate`).
type Instantiate = unsafe extern "C" fn();
/// A generated invoke trampoline (`wasmlink_harness_invoke`).
type Invoke = unsafe extern "C" fn(*mut ValueSlot);

/// The generated tables, as slices.
struct Tables {
    instantiate: &'static [Instantiate],
    invoke: &'static [Invoke],
    /// `[parameter count, result count]` per invoke trampoline.
    arity: &'static [[u32; 2]],
    globals: &'static [*const VMGlobal],
    global_types: &'static [u32],
}

/// Whether this executable was built for the harness.
#[cfg(not(test))]
pub fn enabled() -> bool {
    // SAFETY: the object defines `wasmlink_harness_mode` as an initialised,
    // never written `u64`.
    unsafe { crate::contract::object::wasmlink_harness_mode == 1 }
}

#[cfg(not(test))]
fn tables() -> Tables {
    use crate::contract::object::*;
    use core::ptr::addr_of;
    use core::slice::from_raw_parts;
    // SAFETY: in a harness build the object defines each table with as many
    // initialised, never written entries as the count that goes with it
    // (codegen `harness::tables`, in the contract's types); the function
    // pointers are relocated to generated functions, so none is null.
    unsafe {
        let n = wasmlink_harness_instance_count as usize;
        let m = wasmlink_harness_invoke_count as usize;
        let k = wasmlink_harness_global_count as usize;
        Tables {
            instantiate: from_raw_parts(addr_of!(wasmlink_harness_instantiate).cast(), n),
            invoke: from_raw_parts(addr_of!(wasmlink_harness_invoke).cast(), m),
            arity: from_raw_parts(addr_of!(wasmlink_harness_invoke_arity).cast(), m),
            globals: from_raw_parts(addr_of!(wasmlink_harness_globals).cast(), k),
            global_types: from_raw_parts(addr_of!(wasmlink_harness_global_types).cast(), k),
        }
    }
}

/// Serve commands until stdin closes.
#[cfg(not(test))]
pub fn serve() {
    let t = tables();
    for line in crate::platform::io::Lines::stdin() {
        let mut reply = answer(&t, &line);
        reply.push('\n');
        if crate::platform::io::write_stdout(reply.as_bytes()).is_err() {
            break;
        }
    }
}

fn trap_reply(code: u32) -> String {
    let mut len = 0u64;
    // SAFETY: `len` is a live local, the writable out-pointer the
    // function asks for.
    let msg = unsafe { wasmlink_trap_message(code, &mut len) };
    if msg.is_null() {
        return format!("trap unknown trap {code}");
    }
    // SAFETY: a non-null message is a static string of `len` bytes.
    let text = unsafe { core::slice::from_raw_parts(msg, len as usize) };
    format!("trap {}", String::from_utf8_lossy(text))
}

/// A generated function to run in a protected call, with its argument.
enum Call {
    Instantiate(Instantiate),
    Invoke(Invoke, *mut ValueSlot),
}

/// The function [`protected`] hands to `wasmlink_call_protected`. It owns
/// nothing that needs dropping, so a trap may skip its frame.
unsafe extern "C" fn run_call(call: *mut u8) {
    // SAFETY: `protected` passes the address of a live `Call`.
    match unsafe { &*call.cast::<Call>() } {
        // SAFETY: the harness tables hold generated functions of exactly
        // these signatures (C convention); an invoke trampoline's slots
        // hold its arguments and have room for its results (see `answer`).
        Call::Instantiate(f) => unsafe { f() },
        // SAFETY: as above.
        Call::Invoke(f, slots) => unsafe { f(*slots) },
    }
}

/// Run `call`; 0 when it returns, else the trap code.
fn protected(mut call: Call) -> u32 {
    // SAFETY: `run_call` receives a pointer to `call`, which outlives the
    // protected call, and only generated code runs below it.
    unsafe { wasmlink_call_protected(run_call, (&mut call as *mut Call).cast()) }
}

fn answer(t: &Tables, line: &str) -> String {
    let mut words = line.split_whitespace();
    let cmd = words.next().unwrap_or_default();
    let index = words.next().and_then(|w| w.parse::<usize>().ok());
    match (cmd, index) {
        ("i", Some(n)) if n < t.instantiate.len() => {
            match protected(Call::Instantiate(t.instantiate[n])) {
                0 => "ok".into(),
                code => trap_reply(code),
            }
        }
        ("c", Some(k)) if k < t.invoke.len() => {
            let [params, results] = t.arity[k].map(|n| n as usize);
            let mut slots = vec![ValueSlot::default(); params.max(results).max(1)];
            for (slot, word) in slots.iter_mut().zip(words.by_ref()) {
                match u128::from_str_radix(word, 16) {
                    Ok(v) => *slot = v.to_le_bytes(),
                    Err(_) => return format!("error bad argument {word}"),
                }
            }
            match protected(Call::Invoke(t.invoke[k], slots.as_mut_ptr())) {
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
            let Some(ty) = u8::try_from(t.global_types[k])
                .ok()
                .and_then(ValueType::from_code)
            else {
                return format!("error bad global type {}", t.global_types[k]);
            };
            let mut bytes = ValueSlot::default();
            // SAFETY: the table points at a live global's storage, at least
            // `byte_size` bytes of it initialised for its type.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    t.globals[k].cast::<u8>(),
                    bytes.as_mut_ptr(),
                    ty.byte_size(),
                )
            };
            format!("ok {:032x}", u128::from_le_bytes(bytes))
        }
        _ => format!("error bad command {line:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn globals_are_read_by_type_width() {
        let storage = VMGlobal {
            bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        };
        let globals: &'static [*const VMGlobal] = Box::leak(Box::new([&storage as *const _; 3]));
        let t = Tables {
            instantiate: &[],
            invoke: &[],
            arity: &[],
            globals,
            global_types: &[0, 1, 4],
        };
        assert_eq!(answer(&t, "g 0"), format!("ok {:032x}", 0x04030201u128));
        assert_eq!(
            answer(&t, "g 1"),
            format!("ok {:032x}", 0x0807060504030201u128)
        );
        assert_eq!(
            answer(&t, "g 2"),
            format!("ok {:032x}", u128::from_le_bytes(storage.bytes))
        );
        assert!(answer(&t, "g 3").starts_with("error"));
        assert!(answer(&t, "x").starts_with("error"));

        let bad_type = Tables {
            global_types: &[99],
            globals: &globals[..1],
            ..t
        };
        assert_eq!(answer(&bad_type, "g 0"), "error bad global type 99");
    }

    static INSTANTIATED: AtomicBool = AtomicBool::new(false);

    unsafe extern "C" fn instantiate() {
        INSTANTIATED.store(true, Ordering::SeqCst);
    }

    /// An invoke trampoline for `(i32, i32) -> i32` addition.
    unsafe extern "C" fn add(slots: *mut ValueSlot) {
        // SAFETY: `answer` passes at least two slots for an arity of [2, 1].
        let s = unsafe { std::slice::from_raw_parts_mut(slots, 2) };
        let arg = |slot: &ValueSlot| u32::from_le_bytes([slot[0], slot[1], slot[2], slot[3]]);
        let sum = arg(&s[0]).wrapping_add(arg(&s[1]));
        s[0] = u128::from(sum).to_le_bytes();
    }

    #[test]
    fn commands_call_the_generated_functions() {
        let t = Tables {
            instantiate: &[instantiate],
            invoke: &[add],
            arity: &[[2, 1]],
            globals: &[],
            global_types: &[],
        };
        assert_eq!(answer(&t, "i 0"), "ok");
        assert!(INSTANTIATED.load(Ordering::SeqCst));
        assert_eq!(answer(&t, "c 0 28 e"), format!("ok {:032x}", 0x36));
        assert!(answer(&t, "i 1").starts_with("error"));
        assert!(answer(&t, "c 0 zz").starts_with("error bad argument"));
    }
}
