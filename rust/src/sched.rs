//! One scheduler pass, exactly as the original `default_scheduler` behaves.
//!
//! The pass walks the task list the shim hands it (the live `pyRTOS.tasks`, or
//! the list a user scheduler passed to `default_scheduler`) through the [`Host`]
//! callback table, re-reading the list length at every step because user
//! conditions run Python code that may add tasks, as in the original.

use core::ffi::c_void;

use crate::condition::{Condition, Verdict};
use crate::task::{TaskCore, TaskState};

/// A task as the shim hands it over: its Python object (opaque to the core) and
/// the [`TaskCore`] inside it. Keeping `obj` on the stack also keeps the task
/// alive for MicroPython's GC, which scans the stack.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TaskRef {
    pub obj: *mut c_void,
    /// Null when the list entry is not a `Task`; the shim has then saved a
    /// `TypeError` to raise.
    pub core: *mut TaskCore,
}

/// What sits at one position of a blocked task's condition list.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    /// Past the end of the list.
    End,
    /// A built-in condition; `CondSlot::cond` points into its object.
    Builtin,
    /// A user condition (a generator), evaluated by `Host::poll_user`.
    User,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CondSlot {
    pub kind: SlotKind,
    pub cond: *mut Condition,
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
/// and every VM call inside them must be wrapped in `nlr_push`.
#[repr(C)]
pub struct Host {
    pub ctx: *mut c_void,
    /// Current length of the task list.
    pub task_count: extern "C" fn(ctx: *mut c_void) -> usize,
    /// The task at `index` (below `task_count`).
    pub task_at: extern "C" fn(ctx: *mut c_void, index: usize) -> TaskRef,
    /// The condition at `index` of a blocked task's list.
    pub condition_at: extern "C" fn(ctx: *mut c_void, task: *mut c_void, index: usize) -> CondSlot,
    /// Advances the user condition at `index` once.
    pub poll_user: extern "C" fn(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled,
    /// Moves the queue item the built-in condition at `index` asked for
    /// (`Verdict::Transfer`); `Polled::True` when done.
    pub transfer: extern "C" fn(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled,
    /// Releases (`Condition::release`) and forgets the task's conditions.
    pub drop_conditions: extern "C" fn(ctx: *mut c_void, task: *mut c_void),
    /// Resumes the task's generator once.
    pub resume: extern "C" fn(ctx: *mut c_void, task: *mut c_void) -> Resumed,
    /// Removes a finished task from the task list.
    pub remove_task: extern "C" fn(ctx: *mut c_void, task: *mut c_void),
    /// A monotonic clock in microseconds.
    pub now_us: extern "C" fn(ctx: *mut c_void) -> u64,
}

impl Host {
    fn task_core<R>(&self, task: TaskRef, f: impl FnOnce(&mut TaskCore) -> R) -> R {
        // SAFETY: `task_at` returned a non-null core (checked by the caller)
        // inside `task.obj`, which this pass keeps on its stack, so the GC keeps
        // it alive; the reference lives only for `f`, during which no VM call
        // happens, so nothing else can touch the struct.
        f(unsafe { &mut *task.core })
    }

    /// Evaluates a blocked task's conditions in order, stopping at the first
    /// true one. `Err` when a callback raised.
    fn evaluate(&self, task: TaskRef) -> Result<bool, ()> {
        let mut index = 0;
        loop {
            let slot = (self.condition_at)(self.ctx, task.obj, index);
            let fired = match slot.kind {
                SlotKind::End => return Ok(false),
                SlotKind::User => (self.poll_user)(self.ctx, task.obj, index),
                SlotKind::Builtin => {
                    let now = (self.now_us)(self.ctx);
                    // SAFETY: the shim returned a pointer into a condition object held by
                    // the task's condition list; no VM call happens while it is borrowed.
                    match unsafe { &mut *slot.cond }.poll(now) {
                        Verdict::NotYet => Polled::False,
                        Verdict::True => Polled::True,
                        Verdict::Transfer => {
                            let moved = (self.transfer)(self.ctx, task.obj, index);
                            if moved == Polled::True {
                                // SAFETY: as above; `transfer` only moved one item between
                                // two lists and ran no Python code.
                                unsafe { &mut *slot.cond }.transferred();
                            }
                            moved
                        }
                    }
                }
            };
            match fired {
                Polled::True => return Ok(true),
                Polled::Raised => return Err(()),
                Polled::False => index += 1,
            }
        }
    }
}

/// One pass of the default scheduler over the host's task list: picks the task
/// to run by the rules of SPEC section 3 and resumes it once.
pub fn pass(host: &Host) -> PassOutcome {
    let mut chosen: Option<(TaskRef, i32)> = None;
    let mut index = 0;
    while index < (host.task_count)(host.ctx) {
        let task = (host.task_at)(host.ctx, index);
        index += 1;
        if task.core.is_null() {
            return PassOutcome::Raised;
        }
        match host.task_core(task, |core| (core.state, core.priority)) {
            (TaskState::Ready, priority) => {
                chosen = chosen.or(Some((task, priority)));
            }
            (TaskState::Blocked, priority) => match host.evaluate(task) {
                Err(()) => return PassOutcome::Raised,
                Ok(false) => {}
                Ok(true) => {
                    host.task_core(task, |core| core.state = TaskState::Ready);
                    (host.drop_conditions)(host.ctx, task.obj);
                    chosen = chosen.or(Some((task, priority)));
                }
            },
            (TaskState::Running, priority) => match chosen {
                // Ties favour the running task.
                Some((_, best)) if priority > best => host.task_core(task, |core| core.state = TaskState::Ready),
                _ => chosen = Some((task, priority)),
            },
            (TaskState::Suspended, _) => {}
        }
    }
    let Some((task, _)) = chosen else { return PassOutcome::Idle };
    host.task_core(task, |core| {
        core.state = TaskState::Running;
        core.runs = core.runs.wrapping_add(1);
    });
    match (host.resume)(host.ctx, task.obj) {
        Resumed::Yielded => PassOutcome::Ran,
        Resumed::Blocked => {
            host.task_core(task, |core| core.state = TaskState::Blocked);
            PassOutcome::Ran
        }
        Resumed::Returned => {
            (host.remove_task)(host.ctx, task.obj);
            PassOutcome::Ran
        }
        Resumed::Raised => PassOutcome::Raised,
    }
}

/// Where `add_task` inserts a task of `priority` into the host's list: after
/// every task of the same or a better priority, so the list stays sorted and
/// equal priorities keep the order they were added in (a stable sort, which the
/// original gets from CPython's `list.sort`).
pub fn insertion_index(host: &Host, priority: i32) -> usize {
    let mut index = (host.task_count)(host.ctx);
    while index > 0 {
        let task = (host.task_at)(host.ctx, index - 1);
        if task.core.is_null() || host.task_core(task, |core| core.priority <= priority) {
            break;
        }
        index -= 1;
    }
    index
}
