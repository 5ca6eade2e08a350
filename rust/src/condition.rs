//! The built-in blocking conditions, evaluated natively.
//!
//! Each mirrors one generator of the original pyRTOS and keeps its observable
//! behaviour: a condition's clock starts at its first evaluation (the pass after
//! the task yielded it), and conditions that act (take a lock, move a queue
//! item) act at the evaluation where they become true.

use core::ffi::c_void;

use crate::lock::{LockCore, WaitNode};
use crate::queue::QueueCore;
use crate::task::TaskCore;
use crate::CoreError;

/// A built-in condition. The pointers lead into the Python object the
/// condition acts on; the condition's Python object holds a reference to that
/// object, which keeps it (and so the pointed-to struct) alive and in place.
#[repr(C, u8)]
#[derive(Debug)]
pub enum Condition {
    /// `timeout(seconds)` / `timeout_ns(ns)`: true once `duration_us` has passed
    /// since the first evaluation. `u64::MAX` never expires.
    Timeout { duration_us: u64, deadline_us: u64, started: bool },
    /// `delay(cycles)`: false `remaining` more times, then true.
    Delay { remaining: u64 },
    /// `wait_for_message(task)`: true while the mailbox holds a message.
    Message { task: *mut TaskCore },
    /// `wait_for_notification(task, index, state)`: the first evaluation sets
    /// the slot's state to 0; then true while it equals `state`.
    Notification { task: *mut TaskCore, index: u16, state: i8, started: bool },
    /// `Mutex.lock(task)`: takes the lock when free or already held by `requester`.
    MutexLock { lock: *mut LockCore, requester: *const c_void },
    /// `BinarySemaphore.lock(task)`: a FIFO request, see [`LockCore::poll_request`].
    SemaphoreLock { lock: *mut LockCore, node: WaitNode },
    /// `MessageQueue.send(msg)`.
    QueueSend { queue: *mut QueueCore },
    /// `MessageQueue.recv(out_buffer)`.
    QueueRecv { queue: *mut QueueCore },
}

/// The outcome of one evaluation.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    NotYet,
    True,
    /// True once the shim has moved the item between the queue and the task;
    /// the shim then reports it with [`Condition::transferred`].
    Transfer,
}

fn verdict(ok: bool) -> Verdict {
    if ok {
        Verdict::True
    } else {
        Verdict::NotYet
    }
}

impl Condition {
    /// `timeout(seconds)`, rounded up to whole microseconds so it never fires
    /// early. Negative durations are true at once; NaN is rejected by the shim.
    pub fn timeout_seconds(seconds: f64) -> Condition {
        let us = seconds * 1e6;
        let duration_us = if us.is_nan() || us <= 0.0 {
            0
        } else if us >= u64::MAX as f64 {
            u64::MAX
        } else {
            let whole = us as u64; // truncates toward zero
            whole + u64::from((whole as f64) < us)
        };
        Condition::Timeout { duration_us, deadline_us: 0, started: false }
    }

    /// `timeout_ns(ns)`, rounded up to whole microseconds.
    pub fn timeout_ns(ns: i64) -> Condition {
        let ns = u64::try_from(ns).unwrap_or(0);
        Condition::Timeout { duration_us: ns / 1000 + u64::from(ns % 1000 != 0), deadline_us: 0, started: false }
    }

    pub fn delay(cycles: i64) -> Condition {
        Condition::Delay { remaining: u64::try_from(cycles).unwrap_or(0) }
    }

    /// `wait_for_notification`; the index is checked now so the wait can't fail later.
    pub fn notification(task: &mut TaskCore, index: i64, state: i64) -> Result<Condition, CoreError> {
        task.notification(index)?;
        let state = i8::try_from(state).map_err(|_| CoreError::StateRange)?;
        // `notification` accepted the index, so it is below the u16 slot count.
        let index = index as u16;
        Ok(Condition::Notification { task, index, state, started: false })
    }

    /// One evaluation at time `now_us` (the shim's monotonic microsecond clock).
    pub fn poll(&mut self, now_us: u64) -> Verdict {
        match self {
            Condition::Timeout { duration_us, deadline_us, started } => {
                if !*started {
                    *started = true;
                    *deadline_us = now_us.saturating_add(*duration_us);
                }
                verdict(*duration_us != u64::MAX && now_us >= *deadline_us)
            }
            Condition::Delay { remaining } => match remaining.checked_sub(1) {
                Some(left) => {
                    *remaining = left;
                    Verdict::NotYet
                }
                None => Verdict::True,
            },
            Condition::Message { task } => {
                // SAFETY: `task` points into the Task object this condition references (see the type doc).
                let task = unsafe { &**task };
                verdict(task.mailbox_count > 0)
            }
            Condition::Notification { task, index, state, started } => {
                // SAFETY: as above.
                let task = unsafe { &mut **task };
                // The constructor checked the index against this task's slot count, which never changes.
                let Ok(slot) = task.notification(i64::from(*index)) else { return Verdict::NotYet };
                if !*started {
                    *started = true;
                    slot.state = 0;
                }
                verdict(slot.state == *state)
            }
            Condition::MutexLock { lock, requester } => {
                // SAFETY: `lock` points into the Mutex object this condition references.
                let lock = unsafe { &mut **lock };
                verdict(lock.try_lock(*requester))
            }
            Condition::SemaphoreLock { lock, node } => {
                // SAFETY: `lock` points into the BinarySemaphore object this condition references.
                let lock = unsafe { &mut **lock };
                verdict(lock.poll_request(node))
            }
            Condition::QueueSend { queue } => {
                // SAFETY: `queue` points into the MessageQueue object this condition references.
                let queue = unsafe { &**queue };
                if queue.can_send() {
                    Verdict::Transfer
                } else {
                    Verdict::NotYet
                }
            }
            Condition::QueueRecv { queue } => {
                // SAFETY: as above.
                let queue = unsafe { &**queue };
                if queue.can_recv() {
                    Verdict::Transfer
                } else {
                    Verdict::NotYet
                }
            }
        }
    }

