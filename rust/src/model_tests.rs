//! Model test: [`sched::pass`] against a reference model of the original pyRTOS.
//!
//! What is compared, and why. The core only sees the world through the
//! [`Host`] callback table, so a wrong callback contract or a subtle ordering
//! slip (which condition is advanced, who gets a lock, when a semaphore request
//! leaves the queue) would only show up as a different program output on the
//! firmware. Here the core runs over a mock host, [`World`], laid out the way
//! the C shim lays things out: tasks, locks, queues and conditions in boxes
//! that never move, built-in conditions pointing into them. Beside it runs
//! [`Model`], a deliberately plain re-statement of the original pure-Python
//! pyRTOS (`default_scheduler`, the condition generators, `Mutex`,
//! `BinarySemaphore`, `MessageQueue`, `Task.suspend/resume`) with Vecs and task
//! ids instead of pointers. It shares no code with the core.
//!
//! Each seed builds random tasks, locks and queues and a [`Generator`] feeds
//! both sides the same random script: per pass, how far the fake clock moves,
//! an occasional `add_task`, and the body step of whichever task gets resumed
//! (side effects, then `yield`, `yield [conditions]` or `return`). After every
//! pass both sides must agree on which task ran and on everything observable:
//! task list order, states, run counts, condition-list lengths, notification
//! slots, mailboxes, received items, queue contents, lock owners, live
//! semaphore requests and user-condition poll counts. Invariants are checked
//! too (at most one RUNNING task; `LockCore::waiting` equals the number of live
//! requests).
//!
//! A failure prints the seed and the trace of the run. Knobs:
//! `PYRTOS_MODEL_SEED=<n>` reruns one seed, `PYRTOS_MODEL_SEEDS` and
//! `PYRTOS_MODEL_PASSES` change the default 300 seeds x 200 passes.

extern crate std;

use core::ffi::c_void;
use core::ptr;
use std::boxed::Box;
use std::collections::VecDeque;
use std::format;
use std::string::String;
use std::vec::Vec;

use crate::condition::Condition;
use crate::lock::{LockCore, WaitNode};
use crate::queue::QueueCore;
use crate::sched::{self, CondSlot, Host, PassOutcome, Polled, Resumed, SlotKind, TaskRef};
use crate::task::{Notification, TaskCore, TaskState};

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

/// A user condition (UFunction): its answers, cycled, and optionally an
/// `add_task` it performs at one given poll (Python code may do that mid-pass).
#[derive(Clone, Debug)]
struct UserScript {
    answers: Vec<bool>,
    spawn: Option<(usize, NewTask)>,
}

/// One condition of a yielded list. Tasks, locks and queues are named by index.
#[derive(Clone, Debug)]
enum CondSpec {
    Delay(u32),
    /// `ticks: None` never expires; `seconds` picks `timeout()` over `timeout_ns()`.
    Timeout { ticks: Option<u64>, seconds: bool },
    Message(usize),
    Notification { task: usize, index: usize, state: i8 },
    /// `Mutex.lock(me)` or `BinarySemaphore.lock(me)`, by the lock's kind.
    Lock(usize),
    QueueSend(usize, u32),
    QueueRecv(usize),
    User(UserScript),
}

#[derive(Clone, Copy, Debug)]
enum NotifyOp {
    SetState(i8),
    IncState(i8),
    SetValue(i8, i32),
    IncValue(i8, i32),
}

