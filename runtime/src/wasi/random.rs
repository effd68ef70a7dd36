//! `random_get`: the kernel's CSPRNG via getrandom(2).

use super::errno::{Errno, WasiResult};
use super::guest::GuestMem;
use super::WasiCtx;

impl WasiCtx {
    pub fn random_get(&mut self, mem: &GuestMem, buf: u32, len: u32) -> WasiResult<()> {
        let p = mem.ptr(buf, u64::from(len))?;
        let mut done = 0usize;
        while done < len as usize {
            // SAFETY: `ptr` checked `[p, p + len)` against guest memory
            // (module docs of `wasi`), and `done < len`: getrandom writes
            // at most the rest of that region.
            let n = unsafe { libc::getrandom(p.add(done).cast(), len as usize - done, 0) };
            if n < 0 {
                match crate::sys::errno() {
                    libc::EINTR => continue,
                    e => return Err(Errno::from_host(e)),
                }
            }
            done += n as usize;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::Env;

    #[test]
    fn fills_the_buffer() {
        let mut env = Env::new();
        env.with(|c, m| c.random_get(m, 16, 1024)).unwrap();
        assert!(env.buf[16..1040].iter().any(|&b| b != 0));
        assert!(env.buf[..16].iter().all(|&b| b == 0));
        assert!(env.buf[1040..].iter().all(|&b| b == 0));
        env.with(|c, m| c.random_get(m, 65536, 0)).unwrap();
        assert_eq!(
            env.with(|c, m| c.random_get(m, 65535, 2)),
            Err(Errno::FAULT)
        );
    }
}
