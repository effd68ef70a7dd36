//! One lowered call: the caller's options (memory, `realloc`, string
//! encoding, handle table) and the canonical ABI's loads and stores in the
//! caller's memory.
//!
//! Every access is checked against the memory's current length and traps
//! ([`Trap::MemoryOutOfBounds`]) outside it; the memory is looked at
//! afresh after every `realloc` (which may grow it). Results that need
//! memory — lists, strings — are allocated with the caller's `realloc`
//! (`realloc(0, 0, align, size)`, as the canonical ABI does, even for an
//! empty list) and the pointer it returns is checked like any other.

use super::handles::HandleTable;
use super::resources::Resource;
use crate::wasi::guest::GuestMem;
use crate::wasi::WasiCtx;
use alloc::string::String;
use alloc::vec::Vec;
use wasmlink_abi::{LowerContext, StringEncoding, Trap};

/// The outcome of a lowered call: its result, or the trap it ends in.
pub type Lowered<T> = Result<T, Trap>;

/// A call in progress.
pub struct Call<'a> {
    cx: *mut LowerContext,
    /// The program's WASI state (shared with preview 1).
    pub ctx: &'a mut WasiCtx,
    instance: u32,
    encoding: Option<StringEncoding>,
}

/// The high bit of a `latin1+utf16` string length: the string is UTF-16.
const UTF16_TAG: u32 = 1 << 31;

