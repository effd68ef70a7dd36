//! A new instance's state, made from the image the compiler emitted for
//! the instance that spawns (see `wasmlink_abi`'s `ThreadSpawnContext`):
//! a copy of the image with its own words pointed into the copy, and a
//! stack-limit cell of its own that its vmctx points at.
//!
//! When the thread ends the copy is freed ([`Instance::free`]) if the
//! compiler found that nothing outside the instance can have kept one of
//! its functions; otherwise it is kept for the life of the process, since
//! those functions may still be called (from an imported table, say).

use alloc::alloc::{alloc_zeroed, dealloc, Layout};
use core::ptr::NonNull;
use wasmlink_abi::{field, ImageReloc, VMTable, IMAGE_ALIGN};

/// The state of one instance made at run time.
#[derive(Debug, PartialEq, Eq)]
pub struct Instance {
    /// The vmctx (the copy's first byte).
    pub vmctx: NonNull<u8>,
    /// The cell the vmctx's stack-limit word points at.
    pub limit: NonNull<usize>,
}

// SAFETY: the state belongs to the instance, which moves to its thread
// with it; the pointers are plain addresses of memory that is never freed.
unsafe impl Send for Instance {}

/// Why an image cannot be copied: the compiler and the runtime disagree
/// (a bug), or memory ran out.
#[derive(Debug, PartialEq, Eq)]
pub enum ImageError {
    OutOfMemory,
    /// A relocation outside the image.
    BadReloc(ImageReloc),
    /// The image is too small for a vmctx header.
    TooSmall,
}

/// Where the limit cell of an instance made from an image of `len`
/// bytes is, and the layout of its allocation.
fn layout(len: usize) -> Result<(usize, Layout), ImageError> {
    let word = size_of::<usize>();
    // The limit cell follows the image, word-aligned.
    let cell_at = len.next_multiple_of(word);
    let layout = Layout::from_size_align(cell_at + word, IMAGE_ALIGN as usize)
        .map_err(|_| ImageError::OutOfMemory)?;
    Ok((cell_at, layout))
}

impl Instance {
    /// Free the instance made from an image of `image_len` bytes: the
    /// storage of the tables it defines (`tables`: offsets of their
    /// `VMTable`s in its vmctx), then its state.
    ///
    /// # Safety
    /// Nothing uses the instance any more or ever will: its thread has
    /// ended and nothing else could reach it (the context's `reclaim`).
    /// `image_len` is the length of the image it was made from, and each
    /// offset in `tables` is a `VMTable` its instantiation created.
    pub unsafe fn free(self, image_len: usize, tables: &[u32]) {
        let p = self.vmctx.as_ptr();
        for &t in tables {
            // SAFETY: a `VMTable` of the instance (this function's
            // contract), whose `base` came from calloc/realloc
            // (`crate::table`) and is used by no one else.
            unsafe { libc::free((*p.add(t as usize).cast::<VMTable>()).base.cast()) };
        }
        if let Ok((_, layout)) = layout(image_len) {
            // SAFETY: `instantiate_image` allocated `p` with this layout
            // (the same length), and nothing refers to it any more.
            unsafe { dealloc(p, layout) };
        }
    }
}

/// Copy `image` and apply `relocs`.
pub fn instantiate_image(image: &[u8], relocs: &[ImageReloc]) -> Result<Instance, ImageError> {
    let word = size_of::<usize>();
    let header = field::VMCTX_STACK_LIMIT as usize + word;
    if image.len() < header {
        return Err(ImageError::TooSmall);
    }
    for r in relocs {
        let fits = (r.offset as usize)
            .checked_add(word)
            .is_some_and(|end| end <= image.len());
        if !fits || r.target as usize > image.len() {
            return Err(ImageError::BadReloc(*r));
        }
    }
    let (cell_at, layout) = layout(image.len())?;
    // SAFETY: the layout has a non-zero size (at least a header and a cell).
    let base = NonNull::new(unsafe { alloc_zeroed(layout) }).ok_or(ImageError::OutOfMemory)?;
    let p = base.as_ptr();
    // SAFETY: the allocation holds `cell_at + word` bytes: the image, then
    // the cell. Every relocation's word lies inside the image (checked
    // above); words are written unaligned-safe.
    unsafe {
        p.copy_from_nonoverlapping(image.as_ptr(), image.len());
        for r in relocs {
            let value = p.add(r.target as usize) as usize;
            p.add(r.offset as usize)
                .cast::<usize>()
                .write_unaligned(value);
        }
        let cell = p.add(cell_at).cast::<usize>();
        p.add(field::VMCTX_STACK_LIMIT as usize)
            .cast::<usize>()
            .write_unaligned(cell as usize);
        Ok(Instance {
            vmctx: base,
            limit: NonNull::new_unchecked(cell),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(p: *const u8, at: usize) -> usize {
        // SAFETY: the tests read words inside the copies they made.
        unsafe { p.add(at).cast::<usize>().read_unaligned() }
    }

    #[test]
    fn copies_and_points_words_into_the_copy() {
        let mut image = vec![0u8; 40];
        image[8..16].copy_from_slice(&0x1234_5678usize.to_le_bytes());
        image[32] = 7;
        let relocs = [
            ImageReloc {
                offset: 16,
                target: 8,
            },
            ImageReloc {
                offset: 24,
                target: 40,
            },
        ];
        let i = instantiate_image(&image, &relocs).unwrap();
        let p = i.vmctx.as_ptr();
        assert_eq!(p as usize % IMAGE_ALIGN as usize, 0);
        assert_eq!(word(p, 0), i.limit.as_ptr() as usize, "header → own cell");
        assert_eq!(word(p, 8), 0x1234_5678, "other words as they were");
        assert_eq!(word(p, 16), p as usize + 8);
        assert_eq!(word(p, 24), p as usize + 40);
        // SAFETY: reads the copy's byte 32 and its cell.
        unsafe {
            assert_eq!(*p.add(32), 7);
            assert_eq!(*i.limit.as_ptr(), 0);
        }
        let again = instantiate_image(&image, &relocs).unwrap();
        assert_ne!(again.vmctx, i.vmctx, "each instance its own state");
        // SAFETY: the test's instances are used no more; they define no
        // table.
        unsafe {
            again.free(image.len(), &[]);
            i.free(image.len(), &[]);
        }
    }

    #[test]
    fn frees_the_tables_it_made() {
        let image = vec![0u8; 8 + size_of::<VMTable>()];
        let i = instantiate_image(&image, &[]).unwrap();
        let mut table: VMTable = VMTable {
            base: std::ptr::null_mut(),
            length: 0,
            max: 0,
            capacity: 0,
        };
        // SAFETY: writes a fresh table into the instance's `VMTable` at 8.
        unsafe {
            assert_eq!(crate::table::wasmlink_table_new(&mut table, 4, 8), 0);
            i.vmctx
                .as_ptr()
                .add(8)
                .cast::<VMTable>()
                .write_unaligned(table);
            i.free(image.len(), &[8]);
        }
    }

    #[test]
    fn refuses_what_the_compiler_never_emits() {
        let image = vec![0u8; 16];
        let out = ImageReloc {
            offset: 12,
            target: 0,
        };
        assert_eq!(
            instantiate_image(&image, &[out]),
            Err(ImageError::BadReloc(out))
        );
        let far = ImageReloc {
            offset: 0,
            target: 17,
        };
        assert!(instantiate_image(&image, &[far]).is_err());
        assert_eq!(instantiate_image(&[0; 4], &[]), Err(ImageError::TooSmall));
    }
}
