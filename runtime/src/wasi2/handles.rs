//! Handle tables: the resources of one component instance, numbered by
//! 32-bit handles as the canonical ABI sees them.
//!
//! Handles start at 1 (0 is never valid) and a freed number is reused
//! first, most recently freed first, as in wasmtime. Resources of every
//! type share one numbering. A resource may be the child of another (a
//! pollable of a stream): the parent cannot be dropped while children
//! live ([`Trap::ResourceHasChildren`]), so what the child borrows from
//! it stays valid. A handle that is not in the table, or holds a resource
//! of another type, is [`Trap::InvalidResourceHandle`].

use super::resources::Resource;
use super::Lowered;
use alloc::vec::Vec;
use wasmlink_abi::Trap;

#[derive(Debug)]
struct Entry {
    resource: Resource,
    parent: Option<u32>,
    children: u32,
    /// A WASI resource borrowed from another instance's table for a call.
    lent: Option<Lent>,
}

/// Where a borrowed WASI resource came from (the lender's table and
/// handle, which holds a [`Resource::Lent`] placeholder meanwhile), the
/// call scope of the borrow, and how many borrows of this call share the
/// handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lent {
    pub table: u32,
    pub handle: u32,
    pub scope: usize,
    pub refs: u32,
}

/// The resources of one component instance.
#[derive(Debug, Default)]
pub struct HandleTable {
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    /// Borrowed WASI resources dropped by the borrower, to go back to
    /// their lenders (`crate::wasi2::dispatch_drop` does it).
    returns: Vec<(Lent, Option<Resource>)>,
}

impl HandleTable {
    /// Add `resource`, a child of `parent` if given; returns its handle.
    pub fn insert(&mut self, resource: Resource, parent: Option<u32>) -> Lowered<u32> {
        if let Some(p) = parent {
            self.entry_mut(p)?.children += 1;
        }
        let entry = Entry {
            resource,
            parent,
            children: 0,
            lent: None,
        };
        if let Some(h) = self.free.pop() {
            self.slots[h as usize - 1] = Some(entry);
            return Ok(h);
        }
        self.slots.push(Some(entry));
        // Handles are numbered from 1; u32::MAX resources are far beyond
        // what memory allows.
        u32::try_from(self.slots.len()).map_err(|_| Trap::InvalidResourceHandle)
    }

    fn entry(&self, h: u32) -> Lowered<&Entry> {
        let i = (h as usize)
            .checked_sub(1)
            .ok_or(Trap::InvalidResourceHandle)?;
        self.slots
            .get(i)
            .and_then(Option::as_ref)
            .ok_or(Trap::InvalidResourceHandle)
    }

    fn entry_mut(&mut self, h: u32) -> Lowered<&mut Entry> {
        let i = (h as usize)
            .checked_sub(1)
            .ok_or(Trap::InvalidResourceHandle)?;
        self.slots
            .get_mut(i)
            .and_then(Option::as_mut)
            .ok_or(Trap::InvalidResourceHandle)
    }

    /// The resource behind handle `h`.
    pub fn get(&self, h: u32) -> Lowered<&Resource> {
        self.entry(h).map(|e| &e.resource)
    }

    pub fn get_mut(&mut self, h: u32) -> Lowered<&mut Resource> {
        self.entry_mut(h).map(|e| &mut e.resource)
    }

    /// Add `resource`, borrowed from another table as `lent` says.
    pub fn insert_lent(&mut self, resource: Resource, lent: Lent) -> Lowered<u32> {
        let h = self.insert(resource, None)?;
        self.entry_mut(h)?.lent = Some(lent);
        Ok(h)
    }

    /// Where handle `h` was borrowed from, if it was.
    pub fn lent(&self, h: u32) -> Lowered<Option<Lent>> {
        Ok(self.entry(h)?.lent)
    }

    /// One more borrow of this call shares borrowed handle `h`.
    pub fn add_lent_ref(&mut self, h: u32) -> Lowered<()> {
        match &mut self.entry_mut(h)?.lent {
            Some(l) => {
                l.refs += 1;
                Ok(())
            }
            None => Err(Trap::UnknownHandle),
        }
    }

