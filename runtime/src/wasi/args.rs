//! `args_*` and `environ_*`: both hand out a list of NUL-terminated
//! strings as a pointer array plus one packed string buffer.

use super::errno::{Errno, WasiResult};
use super::guest::GuestMem;
use super::{HostBytes, WasiCtx};

/// `(count, total bytes including NULs)` of a string list.
fn sizes(list: &[HostBytes]) -> WasiResult<(u32, u32)> {
    let count = u32::try_from(list.len()).map_err(|_| Errno::OVERFLOW)?;
    let bytes: usize = list.iter().map(|s| s.len() + 1).sum();
    let bytes = u32::try_from(bytes).map_err(|_| Errno::OVERFLOW)?;
    Ok((count, bytes))
}

fn write_sizes(
    mem: &GuestMem,
    list: &[HostBytes],
    count_ptr: u32,
    size_ptr: u32,
) -> WasiResult<()> {
    let (count, bytes) = sizes(list)?;
    mem.check_out(count_ptr, 4)?;
    mem.check_out(size_ptr, 4)?;
    mem.write_u32(count_ptr, count)?;
    mem.write_u32(size_ptr, bytes)
}

/// Write the strings packed at `buf` and their addresses at `ptrs`. Both
/// areas are checked whole before anything is written.
fn write_list(mem: &GuestMem, list: &[HostBytes], ptrs: u32, buf: u32) -> WasiResult<()> {
    let (count, bytes) = sizes(list)?;
    mem.check_out(ptrs, u64::from(count) * 4)?;
    mem.check_out(buf, u64::from(bytes))?;
    // Offsets stay below `bytes`, so `buf + off` cannot overflow (see
    // GuestMem::ptr).
    let mut off = 0u32;
    for (i, s) in list.iter().enumerate() {
        let at = buf + off;
        mem.write_u32(ptrs + 4 * i as u32, at)?;
        mem.write(at, s)?;
        mem.write_u8(at + s.len() as u32, 0)?;
        off += s.len() as u32 + 1;
    }
    Ok(())
}

impl WasiCtx {
    pub fn args_sizes_get(&mut self, mem: &GuestMem, argc: u32, buf_size: u32) -> WasiResult<()> {
        write_sizes(mem, &self.args, argc, buf_size)
    }

    pub fn args_get(&mut self, mem: &GuestMem, argv: u32, argv_buf: u32) -> WasiResult<()> {
        write_list(mem, &self.args, argv, argv_buf)
    }

    pub fn environ_sizes_get(
        &mut self,
        mem: &GuestMem,
        count: u32,
        buf_size: u32,
    ) -> WasiResult<()> {
        write_sizes(mem, &self.env, count, buf_size)
    }

    pub fn environ_get(
        &mut self,
        mem: &GuestMem,
        environ: u32,
        environ_buf: u32,
    ) -> WasiResult<()> {
        write_list(mem, &self.env, environ, environ_buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::Env;

    #[test]
    fn args_and_env() {
        let mut env = Env::new();
        env.ctx.args = vec![b"prog"[..].into(), b""[..].into(), b"x y"[..].into()];
        env.ctx.env = vec![b"A=1"[..].into()];
        env.with(|c, m| c.args_sizes_get(m, 0, 4)).unwrap();
        assert_eq!((env.u32_at(0), env.u32_at(4)), (3, 5 + 1 + 4));
        env.with(|c, m| c.args_get(m, 100, 200)).unwrap();
        assert_eq!(env.u32_at(100), 200);
        assert_eq!(env.u32_at(104), 205);
        assert_eq!(env.u32_at(108), 206);
        assert_eq!(&env.buf[200..210], b"prog\0\0x y\0");

        env.with(|c, m| c.environ_sizes_get(m, 0, 4)).unwrap();
        assert_eq!((env.u32_at(0), env.u32_at(4)), (1, 4));
        env.with(|c, m| c.environ_get(m, 300, 400)).unwrap();
        assert_eq!(env.u32_at(300), 400);
        assert_eq!(&env.buf[400..404], b"A=1\0");
    }

    #[test]
    fn out_of_bounds_writes_nothing() {
        let mut env = Env::new();
        env.ctx.args = vec![b"prog"[..].into()];
        // The string buffer would end one byte past the memory.
        let end = env.buf.len() as u32;
        assert_eq!(
            env.with(|c, m| c.args_get(m, 0, end - 4)),
            Err(Errno::FAULT)
        );
        assert_eq!(env.u32_at(0), 0);
        assert_eq!(
            env.with(|c, m| c.args_sizes_get(m, 0, end)),
            Err(Errno::FAULT)
        );
        assert_eq!(env.u32_at(0), 0);
    }

    #[test]
    fn empty_lists() {
        let mut env = Env::new();
        env.buf[0] = 0xff;
        env.with(|c, m| c.environ_sizes_get(m, 0, 4)).unwrap();
        assert_eq!((env.u32_at(0), env.u32_at(4)), (0, 0));
        env.with(|c, m| c.environ_get(m, 0, 0)).unwrap();
    }
}
