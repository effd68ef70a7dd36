//! `wasi:random`: random, insecure and insecure-seed, all from the
//! kernel's CSPRNG (getrandom(2)); the insecure ones need nothing weaker.

use super::{Call, Lowered};
use wasmlink_abi::Trap;

/// Fill `buf` from getrandom(2).
pub fn fill_random(buf: &mut [u8]) {
    let mut done = 0;
    while done < buf.len() {
        // SAFETY: writes at most `buf.len() - done` bytes into the rest
        // of `buf`, a live host buffer.
        let n = unsafe { libc::getrandom(buf[done..].as_mut_ptr().cast(), buf.len() - done, 0) };
        if n > 0 {
            done += n as usize;
        }
        // EINTR: try again; getrandom cannot fail otherwise once the
        // pool is initialised (it blocks until then).
    }
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    fill_random(&mut b);
    u64::from_le_bytes(b)
}

/// `list<u8>` of `len` random bytes at `ret`. A length that could never
/// fit a 32-bit memory traps before anything is allocated.
fn random_bytes(c: &mut Call, len: i64, ret: i32) -> Lowered<()> {
    let len = u32::try_from(len as u64).map_err(|_| Trap::MemoryOutOfBounds)?;
    let ptr = c.alloc(1, len)?;
    let mut buf = vec![0u8; len as usize];
    fill_random(&mut buf);
    c.store(ptr, &buf)?;
    c.store_u32(ret as u32, ptr)?;
    c.store_u32(ret as u32 + 4, len)
}

pub fn random_random_get_random_bytes(c: &mut Call, len: i64, ret: i32) -> Lowered<()> {
    random_bytes(c, len, ret)
}

pub fn random_random_get_random_u64(_c: &mut Call) -> Lowered<i64> {
    Ok(random_u64() as i64)
}

pub fn random_insecure_get_insecure_random_bytes(c: &mut Call, len: i64, ret: i32) -> Lowered<()> {
    random_bytes(c, len, ret)
}

pub fn random_insecure_get_insecure_random_u64(_c: &mut Call) -> Lowered<i64> {
    Ok(random_u64() as i64)
}

pub fn random_insecure_seed_insecure_seed(c: &mut Call, ret: i32) -> Lowered<()> {
    c.store_u64(ret as u32, random_u64())?;
    c.store_u64(ret as u32 + 8, random_u64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::WasiCtx;
    use crate::wasi2::call::testing::Guest;
    use wasmlink_abi::StringEncoding;

    #[test]
    fn bytes_and_numbers() {
        let mut g = Guest::new(WasiCtx::default(), StringEncoding::Utf8);
        g.call(|c| random_random_get_random_bytes(c, 64, 100))
            .unwrap();
        let bytes = g.list_at(100).to_vec();
        assert_eq!(bytes.len(), 64);
        assert!(bytes.iter().any(|&b| b != 0));
        assert_eq!(
            g.call(|c| random_random_get_random_bytes(c, 1 << 40, 100)),
            Err(Trap::MemoryOutOfBounds)
        );
        let a = g.call(random_random_get_random_u64).unwrap();
        let b = g.call(random_insecure_get_insecure_random_u64).unwrap();
        assert_ne!(a, b);
        g.call(|c| random_insecure_seed_insecure_seed(c, 200))
            .unwrap();
        assert_ne!(g.u64_at(200), g.u64_at(208));
    }
}
