//! Model tests: the kernel and both scheduler passes against a reference model
//! of the original pure-Python pyRTOS, plus focused kernel tests.
//!
//! What is compared, and why. The core only sees the world through the
//! [`Host`] callback table and the kernel entry points the shim calls, so a
//! wrong callback contract, a missed "something changed" notification or a
//! subtle ordering slip (which condition is advanced, who gets a lock, when a
//! semaphore request leaves the queue, whether a change mid-pass is seen in this
//! pass or the next) would only show up as a different program output on the
//! firmware. Here the core runs over a mock host, [`World`], laid out the way
//! the C shim lays things out: task and condition objects addressed by their
//! head pointer, with the [`TaskCore`] / [`Condition`] at the offsets the
//! [`Kernel`] was created with; locks and queues in boxes that never move.
//! Python-side operations go through the kernel exactly as the shim's do
//! (`notify_*` / mailbox then `task_changed`, `unlock`, `nb_send`/`nb_recv`
//! then `queue_changed`, `suspend`/`resume` after dropping the conditions,
//! `add_task` appending and sorting, then `admit`). Host callbacks reach
//! the kernel through the same raw pointer the pass got, and the world is only
//! ever shared (`&World`, interior mutability), so nothing holds a `&mut`
//! across a pass.
//!
//! Beside it runs [`Model`], a deliberately plain re-statement of the original
//! pyRTOS (`default_scheduler`, the condition generators, `Mutex`,
//! `BinarySemaphore`, `MessageQueue`, `Task.suspend/resume`) with Vecs and task
//! ids instead of pointers. It shares no code with the core. Where the SPEC
//! fixes the original, the model follows the SPEC: `BinarySemaphore.lock` is
//! granted at once to the task that already owns it; an abandoned semaphore
//! request leaves the queue at once. Latching follows the original's
//! generators: `wait_for_notification` stays true once it fired, and so does
//! `MessageQueue.recv` once it received. `MessageQueue.send` latches too,
//! although the original's generator never sets its `sent` flag (so a re-used
//! send object would send again there); the core latches it, as its author
//! evidently meant.
//!
//! Each seed builds random tasks, locks and queues, and a [`Generator`] feeds
//! both sides the same random script. Between passes: the fake clock moves,
//! sometimes `add_task`, sometimes Python code outside the scheduler acts
//! (notify, post, unlock, `nb_send`, suspend/resume, ...; mostly when every
//! task waits), and sometimes `pyRTOS.tasks` is edited by hand (a task that
//! sorts last appended, or a task that does not wait removed), which the
//! kernel must notice. In the pass: the body step of whichever task gets
//! resumed (side effects, then `yield`, `yield [conditions]` or `return`).
//! User conditions answer from a script and may act mid-pass at a given poll:
//! unlock a lock, `nb_send`, `nb_recv`, notify or post to a task, suspend or
//! resume another task, or `add_task`, so that a change behind the scan
//! (seen next pass) and ahead of it (seen this pass) both happen. A task may
//! re-yield condition objects of its previous list (only kinds whose state the
//! model reproduces, see [`Model::reusable`]). After every pass both sides
//! must agree on which task ran and on everything observable: task list
//! order, states, run counts, condition-list lengths, notification slots,
//! mailbox counts, received items, queue contents, lock owners, the semaphore
//! request queues (in order) and user-condition poll counts. Invariants: at
//! most one RUNNING task, `QueueCore::len` equals the items held, the kernel's
//! member count equals the list's length, and every condition linked in a
//! kernel or wait list belongs to a BLOCKED task whose current list holds it.
//! After an idle pass of the event-driven variant, [`Kernel::idle`] is checked
//! against the model (Busy / skip to the next due delay / Until the earliest
//! deadline / Forever) and the passes it skips by fast-forwarding `pass_no`
//! are run in the model, where they must change nothing.
//!
//! The same kind of script runs over [`sched::pass`] (the module's own list,
//! event-driven) and over [`sched::pass_over_list`] (the world handed to
//! `default_scheduler` as some other list; per seed its tasks are admitted to
//! the kernel or not, both happen with user schedulers).
//!
//! Divergences from the original are pinned by the `divergence_*` tests,
//! which check that core and model differ there, and how. Their scenarios are kept out
//! of the random runs: for `pass_over_list`, `delay(n > 0)` together with user conditions that `add_task` (half the
//! seeds have each); for the event-driven pass, user conditions that suspend
//! or resume a READY/RUNNING task the walk has already passed, and the
//! original's re-evaluation of the current task after a mid-pass `add_task`
//! (its model walks by key: each task at most once per pass, tasks added
//! mid-pass seen only when they sort after the scan point; the literal walk is
//! used by `pass_over_list`, which reproduces it). `PYRTOS_MODEL_LITERAL=1`
//! runs the event-driven test against the literal model with every scenario
//! on; `PYRTOS_MODEL_FEATURES=-name,+name` switches scenarios (see
//! [`Features`]).
//!
//! Not covered: message delivery by name, service routines as such,
//! exceptions and non-Task list entries, `task.state = ...` from Python,
//! conditions driven by `next()` from Python, re-yielding semaphore requests,
//! and condition objects shared between tasks.
//!
//! To pin a case of your own (a bug the fuzzer or a firmware program found),
//! write it as a scripted scenario, as `reused_timeout_fires_at_its_first_deadline`
//! does: `tasks(&[priorities])` makes the tasks (one notification slot and a
//! mailbox each, one mutex, one queue), and each `at(ticks, step)` is one
//! pass after the clock moved `ticks`, whose `step` is what the resumed task
//! does (`block(conditions)`, `yield_none()`, a `Step` with effects or a
//! return; `user(answers, effects)` is a user condition that answers from a
//! script and acts at a given poll). `agree(config, run, passes)` fails
//! unless core and model agree on every pass; run it over `own(Walk::Key, ..)`
//! (the module's own list) and `over_list(..)` (another list) where both
//! apply. A documented difference from the original goes through `diverge`,
//! with the first line of disagreement it expects, and into the README's
//! compatibility list.
//!
//! A failure prints the seed and the trace of the run (a failing seed is run
//! again with the trace on). Knobs: `PYRTOS_MODEL_SEED=<n>` reruns one seed,
//! `PYRTOS_MODEL_SEEDS` and `PYRTOS_MODEL_PASSES` change the default 300 seeds
//! x 200 passes, `PYRTOS_MODEL_KEEP_GOING=1` lists every failing seed;
//! `cargo test -- --nocapture` prints what the runs exercised ([`Stats`]).

extern crate std;

use core::cell::{Cell, RefCell};
use core::ffi::c_void;
use core::mem::offset_of;
use core::ptr;
use std::boxed::Box;
use std::collections::VecDeque;
use std::format;
use std::string::String;
use std::vec;
use std::vec::Vec;

use crate::condition::{Condition, ConditionKind};
use crate::kernel::{Idle, Kernel, MAX_SLEEP_US};
use crate::list::{Adapter, Link};
use crate::lock::{self, LockCore};
use crate::queue::QueueCore;
use crate::sched::{self, CondSlot, Host, PassOutcome, Polled, Resumed, SlotKind, TaskRef};
use crate::task::{Notification, Notify, TaskCore, TaskState};

/// One tick of the fake clock: a quarter second, so `timeout(k * 0.25)` and
/// `timeout_ns(k * 250_000_000)` are both exact.
const TICK_US: u64 = 250_000;

// ---- a tiny seeded RNG -------------------------------------------------------

/// xorshift64: reproducible from the seed, no dependencies.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng((seed.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick(&mut self, items: &[usize]) -> Option<usize> {
        if items.is_empty() {
            None
        } else {
            Some(items[self.below(items.len())])
        }
    }
}

// ---- the script both sides follow ------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LockKind {
    Mutex,
    Semaphore,
}

/// `Task(func, priority, notifications=slots, mailbox=mailbox)` passed to `add_task`.
#[derive(Clone, Copy, Debug)]
struct NewTask {
    priority: i32,
    slots: usize,
    mailbox: bool,
}

/// A user condition (UFunction): its answers, cycled, and what it does at
/// given polls (`(poll, effect)`, run before it answers). "me" for an effect
/// is the task that waits on the condition.
#[derive(Clone, Debug)]
struct UserScript {
    answers: Vec<bool>,
    actions: Vec<(usize, Effect)>,
}

/// One condition of a yielded list. Tasks, locks and queues are named by index.
#[derive(Clone, Debug)]
enum CondSpec {
    Delay(u32),
    /// `ticks: None` never expires; `seconds` picks `timeout()` over `timeout_ns()`.
    Timeout {
        ticks: Option<u64>,
        seconds: bool,
    },
    Message(usize),
    Notification {
        task: usize,
        index: usize,
        state: i8,
    },
    /// `Mutex.lock(me)` or `BinarySemaphore.lock(me)`, by the lock's kind.
    Lock(usize),
    QueueSend(usize, u32),
    QueueRecv(usize),
    User(UserScript),
    /// The object at this position of the task's previous list, yielded again
    /// (`deadline = timeout(1)` ... `yield [q.send(m), deadline]`), when that
    /// object is of a reusable kind (see `Model::reusable`); otherwise `delay(0)`.
    Reuse(usize),
}

#[derive(Clone, Copy, Debug)]
enum NotifyOp {
    SetState(i8),
    IncState(i8),
    SetValue(i8, i32),
    IncValue(i8, i32),
}

/// A side effect of Python code: a task body between two yields, or a user
/// condition mid-pass ("me" is the resumed task / the condition's task).
#[derive(Clone, Copy, Debug)]
enum Effect {
    /// `lock.unlock()` if `me` holds it.
    UnlockIfMine(usize),
    /// `lock.unlock()` whoever holds it.
    Unlock(usize),
    NbLock(usize),
    NbSend(usize, u32),
    /// `nb_recv()`; the item goes to `me`'s received list.
    NbRecv(usize),
    Notify {
        task: usize,
        index: usize,
        op: NotifyOp,
    },
    /// A message delivered to that task's mailbox.
    MailboxPush(usize),
    /// `me.recv()` (no-op without a mailbox).
    MailboxTakeAll,
    /// From a user condition, suspending or resuming its own task is skipped
    /// (the original would go on evaluating the dropped list; out of scope),
    /// and so is one of a READY/RUNNING task the pass has walked past, unless
    /// `Features::passed_ready_targets`.
    Suspend(usize),
    Resume(usize),
    AddTask(NewTask),
    /// `pyRTOS.tasks.append(Task(...))`, by hand: no sort, no `add_task`.
    ListAppend(NewTask),
    /// `pyRTOS.tasks.remove(task)`, by hand (no-op when not in the list).
    ListRemove(usize),
    /// `pyRTOS.tasks.append(task)` of an existing task, by hand.
    ListPush(usize),
}

#[derive(Clone, Debug)]
enum Ending {
    YieldNone,
    Block(Vec<CondSpec>),
    Return,
}

/// What the resumed task does this time.
#[derive(Clone, Debug)]
struct Step {
    effects: Vec<Effect>,
    ending: Ending,
}

/// The objects a seed starts with.
#[derive(Clone, Debug)]
struct Config {
    locks: Vec<LockKind>,
    queue_capacities: Vec<usize>,
    tasks: Vec<NewTask>,
}

/// Which scenarios a run draws.
#[derive(Clone, Copy, Debug)]
struct Features {
    /// User conditions that call `add_task` mid-pass.
    user_add_task: bool,
    /// User conditions that suspend or resume another task mid-pass.
    user_suspend_resume: bool,
    /// ... even a READY or RUNNING one that the pass has already walked past
    /// (otherwise such a call is skipped, on both sides alike).
    passed_ready_targets: bool,
    /// `delay(n)` with `n > 0` (otherwise only `delay(0)`, true at its first evaluation).
    delays: bool,
    /// `pyRTOS.tasks` edited by hand between passes, one change at a time and
    /// keeping it sorted: a task appended that sorts last, or a task that
    /// does not wait removed.
    hand_edits: bool,
}

impl Features {
    const ALL: Features =
        Features {
            user_add_task: true,
            user_suspend_resume: true,
            passed_ready_targets: true,
            delays: true,
            hand_edits: true,
        };
}

/// Draws the script. Steps are drawn before the pass, without knowing which
/// task will run; the tasks' fixed attributes (mailbox, slot count) are read
/// from the model, which at that point equals the world (checked every pass).
struct Generator {
    rng: Rng,
    features: Features,
    locks: usize,
    queues: usize,
    next_msg: u32,
    /// Percentage of conditions that are lock requests: some seeds are
    /// lock-heavy so that several tasks queue on the same lock.
    lock_percent: u64,
    /// Percentage of user conditions that act mid-pass.
    action_percent: u64,
}

impl Generator {
    fn new(seed: u64, features: Features) -> (Generator, Config) {
        let mut gen = Generator {
            rng: Rng::new(seed),
            features,
            locks: 0,
            queues: 0,
            next_msg: 0,
            lock_percent: 20,
            action_percent: 30,
        };
        if gen.rng.chance(30) {
            gen.lock_percent = 60;
        }
        if gen.rng.chance(30) {
            gen.action_percent = 80;
        }
        let locks: Vec<LockKind> = (0..1 + gen.rng.below(2))
            .map(|_| if gen.rng.chance(50) { LockKind::Mutex } else { LockKind::Semaphore })
            .collect();
        let queue_capacities: Vec<usize> = (0..1 + gen.rng.below(2)).map(|_| 1 + gen.rng.below(3)).collect();
        let tasks = (0..2 + gen.rng.below(5)).map(|_| gen.new_task()).collect();
        gen.locks = locks.len();
        gen.queues = queue_capacities.len();
        (gen, Config { locks, queue_capacities, tasks })
    }

    fn new_task(&mut self) -> NewTask {
        // Few priorities, so that ties (stable order, running task kept) are common.
        NewTask { priority: self.rng.below(4) as i32, slots: self.rng.below(3), mailbox: self.rng.chance(50) }
    }

