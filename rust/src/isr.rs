//! Notifications from interrupt handlers (`Task.notify_from_isr`).
//!
//! A hard IRQ handler may not allocate, and it may interrupt the scheduler in
//! the middle of a pass, so it cannot touch the kernel. Instead it queues an
//! [`IsrEvent`] in an [`IsrRing`], a bounded multi-producer single-consumer
//! ring, and the next scheduler pass ([`IsrRing::apply`]) performs the events
//! in queue order, each with exactly the effect of the `notify_*` method it
//! stands for ([`Notify`]). A full ring refuses the event and counts it.
//!
//! # Memory and object lifetime
//!
//! The shim keeps the ring and its slots in one heap block that its module
//! state points to, which the GC scans conservatively: the task pointer of a queued event is a GC
//! reference, so the task cannot be freed while the event waits (the IRQ
//! handler held the task while it queued, so it was reachable throughout).
//! A consumed slot forgets its task. An event is applied to its task wherever
//! that task is, as its `notify_*` method would be: in the module's task list
//! or not yet (appended by hand), in a list of the user's own, or finished.
//!
//! # The algorithm, and why it is correct
//!
//! Dmitry Vyukov's bounded queue. Positions are free-running `usize`
//! counters (`tail`: next position to claim; `head`: next to consume); the
//! slot of position `p` is `slots[p & mask]`, the capacity a power of two.
//! Each slot has a sequence number `seq`:
//!
//! - `seq == p`: the slot is free for the producer of position `p`;
//! - `seq == p + 1`: it holds the event of position `p`, published;
//! - consuming position `p` sets `seq = p + capacity`, which frees the slot
//!   for position `p + capacity`, the next lap.
//!
//! A producer claims position `p = tail` by advancing `tail` from `p` to
//! `p + 1` (compare-and-swap), but only if `slots[p].seq == p`; a smaller
//! `seq` means the slot still holds (or is being filled with) the event of
//! position `p - capacity`: the ring is full. It then writes the event and
//! publishes it with a Release store of `seq = p + 1`. The single consumer
//! reads `slots[head]` only when an Acquire load sees `seq == head + 1`.
//!
//! - No torn reads: the event is written only between a successful claim and
//!   the Release store that publishes it, and read only after the Acquire
//!   load that sees it published and before the Release store that frees the
//!   slot; the next lap's producer writes only after an Acquire load sees that
//!   store. Every access to an event is ordered by these pairs, never concurrent.
//! - Order: positions are claimed in `tail` order, which is the queue order;
//!   the consumer takes positions in that order and stops (until the next
//!   pass) at one claimed but not yet published, rather than skipping it.
//! - Exactly once: a position is claimed by exactly one successful CAS and
//!   consumed once (only the consumer moves `head`).
//! - ABA: `tail` and `seq` only grow (mod 2^bits). A producer's CAS from a
//!   stale `p` could succeed only if `tail` came back to `p`, i.e. after
//!   2^32 (or 2^64) claims while that one producer was stalled between its
//!   load and its CAS, inside an interrupt handler; and the signed
//!   difference `seq - p` stays right as long as producers lag by less than
//!   2^31 positions. Neither can happen in a program that keeps running.
//! - Overflows: a refused event changes no slot and no position, only the
//!   counter; it cannot corrupt anything.
//!
//! # Targets without compare-and-swap
//!
//! Cortex-M0+ (`thumbv6m`) has atomic loads and stores but no CAS. There the
//! producer side runs inside the shim's critical section,
//! `MICROPY_BEGIN_ATOMIC_SECTION`, which masks interrupts on bare-metal ports
//! (and on the dual-core RP2040 also takes the cross-core lock, which a
//! single-core emulation of CAS such as portable-atomic's would not). Inside
//! it, producers cannot overlap, so the claim is a plain load and store of
//! `tail`. The consumer needs no critical section: it uses loads and stores
//! only, and the seq protocol above orders it against producers.

