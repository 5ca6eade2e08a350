//! The kernel: which tasks are ready, which need their conditions evaluated,
//! and the timers — all as intrusive lists through the Python objects, so the
//! core allocates nothing and the GC sees every object it links.
//!
//! # Why this is observably the original's polling scheduler
//!
//! The original evaluates every blocked task's conditions in every pass. After
//! a condition's first evaluation, evaluating it again while nothing it depends
//! on has changed gives the same answer and has no effect, so the kernel only
//! evaluates a blocked task when it is *dirty*: just blocked (first
//! evaluation), a watched object changed (`Kernel::wake_waiters`), a timer or
//! delay came due, or it waits on a user condition (polled every pass). Dirty
//! tasks are evaluated in the original's order — priority, then when added —
//! and a task made dirty during a pass is evaluated in that pass only if the
//! scan has not passed it yet, otherwise in the next one, exactly as the
//! original's single walk over the task list would see the change.
//!
//! # What the lists hold
//!
//! - `members`: every task admitted (`admit`, by `add_task` or a resync of
//!   a hand-edited list) and not yet retired. A member carries the kernel's
//!   `epoch` and `index`, a hint of its place in the task list; a resync
//!   starts a new epoch, so a task whose epoch is old has left the list.
//! - A task is in at most one of `ready`, `dirty` and `deferred`, through its
//!   `sched` link; its `place` says which (`Place`).
//!   - `ready`: READY tasks by (priority, seq), seq being when they were
//!     added; plus a RUNNING one that a pass over another list displaced
//!     (`start_running`). Entries that stopped being candidates are dropped
//!     when `choose` meets them.
//!   - `dirty`: BLOCKED tasks to evaluate in this pass (while the scan has
//!     not passed them) or the next, in the same order.
//!   - `deferred`: tasks to look at in the next pass, in no order: those that
//!     wait on a user condition, and those changed behind the scan.
//!     `begin_pass` moves them to `ready` or `dirty`.
//! - `timers` (by deadline) and `delays` (by due pass) link condition objects,
//!   as do the `watchers` of a task and the `waiters` of a lock or queue. A
//!   linked condition is registered for one task (`Condition::task`), which
//!   is BLOCKED and holds it in its condition list; registrations of tasks that
//!   stopped waiting are dropped when next met (`wake_waiters`).
//! - `running` and `last_run` point only to members: `retire` clears them,
//!   so the GC, which scans the kernel, frees a task that left. `current`
//!   names the task whose code runs (a member or not) only while it runs:
//!   the shim puts back the one before when the resume returns.
//!
//! The model test (`model_tests.rs`, `World::check_invariants`) checks the
//! last two after every pass.
//!
//! # Pointers
//!
//! The kernel's methods take the task, condition, lock and queue objects they
//! act on as raw pointers, and are safe functions under the crate's contract
//! (see *Safety at the boundary* in `lib.rs`): every such pointer names a live
//! object of its kind, which the shim holds for the call or a kernel list
//! links. Clippy flags the few that dereference an argument directly; they
//! follow the same contract as `with_task`, which reaches its target through
//! `task_core`, so the lint is allowed here rather than making a handful of
//! them `unsafe` and leaving the rest as they are.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use core::ffi::c_void;
use core::mem::offset_of;
use core::ptr::{self, NonNull};

use crate::condition::{Condition, ConditionKind, Verdict};
use crate::list::{Adapter, Link, List};
use crate::lock::LockCore;
use crate::CoreError;
use crate::queue::QueueCore;
#[cfg(feature = "stats")]
use crate::stats::Stats;
use crate::task::{Place, TaskCore, TaskState};

/// Scheduling state of the module: one per interpreter, embedded by the shim in
/// its GC-scanned module state.
#[repr(C)]
#[derive(Debug)]
pub struct Kernel {
    /// Where `TaskCore` sits inside a Task object, and `Condition` inside a condition object.
    pub task_offset: usize,
    pub condition_offset: usize,
    /// READY tasks in scheduling order.
    ready: List,
    /// BLOCKED tasks to evaluate, in scheduling order.
    dirty: List,
    /// Tasks to look at in the next pass (polled, or changed behind the scan).
    deferred: List,
    /// Some task in `deferred` needs the next pass to come soon: anything
    /// but a task that only looks again at a condition it shares with
    /// another task (`Verdict::Shared`), which may wait for a sleep to end.
    deferred_need_pass: bool,
    /// Every added task (for noticing tasks removed from the list by hand).
    members: List,
    member_count: usize,
    /// Registered timeouts by deadline, and delays by due pass.
    timers: List,
    delays: List,
    /// The task the last pass resumed, while it stays RUNNING.
    running: *mut c_void,
    /// The task whose generator is executing (its code is the caller of
    /// `unlock()`), or null. Only a recursive mutex asks (`more-locks`).
    #[cfg(feature = "more-locks")]
    current: *mut c_void,
    /// The pass number, counting the passes `idle` skips while only delays
    /// are due (which `stats.passes` leaves out).
    pub pass_no: u64,
    #[cfg(feature = "stats")]
    pub stats: Stats,
    /// The task resumed last, while it is added (compared, never dereferenced;
    /// the GC sees it here, so `retire` forgets it).
    #[cfg(feature = "stats")]
    last_run: *mut c_void,
    next_seq: u32,
    /// Members carry the current epoch; a resync starts a new one.
    epoch: u16,
    /// During a pass's scan: the key of the task being evaluated.
    scanning: bool,
    scan_priority: i32,
    scan_seq: u32,
}

struct Sched(usize);
// SAFETY: Task objects hold their TaskCore at the kernel's `task_offset`.
unsafe impl Adapter for Sched {
    fn link(&self, task: *mut c_void) -> *mut Link {
        task.cast::<u8>().wrapping_add(self.0 + offset_of!(TaskCore, sched)).cast()
    }
}

struct Member(usize);
// SAFETY: as for `Sched`.
unsafe impl Adapter for Member {
    fn link(&self, task: *mut c_void) -> *mut Link {
        task.cast::<u8>().wrapping_add(self.0 + offset_of!(TaskCore, member)).cast()
    }
}

struct Waiting(usize);
// SAFETY: condition objects hold their Condition at the kernel's `condition_offset`.
unsafe impl Adapter for Waiting {
    fn link(&self, cond: *mut c_void) -> *mut Link {
        cond.cast::<u8>().wrapping_add(self.0 + offset_of!(Condition, link)).cast()
    }
}

