//! A task's scheduling state, notifications and mailbox count.

use core::mem::size_of;

use crate::list::{Link, List};
#[cfg(feature = "stats")]
use crate::stats::Micros;
use crate::CoreError;

/// Where a task is in its life; the numbers are the Python constants.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Running = 0,
    Ready = 1,
    Blocked = 2,
    Suspended = 3,
}

impl TaskState {
    /// The state for a Python integer, or `None` when it names no state.
    pub fn from_int(value: i64) -> Option<TaskState> {
        match value {
            0 => Some(TaskState::Running),
            1 => Some(TaskState::Ready),
            2 => Some(TaskState::Blocked),
            3 => Some(TaskState::Suspended),
            _ => None,
        }
    }
}

/// Which of the kernel's task lists `TaskCore::sched` links the task into.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Nowhere,
    /// `Kernel::ready`: READY, waiting for the CPU.
    Ready,
    /// `Kernel::dirty`: BLOCKED, to be evaluated in the current or next pass.
    Dirty,
    /// `Kernel::deferred`: to be looked at in the next pass.
    Deferred,
}

/// One notification slot: a small state and a 32-bit value, as in FreeRTOS.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Notification {
    pub state: i8,
    pub value: i32,
}

/// What a `notify_*` call does to a notification slot ([`TaskCore::notify`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notify {
    /// `notify_set_value(index, state, value)`
    SetValue,
    /// `notify_inc_value(index, state, step)`
    IncValue,
    /// `notify_set_state(index, state)`
    SetState,
    /// `notify_inc_state(index, step)`
    IncState,
}

/// The part of a Python `Task` the scheduler works on.
#[repr(C)]
#[derive(Debug)]
pub struct TaskCore {
    /// Lower runs first. The effective priority: `base_priority`, or better
    /// while the task holds a priority-inheritance mutex a better task waits for.
    pub priority: i32,
    /// The priority the task was given (`Task(priority=)`, `task.priority = p`).
    #[cfg(feature = "more-locks")]
    pub base_priority: i32,
    /// Order among equal priorities: when the task was added.
    pub seq: u32,
    pub state: TaskState,
    pub place: Place,
    pub has_mailbox: bool,
    /// Number of slots behind `notifications`.
    pub notification_count: u16,
    /// The kernel epoch in which the task was last seen in the task list; 0 when
    /// not added. A task's epoch is always 0 or the kernel's (each resync
    /// stamps every member or retires it), so 16 bits wrap harmlessly; the
    /// two bytes keep the Task object within its heap blocks on 64-bit ports.
    pub epoch: u16,
    /// Priority-inheritance mutexes the task holds; it drops back to its base
    /// priority when it lets go of the last one. 32 bits: it must never
    /// saturate (a saturated count would drop the priority too early).
    #[cfg(feature = "more-locks")]
    pub inherit_held: u32,
    /// How many times the scheduler resumed this task (wraps, see `stats`).
    pub runs: u32,
    /// Where the task was in the task list when the kernel last read it; a
    /// hint, checked before the task is evaluated or run (see `sched`).
    pub index: u32,
    /// Messages waiting in the task's mailbox (the shim holds the objects).
    pub mailbox_count: u32,
    /// Time spent running, measured while `start(stats=True)` runs.
    #[cfg(feature = "stats")]
    pub run_us: Micros,
    /// The pass (low 32 bits) in which the task last ran, woke or was made
    /// READY: round robin runs the equal-priority task waiting longest.
    #[cfg(feature = "round-robin")]
    pub ready_since: u32,
    /// The task's notification slots, stored by the shim inside the task object.
    pub notifications: *mut Notification,
    /// Membership in the kernel's ready, dirty or deferred list (see `place`).
    pub sched: Link,
    /// Membership in the kernel's list of added tasks.
    pub member: Link,
    /// Conditions waiting on this task's mailbox or notifications.
    pub watchers: List,
}

/// Heap bytes of the shim's Task object with one notification: the type
/// pointer, a `TaskCore`, five object slots and the notification.
const TASK_OBJECT_BYTES: usize = size_of::<usize>() + size_of::<TaskCore>() + 5 * size_of::<usize>() + size_of::<Notification>();

// A field more can cost every task a heap block: the object must stay within
// 5 blocks of 32 bytes on 64-bit ports, 7 of 16 on 32-bit ones. Checked at
// compile time on every target the core is built for (the host for its
// tests, thumbv6m/thumbv7m for the qemu firmware and `make size`).
const _: () = assert!(TASK_OBJECT_BYTES <= if size_of::<usize>() == 8 { 5 * 32 } else { 7 * 16 });

