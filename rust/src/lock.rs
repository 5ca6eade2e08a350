//! Lock state: `Mutex`, `RecursiveMutex`, `BinarySemaphore`, `CountingSemaphore`.
//!
//! Lock owners and requesters are identified by the head pointer of their
//! Python `Task` object. Stored inside the lock's Python object, the pointer
//! also keeps the owner alive for the GC; the kernel reads the owner's
//! `TaskCore` only for priority inheritance (`Kernel::inherit`).

use core::ffi::c_void;
use core::ptr;

use crate::list::List;
use crate::CoreError;

/// Which lock a [`LockCore`] is; it decides how `count` is used.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockKind {
    /// One owner; its re-locks succeed without counting.
    Mutex,
    /// One owner, who must unlock as often as it locked (`count` is the depth).
    Recursive,
    /// One owner at a time, granted in request order.
    Binary,
    /// No owner: `count` units, up to `maximum`, granted in request order.
    Counting,
}

/// State shared by every lock type.
#[repr(C)]
#[derive(Debug)]
pub struct LockCore {
    /// The owning task, or null when free (always null for a counting semaphore).
    pub owner: *const c_void,
    /// Registered lock conditions. For a semaphore this is its request queue,
    /// in request order; for a mutex, the waiters in no particular order.
    pub waiters: List,
    /// `Recursive`: how many times the owner holds it. `Counting`: units available.
    pub count: u32,
    /// `Counting`: the most units it can hold.
    pub maximum: u32,
    pub kind: LockKind,
    /// Priority inheritance (mutexes): while it is held, a waiter with a
    /// better priority lends it to the owner (see `Kernel::inherit`).
    pub inherit: bool,
}

impl LockCore {
    /// A free lock of `kind` (a counting semaphore with no unit and no room:
    /// use [`LockCore::counting`]).
    pub const fn of(kind: LockKind, inherit: bool) -> Self {
        LockCore { owner: ptr::null(), waiters: List::new(), count: 0, maximum: 0, kind, inherit }
    }

    /// `CountingSemaphore(initial, maximum)`: needs `0 <= initial <= maximum`
    /// and `1 <= maximum < 2**32`.
    pub fn counting(initial: i64, maximum: i64) -> Result<Self, CoreError> {
        match (u32::try_from(initial), u32::try_from(maximum)) {
            (Ok(count), Ok(maximum)) if maximum >= 1 && count <= maximum => {
                Ok(LockCore { count, maximum, ..Self::of(LockKind::Counting, false) })
            }
            _ => Err(CoreError::CountRange),
        }
    }

    /// The kind as this build handles it: without the cargo feature
    /// `more-locks`, only mutexes and binary semaphores exist (the shim makes
    /// no other), and the code for the others is left out.
    fn kind(&self) -> LockKind {
        if cfg!(feature = "more-locks") {
            self.kind
        } else {
            LockKind::Mutex
        }
    }

    /// Priority inheritance is on for this lock (and built in: cargo feature `more-locks`).
    pub fn inherits(&self) -> bool {
        cfg!(feature = "more-locks") && self.inherit
    }

    /// Units a queued semaphore request may be granted from: the first this
    /// many live requests in the queue get one.
    pub fn units(&self) -> u32 {
        match self.kind() {
            LockKind::Counting => self.count,
            _ => u32::from(self.owner.is_null()),
        }
    }

    /// Takes the lock for `task` if it can: when free, or held by `task`
    /// (re-entry succeeds; a recursive mutex counts it), or, for a counting
    /// semaphore, when a unit is left.
    pub fn try_lock(&mut self, task: *const c_void) -> bool {
        match self.kind() {
            LockKind::Counting => match self.count.checked_sub(1) {
                Some(left) => self.count = left,
                None => return false,
            },
            _ if self.owner.is_null() => {
                self.owner = task;
                self.count = 1;
            }
            _ if self.owner != task => return false,
            LockKind::Recursive => match self.count.checked_add(1) {
                Some(depth) => self.count = depth,
                None => return false,
            },
            _ => {}
        }
        true
    }