/// The TaskCore inside a task object. Dereferencing it is sound while the
/// object is live: the caller holds it, or it is in a kernel list (see `list`).
fn task_core(task_offset: usize, task: *mut c_void) -> *mut TaskCore {
    task.cast::<u8>().wrapping_add(task_offset).cast()
}

fn condition(condition_offset: usize, cond: *mut c_void) -> *mut Condition {
    cond.cast::<u8>().wrapping_add(condition_offset).cast()
}

/// A registered condition's sort key in the timer or delay list.
fn due(condition_offset: usize, cond: *mut c_void) -> u64 {
    // SAFETY: `cond` is in a kernel list, hence a live condition object.
    match unsafe { (*condition(condition_offset, cond)).kind } {
        ConditionKind::Timeout { deadline_us, .. } => deadline_us,
        ConditionKind::Delay { due_pass, .. } => due_pass,
        _ => u64::MAX,
    }
}

/// Round robin is built in (cargo feature `round-robin`). Without it the
/// `round_robin` arguments are ignored (the shim then never sets them) and its
/// code is left out.
pub(crate) const ROUND_ROBIN: bool = cfg!(feature = "round-robin");

/// The longest the loop sleeps in one go, 2^31 µs (35.8 minutes). Boards
/// count time with a 32-bit microsecond tick, which wraps every 71.6
/// minutes; the shim's clock notices a wrap only when it is read within that
/// period, and a missed wrap would make a pending timer that late. (Also
/// within a 32-bit count of milliseconds.)
pub const MAX_SLEEP_US: u64 = 1 << 31;

/// What the scheduler loop may do when a pass found nothing to run.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idle {
    /// Run the next pass at once: a task is ready, marked or polled (user
    /// conditions), or `idle` skipped the passes up to the next due delay.
    Busy,
    /// Nothing can change before the wait `Kernel::idle` set, except through an
    /// interrupt or Python code.
    Until,
    /// Nothing can change except through an interrupt (every task waits on an object).
    Forever,
}

impl Kernel {
    pub const fn new(task_offset: usize, condition_offset: usize) -> Self {
        Kernel {
            task_offset,
            condition_offset,
            ready: List::new(),
            dirty: List::new(),
            deferred: List::new(),
            deferred_need_pass: false,
            members: List::new(),
            member_count: 0,
            timers: List::new(),
            delays: List::new(),
            running: ptr::null_mut(),
            #[cfg(feature = "more-locks")]
            current: ptr::null_mut(),
            pass_no: 0,
            #[cfg(feature = "stats")]
            stats: Stats::new(),
            #[cfg(feature = "stats")]
            last_run: ptr::null_mut(),
            next_seq: 0,
            epoch: 1,
            scanning: false,
            scan_priority: 0,
            scan_seq: 0,
        }
    }

    /// Makes the zeroed block at `kernel` what [`Kernel::new`] returns, by
    /// setting its non-zero fields only: writing the whole struct costs flash
    /// small boards do not have. The test `init_zeroed_is_new` holds the two
    /// together.
    ///
    /// # Safety
    /// `kernel` must point to a writable `Kernel`-sized block of zero bytes.
    pub unsafe fn init_zeroed(kernel: *mut Kernel, task_offset: usize, condition_offset: usize) {
        // SAFETY: the caller's guarantee; zero bytes are a valid `Kernel`,
        // whose fields are integers, bools, raw pointers and structs of those
        // (empty lists, zero counts, null tasks).
        let kernel = unsafe { &mut *kernel };
        kernel.task_offset = task_offset;
        kernel.condition_offset = condition_offset;
        kernel.epoch = 1;
    }

    /// Runs `f` on a task's core. The borrow of `self` keeps `f` from reaching
    /// the kernel (and so any other task) meanwhile.
    pub fn with_task<R>(&mut self, task: *mut c_void, f: impl FnOnce(&mut TaskCore) -> R) -> R {
        // SAFETY: `task` is a live Task object (see `task_core`); the reference
        // lives only for `f`, which cannot reach another reference to it.
        f(unsafe { &mut *task_core(self.task_offset, task) })
    }

    fn with_condition<R>(&mut self, cond: *mut c_void, f: impl FnOnce(&mut Condition) -> R) -> R {
        // SAFETY: as for `with_task`, for a live condition object.
        f(unsafe { &mut *condition(self.condition_offset, cond) })
    }

    fn key(&mut self, task: *mut c_void) -> (i32, u32) {
        self.with_task(task, |t| (t.priority, t.seq))
    }

    fn state(&mut self, task: *mut c_void) -> TaskState {
        self.with_task(task, |t| t.state)
    }

    pub fn is_member(&mut self, task: *mut c_void) -> bool {
        let epoch = self.epoch;
        self.with_task(task, |t| t.epoch == epoch)
    }

    /// The task list, `count` entries ending with `last` (null when there
    /// are none or it is not a Task), is as the kernel last saw it. A hand
    /// edit shows as a new length or (remove + append) as a last entry that
    /// is not a member at that place.
    // Inlined, the callers' checks fold into it: 48 B less on thumbv6m.
    #[inline(always)]
    pub(crate) fn knows_list(&mut self, count: usize, last: *mut c_void) -> bool {
        count == self.member_count && (count == 0 || !last.is_null() && self.is_member(last) && self.with_task(last, |t| t.index as usize) == count - 1)
    }

    /// The "greater" relation of the scheduling order, for sorted inserts.
    fn later(task_offset: usize) -> impl Fn(*mut c_void, *mut c_void) -> bool {
        move |a, b| {
            // SAFETY: both are live tasks: one in a kernel list, one held by the caller.
            let (a, b) = unsafe { (&*task_core(task_offset, a), &*task_core(task_offset, b)) };
            (a.priority, a.seq) > (b.priority, b.seq)
        }
    }

    /// Takes a task out of whichever of ready/dirty/deferred it is in.
    fn unplace(&mut self, task: *mut c_void) {
        let adapter = Sched(self.task_offset);
        match self.with_task(task, |t| core::mem::replace(&mut t.place, Place::Nowhere)) {
            Place::Nowhere => {}
            Place::Ready => self.ready.remove(&adapter, task),
            Place::Dirty => self.dirty.remove(&adapter, task),
            Place::Deferred => self.deferred.remove(&adapter, task),
        }
    }

    fn place(&mut self, task: *mut c_void, place: Place) {
        self.unplace(task);
        let adapter = Sched(self.task_offset);
        match place {
            Place::Nowhere => {}
            Place::Ready => self.ready.insert_sorted(&adapter, task, Self::later(self.task_offset)),
            Place::Dirty => self.dirty.insert_sorted(&adapter, task, Self::later(self.task_offset)),
            Place::Deferred => {
                self.deferred.push_back(&adapter, task);
                self.deferred_need_pass = true;
            }
        }
        self.with_task(task, |t| t.place = place);
    }

