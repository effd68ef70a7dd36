//! The assets object: the embedded files of a program
//! (`wasmlink_graph::Embedded`) as one ELF relocatable object holding
//! their blob (`wasmlink_abi::embed`) in a read-only, page-aligned
//! section, with the symbol the generated object's `wasmlink_embedded`
//! points at.
//!
//! The object is written straight to a file and each file's contents are
//! copied through a small buffer, so memory use does not grow with the
//! size of what is embedded. A file is checked when it is copied: it must
//! still be a regular file of the size the tree was read with (a file
//! inside an embedded directory is opened without following a link), so
//! a file changed during the build is an error, never a blob whose index
//! disagrees with its contents.

use crate::EmitError;
// The `object` crate cranelift-object writes with (one copy in the build).
use cranelift_object::object;
use object::elf;
use object::write::elf::{FileHeader, SectionHeader, Sym, Writer};
use object::write::StreamingBuffer;
use object::Endianness;
use std::fs::File;
use std::io::{BufWriter, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use wasmlink_abi::embed::{layout, ASSETS_SYMBOL, BLOB_ALIGN, SECTION};
use wasmlink_graph::{Embedded, HostFile};

/// How much of a file is copied at a time.
const CHUNK: usize = 1 << 20;

/// Write the assets object of `embedded` to `out`.
pub fn write_assets(embedded: &Embedded, out: &Path) -> Result<(), EmitError> {
    let trees = embedded.trees();
    let layout = layout(&trees).map_err(|e| EmitError::Embed {
        path: out.to_path_buf(),
        problem: e.to_string(),
    })?;
    let io = |error: std::io::Error| EmitError::AssetsIo {
        path: out.to_path_buf(),
        error,
    };
    let file = File::create(out).map_err(io)?;
    let mut buffer = StreamingBuffer::new(BufWriter::with_capacity(CHUNK, file));
    {
        let mut w = Writer::new(Endianness::Little, true, &mut buffer);
        w.reserve_file_header();
        w.reserve_null_section_index();
        let assets_name = w.add_section_name(SECTION.as_bytes());
        let assets = w.reserve_section_index();
        let blob_at = w.reserve(layout.len as usize, BLOB_ALIGN as usize);
        // Without it, linkers take the object to need an executable stack.
        let note_name = w.add_section_name(b".note.GNU-stack");
        w.reserve_section_index();
        let symbol_name = w.add_string(ASSETS_SYMBOL.as_bytes());
        w.reserve_null_symbol_index();
        w.reserve_symbol_index(Some(assets));
        w.reserve_symtab_section_index();
        w.reserve_symtab();
        w.reserve_strtab_section_index();
        w.reserve_strtab();
        w.reserve_shstrtab_section_index();
        w.reserve_shstrtab();
        w.reserve_section_headers();

        w.write_file_header(&FileHeader {
            os_abi: elf::ELFOSABI_NONE,
            abi_version: 0,
            e_type: elf::ET_REL,
            e_machine: elf::EM_X86_64,
            e_entry: 0,
            e_flags: 0,
        })
        .map_err(|e| EmitError::Module(e.to_string()))?;
        w.write_align(BLOB_ALIGN as usize);
        w.write(&layout.index);
        // A file that cannot be copied ends the object here: it is
        // removed with the directory it is written in.
        copy_contents(&mut w, layout.index.len() as u64, &layout.files)?;
        w.write_null_symbol();
        w.write_symbol(&Sym {
            name: Some(symbol_name),
            section: Some(assets),
            st_info: (elf::STB_GLOBAL << 4) | elf::STT_OBJECT,
            st_other: elf::STV_DEFAULT,
            st_shndx: 0,
            st_value: 0,
            st_size: layout.len,
        });
        w.write_strtab();
        w.write_shstrtab();
        w.write_null_section_header();
        w.write_section_header(&SectionHeader {
            name: Some(assets_name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: u64::from(elf::SHF_ALLOC),
            sh_addr: 0,
            sh_offset: blob_at as u64,
            sh_size: layout.len,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: BLOB_ALIGN,
            sh_entsize: 0,
        });
        w.write_section_header(&SectionHeader {
            name: Some(note_name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: 0,
            sh_addr: 0,
            sh_offset: 0,
            sh_size: 0,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 1,
            sh_entsize: 0,
        });
        w.write_symtab_section_header(1);
        w.write_strtab_section_header();
        w.write_shstrtab_section_header();
    }
    buffer.result().map_err(io)?;
    let file = buffer
        .into_inner()
        .into_inner()
        .map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)
}

/// Write every file's contents at its offset (the blob's index, `from`
/// bytes, is already written), zeros in between.
fn copy_contents(
    w: &mut Writer,
    from: u64,
    files: &[(&HostFile, u64, u64)],
) -> Result<(), EmitError> {
    let zeros = [0u8; 64];
    let mut at = from;
    let mut chunk = vec![0u8; CHUNK];
    for &(source, offset, size) in files {
        while at < offset {
            let n = (offset - at).min(zeros.len() as u64) as usize;
            w.write(&zeros[..n]);
            at += n as u64;
        }
        copy_file(w, source, size, &mut chunk)?;
        at += size;
    }
    Ok(())
}

/// Copy exactly `size` bytes of `source`, checking it is still the
/// regular file of that size the tree was read with.
fn copy_file(
    w: &mut Writer,
    source: &HostFile,
    size: u64,
    chunk: &mut [u8],
) -> Result<(), EmitError> {
    let changed = |problem: String| EmitError::Embed {
        path: source.path.clone(),
        problem,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    if !source.follow {
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let mut f = options
        .open(&source.path)
        .map_err(|e| changed(format!("cannot read it: {e}")))?;
    let meta = f
        .metadata()
        .map_err(|e| changed(format!("cannot read it: {e}")))?;
    if !meta.is_file() || meta.len() != size {
        return Err(changed(format!(
            "it changed while the program was built (it was a file of {size} bytes)"
        )));
    }
    let mut left = size;
    while left > 0 {
        let want = left.min(chunk.len() as u64) as usize;
        let n = match f.read(&mut chunk[..want]) {
            Ok(0) => {
                return Err(changed(format!(
                    "it changed while the program was built (it ended {left} bytes early)"
                )))
            }
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(changed(format!("cannot read it: {e}"))),
        };
        w.write(&chunk[..n]);
        left -= n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_object::object::{Object, ObjectSection, ObjectSymbol};
    use wasmlink_abi::embed::Blob;
    use wasmlink_graph::{read_embeds, EmbedSource};

    fn embedded(dir: &Path) -> Embedded {
        let src = EmbedSource {
            guest: "/data".into(),
            host: dir.to_path_buf(),
        };
        read_embeds(&[src], &[]).unwrap()
    }

    #[test]
    fn the_object_holds_the_blob_in_its_section() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("d");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a"), b"alpha").unwrap();
        let big: Vec<u8> = (0..3 * CHUNK + 5).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.join("sub/big"), &big).unwrap();
        let e = embedded(&dir);
        let out = t.path().join("assets.o");
        write_assets(&e, &out).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        let file = object::File::parse(&*bytes).unwrap();
        let section = file.section_by_name(SECTION).unwrap();
        assert_eq!(section.align(), BLOB_ALIGN);
        let data = section.data().unwrap();
        assert_eq!(data.len() as u64, e.blob_len);
        let symbol = file.symbol_by_name(ASSETS_SYMBOL).unwrap();
        assert!(symbol.is_global() && symbol.size() == e.blob_len);
        assert!(file.section_by_name(".note.GNU-stack").is_some());
        let blob = Blob::new(data).unwrap();
        let sub = blob.lookup(blob.root(0), b"sub").unwrap();
        let n = blob.node(blob.lookup(sub, b"big").unwrap());
        assert_eq!(blob.contents(&n), &big[..]);
        let n = blob.node(blob.lookup(blob.root(0), b"a").unwrap());
        assert_eq!(blob.contents(&n), b"alpha");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_an_error() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("d");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a"), b"alpha").unwrap();
        let e = embedded(&dir);
        let out = t.path().join("assets.o");
        std::fs::write(dir.join("a"), b"longer now").unwrap();
        let err = write_assets(&e, &out).unwrap_err().to_string();
        assert!(err.contains("changed while the program was built"), "{err}");
        // A link put in its place is not followed.
        std::fs::remove_file(dir.join("a")).unwrap();
        std::fs::write(t.path().join("secret"), b"12345").unwrap();
        std::os::unix::fs::symlink(t.path().join("secret"), dir.join("a")).unwrap();
        let err = write_assets(&e, &out).unwrap_err().to_string();
        assert!(err.contains("cannot read it"), "{err}");
    }
}
