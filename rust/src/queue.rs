//! `MessageQueue` bookkeeping. The shim holds the queued objects in FIFO
//! order; the core decides when a send or receive may happen.

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCore {
    pub len: usize,
    pub capacity: usize,
}

impl QueueCore {
    pub const fn new(capacity: usize) -> Self {
        QueueCore { len: 0, capacity }
    }

    pub fn can_send(&self) -> bool {
        self.len < self.capacity
    }

    pub fn can_recv(&self) -> bool {
        self.len > 0
    }

    /// The shim appended an item.
    pub fn sent(&mut self) {
        self.len += 1;
    }

    /// The shim removed the oldest item.
    pub fn received(&mut self) {
        self.len = self.len.saturating_sub(1);
    }
}