impl<'a> Call<'a> {
    /// # Safety
    /// `cx` points to a live `LowerContext` whose memory and realloc
    /// pointers are null or valid (the compiler emits them so).
    pub unsafe fn new(cx: *mut LowerContext, ctx: &'a mut WasiCtx) -> Call<'a> {
        // SAFETY: `cx` is live (this function's contract).
        let c = unsafe { &*cx };
        Call {
            cx,
            ctx,
            instance: c.component_instance,
            encoding: StringEncoding::from_code(c.string_encoding),
        }
    }

    /// The number of the caller's handle table.
    pub fn instance(&self) -> u32 {
        self.instance
    }

    /// The caller's handle table.
    pub fn table(&mut self) -> &mut HandleTable {
        self.ctx.p2.table(self.instance)
    }

    /// Add `r` to the caller's handle table.
    pub fn own(&mut self, r: Resource) -> Lowered<u32> {
        self.table().insert(r, None)
    }

    /// The caller's memory as it is now.
    fn mem(&self) -> GuestMem {
        // SAFETY: `cx` is live and its `memory` null or a live `VMMemory`
        // (`Call::new`'s contract).
        unsafe { GuestMem::from_vm((*self.cx).memory) }
    }

    /// Copy `len` bytes at `ptr` out of the caller's memory.
    pub fn load_bytes(&self, ptr: i32, len: i32) -> Lowered<Vec<u8>> {
        self.mem()
            .read(ptr as u32, len as u32)
            .map_err(|_| Trap::MemoryOutOfBounds)
    }

    /// Store `data` at `ptr`.
    pub fn store(&self, ptr: u32, data: &[u8]) -> Lowered<()> {
        self.mem()
            .write(ptr, data)
            .map_err(|_| Trap::MemoryOutOfBounds)
    }

    pub fn store_u8(&self, ptr: u32, v: u8) -> Lowered<()> {
        self.store(ptr, &[v])
    }

    pub fn store_u16(&self, ptr: u32, v: u16) -> Lowered<()> {
        self.store(ptr, &v.to_le_bytes())
    }

    pub fn store_u32(&self, ptr: u32, v: u32) -> Lowered<()> {
        self.store(ptr, &v.to_le_bytes())
    }

    pub fn store_u64(&self, ptr: u32, v: u64) -> Lowered<()> {
        self.store(ptr, &v.to_le_bytes())
    }

    /// Load a `u32` at `ptr` (list elements of a `list<borrow<…>>`).
    pub fn load_u32(&self, ptr: u32) -> Lowered<u32> {
        self.mem()
            .read_u32(ptr)
            .map_err(|_| Trap::MemoryOutOfBounds)
    }

    /// Allocate `size` bytes aligned to `align` with the caller's
    /// `realloc`, and check what it returned.
    pub fn alloc(&mut self, align: u32, size: u32) -> Lowered<u32> {
        // SAFETY: `cx` is live (`Call::new`'s contract).
        let (realloc, vmctx) = unsafe { ((*self.cx).realloc, (*self.cx).realloc_vmctx) };
        // Results that need memory cannot be returned without one.
        let realloc = realloc.ok_or(Trap::InvalidArgument)?;
        // The collector cannot see the generated frames below this call
        // (see `crate::gc::NoCollect`).
        let no_gc = crate::gc::NoCollect::enter();
        // SAFETY: the trampoline and vmctx come from the caller's options
        // as the compiler emitted them: a C-convention call of the wasm
        // `realloc` with the vmctx of the instance defining it. The guest
        // code it runs cannot re-enter this state (dispatch refuses
        // nested calls).
        let ptr = unsafe { realloc(vmctx, 0, 0, align, size) };
        drop(no_gc);
        if align > 1 && !ptr.is_multiple_of(align) {
            return Err(Trap::MemoryOutOfBounds);
        }
        self.mem()
            .ptr(ptr, u64::from(size))
            .map_err(|_| Trap::MemoryOutOfBounds)?;
        Ok(ptr)
    }

    /// Store `data` as a `list<u8>`: its (pointer, length).
    pub fn store_list_u8(&mut self, data: &[u8]) -> Lowered<(u32, u32)> {
        let len = u32::try_from(data.len()).map_err(|_| Trap::MemoryOutOfBounds)?;
        let ptr = self.alloc(1, len)?;
        self.store(ptr, data)?;
        Ok((ptr, len))
    }

    /// Store a list of `n` elements of `size` bytes aligned to `align`;
    /// `fill(call, element address, index)` writes each.
    pub fn store_list(
        &mut self,
        n: usize,
        size: u32,
        align: u32,
        mut fill: impl FnMut(&mut Call, u32, usize) -> Lowered<()>,
    ) -> Lowered<(u32, u32)> {
        let count = u32::try_from(n).map_err(|_| Trap::MemoryOutOfBounds)?;
        let bytes = count.checked_mul(size).ok_or(Trap::MemoryOutOfBounds)?;
        let ptr = self.alloc(align, bytes)?;
        for i in 0..n {
            fill(self, ptr + i as u32 * size, i)?;
        }
        Ok((ptr, count))
    }

    fn encoding(&self) -> Lowered<StringEncoding> {
        self.encoding.ok_or(Trap::InvalidArgument)
    }

    /// Load a string argument and return it as UTF-8.
    pub fn load_string(&self, ptr: i32, len: i32) -> Lowered<String> {
        let (ptr, len) = (ptr as u32, len as u32);
        match self.encoding()? {
            StringEncoding::Utf8 => {
                let bytes = self.load_bytes(ptr as i32, len as i32)?;
                String::from_utf8(bytes).map_err(|_| Trap::InvalidString)
            }
            StringEncoding::Utf16 => self.load_utf16(ptr, len),
            StringEncoding::CompactUtf16 if len & UTF16_TAG != 0 => {
                self.load_utf16(ptr, len & !UTF16_TAG)
            }
            StringEncoding::CompactUtf16 => {
                let bytes = self.load_bytes(ptr as i32, len as i32)?;
                Ok(bytes.iter().map(|&b| char::from(b)).collect())
            }
        }
    }

    fn load_utf16(&self, ptr: u32, units: u32) -> Lowered<String> {
        if !ptr.is_multiple_of(2) {
            return Err(Trap::MemoryOutOfBounds);
        }
        let size = units.checked_mul(2).ok_or(Trap::MemoryOutOfBounds)?;
        let bytes = self.load_bytes(ptr as i32, size as i32)?;
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).map_err(|_| Trap::InvalidString)
    }