    /// Put `resource` in place of what handle `h` holds, which is returned.
    pub fn swap(&mut self, h: u32, resource: Resource) -> Lowered<Resource> {
        Ok(core::mem::replace(
            &mut self.entry_mut(h)?.resource,
            resource,
        ))
    }

    /// The borrows dropped since the last call, with the resource to give
    /// back when it was the last borrow of its handle.
    pub fn take_returns(&mut self) -> Vec<(Lent, Option<Resource>)> {
        core::mem::take(&mut self.returns)
    }

    /// Take handle `h` out of the table (a drop, or an `own` parameter):
    /// refused while it has children. A borrowed WASI resource is not
    /// taken: dropping the borrow queues it to go back to its lender
    /// ([`Trap::BorrowEnded`], which a drop treats as done and anything
    /// else as a trap).
    pub fn remove(&mut self, h: u32) -> Lowered<Resource> {
        let e = self.entry(h)?;
        if e.children > 0 {
            return Err(Trap::ResourceHasChildren);
        }
        if let Some(lent) = e.lent {
            if lent.refs > 1 {
                if let Some(l) = &mut self.entry_mut(h)?.lent {
                    l.refs -= 1;
                }
                self.returns.push((lent, None));
                return Err(Trap::BorrowEnded);
            }
            let entry = self.slots[h as usize - 1]
                .take()
                .ok_or(Trap::InvalidResourceHandle)?;
            self.free.push(h);
            self.returns.push((lent, Some(entry.resource)));
            return Err(Trap::BorrowEnded);
        }
        let parent = e.parent;
        let i = h as usize - 1;
        let entry = self.slots[i].take().ok_or(Trap::InvalidResourceHandle)?;
        self.free.push(h);
        if let Some(p) = parent {
            if let Ok(pe) = self.entry_mut(p) {
                pe.children -= 1;
            }
        }
        Ok(entry.resource)
    }

    /// Number of live resources.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi2::resources::{Pollable, Resource};

    fn ready() -> Resource {
        Resource::Pollable(Pollable::Ready)
    }

    #[test]
    fn numbering_reuse_and_bad_handles() {
        let mut t = HandleTable::default();
        assert_eq!(t.insert(ready(), None), Ok(1));
        assert_eq!(t.insert(ready(), None), Ok(2));
        assert_eq!(t.insert(ready(), None), Ok(3));
        t.remove(2).unwrap();
        t.remove(1).unwrap();
        // Most recently freed first.
        assert_eq!(t.insert(ready(), None), Ok(1));
        assert_eq!(t.insert(ready(), None), Ok(2));
        assert_eq!(t.insert(ready(), None), Ok(4));
        for bad in [0, 5, u32::MAX] {
            assert_eq!(t.get(bad).unwrap_err(), Trap::InvalidResourceHandle);
            assert_eq!(t.remove(bad).unwrap_err(), Trap::InvalidResourceHandle);
        }
        t.remove(4).unwrap();
        assert_eq!(t.remove(4).unwrap_err(), Trap::InvalidResourceHandle);
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn parents_outlive_children() {
        let mut t = HandleTable::default();
        let parent = t.insert(ready(), None).unwrap();
        let child = t.insert(ready(), Some(parent)).unwrap();
        let child2 = t.insert(ready(), Some(parent)).unwrap();
        assert_eq!(t.remove(parent).unwrap_err(), Trap::ResourceHasChildren);
        t.remove(child).unwrap();
        assert_eq!(t.remove(parent).unwrap_err(), Trap::ResourceHasChildren);
        t.remove(child2).unwrap();
        t.remove(parent).unwrap();
        assert!(t.is_empty());
        // A child of a handle that does not exist is refused.
        assert_eq!(
            t.insert(ready(), Some(9)).unwrap_err(),
            Trap::InvalidResourceHandle
        );
    }
}