    fn message(&mut self) -> u32 {
        self.next_msg += 1;
        self.next_msg
    }

    fn tasks_with_mailbox(model: &Model) -> Vec<usize> {
        (0..model.tasks.len()).filter(|&t| model.tasks[t].mailbox.is_some()).collect()
    }

    fn tasks_with_slots(model: &Model) -> Vec<usize> {
        (0..model.tasks.len()).filter(|&t| !model.tasks[t].notes.is_empty()).collect()
    }

    fn step(&mut self, model: &Model) -> Step {
        let effects = (0..self.rng.below(4)).map(|_| self.effect(model)).collect();
        let ending = match self.rng.below(100) {
            0..=2 => Ending::Return,
            3..=32 => Ending::YieldNone,
            _ => {
                let mut conds: Vec<CondSpec> = (0..1 + self.rng.below(3)).map(|_| self.condition(model)).collect();
                // The common `[something, timeout(t)]` pattern keeps most seeds from deadlocking early.
                // Mostly last; first makes later conditions go unevaluated when it fires.
                if self.rng.chance(50) {
                    let ticks = Some(1 + self.rng.below(4) as u64);
                    let timeout = CondSpec::Timeout { ticks, seconds: self.rng.chance(50) };
                    match self.rng.chance(25) {
                        true => conds.insert(0, timeout),
                        false => conds.push(timeout),
                    }
                }
                Ending::Block(conds)
            }
        };
        Step { effects, ending }
    }

    fn condition(&mut self, model: &Model) -> CondSpec {
        let cycles = self.rng.below(4) as u32;
        let delay = CondSpec::Delay(if self.features.delays { cycles } else { 0 });
        if self.rng.chance(12) {
            return CondSpec::Reuse(self.rng.below(3));
        }
        if self.rng.chance(self.lock_percent) {
            return CondSpec::Lock(self.rng.below(self.locks));
        }
        match self.rng.below(8) {
            0 => delay,
            1 => {
                let ticks = if self.rng.chance(10) { None } else { Some(self.rng.below(4) as u64) };
                CondSpec::Timeout { ticks, seconds: self.rng.chance(50) }
            }
            2 => match self.rng.pick(&Generator::tasks_with_mailbox(model)) {
                Some(task) => CondSpec::Message(task),
                None => delay,
            },
            3 => match self.rng.pick(&Generator::tasks_with_slots(model)) {
                Some(task) => CondSpec::Notification {
                    task,
                    index: self.rng.below(model.tasks[task].notes.len()),
                    state: self.rng.below(3) as i8,
                },
                None => delay,
            },
            4 => CondSpec::QueueSend(self.rng.below(self.queues), self.message()),
            5 => CondSpec::QueueRecv(self.rng.below(self.queues)),
            _ => {
                let answers = (0..1 + self.rng.below(5)).map(|_| self.rng.chance(30)).collect();
                let mut actions = Vec::new();
                if self.rng.chance(self.action_percent) {
                    for _ in 0..1 + self.rng.below(2) {
                        let at = self.rng.below(4);
                        actions.push((at, self.user_effect(model)));
                    }
                }
                CondSpec::User(UserScript { answers, actions })
            }
        }
    }

    fn notify(&mut self, model: &Model) -> Option<Effect> {
        let task = self.rng.pick(&Generator::tasks_with_slots(model))?;
        let index = self.rng.below(model.tasks[task].notes.len());
        let state = self.rng.below(3) as i8;
        let value = self.rng.below(7) as i32 - 3;
        let op = match self.rng.below(4) {
            0 => NotifyOp::SetState(state),
            1 => NotifyOp::IncState(1),
            2 => NotifyOp::SetValue(state, value),
            _ => NotifyOp::IncValue(state, value),
        };
        Some(Effect::Notify { task, index, op })
    }

    fn effect(&mut self, model: &Model) -> Effect {
        match self.rng.below(100) {
            0..=16 => Effect::UnlockIfMine(self.rng.below(self.locks)),
            17..=19 => Effect::Unlock(self.rng.below(self.locks)),
            20..=29 => Effect::NbLock(self.rng.below(self.locks)),
            30..=39 => Effect::NbSend(self.rng.below(self.queues), self.message()),
            40..=47 => Effect::NbRecv(self.rng.below(self.queues)),
            48..=64 => self.notify(model).unwrap_or(Effect::MailboxTakeAll),
            65..=76 => match self.rng.pick(&Generator::tasks_with_mailbox(model)) {
                Some(task) => Effect::MailboxPush(task),
                None => Effect::MailboxTakeAll,
            },
            77..=82 => Effect::MailboxTakeAll,
            83..=88 => Effect::Suspend(self.rng.pick(&model.list).unwrap_or(0)),
            // Mostly live tasks (blocked ones lose their conditions), sometimes a finished one.
            89..=96 => match self.rng.chance(90) {
                true => Effect::Resume(self.rng.pick(&model.list).unwrap_or(0)),
                false => Effect::Resume(self.rng.below(model.tasks.len())),
            },
            _ => Effect::AddTask(self.new_task()),
        }
    }

    /// What a user condition does mid-pass.
    fn user_effect(&mut self, model: &Model) -> Effect {
        let roll = self.rng.below(100);
        let f = self.features;
        match roll {
            0..=19 => Effect::Unlock(self.rng.below(self.locks)),
            20..=24 => Effect::NbLock(self.rng.below(self.locks)),
            25..=39 => Effect::NbSend(self.rng.below(self.queues), self.message()),
            40..=49 => Effect::NbRecv(self.rng.below(self.queues)),
            50..=64 => self.notify(model).unwrap_or(Effect::Unlock(0)),
            65..=74 => match self.rng.pick(&Generator::tasks_with_mailbox(model)) {
                Some(task) => Effect::MailboxPush(task),
                None => Effect::MailboxTakeAll,
            },
            75..=82 if f.user_suspend_resume => Effect::Suspend(self.rng.pick(&model.list).unwrap_or(0)),
            83..=90 if f.user_suspend_resume => Effect::Resume(self.rng.pick(&model.list).unwrap_or(0)),
            91..=99 if f.user_add_task => Effect::AddTask(self.new_task()),
            _ => Effect::NbSend(self.rng.below(self.queues), self.message()),
        }
    }
}

// ---- the reference model: the original pyRTOS, in plain Rust ---------------

/// How the model's scheduler pass walks the task list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Walk {
    /// As CPython's list iterator does: by index, re-reading the length, so a
    /// task inserted before the current position makes the current task come
    /// round again. This is the original, literally.
    Index,
    /// Each task at most once, in (priority, when added) order: a task added
    /// mid-pass is seen in this pass only if it sorts after the current one.
    Key,
}

/// A condition generator of the original, with the state its Python generator keeps.
#[derive(Debug)]
enum MCond {
    Delay { ttl: u32 },
    Timeout { duration: Option<u64>, start: Option<u64> },
    Message { task: usize },
    /// `fired` latches: the original's second `while True: yield True`.
    Notification { task: usize, index: usize, state: i8, started: bool, fired: bool },
    MutexLock { lock: usize },
    SemaphoreLock { lock: usize, joined: bool },
    QueueSend { queue: usize, msg: u32, done: bool },
    QueueRecv { queue: usize, done: bool },
    User { id: usize },
}

struct MTask {
    priority: i32,
    state: TaskState,
    /// `ready_conditions`.
    conds: Vec<MCond>,
    /// The objects of the last dropped list, still held by the task body.
    held: Vec<Option<MCond>>,
    /// (state, value) per notification slot.
    notes: Vec<(i8, i32)>,
    /// Message count, `None` without a mailbox.
    mailbox: Option<usize>,
    /// Items taken from queues (`recv(out_buffer)` / `nb_recv()`).
    received: Vec<u32>,
    runs: u32,
    /// The pass in which the task was last made READY or RUNNING (round robin).
    ready_since: u64,
}

struct MLock {
    kind: LockKind,
    owner: Option<usize>,
    /// BinarySemaphore requests in order, as (task, position in its condition list).
    wait_queue: VecDeque<(usize, usize)>,
}

struct MQueue {
    capacity: usize,
    buffer: VecDeque<u32>,
}

struct MUser {
    script: UserScript,
    polls: usize,
}

struct Model {
    /// Every task ever created, by id (removed tasks stay, as Python objects would).
    tasks: Vec<MTask>,
    /// `pyRTOS.tasks`: live task ids in priority order.
    list: Vec<usize>,
    locks: Vec<MLock>,
    queues: Vec<MQueue>,
    users: Vec<MUser>,
    now: u64,
    walk: Walk,
    features: Features,
    /// Passes so far, the clock of round robin.
    pass: u64,
    /// Round robin: `Some(true)` over `pyRTOS.tasks` (among the tasks the walk
    /// saw READY or woke), `Some(false)` over another list (among its READY
    /// tasks at the end of the walk).
    round_robin: Option<bool>,
    /// `add_task` admits tasks to the kernel (not so for a list of a user
    /// scheduler's own tasks).
    admits: bool,
}

/// What `Kernel::idle` should answer after an idle pass, by the model.
#[derive(Debug, PartialEq, Eq)]
enum ExpectIdle {
    /// Busy without skipping passes.
    Busy,
    /// Busy after skipping this many passes (the next delay is due after them).
    Skip(u64),
    Until(u64),
    Forever,
}

impl Model {
    fn new(config: &Config, walk: Walk, features: Features) -> Model {
        let mut model = Model {
            tasks: Vec::new(),
            list: Vec::new(),
            locks: config.locks.iter().map(|&kind| MLock { kind, owner: None, wait_queue: VecDeque::new() }).collect(),
            queues: config
                .queue_capacities
                .iter()
                .map(|&capacity| MQueue { capacity, buffer: VecDeque::new() })
                .collect(),
            users: Vec::new(),
            now: 0,
            walk,
            features,
            pass: 0,
            round_robin: None,
            admits: true,
        };
        for &task in &config.tasks {
            model.add_task(task);
        }
        model
    }

    /// `add_task`: append, then a stable sort by priority.
    fn add_task(&mut self, new: NewTask) {
        let id = self.new_task(new);
        if self.admits {
            // The kernel's admission makes it READY in this pass.
            self.set_state(id, TaskState::Ready);
        }
        self.list.push(id);
        let tasks = &self.tasks;
        self.list.sort_by_key(|&t| tasks[t].priority);
    }

    /// `Task(...)`, initialized, not added.
    fn new_task(&mut self, new: NewTask) -> usize {
        self.tasks.push(MTask {
            priority: new.priority,
            state: TaskState::Ready,
            conds: Vec::new(),
            held: Vec::new(),
            notes: vec![(0, 0); new.slots],
            mailbox: if new.mailbox { Some(0) } else { None },
            received: Vec::new(),
            runs: 0,
            ready_since: 0,
        });
        self.tasks.len() - 1
    }

    /// The scheduling half of `default_scheduler`: returns the task to resume,
    /// already marked RUNNING.
    fn select(&mut self) -> Option<usize> {
        self.pass += 1;
        let mut running: Option<usize> = None;
        let mut seen_ready = Vec::new();
        let mut index = 0;
        let mut last: Option<(i32, usize)> = None;
        loop {
            let task = match self.walk {
                Walk::Index => match self.list.get(index) {
                    Some(&task) => {
                        index += 1;
                        task
                    }
                    None => break,
                },
                Walk::Key => {
                    let tasks = &self.tasks;
                    // Ids grow with every add_task, so (priority, id) is the list's order.
                    let next = self.list.iter().copied().find(|&t| last.is_none_or(|l| (tasks[t].priority, t) > l));
                    match next {
                        Some(task) => {
                            last = Some((tasks[task].priority, task));
                            task
                        }
                        None => break,
                    }
                }
            };
            match self.tasks[task].state {
                TaskState::Ready => {
                    seen_ready.push(task);
                    if running.is_none() {
                        running = Some(task);
                    }
                }
                TaskState::Blocked => {
                    if self.any_condition_true(task) {
                        self.set_state(task, TaskState::Ready);
                        self.drop_conditions(task);
                        seen_ready.push(task);
                        if running.is_none() {
                            running = Some(task);
                        }
                    }
                }
                TaskState::Running => match running {
                    Some(best) if self.tasks[task].priority > self.tasks[best].priority => {
                        self.set_state(task, TaskState::Ready)
                    }
                    _ => running = Some(task),
                },
                TaskState::Suspended => {}
            }
        }
        if let (Some(chosen), Some(own)) = (running, self.round_robin) {
            // Round robin: the READY task of the chosen one's priority that has
            // waited longest, the first in walk order on ties.
            let pool = if own { seen_ready } else { self.list.clone() };
            let tasks = &self.tasks;
            let turn = pool
                .into_iter()
                .filter(|&t| tasks[t].state == TaskState::Ready && tasks[t].priority == tasks[chosen].priority)
                .fold(None, |best: Option<usize>, t| match best {
                    Some(b) if tasks[b].ready_since <= tasks[t].ready_since => Some(b),
                    _ => Some(t),
                });
            if let Some(turn) = turn.filter(|&t| t != chosen) {
                if self.tasks[chosen].state == TaskState::Running {
                    self.set_state(chosen, TaskState::Ready);
                }
                running = Some(turn);
            }
        }
        if let Some(task) = running {
            self.set_state(task, TaskState::Running);
            self.tasks[task].runs += 1;
        }
        running
    }

    /// Sets a task's state; READY and RUNNING note the pass, as the kernel does.
    fn set_state(&mut self, task: usize, state: TaskState) {
        if matches!(state, TaskState::Ready | TaskState::Running) {
            self.tasks[task].ready_since = self.pass;
        }
        self.tasks[task].state = state;
    }