    /// `unlock()` by `caller` (the task whose code runs, or null). Returns
    /// the owner that let go, or null when the lock is still held or was free.
    /// A mutex or binary semaphore is freed whoever holds it (no-op when free),
    /// as in the original; a recursive mutex only by its owner, one level at a
    /// time; a counting semaphore gains a unit.
    pub fn unlock(&mut self, caller: *const c_void) -> Result<*const c_void, CoreError> {
        match self.kind() {
            LockKind::Counting => {
                if self.count >= self.maximum {
                    return Err(CoreError::CountFull);
                }
                self.count += 1;
                return Ok(ptr::null());
            }
            LockKind::Recursive => {
                if self.owner.is_null() {
                    return Err(CoreError::NotLocked);
                }
                if self.owner != caller {
                    return Err(CoreError::NotOwner);
                }
                self.count -= 1;
                if self.count > 0 {
                    return Ok(ptr::null());
                }
            }
            _ => {}
        }
        Ok(core::mem::replace(&mut self.owner, ptr::null()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(n: usize) -> *const c_void {
        n as *const c_void
    }

    #[test]
    fn mutex_re_lock_needs_one_unlock() {
        let mut m = LockCore::of(LockKind::Mutex, false);
        assert!(m.try_lock(task(1)) && m.try_lock(task(1)));
        assert!(!m.try_lock(task(2)));
        assert_eq!(m.unlock(ptr::null()), Ok(task(1)));
        assert_eq!(m.unlock(task(2)), Ok(ptr::null()), "free: a no-op");
        assert!(m.try_lock(task(2)));
    }

    #[test]
    #[cfg(feature = "more-locks")]
    fn recursive_mutex_counts_levels_and_checks_the_owner() {
        let mut m = LockCore::of(LockKind::Recursive, false);
        assert_eq!(m.unlock(task(1)), Err(CoreError::NotLocked));
        assert!(m.try_lock(task(1)) && m.try_lock(task(1)) && m.try_lock(task(1)));
        assert!(!m.try_lock(task(2)));
        assert_eq!(m.unlock(task(2)), Err(CoreError::NotOwner));
        assert_eq!(m.unlock(ptr::null()), Err(CoreError::NotOwner));
        assert_eq!(m.unlock(task(1)), Ok(ptr::null()));
        assert_eq!(m.unlock(task(1)), Ok(ptr::null()));
        assert_eq!(m.units(), 0);
        assert_eq!(m.unlock(task(1)), Ok(task(1)), "the last level frees it");
        assert_eq!(m.units(), 1);
        assert_eq!(m.unlock(task(1)), Err(CoreError::NotLocked));
        m.count = u32::MAX - 1;
        m.owner = task(3);
        assert!(m.try_lock(task(3)));
        assert!(!m.try_lock(task(3)), "the depth cannot wrap");
    }

    #[test]
    #[cfg(feature = "more-locks")]
    fn counting_semaphore_units_stay_within_bounds() {
        assert_eq!(LockCore::counting(3, 2).err(), Some(CoreError::CountRange));
        assert_eq!(LockCore::counting(-1, 2).err(), Some(CoreError::CountRange));
        assert_eq!(LockCore::counting(0, 0).err(), Some(CoreError::CountRange));
        assert_eq!(LockCore::counting(0, 1 << 32).err(), Some(CoreError::CountRange));
        let mut s = LockCore::counting(2, 3).unwrap();
        assert!(s.try_lock(task(1)) && s.try_lock(task(1)));
        assert!(!s.try_lock(task(2)));
        assert!(s.owner.is_null());
        for units in 1..=3 {
            assert_eq!(s.unlock(ptr::null()), Ok(ptr::null()));
            assert_eq!(s.units(), units);
        }
        assert_eq!(s.unlock(ptr::null()), Err(CoreError::CountFull));
        assert_eq!(s.units(), 3);
    }

    #[test]
    fn binary_semaphore_has_one_unit() {
        let mut s = LockCore::of(LockKind::Binary, false);
        assert_eq!(s.units(), 1);
        assert!(s.try_lock(task(1)) && s.try_lock(task(1)));
        assert_eq!(s.units(), 0);
        assert_eq!(s.unlock(task(9)), Ok(task(1)), "anyone may unlock it");
    }
}

/// The locks driven through the kernel, as the shim drives them (all of
/// them need the feature).
#[cfg(all(test, feature = "more-locks"))]
mod kernel_tests {
    extern crate std;
    use core::ffi::c_void;
    use core::mem::offset_of;
    use core::ptr;
    use std::boxed::Box;
    use std::vec::Vec;

    use super::*;
    use crate::condition::{Condition, Verdict};
    use crate::kernel::Kernel;
    use crate::task::{TaskCore, TaskState};

    /// Stand-ins for the shim's objects, leaked so that raw pointers are the
    /// only way to them, as in the firmware.
    #[repr(C)]
    struct TaskObj {
        header: usize,
        core: TaskCore,
    }

    #[repr(C)]
    struct CondObj {
        header: usize,
        core: Condition,
    }

    /// The objects of one test, freed at its end.
    #[derive(Default)]
    struct Objects {
        tasks: Vec<*mut TaskObj>,
        conds: Vec<*mut CondObj>,
        locks: Vec<*mut LockCore>,
    }

    impl Drop for Objects {
        fn drop(&mut self) {
            // SAFETY: each pointer came from `Box::into_raw` once, and the kernel is done with them.
            unsafe {
                self.tasks.iter().for_each(|&p| drop(Box::from_raw(p)));
                self.conds.iter().for_each(|&p| drop(Box::from_raw(p)));
                self.locks.iter().for_each(|&p| drop(Box::from_raw(p)));
            }
        }
    }

    impl Objects {
        fn task(&mut self, priority: i32) -> *mut c_void {
            let core = TaskCore::new(priority, ptr::null_mut(), 0, false);
            self.tasks.push(Box::into_raw(Box::new(TaskObj { header: 0, core })));
            self.tasks[self.tasks.len() - 1].cast()
        }

        fn lock(&mut self, lock: LockCore) -> *mut LockCore {
            self.locks.push(Box::into_raw(Box::new(lock)));
            self.locks[self.locks.len() - 1]
        }

        /// Blocks `t` on a new `lock(t)` condition, evaluates it once and returns it.
        fn request(&mut self, k: &mut Kernel, lock: *mut LockCore, t: *mut c_void) -> (*mut c_void, Verdict) {
            k.with_task(t, |t| t.state = TaskState::Blocked);
            // SAFETY: a live lock of this test, not borrowed elsewhere.
            let core = Condition::lock(unsafe { &mut *lock }, t);
            self.conds.push(Box::into_raw(Box::new(CondObj { header: 0, core })));
            let cond = self.conds[self.conds.len() - 1].cast();
            (cond, k.poll(cond, t, &|| 0))
        }
    }

    fn kernel() -> Kernel {
        Kernel::new(offset_of!(TaskObj, core), offset_of!(CondObj, core))
    }

    fn priorities(k: &mut Kernel, t: *mut c_void) -> (i32, i32, u32) {
        k.with_task(t, |t| (t.priority, t.base_priority, t.inherit_held))
    }

    #[test]
    fn counting_semaphore_grants_requests_its_units_cover_in_queue_order() {
        let (mut k, mut o) = (kernel(), Objects::default());
        let s = o.lock(LockCore::counting(0, 5).unwrap());
        let [a, b, c, d] = [9, 1, 5, 3].map(|p| o.task(p));
        let [ca, cb, _, cd] = [a, b, c, d].map(|t| {
            let (cond, verdict) = o.request(&mut k, s, t);
            assert_eq!(verdict, Verdict::NotYet);
            cond
        });
        k.unlock(s).unwrap();
        k.unlock(s).unwrap();
        // Evaluated in priority order: b (second in the queue) and a are
        // covered by the 2 units, d (fourth) is not.
        assert_eq!(k.poll(cb, b, &|| 0), Verdict::True);
        assert_eq!(k.poll(cd, d, &|| 0), Verdict::NotYet);
        assert_eq!(k.poll(ca, a, &|| 0), Verdict::True);
        // SAFETY (derefs of `s`): a live lock of this test, not borrowed elsewhere meanwhile.
        assert_eq!(unsafe { (*s).count }, 0);
        // c stopped waiting without releasing its request: it no longer holds d up.
        k.with_task(c, |t| t.state = TaskState::Ready);
        k.unlock(s).unwrap();
        assert_eq!(k.poll(cd, d, &|| 0), Verdict::True);
        // SAFETY: as above.
        assert!(unsafe { (*s).waiters.is_empty() });
    }

    #[test]
    fn inheritance_lends_the_best_waiter_priority_until_the_last_release() {
        let (mut k, mut o) = (kernel(), Objects::default());
        let [m, r, plain] = [LockCore::of(LockKind::Mutex, true), LockCore::of(LockKind::Recursive, true), LockCore::of(LockKind::Mutex, false)].map(|l| o.lock(l));
        let [owner, medium, high, worse] = [9, 5, 1, 12].map(|p| o.task(p));
        k.admit(owner);
        k.admit(medium);
        assert!(k.try_lock(m, owner) && k.try_lock(r, owner) && k.try_lock(r, owner) && k.try_lock(plain, owner));
        assert_eq!(priorities(&mut k, owner), (9, 9, 2), "the recursive mutex counts once; the plain one not at all");
        assert_eq!(k.choose(false), Some(medium));
        assert_eq!(o.request(&mut k, m, worse).1, Verdict::NotYet);
        assert_eq!(priorities(&mut k, owner).0, 9, "a worse waiter lends nothing");
        assert_eq!(o.request(&mut k, r, high).1, Verdict::NotYet);
        assert_eq!(priorities(&mut k, owner), (1, 9, 2));
        assert_eq!(k.choose(false), Some(owner), "the boosted owner runs before the medium task");
        k.unlock(m).unwrap();
        assert_eq!(priorities(&mut k, owner), (1, 9, 1), "it still holds an inheritance mutex");
        k.swap_current(owner);
        k.unlock(r).unwrap();
        assert_eq!(priorities(&mut k, owner).0, 1, "one level of the recursive mutex left");
        k.unlock(r).unwrap();
        assert_eq!(priorities(&mut k, owner), (9, 9, 0));
        assert_eq!(k.choose(false), Some(medium));
    }

    #[test]
    fn inheritance_lasts_until_the_last_of_more_than_65535_mutexes() {
        let (mut k, mut o) = (kernel(), Objects::default());
        let held: Vec<_> = (0..70_000).map(|_| o.lock(LockCore::of(LockKind::Mutex, true))).collect();
        let [owner, high] = [9, 1].map(|p| o.task(p));
        k.admit(owner);
        assert!(held.iter().all(|&m| k.try_lock(m, owner)));
        let waited = held[held.len() - 1];
        assert_eq!(o.request(&mut k, waited, high).1, Verdict::NotYet);
        assert_eq!(priorities(&mut k, owner).0, 1);
        for &m in &held[..held.len() - 1] {
            k.unlock(m).unwrap();
        }
        assert_eq!(priorities(&mut k, owner).0, 1, "it still holds the mutex the better task waits for");
        k.unlock(waited).unwrap();
        assert_eq!(priorities(&mut k, owner), (9, 9, 0));
    }

    #[test]
    fn recursive_unlock_needs_the_owner_code_running() {
        let (mut k, mut o) = (kernel(), Objects::default());
        let r = o.lock(LockCore::of(LockKind::Recursive, false));
        let [owner, other] = [o.task(1), o.task(2)];
        assert!(k.try_lock(r, owner));
        assert_eq!(k.unlock(r), Err(CoreError::NotOwner), "no task code runs");
        assert_eq!(k.swap_current(other), ptr::null_mut());
        assert_eq!(k.unlock(r), Err(CoreError::NotOwner));
        assert_eq!(k.swap_current(owner), other);
        assert_eq!(k.unlock(r), Ok(()));
        assert_eq!(k.unlock(r), Err(CoreError::NotLocked));
    }
}
