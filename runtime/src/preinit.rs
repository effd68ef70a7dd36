//! Snapshot mode: the program run at build time by a build with
//! pre-initialisation (`wasmlink_abi::preinit`).
//!
//! Its configuration holds a `preinit` record; `main` then builds a WASI
//! context of its own (one argument, the record's name; no environment;
//! the manifest's preopened directories by name only; stdio whose writes
//! are refused) and calls
//! [`activate`] with the snapshot file, the program's first argument. The
//! generated `wasmlink_program_start` instantiates everything, runs the
//! init export and calls [`wasmlink_preinit_snapshot`], which writes the
//! state and ends the process with status 0.
//!
//! # What the program may call while it is pre-initialised
//!
//! Nothing that would make the snapshot depend on the machine that built
//! it, and nothing whose effect the snapshot cannot hold:
//!
//! * `args_sizes_get`, `args_get`: one argument, the configured name;
//! * `environ_sizes_get`, `environ_get`: no variables;
//! * `fd_fdstat_get` on fds 0 to 2: a stream of unknown type (not a
//!   terminal) with its usual rights; on the preopened directories: a
//!   directory with a preopen's rights; other fds are `BADF`;
//! * `fd_prestat_get`, `fd_prestat_dir_name`: the manifest's preopened
//!   directories at fds 3, 4, …, by their guest paths, as the program
//!   will see them when it runs (their host directories are not opened:
//!   the builder's private working directory stands in for each, and no
//!   call that would use it is allowed);
//! * `sched_yield`.
//!
//! Every other preview 1 call (files, clocks, random numbers, output,
//! polling, sockets), `proc_exit`, every WASI 0.2 call and every resource
//! handle a component makes ends the process with a message naming the
//! call and the step the program was at ([`wasmlink_preinit_enter`]), and
//! status [`SNAPSHOT_REFUSED`]; so does state the snapshot cannot hold (a
//! reference that is not null and not a function).

use crate::platform::lock::Mutex;
use crate::sys;
use crate::wasi::guest::GuestMem;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};
use wasmlink_abi::preinit::{
    encode_funcref, item, push_record, record, ref_kind, SNAPSHOT_MAGIC, SNAPSHOT_REFUSED,
};
use wasmlink_abi::{Segment, SnapshotItem, TableElement, VMFuncRef, VMGlobal, VMMemory, VMTable};

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The snapshot file and the step the program is at.
struct State {
    file: Vec<u8>,
    step: String,
}

static STATE: Mutex<State> = Mutex::new(State {
    file: Vec::new(),
    step: String::new(),
});

/// Enter snapshot mode: the snapshot goes to `file`.
pub fn activate(file: Vec<u8>) {
    STATE.lock().file = file;
    ACTIVE.store(true, Ordering::SeqCst);
}

/// Whether this program is taking a snapshot.
pub fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// The preview 1 calls allowed while pre-initialising (see the module
/// documentation), for messages.
pub const ALLOWED: &str = "args_get, args_sizes_get, environ_get, environ_sizes_get, \
     fd_fdstat_get, fd_prestat_get, fd_prestat_dir_name and sched_yield";

/// End the snapshot program: `what` cannot happen before the program
/// starts.
fn refuse(what: &str) -> ! {
    let step = STATE.lock().step.clone();
    let during = if step.is_empty() {
        String::new()
    } else {
        format!(" (during {step})")
    };
    sys::exit_with_message(
        SNAPSHOT_REFUSED,
        &[b"pre-initialisation: ", what.as_bytes(), during.as_bytes()],
    )
}

/// A preview 1 call `name` with `args` (each widened to `u64`), in snapshot
/// mode: `None` when the ordinary implementation answers it, `Some(errno)`
/// when it is answered here. A call outside the allowed set ends the
/// program.
///
/// # Safety
/// `mem` is null or points to the caller's live `VMMemory`.
pub unsafe fn wasi_call(name: &str, mem: *mut VMMemory, args: &[u64]) -> Option<i32> {
    match name {
        "args_get"
        | "args_sizes_get"
        | "environ_get"
        | "environ_sizes_get"
        | "fd_prestat_get"
        | "fd_prestat_dir_name"
        | "sched_yield" => None,
        "fd_fdstat_get" => match (args.first(), args.get(1)) {
            (Some(&fd @ 0..=2), Some(&buf)) => {
                // SAFETY: `mem` is null or live (this function's contract).
                let mem = unsafe { GuestMem::from_vm(mem) };
                Some(stdio_fdstat(&mem, fd as u32, buf as u32))
            }
            _ => None,
        },
        _ => refuse(&format!(
            "wasi_snapshot_preview1.{name} cannot be called before the program starts; \
             a program being pre-initialised may call only {ALLOWED}"
        )),
    }
}