    /// `True in map(next, task.ready_conditions)`: stops at the first true one.
    fn any_condition_true(&mut self, task: usize) -> bool {
        let mut conds = std::mem::take(&mut self.tasks[task].conds);
        let fired = (0..conds.len()).any(|pos| self.next(task, pos, &mut conds[pos]));
        self.tasks[task].conds = conds;
        fired
    }

    /// One `next()` on a condition generator of task `me`, at `pos` in its list.
    fn next(&mut self, me: usize, pos: usize, cond: &mut MCond) -> bool {
        match cond {
            MCond::Delay { ttl } => {
                if *ttl > 0 {
                    *ttl -= 1;
                    false
                } else {
                    true
                }
            }
            MCond::Timeout { duration, start } => {
                let start = *start.get_or_insert(self.now);
                matches!(duration, Some(d) if self.now - start >= *d)
            }
            MCond::Message { task } => self.tasks[*task].mailbox.unwrap_or(0) > 0,
            MCond::Notification { fired: true, .. } => true,
            MCond::Notification { task, index, state, started, fired } => {
                let slot = &mut self.tasks[*task].notes[*index];
                if !*started {
                    *started = true;
                    slot.0 = 0;
                }
                *fired = slot.0 == *state;
                *fired
            }
            MCond::MutexLock { lock } => {
                let lock = &mut self.locks[*lock];
                if lock.owner.is_none() || lock.owner == Some(me) {
                    lock.owner = Some(me);
                    true
                } else {
                    false
                }
            }
            MCond::SemaphoreLock { lock, joined } => {
                let lock = &mut self.locks[*lock];
                if !*joined {
                    *joined = true;
                    lock.wait_queue.push_back((me, pos));
                }
                // SPEC fix: the owner asking again gets it at once.
                if lock.owner == Some(me) {
                    lock.wait_queue.retain(|&r| r != (me, pos));
                    true
                } else if lock.owner.is_none() && lock.wait_queue.front() == Some(&(me, pos)) {
                    lock.wait_queue.pop_front();
                    lock.owner = Some(me);
                    true
                } else {
                    false
                }
            }
            MCond::QueueSend { done: true, .. } | MCond::QueueRecv { done: true, .. } => true,
            MCond::QueueSend { queue, msg, done } => {
                let queue = &mut self.queues[*queue];
                if queue.buffer.len() < queue.capacity {
                    queue.buffer.push_back(*msg);
                    *done = true;
                }
                *done
            }
            MCond::QueueRecv { queue, done } => match self.queues[*queue].buffer.pop_front() {
                Some(msg) => {
                    self.tasks[me].received.push(msg);
                    *done = true;
                    true
                }
                None => false,
            },
            MCond::User { id } => {
                let user = &mut self.users[*id];
                let poll = user.polls;
                user.polls += 1;
                let answer = user.script.answers[poll % user.script.answers.len()];
                let actions: Vec<Effect> =
                    user.script.actions.iter().filter(|(at, _)| *at == poll).map(|(_, e)| *e).collect();
                for effect in &actions {
                    self.apply(me, effect, true);
                }
                answer
            }
        }
    }

    /// `task.ready_conditions = []`: a semaphore request still queued leaves
    /// the queue at once (SPEC section 3).
    fn drop_conditions(&mut self, task: usize) {
        let conds = std::mem::take(&mut self.tasks[task].conds);
        for (pos, cond) in conds.iter().enumerate() {
            if let MCond::SemaphoreLock { lock, .. } = *cond {
                self.locks[lock].wait_queue.retain(|&request| request != (task, pos));
            }
        }
        if !conds.is_empty() {
            self.tasks[task].held = conds.into_iter().map(Some).collect();
        }
    }

    /// The kinds whose re-use the model reproduces. Not a semaphore request:
    /// the original queues it once, at its first evaluation, and the SPEC's
    /// "leaves the queue at once" leaves a re-used one undefined.
    fn reusable(cond: &MCond) -> bool {
        !matches!(cond, MCond::SemaphoreLock { .. })
    }

    /// The resume half: run the body step of `me`, then handle how it yielded.
    fn run(&mut self, me: usize, step: &Step) {
        for effect in &step.effects {
            self.apply(me, effect, false);
        }
        match &step.ending {
            Ending::YieldNone => {}
            Ending::Block(specs) => {
                self.tasks[me].conds = specs.iter().map(|spec| self.make_condition(me, spec)).collect();
                self.tasks[me].held.clear();
                self.tasks[me].state = TaskState::Blocked;
            }
            Ending::Return => self.list.retain(|&t| t != me),
        }
    }

    fn make_condition(&mut self, me: usize, spec: &CondSpec) -> MCond {
        match spec {
            CondSpec::Delay(n) => MCond::Delay { ttl: *n },
            CondSpec::Timeout { ticks, .. } => MCond::Timeout { duration: ticks.map(|t| t * TICK_US), start: None },
            CondSpec::Message(task) => MCond::Message { task: *task },
            CondSpec::Notification { task, index, state } => {
                MCond::Notification { task: *task, index: *index, state: *state, started: false, fired: false }
            }
            CondSpec::Lock(lock) => match self.locks[*lock].kind {
                LockKind::Mutex => MCond::MutexLock { lock: *lock },
                LockKind::Semaphore => MCond::SemaphoreLock { lock: *lock, joined: false },
            },
            CondSpec::QueueSend(queue, msg) => MCond::QueueSend { queue: *queue, msg: *msg, done: false },
            CondSpec::QueueRecv(queue) => MCond::QueueRecv { queue: *queue, done: false },
            CondSpec::User(script) => {
                self.users.push(MUser { script: script.clone(), polls: 0 });
                MCond::User { id: self.users.len() - 1 }
            }
            CondSpec::Reuse(pos) => {
                let reusable = matches!(self.tasks[me].held.get(*pos), Some(Some(c)) if Self::reusable(c));
                match reusable {
                    true => self.tasks[me].held[*pos].take().unwrap(),
                    false => MCond::Delay { ttl: 0 },
                }
            }
        }
    }

    fn apply(&mut self, me: usize, effect: &Effect, from_user: bool) {
        match *effect {
            Effect::UnlockIfMine(lock) => {
                if self.locks[lock].owner == Some(me) {
                    self.locks[lock].owner = None;
                }
            }
            Effect::Unlock(lock) => self.locks[lock].owner = None,
            Effect::NbLock(lock) => {
                let lock = &mut self.locks[lock];
                if lock.owner.is_none() || lock.owner == Some(me) {
                    lock.owner = Some(me);
                }
            }
            Effect::NbSend(queue, msg) => {
                let queue = &mut self.queues[queue];
                if queue.buffer.len() < queue.capacity {
                    queue.buffer.push_back(msg);
                }
            }
            Effect::NbRecv(queue) => {
                if let Some(msg) = self.queues[queue].buffer.pop_front() {
                    self.tasks[me].received.push(msg);
                }
            }
            Effect::Notify { task, index, op } => {
                let (state, value) = &mut self.tasks[task].notes[index];
                match op {
                    NotifyOp::SetState(s) => *state = s,
                    NotifyOp::IncState(step) => *state = state.wrapping_add(step),
                    NotifyOp::SetValue(s, v) => (*state, *value) = (s, v),
                    NotifyOp::IncValue(s, step) => (*state, *value) = (s, value.wrapping_add(step)),
                }
            }
            Effect::MailboxPush(task) => *self.tasks[task].mailbox.as_mut().unwrap() += 1,
            Effect::MailboxTakeAll => {
                if let Some(count) = self.tasks[me].mailbox.as_mut() {
                    *count = 0;
                }
            }
            Effect::Suspend(task) | Effect::Resume(task) if from_user && self.skip_target(me, task) => {}
            Effect::Suspend(task) => {
                self.tasks[task].state = TaskState::Suspended;
                self.drop_conditions(task);
            }
            Effect::Resume(task) => {
                self.set_state(task, TaskState::Ready);
                self.drop_conditions(task);
            }
            Effect::AddTask(new) => self.add_task(new),
            Effect::ListAppend(new) => {
                let id = self.new_task(new);
                self.list.push(id);
                self.listed_by_hand(id);
            }
            Effect::ListRemove(task) => self.list.retain(|&t| t != task),
            Effect::ListPush(task) => {
                self.list.push(task);
                self.listed_by_hand(task);
            }
        }
    }

    /// The kernel admits a task put in `pyRTOS.tasks` by hand at the start of
    /// the next pass, which notes the pass for round robin (a user
    /// scheduler's list is not admitted).
    fn listed_by_hand(&mut self, task: usize) {
        if self.round_robin == Some(true) && matches!(self.tasks[task].state, TaskState::Ready | TaskState::Running) {
            self.tasks[task].ready_since = self.pass;
        }
    }

    /// Whether a user condition of `me` leaves `task` alone (see `Effect::Suspend`
    /// and `Features::passed_ready_targets`).
    fn skip_target(&self, me: usize, task: usize) -> bool {
        let key = |t: usize| (self.tasks[t].priority, t);
        let ready = matches!(self.tasks[task].state, TaskState::Ready | TaskState::Running);
        task == me || (!self.features.passed_ready_targets && ready && key(task) < key(me))
    }

    /// What `Kernel::idle` should say after a pass that ran nothing: every
    /// blocked task's conditions were all evaluated false in that pass.
    fn expect_idle(&self) -> ExpectIdle {
        let live = || self.list.iter().map(|&t| &self.tasks[t]);
        if live().any(|t| matches!(t.state, TaskState::Ready | TaskState::Running)) {
            return ExpectIdle::Busy;
        }
        let conds = || live().filter(|t| t.state == TaskState::Blocked).flat_map(|t| t.conds.iter());
        if conds().any(|c| matches!(c, MCond::User { .. })) {
            return ExpectIdle::Busy;
        }
        // A delay with `ttl` left is true at the (ttl+1)-th evaluation from now.
        if let Some(ttl) = conds().filter_map(|c| if let MCond::Delay { ttl } = c { Some(*ttl) } else { None }).min() {
            return ExpectIdle::Skip(u64::from(ttl));
        }
        let deadlines = conds().filter_map(|c| match c {
            MCond::Timeout { duration, start: Some(start) } => Some(duration.map_or(u64::MAX, |d| start + d)),
            _ => None,
        });
        match deadlines.min() {
            // Already due (it fires in the next pass): no sleep.
            Some(deadline) if deadline <= self.now => ExpectIdle::Busy,
            // A sleep ends at most MAX_SLEEP_US from now; the loop then asks again.
            Some(deadline) => ExpectIdle::Until(deadline.min(self.now + MAX_SLEEP_US)),
            None => ExpectIdle::Forever,
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            list: self.list.clone(),
            tasks: self
                .tasks
                .iter()
                .map(|t| TaskSnap {
                    state: t.state,
                    runs: t.runs,
                    conditions: t.conds.len(),
                    notes: t.notes.clone(),
                    mailbox: t.mailbox.unwrap_or(0),
                    received: t.received.clone(),
                })
                .collect(),
            locks: self
                .locks
                .iter()
                .map(|l| LockSnap { owner: l.owner, requests: l.wait_queue.iter().copied().collect() })
                .collect(),
            queues: self.queues.iter().map(|q| q.buffer.iter().copied().collect()).collect(),
            user_polls: self.users.iter().map(|u| u.polls).collect(),
        }
    }
}

// ---- what both sides must agree on ------------------------------------------

#[derive(Debug, PartialEq)]
struct TaskSnap {
    state: TaskState,
    runs: u32,
    /// Length of the condition list (0 once dropped).
    conditions: usize,
    notes: Vec<(i8, i32)>,
    mailbox: usize,
    received: Vec<u32>,
}

#[derive(Debug, PartialEq)]
struct LockSnap {
    owner: Option<usize>,
    /// A semaphore's request queue in order, as (task, position in its list);
    /// empty for a mutex.
    requests: Vec<(usize, usize)>,
}

#[derive(Debug, PartialEq)]
struct Snapshot {
    list: Vec<usize>,
    tasks: Vec<TaskSnap>,
    locks: Vec<LockSnap>,
    queues: Vec<Vec<u32>>,
    user_polls: Vec<usize>,
}

// ---- the mock host: the core's view of the same world ------------------------

/// A `Task` object as the shim lays it out: an object header, then the core.
/// Its head pointer is the task's identity (lock owner, `TaskRef.obj`).
#[repr(C)]
struct TaskObj {
    header: usize,
    core: TaskCore,
    id: usize,
    /// The slots `core.notifications` points to (a leaked boxed slice; null when none).
    notes: *mut Notification,
    slots: usize,
    /// `ready_conditions`.
    conds: Vec<WCond>,
    /// The objects of the last dropped list, still held by the task body.
    held: Vec<Option<WCond>>,
    received: Vec<u32>,
}

/// A built-in condition object: header, then the core's `Condition`.
#[repr(C)]
struct CondObj {
    header: usize,
    core: Condition,
    /// The item a `MessageQueue.send` condition carries.
    send: Option<u32>,
}

/// An entry of a task's condition list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WCond {
    Builtin(*mut CondObj),
    User(usize),
}

/// Which pass the world is driven by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    /// `sched::pass`: the module's own list, every task admitted.
    Own,
    /// `sched::pass_over_list`: a list a user scheduler hands over, its tasks
    /// admitted to the kernel (a copy of `pyRTOS.tasks`) or not (its own tasks).
    Foreign { admitted: bool },
}

/// Finds a condition object's wait-list link (the kernel's own adapter is private).
struct CondLink;
// SAFETY: only condition objects (`CondObj`) are ever linked in wait lists here.
unsafe impl Adapter for CondLink {
    fn link(&self, cond: *mut c_void) -> *mut Link {
        cond.cast::<u8>().wrapping_add(offset_of!(CondObj, core) + offset_of!(Condition, link)).cast()
    }
}

