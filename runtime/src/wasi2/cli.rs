//! `wasi:cli`: environment (the same arguments and variables preview 1
//! sees), exit, stdin/stdout/stderr as streams over the host's descriptors
//! 0–2, and the terminal interfaces (a terminal resource when the host
//! descriptor is a terminal, as wasmtime reports it).

use super::resources::{InputStream, OutputStream, Resource};
use super::{Call, Lowered};
use crate::wasi::proc::proc_exit;

pub fn cli_environment_get_environment(c: &mut Call, ret: i32) -> Lowered<()> {
    let env = c.ctx.env.clone();
    let (p, n) = c.store_list(env.len(), 16, 4, |c, at, i| {
        let entry = &env[i];
        let eq = entry.iter().position(|&b| b == b'=').unwrap_or(entry.len());
        let value = entry.get(eq + 1..).unwrap_or_default();
        let (kp, kn) = c.store_string_bytes(&entry[..eq])?;
        let (vp, vn) = c.store_string_bytes(value)?;
        c.store_u32(at, kp)?;
        c.store_u32(at + 4, kn)?;
        c.store_u32(at + 8, vp)?;
        c.store_u32(at + 12, vn)
    })?;
    c.store_u32(ret as u32, p)?;
    c.store_u32(ret as u32 + 4, n)
}

pub fn cli_environment_get_arguments(c: &mut Call, ret: i32) -> Lowered<()> {
    let args = c.ctx.args.clone();
    let (p, n) = c.store_list(args.len(), 8, 4, |c, at, i| {
        let (sp, sn) = c.store_string_bytes(&args[i])?;
        c.store_u32(at, sp)?;
        c.store_u32(at + 4, sn)
    })?;
    c.store_u32(ret as u32, p)?;
    c.store_u32(ret as u32 + 4, n)
}

/// `option<string>`: none, as wasmtime (no initial directory is set).
pub fn cli_environment_initial_cwd(c: &mut Call, ret: i32) -> Lowered<()> {
    c.store_u8(ret as u32, 0)
}

/// `exit(result)`: status 0 for `ok`, 1 for `err`.
pub fn cli_exit_exit(_c: &mut Call, status: i32) -> Lowered<()> {
    proc_exit(u32::from(status != 0))
}

/// `exit-with-code(u8)`: that status.
pub fn cli_exit_exit_with_code(_c: &mut Call, status_code: i32) -> Lowered<()> {
    proc_exit(u32::from(status_code as u8))
}

pub fn cli_stdin_get_stdin(c: &mut Call) -> Lowered<i32> {
    c.own(Resource::InputStream(InputStream::Stdin))
        .map(|h| h as i32)
}

pub fn cli_stdout_get_stdout(c: &mut Call) -> Lowered<i32> {
    c.own(Resource::OutputStream(OutputStream::Stdio(1)))
        .map(|h| h as i32)
}

pub fn cli_stderr_get_stderr(c: &mut Call) -> Lowered<i32> {
    c.own(Resource::OutputStream(OutputStream::Stdio(2)))
        .map(|h| h as i32)
}

fn is_terminal(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor number.
    unsafe { libc::isatty(fd) == 1 }
}

/// `option<own<terminal-…>>` at `ret` for host descriptor `fd`.
fn terminal(c: &mut Call, fd: i32, r: Resource, ret: i32) -> Lowered<()> {
    if !is_terminal(fd) {
        return c.store_u8(ret as u32, 0);
    }
    let h = c.own(r)?;
    c.store_u8(ret as u32, 1)?;
    c.store_u32(ret as u32 + 4, h)
}

pub fn cli_terminal_stdin_get_terminal_stdin(c: &mut Call, ret: i32) -> Lowered<()> {
    terminal(c, 0, Resource::TerminalInput, ret)
}

pub fn cli_terminal_stdout_get_terminal_stdout(c: &mut Call, ret: i32) -> Lowered<()> {
    terminal(c, 1, Resource::TerminalOutput, ret)
}

pub fn cli_terminal_stderr_get_terminal_stderr(c: &mut Call, ret: i32) -> Lowered<()> {
    terminal(c, 2, Resource::TerminalOutput, ret)
}

pub fn cli_terminal_input_terminal_input_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table()
        .remove_unit(handle as u32, |r| matches!(r, Resource::TerminalInput))
}

pub fn cli_terminal_output_terminal_output_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table()
        .remove_unit(handle as u32, |r| matches!(r, Resource::TerminalOutput))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::WasiCtx;
    use crate::wasi2::call::testing::Guest;
    use wasmlink_abi::{StringEncoding, Trap};

    #[test]
    fn arguments_and_environment_as_lists_of_strings() {
        let ctx = WasiCtx::new(
            vec![b"prog"[..].into(), b"a b"[..].into()],
            vec![
                b"A=1"[..].into(),
                b"EMPTY="[..].into(),
                b"EQ=x=y"[..].into(),
            ],
            Vec::new(),
        );
        let mut g = Guest::new(ctx, StringEncoding::Utf8);
        g.call(|c| cli_environment_get_arguments(c, 100)).unwrap();
        let (list, n) = (g.u32_at(100), g.u32_at(104));
        assert_eq!(n, 2);
        assert_eq!(g.list_at(list + 8), b"a b");
        g.call(|c| cli_environment_get_environment(c, 100)).unwrap();
        let (list, n) = (g.u32_at(100), g.u32_at(104));
        assert_eq!(n, 3);
        assert_eq!(g.list_at(list + 32), b"EQ");
        assert_eq!(g.list_at(list + 40), b"x=y");
        assert_eq!(g.list_at(list + 24), b"");
        g.call(|c| cli_environment_initial_cwd(c, 100)).unwrap();
        assert_eq!(g.bytes(100, 1), [0]);
    }

    #[test]
    fn stdio_streams_are_fresh_handles() {
        let mut g = Guest::new(WasiCtx::default(), StringEncoding::Utf8);
        let a = g.call(cli_stdout_get_stdout).unwrap();
        let b = g.call(cli_stdout_get_stdout).unwrap();
        assert_ne!(a, b);
        let i = g.call(cli_stdin_get_stdin).unwrap();
        assert!(g.call(|c| c.table().output(i as u32).map(drop)).is_err());
        assert_eq!(
            g.call(|c| cli_terminal_input_terminal_input_drop(c, a)),
            Err(Trap::InvalidResourceHandle)
        );
    }
}
