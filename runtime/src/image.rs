//! Memory images: the first contents of a defined memory, known when the
//! program was built (active data segments at constant offsets, or a
//! pre-initialisation snapshot), held by the executable in its image
//! section (`wasmlink_abi::preinit`).
//!
//! Each run of an image longer than [`COPY_LIMIT`] is mapped from the
//! executable file over the start of the memory's reservation,
//! `MAP_PRIVATE | MAP_FIXED`: its pages are shared with the page cache
//! until the program writes one (copy on write), so start-up copies
//! nothing whatever the image's size, and pages the program never touches
//! are never read. The kernel already mapped the image section
//! when it loaded the executable, page-aligned in the file as in memory,
//! so the run's mapping is moved there (`mremap`, Linux 5.13 and later),
//! which needs no file. Elsewhere the file is `/proc/self/exe`, opened
//! once, and a run's file offset comes from the program headers of the
//! loaded executable (`dl_iterate_phdr`). When neither can be done (no
//! `/proc`, an address outside the loaded segments) the run is copied
//! from where the loader put it, with the same result.
//!
//! A run of at most [`COPY_LIMIT`] bytes is copied instead: moving a
//! mapping costs a fixed ~8 µs (two system calls that split the mappings
//! at both ends), which is more than copying two pages costs, even when
//! the program would never have touched them (BENCHMARKS.md, section 10).
//! A C hello world's image is one page.

use crate::platform::fd::{AsRawFd, FromRawFd, OwnedFd};
use crate::platform::lock::OnceLock;
use alloc::vec::Vec;
use core::ptr;
use wasmlink_abi::preinit::IMAGE_PAGE;
use wasmlink_abi::{MemoryImage, VMMemory};

/// Runs up to this long are copied rather than mapped. Measured on x86-64
/// Linux 6.18 (run, then the time to place it): moving 1, 2 or 4 pages
/// costs 7.7-7.9 µs untouched, 10.6, 11.8 and 15.4 µs once every page is
/// written; copying costs 5.4, 7.4 and 11.1 µs (faults included). Up to
/// two pages, copying is never the slower.
const COPY_LIMIT: usize = 2 * IMAGE_PAGE as usize;

/// A loaded segment of the executable: its address range holding file
/// bytes, and where those bytes are in the file.
#[derive(Clone, Copy, Debug)]
struct Segment {
    start: usize,
    file_len: usize,
    file_offset: u64,
}

/// The executable file, open, and its loaded segments.
struct Executable {
    file: OwnedFd,
    segments: Vec<Segment>,
}

/// The executable, looked up on first use; `None` when it cannot be
/// mapped from (runs are then copied).
fn executable() -> Option<&'static Executable> {
    static EXE: OnceLock<Option<Executable>> = OnceLock::new();
    EXE.get_or_init(|| {
        // SAFETY: a NUL-terminated constant path.
        let fd =
            unsafe { libc::open(c"/proc/self/exe".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            return None;
        }
        // SAFETY: `open` just returned `fd`; nothing else owns it.
        let file = unsafe { OwnedFd::from_raw_fd(fd) };
        let segments = main_program_segments();
        (!segments.is_empty()).then_some(Executable { file, segments })
    })
    .as_ref()
}

/// The `PT_LOAD` segments of the main program (the first object
/// `dl_iterate_phdr` reports).
fn main_program_segments() -> Vec<Segment> {
    unsafe extern "C" fn visit(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        data: *mut libc::c_void,
    ) -> libc::c_int {
        // SAFETY: `data` is the `Vec` passed below, alive for the whole
        // iteration and not otherwise borrowed meanwhile; `info` is valid
        // for this callback and describes `dlpi_phnum` program headers
        // at `dlpi_phdr` (dl_iterate_phdr's contract).
        unsafe {
            let out = &mut *data.cast::<Vec<Segment>>();
            let info = &*info;
            for k in 0..usize::from(info.dlpi_phnum) {
                let ph = &*info.dlpi_phdr.add(k);
                if ph.p_type == libc::PT_LOAD {
                    out.push(Segment {
                        start: (info.dlpi_addr as usize).wrapping_add(ph.p_vaddr as usize),
                        file_len: ph.p_filesz as usize,
                        file_offset: ph.p_offset,
                    });
                }
            }
        }
        // The main program comes first: stop after it.
        1
    }
    let mut segments: Vec<Segment> = Vec::new();
    // SAFETY: `visit` only reads what the loader hands it and writes
    // `segments`, which outlives the call.
    unsafe { libc::dl_iterate_phdr(Some(visit), (&mut segments as *mut Vec<Segment>).cast()) };
    segments
}

