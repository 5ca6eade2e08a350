//! The C ABI: thin `extern "C"` wrappers the shim calls. cbindgen turns this
//! file's signatures into `pyrtos_core.h`.
//!
//! # Safety
//! Every pointer the shim passes points into a live object it holds: the
//! module's kernel, or the struct embedded in a Task, Mutex, BinarySemaphore,
//! MessageQueue or condition object. Object pointers (`*mut c_void`) are the
//! head of such an object. Identity pointers (`*const c_void` requesters) are
//! compared, never read. None of these functions is called while another one
//! runs, except from inside a host callback of `pyrtos_pass`, during which the
//! pass holds no borrow of the kernel (see `sched`).

use core::ffi::c_void;
use core::mem::MaybeUninit;

use crate::condition::{Condition, Verdict};
use crate::kernel::{Idle, Kernel};
use crate::lock::LockCore;
use crate::queue::QueueCore;
use crate::sched::{self, Host, PassOutcome};
use crate::stats::Stats;
use crate::task::{Notification, TaskCore, TaskState};
use crate::CoreError;

fn status(result: Result<(), CoreError>) -> CoreError {
    result.err().unwrap_or(CoreError::None)
}

/// Runs `f` on the struct behind a pointer from the shim.
fn with<T, R>(ptr: *mut T, f: impl FnOnce(&mut T) -> R) -> R {
    // SAFETY: see the module's Safety section; the borrow ends with `f`, which
    // does not call back into the shim.
    f(unsafe { &mut *ptr })
}

// ---- the kernel -----------------------------------------------------------

/// A kernel for objects whose `TaskCore` / `Condition` sit at these offsets.
#[no_mangle]
pub extern "C" fn pyrtos_kernel_new(task_offset: usize, condition_offset: usize) -> Kernel {
    Kernel::new(task_offset, condition_offset)
}

/// `add_task`: the task object joins the scheduling order.
#[no_mangle]
pub extern "C" fn pyrtos_kernel_admit(kernel: *mut Kernel, task: *mut c_void) {
    with(kernel, |k| k.admit(task))
}

/// What the loop may do after a pass that ran nothing; see [`Kernel::idle`].
#[no_mangle]
pub extern "C" fn pyrtos_kernel_idle(kernel: *mut Kernel, deadline_us: &mut u64) -> Idle {
    with(kernel, |k| k.idle(deadline_us))
}

/// One pass over the module's task list (see [`sched::pass`]).
#[no_mangle]
pub extern "C" fn pyrtos_pass(kernel: *mut Kernel, host: &Host, round_robin: bool) -> PassOutcome {
    sched::pass(kernel, host, round_robin)
}

/// One pass over another list (see [`sched::pass_over_list`]).
#[no_mangle]
pub extern "C" fn pyrtos_pass_over_list(kernel: *mut Kernel, host: &Host, round_robin: bool) -> PassOutcome {
    sched::pass_over_list(kernel, host, round_robin)
}

// ---- statistics -----------------------------------------------------------

/// `start(stats=True)` begins (`on`) or ends: times are measured in between.
#[no_mangle]
pub extern "C" fn pyrtos_stats_timing(kernel: *mut Kernel, on: bool, now_us: u64) {
    with(kernel, |k| k.stats.set_timing(on, now_us))
}

/// The scheduler's statistics, brought up to date at `now_us`; they live in
/// the kernel, which the shim keeps.
#[no_mangle]
pub extern "C" fn pyrtos_stats(kernel: *mut Kernel, now_us: u64) -> *const Stats {
    with(kernel, |k| {
        k.stats.catch_up(now_us);
        &k.stats as *const Stats
    })
}

/// The loop slept for lack of work from `from_us` to `to_us`.
#[no_mangle]
pub extern "C" fn pyrtos_stats_slept(kernel: *mut Kernel, from_us: u64, to_us: u64) {
    with(kernel, |k| k.stats.slept(from_us, to_us))
}

/// Microseconds the task has run while statistics were timed.
#[no_mangle]
pub extern "C" fn pyrtos_task_run_us(task: *mut TaskCore) -> u64 {
    with(task, |t| t.run_us.get())
}

/// See [`sched::insertion_index`].
#[no_mangle]
pub extern "C" fn pyrtos_insertion_index(host: &Host, priority: i32) -> usize {
    sched::insertion_index(host, priority)
}

// ---- tasks ----------------------------------------------------------------

/// A ready task; `notifications` points to `count` zeroed slots inside the task object.
#[no_mangle]
pub extern "C" fn pyrtos_task_new(priority: i32, notifications: *mut Notification, count: u16, mailbox: bool) -> TaskCore {
    TaskCore::new(priority, notifications, count, mailbox)
}