use core::cell::Cell;
use core::ffi::c_void;
use core::mem::{align_of, size_of};
use core::ptr;
use core::sync::atomic::AtomicUsize;
use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};

use crate::kernel::Kernel;
use crate::task::{slot_index, to_state, to_value, Notify, TaskCore};
use crate::CoreError;

/// `notify_from_isr`'s `mode`; the numbers are `pyRTOS.ISR_SET` and `pyRTOS.ISR_INC`.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IsrMode {
    Set = 0,
    Inc = 1,
}

/// One queued notification, its numbers already checked.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IsrEvent {
    /// The Task object (head pointer); null in a free slot.
    pub task: *mut c_void,
    pub value: i32,
    pub index: u16,
    pub state: i8,
    pub op: Notify,
}

impl IsrEvent {
    /// Checks the arguments of `notify_from_isr` as the `notify_*` method would,
    /// against the task's `notification_count` (fixed when it was created).
    pub fn new(task: *mut c_void, notification_count: u16, index: i64, state: i64, value: Option<i64>, mode: i64) -> Result<Self, CoreError> {
        let inc = match mode {
            m if m == IsrMode::Set as i64 => false,
            m if m == IsrMode::Inc as i64 => true,
            _ => return Err(CoreError::IsrMode),
        };
        let state = to_state(state)?;
        let value = value.map(to_value).transpose()?;
        let index = slot_index(notification_count, index)?;
        // ISR_INC with a value sets the state and counts in the value, so
        // two interrupts before the task runs still wake it.
        let op = match (inc, value.is_some()) {
            (false, false) => Notify::SetState,
            (false, true) => Notify::SetValue,
            (true, false) => Notify::IncState,
            (true, true) => Notify::IncValue,
        };
        Ok(IsrEvent { task, value: value.unwrap_or(0), index, state, op })
    }

    /// Performs the event on the task's notification slots: what the
    /// `notify_*` method of its [`Notify`] does (`new` checked the numbers,
    /// and a task's slots never change).
    fn apply(&self, task: &mut TaskCore) {
        let _ = task.notify(i64::from(self.index), self.op, i64::from(self.state), i64::from(self.value));
    }

    const FREE: IsrEvent = IsrEvent { task: ptr::null_mut(), value: 0, index: 0, state: 0, op: Notify::SetState };
}

/// One slot of the ring (see the module documentation for `seq`).
#[repr(C)]
pub struct IsrSlot {
    seq: AtomicUsize,
    event: Cell<IsrEvent>,
}

/// The event queue: slots in memory the shim provides, positions and the
/// overflow count. Producers and the consumer share it (`&IsrRing`); it is
/// never borrowed mutably once set up, so an interrupt may arrive anywhere.
#[repr(C)]
pub struct IsrRing {
    slots: *const IsrSlot,
    mask: usize,
    tail: AtomicUsize,
    head: AtomicUsize,
    overflows: AtomicUsize,
}

// C stores the atomics as `uintptr_t` (rust/cbindgen.toml).
const _: () = assert!(size_of::<AtomicUsize>() == size_of::<usize>() && align_of::<AtomicUsize>() == align_of::<usize>());

// SAFETY: every field shared between threads or interrupts is an atomic or an
// event guarded by the seq protocol; `slots` and `mask` never change.
unsafe impl Sync for IsrRing {}

impl IsrRing {
    /// A ring over `capacity` slots at `slots`, which must stay in place for
    /// the ring's life; it uses the largest power of two of them.
    ///
    /// # Safety
    /// `slots` must point to `capacity` (at least 1) writable `IsrSlot`s, any contents.
    pub unsafe fn new(slots: *mut IsrSlot, capacity: usize) -> Self {
        // SAFETY: the caller's guarantee.
        unsafe { Self::starting_at(slots, capacity, 0) }
    }