/// `fd_fdstat_get` of a standard descriptor while pre-initialising: the
/// same for every build machine, and not a terminal (wasi-libc's `isatty`
/// wants a character device), since the snapshot is used wherever the
/// program later runs.
fn stdio_fdstat(mem: &GuestMem, fd: u32, buf: u32) -> i32 {
    use crate::wasi::rights::{FD_READ, FD_WRITE, POLL_FD_READWRITE};
    let base = POLL_FD_READWRITE | if fd == 0 { FD_READ } else { FD_WRITE };
    let mut b = [0u8; 24];
    b[0] = crate::wasi::types::filetype::UNKNOWN;
    b[8..16].copy_from_slice(&base.to_le_bytes());
    match mem.write(buf, &b) {
        Ok(()) => 0,
        Err(e) => i32::from(e.0),
    }
}

/// `proc_exit(code)` in snapshot mode: always refused.
pub fn proc_exit(code: u32) -> ! {
    refuse(&format!(
        "proc_exit({}) was called: a program cannot exit before it starts",
        code as i32
    ))
}

/// A lowered call (WASI 0.2, or a component's resource intrinsic) in
/// snapshot mode: only the intrinsics that leave no state behind run.
pub fn lowered_call(interface: &str, func: &str) {
    let harmless = interface == "wasmlink:canon"
        && matches!(func, "trap" | "resource-enter-call" | "resource-exit-call");
    if !harmless {
        let what = if interface == "wasmlink:canon" {
            format!("a component made a resource handle ({func}), which a snapshot cannot hold")
        } else {
            format!("{interface} {func} cannot be called before the program starts (no WASI 0.2 call can)")
        };
        refuse(&what);
    }
}

/// `wasmlink_preinit_enter(what, len)`: the program now runs the step
/// `what` names.
///
/// # Safety
/// `what` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_preinit_enter(what: *const u8, len: u64) -> u32 {
    // SAFETY: the caller passes `len` readable bytes (this function's
    // contract); the compiler emits them in read-only data.
    let text = unsafe { core::slice::from_raw_parts(what, len as usize) };
    STATE.lock().step = String::from_utf8_lossy(text).into_owned();
    0
}

/// Where function references may point: each instance's funcref slots;
/// and the instances' names.
struct FuncRanges {
    slots: Vec<(usize, usize, u32)>,
    names: Vec<(u32, String)>,
}

impl FuncRanges {
    fn new(items: &[SnapshotItem]) -> FuncRanges {
        let funcrefs = items.iter().filter(|i| i.kind == item::FUNCREFS);
        FuncRanges {
            slots: (funcrefs.clone())
                .map(|i| (i.ptr as usize, i.count as usize, i.instance))
                .collect(),
            names: funcrefs
                .map(|i| {
                    let name = if i.name.is_null() {
                        Vec::new()
                    } else {
                        // SAFETY: a non-null name points to `name_len`
                        // bytes of the object's read-only data (the
                        // compiler emits them so).
                        unsafe { core::slice::from_raw_parts(i.name, i.name_len as usize) }.to_vec()
                    };
                    (i.instance, String::from_utf8_lossy(&name).into_owned())
                })
                .collect(),
        }
    }

    /// How messages name instance `i`.
    fn instance(&self, i: u32) -> String {
        match self.names.iter().find(|(n, _)| *n == i) {
            Some((_, name)) => format!("instance \"{name}\""),
            None => format!("instance {i}"),
        }
    }

    /// The encoded reference (see `wasmlink_abi::preinit`) of the table
    /// element or reference value `raw`, of kind `kind`; `what` names
    /// where it is for a refusal.
    fn encode(&self, raw: u64, kind: u32, what: &dyn Fn() -> String) -> u64 {
        if raw == 0 {
            return 0;
        }
        if kind != ref_kind::FUNC {
            refuse(&format!(
                "{} holds a reference that is not null and not a function (an externref or an exnref), which a snapshot cannot hold",
                what()
            ));
        }
        let slot = core::mem::size_of::<VMFuncRef>();
        for &(start, count, instance) in &self.slots {
            let at = raw as usize;
            if at >= start && at < start + count * slot && (at - start).is_multiple_of(slot) {
                return encode_funcref(instance, ((at - start) / slot) as u32);
            }
        }
        refuse(&format!(
            "{} holds a function reference wasmlink cannot name",
            what()
        ))
    }
}

