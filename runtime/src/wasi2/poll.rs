//! `wasi:io/poll` and `wasi:io/error`: pollables (ready, block, `poll`)
//! and the error resource of streams.
//!
//! A pollable waits for a monotonic-clock deadline or for a host
//! descriptor to become readable or writable (`poll(2)`); files and
//! streams that never block are always ready, as in wasmtime.

use super::clocks::monotonic_now;
use super::resources::{Pollable, Resource};
use super::{Call, Lowered};
use alloc::vec::Vec;
use wasmlink_abi::Trap;

/// Which of `list` are ready, waiting until one is when `block`.
pub fn ready_set(list: &[Pollable], block: bool) -> Vec<usize> {
    loop {
        let now = monotonic_now();
        let mut ready = Vec::new();
        let mut fds: Vec<libc::pollfd> = Vec::new();
        let mut fd_index: Vec<usize> = Vec::new();
        let mut deadline: Option<u64> = None;
        for (i, p) in list.iter().enumerate() {
            match *p {
                Pollable::Ready => ready.push(i),
                Pollable::Deadline(d) if d <= now => ready.push(i),
                Pollable::Deadline(d) => deadline = Some(deadline.map_or(d, |x| x.min(d))),
                Pollable::Fd { fd, events } => {
                    fds.push(libc::pollfd {
                        fd,
                        events,
                        revents: 0,
                    });
                    fd_index.push(i);
                }
            }
        }
        let timeout_ms: libc::c_int = if !ready.is_empty() || !block {
            0
        } else {
            match deadline {
                // Round up, so a deadline is never woken for too early.
                Some(d) => ((d - now).div_ceil(1_000_000)).min(i32::MAX as u64) as libc::c_int,
                None => -1,
            }
        };
        if !fds.is_empty() || timeout_ms != 0 {
            // SAFETY: `fds` is a live array of `fds.len()` pollfds, the
            // only memory poll writes; its descriptors are held open by
            // the pollables' parents.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
            if n > 0 {
                for (k, f) in fds.iter().enumerate() {
                    if f.revents != 0 {
                        ready.push(fd_index[k]);
                    }
                }
            }
        }
        if !ready.is_empty() || !block {
            ready.sort_unstable();
            return ready;
        }
        // Woken by a deadline (checked again above) or a signal.
    }
}

pub fn io_poll_pollable_ready(c: &mut Call, this: i32) -> Lowered<i32> {
    let p = *c.table().pollable(this as u32)?;
    Ok(i32::from(!ready_set(&[p], false).is_empty()))
}

pub fn io_poll_pollable_block(c: &mut Call, this: i32) -> Lowered<()> {
    let p = *c.table().pollable(this as u32)?;
    ready_set(&[p], true);
    Ok(())
}

/// `poll(in: list<borrow<pollable>>) -> list<u32>`: the indices of the
/// ready ones, waiting until there is one. An empty list would wait
/// forever: it traps, as in wasmtime.
pub fn io_poll_poll(c: &mut Call, in_0: i32, in_1: i32, ret: i32) -> Lowered<()> {
    let (ptr, n) = (in_0 as u32, in_1 as u32);
    if n == 0 {
        return Err(Trap::InvalidArgument);
    }
    let mut list = Vec::with_capacity(n as usize);
    for i in 0..n {
        let at = ptr
            .checked_add(i.checked_mul(4).ok_or(Trap::MemoryOutOfBounds)?)
            .ok_or(Trap::MemoryOutOfBounds)?;
        let h = c.load_u32(at)?;
        list.push(*c.table().pollable(h)?);
    }
    let ready = ready_set(&list, true);
    let (p, len) = c.store_list(ready.len(), 4, 4, |c, at, i| {
        c.store_u32(at, ready[i] as u32)
    })?;
    c.store_u32(ret as u32, p)?;
    c.store_u32(ret as u32 + 4, len)
}

pub fn io_poll_pollable_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_pollable(handle as u32).map(drop)
}

pub fn io_error_error_to_debug_string(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let message = c.table().error(this as u32)?.message.clone();
    let (p, len) = c.store_string(&message)?;
    c.store_u32(ret as u32, p)?;
    c.store_u32(ret as u32 + 4, len)
}

pub fn io_error_error_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_error(handle as u32).map(drop)
}

/// Add a pollable for `p`, the child of resource `parent`.
pub fn subscribe(c: &mut Call, parent: u32, p: Pollable) -> Lowered<i32> {
    c.table()
        .insert(Resource::Pollable(p), Some(parent))
        .map(|h| h as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::WasiCtx;
    use crate::wasi2::call::testing::Guest;
    use wasmlink_abi::StringEncoding;

    #[test]
    fn deadlines_and_ready() {
        let now = monotonic_now();
        let list = [
            Pollable::Deadline(now + 20_000_000),
            Pollable::Ready,
            Pollable::Deadline(now),
        ];
        assert_eq!(ready_set(&list, false), vec![1, 2]);
        let start = monotonic_now();
        assert_eq!(ready_set(&list[..1], true), vec![0]);
        assert!(monotonic_now() - start >= 19_000_000);
        assert_eq!(ready_set(&list[..1], false), vec![0]);
    }

    #[test]
    fn poll_returns_indices_and_checks_handles() {
        let mut g = Guest::new(WasiCtx::default(), StringEncoding::Utf8);
        let far = monotonic_now() + 60_000_000_000;
        let (a, b) = g.call(|c| {
            let a = c.own(Resource::Pollable(Pollable::Deadline(far))).unwrap();
            let b = c.own(Resource::Pollable(Pollable::Ready)).unwrap();
            (a, b)
        });
        let mut list = Vec::new();
        for h in [a, b, b] {
            list.extend_from_slice(&h.to_le_bytes());
        }
        let (p, _) = g.put(100, &list);
        g.call(|c| io_poll_poll(c, p, 3, 200)).unwrap();
        assert_eq!(g.u32_at(204), 2);
        let ready = g.bytes(g.u32_at(200), 8).to_vec();
        assert_eq!(ready, [1, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(g.call(|c| io_poll_pollable_ready(c, a as i32)), Ok(0));
        assert_eq!(g.call(|c| io_poll_pollable_ready(c, b as i32)), Ok(1));
        assert_eq!(
            g.call(|c| io_poll_poll(c, p, 0, 200)),
            Err(Trap::InvalidArgument)
        );
        g.put(100, &77u32.to_le_bytes());
        assert_eq!(
            g.call(|c| io_poll_poll(c, p, 1, 200)),
            Err(Trap::InvalidResourceHandle)
        );
        g.call(|c| io_poll_pollable_drop(c, a as i32)).unwrap();
        assert_eq!(
            g.call(|c| io_poll_pollable_drop(c, a as i32)),
            Err(Trap::InvalidResourceHandle)
        );
    }
}