/// The mock shim. Only ever used through `&World`: every mutable part is in a
/// `Cell`/`RefCell` (borrows never span a call into the core) or behind a raw
/// pointer to an object the core also reaches (kernel, tasks, conditions,
/// locks, queues), dereferenced for one statement at a time.
struct World {
    kernel: *mut Kernel,
    variant: Variant,
    round_robin: Cell<bool>,
    features: Features,
    /// Every task object ever created, by id.
    tasks: RefCell<Vec<*mut TaskObj>>,
    /// The task list handed to the pass, as ids.
    list: RefCell<Vec<usize>>,
    lock_kinds: Vec<LockKind>,
    locks: Vec<*mut LockCore>,
    queues: Vec<*mut QueueCore>,
    queue_items: RefCell<Vec<VecDeque<u32>>>,
    users: RefCell<Vec<(UserScript, usize)>>,
    /// Every condition object ever created (freed with the world).
    cond_objs: RefCell<Vec<*mut CondObj>>,
    now_us: Cell<u64>,
    /// The body step the next `resume` callback runs.
    next_step: RefCell<Option<Step>>,
    /// Which task `resume` ran during this pass.
    resumed: Cell<Option<usize>>,
    /// The first panic caught in a callback during this pass.
    fault: RefCell<Option<String>>,
    /// How many times the core called `condition_at`.
    condition_at_calls: Cell<usize>,
}

fn world<'a>(ctx: *mut c_void) -> &'a World {
    // SAFETY: `ctx` is the boxed `World` whose `host()` the core was handed; it
    // outlives the pass and is only ever used through shared references.
    unsafe { &*ctx.cast::<World>() }
}

fn task_id(obj: *mut c_void) -> usize {
    // SAFETY: every task `obj` the core has comes from `host_task_at` or `admit`: a live `TaskObj`.
    unsafe { (*obj.cast::<TaskObj>()).id }
}

/// Runs a callback body. A panic may not unwind out of an `extern "C"` fn (the
/// process would abort without naming the seed), so it is caught, remembered
/// in `World::fault` for the driver to report after the pass, and the callback
/// returns `fallback`.
fn guarded<R>(ctx: *mut c_void, fallback: R, body: impl FnOnce(&World) -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(world(ctx)))) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|m| String::from(*m))
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let w = world(ctx);
            if let Ok(mut fault) = w.fault.try_borrow_mut() {
                fault.get_or_insert(message);
            }
            fallback
        }
    }
}

extern "C" fn host_task_count(ctx: *mut c_void) -> usize {
    guarded(ctx, 0, |w| w.list.borrow().len())
}

extern "C" fn host_task_at(ctx: *mut c_void, index: usize) -> TaskRef {
    let null = TaskRef { obj: ptr::null_mut(), core: ptr::null_mut() };
    guarded(ctx, null, |w| {
        let obj = w.obj(w.list.borrow()[index]);
        // SAFETY: a live task object; no reference is created.
        TaskRef { obj: obj.cast(), core: unsafe { ptr::addr_of_mut!((*obj).core) } }
    })
}

extern "C" fn host_condition_at(ctx: *mut c_void, task: *mut c_void, index: usize) -> CondSlot {
    let end = CondSlot { kind: SlotKind::End, cond: ptr::null_mut() };
    guarded(ctx, end, |w| {
        w.condition_at_calls.set(w.condition_at_calls.get() + 1);
        // SAFETY: a live task object; the borrow of its list ends in this statement.
        let conds: &Vec<WCond> = unsafe { &(*task.cast::<TaskObj>()).conds };
        let slot = conds.get(index).copied();
        match slot {
            None => end,
            Some(WCond::User(_)) => CondSlot { kind: SlotKind::User, cond: ptr::null_mut() },
            Some(WCond::Builtin(obj)) => CondSlot { kind: SlotKind::Builtin, cond: obj.cast() },
        }
    })
}