    /// As [`IsrRing::new`], with positions starting at `start` (tests reach
    /// the counters' wrap-around with it).
    unsafe fn starting_at(slots: *mut IsrSlot, capacity: usize, start: usize) -> Self {
        let used = 1usize << (usize::BITS - 1 - capacity.max(1).leading_zeros());
        for i in 0..used {
            let pos = start.wrapping_add(i);
            // SAFETY: `pos & (used - 1) < used <= capacity`; nothing shares the slots yet.
            unsafe { slots.add(pos & (used - 1)).write(IsrSlot { seq: AtomicUsize::new(pos), event: Cell::new(IsrEvent::FREE) }) };
        }
        IsrRing { slots, mask: used - 1, tail: AtomicUsize::new(start), head: AtomicUsize::new(start), overflows: AtomicUsize::new(0) }
    }

    fn slot(&self, pos: usize) -> &IsrSlot {
        // SAFETY: `pos & mask` is below the number of slots the ring was given.
        unsafe { &*self.slots.add(pos & self.mask) }
    }

    /// Claims the next position, or counts an overflow.
    #[cfg(target_has_atomic = "ptr")]
    fn claim(&self) -> Option<usize> {
        let mut pos = self.tail.load(Relaxed);
        loop {
            let lag = self.slot(pos).seq.load(Acquire).wrapping_sub(pos) as isize;
            if lag == 0 {
                match self.tail.compare_exchange_weak(pos, pos.wrapping_add(1), Relaxed, Relaxed) {
                    Ok(_) => return Some(pos),
                    Err(now) => pos = now,
                }
            } else if lag < 0 {
                self.overflows.fetch_add(1, Relaxed);
                return None;
            } else {
                // Another producer claimed `pos` meanwhile.
                pos = self.tail.load(Relaxed);
            }
        }
    }

    /// Claims the next position, or counts an overflow; the caller keeps
    /// other producers out (a critical section).
    #[cfg(any(test, not(target_has_atomic = "ptr")))]
    fn claim_exclusive(&self) -> Option<usize> {
        let pos = self.tail.load(Relaxed);
        if self.slot(pos).seq.load(Acquire) != pos {
            self.overflows.store(self.overflows.load(Relaxed).wrapping_add(1), Relaxed);
            return None;
        }
        self.tail.store(pos.wrapping_add(1), Relaxed);
        Some(pos)
    }

    /// Writes and publishes the event of a claimed position.
    fn publish(&self, pos: usize, event: IsrEvent) {
        let slot = self.slot(pos);
        // SAFETY: claiming `pos` made this producer the slot's only user until
        // the store below (module documentation).
        unsafe { slot.event.as_ptr().write(event) };
        slot.seq.store(pos.wrapping_add(1), Release);
    }

    /// Queues an event; false (and counted) when the ring is full. Safe to
    /// call from any interrupt or thread, concurrently with everything else.
    pub fn push(&self, event: IsrEvent) -> bool {
        #[cfg(target_has_atomic = "ptr")]
        let queued = self.claim().map(|pos| self.publish(pos, event));
        #[cfg(not(target_has_atomic = "ptr"))]
        let queued = critical_section(|| self.claim_exclusive().map(|pos| self.publish(pos, event)));
        queued.is_some()
    }

    /// The oldest published event, leaving its slot free. Consumer side only
    /// (one at a time: the scheduler, which holds the interpreter).
    fn pop(&self) -> Option<IsrEvent> {
        let pos = self.head.load(Relaxed);
        let slot = self.slot(pos);
        if slot.seq.load(Acquire) != pos.wrapping_add(1) {
            return None;
        }
        // SAFETY: published and not yet freed: no producer touches it (module
        // documentation). The slot forgets the task, which must not stay
        // reachable through it.
        let event = unsafe { slot.event.as_ptr().replace(IsrEvent::FREE) };
        slot.seq.store(pos.wrapping_add(self.mask).wrapping_add(1), Release);
        self.head.store(pos.wrapping_add(1), Relaxed);
        Some(event)
    }