impl TaskCore {
    /// A ready task. `notifications` must point to `notification_count`
    /// zeroed slots that live as long as the task (or be null with a count of 0).
    pub fn new(priority: i32, notifications: *mut Notification, notification_count: u16, has_mailbox: bool) -> Self {
        TaskCore {
            priority,
            #[cfg(feature = "more-locks")]
            base_priority: priority,
            seq: 0,
            state: TaskState::Ready,
            place: Place::Nowhere,
            has_mailbox,
            notification_count: if notifications.is_null() { 0 } else { notification_count },
            #[cfg(feature = "more-locks")]
            inherit_held: 0,
            epoch: 0,
            runs: 0,
            index: u32::MAX,
            mailbox_count: 0,
            #[cfg(feature = "stats")]
            run_us: Micros::ZERO,
            #[cfg(feature = "round-robin")]
            ready_since: 0,
            notifications,
            sched: Link::new(),
            member: Link::new(),
            watchers: List::new(),
        }
    }

    /// `task.priority = priority`: sets the base priority; a better inherited
    /// priority stays in effect until the task releases its inheritance mutexes.
    pub fn set_priority(&mut self, priority: i32) {
        #[cfg(feature = "more-locks")]
        {
            if self.priority != self.base_priority {
                self.priority = self.priority.min(priority);
                self.base_priority = priority;
                return;
            }
            self.base_priority = priority;
        }
        self.priority = priority;
    }

    /// Counts one more priority-inheritance mutex held (see `inherit_held`).
    pub(crate) fn hold_inheritance(&mut self) {
        #[cfg(feature = "more-locks")]
        {
            self.inherit_held = self.inherit_held.saturating_add(1);
        }
    }

    /// Whether the task holds a priority-inheritance mutex (never without
    /// priority inheritance built in).
    pub(crate) fn holds_inheritance(&self) -> bool {
        #[cfg(feature = "more-locks")]
        return self.inherit_held > 0;
        #[cfg(not(feature = "more-locks"))]
        false
    }

    /// Counts one fewer; when it was the last, the base priority to drop back to.
    pub(crate) fn drop_inheritance(&mut self) -> Option<i32> {
        #[cfg(feature = "more-locks")]
        {
            self.inherit_held = self.inherit_held.saturating_sub(1);
            if self.inherit_held == 0 {
                return Some(self.base_priority);
            }
        }
        None
    }

    /// The priority the user set (`Task(priority=)`, `task.priority = p`),
    /// whatever a priority-inheritance mutex lends the task.
    pub(crate) fn assigned_priority(&self) -> i32 {
        #[cfg(feature = "more-locks")]
        return self.base_priority;
        #[cfg(not(feature = "more-locks"))]
        self.priority
    }

    /// Notes the pass in which the task entered its state: became READY, ran
    /// or woke (the low 32 bits: round robin compares only differences between tasks).
    #[cfg_attr(not(feature = "round-robin"), allow(unused_variables))]
    pub(crate) fn stamp_pass(&mut self, pass: u32) {
        #[cfg(feature = "round-robin")]
        {
            self.ready_since = pass;
        }
    }

    /// How many passes the task has waited since `stamp_pass`, as of `pass`
    /// (0 without round robin, which alone asks).
    #[cfg_attr(not(feature = "round-robin"), allow(unused_variables))]
    pub(crate) fn waited(&self, pass: u32) -> u32 {
        #[cfg(feature = "round-robin")]
        return pass.wrapping_sub(self.ready_since);
        #[cfg(not(feature = "round-robin"))]
        0
    }

    /// Adds measured run time (`start(stats=True)`).
    #[cfg_attr(not(feature = "stats"), allow(unused_variables))]
    pub(crate) fn add_run_time(&mut self, us: u64) {
        #[cfg(feature = "stats")]
        self.run_us.add(us);
    }

    fn slots(&mut self) -> &mut [Notification] {
        if self.notifications.is_null() {
            return &mut [];
        }
        // SAFETY: `new` got a pointer to `notification_count` slots stored in the
        // same Python object as this struct, so they live exactly as long as it.
        unsafe { core::slice::from_raw_parts_mut(self.notifications, usize::from(self.notification_count)) }
    }

    /// The notification slot at `index`.
    pub fn notification(&mut self, index: i64) -> Result<&mut Notification, CoreError> {
        let index = slot_index(self.notification_count, index)?;
        self.slots().get_mut(usize::from(index)).ok_or(CoreError::NotificationIndex)
    }

    /// One of the four `notify_*` methods on the slot at `index`: `state` is
    /// the new state, or the step for `IncState`; `value` the new value, or the
    /// step for `IncValue` (ignored by the state-only ones). Counters wrap,
    /// like hardware counters.
    pub fn notify(&mut self, index: i64, action: Notify, state: i64, value: i64) -> Result<(), CoreError> {
        let (state, value) = (to_state(state)?, to_value(value)?);
        let slot = self.notification(index)?;
        slot.state = if action == Notify::IncState { slot.state.wrapping_add(state) } else { state };
        match action {
            Notify::SetValue => slot.value = value,
            Notify::IncValue => slot.value = slot.value.wrapping_add(value),
            Notify::SetState | Notify::IncState => {}
        }
        Ok(())
    }