    /// Store `s` as a string result in the caller's encoding: its
    /// (pointer, length) as the canonical ABI gives them.
    pub fn store_string(&mut self, s: &str) -> Lowered<(u32, u32)> {
        match self.encoding()? {
            StringEncoding::Utf8 => self.store_list_u8(s.as_bytes()),
            StringEncoding::Utf16 => self.store_utf16(s, 0),
            StringEncoding::CompactUtf16 => {
                if s.chars().all(|c| u32::from(c) <= 0xff) {
                    let latin1: Vec<u8> = s.chars().map(|c| c as u8).collect();
                    let len = u32::try_from(latin1.len()).map_err(|_| Trap::MemoryOutOfBounds)?;
                    let ptr = self.alloc(2, len)?;
                    self.store(ptr, &latin1)?;
                    Ok((ptr, len))
                } else {
                    self.store_utf16(s, UTF16_TAG)
                }
            }
        }
    }

    fn store_utf16(&mut self, s: &str, tag: u32) -> Lowered<(u32, u32)> {
        let bytes: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let units = u32::try_from(bytes.len() / 2).map_err(|_| Trap::MemoryOutOfBounds)?;
        let ptr = self.alloc(2, units * 2)?;
        self.store(ptr, &bytes)?;
        Ok((ptr, units | tag))
    }

    /// Store bytes that are a string to the guest (host paths, names): as
    /// UTF-8 text, invalid sequences replaced.
    pub fn store_string_bytes(&mut self, b: &[u8]) -> Lowered<(u32, u32)> {
        self.store_string(&String::from_utf8_lossy(b))
    }
}

#[cfg(test)]
pub mod testing {
    //! A call over a host buffer with a bump allocator as `realloc`.

    use super::*;
    use wasmlink_abi::VMMemory;

    /// Guest memory, a context pointing at it, and a WASI state.
    pub struct Guest {
        pub buf: Box<[u8]>,
        pub vm: Box<VMMemory>,
        pub cx: Box<LowerContext>,
        pub ctx: WasiCtx,
    }

    /// `realloc` for tests: allocates upwards from 32 KiB in the buffer
    /// whose `VMMemory` is the vmctx; the next free address is kept in the
    /// buffer's last 4 bytes (tests allocate far less than that).
    unsafe extern "C" fn bump(vmctx: *mut u8, _old: u32, _size: u32, align: u32, size: u32) -> u32 {
        // SAFETY: tests pass their `VMMemory` as the vmctx, whose base
        // and length describe a live buffer of at least 4 bytes.
        unsafe {
            let vm = &*(vmctx as *const VMMemory);
            let top = vm.base.add(vm.length as usize - 4).cast::<u32>();
            let mut next = top.read_unaligned().max(32768);
            next = next.next_multiple_of(align.max(1));
            top.write_unaligned(next + size);
            next
        }
    }

    impl Guest {
        pub fn new(ctx: WasiCtx, encoding: StringEncoding) -> Guest {
            let mut buf = vec![0u8; 65536].into_boxed_slice();
            let mut vm = Box::new(VMMemory {
                base: buf.as_mut_ptr(),
                length: buf.len() as u64,
                max_pages: 1,
                flags: 0,
            });
            let vm_ptr: *mut VMMemory = &mut *vm;
            let cx = Box::new(LowerContext {
                stack_limit: std::ptr::null(),
                memory: vm_ptr,
                realloc: Some(bump),
                realloc_vmctx: vm_ptr.cast(),
                string_encoding: encoding as u32,
                component_instance: 0,
                trap: 0,
                reserved: 0,
                flags: std::ptr::null(),
            });
            Guest { buf, vm, cx, ctx }
        }

        /// Run `f` as a lowered call.
        pub fn call<R>(&mut self, f: impl FnOnce(&mut Call) -> R) -> R {
            let cx: *mut LowerContext = &mut *self.cx;
            // SAFETY: the context and the memory it points at live in
            // `self` for the call.
            let mut call = unsafe { Call::new(cx, &mut self.ctx) };
            f(&mut call)
        }

        pub fn bytes(&self, at: u32, len: u32) -> &[u8] {
            &self.buf[at as usize..(at + len) as usize]
        }

