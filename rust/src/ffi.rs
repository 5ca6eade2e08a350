//! The C ABI: thin `extern "C"` wrappers the shim calls. cbindgen turns this
//! file's signatures into `pyrtos_core.h`.
//!
//! # Safety
//! Every pointer the shim passes points into a live object it holds: the
//! module's kernel, or the struct embedded in a Task, lock, MessageQueue or
//! condition object; a `Host` table keeps that type's contract. Object pointers (`*mut c_void`) are the
//! head of such an object. Requesters (`*const c_void`) are Task object heads
//! (the shim checks the type); the core compares them, and reads their
//! `TaskCore` only for priority inheritance. None of these functions is called while another one
//! runs, except from inside a host callback of a pass (`pyrtos_pass`,
//! `pyrtos_pass_over_list`, `pyrtos_rerun_done`, `pyrtos_forget_removed`),
//! during which the core holds no borrow of the kernel (see `sched`), and `pyrtos_isr_notify`,
//! which an interrupt may run in the middle of any of them: it only reads
//! integers and shares the ring (`isr`), which is never borrowed mutably.
//!
//! So every function here that takes a raw pointer is `unsafe`, with that
//! contract; one with more to it says so in its own `# Safety` section
//! (hence the lint allowed below), and every unsafe operation sits in its own
//! block.
#![allow(clippy::missing_safety_doc)]
#![deny(unsafe_op_in_unsafe_fn)]

use core::ffi::c_void;
use core::mem::MaybeUninit;
use core::ptr::NonNull;

use crate::condition::{Condition, Verdict};
use crate::isr::{IsrEvent, IsrRing, IsrSlot};
use crate::kernel::{Idle, Kernel};
use crate::lock::{LockCore, LockKind};
use crate::queue::QueueCore;
use crate::sched::{self, Host, PassOutcome, Resumed};
#[cfg(feature = "stats")]
use crate::stats::Stats;
use crate::task::{Notification, Notify, TaskCore, TaskState};
use crate::CoreError;

fn status(result: Result<(), CoreError>) -> CoreError {
    result.err().unwrap_or(CoreError::None)
}

/// Runs `f` on the struct behind a pointer from the shim.
///
/// # Safety
/// `ptr` must point to a live `T` that nothing else borrows during the call
/// (`f` calls back into the shim for the clock at most, which does not
/// touch the kernel).
unsafe fn with<T, R>(ptr: *mut T, f: impl FnOnce(&mut T) -> R) -> R {
    // SAFETY: the caller's guarantee; the borrow ends with `f`.
    f(unsafe { &mut *ptr })
}

// ---- the kernel -----------------------------------------------------------

/// See [`Kernel::init_zeroed`].
///
/// # Safety
/// `kernel` must point to a writable `Kernel`-sized block of zero bytes (the
/// shim allocates its module state zeroed).
#[no_mangle]
pub unsafe extern "C" fn pyrtos_kernel_init(kernel: *mut Kernel, task_offset: usize, condition_offset: usize) {
    // SAFETY: the caller's guarantee.
    unsafe { Kernel::init_zeroed(kernel, task_offset, condition_offset) }
}

/// `add_task`: the task object joins the scheduling order.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_kernel_admit(kernel: *mut Kernel, task: *mut c_void) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.admit(task)) }
}

/// What the loop may do after a pass that ran nothing; see [`Kernel::idle`].
/// `idle_cap_us`: `start(idle_ms=)` in microseconds; `u64::MAX` when not given.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_kernel_idle(kernel: *mut Kernel, now_us: u64, routines: bool, idle_cap_us: u64, wait_us: &mut u64) -> Idle {
    let idle_cap_us = (idle_cap_us != u64::MAX).then_some(idle_cap_us);
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.idle(now_us, routines, idle_cap_us, wait_us)) }
}

/// One pass over the module's task list (see [`sched::pass`]).
#[no_mangle]
pub unsafe extern "C" fn pyrtos_pass(kernel: *mut Kernel, host: &Host, round_robin: bool) -> PassOutcome {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { sched::pass(kernel, host, round_robin) }
}

/// Sorts the task list for `add_task` ([`Kernel::sort_tasks`]).
///
/// # Safety
/// `tasks` must point to the task list's `len` items, every one a Task (it
/// may be null only when `len` is 0); nothing else reads or writes them
/// during the call.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_kernel_sort_tasks(kernel: *mut Kernel, tasks: *mut *mut c_void, len: usize) {
    if len == 0 {
        return;
    }
    // SAFETY: the caller's guarantee, for a length that is not 0.
    let tasks = unsafe { core::slice::from_raw_parts_mut(tasks, len) };
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.sort_tasks(tasks)) }
}