    /// True when a pass is scanning and has already passed (or is at) `task`.
    fn behind_scan(&mut self, task: *mut c_void) -> bool {
        self.scanning && self.key(task) <= (self.scan_priority, self.scan_seq)
    }

    // ---- task transitions ---------------------------------------------------

    /// `add_task`: the task joins the scheduling order after every task added before it.
    pub fn admit(&mut self, task: *mut c_void) {
        let (seq, epoch) = (self.next_seq, self.epoch);
        self.next_seq = self.next_seq.wrapping_add(1);
        self.with_task(task, |t| {
            t.seq = seq;
            t.epoch = epoch;
        });
        if !self.with_task(task, |t| t.member.is_linked()) {
            self.members.push_back(&Member(self.task_offset), task);
            self.member_count += 1;
        }
        // Added again after leaving the list by hand, a task may be placed
        // already: it moves to its place for the new `seq`.
        match self.state(task) {
            // A deferred one was evaluated in this pass already: it stays.
            TaskState::Blocked if self.with_task(task, |t| t.place) == Place::Deferred => {}
            TaskState::Blocked => self.place_dirty(task),
            TaskState::Suspended => {}
            TaskState::Ready | TaskState::Running => self.set_ready(task),
        }
    }

    /// The task left the task list; its conditions were released by the shim.
    pub fn retire(&mut self, task: *mut c_void) {
        self.unplace(task);
        if self.with_task(task, |t| t.member.is_linked()) {
            self.members.remove(&Member(self.task_offset), task);
            self.member_count -= 1;
        }
        self.with_task(task, |t| t.epoch = 0);
        if self.running == task {
            self.running = ptr::null_mut();
        }
        #[cfg(feature = "stats")]
        if self.last_run == task {
            self.last_run = ptr::null_mut();
        }
    }

    /// The task becomes READY (woken, resumed, or set so by hand).
    pub fn set_ready(&mut self, task: *mut c_void) {
        self.enter_state(task, TaskState::Ready);
        if self.running == task {
            self.running = ptr::null_mut();
        }
        if !self.is_member(task) {
            return;
        }
        // Made ready behind the scan: the original's walk has passed it, so it
        // cannot be picked before the next pass.
        let place = if self.behind_scan(task) { Place::Deferred } else { Place::Ready };
        self.place(task, place);
    }

    /// The task being evaluated found a true condition: it is READY at its own
    /// place in this pass's scan.
    pub(crate) fn wake(&mut self, task: *mut c_void) {
        #[cfg(feature = "stats")]
        Stats::count(&mut self.stats.wakeups);
        self.enter_state(task, TaskState::Ready);
        if self.is_member(task) {
            self.place(task, Place::Ready);
        }
    }

    /// Sets the state and notes the pass, from which round robin counts how
    /// long the task has waited (the pass number's low 32 bits suffice: only
    /// differences between tasks' passes count).
    fn enter_state(&mut self, task: *mut c_void, state: TaskState) {
        let pass = self.pass_no as u32;
        self.with_task(task, |t| {
            t.state = state;
            t.stamp_pass(pass);
        });
    }

    /// The task yielded a condition list: it is evaluated for the first time in the next pass.
    pub fn block(&mut self, task: *mut c_void) {
        self.with_task(task, |t| t.state = TaskState::Blocked);
        if self.running == task {
            self.running = ptr::null_mut();
        }
        self.mark_dirty(task);
    }

    /// `suspend()`; the shim released the task's conditions.
    pub fn suspend(&mut self, task: *mut c_void) {
        self.unplace(task);
        self.with_task(task, |t| t.state = TaskState::Suspended);
        if self.running == task {
            self.running = ptr::null_mut();
        }
    }

    /// `task.state = ...` from Python.
    pub fn set_state(&mut self, task: *mut c_void, state: TaskState) {
        match state {
            TaskState::Ready => self.set_ready(task),
            TaskState::Blocked => self.block(task),
            TaskState::Suspended => self.suspend(task),
            TaskState::Running => {
                // It becomes the running task; one that was running is READY again.
                let previous = self.running;
                if !previous.is_null() && previous != task {
                    self.set_ready(previous);
                }
                self.unplace(task);
                self.with_task(task, |t| t.state = TaskState::Running);
                self.running = task;
            }
        }
    }

    /// Something a blocked task waits for may have changed: evaluate it in this
    /// pass if the scan has not reached it yet, otherwise in the next.
    pub fn mark_dirty(&mut self, task: *mut c_void) {
        if !self.is_member(task) || self.state(task) != TaskState::Blocked {
            return;
        }
        match self.with_task(task, |t| t.place) {
            Place::Dirty | Place::Deferred => {}
            _ => self.place_dirty(task),
        }
    }

    /// Puts a blocked member in the dirty list, or in the deferred one when
    /// the scan has passed it.
    fn place_dirty(&mut self, task: *mut c_void) {
        let place = if self.behind_scan(task) { Place::Deferred } else { Place::Dirty };
        self.place(task, place);
    }

    /// Marks the tasks of every condition registered in `waiters` dirty, and
    /// drops registrations whose task no longer waits.
    fn wake_waiters(&mut self, waiters: *mut List) {
        let adapter = Waiting(self.condition_offset);
        // SAFETY: `waiters` points into a live object the caller holds (a
        // task, lock or queue); each deref makes a reference for one call only,
        // so none is held across the calls in this loop (same below).
        let mut at = unsafe { (*waiters).first() };
        while let Some(cond) = at {
            // SAFETY: as above.
            at = unsafe { (*waiters).next(&adapter, cond) };
            let task = self.with_condition(cond, |c| c.task);
            if self.state(task) == TaskState::Blocked {
                self.mark_dirty(task);
            } else {
                // SAFETY: as above.
                unsafe { (*waiters).remove(&adapter, cond) };
            }
        }
    }

    /// A task's mailbox or notifications changed. `task` points into a live
    /// Task object the caller holds (as do the pointers of the next three).
    pub fn task_changed(&mut self, task: *mut TaskCore) {
        self.wake_waiters(task.wrapping_byte_add(offset_of!(TaskCore, watchers)).cast());
    }

    /// A lock was unlocked or a request left its queue.
    pub fn lock_changed(&mut self, lock: *mut LockCore) {
        self.wake_waiters(lock.wrapping_byte_add(offset_of!(LockCore, waiters)).cast());
    }

