//! Tables: allocation, growth and the bulk-table helpers.
//!
//! Elements live in a `calloc`/`realloc` buffer (8-byte words, 0 = null).
//! Growth may move `base`; generated code reloads it on every access.

use crate::memory::in_bounds;
use core::mem::size_of;
use core::ptr;
use wasmlink_abi::{Segment, TableElement, VMTable};

/// Implementation limit on a table's length (elements): 2^26 elements are
/// 512 MiB. Growth beyond it fails like growth beyond the declared maximum;
/// it also keeps `len * 8` far from overflowing.
pub const TABLE_MAX_ELEMENTS: u64 = 1 << 26;

/// `wasmlink_table_new(table, min, max) -> u32` (`max == u64::MAX`: no
/// declared maximum). Non-zero means failure; outside a protected call
/// the runtime reports the reason and exits.
///
/// # Safety
/// `table` must point to a writable `VMTable`.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_table_new(table: *mut VMTable, min: u64, max: u64) -> u32 {
    if min > TABLE_MAX_ELEMENTS {
        return crate::trap::setup_failure(&[
            b"cannot create table: its minimum size exceeds the implementation limit",
        ]);
    }
    // Always allocate at least one element so `base` is never null.
    // SAFETY: calloc has no preconditions; `min` is capped above, so the
    // size cannot overflow.
    let base = unsafe { libc::calloc(min.max(1) as usize, size_of::<TableElement>()) }
        .cast::<TableElement>();
    if base.is_null() {
        return crate::trap::setup_failure(&[b"cannot allocate a table: out of memory"]);
    }
    // SAFETY: the caller passes a writable `VMTable` (this function's
    // contract; generated code passes the table's slot in its vmctx).
    unsafe {
        table.write(VMTable {
            base,
            length: min,
            max,
            capacity: min.max(1),
        })
    };
    0
}

/// `wasmlink_table_grow(table, delta, init) -> u64`: the old length, or
/// `u64::MAX` when the table cannot grow that much.
///
/// # Safety
/// `table` must point to a table created by [`wasmlink_table_new`].
#[no_mangle]
pub unsafe extern "C" fn wasmlink_table_grow(table: *mut VMTable, delta: u64, init: u64) -> u64 {
    // SAFETY: the caller passes a table made by `wasmlink_table_new`;
    // nothing else accesses the structure during this call (generated code
    // is suspended in it, and a program runs on one thread).
    let t = unsafe { &mut *table };
    let old = t.length;
    let limit = t.max.min(TABLE_MAX_ELEMENTS);
    let new_len = match old.checked_add(delta) {
        Some(n) if n <= limit => n,
        _ => return u64::MAX,
    };
    if new_len > t.capacity {
        // Grow geometrically so repeated `table.grow 1` stays linear.
        let cap = new_len.max(t.capacity.saturating_mul(2)).min(limit);
        // SAFETY: `base` came from calloc/realloc (`wasmlink_table_new`,
        // earlier growth) and is replaced by the result; generated code
        // reloads it on every access, so no stale copy is used. `cap` is
        // at most TABLE_MAX_ELEMENTS: the size cannot overflow.
        let base =
            unsafe { libc::realloc(t.base.cast(), cap as usize * size_of::<TableElement>()) }
                .cast::<TableElement>();
        if base.is_null() {
            return u64::MAX;
        }
        t.base = base;
        t.capacity = cap;
    }
    for i in old..new_len {
        // SAFETY: `i < new_len <= capacity`: inside the allocation.
        unsafe { t.base.add(i as usize).write(init) };
    }
    t.length = new_len;
    old
}

/// `table.fill`: 0 ok, 1 out of bounds (nothing written).
///
/// # Safety
/// `table` must point to a valid table.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_table_fill(
    table: *mut VMTable,
    dst: u64,
    val: u64,
    len: u64,
) -> u32 {
    // SAFETY: the caller passes a live table (this function's contract).
    let t = unsafe { &*table };
    if !in_bounds(dst, len, t.length) {
        return 1;
    }
    for i in dst..dst + len {
        // SAFETY: `[dst, dst + len)` was checked to lie within `length`.
        unsafe { t.base.add(i as usize).write(val) };
    }
    0
}

/// `table.copy` (overlap-safe; the tables may be the same).
///
/// # Safety
/// Both pointers must point to valid tables.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_table_copy(
    dst_table: *mut VMTable,
    src_table: *mut VMTable,
    dst: u64,
    src: u64,
    len: u64,
) -> u32 {
    // SAFETY: the caller passes two live tables (possibly the same); they
    // are only read here.
    let (d, s) = unsafe { (&*dst_table, &*src_table) };
    if !in_bounds(dst, len, d.length) || !in_bounds(src, len, s.length) {
        return 1;
    }
    // SAFETY: both ranges were just checked against their table's length;
    // `copy` allows them to overlap.
    unsafe {
        ptr::copy(
            s.base.add(src as usize),
            d.base.add(dst as usize),
            len as usize,
        )
    };
    0
}