    /// True when an event waits (published or still being written).
    pub fn pending(&self) -> bool {
        self.tail.load(Acquire) != self.head.load(Relaxed)
    }

    /// Events refused because the ring was full, so far.
    pub fn overflows(&self) -> usize {
        self.overflows.load(Relaxed)
    }

    /// Performs the events queued so far, in order, and wakes the waiters of
    /// their tasks. Events queued meanwhile wait for the next pass, which
    /// bounds the work.
    pub fn apply(&self, kernel: &mut Kernel) {
        let end = self.tail.load(Acquire);
        while self.head.load(Relaxed) != end {
            let Some(event) = self.pop() else { return };
            let task = kernel.with_task(event.task, |t| {
                event.apply(t);
                t as *mut TaskCore
            });
            kernel.task_changed(task);
        }
    }
}

#[cfg(not(target_has_atomic = "ptr"))]
fn critical_section<R>(f: impl FnOnce() -> R) -> R {
    // Defined by the shim and declared in c_glue/pyrtos.h, with `uintptr_t`.
    extern "C" {
        fn pyrtos_isr_critical_begin() -> usize;
        fn pyrtos_isr_critical_end(state: usize);
    }
    // SAFETY: the shim defines both (MicroPython's atomic section); they nest.
    let state = unsafe { pyrtos_isr_critical_begin() };
    let result = f();
    // SAFETY: as above, with the state `begin` returned.
    unsafe { pyrtos_isr_critical_end(state) };
    result
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::task::{Notification, TaskState};
    use std::sync::Mutex;
    use std::vec::Vec;

    /// A ring over its own slots (boxed, so they stay put when the test moves it).
    struct Owned {
        ring: IsrRing,
        _slots: std::boxed::Box<[core::mem::MaybeUninit<IsrSlot>]>,
    }

    fn ring_at(capacity: usize, start: usize) -> Owned {
        let mut slots = std::boxed::Box::new_uninit_slice(capacity);
        // SAFETY: `capacity` slots, kept alive by `Owned`.
        let ring = unsafe { IsrRing::starting_at(slots.as_mut_ptr().cast(), capacity, start) };
        Owned { ring, _slots: slots }
    }

    /// An event that says which producer sent it and its number there.
    fn ev(producer: usize, n: i32) -> IsrEvent {
        IsrEvent { task: producer as *mut c_void, value: n, index: 0, state: 0, op: Notify::SetValue }
    }

    fn drain(ring: &IsrRing) -> Vec<i32> {
        core::iter::from_fn(|| ring.pop()).map(|e| e.value).collect()
    }

    #[test]
    fn events_come_out_in_order_and_overflows_are_counted() {
        let r = ring_at(4, 0);
        assert!(!r.ring.pending());
        for n in 0..6 {
            assert_eq!(r.ring.push(ev(1, n)), n < 4);
        }
        assert!(r.ring.pending());
        assert_eq!(r.ring.overflows(), 2);
        assert_eq!(drain(&r.ring), [0, 1, 2, 3]);
        assert!(!r.ring.pending());
        // Room again after consuming.
        assert!(r.ring.push(ev(1, 9)));
        assert_eq!(drain(&r.ring), [9]);
        assert_eq!(r.ring.overflows(), 2);
    }

    #[test]
    fn capacity_is_rounded_down_to_a_power_of_two() {
        let r = ring_at(6, 0);
        let queued = (0..8).filter(|&n| r.ring.push(ev(1, n))).count();
        assert_eq!((queued, r.ring.overflows()), (4, 4));
    }

    #[test]
    fn positions_wrap_around_the_counters() {
        for start in [0, usize::MAX - 5, usize::MAX] {
            let r = ring_at(4, start);
            let (mut next, mut refused) = (0, 0);
            for round in 0..50 {
                let batch = round % 6;
                let mut expected = Vec::new();
                for _ in 0..batch {
                    if r.ring.push(ev(1, next)) {
                        expected.push(next);
                    } else {
                        refused += 1;
                    }
                    next += 1;
                }
                assert_eq!(drain(&r.ring), expected, "start {start} round {round}");
            }
            // Batches of 5 into 4 slots: one refused each.
            assert_eq!((r.ring.overflows(), refused), (8, 8));
        }
    }

    #[test]
    fn consumed_slots_forget_their_task() {
        let r = ring_at(2, 0);
        r.ring.push(ev(7, 1));
        r.ring.pop();
        for i in 0..2 {
            // SAFETY: no producer or consumer runs.
            assert!(unsafe { (*r.ring.slot(i).event.as_ptr()).task.is_null() });
        }
    }

    /// Producers on several threads and a consumer running at the same time:
    /// every event comes out exactly once or is counted as an overflow, and
    /// each producer's events come out in the order it queued them.
    fn hammer(push: impl Fn(&IsrRing, IsrEvent) -> bool + Sync) {
        const PRODUCERS: usize = 4;
        const EACH: i32 = 20_000;
        let r = ring_at(16, usize::MAX - 1000);
        let ring = &r.ring;
        let push = &push;
        let (received, refused) = std::thread::scope(|s| {
            let producers: Vec<_> = (0..PRODUCERS)
                .map(|p| s.spawn(move || (0..EACH).filter(|&n| !push(ring, ev(p, n))).count()))
                .collect();
            let consumer = s.spawn(move || {
                let mut received = Vec::new();
                while received.len() < PRODUCERS * EACH as usize {
                    match ring.pop() {
                        Some(e) => received.push((e.task as usize, e.value)),
                        None if producers_done(ring, PRODUCERS * EACH as usize, received.len()) => break,
                        None => std::thread::yield_now(),
                    }
                }
                received
            });
            let refused: usize = producers.into_iter().map(|p| p.join().unwrap()).sum();
            (consumer.join().unwrap(), refused)
        });
        assert_eq!(received.len() + refused, PRODUCERS * EACH as usize);
        assert_eq!(ring.overflows(), refused);
        for p in 0..PRODUCERS {
            let values: Vec<i32> = received.iter().filter(|e| e.0 == p).map(|e| e.1).collect();
            assert!(values.windows(2).all(|w| w[0] < w[1]), "producer {p} out of order");
        }
        assert!(!ring.pending());
    }

    /// All producers finished: what was queued is all there will be.
    fn producers_done(ring: &IsrRing, total: usize, received: usize) -> bool {
        received + ring.overflows() == total && !ring.pending()
    }

    #[test]
    fn concurrent_producers_with_compare_and_swap() {
        hammer(|ring, e| ring.push(e));
    }

    #[test]
    fn concurrent_producers_in_a_critical_section() {
        // What targets without CAS do: the shim's critical section, here a mutex.
        let critical = Mutex::new(());
        hammer(|ring, e| {
            let _guard = critical.lock().unwrap();
            ring.claim_exclusive().map(|pos| ring.publish(pos, e)).is_some()
        });
    }

    #[test]
    fn arguments_are_checked_as_the_notify_methods_check_them() {
        let t = ptr::null_mut();
        assert_eq!(IsrEvent::new(t, 2, 0, 1, None, 2), Err(CoreError::IsrMode));
        assert_eq!(IsrEvent::new(t, 2, 0, 1, None, -1), Err(CoreError::IsrMode));
        assert_eq!(IsrEvent::new(t, 2, 0, 128, None, 0), Err(CoreError::StateRange));
        assert_eq!(IsrEvent::new(t, 2, 0, 1, Some(1 << 31), 0), Err(CoreError::ValueRange));
        assert_eq!(IsrEvent::new(t, 0, 0, 1, None, 0), Err(CoreError::NoNotifications));
        assert_eq!(IsrEvent::new(t, 2, 2, 1, None, 0), Err(CoreError::NotificationIndex));
        assert_eq!(IsrEvent::new(t, 2, -1, 1, None, 0), Err(CoreError::NotificationIndex));
        assert_eq!(IsrEvent::new(t, 2, 1 << 40, 1, None, 0), Err(CoreError::NotificationIndex));
        let ok = IsrEvent::new(t, 2, 1, -3, Some(-7), 1).unwrap();
        assert_eq!((ok.index, ok.state, ok.value, ok.op), (1, -3, -7, Notify::IncValue));
    }

    /// A Task object as the shim lays it out: the TaskCore at offset 0.
    #[repr(C)]
    struct Task {
        core: TaskCore,
        slots: [Notification; 2],
    }

    fn task() -> std::boxed::Box<Task> {
        let mut t = std::boxed::Box::new(Task { core: TaskCore::new(1, ptr::null_mut(), 0, false), slots: Default::default() });
        t.core = TaskCore::new(1, t.slots.as_mut_ptr(), 2, false);
        t
    }

    #[test]
    fn each_mode_has_the_effect_of_its_notify_method() {
        let mut kernel = Kernel::new(0, 0);
        let mut via_isr = task();
        let mut direct = task();
        let obj: *mut c_void = (&mut *via_isr as *mut Task).cast();
        kernel.admit(obj);
        let r = ring_at(8, 0);
        // (index, state, value, mode) and the method each stands for.
        let calls: [(i64, i64, Option<i64>, IsrMode); 6] = [
            (0, 5, None, IsrMode::Set),
            (1, 2, Some(100), IsrMode::Set),
            (0, 120, None, IsrMode::Inc),
            (1, 3, Some(i32::MAX as i64), IsrMode::Inc),
            (0, -1, Some(-4), IsrMode::Inc),
            (1, 9, None, IsrMode::Set),
        ];
        for (index, state, value, mode) in calls {
            assert!(r.ring.push(IsrEvent::new(obj, 2, index, state, value, mode as i64).unwrap()));
            let d = &mut direct.core;
            match (mode, value) {
                (IsrMode::Set, None) => d.notify(index, Notify::SetState, state, 0),
                (IsrMode::Set, Some(v)) => d.notify(index, Notify::SetValue, state, v),
                (IsrMode::Inc, None) => d.notify(index, Notify::IncState, state, 0),
                (IsrMode::Inc, Some(v)) => d.notify(index, Notify::IncValue, state, v),
            }
            .unwrap();
        }
        assert_eq!(via_isr.slots, [Notification::default(); 2]);
        r.ring.apply(&mut kernel);
        assert_eq!(via_isr.slots, direct.slots);
        assert!(!r.ring.pending());
    }

    /// As `notify_*` would: a task the kernel does not know (appended to the
    /// list by hand and not yet seen, or run by a list of the user's own) gets
    /// its event as well as one it has admitted.
    #[test]
    fn events_apply_to_tasks_in_the_scheduler_or_not() {
        let mut kernel = Kernel::new(0, 0);
        let mut member = task();
        let mut stranger = task();
        let (m, s): (*mut c_void, *mut c_void) = ((&mut *member as *mut Task).cast(), (&mut *stranger as *mut Task).cast());
        kernel.admit(m);
        assert_eq!(member.core.state, TaskState::Ready);
        let r = ring_at(4, 0);
        r.ring.push(IsrEvent::new(s, 2, 0, 1, None, 0).unwrap());
        r.ring.push(IsrEvent::new(m, 2, 1, 2, None, 0).unwrap());
        r.ring.apply(&mut kernel);
        assert_eq!((stranger.slots[0].state, member.slots[1].state), (1, 2));
    }
}
