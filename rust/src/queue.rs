//! `MessageQueue` bookkeeping. The shim holds the queued objects in FIFO
//! order; the core decides when a send or receive may happen.

use crate::list::List;

#[repr(C)]
#[derive(Debug)]
pub struct QueueCore {
    pub len: usize,
    pub capacity: usize,
    /// Registered send and receive conditions.
    pub waiters: List,
}

impl QueueCore {
    pub const fn new(capacity: usize) -> Self {
        QueueCore { len: 0, capacity, waiters: List::new() }
    }

    pub fn can_send(&self) -> bool {
        self.len < self.capacity
    }

    pub fn can_recv(&self) -> bool {
        self.len > 0
    }
}
