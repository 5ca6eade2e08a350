//! One scheduler pass, as the original `default_scheduler` behaves, and the
//! callback table through which it reaches the VM.
//!
//! Two strategies give the same observable pass (SPEC section 3):
//! - [`pass`], for the module's own task list, evaluates only the tasks the
//!   kernel marked dirty ([`crate::kernel`]), so its cost does not grow with
//!   the number of blocked tasks;
//! - [`pass_over_list`], for any other list a user scheduler hands to
//!   `default_scheduler`, walks the list and evaluates every blocked task, as
//!   the original does.

use core::ffi::c_void;

use crate::condition::Verdict;
use crate::kernel::{Kernel, ROUND_ROBIN};
use crate::task::{TaskCore, TaskState};

/// A task as the shim hands it over: its Python object (the head pointer the
/// kernel links and the GC sees) and the [`TaskCore`] inside it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TaskRef {
    pub obj: *mut c_void,
    /// Null when the list entry is not a `Task`: a pass that meets one where
    /// it needs a task returns [`PassOutcome::Raised`], and the shim raises
    /// `TypeError`.
    pub core: *mut TaskCore,
}

/// What sits at one position of a blocked task's condition list.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    /// Past the end of the list.
    End,
    /// A built-in condition; `CondSlot::cond` is its object.
    Builtin,
    /// A user condition (a generator), evaluated by `Host::poll_user`.
    User,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CondSlot {
    pub kind: SlotKind,
    pub cond: *mut c_void,
}

/// A call into the VM: either it worked, or it raised and the shim saved the
/// exception to re-raise once the core has returned.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polled {
    False,
    True,
    Raised,
}

/// What resuming a task's generator did.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resumed {
    /// Yielded `None`: stays ready.
    Yielded,
    /// Yielded a valid condition list, now stored as the task's `ready_conditions`.
    Blocked,
    /// The generator returned.
    Returned,
    /// It raised (or yielded something invalid); the exception is saved.
    Raised,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassOutcome {
    /// No task could run.
    Idle,
    /// One task ran.
    Ran,
    /// A callback raised; the shim re-raises the saved exception.
    Raised,
}

/// The shim's side of the boundary. Every function must be sound for any
/// argument the core passes (objects it got from `task_at`, indexes from 0),
/// but for `transfer`'s own precondition, and every VM call inside them must
/// be wrapped in `nlr_push`. A `TaskRef`'s `core`, when not null, points into
/// the live task object it names.
#[repr(C)]
pub struct Host {
    pub ctx: *mut c_void,
    /// Current length of the task list.
    pub task_count: extern "C" fn(ctx: *mut c_void) -> usize,
    /// The task at `index` (below `task_count`); a null `core` for an object
    /// that is not a Task (the shim notes it, to report it). No VM call.
    pub task_at: extern "C" fn(ctx: *mut c_void, index: usize) -> TaskRef,
    /// The condition at `index` of a blocked task's list.
    pub condition_at: extern "C" fn(ctx: *mut c_void, task: *mut c_void, index: usize) -> CondSlot,
    /// Advances the user condition at `index` once.
    pub poll_user: extern "C" fn(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled,
    /// Moves the queue item the built-in condition at `index` asked for
    /// (`Verdict::Transfer`); `Polled::True` when done. Called only right
    /// after `condition_at` gave that built-in queue condition, with no
    /// Python code run in between (so the shim need not check it again).
    pub transfer: extern "C" fn(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled,
    /// Releases (`Kernel::release`) and forgets the task's conditions.
    pub drop_conditions: extern "C" fn(ctx: *mut c_void, task: *mut c_void),
    /// Resumes the task's generator once.
    pub resume: extern "C" fn(ctx: *mut c_void, task: *mut c_void) -> Resumed,
    /// Removes a finished task from the task list.
    pub remove_task: extern "C" fn(ctx: *mut c_void, task: *mut c_void),
    /// A monotonic clock in microseconds.
    pub now_us: extern "C" fn(ctx: *mut c_void) -> u64,
}

/// The kernel as the passes hold it: host callbacks run Python code that may
/// call into the kernel itself (an `unlock()` inside a user condition, say), so
/// a pass never keeps it borrowed across a callback.
#[derive(Clone, Copy)]
struct KernelCell(*mut Kernel);

impl KernelCell {
    /// Runs `f` on the kernel. `f` may call only the host's `now_us` and
    /// `task_at` (plain C reads, no VM call), never a callback that runs Python.
    fn with<R>(self, f: impl FnOnce(&mut Kernel) -> R) -> R {
        // SAFETY: a `KernelCell` is made only by this module's entry points
        // (`pass` and the like), whose callers guarantee a pointer to the live
        // kernel; the borrow lasts for `f` only, which runs no Python code (see
        // above), so nothing else can reach the kernel meanwhile.
        f(unsafe { &mut *self.0 })
    }
}

/// Ordered: an evaluation ends with the greatest outcome one of its
/// conditions asked for.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evaluated {
    /// All false and registered: wait to be marked dirty.
    Waiting,
    /// All false, one of them registered for another task (`Verdict::Shared`):
    /// evaluate again next pass, but the loop may sleep.
    Shared,
    /// All false; evaluate again next pass (user conditions in the list).
    Polled,
    /// A condition was true.
    Fired,
}

/// What raised while a task's conditions were evaluated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// A user condition raised or ended: its generator is dead, so the task
    /// can never wake; it fails like a task that raised and leaves the list.
    UserCondition,
    /// Moving a queue item failed (out of memory): the task keeps waiting.
    Transfer,
}