/// See [`Kernel::rerun`]: the running task, when the next pass would only
/// resume it again, or null. `isr` is the interrupt event ring, if any: a
/// queued event needs a full pass, which applies it.
///
/// # Safety
/// `tasks` must point to the task list's `len` items (it may be null only
/// when `len` is 0), unchanged for the call.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_kernel_rerun(kernel: *mut Kernel, tasks: *const *mut c_void, len: usize, round_robin: bool, isr: Option<&IsrRing>, host: &Host) -> *mut c_void {
    // An empty list is the only one whose items pointer may be null, which
    // `from_raw_parts` does not accept (and it has no task to resume).
    if len == 0 || isr.is_some_and(IsrRing::pending) {
        return core::ptr::null_mut();
    }
    // SAFETY: the caller's guarantee, for a length that is not 0; the slice
    // is read during this call only, which runs no Python code.
    let tasks = unsafe { core::slice::from_raw_parts(tasks, len) };
    // SAFETY: the caller's guarantee (see the module's Safety section).
    let task = unsafe { with(kernel, |k| k.rerun(tasks, round_robin, &|| (host.now_us)(host.ctx))) };
    task.map_or(core::ptr::null_mut(), NonNull::as_ptr)
}

/// The task `pyrtos_kernel_rerun` returned was resumed and did `resumed`
/// (anything but yield `None`); see [`sched::rerun_done`].
#[no_mangle]
pub unsafe extern "C" fn pyrtos_rerun_done(kernel: *mut Kernel, host: &Host, task: *mut c_void, resumed: Resumed) -> PassOutcome {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { sched::rerun_done(kernel, host, task, resumed) }
}

/// See [`sched::forget_removed`].
#[no_mangle]
pub unsafe extern "C" fn pyrtos_forget_removed(kernel: *mut Kernel, host: &Host) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { sched::forget_removed(kernel, host) }
}

/// One pass over another list (see [`sched::pass_over_list`]).
#[no_mangle]
pub unsafe extern "C" fn pyrtos_pass_over_list(kernel: *mut Kernel, host: &Host, round_robin: bool) -> PassOutcome {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { sched::pass_over_list(kernel, host, round_robin) }
}

// ---- statistics -----------------------------------------------------------

/// `start(stats=True)` begins (`on`) or ends: times are measured in between.
#[cfg(feature = "stats")]
#[no_mangle]
pub unsafe extern "C" fn pyrtos_stats_timing(kernel: *mut Kernel, on: bool, now_us: u64) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.stats.set_timing(on, now_us)) }
}

/// The scheduler's statistics, brought up to date at `now_us`; they live in
/// the kernel, which the shim keeps.
#[cfg(feature = "stats")]
#[no_mangle]
pub unsafe extern "C" fn pyrtos_stats(kernel: *mut Kernel, now_us: u64) -> *const Stats {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe {
        with(kernel, |k| {
            k.stats.catch_up(now_us);
            &k.stats as *const Stats
        })
    }
}

/// The loop slept for lack of work from `from_us` to `to_us`.
#[cfg(feature = "stats")]
#[no_mangle]
pub unsafe extern "C" fn pyrtos_stats_slept(kernel: *mut Kernel, from_us: u64, to_us: u64) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.stats.slept(from_us, to_us)) }
}

/// Microseconds the task has run while statistics were timed.
#[cfg(feature = "stats")]
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_run_us(task: *mut TaskCore) -> u64 {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(task, |t| t.run_us.get()) }
}

// ---- tasks ----------------------------------------------------------------

/// Makes `task` a ready task; `notifications` points to `count` zeroed slots
/// inside the task object. (Written in place: smaller than returning the
/// struct for the shim to copy.)
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_init(task: *mut TaskCore, priority: i32, notifications: *mut Notification, count: u16, mailbox: bool) {
    // SAFETY: the caller's guarantee (see the module's Safety section): `task`
    // is the new task object's core, not yet initialized, so nothing is dropped.
    unsafe { task.write(TaskCore::new(priority, notifications, count, mailbox)) }
}

/// Applies a notification change and wakes the tasks watching `task`.
///
/// # Safety
/// As for the functions that call it (see the module's Safety section).
unsafe fn notify(kernel: *mut Kernel, task: *mut TaskCore, change: impl FnOnce(&mut TaskCore) -> Result<(), CoreError>) -> CoreError {
    // SAFETY: the caller's guarantee; the task's borrow ends before the kernel's.
    let result = unsafe { with(task, change) };
    if result.is_ok() {
        // SAFETY: the caller's guarantee.
        unsafe { with(kernel, |k| k.task_changed(task)) };
    }
    status(result)
}