/// A side effect of a task body between two yields ("me" is the resumed task).
#[derive(Clone, Debug)]
enum Effect {
    /// `lock.unlock()` if `me` holds it.
    UnlockIfMine(usize),
    NbLock(usize),
    NbSend(usize, u32),
    /// `nb_recv()`; the item goes to `me`'s received list.
    NbRecv(usize),
    Notify { task: usize, index: usize, op: NotifyOp },
    /// A message delivered to that task's mailbox.
    MailboxPush(usize),
    /// `me.recv()` (no-op without a mailbox).
    MailboxTakeAll,
    Suspend(usize),
    Resume(usize),
    AddTask(NewTask),
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
struct Config {
    locks: Vec<LockKind>,
    queue_capacities: Vec<usize>,
    tasks: Vec<NewTask>,
}

/// Draws the script. Steps are drawn before the pass, without knowing which
/// task will run; the tasks' fixed attributes (mailbox, slot count) are read
/// from the model, which at that point equals the world (checked every pass).
struct Generator {
    rng: Rng,
    locks: usize,
    queues: usize,
    next_msg: u32,
}

impl Generator {
    fn new(seed: u64) -> (Generator, Config) {
        let mut gen = Generator { rng: Rng::new(seed), locks: 0, queues: 0, next_msg: 0 };
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
        let effects = (0..self.rng.below(3)).map(|_| self.effect(model)).collect();
        let ending = match self.rng.below(100) {
            0..=2 => Ending::Return,
            3..=32 => Ending::YieldNone,
            _ => {
                let mut conds: Vec<CondSpec> = (0..1 + self.rng.below(3)).map(|_| self.condition(model)).collect();
                // The common `[something, timeout(t)]` pattern keeps most seeds from deadlocking early.
                if self.rng.chance(50) {
                    let ticks = Some(1 + self.rng.below(4) as u64);
                    conds.push(CondSpec::Timeout { ticks, seconds: self.rng.chance(50) });
                }
                Ending::Block(conds)
            }
        };
        Step { effects, ending }
    }

    fn condition(&mut self, model: &Model) -> CondSpec {
        let delay = CondSpec::Delay(self.rng.below(4) as u32);
        match self.rng.below(10) {
            0 => delay,
            1 => {
                let ticks = if self.rng.chance(10) { None } else { Some(self.rng.below(4) as u64) };
                CondSpec::Timeout { ticks, seconds: self.rng.chance(50) }
            }
            2 => Generator::tasks_with_mailbox(model).first().map_or(delay, |_| {
                let t = self.rng.pick(&Generator::tasks_with_mailbox(model)).unwrap();
                CondSpec::Message(t)
            }),
            3 => match self.rng.pick(&Generator::tasks_with_slots(model)) {
                Some(task) => CondSpec::Notification {
                    task,
                    index: self.rng.below(model.tasks[task].notes.len()),
                    state: self.rng.below(3) as i8,
                },
                None => delay,
            },
            4 | 5 => CondSpec::Lock(self.rng.below(self.locks)),
            6 => CondSpec::QueueSend(self.rng.below(self.queues), self.message()),
            7 => CondSpec::QueueRecv(self.rng.below(self.queues)),
            _ => CondSpec::User(UserScript {
                answers: (0..1 + self.rng.below(5)).map(|_| self.rng.chance(30)).collect(),
                spawn: if self.rng.chance(5) { Some((self.rng.below(4), self.new_task())) } else { None },
            }),
        }
    }