    /// Makes `task` the task whose code runs (null: none); returns the one
    /// before. A no-op without `more-locks`, where no lock asks.
    pub fn swap_current(&mut self, task: *mut c_void) -> *mut c_void {
        #[cfg(feature = "more-locks")]
        return core::mem::replace(&mut self.current, task);
        #[cfg(not(feature = "more-locks"))]
        {
            let _ = task;
            ptr::null_mut()
        }
    }

    /// The task whose code calls `unlock()` (see `current`): null without
    /// `more-locks`, where no lock asks.
    fn caller(&self) -> *const c_void {
        #[cfg(feature = "more-locks")]
        return self.current;
        #[cfg(not(feature = "more-locks"))]
        ptr::null()
    }

    /// `nb_lock(task)` and the evaluation of a lock condition: takes the lock
    /// if it can; the first hold of an inheritance mutex is counted on the task.
    pub fn try_lock(&mut self, lock: *mut LockCore, requester: *const c_void) -> bool {
        // SAFETY: see `task_changed`; the reference ends before `with_task`.
        let (was_free, took, inherit) = unsafe {
            let lock = &mut *lock;
            (lock.owner.is_null(), lock.try_lock(requester), lock.inherits())
        };
        if took && was_free && inherit {
            // An inheritance lock's owner is a live task: the lock holds it.
            self.with_task(requester.cast_mut(), TaskCore::hold_inheritance);
        }
        took
    }

    /// `unlock()` from the code of the current task (see [`LockCore::unlock`]).
    /// Waiters take what it freed when next evaluated, in the pass after, as
    /// in the original.
    pub fn unlock(&mut self, lock: *mut LockCore) -> Result<(), CoreError> {
        // SAFETY: see `task_changed`; the reference ends before the calls below.
        let (released, inherit, units) = unsafe {
            let lock = &mut *lock;
            (lock.unlock(self.caller())?, lock.inherits(), lock.units())
        };
        if inherit && !released.is_null() {
            let owner = released.cast_mut();
            if let Some(base) = self.with_task(owner, TaskCore::drop_inheritance) {
                self.reprioritize(owner, base);
            }
        }
        if units > 0 {
            self.lock_changed(lock);
        }
        Ok(())
    }

    /// A requester found an inheritance mutex held: the owner runs at the
    /// requester's priority if that is better, until it lets go of its last
    /// inheritance mutex. Not passed on along chains of owners (as in FreeRTOS).
    fn inherit(&mut self, lock: *mut LockCore, requester: *const c_void) {
        // SAFETY: see `task_changed`.
        let (owner, inherit) = unsafe { ((*lock).owner.cast_mut(), (*lock).inherits()) };
        if !inherit || owner.is_null() {
            return;
        }
        // Requesters and owners are live tasks: the condition and the lock hold them.
        let priority = self.with_task(requester.cast_mut(), |t| t.priority);
        if priority < self.with_task(owner, |t| t.priority) {
            self.reprioritize(owner, priority);
        }
    }

    /// `task.priority = priority` (see [`TaskCore::set_priority`]): a task
    /// waiting in the ready or dirty list moves to its place for the new
    /// effective priority, as those lists must stay in scheduling order.
    ///
    /// A worse priority for a task holding inheritance mutexes can undo a
    /// loan (a new base priority better than the loan ends it, as FreeRTOS's
    /// `vTaskPrioritySet` does, and the loan is not kept apart): every blocked
    /// task is evaluated again, so the waiters for its mutexes lend theirs
    /// again. Rare, so the walk over all tasks is acceptable.
    pub fn set_priority(&mut self, task: *mut c_void, priority: i32) {
        let (before, effective, lending) = self.with_task(task, |t| {
            let before = t.priority;
            t.set_priority(priority);
            (before, t.priority, t.holds_inheritance())
        });
        self.reprioritize(task, effective);
        if lending && effective > before {
            let adapter = Member(self.task_offset);
            let mut at = self.members.first();
            while let Some(member) = at {
                self.mark_dirty(member);
                at = self.members.next(&adapter, member);
            }
        }
    }

    /// Changes a task's effective priority and its place in the scheduling order.
    fn reprioritize(&mut self, task: *mut c_void, priority: i32) {
        self.with_task(task, |t| t.priority = priority);
        match self.with_task(task, |t| t.place) {
            Place::Ready => self.place(task, Place::Ready),
            Place::Dirty => {
                // Where the scan would meet it with its new key.
                self.unplace(task);
                self.mark_dirty(task);
            }
            Place::Nowhere | Place::Deferred => {}
        }
    }

    /// An item was added to or removed from a queue.
    pub fn queue_changed(&mut self, queue: *mut QueueCore, added: bool) {
        // SAFETY: see `task_changed`; the reference ends before `wake_waiters`.
        unsafe {
            let len = &mut (*queue).len;
            *len = if added { len.saturating_add(1) } else { len.saturating_sub(1) };
        }
        self.wake_waiters(queue.wrapping_byte_add(offset_of!(QueueCore, waiters)).cast());
    }

    // ---- conditions -----------------------------------------------------------

    /// The list a condition registers in.
    fn registry(&mut self, kind: &ConditionKind) -> *mut List {
        match *kind {
            ConditionKind::Timeout { .. } => &mut self.timers,
            ConditionKind::Delay { .. } => &mut self.delays,
            // SAFETY (the next three): the pointers lead into the object the
            // condition object references, which keeps it alive (condition.rs).
            ConditionKind::Message { task } | ConditionKind::Notification { task, .. } => unsafe { &mut (*task).watchers },
            ConditionKind::MutexLock { lock, .. } | ConditionKind::SemaphoreLock { lock, .. } => unsafe { &mut (*lock).waiters },
            ConditionKind::QueueSend { queue, .. } | ConditionKind::QueueRecv { queue, .. } => unsafe { &mut (*queue).waiters },
        }
    }

    /// Registers `cond` for `task` so a change marks the task dirty. Timers go in
    /// due order, everything else at the end (a semaphore's queue is FIFO).
    /// False when it is registered for another task already.
    fn register(&mut self, cond: *mut c_void, task: *mut c_void) -> bool {
        if task.is_null() {
            return false;
        }
        let (linked, owner, kind) = self.with_condition(cond, |c| (c.link.is_linked(), c.task, c.kind));
        if linked {
            return owner == task;
        }
        self.with_condition(cond, |c| c.task = task);
        let list = self.registry(&kind);
        let adapter = Waiting(self.condition_offset);
        let offset = self.condition_offset;
        // SAFETY: `registry` returned a list in the kernel or in a live watched object.
        let list = unsafe { &mut *list };
        match kind {
            ConditionKind::Timeout { .. } | ConditionKind::Delay { .. } => {
                list.insert_sorted(&adapter, cond, move |a, b| due(offset, a) > due(offset, b))
            }
            _ => list.push_back(&adapter, cond),
        }
        true
    }