/// `notify_set_value`, `notify_inc_value`, `notify_set_state` or
/// `notify_inc_state` ([`TaskCore::notify`]); wakes the tasks watching `task`.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_notify(kernel: *mut Kernel, task: *mut TaskCore, action: Notify, index: i64, state: i64, value: i64) -> CoreError {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { notify(kernel, task, |t| t.notify(index, action, state, value)) }
}

/// Copies the notification slot at `index` to `out`.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_notification(task: *mut TaskCore, index: i64, out: &mut Notification) -> CoreError {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { status(with(task, |t| t.notification(index).map(|slot| *out = *slot))) }
}

/// A message goes into the task's mailbox (the shim links it in right after,
/// before anything can evaluate the tasks this marks); refused without one.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_mailbox_push(kernel: *mut Kernel, task: *mut TaskCore) -> CoreError {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { notify(kernel, task, |t| t.mailbox_push()) }
}

/// `recv()` took every message.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_mailbox_take_all(kernel: *mut Kernel, task: *mut TaskCore) -> CoreError {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { notify(kernel, task, |t| t.mailbox_take_all()) }
}

/// Sets the state from a Python integer; false when it names no state.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_set_state(kernel: *mut Kernel, task: *mut c_void, state: i64) -> bool {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { TaskState::from_int(state).map(|s| with(kernel, |k| k.set_state(task, s))).is_some() }
}

/// `suspend()`, after the shim released the task's conditions.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_suspend(kernel: *mut Kernel, task: *mut c_void) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.suspend(task)) }
}

/// `resume()`, after the shim released the task's conditions.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_resume(kernel: *mut Kernel, task: *mut c_void) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.set_ready(task)) }
}

/// The task whose generator the shim resumes now (null once it stopped);
/// returns the one before, to restore afterwards.
#[cfg(feature = "more-locks")]
#[no_mangle]
pub unsafe extern "C" fn pyrtos_kernel_swap_current(kernel: *mut Kernel, task: *mut c_void) -> *mut c_void {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.swap_current(task)) }
}

/// `task.priority = priority` (see [`Kernel::set_priority`]).
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_set_priority(kernel: *mut Kernel, task: *mut c_void, priority: i32) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.set_priority(task, priority)) }
}

/// `task.ready_conditions = ...` replaced the list a blocked task waits on:
/// the new one is evaluated as the original's next look at the task would.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_conditions_replaced(kernel: *mut Kernel, task: *mut c_void) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.mark_dirty(task)) }
}

/// `run_next()` called from Python made the task yield a condition list.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_task_block(kernel: *mut Kernel, task: *mut c_void) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.block(task)) }
}

// ---- conditions -----------------------------------------------------------

#[no_mangle]
pub extern "C" fn pyrtos_condition_timeout_f32(seconds: f32) -> Condition {
    Condition::timeout_seconds_f32(seconds)
}

/// `timeout()` on ports whose `mp_float_t` is a double (only the one the shim
/// calls is linked: a single-precision port needs no double arithmetic).
#[no_mangle]
pub extern "C" fn pyrtos_condition_timeout_f64(seconds: f64) -> Condition {
    Condition::timeout_seconds_f64(seconds)
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_timeout_ns(ns: i64) -> Condition {
    Condition::timeout_ns(ns)
}

#[no_mangle]
pub extern "C" fn pyrtos_condition_delay(cycles: i64) -> Condition {
    Condition::delay(cycles)
}

/// Writes the condition to `out` unless the task has no mailbox.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_message(task: *mut TaskCore, out: &mut MaybeUninit<Condition>) -> CoreError {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    let cond = unsafe { with(task, Condition::message) };
    status(cond.map(|cond| {
        out.write(cond);
    }))
}

/// Writes the condition to `out` unless the index or state is invalid.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_notification(task: *mut TaskCore, index: i64, state: i64, out: &mut MaybeUninit<Condition>) -> CoreError {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    let cond = unsafe { with(task, |t| Condition::notification(t, index, state)) };
    status(cond.map(|cond| {
        out.write(cond);
    }))
}

/// `lock(task)` of any lock.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_lock(lock: *mut LockCore, requester: *const c_void) -> Condition {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(lock, |l| Condition::lock(l, requester)) }
}

#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_queue_send(queue: *mut QueueCore) -> Condition {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(queue, Condition::queue_send) }
}

#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_queue_recv(queue: *mut QueueCore) -> Condition {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(queue, Condition::queue_recv) }
}

/// `next(cond)` from Python: one evaluation outside the scheduler.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_next(kernel: *mut Kernel, cond: *mut c_void, now_us: u64) -> Verdict {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.poll(cond, core::ptr::null_mut(), &|| now_us)) }
}