/// Evaluates a blocked task's conditions in order, stopping at the first true
/// one. The conditions behind it are not evaluated in this pass: they let go
/// of the task as such (a delay does not count this pass). `Err` when a
/// callback raised.
fn evaluate(kernel: KernelCell, host: &Host, task: *mut c_void) -> Result<Evaluated, Failure> {
    let mut outcome = Evaluated::Waiting;
    let mut index = 0;
    loop {
        let slot = (host.condition_at)(host.ctx, task, index);
        let fired = match slot.kind {
            SlotKind::End => return Ok(outcome),
            _ if outcome == Evaluated::Fired => {
                if slot.kind == SlotKind::Builtin {
                    kernel.with(|k| k.release_unevaluated(slot.cond, task));
                }
                Polled::False
            }
            SlotKind::User => {
                outcome = Evaluated::Polled;
                match (host.poll_user)(host.ctx, task, index) {
                    Polled::Raised => return Err(Failure::UserCondition),
                    polled => polled,
                }
            }
            // The clock read is a plain C call, not a VM call.
            SlotKind::Builtin => match kernel.with(|k| k.poll(slot.cond, task, &|| (host.now_us)(host.ctx))) {
                Verdict::NotYet => Polled::False,
                Verdict::Pending => {
                    outcome = Evaluated::Polled;
                    Polled::False
                }
                Verdict::Shared => {
                    outcome = outcome.max(Evaluated::Shared);
                    Polled::False
                }
                Verdict::True => Polled::True,
                Verdict::Transfer => {
                    let moved = (host.transfer)(host.ctx, task, index);
                    if moved == Polled::True {
                        kernel.with(|k| k.transferred(slot.cond));
                    }
                    moved
                }
            },
        };
        match fired {
            Polled::True => outcome = Evaluated::Fired,
            Polled::Raised => return Err(Failure::Transfer),
            Polled::False => {}
        }
        index += 1;
    }
}

/// A true condition: the task drops its conditions and is READY.
fn wake(kernel: KernelCell, host: &Host, task: *mut c_void) {
    (host.drop_conditions)(host.ctx, task);
    kernel.with(|k| k.wake(task));
}

/// A task's conditions raised: the exception goes out of `start()`. A task
/// whose user condition died is removed (it could never wake); otherwise it is
/// evaluated again in the next pass.
fn fail(kernel: KernelCell, host: &Host, task: *mut c_void, failure: Failure, own_list: bool) -> PassOutcome {
    kernel.with(|k| k.end_scan());
    match failure {
        Failure::UserCondition => finish(kernel, host, task, own_list),
        Failure::Transfer => kernel.with(|k| k.poll_again(task, true)),
    }
    PassOutcome::Raised
}

/// The task leaves the list for good (it returned, or a user condition it
/// waits on died). It lets go of its conditions first: one that returned
/// may still have some registered (its state was set by hand while it was
/// blocked, or `run_next()` resumed it then), and a registration would keep
/// it, and all it references, alive (a timer until it is due, a wait list
/// as long as the object watched).
fn finish(kernel: KernelCell, host: &Host, task: *mut c_void, own_list: bool) {
    (host.drop_conditions)(host.ctx, task);
    (host.remove_task)(host.ctx, task);
    if own_list {
        kernel.with(|k| k.retire(task));
    }
}