extern "C" fn host_poll_user(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled {
    guarded(ctx, Polled::Raised, |w| {
        let me = task_id(task);
        let Some(WCond::User(id)) = w.conds_of(me).get(index).copied() else {
            panic!("poll_user on a non-user slot")
        };
        let (answer, actions) = {
            let mut users = w.users.borrow_mut();
            let (script, polls) = &mut users[id];
            let poll = *polls;
            *polls += 1;
            let actions: Vec<Effect> = script.actions.iter().filter(|(at, _)| *at == poll).map(|(_, e)| *e).collect();
            (script.answers[poll % script.answers.len()], actions)
        };
        for effect in &actions {
            count(|s| match effect {
                Effect::Suspend(t) | Effect::Resume(t) if *t != me && w.skip_target(me, *t) => s.user_effects_skipped += 1,
                Effect::Suspend(t) | Effect::Resume(t) if *t != me => s.mid_pass_suspend_resume += 1,
                Effect::AddTask(_) => s.mid_pass_add_task += 1,
                _ => {}
            });
            count(|s| s.user_effects += 1);
            w.apply(me, effect, true);
        }
        if answer {
            Polled::True
        } else {
            Polled::False
        }
    })
}

extern "C" fn host_transfer(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled {
    guarded(ctx, Polled::Raised, |w| {
        let me = task_id(task);
        let Some(WCond::Builtin(obj)) = w.conds_of(me).get(index).copied() else {
            panic!("transfer on a non-builtin slot")
        };
        // SAFETY: a live condition object; plain reads.
        let (kind, send) = unsafe { ((*obj).core.kind, (*obj).send) };
        let queue_index = |queue: *mut QueueCore| w.queues.iter().position(|&q| q == queue).unwrap();
        count(|s| s.transfers += 1);
        // The core counts the item itself (`transferred` -> `queue_changed`): only move it.
        match (kind, send) {
            (ConditionKind::QueueSend { queue, .. }, Some(msg)) => {
                w.queue_items.borrow_mut()[queue_index(queue)].push_back(msg);
            }
            (ConditionKind::QueueRecv { queue, .. }, None) => {
                let msg = w.queue_items.borrow_mut()[queue_index(queue)]
                    .pop_front()
                    .expect("the core asked to receive from an empty queue");
                w.with_obj(me, |_, _, received| received.push(msg));
            }
            (other, _) => panic!("transfer on {other:?}"),
        }
        Polled::True
    })
}

extern "C" fn host_drop_conditions(ctx: *mut c_void, task: *mut c_void) {
    guarded(ctx, (), |w| w.drop_conditions(task_id(task)))
}

extern "C" fn host_resume(ctx: *mut c_void, task: *mut c_void) -> Resumed {
    guarded(ctx, Resumed::Raised, |w| {
        let me = task_id(task);
        assert!(w.resumed.get().is_none(), "the core resumed two tasks in one pass");
        w.resumed.set(Some(me));
        let step = w.next_step.borrow_mut().take().expect("resumed without a scripted step");
        for effect in &step.effects {
            w.apply(me, effect, false);
        }
        match step.ending {
            Ending::YieldNone => Resumed::Yielded,
            Ending::Block(specs) => {
                assert!(w.conds_of(me).is_empty(), "a resumed task still has conditions");
                let conds: Vec<WCond> = specs.iter().map(|spec| w.make_condition(me, spec)).collect();
                w.with_obj(me, |list, held, _| {
                    *list = conds;
                    held.clear();
                });
                Resumed::Blocked
            }
            Ending::Return => Resumed::Returned,
        }
    })
}

extern "C" fn host_remove_task(ctx: *mut c_void, task: *mut c_void) {
    guarded(ctx, (), |w| {
        let id = task_id(task);
        w.list.borrow_mut().retain(|&t| t != id);
    })
}

extern "C" fn host_now_us(ctx: *mut c_void) -> u64 {
    guarded(ctx, 0, |w| w.now_us.get())
}

impl World {
    fn new(config: &Config, variant: Variant, features: Features) -> Box<World> {
        let kernel = Kernel::new(offset_of!(TaskObj, core), offset_of!(CondObj, core));
        let world = Box::new(World {
            kernel: Box::into_raw(Box::new(kernel)),
            variant,
            round_robin: Cell::new(false),
            features,
            tasks: RefCell::new(Vec::new()),
            list: RefCell::new(Vec::new()),
            lock_kinds: config.locks.clone(),
            locks: config
                .locks
                .iter()
                .map(|kind| {
                    let kind = match kind {
                        LockKind::Mutex => lock::LockKind::Mutex,
                        LockKind::Semaphore => lock::LockKind::Binary,
                    };
                    Box::into_raw(Box::new(LockCore::of(kind, false)))
                })
                .collect(),
            queues: config.queue_capacities.iter().map(|&c| Box::into_raw(Box::new(QueueCore::new(c)))).collect(),
            queue_items: RefCell::new(config.queue_capacities.iter().map(|_| VecDeque::new()).collect()),
            users: RefCell::new(Vec::new()),
            cond_objs: RefCell::new(Vec::new()),
            now_us: Cell::new(0),
            next_step: RefCell::new(None),
            resumed: Cell::new(None),
            fault: RefCell::new(None),
            condition_at_calls: Cell::new(0),
        });
        for &task in &config.tasks {
            world.add_task(task);
        }
        world
    }

    /// Runs `f` on the kernel, as a shim entry point does. Never called while
    /// the core holds the kernel: callbacks run outside its borrows.
    fn with_kernel<R>(&self, f: impl FnOnce(&mut Kernel) -> R) -> R {
        // SAFETY: the kernel box lives as long as the world; see above for exclusivity.
        f(unsafe { &mut *self.kernel })
    }

    fn pass_no(&self) -> u64 {
        // SAFETY: a plain read of the live kernel, outside any pass.
        unsafe { (*self.kernel).pass_no }
    }

    /// One pass over this world, by its variant.
    fn pass(&self) -> PassOutcome {
        let host = self.host();
        let round_robin = self.round_robin.get();
        // SAFETY (the calls below): the world's kernel is live and borrowed
        // only inside `with_kernel`; its host table keeps `Host`'s contract.
        match self.variant {
            // Every other pass, the shim's shortcut first (`Kernel::rerun`,
            // which its loop tries after each pass): it must be unobservable.
            Variant::Own if self.pass_no() % 2 == 0 => match self.rerun(&host) {
                Some(outcome) => outcome,
                None => unsafe { sched::pass(self.kernel, &host, round_robin) },
            },
            Variant::Own => unsafe { sched::pass(self.kernel, &host, round_robin) },
            Variant::Foreign { .. } => unsafe { sched::pass_over_list(self.kernel, &host, round_robin) },
        }
    }

    /// What the shim's `rerun_alone` does for one pass, if `Kernel::rerun` lets it.
    fn rerun(&self, host: &Host) -> Option<PassOutcome> {
        let items: Vec<*mut c_void> = self.list.borrow().iter().map(|&i| self.obj(i).cast()).collect();
        let task = self.with_kernel(|k| k.rerun(&items, self.round_robin.get(), &|| self.now_us.get()))?.as_ptr();
        let resumed = host_resume(host.ctx, task);
        self.with_kernel(|k| k.swap_current(ptr::null_mut()));
        Some(match resumed {
            Resumed::Yielded => PassOutcome::Ran,
            Resumed::Raised => PassOutcome::Raised,
            // SAFETY: as in `pass`; `task` is what `rerun` returned.
            resumed => unsafe { sched::rerun_done(self.kernel, host, task, resumed) },
        })
    }

    /// The callback table, its `ctx` pointing at this world.
    fn host(&self) -> Host {
        Host {
            ctx: (self as *const World).cast_mut().cast(),
            task_count: host_task_count,
            task_at: host_task_at,
            condition_at: host_condition_at,
            poll_user: host_poll_user,
            transfer: host_transfer,
            drop_conditions: host_drop_conditions,
            resume: host_resume,
            remove_task: host_remove_task,
            now_us: host_now_us,
        }
    }

    fn obj(&self, task: usize) -> *mut TaskObj {
        self.tasks.borrow()[task]
    }

    fn core(&self, task: usize) -> *mut TaskCore {
        // SAFETY: a live task object; no reference is created.
        unsafe { ptr::addr_of_mut!((*self.obj(task)).core) }
    }

    /// Runs `f` on a task object's mock-side fields (never on its core).
    fn with_obj<R>(&self, task: usize, f: impl FnOnce(&mut Vec<WCond>, &mut Vec<Option<WCond>>, &mut Vec<u32>) -> R) -> R {
        let obj = self.obj(task);
        // SAFETY: a live task object; the core never touches these fields, and
        // `f` makes no call that could reach them.
        unsafe { f(&mut (*obj).conds, &mut (*obj).held, &mut (*obj).received) }
    }

    fn conds_of(&self, task: usize) -> Vec<WCond> {
        self.with_obj(task, |conds, _, _| conds.clone())
    }

    fn admits(&self) -> bool {
        matches!(self.variant, Variant::Own | Variant::Foreign { admitted: true })
    }

    /// `add_task` as the shim does it: append, sort (`Kernel::sort_tasks`),
    /// then admit.
    fn add_task(&self, new: NewTask) -> usize {
        let id = self.new_task(new);
        self.list.borrow_mut().push(id);
        let mut objs: Vec<*mut c_void> = self.list.borrow().iter().map(|&t| self.obj(t).cast()).collect();
        self.with_kernel(|k| k.sort_tasks(&mut objs));
        *self.list.borrow_mut() = objs.iter().filter_map(|&o| self.id_of(o)).collect();
        if self.admits() {
            self.with_kernel(|k| k.admit(self.obj(id).cast()));
        }
        id
    }

    /// `Task(...)`, initialized, not added.
    fn new_task(&self, new: NewTask) -> usize {
        let notes = if new.slots == 0 {
            ptr::null_mut()
        } else {
            Box::into_raw(vec![Notification::default(); new.slots].into_boxed_slice()).cast::<Notification>()
        };
        let id = self.tasks.borrow().len();
        let obj = Box::into_raw(Box::new(TaskObj {
            header: 0x7A5C,
            core: TaskCore::new(new.priority, notes, new.slots as u16, new.mailbox),
            id,
            notes,
            slots: new.slots,
            conds: Vec::new(),
            held: Vec::new(),
            received: Vec::new(),
        }));
        self.tasks.borrow_mut().push(obj);
        id
    }

    /// What the shim does when a task stops waiting: release each built-in
    /// condition, then forget the list (the body may still hold the objects).
    fn drop_conditions(&self, task: usize) {
        let conds = self.with_obj(task, |conds, _, _| std::mem::take(conds));
        for cond in &conds {
            if let WCond::Builtin(obj) = *cond {
                self.with_kernel(|k| k.release(obj.cast(), self.obj(task).cast()));
            }
        }
        if !conds.is_empty() {
            self.with_obj(task, |_, held, _| *held = conds.into_iter().map(Some).collect());
        }
    }

    /// Same rule as `Model::reusable`.
    fn reusable(cond: WCond) -> bool {
        match cond {
            WCond::User(_) => true,
            // SAFETY: a live condition object; a plain read.
            WCond::Builtin(obj) => !matches!(unsafe { (*obj).core.kind }, ConditionKind::SemaphoreLock { .. }),
        }
    }

    fn make_condition(&self, me: usize, spec: &CondSpec) -> WCond {
        let me_obj = self.obj(me) as *const c_void;
        // SAFETY (the derefs below): live task, lock and queue objects; each
        // `&mut` lasts for the constructor call only.
        let (cond, send) = match spec {
            CondSpec::Delay(n) => (Condition::delay(i64::from(*n)), None),
            CondSpec::Timeout { ticks: None, .. } => (Condition::timeout_seconds_f64(f64::INFINITY), None),
            CondSpec::Timeout { ticks: Some(t), seconds: true } => (Condition::timeout_seconds_f64(*t as f64 * 0.25), None),
            CondSpec::Timeout { ticks: Some(t), seconds: false } => {
                (Condition::timeout_ns((t * TICK_US * 1000) as i64), None)
            }
            CondSpec::Message(task) => (Condition::message(unsafe { &mut *self.core(*task) }).unwrap(), None),
            CondSpec::Notification { task, index, state } => {
                let target = unsafe { &mut *self.core(*task) };
                (Condition::notification(target, *index as i64, i64::from(*state)).unwrap(), None)
            }
            CondSpec::Lock(l) => {
                let lock = self.locks[*l];
                let lock = unsafe { &mut *lock };
                (Condition::lock(lock, me_obj), None)
            }
            CondSpec::QueueSend(q, msg) => {
                let queue = self.queues[*q];
                (Condition::queue_send(unsafe { &mut *queue }), Some(*msg))
            }
            CondSpec::QueueRecv(q) => {
                let queue = self.queues[*q];
                (Condition::queue_recv(unsafe { &mut *queue }), None)
            }
            CondSpec::User(script) => {
                let mut users = self.users.borrow_mut();
                users.push((script.clone(), 0));
                return WCond::User(users.len() - 1);
            }
            CondSpec::Reuse(pos) => {
                let held = self.with_obj(me, |_, held, _| held.get(*pos).copied().flatten());
                match held {
                    Some(cond) if Self::reusable(cond) => {
                        count(|s| s.reused += 1);
                        self.with_obj(me, |_, held, _| held[*pos] = None);
                        return cond;
                    }
                    _ => (Condition::delay(0), None),
                }
            }
        };
        let obj = Box::into_raw(Box::new(CondObj { header: 0xC0D, core: cond, send }));
        self.cond_objs.borrow_mut().push(obj);
        WCond::Builtin(obj)
    }

    /// Python code acting, through the same entry points as the shim.
    fn apply(&self, me: usize, effect: &Effect, from_user: bool) {
        let me_obj = self.obj(me) as *const c_void;
        // SAFETY (the derefs below): live lock, queue and task objects; each
        // `&mut` lasts for one call that does not reach the kernel.
        match *effect {
            Effect::UnlockIfMine(l) => {
                if unsafe { (*self.locks[l]).owner } == me_obj {
                    self.with_kernel(|k| k.unlock(self.locks[l])).unwrap();
                }
            }
            Effect::Unlock(l) => self.with_kernel(|k| k.unlock(self.locks[l])).unwrap(),
            Effect::NbLock(l) => {
                let lock = self.locks[l];
                unsafe { (*lock).try_lock(me_obj) };
            }
            Effect::NbSend(q, msg) => {
                if unsafe { (*self.queues[q]).can_send() } {
                    self.queue_items.borrow_mut()[q].push_back(msg);
                    self.with_kernel(|k| k.queue_changed(self.queues[q], true));
                }
            }
            Effect::NbRecv(q) => {
                if unsafe { (*self.queues[q]).can_recv() } {
                    let msg = self.queue_items.borrow_mut()[q].pop_front().expect("QueueCore::len says there is an item");
                    self.with_kernel(|k| k.queue_changed(self.queues[q], false));
                    self.with_obj(me, |_, _, received| received.push(msg));
                }
            }
            Effect::Notify { task, index, op } => {
                let core = self.core(task);
                let index = index as i64;
                let core_ref = unsafe { &mut *core };
                match op {
                    NotifyOp::SetState(s) => core_ref.notify(index, Notify::SetState, s.into(), 0),
                    NotifyOp::IncState(step) => core_ref.notify(index, Notify::IncState, step.into(), 0),
                    NotifyOp::SetValue(s, v) => core_ref.notify(index, Notify::SetValue, s.into(), v.into()),
                    NotifyOp::IncValue(s, step) => core_ref.notify(index, Notify::IncValue, s.into(), step.into()),
                }
                .unwrap();
                self.with_kernel(|k| k.task_changed(core));
            }
            Effect::MailboxPush(task) => {
                let core = self.core(task);
                unsafe { (*core).mailbox_push() }.unwrap();
                self.with_kernel(|k| k.task_changed(core));
            }
            Effect::MailboxTakeAll => {
                let core = self.core(me);
                if unsafe { (*core).mailbox_take_all() }.is_ok() {
                    self.with_kernel(|k| k.task_changed(core));
                }
            }
            Effect::Suspend(task) | Effect::Resume(task) if from_user && self.skip_target(me, task) => {}
            Effect::Suspend(task) => {
                self.drop_conditions(task);
                self.with_kernel(|k| k.suspend(self.obj(task).cast()));
            }
            Effect::Resume(task) => {
                self.drop_conditions(task);
                self.with_kernel(|k| k.set_ready(self.obj(task).cast()));
            }
            Effect::AddTask(new) => {
                self.add_task(new);
            }
            Effect::ListAppend(new) => {
                let id = self.new_task(new);
                self.list.borrow_mut().push(id);
            }
            Effect::ListRemove(task) => self.list.borrow_mut().retain(|&t| t != task),
            Effect::ListPush(task) => self.list.borrow_mut().push(task),
        }
    }

    /// Same rule as `Model::skip_target`, read from the core's state.
    fn skip_target(&self, me: usize, task: usize) -> bool {
        // SAFETY: plain reads of live tasks' cores.
        let key = |t: usize| (unsafe { (*self.core(t)).priority }, t);
        let ready = matches!(self.state(task), TaskState::Ready | TaskState::Running);
        task == me || (!self.features.passed_ready_targets && ready && key(task) < key(me))
    }

    fn state(&self, task: usize) -> TaskState {
        // SAFETY: a plain read of a live task's core.
        unsafe { (*self.core(task)).state }
    }

    fn id_of(&self, obj: *const c_void) -> Option<usize> {
        if obj.is_null() {
            return None;
        }
        Some(self.tasks.borrow().iter().position(|&t| t as *const c_void == obj).expect("an unknown task object"))
    }

    /// Where a condition object sits in a current condition list, as (task, position).
    fn position_of(&self, cond: *mut c_void) -> Option<(usize, usize)> {
        let count = self.tasks.borrow().len();
        (0..count).find_map(|t| {
            let conds = self.conds_of(t);
            conds.iter().position(|&c| c == WCond::Builtin(cond.cast())).map(|pos| (t, pos))
        })
    }

    /// A semaphore's request queue, in order.
    fn requests(&self, l: usize) -> Vec<(usize, usize)> {
        if self.lock_kinds[l] != LockKind::Semaphore {
            return Vec::new();
        }
        let mut out = Vec::new();
        // SAFETY: the live lock; nothing changes its list during the walk.
        let waiters = unsafe { &(*self.locks[l]).waiters };
        let mut at = waiters.first();
        while let Some(cond) = at {
            out.push(self.position_of(cond).unwrap_or((usize::MAX, usize::MAX)));
            at = waiters.next(&CondLink, cond);
        }
        out
    }

    fn snapshot(&self) -> Snapshot {
        let count = self.tasks.borrow().len();
        Snapshot {
            list: self.list.borrow().clone(),
            tasks: (0..count)
                .map(|t| {
                    let obj = self.obj(t);
                    // SAFETY: plain reads of a live task object and its slots.
                    let (core, notes, slots) = unsafe { (&(*obj).core, (*obj).notes, (*obj).slots) };
                    let notes = (0..slots).map(|i| unsafe { *notes.add(i) }).map(|n| (n.state, n.value)).collect();
                    TaskSnap {
                        state: core.state,
                        runs: core.runs,
                        conditions: self.conds_of(t).len(),
                        notes,
                        mailbox: core.mailbox_count as usize,
                        received: self.with_obj(t, |_, _, received| received.clone()),
                    }
                })
                .collect(),
            locks: (0..self.locks.len())
                .map(|l| LockSnap {
                    // SAFETY: a plain read of a live lock.
                    owner: self.id_of(unsafe { (*self.locks[l]).owner }),
                    requests: self.requests(l),
                })
                .collect(),
            queues: self.queue_items.borrow().iter().map(|q| q.iter().copied().collect()).collect(),
            user_polls: self.users.borrow().iter().map(|(_, polls)| *polls).collect(),
        }
    }

    /// Structural invariants of the core's view.
    fn check_invariants(&self) {
        let list = self.list.borrow().clone();
        let running = list.iter().filter(|&&t| self.state(t) == TaskState::Running).count();
        assert!(running <= 1, "{running} RUNNING tasks in the list");
        for (q, &queue) in self.queues.iter().enumerate() {
            // SAFETY: a plain read of a live queue.
            let len = unsafe { (*queue).len };
            assert_eq!(len, self.queue_items.borrow()[q].len(), "queue {q}: QueueCore::len vs items");
        }
        for &obj in self.cond_objs.borrow().iter() {
            // SAFETY: plain reads of a live condition object.
            let (linked, owner, kind) = unsafe { ((*obj).core.link.is_linked(), (*obj).core.task, (*obj).core.kind) };
            if !linked {
                continue;
            }
            let owner = self.id_of(owner).expect("a linked condition without a task");
            assert_eq!(self.state(owner), TaskState::Blocked, "a condition ({kind:?}) is registered for task {owner}, which does not wait");
            assert!(
                self.conds_of(owner).contains(&WCond::Builtin(obj)),
                "a condition ({kind:?}) is registered for task {owner}, which no longer holds it"
            );
        }
        if self.variant == Variant::Own {
            assert_eq!(self.with_kernel(|k| k.member_count()), list.len(), "kernel members vs task list");
            // The GC scans the kernel word by word: a pointer left there would
            // keep a finished or removed task, and all it references, alive.
            // The derived Debug output shows every field, pointers in hex.
            let dump = self.with_kernel(|k| format!("{k:?}"));
            let words: Vec<&str> = dump.split(|c: char| !c.is_ascii_alphanumeric()).collect();
            for (id, &obj) in self.tasks.borrow().iter().enumerate() {
                if !list.contains(&id) {
                    assert!(!words.contains(&format!("{obj:p}").as_str()), "the kernel still points to task {id}, which left the list: {dump}");
                }
            }
        }
    }
}

impl Drop for World {
    fn drop(&mut self) {
        // SAFETY: every pointer below came from `Box::into_raw` in this file and
        // is freed once; the core holds no borrow once the world is dropped.
        unsafe {
            for &obj in self.tasks.get_mut().iter() {
                let task = Box::from_raw(obj);
                if !task.notes.is_null() {
                    drop(Box::from_raw(ptr::slice_from_raw_parts_mut(task.notes, task.slots)));
                }
            }
            for &obj in self.cond_objs.get_mut().iter() {
                drop(Box::from_raw(obj));
            }
            for &lock in &self.locks {
                drop(Box::from_raw(lock));
            }
            for &queue in &self.queues {
                drop(Box::from_raw(queue));
            }
            drop(Box::from_raw(self.kernel));
        }
    }
}

// ---- the driver -------------------------------------------------------------

/// What the runs of one test thread exercised, printed by `run_seeds`
/// (`cargo test -- --nocapture`) so that a generator change that stops
/// reaching a scenario shows.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    passes_ran: usize,
    passes_idle: usize,
    /// User-condition effects carried out mid-pass, and those skipped by the
    /// `passed_ready_targets` rule.
    user_effects: usize,
    user_effects_skipped: usize,
    mid_pass_add_task: usize,
    mid_pass_suspend_resume: usize,
    /// Condition objects yielded again.
    reused: usize,
    /// Queue items moved by `send`/`recv` conditions.
    transfers: usize,
    idle_busy: usize,
    idle_skip: usize,
    idle_until: usize,
    idle_forever: usize,
}

std::thread_local! {
    static STATS: Cell<Stats> = Cell::new(Stats::default());
}

fn count(f: impl FnOnce(&mut Stats)) {
    STATS.with(|s| {
        let mut stats = s.get();
        f(&mut stats);
        s.set(stats);
    });
}

/// One model run's set-up.
#[derive(Clone, Copy, Debug)]
struct Run {
    variant: Variant,
    walk: Walk,
    features: Features,
    /// The round-robin pass instead of the default one.
    round_robin: bool,
}

/// The lines explaining a run, formatted only when asked for (a failing seed
/// is run again with the trace on).
struct Trace {
    on: bool,
    lines: Vec<String>,
}

impl Trace {
    fn new(on: bool) -> Trace {
        Trace { on, lines: Vec::new() }
    }

    fn push(&mut self, line: impl FnOnce() -> String) {
        if self.on {
            self.lines.push(line());
        }
    }
}

/// What happens between two passes: the clock moves, maybe a task is added,
/// and Python code outside the scheduler (a service routine, an interrupt's
/// deferred work, the code before `start()`) may act, as task 0 for the
/// effects that need a task.
#[derive(Clone, Debug, Default)]
struct Between {
    ticks: u64,
    add: Option<NewTask>,
    outside: Vec<Effect>,
}

/// One pass of a fixed scenario.
#[derive(Clone, Debug)]
struct PassInput {
    between: Between,
    step: Step,
}

/// Where the driver gets each pass's input from.
trait Script {
    /// What happens before the next pass.
    fn before_pass(&mut self, model: &Model) -> Between;
    /// What the task resumed in the pass (if any) does.
    fn step(&mut self, model: &Model) -> Step;
}

impl Script for Generator {
    fn before_pass(&mut self, model: &Model) -> Between {
        let ticks = self.rng.below(3) as u64;
        let add = (model.list.is_empty() || self.rng.chance(2)).then(|| self.new_task());
        // Mostly when every task waits (often for good): something from outside.
        let stuck = !model.list.iter().any(|&t| matches!(model.tasks[t].state, TaskState::Ready | TaskState::Running));
        let mut outside = Vec::new();
        if self.rng.chance(if stuck { 40 } else { 5 }) {
            for _ in 0..1 + self.rng.below(2) {
                outside.push(self.effect(model));
            }
        }
        if self.features.hand_edits && self.rng.chance(4) {
            let last = model.list.iter().map(|&t| model.tasks[t].priority).max().unwrap_or(0);
            let idle: Vec<usize> =
                model.list.iter().copied().filter(|&t| model.tasks[t].state != TaskState::Blocked).collect();
            // Not with an add_task before the next pass: the kernel admits a
            // task appended by hand after it (see `divergence_list_append_then_add_task`).
            let adding = add.is_some() || outside.iter().any(|e| matches!(e, Effect::AddTask(_)));
            match (self.rng.chance(50), self.rng.pick(&idle)) {
                (false, Some(task)) => outside.push(Effect::ListRemove(task)),
                _ if adding => {}
                _ => {
                    let new = NewTask { priority: last + self.rng.below(2) as i32, ..self.new_task() };
                    outside.push(Effect::ListAppend(new));
                }
            }
        }
        Between { ticks, add, outside }
    }

    fn step(&mut self, model: &Model) -> Step {
        Generator::step(self, model)
    }
}

/// A fixed scenario: per pass, (ticks, task to add, step).
struct Fixed(VecDeque<PassInput>, Option<Step>);

impl Script for Fixed {
    fn before_pass(&mut self, _: &Model) -> Between {
        let input = self.0.pop_front().expect("the scenario has no more passes");
        self.1 = Some(input.step);
        input.between
    }

    fn step(&mut self, _: &Model) -> Step {
        self.1.take().unwrap()
    }
}

/// Runs one seed; `trace` receives the set-up, then a line per event, for the failure report.
fn run_seed(seed: u64, passes: usize, run: Run, trace: &mut Trace) {
    let (mut gen, config) = Generator::new(seed, run.features);
    trace.push(|| format!("seed {seed}, {run:?}: {config:?}"));
    drive(&config, run, passes, &mut gen, trace);
}

/// Runs `passes` passes of `script` over a world and the model, comparing them after each.
fn drive(config: &Config, run: Run, passes: usize, script: &mut dyn Script, trace: &mut Trace) {
    let world = World::new(config, run.variant, run.features);
    world.round_robin.set(run.round_robin);
    let mut model = Model::new(config, run.walk, run.features);
    model.round_robin = run.round_robin.then_some(run.variant == Variant::Own);
    model.admits = run.variant != Variant::Foreign { admitted: false };
    for pass in 0..passes {
        // Events outside the scheduler, identical on both sides.
        let Between { ticks, add, outside } = script.before_pass(&model);
        world.now_us.set(world.now_us.get() + ticks * TICK_US);
        model.now += ticks * TICK_US;
        if !outside.is_empty() {
            trace.push(|| format!("pass {pass}: from outside, as task 0: {outside:?}"));
            for effect in &outside {
                world.apply(0, effect, false);
                model.apply(0, effect, false);
            }
        }
        if let Some(new) = add {
            let id = model.tasks.len();
            trace.push(|| format!("pass {pass}: add_task -> task {id}: {new:?}"));
            world.add_task(new);
            model.add_task(new);
        }
        let step = script.step(&model);
        let before: Vec<String> = match trace.on {
            true => model.list.iter().map(|&t| format!("{t}:p{}:{:?}", model.tasks[t].priority, model.tasks[t].state)).collect(),
            false => Vec::new(),
        };
        *world.next_step.borrow_mut() = Some(step.clone());
        let outcome = world.pass();
        let ran_in_core = world.resumed.take();
        world.next_step.borrow_mut().take();
        let ran_in_model = model.select();
        if let Some(me) = ran_in_model {
            model.run(me, &step);
            if !model.tasks[me].conds.is_empty() {
                trace.push(|| format!("    task {me} now waits on {:?}", model.tasks[me].conds));
            }
        }
        trace.push(|| {
            format!(
                "pass {pass} (clock +{ticks}) over [{}]: model ran {ran_in_model:?}, core ran {ran_in_core:?}; step {step:?}",
                before.join(" ")
            )
        });
        if let Some(fault) = world.fault.borrow_mut().take() {
            panic!("a host callback panicked during pass {pass}: {fault}");
        }
        assert_eq!(ran_in_core, ran_in_model, "resumed task differs at pass {pass} (left: core, right: model)");
        let expected = if ran_in_model.is_some() { PassOutcome::Ran } else { PassOutcome::Idle };
        count(|s| match ran_in_model {
            Some(_) => s.passes_ran += 1,
            None => s.passes_idle += 1,
        });
        assert_eq!(outcome, expected, "pass outcome at pass {pass}");
        assert_eq!(world.snapshot(), model.snapshot(), "state differs after pass {pass} (left: core, right: model)");
        if run.variant == Variant::Own && world.list.borrow().is_empty() {
            // The shim's loop ends here: start() returns, and the kernel lets
            // go of tasks taken out of the list since the pass's resync.
            // SAFETY: as in `World::pass`.
            unsafe { sched::forget_removed(world.kernel, &world.host()) };
        }
        world.check_invariants();

        if run.variant == Variant::Own && outcome == PassOutcome::Idle {
            // The shim's loop now asks how long it may sleep.
            let expect = model.expect_idle();
            let before = world.pass_no();
            let (idle, deadline) = idle_of(&world);
            let skipped = world.pass_no() - before;
            let got = match idle {
                Idle::Busy if skipped > 0 || matches!(expect, ExpectIdle::Skip(0)) => ExpectIdle::Skip(skipped),
                Idle::Busy => ExpectIdle::Busy,
                Idle::Until => ExpectIdle::Until(deadline),
                Idle::Forever => ExpectIdle::Forever,
            };
            trace.push(|| format!("pass {pass}: idle -> {got:?}"));
            assert_eq!(got, expect, "Kernel::idle after pass {pass} (left: core, right: model)");
            count(|s| match got {
                ExpectIdle::Busy => s.idle_busy += 1,
                ExpectIdle::Skip(_) => s.idle_skip += 1,
                ExpectIdle::Until(_) => s.idle_until += 1,
                ExpectIdle::Forever => s.idle_forever += 1,
            });
            // The passes the kernel skipped, run in the model: nothing may happen.
            for _ in 0..skipped {
                assert_eq!(model.select(), None, "a skipped pass would have run a task");
            }
            assert_eq!(world.snapshot(), model.snapshot(), "state differs after the passes skipped after pass {pass}");
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| v.parse().unwrap_or_else(|_| panic!("{name} must be a number")))
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// `PYRTOS_MODEL_FEATURES=-user_add_task,-delays,...` switches scenarios off (exploration aid).
fn features_from_env(mut features: Features) -> Features {
    let spec = std::env::var("PYRTOS_MODEL_FEATURES").unwrap_or_default();
    for item in spec.split(',').filter(|s| !s.is_empty()) {
        let (on, name) = match item.strip_prefix('-') {
            Some(name) => (false, name),
            None => (true, item.trim_start_matches('+')),
        };
        match name {
            "user_add_task" => features.user_add_task = on,
            "user_suspend_resume" => features.user_suspend_resume = on,
            "passed_ready_targets" => features.passed_ready_targets = on,
            "delays" => features.delays = on,
            "hand_edits" => features.hand_edits = on,
            _ => panic!("unknown feature {name}"),
        }
    }
    features
}

/// Runs every seed, reporting the first failure with its trace.
fn run_seeds(name: &str, run_for: impl Fn(u64) -> Run) {
    let passes = env_number("PYRTOS_MODEL_PASSES").unwrap_or(200) as usize;
    let seeds: Vec<u64> = match env_number("PYRTOS_MODEL_SEED") {
        Some(seed) => vec![seed],
        None => (0..env_number("PYRTOS_MODEL_SEEDS").unwrap_or(300)).collect(),
    };
    // PYRTOS_MODEL_KEEP_GOING=1: one line per failing seed, then fail once.
    let keep_going = env_flag("PYRTOS_MODEL_KEEP_GOING");
    let mut failed = Vec::new();
    for &seed in &seeds {
        let run = run_for(seed);
        let attempt = |trace: &mut Trace| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_seed(seed, passes, run, trace)))
        };
        let Err(panic) = attempt(&mut Trace::new(false)) else { continue };
        if keep_going {
            std::eprintln!("{name}: seed {seed}: {}", message_of(&*panic).lines().next().unwrap_or(""));
            failed.push(seed);
            continue;
        }
        // Deterministic: the same run again, traced.
        let mut trace = Trace::new(true);
        let _ = attempt(&mut trace);
        let trace = trace.lines;
        std::eprintln!("{name} failed for seed {seed} (rerun: PYRTOS_MODEL_SEED={seed}); trace:");
        std::eprintln!("{}", trace[0]);
        let skip = trace.len().saturating_sub(60).max(1);
        if skip > 1 {
            std::eprintln!("  ... {} earlier lines", skip - 1);
        }
        for line in &trace[skip..] {
            std::eprintln!("{line}");
        }
        std::panic::resume_unwind(panic);
    }
    std::eprintln!("{name}: {} seeds x {passes} passes: {:?}", seeds.len(), STATS.with(|s| s.get()));
    assert!(failed.is_empty(), "{name}: {} of {} seeds failed: {failed:?}", failed.len(), seeds.len());
}