/// The shim moved the queue item a `Verdict::Transfer` of `pyrtos_condition_next` asked for.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_transferred(kernel: *mut Kernel, cond: *mut c_void) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.transferred(cond)) }
}

/// The task stopped waiting on the condition object `cond`.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_condition_release(kernel: *mut Kernel, cond: *mut c_void, task: *mut c_void) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.release(cond, task)) }
}

// ---- locks and queues -----------------------------------------------------

/// A free `Mutex`, `RecursiveMutex` or `BinarySemaphore`.
#[no_mangle]
pub extern "C" fn pyrtos_lock_new(kind: LockKind, inherit: bool) -> LockCore {
    LockCore::of(kind, inherit)
}

/// `CountingSemaphore(initial, maximum)`, written to `out` unless out of range.
#[cfg(feature = "more-locks")]
#[no_mangle]
pub extern "C" fn pyrtos_lock_counting(initial: i64, maximum: i64, out: &mut MaybeUninit<LockCore>) -> CoreError {
    status(LockCore::counting(initial, maximum).map(|lock| {
        out.write(lock);
    }))
}

/// `nb_lock(task)`.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_lock_try(kernel: *mut Kernel, lock: *mut LockCore, requester: *const c_void) -> bool {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.try_lock(lock, requester)) }
}

/// `unlock()`, called from the code of the task the kernel knows as current.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_lock_unlock(kernel: *mut Kernel, lock: *mut LockCore) -> CoreError {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { status(with(kernel, |k| k.unlock(lock))) }
}

#[no_mangle]
pub extern "C" fn pyrtos_queue_new(capacity: usize) -> QueueCore {
    QueueCore::new(capacity)
}

/// `nb_send`: true when there is room; the shim then appends and calls `pyrtos_queue_changed`.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_queue_can_send(queue: *mut QueueCore) -> bool {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(queue, |q| q.can_send()) }
}

#[no_mangle]
pub unsafe extern "C" fn pyrtos_queue_can_recv(queue: *mut QueueCore) -> bool {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(queue, |q| q.can_recv()) }
}

/// The shim appended (`added`) or removed the oldest item.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_queue_changed(kernel: *mut Kernel, queue: *mut QueueCore, added: bool) {
    // SAFETY: the caller's guarantee (see the module's Safety section).
    unsafe { with(kernel, |k| k.queue_changed(queue, added)) }
}

// ---- notifications from interrupt handlers ----------------------------------

/// The event ring over the shim's `capacity` slots.
///
/// # Safety
/// As [`IsrRing::new`]: `slots` must point to `capacity` (at least 1)
/// writable slots that stay in place for the ring's life (the shim's sit in a
/// heap block the GC-scanned module state points to).
#[no_mangle]
pub unsafe extern "C" fn pyrtos_isr_ring_new(slots: *mut IsrSlot, capacity: usize) -> IsrRing {
    // SAFETY: the caller's guarantee.
    unsafe { IsrRing::new(slots, capacity) }
}

/// `notify_from_isr`: checks the arguments against the task's (fixed)
/// notification count, then queues the event; `queued` is false when the
/// ring was full. Allocates nothing, touches no task. The shim makes the
/// ring with the first task that has notifications: without one, every
/// task fails the count check first.
#[no_mangle]
pub unsafe extern "C" fn pyrtos_isr_notify(
    ring: Option<&IsrRing>,
    task: *mut c_void,
    notification_count: u16,
    index: i64,
    state: i64,
    value: i64,
    has_value: bool,
    mode: i64,
    queued: &mut bool,
) -> CoreError {
    let event = IsrEvent::new(task, notification_count, index, state, has_value.then_some(value), mode);
    status(event.and_then(|event| ring.map(|ring| *queued = ring.push(event)).ok_or(CoreError::NoNotifications)))
}

// The ring arguments below may be null: no ring yet, nothing queued.

/// Before a pass: performs the queued events (see [`IsrRing::apply`]).
#[no_mangle]
pub unsafe extern "C" fn pyrtos_isr_apply(ring: Option<&IsrRing>, kernel: *mut Kernel) {
    if let Some(ring) = ring {
        // SAFETY: the caller's guarantee (see the module's Safety section).
        unsafe { with(kernel, |k| ring.apply(k)) }
    }
}

/// True when an event waits: the loop must not go to sleep.
#[no_mangle]
pub extern "C" fn pyrtos_isr_pending(ring: Option<&IsrRing>) -> bool {
    ring.is_some_and(IsrRing::pending)
}

/// `pyRTOS.isr_overflows()`.
#[no_mangle]
pub extern "C" fn pyrtos_isr_overflows(ring: Option<&IsrRing>) -> usize {
    ring.map_or(0, IsrRing::overflows)
}
