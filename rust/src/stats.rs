//! Run-time statistics, like FreeRTOS's (cargo feature `stats`; without it
//! the kernel keeps none). The counters are always kept (an increment each);
//! times are measured only while `start(stats=True)` runs, because measuring
//! a task's run time takes a clock read on each side of every resume, which
//! would slow the yield path measurably.
//!
//! Counters are `u32` and wrap (to 0 after 4294967295), like FreeRTOS's tick
//! counts; times are microsecond totals in 64 bits, which do not wrap.

/// A microsecond total kept as two 32-bit halves: 4-byte aligned, so it adds
/// no padding to `TaskCore` on 32-bit boards (a Task keeps its GC block count).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Micros {
    low: u32,
    high: u32,
}

impl Micros {
    pub const ZERO: Micros = Micros { low: 0, high: 0 };

    pub fn get(self) -> u64 {
        u64::from(self.high) << 32 | u64::from(self.low)
    }

    pub fn add(&mut self, us: u64) {
        let sum = self.get().wrapping_add(us);
        (self.low, self.high) = (sum as u32, (sum >> 32) as u32);
    }
}

/// The scheduler's counters, as `pyRTOS.stats()` reports them.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    /// Scheduler passes run (passes skipped because nothing could run in
    /// them before a `delay()` came due are not counted).
    pub passes: u32,
    /// Blocked tasks made READY because one of their conditions was true.
    pub wakeups: u32,
    /// Resumes of another task than the one resumed before.
    pub switches: u32,
    /// Times are being measured (inside `start(stats=True)`).
    pub timing: bool,
    /// Microseconds the loop slept for lack of work, while timing.
    pub idle_us: u64,
    /// Microseconds measured in all (the base of the tasks' percentages).
    pub time_us: u64,
    /// When timing was last switched on.
    since_us: u64,
}

impl Stats {
    pub const fn new() -> Stats {
        Stats { passes: 0, wakeups: 0, switches: 0, timing: false, idle_us: 0, time_us: 0, since_us: 0 }
    }

    /// Adds one to a counter.
    pub fn count(counter: &mut u32) {
        *counter = counter.wrapping_add(1);
    }

    /// Switches time measurement on or off at `now_us`.
    pub fn set_timing(&mut self, on: bool, now_us: u64) {
        self.catch_up(now_us);
        self.timing = on;
    }

    /// Adds the time measured up to `now_us` to `time_us`, so that it is
    /// up to date for a reader.
    pub fn catch_up(&mut self, now_us: u64) {
        if self.timing {
            self.time_us = self.time_us.wrapping_add(now_us.wrapping_sub(self.since_us));
        }
        self.since_us = now_us;
    }

    /// The loop slept from `from_us` to `to_us`.
    pub fn slept(&mut self, from_us: u64, to_us: u64) {
        if self.timing {
            self.idle_us = self.idle_us.wrapping_add(to_us.wrapping_sub(from_us));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micros_carry_into_the_high_half() {
        let mut m = Micros::ZERO;
        m.add(u64::from(u32::MAX));
        m.add(2);
        assert_eq!(m.get(), (1 << 32) + 1);
    }

    #[test]
    fn time_counts_only_while_timing() {
        let mut s = Stats::new();
        s.slept(0, 50);
        s.set_timing(true, 100);
        s.slept(110, 130);
        s.catch_up(150);
        assert_eq!(s.time_us, 50);
        s.set_timing(false, 200);
        s.slept(300, 400);
        s.catch_up(1000);
        assert_eq!((s.time_us, s.idle_us), (100, 20));
    }

    #[test]
    fn counters_wrap_to_zero() {
        let mut s = Stats::new();
        s.passes = u32::MAX;
        Stats::count(&mut s.passes);
        assert_eq!(s.passes, 0);
    }
}