        pub fn u32_at(&self, at: u32) -> u32 {
            u32::from_le_bytes(self.bytes(at, 4).try_into().unwrap())
        }

        pub fn u64_at(&self, at: u32) -> u64 {
            u64::from_le_bytes(self.bytes(at, 8).try_into().unwrap())
        }

        pub fn put(&mut self, at: u32, data: &[u8]) -> (i32, i32) {
            self.buf[at as usize..at as usize + data.len()].copy_from_slice(data);
            (at as i32, data.len() as i32)
        }

        /// The (ptr, len) list or string stored at `at`.
        pub fn list_at(&self, at: u32) -> &[u8] {
            let (p, n) = (self.u32_at(at), self.u32_at(at + 4));
            self.bytes(p, n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::Guest;
    use super::*;

    fn guest(e: StringEncoding) -> Guest {
        Guest::new(WasiCtx::default(), e)
    }

    #[test]
    fn strings_in_every_encoding() {
        let mut g = guest(StringEncoding::Utf8);
        let (p, l) = g.put(100, "héllo".as_bytes());
        assert_eq!(g.call(|c| c.load_string(p, l)), Ok("héllo".to_string()));
        let (p, l) = g.put(200, &[0xff, 0xfe]);
        assert_eq!(g.call(|c| c.load_string(p, l)), Err(Trap::InvalidString));
        assert_eq!(
            g.call(|c| c.load_string(65530, 100)),
            Err(Trap::MemoryOutOfBounds)
        );

        let mut g = guest(StringEncoding::Utf16);
        let units: Vec<u8> = "hé€".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (p, _) = g.put(100, &units);
        assert_eq!(g.call(|c| c.load_string(p, 3)), Ok("hé€".to_string()));
        let (ptr, len) = g.call(|c| c.store_string("a€")).unwrap();
        assert_eq!(len, 2);
        assert_eq!(g.bytes(ptr, 4), &[b'a', 0, 0xac, 0x20]);
        // A lone surrogate is not a string.
        let (p, _) = g.put(300, &[0x00, 0xd8]);
        assert_eq!(g.call(|c| c.load_string(p, 1)), Err(Trap::InvalidString));

        let mut g = guest(StringEncoding::CompactUtf16);
        let (p, _) = g.put(100, &[b'h', 0xe9]);
        assert_eq!(g.call(|c| c.load_string(p, 2)), Ok("hé".to_string()));
        let (p, _) = g.put(200, &units);
        assert_eq!(
            g.call(|c| c.load_string(p, 3 | UTF16_TAG as i32)),
            Ok("hé€".to_string())
        );
        let (ptr, len) = g.call(|c| c.store_string("hé")).unwrap();
        assert_eq!((g.bytes(ptr, 2), len), (&[b'h', 0xe9][..], 2));
        let (_, len) = g.call(|c| c.store_string("€")).unwrap();
        assert_eq!(len, 1 | UTF16_TAG);
    }

    #[test]
    fn lists_go_through_realloc_and_are_checked() {
        let mut g = guest(StringEncoding::Utf8);
        let (p, n) = g.call(|c| c.store_list_u8(b"abc")).unwrap();
        assert_eq!(g.bytes(p, n), b"abc");
        let (p2, n2) = g
            .call(|c| c.store_list(3, 8, 4, |c, at, i| c.store_u32(at, i as u32 * 10)))
            .unwrap();
        assert_eq!((p2 % 4, n2), (0, 3));
        assert_eq!(g.u32_at(p2 + 16), 20);
        // A list larger than memory: realloc's answer is out of bounds.
        assert_eq!(
            g.call(|c| c.store_list(1 << 20, 16, 4, |_, _, _| Ok(()))),
            Err(Trap::MemoryOutOfBounds)
        );
        // No realloc: results that need memory trap.
        g.cx.realloc = None;
        assert_eq!(
            g.call(|c| c.store_list_u8(b"x")),
            Err(Trap::InvalidArgument)
        );
    }
}