    /// The shim moved the item a [`Verdict::Transfer`] asked for.
    pub fn transferred(&mut self) {
        match self {
            // SAFETY: `queue` points into the MessageQueue object this condition references.
            Condition::QueueSend { queue } => unsafe { &mut **queue }.sent(),
            // SAFETY: as above.
            Condition::QueueRecv { queue } => unsafe { &mut **queue }.received(),
            _ => {}
        }
    }

    /// The task stopped waiting on this condition without it firing (another
    /// condition fired, or the task was suspended, resumed or removed): a
    /// semaphore request leaves the queue at once.
    pub fn release(&mut self) {
        if let Condition::SemaphoreLock { lock, node } = self {
            // SAFETY: `lock` points into the BinarySemaphore object this condition references.
            unsafe { &mut **lock }.withdraw(node);
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::task::Notification;

    #[test]
    fn timeout_clock_starts_at_first_evaluation_and_never_fires_early() {
        let mut c = Condition::timeout_seconds(0.0000015); // 1.5 us -> 2 us
        assert_eq!(c.poll(1000), Verdict::NotYet);
        assert_eq!(c.poll(1001), Verdict::NotYet);
        assert_eq!(c.poll(1002), Verdict::True);
        assert_eq!(Condition::timeout_seconds(0.0).poll(5), Verdict::True);
        assert_eq!(Condition::timeout_seconds(-1.0).poll(5), Verdict::True);
        assert_eq!(Condition::timeout_ns(0).poll(5), Verdict::True);
        let mut ns = Condition::timeout_ns(1001);
        assert_eq!(ns.poll(0), Verdict::NotYet);
        assert_eq!(ns.poll(1), Verdict::NotYet);
        assert_eq!(ns.poll(2), Verdict::True);
        let mut forever = Condition::timeout_seconds(f64::INFINITY);
        assert_eq!(forever.poll(0), Verdict::NotYet);
        assert_eq!(forever.poll(u64::MAX), Verdict::NotYet);
    }

    #[test]
    fn delay_n_is_true_at_the_n_plus_first_evaluation() {
        for n in 0..5 {
            let mut c = Condition::delay(n);
            for _ in 0..n {
                assert_eq!(c.poll(0), Verdict::NotYet);
            }
            assert_eq!(c.poll(0), Verdict::True);
            assert_eq!(c.poll(0), Verdict::True);
        }
        assert_eq!(Condition::delay(-3).poll(0), Verdict::True);
    }

    #[test]
    fn notification_wait_clears_the_slot_first() {
        let mut slots = [Notification { state: 1, value: 0 }; 2];
        let mut t = TaskCore::new(0, slots.as_mut_ptr(), 2, false);
        let mut c = Condition::notification(&mut t, 1, 1).unwrap();
        assert_eq!(c.poll(0), Verdict::NotYet, "state set before the wait is cleared");
        t.notify_set_state(1, 1).unwrap();
        assert_eq!(c.poll(0), Verdict::True);
        let mut zero = Condition::notification(&mut t, 0, 0).unwrap();
        assert_eq!(zero.poll(0), Verdict::True);
        assert_eq!(Condition::notification(&mut t, 2, 1).err(), Some(CoreError::NotificationIndex));
        assert_eq!(Condition::notification(&mut t, 0, 300).err(), Some(CoreError::StateRange));
    }

    #[test]
    fn queue_conditions_ask_for_a_transfer_and_count_it() {
        let mut q = QueueCore::new(1);
        let mut send = Condition::QueueSend { queue: &mut q };
        let mut recv = Condition::QueueRecv { queue: &mut q };
        assert_eq!(recv.poll(0), Verdict::NotYet);
        assert_eq!(send.poll(0), Verdict::Transfer);
        send.transferred();
        assert_eq!(send.poll(0), Verdict::NotYet);
        assert_eq!(recv.poll(0), Verdict::Transfer);
        recv.transferred();
        assert_eq!(q.len, 0);
    }
}