/// The event-driven pass against the model. By default the scenarios of the
/// known divergences are off (see the `divergence_*` tests) and the model
/// walks by key; `PYRTOS_MODEL_LITERAL=1` walks literally and turns every
/// scenario on (`PYRTOS_MODEL_FEATURES` then picks).
#[test]
fn event_driven_pass_matches_the_original_pyrtos_model() {
    let run = match env_flag("PYRTOS_MODEL_LITERAL") {
        true => Run {
            variant: Variant::Own,
            walk: Walk::Index,
            features: features_from_env(Features::ALL),
            round_robin: false,
        },
        false => Run {
            variant: Variant::Own,
            walk: Walk::Key,
            features: features_from_env(Features { passed_ready_targets: false, ..Features::ALL }),
            round_robin: false,
        },
    };
    run_seeds("event-driven model test", |_| run);
}

/// `pass_over_list` against the literal model. Seeds alternate between a list
/// whose tasks are admitted to the kernel and one whose are not, and between
/// `delay(n)` conditions and user conditions that call `add_task` (which makes
/// the original evaluate a task twice in one pass, where delays diverge).
#[test]
fn pass_over_list_matches_the_original_pyrtos_model() {
    run_seeds("pass_over_list model test", |seed| {
        let delays = seed % 4 < 2;
        Run {
            variant: Variant::Foreign { admitted: seed % 2 == 0 },
            walk: Walk::Index,
            features: features_from_env(Features { delays, user_add_task: !delays, ..Features::ALL }),
            round_robin: false,
        }
    })
}

/// The round-robin passes against the model's round robin: among the READY
/// tasks of the chosen one's priority, the one waiting longest runs.
#[test]
#[cfg(feature = "round-robin")]
fn round_robin_passes_match_the_model() {
    run_seeds("round-robin model test", |seed| {
        let delays = seed % 4 < 2;
        match seed % 3 {
            0 => Run {
                variant: Variant::Own,
                walk: Walk::Key,
                features: features_from_env(Features { passed_ready_targets: false, ..Features::ALL }),
                round_robin: true,
            },
            _ => Run {
                variant: Variant::Foreign { admitted: seed % 2 == 0 },
                walk: Walk::Index,
                features: features_from_env(Features { delays, user_add_task: !delays, ..Features::ALL }),
                round_robin: true,
            },
        }
    })
}

// ---- fixed scenarios ----------------------------------------------------------

fn message_of(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|m| String::from(*m)))
        .unwrap_or_default()
}

/// Runs a fixed scenario over the world and the model; `Err` holds the first
/// disagreement and the trace.
fn scenario(config: &Config, run: Run, passes: &[PassInput]) -> Result<(), String> {
    let mut script = Fixed(passes.iter().cloned().collect(), None);
    let mut trace = Trace::new(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        drive(config, run, passes.len(), &mut script, &mut trace)
    }));
    result.map_err(|panic| format!("{}\n{}", message_of(&*panic), trace.lines.join("\n")))
}

fn agree(config: &Config, run: Run, passes: &[PassInput]) {
    if let Err(report) = scenario(config, run, passes) {
        panic!("core and model disagree: {report}");
    }
}

