//! Mutex and binary-semaphore state, and the FIFO of semaphore requests.
//!
//! Lock owners and requesters are identified by an opaque pointer to their
//! Python `Task` object: the core compares them and never dereferences them.
//! Stored inside the lock's Python object, the pointer also keeps the owner
//! alive for the GC.

use core::ffi::c_void;
use core::ptr;

/// A link in a semaphore's request queue. It lives inside the semaphore-lock
/// [`crate::Condition`] that made the request.
#[repr(C)]
#[derive(Debug)]
pub struct WaitNode {
    prev: *mut WaitNode,
    next: *mut WaitNode,
    pub requester: *const c_void,
    linked: bool,
}

impl WaitNode {
    pub const fn new(requester: *const c_void) -> Self {
        WaitNode { prev: ptr::null_mut(), next: ptr::null_mut(), requester, linked: false }
    }

    pub fn is_linked(&self) -> bool {
        self.linked
    }
}

/// State shared by `Mutex` and `BinarySemaphore`.
///
/// Invariant: every node reachable from `head` is linked, and a linked node is
/// unlinked (by [`LockCore::take`] or [`LockCore::withdraw`]) before its
/// condition object is freed; the shim's finaliser on those objects ensures it.
#[repr(C)]
#[derive(Debug)]
pub struct LockCore {
    /// The owning task, or null when free.
    pub owner: *const c_void,
    head: *mut WaitNode,
    tail: *mut WaitNode,
    /// Requests in the queue.
    pub waiting: usize,
}

impl Default for LockCore {
    fn default() -> Self {
        Self::new()
    }
}

impl LockCore {
    pub const fn new() -> Self {
        LockCore { owner: ptr::null(), head: ptr::null_mut(), tail: ptr::null_mut(), waiting: 0 }
    }

    /// `nb_lock(task)`: free, or already held by `task` (re-entry succeeds).
    pub fn try_lock(&mut self, task: *const c_void) -> bool {
        if self.owner.is_null() || self.owner == task {
            self.owner = task;
            true
        } else {
            false
        }
    }

    /// `unlock()`: frees the lock whoever holds it (no-op when free). Waiters
    /// notice on their next evaluation, as in the original.
    pub fn unlock(&mut self) {
        self.owner = ptr::null();
    }

    /// One evaluation of a `BinarySemaphore.lock(task)` request: the first
    /// evaluation joins the queue; the request is granted when the lock is free
    /// and it is at the head of the queue.
    pub fn poll_request(&mut self, node: &mut WaitNode) -> bool {
        if !node.linked {
            self.enqueue(node);
        }
        if self.owner.is_null() && ptr::eq(self.head, node) {
            self.withdraw(node);
            self.owner = node.requester;
            true
        } else {
            false
        }
    }

    fn enqueue(&mut self, node: &mut WaitNode) {
        node.prev = self.tail;
        node.next = ptr::null_mut();
        node.linked = true;
        let node_ptr: *mut WaitNode = node;
        // SAFETY: `tail`, when set, is a linked node; linked nodes are alive (type invariant).
        match unsafe { self.tail.as_mut() } {
            Some(tail) => tail.next = node_ptr,
            None => self.head = node_ptr,
        }
        self.tail = node_ptr;
        self.waiting += 1;
    }

    /// Removes an abandoned request from the queue at once, so it never blocks
    /// later requesters. Does nothing when `node` is not queued.
    pub fn withdraw(&mut self, node: &mut WaitNode) {
        if !node.linked {
            return;
        }
        // SAFETY: a linked node's neighbours are linked nodes of this queue, alive by the type invariant.
        match unsafe { node.prev.as_mut() } {
            Some(prev) => prev.next = node.next,
            None => self.head = node.next,
        }
        // SAFETY: as above.
        match unsafe { node.next.as_mut() } {
            Some(next) => next.prev = node.prev,
            None => self.tail = node.prev,
        }
        node.prev = ptr::null_mut();
        node.next = ptr::null_mut();
        node.linked = false;
        self.waiting -= 1;
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    fn who(n: usize) -> *const c_void {
        n as *const c_void
    }

    #[test]
    fn mutex_is_reentrant_for_its_owner_only() {
        let mut m = LockCore::new();
        assert!(m.try_lock(who(1)));
        assert!(m.try_lock(who(1)));
        assert!(!m.try_lock(who(2)));
        m.unlock();
        assert!(m.try_lock(who(2)));
    }

    #[test]
    fn semaphore_serves_requests_in_order_and_skips_abandoned_ones() {
        let mut s = LockCore::new();
        assert!(s.try_lock(who(9)));
        let (mut a, mut b, mut c) = (WaitNode::new(who(1)), WaitNode::new(who(2)), WaitNode::new(who(3)));
        assert!(!s.poll_request(&mut a));
        assert!(!s.poll_request(&mut b));
        assert!(!s.poll_request(&mut c));
        assert_eq!(s.waiting, 3);
        s.withdraw(&mut a);
        s.unlock();
        assert!(!s.poll_request(&mut c), "c is behind b");
        assert!(s.poll_request(&mut b));
        assert_eq!(s.owner, who(2));
        s.unlock();
        assert!(s.poll_request(&mut c));
        assert_eq!(s.waiting, 0);
        s.withdraw(&mut c); // not queued any more: no effect
        assert_eq!(s.waiting, 0);
    }
}