/// Resumes the chosen task once and applies what it did. Its run time is
/// measured only while statistics are timed: the two clock reads would
/// otherwise slow every yield.
fn run(kernel: KernelCell, host: &Host, task: *mut c_void, own_list: bool) -> PassOutcome {
    // The task's code is the caller of any `unlock()` it makes.
    let (outer, timing) = kernel.with(|k| {
        k.start_running(task);
        (k.swap_current(task), k.timed())
    });
    let since = timing.then(|| (host.now_us)(host.ctx));
    let resumed = (host.resume)(host.ctx, task);
    if let Some(since) = since {
        let now = (host.now_us)(host.ctx);
        kernel.with(|k| k.with_task(task, |t| t.add_run_time(now.wrapping_sub(since))));
    }
    kernel.with(|k| k.swap_current(outer));
    ran(kernel, host, task, resumed, own_list)
}

/// Applies what resuming the running task did.
fn ran(kernel: KernelCell, host: &Host, task: *mut c_void, resumed: Resumed, own_list: bool) -> PassOutcome {
    match resumed {
        Resumed::Yielded => PassOutcome::Ran,
        Resumed::Blocked => {
            kernel.with(|k| k.block(task));
            PassOutcome::Ran
        }
        Resumed::Returned => {
            finish(kernel, host, task, own_list);
            PassOutcome::Ran
        }
        Resumed::Raised => PassOutcome::Raised,
    }
}

/// True when `task` is still where the kernel last saw it in the task list.
/// Tasks shift when others are added or finish, and users may edit the list;
/// a miss means the kernel must re-read it ([`resync`]) before trusting its
/// view. One read per evaluated or chosen task, so passes stay O(1).
fn listed(kernel: KernelCell, host: &Host, task: *mut c_void) -> bool {
    let index = kernel.with(|k| k.with_task(task, |t| t.index)) as usize;
    index < (host.task_count)(host.ctx) && (host.task_at)(host.ctx, index).obj == task
}

/// Re-reads the task list: positions, tasks added or removed by hand; `Err`
/// when it holds a non-Task.
fn resync(kernel: KernelCell, host: &Host) -> Result<(), ()> {
    let count = (host.task_count)(host.ctx);
    if (0..count).any(|i| (host.task_at)(host.ctx, i).core.is_null()) {
        return Err(());
    }
    // `task_at` is a plain read of the list, not a VM call.
    kernel.with(|k| k.admit_listed((0..count).map(|i| (host.task_at)(host.ctx, i).obj)));
    // A task removed by hand stops waiting, as with `resume()`: its conditions
    // are released (no semaphore queue waits for it) and, if it was blocked,
    // it is READY, so putting it back runs it instead of leaving it blocked
    // on nothing.
    while let Some(task) = kernel.with(|k| k.next_evicted()) {
        (host.drop_conditions)(host.ctx, task);
        kernel.with(|k| {
            k.retire(task);
            if k.with_task(task, |t| t.state) == TaskState::Blocked {
                k.set_ready(task);
            }
        });
    }
    Ok(())
}

/// `start()` returns, or leaves by an exception: forgets the tasks taken out
/// of the module's task list by hand since the last pass, as the next pass's
/// resync would (a task that raised or the code that raised may have edited
/// the list, and there may be no next pass). A list holding a non-Task is
/// left as it is, for the next pass to report.
///
/// # Safety
/// As for [`pass`].
pub unsafe fn forget_removed(kernel: *mut Kernel, host: &Host) {
    let _ = resync(KernelCell(kernel), host);
}