/// Pins a divergence from the original that the README documents: the core
/// and the model disagree, first in the way `expected` says (core on the left).
fn diverge(config: &Config, run: Run, passes: &[PassInput], expected: &str) {
    match scenario(config, run, passes) {
        Ok(()) => panic!("core and model agree now: update this test and the README's compatibility list"),
        Err(report) => assert!(report.contains(expected), "core and model disagree otherwise than pinned:\n{report}"),
    }
}

fn tasks(priorities: &[i32]) -> Config {
    let tasks = priorities.iter().map(|&priority| NewTask { priority, slots: 1, mailbox: true }).collect();
    Config { locks: vec![LockKind::Mutex], queue_capacities: vec![1], tasks }
}

fn block(conds: Vec<CondSpec>) -> Step {
    Step { effects: Vec::new(), ending: Ending::Block(conds) }
}

fn yield_none() -> Step {
    Step { effects: Vec::new(), ending: Ending::YieldNone }
}

fn ticks(n: u64) -> CondSpec {
    CondSpec::Timeout { ticks: Some(n), seconds: true }
}

fn user(answers: &[bool], actions: &[(usize, Effect)]) -> CondSpec {
    CondSpec::User(UserScript { answers: answers.to_vec(), actions: actions.to_vec() })
}

/// A pass after the clock moved `ticks`.
fn at(ticks: u64, step: Step) -> PassInput {
    PassInput { between: Between { ticks, ..Between::default() }, step }
}

fn own(walk: Walk, features: Features) -> Run {
    Run { variant: Variant::Own, walk, features, round_robin: false }
}

fn over_list(features: Features) -> Run {
    Run { variant: Variant::Foreign { admitted: false }, walk: Walk::Index, features, round_robin: false }
}

#[test]
fn reused_timeout_fires_at_its_first_deadline() {
    // A: [delay(1), timeout(2 ticks)] wakes on the delay; re-yields the timeout,
    // whose clock started at its first evaluation.
    let passes = [
        at(0, block(vec![CondSpec::Delay(1), ticks(2)])),
        at(0, yield_none()),
        at(1, block(vec![CondSpec::Reuse(1)])),
        at(1, yield_none()),
        at(0, yield_none()),
    ];
    for run in [own(Walk::Key, Features::ALL), over_list(Features::ALL)] {
        agree(&tasks(&[0, 0]), run, &passes);
    }
}

/// An unlock from a user condition reaches the mutex waiters the pass has not
/// reached yet in this pass, and those it has passed in the next.
#[test]
fn mid_pass_unlock_reaches_waiters_ahead_now_and_behind_next_pass() {
    // U (task 0, p1) holds the mutex; W1 (p0) and W2 (p2) wait for it; U's
    // user condition unlocks it at its second poll.
    let mut first = at(0, block(vec![CondSpec::Lock(0)])); // W1 runs first
    first.between.outside = vec![Effect::NbLock(0)]; // as task 0, U
    let passes = [
        first,
        at(0, block(vec![user(&[false, false, false], &[(1, Effect::Unlock(0))])])), // U
        at(0, block(vec![CondSpec::Lock(0)])),                                       // W2
        // U's unlock: W1 (behind) is not re-evaluated, W2 (ahead) takes the lock and runs.
        at(0, Step { effects: vec![Effect::UnlockIfMine(0)], ending: Ending::YieldNone }),
        // W1 takes it in the next pass.
        at(0, yield_none()),
        at(0, yield_none()),
    ];
    for run in [own(Walk::Key, Features::ALL), own(Walk::Index, Features::ALL), over_list(Features::ALL)] {
        agree(&tasks(&[1, 0, 2]), run, &passes);
    }
}

/// A user condition that adds a better-priority task shifts the list under
/// the original's iterator, which then evaluates the current task again. The
/// walk of `pass_over_list` reproduces that.
#[test]
fn mid_pass_add_task_revisits_in_pass_over_list() {
    let passes = [
        at(0, block(vec![user(&[false, true], &[(0, Effect::AddTask(NewTask { priority: 0, slots: 0, mailbox: false }))])])),
        at(0, yield_none()), // polled twice in this pass: false, then true
        at(0, yield_none()),
    ];
    agree(&tasks(&[1]), over_list(Features::ALL), &passes);
    // The event-driven pass evaluates each task once per pass (see the divergence below).
    agree(&tasks(&[1]), own(Walk::Key, Features::ALL), &passes);
}

/// SPEC section 3: an abandoned `BinarySemaphore.lock` request leaves the
/// queue at once. X's request heads the queue; in the pass after the lock is
/// freed, X wakes on its message first (its request unevaluated, then
/// dropped), and Y, queued behind X and already evaluated in that pass (it has
/// the better priority), must get the lock in the next pass.
#[test]
fn abandoned_semaphore_request_hands_over_at_once() {
    // Z (task 0, p3) holds the semaphore; X (p2), Y (p1).
    let mut config = tasks(&[3, 2, 1]);
    config.locks = vec![LockKind::Semaphore];
    let mut first = at(0, block(vec![ticks(1)])); // Y sleeps a tick
    first.between.outside = vec![Effect::NbLock(0)]; // as task 0: Z
    let passes = [
        first,
        at(0, block(vec![CondSpec::Message(1), CondSpec::Lock(0)])), // X: its request heads the queue
        at(0, yield_none()),                                          // Z
        at(1, block(vec![CondSpec::Lock(0)])),                        // Y woke: queues behind X
        // Z posts to X and frees the lock.
        at(0, Step { effects: vec![Effect::MailboxPush(1), Effect::UnlockIfMine(0)], ending: Ending::YieldNone }),
        at(0, yield_none()), // X woke on the message, its request dropped
        at(0, yield_none()), // Y has the lock
        at(0, yield_none()),
    ];
    for run in [own(Walk::Key, Features::ALL), over_list(Features::ALL)] {
        agree(&config, run, &passes);
    }
}

// ---- divergences between the core and the original ------------------------------
//
// Each `divergence_*` test runs a scenario in which the core differs from the
// original (the model) and checks that it differs in the documented way.

/// The original's iterator evaluates the current task again when a user
/// condition adds a task before it (above); the event-driven pass does not.
/// Here A's user condition is polled once instead of twice, so A does not run.
#[test]
fn divergence_event_driven_pass_does_not_revisit_after_mid_pass_add_task() {
    let passes = [
        at(0, block(vec![user(&[false, true], &[(0, Effect::AddTask(NewTask { priority: 0, slots: 0, mailbox: false }))])])),
        at(0, yield_none()),
        at(0, yield_none()),
    ];
    diverge(&tasks(&[1]), own(Walk::Index, Features::ALL), &passes, "resumed task differs at pass 1 (left: core, right: model)\n  left: None\n right: Some(0)");
}

/// `delay(n)` counts passes (`due_pass`), the original counts evaluations.
/// They differ when a task is evaluated twice in one pass (the iterator quirk
/// above, reproduced by `pass_over_list`): A's `delay(1)` is true at its second
/// evaluation, in the same pass, in the original.
#[test]
fn divergence_delay_evaluated_twice_in_one_pass() {
    let add = Effect::AddTask(NewTask { priority: 0, slots: 0, mailbox: false });
    let passes = [at(0, block(vec![CondSpec::Delay(1), user(&[false], &[(0, add)])])), at(0, yield_none()), at(0, yield_none())];
    diverge(&tasks(&[1]), over_list(Features::ALL), &passes, "resumed task differs at pass 1 (left: core, right: model)\n  left: None\n right: Some(0)");
}

