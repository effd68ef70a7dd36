//! The runtime's own lowered functions (`wasmlink_abi::foreach_canon_fn!`),
//! called by generated code rather than by guests:
//!
//! * fused adapters between component instances report what the canonical
//!   ABI forbids through `trap`, so the trap report names the reason and
//!   the adapter function;
//! * resources that components define live in the same per-instance
//!   handle tables as WASI's ([`GuestHandle`]): `resource.new/rep/drop`
//!   (called by small generated wrappers that pass the resource type, and
//!   run the destructor when `drop` says so), and the adapters' handle
//!   transfers with the call scopes that bound borrows.
//!
//! A resource type is a number the build assigns; its high 16 bits are the
//! handle table of the component instance that implements it, so a borrow
//! lent to that instance is its representation, not a handle (as the
//! component model says).

use super::handles::Lent;
use super::resources::{GuestHandle, Resource};
use super::{Call, Lowered};
use alloc::vec::Vec;
use wasmlink_abi::{Trap, WASI2_RESOURCE_OWNER};

/// One call between component instances that lends handles: the borrows
/// it handed to the callee (which must all be dropped when it returns) and
/// the owned handles they were lent from.
#[derive(Debug, Default)]
pub struct CallScope {
    pub borrows: u32,
    lenders: Vec<(u32, u32)>,
}

/// `trap(code)`: always a trap, the one `code` stands for (`unreachable`
/// for a code that stands for none, which generated code never passes).
pub fn canon_trap(_: &mut Call, code: i32) -> Lowered<()> {
    Err(u32::try_from(code)
        .ok()
        .and_then(Trap::from_code)
        .unwrap_or(Trap::Unreachable))
}

/// The handle table of the instance implementing resource type `ty`.
fn owner(ty: u32) -> u32 {
    ty >> 16
}

/// The guest handle `h` of table `table`, of resource type `ty`.
fn guest(c: &mut Call, table: u32, ty: u32, h: u32) -> Lowered<GuestHandle> {
    match c.ctx.p2.table(table).get(h) {
        Ok(Resource::Guest(g)) if g.ty == ty => Ok(*g),
        _ => Err(Trap::UnknownHandle),
    }
}

fn guest_mut<'c>(c: &'c mut Call, table: u32, h: u32) -> Lowered<&'c mut GuestHandle> {
    match c.ctx.p2.table(table).get_mut(h) {
        Ok(Resource::Guest(g)) => Ok(g),
        _ => Err(Trap::UnknownHandle),
    }
}

fn insert(c: &mut Call, table: u32, g: GuestHandle) -> Lowered<i32> {
    let h = c.ctx.p2.table(table).insert(Resource::Guest(g), None)?;
    Ok(h as i32)
}

/// `resource.new`: a new owned handle to `rep` in the caller's table.
pub fn canon_resource_new(c: &mut Call, ty: i32, rep: i32) -> Lowered<i32> {
    let table = c.instance();
    let g = GuestHandle {
        ty: ty as u32,
        rep: rep as u32,
        own: true,
        lends: 0,
        scope: 0,
    };
    insert(c, table, g)
}

/// `resource.rep`: the representation behind a handle of the caller's.
pub fn canon_resource_rep(c: &mut Call, ty: i32, h: i32) -> Lowered<i32> {
    let table = c.instance();
    Ok(guest(c, table, ty as u32, h as u32)?.rep as i32)
}

/// `resource.drop`: take the handle out of the caller's table. For an
/// owned handle the result is `1 << 32 | rep` (the caller then runs the
/// type's destructor, if it has one); a borrowed one ends its part of its
/// call's scope and gives 0. Dropping an owned handle that is lent out
/// traps.
pub fn canon_resource_drop(c: &mut Call, ty: i32, h: i32) -> Lowered<i64> {
    let table = c.instance();
    let g = guest(c, table, ty as u32, h as u32)?;
    if g.own && g.lends > 0 {
        return Err(Trap::HandleStillBorrowed);
    }
    c.ctx.p2.table(table).remove(h as u32)?;
    if g.own {
        return Ok(1 << 32 | i64::from(g.rep));
    }
    if let Some(s) = c.ctx.p2.scopes.get_mut(g.scope) {
        s.borrows = s.borrows.saturating_sub(1);
    }
    Ok(0)
}

/// An `own` handle moves from table `from` to table `to`.
pub fn canon_resource_transfer_own(
    c: &mut Call,
    h: i32,
    ty: i32,
    from: i32,
    to: i32,
) -> Lowered<i32> {
    if owner(ty as u32) == WASI2_RESOURCE_OWNER {
        return host_transfer_own(c, h as u32, ty as u32, from as u32, to as u32);
    }
    let g = guest(c, from as u32, ty as u32, h as u32)?;
    if !g.own {
        return Err(Trap::UnknownHandle);
    }
    if g.lends > 0 {
        return Err(Trap::HandleStillBorrowed);
    }
    c.ctx.p2.table(from as u32).remove(h as u32)?;
    insert(c, to as u32, g)
}

