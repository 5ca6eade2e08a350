//! Mutex and binary-semaphore state.
//!
//! Lock owners and requesters are identified by the head pointer of their
//! Python `Task` object: the core compares them and never dereferences them.
//! Stored inside the lock's Python object, the pointer also keeps the owner
//! alive for the GC.

use core::ffi::c_void;
use core::ptr;

use crate::list::List;

/// State shared by `Mutex` and `BinarySemaphore`.
#[repr(C)]
#[derive(Debug)]
pub struct LockCore {
    /// The owning task, or null when free.
    pub owner: *const c_void,
    /// Registered lock conditions. For a semaphore this is its request queue,
    /// in request order; for a mutex, the waiters in no particular order.
    pub waiters: List,
}

impl Default for LockCore {
    fn default() -> Self {
        Self::new()
    }
}

impl LockCore {
    pub const fn new() -> Self {
        LockCore { owner: ptr::null(), waiters: List::new() }
    }

    /// Takes the lock for `task` when it is free or already held by `task` (re-entry succeeds).
    pub fn try_lock(&mut self, task: *const c_void) -> bool {
        if self.owner.is_null() || self.owner == task {
            self.owner = task;
            true
        } else {
            false
        }
    }
}