    /// `task` stopped waiting on `cond`: unregister it, if it is registered for
    /// that task (a condition object two tasks wait on stays registered for
    /// the other). A semaphore request leaves the queue at once, so it never
    /// blocks later requesters. A delay keeps what is left of its count.
    pub fn release(&mut self, cond: *mut c_void, task: *mut c_void) {
        self.unregister(cond, task, true);
    }

    /// As [`Kernel::release`], for a condition behind the one that woke
    /// `task` in this pass: this pass did not evaluate it (SPEC section 3).
    pub(crate) fn release_unevaluated(&mut self, cond: *mut c_void, task: *mut c_void) {
        self.unregister(cond, task, false);
    }

    fn unregister(&mut self, cond: *mut c_void, task: *mut c_void, evaluated: bool) {
        let (linked, owner, kind) = self.with_condition(cond, |c| {
            let owner = c.task;
            // The GC sees this pointer: a condition object kept for later
            // must not keep a finished task alive.
            if owner == task {
                c.task = ptr::null_mut();
            }
            (c.link.is_linked(), owner, c.kind)
        });
        if !linked || owner != task {
            return;
        }
        let list = self.registry(&kind);
        // SAFETY: as in `register`.
        unsafe { (*list).remove(&Waiting(self.condition_offset), cond) };
        match kind {
            // SAFETY: see `registry`.
            ConditionKind::SemaphoreLock { lock, .. } if unsafe { (*lock).units() } > 0 => self.lock_changed(lock),
            // The original's delay counts its own evaluations, so one yielded
            // again (or driven by `next()`) goes on from where it stopped: a
            // registered delay was evaluated in every pass up to this one
            // (`evaluated`: this one too) and is due later.
            ConditionKind::Delay { .. } => {
                let passed = self.pass_no.wrapping_add(u64::from(evaluated));
                self.with_condition(cond, |c| {
                    if let ConditionKind::Delay { cycles, due_pass, started } = &mut c.kind {
                        *cycles = due_pass.wrapping_sub(passed);
                        *started = false;
                    }
                });
            }
            _ => {}
        }
    }

    /// One evaluation of a built-in condition for `task` (SPEC section 3), with
    /// registration of a false one. `now` reads the clock, only when needed.
    /// `task` is null when Python code drives the condition with `next()`: then
    /// nothing registers (its caller is polled anyway), and a lock request queues
    /// for its requester. Not generic and not inlined: the pass and `next()`
    /// share one copy (flash matters more than a call here).
    #[inline(never)]
    pub fn poll(&mut self, cond: *mut c_void, task: *mut c_void, now: &dyn Fn() -> u64) -> Verdict {
        let pass_no = self.pass_no;
        // The condition's state is updated in place. SAFETY: `cond` is a live
        // condition object (see `with_condition`); `kind` is last used before
        // the calls below that could reach the condition again (`try_lock`,
        // `poll_request`, `register`), which copy what they need out of it first.
        let kind = unsafe { &mut (*condition(self.condition_offset, cond)).kind };
        let fired = match kind {
            ConditionKind::Timeout { duration_us, deadline_us, started } => {
                let now = now();
                if !*started {
                    *deadline_us = now.saturating_add(*duration_us);
                    *started = true;
                }
                *duration_us != u64::MAX && now >= *deadline_us
            }
            // Driven by `next()` from a user condition: counts evaluations.
            // (One a task waits on counts passes for that task; `next()` reads
            // it, as another task's evaluation does, without advancing it.)
            ConditionKind::Delay { cycles, started: false, .. } if task.is_null() => {
                let left = *cycles;
                *cycles = left.saturating_sub(1);
                left == 0
            }
            ConditionKind::Delay { cycles, due_pass, started } => {
                if !*started {
                    *due_pass = pass_no.saturating_add(*cycles);
                    *started = true;
                }
                pass_no >= *due_pass
            }
            // SAFETY: see `registry`: the condition object keeps the task alive.
            ConditionKind::Message { task: target } => unsafe { (**target).mailbox_count > 0 },
            ConditionKind::Notification { fired: true, .. } => true,
            ConditionKind::Notification { task: target, index, state, started, fired } => {
                // SAFETY: as for `Message`; `slot`, a slot of that task, is
                // used in this arm only, which calls nothing that reaches it.
                let Ok(slot) = unsafe { &mut **target }.notification(i64::from(*index)) else {
                    return Verdict::Pending;
                };
                if !*started {
                    slot.state = 0;
                    *started = true;
                }
                // Clearing the slot wakes nobody: a registered wait is for a
                // non-zero state (one for 0 fired at its first evaluation).
                *fired = slot.state == *state;
                *fired
            }
            ConditionKind::MutexLock { lock, requester } => {
                let (lock, requester) = (*lock, *requester);
                let took = self.try_lock(lock, requester);
                if !took {
                    self.inherit(lock, requester);
                }
                took
            }
            ConditionKind::SemaphoreLock { lock, requester, next_pass } => {
                let (lock, requester) = (*lock, *requester);
                // The scheduler evaluates it now (its task yielded it, maybe
                // after driving it with next()), or next() drives it.
                let task = if task.is_null() {
                    *next_pass = pass_no.wrapping_add(1);
                    requester.cast_mut()
                } else {
                    *next_pass = 0;
                    task
                };
                return self.poll_request(cond, task, lock, requester);
            }
            ConditionKind::QueueSend { done: true, .. } | ConditionKind::QueueRecv { done: true, .. } => true,
            ConditionKind::QueueSend { queue, done: false } => {
                // SAFETY: see `registry`: the condition object keeps the queue alive.
                if unsafe { (**queue).can_send() } {
                    return Verdict::Transfer;
                }
                false
            }
            ConditionKind::QueueRecv { queue, done: false } => {
                // SAFETY: as for `QueueSend`.
                if unsafe { (**queue).can_recv() } {
                    return Verdict::Transfer;
                }
                false
            }
        };
        if fired {
            Verdict::True
        } else if self.register(cond, task) {
            Verdict::NotYet
        } else {
            Verdict::Shared
        }
    }

