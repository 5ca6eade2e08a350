//! The built-in blocking conditions.
//!
//! Each mirrors one generator of the original pyRTOS and keeps its observable
//! behaviour: a condition's clock starts at its first evaluation (the pass after
//! the task yielded it), and conditions that act (take a lock, move a queue
//! item) act at the evaluation where they become true. Unlike the original,
//! a false condition is not evaluated again until something it depends on
//! changes: at its first evaluation it registers itself (see
//! [`crate::kernel::Kernel::poll`]) in the kernel's timer lists or in the wait
//! list of the object it watches, and a change there marks its task for
//! evaluation.

use core::ffi::c_void;

use crate::list::Link;
use crate::lock::{LockCore, LockKind};
use crate::queue::QueueCore;
use crate::task::{slot_index, to_state, TaskCore};
use crate::CoreError;

/// A built-in condition, embedded in a Python condition object.
#[repr(C)]
#[derive(Debug)]
pub struct Condition {
    /// Membership in a timer list or in the watched object's wait list.
    pub link: Link,
    /// The task (object head) that registered this condition.
    pub task: *mut c_void,
    pub kind: ConditionKind,
}

/// What a condition waits for. The pointers lead into the Python object it
/// watches; the condition's Python object holds a reference to that object,
/// which keeps it (and so the pointed-to struct) alive and in place.
#[repr(C, u8)]
#[derive(Clone, Copy, Debug)]
pub enum ConditionKind {
    /// `timeout(seconds)` / `timeout_ns(ns)`: true once `duration_us` has passed
    /// since the first evaluation. `u64::MAX` never expires.
    Timeout { duration_us: u64, deadline_us: u64, started: bool },
    /// `delay(cycles)`: false at `cycles` evaluations, then true. The task is
    /// evaluated once per pass while blocked, so that is the pass `due_pass`;
    /// once it stops waiting, `cycles` is again what is left
    /// (`Kernel::release`).
    Delay { cycles: u64, due_pass: u64, started: bool },
    /// `wait_for_message(task)`: true while the mailbox holds a message.
    Message { task: *mut TaskCore },
    /// `wait_for_notification(task, index, state)`: the first evaluation sets
    /// the slot's state to 0; true from the evaluation that finds it equal to
    /// `state` on (`fired` latches, as the original generator does).
    Notification { task: *mut TaskCore, index: u16, state: i8, started: bool, fired: bool },
    /// `Mutex.lock(task)`, `RecursiveMutex.lock(task)`: takes the lock when
    /// free or already held by `requester`. On a priority-inheritance mutex,
    /// each false evaluation lends the requester's priority to the owner.
    MutexLock { lock: *mut LockCore, requester: *const c_void },
    /// `BinarySemaphore.lock(task)`, `CountingSemaphore.lock(task)`: the first
    /// evaluation joins the request queue; granted when the lock's units
    /// ([`LockCore::units`]) cover this request and every live one ahead of it.
    /// `next_pass` is 0 while the scheduler evaluates it; driven by `next()`
    /// from a user condition, it is 1 + the pass of the latest such evaluation
    /// (a user condition is polled every pass, so an older one means the
    /// condition driving it is gone and the request is abandoned).
    SemaphoreLock { lock: *mut LockCore, requester: *const c_void, next_pass: u64 },
    /// `MessageQueue.send(msg)`; true from the evaluation that sent it on (`done`).
    QueueSend { queue: *mut QueueCore, done: bool },
    /// `MessageQueue.recv(out_buffer)`; true from the evaluation that received on (`done`).
    QueueRecv { queue: *mut QueueCore, done: bool },
}

/// The outcome of one evaluation.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// False; the condition is registered and its task will be marked for
    /// evaluation when the outcome may change.
    NotYet,
    /// False, and nothing would tell its task when that changes: evaluate
    /// it again next pass (a semaphore request behind one that `next()`
    /// drives).
    Pending,
    /// False, and not registered for this evaluation: registered for another
    /// task that waits on it too, or driven by `next()` (no task). Evaluate
    /// it again next pass, though the loop may sleep meanwhile, since only
    /// events that end a sleep change it (that task's registration sees them).
    Shared,
    True,
    /// True once the shim has moved the item between the queue and the task;
    /// the shim then reports it with `Kernel::transferred`.
    Transfer,
}

impl Condition {
    fn new(kind: ConditionKind) -> Condition {
        Condition { link: Link::new(), task: core::ptr::null_mut(), kind }
    }

    /// `timeout(seconds)` with the port's `float`, rounded up to whole
    /// microseconds so it never fires early. The `as` casts saturate: negative
    /// durations are true at once, huge ones never. (The shim refuses NaN.)
    pub fn timeout_seconds_f32(seconds: f32) -> Condition {
        let us = seconds * 1e6;
        let whole = us as u64;
        Condition::timeout_us(whole.saturating_add(u64::from((whole as f32) < us)))
    }