/// Applies a notification change and wakes the tasks watching `task`.
fn notify(kernel: *mut Kernel, task: *mut TaskCore, change: impl FnOnce(&mut TaskCore) -> Result<(), CoreError>) -> CoreError {
    let result = with(task, change);
    if result.is_ok() {
        with(kernel, |k| k.task_changed(task));
    }
    status(result)
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_set_value(kernel: *mut Kernel, task: *mut TaskCore, index: i64, state: i64, value: i64) -> CoreError {
    notify(kernel, task, |t| t.notify_set_value(index, state, value))
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_inc_value(kernel: *mut Kernel, task: *mut TaskCore, index: i64, state: i64, step: i64) -> CoreError {
    notify(kernel, task, |t| t.notify_inc_value(index, state, step))
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_set_state(kernel: *mut Kernel, task: *mut TaskCore, index: i64, state: i64) -> CoreError {
    notify(kernel, task, |t| t.notify_set_state(index, state))
}

#[no_mangle]
pub extern "C" fn pyrtos_task_notify_inc_state(kernel: *mut Kernel, task: *mut TaskCore, index: i64, step: i64) -> CoreError {
    notify(kernel, task, |t| t.notify_inc_state(index, step))
}

/// Copies the notification slot at `index` to `out`.
#[no_mangle]
pub extern "C" fn pyrtos_task_notification(task: *mut TaskCore, index: i64, out: &mut Notification) -> CoreError {
    status(with(task, |t| t.notification(index).map(|slot| *out = *slot)))
}

/// A message was appended to the task's mailbox.
#[no_mangle]
pub extern "C" fn pyrtos_task_mailbox_push(kernel: *mut Kernel, task: *mut TaskCore) -> CoreError {
    notify(kernel, task, |t| t.mailbox_push())
}

/// `recv()` took every message.
#[no_mangle]
pub extern "C" fn pyrtos_task_mailbox_take_all(kernel: *mut Kernel, task: *mut TaskCore) -> CoreError {
    notify(kernel, task, |t| t.mailbox_take_all())
}

/// Sets the state from a Python integer; false when it names no state.
#[no_mangle]
pub extern "C" fn pyrtos_task_set_state(kernel: *mut Kernel, task: *mut c_void, state: i64) -> bool {
    TaskState::from_int(state).map(|s| with(kernel, |k| k.set_state(task, s))).is_some()
}

/// `suspend()`, after the shim released the task's conditions.
#[no_mangle]
pub extern "C" fn pyrtos_task_suspend(kernel: *mut Kernel, task: *mut c_void) {
    with(kernel, |k| k.suspend(task))
}

/// `resume()`, after the shim released the task's conditions.
#[no_mangle]
pub extern "C" fn pyrtos_task_resume(kernel: *mut Kernel, task: *mut c_void) {
    with(kernel, |k| k.set_ready(task))
}

/// `run_next()` called from Python made the task yield a condition list.
#[no_mangle]
pub extern "C" fn pyrtos_task_block(kernel: *mut Kernel, task: *mut c_void) {
    with(kernel, |k| k.block(task))
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
pub extern "C" fn pyrtos_condition_message(task: *mut TaskCore) -> Condition {
    with(task, Condition::message)
}

/// Writes the condition to `out` unless the index or state is invalid.
#[no_mangle]
pub extern "C" fn pyrtos_condition_notification(task: *mut TaskCore, index: i64, state: i64, out: &mut MaybeUninit<Condition>) -> CoreError {
    status(with(task, |t| Condition::notification(t, index, state)).map(|cond| {
        out.write(cond);
    }))
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_mutex_lock(lock: *mut LockCore, requester: *const c_void) -> Condition {
    with(lock, |l| Condition::mutex_lock(l, requester))
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_semaphore_lock(lock: *mut LockCore, requester: *const c_void) -> Condition {
    with(lock, |l| Condition::semaphore_lock(l, requester))
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_queue_send(queue: *mut QueueCore) -> Condition {
    with(queue, Condition::queue_send)
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_queue_recv(queue: *mut QueueCore) -> Condition {
    with(queue, Condition::queue_recv)
}

/// `next(cond)` from Python: one evaluation outside the scheduler.
#[no_mangle]
pub extern "C" fn pyrtos_condition_next(kernel: *mut Kernel, cond: *mut c_void, now_us: u64) -> Verdict {
    with(kernel, |k| k.poll(cond, core::ptr::null_mut(), || now_us))
}

/// The shim moved the queue item a `Verdict::Transfer` of `pyrtos_condition_next` asked for.
#[no_mangle]
pub extern "C" fn pyrtos_condition_transferred(kernel: *mut Kernel, cond: *mut c_void) {
    with(kernel, |k| k.transferred(cond))
}

/// The task stopped waiting on the condition object `cond`.
#[no_mangle]
pub extern "C" fn pyrtos_condition_release(kernel: *mut Kernel, cond: *mut c_void) {
    with(kernel, |k| k.release(cond))
}

// ---- locks and queues -----------------------------------------------------

#[no_mangle]
pub extern "C" fn pyrtos_lock_new() -> LockCore {
    LockCore::new()
}

/// `nb_lock(task)`.
#[no_mangle]
pub extern "C" fn pyrtos_lock_try(lock: *mut LockCore, requester: *const c_void) -> bool {
    with(lock, |l| l.try_lock(requester))
}

#[no_mangle]
pub extern "C" fn pyrtos_lock_unlock(kernel: *mut Kernel, lock: *mut LockCore) {
    with(kernel, |k| k.unlock(lock))
}

#[no_mangle]
pub extern "C" fn pyrtos_queue_new(capacity: usize) -> QueueCore {
    QueueCore::new(capacity)
}

/// `nb_send`: true when there is room; the shim then appends and calls `pyrtos_queue_changed`.
#[no_mangle]
pub extern "C" fn pyrtos_queue_can_send(queue: *mut QueueCore) -> bool {
    with(queue, |q| q.can_send())
}

#[no_mangle]
pub extern "C" fn pyrtos_queue_can_recv(queue: *mut QueueCore) -> bool {
    with(queue, |q| q.can_recv())
}

/// The shim appended (`added`) or removed the oldest item.
#[no_mangle]
pub extern "C" fn pyrtos_queue_changed(kernel: *mut Kernel, queue: *mut QueueCore, added: bool) {
    with(kernel, |k| k.queue_changed(queue, added))
}