/// A `borrow` of handle `h` of table `from` for the call in progress:
/// the representation itself when `to` implements the type, else a
/// borrowed handle in `to`'s table that the callee must drop before it
/// returns. An owned handle counts the lend until the call ends.
pub fn canon_resource_transfer_borrow(
    c: &mut Call,
    h: i32,
    ty: i32,
    from: i32,
    to: i32,
) -> Lowered<i32> {
    let (h, ty, from, to) = (h as u32, ty as u32, from as u32, to as u32);
    let Some(scope) = c.ctx.p2.scopes.len().checked_sub(1) else {
        // Adapters enter a scope before they lend: a generator bug.
        return Err(Trap::Unreachable);
    };
    if owner(ty) == WASI2_RESOURCE_OWNER {
        return host_transfer_borrow(c, h, ty, from, to, scope);
    }
    let g = guest(c, from, ty, h)?;
    if g.own {
        guest_mut(c, from, h)?.lends += 1;
        c.ctx.p2.scopes[scope].lenders.push((from, h));
    }
    if owner(ty) == to {
        return Ok(g.rep as i32);
    }
    c.ctx.p2.scopes[scope].borrows += 1;
    let b = GuestHandle {
        ty,
        rep: g.rep,
        own: false,
        lends: 0,
        scope,
    };
    insert(c, to, b)
}

/// A call that lends handles begins.
pub fn canon_resource_enter_call(c: &mut Call) -> Lowered<()> {
    c.ctx.p2.scopes.push(CallScope::default());
    Ok(())
}

/// That call has returned: every borrow it handed out must have been
/// dropped; the lends end.
pub fn canon_resource_exit_call(c: &mut Call) -> Lowered<()> {
    let Some(scope) = c.ctx.p2.scopes.pop() else {
        return Err(Trap::Unreachable);
    };
    for (table, h) in scope.lenders {
        if let Ok(g) = guest_mut(c, table, h) {
            g.lends = g.lends.saturating_sub(1);
        }
    }
    if scope.borrows != 0 {
        return Err(Trap::HandleStillBorrowed);
    }
    Ok(())
}

/// Whether handle `h` of table `table` holds the WASI resource type `ty`.
fn check_host(c: &mut Call, table: u32, ty: u32, h: u32) -> Lowered<()> {
    let index = c.ctx.p2.table(table).get(h)?.wasi_index();
    if index == Some(ty & 0xffff) {
        Ok(())
    } else {
        Err(Trap::UnknownHandle)
    }
}

/// An owned WASI resource moves to another instance's table (refused for
/// a borrowed one, and while it has children).
fn host_transfer_own(c: &mut Call, h: u32, ty: u32, from: u32, to: u32) -> Lowered<i32> {
    check_host(c, from, ty, h)?;
    if c.ctx.p2.table(from).lent(h)?.is_some() {
        return Err(Trap::UnknownHandle);
    }
    let r = c.ctx.p2.table(from).remove(h)?;
    Ok(c.ctx.p2.table(to).insert(r, None)? as i32)
}

/// A WASI resource lent to another instance for the call in progress: it
/// moves to the borrower's table (the lender keeps a placeholder) until
/// the borrower drops it; lent twice to the same call, both borrows share
/// the handle.
fn host_transfer_borrow(
    c: &mut Call,
    h: u32,
    ty: u32,
    from: u32,
    to: u32,
    scope: usize,
) -> Lowered<i32> {
    if let Resource::Lent { table, handle } = *c.ctx.p2.table(from).get(h)? {
        if table != to {
            return Err(Trap::UnknownHandle);
        }
        c.ctx.p2.table(to).add_lent_ref(handle)?;
        c.ctx.p2.scopes[scope].borrows += 1;
        return Ok(handle as i32);
    }
    check_host(c, from, ty, h)?;
    let placeholder = Resource::Lent {
        table: to,
        handle: 0,
    };
    let r = c.ctx.p2.table(from).swap(h, placeholder)?;
    let lent = Lent {
        table: from,
        handle: h,
        scope,
        refs: 1,
    };
    let hb = c.ctx.p2.table(to).insert_lent(r, lent)?;
    c.ctx.p2.table(from).swap(
        h,
        Resource::Lent {
            table: to,
            handle: hb,
        },
    )?;
    c.ctx.p2.scopes[scope].borrows += 1;
    Ok(hb as i32)
}

/// Give the WASI resources table `table`'s borrower dropped back to their
/// lenders, ending those borrows.
pub fn give_back(c: &mut Call, table: u32) {
    for (lent, r) in c.ctx.p2.table(table).take_returns() {
        if let Some(r) = r {
            let _ = c.ctx.p2.table(lent.table).swap(lent.handle, r);
        }
        if let Some(s) = c.ctx.p2.scopes.get_mut(lent.scope) {
            s.borrows = s.borrows.saturating_sub(1);
        }
    }
}