    /// The same for ports whose float is a `double`.
    pub fn timeout_seconds_f64(seconds: f64) -> Condition {
        let us = seconds * 1e6;
        let whole = us as u64;
        Condition::timeout_us(whole.saturating_add(u64::from((whole as f64) < us)))
    }

    fn timeout_us(duration_us: u64) -> Condition {
        Condition::new(ConditionKind::Timeout { duration_us, deadline_us: 0, started: false })
    }

    /// `timeout_ns(ns)`, rounded up to whole microseconds.
    // div_ceil divides and multiplies back (40 B more on thumbv6m); from an
    // i64, adding 999 cannot overflow.
    #[allow(clippy::manual_div_ceil)]
    pub fn timeout_ns(ns: i64) -> Condition {
        let ns = u64::try_from(ns).unwrap_or(0);
        Condition::timeout_us((ns + 999) / 1000)
    }

    pub fn delay(cycles: i64) -> Condition {
        let cycles = u64::try_from(cycles).unwrap_or(0);
        Condition::new(ConditionKind::Delay { cycles, due_pass: 0, started: false })
    }

    /// `wait_for_message`, refused now for a task without a mailbox.
    pub fn message(task: &mut TaskCore) -> Result<Condition, CoreError> {
        task.mailbox()?;
        Ok(Condition::new(ConditionKind::Message { task }))
    }

    /// `wait_for_notification`; the index is checked now so the wait can't fail later.
    pub fn notification(task: &mut TaskCore, index: i64, state: i64) -> Result<Condition, CoreError> {
        let index = slot_index(task.notification_count, index)?;
        let state = to_state(state)?;
        Ok(Condition::new(ConditionKind::Notification { task, index, state, started: false, fired: false }))
    }

    /// `lock.lock(task)`: mutexes go to the best waiter, semaphores in request order.
    pub fn lock(lock: &mut LockCore, requester: *const c_void) -> Condition {
        Condition::new(match lock.kind {
            LockKind::Mutex | LockKind::Recursive => ConditionKind::MutexLock { lock, requester },
            LockKind::Binary | LockKind::Counting => ConditionKind::SemaphoreLock { lock, requester, next_pass: 0 },
        })
    }

    pub fn queue_send(queue: &mut QueueCore) -> Condition {
        Condition::new(ConditionKind::QueueSend { queue, done: false })
    }

    pub fn queue_recv(queue: &mut QueueCore) -> Condition {
        Condition::new(ConditionKind::QueueRecv { queue, done: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duration(c: &Condition) -> u64 {
        match c.kind {
            ConditionKind::Timeout { duration_us, .. } => duration_us,
            _ => unreachable!(),
        }
    }

    #[test]
    fn waits_on_a_missing_mailbox_or_notification_are_refused_at_creation() {
        let mut bare = TaskCore::new(1, core::ptr::null_mut(), 0, false);
        assert_eq!(Condition::message(&mut bare).err(), Some(CoreError::NoMailbox));
        assert_eq!(Condition::notification(&mut bare, 0, 1).err(), Some(CoreError::NoNotifications));
        let mut with_mailbox = TaskCore::new(1, core::ptr::null_mut(), 0, true);
        assert!(Condition::message(&mut with_mailbox).is_ok());
    }

    #[test]
    fn timeouts_round_up_to_whole_microseconds() {
        assert_eq!(duration(&Condition::timeout_seconds_f64(0.0000015)), 2);
        assert_eq!(duration(&Condition::timeout_seconds_f64(0.25)), 250_000);
        assert_eq!(duration(&Condition::timeout_seconds_f64(-1.0)), 0);
        assert_eq!(duration(&Condition::timeout_seconds_f64(f64::INFINITY)), u64::MAX);
        assert_eq!(duration(&Condition::timeout_seconds_f32(0.0000015)), 2);
        // In single precision, as the port computes it: 1.1 s is 1,100,000 us.
        assert_eq!(duration(&Condition::timeout_seconds_f32(1.1)), 1_100_000);
        assert_eq!(duration(&Condition::timeout_seconds_f32(0.25)), 250_000);
        assert_eq!(duration(&Condition::timeout_seconds_f32(-1.0)), 0);
        assert_eq!(duration(&Condition::timeout_seconds_f32(f32::INFINITY)), u64::MAX);
        assert_eq!(duration(&Condition::timeout_ns(1001)), 2);
        assert_eq!(duration(&Condition::timeout_ns(1000)), 1);
        assert_eq!(duration(&Condition::timeout_ns(-5)), 0);
        assert_eq!(duration(&Condition::timeout_ns(i64::MAX)), 9_223_372_036_854_776);
    }
}