/// Granularity of the runs a memory record keeps (bytes outside runs are
/// zero).
const RUN_GRAIN: usize = 4096;

/// A memory record's payload: its length and its non-zero pages as runs.
fn memory_payload(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u64).to_le_bytes().to_vec();
    let mut page = 0;
    let pages = bytes.len().div_ceil(RUN_GRAIN);
    let zero = |p: usize| {
        let end = ((p + 1) * RUN_GRAIN).min(bytes.len());
        bytes[p * RUN_GRAIN..end].iter().all(|&b| b == 0)
    };
    while page < pages {
        if zero(page) {
            page += 1;
            continue;
        }
        let first = page;
        while page < pages && !zero(page) {
            page += 1;
        }
        let (start, end) = (first * RUN_GRAIN, (page * RUN_GRAIN).min(bytes.len()));
        out.extend_from_slice(&(start as u64).to_le_bytes());
        out.extend_from_slice(&((end - start) as u64).to_le_bytes());
        out.extend_from_slice(&bytes[start..end]);
    }
    out
}

/// References as a record's payload: the count, then each encoded.
fn refs_payload(
    items: &[TableElement],
    kind: u32,
    funcs: &FuncRanges,
    what: &dyn Fn(usize) -> String,
) -> Vec<u8> {
    let mut out = (items.len() as u64).to_le_bytes().to_vec();
    for (k, &raw) in items.iter().enumerate() {
        out.extend_from_slice(&funcs.encode(raw, kind, &|| what(k)).to_le_bytes());
    }
    out
}

/// The snapshot of the state `items` describe.
///
/// # Safety
/// Every item's `ptr` points to what its kind says (a live `VMMemory`,
/// `VMTable`, `VMGlobal` or `Segment`, or `count` funcref slots), as
/// the compiler emits them.
pub unsafe fn snapshot(items: &[SnapshotItem]) -> Vec<u8> {
    let funcs = FuncRanges::new(items);
    let mut out = SNAPSHOT_MAGIC.to_vec();
    for it in items {
        let (i, x) = (it.instance, it.index);
        let payload = match it.kind {
            item::MEMORY => {
                // SAFETY: a live memory (this function's contract); the
                // program is stopped, so its `length` bytes at `base` are
                // readable and nothing writes them meanwhile.
                let bytes = unsafe {
                    let m = &*it.ptr.cast::<VMMemory>();
                    core::slice::from_raw_parts(m.base, m.length as usize)
                };
                (record::MEMORY, memory_payload(bytes))
            }
            item::TABLE => {
                // SAFETY: a live table: `length` elements at `base`.
                let elems = unsafe {
                    let t = &*it.ptr.cast::<VMTable>();
                    core::slice::from_raw_parts(t.base, t.length as usize)
                };
                let what = |k: usize| format!("element {k} of table {x} of {}", funcs.instance(i));
                (record::TABLE, refs_payload(elems, it.code, &funcs, &what))
            }
            item::GLOBAL => {
                // SAFETY: a live global.
                let mut bytes = unsafe { (*it.ptr.cast::<VMGlobal>()).bytes };
                if it.code != 0 {
                    let mut raw = [0u8; 8];
                    raw.copy_from_slice(&bytes[..8]);
                    let what = || format!("global {x} of {}", funcs.instance(i));
                    let e = funcs.encode(u64::from_le_bytes(raw), it.code, &what);
                    bytes[..8].copy_from_slice(&e.to_le_bytes());
                }
                (record::GLOBAL, bytes.to_vec())
            }
            item::DATA => {
                // SAFETY: a segment slot of a vmctx.
                let len = unsafe { (*it.ptr.cast::<Segment>()).len };
                (record::DATA, len.to_le_bytes().to_vec())
            }
            item::ELEM => {
                // SAFETY: a segment slot of a vmctx: `len` elements at
                // `ptr` (an element segment's array).
                let elems = unsafe {
                    let s = &*it.ptr.cast::<Segment>();
                    core::slice::from_raw_parts(s.ptr.cast::<TableElement>(), s.len as usize)
                };
                let what =
                    |k: usize| format!("item {k} of element segment {x} of {}", funcs.instance(i));
                (record::ELEM, refs_payload(elems, it.code, &funcs, &what))
            }
            _ => continue,
        };
        push_record(&mut out, payload.0, i, x, &payload.1);
    }
    push_record(&mut out, record::END, 0, 0, &[]);
    out
}