    fn effect(&mut self, model: &Model) -> Effect {
        match self.rng.below(100) {
            0..=19 => Effect::UnlockIfMine(self.rng.below(self.locks)),
            20..=29 => Effect::NbLock(self.rng.below(self.locks)),
            30..=39 => Effect::NbSend(self.rng.below(self.queues), self.message()),
            40..=47 => Effect::NbRecv(self.rng.below(self.queues)),
            48..=64 => match self.rng.pick(&Generator::tasks_with_slots(model)) {
                Some(task) => {
                    let index = self.rng.below(model.tasks[task].notes.len());
                    let state = self.rng.below(3) as i8;
                    let value = self.rng.below(7) as i32 - 3;
                    let op = match self.rng.below(4) {
                        0 => NotifyOp::SetState(state),
                        1 => NotifyOp::IncState(1),
                        2 => NotifyOp::SetValue(state, value),
                        _ => NotifyOp::IncValue(state, value),
                    };
                    Effect::Notify { task, index, op }
                }
                None => Effect::MailboxTakeAll,
            },
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
}

// ---- the reference model: the original pyRTOS, in plain Rust ---------------

/// A condition generator of the original, with the state its Python generator keeps.
#[derive(Debug)]
enum MCond {
    Delay { ttl: u32 },
    Timeout { duration: Option<u64>, start: Option<u64> },
    Message { task: usize },
    Notification { task: usize, index: usize, state: i8, started: bool },
    MutexLock { lock: usize },
    SemaphoreLock { lock: usize, joined: bool },
    QueueSend { queue: usize, msg: u32 },
    QueueRecv { queue: usize },
    User { id: usize },
}

struct MTask {
    priority: i32,
    state: TaskState,
    /// `ready_conditions`.
    conds: Vec<MCond>,
    /// (state, value) per notification slot.
    notes: Vec<(i8, i32)>,
    /// Message count, `None` without a mailbox.
    mailbox: Option<usize>,
    /// Items taken from queues (`recv(out_buffer)` / `nb_recv()`).
    received: Vec<u32>,
    runs: u32,
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
}

impl Model {
    fn new(config: &Config) -> Model {
        let mut model = Model {
            tasks: Vec::new(),
            list: Vec::new(),
            locks: config.locks.iter().map(|&kind| MLock { kind, owner: None, wait_queue: VecDeque::new() }).collect(),
            queues: config.queue_capacities.iter().map(|&capacity| MQueue { capacity, buffer: VecDeque::new() }).collect(),
            users: Vec::new(),
            now: 0,
        };
        for &task in &config.tasks {
            model.add_task(task);
        }
        model
    }

    /// `add_task`: append, then a stable sort by priority.
    fn add_task(&mut self, new: NewTask) {
        self.tasks.push(MTask {
            priority: new.priority,
            state: TaskState::Ready,
            conds: Vec::new(),
            notes: std::vec![(0, 0); new.slots],
            mailbox: if new.mailbox { Some(0) } else { None },
            received: Vec::new(),
            runs: 0,
        });
        self.list.push(self.tasks.len() - 1);
        let tasks = &self.tasks;
        self.list.sort_by_key(|&t| tasks[t].priority);
    }

    /// The scheduling half of `default_scheduler`: returns the task to resume,
    /// already marked RUNNING. Iterates by index and re-reads the length, as a
    /// Python list iterator does while `add_task` grows and re-sorts the list.
    fn select(&mut self) -> Option<usize> {
        let mut running: Option<usize> = None;
        let mut i = 0;
        while i < self.list.len() {
            let task = self.list[i];
            i += 1;
            match self.tasks[task].state {
                TaskState::Ready => {
                    if running.is_none() {
                        running = Some(task);
                    }
                }
                TaskState::Blocked => {
                    if self.any_condition_true(task) {
                        self.tasks[task].state = TaskState::Ready;
                        self.drop_conditions(task);
                        if running.is_none() {
                            running = Some(task);
                        }
                    }
                }
                TaskState::Running => match running {
                    Some(best) if self.tasks[task].priority > self.tasks[best].priority => {
                        self.tasks[task].state = TaskState::Ready
                    }
                    _ => running = Some(task),
                },
                TaskState::Suspended => {}
            }
        }
        if let Some(task) = running {
            self.tasks[task].state = TaskState::Running;
            self.tasks[task].runs += 1;
        }
        running
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
            MCond::Notification { task, index, state, started } => {
                let slot = &mut self.tasks[*task].notes[*index];
                if !*started {
                    *started = true;
                    slot.0 = 0;
                }
                slot.0 == *state
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
                if lock.owner.is_none() && lock.wait_queue.front() == Some(&(me, pos)) {
                    lock.wait_queue.pop_front();
                    lock.owner = Some(me);
                    true
                } else {
                    false
                }
            }
            MCond::QueueSend { queue, msg } => {
                let queue = &mut self.queues[*queue];
                if queue.buffer.len() < queue.capacity {
                    queue.buffer.push_back(*msg);
                    true
                } else {
                    false
                }
            }
            MCond::QueueRecv { queue } => match self.queues[*queue].buffer.pop_front() {
                Some(msg) => {
                    self.tasks[me].received.push(msg);
                    true
                }
                None => false,
            },
            MCond::User { id } => {
                let user = &mut self.users[*id];
                let poll = user.polls;
                user.polls += 1;
                let answer = user.script.answers[poll % user.script.answers.len()];
                if let Some((at, new)) = user.script.spawn {
                    if at == poll {
                        self.add_task(new);
                    }
                }
                answer
            }
        }
    }

    /// `task.ready_conditions = []`: CPython finalises the generators at once,
    /// so a semaphore request still queued leaves the queue.
    fn drop_conditions(&mut self, task: usize) {
        for (pos, cond) in std::mem::take(&mut self.tasks[task].conds).into_iter().enumerate() {
            if let MCond::SemaphoreLock { lock, .. } = cond {
                self.locks[lock].wait_queue.retain(|&request| request != (task, pos));
            }
        }
    }

    /// The resume half: run the body step of `me`, then handle how it yielded.
    fn run(&mut self, me: usize, step: &Step) {
        for effect in &step.effects {
            self.apply(me, effect);
        }
        match &step.ending {
            Ending::YieldNone => {}
            Ending::Block(specs) => {
                self.drop_conditions(me);
                self.tasks[me].conds = specs.iter().map(|spec| self.make_condition(me, spec)).collect();
                self.tasks[me].state = TaskState::Blocked;
            }
            Ending::Return => self.list.retain(|&t| t != me),
        }
    }

    fn make_condition(&mut self, me: usize, spec: &CondSpec) -> MCond {
        let _ = me;
        match spec {
            CondSpec::Delay(n) => MCond::Delay { ttl: *n },
            CondSpec::Timeout { ticks, .. } => MCond::Timeout { duration: ticks.map(|t| t * TICK_US), start: None },
            CondSpec::Message(task) => MCond::Message { task: *task },
            CondSpec::Notification { task, index, state } => {
                MCond::Notification { task: *task, index: *index, state: *state, started: false }
            }
            CondSpec::Lock(lock) => match self.locks[*lock].kind {
                LockKind::Mutex => MCond::MutexLock { lock: *lock },
                LockKind::Semaphore => MCond::SemaphoreLock { lock: *lock, joined: false },
            },
            CondSpec::QueueSend(queue, msg) => MCond::QueueSend { queue: *queue, msg: *msg },
            CondSpec::QueueRecv(queue) => MCond::QueueRecv { queue: *queue },
            CondSpec::User(script) => {
                self.users.push(MUser { script: script.clone(), polls: 0 });
                MCond::User { id: self.users.len() - 1 }
            }
        }
    }

    fn apply(&mut self, me: usize, effect: &Effect) {
        match *effect {
            Effect::UnlockIfMine(lock) => {
                if self.locks[lock].owner == Some(me) {
                    self.locks[lock].owner = None;
                }
            }
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
            Effect::Suspend(task) => {
                self.tasks[task].state = TaskState::Suspended;
                self.drop_conditions(task);
            }
            Effect::Resume(task) => {
                self.tasks[task].state = TaskState::Ready;
                self.drop_conditions(task);
            }
            Effect::AddTask(new) => self.add_task(new),
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
                .map(|l| {
                    let mut requests: Vec<_> = l.wait_queue.iter().copied().collect();
                    requests.sort();
                    LockSnap { owner: l.owner, requests }
                })
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
    /// Live semaphore requests as (task, position in its list), sorted: the
    /// core's queue order is private, but it decides every grant, and grants
    /// are compared through owners and states.
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

/// A condition in a task's list, as the shim would hold it.
enum WCond {
    /// Boxed so that it never moves: a semaphore request links its `WaitNode`.
    Builtin { cond: Box<Condition>, send: Option<u32> },
    User(usize),
}

/// A `Task` object: its address is the task's identity (lock owner, `TaskRef.obj`).
struct TaskRec {
    id: usize,
    core: TaskCore,
    /// The slots `core.notifications` points to (a Vec's buffer does not move).
    notes: Vec<Notification>,
    conds: Vec<WCond>,
    received: Vec<u32>,
}

struct World {
    tasks: Vec<Box<TaskRec>>,
    list: Vec<usize>,
    lock_kinds: Vec<LockKind>,
    locks: Vec<Box<LockCore>>,
    queues: Vec<Box<QueueCore>>,
    queue_items: Vec<VecDeque<u32>>,
    users: Vec<(UserScript, usize)>,
    /// Dropped conditions, kept alive so that a request the core failed to
    /// unlink shows up as an assertion failure rather than a dangling pointer.
    retired: Vec<Box<Condition>>,
    now_us: u64,
    /// The body step the next `resume` callback runs.
    next_step: Option<Step>,
    /// Which task `resume` ran during this pass.
    resumed: Option<usize>,
}

fn world<'a>(ctx: *mut c_void) -> &'a mut World {
    // SAFETY: `ctx` is the `World` that `World::pass` handed to the core, alive
    // and otherwise unused during the pass.
    unsafe { &mut *ctx.cast::<World>() }
}

fn task_id(obj: *mut c_void) -> usize {
    // SAFETY: every `obj` the core gets comes from `host_task_at`: a live `TaskRec`.
    unsafe { (*obj.cast::<TaskRec>()).id }
}

extern "C" fn host_task_count(ctx: *mut c_void) -> usize {
    world(ctx).list.len()
}

extern "C" fn host_task_at(ctx: *mut c_void, index: usize) -> TaskRef {
    let w = world(ctx);
    let rec = &mut *w.tasks[w.list[index]];
    TaskRef { core: &mut rec.core, obj: (rec as *mut TaskRec).cast() }
}

extern "C" fn host_condition_at(ctx: *mut c_void, task: *mut c_void, index: usize) -> CondSlot {
    match world(ctx).tasks[task_id(task)].conds.get_mut(index) {
        None => CondSlot { kind: SlotKind::End, cond: ptr::null_mut() },
        Some(WCond::User(_)) => CondSlot { kind: SlotKind::User, cond: ptr::null_mut() },
        Some(WCond::Builtin { cond, .. }) => CondSlot { kind: SlotKind::Builtin, cond: &mut **cond },
    }
}

extern "C" fn host_poll_user(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled {
    let w = world(ctx);
    let Some(WCond::User(id)) = w.tasks[task_id(task)].conds.get(index) else { panic!("poll_user on a non-user slot") };
    let (script, polls) = &mut w.users[*id];
    let poll = *polls;
    *polls += 1;
    let answer = script.answers[poll % script.answers.len()];
    if let Some((at, new)) = script.spawn {
        if at == poll {
            w.add_task(new);
        }
    }
    if answer {
        Polled::True
    } else {
        Polled::False
    }
}

extern "C" fn host_transfer(ctx: *mut c_void, task: *mut c_void, index: usize) -> Polled {
    let w = world(ctx);
    let id = task_id(task);
    let Some(WCond::Builtin { cond, send }) = w.tasks[id].conds.get(index) else { panic!("transfer on a non-builtin slot") };
    let queue_index = |queue: *mut QueueCore| w.queues.iter().position(|q| ptr::eq(&**q, queue)).unwrap();
    match (&**cond, *send) {
        (Condition::QueueSend { queue }, Some(msg)) => {
            let q = queue_index(*queue);
            w.queue_items[q].push_back(msg);
        }
        (Condition::QueueRecv { queue }, None) => {
            let q = queue_index(*queue);
            let msg = w.queue_items[q].pop_front().expect("the core asked to receive from an empty queue");
            w.tasks[id].received.push(msg);
        }
        (other, _) => panic!("transfer on {other:?}"),
    }
    Polled::True
}

extern "C" fn host_drop_conditions(ctx: *mut c_void, task: *mut c_void) {
    world(ctx).drop_conditions(task_id(task));
}

extern "C" fn host_resume(ctx: *mut c_void, task: *mut c_void) -> Resumed {
    let w = world(ctx);
    let me = task_id(task);
    assert!(w.resumed.is_none(), "the core resumed two tasks in one pass");
    w.resumed = Some(me);
    let step = w.next_step.take().unwrap();
    for effect in &step.effects {
        w.apply(me, effect);
    }
    match step.ending {
        Ending::YieldNone => Resumed::Yielded,
        Ending::Block(specs) => {
            w.drop_conditions(me);
            let conds = specs.iter().map(|spec| w.make_condition(me, spec)).collect();
            w.tasks[me].conds = conds;
            Resumed::Blocked
        }
        Ending::Return => Resumed::Returned,
    }
}

extern "C" fn host_remove_task(ctx: *mut c_void, task: *mut c_void) {
    let id = task_id(task);
    world(ctx).list.retain(|&t| t != id);
}

extern "C" fn host_now_us(ctx: *mut c_void) -> u64 {
    world(ctx).now_us
}

impl World {
    fn new(config: &Config) -> World {
        let mut world = World {
            tasks: Vec::new(),
            list: Vec::new(),
            lock_kinds: config.locks.clone(),
            locks: config.locks.iter().map(|_| Box::new(LockCore::new())).collect(),
            queues: config.queue_capacities.iter().map(|&c| Box::new(QueueCore::new(c))).collect(),
            queue_items: config.queue_capacities.iter().map(|_| VecDeque::new()).collect(),
            users: Vec::new(),
            retired: Vec::new(),
            now_us: 0,
            next_step: None,
            resumed: None,
        };
        for &task in &config.tasks {
            world.add_task(task);
        }
        world
    }

    /// One `sched::pass` over this world.
    fn pass(&mut self) -> PassOutcome {
        let host = Host {
            ctx: (self as *mut World).cast(),
            task_count: host_task_count,
            task_at: host_task_at,
            condition_at: host_condition_at,
            poll_user: host_poll_user,
            transfer: host_transfer,
            drop_conditions: host_drop_conditions,
            resume: host_resume,
            remove_task: host_remove_task,
            now_us: host_now_us,
        };
        sched::pass(&host)
    }

    fn obj(&self, task: usize) -> *const c_void {
        (&*self.tasks[task] as *const TaskRec).cast()
    }

    fn add_task(&mut self, new: NewTask) {
        let mut notes = std::vec![Notification::default(); new.slots];
        let slots = if notes.is_empty() { ptr::null_mut() } else { notes.as_mut_ptr() };
        let core = TaskCore::new(new.priority, slots, new.slots as u16, new.mailbox);
        let id = self.tasks.len();
        self.tasks.push(Box::new(TaskRec { id, core, notes, conds: Vec::new(), received: Vec::new() }));
        self.list.push(id);
        let tasks = &self.tasks;
        self.list.sort_by_key(|&t| tasks[t].core.priority);
    }

    /// What the shim does when a task stops waiting: release, then forget.
    fn drop_conditions(&mut self, task: usize) {
        for cond in std::mem::take(&mut self.tasks[task].conds) {
            if let WCond::Builtin { mut cond, .. } = cond {
                cond.release();
                self.retired.push(cond);
            }
        }
    }

    fn make_condition(&mut self, me: usize, spec: &CondSpec) -> WCond {
        let me_obj = self.obj(me);
        let (cond, send) = match spec {
            CondSpec::Delay(n) => (Condition::delay(i64::from(*n)), None),
            CondSpec::Timeout { ticks: None, .. } => (Condition::timeout_seconds(f64::INFINITY), None),
            CondSpec::Timeout { ticks: Some(t), seconds: true } => (Condition::timeout_seconds(*t as f64 * 0.25), None),
            CondSpec::Timeout { ticks: Some(t), seconds: false } => {
                (Condition::timeout_ns((t * TICK_US * 1000) as i64), None)
            }
            CondSpec::Message(task) => (Condition::Message { task: &mut self.tasks[*task].core }, None),
            CondSpec::Notification { task, index, state } => {
                let target = &mut self.tasks[*task].core;
                (Condition::notification(target, *index as i64, i64::from(*state)).unwrap(), None)
            }
            CondSpec::Lock(l) => {
                let lock: *mut LockCore = &mut *self.locks[*l];
                match self.lock_kinds[*l] {
                    LockKind::Mutex => (Condition::MutexLock { lock, requester: me_obj }, None),
                    LockKind::Semaphore => (Condition::SemaphoreLock { lock, node: WaitNode::new(me_obj) }, None),
                }
            }
            CondSpec::QueueSend(q, msg) => (Condition::QueueSend { queue: &mut *self.queues[*q] }, Some(*msg)),
            CondSpec::QueueRecv(q) => (Condition::QueueRecv { queue: &mut *self.queues[*q] }, None),
            CondSpec::User(script) => {
                self.users.push((script.clone(), 0));
                return WCond::User(self.users.len() - 1);
            }
        };
        WCond::Builtin { cond: Box::new(cond), send }
    }

    fn apply(&mut self, me: usize, effect: &Effect) {
        let me_obj = self.obj(me);
        match *effect {
            Effect::UnlockIfMine(lock) => {
                if self.locks[lock].owner == me_obj {
                    self.locks[lock].unlock();
                }
            }
            Effect::NbLock(lock) => {
                self.locks[lock].try_lock(me_obj);
            }
            Effect::NbSend(q, msg) => {
                if self.queues[q].can_send() {
                    self.queue_items[q].push_back(msg);
                    self.queues[q].sent();
                }
            }
            Effect::NbRecv(q) => {
                if self.queues[q].can_recv() {
                    let msg = self.queue_items[q].pop_front().unwrap();
                    self.queues[q].received();
                    self.tasks[me].received.push(msg);
                }
            }
            Effect::Notify { task, index, op } => {
                let core = &mut self.tasks[task].core;
                let index = index as i64;
                match op {
                    NotifyOp::SetState(s) => core.notify_set_state(index, s.into()),
                    NotifyOp::IncState(step) => core.notify_inc_state(index, step.into()),
                    NotifyOp::SetValue(s, v) => core.notify_set_value(index, s.into(), v.into()),
                    NotifyOp::IncValue(s, step) => core.notify_inc_value(index, s.into(), step.into()),
                }
                .unwrap();
            }
            Effect::MailboxPush(task) => self.tasks[task].core.mailbox_push().unwrap(),
            Effect::MailboxTakeAll => {
                let _no_mailbox_is_fine = self.tasks[me].core.mailbox_take_all();
            }
            Effect::Suspend(task) => {
                self.drop_conditions(task);
                self.tasks[task].core.suspend();
            }
            Effect::Resume(task) => {
                self.drop_conditions(task);
                self.tasks[task].core.resume();
            }
            Effect::AddTask(new) => self.add_task(new),
        }
    }

    fn owner_id(&self, owner: *const c_void) -> Option<usize> {
        if owner.is_null() {
            return None;
        }
        Some((0..self.tasks.len()).find(|&t| self.obj(t) == owner).expect("lock owned by an unknown object"))
    }

    /// Live (queued) semaphore requests on lock `l`, as (task, position).
    fn requests(&self, l: usize) -> Vec<(usize, usize)> {
        let lock: *const LockCore = &*self.locks[l];
        let mut out = Vec::new();
        for rec in &self.tasks {
            for (pos, cond) in rec.conds.iter().enumerate() {
                if let WCond::Builtin { cond, .. } = cond {
                    if let Condition::SemaphoreLock { lock: on, node } = &**cond {
                        if ptr::eq(*on, lock) && node.is_linked() {
                            out.push((rec.id, pos));
                        }
                    }
                }
            }
        }
        out.sort();
        out
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            list: self.list.clone(),
            tasks: self
                .tasks
                .iter()
                .map(|t| TaskSnap {
                    state: t.core.state,
                    runs: t.core.runs,
                    conditions: t.conds.len(),
                    notes: t.notes.iter().map(|n| (n.state, n.value)).collect(),
                    mailbox: t.core.mailbox_count,
                    received: t.received.clone(),
                })
                .collect(),
            locks: (0..self.locks.len())
                .map(|l| LockSnap { owner: self.owner_id(self.locks[l].owner), requests: self.requests(l) })
                .collect(),
            queues: self.queue_items.iter().map(|q| q.iter().copied().collect()).collect(),
            user_polls: self.users.iter().map(|(_, polls)| *polls).collect(),
        }
    }
}

// ---- the driver -------------------------------------------------------------

fn running_count(list: &[usize], state: impl Fn(usize) -> TaskState) -> usize {
    list.iter().filter(|&&t| state(t) == TaskState::Running).count()
}

/// Runs one seed; `trace` receives a line per event, for the failure report.
fn run_seed(seed: u64, passes: usize, trace: &mut Vec<String>) {
    let (mut gen, config) = Generator::new(seed);
    trace.push(format!("seed {seed}: locks {:?}, queue capacities {:?}", config.locks, config.queue_capacities));
    for (id, task) in config.tasks.iter().enumerate() {
        trace.push(format!("  task {id}: {task:?}"));
    }
    let mut world = World::new(&config);
    let mut model = Model::new(&config);

    for pass in 0..passes {
        // Events outside the scheduler, identical on both sides.
        let ticks = gen.rng.below(3) as u64;
        world.now_us += ticks * TICK_US;
        model.now += ticks * TICK_US;
        if model.list.is_empty() || gen.rng.chance(2) {
            let new = gen.new_task();
            trace.push(format!("pass {pass}: add_task -> task {}: {new:?}", model.tasks.len()));
            world.add_task(new);
            model.add_task(new);
        }
        let step = gen.step(&model);
        let before: Vec<String> =
            model.list.iter().map(|&t| format!("{t}:p{}:{:?}", model.tasks[t].priority, model.tasks[t].state)).collect();

        world.next_step = Some(step.clone());
        let outcome = world.pass();
        let ran_in_core = world.resumed.take();
        let ran_in_model = model.select();
        if let Some(me) = ran_in_model {
            model.run(me, &step);
        }
        trace.push(format!(
            "pass {pass} (clock +{ticks}) over [{}]: model ran {ran_in_model:?}, core ran {ran_in_core:?}; step {step:?}",
            before.join(" ")
        ));

        assert_eq!(ran_in_core, ran_in_model, "resumed task differs at pass {pass}");
        let expected = if ran_in_model.is_some() { PassOutcome::Ran } else { PassOutcome::Idle };
        assert_eq!(outcome, expected, "pass outcome at pass {pass}");
        assert_eq!(world.snapshot(), model.snapshot(), "state differs after pass {pass}");

        // Invariants.
        assert!(running_count(&world.list, |t| world.tasks[t].core.state) <= 1, "two RUNNING tasks in the core");
        assert!(running_count(&model.list, |t| model.tasks[t].state) <= 1, "two RUNNING tasks in the model");
        for (l, lock) in world.locks.iter().enumerate() {
            assert_eq!(lock.waiting, model.locks[l].wait_queue.len(), "lock {l}: `waiting` vs live requests");
            assert_eq!(lock.waiting, world.requests(l).len(), "lock {l}: `waiting` vs linked nodes");
        }
        for cond in &world.retired {
            if let Condition::SemaphoreLock { node, .. } = &**cond {
                assert!(!node.is_linked(), "a dropped semaphore request is still queued");
            }
        }
        for (q, queue) in world.queues.iter().enumerate() {
            assert_eq!(queue.len, world.queue_items[q].len(), "queue {q}: QueueCore::len vs items");
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| v.parse().unwrap_or_else(|_| panic!("{name} must be a number")))
}

#[test]
fn scheduler_pass_matches_the_original_pyrtos_model() {
    let passes = env_number("PYRTOS_MODEL_PASSES").unwrap_or(200) as usize;
    let seeds: Vec<u64> = match env_number("PYRTOS_MODEL_SEED") {
        Some(seed) => std::vec![seed],
        None => (0..env_number("PYRTOS_MODEL_SEEDS").unwrap_or(300)).collect(),
    };
    for seed in seeds {
        let mut trace = Vec::new();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_seed(seed, passes, &mut trace)));
        if let Err(panic) = run {
            std::eprintln!("model test failed for seed {seed} (rerun: PYRTOS_MODEL_SEED={seed}); trace:");
            let skip = trace.len().saturating_sub(60);
            if skip > 0 {
                std::eprintln!("  ... {skip} earlier lines");
            }
            for line in &trace[skip..] {
                std::eprintln!("{line}");
            }
            std::panic::resume_unwind(panic);
        }
    }
}