    /// `BinarySemaphore.lock`, `CountingSemaphore.lock`: joins the queue at the
    /// first evaluation; granted when the lock's units cover this request and
    /// the live ones ahead of it.
    fn poll_request(&mut self, cond: *mut c_void, task: *mut c_void, lock: *mut LockCore, requester: *const c_void) -> Verdict {
        if !self.register(cond, task) {
            return Verdict::Shared;
        }
        let adapter = Waiting(self.condition_offset);
        // The owner asking again gets it at once (the original compared the owner
        // with the semaphore itself here, so re-entry never worked).
        // SAFETY: `lock` is alive (see `registry`); each deref makes a reference
        // for one call only, none held across calls (same below).
        let mut granted = unsafe { !(*lock).owner.is_null() && (*lock).owner == requester };
        // SAFETY: as above.
        let mut units = unsafe { (*lock).units() };
        // SAFETY: as above.
        let mut at = unsafe { (*lock).waiters.first() };
        // A request ahead that a user condition drives with next() can be
        // abandoned silently (its generator simply stops being polled): no
        // event would then tell this one, so it looks again every pass.
        let mut behind_next_driven = false;
        while let Some(ahead) = at.filter(|_| units > 0 && !granted) {
            // SAFETY: as above.
            at = unsafe { (*lock).waiters.next(&adapter, ahead) };
            if ahead == cond {
                granted = true;
            } else if self.abandoned(ahead) {
                // Requests nobody waits on any more must not hold up the queue.
                // SAFETY: as above.
                unsafe { (*lock).waiters.remove(&adapter, ahead) };
            } else {
                behind_next_driven |= self.next_pass(ahead) != 0;
                units -= 1;
            }
        }
        if !granted {
            return if behind_next_driven { Verdict::Pending } else { Verdict::NotYet };
        }
        // SAFETY: as above.
        unsafe { (*lock).waiters.remove(&adapter, cond) };
        self.try_lock(lock, requester);
        Verdict::True
    }

    /// A queued request whose task stopped waiting without releasing it (it
    /// was removed from the task list by hand), or whose user condition that
    /// drove it with next() is gone.
    fn abandoned(&mut self, request: *mut c_void) -> bool {
        let task = self.with_condition(request, |c| c.task);
        let next_pass = self.next_pass(request);
        self.state(task) != TaskState::Blocked || (next_pass != 0 && next_pass < self.pass_no)
    }

    /// For a queued request a user condition drives with next(): the pass by
    /// which it must be polled again to stay live. 0 for any other request.
    fn next_pass(&mut self, request: *mut c_void) -> u64 {
        self.with_condition(request, |c| match c.kind {
            ConditionKind::SemaphoreLock { next_pass, .. } => next_pass,
            _ => 0,
        })
    }

    /// The shim moved the queue item a [`Verdict::Transfer`] asked for.
    pub fn transferred(&mut self, cond: *mut c_void) {
        let (queue, added) = match self.with_condition(cond, |c| c.kind) {
            ConditionKind::QueueSend { queue, .. } => (queue, true),
            ConditionKind::QueueRecv { queue, .. } => (queue, false),
            _ => return,
        };
        self.with_condition(cond, |c| match &mut c.kind {
            ConditionKind::QueueSend { done, .. } | ConditionKind::QueueRecv { done, .. } => *done = true,
            _ => {}
        });
        self.queue_changed(queue, added);
    }

    // ---- passes ---------------------------------------------------------------

    /// Starts a pass: due timers and delays and last pass's deferred tasks make
    /// their tasks dirty.
    #[inline(never)] // one copy for both kinds of pass
    pub(crate) fn begin_pass(&mut self, now: &dyn Fn() -> u64) {
        self.count_pass();
        if !self.timers.is_empty() {
            self.mark_due(true, now());
        }
        self.mark_due(false, self.pass_no);
        while let Some(task) = self.deferred.first() {
            self.unplace(task);
            match self.state(task) {
                TaskState::Ready => self.place(task, Place::Ready),
                TaskState::Blocked => self.place(task, Place::Dirty),
                _ => {}
            }
        }
        self.deferred_need_pass = false;
    }

    /// Takes the conditions due by `up_to` out of the timers (`timers`) or
    /// the delays, both in due order, and marks their tasks dirty.
    fn mark_due(&mut self, timers: bool, up_to: u64) {
        let offset = self.condition_offset;
        loop {
            let list = if timers { &mut self.timers } else { &mut self.delays };
            let Some(cond) = list.first().filter(|&c| due(offset, c) <= up_to) else { return };
            list.remove(&Waiting(offset), cond);
            let task = self.with_condition(cond, |c| c.task);
            self.mark_dirty(task);
        }
    }

    /// The next dirty task to evaluate, which the scan is now at.
    pub(crate) fn next_dirty(&mut self) -> Option<*mut c_void> {
        loop {
            let task = self.dirty.first()?;
            self.unplace(task);
            if self.is_member(task) && self.state(task) == TaskState::Blocked {
                (self.scan_priority, self.scan_seq) = self.key(task);
                self.scanning = true;
                return Some(task);
            }
        }
    }

    pub(crate) fn end_scan(&mut self) {
        self.scanning = false;
    }

    /// A blocked task waits on a user condition (or one `needs_pass` says
    /// can wait for a sleep to end): evaluate it again next pass.
    pub(crate) fn poll_again(&mut self, task: *mut c_void, needs_pass: bool) {
        if self.is_member(task) {
            // `place` counts every deferral as needing a pass; this one only
            // does if `needs_pass` (kept there: one copy of it is smaller).
            let needed = self.deferred_need_pass;
            self.place(task, Place::Deferred);
            self.deferred_need_pass = needed || needs_pass;
        }
    }

    /// The task to resume: the first READY task, unless the RUNNING one has an
    /// equal or better priority (ties favour the running task; with
    /// `round_robin`, ties go to the task in turn, see [`Kernel::in_turn`]).
    /// A RUNNING task that loses goes back to READY only once the pass has
    /// checked the choice ([`Kernel::preempt`]): the pass may have to re-read
    /// the task list and choose again, which must find the same task.
    pub(crate) fn choose(&mut self, round_robin: bool) -> Option<*mut c_void> {
        let round_robin = round_robin && ROUND_ROBIN;
        let candidate = loop {
            let Some(task) = self.ready.first() else { break None };
            // A RUNNING one there was displaced by a pass over another list
            // (see `start_running`): a candidate as well.
            if self.is_member(task) && matches!(self.state(task), TaskState::Ready | TaskState::Running) {
                break Some(task);
            }
            self.unplace(task);
        };
        let running = self.running_other_than(ptr::null_mut());
        let chosen = match (candidate, running) {
            (None, None) => return None,
            (None, Some(r)) => r,
            (Some(c), Some(r)) if self.keeps_cpu(r, c, round_robin) => r,
            (Some(c), _) if round_robin => self.in_turn(c),
            (Some(c), _) => c,
        };
        Some(chosen)
    }