/// One pass over the module's task list (which the host's list must be).
/// With `round_robin`, equal priorities take turns (see `Kernel::choose`).
///
/// # Safety
/// `kernel` must point to the shim's live kernel, not borrowed elsewhere
/// during the call (host callbacks may call into it), and `host` must keep
/// [`Host`]'s contract.
pub unsafe fn pass(kernel: *mut Kernel, host: &Host, round_robin: bool) -> PassOutcome {
    let kernel = KernelCell(kernel);
    let count = (host.task_count)(host.ctx);
    let last = match count.checked_sub(1).map(|i| (host.task_at)(host.ctx, i)) {
        Some(entry) if !entry.core.is_null() => entry.obj,
        _ => core::ptr::null_mut(),
    };
    if !kernel.with(|k| k.knows_list(count, last)) && resync(kernel, host).is_err() {
        return PassOutcome::Raised;
    }
    kernel.with(|k| k.begin_pass(&|| (host.now_us)(host.ctx)));
    while let Some(task) = kernel.with(|k| k.next_dirty()) {
        if !listed(kernel, host, task) {
            if resync(kernel, host).is_err() {
                // `next_dirty` took the task out of every list (and any due
                // timer of its with it): put it back for the next pass.
                kernel.with(|k| {
                    k.end_scan();
                    k.mark_dirty(task);
                });
                return PassOutcome::Raised;
            }
            if !kernel.with(|k| k.is_member(task)) {
                continue;
            }
        }
        match evaluate(kernel, host, task) {
            Err(failure) => return fail(kernel, host, task, failure, true),
            Ok(Evaluated::Fired) => wake(kernel, host, task),
            Ok(again @ (Evaluated::Polled | Evaluated::Shared)) => kernel.with(|k| k.poll_again(task, again == Evaluated::Polled)),
            Ok(Evaluated::Waiting) => {}
        }
    }
    kernel.with(|k| k.end_scan());
    loop {
        let Some(task) = kernel.with(|k| k.choose(round_robin)) else { return PassOutcome::Idle };
        if listed(kernel, host, task) {
            kernel.with(|k| k.preempt(task));
            return run(kernel, host, task, true);
        }
        if resync(kernel, host).is_err() {
            return PassOutcome::Raised;
        }
    }
}

/// The running task of the module's list, resumed by the shim after
/// [`Kernel::rerun`], did `resumed`; applied as [`pass`] would.
///
/// # Safety
/// As for [`pass`]; `task` is the task `Kernel::rerun` returned.
pub unsafe fn rerun_done(kernel: *mut Kernel, host: &Host, task: *mut c_void, resumed: Resumed) -> PassOutcome {
    ran(KernelCell(kernel), host, task, resumed, true)
}

/// One pass over any other list, walking it as the original does. The list is
/// re-read at every step: user conditions may add tasks to it.
///
/// # Safety
/// As for [`pass`].
pub unsafe fn pass_over_list(kernel: *mut Kernel, host: &Host, round_robin: bool) -> PassOutcome {
    let kernel = KernelCell(kernel);
    kernel.with(|k| k.begin_pass(&|| (host.now_us)(host.ctx)));
    let mut chosen: Option<(*mut c_void, i32)> = None;
    let mut index = 0;
    while index < (host.task_count)(host.ctx) {
        let task = (host.task_at)(host.ctx, index);
        index += 1;
        if task.core.is_null() {
            return PassOutcome::Raised;
        }
        let task = task.obj;
        match kernel.with(|k| k.with_task(task, |t| (t.state, t.priority))) {
            (TaskState::Ready, priority) => chosen = chosen.or(Some((task, priority))),
            (TaskState::Blocked, priority) => match evaluate(kernel, host, task) {
                Err(failure) => return fail(kernel, host, task, failure, false),
                Ok(Evaluated::Fired) => {
                    wake(kernel, host, task);
                    chosen = chosen.or(Some((task, priority)));
                }
                Ok(_) => {}
            },
            (TaskState::Running, priority) => match chosen {
                // Ties favour the running task.
                Some((_, best)) if priority > best => kernel.with(|k| k.set_ready(task)),
                _ => chosen = Some((task, priority)),
            },
            (TaskState::Suspended, _) => {}
        }
    }
    match chosen {
        Some((task, priority)) if round_robin && ROUND_ROBIN => {
            let turn = in_turn_over_list(kernel, host, priority).unwrap_or(task);
            if turn != task && kernel.with(|k| k.with_task(task, |t| t.state)) == TaskState::Running {
                kernel.with(|k| k.set_ready(task));
            }
            run(kernel, host, turn, false)
        }
        Some((task, _)) => run(kernel, host, task, false),
        None => PassOutcome::Idle,
    }
}

/// Round robin over a list: among its READY tasks of `priority`, the one
/// that has waited longest (see `Kernel::in_turn`), the first in the list on
/// ties; `None` when there is none.
fn in_turn_over_list(kernel: KernelCell, host: &Host, priority: i32) -> Option<*mut c_void> {
    let mut best: Option<(*mut c_void, u32)> = None;
    for index in 0..(host.task_count)(host.ctx) {
        let task = (host.task_at)(host.ctx, index);
        // A user condition may have put a non-Task behind the walk: skip it.
        if task.core.is_null() {
            continue;
        }
        let ((state, p), waited) = kernel.with(|k| (k.with_task(task.obj, |t| (t.state, t.priority)), k.waited(task.obj)));
        if p == priority && state == TaskState::Ready && best.is_none_or(|(_, most)| waited > most) {
            best = Some((task.obj, waited));
        }
    }
    best.map(|(task, _)| task)
}