/// `table.init` from an element segment of `u64` items (a dropped segment
/// has `len` 0).
///
/// # Safety
/// `table` must point to a valid table and `seg` to a valid segment.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_table_init(
    table: *mut VMTable,
    dst: u64,
    seg: *mut Segment,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: the caller passes a live table and the segment slot of a
    // vmctx (this function's contract); both are only read here.
    let (t, s) = unsafe { (&*table, &*seg) };
    let (src, len) = (u64::from(src), u64::from(len));
    if !in_bounds(src, len, s.len) || !in_bounds(dst, len, t.length) {
        return 1;
    }
    let items = s.ptr.cast::<TableElement>();
    // Segment items are aligned by the ABI, but read them unaligned
    // anyway: it costs nothing and tolerates packed data.
    for i in 0..len as usize {
        // SAFETY: both ranges were checked above: an element segment holds
        // `len` items at `ptr`, the table `length` elements at `base`.
        unsafe {
            let v = items.add(src as usize + i).read_unaligned();
            t.base.add(dst as usize + i).write(v);
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_table(min: u64, max: u64) -> VMTable {
        let mut t = VMTable {
            base: ptr::null_mut(),
            length: 0,
            max: 0,
            capacity: 0,
        };
        // SAFETY: `t` is a writable `VMTable`.
        assert_eq!(unsafe { wasmlink_table_new(&mut t, min, max) }, 0);
        t
    }

    fn elems(t: &VMTable) -> &[u64] {
        // SAFETY: a table made by `new_table` has `length` initialised
        // elements at `base`; the view ends before the next call that
        // could grow (move) or write it.
        unsafe { std::slice::from_raw_parts(t.base, t.length as usize) }
    }

    #[test]
    fn new_is_zeroed() {
        let t = new_table(5, u64::MAX);
        assert_eq!(elems(&t), &[0; 5]);
        let t0 = new_table(0, 0);
        assert!(!t0.base.is_null());
        assert_eq!(t0.length, 0);
    }

    #[test]
    fn grow() {
        let mut t = new_table(1, 10);
        // SAFETY: made by `wasmlink_table_new`, as the runtime functions
        // require.
        unsafe {
            assert_eq!(wasmlink_table_grow(&mut t, 0, 9), 1);
            assert_eq!(wasmlink_table_grow(&mut t, 3, 7), 1);
            assert_eq!(elems(&t), &[0, 7, 7, 7]);
            assert_eq!(wasmlink_table_grow(&mut t, 7, 1), u64::MAX);
            assert_eq!(wasmlink_table_grow(&mut t, 6, 1), 4);
            assert_eq!(t.length, 10);
            assert_eq!(wasmlink_table_grow(&mut t, 1, 1), u64::MAX);
            assert_eq!(wasmlink_table_grow(&mut t, u64::MAX, 1), u64::MAX);
        }
        let mut u = new_table(0x10, u64::MAX);
        // SAFETY: made by `wasmlink_table_new`, as the runtime functions
        // require.
        unsafe {
            assert_eq!(wasmlink_table_grow(&mut u, 0xffff_fff0, 0), u64::MAX);
            for i in 0..100 {
                assert_eq!(wasmlink_table_grow(&mut u, 1, i), 0x10 + i);
            }
        }
        assert!(u.capacity >= u.length);
        assert_eq!(elems(&u)[0x10 + 99], 99);
    }

    #[test]
    fn fill_copy_init() {
        let mut t = new_table(8, u64::MAX);
        // SAFETY: made by `wasmlink_table_new`, as the runtime functions
        // require; the writes stay within its 8 elements and `seg`
        // describes `items`, which outlives the calls.
        unsafe {
            assert_eq!(wasmlink_table_fill(&mut t, 2, 5, 3), 0);
            assert_eq!(elems(&t), &[0, 0, 5, 5, 5, 0, 0, 0]);
            assert_eq!(wasmlink_table_fill(&mut t, 8, 5, 0), 0);
            assert_eq!(wasmlink_table_fill(&mut t, 9, 5, 0), 1);
            assert_eq!(wasmlink_table_fill(&mut t, 7, 6, 2), 1);
            assert_eq!(elems(&t)[7], 0);

            for i in 0..8 {
                t.base.add(i).write(i as u64);
            }
            let p: *mut VMTable = &mut t;
            assert_eq!(wasmlink_table_copy(p, p, 1, 0, 4), 0);
            assert_eq!(elems(&t), &[0, 0, 1, 2, 3, 5, 6, 7]);
            assert_eq!(wasmlink_table_copy(p, p, 0, 1, 4), 0);
            assert_eq!(elems(&t), &[0, 1, 2, 3, 3, 5, 6, 7]);
            assert_eq!(wasmlink_table_copy(p, p, 8, 0, 0), 0);
            assert_eq!(wasmlink_table_copy(p, p, 0, 7, 2), 1);
            assert_eq!(wasmlink_table_copy(p, p, u64::MAX, 0, 2), 1);

            let items = [11u64, 12, 13];
            let mut seg = Segment {
                ptr: items.as_ptr().cast(),
                len: 3,
            };
            assert_eq!(wasmlink_table_init(p, 6, &mut seg, 1, 2), 0);
            assert_eq!(&elems(&t)[6..], &[12, 13]);
            assert_eq!(wasmlink_table_init(p, 6, &mut seg, 0, 3), 1);
            assert_eq!(wasmlink_table_init(p, 0, &mut seg, 3, 0), 0);
            assert_eq!(wasmlink_table_init(p, 0, &mut seg, 4, 0), 1);
            seg.len = 0;
            assert_eq!(wasmlink_table_init(p, 0, &mut seg, 0, 1), 1);
            assert_eq!(wasmlink_table_init(p, 8, &mut seg, 0, 0), 0);
        }
    }
}