    /// The running task keeps the CPU against `ready`, the first READY task:
    /// with a better priority, or an equal one except in round robin.
    fn keeps_cpu(&mut self, running: *mut c_void, ready: *mut c_void, round_robin: bool) -> bool {
        let round_robin = round_robin && ROUND_ROBIN;
        (self.key(running).0, round_robin) < (self.key(ready).0, true)
    }

    /// Run times are being measured (`start(stats=True)`; never without the
    /// `stats` feature, whose code measures them).
    pub(crate) fn timed(&self) -> bool {
        #[cfg(feature = "stats")]
        return self.stats.timing;
        #[cfg(not(feature = "stats"))]
        false
    }

    /// The pass counter and its statistic advance.
    fn count_pass(&mut self) {
        self.pass_no = self.pass_no.wrapping_add(1);
        #[cfg(feature = "stats")]
        Stats::count(&mut self.stats.passes);
    }

    /// How many passes `task` has been READY (or run) for, as of this pass.
    pub(crate) fn waited(&mut self, task: *mut c_void) -> u32 {
        let pass = self.pass_no as u32;
        self.with_task(task, |t| t.waited(pass))
    }

    /// Round robin among the READY tasks of `first`'s priority (`first`, the
    /// first READY task, and those after it in the ready list): the one that
    /// has waited longest since it last ran, woke or was added; ties go to the
    /// first in scheduling order. So a task that ran queues behind the others
    /// of its priority, as in FreeRTOS's time slicing. Walks the READY tasks
    /// of that priority.
    fn in_turn(&mut self, first: *mut c_void) -> *mut c_void {
        let priority = self.key(first).0;
        let mut best = (first, self.waited(first));
        let mut at = self.ready.next(&Sched(self.task_offset), first);
        while let Some(task) = at.filter(|&t| self.key(t).0 == priority) {
            let waited = self.waited(task);
            if waited > best.1 && self.is_member(task) && self.state(task) == TaskState::Ready {
                best = (task, waited);
            }
            at = self.ready.next(&Sched(self.task_offset), task);
        }
        best.0
    }

    /// `task`, chosen by [`Kernel::choose`], takes the CPU: the RUNNING task,
    /// if another one, goes back to READY.
    pub(crate) fn preempt(&mut self, task: *mut c_void) {
        if let Some(running) = self.running_other_than(task) {
            self.set_ready(running);
        }
    }

    /// The running task of the module's list, if it is not `task` and is
    /// still a RUNNING member.
    fn running_other_than(&mut self, task: *mut c_void) -> Option<*mut c_void> {
        let running = self.running;
        (!running.is_null() && running != task && self.is_member(running) && self.state(running) == TaskState::Running).then_some(running)
    }

    /// The scheduler loop's shortcut for a task that only yields: the task the
    /// last pass resumed yielded `None`. When the next pass would evaluate
    /// nothing and resume it again — `tasks` (the task list, whose last entry
    /// the shim checked is a Task) as the kernel last saw it, nothing dirty or
    /// deferred, the task RUNNING and in no list (then the pass has nothing to
    /// take it out of), no READY task of a better priority, no delay or timer due —
    /// this counts that pass and its run, exactly as `sched::pass` would, and
    /// returns the task for the shim to resume directly, as the current task
    /// (the shim makes it none again after the resume). `None`: run a full pass.
    /// Not while run times are measured (the pass measures them).
    pub fn rerun(&mut self, tasks: &[*mut c_void], round_robin: bool, now: &dyn Fn() -> u64) -> Option<NonNull<c_void>> {
        let running = NonNull::new(self.running)?;
        let task = running.as_ptr();
        let next_pass = self.pass_no.wrapping_add(1);
        // The checks `sched::pass` makes before trusting its view of the list.
        if self.timed()
            || !self.dirty.is_empty()
            || !self.deferred.is_empty()
            || !self.knows_list(tasks.len(), tasks.last().copied().unwrap_or(ptr::null_mut()))
            || !self.is_member(task)
            || tasks.get(self.with_task(task, |t| t.index as usize)) != Some(&task)
            || self.with_task(task, |t| (t.state, t.place)) != (TaskState::Running, Place::Nowhere)
            || self.delays.first().is_some_and(|c| due(self.condition_offset, c) <= next_pass)
        {
            return None;
        }
        if let Some(first) = self.ready.first() {
            // A stale entry is left for the full pass to drop; otherwise the
            // running task must keep the CPU, as in `choose`.
            if !self.is_member(first) || self.state(first) != TaskState::Ready || !self.keeps_cpu(task, first, round_robin) {
                return None;
            }
        }
        match self.timers.first() {
            Some(first) => self.rerun_unless_due(first, running, now),
            None => Some(self.rerun_now(running)),
        }
    }

    /// The end of `rerun` when a timer is registered, the one case that reads
    /// the clock. Not inlined on hosts, and reached by a jump (it returns what
    /// `rerun` returns): a call in `rerun` itself would make it save and
    /// restore registers on every yield, timer or not. (On microcontrollers
    /// that is one instruction each way, less than the flash a copy costs.)
    #[cfg_attr(not(target_os = "none"), inline(never))]
    fn rerun_unless_due(&mut self, timer: *mut c_void, task: NonNull<c_void>, now: &dyn Fn() -> u64) -> Option<NonNull<c_void>> {
        (due(self.condition_offset, timer) > now()).then(|| self.rerun_now(task))
    }

    /// `rerun` found that the pass would resume `task` again: counts that pass and its run.
    // Inlined on hosts (see `run_again`).
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn rerun_now(&mut self, task: NonNull<c_void>) -> NonNull<c_void> {
        self.count_pass();
        self.run_again(task.as_ptr());
        self.swap_current(task.as_ptr());
        task
    }

    /// `task` is about to be resumed. It becomes the running task of the
    /// module's list if it is in that list. A pass over some other list may
    /// choose it while another task of the module's list is RUNNING: that one
    /// stays RUNNING, as in the original, and waits in the ready list, where
    /// `choose` finds it. A task of another list only (`default_scheduler(
    /// sub_tasks)` from a task or a service routine) leaves the module's
    /// running task be.
    pub(crate) fn start_running(&mut self, task: *mut c_void) {
        self.unplace(task);
        if self.is_member(task) {
            if let Some(previous) = self.running_other_than(task) {
                self.place(previous, Place::Ready);
            }
            self.running = task;
        }
        self.run_again(task);
    }