/// The file offset of `[addr, addr + len)` in the executable, if the
/// loader mapped it from the file.
fn file_offset(exe: &Executable, addr: usize, len: usize) -> Option<u64> {
    let s = exe.segments.iter().find(|s| {
        addr >= s.start
            && addr
                .checked_add(len)
                .is_some_and(|end| end <= s.start + s.file_len)
    })?;
    Some(s.file_offset + (addr - s.start) as u64)
}

/// Map `len` bytes of the executable at file offset `offset` over `dst`.
///
/// # Safety
/// `[dst, dst + len)` is page-aligned, inside one memory's reservation and
/// referred to by no Rust reference.
unsafe fn map_run(exe: &Executable, dst: *mut u8, offset: u64, len: usize) -> bool {
    // SAFETY: the caller's range belongs to a memory reservation that
    // nothing else maps; MAP_FIXED replaces exactly those pages with a
    // private (copy-on-write) view of the file, readable and writable
    // like the pages they replace.
    let p = unsafe {
        libc::mmap(
            dst.cast(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_FIXED,
            exe.file.as_raw_fd(),
            offset as libc::off_t,
        )
    };
    p == dst.cast()
}

/// Move the page tables of the run the loader mapped at `[src, src +
/// len)` to `dst` (`mremap` with `MREMAP_DONTUNMAP`) and make them
/// writable: `dst` becomes a private, copy-on-write view of the
/// executable file, as [`map_run`] makes, without opening the file
/// (opening `/proc/self/exe` was a quarter of the runtime's own start-up
/// cost). The run stays mapped at `src`, read from the file again. Moving
/// a file mapping this way needs Linux 5.13; elsewhere this returns false
/// and changes nothing, and the run is mapped from `/proc/self/exe`.
///
/// # Safety
/// `src` is page-aligned and holds `len` bytes of the executable's
/// read-only image section, which nothing writes; `dst` is as for
/// [`map_run`].
unsafe fn move_run(dst: *mut u8, src: *const u8, len: usize) -> bool {
    // SAFETY: the source pages hold the image section only (page-aligned
    // runs of whole pages) and keep their contents, read from the file;
    // the destination belongs to a memory reservation that nothing else
    // maps, and MREMAP_FIXED replaces exactly those pages.
    let moved = unsafe {
        libc::mremap(
            src.cast_mut().cast(),
            len,
            len,
            libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED | libc::MREMAP_DONTUNMAP,
            dst.cast::<libc::c_void>(),
        )
    };
    if moved != dst.cast() {
        return false;
    }
    // SAFETY: `dst` now holds a private mapping of the executable; making
    // it writable gives the program copy-on-write pages, as `map_run`'s.
    if unsafe { libc::mprotect(dst.cast(), len, libc::PROT_READ | libc::PROT_WRITE) } == 0 {
        return true;
    }
    // A read-only view must not stay: put back fresh memory, which the
    // caller then copies the run into.
    // SAFETY: as above, the range is the reservation's own.
    unsafe {
        libc::mmap(
            dst.cast(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
            -1,
            0,
        )
    };
    false
}

/// Map (or copy) one run of an image to `dst`.
///
/// # Safety
/// `src` holds `len` readable bytes; `dst` is as for [`map_run`].
unsafe fn place_run(dst: *mut u8, src: *const u8, len: usize, may_map: bool) {
    if may_map && len > COPY_LIMIT {
        // SAFETY: forwarded from this function's contract; the image runs
        // (`runs_fit`) are page-aligned whole pages of the image section.
        if unsafe { move_run(dst, src, len) } {
            return;
        }
        if let Some(exe) = executable() {
            if let Some(offset) = file_offset(exe, src as usize, len) {
                // SAFETY: forwarded from this function's contract.
                if offset.is_multiple_of(IMAGE_PAGE) && unsafe { map_run(exe, dst, offset, len) } {
                    return;
                }
            }
        }
    }
    // SAFETY: the image is in the executable's read-only data, the
    // destination in a memory's own mapping: they cannot overlap.
    unsafe { ptr::copy_nonoverlapping(src, dst, len) };
}

/// Whether every run fits the memory and is page-aligned.
fn runs_fit(runs: &[MemoryImage], length: u64) -> bool {
    runs.iter().all(|r| {
        r.offset.is_multiple_of(IMAGE_PAGE)
            && r.len.is_multiple_of(IMAGE_PAGE)
            && (r.data as u64).is_multiple_of(IMAGE_PAGE)
            && crate::memory::in_bounds(r.offset, r.len, length)
    })
}

/// Give `mem` its image: the runs at `images`, `count` of them.
///
/// # Safety
/// `mem` was just made by `wasmlink_memory_new` (nothing has read or
/// written it), and `images` points to `count` runs whose `data` each hold
/// `len` readable bytes.
unsafe fn apply(mem: *mut VMMemory, images: *const MemoryImage, count: u64, may_map: bool) -> u32 {
    // SAFETY: the caller's pointers (this function's contract).
    let (m, runs) = unsafe { (&*mem, core::slice::from_raw_parts(images, count as usize)) };
    if !runs_fit(runs, m.length) {
        return 1;
    }
    for r in runs {
        // SAFETY: the run was checked to lie within the memory's
        // accessible length, page-aligned; the memory is new, so no Rust
        // reference points into it.
        unsafe {
            place_run(
                m.base.add(r.offset as usize),
                r.data,
                r.len as usize,
                may_map,
            )
        };
    }
    0
}

/// `wasmlink_memory_image(mem, images, count) -> u32`: map (or copy) the
/// image runs over a memory just made. 1 when a run does not fit it (a
/// compiler bug: nothing is changed).
///
/// # Safety
/// As for [`apply`]: generated code calls it right after creating the
/// memory, with the list and runs the compiler emitted for it.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_memory_image(
    mem: *mut VMMemory,
    images: *const MemoryImage,
    count: u64,
) -> u32 {
    // SAFETY: forwarded from this function's contract.
    unsafe { apply(mem, images, count, true) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::wasmlink_memory_new;

    /// Length of the test image: longer than [`COPY_LIMIT`], so it is
    /// mapped.
    const LEN: usize = COPY_LIMIT + 2 * IMAGE_PAGE as usize;

    /// Whole pages of image, in the image section of the test executable
    /// itself, as the compiler emits them.
    #[repr(C, align(4096))]
    struct Pages([u8; LEN]);

    #[link_section = ".wasmlink_image"]
    static IMAGE: Pages = {
        let mut p = [0u8; LEN];
        p[0] = 0xaa;
        p[4095] = 0xbb;
        p[4096] = 0xcc;
        p[LEN - 1] = 0xdd;
        Pages(p)
    };

    fn new_memory(pages: u64) -> VMMemory {
        let mut m = VMMemory {
            base: ptr::null_mut(),
            length: 0,
            max_pages: 0,
            flags: 0,
        };
        // SAFETY: `m` is a writable `VMMemory`.
        let status = unsafe { wasmlink_memory_new(&mut m, pages, u64::MAX, 0) };
        assert_eq!(status, 0);
        m
    }

    fn bytes<'a>(m: &VMMemory) -> &'a mut [u8] {
        // SAFETY: a memory made by `new_memory` has `length` accessible
        // bytes at `base`, never unmapped; each test holds one view at a
        // time.
        unsafe { std::slice::from_raw_parts_mut(m.base, m.length as usize) }
    }

    /// The line of /proc/self/maps whose range holds `addr`.
    fn mapping_of(addr: usize) -> String {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        maps.lines()
            .find(|l| {
                let range = l.split(' ').next().unwrap();
                let (a, b) = range.split_once('-').unwrap();
                let (a, b) = (
                    usize::from_str_radix(a, 16).unwrap(),
                    usize::from_str_radix(b, 16).unwrap(),
                );
                (a..b).contains(&addr)
            })
            .unwrap()
            .to_string()
    }

    /// The whole test image as one run at `offset`.
    fn runs(offset: u64) -> [MemoryImage; 1] {
        run_of(offset, LEN)
    }

    /// The test image's first `len` bytes as one run at `offset`.
    fn run_of(offset: u64, len: usize) -> [MemoryImage; 1] {
        [MemoryImage {
            offset,
            data: IMAGE.0.as_ptr(),
            len: len as u64,
        }]
    }

    #[test]
    fn runs_are_mapped_from_the_executable_copy_on_write() {
        let mut m = new_memory(3);
        let r = runs(65536);
        // SAFETY: `m` is new; `r`'s run is the static above.
        assert_eq!(unsafe { wasmlink_memory_image(&mut m, r.as_ptr(), 1) }, 0);
        let b = bytes(&m);
        assert_eq!((b[65536], b[65536 + 4095]), (0xaa, 0xbb));
        assert_eq!((b[65536 + 4096], b[65536 + LEN - 1]), (0xcc, 0xdd));
        assert_eq!(b[65535], 0);
        assert_eq!(b[65536 + LEN], 0);
        // The pages are a private view of this test's own executable.
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let line = mapping_of(m.base as usize + 65536);
        assert!(line.ends_with(&*exe.to_string_lossy()), "{line}");
        assert!(
            line.split(' ').nth(1).unwrap().starts_with("rw-p"),
            "{line}"
        );
        // Writing changes the memory, not the image.
        b[65536] = 1;
        assert_eq!(IMAGE.0[0], 0xaa);
        assert_eq!(bytes(&m)[65536], 1);
        // Growth still works past the mapped pages.
        // SAFETY: `m` was made by `wasmlink_memory_new`.
        assert_eq!(unsafe { crate::memory::wasmlink_memory_grow(&mut m, 1) }, 3);
        bytes(&m)[4 * 65536 - 1] = 5;
    }

    /// The kernel's version, as `(major, minor)`.
    fn kernel_version() -> (u32, u32) {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
        let mut parts = release.trim().split(['.', '-']);
        let mut next = || parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        (next(), next())
    }

    #[test]
    fn runs_are_moved_from_where_the_loader_mapped_them() {
        let m = new_memory(2);
        let dst = m.base.wrapping_add(16384);
        // SAFETY: `IMAGE` is whole pages of the image section; the
        // destination is inside the new memory.
        let moved = unsafe { move_run(dst, IMAGE.0.as_ptr(), LEN) };
        // Moving a file mapping with MREMAP_DONTUNMAP needs Linux 5.13.
        assert_eq!(moved, kernel_version() >= (5, 13));
        let b = bytes(&m);
        if moved {
            assert_eq!((b[16384], b[16384 + LEN - 1]), (0xaa, 0xdd));
            let exe = std::fs::read_link("/proc/self/exe").unwrap();
            let line = mapping_of(dst as usize);
            assert!(line.ends_with(&*exe.to_string_lossy()), "{line}");
            assert!(
                line.split(' ').nth(1).unwrap().starts_with("rw-p"),
                "{line}"
            );
            // The image is still there, read from the file again, and
            // writing the memory leaves it alone.
            b[16384] = 7;
            assert_eq!((IMAGE.0[0], IMAGE.0[LEN - 1]), (0xaa, 0xdd));
        } else {
            assert!(b.iter().all(|&x| x == 0));
        }
    }

    #[test]
    fn runs_are_copied_when_they_cannot_be_mapped() {
        let mut m = new_memory(2);
        let r = runs(4096);
        // SAFETY: as above, without mapping.
        assert_eq!(unsafe { apply(&mut m, r.as_ptr(), 1, false) }, 0);
        let b = bytes(&m);
        assert_eq!((b[4096], b[4096 + LEN - 1]), (0xaa, 0xdd));
        let line = mapping_of(m.base as usize + 4096);
        assert!(!line.contains('/'), "anonymous memory: {line}");
    }

    #[test]
    fn short_runs_are_copied() {
        let mut m = new_memory(3);
        let r = run_of(65536, COPY_LIMIT);
        // SAFETY: as above; the run is the image's first pages.
        assert_eq!(unsafe { wasmlink_memory_image(&mut m, r.as_ptr(), 1) }, 0);
        let b = bytes(&m);
        assert_eq!((b[65536], b[65536 + 4096]), (0xaa, 0xcc));
        assert_eq!(b[65536 + COPY_LIMIT], 0);
        let line = mapping_of(m.base as usize + 65536);
        assert!(!line.contains('/'), "anonymous memory: {line}");
    }

    #[test]
    fn runs_that_do_not_fit_change_nothing() {
        let mut m = new_memory(1);
        for offset in [65536 - 4096, 100, u64::MAX - 4095] {
            let r = runs(offset);
            // SAFETY: as above; nothing is written for a bad list.
            assert_eq!(unsafe { wasmlink_memory_image(&mut m, r.as_ptr(), 1) }, 1);
        }
        assert!(bytes(&m).iter().all(|&b| b == 0));
    }

    #[test]
    fn the_executable_is_found_and_images_lie_in_its_file() {
        let exe = executable().expect("/proc/self/exe can be opened");
        let at = IMAGE.0.as_ptr() as usize;
        let offset = file_offset(exe, at, LEN).expect("the image is in a loaded segment");
        assert_eq!(offset % IMAGE_PAGE, 0);
        let file = std::fs::read("/proc/self/exe").unwrap();
        assert_eq!(file[offset as usize], 0xaa);
        assert_eq!(file[offset as usize + LEN - 1], 0xdd);
        assert_eq!(file_offset(exe, 16, 8), None);
    }
}
