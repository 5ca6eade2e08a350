//! The C ABI: thin `extern "C"` wrappers the shim calls. cbindgen turns this
//! file's signatures into `pyrtos_core.h`.
//!
//! References in these signatures become non-null pointers in C: the shim only
//! ever passes pointers to the structs embedded in its live Python objects.
//! Identity pointers (`*const c_void` task objects) are compared, never read.

use core::ffi::c_void;
use core::mem::MaybeUninit;

use crate::condition::Condition;
use crate::lock::{LockCore, WaitNode};
use crate::queue::QueueCore;
use crate::sched::{self, Host, PassOutcome};
use crate::task::{Notification, TaskCore, TaskState};
use crate::CoreError;

fn status(result: Result<(), CoreError>) -> CoreError {
    result.err().unwrap_or(CoreError::None)
}

// ---- tasks ----------------------------------------------------------------

/// A ready task; `notifications` points to `count` zeroed slots inside the task object.
#[no_mangle]
pub extern "C" fn pyrtos_task_new(priority: i32, notifications: *mut Notification, count: u16, mailbox: bool) -> TaskCore {
    TaskCore::new(priority, notifications, count, mailbox)
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_set_value(task: &mut TaskCore, index: i64, state: i64, value: i64) -> CoreError {
    status(task.notify_set_value(index, state, value))
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_inc_value(task: &mut TaskCore, index: i64, state: i64, step: i64) -> CoreError {
    status(task.notify_inc_value(index, state, step))
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_set_state(task: &mut TaskCore, index: i64, state: i64) -> CoreError {
    status(task.notify_set_state(index, state))
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_inc_state(task: &mut TaskCore, index: i64, step: i64) -> CoreError {
    status(task.notify_inc_state(index, step))
}

/// Copies the notification slot at `index` to `out`.
#[no_mangle]
pub extern "C" fn pyrtos_task_notification(task: &mut TaskCore, index: i64, out: &mut Notification) -> CoreError {
    status(task.notification(index).map(|slot| *out = *slot))
}

#[no_mangle]
pub extern "C" fn pyrtos_task_mailbox_push(task: &mut TaskCore) -> CoreError {
    status(task.mailbox_push())
}

#[no_mangle]
pub extern "C" fn pyrtos_task_mailbox_take_all(task: &mut TaskCore) -> CoreError {
    status(task.mailbox_take_all())
}

/// Sets the state from a Python integer; false when it names no state.
#[no_mangle]
pub extern "C" fn pyrtos_task_set_state(task: &mut TaskCore, state: i64) -> bool {
    TaskState::from_int(state).map(|s| task.state = s).is_some()
}

#[no_mangle]
pub extern "C" fn pyrtos_task_suspend(task: &mut TaskCore) {
    task.suspend()
}

#[no_mangle]
pub extern "C" fn pyrtos_task_resume(task: &mut TaskCore) {
    task.resume()
}

/// `run_next()` called from Python made the task yield a condition list.
#[no_mangle]
pub extern "C" fn pyrtos_task_block(task: &mut TaskCore) {
    task.state = TaskState::Blocked
}

// ---- conditions -----------------------------------------------------------

#[no_mangle]
pub extern "C" fn pyrtos_condition_timeout_s(seconds: f64) -> Condition {
    Condition::timeout_seconds(seconds)
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_timeout_ns(ns: i64) -> Condition {
    Condition::timeout_ns(ns)
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_delay(cycles: i64) -> Condition {
    Condition::delay(cycles)
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_message(task: &mut TaskCore) -> Condition {
    Condition::Message { task }
}

/// Writes the condition to `out` unless the index or state is invalid.
#[no_mangle]
pub extern "C" fn pyrtos_condition_notification(
    task: &mut TaskCore,
    index: i64,
    state: i64,
    out: &mut MaybeUninit<Condition>,
) -> CoreError {
    status(Condition::notification(task, index, state).map(|cond| {
        out.write(cond);
    }))
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_mutex_lock(lock: &mut LockCore, requester: *const c_void) -> Condition {
    Condition::MutexLock { lock, requester }
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_semaphore_lock(lock: &mut LockCore, requester: *const c_void) -> Condition {
    Condition::SemaphoreLock { lock, node: WaitNode::new(requester) }
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_queue_send(queue: &mut QueueCore) -> Condition {
    Condition::QueueSend { queue }
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_queue_recv(queue: &mut QueueCore) -> Condition {
    Condition::QueueRecv { queue }
}

/// The task stopped waiting on `cond` (also called by the object's finaliser).
#[no_mangle]
pub extern "C" fn pyrtos_condition_release(cond: &mut Condition) {
    cond.release()
}

// ---- locks and queues -----------------------------------------------------

#[no_mangle]
pub extern "C" fn pyrtos_lock_new() -> LockCore {
    LockCore::new()
}

#[no_mangle]
pub extern "C" fn pyrtos_lock_try(lock: &mut LockCore, requester: *const c_void) -> bool {
    lock.try_lock(requester)
}

#[no_mangle]
pub extern "C" fn pyrtos_lock_unlock(lock: &mut LockCore) {
    lock.unlock()
}

#[no_mangle]
pub extern "C" fn pyrtos_queue_new(capacity: usize) -> QueueCore {
    QueueCore::new(capacity)
}

/// `nb_send`: true when there is room; the shim then appends and calls `pyrtos_queue_sent`.
#[no_mangle]
pub extern "C" fn pyrtos_queue_can_send(queue: &QueueCore) -> bool {
    queue.can_send()
}

#[no_mangle]
pub extern "C" fn pyrtos_queue_can_recv(queue: &QueueCore) -> bool {
    queue.can_recv()
}

#[no_mangle]
pub extern "C" fn pyrtos_queue_sent(queue: &mut QueueCore) {
    queue.sent()
}

#[no_mangle]
pub extern "C" fn pyrtos_queue_received(queue: &mut QueueCore) {
    queue.received()
}

// ---- the scheduler --------------------------------------------------------

/// One scheduler pass over the host's task list (see [`sched::pass`]).
#[no_mangle]
pub extern "C" fn pyrtos_pass(host: &Host) -> PassOutcome {
    sched::pass(host)
}

/// See [`sched::insertion_index`].
#[no_mangle]
pub extern "C" fn pyrtos_insertion_index(host: &Host, priority: i32) -> usize {
    sched::insertion_index(host, priority)
}