/// `wasmlink_preinit_snapshot(items, count)`: write the snapshot to the
/// snapshot file and end the process (status 0). It never returns.
///
/// # Safety
/// `items` points to `count` items as [`snapshot`] requires.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_preinit_snapshot(items: *const SnapshotItem, count: u64) -> u32 {
    if !active() {
        sys::fatal(&[b"a snapshot was asked for outside snapshot mode"]);
    }
    // Every step has run: what is refused now is the state itself.
    STATE.lock().step.clear();
    // SAFETY: the caller's items (this function's contract).
    let bytes = unsafe { snapshot(core::slice::from_raw_parts(items, count as usize)) };
    let path = STATE.lock().file.clone();
    if let Err(e) = crate::platform::io::write_file(&path, &bytes) {
        let shown = String::from_utf8_lossy(&path).into_owned();
        sys::fatal(&[
            b"cannot write the snapshot to ",
            shown.as_bytes(),
            b": ",
            e.as_bytes(),
        ]);
    }
    sys::exit_now(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmlink_abi::preinit::{decode_funcref, PayloadReader, SnapshotReader};

    #[test]
    fn memory_records_keep_only_non_zero_pages() {
        let mut mem = vec![0u8; 5 * 4096 + 100];
        mem[1] = 1;
        mem[2 * 4096 + 7] = 2;
        mem[3 * 4096] = 3;
        mem[5 * 4096 + 99] = 4;
        let p = memory_payload(&mem);
        let mut r = PayloadReader::new(&p);
        assert_eq!(r.u64(), Ok(mem.len() as u64));
        let mut rebuilt = vec![0u8; mem.len()];
        let mut runs = Vec::new();
        while !r.is_empty() {
            let (at, len) = (r.u64().unwrap(), r.u64().unwrap());
            runs.push((at, len));
            rebuilt[at as usize..(at + len) as usize].copy_from_slice(r.bytes(len).unwrap());
        }
        assert_eq!(runs, [(0, 4096), (2 * 4096, 2 * 4096), (5 * 4096, 100)]);
        assert_eq!(rebuilt, mem);
    }

    #[test]
    fn items_become_records_with_references_named() {
        let funcs = [
            VMFuncRef {
                code: std::ptr::null(),
                vmctx: std::ptr::null_mut(),
                type_id: 1,
            },
            VMFuncRef {
                code: std::ptr::null(),
                vmctx: std::ptr::null_mut(),
                type_id: 2,
            },
        ];
        let second = &funcs[1] as *const VMFuncRef as u64;
        let mut elems: [TableElement; 3] = [0, second, 0];
        let table = VMTable {
            base: elems.as_mut_ptr(),
            length: 3,
            max: 10,
            capacity: 3,
        };
        let mut global = VMGlobal { bytes: [0; 16] };
        global.bytes[..8].copy_from_slice(&second.to_le_bytes());
        let data = Segment {
            ptr: std::ptr::null(),
            len: 0,
        };
        let it = |kind, code, index, ptr: *const u8, count| SnapshotItem {
            kind,
            code,
            instance: 4,
            index,
            ptr,
            count,
            name: std::ptr::null(),
            name_len: 0,
        };
        let items = [
            it(item::FUNCREFS, 0, 0, funcs.as_ptr().cast(), 2),
            it(
                item::TABLE,
                ref_kind::FUNC,
                1,
                (&table as *const VMTable).cast(),
                0,
            ),
            it(
                item::GLOBAL,
                ref_kind::FUNC,
                2,
                (&global as *const VMGlobal).cast(),
                0,
            ),
            it(item::DATA, 0, 3, (&data as *const Segment).cast(), 0),
        ];
        // SAFETY: every item points at the live object its kind says.
        let bytes = unsafe { snapshot(&items) };
        let mut r = SnapshotReader::new(&bytes).unwrap();
        let t = r.next_record().unwrap().unwrap();
        assert_eq!((t.tag, t.instance, t.index), (record::TABLE, 4, 1));
        let mut p = PayloadReader::new(t.payload);
        assert_eq!(p.u64(), Ok(3));
        assert_eq!(p.u64(), Ok(0));
        assert_eq!(decode_funcref(p.u64().unwrap()), Some((4, 1)));
        assert_eq!(p.u64(), Ok(0));
        let g = r.next_record().unwrap().unwrap();
        assert_eq!(g.tag, record::GLOBAL);
        let mut raw = [0u8; 8];
        raw.copy_from_slice(&g.payload[..8]);
        assert_eq!(decode_funcref(u64::from_le_bytes(raw)), Some((4, 1)));
        let d = r.next_record().unwrap().unwrap();
        assert_eq!((d.tag, d.payload), (record::DATA, &0u64.to_le_bytes()[..]));
        assert_eq!(r.next_record(), Ok(None));
    }
}