    /// `task`, in no list, is about to be resumed.
    // On the yield path (`rerun`): inlined on hosts; on microcontrollers
    // (target_os "none") one shared copy saves flash.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn run_again(&mut self, task: *mut c_void) {
        self.enter_state(task, TaskState::Running);
        self.with_task(task, |t| t.runs = t.runs.wrapping_add(1));
        #[cfg(feature = "stats")]
        if self.last_run != task {
            Stats::count(&mut self.stats.switches);
            self.last_run = task;
        }
    }

    /// After the task list changed (by `add_task`, a finished task, or by hand:
    /// `tasks.append`, `tasks.remove`, ...): records where each task is,
    /// admits unknown tasks in list order and starts marking members missing
    /// from the list; take those out with [`Kernel::next_evicted`].
    pub(crate) fn admit_listed(&mut self, tasks: impl Iterator<Item = *mut c_void>) {
        let old = self.epoch;
        self.epoch = self.epoch.wrapping_add(1).max(1);
        let new = self.epoch;
        for (index, task) in tasks.enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            if self.with_task(task, |t| {
                t.index = index;
                core::mem::replace(&mut t.epoch, new)
            }) != old
            {
                self.with_task(task, |t| t.epoch = 0);
                self.admit(task);
            }
        }
    }

    /// A member no longer in the task list, which the caller must release and retire.
    pub(crate) fn next_evicted(&mut self) -> Option<*mut c_void> {
        let adapter = Member(self.task_offset);
        let mut at = self.members.first();
        while let Some(task) = at {
            if !self.is_member(task) {
                return Some(task);
            }
            at = self.members.next(&adapter, task);
        }
        None
    }

    /// Whether, and how long, the loop may sleep after a pass that ran
    /// nothing: unless `Busy`, sets `*wait_us` to the time left at `now_us`
    /// before the next timer is due (`Until`; `Forever` when there is none),
    /// at most [`MAX_SLEEP_US`]. Delays count passes, and a pass that runs
    /// nothing changes nothing, so the passes up to the next due delay are
    /// skipped.
    ///
    /// `routines`: service routines are registered. They poll pins and must
    /// see every pass, so no pass is skipped, and the loop sleeps only when
    /// the user allows it (`start(idle_ms=)`: `idle_cap_us`), at most that
    /// long between two calls. A cap of 0 still asks for a sleep of 0, in
    /// which the port runs its events and other threads get the VM.
    pub fn idle(&mut self, now_us: u64, routines: bool, idle_cap_us: Option<u64>, wait_us: &mut u64) -> Idle {
        let cap = match (routines, idle_cap_us) {
            (false, _) => u64::MAX,
            (true, Some(cap)) => cap,
            (true, None) => return Idle::Busy,
        };
        if self.deferred_need_pass || !self.dirty.is_empty() || !self.ready.is_empty() {
            return Idle::Busy;
        }
        if let Some(cond) = self.delays.first() {
            if !routines {
                self.pass_no = due(self.condition_offset, cond).saturating_sub(1).max(self.pass_no);
            }
            return Idle::Busy;
        }
        let (idle, left) = match self.timers.first() {
            Some(cond) => match due(self.condition_offset, cond).checked_sub(now_us) {
                Some(left) if left > 0 => (Idle::Until, left),
                _ => return Idle::Busy,
            },
            None => (Idle::Forever, u64::MAX),
        };
        *wait_us = left.min(cap).min(MAX_SLEEP_US);
        idle
    }

    /// `add_task`'s sort of the task list, whose items are all Tasks: stable,
    /// by the priority the user set, as the original sorts after its append
    /// (the list may have been reordered by hand, or priorities changed,
    /// since the last sort); a priority-inheritance loan does not move a
    /// task. An insertion sort, linear on a list that was sorted.
    pub fn sort_tasks(&mut self, tasks: &mut [*mut c_void]) {
        let priority = |k: &mut Self, t| k.with_task(t, |t| t.assigned_priority());
        for end in 1..tasks.len() {
            // Moves tasks[end] back past the tasks of worse priority (no
            // further: stable). No indexing, which could pull in panic code.
            for at in (0..end).rev() {
                let Some([before, after]) = tasks.get_mut(at..at + 2) else { break };
                if priority(self, *before) <= priority(self, *after) {
                    break;
                }
                core::mem::swap(before, after);
            }
        }
    }

    /// Members in the task list, for the model test's invariants (the kernel
    /// itself compares the field in `knows_list`).
    #[cfg(test)]
    pub fn member_count(&self) -> usize {
        self.member_count
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::Kernel;
    use crate::task::TaskCore;
    use core::ffi::c_void;
    use core::mem::{offset_of, MaybeUninit};
    use core::ptr;
    use std::format;
    use std::vec::Vec;

    /// `add_task`'s sort: stable, by the priority the user set; a task that
    /// a priority-inheritance mutex lends a better priority keeps its place.
    #[test]
    fn sort_tasks_is_stable_by_the_priority_the_user_set() {
        #[repr(C)]
        struct TaskObj {
            id: usize,
            core: TaskCore,
        }
        let mut objs: Vec<TaskObj> =
            [3, 1, 2, 1, 0].into_iter().enumerate().map(|(id, p)| TaskObj { id, core: TaskCore::new(p, ptr::null_mut(), 0, false) }).collect();
        #[cfg(feature = "more-locks")]
        {
            objs[2].core.priority = -5; // lent; it was given 2
        }
        let mut list: Vec<*mut c_void> = objs.iter_mut().map(|o| ptr::from_mut(o).cast()).collect();
        Kernel::new(offset_of!(TaskObj, core), 0).sort_tasks(&mut list);
        // SAFETY: each pointer leads to an element of `objs`, which outlives this read.
        let order: Vec<usize> = list.iter().map(|&p| unsafe { (*p.cast::<TaskObj>()).id }).collect();
        assert_eq!(order, [4, 1, 3, 2, 0]);
    }

    /// A field added to `Kernel` with a non-zero start value must be set in
    /// `init_zeroed` too (the firmware makes its kernel that way).
    #[test]
    fn init_zeroed_is_new() {
        let mut zeroed = MaybeUninit::<Kernel>::zeroed();
        // SAFETY: a zeroed, writable block of the right size.
        let made = unsafe {
            Kernel::init_zeroed(zeroed.as_mut_ptr(), 24, 40);
            zeroed.assume_init()
        };
        assert_eq!(format!("{made:?}"), format!("{:?}", Kernel::new(24, 40)));
    }
}