/// A re-yielded `delay()` object goes on counting where it stopped, as the
/// original's generator does: the passes it sat unused do not count, nor does
/// the pass in which a condition before it woke its task.
#[test]
fn reused_delay_goes_on_counting_where_it_stopped() {
    // A (p0): [delay(3), timeout(1 tick)] wakes on the timeout with 1 cycle
    // left, runs twice, then re-yields the delay: two more evaluations (B
    // runs meanwhile).
    let passes = [
        at(0, block(vec![CondSpec::Delay(3), ticks(1)])),
        at(0, yield_none()), // B
        at(1, yield_none()), // A woke
        at(0, yield_none()),
        at(0, block(vec![CondSpec::Reuse(0)])),
        at(0, yield_none()),
        at(0, yield_none()),
    ];
    let mut failures = Vec::new();
    for run in [own(Walk::Key, Features::ALL), over_list(Features::ALL)] {
        if let Err(report) = scenario(&tasks(&[0, 1]), run, &passes) {
            failures.push(format!("{:?}: {report}", run.variant));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A user condition calls `resume()` on the task the original's walk has
/// already chosen (woken earlier in the pass, or the RUNNING task): the
/// original still runs it; the core moves it behind the scan ("deferred") and
/// runs another task (C) or none.
#[test]
fn divergence_resume_of_the_chosen_task_mid_pass() {
    // A (p0), B (p1), C (p2). A sleeps one tick; B waits on a user condition
    // that resumes A at its first poll, in the pass where A's timeout fires.
    let woken = [
        at(0, block(vec![ticks(1)])),                                   // A
        at(0, block(vec![user(&[false], &[(0, Effect::Resume(0))])])), // B
        at(1, yield_none()),                                            // original: A; core: C
        at(0, yield_none()),
    ];
    // Same, but A is RUNNING (it yielded None the pass before).
    let running = [
        at(0, block(vec![ticks(1)])),                                          // A
        at(0, block(vec![user(&[false, false], &[(1, Effect::Resume(0))])])), // B
        at(1, yield_none()),                                                   // A woke, stays RUNNING
        at(0, yield_none()),                                                   // original: A; core: C
        at(0, yield_none()),
    ];
    diverge(&tasks(&[0, 1, 2]), own(Walk::Key, Features::ALL), &woken, "resumed task differs at pass 2 (left: core, right: model)\n  left: Some(2)\n right: Some(0)");
    diverge(&tasks(&[0, 1, 2]), own(Walk::Key, Features::ALL), &running, "resumed task differs at pass 3 (left: core, right: model)\n  left: Some(2)\n right: Some(0)");
}

/// Same, with `suspend()`: the original still resumes the task it had chosen
/// (a SUSPENDED task runs, and is RUNNING afterwards); the core runs C. The
/// core is arguably right here; the original's behaviour is a bug.
#[test]
fn divergence_suspend_of_the_chosen_task_mid_pass() {
    let passes = [
        at(0, block(vec![ticks(1)])),
        at(0, block(vec![user(&[false], &[(0, Effect::Suspend(0))])])),
        at(1, yield_none()),
        at(0, yield_none()),
    ];
    diverge(&tasks(&[0, 1, 2]), own(Walk::Key, Features::ALL), &passes, "resumed task differs at pass 2 (left: core, right: model)\n  left: Some(2)\n right: Some(0)");
}

/// A task blocking on `[wait_for_message(self), wait_for_notification(self)]`
/// clears its own notification at the first evaluation. That wakes nobody
/// (a registered wait is for a non-zero state), so the task does not mark
/// itself dirty and the kernel is idle after that pass, as the model is.
#[test]
fn blocking_on_own_message_and_notification_leaves_the_kernel_idle() {
    let me_note = CondSpec::Notification { task: 0, index: 0, state: 1 };
    let passes = [at(0, block(vec![CondSpec::Message(0), me_note])), at(0, yield_none()), at(0, yield_none())];
    agree(&tasks(&[0]), own(Walk::Key, Features::ALL), &passes);
}

// ---- focused kernel tests -------------------------------------------------------------

fn no_locks(tasks: Vec<NewTask>) -> Config {
    Config { locks: Vec::new(), queue_capacities: Vec::new(), tasks }
}

fn plain(priority: i32) -> NewTask {
    NewTask { priority, slots: 0, mailbox: false }
}

/// One pass of `world` in which the resumed task takes `step`; returns the resumed task.
fn step_world(world: &World, step: Step) -> Option<usize> {
    *world.next_step.borrow_mut() = Some(step);
    let outcome = world.pass();
    world.next_step.borrow_mut().take();
    if let Some(fault) = world.fault.borrow_mut().take() {
        panic!("a host callback panicked: {fault}");
    }
    let resumed = world.resumed.take();
    assert_eq!(outcome, if resumed.is_some() { PassOutcome::Ran } else { PassOutcome::Idle });
    resumed
}

/// `Kernel::idle` at the world's clock, with no cap of the loop's own; for
/// `Until`, the time it may sleep until, on that clock.
fn idle_of(world: &World) -> (Idle, u64) {
    let now = world.now_us.get();
    let mut wait = 0;
    let idle = world.with_kernel(|k| k.idle(now, false, None, &mut wait));
    match idle {
        Idle::Until => (idle, now + wait),
        Idle::Forever => {
            assert_eq!(wait, MAX_SLEEP_US, "Forever, in sleeps of MAX_SLEEP_US");
            (idle, 0)
        }
        Idle::Busy => (idle, 0),
    }
}

/// SPEC section 4: a pass costs nothing per blocked task. With K = 1000 tasks
/// blocked on `delay(10**9)` or a long timeout, a pass that resumes the one
/// yielding task never asks for a condition.
#[test]
fn blocked_tasks_cost_nothing_in_the_event_driven_pass() {
    const K: usize = 1000;
    let mut config = no_locks(vec![plain(1); K]);
    config.tasks.push(plain(2)); // the yielding task, id K
    let world = World::new(&config, Variant::Own, Features::ALL);
    for i in 0..K {
        let cond = match i % 3 {
            0 => CondSpec::Delay(1_000_000_000),
            1 => CondSpec::Timeout { ticks: Some(4_000_000_000), seconds: true }, // 10**9 s
            _ => CondSpec::Timeout { ticks: None, seconds: false },
        };
        assert_eq!(step_world(&world, block(vec![cond])), Some(i));
        world.now_us.set(world.now_us.get() + 7);
    }
    // Each newly blocked task is evaluated once, in the pass after it blocked.
    assert_eq!(world.condition_at_calls.get(), 2 * (K - 1), "one condition and the end of the list, per task");
    assert_eq!(step_world(&world, yield_none()), Some(K));
    world.condition_at_calls.set(0);
    for _ in 0..100 {
        world.now_us.set(world.now_us.get() + TICK_US);
        assert_eq!(step_world(&world, yield_none()), Some(K));
    }
    assert_eq!(world.condition_at_calls.get(), 0, "the event-driven pass evaluated blocked tasks");
    world.check_invariants();

    // The walk over a foreign list evaluates every one of them, every pass (as the original).
    let foreign = World::new(&no_locks(vec![plain(1); 50]), Variant::Foreign { admitted: false }, Features::ALL);
    for i in 0..50 {
        assert_eq!(step_world(&foreign, block(vec![CondSpec::Delay(1_000_000_000)])), Some(i));
    }
    foreign.condition_at_calls.set(0);
    assert_eq!(step_world(&foreign, yield_none()), None);
    assert_eq!(foreign.condition_at_calls.get(), 2 * 50);
}

/// A timer hours away: the loop sleeps at most MAX_SLEEP_US at a time (a
/// board's 32-bit tick wraps in twice that), then the time left; at the
/// deadline, no sleep.
#[test]
fn idle_sleeps_at_most_max_sleep_us_at_a_time() {
    let world = World::new(&no_locks(vec![plain(0)]), Variant::Own, Features::ALL);
    let hours = 10 * 3600 * 1_000_000 / TICK_US; // 10 hours, in ticks
    assert_eq!(step_world(&world, block(vec![ticks(hours)])), Some(0));
    assert_eq!(step_world(&world, yield_none()), None); // its first evaluation, now = 0
    let due = hours * TICK_US;
    let mut wait = 0;
    assert_eq!(world.with_kernel(|k| k.idle(0, false, Some(5_000), &mut wait)), Idle::Until);
    assert_eq!(wait, MAX_SLEEP_US, "the cap is for service routines only");
    // With service routines, the user's cap (idle_ms) wins when it is shorter,
    // a cap of 0 still sleeps (for 0 us), and without one the loop never sleeps.
    assert_eq!(world.with_kernel(|k| k.idle(0, true, Some(5_000), &mut wait)), Idle::Until);
    assert_eq!(wait, 5_000);
    assert_eq!(world.with_kernel(|k| k.idle(0, true, Some(0), &mut wait)), Idle::Until);
    assert_eq!(wait, 0);
    assert_eq!(world.with_kernel(|k| k.idle(0, true, None, &mut wait)), Idle::Busy);
    world.now_us.set(due - 7);
    assert_eq!(step_world(&world, yield_none()), None);
    assert_eq!(idle_of(&world), (Idle::Until, due));
    world.now_us.set(due);
    assert_eq!(idle_of(&world).0, Idle::Busy, "due: the next pass fires it");
    assert_eq!(step_world(&world, yield_none()), Some(0));
}

/// A pending delay counts passes: without service routines the passes up to
/// it are skipped (nothing runs in them); with routines (`start(idle_ms=)`)
/// each pass happens, since the routines see every one.
#[test]
fn idle_skips_delay_passes_only_without_routines() {
    for routines in [false, true] {
        let world = World::new(&no_locks(vec![plain(0)]), Variant::Own, Features::ALL);
        assert_eq!(step_world(&world, block(vec![CondSpec::Delay(1000)])), Some(0));
        assert_eq!(step_world(&world, yield_none()), None); // its first evaluation
        let before = world.with_kernel(|k| k.pass_no);
        let mut wait = 0;
        assert_eq!(world.with_kernel(|k| k.idle(0, routines, Some(1_000), &mut wait)), Idle::Busy);
        let skipped = world.with_kernel(|k| k.pass_no) - before;
        // True at its 1001st evaluation: the passes before it are skipped.
        assert_eq!(skipped, if routines { 0 } else { 999 }, "routines: {routines}");
        let woke = step_world(&world, yield_none());
        assert_eq!(woke, if routines { None } else { Some(0) }, "routines: {routines}");
    }
}

/// `Kernel::idle` after a pass that ran nothing: Until the earliest registered
/// deadline, Forever when only objects can wake a task, Busy when something is
/// pending or a user condition needs polling.
#[test]
fn idle_reports_the_earliest_deadline_forever_and_busy() {
    let config = no_locks(vec![plain(0), plain(0), NewTask { priority: 0, slots: 0, mailbox: true }]);
    let world = World::new(&config, Variant::Own, Features::ALL);
    // Nothing has run yet: Ready tasks are pending.
    assert_eq!(idle_of(&world).0, Idle::Busy);
    assert_eq!(step_world(&world, block(vec![ticks(8)])), Some(0));
    assert_eq!(step_world(&world, block(vec![ticks(4), CondSpec::Timeout { ticks: None, seconds: true }])), Some(1));
    world.now_us.set(100);
    assert_eq!(step_world(&world, block(vec![CondSpec::Message(2)])), Some(2));
    assert_eq!(step_world(&world, yield_none()), None); // C's first evaluation
    // A's clock started at its first evaluation (pass 2, now = 0): due at 8 ticks;
    // B's at pass 3, now = 100: due at 100 + 4 ticks.
    let b_due = 100 + 4 * TICK_US;
    assert_eq!(idle_of(&world), (Idle::Until, b_due));
    world.now_us.set(b_due - 1);
    assert_eq!(step_world(&world, yield_none()), None);
    assert_eq!(idle_of(&world), (Idle::Until, b_due));
    world.now_us.set(b_due);
    assert_eq!(step_world(&world, Step { effects: Vec::new(), ending: Ending::Return }), Some(1));
    assert_eq!(step_world(&world, yield_none()), None);
    assert_eq!(idle_of(&world), (Idle::Until, 8 * TICK_US));
    world.now_us.set(9 * TICK_US);
    assert_eq!(step_world(&world, Step { effects: Vec::new(), ending: Ending::Return }), Some(0));
    assert_eq!(step_world(&world, yield_none()), None);
    // Only C is left, waiting for a message.
    assert_eq!(idle_of(&world).0, Idle::Forever);
    // A message from outside the scheduler (an interrupt's deferred work): C must be evaluated.
    world.apply(2, &Effect::MailboxPush(2), false);
    assert_eq!(idle_of(&world).0, Idle::Busy);
    assert_eq!(step_world(&world, block(vec![user(&[false], &[])])), Some(2));
    assert_eq!(step_world(&world, yield_none()), None);
    // A user condition is polled every pass.
    assert_eq!(idle_of(&world).0, Idle::Busy);
    world.check_invariants();
}

/// Delays count passes, and a pass that runs nothing changes nothing, so
/// `Kernel::idle` skips to the pass before the next due delay (even with a
/// timer registered) and the delay fires in the very next pass, at the pass
/// the original would fire it.
#[test]
fn idle_fast_forwards_to_the_next_due_delay() {
    let world = World::new(&no_locks(vec![plain(0), plain(0)]), Variant::Own, Features::ALL);
    assert_eq!(step_world(&world, block(vec![CondSpec::Delay(5)])), Some(0)); // pass 1
    assert_eq!(step_world(&world, block(vec![ticks(40), CondSpec::Delay(9)])), Some(1)); // pass 2: A's first evaluation
    assert_eq!(step_world(&world, yield_none()), None); // pass 3: B's first evaluation
    // The original evaluates A at passes 2..=7 and fires it at the 6th: pass 7.
    assert_eq!(world.pass_no(), 3);
    assert_eq!(idle_of(&world).0, Idle::Busy);
    assert_eq!(world.pass_no(), 6, "skipped to the pass before A's delay is due");
    assert_eq!(idle_of(&world).0, Idle::Busy);
    assert_eq!(world.pass_no(), 6, "idle never moves past a due delay");
    // Evaluations so far: A at pass 2 (delay, end of list), B at pass 3 (timeout, delay, end).
    assert_eq!(world.condition_at_calls.take(), 5);
    assert_eq!(step_world(&world, Step { effects: Vec::new(), ending: Ending::Return }), Some(0)); // pass 7
    // (The second call finds the end of the list behind the true condition.)
    assert_eq!(world.condition_at_calls.take(), 2, "only A was evaluated, its first condition true");
    // B: first evaluated at pass 3, delay(9) due at pass 12.
    assert_eq!(step_world(&world, yield_none()), None); // pass 8
    assert_eq!(idle_of(&world).0, Idle::Busy);
    assert_eq!(world.pass_no(), 11);
    assert_eq!(step_world(&world, block(vec![ticks(1)])), Some(1)); // pass 12
    assert_eq!(step_world(&world, yield_none()), None); // pass 13: B's first evaluation
    // Only a timer left: Until its deadline, without touching the pass count.
    assert_eq!(idle_of(&world), (Idle::Until, TICK_US));
    assert_eq!(world.pass_no(), 13);
    world.check_invariants();
}

// ---- the task list changed by hand -------------------------------------------------


/// Appending (in priority order) and removing by hand, one at a time, so the
/// length changes and the kernel resyncs.
#[test]
fn list_edited_by_hand_is_resynced() {
    let mut append = at(0, yield_none());
    append.between.outside = vec![Effect::ListAppend(NewTask { priority: 2, slots: 0, mailbox: false })];
    let mut remove = at(0, yield_none());
    remove.between.outside = vec![Effect::ListRemove(1)];
    let passes = [
        at(0, block(vec![ticks(1)])), // A (p1) sleeps, B (p2) runs next
        append,                       // C (p2) appended after B: B keeps running (ties)
        at(1, block(vec![ticks(1)])), // A woke; runs, sleeps again
        remove,                       // B removed while READY: C runs
        at(5, yield_none()),          // A
        at(0, Step { effects: Vec::new(), ending: Ending::Return }),
        at(0, yield_none()),
    ];
    agree(&tasks(&[1, 2]), own(Walk::Index, Features::ALL), &passes);
}

/// The running task empties the list by hand: no later pass re-reads it,
/// and the kernel must not keep the tasks linked (alive) once start()
/// returns. The invariants after the pass check it; a task added next runs.
#[test]
fn list_emptied_by_hand_in_the_last_pass_is_forgotten() {
    let mut empty = at(0, yield_none());
    empty.step.effects = vec![Effect::ListRemove(0), Effect::ListRemove(1)];
    let mut again = at(0, yield_none());
    again.between.add = Some(NewTask { priority: 0, slots: 0, mailbox: false });
    let passes = [
        at(0, yield_none()), // A runs; B (p1) waits its turn
        empty,               // A takes both out of the list and yields
        again,               // a new start(): task C runs
        at(0, yield_none()),
    ];
    agree(&tasks(&[0, 1]), own(Walk::Index, Features::ALL), &passes);
}

/// One task swapped for another by hand (same length): noticed when the
/// kernel is about to run the removed one, which is no longer where it was.
#[test]
fn list_swap_is_noticed_before_running_the_removed_task() {
    let mut swap = at(0, yield_none());
    swap.between.outside = vec![Effect::ListRemove(1), Effect::ListAppend(NewTask { priority: 1, slots: 0, mailbox: false })];
    let passes = [
        at(0, block(vec![ticks(100)])), // A sleeps
        at(0, yield_none()),            // B runs, stays RUNNING
        swap,                           // B replaced by C: C runs
        at(0, yield_none()),
    ];
    agree(&tasks(&[0, 1]), own(Walk::Index, Features::ALL), &passes);
}

/// A task appended by hand out of priority order: the original walks the list
/// in its order (it sorts only in `add_task`), the kernel by priority.
#[test]
fn divergence_list_appended_out_of_order() {
    let mut append = at(0, yield_none());
    append.between.outside = vec![Effect::ListAppend(NewTask { priority: 0, slots: 0, mailbox: false })];
    // A (p1) runs; C (p0) appended after it: the original keeps A first (A is
    // RUNNING, ties and better candidates come first in list order only).
    let passes = [at(0, block(vec![ticks(1)])), append, at(0, yield_none()), at(0, yield_none())];
    diverge(&tasks(&[1, 2]), own(Walk::Index, Features::ALL), &passes, "resumed task differs at pass 1 (left: core, right: model)\n  left: Some(2)\n right: Some(1)");
}

/// A task removed by hand while BLOCKED keeps its `ready_conditions` in the
/// original, and runs again when they come true once it is put back. The
/// kernel makes it stop waiting when it notices the removal, as `resume()`
/// does: its conditions are released and it is READY when put back.
#[test]
fn divergence_blocked_task_removed_and_put_back_by_hand() {
    let mut remove = at(0, yield_none());
    remove.between.outside = vec![Effect::ListRemove(0)];
    let mut put_back = at(0, yield_none());
    put_back.between.outside = vec![Effect::ListPush(0)];
    let passes = [
        at(0, block(vec![ticks(2)])), // A (p0) sleeps 2 ticks
        remove,                       // B runs
        put_back,                     // B runs; A is back in the list, last
        at(2, yield_none()),          // A's timeout: the original runs A
        at(0, yield_none()),
    ];
    diverge(&tasks(&[0, 1]), own(Walk::Index, Features::ALL), &passes, "state differs after pass 1 (left: core, right: model)\n  left: Snapshot { list: [1], tasks: [TaskSnap { state: Ready, runs: 1, conditions: 0");
}

/// `tasks.append(x)` by hand, then `add_task(y)`, same priority, before the
/// next pass: the list holds x before y and the original runs x first; the
/// kernel admits y at once and x at the next pass's resync, so it orders y first.
#[test]
fn divergence_list_append_then_add_task() {
    let same = NewTask { priority: 2, slots: 0, mailbox: false };
    let mut edit = at(0, yield_none());
    edit.between.outside = vec![Effect::ListAppend(same)];
    edit.between.add = Some(same);
    let passes = [at(0, block(vec![ticks(10)])), edit, at(0, yield_none())];
    diverge(&tasks(&[1]), own(Walk::Index, Features::ALL), &passes, "resumed task differs at pass 1 (left: core, right: model)\n  left: Some(2)\n right: Some(1)");
}