    /// The count of messages waiting in the mailbox; refused for a task
    /// created without one.
    pub(crate) fn mailbox(&mut self) -> Result<&mut u32, CoreError> {
        if self.has_mailbox {
            Ok(&mut self.mailbox_count)
        } else {
            Err(CoreError::NoMailbox)
        }
    }

    /// A message arrived in the mailbox.
    pub fn mailbox_push(&mut self) -> Result<(), CoreError> {
        self.mailbox().map(|count| *count = count.saturating_add(1))
    }

    /// `recv()` took every message.
    pub fn mailbox_take_all(&mut self) -> Result<(), CoreError> {
        self.mailbox().map(|count| *count = 0)
    }
}

// The argument checks every way of notifying or waiting shares (methods,
// conditions, interrupt events), so each refuses the same values.

/// A notification index, checked against a task's slot count.
pub(crate) fn slot_index(notification_count: u16, index: i64) -> Result<u16, CoreError> {
    if notification_count == 0 {
        return Err(CoreError::NoNotifications);
    }
    // A negative index wraps to a huge one.
    if index as u64 >= u64::from(notification_count) {
        return Err(CoreError::NotificationIndex);
    }
    Ok(index as u16)
}

pub(crate) fn to_state(state: i64) -> Result<i8, CoreError> {
    i8::try_from(state).map_err(|_| CoreError::StateRange)
}

pub(crate) fn to_value(value: i64) -> Result<i32, CoreError> {
    i32::try_from(value).map_err(|_| CoreError::ValueRange)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    fn task_with(slots: &mut [Notification]) -> TaskCore {
        TaskCore::new(1, slots.as_mut_ptr(), slots.len() as u16, false)
    }

    #[test]
    fn notification_api_matches_the_original() {
        let mut slots = [Notification::default(); 2];
        let mut t = task_with(&mut slots);
        t.notify(0, Notify::SetValue, 3, -100).unwrap();
        t.notify(0, Notify::IncState, 2, 0).unwrap();
        t.notify(0, Notify::IncValue, 4, -5).unwrap();
        assert_eq!(*t.notification(0).unwrap(), Notification { state: 4, value: -105 });
        t.notify(1, Notify::SetState, 1, 0).unwrap();
        assert_eq!(*t.notification(1).unwrap(), Notification { state: 1, value: 0 });
    }

    #[test]
    fn bad_indexes_and_ranges_are_errors_not_panics() {
        let mut slots = [Notification::default(); 1];
        let mut t = task_with(&mut slots);
        assert_eq!(t.notify(1, Notify::SetState, 1, 0), Err(CoreError::NotificationIndex));
        assert_eq!(t.notify(-1, Notify::SetState, 1, 0), Err(CoreError::NotificationIndex));
        assert_eq!(t.notify(0, Notify::SetState, 128, 0), Err(CoreError::StateRange));
        assert_eq!(t.notify(0, Notify::SetValue, 1, 1 << 31), Err(CoreError::ValueRange));
        let mut none = TaskCore::new(1, core::ptr::null_mut(), 5, false);
        assert_eq!(none.notify(0, Notify::SetState, 1, 0), Err(CoreError::NoNotifications));
        assert_eq!(none.mailbox_push(), Err(CoreError::NoMailbox));
    }

    #[test]
    #[cfg(feature = "more-locks")]
    fn setting_the_priority_keeps_an_inherited_one() {
        let mut t = TaskCore::new(5, core::ptr::null_mut(), 0, false);
        t.set_priority(7);
        assert_eq!((t.priority, t.base_priority), (7, 7));
        t.priority = 2; // inherited
        t.set_priority(4);
        assert_eq!((t.priority, t.base_priority), (2, 4));
        t.set_priority(1);
        assert_eq!((t.priority, t.base_priority), (1, 1));
    }

    #[test]
    #[cfg(not(feature = "more-locks"))]
    fn setting_the_priority_without_inheritance() {
        let mut t = TaskCore::new(5, core::ptr::null_mut(), 0, false);
        t.set_priority(7);
        assert_eq!(t.priority, 7);
    }

    #[test]
    fn counters_wrap_like_fixed_width_integers() {
        let mut slots = [Notification::default(); 1];
        let mut t = task_with(&mut slots);
        t.notify(0, Notify::SetValue, 127, i32::MAX as i64).unwrap();
        t.notify(0, Notify::IncState, 1, 0).unwrap();
        // Checked here: the IncValue below sets the state, hiding this wrap.
        assert_eq!(*t.notification(0).unwrap(), Notification { state: i8::MIN, value: i32::MAX });
        t.notify(0, Notify::IncValue, 1, 1).unwrap();
        assert_eq!(*t.notification(0).unwrap(), Notification { state: 1, value: i32::MIN });
    }
}
